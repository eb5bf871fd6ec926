//! Queries of candidates. Every one is scoped by organization.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

use super::{CandidateInput, CandidateQuery, CandidateSummary, LimitedApplication, Sort, Source};
use crate::input::Cursor;
use crate::skills::SkillRef;

/// Where a page ends, in the order of `sort`: "t" and the newest-first `Cursor`, or
/// "n<id>_<lowercase name>".
pub fn cursor(sort: Sort, last: &CandidateSummary) -> String {
    match sort {
        Sort::Newest => {
            let position = Cursor {
                created_at: last.created_at,
                id: last.id,
            };
            format!("t{}", position.encode())
        }
        Sort::Name => format!("n{}_{}", last.id, last.full_name.to_lowercase()),
    }
}

/// How many of the newest candidates a text search reads in index order (no table
/// access: the index carries what a search tests) before it turns to the trigram index.
/// A fragment that one candidate in fifty matches fills a page from them; a rarer one
/// costs this short scan (about half a millisecond) and then a trigram search, which is
/// quick when the matches are few.
const RECENT_WINDOW: i64 = 3000;

const COLUMNS: &str = "c.id, c.full_name, c.email, c.location, c.source, c.tags, c.created_at";

pub async fn list(
    pool: &PgPool,
    org_id: Uuid,
    query: &CandidateQuery,
    limit: i64,
) -> Result<Vec<CandidateSummary>, sqlx::Error> {
    // Control characters cannot be typed into the search box; without them a pattern
    // never spans the newline between name and email in `search_text`.
    let text: Option<String> = query
        .text
        .as_deref()
        .map(|t| t.chars().filter(|c| !c.is_control()).collect::<String>())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let pattern = text.as_deref().map(crate::search::contains_pattern);
    // Three characters or more can use the trigram index.
    let trigrams = text.as_deref().is_some_and(|t| t.chars().count() >= 3);
    let mut sql: QueryBuilder<Postgres> = QueryBuilder::new("");
    if trigrams && query.sort == Sort::Newest {
        // The newest candidates first, read from the index; when they hold a whole page
        // of matches that page is the answer (they are the start of the same order).
        // Otherwise the second branch, which PostgreSQL runs only then, searches all.
        sql.push(
            "WITH recent AS (SELECT c.id FROM (
                 SELECT c.id, c.created_at, c.search_text, c.tags, c.source FROM candidates c
                 WHERE c.is_active AND c.org_id = ",
        )
        .push_bind(org_id);
        push_position(&mut sql, query);
        sql.push(" ORDER BY c.created_at DESC, c.id DESC LIMIT ")
            .push_bind(RECENT_WINDOW)
            .push(") c WHERE true");
        push_filters(&mut sql, query, pattern.as_deref());
        sql.push(" ORDER BY c.created_at DESC, c.id DESC LIMIT ")
            .push_bind(limit)
            .push(") SELECT ")
            .push(COLUMNS)
            .push(
                " FROM candidates c JOIN recent USING (id) WHERE (SELECT count(*) FROM recent) = ",
            )
            .push_bind(limit)
            .push(" UNION ALL SELECT * FROM (");
        push_gathered(&mut sql, org_id, query, pattern.as_deref(), limit);
        sql.push(") found WHERE (SELECT count(*) FROM recent) < ")
            .push_bind(limit)
            .push(" ORDER BY created_at DESC, id DESC");
    } else if trigrams {
        push_gathered(&mut sql, org_id, query, pattern.as_deref(), limit);
    } else {
        sql.push("SELECT ")
            .push(COLUMNS)
            .push(" FROM candidates c WHERE c.is_active AND c.org_id = ")
            .push_bind(org_id);
        push_filters(&mut sql, query, pattern.as_deref());
        push_position(&mut sql, query);
        push_order(&mut sql, query.sort, limit);
    }
    sql.build_query_as().fetch_all(pool).await
}

/// Every match gathered through the trigram index (on `search_key`, with the tags) first,
/// a fence the planner keeps, then sorted: left to itself the planner would walk the sort
/// order's index and test every candidate.
fn push_gathered(
    sql: &mut QueryBuilder<'_, Postgres>,
    org_id: Uuid,
    query: &CandidateQuery,
    pattern: Option<&str>,
    limit: i64,
) {
    sql.push("WITH c AS MATERIALIZED (SELECT ")
        .push(COLUMNS)
        .push(" FROM candidates c WHERE c.is_active AND c.org_id = ")
        .push_bind(org_id);
    if let Some(pattern) = pattern {
        // The index's sieve (`search_key`, see its migration); `push_filters` adds the
        // exact test.
        sql.push(" AND c.search_key LIKE are_search_key(lower(")
            .push_bind(pattern.to_string())
            .push("))");
    }
    push_filters(sql, query, pattern);
    sql.push(") SELECT ")
        .push(COLUMNS)
        .push(" FROM c WHERE true");
    push_position(sql, query);
    push_order(sql, query.sort, limit);
}

