//! Queries of stages, applications and their moves. Every one is scoped by organization.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

use super::{ApplicationSummary, BoardAssessment, Card, Reason, Stage, StageChange, StageKind};
use crate::results::SessionStatus;

/// What the board offers besides its cards.
pub struct BoardConfig {
    pub stages: Vec<Stage>,
    pub reasons: Vec<Reason>,
    /// The requisition's published assessments, for inviting.
    pub assessments: Vec<BoardAssessment>,
}

/// The organization's active stages in board order, its rejection reasons and the
/// requisition's published assessments, in one query: the board asks for all on every load.
pub async fn board_config(
    pool: &PgPool,
    org_id: Uuid,
    requisition_id: Uuid,
) -> Result<BoardConfig, sqlx::Error> {
    let rows: Vec<(i32, Uuid, String, Option<StageKind>, i32)> = sqlx::query_as(
        "SELECT what, id, name, kind, version FROM (
             SELECT 0 AS what, id, name, kind, position, 0 AS version FROM pipeline_stages
             WHERE org_id = $1 AND is_active
             UNION ALL
             SELECT 1, id, label, NULL, position, 0 FROM rejection_reasons
             WHERE org_id = $1 AND is_active
             UNION ALL
             SELECT 2, id, title, NULL, 0, version FROM assessments
             WHERE org_id = $1 AND requisition_id = $2 AND status = 'published' AND is_active) AS config
         ORDER BY what, position, name, version",
    )
    .bind(org_id)
    .bind(requisition_id)
    .fetch_all(pool)
    .await?;
    let mut config = BoardConfig {
        stages: Vec::new(),
        reasons: Vec::new(),
        assessments: Vec::new(),
    };
    // Only stages have a kind.
    for (what, id, name, kind, version) in rows {
        match (kind, what) {
            (Some(kind), _) => config.stages.push(Stage { id, name, kind }),
            (None, 1) => config.reasons.push(Reason { id, label: name }),
            (None, _) => config.assessments.push(BoardAssessment {
                id,
                title: name,
                version,
            }),
        }
    }
    Ok(config)
}

pub async fn stage(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<Stage>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, kind FROM pipeline_stages WHERE id = $1 AND org_id = $2 AND is_active",
    )
    .bind(id)
    .bind(org_id)
    .fetch_optional(conn)
    .await
}

/// Where a new application starts: the first active stage.
pub async fn first_stage(conn: &mut PgConnection, org_id: Uuid) -> Result<Stage, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, kind FROM pipeline_stages
         WHERE org_id = $1 AND is_active AND kind = 'active' ORDER BY position LIMIT 1",
    )
    .bind(org_id)
    .fetch_one(conn)
    .await
}

/// The organization's active, not outcome, stage with this name (any case) that comes
/// first on the board, with its position.
pub async fn active_stage_named(
    conn: &mut PgConnection,
    org_id: Uuid,
    name: &str,
) -> Result<Option<(Stage, i32)>, sqlx::Error> {
    let row: Option<(Uuid, String, StageKind, i32)> = sqlx::query_as(
        "SELECT id, name, kind, position FROM pipeline_stages
         WHERE org_id = $1 AND is_active AND kind = 'active' AND lower(name) = lower($2)
         ORDER BY position LIMIT 1",
    )
    .bind(org_id)
    .bind(name)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id, name, kind, position)| (Stage { id, name, kind }, position)))
}

pub async fn reason_exists(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM rejection_reasons WHERE id = $1 AND org_id = $2 AND is_active)")
        .bind(id)
        .bind(org_id)
        .fetch_one(conn)
        .await
}

#[derive(sqlx::FromRow)]
struct CardRow {
    stage_id: Uuid,
    application_id: Uuid,
    candidate_id: Uuid,
    candidate_name: String,
    tags: Vec<String>,
    stage_entered_at: DateTime<Utc>,
    rejection_reason: Option<String>,
    test_status: Option<SessionStatus>,
    test_score: Option<f64>,
    test_max: Option<f64>,
    test_passed: Option<bool>,
    test_band: Option<crate::results::Band>,
    test_disposition: Option<crate::results::Disposition>,
    upcoming: i64,
    held: i64,
    feedback_in: i64,
    next_end: Option<DateTime<Utc>>,
    skill_percent: Option<i16>,
    skill_required_found: Option<i32>,
    skill_required_total: Option<i32>,
}

