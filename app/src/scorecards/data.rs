//! Queries of scorecards and interview plans. Every one is scoped by organization; the
//! caller has checked that the user may work on the requisition.

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::{Attribute, BankQuestion, NewAttribute, NewStage, PlanStage};

pub async fn attributes<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
    requisition_id: Uuid,
) -> Result<Vec<Attribute>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, category, name, anchors FROM scorecard_attributes
         WHERE requisition_id = $1 AND org_id = $2
         ORDER BY CASE category WHEN 'skills' THEN 1 WHEN 'qualifications' THEN 2 ELSE 3 END,
                  position, id",
    )
    .bind(requisition_id)
    .bind(org_id)
    .fetch_all(executor)
    .await
}

/// The attribute's requisition, when it is the organization's.
pub async fn attribute_requisition(
    conn: &mut PgConnection,
    org_id: Uuid,
    attribute_id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT requisition_id FROM scorecard_attributes WHERE id = $1 AND org_id = $2",
    )
    .bind(attribute_id)
    .bind(org_id)
    .fetch_optional(conn)
    .await
}

/// Serializes changes to one requisition's scorecard and plan until the transaction
/// ends, so that counts and positions stay right under concurrent edits.
pub async fn lock(conn: &mut PgConnection, requisition_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT 1 FROM job_requisitions WHERE id = $1 FOR NO KEY UPDATE")
        .bind(requisition_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn count_attributes(
    conn: &mut PgConnection,
    requisition_id: Uuid,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM scorecard_attributes WHERE requisition_id = $1")
        .bind(requisition_id)
        .fetch_one(conn)
        .await
}

/// Adds attributes at the end of the scorecard; a name already there (in any case) is
/// left out. Returns how many were added.
pub async fn insert_attributes(
    conn: &mut PgConnection,
    org_id: Uuid,
    requisition_id: Uuid,
    attributes: &[NewAttribute],
) -> Result<u64, sqlx::Error> {
    let mut added = 0;
    for attribute in attributes {
        let done = sqlx::query(
            "INSERT INTO scorecard_attributes (org_id, requisition_id, category, name, anchors, position)
             SELECT $1, $2, $3, $4, $5,
                    coalesce((SELECT max(position) FROM scorecard_attributes WHERE requisition_id = $2), 0) + 1
             ON CONFLICT (requisition_id, lower(name)) DO NOTHING",
        )
        .bind(org_id)
        .bind(requisition_id)
        .bind(attribute.category)
        .bind(&attribute.name)
        .bind(&attribute.anchors)
        .execute(&mut *conn)
        .await?;
        added += done.rows_affected();
    }
    Ok(added)
}

pub async fn update_attribute(
    conn: &mut PgConnection,
    org_id: Uuid,
    attribute_id: Uuid,
    attribute: &NewAttribute,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE scorecard_attributes SET category = $3, name = $4, anchors = $5, updated_at = now()
         WHERE id = $1 AND org_id = $2",
    )
    .bind(attribute_id)
    .bind(org_id)
    .bind(attribute.category)
    .bind(&attribute.name)
    .bind(&attribute.anchors)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_attribute(
    conn: &mut PgConnection,
    org_id: Uuid,
    attribute_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM scorecard_attributes WHERE id = $1 AND org_id = $2")
        .bind(attribute_id)
        .bind(org_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The requisition's required skills that are not attributes yet.
pub async fn required_skills_missing<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
    requisition_id: Uuid,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT s.name FROM requisition_skills rs JOIN skills s ON s.id = rs.skill_id
         WHERE rs.requisition_id = $1 AND rs.required AND s.org_id = $2
           AND NOT EXISTS (SELECT 1 FROM scorecard_attributes a
                           WHERE a.requisition_id = $1 AND lower(a.name) = lower(s.name))
         ORDER BY lower(s.name)",
    )
    .bind(requisition_id)
    .bind(org_id)
    .fetch_all(executor)
    .await
}

/// Other requisitions of the organization with a scorecard, which `user` may work on
/// (`managed_by`: only those a hiring manager manages; `None` for all).
pub async fn requisitions_with_scorecards<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
    except: Uuid,
    managed_by: Option<Uuid>,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT j.id, j.title FROM job_requisitions j
         WHERE j.org_id = $1 AND j.id <> $2
           AND ($3::uuid IS NULL OR j.hiring_manager_id = $3)
           AND EXISTS (SELECT 1 FROM scorecard_attributes a WHERE a.requisition_id = j.id)
         ORDER BY lower(j.title), j.id LIMIT 200",
    )
    .bind(org_id)
    .bind(except)
    .bind(managed_by)
    .fetch_all(executor)
    .await
}

