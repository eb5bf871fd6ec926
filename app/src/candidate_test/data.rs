//! Queries of the candidate's test: the link, starting, the state to resume, saving an
//! answer (one statement), submitting and closing sessions whose time is up.

use chrono::{DateTime, Duration, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::draw::{draw, Drawn, Item, PoolQuestion};
use super::{AnswerSave, CandidateQuestion, SaveAck, SavedAnswer, GRACE_SECONDS};
use crate::assessments::scoring::score_submission;
use crate::assessments::AssessmentStatus;
use crate::error::AppError;
use crate::questions::model::{QuestionBody, QuestionKind, Response};
use crate::results::SessionStatus;

/// A token with its assessment and its session, if one started.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Link {
    pub token_id: Uuid,
    pub org_id: Uuid,
    pub org_name: String,
    pub assessment_application_id: Uuid,
    pub assessment_id: Uuid,
    pub title: String,
    pub instructions_md: String,
    pub time_limit_minutes: i32,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
    pub available_from: Option<DateTime<Utc>>,
    pub available_until: Option<DateTime<Utc>>,
    /// The assessment's attempts with any retakes a reviewer granted.
    pub attempts_allowed: i32,
    pub proctoring: serde_json::Value,
    pub extra_time_percent: i32,
    pub webcam_waived: bool,
    pub assessment_status: AssessmentStatus,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub session_id: Option<Uuid>,
    pub session_status: Option<SessionStatus>,
    pub deadline_at: Option<DateTime<Utc>>,
    pub attempts_used: i64,
    pub question_count: i64,
}

const LINK: &str = "SELECT t.id AS token_id, t.org_id, o.name AS org_name,
        t.assessment_application_id, a.id AS assessment_id, a.title, a.instructions_md,
        a.time_limit_minutes, a.shuffle_questions, a.shuffle_options, a.available_from,
        a.available_until, a.attempts_allowed + aa.extra_attempts AS attempts_allowed, a.proctoring,
        t.extra_time_percent, t.webcam_waived, a.status AS assessment_status,
        t.expires_at, t.revoked_at, s.id AS session_id, s.status AS session_status,
        s.deadline_at,
        (SELECT COUNT(*) FROM test_sessions u
          WHERE u.assessment_application_id = t.assessment_application_id) AS attempts_used,
        (SELECT COALESCE(SUM(COALESCE(i.draw_count, 1)), 0)::int8 FROM assessment_items i
          WHERE i.assessment_id = a.id) AS question_count
    FROM assessment_tokens t
    JOIN organizations o ON o.id = t.org_id AND o.is_active
    JOIN assessment_applications aa ON aa.id = t.assessment_application_id
    JOIN assessments a ON a.id = aa.assessment_id
    LEFT JOIN test_sessions s ON s.token_id = t.id
    WHERE t.token_hash = $1";

impl Link {
    /// What the link's invite granted.
    pub fn accommodation(&self) -> crate::assessments::Accommodation {
        crate::assessments::Accommodation {
            extra_time_percent: self.extra_time_percent,
            webcam_waived: self.webcam_waived,
        }
    }
}

pub async fn find_link(conn: &mut PgConnection, digest: &[u8]) -> sqlx::Result<Option<Link>> {
    sqlx::query_as(LINK).bind(digest).fetch_optional(conn).await
}

/// Starts the session of a link, or returns the one it already started (a double click,
/// two tabs). The token row is locked as it is read, so two starts cannot both create one.
pub async fn start(
    pool: &PgPool,
    digest: &[u8],
    user_agent: &str,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let mut tx = pool.begin().await?;
    let link: Link = sqlx::query_as(&format!("{LINK} FOR UPDATE OF t"))
        .bind(digest)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(session_id) = link.session_id {
        return Ok(session_id);
    }
    super::can_start(&link, now)?;
    let deadline = super::deadline(&link, now);
    let session_id: Uuid = sqlx::query_scalar(
        "INSERT INTO test_sessions (org_id, assessment_id, assessment_application_id, token_id,
                attempt, consented_at, started_at, deadline_at, user_agent)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8) RETURNING id",
    )
    .bind(link.org_id)
    .bind(link.assessment_id)
    .bind(link.assessment_application_id)
    .bind(link.token_id)
    .bind(link.attempts_used as i32 + 1)
    .bind(now)
    .bind(deadline)
    .bind(user_agent.chars().take(500).collect::<String>())
    .fetch_one(&mut *tx)
    .await?;
    let items = items_of(&mut tx, link.assessment_id).await?;
    let drawn = draw(
        &items,
        link.shuffle_questions,
        link.shuffle_options,
        &mut rand::thread_rng(),
    );
    if drawn.is_empty() {
        tracing::error!(assessment_id = %link.assessment_id, "a published assessment has no questions");
        return Err(AppError::invalid(
            "This test has no questions yet. Please contact the recruiter who sent the link.",
        ));
    }
    insert_questions(&mut tx, session_id, &drawn).await?;
    tx.commit().await?;
    Ok(session_id)
}

