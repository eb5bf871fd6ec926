//! The notes of an application, with the form to add one and, within the window, to
//! edit or delete one's own.

use leptos::prelude::*;
use server_fn::ServerFn;
use uuid::Uuid;

use super::{AddNote, DeleteNote, EditNote, NoteView};
use crate::ui::form::error_from_query;
use crate::ui::ServerForm;

#[component]
pub fn Notes(application_id: Uuid, notes: Vec<NoteView>) -> impl IntoView {
    let add_error = error_from_query(AddNote::PATH);
    let change_error =
        error_from_query(EditNote::PATH).or_else(|| error_from_query(DeleteNote::PATH));
    view! {
        <section aria-labelledby="notes">
            <h2 id="notes">"Notes"</h2>
            {change_error.map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            {if notes.is_empty() {
                view! { <p class="muted">"No notes yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="notes">
                        {notes.into_iter().map(|note| {
                            let id = note.id.to_string();
                            let delete_id = id.clone();
                            let edit_id = format!("edit-{id}");
                            let edit_for = edit_id.clone();
                            let author = note.author.clone().unwrap_or_else(|| "A former colleague".into());
                            view! {
                                <li class="note">
                                    <header>
                                        <strong>{author}</strong>
                                        <crate::ui::time::Time at=note.created_at/>
                                        {note.edited_at.map(|_| view! { <span>"(edited)"</span> })}
                                    </header>
                                    <div class="markdown-note" inner_html=note.body_html></div>
                                    {note.can_change.then(|| view! {
                                        <details>
                                            <summary>"Edit or delete (for 15 minutes after writing)"</summary>
                                            <ServerForm action=EditNote::url() submit_label="Save note" busy_label="Saving…">
                                                <input type="hidden" name="note_id" value=id.clone()/>
                                                <label for=edit_for>"Note"</label>
                                                <textarea id=edit_id name="body" rows="4">{note.body_md}</textarea>
                                            </ServerForm>
                                            <ServerForm action=DeleteNote::url() submit_label="Delete note" busy_label="Deleting…" danger=true inline=true>
                                                <input type="hidden" name="note_id" value=delete_id/>
                                            </ServerForm>
                                        </details>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <ServerForm action=AddNote::url() submit_label="Add note" busy_label="Adding…" error=add_error>
                <input type="hidden" name="application_id" value=application_id.to_string()/>
                <div class="field">
                    <label for="note-body">"New note"</label>
                    <textarea id="note-body" name="body" rows="4" required=true aria-describedby="note-body-hint"></textarea>
                    <p class="field-hint" id="note-body-hint">"Markdown. Mention a colleague with @ and their email name or first name (@rita) to notify them. Seen by admins, recruiters and this requisition's hiring manager."</p>
                </div>
            </ServerForm>
        </section>
    }
}
