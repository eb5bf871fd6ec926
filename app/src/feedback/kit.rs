//! An interview's kit (its page is `pages::interview_kit`): the interview, the plan stage's questions and prep
//! notes, the focus attributes with their anchors, and the feedback form beside them
//! (drafts save as the interviewer types); once submitted, the feedback with its
//! history and an edit form, and the colleagues' feedback the independence rule allows.

use leptos::prelude::*;
use server_fn::ServerFn;

use super::{
    EditFeedback, FeedbackStatus, Kit, OwnFeedback, Panel, PanelFeedback, RatedAttribute,
    Recommendation, SaveFeedbackDraft, SubmitFeedback, NOT_ASSESSED,
};
use crate::scorecards::level_name;
use crate::ui::form::error_from_query;
use crate::ui::ServerForm;

/// Ratings as a definition list: attribute, level and the anchor of that level.
pub fn ratings_list(ratings: &[RatedAttribute]) -> impl IntoView {
    view! {
        <dl class="ratings">
            {ratings.iter().map(|r| {
                let anchor = r.level().and_then(|level| r.anchors.get(level as usize - 1).cloned());
                view! {
                    <dt>{r.name.clone()}</dt>
                    <dd>
                        <strong>{r.rating_text()}</strong>
                        {anchor.map(|text| view! { <span class="muted">{format!(" — {text}")}</span> })}
                    </dd>
                }
            }).collect_view()}
        </dl>
    }
}

fn texts(strengths: &str, concerns: &str, notes: &str) -> impl IntoView {
    let part = |label: &'static str, text: &str| {
        (!text.is_empty()).then(|| {
            view! {
                <h4>{label}</h4>
                <p class="details">{text.to_string()}</p>
            }
        })
    };
    view! {
        {part("Strengths", strengths)}
        {part("Concerns", concerns)}
        {part("Notes to the hiring team", notes)}
    }
}

/// One interviewer's submitted feedback.
pub fn feedback_card(feedback: &PanelFeedback) -> impl IntoView {
    let edited =
        (feedback.version > 1).then(|| format!(" · edited (version {})", feedback.version));
    view! {
        <article class="feedback-card">
            <h3>{format!("{} · {}", feedback.interviewer_name, feedback.interview_label)}</h3>
            <p>
                <span class=feedback.recommendation.class()>{feedback.recommendation.label()}</span>
                <span class="muted">{format!(" · submitted {}", feedback.submitted_at)}{edited}</span>
            </p>
            {ratings_list(&feedback.ratings)}
            {texts(&feedback.strengths, &feedback.concerns, &feedback.notes)}
        </article>
    }
}

