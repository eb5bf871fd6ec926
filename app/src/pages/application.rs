//! The page of one application: the candidate on a requisition, their stage history and
//! the team's notes and interviews.

use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;
use uuid::Uuid;

use crate::assessments::{load_application_results, load_results_sharing, ShareResults};
use crate::interviews::page::ApplicationInterviewsSection;
use crate::interviews::{load_application_interviews, ApplicationInterviews};
use crate::notes::view::Notes;
use crate::notes::{load_application, ApplicationDetail};
use crate::pipeline::History;
use crate::results::ResultBadge;
use crate::ui::{id_param, loaded, ServerForm, StaffPage};

#[component]
pub fn ApplicationPage() -> impl IntoView {
    let id = id_param();
    let fetch = move || async move {
        let id = id?;
        Ok((
            load_application(id).await?,
            load_application_interviews(id).await?,
            load_application_results(id).await?,
            load_results_sharing(id).await?,
        ))
    };
    let render = |(application, interviews, results, shared): (
        ApplicationDetail,
        ApplicationInterviews,
        Vec<(Uuid, String, ResultBadge)>,
        bool,
    )| {
        view! { <ApplicationView application interviews results shared/> }
    };
    view! {
        <StaffPage title="" roles=crate::access::REQUISITION_ROLES>
            {loaded(fetch, render)}
        </StaffPage>
    }
}

#[component]
fn ApplicationView(
    application: ApplicationDetail,
    interviews: ApplicationInterviews,
    results: Vec<(Uuid, String, ResultBadge)>,
    shared: bool,
) -> impl IntoView {
    let a = application;
    let heading = format!("{} · {}", a.candidate_name, a.requisition_title);
    view! {
        <Title text=heading.clone()/>
        <h1>{heading}</h1>
        <p>
            "Stage: "<strong>{a.stage}</strong>" · "
            <a href=format!("/requisitions/{}/pipeline", a.requisition_id)>"Pipeline board"</a>" · "
            <a href="#schedule">"Schedule interview"</a>" · "
            <a href=crate::feedback::debrief_url(a.id)>"Debrief and decision"</a>
            {a.can_open_candidate.then(|| view! { " · " <a href=format!("/candidates/{}", a.candidate_id)>"Candidate profile"</a> })}
        </p>
        <crate::documents::view::SkillMatchSection application_id=a.id/>
        <crate::careers::pages::SubmissionSection application_id=a.id/>
        <h2>"History"</h2>
        <History changes=a.history/>
        {(!results.is_empty()).then(|| view! {
            <h2>"Assessments"</h2>
            <ul>
                {results.into_iter().map(|(session, title, badge)| view! {
                    <li><a href=format!("/assessments/sessions/{session}")>{title}</a>" "<span class=badge.verdict.class()>{badge.text()}</span></li>
                }).collect_view()}
            </ul>
            <p class="muted">{if shared {
                "Interviewers see these results in their interview kits."
            } else {
                "Interviewers do not see these results until you share them."
            }}</p>
            <ServerForm action=ShareResults::url() submit_label=if shared { "Stop sharing results with interviewers" } else { "Share results with interviewers" } busy_label="Saving…" inline=true>
                <input type="hidden" name="application_id" value=a.id.to_string()/>
                <input type="hidden" name="shared" value=(!shared).to_string()/>
            </ServerForm>
        })}
        <ApplicationInterviewsSection application_id=a.id data=interviews/>
        <Notes application_id=a.id notes=a.notes/>
    }
}
