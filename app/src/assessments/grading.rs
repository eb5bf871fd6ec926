//! One test session's result, `/assessments/sessions/:id`: the totals at the top, then every
//! question in the order the candidate saw it with their answer beside the correct one,
//! the time spent, and for text and code answers the grading form.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};
use server_fn::ServerFn;
use uuid::Uuid;

use super::{duration_in_words, load_session, GradeAnswer};
use crate::questions::model::{QuestionBody, Response};
use crate::results::SessionStatus;
use crate::results::Verdict;
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
    pub attempt: i32,
    pub status: SessionStatus,
    pub score: Option<f64>,
    pub max_score: f64,
    pub percent: f64,
    pub pass_mark_percent: i32,
    pub ungraded_count: i32,
    pub verdict: Verdict,
    pub started: String,
    pub time_taken: String,
    pub questions: Vec<QuestionResult>,
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use chrono::{DateTime, Utc};
    use sqlx::{PgConnection, PgPool};
    use uuid::Uuid;

    use super::{QuestionResult, SessionDetail, SessionStatus};
    use crate::access::guard::AuthUser;
    use crate::markdown::to_safe_html;

    #[derive(sqlx::FromRow)]
    struct HeadRow {
        assessment_id: Uuid,
        assessment_title: String,
        requisition_id: Uuid,
        candidate_id: Uuid,
        candidate_name: String,
        attempt: i32,
        status: SessionStatus,
        score: Option<f64>,
        max_score: f64,
        pass_mark_percent: i32,
        ungraded_count: i32,
        passed: Option<bool>,
        started_at: DateTime<Utc>,
        finished_at: Option<DateTime<Utc>>,
    }

    #[derive(sqlx::FromRow)]
    struct QuestionRow {
        question_id: Uuid,
        position: i32,
        prompt_md: String,
        points: i32,
        body: serde_json::Value,
        option_order: Vec<i32>,
        response: Option<serde_json::Value>,
        score: Option<f64>,
        time_spent_ms: Option<i64>,
        explanation_md: String,
        guidance_md: String,
        grader_comment: Option<String>,
        graded_by: Option<String>,
    }

    /// The session of the organization with its questions in order; `None` when unknown.
    pub async fn load(
        pool: &PgPool,
        user: &AuthUser,
        id: Uuid,
    ) -> Result<Option<SessionDetail>, sqlx::Error> {
        let head: Option<HeadRow> = sqlx::query_as(
            "SELECT a.id AS assessment_id, a.title AS assessment_title, a.requisition_id,
                    c.id AS candidate_id, c.full_name AS candidate_name, s.attempt, s.status,
                    s.score, s.max_score, a.pass_mark_percent, s.ungraded_count, s.passed,
                    s.started_at, s.finished_at
             FROM test_sessions s
             JOIN assessments a ON a.id = s.assessment_id
             JOIN assessment_applications aa ON aa.id = s.assessment_application_id
             JOIN candidates c ON c.id = aa.candidate_id
             WHERE s.id = $1 AND s.org_id = $2",
        )
        .bind(id)
        .bind(user.org_id)
        .fetch_optional(pool)
        .await?;
        let Some(head) = head else {
            return Ok(None);
        };
        let rows: Vec<QuestionRow> = sqlx::query_as(
            "SELECT q.id AS question_id, sq.position, q.prompt_md, q.points, q.body, sq.option_order,
                    an.response, an.score, an.time_spent_ms, q.explanation_md, q.guidance_md,
                    an.grader_comment, u.full_name AS graded_by
             FROM test_session_questions sq
             JOIN assessment_questions q ON q.id = sq.question_id
             LEFT JOIN answers an ON an.session_id = sq.session_id AND an.question_id = q.id
             LEFT JOIN users u ON u.id = an.graded_by
             WHERE sq.session_id = $1
             ORDER BY sq.position",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        let zone = crate::ui::time::zone_or_utc(&user.time_zone);
        let questions = rows
            .into_iter()
            .filter_map(|row| {
                let body = serde_json::from_value(row.body).ok()?;
                Some(QuestionResult {
                    question_id: row.question_id,
                    position: row.position,
                    prompt_html: to_safe_html(&row.prompt_md),
                    points: row.points,
                    body,
                    option_order: row.option_order.into_iter().map(|o| o as u32).collect(),
                    response: row.response.and_then(|r| serde_json::from_value(r).ok()),
                    score: row.score,
                    time_spent_ms: row.time_spent_ms.unwrap_or(0),
                    explanation_html: to_safe_html(&row.explanation_md),
                    guidance_html: to_safe_html(&row.guidance_md),
                    grader_comment: row.grader_comment.unwrap_or_default(),
                    graded_by: row.graded_by,
                })
            })
            .collect();
        Ok(Some(SessionDetail {
            id,
            assessment_id: head.assessment_id,
            assessment_title: head.assessment_title,
            requisition_id: head.requisition_id,
            candidate_id: head.candidate_id,
            candidate_name: head.candidate_name,
            attempt: head.attempt,
            percent: crate::questions::scoring::percent(head.score.unwrap_or(0.0), head.max_score),
            verdict: super::Verdict::of(head.status, head.passed),
            status: head.status,
            score: head.score,
            max_score: head.max_score,
            pass_mark_percent: head.pass_mark_percent,
            ungraded_count: head.ungraded_count,
            started: crate::ui::time::format_in_zone(&head.started_at, zone),
            time_taken: head
                .finished_at
                .map(|f| super::duration_in_words((f - head.started_at).num_milliseconds()))
                .unwrap_or_default(),
            questions,
        }))
    }

    /// What grading one answer needs to know.
    #[derive(sqlx::FromRow)]
    pub struct GradeTarget {
        pub requisition_id: Uuid,
        pub session_status: SessionStatus,
        pub points: i32,
        pub auto_graded: bool,
    }

    /// The answered question of the organization's session, locked for grading.
    pub async fn answer_to_grade(
        conn: &mut PgConnection,
        org_id: Uuid,
        session_id: Uuid,
        question_id: Uuid,
    ) -> Result<Option<GradeTarget>, sqlx::Error> {
        sqlx::query_as(
            "SELECT a.requisition_id, s.status AS session_status, q.points,
                    q.kind IN ('single_choice', 'multiple_choice', 'true_false', 'numeric') AS auto_graded
             FROM answers an
             JOIN test_sessions s ON s.id = an.session_id
             JOIN assessments a ON a.id = s.assessment_id
             JOIN assessment_questions q ON q.id = an.question_id
             WHERE an.session_id = $1 AND an.question_id = $2 AND s.org_id = $3
             FOR UPDATE OF an, s",
        )
        .bind(session_id)
        .bind(question_id)
        .bind(org_id)
        .fetch_optional(conn)
        .await
    }

    pub async fn set_score(
        conn: &mut PgConnection,
        form: &crate::assessments::GradeForm,
        score: f64,
        comment: &str,
        by: Uuid,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE answers SET score = $3, grader_comment = $4, graded_by = $5, graded_at = now(),
                 updated_at = now()
             WHERE session_id = $1 AND question_id = $2",
        )
        .bind(form.session_id)
        .bind(form.question_id)
        .bind(score)
        .bind(comment)
        .bind(by)
        .execute(conn)
        .await?;
        Ok(())
    }
}