/// The scorecard's fields: a radio group per attribute with its anchors, the texts and
/// the recommendation, filled with what was given so far. `key` keeps ids apart.
fn form_fields(
    key: &'static str,
    attributes: &[RatedAttribute],
    strengths: &str,
    concerns: &str,
    notes: &str,
    recommendation: Option<Recommendation>,
) -> impl IntoView {
    let groups = attributes
        .iter()
        .enumerate()
        .map(|(index, attribute)| {
            let name = format!("form[ratings][{index}]");
            let options = (1..=4)
                .map(|level| {
                    let anchor = attribute
                        .anchors
                        .get(level as usize - 1)
                        .cloned()
                        .unwrap_or_default();
                    (level.to_string(), level_name(level).to_string(), anchor, attribute.rating == Some(level))
                })
                .chain(std::iter::once((
                    "na".to_string(),
                    "Not assessed".to_string(),
                    "It did not come up in this interview.".to_string(),
                    attribute.rating == Some(NOT_ASSESSED),
                )))
                .map(|(value, label, anchor, checked)| {
                    let id = format!("{key}-{index}-{value}");
                    let label_for = id.clone();
                    let value = format!("{}:{value}", attribute.attribute_id);
                    view! {
                        <label class="rating-option" for=label_for>
                            <input type="radio" id=id name=name.clone() value=value checked=checked/>
                            <strong>{label}</strong>
                            <span class="muted">{format!(" — {anchor}")}</span>
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="rating">
                    <legend>{format!("{} ({})", attribute.name, attribute.category.label())}</legend>
                    {options}
                </fieldset>
            }
        })
        .collect_view();
    let area = |field: &'static str, label: &'static str, value: &str| {
        let id = format!("{key}-{field}");
        let label_for = id.clone();
        view! {
            <div class="field">
                <label for=label_for>{label}</label>
                <textarea id=id name=format!("form[{field}]") rows="4">{value.to_string()}</textarea>
            </div>
        }
    };
    let recommendations = Recommendation::ALL
        .into_iter()
        .map(|r| {
            let id = format!("{key}-recommendation-{}", r.as_str());
            let label_for = id.clone();
            view! {
                <label class="rating-option" for=label_for>
                    <input type="radio" id=id name="form[recommendation]" value=r.as_str() checked=recommendation == Some(r)/>
                    {r.label()}
                </label>
            }
        })
        .collect_view();
    view! {
        {if attributes.is_empty() {
            view! { <p class="muted">"This requisition's scorecard has no attributes yet; give your recommendation and notes."</p> }.into_any()
        } else {
            groups.into_any()
        }}
        {area("strengths", "Strengths", strengths)}
        {area("concerns", "Concerns", concerns)}
        {area("notes", "Notes to the hiring team", notes)}
        <fieldset class="rating">
            <legend>"Overall recommendation"</legend>
            {recommendations}
        </fieldset>
    }
}

fn own_submitted(kit: &Kit, own: &OwnFeedback) -> impl IntoView {
    let edit_fields = form_fields(
        "edit",
        &own.ratings,
        &own.strengths,
        &own.concerns,
        &own.notes,
        own.recommendation,
    );
    let interview_id = kit.interview_id.to_string();
    let history = own.history.clone();
    view! {
        <p>
            {own.recommendation.map(|r| view! { <span class=r.class()>{r.label()}</span> })}
            <span class="muted">{format!(" · submitted {}", own.saved_at)}{(own.version > 1).then(|| format!(" · version {}", own.version))}</span>
        </p>
        {ratings_list(&own.ratings)}
        {texts(&own.strengths, &own.concerns, &own.notes)}
        {kit.can_write.then(|| view! {
            <details>
                <summary>"Edit feedback"</summary>
                <p class="muted">"The version you replace is kept in the history below, and the change is recorded in the audit log."</p>
                <ServerForm action=EditFeedback::url() submit_label="Save the new version" busy_label="Saving…">
                    <input type="hidden" name="form[interview_id]" value=interview_id/>
                    {edit_fields}
                </ServerForm>
            </details>
        })}
        {(!history.is_empty()).then(|| view! {
            <h3>"Earlier versions"</h3>
            {history.into_iter().map(|v| view! {
                <details class="feedback-version">
                    <summary>{format!("Version {} · {} · submitted {}", v.version, v.recommendation.label(), v.submitted_at)}</summary>
                    {ratings_list(&v.ratings)}
                    {texts(&v.strengths, &v.concerns, &v.notes)}
                </details>
            }).collect_view()}
        })}
    }
}

/// The kit below the interview's facts: plan, feedback form or feedback, colleagues'.
#[component]
pub fn KitView(kit: Kit) -> impl IntoView {
    let error = [
        SubmitFeedback::PATH,
        SaveFeedbackDraft::PATH,
        EditFeedback::PATH,
    ]
    .into_iter()
    .find_map(error_from_query);
    let plan = kit.stage_name.clone().map(|stage| {
        view! {
            <section aria-labelledby="plan-stage">
                <h2 id="plan-stage">{format!("Interview plan: {stage}")}</h2>
                {(!kit.prep_notes.is_empty()).then(|| view! { <h3>"Prep notes"</h3><p class="details">{kit.prep_notes.clone()}</p> })}
                <h3>"Questions to ask"</h3>
                {if kit.questions.is_empty() && kit.bank_questions.is_empty() {
                    view! { <p class="muted">"The plan names no questions for this stage."</p> }.into_any()
                } else {
                    view! {
                        <ol class="kit-questions">
                            {kit.questions.iter().map(|q| view! { <li>{q.clone()}</li> }).collect_view()}
                            {kit.bank_questions.iter().map(|(headline, html)| view! {
                                <li><details><summary>{headline.clone()}</summary><div class="markdown" inner_html=html.clone()></div></details></li>
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </section>
        }
    });
    let own = kit.own.clone();
    let submitted = own
        .as_ref()
        .is_some_and(|own| own.status == FeedbackStatus::Submitted);
    let feedback_section = if kit.is_author {
        let body = match (&own, submitted) {
            (Some(own), true) => own_submitted(&kit, own).into_any(),
            _ if !kit.can_write => view! { <p class="muted">"This interview takes no feedback: it was cancelled or the candidate did not come."</p> }.into_any(),
            _ => {
                let draft = own.clone();
                let fields = form_fields(
                    "feedback",
                    &kit.attributes,
                    draft.as_ref().map(|d| d.strengths.as_str()).unwrap_or(""),
                    draft.as_ref().map(|d| d.concerns.as_str()).unwrap_or(""),
                    draft.as_ref().map(|d| d.notes.as_str()).unwrap_or(""),
                    draft.as_ref().and_then(|d| d.recommendation),
                );
                let saved = draft.map(|d| format!("Draft last saved {}.", d.saved_at));
                let not_yet = (!kit.has_started).then(|| view! {
                    <p class="muted">"The interview has not started yet: prepare your notes here, and submit once it has."</p>
                });
                view! {
                    <p class="muted">"Rate each focus attribute from 1 to 4 (the words beside each level say what it looks like), or mark it not assessed. Your draft saves as you type; submitting locks it and tells the hiring team."</p>
                    {saved.map(|text| view! { <p class="muted">{text}</p> })}
                    {not_yet}
                    <ServerForm action=SubmitFeedback::url() autosave=SaveFeedbackDraft::url() submit_label="Submit feedback" busy_label="Submitting…" error=error.clone()>
                        <input type="hidden" name="form[interview_id]" value=kit.interview_id.to_string()/>
                        {fields}
                        <button type="submit" class="secondary" formaction=SaveFeedbackDraft::url()>"Save draft"</button>
                    </ServerForm>
                }
                .into_any()
            }
        };
        view! {
            <section aria-labelledby="my-feedback">
                <h2 id="my-feedback">"Your feedback"</h2>
                {submitted.then(|| error.clone()).flatten().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
                {body}
            </section>
        }
        .into_any()
    } else {
        view! {
            <section aria-labelledby="focus">
                <h2 id="focus">"What this interview rates"</h2>
                {if kit.attributes.is_empty() {
                    view! { <p class="muted">"The scorecard has no attributes yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="attributes">
                            {kit.attributes.iter().map(|a| view! {
                                <li><strong>{a.name.clone()}</strong>
                                    <ol class="anchors">{a.anchors.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}</ol>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        }
        .into_any()
    };
    let panel_heading = if kit.is_author {
        "Colleagues' feedback"
    } else {
        "Submitted feedback on this candidate"
    };
    let panel = match kit.panel {
        Panel::Hidden => view! {
            <p class="muted">"Your colleagues' feedback on this candidate appears here once you have given feedback for each of your interviews of them, so that each interviewer's view is their own."</p>
        }
        .into_any(),
        Panel::Shown(list) if list.is_empty() => {
            view! { <p class="muted">"No other feedback has been submitted yet."</p> }.into_any()
        }
        Panel::Shown(list) => list.iter().map(feedback_card).collect_view().into_any(),
    };
    view! {
        {plan}
        {feedback_section}
        <section aria-labelledby="panel">
            <h2 id="panel">{panel_heading}</h2>
            {panel}
            {kit.can_debrief.then(|| view! {
                <p><a href=super::debrief_url(kit.application_id)>"Open the debrief"</a></p>
            })}
        </section>
    }
}