async fn items_of(conn: &mut PgConnection, assessment_id: Uuid) -> sqlx::Result<Vec<Item>> {
    type ItemRow = (Uuid, Option<i32>, Option<Uuid>, Option<serde_json::Value>);
    let rows: Vec<ItemRow> = sqlx::query_as(
        "SELECT i.id, i.draw_count, q.id, q.body
         FROM assessment_items i
         LEFT JOIN assessment_questions q ON q.item_id = i.id
         WHERE i.assessment_id = $1
         ORDER BY i.position, i.id, q.id",
    )
    .bind(assessment_id)
    .fetch_all(conn)
    .await?;
    let mut items: Vec<(Uuid, Item)> = Vec::new();
    for (item_id, draw_count, question_id, body) in rows {
        if items.last().map(|(id, _)| *id) != Some(item_id) {
            let item = Item {
                draw_count: draw_count.map(|n| n.max(0) as usize),
                pool: Vec::new(),
            };
            items.push((item_id, item));
        }
        if let (Some(id), Some((_, item))) = (question_id, items.last_mut()) {
            let option_ids = body
                .and_then(|b| serde_json::from_value::<QuestionBody>(b).ok())
                .map(|b| b.options().iter().map(|o| o.id).collect())
                .unwrap_or_default();
            item.pool.push(PoolQuestion { id, option_ids });
        }
    }
    Ok(items.into_iter().map(|(_, item)| item).collect())
}

async fn insert_questions(
    conn: &mut PgConnection,
    session_id: Uuid,
    drawn: &[Drawn],
) -> sqlx::Result<()> {
    let positions: Vec<i32> = (1..=drawn.len() as i32).collect();
    let ids: Vec<Uuid> = drawn.iter().map(|d| d.id).collect();
    // Postgres has no arrays of arrays of different lengths: each order travels as text.
    let orders: Vec<String> = drawn
        .iter()
        .map(|d| {
            let inner: Vec<String> = d.option_order.iter().map(u32::to_string).collect();
            format!("{{{}}}", inner.join(","))
        })
        .collect();
    sqlx::query(
        "INSERT INTO test_session_questions (session_id, position, question_id, option_order)
         SELECT $1, p, q, o::int[] FROM UNNEST($2::int[], $3::uuid[], $4::text[]) AS x(p, q, o)",
    )
    .bind(session_id)
    .bind(&positions)
    .bind(&ids)
    .bind(&orders)
    .execute(conn)
    .await?;
    Ok(())
}

/// The questions of a session in order, with the answers saved so far.
pub async fn questions_and_answers(
    pool: &PgPool,
    session_id: Uuid,
) -> sqlx::Result<(Vec<CandidateQuestion>, Vec<SavedAnswer>)> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        Uuid,
        QuestionKind,
        String,
        serde_json::Value,
        i32,
        Vec<i32>,
        Option<serde_json::Value>,
        Option<i64>,
        Option<bool>,
        Option<i64>,
    )> = sqlx::query_as(
        "SELECT q.id, q.kind, q.prompt_md, q.body, q.points, sq.option_order,
                a.response, a.seq, a.flagged, a.time_spent_ms
         FROM test_session_questions sq
         JOIN assessment_questions q ON q.id = sq.question_id
         LEFT JOIN answers a ON a.session_id = sq.session_id AND a.question_id = sq.question_id
         WHERE sq.session_id = $1
         ORDER BY sq.position",
    )
    .bind(session_id)
    .fetch_all(pool)
    .await?;
    let mut questions = Vec::with_capacity(rows.len());
    let mut answers = Vec::new();
    for (id, kind, prompt_md, body, points, order, response, seq, flagged, time) in rows {
        let body = serde_json::from_value::<QuestionBody>(body).ok();
        let options = body
            .as_ref()
            .map(|b| {
                order
                    .iter()
                    .filter_map(|id| b.options().iter().find(|o| o.id as i32 == *id))
                    .map(|o| (o.id, o.text.clone()))
                    .collect()
            })
            .unwrap_or_default();
        let (language, starter_code) = match &body {
            Some(QuestionBody::Code {
                language,
                starter_code,
            }) => (language.clone(), starter_code.clone()),
            _ => (String::new(), String::new()),
        };
        questions.push(CandidateQuestion {
            id,
            kind,
            prompt_html: crate::markdown::to_safe_html(&prompt_md),
            points,
            options,
            language,
            starter_code,
        });
        if let Some(seq) = seq {
            answers.push(SavedAnswer {
                question_id: id,
                response: response.and_then(|r| serde_json::from_value::<Response>(r).ok()),
                seq,
                flagged: flagged.unwrap_or(false),
                time_spent_ms: time.unwrap_or(0),
            });
        }
    }
    Ok((questions, answers))
}

