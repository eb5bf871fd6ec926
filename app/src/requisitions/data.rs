//! Queries of requisitions, their skills and team. Every one is scoped by organization.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor, PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

use super::{
    EmploymentType, Person, RequisitionFilter, RequisitionInput, RequisitionStatus,
    RequisitionSummary,
};
use crate::access::Role;
use crate::error::AppError;
use crate::skills::SkillRef;

/// One page of the organization's requisitions, newest first. With `managed_by`, only
/// those that person manages.
pub async fn list(
    pool: &PgPool,
    org_id: Uuid,
    managed_by: Option<Uuid>,
    filter: &RequisitionFilter,
    limit: i64,
) -> Result<Vec<RequisitionSummary>, sqlx::Error> {
    let mut query: QueryBuilder<Postgres> = QueryBuilder::new(
        "SELECT r.id, r.title, r.department, r.location, r.status, r.openings,
                u.full_name AS hiring_manager, r.created_at
         FROM job_requisitions r LEFT JOIN users u ON u.id = r.hiring_manager_id
         WHERE r.is_active AND r.org_id = ",
    );
    query.push_bind(org_id);
    if let Some(manager) = managed_by {
        query.push(" AND r.hiring_manager_id = ").push_bind(manager);
    }
    if let Some(status) = filter.status {
        query.push(" AND r.status = ").push_bind(status);
    }
    if let Some(department) = filter.department.as_deref().filter(|d| !d.is_empty()) {
        query
            .push(" AND r.department = ")
            .push_bind(department.to_string());
    }
    if let Some(manager) = filter.hiring_manager {
        query.push(" AND r.hiring_manager_id = ").push_bind(manager);
    }
    if let Some(text) = filter
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let pattern = crate::search::contains_pattern(text);
        query
            .push(" AND (r.title ILIKE ")
            .push_bind(pattern.clone())
            .push(" OR r.department ILIKE ")
            .push_bind(pattern.clone())
            .push(" OR r.location ILIKE ")
            .push_bind(pattern)
            .push(")");
    }
    if let Some(after) = filter.after {
        query
            .push(" AND (r.created_at, r.id) < (")
            .push_bind(after.created_at)
            .push(", ")
            .push_bind(after.id)
            .push(")");
    }
    query
        .push(" ORDER BY r.created_at DESC, r.id DESC LIMIT ")
        .push_bind(limit);
    query.build_query_as().fetch_all(pool).await
}

pub async fn departments(pool: &PgPool, org_id: Uuid) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT department FROM job_requisitions
         WHERE org_id = $1 AND is_active AND department <> '' ORDER BY department",
    )
    .bind(org_id)
    .fetch_all(pool)
    .await
}

/// Active users of the organization with one of `roles`, by name.
pub async fn people(
    pool: &PgPool,
    org_id: Uuid,
    roles: &[Role],
) -> Result<Vec<Person>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, full_name, role FROM users
         WHERE org_id = $1 AND is_active AND role = ANY($2) ORDER BY lower(full_name)",
    )
    .bind(org_id)
    .bind(roles)
    .fetch_all(pool)
    .await
}

/// Roles that may manage a requisition, and that may be on its team.
pub const MANAGER_ROLES: &[Role] = &[Role::HiringManager, Role::Admin, Role::Recruiter];
pub const TEAM_ROLES: &[Role] = &[Role::Recruiter, Role::Interviewer];

/// Refuses ids that are not the organization's (active) people and skills.
pub async fn check_references(
    conn: &mut PgConnection,
    org_id: Uuid,
    input: &RequisitionInput,
) -> Result<(), AppError> {
    if let Some(manager) = input.hiring_manager_id {
        let ok: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND org_id = $2 AND is_active AND role = ANY($3))",
        )
        .bind(manager)
        .bind(org_id)
        .bind(MANAGER_ROLES)
        .fetch_one(&mut *conn)
        .await?;
        if !ok {
            return Err(AppError::invalid("Choose a hiring manager from the list."));
        }
    }
    let members: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM users WHERE org_id = $1 AND is_active AND id = ANY($2)",
    )
    .bind(org_id)
    .bind(&input.team)
    .fetch_one(&mut *conn)
    .await?;
    if members != input.team.len() as i64 {
        return Err(AppError::invalid(
            "Choose the team from the list of people.",
        ));
    }
    let skills: Vec<Uuid> = input
        .required_skills
        .iter()
        .chain(&input.nice_skills)
        .copied()
        .collect();
    let known: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM skills WHERE org_id = $1 AND is_active AND id = ANY($2)",
    )
    .bind(org_id)
    .bind(&skills)
    .fetch_one(&mut *conn)
    .await?;
    if known != skills.len() as i64 {
        return Err(AppError::invalid(
            "Choose skills from the organization's skill list.",
        ));
    }
    Ok(())
}

