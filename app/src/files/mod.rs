//! Stored files (seed UploadedDocument's bytes): webcam snapshots and candidates'
//! documents (`documents` keeps what a document is; its file is here). The
//! metadata is a `files` row (organization, owner, content type checked from the bytes,
//! size, SHA-256, storage key, uploader, retention date); the bytes sit in an object store
//! (`store.rs`: a local folder by default, S3-compatible storage when configured, so
//! several app servers share them). Nothing here is served at a public URL: the domain
//! that owns a file checks who asks and answers with `ui::download::serve`.
//!
//! Deleting a row (by a cascade, retention or anything else) queues its bytes for the
//! purge job (`purge.rs`), which deletes them from the store in bounded batches.

#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod purge;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// What a file is for; each purpose has one owner column in `files`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    WebcamSnapshot,
    CandidateDocument,
}

impl Purpose {
    /// The largest file of this purpose the server accepts.
    pub fn max_bytes(self) -> usize {
        match self {
            // A JPEG of about 50 KB, with room for a camera that compresses poorly.
            Purpose::WebcamSnapshot => 150 * 1024,
            // A résumé, a cover letter, a portfolio: 10 MB, as the careers page says.
            Purpose::CandidateDocument => 10 * 1024 * 1024,
        }
    }

    /// The content types a file of this purpose may have.
    pub fn accepts(self, kind: ContentType) -> bool {
        match self {
            Purpose::WebcamSnapshot => matches!(kind, ContentType::Jpeg),
            Purpose::CandidateDocument => {
                matches!(
                    kind,
                    ContentType::Pdf | ContentType::Docx | ContentType::Text
                )
            }
        }
    }

    /// What a person is told when a file's type is not accepted.
    pub fn accepted_types(self) -> &'static str {
        match self {
            Purpose::WebcamSnapshot => "a snapshot must be a JPEG image",
            Purpose::CandidateDocument => {
                "a document must be a PDF, a Word (.docx) or a plain text file"
            }
        }
    }

    /// The storage key's first segment.
    fn folder(self) -> &'static str {
        match self {
            Purpose::WebcamSnapshot => "snapshots",
            Purpose::CandidateDocument => "documents",
        }
    }
}

/// A content type the app recognizes from a file's first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContentType {
    Jpeg,
    Png,
    Pdf,
    /// A Word document: a ZIP archive with `word/document.xml`.
    Docx,
    /// UTF-8 (or UTF-16 with its byte order mark) text without NUL bytes.
    Text,
}

/// How far into a file the text check looks.
const TEXT_SNIFF_BYTES: usize = 8 * 1024;

impl ContentType {
    /// What the bytes are, by their signature; `None` for anything else.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else if bytes.starts_with(b"PK\x03\x04") {
            // The archive's directory names its entries in plain bytes at its end.
            contains(bytes, b"word/document.xml").then_some(Self::Docx)
        } else if looks_like_text(bytes) {
            Some(Self::Text)
        } else {
            None
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Pdf => "application/pdf",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Text => "text/plain; charset=utf-8",
        }
    }

    pub fn from_mime(mime: &str) -> Option<Self> {
        [Self::Jpeg, Self::Png, Self::Pdf, Self::Docx, Self::Text]
            .into_iter()
            .find(|kind| kind.mime() == mime)
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Pdf => "pdf",
            Self::Docx => "docx",
            Self::Text => "txt",
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// Whether a file's first bytes are text: UTF-16 with its byte order mark, or UTF-8, each
/// valid (a character cut by the end of the window counts) with no NUL character.
fn looks_like_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(TEXT_SNIFF_BYTES)];
    let whole_units = bytes.len().is_multiple_of(2);
    if let Some(rest) = head.strip_prefix(&[0xFF, 0xFE]).filter(|_| whole_units) {
        return looks_like_utf16(rest, u16::from_le_bytes, bytes.len() > head.len());
    }
    if let Some(rest) = head.strip_prefix(&[0xFE, 0xFF]).filter(|_| whole_units) {
        return looks_like_utf16(rest, u16::from_be_bytes, bytes.len() > head.len());
    }
    if head.is_empty() || head.contains(&0) {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(error) => error.error_len().is_none() && head.len() == TEXT_SNIFF_BYTES,
    }
}