/// Active bank questions in active sets that share a skill with the requisition.
pub async fn suggested_questions<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
    requisition_id: Uuid,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT q.id, q.prompt_md FROM questions q
         JOIN question_sets qs ON qs.id = q.question_set_id AND qs.is_active
         WHERE q.org_id = $1 AND q.is_active
           AND EXISTS (SELECT 1 FROM question_set_skills k
                       JOIN requisition_skills rs ON rs.skill_id = k.skill_id AND rs.requisition_id = $2
                       WHERE k.question_set_id = qs.id)
         ORDER BY lower(qs.title), q.position, q.id LIMIT 50",
    )
    .bind(org_id)
    .bind(requisition_id)
    .fetch_all(executor)
    .await
}

#[derive(sqlx::FromRow)]
struct StageRow {
    id: Uuid,
    name: String,
    duration_minutes: i32,
    prep_notes: String,
    questions: Vec<String>,
    focus: Vec<Uuid>,
    bank_ids: Vec<Uuid>,
    bank_prompts: Vec<String>,
}

const STAGES: &str = "SELECT s.id, s.name, s.duration_minutes, s.prep_notes, s.questions,
        coalesce((SELECT array_agg(f.attribute_id ORDER BY a.position, a.id)
                  FROM interview_plan_focus f JOIN scorecard_attributes a ON a.id = f.attribute_id
                  WHERE f.stage_id = s.id), '{}') AS focus,
        coalesce((SELECT array_agg(q.id ORDER BY q.id) FROM interview_plan_bank_questions b
                  JOIN questions q ON q.id = b.question_id WHERE b.stage_id = s.id), '{}') AS bank_ids,
        coalesce((SELECT array_agg(q.prompt_md ORDER BY q.id) FROM interview_plan_bank_questions b
                  JOIN questions q ON q.id = b.question_id WHERE b.stage_id = s.id), '{}') AS bank_prompts
    FROM interview_plan_stages s";

fn into_stage(row: StageRow) -> PlanStage {
    PlanStage {
        id: row.id,
        name: row.name,
        duration_minutes: row.duration_minutes,
        prep_notes: row.prep_notes,
        questions: row.questions,
        focus: row.focus,
        bank_questions: row
            .bank_ids
            .into_iter()
            .zip(row.bank_prompts)
            .map(|(id, prompt)| BankQuestion {
                id,
                headline: crate::markdown::headline(&prompt),
            })
            .collect(),
    }
}

pub async fn stages<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
    requisition_id: Uuid,
) -> Result<Vec<PlanStage>, sqlx::Error> {
    let rows: Vec<StageRow> = sqlx::query_as(&format!(
        "{STAGES} WHERE s.requisition_id = $1 AND s.org_id = $2 ORDER BY s.position, s.id"
    ))
    .bind(requisition_id)
    .bind(org_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.into_iter().map(into_stage).collect())
}

/// The stage's requisition, when the stage is the organization's.
pub async fn stage_requisition(
    conn: &mut PgConnection,
    org_id: Uuid,
    stage_id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT requisition_id FROM interview_plan_stages WHERE id = $1 AND org_id = $2",
    )
    .bind(stage_id)
    .bind(org_id)
    .fetch_optional(conn)
    .await
}

/// The full stage (focus, questions), by id within the organization.
pub async fn stage<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
    stage_id: Uuid,
) -> Result<Option<PlanStage>, sqlx::Error> {
    let row: Option<StageRow> =
        sqlx::query_as(&format!("{STAGES} WHERE s.id = $1 AND s.org_id = $2"))
            .bind(stage_id)
            .bind(org_id)
            .fetch_optional(executor)
            .await?;
    Ok(row.map(into_stage))
}