/// The search's conditions on `c` (which needs `id`, `search_text`, `tags`, `source`).
fn push_filters(
    sql: &mut QueryBuilder<'_, Postgres>,
    query: &CandidateQuery,
    pattern: Option<&str>,
) {
    if let Some(pattern) = pattern {
        // `lower(x) LIKE lower(p)` is what ILIKE does, done once per row in advance.
        sql.push(" AND c.search_text LIKE lower(")
            .push_bind(pattern.to_string())
            .push(")");
    }
    if !query.with_tags.is_empty() {
        sql.push(" AND c.tags @> ")
            .push_bind(query.with_tags.clone());
    }
    if !query.without_tags.is_empty() {
        sql.push(" AND NOT (c.tags && ")
            .push_bind(query.without_tags.clone())
            .push(")");
    }
    if let Some(skill) = query.with_skill {
        sql.push(" AND EXISTS (SELECT 1 FROM candidate_skills s WHERE s.candidate_id = c.id AND s.skill_id = ")
            .push_bind(skill)
            .push(")");
    }
    if let Some(skill) = query.without_skill {
        sql.push(" AND NOT EXISTS (SELECT 1 FROM candidate_skills s WHERE s.candidate_id = c.id AND s.skill_id = ")
            .push_bind(skill)
            .push(")");
    }
    if let Some(source) = query.source {
        sql.push(" AND c.source = ").push_bind(source);
    }
}

/// Where the page starts: after the cursor, in the order of the sort.
fn push_position(sql: &mut QueryBuilder<'_, Postgres>, query: &CandidateQuery) {
    let after = query.after.as_deref();
    match query.sort {
        Sort::Newest => {
            let position = after
                .and_then(|a| a.strip_prefix('t'))
                .and_then(Cursor::decode);
            if let Some(position) = position {
                sql.push(" AND (c.created_at, c.id) < (")
                    .push_bind(position.created_at)
                    .push(", ")
                    .push_bind(position.id)
                    .push(")");
            }
        }
        Sort::Name => {
            let position = after
                .and_then(|a| a.strip_prefix('n'))
                .and_then(|a| a.split_once('_'))
                .and_then(|(id, name)| Some((name.to_string(), id.parse::<Uuid>().ok()?)));
            if let Some((name, id)) = position {
                sql.push(" AND (lower(c.full_name), c.id) > (")
                    .push_bind(name)
                    .push(", ")
                    .push_bind(id)
                    .push(")");
            }
        }
    }
}

fn push_order(sql: &mut QueryBuilder<'_, Postgres>, sort: Sort, limit: i64) {
    sql.push(match sort {
        Sort::Newest => " ORDER BY c.created_at DESC, c.id DESC",
        Sort::Name => " ORDER BY lower(c.full_name), c.id",
    });
    sql.push(" LIMIT ").push_bind(limit);
}

/// The organization's candidate with this email, if any: (id, name).
pub async fn with_email(
    conn: &mut PgConnection,
    org_id: Uuid,
    email: &str,
    except: Option<Uuid>,
) -> Result<Option<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, full_name FROM candidates
         WHERE org_id = $1 AND is_active AND lower(email) = lower($2) AND id IS DISTINCT FROM $3",
    )
    .bind(org_id)
    .bind(email)
    .bind(except)
    .fetch_optional(conn)
    .await
}

pub async fn insert(
    conn: &mut PgConnection,
    org_id: Uuid,
    created_by: Uuid,
    input: &CandidateInput,
) -> Result<Uuid, sqlx::Error> {
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO candidates (org_id, full_name, email, phone, location, headline, source, tags, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(org_id)
    .bind(&input.full_name)
    .bind(input.email.as_str())
    .bind(&input.phone)
    .bind(&input.location)
    .bind(&input.headline)
    .bind(input.source)
    .bind(&input.tags)
    .bind(created_by)
    .fetch_one(&mut *conn)
    .await?;
    replace_skills(conn, id, &input.skills).await?;
    Ok(id)
}

/// A candidate who applied on the careers page, under the id chosen for them.
pub async fn insert_applicant(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    full_name: &str,
    email: &str,
    phone: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO candidates (id, org_id, full_name, email, phone, source)
         VALUES ($1, $2, $3, $4, $5, 'careers_page')",
    )
    .bind(id)
    .bind(org_id)
    .bind(full_name)
    .bind(email)
    .bind(phone)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    input: &CandidateInput,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE candidates SET full_name = $3, email = $4, phone = $5, location = $6, headline = $7,
                source = $8, tags = $9, updated_at = now()
         WHERE id = $1 AND org_id = $2 AND is_active",
    )
    .bind(id)
    .bind(org_id)
    .bind(&input.full_name)
    .bind(input.email.as_str())
    .bind(&input.phone)
    .bind(&input.location)
    .bind(&input.headline)
    .bind(input.source)
    .bind(&input.tags)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    replace_skills(conn, id, &input.skills).await?;
    Ok(true)
}

