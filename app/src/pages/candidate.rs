//! The candidate's profile: their record (`candidates`) with their applications and
//! moves (`pipeline`), interviews (`interviews`) and the emails about them (`email`).
//! A hiring manager sees the limited profile (`access::ProfileView::Limited`): the name
//! and the applications on the requisitions they manage, with their stage, results,
//! interviews and feedback; every function it calls enforces that on the server.

use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;
use uuid::Uuid;

use crate::access::{whoami, CANDIDATE_PROFILE_ROLES, CANDIDATE_ROLES};
use crate::assessments::load_application_results;
use crate::candidates::{
    load_candidate, load_limited_candidate, CandidateProfile, DeleteCandidate, LimitedProfile,
};
use crate::email::history::EmailRecord;
use crate::error::AppError;
use crate::interviews::{load_candidate_interviews, InterviewSummary};
use crate::pipeline::{load_candidate_pipeline, AddToPipeline, CandidatePipeline, History};
use crate::results::ResultBadge;
use crate::ui::form::error_from_query;
use crate::ui::time::format_time;
use crate::ui::{id_param, loaded, SelectField, ServerForm, StaffPage};

/// An application's assessment results: (session, assessment title, badge).
type Results = Vec<(Uuid, String, ResultBadge)>;

/// What the profile shows, by what the viewer may see of the candidate.
#[derive(Clone)]
enum ProfileData {
    /// The record is boxed: it is much the larger.
    Full(
        Box<CandidateProfile>,
        CandidatePipeline,
        Vec<InterviewSummary>,
    ),
    /// With each application's results, in the order of its applications.
    Limited(LimitedProfile, Vec<Results>, Vec<InterviewSummary>),
}

async fn load_profile(id: Uuid) -> Result<ProfileData, AppError> {
    let viewer = whoami().await?.ok_or(AppError::Unauthenticated)?;
    if CANDIDATE_ROLES.contains(&viewer.role) {
        return Ok(ProfileData::Full(
            Box::new(load_candidate(id).await?),
            load_candidate_pipeline(id).await?,
            load_candidate_interviews(id).await?,
        ));
    }
    let profile = load_limited_candidate(id).await?;
    let mut results = Vec::with_capacity(profile.applications.len());
    for application in &profile.applications {
        results.push(load_application_results(application.application_id).await?);
    }
    let interviews = load_candidate_interviews(id).await?;
    Ok(ProfileData::Limited(profile, results, interviews))
}

#[component]
pub fn CandidatePage() -> impl IntoView {
    let id = id_param();
    let fetch = move || async move { load_profile(id?).await };
    let render = |data: ProfileData| match data {
        ProfileData::Full(candidate, pipeline, interviews) => {
            let id = candidate.id;
            let emails = candidate.emails.clone();
            let notice = crate::ui::notice::notice_from_query(&format!("/candidates/{id}"));
            view! {
                <Profile candidate=*candidate notice/>
                <Applications candidate_id=id pipeline/>
                <crate::documents::view::DocumentsSection candidate_id=id/>
                <InterviewsSection interviews/>
                <EmailHistory emails/>
                <DeleteSection id/>
            }
            .into_any()
        }
        ProfileData::Limited(profile, results, interviews) => view! {
            <LimitedView profile results/>
            <InterviewsSection interviews/>
        }
        .into_any(),
    };
    view! {
        <StaffPage title="" roles=CANDIDATE_PROFILE_ROLES>
            {loaded(fetch, render)}
        </StaffPage>
    }
}

#[component]
fn InterviewsSection(interviews: Vec<InterviewSummary>) -> impl IntoView {
    view! {
        <section aria-labelledby="candidate-interviews">
            <h2 id="candidate-interviews">"Interviews"</h2>
            <crate::interviews::page::InterviewList interviews with_candidate=true empty_text="No interviews yet."/>
        </section>
    }
}