/// Every application of the requisition with its stage, longest in stage first.
pub async fn cards(
    pool: &PgPool,
    org_id: Uuid,
    requisition_id: Uuid,
) -> Result<Vec<(Uuid, Card)>, sqlx::Error> {
    let rows: Vec<CardRow> = sqlx::query_as(
        "SELECT a.stage_id, a.id AS application_id, c.id AS candidate_id, c.full_name AS candidate_name,
                c.tags, a.stage_entered_at, r.label AS rejection_reason, t.status AS test_status,
                t.score AS test_score, t.max_score AS test_max, t.passed AS test_passed,
                t.band AS test_band, t.disposition AS test_disposition,
                iv.upcoming, iv.held, iv.feedback_in, iv.next_end,
                sc.percent AS skill_percent, sc.required_found AS skill_required_found,
                sc.required_total AS skill_required_total
         FROM applications a
         JOIN candidates c ON c.id = a.candidate_id
         LEFT JOIN application_skill_scores sc ON sc.application_id = a.id
         LEFT JOIN rejection_reasons r ON r.id = a.rejection_reason_id
         LEFT JOIN LATERAL (
             SELECT s.status, s.score, s.max_score, s.passed, r.band, r.disposition
             FROM assessment_applications aa
             JOIN test_sessions s ON s.assessment_application_id = aa.id
             LEFT JOIN proctoring_reviews r ON r.session_id = s.id
             WHERE aa.application_id = a.id ORDER BY s.started_at DESC LIMIT 1) t ON true
         CROSS JOIN LATERAL (
             SELECT count(*) FILTER (WHERE NOT e.held) AS upcoming,
                    count(*) FILTER (WHERE e.held) AS held,
                    count(*) FILTER (WHERE e.held AND e.submitted) AS feedback_in,
                    min(e.ends_at) FILTER (WHERE NOT e.held) AS next_end
             FROM (SELECT w.ends_at, i.status = 'completed' OR w.ends_at <= now() AS held,
                          f.status IS NOT DISTINCT FROM 'submitted' AS submitted
                   FROM interviews i
                   CROSS JOIN LATERAL (SELECT i.starts_at
                       + make_interval(mins => i.duration_minutes) AS ends_at) w
                   LEFT JOIN interview_feedback f ON f.interview_id = i.id
                   WHERE i.application_id = a.id
                     AND i.status IN ('scheduled', 'completed')) e) iv
         WHERE a.requisition_id = $1 AND a.org_id = $2 AND c.is_active
         ORDER BY a.stage_entered_at, c.full_name",
    )
    .bind(requisition_id)
    .bind(org_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            (
                row.stage_id,
                Card {
                    application_id: row.application_id,
                    candidate_id: row.candidate_id,
                    candidate_name: row.candidate_name,
                    tags: row.tags,
                    stage_entered_at: row.stage_entered_at,
                    rejection_reason: row.rejection_reason,
                    result: row.test_status.map(|status| crate::results::ResultBadge {
                        percent: crate::questions::scoring::percent(
                            row.test_score.unwrap_or(0.0),
                            row.test_max.unwrap_or(0.0),
                        ),
                        verdict: crate::results::Verdict::of(status, row.test_passed),
                    }),
                    proctoring: row.test_band.map(|band| crate::results::ProctoringMark {
                        band,
                        disposition: row.test_disposition,
                    }),
                    interviews: super::CardInterviews {
                        upcoming: row.upcoming,
                        held: row.held,
                        feedback_in: row.feedback_in,
                        next_end: row.next_end,
                    },
                    skills: row.skill_percent.map(|percent| crate::skills::SkillBadge {
                        percent,
                        required_found: row.skill_required_found.unwrap_or(0),
                        required_total: row.skill_required_total.unwrap_or(0),
                    }),
                },
            )
        })
        .collect())
}

/// Creates the application in `stage` and records its first move.
pub async fn insert_application(
    conn: &mut PgConnection,
    org_id: Uuid,
    candidate_id: Uuid,
    requisition_id: Uuid,
    stage: &Stage,
    by: Option<Uuid>,
    via: crate::candidates::Via,
) -> Result<Uuid, sqlx::Error> {
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO applications (org_id, candidate_id, requisition_id, stage_id, created_by, via)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(org_id)
    .bind(candidate_id)
    .bind(requisition_id)
    .bind(stage.id)
    .bind(by)
    .bind(via)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO application_stage_changes (org_id, application_id, to_stage_id, moved_by)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(org_id)
    .bind(id)
    .bind(stage.id)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(id)
}

