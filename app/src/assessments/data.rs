//! Queries of assessments, their items, the frozen questions, invites and results. Every
//! one is scoped by organization; the question bank is only read here.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{
    AssessmentInput, AssessmentStatus, DrawChoice, ItemSource, ItemView, Proctoring, QuestionChoice,
};
use crate::markdown::headline;
use crate::questions::model::QuestionKind;
use crate::results::SessionStatus;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssessmentRow {
    pub id: Uuid,
    pub family_id: Uuid,
    pub version: i32,
    pub requisition_id: Uuid,
    pub requisition_title: String,
    pub title: String,
    pub instructions_md: String,
    pub time_limit_minutes: i32,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
    pub pass_mark_percent: i32,
    pub available_from: Option<DateTime<Utc>>,
    pub available_until: Option<DateTime<Utc>>,
    pub attempts_allowed: i32,
    pub proctoring: serde_json::Value,
    pub status: AssessmentStatus,
}

impl AssessmentRow {
    pub fn proctoring(&self) -> Proctoring {
        serde_json::from_value(self.proctoring.clone()).unwrap_or_default()
    }
}

const SELECT: &str =
    "SELECT a.id, a.family_id, a.version, a.requisition_id, j.title AS requisition_title,
        a.title, a.instructions_md, a.time_limit_minutes, a.shuffle_questions, a.shuffle_options,
        a.pass_mark_percent, a.available_from, a.available_until, a.attempts_allowed,
        a.proctoring, a.status
    FROM assessments a JOIN job_requisitions j ON j.id = a.requisition_id";

pub async fn find(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<AssessmentRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE a.id = $1 AND a.org_id = $2 AND a.is_active"
    ))
    .bind(id)
    .bind(org_id)
    .fetch_optional(conn)
    .await
}

/// Locks the assessment row for a change of its content or status.
pub async fn lock(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT 1 FROM assessments WHERE id = $1 FOR UPDATE")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Serializes opening a family's next version until the transaction ends, so that two
/// editors at once open one draft, not two.
pub async fn lock_family(conn: &mut PgConnection, family_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1::text))")
        .bind(family_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The newest version of each assessment family, newest first.
pub async fn list(
    pool: &PgPool,
    org_id: Uuid,
    managed_by: Option<Uuid>,
    requisition_id: Option<Uuid>,
    status: Option<AssessmentStatus>,
) -> Result<Vec<super::AssessmentSummary>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.title, a.version, a.status, a.requisition_id, j.title AS requisition_title,
                (SELECT count(*) FROM assessment_items i WHERE i.assessment_id = a.id) AS items,
                (SELECT count(*) FROM assessment_applications aa
                 JOIN assessments f ON f.id = aa.assessment_id WHERE f.family_id = a.family_id) AS invited,
                (SELECT count(*) FROM test_sessions s
                 JOIN assessments f ON f.id = s.assessment_id WHERE f.family_id = a.family_id) AS sessions
         FROM (SELECT DISTINCT ON (family_id) * FROM assessments
               WHERE org_id = $1 AND is_active ORDER BY family_id, version DESC) a
         JOIN job_requisitions j ON j.id = a.requisition_id
         WHERE ($2::uuid IS NULL OR j.hiring_manager_id = $2)
           AND ($3::uuid IS NULL OR a.requisition_id = $3)
           AND ($4::text IS NULL OR a.status = $4)
         ORDER BY a.created_at DESC
         LIMIT 500",
    )
    .bind(org_id)
    .bind(managed_by)
    .bind(requisition_id)
    .bind(status)
    .fetch_all(pool)
    .await
}

/// Requisitions of the organization (those `managed_by` manages, when given) that are
/// still hiring: (id, title).
pub async fn requisitions(
    pool: &PgPool,
    org_id: Uuid,
    managed_by: Option<Uuid>,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, title FROM job_requisitions
         WHERE org_id = $1 AND status NOT IN ('cancelled', 'filled')
           AND ($2::uuid IS NULL OR hiring_manager_id = $2)
         ORDER BY lower(title) LIMIT 500",
    )
    .bind(org_id)
    .bind(managed_by)
    .fetch_all(pool)
    .await
}

