//! One test session's result, `/assessments/sessions/:id`: the totals at the top, then every
//! question in the order the candidate saw it with their answer beside the correct one,
//! the time spent, and for text and code answers the grading form; a link (with an
//! access key) to the next answer waiting for a grade, here or in the next session.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};
use server_fn::ServerFn;
use uuid::Uuid;

use super::{duration_in_words, load_session, GradeAnswer, SessionOutcome};
use crate::access::ASSESSMENT_RESULT_ROLES;
use crate::questions::model::{QuestionBody, Response};
use crate::results::SessionStatus;
use crate::ui::form::error_from_query;
use crate::ui::{id_param, loaded, ServerForm, StaffPage};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub question_id: Uuid,
    pub position: i32,
    pub prompt_html: String,
    pub points: i32,
    pub body: QuestionBody,
    /// The candidate's options in the order they saw them (ids), when shuffled.
    pub option_order: Vec<u32>,
    pub response: Option<Response>,
    pub score: Option<f64>,
    pub time_spent_ms: i64,
    pub explanation_html: String,
    pub guidance_html: String,
    pub grader_comment: String,
    pub graded_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionDetail {
    pub id: Uuid,
    pub assessment_id: Uuid,
    pub assessment_title: String,
    pub requisition_id: Uuid,
    pub candidate_id: Uuid,
    pub candidate_name: String,
    pub outcome: SessionOutcome,
    pub pass_mark_percent: i32,
    pub ungraded_count: i32,
    pub questions: Vec<QuestionResult>,
    /// What proctoring recorded during the session.
    pub proctoring: crate::proctoring::SessionRecord,
    /// Where the grader goes next; `None` when nothing waits for them.
    pub next_to_grade: Option<NextToGrade>,
}

impl QuestionResult {
    /// A person scores this answer: a text or code answer the candidate actually gave.
    pub fn graded_by_a_person(&self) -> bool {
        !self.body.kind().is_auto_graded()
            && self.response.as_ref().is_some_and(Response::is_answered)
    }
}

/// The next answer waiting for a grade: the first in this session, or else the first of
/// the finished session that has waited longest (that the grader may open).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextToGrade {
    pub session_id: Uuid,
    /// The question's stored position (its heading's anchor, `q-<position>`).
    pub position: i32,
    /// Its number as the candidate saw it, from 1.
    pub number: i64,
    /// The other session's candidate and assessment; `None` in this session.
    pub elsewhere: Option<(String, String)>,
}

impl NextToGrade {
    /// The first answer of a session (its questions in the candidate's order) waiting for
    /// a grade; none until the session is finished.
    pub fn in_session(
        session_id: Uuid,
        questions: &[QuestionResult],
        finished: bool,
    ) -> Option<Self> {
        if !finished {
            return None;
        }
        let (index, question) = questions
            .iter()
            .enumerate()
            .find(|(_, q)| q.graded_by_a_person() && q.score.is_none())?;
        Some(Self {
            session_id,
            position: question.position,
            number: index as i64 + 1,
            elsewhere: None,
        })
    }

    /// The link to it from the page of session `from`.
    pub fn href(&self, from: Uuid) -> String {
        if self.session_id == from {
            format!("#q-{}", self.position)
        } else {
            format!(
                "/assessments/sessions/{}#q-{}",
                self.session_id, self.position
            )
        }
    }

    pub fn label(&self) -> String {
        match &self.elsewhere {
            None => format!("Next answer to grade: question {}", self.number),
            Some((candidate, assessment)) => format!(
                "Next answer to grade: {candidate} · {assessment}, question {}",
                self.number
            ),
        }
    }
}

/// The next-answer link's access key, and how each browser is told to press it.
const NEXT_KEY: &str = "n";
const NEXT_KEY_HINT: &str = "Shortcut: Alt+N (Alt+Shift+N in Firefox, Control+Option+N on a Mac).";

#[component]
pub fn SessionPage() -> impl IntoView {
    let id = id_param();
    let error = error_from_query(GradeAnswer::PATH);
    let fetch = move || async move { load_session(id?).await };
    let render = move |detail| view! { <SessionView detail error=error.clone()/> };
    view! {
        <StaffPage title="" roles=ASSESSMENT_RESULT_ROLES>
            {loaded(fetch, render.clone())}
        </StaffPage>
    }
}

