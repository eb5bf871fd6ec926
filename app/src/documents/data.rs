//! The `documents`, `extraction_logs` and `skill_matches` rows.

use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

use super::fields::Parsed;
use super::{AttemptStatus, DocumentKind, ExtractionAttempt, TextStatus};
use crate::candidates::Via;
use crate::skills::Evidence;

/// What a new document row holds; its file row is written in the same transaction.
pub struct NewDocument<'a> {
    pub org_id: Uuid,
    pub candidate_id: Uuid,
    pub file_id: Uuid,
    pub kind: DocumentKind,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub sha256: &'a [u8],
    pub via: Via,
    pub uploaded_by: Option<Uuid>,
}

/// Holds, until `conn`'s transaction ends, the right to add a document to the candidate:
/// two uploads of the same bytes at the same moment are then one document, the second
/// finding the first's row instead of breaking the unique index.
pub async fn lock_additions(conn: &mut PgConnection, candidate_id: Uuid) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('documents:' || $1::text, 0))")
        .bind(candidate_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The candidate's live document with these bytes, if any.
pub async fn with_sha256(
    executor: impl PgExecutor<'_>,
    candidate_id: Uuid,
    sha256: &[u8],
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar(
        "SELECT id FROM documents WHERE candidate_id = $1 AND sha256 = $2 AND deleted_at IS NULL",
    )
    .bind(candidate_id)
    .bind(sha256)
    .fetch_optional(executor)
    .await
}

pub async fn insert(conn: &mut PgConnection, doc: NewDocument<'_>) -> sqlx::Result<Uuid> {
    sqlx::query_scalar(
        "INSERT INTO documents (org_id, candidate_id, file_id, kind, filename, content_type,
                                size_bytes, sha256, via, uploaded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(doc.org_id)
    .bind(doc.candidate_id)
    .bind(doc.file_id)
    .bind(doc.kind)
    .bind(doc.filename)
    .bind(doc.content_type)
    .bind(doc.size_bytes)
    .bind(doc.sha256)
    .bind(doc.via)
    .bind(doc.uploaded_by)
    .fetch_one(conn)
    .await
}

/// Holds a document sent through the careers page to a record that existed before for
/// `application_id`: a new one is not taken as the candidate's (`confirmed` false), and an
/// unconfirmed one (new, or the same bytes sent again) counts for this application too.
pub async fn hold_for_application(
    conn: &mut PgConnection,
    id: Uuid,
    application_id: Uuid,
    new: bool,
) -> sqlx::Result<()> {
    if new {
        sqlx::query("UPDATE documents SET confirmed = false, updated_at = now() WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "INSERT INTO document_applications (document_id, application_id)
         SELECT id, $2 FROM documents WHERE id = $1 AND NOT confirmed
         ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(application_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes the organization's live document `id` as the candidate's (again, if it was);
/// its candidate, or `None` when there is no such document.
pub async fn confirm(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar(
        "UPDATE documents SET confirmed = true, updated_at = now()
         WHERE id = $1 AND org_id = $2 AND deleted_at IS NULL
         RETURNING candidate_id",
    )
    .bind(id)
    .bind(org_id)
    .fetch_optional(conn)
    .await
}

/// A document with what the extraction job and the download need.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DocumentRow {
    pub id: Uuid,
    pub org_id: Uuid,
    pub candidate_id: Uuid,
    pub file_id: Option<Uuid>,
    pub kind: DocumentKind,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub via: Via,
    pub uploaded_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub text_status: TextStatus,
    pub parsed: Option<Json<Parsed>>,
    pub deleted_at: Option<DateTime<Utc>>,
    /// Taken as the candidate's: false for one sent through the careers page to a record
    /// that existed before, until a recruiter confirms it.
    pub confirmed: bool,
    /// The jobs of the applications an unconfirmed document was sent with (and counts for).
    pub only_for: Vec<String>,
}

const COLUMNS: &str = "d.id, d.org_id, d.candidate_id, d.file_id, d.kind, d.filename,
    d.content_type, d.size_bytes, d.via, u.full_name AS uploaded_by, d.created_at,
    d.text_status, d.parsed, d.deleted_at, d.confirmed,
    array(SELECT r.title FROM document_applications da
          JOIN applications a ON a.id = da.application_id
          JOIN job_requisitions r ON r.id = a.requisition_id
          WHERE da.document_id = d.id ORDER BY r.title) AS only_for";

/// The organization's document `id` (deleted or not).
pub async fn find(
    executor: impl PgExecutor<'_>,
    org_id: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<DocumentRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM documents d LEFT JOIN users u ON u.id = d.uploaded_by
         WHERE d.id = $1 AND d.org_id = $2"
    ))
    .bind(id)
    .bind(org_id)
    .fetch_optional(executor)
    .await
}

/// The document's candidate, locking its row, while it is live (not deleted): what the
/// extraction job writes under, so a deletion or a merge meanwhile wins.
pub async fn lock_live(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar(
        "SELECT candidate_id FROM documents WHERE id = $1 AND deleted_at IS NULL FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// A document by id alone, for its job (which runs for no organization in particular).
pub async fn find_for_job(
    executor: impl PgExecutor<'_>,
    id: Uuid,
) -> sqlx::Result<Option<DocumentRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM documents d LEFT JOIN users u ON u.id = d.uploaded_by
         WHERE d.id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await
}

/// The candidate's documents: live ones newest first, then the deleted.
pub async fn of_candidate(
    pool: &PgPool,
    org_id: Uuid,
    candidate_id: Uuid,
) -> sqlx::Result<Vec<DocumentRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM documents d LEFT JOIN users u ON u.id = d.uploaded_by
         WHERE d.candidate_id = $1 AND d.org_id = $2
         ORDER BY d.deleted_at IS NOT NULL, d.created_at DESC, d.id"
    ))
    .bind(candidate_id)
    .bind(org_id)
    .fetch_all(pool)
    .await
}

/// Every extraction attempt of the documents, oldest first: (document, attempt).
pub async fn attempts_of(
    pool: &PgPool,
    document_ids: &[Uuid],
) -> sqlx::Result<Vec<(Uuid, ExtractionAttempt)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        document_id: Uuid,
        #[sqlx(flatten)]
        attempt: ExtractionAttempt,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT document_id, attempt, method, status, pages, characters, duration_ms, error, created_at
         FROM extraction_logs WHERE document_id = ANY($1) ORDER BY id",
    )
    .bind(document_ids)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.document_id, r.attempt))
        .collect())
}

