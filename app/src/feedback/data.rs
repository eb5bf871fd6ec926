//! Queries of interview feedback. Every one is scoped by organization; the service has
//! checked who may read or write what.

use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::{FeedbackStatus, RatedAttribute, Recommendation};
use crate::interviews::{InterviewKind, InterviewStatus};

/// One interview's feedback row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedbackRow {
    pub id: Uuid,
    pub author_id: Uuid,
    pub status: FeedbackStatus,
    pub ratings: Json<Vec<RatedAttribute>>,
    pub strengths: String,
    pub concerns: String,
    pub notes: String,
    pub recommendation: Option<Recommendation>,
    pub version: i32,
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

const FEEDBACK: &str = "SELECT id, author_id, status, ratings, strengths, concerns, notes,
        recommendation, version, submitted_at, updated_at FROM interview_feedback";

pub async fn of_interview<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
    interview_id: Uuid,
) -> Result<Option<FeedbackRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{FEEDBACK} WHERE interview_id = $1 AND org_id = $2"
    ))
    .bind(interview_id)
    .bind(org_id)
    .fetch_optional(executor)
    .await
}

/// What a feedback form writes.
pub struct Content<'a> {
    pub ratings: &'a [RatedAttribute],
    pub strengths: &'a str,
    pub concerns: &'a str,
    pub notes: &'a str,
    pub recommendation: Option<Recommendation>,
}

/// Writes the draft of the interview's feedback (creating it), unless it is submitted
/// already: then nothing is written and `false` comes back.
pub async fn save_draft(
    conn: &mut PgConnection,
    org_id: Uuid,
    interview_id: Uuid,
    author_id: Uuid,
    content: &Content<'_>,
) -> Result<bool, sqlx::Error> {
    let saved: Option<Uuid> = sqlx::query_scalar(
        "INSERT INTO interview_feedback (org_id, interview_id, author_id, ratings, strengths, concerns, notes, recommendation)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (interview_id) DO UPDATE SET ratings = EXCLUDED.ratings,
             strengths = EXCLUDED.strengths, concerns = EXCLUDED.concerns, notes = EXCLUDED.notes,
             recommendation = EXCLUDED.recommendation, updated_at = now()
         WHERE interview_feedback.status = 'draft' AND interview_feedback.author_id = EXCLUDED.author_id
         RETURNING id",
    )
    .bind(org_id)
    .bind(interview_id)
    .bind(author_id)
    .bind(Json(content.ratings))
    .bind(content.strengths)
    .bind(content.concerns)
    .bind(content.notes)
    .bind(content.recommendation)
    .fetch_optional(conn)
    .await?;
    Ok(saved.is_some())
}

/// Submits the interview's feedback for the first time (from its draft, or at once).
/// Returns its id, or `None` when it was submitted already: one feedback per interview.
pub async fn submit(
    conn: &mut PgConnection,
    org_id: Uuid,
    interview_id: Uuid,
    author_id: Uuid,
    content: &Content<'_>,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO interview_feedback (org_id, interview_id, author_id, status, ratings, strengths,
                                         concerns, notes, recommendation, version,
                                         first_submitted_at, submitted_at)
         VALUES ($1, $2, $3, 'submitted', $4, $5, $6, $7, $8, 1, now(), now())
         ON CONFLICT (interview_id) DO UPDATE SET status = 'submitted', ratings = EXCLUDED.ratings,
             strengths = EXCLUDED.strengths, concerns = EXCLUDED.concerns, notes = EXCLUDED.notes,
             recommendation = EXCLUDED.recommendation, version = 1,
             first_submitted_at = now(), submitted_at = now(), updated_at = now()
         WHERE interview_feedback.status = 'draft' AND interview_feedback.author_id = EXCLUDED.author_id
         RETURNING id",
    )
    .bind(org_id)
    .bind(interview_id)
    .bind(author_id)
    .bind(Json(content.ratings))
    .bind(content.strengths)
    .bind(content.concerns)
    .bind(content.notes)
    .bind(content.recommendation)
    .fetch_optional(conn)
    .await
}

/// Replaces submitted feedback `id` (at `version`) with a new version, keeping the one it
/// replaces. `false` when it changed meanwhile.
pub async fn edit(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    version: i32,
    content: &Content<'_>,
) -> Result<bool, sqlx::Error> {
    let kept = match sqlx::query(
        "INSERT INTO interview_feedback_versions (org_id, feedback_id, version, ratings, strengths,
                                                  concerns, notes, recommendation, submitted_at)
         SELECT org_id, id, version, ratings, strengths, concerns, notes, recommendation, submitted_at
         FROM interview_feedback
         WHERE id = $1 AND org_id = $2 AND status = 'submitted' AND version = $3",
    )
    .bind(id)
    .bind(org_id)
    .bind(version)
    .execute(&mut *conn)
    .await
    {
        Ok(kept) => kept,
        // Another edit of the same version got there first.
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => return Ok(false),
        Err(error) => return Err(error),
    };
    if kept.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE interview_feedback SET ratings = $3, strengths = $4, concerns = $5, notes = $6,
                recommendation = $7, version = version + 1, submitted_at = now(), updated_at = now()
         WHERE id = $1 AND org_id = $2",
    )
    .bind(id)
    .bind(org_id)
    .bind(Json(content.ratings))
    .bind(content.strengths)
    .bind(content.concerns)
    .bind(content.notes)
    .bind(content.recommendation)
    .execute(conn)
    .await?;
    Ok(true)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub version: i32,
    pub recommendation: Recommendation,
    pub ratings: Json<Vec<RatedAttribute>>,
    pub strengths: String,
    pub concerns: String,
    pub notes: String,
    pub submitted_at: DateTime<Utc>,
}

