//! Queries of notes and mentions.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

use super::Mentionable;

#[derive(Debug, sqlx::FromRow)]
pub struct NoteRow {
    pub id: Uuid,
    pub author_id: Option<Uuid>,
    pub author: Option<String>,
    pub body_md: String,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
}

pub async fn of_application(
    pool: &PgPool,
    org_id: Uuid,
    application_id: Uuid,
) -> Result<Vec<NoteRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.id, n.author_id, u.full_name AS author, n.body_md, n.created_at, n.edited_at
         FROM application_notes n LEFT JOIN users u ON u.id = n.author_id
         WHERE n.application_id = $1 AND n.org_id = $2 AND n.is_active
         ORDER BY n.created_at",
    )
    .bind(application_id)
    .bind(org_id)
    .fetch_all(pool)
    .await
}

pub async fn insert(
    conn: &mut PgConnection,
    org_id: Uuid,
    application_id: Uuid,
    author: Uuid,
    body: &str,
    mentions: &[Uuid],
) -> Result<Uuid, sqlx::Error> {
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO application_notes (org_id, application_id, author_id, body_md) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(org_id)
    .bind(application_id)
    .bind(author)
    .bind(body)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO note_mentions (note_id, user_id) SELECT $1, UNNEST($2::uuid[])")
        .bind(id)
        .bind(mentions)
        .execute(conn)
        .await?;
    Ok(id)
}

/// The note's application, when the note is the organization's and still shown.
pub async fn application_of(
    conn: &mut PgConnection,
    org_id: Uuid,
    note_id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT application_id FROM application_notes WHERE id = $1 AND org_id = $2 AND is_active",
    )
    .bind(note_id)
    .bind(org_id)
    .fetch_optional(conn)
    .await
}

/// Changes (or with `None`, deletes) a note of `author` still in its edit window.
/// Returns false when that is no longer allowed.
pub async fn change(
    conn: &mut PgConnection,
    org_id: Uuid,
    note_id: Uuid,
    author: Uuid,
    body: Option<&str>,
    window_minutes: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE application_notes
         SET body_md = coalesce($4, body_md), is_active = ($4 IS NOT NULL),
             edited_at = CASE WHEN $4 IS NOT NULL THEN now() ELSE edited_at END, updated_at = now()
         WHERE id = $1 AND org_id = $2 AND author_id = $3 AND is_active
           AND created_at > now() - make_interval(mins => $5)",
    )
    .bind(note_id)
    .bind(org_id)
    .bind(author)
    .bind(body)
    .bind(window_minutes as i32)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Who can see the requisition's notes, and so be mentioned: the organization's active
/// admins and recruiters, and the requisition's hiring manager.
pub async fn mentionable(
    executor: impl PgExecutor<'_>,
    org_id: Uuid,
    hiring_manager: Option<Uuid>,
) -> Result<Vec<Mentionable>, sqlx::Error> {
    let rows: Vec<(Uuid, String, String)> = sqlx::query_as(
        "SELECT id, email, full_name FROM users
         WHERE org_id = $1 AND is_active AND (role IN ('admin', 'recruiter') OR id = $2)",
    )
    .bind(org_id)
    .bind(hiring_manager)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, email, full_name)| Mentionable {
            id,
            email,
            full_name,
        })
        .collect())
}
