//! Queries of the question bank. Every one is scoped by `org_id`; sets and questions that
//! were removed (`is_active = false`) are not found.

use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

use super::model::QuestionBody;
use super::{Difficulty, Owner, QuestionInput, QuestionSummary, SetInput, SetSummary};
use crate::markdown::headline;
use crate::skills::SkillRef;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SetRow {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub difficulty: Difficulty,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QuestionRow {
    pub id: Uuid,
    pub question_set_id: Option<Uuid>,
    pub requisition_id: Option<Uuid>,
    pub prompt_md: String,
    pub body: Json<QuestionBody>,
    pub points: i32,
    pub difficulty: Difficulty,
    pub tags: Vec<String>,
    pub explanation_md: String,
    pub guidance_md: String,
}

impl QuestionRow {
    pub fn owner(&self) -> Owner {
        match self.requisition_id {
            Some(requisition) => Owner::Requisition(requisition),
            // The check constraint leaves a set when there is no requisition.
            None => Owner::Set(self.question_set_id.unwrap_or_default()),
        }
    }

    pub fn summary(&self) -> QuestionSummary {
        QuestionSummary {
            id: self.id,
            kind: self.body.0.kind(),
            headline: headline(&self.prompt_md),
            points: self.points,
            difficulty: self.difficulty,
            tags: self.tags.clone(),
        }
    }
}

const QUESTION_COLUMNS: &str = "q.id, q.question_set_id, q.requisition_id, q.prompt_md, q.body,
     q.points, q.difficulty, q.tags, q.explanation_md, q.guidance_md";

/// The organization's active sets, by title; `text` matches words of the title or a tag.
pub async fn list_sets(
    pool: &PgPool,
    org_id: Uuid,
    text: Option<&str>,
    difficulty: Option<Difficulty>,
    skill: Option<Uuid>,
) -> Result<Vec<SetSummary>, sqlx::Error> {
    let pattern = text.map(crate::search::contains_pattern);
    type Row = (Uuid, String, Difficulty, Vec<String>, Vec<String>, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.id, s.title, s.difficulty, s.tags,
                coalesce((SELECT array_agg(k.name ORDER BY lower(k.name)) FROM question_set_skills qs
                          JOIN skills k ON k.id = qs.skill_id WHERE qs.question_set_id = s.id), '{}'),
                (SELECT count(*) FROM questions q WHERE q.question_set_id = s.id AND q.is_active)
         FROM question_sets s
         WHERE s.org_id = $1 AND s.is_active
           AND ($2::text IS NULL OR s.title ILIKE $2 OR lower($3) = ANY(s.tags))
           AND ($4::text IS NULL OR s.difficulty = $4)
           AND ($5::uuid IS NULL OR EXISTS (SELECT 1 FROM question_set_skills qs
                                            WHERE qs.question_set_id = s.id AND qs.skill_id = $5))
         ORDER BY lower(s.title), s.id
         LIMIT 500",
    )
    .bind(org_id)
    .bind(pattern)
    .bind(text.map(str::trim))
    .bind(difficulty)
    .bind(skill)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, title, difficulty, tags, skills, question_count)| SetSummary {
                id,
                title,
                difficulty,
                tags,
                skills,
                question_count,
            },
        )
        .collect())
}

pub async fn find_set<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<SetRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, title, description, difficulty, tags FROM question_sets
         WHERE id = $1 AND org_id = $2 AND is_active",
    )
    .bind(id)
    .bind(org_id)
    .fetch_optional(executor)
    .await
}

pub async fn skills_of_set<'e>(
    executor: impl PgExecutor<'e>,
    set_id: Uuid,
) -> Result<Vec<SkillRef>, sqlx::Error> {
    sqlx::query_as(
        "SELECT k.id, k.name FROM question_set_skills qs JOIN skills k ON k.id = qs.skill_id
         WHERE qs.question_set_id = $1 ORDER BY lower(k.name)",
    )
    .bind(set_id)
    .fetch_all(executor)
    .await
}

