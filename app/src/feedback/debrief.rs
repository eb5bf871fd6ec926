//! The debrief of an application: attributes × interviewers with each level, each
//! interviewer's recommendation, where they disagree, missing feedback with a nudge, the
//! feedback in full, and the decision (hire, or reject with a reason).

use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use super::kit::feedback_card;
use super::{load_debrief, Debrief, Decide, NudgeInterviewer, NOT_ASSESSED};
use crate::ui::form::error_from_query;
use crate::ui::{id_param, loaded, with_blank, SelectField, ServerForm, StaffPage};

#[component]
pub fn DebriefPage() -> impl IntoView {
    let id = id_param();
    let fetch = move || async move { load_debrief(id?).await };
    view! {
        <StaffPage title="" roles=crate::access::REQUISITION_ROLES>
            {loaded(fetch, |debrief| view! { <DebriefView debrief/> })}
        </StaffPage>
    }
}

fn cell(level: Option<i16>) -> impl IntoView {
    match level {
        None => view! { <td class="muted">"—"</td> }.into_any(),
        Some(NOT_ASSESSED) => view! { <td class="muted">"n/a"</td> }.into_any(),
        Some(level) => view! { <td class=format!("level level-{level}")>{level}</td> }.into_any(),
    }
}

#[component]
fn DebriefView(debrief: Debrief) -> impl IntoView {
    let error = [Decide::PATH, NudgeInterviewer::PATH]
        .into_iter()
        .find_map(error_from_query);
    let d = debrief;
    let heading = format!("Debrief: {} · {}", d.candidate_name, d.requisition_title);
    let submitted = d
        .columns
        .iter()
        .filter(|c| c.recommendation.is_some())
        .count();
    let total = d.columns.len();
    let missing: Vec<_> = d
        .columns
        .iter()
        .filter(|c| c.recommendation.is_none())
        .cloned()
        .collect();
    let disagreements: Vec<String> = d
        .rows
        .iter()
        .filter(|r| r.disagree)
        .map(|r| r.name.clone())
        .collect();
    let hire_options = with_blank(
        "Choose a stage…",
        d.hire_stages
            .iter()
            .map(|(id, name)| (id.to_string(), name.clone())),
    );
    let reason_options = with_blank(
        "Choose a reason…",
        d.reasons
            .iter()
            .map(|(id, label)| (id.to_string(), label.clone())),
    );
    let application_id = d.application_id;
    view! {
        <Title text=heading.clone()/>
        <h1>{heading}</h1>
        <p>
            "Stage: "<strong>{d.stage.clone()}</strong>" · "
            <a href=format!("/applications/{}", d.application_id)>"Application"</a>" · "
            <a href=format!("/requisitions/{}/pipeline", d.requisition_id)>"Pipeline board"</a>
        </p>
        {error.map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
        <p>{format!("Feedback submitted: {submitted} of {total}.")}</p>
        {if total == 0 {
            view! { <p class="muted">"No interviews yet: schedule them on the application page."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0">
                    <table class="debrief">
                        <caption class="visually-hidden">"Levels each interviewer gave, by attribute (1 to 4; n/a: not assessed; —: none yet)"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Attribute"</th>
                                {d.columns.iter().map(|c| view! {
                                    <th scope="col">{c.interviewer_name.clone()}<br/><span class="muted">{c.interview_label.clone()}</span></th>
                                }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {d.rows.iter().map(|row| view! {
                                <tr class:disagree=row.disagree>
                                    <th scope="row">{row.name.clone()}{row.disagree.then(|| view! { <span class="badge-warn">" disagree"</span> })}</th>
                                    {row.cells.iter().map(|level| cell(*level)).collect_view()}
                                </tr>
                            }).collect_view()}
                            <tr>
                                <th scope="row">"Recommendation"</th>
                                {d.columns.iter().map(|c| match c.recommendation {
                                    Some(r) => view! { <td><span class=r.class()>{r.label()}</span></td> }.into_any(),
                                    None => view! { <td class="muted">{if c.overdue { "overdue" } else { "not yet" }}</td> }.into_any(),
                                }).collect_view()}
                            </tr>
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {(d.split || !disagreements.is_empty()).then(|| view! {
            <h2>"Where the panel disagrees"</h2>
            <ul>
                {d.split.then(|| view! { <li>"Some interviewers say yes and some say no."</li> })}
                {disagreements.iter().map(|name| view! { <li>{format!("{name}: levels two or more apart.")}</li> }).collect_view()}
            </ul>
        })}
        {(!missing.is_empty()).then(|| view! {
            <h2>"Missing feedback"</h2>
            <ul class="missing-feedback">
                {missing.into_iter().map(|c| view! {
                    <li>
                        {format!("{} · {} · {}", c.interviewer_name, c.interview_label, c.when)}
                        {c.overdue.then(|| view! { <span class="badge-warn">" overdue"</span> })}
                        <ServerForm action=NudgeInterviewer::url() submit_label=format!("Remind {}", c.interviewer_name) busy_label="Sending…" inline=true>
                            <input type="hidden" name="interview_id" value=c.interview_id.to_string()/>
                        </ServerForm>
                    </li>
                }).collect_view()}
            </ul>
        })}
        <h2>"The decision"</h2>
        {if d.decided {
            view! { <p class="muted">{format!("This application has reached its outcome ({}); move it on the board to reopen it.", d.stage)}</p> }.into_any()
        } else {
            view! {
                <div class="form-row">
                    <ServerForm action=Decide::url() submit_label="Hire" busy_label="Recording…">
                        <input type="hidden" name="form[application_id]" value=application_id.to_string()/>
                        <input type="hidden" name="form[decision]" value="hire"/>
                        <SelectField name="form[stage_id]" label="Move to" options=hire_options id="decision-stage".to_string()/>
                    </ServerForm>
                    <ServerForm action=Decide::url() submit_label="Reject" busy_label="Recording…" danger=true>
                        <input type="hidden" name="form[application_id]" value=application_id.to_string()/>
                        <input type="hidden" name="form[decision]" value="reject"/>
                        <SelectField name="form[reason_id]" label="Reason" options=reason_options id="decision-reason".to_string()/>
                    </ServerForm>
                </div>
            }.into_any()
        }}
        <h2>"Feedback in full"</h2>
        {if d.feedback.is_empty() {
            view! { <p class="muted">"None submitted yet."</p> }.into_any()
        } else {
            d.feedback.iter().map(feedback_card).collect_view().into_any()
        }}
    }
}