/// The skills found in the documents: (document, evidence), by skill name.
pub async fn evidence_of(
    pool: &PgPool,
    document_ids: &[Uuid],
) -> sqlx::Result<Vec<(Uuid, Evidence)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        document_id: Uuid,
        #[sqlx(flatten)]
        evidence: Evidence,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT m.document_id, s.name AS skill, m.term, m.occurrences, m.match_offset, m.match_len,
                m.sentence, m.sentence_offset
         FROM skill_matches m JOIN skills s ON s.id = m.skill_id
         WHERE m.document_id = ANY($1) ORDER BY lower(s.name)",
    )
    .bind(document_ids)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.document_id, r.evidence))
        .collect())
}

/// What one attempt at a document's text came to.
pub struct NewAttempt<'a> {
    pub method: &'a str,
    pub status: AttemptStatus,
    pub pages: Option<i32>,
    pub characters: i32,
    pub duration_ms: i32,
    pub error: Option<&'a str>,
}

/// Logs an attempt (numbered after the document's earlier ones).
pub async fn log_attempt(
    conn: &mut PgConnection,
    doc: &DocumentRow,
    attempt: NewAttempt<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO extraction_logs (org_id, candidate_id, document_id, attempt, method, status,
                                      pages, characters, duration_ms, error)
         SELECT $1, $2, $3, count(*) + 1, $4, $5, $6, $7, $8, $9
         FROM extraction_logs WHERE document_id = $3",
    )
    .bind(doc.org_id)
    .bind(doc.candidate_id)
    .bind(doc.id)
    .bind(attempt.method)
    .bind(attempt.status)
    .bind(attempt.pages)
    .bind(attempt.characters)
    .bind(attempt.duration_ms)
    .bind(attempt.error)
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores the document's text (when there is some), its status and parsed fields.
pub async fn set_text(
    conn: &mut PgConnection,
    id: Uuid,
    status: TextStatus,
    text: Option<&str>,
    parsed: Option<&Parsed>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE documents SET text_status = $2, text = $3, parsed = $4, updated_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(text)
    .bind(parsed.map(Json))
    .execute(conn)
    .await?;
    Ok(())
}

/// A skill found in a document's text.
pub struct NewMatch<'a> {
    pub skill_id: Uuid,
    pub term: &'a str,
    pub occurrences: i32,
    pub offset: i32,
    pub len: i32,
    pub sentence: &'a str,
    pub sentence_offset: i32,
}

/// Replaces the skills found in the document with `found`.
pub async fn replace_matches(
    conn: &mut PgConnection,
    doc: &DocumentRow,
    found: &[NewMatch<'_>],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM skill_matches WHERE document_id = $1")
        .bind(doc.id)
        .execute(&mut *conn)
        .await?;
    for hit in found {
        sqlx::query(
            "INSERT INTO skill_matches (org_id, candidate_id, document_id, skill_id, term, occurrences,
                                        match_offset, match_len, sentence, sentence_offset)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(doc.org_id)
        .bind(doc.candidate_id)
        .bind(doc.id)
        .bind(hit.skill_id)
        .bind(hit.term)
        .bind(hit.occurrences)
        .bind(hit.offset)
        .bind(hit.len)
        .bind(hit.sentence)
        .bind(hit.sentence_offset)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Deletes a live document: its file row goes (and with it, by the purge trigger, the
/// bytes); the row, its log and its skill matches stay. Returns the file id it had.
pub async fn soft_delete(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    by: Uuid,
) -> sqlx::Result<Option<Option<Uuid>>> {
    let file: Option<Option<Uuid>> = sqlx::query_scalar(
        "UPDATE documents d SET deleted_at = now(), deleted_by = $3, file_id = NULL, updated_at = now()
         FROM documents old
         WHERE d.id = $1 AND d.org_id = $2 AND d.deleted_at IS NULL AND old.id = d.id
         RETURNING old.file_id",
    )
    .bind(id)
    .bind(org_id)
    .bind(by)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(Some(file_id)) = file {
        sqlx::query("DELETE FROM files WHERE id = $1")
            .bind(file_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(file)
}
