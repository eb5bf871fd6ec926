//! Queries of interviews.

use chrono::{DateTime, Duration, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{InterviewKind, InterviewStatus, MAX_DURATION_MINUTES};
use crate::access::Role;

/// An interview with the names around it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InterviewRow {
    pub id: Uuid,
    pub application_id: Uuid,
    pub interviewer_id: Uuid,
    pub kind: InterviewKind,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub location: String,
    pub video_url: String,
    pub instructions: String,
    pub invite_candidate: bool,
    pub status: InterviewStatus,
    pub sequence: i32,
    pub candidate_id: Uuid,
    pub candidate_name: String,
    pub candidate_email: String,
    pub requisition_id: Uuid,
    pub requisition_title: String,
    pub interviewer_name: String,
    pub interviewer_email: String,
    pub interviewer_time_zone: String,
    pub organizer_name: Option<String>,
    pub organizer_email: Option<String>,
    /// The interview plan's stage it was scheduled for.
    pub plan_stage_id: Option<Uuid>,
    pub plan_stage_name: Option<String>,
    /// Who scheduled it (unknown when that account is gone).
    pub created_by: Option<Uuid>,
    /// The requisition's hiring manager.
    pub requisition_manager_id: Option<Uuid>,
}

impl InterviewRow {
    pub fn ends_at(&self) -> DateTime<Utc> {
        self.starts_at + Duration::minutes(self.duration_minutes.into())
    }
}

const SELECT: &str = "SELECT i.id, i.application_id, i.interviewer_id, i.kind, i.starts_at,
        i.duration_minutes, i.location, i.video_url, i.instructions, i.invite_candidate,
        i.status, i.sequence, a.candidate_id, c.full_name AS candidate_name,
        c.email AS candidate_email, a.requisition_id, j.title AS requisition_title,
        u.full_name AS interviewer_name, u.email AS interviewer_email,
        u.time_zone AS interviewer_time_zone, o.full_name AS organizer_name,
        o.email AS organizer_email, i.plan_stage_id, ps.name AS plan_stage_name,
        i.created_by, j.hiring_manager_id AS requisition_manager_id
    FROM interviews i
    JOIN applications a ON a.id = i.application_id
    JOIN candidates c ON c.id = a.candidate_id
    JOIN job_requisitions j ON j.id = a.requisition_id
    JOIN users u ON u.id = i.interviewer_id
    LEFT JOIN users o ON o.id = i.created_by
    LEFT JOIN interview_plan_stages ps ON ps.id = i.plan_stage_id";

pub async fn find(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<InterviewRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE i.id = $1 AND i.org_id = $2"))
        .bind(id)
        .bind(org_id)
        .fetch_optional(conn)
        .await
}

pub async fn of_application(
    pool: &PgPool,
    org_id: Uuid,
    application_id: Uuid,
) -> Result<Vec<InterviewRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE i.application_id = $1 AND i.org_id = $2 ORDER BY i.starts_at, i.id"
    ))
    .bind(application_id)
    .bind(org_id)
    .fetch_all(pool)
    .await
}

pub async fn of_candidate(
    pool: &PgPool,
    org_id: Uuid,
    candidate_id: Uuid,
) -> Result<Vec<InterviewRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE a.candidate_id = $1 AND i.org_id = $2 ORDER BY i.starts_at DESC, i.id"
    ))
    .bind(candidate_id)
    .bind(org_id)
    .fetch_all(pool)
    .await
}

/// The interviewer's scheduled interviews that have not ended yet and start within `days`
/// (the interviewer-and-time index answers it).
pub async fn upcoming_for(
    pool: &PgPool,
    org_id: Uuid,
    interviewer_id: Uuid,
    days: i64,
) -> Result<Vec<InterviewRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE i.interviewer_id = $1 AND i.org_id = $2 AND i.status = 'scheduled'
           AND i.starts_at > now() - make_interval(mins => $3)
           AND i.starts_at < now() + make_interval(days => $4)
           AND i.starts_at + make_interval(mins => i.duration_minutes) > now()
         ORDER BY i.starts_at, i.id LIMIT 50"
    ))
    .bind(interviewer_id)
    .bind(org_id)
    .bind(MAX_DURATION_MINUTES)
    .bind(days as i32)
    .fetch_all(pool)
    .await
}

/// Scheduled interviews starting in [from, to) on the requisitions `user_id` opened or is
/// on the team of (a recruiter's dashboard), whoever interviews.
pub async fn on_requisitions_of(
    pool: &PgPool,
    org_id: Uuid,
    user_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<InterviewRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE i.org_id = $1 AND i.status = 'scheduled'
           AND i.starts_at >= $3 AND i.starts_at < $4
           AND (j.created_by = $2 OR EXISTS (SELECT 1 FROM requisition_team t
                                             WHERE t.requisition_id = j.id AND t.user_id = $2))
         ORDER BY i.starts_at, i.id LIMIT 50"
    ))
    .bind(org_id)
    .bind(user_id)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await
}