pub async fn insert(
    conn: &mut PgConnection,
    org_id: Uuid,
    by: Uuid,
    input: &AssessmentInput,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO assessments (id, org_id, family_id, requisition_id, title, instructions_md,
             time_limit_minutes, shuffle_questions, shuffle_options, pass_mark_percent,
             available_from, available_until, attempts_allowed, proctoring, created_by)
         VALUES ($1, $2, $1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(id)
    .bind(org_id)
    .bind(input.requisition_id)
    .bind(&input.title)
    .bind(&input.instructions)
    .bind(input.time_limit_minutes)
    .bind(input.shuffle_questions)
    .bind(input.shuffle_options)
    .bind(input.pass_mark_percent)
    .bind(input.available_from)
    .bind(input.available_until)
    .bind(input.attempts_allowed)
    .bind(serde_json::to_value(input.proctoring).unwrap_or_default())
    .bind(by)
    .execute(conn)
    .await?;
    Ok(id)
}

/// Changes a draft's settings; false when it is no longer a draft.
pub async fn update(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    input: &AssessmentInput,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE assessments SET requisition_id = $3, title = $4, instructions_md = $5,
             time_limit_minutes = $6, shuffle_questions = $7, shuffle_options = $8,
             pass_mark_percent = $9, available_from = $10, available_until = $11,
             attempts_allowed = $12, proctoring = $13, updated_at = now()
         WHERE id = $1 AND org_id = $2 AND status = 'draft'",
    )
    .bind(id)
    .bind(org_id)
    .bind(input.requisition_id)
    .bind(&input.title)
    .bind(&input.instructions)
    .bind(input.time_limit_minutes)
    .bind(input.shuffle_questions)
    .bind(input.shuffle_options)
    .bind(input.pass_mark_percent)
    .bind(input.available_from)
    .bind(input.available_until)
    .bind(input.attempts_allowed)
    .bind(serde_json::to_value(input.proctoring).unwrap_or_default())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: Uuid,
    position: i32,
    kind: Option<QuestionKind>,
    prompt_md: Option<String>,
    set_title: Option<String>,
    draw_tag: Option<String>,
    draw_count: Option<i32>,
}

/// The items in order, with what each asks.
pub async fn items(
    conn: &mut PgConnection,
    assessment_id: Uuid,
) -> Result<Vec<ItemView>, sqlx::Error> {
    let rows: Vec<ItemRow> = sqlx::query_as(
        "SELECT i.id, i.position, q.kind, q.prompt_md, s.title AS set_title, i.draw_tag, i.draw_count
             FROM assessment_items i
             LEFT JOIN questions q ON q.id = i.question_id
             LEFT JOIN question_sets s ON s.id = i.draw_set_id
             WHERE i.assessment_id = $1
             ORDER BY i.position",
    )
    .bind(assessment_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let ItemRow {
                id,
                position,
                kind,
                prompt_md: prompt,
                set_title: set,
                draw_tag: tag,
                draw_count: count,
            } = row;
            let source = match (prompt, set, tag, count) {
                (Some(prompt), _, _, _) => ItemSource::Question {
                    headline: headline(&prompt),
                    kind,
                },
                (_, Some(title), _, Some(count)) => ItemSource::FromSet { title, count },
                (_, _, Some(tag), Some(count)) => ItemSource::FromTag { tag, count },
                _ => ItemSource::Missing,
            };
            ItemView {
                id,
                position,
                source,
                asks: count.unwrap_or(1),
            }
        })
        .collect())
}

/// What the item pickers offer: active questions of active sets, sets and tags, with counts.
pub async fn item_choices(
    pool: &PgPool,
    org_id: Uuid,
    requisition_id: Uuid,
) -> Result<super::ItemChoices, sqlx::Error> {
    // The requisition's own questions (its job description's), then the bank's questions
    // whose set covers one of the requisition's skills, then the rest of the bank.
    let questions: Vec<(Uuid, Option<String>, String, QuestionKind, i32, bool)> = sqlx::query_as(
        "SELECT q.id, s.title, q.prompt_md, q.kind, q.points,
                EXISTS (SELECT 1 FROM question_set_skills qs
                        JOIN requisition_skills rs ON rs.skill_id = qs.skill_id AND rs.requisition_id = $2
                        WHERE qs.question_set_id = q.question_set_id) AS suggested
         FROM questions q
         LEFT JOIN question_sets s ON s.id = q.question_set_id AND s.is_active
         WHERE q.org_id = $1 AND q.is_active AND (s.id IS NOT NULL OR q.requisition_id = $2)
         ORDER BY q.requisition_id IS NULL, suggested DESC, lower(s.title), q.position, q.created_at
         LIMIT 1000",
    )
    .bind(org_id)
    .bind(requisition_id)
    .fetch_all(pool)
    .await?;
    let sets: Vec<(Uuid, String, i64)> = sqlx::query_as(
        "SELECT s.id, s.title, count(q.id) FROM question_sets s
         LEFT JOIN questions q ON q.question_set_id = s.id AND q.is_active
         WHERE s.org_id = $1 AND s.is_active
         GROUP BY s.id ORDER BY lower(s.title)",
    )
    .bind(org_id)
    .fetch_all(pool)
    .await?;
    let tags: Vec<(String, i64)> = sqlx::query_as(
        "SELECT tag, count(*) FROM questions, unnest(tags) AS tag
         WHERE org_id = $1 AND is_active AND (question_set_id IS NOT NULL OR requisition_id = $2)
         GROUP BY tag ORDER BY lower(tag)",
    )
    .bind(org_id)
    .bind(requisition_id)
    .fetch_all(pool)
    .await?;
    Ok(super::ItemChoices {
        questions: questions
            .into_iter()
            .map(
                |(id, set_title, prompt, kind, points, suggested)| QuestionChoice {
                    id,
                    source: match set_title {
                        None => super::QuestionSource::ThisJob,
                        Some(title) if suggested => super::QuestionSource::Suggested(title),
                        Some(title) => super::QuestionSource::Bank(title),
                    },
                    headline: headline(&prompt),
                    kind,
                    points,
                },
            )
            .collect(),
        sets: sets
            .into_iter()
            .map(|(id, title, questions)| DrawChoice {
                source: id,
                name: title,
                questions,
            })
            .collect(),
        tags: tags
            .into_iter()
            .map(|(tag, questions)| DrawChoice {
                source: tag.clone(),
                name: tag,
                questions,
            })
            .collect(),
    })
}