/// A feedback's earlier versions, newest first.
pub async fn versions<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
    feedback_id: Uuid,
) -> Result<Vec<VersionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT version, recommendation, ratings, strengths, concerns, notes, submitted_at
         FROM interview_feedback_versions WHERE feedback_id = $1 AND org_id = $2
         ORDER BY version DESC",
    )
    .bind(feedback_id)
    .bind(org_id)
    .fetch_all(executor)
    .await
}

/// The user's interviews of the application: (status, feedback submitted).
pub async fn own_interviews<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
    application_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<(InterviewStatus, bool)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.status, coalesce(f.status = 'submitted', false)
         FROM interviews i LEFT JOIN interview_feedback f ON f.interview_id = i.id
         WHERE i.application_id = $1 AND i.org_id = $2 AND i.interviewer_id = $3",
    )
    .bind(application_id)
    .bind(org_id)
    .bind(user_id)
    .fetch_all(executor)
    .await
}

/// An interview of an application with its feedback's state, for the debrief and the
/// panel.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PanelRow {
    pub interview_id: Uuid,
    pub interviewer_id: Uuid,
    pub interviewer_name: String,
    pub kind: InterviewKind,
    pub stage_name: Option<String>,
    pub status: InterviewStatus,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Set only for submitted feedback (a draft is its author's alone).
    pub recommendation: Option<Recommendation>,
    pub ratings: Option<Json<Vec<RatedAttribute>>>,
    pub strengths: Option<String>,
    pub concerns: Option<String>,
    pub notes: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub version: Option<i32>,
    /// When the feedback is due: the end plus the organization's hours.
    pub due_at: DateTime<Utc>,
}

/// The application's interviews that were not cancelled, with their submitted feedback
/// (drafts are left out here, whoever asks).
pub async fn panel<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
    application_id: Uuid,
) -> Result<Vec<PanelRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id AS interview_id, i.interviewer_id, u.full_name AS interviewer_name, i.kind,
                ps.name AS stage_name, i.status, i.starts_at,
                i.starts_at + make_interval(mins => i.duration_minutes) AS ends_at,
                f.recommendation, f.ratings, f.strengths, f.concerns, f.notes, f.submitted_at, f.version,
                i.starts_at + make_interval(mins => i.duration_minutes)
                    + make_interval(hours => o.feedback_due_hours) AS due_at
         FROM interviews i
         JOIN users u ON u.id = i.interviewer_id
         JOIN organizations o ON o.id = i.org_id
         LEFT JOIN interview_plan_stages ps ON ps.id = i.plan_stage_id
         LEFT JOIN interview_feedback f ON f.interview_id = i.id AND f.status = 'submitted'
         WHERE i.application_id = $1 AND i.org_id = $2 AND i.status IN ('scheduled', 'completed')
         ORDER BY i.starts_at, i.id",
    )
    .bind(application_id)
    .bind(org_id)
    .fetch_all(executor)
    .await
}

/// Marks the interview nudged when it was not in the last hour; `false` when it was.
pub async fn claim_nudge(
    conn: &mut PgConnection,
    org_id: Uuid,
    interview_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE interviews SET feedback_nudged_at = now()
         WHERE id = $1 AND org_id = $2
           AND (feedback_nudged_at IS NULL OR feedback_nudged_at < now() - interval '1 hour')",
    )
    .bind(interview_id)
    .bind(org_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn due_hours<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar("SELECT feedback_due_hours FROM organizations WHERE id = $1")
        .bind(org_id)
        .fetch_one(executor)
        .await
}

pub async fn set_due_hours(
    conn: &mut PgConnection,
    org_id: Uuid,
    hours: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE organizations SET feedback_due_hours = $2, updated_at = now() WHERE id = $1",
    )
    .bind(org_id)
    .bind(hours)
    .execute(conn)
    .await?;
    Ok(())
}

/// An overdue feedback whose reminder this run sends.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Reminder {
    pub interview_id: Uuid,
    pub org_id: Uuid,
    pub interviewer_id: Uuid,
    pub interviewer_email: String,
    pub interviewer_name: String,
    pub candidate_name: String,
    pub requisition_title: String,
    /// 1 for the first reminder, 2 for the last.
    pub reminders: i32,
}