async fn replace_skills(
    conn: &mut PgConnection,
    id: Uuid,
    skills: &[Uuid],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM candidate_skills WHERE candidate_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO candidate_skills (candidate_id, skill_id) SELECT $1, UNNEST($2::uuid[])",
    )
    .bind(id)
    .bind(skills)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
pub struct ProfileRow {
    pub id: Uuid,
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub location: String,
    pub headline: String,
    pub source: Source,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<String>,
}

pub async fn find(
    executor: impl sqlx::PgExecutor<'_>,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<ProfileRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.full_name, c.email, c.phone, c.location, c.headline, c.source, c.tags,
                c.created_at, u.full_name AS created_by
         FROM candidates c LEFT JOIN users u ON u.id = c.created_by
         WHERE c.id = $1 AND c.org_id = $2 AND c.is_active",
    )
    .bind(id)
    .bind(org_id)
    .fetch_optional(executor)
    .await
}

/// Whether the active candidate has an application on an active requisition that
/// `manager_id` is the hiring manager of.
pub async fn in_requisition_managed_by(
    pool: &PgPool,
    org_id: Uuid,
    id: Uuid,
    manager_id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (
             SELECT 1 FROM applications a
             JOIN candidates c ON c.id = a.candidate_id
             JOIN job_requisitions j ON j.id = a.requisition_id
             WHERE a.candidate_id = $1 AND a.org_id = $2 AND c.is_active AND j.is_active
               AND j.hiring_manager_id = $3)",
    )
    .bind(id)
    .bind(org_id)
    .bind(manager_id)
    .fetch_one(pool)
    .await
}

/// The active candidate's name, if they are the organization's.
pub async fn name_of(pool: &PgPool, org_id: Uuid, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT full_name FROM candidates WHERE id = $1 AND org_id = $2 AND is_active",
    )
    .bind(id)
    .bind(org_id)
    .fetch_optional(pool)
    .await
}

/// The candidate's applications on active requisitions, newest first; only those on the
/// requisitions `manager_id` manages when it is given.
pub async fn applications_of(
    pool: &PgPool,
    org_id: Uuid,
    id: Uuid,
    manager_id: Option<Uuid>,
) -> Result<Vec<LimitedApplication>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id AS application_id, a.requisition_id, j.title AS requisition_title,
                s.name AS stage, a.stage_entered_at
         FROM applications a
         JOIN job_requisitions j ON j.id = a.requisition_id
         JOIN pipeline_stages s ON s.id = a.stage_id
         WHERE a.candidate_id = $1 AND a.org_id = $2 AND j.is_active
           AND ($3::uuid IS NULL OR j.hiring_manager_id = $3)
         ORDER BY a.created_at DESC, a.id",
    )
    .bind(id)
    .bind(org_id)
    .bind(manager_id)
    .fetch_all(pool)
    .await
}

/// Sets the candidate's phone or location (`field`, one of the two); false when no
/// active candidate of the organization has the id.
pub async fn set_contact_field(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    field: &str,
    value: &str,
) -> Result<bool, sqlx::Error> {
    let column = match field {
        "phone" => "phone",
        "location" => "location",
        _ => return Ok(false),
    };
    let done = sqlx::query(&format!(
        "UPDATE candidates SET {column} = $3, updated_at = now()
         WHERE id = $1 AND org_id = $2 AND is_active"
    ))
    .bind(id)
    .bind(org_id)
    .bind(value)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn skills_of(pool: &PgPool, id: Uuid) -> Result<Vec<SkillRef>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.name FROM candidate_skills cs JOIN skills s ON s.id = cs.skill_id
         WHERE cs.candidate_id = $1 ORDER BY lower(s.name)",
    )
    .bind(id)
    .fetch_all(pool)
    .await
}

/// Deletes an active candidate, the retired records merged into it, and the emails
/// about any of them (their applications, notes, history and interviews go with them
/// by cascade); returns how many candidate records went (0: not found).
pub async fn delete(conn: &mut PgConnection, org_id: Uuid, id: Uuid) -> Result<u64, sqlx::Error> {
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "WITH RECURSIVE person AS (
             SELECT id FROM candidates WHERE id = $1 AND org_id = $2 AND is_active
             UNION
             SELECT c.id FROM candidates c JOIN person p ON c.merged_into_id = p.id WHERE c.org_id = $2)
         SELECT id FROM person",
    )
    .bind(id)
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    if ids.is_empty() {
        return Ok(0);
    }
    crate::email::history::delete_about(&mut *conn, org_id, &ids).await?;
    let done = sqlx::query("DELETE FROM candidates WHERE id = ANY($1) AND org_id = $2")
        .bind(&ids)
        .bind(org_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}