/// What an item asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewItem {
    Fixed(Uuid),
    FromSet(Uuid, i32),
    FromTag(String, i32),
}

/// Adds an item at the end; false when its question or set is not the organization's (a
/// question of a job description only on that requisition's assessments).
pub async fn add_item(
    conn: &mut PgConnection,
    org_id: Uuid,
    assessment_id: Uuid,
    item: &NewItem,
) -> Result<bool, sqlx::Error> {
    let (question, set, tag, count) = match item {
        NewItem::Fixed(id) => (Some(*id), None, None, None),
        NewItem::FromSet(id, n) => (None, Some(*id), None, Some(*n)),
        NewItem::FromTag(tag, n) => (None, None, Some(tag.as_str()), Some(*n)),
    };
    let done = sqlx::query(
        "INSERT INTO assessment_items (assessment_id, position, question_id, draw_set_id, draw_tag, draw_count)
         SELECT $1, COALESCE((SELECT max(position) FROM assessment_items WHERE assessment_id = $1), 0) + 1,
                $3, $4, $5, $6
         WHERE ($3::uuid IS NULL OR EXISTS (
                   SELECT 1 FROM questions q JOIN assessments a ON a.id = $1
                   WHERE q.id = $3 AND q.org_id = $2 AND q.is_active
                     AND (q.question_set_id IS NOT NULL OR q.requisition_id = a.requisition_id)))
           AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM question_sets WHERE id = $4 AND org_id = $2 AND is_active))",
    )
    .bind(assessment_id)
    .bind(org_id)
    .bind(question)
    .bind(set)
    .bind(tag)
    .bind(count)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The assessment an item belongs to, within the organization.
pub async fn item_owner(
    conn: &mut PgConnection,
    org_id: Uuid,
    item_id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT i.assessment_id FROM assessment_items i JOIN assessments a ON a.id = i.assessment_id
         WHERE i.id = $1 AND a.org_id = $2",
    )
    .bind(item_id)
    .bind(org_id)
    .fetch_optional(conn)
    .await
}

pub async fn remove_item(conn: &mut PgConnection, item_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM assessment_items WHERE id = $1")
        .bind(item_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Swaps an item with its neighbour above (`up`) or below; nothing at either end.
pub async fn move_item(
    conn: &mut PgConnection,
    item_id: Uuid,
    up: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "WITH me AS (SELECT id, assessment_id, position FROM assessment_items WHERE id = $1),
              other AS (
                  SELECT i.id, i.position FROM assessment_items i, me
                  WHERE i.assessment_id = me.assessment_id
                    AND CASE WHEN $2 THEN i.position < me.position ELSE i.position > me.position END
                  ORDER BY CASE WHEN $2 THEN -i.position ELSE i.position END LIMIT 1)
         UPDATE assessment_items i
         SET position = CASE WHEN i.id = me.id THEN other.position ELSE me.position END
         FROM me, other WHERE i.id IN (me.id, other.id)",
    )
    .bind(item_id)
    .bind(up)
    .execute(conn)
    .await?;
    Ok(())
}

/// Draw items that ask for more questions than they can draw from: (position, wanted, available).
pub async fn short_draws(
    conn: &mut PgConnection,
    org_id: Uuid,
    assessment_id: Uuid,
) -> Result<Vec<(i32, i32, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.position, i.draw_count, count(q.id) FROM assessment_items i
         JOIN assessments a ON a.id = i.assessment_id
         LEFT JOIN question_sets s ON s.id = i.draw_set_id AND s.is_active
         LEFT JOIN questions q ON q.org_id = $2 AND q.is_active
              AND (q.question_set_id = s.id OR (i.draw_tag IS NOT NULL AND q.tags @> ARRAY[i.draw_tag]
                   AND (q.question_set_id IS NOT NULL OR q.requisition_id = a.requisition_id)))
         WHERE i.assessment_id = $1 AND i.draw_count IS NOT NULL
         GROUP BY i.id HAVING count(q.id) < i.draw_count
         ORDER BY i.position",
    )
    .bind(assessment_id)
    .bind(org_id)
    .fetch_all(conn)
    .await
}

