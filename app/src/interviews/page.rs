//! Interview pages and lists: an application's interviews with the scheduling form, the
//! interview's own page (what an interviewer needs), and the short lists on the dashboard
//! and the candidate's profile.

use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;
use uuid::Uuid;

use super::{
    ApplicationInterviews, CancelInterview, InterviewDetail, InterviewKind, InterviewStatus,
    InterviewSummary, MarkInterview, RescheduleInterview, ScheduleInterview, MAX_DURATION_MINUTES,
    MIN_DURATION_MINUTES,
};
use crate::ui::form::error_from_query;
use crate::ui::{with_blank, SelectField, ServerForm};

fn status_badge(status: InterviewStatus) -> impl IntoView {
    let class = match status {
        InterviewStatus::Scheduled => "status status-open",
        InterviewStatus::Completed => "status status-done",
        InterviewStatus::Cancelled | InterviewStatus::NoShow => "status status-cancelled",
    };
    view! { <span class=class>{status.label()}</span> }
}

/// The buttons that record how an interview went, once it has started.
fn mark_buttons(interview: &InterviewSummary) -> impl IntoView {
    let can_mark = interview.status == InterviewStatus::Scheduled && interview.has_started;
    let id = interview.id.to_string();
    can_mark.then(|| {
        [InterviewStatus::Completed, InterviewStatus::NoShow]
            .into_iter()
            .map(|status| {
                let id = id.clone();
                view! {
                    <ServerForm action=MarkInterview::url() submit_label=format!("Mark {}", status.label().to_lowercase()) busy_label="Saving…" inline=true>
                        <input type="hidden" name="interview_id" value=id/>
                        <input type="hidden" name="status" value=status.as_str()/>
                    </ServerForm>
                }
            })
            .collect_view()
    })
}