#[component]
pub fn SessionPage() -> impl IntoView {
    let id = id_param();
    let error = error_from_query(GradeAnswer::PATH);
    let fetch = move || async move { load_session(id?).await };
    let render = move |detail| view! { <SessionView detail error=error.clone()/> };
    view! {
        <StaffPage title="" roles=crate::access::ASSESSMENT_RESULT_ROLES>
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
    let score = match detail.score {
        Some(score) => format!("{} of {} points", points(score), points(detail.max_score)),
        None => "Not scored yet".to_string(),
    };
    let verdict = detail.verdict;
    let pending = (detail.ungraded_count > 0).then(|| {
        format!(
            " · {} answer{} to grade",
            detail.ungraded_count,
            if detail.ungraded_count == 1 { "" } else { "s" }
        )
    });
    let session_id = detail.id;
    let finished = detail.status != SessionStatus::InProgress;
    let questions = detail
        .questions
        .into_iter()
        .map(|q| {
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
            let answered = q.response.as_ref().is_some_and(|r| r.is_answered());
            let awarded = match q.score {
                Some(score) => format!("{} / {} points", points(score), q.points),
                None if manual && answered => format!("To grade · {} points", q.points),
                None => format!("0 / {} points", q.points),
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
                view! {
                    <div class="answer-pair">
                        <div><h4>"Answer"</h4><pre class="answer">{text}</pre></div>
                        {correct.map(|c| view! { <div><h4>{if manual { "Model answer" } else { "Correct answer" }}</h4><pre class="answer">{c}</pre></div> })}
                    </div>
                }
            });
            let grade_form = (manual && answered && finished).then(|| {
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
                    <h2 id=heading_id>{format!("Question {} · {}", q.position + 1, kind.label())}</h2>
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
            " · "{format!("{}%", detail.percent)}
            " · pass mark "{format!("{}%", detail.pass_mark_percent)}" "
            <span class=verdict.class()>{verdict.label()}</span>
            {pending}
        </p>
        <p class="muted">
            {format!("Attempt {} · {} · started {}", detail.attempt, detail.status.label(), detail.started)}
            {(!detail.time_taken.is_empty()).then(|| format!(" · took {}", detail.time_taken))}
        </p>
        {error.map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
        {questions}
    }
}