/// Fixed items whose question has left the bank since it was picked (the question or its
/// set removed): their positions. Publishing refuses them rather than freeze a question
/// the bank no longer offers.
pub async fn removed_fixed_items(
    conn: &mut PgConnection,
    org_id: Uuid,
    assessment_id: Uuid,
) -> Result<Vec<i32>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT i.position FROM assessment_items i
         JOIN questions q ON q.id = i.question_id AND q.org_id = $2
         LEFT JOIN question_sets s ON s.id = q.question_set_id
         WHERE i.assessment_id = $1 AND (NOT q.is_active OR NOT COALESCE(s.is_active, true))
         ORDER BY i.position",
    )
    .bind(assessment_id)
    .bind(org_id)
    .fetch_all(conn)
    .await
}

/// Freezes the content: a copy of every question each item can ask. Returns how many.
pub async fn freeze_questions(
    conn: &mut PgConnection,
    org_id: Uuid,
    assessment_id: Uuid,
) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM assessment_questions WHERE assessment_id = $1")
        .bind(assessment_id)
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query(
        "INSERT INTO assessment_questions (assessment_id, item_id, source_question_id, kind,
             prompt_md, body, points, explanation_md, guidance_md)
         SELECT i.assessment_id, i.id, q.id, q.kind, q.prompt_md, q.body, q.points,
                q.explanation_md, q.guidance_md
         FROM assessment_items i
         JOIN assessments a ON a.id = i.assessment_id
         LEFT JOIN question_sets s ON s.id = i.draw_set_id AND s.is_active
         JOIN questions q ON q.org_id = $2 AND q.is_active
              AND (q.id = i.question_id OR q.question_set_id = s.id
                   OR (i.draw_tag IS NOT NULL AND q.tags @> ARRAY[i.draw_tag]
                       AND (q.question_set_id IS NOT NULL OR q.requisition_id = a.requisition_id)))
         WHERE i.assessment_id = $1",
    )
    .bind(assessment_id)
    .bind(org_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Sets the status (publishing stamps `published_at`); false when it was not `from`.
pub async fn set_status(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    from: AssessmentStatus,
    to: AssessmentStatus,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE assessments SET status = $4, updated_at = now(),
             published_at = CASE WHEN $4 = 'published' THEN now() ELSE published_at END
         WHERE id = $1 AND org_id = $2 AND status = $3",
    )
    .bind(id)
    .bind(org_id)
    .bind(from)
    .bind(to)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The frozen questions of a published assessment in item order, with their kinds.
pub async fn frozen_questions(
    conn: &mut PgConnection,
    assessment_id: Uuid,
) -> Result<Vec<(Uuid, QuestionKind)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT q.id, q.kind FROM assessment_questions q
         JOIN assessment_items i ON i.id = q.item_id
         WHERE q.assessment_id = $1
         ORDER BY i.position, q.id",
    )
    .bind(assessment_id)
    .fetch_all(conn)
    .await
}

/// The newest version of a family.
pub async fn newest_version(
    conn: &mut PgConnection,
    family_id: Uuid,
) -> Result<(Uuid, AssessmentStatus), sqlx::Error> {
    sqlx::query_as(
        "SELECT id, status FROM assessments WHERE family_id = $1 AND is_active
         ORDER BY version DESC LIMIT 1",
    )
    .bind(family_id)
    .fetch_one(conn)
    .await
}

/// Copies an assessment and its items into the next version of its family, as a draft.
pub async fn copy_as_next_version(
    conn: &mut PgConnection,
    id: Uuid,
    by: Uuid,
) -> Result<Uuid, sqlx::Error> {
    let new_id: Uuid = sqlx::query_scalar(
        "INSERT INTO assessments (org_id, requisition_id, family_id, version, title, instructions_md,
             time_limit_minutes, shuffle_questions, shuffle_options, pass_mark_percent,
             available_from, available_until, attempts_allowed, proctoring, created_by)
         SELECT org_id, requisition_id, family_id,
                (SELECT max(version) + 1 FROM assessments f WHERE f.family_id = a.family_id),
                title, instructions_md, time_limit_minutes, shuffle_questions, shuffle_options,
                pass_mark_percent, available_from, available_until, attempts_allowed, proctoring, $2
         FROM assessments a WHERE id = $1
         RETURNING id",
    )
    .bind(id)
    .bind(by)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO assessment_items (assessment_id, position, question_id, draw_set_id, draw_tag, draw_count)
         SELECT $2, position, question_id, draw_set_id, draw_tag, draw_count
         FROM assessment_items WHERE assessment_id = $1",
    )
    .bind(id)
    .bind(new_id)
    .execute(conn)
    .await?;
    Ok(new_id)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InviteRow {
    pub token_id: Uuid,
    pub candidate_id: Uuid,
    pub candidate_name: String,
    pub candidate_email: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub started: bool,
}

