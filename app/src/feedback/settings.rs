//! The organization's feedback setting (admins): how many hours after an interview ends
//! its feedback is due, after which the reminders start.

use leptos::prelude::*;
use server_fn::ServerFn;

use super::{load_feedback_settings, SaveFeedbackSettings};
use crate::access::Role;
use crate::ui::form::error_from_query;
use crate::ui::{loaded, Field, ServerForm, StaffPage};

#[component]
pub fn FeedbackSettingsPage() -> impl IntoView {
    let error = error_from_query(SaveFeedbackSettings::PATH);
    let render = move |hours: i32| {
        let error = error.clone();
        view! {
            <p class="muted">"Interview feedback is due this many hours after the interview ends. An interviewer whose feedback is overdue gets one reminder email, and one more after as many hours again; never a third, and none for a cancelled or no-show interview."</p>
            <ServerForm action=SaveFeedbackSettings::url() submit_label="Save" busy_label="Saving…" error=error>
                <Field name="due_hours" label="Feedback due after (hours)" kind="number" value=hours.to_string() required=true/>
            </ServerForm>
        }
    };
    view! {
        <StaffPage title="Interview feedback settings" roles=&[Role::Admin]>
            {loaded(load_feedback_settings, render.clone())}
        </StaffPage>
    }
}