/// Whether `bytes` (after the byte order mark, of a file of whole code units) are UTF-16
/// text: no NUL, no unpaired surrogate except one cut by the end of the window when the
/// file goes on.
fn looks_like_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16, cut: bool) -> bool {
    if bytes.is_empty() {
        return false;
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let decoded: Vec<_> = char::decode_utf16(units).collect();
    let last = decoded.len().saturating_sub(1);
    decoded.iter().enumerate().all(|(i, c)| match c {
        Ok(c) => *c != '\0',
        Err(_) => cut && i == last,
    })
}

/// Where a new file's bytes go: by organization and purpose, under a fresh id, so a key
/// never names a person and never repeats.
pub fn storage_key(
    org_id: uuid::Uuid,
    purpose: Purpose,
    id: uuid::Uuid,
    kind: ContentType,
) -> String {
    format!(
        "{org_id}/{}/{}.{}",
        purpose.folder(),
        id.simple(),
        kind.extension()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_type_comes_from_the_bytes() {
        assert_eq!(
            ContentType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0]),
            Some(ContentType::Jpeg)
        );
        assert_eq!(
            ContentType::sniff(b"\x89PNG\r\n\x1a\nrest"),
            Some(ContentType::Png)
        );
        assert_eq!(ContentType::sniff(b"%PDF-1.7"), Some(ContentType::Pdf));
        assert_eq!(
            ContentType::sniff(b"Jane Doe\nRust, Go"),
            Some(ContentType::Text)
        );
        assert_eq!(
            ContentType::sniff(b"PK\x03\x04...word/document.xml..."),
            Some(ContentType::Docx)
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Jane Doe · Rust".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(ContentType::sniff(&utf16), Some(ContentType::Text));
        // A byte order mark before binary bytes is no text.
        assert_eq!(ContentType::sniff(b"\xFF\xFE\0\0\x01\x02"), None);
        assert_eq!(ContentType::sniff(b"\xFE\xFF\xDC\x00\x00\x41"), None);
        assert_eq!(ContentType::sniff(b"\xFF\xFE"), None);
        assert_eq!(
            ContentType::sniff(b"\xFF\xFEA\0B"),
            None,
            "half a code unit"
        );
        assert_eq!(ContentType::sniff(b"PK\x03\x04...other.xml"), None);
        assert_eq!(ContentType::sniff(b"MZ\x90\x00\x03"), None);
        assert_eq!(ContentType::sniff(b""), None);
        assert_eq!(
            ContentType::from_mime("image/jpeg"),
            Some(ContentType::Jpeg)
        );
        assert_eq!(ContentType::from_mime("text/html"), None);
    }

    #[test]
    fn a_snapshot_is_a_small_jpeg() {
        let purpose = Purpose::WebcamSnapshot;
        assert!(purpose.accepts(ContentType::Jpeg));
        assert!(!purpose.accepts(ContentType::Pdf));
        assert!(purpose.max_bytes() >= 50 * 1024);
    }

    #[test]
    fn a_document_is_a_pdf_a_docx_or_text_of_at_most_10_mb() {
        let purpose = Purpose::CandidateDocument;
        assert!(purpose.accepts(ContentType::Pdf));
        assert!(purpose.accepts(ContentType::Docx));
        assert!(purpose.accepts(ContentType::Text));
        assert!(!purpose.accepts(ContentType::Jpeg));
        assert_eq!(purpose.max_bytes(), 10 * 1024 * 1024);
    }

    #[test]
    fn keys_name_the_organization_and_the_purpose_only() {
        let org = uuid::Uuid::nil();
        let id = uuid::Uuid::from_u128(7);
        assert_eq!(
            storage_key(org, Purpose::WebcamSnapshot, id, ContentType::Jpeg),
            format!("{org}/snapshots/{}.jpg", id.simple())
        );
    }
}
