//! Queries of a merge. Every one is scoped by organization.

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::{MergeFields, MergeSide, PossibleDuplicate};
use crate::candidates::Source;

#[derive(sqlx::FromRow)]
struct SideRow {
    id: Uuid,
    full_name: String,
    email: String,
    phone: String,
    location: String,
    headline: String,
    source: Source,
    tags: Vec<String>,
    skills: Vec<String>,
    requisitions: Vec<String>,
}

/// Locks the organization's active candidates among `ids` for a merge, in id order (so
/// two merges of one pair cannot deadlock); returns how many there were.
pub async fn lock(
    conn: &mut PgConnection,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<usize, sqlx::Error> {
    let locked: Vec<Uuid> = sqlx::query_scalar(
        "SELECT id FROM candidates WHERE id = ANY($1) AND org_id = $2 AND is_active
         ORDER BY id FOR UPDATE",
    )
    .bind(ids)
    .bind(org_id)
    .fetch_all(conn)
    .await?;
    Ok(locked.len())
}

/// An active candidate with their skills and requisitions.
pub async fn side(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<MergeSide>, sqlx::Error> {
    let row: Option<SideRow> = sqlx::query_as(
        "SELECT c.id, c.full_name, c.email, c.phone, c.location, c.headline, c.source, c.tags,
                ARRAY(SELECT s.name FROM candidate_skills cs JOIN skills s ON s.id = cs.skill_id
                      WHERE cs.candidate_id = c.id ORDER BY lower(s.name)) AS skills,
                ARRAY(SELECT r.title FROM applications a JOIN job_requisitions r ON r.id = a.requisition_id
                      WHERE a.candidate_id = c.id ORDER BY r.title) AS requisitions
         FROM candidates c WHERE c.id = $1 AND c.org_id = $2 AND c.is_active",
    )
    .bind(id)
    .bind(org_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|row| MergeSide {
        id: row.id,
        fields: MergeFields {
            full_name: row.full_name,
            email: row.email,
            phone: row.phone,
            location: row.location,
            headline: row.headline,
            source: row.source,
            tags: row.tags,
        },
        skills: row.skills,
        requisitions: row.requisitions,
    }))
}

/// The other active candidate named by id or email address.
pub async fn find_other(
    executor: impl PgExecutor<'_>,
    org_id: Uuid,
    id: Uuid,
    other: &str,
) -> Result<Option<Uuid>, sqlx::Error> {
    let other = other.trim();
    sqlx::query_scalar(
        "SELECT id FROM candidates
         WHERE org_id = $1 AND is_active AND id <> $2
           AND (id::text = lower($3) OR lower(email) = lower($3))",
    )
    .bind(org_id)
    .bind(id)
    .bind(other)
    .fetch_optional(executor)
    .await
}

/// Other active records with the same name or the same phone number (digits compared).
pub async fn suggestions(
    executor: impl PgExecutor<'_>,
    org_id: Uuid,
    id: Uuid,
) -> Result<Vec<PossibleDuplicate>, sqlx::Error> {
    let rows: Vec<(Uuid, String, String, bool)> = sqlx::query_as(
        "SELECT o.id, o.full_name, o.email, lower(o.full_name) = lower(c.full_name) AS same_name
         FROM candidates c JOIN candidates o ON o.org_id = c.org_id AND o.is_active AND o.id <> c.id
         WHERE c.id = $1 AND c.org_id = $2
           AND (lower(o.full_name) = lower(c.full_name)
                OR (regexp_replace(c.phone, '[^0-9]', '', 'g') <> ''
                    AND regexp_replace(o.phone, '[^0-9]', '', 'g') = regexp_replace(c.phone, '[^0-9]', '', 'g')))
         ORDER BY o.created_at DESC LIMIT 10",
    )
    .bind(id)
    .bind(org_id)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, full_name, email, same_name)| PossibleDuplicate {
            id,
            full_name,
            email,
            why: if same_name { "same name" } else { "same phone" }.into(),
        })
        .collect())
}