impl InviteRow {
    pub fn state(&self, now: DateTime<Utc>) -> super::InviteState {
        use super::InviteState;
        if self.started {
            InviteState::Started
        } else if self.revoked_at.is_some() {
            InviteState::Revoked
        } else if self.expires_at <= now {
            InviteState::Expired
        } else {
            InviteState::Live
        }
    }
}

/// The latest invite of every candidate of the assessment (all when `unstarted_only` is
/// false; else only those whose latest link has not started a test).
pub async fn invites(
    pool: &PgPool,
    org_id: Uuid,
    assessment_id: Uuid,
    unstarted_only: bool,
) -> Result<Vec<InviteRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT * FROM (
             SELECT DISTINCT ON (aa.id) t.id AS token_id, c.id AS candidate_id,
                    c.full_name AS candidate_name, c.email AS candidate_email, t.created_at,
                    t.expires_at, t.revoked_at,
                    EXISTS (SELECT 1 FROM test_sessions s WHERE s.token_id = t.id) AS started
             FROM assessment_applications aa
             JOIN candidates c ON c.id = aa.candidate_id
             JOIN assessment_tokens t ON t.assessment_application_id = aa.id
             WHERE aa.assessment_id = $1 AND aa.org_id = $2
             ORDER BY aa.id, t.created_at DESC) latest
         WHERE NOT ($3 AND started)
         ORDER BY created_at DESC",
    )
    .bind(assessment_id)
    .bind(org_id)
    .bind(unstarted_only)
    .fetch_all(pool)
    .await
}

/// The columns of `test_sessions` that say how a session went.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionOutcomeRow {
    pub attempt: i32,
    pub status: SessionStatus,
    pub score: Option<f64>,
    pub max_score: f64,
    pub passed: Option<bool>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionListRow {
    pub session_id: Uuid,
    pub candidate_id: Uuid,
    pub candidate_name: String,
    #[sqlx(flatten)]
    pub outcome: SessionOutcomeRow,
    /// Once the session ended (`proctoring::conclude`).
    pub band: Option<crate::results::Band>,
    pub disposition: Option<crate::results::Disposition>,
    pub extra_time_percent: i32,
    pub webcam_waived: bool,
}

pub async fn sessions(
    pool: &PgPool,
    org_id: Uuid,
    assessment_id: Uuid,
) -> Result<Vec<SessionListRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id AS session_id, c.id AS candidate_id, c.full_name AS candidate_name, s.attempt,
                s.status, s.score, s.max_score, s.passed, s.started_at, s.finished_at,
                r.band, r.disposition, t.extra_time_percent, t.webcam_waived
         FROM test_sessions s
         JOIN assessment_applications aa ON aa.id = s.assessment_application_id
         JOIN candidates c ON c.id = aa.candidate_id
         JOIN assessment_tokens t ON t.id = s.token_id
         LEFT JOIN proctoring_reviews r ON r.session_id = s.id
         WHERE s.assessment_id = $1 AND s.org_id = $2
         ORDER BY s.started_at DESC",
    )
    .bind(assessment_id)
    .bind(org_id)
    .fetch_all(pool)
    .await
}

/// The latest session of each assessment the application's candidate was invited to:
/// (session id, assessment title, status, score, max, passed).
pub async fn application_results(
    pool: &PgPool,
    org_id: Uuid,
    application_id: Uuid,
) -> Result<Vec<(Uuid, String, SessionStatus, Option<f64>, f64, Option<bool>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT DISTINCT ON (aa.id) s.id, a.title, s.status, s.score, s.max_score, s.passed
         FROM assessment_applications aa
         JOIN assessments a ON a.id = aa.assessment_id
         JOIN test_sessions s ON s.assessment_application_id = aa.id
         WHERE aa.application_id = $1 AND aa.org_id = $2
         ORDER BY aa.id, s.started_at DESC",
    )
    .bind(application_id)
    .bind(org_id)
    .fetch_all(pool)
    .await
}