async fn set_skills(
    conn: &mut PgConnection,
    set_id: Uuid,
    skills: &[Uuid],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM question_set_skills WHERE question_set_id = $1")
        .bind(set_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO question_set_skills (question_set_id, skill_id) SELECT $1, unnest($2::uuid[])",
    )
    .bind(set_id)
    .bind(skills)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A new set with its skills (which the caller checked are the organization's).
pub async fn insert_set(
    conn: &mut PgConnection,
    org_id: Uuid,
    created_by: Option<Uuid>,
    input: &SetInput,
) -> Result<Uuid, sqlx::Error> {
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO question_sets (org_id, title, description, difficulty, tags, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(org_id)
    .bind(&input.title)
    .bind(&input.description)
    .bind(input.difficulty)
    .bind(&input.tags)
    .bind(created_by)
    .fetch_one(&mut *conn)
    .await?;
    set_skills(conn, id, &input.skills).await?;
    Ok(id)
}

pub async fn update_set(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    input: &SetInput,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE question_sets SET title = $3, description = $4, difficulty = $5, tags = $6,
                updated_at = now()
         WHERE id = $1 AND org_id = $2 AND is_active",
    )
    .bind(id)
    .bind(org_id)
    .bind(&input.title)
    .bind(&input.description)
    .bind(input.difficulty)
    .bind(&input.tags)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    set_skills(conn, id, &input.skills).await?;
    Ok(true)
}

/// Removes a set from the bank; its questions stay where published assessments use them.
pub async fn deactivate_set(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE question_sets SET is_active = false, updated_at = now()
         WHERE id = $1 AND org_id = $2 AND is_active",
    )
    .bind(id)
    .bind(org_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The active questions of a set or of a requisition's job description, in order.
pub async fn questions_of<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
    owner: Owner,
) -> Result<Vec<QuestionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {QUESTION_COLUMNS} FROM questions q
         WHERE q.org_id = $1 AND q.is_active
           AND (q.question_set_id = $2 OR q.requisition_id = $3)
         ORDER BY q.position, q.created_at, q.id"
    ))
    .bind(org_id)
    .bind(owner.set_id())
    .bind(owner.requisition_id())
    .fetch_all(executor)
    .await
}

/// An active question of the organization whose set (when it has one) is active.
pub async fn find_question<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<QuestionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {QUESTION_COLUMNS} FROM questions q
         LEFT JOIN question_sets s ON s.id = q.question_set_id
         WHERE q.id = $1 AND q.org_id = $2 AND q.is_active AND (s.id IS NULL OR s.is_active)"
    ))
    .bind(id)
    .bind(org_id)
    .fetch_optional(executor)
    .await
}

/// Adds a question at the end of its owner's list.
pub async fn insert_question(
    conn: &mut PgConnection,
    org_id: Uuid,
    created_by: Option<Uuid>,
    owner: Owner,
    input: &QuestionInput,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO questions (org_id, question_set_id, requisition_id, kind, prompt_md, body,
                                points, difficulty, tags, explanation_md, guidance_md, created_by,
                                position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
                 (SELECT coalesce(max(position), 0) + 1 FROM questions
                  WHERE org_id = $1 AND (question_set_id = $2 OR requisition_id = $3)))
         RETURNING id",
    )
    .bind(org_id)
    .bind(owner.set_id())
    .bind(owner.requisition_id())
    .bind(input.body.kind())
    .bind(&input.prompt_md)
    .bind(Json(&input.body))
    .bind(input.points)
    .bind(input.difficulty)
    .bind(&input.tags)
    .bind(&input.explanation_md)
    .bind(&input.guidance_md)
    .bind(created_by)
    .fetch_one(conn)
    .await
}

pub async fn update_question(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    input: &QuestionInput,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE questions SET kind = $3, prompt_md = $4, body = $5, points = $6, difficulty = $7,
                tags = $8, explanation_md = $9, guidance_md = $10, updated_at = now()
         WHERE id = $1 AND org_id = $2 AND is_active",
    )
    .bind(id)
    .bind(org_id)
    .bind(input.body.kind())
    .bind(&input.prompt_md)
    .bind(Json(&input.body))
    .bind(input.points)
    .bind(input.difficulty)
    .bind(&input.tags)
    .bind(&input.explanation_md)
    .bind(&input.guidance_md)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_question(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE questions SET is_active = false, updated_at = now()
         WHERE id = $1 AND org_id = $2 AND is_active",
    )
    .bind(id)
    .bind(org_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Swaps the question with its neighbour above (`up`) or below in its owner's list:
/// false when there is none. The owner's questions are locked meanwhile, so two moves at
/// once cannot give two questions one place.
pub async fn move_question(
    conn: &mut PgConnection,
    org_id: Uuid,
    owner: Owner,
    id: Uuid,
    up: bool,
) -> Result<bool, sqlx::Error> {
    let rows: Vec<(Uuid, i32)> = sqlx::query_as(
        "SELECT id, position FROM questions
         WHERE org_id = $1 AND is_active AND (question_set_id = $2 OR requisition_id = $3)
         ORDER BY position, created_at, id FOR UPDATE",
    )
    .bind(org_id)
    .bind(owner.set_id())
    .bind(owner.requisition_id())
    .fetch_all(&mut *conn)
    .await?;
    let Some(at) = rows.iter().position(|(row, _)| *row == id) else {
        return Ok(false);
    };
    let Some(other) =
        (if up { at.checked_sub(1) } else { Some(at + 1) }).filter(|o| *o < rows.len())
    else {
        return Ok(false);
    };
    // Renumber the whole list in its new order: equal positions (imports, older rows)
    // cannot make the swap a no-op.
    let mut order: Vec<Uuid> = rows.iter().map(|(row, _)| *row).collect();
    order.swap(at, other);
    sqlx::query(
        "UPDATE questions q SET position = o.position, updated_at = now()
         FROM unnest($2::uuid[]) WITH ORDINALITY AS o(id, position)
         WHERE q.id = o.id AND q.org_id = $1",
    )
    .bind(org_id)
    .bind(&order)
    .execute(conn)
    .await?;
    Ok(true)
}