/// Merges `duplicate` into `kept` (both locked by `lock` in this transaction) with the
/// merged `fields`; returns how many applications moved over.
pub async fn merge(
    conn: &mut PgConnection,
    org_id: Uuid,
    kept: Uuid,
    duplicate: Uuid,
    fields: &MergeFields,
) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "UPDATE candidates SET is_active = false, merged_into_id = $3, merged_at = now(), updated_at = now()
         WHERE id = $1 AND org_id = $2",
    )
    .bind(duplicate)
    .bind(org_id)
    .bind(kept)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE candidates SET full_name = $3, phone = $4, location = $5, headline = $6, tags = $7,
                updated_at = now()
         WHERE id = $1 AND org_id = $2",
    )
    .bind(kept)
    .bind(org_id)
    .bind(&fields.full_name)
    .bind(&fields.phone)
    .bind(&fields.location)
    .bind(&fields.headline)
    .bind(&fields.tags)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO candidate_skills (candidate_id, skill_id)
         SELECT $1, skill_id FROM candidate_skills WHERE candidate_id = $2 ON CONFLICT DO NOTHING",
    )
    .bind(kept)
    .bind(duplicate)
    .execute(&mut *conn)
    .await?;
    // Where both applied to one requisition, the duplicate's notes and interviews join
    // the kept application before the duplicate's application goes; so do what they sent
    // from the careers page, and a document sent with it counts for the one kept instead.
    let repoint = |table: &str, touch: &str| {
        format!(
            "UPDATE {table} t SET application_id = k.id{touch}
             FROM applications d JOIN applications k ON k.requisition_id = d.requisition_id AND k.candidate_id = $1
             WHERE t.application_id = d.id AND d.candidate_id = $2 AND d.org_id = $3"
        )
    };
    run_each(
        &mut *conn,
        &[
            &repoint("application_notes", ", updated_at = now()"),
            &repoint("interviews", ", updated_at = now()"),
            &repoint("career_submissions", ""),
            "UPDATE career_submissions SET candidate_id = $1 WHERE candidate_id = $2 AND org_id = $3",
            "INSERT INTO document_applications (document_id, application_id)
             SELECT t.document_id, k.id FROM document_applications t
             JOIN applications d ON d.id = t.application_id
             JOIN applications k ON k.requisition_id = d.requisition_id AND k.candidate_id = $1
             WHERE d.candidate_id = $2 AND d.org_id = $3
             ON CONFLICT DO NOTHING",
            "DELETE FROM applications d USING applications k
             WHERE d.candidate_id = $2 AND d.org_id = $3
               AND k.candidate_id = $1 AND k.requisition_id = d.requisition_id",
        ],
        (kept, duplicate, org_id),
    )
    .await?;
    let moved = sqlx::query(
        "UPDATE applications SET candidate_id = $1, updated_at = now() WHERE candidate_id = $2 AND org_id = $3",
    )
    .bind(kept)
    .bind(duplicate)
    .bind(org_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    // The duplicate's documents (with what was read from them) go with the person, and
    // the skills found in them count as they did: confirmed ones for every application,
    // the others for the applications they were sent with.
    move_documents(&mut *conn, org_id, duplicate, kept).await?;
    crate::skills::scores::rescore_candidate(&mut *conn, org_id, kept).await?;
    run_each(
        &mut *conn,
        &["UPDATE emails SET related_id = $1::text
           WHERE org_id = $3 AND related_type = 'candidate' AND related_id = $2::text"],
        (kept, duplicate, org_id),
    )
    .await?;
    Ok(moved)
}

/// Runs each statement with `$1`, `$2` and `$3` bound to `ids`, in order.
async fn run_each(
    conn: &mut PgConnection,
    statements: &[&str],
    ids: (Uuid, Uuid, Uuid),
) -> Result<(), sqlx::Error> {
    for statement in statements {
        sqlx::query(statement)
            .bind(ids.0)
            .bind(ids.1)
            .bind(ids.2)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Moves the documents (and their files, logs and skill matches) of `from` to `to`. A
/// document whose bytes `to` has already is deleted first as a second copy: its file goes
/// (and, by the purge trigger, its bytes), its row stays as a record; the copy kept is
/// confirmed when either was, and otherwise counts for the applications of both.
async fn move_documents(
    conn: &mut PgConnection,
    org_id: Uuid,
    from: Uuid,
    to: Uuid,
) -> Result<(), sqlx::Error> {
    let moves: Vec<String> = ["documents", "files", "extraction_logs", "skill_matches"]
        .iter()
        .map(|table| {
            format!("UPDATE {table} SET candidate_id = $2 WHERE candidate_id = $1 AND org_id = $3")
        })
        .collect();
    let mut statements = vec![
        // A second copy confirmed makes the one kept confirmed.
        "UPDATE documents k SET confirmed = true, updated_at = now()
         FROM documents d
         WHERE d.candidate_id = $1 AND d.org_id = $3 AND d.deleted_at IS NULL AND d.confirmed
           AND k.candidate_id = $2 AND k.sha256 = d.sha256 AND k.deleted_at IS NULL
           AND NOT k.confirmed",
        // An unconfirmed one's applications are the kept one's too.
        "INSERT INTO document_applications (document_id, application_id)
         SELECT k.id, t.application_id FROM document_applications t
         JOIN documents d ON d.id = t.document_id
         JOIN documents k ON k.candidate_id = $2 AND k.sha256 = d.sha256 AND k.deleted_at IS NULL
         WHERE d.candidate_id = $1 AND d.org_id = $3 AND d.deleted_at IS NULL AND NOT k.confirmed
         ON CONFLICT DO NOTHING",
        "WITH copies AS (
             UPDATE documents d SET deleted_at = now(), file_id = NULL, updated_at = now()
             FROM documents k
             WHERE d.candidate_id = $1 AND d.org_id = $3 AND d.deleted_at IS NULL
               AND k.candidate_id = $2 AND k.sha256 = d.sha256 AND k.deleted_at IS NULL
             RETURNING (SELECT file_id FROM documents old WHERE old.id = d.id) AS file_id)
         DELETE FROM files WHERE id IN (SELECT file_id FROM copies)",
    ];
    statements.extend(moves.iter().map(String::as_str));
    run_each(conn, &statements, (from, to, org_id)).await
}