fn points(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The candidate's answer as text, for kinds without options.
fn answer_text(response: &Option<Response>) -> String {
    match response {
        None => "No answer".to_string(),
        Some(Response::Boolean(value)) => if *value { "True" } else { "False" }.to_string(),
        Some(Response::Text(text) | Response::Number(text)) if !text.trim().is_empty() => {
            text.clone()
        }
        Some(_) => "No answer".to_string(),
    }
}

fn correct_text(body: &QuestionBody) -> Option<String> {
    match body {
        QuestionBody::TrueFalse { correct } => {
            Some(if *correct { "True" } else { "False" }.to_string())
        }
        QuestionBody::Numeric { answer, tolerance } if *tolerance > 0.0 => {
            Some(format!("{answer} (± {tolerance})"))
        }
        QuestionBody::Numeric { answer, .. } => Some(answer.to_string()),
        QuestionBody::ShortText { model_answer } | QuestionBody::LongText { model_answer }
            if !model_answer.is_empty() =>
        {
            Some(model_answer.clone())
        }
        _ => None,
    }
}

#[component]
fn SessionView(detail: SessionDetail, error: Option<String>) -> impl IntoView {
    let heading = format!("{} · {}", detail.candidate_name, detail.assessment_title);
    let outcome = detail.outcome;
    let score = match outcome.score {
        Some(score) => format!(
            "{} of {} {}",
            points(score),
            points(outcome.max_score),
            if outcome.max_score == 1.0 {
                "point"
            } else {
                "points"
            }
        ),
        None => "Not scored yet".to_string(),
    };
    let verdict = outcome.verdict;
    let pending = (detail.ungraded_count > 0).then(|| {
        format!(
            " · {} answer{} to grade",
            detail.ungraded_count,
            if detail.ungraded_count == 1 { "" } else { "s" }
        )
    });
    let session_id = detail.id;
    let finished = outcome.status != SessionStatus::InProgress;
    let took = outcome
        .time_taken_ms
        .is_some()
        .then(|| format!(" · took {}", outcome.time_taken()));
    let questions = detail
        .questions
        .into_iter()
        .enumerate()
        .map(|(index, q)| {
            // Numbered as the candidate saw them: 1 to n in their order (the stored
            // positions may skip the questions a draw left out).
            let number = index + 1;
            let chosen: Vec<u32> = match &q.response {
                Some(Response::Choices(ids)) => ids.clone(),
                _ => Vec::new(),
            };
            let mut options = q.body.options().to_vec();
            if !q.option_order.is_empty() {
                options.sort_by_key(|o| q.option_order.iter().position(|id| *id == o.id));
            }
            let kind = q.body.kind();
            let manual = !kind.is_auto_graded();
            let graded_by_a_person = q.graded_by_a_person();
            let unit = if q.points == 1 { "point" } else { "points" };
            let awarded = match q.score {
                Some(score) => format!("{} / {} {unit}", points(score), q.points),
                None if graded_by_a_person => format!("To grade · {} {unit}", q.points),
                None => format!("0 / {} {unit}", q.points),
            };
            let heading_id = format!("q-{}", q.position);
            let labelled_by = heading_id.clone();
            let options_view = (!options.is_empty()).then(|| {
                view! {
                    <ul class="options">
                        {options.into_iter().map(|o| {
                            let was_chosen = chosen.contains(&o.id);
                            view! {
                                <li class:chosen=was_chosen class:correct=o.correct>
                                    {o.text.clone()}
                                    {was_chosen.then(|| view! { <strong>" · chosen"</strong> })}
                                    {o.correct.then(|| view! { <span class="muted">" · correct"</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
            });
            let text_answer = q.body.options().is_empty().then(|| {
                let text = answer_text(&q.response);
                let correct = correct_text(&q.body);
                // Code in monospace, labelled with its language; prose in the body font.
                // Both wrap, so a long line never widens the page.
                let language = match &q.body {
                    crate::questions::model::QuestionBody::Code { language, .. } => Some(language.clone()),
                    _ => None,
                };
                let shown = move |text: String| match &language {
                    Some(language) => view! {
                        <pre class="answer code" data-language=language.clone()><code>{text}</code></pre>
                        <p class="muted answer-language">{language.clone()}</p>
                    }.into_any(),
                    None => view! { <div class="answer">{text}</div> }.into_any(),
                };
                view! {
                    <div class="answer-pair">
                        <div><h3>"Answer"</h3>{shown(text)}</div>
                        {correct.map(|c| view! { <div><h3>{if manual { "Model answer" } else { "Correct answer" }}</h3>{shown(c)}</div> })}
                    </div>
                }
            });
            let grade_form = (graded_by_a_person && finished).then(|| {
                let current = q.score.map(points).unwrap_or_default();
                let score_id = format!("score-{}", q.question_id);
                let comment_id = format!("comment-{}", q.question_id);
                let (score_for, comment_for) = (score_id.clone(), comment_id.clone());
                let max = q.points.to_string();
                view! {
                    {(!q.guidance_html.is_empty()).then(|| view! {
                        <div class="guidance"><h4>"Grading guidance"</h4><div inner_html=q.guidance_html.clone()></div></div>
                    })}
                    <ServerForm action=GradeAnswer::url() submit_label="Save grade" busy_label="Saving…">
                        <input type="hidden" name="form[session_id]" value=session_id.to_string()/>
                        <input type="hidden" name="form[question_id]" value=q.question_id.to_string()/>
                        <div class="form-row">
                            <div class="field">
                                <label for=score_for>{format!("Score (0 to {max}, steps of 0.5)")}</label>
                                <input id=score_id name="form[score]" type="number" min="0" max=max step="0.5" value=current required=true/>
                            </div>
                            <div class="field">
                                <label for=comment_for>"Comment"</label>
                                <textarea id=comment_id name="form[comment]" rows="2">{q.grader_comment.clone()}</textarea>
                            </div>
                        </div>
                    </ServerForm>
                    {q.graded_by.clone().map(|by| view! { <p class="muted">{format!("Graded by {by}")}</p> })}
                }
            });
            view! {
                <section class="question-result" aria-labelledby=labelled_by>
                    // Focusable by script and by the next-answer link's fragment, which
                    // brings the grader (and a screen reader's reading) here.
                    <h2 id=heading_id tabindex="-1">{format!("Question {number} · {}", kind.label())}</h2>
                    <p class="muted">{awarded}" · "{format!("time spent {}", duration_in_words(q.time_spent_ms))}</p>
                    <div class="prompt" inner_html=q.prompt_html.clone()></div>
                    {options_view}
                    {text_answer}
                    {(!q.explanation_html.is_empty()).then(|| view! {
                        <details><summary>"Explanation"</summary><div inner_html=q.explanation_html.clone()></div></details>
                    })}
                    {grade_form}
                </section>
            }
        })
        .collect_view();
    view! {
        <Title text=heading.clone()/>
        <div class="page-head">
            <h1>{heading}</h1>
            <a class="button secondary" href=format!("/assessments/{}/results", detail.assessment_id)>"All results"</a>
        </div>
        <p class="totals">
            <strong>{score}</strong>
            " · "{format!("{}%", outcome.percent)}
            " · pass mark "{format!("{}%", detail.pass_mark_percent)}" "
            <span class=verdict.class()>{verdict.label()}</span>
            {pending}
        </p>
        <p class="muted">
            {format!("Attempt {} · {} · started {}", outcome.attempt, outcome.status.label(), outcome.started)}
            {took}
        </p>
        {match detail.next_to_grade {
            Some(next) => view! {
                <p class="next-to-grade">
                    <a class="button secondary" href=next.href(session_id) accesskey=NEXT_KEY
                        aria-describedby="next-to-grade-key">{next.label()}</a>
                    " "<span id="next-to-grade-key" class="muted">{NEXT_KEY_HINT}</span>
                </p>
            }.into_any(),
            None => view! { <p class="muted">"No answers are waiting for you to grade."</p> }.into_any(),
        }}
        {error.map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
        <crate::proctoring::view::RecordView record=detail.proctoring review=detail.id/>
        {questions}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(position: i32, body: QuestionBody, response: Option<Response>) -> QuestionResult {
        QuestionResult {
            question_id: Uuid::new_v4(),
            position,
            prompt_html: String::new(),
            points: 2,
            body,
            option_order: Vec::new(),
            response,
            score: None,
            time_spent_ms: 0,
            explanation_html: String::new(),
            guidance_html: String::new(),
            grader_comment: String::new(),
            graded_by: None,
        }
    }

    fn essay(position: i32, text: &str) -> QuestionResult {
        question(
            position,
            QuestionBody::LongText {
                model_answer: String::new(),
            },
            Some(Response::Text(text.into())),
        )
    }

    #[test]
    fn the_next_answer_is_the_first_text_answer_without_a_grade_numbered_as_seen() {
        let session = Uuid::new_v4();
        let mut graded = essay(2, "Graded already");
        graded.score = Some(1.0);
        // Positions skip what a draw left out; the number is the candidate's.
        let questions = vec![
            question(
                0,
                QuestionBody::TrueFalse { correct: true },
                Some(Response::Boolean(true)),
            ),
            graded,
            essay(5, "   "),
            essay(7, "To grade"),
            essay(9, "Also to grade"),
        ];
        let next = NextToGrade::in_session(session, &questions, true).unwrap();
        assert_eq!((next.position, next.number), (7, 4));
        assert_eq!(next.href(session), "#q-7");
        assert_eq!(next.label(), "Next answer to grade: question 4");
        assert_eq!(
            NextToGrade::in_session(session, &questions, false),
            None,
            "still being taken"
        );
        assert_eq!(
            NextToGrade::in_session(session, &questions[..3], true),
            None
        );
    }

    #[test]
    fn an_answer_of_another_session_is_linked_with_its_candidate() {
        let next = NextToGrade {
            session_id: Uuid::nil(),
            position: 3,
            number: 2,
            elsewhere: Some(("Ada Lovelace".into(), "Aptitude".into())),
        };
        assert_eq!(
            next.href(Uuid::new_v4()),
            "/assessments/sessions/00000000-0000-0000-0000-000000000000#q-3"
        );
        assert_eq!(
            next.label(),
            "Next answer to grade: Ada Lovelace · Aptitude, question 2"
        );
    }
}
