//! Queries of candidate imports; each one is scoped by organization, except those the
//! background job runs with the import's own id.

use sqlx::types::Json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{Duplicates, Existing, ImportStatus, ImportView, Mapping, RowError};

#[derive(sqlx::FromRow)]
pub struct ImportRow {
    pub id: Uuid,
    pub org_id: Uuid,
    pub created_by: Uuid,
    pub filename: String,
    pub content: String,
    pub header: Vec<String>,
    pub mapping: Json<Mapping>,
    pub duplicates: Duplicates,
    pub status: ImportStatus,
    pub skip_lines: Vec<i32>,
    pub total_rows: i32,
    pub processed_rows: i32,
    pub created_count: i32,
    pub merged_count: i32,
    pub skipped_count: i32,
    pub errors: Json<Vec<RowError>>,
    pub error: Option<String>,
}

impl ImportRow {
    pub fn skip_lines(&self) -> Vec<u64> {
        self.skip_lines.iter().map(|l| *l as u64).collect()
    }

    pub fn view(self, preview: Vec<Vec<String>>) -> ImportView {
        ImportView {
            duplicates: self.duplicates,
            id: self.id,
            filename: self.filename,
            header: self.header,
            mapping: self.mapping.0,
            status: self.status,
            total_rows: self.total_rows,
            processed_rows: self.processed_rows,
            created: self.created_count,
            merged: self.merged_count,
            skipped: self.skipped_count,
            skipped_lines: self.skip_lines.len(),
            errors: self.errors.0,
            error: self.error,
            preview,
        }
    }
}

const COLUMNS: &str = "id, org_id, created_by, filename, content, header, mapping, duplicates, status,
    skip_lines, total_rows, processed_rows, created_count, merged_count, skipped_count, errors, error";

pub struct NewImport<'a> {
    pub org_id: Uuid,
    pub created_by: Uuid,
    pub filename: &'a str,
    pub content: &'a str,
    pub header: &'a [String],
    pub mapping: &'a Mapping,
    pub total_rows: i32,
}

pub async fn insert(pool: &PgPool, new: NewImport<'_>) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO candidate_imports (org_id, created_by, filename, content, header, mapping, total_rows)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(new.org_id)
    .bind(new.created_by)
    .bind(new.filename)
    .bind(new.content)
    .bind(new.header)
    .bind(Json(new.mapping))
    .bind(new.total_rows)
    .fetch_one(pool)
    .await
}

pub async fn find(pool: &PgPool, org_id: Uuid, id: Uuid) -> Result<Option<ImportRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM candidate_imports WHERE id = $1 AND org_id = $2"
    ))
    .bind(id)
    .bind(org_id)
    .fetch_optional(pool)
    .await
}

/// How far the import is (status, total, processed), without the file.
pub async fn progress_of(
    pool: &PgPool,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<(ImportStatus, i32, i32)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT status, total_rows, processed_rows FROM candidate_imports WHERE id = $1 AND org_id = $2",
    )
    .bind(id)
    .bind(org_id)
    .fetch_optional(pool)
    .await
}

/// For the job, which has only the import's id.
pub async fn find_for_job(pool: &PgPool, id: Uuid) -> Result<Option<ImportRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM candidate_imports WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// The checked choice and the check's bad rows (none when it passed); only while the
/// import waits for a choice.
pub async fn save_check(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    mapping: &Mapping,
    duplicates: Duplicates,
    errors: &[RowError],
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE candidate_imports SET mapping = $3, duplicates = $4, errors = $5, skip_lines = '{}',
                updated_at = now()
         WHERE id = $1 AND org_id = $2 AND status = 'uploaded'",
    )
    .bind(id)
    .bind(org_id)
    .bind(Json(mapping))
    .bind(duplicates)
    .bind(Json(errors))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Queues the import (once): the rows on `skip_lines` are left out.
pub async fn queue(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    skip_lines: &[i32],
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE candidate_imports SET status = 'queued', skip_lines = $3, processed_rows = 0,
                updated_at = now()
         WHERE id = $1 AND org_id = $2 AND status = 'uploaded'",
    )
    .bind(id)
    .bind(org_id)
    .bind(skip_lines)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    let job = super::job::ImportCandidates { import_id: id };
    crate::jobs::queue::enqueue(&mut *conn, Some(org_id), &job).await?;
    Ok(true)
}

pub async fn mark_running(pool: &PgPool, id: Uuid, total: i32) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE candidate_imports SET status = 'running', total_rows = $2, processed_rows = 0,
                updated_at = now() WHERE id = $1",
    )
    .bind(id)
    .bind(total)
    .execute(pool)
    .await?;
    Ok(())
}

/// Written outside the import's transaction so the page sees it while the import runs.
pub async fn progress(pool: &PgPool, id: Uuid, processed: i32) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE candidate_imports SET processed_rows = $2 WHERE id = $1")
        .bind(id)
        .bind(processed)
        .execute(pool)
        .await?;
    Ok(())
}

pub struct Counts {
    pub created: i32,
    pub merged: i32,
    pub skipped: i32,
}

/// Inside the import's transaction: done only when the candidates are. The file is not
/// needed any more (and holds personal data), so it goes.
pub async fn finish(conn: &mut PgConnection, id: Uuid, counts: &Counts) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE candidate_imports SET status = 'done', processed_rows = total_rows,
                created_count = $2, merged_count = $3, skipped_count = $4, error = NULL, content = '',
                finished_at = now(), updated_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(counts.created)
    .bind(counts.merged)
    .bind(counts.skipped)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn fail(
    pool: &PgPool,
    id: Uuid,
    reason: &str,
    errors: &[RowError],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE candidate_imports SET status = 'failed', error = $2, errors = $3, content = '',
                created_count = 0, merged_count = 0, skipped_count = 0,
                finished_at = now(), updated_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(reason)
    .bind(Json(errors))
    .execute(pool)
    .await?;
    Ok(())
}

/// The organization's candidate with this email, with the fields a merge may fill.
pub async fn existing(
    conn: &mut PgConnection,
    org_id: Uuid,
    email: &str,
) -> Result<Option<(Uuid, Existing)>, sqlx::Error> {
    let row: Option<(Uuid, String, String, String, Vec<String>)> = sqlx::query_as(
        "SELECT id, phone, location, headline, tags FROM candidates
         WHERE org_id = $1 AND is_active AND lower(email) = lower($2)",
    )
    .bind(org_id)
    .bind(email)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id, phone, location, headline, tags)| {
        (
            id,
            Existing {
                phone,
                location,
                headline,
                tags,
            },
        )
    }))
}

pub async fn merge(
    conn: &mut PgConnection,
    id: Uuid,
    fields: &Existing,
    skills: &[Uuid],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE candidates SET phone = $2, location = $3, headline = $4, tags = $5, updated_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(&fields.phone)
    .bind(&fields.location)
    .bind(&fields.headline)
    .bind(&fields.tags)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO candidate_skills (candidate_id, skill_id) SELECT $1, UNNEST($2::uuid[])
         ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(skills)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes uploads never imported (still `uploaded`) whose last change is older than
/// `hours`: a file a person left at the mapping step is not kept. How many went.
pub async fn delete_abandoned(pool: &PgPool, hours: i32) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM candidate_imports
         WHERE status = 'uploaded' AND updated_at < now() - make_interval(hours => $1)",
    )
    .bind(hours)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}
