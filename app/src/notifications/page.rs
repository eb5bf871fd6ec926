//! The inbox: newest first, unread marked; open one, mark all read, and choose what
//! also comes by email.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use super::{load_inbox, Inbox, Kind, MarkAllRead, OpenNotification, SaveNotificationPreferences};
use crate::ui::{loaded, ServerForm, StaffPage};

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let saved = use_query_map().with_untracked(|q| q.get("saved").is_some());
    view! {
        <StaffPage title="Notifications">
            {loaded(load_inbox, move |inbox| view! { <InboxView inbox saved/> })}
        </StaffPage>
    }
}

#[component]
fn InboxView(inbox: Inbox, saved: bool) -> impl IntoView {
    let unread = inbox.unread;
    let by_email = inbox.by_email.clone();
    view! {
        <div class="page-head">
            <p>{if unread == 0 { "Nothing unread.".to_string() } else { format!("{unread} unread") }}</p>
            {(unread > 0).then(|| view! { <ServerForm action=MarkAllRead::url() submit_label="Mark all read" busy_label="Marking…" inline=true><span></span></ServerForm> })}
        </div>
        {if inbox.items.is_empty() {
            view! { <p class="muted">"No notifications yet. Mentions in notes and moves on your requisitions show up here."</p> }.into_any()
        } else {
            view! {
                <ul class="inbox">
                    {inbox.items.into_iter().map(|n| view! {
                        <li class:unread=!n.is_read>
                            <span class="visually-hidden">{if n.is_read { "" } else { "Unread: " }}</span>
                            <span>{n.title.clone()}</span>
                            <crate::ui::time::Time at=n.created_at class="muted"/>
                            <ServerForm action=OpenNotification::url() submit_label=format!("Open: {}", n.title) busy_label="Opening…" inline=true>
                                <input type="hidden" name="id" value=n.id.to_string()/>
                            </ServerForm>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <section class="card">
            <h2>"Email me when"</h2>
            {saved.then(|| view! { <p class="notice" role="status">"Saved."</p> })}
            <ServerForm action=SaveNotificationPreferences::url() submit_label="Save email choices" busy_label="Saving…">
                {Kind::ALL.into_iter().map(|kind| {
                    let id = format!("email-{}", kind.as_str());
                    let label_for = id.clone();
                    view! {
                        <label class="checkbox" for=label_for>
                            <input type="checkbox" id=id name=kind.as_str() checked=by_email.contains(&kind)/>
                            {kind.label()}
                        </label>
                    }
                }).collect_view()}
            </ServerForm>
        </section>
    }
}