/// A hiring manager's view: the name and the applications on their requisitions.
#[component]
fn LimitedView(profile: LimitedProfile, results: Vec<Results>) -> impl IntoView {
    let now = chrono::Utc::now();
    view! {
        <Title text=profile.full_name.clone()/>
        <div class="page-head">
            <h1>{profile.full_name.clone()}</h1>
        </div>
        <p class="muted">"You see this candidate through the requisitions you manage. Their contact details and other applications are with the recruiters."</p>
        <section aria-labelledby="applications">
            <h2 id="applications">"Applications"</h2>
            <ul class="applications">
                {profile.applications.into_iter().zip(results).map(|(application, results)| {
                    let days = crate::pipeline::days_in_stage(application.stage_entered_at, now);
                    view! {
                        <li>
                            <a href=format!("/requisitions/{}/pipeline", application.requisition_id)>{application.requisition_title}</a>
                            " · "<strong>{application.stage}</strong>
                            " · "{if days == 1 { "1 day in stage".to_string() } else { format!("{days} days in stage") }}
                            " · "<a href=format!("/applications/{}", application.application_id)>"Application, notes and interviews"</a>
                            " · "<a href=crate::feedback::debrief_url(application.application_id)>"Feedback and debrief"</a>
                            {(!results.is_empty()).then(|| view! {
                                <ul>
                                    {results.into_iter().map(|(session, title, badge)| view! {
                                        <li><a href=format!("/assessments/sessions/{session}")>{title}</a>" "<span class=badge.verdict.class()>{badge.text()}</span></li>
                                    }).collect_view()}
                                </ul>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Profile(candidate: CandidateProfile, notice: Option<String>) -> impl IntoView {
    let c = candidate;
    let edit_href = format!("/candidates/{}/edit", c.id);
    let mailto = format!("mailto:{}", c.email);
    let dash = |text: String| {
        if text.is_empty() {
            "—".to_string()
        } else {
            text
        }
    };
    view! {
        <Title text=c.full_name.clone()/>
        <div class="page-head">
            <h1>{c.full_name.clone()}</h1>
            <span>
                <a class="button secondary" href=edit_href>"Edit"</a>" "
                <a class="button secondary" href=format!("/candidates/{}/merge", c.id)>"Merge a duplicate"</a>
            </span>
        </div>
        <crate::ui::Notice text=notice/>
        {(!c.headline.is_empty()).then(|| view! { <p class="lead">{c.headline.clone()}</p> })}
        <section aria-labelledby="contact">
            <h2 id="contact">"Contact"</h2>
            <dl class="facts">
                <dt>"Email"</dt><dd><a href=mailto>{c.email.clone()}</a></dd>
                <dt>"Phone"</dt><dd>{dash(c.phone.clone())}</dd>
                <dt>"Location"</dt><dd>{dash(c.location.clone())}</dd>
                <dt>"Source"</dt><dd>{c.source.label()}</dd>
                <dt>"Added"</dt><dd>{format!("{}{}", format_time(&c.created_at), c.created_by.map(|by| format!(" by {by}")).unwrap_or_default())}</dd>
            </dl>
        </section>
        <section aria-labelledby="skills">
            <h2 id="skills">"Skills and tags"</h2>
            {if c.skills.is_empty() && c.tags.is_empty() {
                view! { <p class="muted">"None yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="chips">{c.skills.into_iter().map(|s| view! { <li>{s.name}</li> }).collect_view()}</ul>
                    <ul class="chips nice">{c.tags.into_iter().map(|t| view! { <li>{format!("#{t}")}</li> }).collect_view()}</ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn DeleteSection(id: Uuid) -> impl IntoView {
    let error = error_from_query(DeleteCandidate::PATH);
    view! {
        <section aria-labelledby="delete" class="danger-zone">
            <h2 id="delete">"Delete"</h2>
            <p>"Deleting removes the candidate for good: their details, applications, notes, stage history, interviews, documents (with the text, extraction log and skills read from them) and the emails about them. The audit log keeps only that a candidate was deleted."</p>
            <ServerForm action=DeleteCandidate::url() submit_label="Delete this candidate" busy_label="Deleting…" danger=true error=error>
                <input type="hidden" name="id" value=id.to_string()/>
                <label class="checkbox"><input type="checkbox" name="confirm" value="yes" required=true/>" I understand that this cannot be undone"</label>
            </ServerForm>
        </section>
    }
}

#[component]
fn EmailHistory(emails: Vec<EmailRecord>) -> impl IntoView {
    view! {
        <section aria-labelledby="emails">
            <h2 id="emails">"Emails"</h2>
            {if emails.is_empty() {
                view! { <p class="muted">"No email about this candidate yet."</p> }.into_any()
            } else {
                view! {
                    <table class="email-history">
                        <thead><tr><th>"Written"</th><th>"To"</th><th>"Subject"</th><th>"Status"</th></tr></thead>
                        <tbody>
                            {emails.into_iter().map(|email| view! {
                                <tr>
                                    <td>{format_time(&email.created_at)}</td>
                                    <td>{email.to_address.clone()}</td>
                                    <td>{email.subject.clone()}</td>
                                    <td>{email.status_label()}{email.sent_at.map(|at| format!(" {}", format_time(&at)))}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Applications(candidate_id: Uuid, pipeline: CandidatePipeline) -> impl IntoView {
    let add_error = error_from_query(AddToPipeline::PATH);
    let options = crate::ui::with_blank(
        "Choose a requisition…",
        pipeline
            .open_requisitions
            .iter()
            .map(|(id, title)| (id.to_string(), title.clone())),
    );
    let can_add = !pipeline.open_requisitions.is_empty();
    view! {
        <section aria-labelledby="applications">
            <h2 id="applications">"Applications"</h2>
            {if pipeline.applications.is_empty() {
                view! { <p class="muted">"Not in any pipeline yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="applications">
                        {pipeline.applications.into_iter().map(|application| view! {
                            <li>
                                <a href=format!("/requisitions/{}/pipeline", application.requisition_id)>{application.requisition_title}</a>
                                " · "<strong>{application.stage}</strong>
                                " · "<a href=format!("/applications/{}", application.application_id)>"Application"</a>
                                " · "<a href=format!("/applications/{}#schedule", application.application_id)>"Schedule interview"</a>
                                {application.rejection_reason.map(|reason| format!(" ({reason})"))}
                                <History changes=application.history/>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {can_add.then(|| view! {
                <ServerForm action=AddToPipeline::url() submit_label="Add to pipeline" busy_label="Adding…" inline=true error=add_error.clone()>
                    <input type="hidden" name="candidate_id" value=candidate_id.to_string()/>
                    <SelectField name="requisition_id" label="Requisition" options=options/>
                </ServerForm>
            })}
        </section>
    }
}