/// The candidate's assessment application (one per candidate and assessment), created
/// or pointed at `application_id`. Returns its id.
pub async fn upsert_assessment_application(
    conn: &mut PgConnection,
    org_id: Uuid,
    assessment_id: Uuid,
    candidate_id: Uuid,
    application_id: Uuid,
    by: Option<Uuid>,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO assessment_applications (org_id, assessment_id, candidate_id, application_id, created_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (candidate_id, assessment_id)
         DO UPDATE SET application_id = EXCLUDED.application_id, updated_at = now()
         RETURNING id",
    )
    .bind(org_id)
    .bind(assessment_id)
    .bind(candidate_id)
    .bind(application_id)
    .bind(by)
    .fetch_one(conn)
    .await
}

/// Whether the assessment application was sent a link before.
pub async fn has_links(
    conn: &mut PgConnection,
    assessment_application_id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM assessment_tokens WHERE assessment_application_id = $1)",
    )
    .bind(assessment_application_id)
    .fetch_one(conn)
    .await
}

/// What issuing a link checks and its email says.
#[derive(sqlx::FromRow)]
pub struct LinkTarget {
    pub org_id: Uuid,
    pub org_name: String,
    pub candidate_id: Uuid,
    pub candidate_name: String,
    pub candidate_email: String,
    pub assessment_title: String,
    pub assessment_status: AssessmentStatus,
    pub available_until: Option<DateTime<Utc>>,
    pub time_limit_minutes: i32,
    pub attempts_allowed: i32,
    pub sessions: i64,
    pub running: bool,
}

/// The assessment application, locked until the transaction ends, with its sessions.
pub async fn link_target(
    conn: &mut PgConnection,
    assessment_application_id: Uuid,
) -> Result<LinkTarget, sqlx::Error> {
    sqlx::query_as(
        "SELECT aa.org_id, o.name AS org_name, c.id AS candidate_id, c.full_name AS candidate_name,
                c.email AS candidate_email, a.title AS assessment_title,
                a.status AS assessment_status, a.available_until, a.time_limit_minutes,
                a.attempts_allowed + aa.extra_attempts AS attempts_allowed,
                (SELECT count(*) FROM test_sessions s WHERE s.assessment_application_id = aa.id) AS sessions,
                EXISTS (SELECT 1 FROM test_sessions s WHERE s.assessment_application_id = aa.id
                        AND s.status = 'in_progress') AS running
         FROM assessment_applications aa
         JOIN organizations o ON o.id = aa.org_id
         JOIN candidates c ON c.id = aa.candidate_id
         JOIN assessments a ON a.id = aa.assessment_id
         WHERE aa.id = $1
         FOR UPDATE OF aa",
    )
    .bind(assessment_application_id)
    .fetch_one(conn)
    .await
}

/// A new link of the assessment application; `reminded` marks the reminder's link.
pub struct NewToken<'a> {
    pub org_id: Uuid,
    pub assessment_application_id: Uuid,
    pub digest: &'a [u8],
    pub message: &'a str,
    pub expires_at: DateTime<Utc>,
    pub reminded: bool,
    pub by: Option<Uuid>,
    /// None: the accommodation of the application's latest link (a resend, a reminder,
    /// a retake keep it).
    pub accommodation: Option<super::Accommodation>,
}

/// Inserts the link; returns its id and the accommodation it carries.
pub async fn insert_token(
    conn: &mut PgConnection,
    token: NewToken<'_>,
) -> Result<(Uuid, super::Accommodation), sqlx::Error> {
    let (id, extra_time_percent, webcam_waived): (Uuid, i32, bool) = sqlx::query_as(
        "WITH latest AS (
             SELECT extra_time_percent, webcam_waived FROM assessment_tokens
             WHERE assessment_application_id = $2 ORDER BY created_at DESC LIMIT 1
         )
         INSERT INTO assessment_tokens (org_id, assessment_application_id, token_hash, message,
             expires_at, sent_at, reminded_at, created_by, extra_time_percent, webcam_waived)
         VALUES ($1, $2, $3, $4, $5, now(), CASE WHEN $6 THEN now() END, $7,
                 COALESCE($8, (SELECT extra_time_percent FROM latest), 0),
                 COALESCE($9, (SELECT webcam_waived FROM latest), false))
         RETURNING id, extra_time_percent, webcam_waived",
    )
    .bind(token.org_id)
    .bind(token.assessment_application_id)
    .bind(token.digest)
    .bind(token.message)
    .bind(token.expires_at)
    .bind(token.reminded)
    .bind(token.by)
    .bind(token.accommodation.map(|a| a.extra_time_percent))
    .bind(token.accommodation.map(|a| a.webcam_waived))
    .fetch_one(conn)
    .await?;
    Ok((
        id,
        super::Accommodation {
            extra_time_percent,
            webcam_waived,
        },
    ))
}