/// The candidate's application to the requisition with its stage's kind and position.
pub async fn application_of(
    conn: &mut PgConnection,
    org_id: Uuid,
    candidate_id: Uuid,
    requisition_id: Uuid,
) -> Result<Option<(Uuid, StageKind, i32)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, s.kind, s.position FROM applications a
         JOIN pipeline_stages s ON s.id = a.stage_id
         WHERE a.org_id = $1 AND a.candidate_id = $2 AND a.requisition_id = $3",
    )
    .bind(org_id)
    .bind(candidate_id)
    .bind(requisition_id)
    .fetch_optional(conn)
    .await
}

/// The candidates of those of `ids` that are applications to the requisition.
pub async fn candidates_of(
    conn: &mut PgConnection,
    org_id: Uuid,
    requisition_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT candidate_id FROM applications WHERE org_id = $1 AND requisition_id = $2 AND id = ANY($3)",
    )
    .bind(org_id)
    .bind(requisition_id)
    .bind(ids)
    .fetch_all(conn)
    .await
}

/// The names of the candidates of those of `ids` that are applications to the requisition.
pub async fn candidate_names(
    conn: &mut PgConnection,
    org_id: Uuid,
    requisition_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT c.full_name FROM applications a JOIN candidates c ON c.id = a.candidate_id
         WHERE a.org_id = $1 AND a.requisition_id = $2 AND a.id = ANY($3) ORDER BY c.full_name",
    )
    .bind(org_id)
    .bind(requisition_id)
    .bind(ids)
    .fetch_all(conn)
    .await
}

/// How many of `ids` are applications to the requisition.
pub async fn count_in_requisition(
    conn: &mut PgConnection,
    org_id: Uuid,
    requisition_id: Uuid,
    ids: &[Uuid],
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM applications WHERE org_id = $1 AND requisition_id = $2 AND id = ANY($3)")
        .bind(org_id)
        .bind(requisition_id)
        .bind(ids)
        .fetch_one(conn)
        .await
}

/// Moves the applications to `to` and records each move; those already there stay.
/// Returns how many moved.
pub async fn move_many(
    conn: &mut PgConnection,
    org_id: Uuid,
    requisition_id: Uuid,
    ids: &[Uuid],
    to: &Stage,
    reason: Option<Uuid>,
    by: Uuid,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "WITH moved AS (
             UPDATE applications a
             SET stage_id = $4, rejection_reason_id = $5, stage_entered_at = now(), updated_at = now()
             FROM applications old
             WHERE a.id = old.id AND a.org_id = $1 AND a.requisition_id = $2 AND a.id = ANY($3)
               AND a.stage_id <> $4
             RETURNING a.id, old.stage_id AS from_stage)
         INSERT INTO application_stage_changes
             (org_id, application_id, from_stage_id, to_stage_id, rejection_reason_id, moved_by)
         SELECT $1, id, from_stage, $4, $5, $6 FROM moved",
    )
    .bind(org_id)
    .bind(requisition_id)
    .bind(ids)
    .bind(to.id)
    .bind(reason)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

pub async fn hires(conn: &mut PgConnection, requisition_id: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT count(*) FROM applications a JOIN pipeline_stages s ON s.id = a.stage_id
         WHERE a.requisition_id = $1 AND s.kind = 'hired'",
    )
    .bind(requisition_id)
    .fetch_one(conn)
    .await
}

#[derive(sqlx::FromRow)]
struct ApplicationRow {
    id: Uuid,
    requisition_id: Uuid,
    title: String,
    stage: String,
    rejection_reason: Option<String>,
}

/// The moves with their stage, reason and mover names; callers add the filter.
const CHANGES: &str =
    "SELECT h.application_id, h.created_at, f.name AS from_stage, t.name AS to_stage,
        u.full_name AS moved_by, r.label AS reason
    FROM application_stage_changes h
    LEFT JOIN pipeline_stages f ON f.id = h.from_stage_id
    JOIN pipeline_stages t ON t.id = h.to_stage_id
    LEFT JOIN users u ON u.id = h.moved_by
    LEFT JOIN rejection_reasons r ON r.id = h.rejection_reason_id";

