//! Adding a document to a candidate: checked, stored once per content, its extraction
//! queued; and what the profile shows of a candidate's documents.

use std::collections::HashMap;

use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::data::{self, NewDocument};
use super::job::ExtractDocument;
use super::{DocumentKind, DocumentView};
use crate::candidates::Via;
use crate::error::AppError;
use crate::files::service::{put, record, Upload};
use crate::files::store::FileStore;
use crate::files::Purpose;

/// A file for a candidate.
pub struct NewUpload {
    pub org_id: Uuid,
    pub candidate_id: Uuid,
    pub kind: DocumentKind,
    pub filename: String,
    pub via: Via,
    pub uploaded_by: Option<Uuid>,
    pub bytes: Vec<u8>,
}

/// What adding a document came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Added {
    pub id: Uuid,
    /// The candidate had these bytes already: nothing new was stored.
    pub existing: bool,
}

/// A file name as a person may see it again: its last path segment, without control
/// characters, at most 200 characters; "document" when nothing is left.
pub fn clean_filename(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect::<String>()
        .trim()
        .to_string();
    if clean.is_empty() {
        "document".into()
    } else {
        clean
    }
}

/// Stores the bytes (unless the candidate has them already) and writes the file and
/// document rows and the extraction job on `tx`, which the caller commits. The bytes go
/// into the store first (see `files::service::put`), so take `tx` after calling
/// [`prepare`].
pub async fn add(tx: &mut PgConnection, prepared: Prepared) -> Result<Added, AppError> {
    let Prepared { upload, pending } = prepared;
    let pending = match pending {
        PreparedBytes::Existing(id) => {
            return Ok(Added { id, existing: true });
        }
        PreparedBytes::Stored(pending) => pending,
    };
    let sha256 = pending.sha256.clone();
    let size_bytes = pending.size_bytes;
    let content_type = pending.content_type().mime();
    data::lock_additions(&mut *tx, upload.candidate_id).await?;
    if let Some(id) = data::with_sha256(&mut *tx, upload.candidate_id, &sha256).await? {
        // Another request stored the same bytes meanwhile; these are purged as orphans.
        return Ok(Added { id, existing: true });
    }
    let stored = record(&mut *tx, pending).await?;
    let id = data::insert(
        &mut *tx,
        NewDocument {
            org_id: upload.org_id,
            candidate_id: upload.candidate_id,
            file_id: stored.id,
            kind: upload.kind,
            filename: &clean_filename(&upload.filename),
            content_type,
            size_bytes,
            sha256: &sha256,
            via: upload.via,
            uploaded_by: upload.uploaded_by,
        },
    )
    .await?;
    crate::jobs::queue::enqueue(
        &mut *tx,
        Some(upload.org_id),
        &ExtractDocument { document_id: id },
    )
    .await?;
    Ok(Added {
        id,
        existing: false,
    })
}

/// Holds a document sent through the careers page to a record that existed before for
/// `application_id`: a new one is not taken as the candidate's until a recruiter confirms
/// it, and one not confirmed yet (new, or the same bytes sent again) counts for the skill
/// score of this application too.
pub async fn hold_for_application(
    tx: &mut PgConnection,
    added: Added,
    application_id: Uuid,
) -> Result<(), AppError> {
    data::hold_for_application(tx, added.id, application_id, !added.existing).await?;
    Ok(())
}

/// An upload checked and its bytes stored (or found to be the candidate's already).
pub struct Prepared {
    upload: NewUploadMeta,
    pending: PreparedBytes,
}

struct NewUploadMeta {
    org_id: Uuid,
    candidate_id: Uuid,
    kind: DocumentKind,
    filename: String,
    via: Via,
    uploaded_by: Option<Uuid>,
}

enum PreparedBytes {
    Existing(Uuid),
    Stored(crate::files::service::Pending),
}

/// Checks the upload (type from the bytes, size) and stores its bytes unless the
/// candidate has a live document with the same SHA-256. Call before taking the
/// transaction [`add`] writes on.
pub async fn prepare(
    pool: &PgPool,
    files: &FileStore,
    upload: NewUpload,
) -> Result<Prepared, AppError> {
    crate::files::service::check(Purpose::CandidateDocument, &upload.bytes)?;
    let sha256 = Sha256::digest(&upload.bytes).to_vec();
    let meta = NewUploadMeta {
        org_id: upload.org_id,
        candidate_id: upload.candidate_id,
        kind: upload.kind,
        filename: upload.filename,
        via: upload.via,
        uploaded_by: upload.uploaded_by,
    };
    if let Some(id) = data::with_sha256(pool, upload.candidate_id, &sha256).await? {
        return Ok(Prepared {
            upload: meta,
            pending: PreparedBytes::Existing(id),
        });
    }
    let pending = put(
        pool,
        files,
        Upload {
            org_id: upload.org_id,
            purpose: Purpose::CandidateDocument,
            test_session_id: None,
            candidate_id: Some(upload.candidate_id),
            uploaded_by: upload.uploaded_by,
            retain_until: None,
            bytes: upload.bytes,
        },
    )
    .await?;
    Ok(Prepared {
        upload: meta,
        pending: PreparedBytes::Stored(pending),
    })
}

/// The candidate's documents with their extraction attempts and skill evidence.
pub async fn documents_of(
    pool: &PgPool,
    org_id: Uuid,
    candidate_id: Uuid,
) -> Result<Vec<DocumentView>, AppError> {
    let rows = data::of_candidate(pool, org_id, candidate_id).await?;
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let mut attempts: HashMap<Uuid, Vec<_>> = HashMap::new();
    for (id, attempt) in data::attempts_of(pool, &ids).await? {
        attempts.entry(id).or_default().push(attempt);
    }
    let mut evidence: HashMap<Uuid, Vec<_>> = HashMap::new();
    for (id, found) in data::evidence_of(pool, &ids).await? {
        evidence.entry(id).or_default().push(found);
    }
    Ok(rows
        .into_iter()
        .map(|row| DocumentView {
            id: row.id,
            kind: row.kind,
            filename: row.filename,
            content_type: row.content_type,
            size_bytes: row.size_bytes,
            via: row.via,
            uploaded_by: row.uploaded_by,
            created_at: row.created_at,
            text_status: row.text_status,
            deleted_at: row.deleted_at,
            confirmed: row.confirmed,
            only_for: row.only_for,
            parsed: row.parsed.map(|parsed| parsed.0),
            attempts: attempts.remove(&row.id).unwrap_or_default(),
            evidence: evidence.remove(&row.id).unwrap_or_default(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::clean_filename;

    #[test]
    fn a_file_name_keeps_its_last_segment_without_control_characters() {
        assert_eq!(clean_filename("C:\\Users\\me\\cv.pdf"), "cv.pdf");
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("a\u{0}b\nc.txt"), "abc.txt");
        assert_eq!(clean_filename("  "), "document");
        assert_eq!(clean_filename(&"x".repeat(300)).len(), 200);
    }
}