/// Serializes bookings for one interviewer until the transaction ends: two bookings at
/// once would otherwise both find the slot free and both be written. Taken before the
/// clash check and held through the insert or move (also when booking "anyway", so a
/// checked booking beside it sees it).
pub async fn lock_schedule(
    conn: &mut PgConnection,
    interviewer_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "SELECT pg_advisory_xact_lock(hashtextextended('interviews.schedule:' || $1::text, 0))",
    )
    .bind(interviewer_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The interviewer's scheduled interviews that could overlap [from, to): those starting
/// before `to` and at most the longest duration before `from`; the caller keeps the ones
/// that really overlap.
pub async fn scheduled_near(
    conn: &mut PgConnection,
    org_id: Uuid,
    interviewer_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except: Option<Uuid>,
) -> Result<Vec<(DateTime<Utc>, i32)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT starts_at, duration_minutes FROM interviews
         WHERE interviewer_id = $1 AND org_id = $2 AND status = 'scheduled'
           AND starts_at < $4 AND starts_at > $3 - make_interval(mins => $5)
           AND id IS DISTINCT FROM $6
         ORDER BY starts_at",
    )
    .bind(interviewer_id)
    .bind(org_id)
    .bind(from)
    .bind(to)
    .bind(MAX_DURATION_MINUTES)
    .bind(except)
    .fetch_all(conn)
    .await
}

pub struct NewInterview<'a> {
    pub org_id: Uuid,
    pub application_id: Uuid,
    pub interviewer_id: Uuid,
    pub kind: InterviewKind,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub location: &'a str,
    pub video_url: &'a str,
    pub instructions: &'a str,
    pub invite_candidate: bool,
    pub created_by: Uuid,
    pub plan_stage_id: Option<Uuid>,
}

pub async fn insert(conn: &mut PgConnection, new: NewInterview<'_>) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO interviews (org_id, application_id, interviewer_id, kind, starts_at,
                                 duration_minutes, location, video_url, instructions,
                                 invite_candidate, created_by, plan_stage_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(new.org_id)
    .bind(new.application_id)
    .bind(new.interviewer_id)
    .bind(new.kind)
    .bind(new.starts_at)
    .bind(new.duration_minutes)
    .bind(new.location)
    .bind(new.video_url)
    .bind(new.instructions)
    .bind(new.invite_candidate)
    .bind(new.created_by)
    .bind(new.plan_stage_id)
    .fetch_one(conn)
    .await
}

/// Moves a scheduled interview; the calendar sequence goes up and the feedback reminders
/// start over from the new end.
pub async fn reschedule(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    starts_at: DateTime<Utc>,
    duration_minutes: i32,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE interviews SET starts_at = $3, duration_minutes = $4, sequence = sequence + 1,
                feedback_reminders = 0, feedback_reminded_at = NULL, updated_at = now()
         WHERE id = $1 AND org_id = $2 AND status = 'scheduled'",
    )
    .bind(id)
    .bind(org_id)
    .bind(starts_at)
    .bind(duration_minutes)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Changes the status of a scheduled interview (a cancellation also raises the sequence).
pub async fn set_status(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    status: InterviewStatus,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE interviews SET status = $3,
                sequence = sequence + CASE WHEN $3 = 'cancelled' THEN 1 ELSE 0 END,
                updated_at = now()
         WHERE id = $1 AND org_id = $2 AND status = 'scheduled'",
    )
    .bind(id)
    .bind(org_id)
    .bind(status)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Who can interview: the organization's active staff, any role.
pub async fn interviewers(
    pool: &PgPool,
    org_id: Uuid,
) -> Result<Vec<(Uuid, String, Role)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, full_name, role FROM users WHERE org_id = $1 AND is_active
         ORDER BY lower(full_name), id",
    )
    .bind(org_id)
    .fetch_all(pool)
    .await
}

/// An active staff member of the organization: (name, email).
pub async fn active_user(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT full_name, email FROM users WHERE id = $1 AND org_id = $2 AND is_active")
        .bind(id)
        .bind(org_id)
        .fetch_optional(conn)
        .await
}

/// What an interviewer may know of the candidate beyond the name: headline and skills.
pub async fn candidate_brief(
    pool: &PgPool,
    org_id: Uuid,
    candidate_id: Uuid,
) -> Result<(String, Vec<String>), sqlx::Error> {
    let headline: Option<String> =
        sqlx::query_scalar("SELECT headline FROM candidates WHERE id = $1 AND org_id = $2")
            .bind(candidate_id)
            .bind(org_id)
            .fetch_optional(pool)
            .await?;
    let skills: Vec<String> = sqlx::query_scalar(
        "SELECT s.name FROM candidate_skills cs JOIN skills s ON s.id = cs.skill_id
         WHERE cs.candidate_id = $1 AND s.org_id = $2 ORDER BY lower(s.name)",
    )
    .bind(candidate_id)
    .bind(org_id)
    .fetch_all(pool)
    .await?;
    Ok((headline.unwrap_or_default(), skills))
}

/// The requisition's job description (Markdown).
pub async fn job_description(
    pool: &PgPool,
    org_id: Uuid,
    requisition_id: Uuid,
) -> Result<String, sqlx::Error> {
    let description: Option<String> = sqlx::query_scalar(
        "SELECT description_md FROM job_requisitions WHERE id = $1 AND org_id = $2",
    )
    .bind(requisition_id)
    .bind(org_id)
    .fetch_optional(pool)
    .await?;
    Ok(description.unwrap_or_default())
}
