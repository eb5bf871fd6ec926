//! Staff side of the careers page: an admin's settings (the privacy notice applicants
//! consent to, how long applications are kept) and, on a requisition's page, posting it.

use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use super::{
    board_path, load_careers_settings, load_posting, retention_words, CareersSettings,
    PostRequisition, Posting, SaveCareersSettings,
};
use crate::ui::form::error_from_query;
use crate::ui::{loaded, with_blank, Field, SelectField, ServerForm, StaffPage, TextArea};

#[component]
pub fn CareersSettingsPage() -> impl IntoView {
    let notice = crate::ui::notice::notice_from_query("/admin/careers");
    view! {
        <StaffPage title="Careers page" roles=crate::access::ADMINS>
            <crate::ui::Notice text=notice.clone()/>
            {loaded(load_careers_settings, |settings| view! { <SettingsForm settings/> })}
        </StaffPage>
    }
}

#[component]
fn SettingsForm(settings: CareersSettings) -> impl IntoView {
    let error = error_from_query(SaveCareersSettings::PATH);
    let board = board_path(&settings.slug);
    view! {
        <p>"Your public job board is at "<a href=board.clone()>{board.clone()}</a>". It lists the open requisitions a recruiter posted (on the requisition's page)."</p>
        <ServerForm action=SaveCareersSettings::url() submit_label="Save" busy_label="Saving…" error=error>
            <TextArea name="privacy_notice" label="Privacy notice (Markdown)" value=settings.privacy_notice_md rows=10 hint="Shown with every application form; applicants agree to it before they apply."/>
            <Field name="retention_months" label="Keep applications for (months)" kind="number" required=true value=settings.retention_months.to_string() hint="Candidates who applied on the careers page are deleted this long after the last activity on their record, as the form tells them."/>
        </ServerForm>
        <p class="muted">{format!("Applicants are told now: kept for {} after the last activity.", retention_words(settings.retention_months))}</p>
    }
}

/// A requisition's "Careers page": whether it is posted and the assessment its applicants
/// are invited to (admins and recruiters; the requisition's page links here).
#[component]
pub fn PostingPage() -> impl IntoView {
    let id = crate::ui::id_param();
    let notice = id.as_ref().ok().and_then(|id| {
        crate::ui::notice::notice_from_query(&format!("/requisitions/{id}/careers"))
    });
    let fetch = move || async move { load_posting(id?).await };
    let render = move |posting: Posting| {
        let notice = notice.clone();
        view! {
            <Title text=format!("Careers page: {}", posting.title)/>
            <h1>{format!("Careers page: {}", posting.title)}</h1>
            <crate::ui::Notice text=notice/>
            <PostingForm posting/>
        }
    };
    view! {
        <StaffPage title="" roles=crate::access::CANDIDATE_ROLES>
            {loaded(fetch, render.clone())}
        </StaffPage>
    }
}

#[component]
fn PostingForm(posting: Posting) -> impl IntoView {
    let error = error_from_query(PostRequisition::PATH);
    let assessments = with_blank(
        "No assessment: review applications first",
        posting
            .assessments
            .iter()
            .map(|(id, title)| (id.to_string(), title.clone())),
    );
    let selected = posting
        .assessment_id
        .map(|id| id.to_string())
        .unwrap_or_default();
    let state = match (posting.posted, posting.open) {
        (true, true) => view! { <p>"Posted: "<a href=posting.job_path.clone()>"see the job's public page"</a>"."</p> }.into_any(),
        (true, false) => view! { <p>"Posted, but not listed while the requisition is not open."</p> }.into_any(),
        (false, true) => view! { <p>"Not posted: candidates cannot apply to it on the careers page."</p> }.into_any(),
        (false, false) => view! { <p class="muted">"Only an open requisition can be posted."</p> }.into_any(),
    };
    view! {
        <p><a href=format!("/requisitions/{}", posting.requisition_id)>"← The requisition"</a></p>
        {state}
        <ServerForm action=PostRequisition::url() submit_label="Save posting" busy_label="Saving…" error=error>
            <input type="hidden" name="requisition_id" value=posting.requisition_id.to_string()/>
            <label class="checkbox"><input type="checkbox" name="posted" value="yes" checked=posting.posted disabled=!posting.open && !posting.posted/>" Post on the careers page"</label>
            <SelectField name="assessment_id" label="Invite applicants at once to" options=assessments selected=selected/>
        </ServerForm>
    }
}
