//! Storing a file: its type checked from the bytes, its size bounded, its SHA-256 kept,
//! the bytes in the object store ([`put`]), then the row in the caller's transaction
//! ([`record`]).

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::data::{self, NewFile};
use super::store::FileStore;
use super::{storage_key, ContentType, Purpose};
use crate::error::AppError;

/// How long stored bytes may wait for their row before the purge job takes them for an
/// orphan (a request that failed after storing them).
const RESERVE_SECONDS: i64 = 600;

/// A file to store.
pub struct Upload {
    pub org_id: Uuid,
    pub purpose: Purpose,
    pub test_session_id: Option<Uuid>,
    pub candidate_id: Option<Uuid>,
    /// None when the candidate sent it (through their test link, or the careers page).
    pub uploaded_by: Option<Uuid>,
    pub retain_until: Option<DateTime<Utc>>,
    pub bytes: Vec<u8>,
}

/// What was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub id: Uuid,
    pub content_type: ContentType,
    pub size_bytes: i64,
}

/// Checks an upload's bytes for its purpose: the message says what is wrong.
pub fn check(purpose: Purpose, bytes: &[u8]) -> Result<ContentType, AppError> {
    if bytes.is_empty() {
        return Err(AppError::invalid("The file is empty."));
    }
    if bytes.len() > purpose.max_bytes() {
        return Err(AppError::invalid(format!(
            "The file is {} KB; at most {} KB is accepted.",
            bytes.len().div_ceil(1024),
            purpose.max_bytes() / 1024
        )));
    }
    match ContentType::sniff(bytes) {
        Some(kind) if purpose.accepts(kind) => Ok(kind),
        _ => Err(AppError::invalid(format!(
            "The file is not of a type accepted here ({}).",
            purpose.accepted_types()
        ))),
    }
}

/// Bytes in the store whose row is still to be written ([`record`]).
pub struct Pending {
    pub id: Uuid,
    org_id: Uuid,
    purpose: Purpose,
    test_session_id: Option<Uuid>,
    candidate_id: Option<Uuid>,
    uploaded_by: Option<Uuid>,
    retain_until: Option<DateTime<Utc>>,
    kind: ContentType,
    key: String,
    pub sha256: Vec<u8>,
    pub size_bytes: i64,
}

impl Pending {
    pub fn content_type(&self) -> ContentType {
        self.kind
    }
}

/// Stores `upload`'s bytes, their key reserved for the purge job first. The reservation
/// takes a connection of its own: call this before taking the transaction [`record`]
/// writes the row in, or the two may wait on the pool for each other.
pub async fn put(pool: &PgPool, files: &FileStore, upload: Upload) -> Result<Pending, AppError> {
    let kind = check(upload.purpose, &upload.bytes)?;
    let id = Uuid::new_v4();
    let key = storage_key(upload.org_id, upload.purpose, id, kind);
    let sha256 = Sha256::digest(&upload.bytes).to_vec();
    let size_bytes = upload.bytes.len() as i64;
    data::reserve(pool, &key, RESERVE_SECONDS).await?;
    files.put(&key, upload.bytes).await.map_err(|error| {
        tracing::error!(%error, %key, "could not store a file's bytes");
        AppError::Internal
    })?;
    Ok(Pending {
        id,
        org_id: upload.org_id,
        purpose: upload.purpose,
        test_session_id: upload.test_session_id,
        candidate_id: upload.candidate_id,
        uploaded_by: upload.uploaded_by,
        retain_until: upload.retain_until,
        kind,
        key,
        sha256,
        size_bytes,
    })
}

/// Writes the row of stored bytes on `conn`, which the caller commits; until it does, the
/// bytes stay reserved for the purge job, which deletes them if it never does.
pub async fn record(conn: &mut PgConnection, pending: Pending) -> Result<Stored, AppError> {
    data::insert(
        conn,
        NewFile {
            id: pending.id,
            org_id: pending.org_id,
            purpose: pending.purpose,
            test_session_id: pending.test_session_id,
            candidate_id: pending.candidate_id,
            content_type: pending.kind.mime(),
            size_bytes: pending.size_bytes,
            sha256: &pending.sha256,
            storage_key: &pending.key,
            uploaded_by: pending.uploaded_by,
            retain_until: pending.retain_until,
        },
    )
    .await?;
    Ok(Stored {
        id: pending.id,
        content_type: pending.kind,
        size_bytes: pending.size_bytes,
    })
}

/// The bytes of a file the caller may see.
pub async fn read(files: &FileStore, file: &data::FileRow) -> Result<Vec<u8>, AppError> {
    files.get(&file.storage_key).await.map_err(|error| {
        tracing::error!(%error, file_id = %file.id, "could not read a file's bytes");
        match error {
            super::store::StoreError::Missing => AppError::NotFound,
            _ => AppError::Internal,
        }
    })
}