#[derive(Clone, sqlx::FromRow)]
struct ChangeRow {
    application_id: Uuid,
    created_at: DateTime<Utc>,
    from_stage: Option<String>,
    to_stage: String,
    moved_by: Option<String>,
    reason: Option<String>,
}

impl ChangeRow {
    fn into_change(self) -> StageChange {
        StageChange {
            at: self.created_at,
            from: self.from_stage,
            to: self.to_stage,
            by: self.moved_by,
            reason: self.reason,
        }
    }
}

/// The candidate's applications with their full history, newest application first.
pub async fn of_candidate(
    pool: &PgPool,
    org_id: Uuid,
    candidate_id: Uuid,
) -> Result<Vec<ApplicationSummary>, sqlx::Error> {
    let applications: Vec<ApplicationRow> = sqlx::query_as(
        "SELECT a.id, a.requisition_id, j.title, s.name AS stage, r.label AS rejection_reason
         FROM applications a
         JOIN job_requisitions j ON j.id = a.requisition_id
         JOIN pipeline_stages s ON s.id = a.stage_id
         LEFT JOIN rejection_reasons r ON r.id = a.rejection_reason_id
         WHERE a.candidate_id = $1 AND a.org_id = $2
         ORDER BY a.created_at DESC",
    )
    .bind(candidate_id)
    .bind(org_id)
    .fetch_all(pool)
    .await?;
    let changes: Vec<ChangeRow> = sqlx::query_as(&format!(
        "{CHANGES} JOIN applications a ON a.id = h.application_id
         WHERE a.candidate_id = $1 AND h.org_id = $2 ORDER BY h.id"
    ))
    .bind(candidate_id)
    .bind(org_id)
    .fetch_all(pool)
    .await?;
    Ok(applications
        .into_iter()
        .map(|row| ApplicationSummary {
            history: changes
                .iter()
                .filter(|change| change.application_id == row.id)
                .cloned()
                .map(ChangeRow::into_change)
                .collect(),
            application_id: row.id,
            requisition_id: row.requisition_id,
            requisition_title: row.title,
            stage: row.stage,
            rejection_reason: row.rejection_reason,
        })
        .collect())
}

/// Requisitions still taking candidates that this candidate is not in yet.
pub async fn requisitions_to_join(
    pool: &PgPool,
    org_id: Uuid,
    candidate_id: Uuid,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT j.id, j.title FROM job_requisitions j
         WHERE j.org_id = $1 AND j.is_active AND j.status IN ('draft', 'open', 'on_hold')
           AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.requisition_id = j.id AND a.candidate_id = $2)
         ORDER BY lower(j.title)",
    )
    .bind(org_id)
    .bind(candidate_id)
    .fetch_all(pool)
    .await
}

/// One application's moves, oldest first.
pub async fn history(
    pool: &PgPool,
    org_id: Uuid,
    application_id: Uuid,
) -> Result<Vec<StageChange>, sqlx::Error> {
    let rows: Vec<ChangeRow> = sqlx::query_as(&format!(
        "{CHANGES} WHERE h.application_id = $1 AND h.org_id = $2 ORDER BY h.id"
    ))
    .bind(application_id)
    .bind(org_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(ChangeRow::into_change).collect())
}

/// An application with the names its pages and messages show.
#[derive(Debug, sqlx::FromRow)]
pub struct ApplicationContext {
    pub id: Uuid,
    pub candidate_id: Uuid,
    pub candidate_name: String,
    pub requisition_id: Uuid,
    pub requisition_title: String,
    pub stage: String,
}

pub async fn application(
    executor: impl PgExecutor<'_>,
    org_id: Uuid,
    application_id: Uuid,
) -> Result<Option<ApplicationContext>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.candidate_id, c.full_name AS candidate_name, a.requisition_id,
                j.title AS requisition_title, s.name AS stage
         FROM applications a
         JOIN candidates c ON c.id = a.candidate_id
         JOIN job_requisitions j ON j.id = a.requisition_id
         JOIN pipeline_stages s ON s.id = a.stage_id
         WHERE a.id = $1 AND a.org_id = $2",
    )
    .bind(application_id)
    .bind(org_id)
    .fetch_optional(executor)
    .await
}