/// Claims up to `limit` reminders due at `now` and counts them sent, in the caller's
/// transaction: interviews that ended more than the organization's due hours ago (and,
/// for the second, as long after the first reminder), not cancelled nor a no-show, whose
/// feedback is not submitted, with fewer than two reminders. Rows another process is
/// claiming are skipped, so each reminder goes once.
pub async fn claim_reminders(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Reminder>, sqlx::Error> {
    sqlx::query_as(
        "WITH due AS (
             SELECT i.id FROM interviews i
             JOIN organizations o ON o.id = i.org_id AND o.is_active
             JOIN users iu ON iu.id = i.interviewer_id AND iu.is_active
             WHERE i.status IN ('scheduled', 'completed') AND i.feedback_reminders < 2
               AND i.starts_at + make_interval(mins => i.duration_minutes)
                   + make_interval(hours => o.feedback_due_hours) <= $1
               AND (i.feedback_reminders = 0
                    OR i.feedback_reminded_at + make_interval(hours => o.feedback_due_hours) <= $1)
               AND NOT EXISTS (SELECT 1 FROM interview_feedback f
                               WHERE f.interview_id = i.id AND f.status = 'submitted')
             ORDER BY i.starts_at
             LIMIT $2
             FOR UPDATE OF i SKIP LOCKED)
         UPDATE interviews i SET feedback_reminders = i.feedback_reminders + 1, feedback_reminded_at = $1
         FROM due, users u, applications a, candidates c, job_requisitions j
         WHERE i.id = due.id AND u.id = i.interviewer_id AND a.id = i.application_id
           AND c.id = a.candidate_id AND j.id = a.requisition_id
         RETURNING i.id AS interview_id, i.org_id, i.interviewer_id, u.email AS interviewer_email,
                   u.full_name AS interviewer_name, c.full_name AS candidate_name,
                   j.title AS requisition_title, i.feedback_reminders AS reminders",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Submitted feedback for the calibration report: ended interviews of the range (and
/// requisition), with whether each feedback came in on time.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CalibrationRow {
    pub interview_id: Uuid,
    pub interviewer_id: Uuid,
    pub interviewer_name: String,
    pub application_id: Uuid,
    /// `None` while the feedback is not submitted.
    pub recommendation: Option<Recommendation>,
    pub ratings: Option<Json<Vec<RatedAttribute>>>,
    pub first_submitted_at: Option<DateTime<Utc>>,
    pub due_at: DateTime<Utc>,
    /// The interviewer owes feedback on another interview of the same application (in or
    /// out of the range, past or to come).
    pub owes_on_application: bool,
}

/// The interviews (not cancelled nor no-shows) that ended in [from, to) — or, with
/// `requisition`, of that requisition — with their submitted feedback, for every
/// interviewer of the organization.
pub async fn calibration<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    requisition: Option<Uuid>,
) -> Result<Vec<CalibrationRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id AS interview_id, i.interviewer_id, u.full_name AS interviewer_name,
                i.application_id, f.recommendation, f.ratings, f.first_submitted_at,
                i.starts_at + make_interval(mins => i.duration_minutes)
                    + make_interval(hours => o.feedback_due_hours) AS due_at,
                EXISTS (SELECT 1 FROM interviews x
                        LEFT JOIN interview_feedback xf ON xf.interview_id = x.id AND xf.status = 'submitted'
                        WHERE x.application_id = i.application_id AND x.interviewer_id = i.interviewer_id
                          AND x.status IN ('scheduled', 'completed') AND xf.id IS NULL) AS owes_on_application
         FROM interviews i
         JOIN applications a ON a.id = i.application_id
         JOIN users u ON u.id = i.interviewer_id
         JOIN organizations o ON o.id = i.org_id
         LEFT JOIN interview_feedback f ON f.interview_id = i.id AND f.status = 'submitted'
         WHERE i.org_id = $1 AND i.status IN ('scheduled', 'completed')
           AND i.starts_at + make_interval(mins => i.duration_minutes) >= $2
           AND i.starts_at + make_interval(mins => i.duration_minutes) < $3
           AND i.starts_at + make_interval(mins => i.duration_minutes) <= now()
           AND ($4::uuid IS NULL OR a.requisition_id = $4)
         ORDER BY i.starts_at, i.id
         LIMIT 20000",
    )
    .bind(org_id)
    .bind(from)
    .bind(to)
    .bind(requisition)
    .fetch_all(executor)
    .await
}

/// The organization's requisitions that have interviews, for the report's filter.
pub async fn requisitions_with_interviews<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT j.id, j.title FROM job_requisitions j
         WHERE j.org_id = $1 AND EXISTS (SELECT 1 FROM applications a JOIN interviews i ON i.application_id = a.id
                                         WHERE a.requisition_id = j.id)
         ORDER BY lower(j.title), j.id LIMIT 500",
    )
    .bind(org_id)
    .fetch_all(executor)
    .await
}

/// The roles of those of `users` who are active staff of the organization.
pub async fn roles(
    conn: &mut PgConnection,
    org_id: Uuid,
    users: &[Uuid],
) -> Result<Vec<(Uuid, crate::access::Role)>, sqlx::Error> {
    sqlx::query_as("SELECT id, role FROM users WHERE id = ANY($1) AND org_id = $2 AND is_active")
        .bind(users)
        .bind(org_id)
        .fetch_all(conn)
        .await
}