pub async fn count_stages(
    conn: &mut PgConnection,
    requisition_id: Uuid,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM interview_plan_stages WHERE requisition_id = $1")
        .bind(requisition_id)
        .fetch_one(conn)
        .await
}

/// Writes a stage (a new one when `stage_id` is `None`) with its focus attributes and
/// bank questions, keeping only those of this requisition and organization. Returns the
/// stage's id, or `None` when the stage to change is not the requisition's.
pub async fn save_stage(
    conn: &mut PgConnection,
    org_id: Uuid,
    requisition_id: Uuid,
    stage_id: Option<Uuid>,
    stage: &NewStage,
) -> Result<Option<Uuid>, sqlx::Error> {
    let id: Option<Uuid> = match stage_id {
        None => Some(
            sqlx::query_scalar(
                "INSERT INTO interview_plan_stages (org_id, requisition_id, name, position, duration_minutes, prep_notes, questions)
                 SELECT $1, $2, $3,
                        coalesce((SELECT max(position) FROM interview_plan_stages WHERE requisition_id = $2), 0) + 1,
                        $4, $5, $6
                 RETURNING id",
            )
            .bind(org_id)
            .bind(requisition_id)
            .bind(&stage.name)
            .bind(stage.duration_minutes)
            .bind(&stage.prep_notes)
            .bind(&stage.questions)
            .fetch_one(&mut *conn)
            .await?,
        ),
        Some(id) => {
            sqlx::query_scalar(
                "UPDATE interview_plan_stages SET name = $4, duration_minutes = $5, prep_notes = $6,
                        questions = $7, updated_at = now()
                 WHERE id = $1 AND org_id = $2 AND requisition_id = $3 RETURNING id",
            )
            .bind(id)
            .bind(org_id)
            .bind(requisition_id)
            .bind(&stage.name)
            .bind(stage.duration_minutes)
            .bind(&stage.prep_notes)
            .bind(&stage.questions)
            .fetch_optional(&mut *conn)
            .await?
        }
    };
    let Some(id) = id else { return Ok(None) };
    sqlx::query("DELETE FROM interview_plan_focus WHERE stage_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO interview_plan_focus (stage_id, attribute_id)
         SELECT $1, a.id FROM scorecard_attributes a
         WHERE a.id = ANY($2) AND a.requisition_id = $3 AND a.org_id = $4",
    )
    .bind(id)
    .bind(&stage.focus)
    .bind(requisition_id)
    .bind(org_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM interview_plan_bank_questions WHERE stage_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO interview_plan_bank_questions (stage_id, question_id)
         SELECT $1, q.id FROM questions q WHERE q.id = ANY($2) AND q.org_id = $3 AND q.is_active",
    )
    .bind(id)
    .bind(&stage.bank)
    .bind(org_id)
    .execute(&mut *conn)
    .await?;
    Ok(Some(id))
}

pub async fn delete_stage(
    conn: &mut PgConnection,
    org_id: Uuid,
    stage_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM interview_plan_stages WHERE id = $1 AND org_id = $2")
        .bind(stage_id)
        .bind(org_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The stages of a requisition as the scheduling form offers them: (id, name).
pub async fn stage_names<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
    requisition_id: Uuid,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name FROM interview_plan_stages WHERE requisition_id = $1 AND org_id = $2
         ORDER BY position, id",
    )
    .bind(requisition_id)
    .bind(org_id)
    .fetch_all(executor)
    .await
}

/// The prompts (Markdown) of a stage's bank questions, for the interview kit.
pub async fn bank_prompts<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
    stage_id: Uuid,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT q.prompt_md FROM interview_plan_bank_questions b JOIN questions q ON q.id = b.question_id
         WHERE b.stage_id = $1 AND q.org_id = $2 ORDER BY q.id",
    )
    .bind(stage_id)
    .bind(org_id)
    .fetch_all(executor)
    .await
}
