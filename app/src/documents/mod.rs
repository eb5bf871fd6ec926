//! A candidate's documents (seed UploadedDocument): résumés, cover letters and other
//! files, uploaded by staff on the profile or by the candidate on the careers page.
//!
//! The bytes are a `files` row of purpose `candidate_document` (type from the bytes, size
//! limit, SHA-256: the same bytes twice are one document). Each new document queues its
//! extraction job (`job.rs`): the text (`extract`), with an `extraction_logs` row per
//! attempt, the fields parsed from it with what they rest on (`fields`), and the
//! organization's skills found in it (`skills::matching`), which rescore the candidate's
//! applications. Deleting a document removes its file and keeps the row, its log and its
//! skill matches (the seed's audit rule); erasing the candidate removes all of it.

mod api;
pub mod fields;
pub mod view;

#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod extract;
#[cfg(feature = "ssr")]
pub mod job;
#[cfg(feature = "ssr")]
pub mod sample;
#[cfg(feature = "ssr")]
pub mod service;

pub use api::*;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::candidates::Via;
use crate::skills::Evidence;

/// Where a document's download is served (`/documents/<id>/file`).
pub const FILE_PATH: &str = "/documents";

/// What a document is, as the uploader says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Resume,
    CoverLetter,
    Other,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 3] = [Self::Resume, Self::CoverLetter, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Resume => "resume",
            Self::CoverLetter => "cover_letter",
            Self::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Resume => "Résumé",
            Self::CoverLetter => "Cover letter",
            Self::Other => "Other",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == value)
    }
}

/// Where a document's text stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum TextStatus {
    /// The extraction job has not finished yet.
    Pending,
    Extracted,
    /// No text in it: an empty file, or a scanned PDF that OCR could not read.
    NoText,
    Failed,
}

impl TextStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Reading the text…",
            Self::Extracted => "Text extracted",
            Self::NoText => "No text found (see the log)",
            Self::Failed => "Text extraction failed",
        }
    }
}

/// How one extraction attempt ended (`extraction_logs.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum AttemptStatus {
    Succeeded,
    NoText,
    Failed,
    TimedOut,
}

impl AttemptStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::NoText => "no text",
            Self::Failed => "failed",
            Self::TimedOut => "timed out",
        }
    }
}

/// One extraction attempt as the profile lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ExtractionAttempt {
    pub attempt: i32,
    pub method: String,
    pub status: AttemptStatus,
    pub pages: Option<i32>,
    pub characters: i32,
    pub duration_ms: i32,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A document as the profile shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentView {
    pub id: Uuid,
    pub kind: DocumentKind,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub via: Via,
    pub uploaded_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub text_status: TextStatus,
    pub deleted_at: Option<DateTime<Utc>>,
    /// Taken as the candidate's (see `data::DocumentRow::confirmed`).
    pub confirmed: bool,
    /// The jobs whose applications an unconfirmed document was sent with (and counts for).
    pub only_for: Vec<String>,
    pub parsed: Option<fields::Parsed>,
    pub attempts: Vec<ExtractionAttempt>,
    pub evidence: Vec<Evidence>,
}

/// The candidate's documents, newest first (deleted ones last, as a record).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateDocuments {
    pub candidate_id: Uuid,
    /// The record's fields, for telling what a parsed value would change.
    pub record_email: String,
    pub record_phone: String,
    pub record_location: String,
    pub documents: Vec<DocumentView>,
}

/// An application's skill match as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationMatch {
    pub score: crate::skills::matching::MatchScore,
    /// How the score was reached, in words.
    pub explanation: String,
    /// Empty for those who do not see the candidate's documents.
    pub evidence: Vec<Evidence>,
}

/// A record field a recruiter may fill from a document's parsed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordField {
    Phone,
    Location,
}

impl RecordField {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Location => "location",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Phone, Self::Location]
            .into_iter()
            .find(|field| field.as_str() == value)
    }
}

/// An extraction method (`extraction_logs.method`) in words.
pub fn method_label(method: &str) -> &'static str {
    match method {
        "pdf_text" => "PDF text layer",
        "ocr" => "OCR (Tesseract)",
        "docx" => "Word (.docx)",
        "plain_text" => "Plain text",
        _ => "Other",
    }
}

/// A size in words: "840 KB", "2.4 MB".
pub fn size_label(bytes: i64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", (bytes as f64 / 1024.0).ceil() as i64)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_kb_or_mb() {
        assert_eq!(size_label(200 * 1024), "200 KB");
        assert_eq!(size_label(1500), "2 KB");
        assert_eq!(size_label(10 * 1024 * 1024), "10.0 MB");
    }

    #[test]
    fn kinds_and_fields_parse_as_forms_send_them() {
        assert_eq!(
            DocumentKind::parse("cover_letter"),
            Some(DocumentKind::CoverLetter)
        );
        assert_eq!(DocumentKind::parse("x"), None);
        assert_eq!(RecordField::parse("phone"), Some(RecordField::Phone));
        assert_eq!(RecordField::parse("email"), None);
    }
}