/// A short list of interviews linking to their pages.
#[component]
pub fn InterviewList(
    interviews: Vec<InterviewSummary>,
    #[prop(into)] empty_text: String,
    /// Show the candidate and requisition (lists that span applications).
    #[prop(optional)]
    with_candidate: bool,
) -> impl IntoView {
    if interviews.is_empty() {
        return view! { <p class="muted">{empty_text}</p> }.into_any();
    }
    view! {
        <ul class="interviews">
            {interviews.into_iter().map(|i| view! {
                <li>
                    <a href=format!("/interviews/{}", i.id)>{i.when.clone()}</a>
                    " · "{i.kind.label()}
                    {with_candidate.then(|| format!(" · {} ({})", i.candidate_name, i.requisition_title))}
                    " · "{format!("with {}", i.interviewer_name)}" "
                    {status_badge(i.status)}
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The interviews of an application, their actions, and the form to schedule another.
#[component]
pub fn ApplicationInterviewsSection(
    application_id: Uuid,
    data: ApplicationInterviews,
) -> impl IntoView {
    let schedule_error = error_from_query(ScheduleInterview::PATH);
    let change_error = error_from_query(RescheduleInterview::PATH)
        .or_else(|| error_from_query(CancelInterview::PATH))
        .or_else(|| error_from_query(MarkInterview::PATH));
    let zone = data.time_zone.clone();
    let interviewers = with_blank(
        "Choose…",
        data.interviewers
            .iter()
            .map(|interviewer| (interviewer.id.to_string(), interviewer.label())),
    );
    let plan_stages = with_blank(
        "No stage (the whole scorecard)",
        data.plan_stages
            .iter()
            .map(|(id, name)| (id.to_string(), name.clone())),
    );
    let kinds: Vec<(String, String)> = InterviewKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), k.label().to_string()))
        .collect();
    view! {
        <section aria-labelledby="interviews">
            <h2 id="interviews">"Interviews"</h2>
            {change_error.map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            {if data.interviews.is_empty() {
                view! { <p class="muted">"No interviews yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="interviews">
                        {data.interviews.into_iter().map(|i| {
                            let id = i.id.to_string();
                            let cancel_id = id.clone();
                            let field_id = format!("reschedule-{id}");
                            let field_for = field_id.clone();
                            let duration_id = format!("duration-{id}");
                            let duration_for = duration_id.clone();
                            let anyway_id = format!("anyway-{id}");
                            let anyway_for = anyway_id.clone();
                            let starts_local = i.starts_local.clone();
                            let duration = i.duration_minutes.to_string();
                            // Cancel and reschedule only for whom the server allows them:
                            // a hiring manager changes only the interviews they booked.
                            let changeable = i.can_change && i.status == InterviewStatus::Scheduled;
                            let can_mark = i.status == InterviewStatus::Scheduled && i.has_started;
                            let marks = mark_buttons(&i);
                            let zone = zone.clone();
                            view! {
                                <li class="interview">
                                    <strong><a href=format!("/interviews/{id}")>{i.when.clone()}</a></strong>
                                    " · "{i.kind.label()}{i.stage_name.clone().map(|stage| format!(" ({stage})"))}" · "{format!("with {}", i.interviewer_name)}" "
                                    {status_badge(i.status)}
                                    {i.invite_candidate.then(|| view! { <span class="muted">" · candidate invited"</span> })}
                                    {(!i.location.is_empty()).then(|| view! { <div>"Where: "{i.location.clone()}</div> })}
                                    {(!i.video_url.is_empty()).then(|| view! { <div>"Video: "<a href=i.video_url.clone() rel="noopener noreferrer">{i.video_url.clone()}</a></div> })}
                                    {(can_mark || changeable).then(move || view! {
                                        <div class="actions">
                                            {marks}
                                            {changeable.then(move || view! {
                                                <ServerForm action=CancelInterview::url() submit_label="Cancel interview" busy_label="Cancelling…" danger=true inline=true>
                                                    <input type="hidden" name="interview_id" value=cancel_id/>
                                                </ServerForm>
                                            })}
                                        </div>
                                    })}
                                    {changeable.then(move || view! {
                                        <details>
                                            <summary>"Reschedule"</summary>
                                            <ServerForm action=RescheduleInterview::url() submit_label="Move interview" busy_label="Moving…">
                                                <input type="hidden" name="form[interview_id]" value=id/>
                                                <div class="form-row">
                                                    <div class="field">
                                                        <label for=field_for>{format!("New start ({zone})")}</label>
                                                        <input id=field_id type="datetime-local" name="form[starts_at]" required=true value=starts_local/>
                                                    </div>
                                                    <div class="field">
                                                        <label for=duration_for>"Duration (minutes)"</label>
                                                        <input id=duration_id type="number" name="form[duration_minutes]" required=true min=MIN_DURATION_MINUTES max=MAX_DURATION_MINUTES value=duration/>
                                                    </div>
                                                </div>
                                                <label class="checkbox" for=anyway_for>
                                                    <input type="checkbox" id=anyway_id name="form[anyway]" value="on"/>
                                                    "Schedule anyway if the interviewer is busy then"
                                                </label>
                                            </ServerForm>
                                        </details>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h3 id="schedule" tabindex="-1">"Schedule an interview"</h3>
            <p class="muted">"One interviewer per interview; for a panel, schedule one for each interviewer at the same time."</p>
            <div class="form-wide">
                <ServerForm action=ScheduleInterview::url() submit_label="Schedule interview" busy_label="Scheduling…" error=schedule_error>
                    <input type="hidden" name="form[application_id]" value=application_id.to_string()/>
                    <div class="form-row">
                        <SelectField name="form[interviewer_id]" label="Interviewer" options=interviewers/>
                        <SelectField name="form[kind]" label="Type" options=kinds/>
                        <SelectField name="form[plan_stage_id]" label="Interview plan stage" options=plan_stages/>
                    </div>
                    <div class="form-row">
                        <div class="field">
                            <label for="form-starts_at">{format!("Start ({})", data.time_zone)}</label>
                            <input id="form-starts_at" type="datetime-local" name="form[starts_at]" required=true/>
                        </div>
                        <div class="field">
                            <label for="form-duration_minutes">"Duration (minutes)"</label>
                            <input id="form-duration_minutes" type="number" name="form[duration_minutes]" required=true min=MIN_DURATION_MINUTES max=MAX_DURATION_MINUTES value="60"/>
                        </div>
                    </div>
                    <div class="form-row">
                        <div class="field">
                            <label for="form-location">"Location"</label>
                            <input id="form-location" type="text" name="form[location]"/>
                        </div>
                        <div class="field">
                            <label for="form-video_url">"Video link"</label>
                            <input id="form-video_url" type="url" name="form[video_url]" placeholder="https://"/>
                        </div>
                    </div>
                    <div class="field">
                        <label for="form-instructions">"Instructions for the interviewer"</label>
                        <textarea id="form-instructions" name="form[instructions]" rows="3"></textarea>
                    </div>
                    <label class="checkbox" for="form-invite_candidate">
                        <input type="checkbox" id="form-invite_candidate" name="form[invite_candidate]" value="on"/>
                        "Also send the invitation to the candidate"
                    </label>
                    <label class="checkbox" for="form-anyway">
                        <input type="checkbox" id="form-anyway" name="form[anyway]" value="on"/>
                        "Schedule anyway if the interviewer is busy then"
                    </label>
                </ServerForm>
            </div>
        </section>
    }
}

/// The interview's facts, instructions, candidate and job: the top of its kit page.
#[component]
pub fn InterviewView(detail: InterviewDetail) -> impl IntoView {
    let mark_error = error_from_query(MarkInterview::PATH);
    let i = detail.interview;
    let heading = format!("{} interview: {}", i.kind.label(), i.candidate_name);
    let marks = mark_buttons(&i);
    view! {
        <Title text=heading.clone()/>
        <h1>{heading}</h1>
        {mark_error.map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
        <dl class="facts">
            <dt>"When"</dt><dd>{i.when.clone()}" ("{i.duration_minutes}" minutes)"</dd>
            <dt>"Status"</dt><dd>{status_badge(i.status)}</dd>
            <dt>"Interviewer"</dt><dd>{i.interviewer_name.clone()}</dd>
            <dt>"Position"</dt><dd>{i.requisition_title.clone()}</dd>
            <dt>"Where"</dt><dd>{if i.location.is_empty() { "—".to_string() } else { i.location.clone() }}</dd>
            <dt>"Video link"</dt>
            <dd>{if i.video_url.is_empty() {
                view! { "—" }.into_any()
            } else {
                view! { <a href=i.video_url.clone() rel="noopener noreferrer">{i.video_url.clone()}</a> }.into_any()
            }}</dd>
        </dl>
        <p class="muted">{format!("Times are shown in {}; change it on your account page.", detail.time_zone)}</p>
        <div class="actions">
            {marks}
            {detail.can_manage.then(|| view! { <a href=format!("/applications/{}", i.application_id)>"Application and scheduling"</a> })}
        </div>
        <section aria-labelledby="instructions">
            <h2 id="instructions">"Instructions"</h2>
            {if i.instructions.is_empty() {
                view! { <p class="muted">"None."</p> }.into_any()
            } else {
                view! { <p class="details">{i.instructions.clone()}</p> }.into_any()
            }}
        </section>
        <section aria-labelledby="candidate">
            <h2 id="candidate">"Candidate"</h2>
            <p><strong>{i.candidate_name.clone()}</strong></p>
            {(!detail.candidate_headline.is_empty()).then(|| view! { <p class="lead">{detail.candidate_headline.clone()}</p> })}
            {if detail.candidate_skills.is_empty() {
                view! { <p class="muted">"No skills recorded."</p> }.into_any()
            } else {
                view! { <ul class="chips">{detail.candidate_skills.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul> }.into_any()
            }}
        </section>
        <section aria-labelledby="job">
            <h2 id="job">"The job"</h2>
            <div class="markdown" inner_html=detail.requisition_description_html></div>
        </section>
    }
}
