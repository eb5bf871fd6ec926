//! `/admin/pipeline`: the stages and rejection reasons of the organization.

use leptos::prelude::*;
use server_fn::ServerFn;

use super::{
    load_pipeline_settings, MovePipelineEntry, PipelineSettings, RemovePipelineEntry,
    SavePipelineEntry, SettingList,
};
use crate::access::Role;
use crate::pipeline::StageKind;
use crate::ui::form::error_from_query;
use crate::ui::{loaded, Field, ServerForm, StaffPage};

#[component]
pub fn PipelineSettingsPage() -> impl IntoView {
    // Without JavaScript a refused change comes back in the URL: shown once, on top.
    let error = [
        SavePipelineEntry::PATH,
        MovePipelineEntry::PATH,
        RemovePipelineEntry::PATH,
    ]
    .into_iter()
    .find_map(error_from_query);
    view! {
        <StaffPage title="Pipeline" roles=&[Role::Admin]>
            <p class="lead">"The stages are the columns of every requisition's board, in this order; the outcomes come after them. Rejecting a candidate asks for one of the reasons."</p>
            {error.clone().map(|error| view! { <p class="form-error" role="alert">{error}</p> })}
            {loaded(load_pipeline_settings, |settings| view! { <Settings settings/> })}
        </StaffPage>
    }
}

struct Entry {
    id: String,
    name: String,
    note: String,
    movable: bool,
    removable: bool,
}

#[component]
fn Settings(settings: PipelineSettings) -> impl IntoView {
    let stages = settings
        .stages
        .into_iter()
        .map(|stage| {
            let outcome = stage.kind != StageKind::Active;
            Entry {
                id: stage.id.to_string(),
                note: format!(
                    "{}{} now",
                    if outcome { "Outcome · " } else { "" },
                    match stage.applications {
                        1 => "1 application".to_string(),
                        n => format!("{n} applications"),
                    }
                ),
                name: stage.name,
                movable: !outcome,
                removable: !outcome,
            }
        })
        .collect();
    let reasons = settings
        .reasons
        .into_iter()
        .map(|reason| Entry {
            id: reason.id.to_string(),
            name: reason.label,
            note: String::new(),
            movable: true,
            removable: true,
        })
        .collect();
    view! {
        <section aria-labelledby="stages">
            <h2 id="stages">"Stages"</h2>
            <EntryTable list=SettingList::Stages entries=stages/>
            <ServerForm action=SavePipelineEntry::url() submit_label="Add stage" busy_label="Adding…" inline=true>
                <input type="hidden" name="list" value="stages"/>
                <Field name="name" id="new-stage".to_string() label="New stage" required=true autocomplete="off"/>
            </ServerForm>
        </section>
        <section aria-labelledby="reasons">
            <h2 id="reasons">"Rejection reasons"</h2>
            <EntryTable list=SettingList::Reasons entries=reasons/>
            <ServerForm action=SavePipelineEntry::url() submit_label="Add reason" busy_label="Adding…" inline=true>
                <input type="hidden" name="list" value="reasons"/>
                <Field name="name" id="new-reason".to_string() label="New reason" required=true autocomplete="off"/>
            </ServerForm>
        </section>
    }
}

#[component]
fn EntryTable(list: SettingList, entries: Vec<Entry>) -> impl IntoView {
    let count = entries.len();
    let movable_count = entries.iter().filter(|e| e.movable).count();
    view! {
        <div class="table-wrap" tabindex="0">
            <table class="settings-table">
                <tbody>
                    {entries.into_iter().enumerate().map(|(at, entry)| {
                        let list_name = list.as_str();
                        let hidden = move |id: String| view! {
                            <input type="hidden" name="list" value=list_name/>
                            <input type="hidden" name="id" value=id/>
                        };
                        let first = at == 0;
                        let last = at + 1 == movable_count;
                        let Entry { id, name, note, movable, removable } = entry;
                        let (rename_id, up_id, down_id, remove_id) = (id.clone(), id.clone(), id.clone(), id.clone());
                        let rename_label = format!("Rename {name}");
                        let (up_label, down_label) = (format!("Move {name} up"), format!("Move {name} down"));
                        let remove_label = format!("Remove {name}");
                        let field_label = format!("Name of {name}");
                        view! {
                            <tr>
                                <td>
                                    <ServerForm action=SavePipelineEntry::url() submit_label=rename_label busy_label="Saving…" inline=true>
                                        {hidden(rename_id.clone())}
                                        <Field name="name" id=format!("name-{id}") label=field_label.clone() value=name.clone() required=true/>
                                    </ServerForm>
                                </td>
                                <td class="muted">{note}</td>
                                <td class="row-actions">
                                    {(movable && !first).then(move || view! {
                                        <ServerForm action=MovePipelineEntry::url() submit_label=up_label busy_label="Moving…" inline=true>
                                            {hidden(up_id.clone())}
                                            <input type="hidden" name="direction" value="up"/>
                                        </ServerForm>
                                    })}
                                    {(movable && !last).then(move || view! {
                                        <ServerForm action=MovePipelineEntry::url() submit_label=down_label busy_label="Moving…" inline=true>
                                            {hidden(down_id.clone())}
                                            <input type="hidden" name="direction" value="down"/>
                                        </ServerForm>
                                    })}
                                    {(removable && count > 1).then(move || view! {
                                        <ServerForm action=RemovePipelineEntry::url() submit_label=remove_label busy_label="Removing…" inline=true danger=true>
                                            {hidden(remove_id.clone())}
                                        </ServerForm>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
