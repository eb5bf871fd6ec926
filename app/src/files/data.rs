//! The `files` rows and the purge queue.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::Purpose;

/// A stored file's metadata.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileRow {
    pub id: Uuid,
    pub org_id: Uuid,
    pub purpose: Purpose,
    pub test_session_id: Option<Uuid>,
    pub candidate_id: Option<Uuid>,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: Vec<u8>,
    pub storage_key: String,
    pub uploaded_by: Option<Uuid>,
    pub retain_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// What a new row holds; the id and the storage key were chosen before the bytes went
/// into the store.
pub struct NewFile<'a> {
    pub id: Uuid,
    pub org_id: Uuid,
    pub purpose: Purpose,
    pub test_session_id: Option<Uuid>,
    pub candidate_id: Option<Uuid>,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub sha256: &'a [u8],
    pub storage_key: &'a str,
    pub uploaded_by: Option<Uuid>,
    pub retain_until: Option<DateTime<Utc>>,
}

/// Marks `key` as about to receive bytes: queued for purging, but not before `grace`
/// has passed. Inserting the file's row takes it off the queue; if that never commits
/// (the request failed after the bytes went in), the purge job deletes the orphan.
pub async fn reserve(pool: &PgPool, key: &str, grace_seconds: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO file_purges (storage_key, queued_at)
         VALUES ($1, now() + make_interval(secs => $2))",
    )
    .bind(key)
    .bind(grace_seconds as f64)
    .execute(pool)
    .await?;
    Ok(())
}

/// Inserts the row of a file whose bytes are stored, and takes its key off the purge
/// queue (see [`reserve`]), in the caller's transaction.
pub async fn insert(conn: &mut PgConnection, file: NewFile<'_>) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM file_purges WHERE storage_key = $1")
        .bind(file.storage_key)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO files (id, org_id, purpose, test_session_id, candidate_id, content_type,
                            size_bytes, sha256, storage_key, uploaded_by, retain_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(file.id)
    .bind(file.org_id)
    .bind(file.purpose)
    .bind(file.test_session_id)
    .bind(file.candidate_id)
    .bind(file.content_type)
    .bind(file.size_bytes)
    .bind(file.sha256)
    .bind(file.storage_key)
    .bind(file.uploaded_by)
    .bind(file.retain_until)
    .execute(conn)
    .await?;
    Ok(())
}

/// The organization's file `id`.
pub async fn find(pool: &PgPool, org_id: Uuid, id: Uuid) -> sqlx::Result<Option<FileRow>> {
    sqlx::query_as(
        "SELECT id, org_id, purpose, test_session_id, candidate_id, content_type, size_bytes, sha256,
                storage_key, uploaded_by, retain_until, created_at
         FROM files WHERE id = $1 AND org_id = $2",
    )
    .bind(id)
    .bind(org_id)
    .fetch_optional(pool)
    .await
}

/// Up to `limit` keys due for purging, oldest first.
pub async fn purge_batch(pool: &PgPool, limit: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT storage_key FROM file_purges WHERE queued_at <= now()
         ORDER BY queued_at, storage_key LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// The keys whose bytes are deleted.
pub async fn purged(pool: &PgPool, keys: &[String]) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM file_purges WHERE storage_key = ANY($1)")
        .bind(keys)
        .execute(pool)
        .await?;
    Ok(())
}
