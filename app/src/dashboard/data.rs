//! The dashboard's queues, each one query scoped to the organization (and to the viewer
//! where the queue is theirs).

use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::PgPool;
use uuid::Uuid;

use super::{DecisionWork, GradingWork, Queue, RequisitionWork, LIMIT};
use crate::requisitions::RequisitionStatus;

/// "Requisitions of mine" as SQL on `r` (job_requisitions) for the user `$2`: a hiring
/// manager's (when the boolean parameter `as_manager` is true) are those they manage;
/// anyone else's those they opened or are on the team of.
fn mine(as_manager: &str) -> String {
    format!(
        "(CASE WHEN {as_manager} THEN r.hiring_manager_id = $2
               ELSE r.created_by = $2 OR EXISTS (SELECT 1 FROM requisition_team t
                                                 WHERE t.requisition_id = r.id AND t.user_id = $2)
          END)"
    )
}

#[derive(sqlx::FromRow)]
struct RequisitionRow {
    id: Uuid,
    title: String,
    status: RequisitionStatus,
    active: i64,
    stages: Json<Vec<(String, i64)>>,
    new_since: i64,
}

/// My requisitions that are open (and, for a hiring manager, drafts and those on hold),
/// with their candidates per active stage, in stage order, and how many applied since
/// `since`.
pub async fn my_requisitions(
    pool: &PgPool,
    org_id: Uuid,
    user_id: Uuid,
    as_manager: bool,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<RequisitionWork>, sqlx::Error> {
    let rows: Vec<RequisitionRow> = sqlx::query_as(&format!(
        "SELECT r.id, r.title, r.status,
                coalesce(sum(c.n) FILTER (WHERE s.id IS NOT NULL), 0)::bigint AS active,
                coalesce(json_agg(json_build_array(s.name, c.n) ORDER BY s.position)
                         FILTER (WHERE s.id IS NOT NULL), '[]') AS stages,
                (SELECT count(*) FROM applications a
                 WHERE a.requisition_id = r.id AND a.created_at > $4) AS new_since
         FROM job_requisitions r
         LEFT JOIN LATERAL (SELECT a.stage_id, count(*) AS n FROM applications a
                            WHERE a.requisition_id = r.id GROUP BY a.stage_id) c ON true
         LEFT JOIN pipeline_stages s ON s.id = c.stage_id AND s.kind = 'active'
         WHERE r.org_id = $1 AND r.is_active AND {mine}
           AND (r.status = 'open' OR ($3 AND r.status IN ('draft', 'on_hold')))
         GROUP BY r.id
         ORDER BY r.status <> 'open', r.created_at DESC, r.id
         LIMIT 20",
        mine = mine("$3")
    ))
    .bind(org_id)
    .bind(user_id)
    .bind(as_manager)
    .bind(since)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| RequisitionWork {
            id: row.id,
            title: row.title,
            status: row.status,
            active: row.active,
            stages: row.stages.0,
            new_since: row.new_since,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct GradingRow {
    session_id: Uuid,
    candidate_name: String,
    assessment_title: String,
    answers: i32,
    total: i64,
}

/// Finished test sessions with answers waiting for a person to grade them, the longest
/// waiting first.
pub async fn grading(pool: &PgPool, org_id: Uuid) -> Result<Queue<GradingWork>, sqlx::Error> {
    let rows: Vec<GradingRow> = sqlx::query_as(
        "SELECT s.id AS session_id, c.full_name AS candidate_name, a.title AS assessment_title,
                s.ungraded_count AS answers, count(*) OVER () AS total
         FROM test_sessions s
         JOIN assessments a ON a.id = s.assessment_id
         JOIN assessment_applications aa ON aa.id = s.assessment_application_id
         JOIN candidates c ON c.id = aa.candidate_id
         WHERE s.org_id = $1 AND s.ungraded_count > 0 AND s.status <> 'in_progress'
         ORDER BY s.finished_at, s.id
         LIMIT $2",
    )
    .bind(org_id)
    .bind(LIMIT)
    .fetch_all(pool)
    .await?;
    Ok(Queue::of(
        rows,
        |row| row.total,
        |row| GradingWork {
            session_id: row.session_id,
            candidate_name: row.candidate_name,
            assessment_title: row.assessment_title,
            answers: row.answers,
        },
    ))
}

#[derive(sqlx::FromRow)]
pub struct ExpiringRow {
    pub assessment_id: Uuid,
    pub candidate_name: String,
    pub assessment_title: String,
    pub expires_at: DateTime<Utc>,
    pub total: i64,
}

/// Test links that expire before `until` and were never opened to start the test (not
/// revoked), the soonest first.
pub async fn expiring_invites(
    pool: &PgPool,
    org_id: Uuid,
    until: DateTime<Utc>,
) -> Result<Vec<ExpiringRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id AS assessment_id, c.full_name AS candidate_name,
                a.title AS assessment_title, t.expires_at, count(*) OVER () AS total
         FROM assessment_tokens t
         JOIN assessment_applications aa ON aa.id = t.assessment_application_id
         JOIN assessments a ON a.id = aa.assessment_id
         JOIN candidates c ON c.id = aa.candidate_id
         WHERE t.org_id = $1 AND t.revoked_at IS NULL
           AND t.expires_at > now() AND t.expires_at <= $2
           AND NOT EXISTS (SELECT 1 FROM test_sessions s WHERE s.token_id = t.id)
         ORDER BY t.expires_at, t.id
         LIMIT $3",
    )
    .bind(org_id)
    .bind(until)
    .bind(LIMIT)
    .fetch_all(pool)
    .await
}

#[derive(sqlx::FromRow)]
pub struct OwedRow {
    pub interview_id: Uuid,
    pub application_id: Uuid,
    pub candidate_name: String,
    pub requisition_title: String,
    pub interviewer_name: String,
    pub due_at: DateTime<Utc>,
    pub total: i64,
}

/// Interviews that have ended (scheduled or completed, not cancelled nor no-shows) whose
/// feedback is not submitted, the longest owed first: the viewer's own (`Owed::Mine`), or,
/// past their due time, those on the viewer's requisitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owed {
    Mine,
    OverdueOnMyRequisitions { as_manager: bool },
}