/// Revokes the application's links that have not started a test; returns how many.
pub async fn revoke_unstarted(
    conn: &mut PgConnection,
    assessment_application_id: Uuid,
    by: Option<Uuid>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE assessment_tokens t SET revoked_at = now(), revoked_by = $2, updated_at = now()
         WHERE t.assessment_application_id = $1 AND t.revoked_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM test_sessions s WHERE s.token_id = t.id)",
    )
    .bind(assessment_application_id)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// A token of the organization: (assessment application, assessment, expires, message,
/// created, whether it is live and unstarted).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRow {
    pub id: Uuid,
    pub assessment_application_id: Uuid,
    pub assessment_id: Uuid,
    pub candidate_id: Uuid,
    pub message: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub live: bool,
    pub started: bool,
}

pub async fn token(
    conn: &mut PgConnection,
    org_id: Uuid,
    token_id: Uuid,
) -> Result<Option<TokenRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.id, t.assessment_application_id, aa.assessment_id, aa.candidate_id, t.message,
                t.created_at, t.expires_at,
                (t.revoked_at IS NULL AND t.expires_at > now()
                 AND NOT EXISTS (SELECT 1 FROM test_sessions s WHERE s.token_id = t.id)) AS live,
                EXISTS (SELECT 1 FROM test_sessions s WHERE s.token_id = t.id) AS started
         FROM assessment_tokens t
         JOIN assessment_applications aa ON aa.id = t.assessment_application_id
         WHERE t.id = $1 AND t.org_id = $2",
    )
    .bind(token_id)
    .bind(org_id)
    .fetch_optional(conn)
    .await
}

/// Revokes one link that has not started a test; false when there was nothing to revoke.
pub async fn revoke_token(
    conn: &mut PgConnection,
    token_id: Uuid,
    by: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE assessment_tokens t SET revoked_at = now(), revoked_by = $2, updated_at = now()
         WHERE t.id = $1 AND t.revoked_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM test_sessions s WHERE s.token_id = t.id)",
    )
    .bind(token_id)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks the link reminded when it is still live, unstarted and unreminded: (assessment
/// application, message, expiry) of the link to replace, else nothing.
pub async fn claim_reminder(
    conn: &mut PgConnection,
    token_id: Uuid,
) -> Result<Option<(Uuid, String, DateTime<Utc>)>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE assessment_tokens t SET reminded_at = now(), updated_at = now()
         WHERE t.id = $1 AND t.revoked_at IS NULL AND t.reminded_at IS NULL AND t.expires_at > now()
           AND NOT EXISTS (SELECT 1 FROM test_sessions s WHERE s.token_id = t.id)
         RETURNING t.assessment_application_id, t.message, t.expires_at",
    )
    .bind(token_id)
    .fetch_optional(conn)
    .await
}

/// The head of a session's result page.
#[derive(sqlx::FromRow)]
pub struct SessionHeadRow {
    pub assessment_id: Uuid,
    pub assessment_title: String,
    pub requisition_id: Uuid,
    pub candidate_id: Uuid,
    pub candidate_name: String,
    #[sqlx(flatten)]
    pub outcome: SessionOutcomeRow,
    pub pass_mark_percent: i32,
    pub ungraded_count: i32,
}