pub async fn insert(
    conn: &mut PgConnection,
    org_id: Uuid,
    created_by: Uuid,
    input: &RequisitionInput,
) -> Result<Uuid, sqlx::Error> {
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO job_requisitions
            (org_id, title, department, location, employment_type, openings, salary_min, salary_max,
             salary_currency, hiring_manager_id, description_md, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(org_id)
    .bind(&input.title)
    .bind(&input.department)
    .bind(&input.location)
    .bind(input.employment_type)
    .bind(input.openings)
    .bind(input.salary_min)
    .bind(input.salary_max)
    .bind(&input.salary_currency)
    .bind(input.hiring_manager_id)
    .bind(&input.description_md)
    .bind(created_by)
    .fetch_one(&mut *conn)
    .await?;
    replace_links(conn, id, input).await?;
    Ok(id)
}

/// Updates a requisition of the organization; false when there is no such requisition.
pub async fn update(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    input: &RequisitionInput,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE job_requisitions SET title = $3, department = $4, location = $5, employment_type = $6,
                openings = $7, salary_min = $8, salary_max = $9, salary_currency = $10,
                hiring_manager_id = $11, description_md = $12, updated_at = now()
         WHERE id = $1 AND org_id = $2 AND is_active",
    )
    .bind(id)
    .bind(org_id)
    .bind(&input.title)
    .bind(&input.department)
    .bind(&input.location)
    .bind(input.employment_type)
    .bind(input.openings)
    .bind(input.salary_min)
    .bind(input.salary_max)
    .bind(&input.salary_currency)
    .bind(input.hiring_manager_id)
    .bind(&input.description_md)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    replace_links(conn, id, input).await?;
    Ok(true)
}

async fn replace_links(
    conn: &mut PgConnection,
    id: Uuid,
    input: &RequisitionInput,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM requisition_skills WHERE requisition_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM requisition_team WHERE requisition_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let skills: Vec<Uuid> = input
        .required_skills
        .iter()
        .chain(&input.nice_skills)
        .copied()
        .collect();
    let required: Vec<bool> = input
        .required_skills
        .iter()
        .map(|_| true)
        .chain(input.nice_skills.iter().map(|_| false))
        .collect();
    sqlx::query(
        "INSERT INTO requisition_skills (requisition_id, skill_id, required)
         SELECT $1, skill, required FROM UNNEST($2::uuid[], $3::bool[]) AS t(skill, required)",
    )
    .bind(id)
    .bind(&skills)
    .bind(&required)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO requisition_team (requisition_id, user_id) SELECT $1, UNNEST($2::uuid[])",
    )
    .bind(id)
    .bind(&input.team)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
pub struct DetailRow {
    pub id: Uuid,
    pub title: String,
    pub department: String,
    pub location: String,
    pub employment_type: EmploymentType,
    pub openings: i32,
    pub salary_min: Option<i32>,
    pub salary_max: Option<i32>,
    pub salary_currency: Option<String>,
    pub hiring_manager_id: Option<Uuid>,
    pub hiring_manager_name: Option<String>,
    pub hiring_manager_role: Option<Role>,
    pub status: RequisitionStatus,
    pub description_md: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    /// Bumped by the database on every change the pipeline board shows (migration
    /// `board_cache_and_search`); the board's cache is keyed by it.
    pub board_version: i64,
}

impl DetailRow {
    /// Who owns the requisition and hears about its moves: its hiring manager and the
    /// person who opened it.
    pub fn owners(&self) -> Vec<Uuid> {
        let mut owners: Vec<Uuid> = self
            .hiring_manager_id
            .into_iter()
            .chain(self.created_by)
            .collect();
        owners.dedup();
        owners
    }

    pub fn hiring_manager(&self) -> Option<Person> {
        Some(Person {
            id: self.hiring_manager_id?,
            full_name: self.hiring_manager_name.clone()?,
            role: self.hiring_manager_role?,
        })
    }
}

pub async fn find(
    executor: impl PgExecutor<'_>,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<DetailRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.title, r.department, r.location, r.employment_type, r.openings,
                r.salary_min, r.salary_max, r.salary_currency, r.hiring_manager_id,
                u.full_name AS hiring_manager_name, u.role AS hiring_manager_role,
                r.status, r.description_md, r.created_by, r.created_at, r.board_version
         FROM job_requisitions r LEFT JOIN users u ON u.id = r.hiring_manager_id
         WHERE r.id = $1 AND r.org_id = $2 AND r.is_active",
    )
    .bind(id)
    .bind(org_id)
    .fetch_optional(executor)
    .await
}

/// The requisition's skills as (required, nice to have).
pub async fn skills_of(
    pool: &PgPool,
    id: Uuid,
) -> Result<(Vec<SkillRef>, Vec<SkillRef>), sqlx::Error> {
    let rows: Vec<(Uuid, String, bool)> = sqlx::query_as(
        "SELECT s.id, s.name, rs.required FROM requisition_skills rs JOIN skills s ON s.id = rs.skill_id
         WHERE rs.requisition_id = $1 ORDER BY lower(s.name)",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let (required, nice): (Vec<_>, Vec<_>) =
        rows.into_iter().partition(|(_, _, required)| *required);
    let refs = |rows: Vec<(Uuid, String, bool)>| {
        rows.into_iter()
            .map(|(id, name, _)| SkillRef { id, name })
            .collect()
    };
    Ok((refs(required), refs(nice)))
}

pub async fn team_of(pool: &PgPool, id: Uuid) -> Result<Vec<Person>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.full_name, u.role FROM requisition_team t JOIN users u ON u.id = t.user_id
         WHERE t.requisition_id = $1 ORDER BY lower(u.full_name)",
    )
    .bind(id)
    .fetch_all(pool)
    .await
}

/// Moves the requisition from `from` to `to`; false when it was no longer in `from`
/// (someone else moved it first).
pub async fn set_status(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    from: RequisitionStatus,
    to: RequisitionStatus,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE job_requisitions SET status = $4, updated_at = now()
         WHERE id = $1 AND org_id = $2 AND status = $3 AND is_active",
    )
    .bind(id)
    .bind(org_id)
    .bind(from)
    .bind(to)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