pub async fn owed_feedback(
    pool: &PgPool,
    org_id: Uuid,
    user_id: Uuid,
    which: Owed,
) -> Result<Vec<OwedRow>, sqlx::Error> {
    let scope = match which {
        Owed::Mine => "i.interviewer_id = $2".to_string(),
        Owed::OverdueOnMyRequisitions { .. } => format!("{} AND {DUE_AT} <= now()", mine("$4")),
    };
    let sql = format!(
        "SELECT i.id AS interview_id, i.application_id, c.full_name AS candidate_name,
                r.title AS requisition_title, u.full_name AS interviewer_name,
                {DUE_AT} AS due_at, count(*) OVER () AS total
         FROM interviews i
         JOIN organizations o ON o.id = i.org_id
         JOIN users u ON u.id = i.interviewer_id
         JOIN applications a ON a.id = i.application_id
         JOIN candidates c ON c.id = a.candidate_id
         JOIN job_requisitions r ON r.id = a.requisition_id
         WHERE i.org_id = $1 AND i.status IN ('scheduled', 'completed')
           AND i.starts_at + make_interval(mins => i.duration_minutes) <= now()
           AND NOT EXISTS (SELECT 1 FROM interview_feedback f
                           WHERE f.interview_id = i.id AND f.status = 'submitted')
           AND {scope}
         ORDER BY i.starts_at, i.id
         LIMIT $3"
    );
    let query = sqlx::query_as(&sql).bind(org_id).bind(user_id).bind(LIMIT);
    let query = match which {
        Owed::Mine => query,
        Owed::OverdueOnMyRequisitions { as_manager } => query.bind(as_manager),
    };
    query.fetch_all(pool).await
}

/// When an interview's feedback is due: its end plus the organization's hours.
const DUE_AT: &str =
    "(i.starts_at + make_interval(mins => i.duration_minutes) + make_interval(hours => o.feedback_due_hours))";

#[derive(sqlx::FromRow)]
struct DecisionRow {
    application_id: Uuid,
    candidate_name: String,
    requisition_title: String,
    stage_name: String,
    feedback: i64,
    total: i64,
}

/// Applications on requisitions the hiring manager manages, in an active stage, whose
/// interviews (not cancelled nor no-shows) all have submitted feedback, one of them first
/// submitted since the application entered its stage: a decision moves it on and takes it
/// off the list, and an edit of feedback afterwards does not put it back.
pub async fn decisions(
    pool: &PgPool,
    org_id: Uuid,
    manager_id: Uuid,
) -> Result<Queue<DecisionWork>, sqlx::Error> {
    let rows: Vec<DecisionRow> = sqlx::query_as(
        "SELECT a.id AS application_id, c.full_name AS candidate_name,
                r.title AS requisition_title, s.name AS stage_name,
                count(*) AS feedback, count(*) OVER () AS total
         FROM applications a
         JOIN job_requisitions r ON r.id = a.requisition_id
         JOIN pipeline_stages s ON s.id = a.stage_id AND s.kind = 'active'
         JOIN candidates c ON c.id = a.candidate_id
         JOIN interviews i ON i.application_id = a.id AND i.status IN ('scheduled', 'completed')
         LEFT JOIN interview_feedback f ON f.interview_id = i.id AND f.status = 'submitted'
         WHERE a.org_id = $1 AND r.hiring_manager_id = $2
         GROUP BY a.id, c.full_name, r.title, s.name
         HAVING bool_and(f.id IS NOT NULL) AND max(f.first_submitted_at) > a.stage_entered_at
         ORDER BY max(f.first_submitted_at), a.id
         LIMIT $3",
    )
    .bind(org_id)
    .bind(manager_id)
    .bind(LIMIT)
    .fetch_all(pool)
    .await?;
    Ok(Queue::of(
        rows,
        |row| row.total,
        |row| DecisionWork {
            application_id: row.application_id,
            candidate_name: row.candidate_name,
            requisition_title: row.requisition_title,
            stage_name: row.stage_name,
            feedback: row.feedback,
        },
    ))
}

/// The user's sign-in before this one.
pub async fn previous_sign_in(
    pool: &PgPool,
    user_id: Uuid,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    sqlx::query_scalar("SELECT previous_sign_in_at FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(pool)
        .await
        .map(Option::flatten)
}