/// Saves one answer in one statement: only into a running session before the deadline
/// plus the grace, only for a question of that session of a fitting kind, with chosen
/// options that are the question's own (at most one for single choice), and only over an
/// answer with a lower sequence number. A refused save changes nothing: the answer saved
/// before stays.
pub async fn save(pool: &PgPool, digest: &[u8], save: &AnswerSave) -> Result<SaveAck, AppError> {
    let response = serde_json::to_value(&save.response).map_err(|_| AppError::Internal)?;
    let saved: Option<(i64, DateTime<Utc>)> = sqlx::query_as(
        "WITH s AS (
             SELECT ts.id, ts.org_id FROM assessment_tokens t
             JOIN test_sessions ts ON ts.token_id = t.id
             JOIN organizations o ON o.id = ts.org_id AND o.is_active
             WHERE t.token_hash = $1 AND ts.status = 'in_progress'
               AND now() <= ts.deadline_at + make_interval(secs => $8)
             -- Held while the answer is written: a submission (which locks the session
             -- FOR UPDATE) waits for it, and a save arriving during a submission waits,
             -- then finds the session over, so no answer lands after scoring.
             FOR KEY SHARE OF ts
         )
         INSERT INTO answers AS a (session_id, question_id, org_id, response, seq, flagged, time_spent_ms)
         SELECT s.id, sq.question_id, s.org_id, $3, $4, $5, $6
         FROM s
         JOIN test_session_questions sq ON sq.session_id = s.id AND sq.question_id = $2
         JOIN assessment_questions q ON q.id = sq.question_id AND q.kind = ANY($7)
         -- What Response::validate_for says of options, on the frozen question's JSON.
         WHERE cardinality($9::int8[]) = 0
            OR ((q.kind <> 'single_choice' OR cardinality($9::int8[]) = 1)
                AND $9::int8[] <@ ARRAY(SELECT (o->>'id')::int8
                                        FROM jsonb_array_elements(q.body->'options') o))
         ON CONFLICT (session_id, question_id) DO UPDATE
             SET response = EXCLUDED.response, seq = EXCLUDED.seq, flagged = EXCLUDED.flagged,
                 time_spent_ms = GREATEST(a.time_spent_ms, EXCLUDED.time_spent_ms),
                 saved_at = now(), updated_at = now()
             WHERE a.seq < EXCLUDED.seq
         RETURNING seq, now()",
    )
    .bind(digest)
    .bind(save.question_id)
    .bind(response)
    .bind(save.seq)
    .bind(save.flagged)
    .bind(save.time_spent_ms)
    .bind(save.fitting_kinds())
    .bind(GRACE_SECONDS as f64)
    .bind(save.choice_ids())
    .fetch_optional(pool)
    .await?;
    match saved {
        Some((seq, now)) => Ok(SaveAck {
            seq,
            server_now_ms: now.timestamp_millis(),
        }),
        None => explain_refusal(pool, digest, save).await,
    }
}