/// The organization's session `id`.
pub async fn session_head(
    pool: &PgPool,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<SessionHeadRow>, sqlx::Error> {
    sqlx::query_as(
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
    .bind(org_id)
    .fetch_optional(pool)
    .await
}

/// A question of a session with the candidate's answer and its grading.
#[derive(sqlx::FromRow)]
pub struct SessionQuestionRow {
    pub question_id: Uuid,
    pub position: i32,
    pub prompt_md: String,
    pub points: i32,
    pub body: serde_json::Value,
    pub option_order: Vec<i32>,
    pub response: Option<serde_json::Value>,
    pub score: Option<f64>,
    pub time_spent_ms: Option<i64>,
    pub explanation_md: String,
    pub guidance_md: String,
    pub grader_comment: Option<String>,
    pub graded_by: Option<String>,
}

/// The session's questions in the order the candidate saw them. The caller has found
/// the session in the organization.
pub async fn session_questions(
    pool: &PgPool,
    session_id: Uuid,
) -> Result<Vec<SessionQuestionRow>, sqlx::Error> {
    sqlx::query_as(
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
    .bind(session_id)
    .fetch_all(pool)
    .await
}

/// The head of the grading queue apart from one session, as the grading page links it.
#[derive(sqlx::FromRow)]
pub struct NextToGradeRow {
    pub session_id: Uuid,
    pub candidate_name: String,
    pub assessment_title: String,
    pub position: i32,
    pub number: i64,
}

/// The first answer waiting for a grade in the finished session of the organization that
/// has waited longest (the dashboard's order), other than `except`: only on requisitions
/// `managed_by` manages, when given. Its position, and its number as the candidate saw it.
pub async fn next_to_grade(
    pool: &PgPool,
    org_id: Uuid,
    except: Uuid,
    managed_by: Option<Uuid>,
) -> Result<Option<NextToGradeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id AS session_id, c.full_name AS candidate_name, a.title AS assessment_title,
                first.position, first.number
         FROM test_sessions s
         JOIN assessments a ON a.id = s.assessment_id
         JOIN job_requisitions r ON r.id = a.requisition_id
         JOIN assessment_applications aa ON aa.id = s.assessment_application_id
         JOIN candidates c ON c.id = aa.candidate_id
         CROSS JOIN LATERAL (
             SELECT sq.position,
                    (SELECT count(*) FROM test_session_questions o
                     WHERE o.session_id = s.id AND o.position <= sq.position) AS number
             FROM test_session_questions sq
             JOIN answers an ON an.session_id = sq.session_id AND an.question_id = sq.question_id
             WHERE sq.session_id = s.id AND an.response IS NOT NULL
               AND an.response <> 'null'::jsonb AND an.score IS NULL
             ORDER BY sq.position
             LIMIT 1
         ) first
         WHERE s.org_id = $1 AND s.id <> $2 AND s.ungraded_count > 0 AND s.status <> 'in_progress'
           AND r.is_active AND ($3::uuid IS NULL OR r.hiring_manager_id = $3)
         ORDER BY s.finished_at, s.id
         LIMIT 1",
    )
    .bind(org_id)
    .bind(except)
    .bind(managed_by)
    .fetch_optional(pool)
    .await
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

/// A grader's score and comment for one answer.
pub async fn set_score(
    conn: &mut PgConnection,
    session_id: Uuid,
    question_id: Uuid,
    score: f64,
    comment: &str,
    by: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE answers SET score = $3, grader_comment = $4, graded_by = $5, graded_at = now(),
             updated_at = now()
         WHERE session_id = $1 AND question_id = $2",
    )
    .bind(session_id)
    .bind(question_id)
    .bind(score)
    .bind(comment)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

/// A session as a reviewer's decision needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionTarget {
    pub assessment_application_id: Uuid,
    pub requisition_id: Uuid,
}

pub async fn session_target(
    executor: impl sqlx::PgExecutor<'_>,
    org_id: Uuid,
    session_id: Uuid,
) -> Result<Option<SessionTarget>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.assessment_application_id, a.requisition_id
         FROM test_sessions s JOIN assessments a ON a.id = s.assessment_id
         WHERE s.id = $1 AND s.org_id = $2",
    )
    .bind(session_id)
    .bind(org_id)
    .fetch_optional(executor)
    .await
}

/// Takes back an attempt a retake granted and nobody used.
pub async fn take_back_attempt(
    conn: &mut PgConnection,
    assessment_application_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE assessment_applications aa SET extra_attempts = extra_attempts - 1, updated_at = now()
         FROM assessments a
         WHERE aa.id = $1 AND a.id = aa.assessment_id AND aa.extra_attempts > 0
           AND (SELECT count(*) FROM test_sessions s WHERE s.assessment_application_id = aa.id)
               < a.attempts_allowed + aa.extra_attempts",
    )
    .bind(assessment_application_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// One more attempt for the assessment application, when it has used all it has.
pub async fn grant_attempt(
    conn: &mut PgConnection,
    assessment_application_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE assessment_applications aa SET extra_attempts = extra_attempts + 1, updated_at = now()
         FROM assessments a
         WHERE aa.id = $1 AND a.id = aa.assessment_id
           AND (SELECT count(*) FROM test_sessions s WHERE s.assessment_application_id = aa.id)
               >= a.attempts_allowed + aa.extra_attempts",
    )
    .bind(assessment_application_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether the application's results are shared with its interviewers.
pub async fn results_shared(
    pool: &PgPool,
    org_id: Uuid,
    application_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let shared: Option<bool> = sqlx::query_scalar(
        "SELECT results_shared_with_interviewers FROM applications WHERE id = $1 AND org_id = $2",
    )
    .bind(application_id)
    .bind(org_id)
    .fetch_optional(pool)
    .await?;
    Ok(shared.unwrap_or(false))
}

pub async fn set_results_shared(
    conn: &mut PgConnection,
    org_id: Uuid,
    application_id: Uuid,
    shared: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE applications SET results_shared_with_interviewers = $3, updated_at = now()
         WHERE id = $1 AND org_id = $2",
    )
    .bind(application_id)
    .bind(org_id)
    .bind(shared)
    .execute(conn)
    .await?;
    Ok(())
}
