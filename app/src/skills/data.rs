//! Queries of the skill list.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{Skill, SkillRef};

pub async fn list(
    pool: &PgPool,
    org_id: Uuid,
    only_active: bool,
) -> Result<Vec<Skill>, sqlx::Error> {
    list_on(pool, org_id, only_active).await
}

/// [`list`] on any executor (a job's transaction).
pub async fn list_on(
    executor: impl sqlx::PgExecutor<'_>,
    org_id: Uuid,
    only_active: bool,
) -> Result<Vec<Skill>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, aliases, is_active FROM skills
         WHERE org_id = $1 AND (is_active OR NOT $2) ORDER BY lower(name)",
    )
    .bind(org_id)
    .bind(only_active)
    .fetch_all(executor)
    .await
}

/// The organization's active skills, as the pickers and filters of other domains offer
/// them.
pub async fn offered(pool: &PgPool, org_id: Uuid) -> Result<Vec<SkillRef>, sqlx::Error> {
    Ok(list(pool, org_id, true)
        .await?
        .into_iter()
        .map(|skill| SkillRef {
            id: skill.id,
            name: skill.name,
        })
        .collect())
}

pub async fn insert(
    pool: &PgPool,
    org_id: Uuid,
    name: &str,
    aliases: &[String],
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO skills (org_id, name, aliases) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(org_id)
    .bind(name)
    .bind(aliases)
    .fetch_one(pool)
    .await
}

pub async fn update(
    pool: &PgPool,
    org_id: Uuid,
    id: Uuid,
    name: &str,
    aliases: &[String],
    active: bool,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE skills SET name = $3, aliases = $4, is_active = $5, updated_at = now()
         WHERE id = $1 AND org_id = $2",
    )
    .bind(id)
    .bind(org_id)
    .bind(name)
    .bind(aliases)
    .bind(active)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether every id is an active skill of the organization.
pub async fn all_offered(
    conn: &mut PgConnection,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<bool, sqlx::Error> {
    let known: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM skills WHERE org_id = $1 AND is_active AND id = ANY($2)",
    )
    .bind(org_id)
    .bind(ids)
    .fetch_one(conn)
    .await?;
    Ok(known == ids.len() as i64)
}