/// Why a save changed nothing: a newer answer is already kept (not an error), or the
/// session, the question or the response (by [`Response::validate_for`]) does not allow it.
async fn explain_refusal(
    pool: &PgPool,
    digest: &[u8],
    save: &AnswerSave,
) -> Result<SaveAck, AppError> {
    type Refusal = (
        SessionStatus,
        DateTime<Utc>,
        DateTime<Utc>,
        Option<serde_json::Value>,
        Option<i64>,
    );
    let row: Option<Refusal> = sqlx::query_as(
        "SELECT ts.status, ts.deadline_at, now(), q.body, a.seq
             FROM assessment_tokens t
             JOIN test_sessions ts ON ts.token_id = t.id
             JOIN organizations o ON o.id = ts.org_id AND o.is_active
             LEFT JOIN test_session_questions sq ON sq.session_id = ts.id AND sq.question_id = $2
             LEFT JOIN assessment_questions q ON q.id = sq.question_id
             LEFT JOIN answers a ON a.session_id = ts.id AND a.question_id = $2
             WHERE t.token_hash = $1",
    )
    .bind(digest)
    .bind(save.question_id)
    .fetch_optional(pool)
    .await?;
    let Some((status, deadline, now, body, seq)) = row else {
        return Err(AppError::NotFound);
    };
    if status != SessionStatus::InProgress {
        return Err(AppError::Closed(
            "This test has been submitted, so answers can no longer change. Everything saved before is kept.".into(),
        ));
    }
    if now > deadline + Duration::seconds(GRACE_SECONDS) {
        return Err(AppError::Closed(
            "Time is up, so answers can no longer change. Everything saved before the deadline is kept.".into(),
        ));
    }
    let Some(body) = body else {
        return Err(AppError::invalid("That question is not part of this test."));
    };
    let body = serde_json::from_value::<QuestionBody>(body).map_err(|error| {
        tracing::error!(%error, question_id = %save.question_id, "unreadable frozen question");
        AppError::Internal
    })?;
    if let Some(response) = &save.response {
        response.validate_for(&body).map_err(AppError::invalid)?;
    }
    match seq {
        // A newer save of this answer arrived first: it stays, and the page learns its number.
        Some(seq) => Ok(SaveAck {
            seq,
            server_now_ms: now.timestamp_millis(),
        }),
        None => Err(AppError::Internal),
    }
}

/// Ends a running session: `submitted` now, or `timed_out` at its deadline when the
/// submission came after the grace. Scores it. Submitting twice is harmless. Returns the
/// session's status afterwards.
pub async fn submit(pool: &PgPool, digest: &[u8]) -> Result<SessionStatus, AppError> {
    let mut tx = pool.begin().await?;
    let session: Option<(Uuid, SessionStatus, DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
        "SELECT ts.id, ts.status, ts.deadline_at, now()
         FROM assessment_tokens t JOIN test_sessions ts ON ts.token_id = t.id
         JOIN organizations o ON o.id = ts.org_id AND o.is_active
         WHERE t.token_hash = $1
         FOR UPDATE OF ts",
    )
    .bind(digest)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((session_id, status, deadline, now)) = session else {
        return Err(AppError::NotFound);
    };
    if status != SessionStatus::InProgress {
        return Ok(status);
    }
    let late = now > deadline + Duration::seconds(GRACE_SECONDS);
    let status = if late {
        SessionStatus::TimedOut
    } else {
        SessionStatus::Submitted
    };
    sqlx::query(
        "UPDATE test_sessions SET status = $2, finished_at = $3, updated_at = now() WHERE id = $1",
    )
    .bind(session_id)
    .bind(status)
    .bind(if late { deadline } else { now })
    .execute(&mut *tx)
    .await?;
    score_submission(&mut tx, session_id).await?;
    tx.commit().await?;
    // The record's band for the review queue; the maintenance job retries what fails.
    if let Err(error) = crate::proctoring::conclude::conclude(pool, session_id).await {
        tracing::warn!(%error, %session_id, "could not conclude the proctoring record");
    }
    Ok(status)
}

/// Closes (as `timed_out`, finished at the deadline) and scores every running session
/// whose deadline and grace have passed, plus a margin so that no save still in flight
/// can land after scoring. Returns how many closed.
pub async fn close_expired(pool: &PgPool) -> sqlx::Result<usize> {
    const BATCH: i64 = 100;
    let mut closed = 0;
    loop {
        let mut tx = pool.begin().await?;
        let ids: Vec<Uuid> = sqlx::query_scalar(
            "UPDATE test_sessions SET status = 'timed_out', finished_at = deadline_at,
                    updated_at = now()
             WHERE id IN (SELECT id FROM test_sessions
                          WHERE status = 'in_progress'
                            AND deadline_at < now() - make_interval(secs => $1)
                          ORDER BY deadline_at LIMIT $2
                          FOR UPDATE SKIP LOCKED)
             RETURNING id",
        )
        .bind((GRACE_SECONDS + 5) as f64)
        .bind(BATCH)
        .fetch_all(&mut *tx)
        .await?;
        for id in &ids {
            score_submission(&mut tx, *id).await?;
        }
        tx.commit().await?;
        closed += ids.len();
        if (ids.len() as i64) < BATCH {
            return Ok(closed);
        }
    }
}
