//! Text extraction from a résumé's bytes: a PDF's text layer (or OCR when it has none), a
//! DOCX's main document, or a plain text file.
//!
//! Résumés come from strangers, so every reader here treats its input as hostile: parsing
//! runs on a blocking thread under a time limit, panics in the PDF parser are caught, a DOCX
//! may not expand past [`DOCX_TEXT_LIMIT`], and OCR's child processes are killed when the
//! time runs out. The caller sniffs what the bytes are with [`sniff`] and calls [`extract`].

mod docx;
mod ocr;
mod pdf;
mod text;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

pub use docx::{docx_text, DOCX_TEXT_LIMIT};
pub use ocr::{ocr_available, ocr_pdf, OCR_PAGE_LIMIT};
pub use pdf::{pdf_text, MIN_CHARS_PER_PAGE};
pub use text::plain_text;

/// How a résumé's text was obtained; stored beside the text so a recruiter knows how far
/// to trust it (OCR makes mistakes a text layer does not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// The PDF's own text layer.
    PdfText,
    /// Tesseract's reading of the PDF's pages rendered as images.
    Ocr,
    /// The text of a Word document's `word/document.xml`.
    Docx,
    /// A plain text file, decoded.
    PlainText,
}

impl Method {
    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::PdfText => "pdf_text",
            Method::Ocr => "ocr",
            Method::Docx => "docx",
            Method::PlainText => "plain_text",
        }
    }

    /// The name shown to a recruiter.
    pub fn label(self) -> &'static str {
        crate::documents::method_label(self.as_str())
    }
}

/// What a file's bytes are, as [`sniff`] tells from its content (never from its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A PDF document.
    Pdf,
    /// A Word (Office Open XML) document.
    Docx,
    /// Plain text: UTF-8, or UTF-16 with a byte-order mark.
    Text,
}

/// A résumé's text and how it was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// How the text was obtained.
    pub method: Method,
    /// The text, with line breaks kept.
    pub text: String,
    /// How many pages a PDF has (for OCR: how many were read); `None` for other kinds.
    pub pages: Option<i32>,
}

/// Why a résumé's text could not be read; each message is written for a recruiter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// The file is damaged or not what it claims to be; the detail says what failed.
    #[error("The file could not be read ({0}); it may be damaged.")]
    Malformed(String),
    /// The PDF is encrypted with a password we do not have.
    #[error("The PDF is password-protected; ask the candidate for an unprotected copy.")]
    Encrypted,
    /// The PDF has (almost) no text layer: it is most likely a scan, and OCR was not used.
    #[error("The PDF has no text layer (it looks scanned) and OCR is turned off.")]
    Scanned,
    /// The PDF has no text layer and the OCR tools are not installed.
    #[error("The PDF has no text layer (scanned) and OCR is not installed on this server.")]
    NoOcr,
    /// The OCR tools ran but failed; the detail says how.
    #[error("OCR of the scanned PDF failed: {0}.")]
    Ocr(String),
    /// A DOCX whose text expands beyond the limit: most likely a zip bomb.
    #[error("The DOCX expands to more than {limit_mb} MB of text and was refused.")]
    TooLarge {
        /// The limit, in megabytes.
        limit_mb: u64,
    },
    /// Reading took longer than the time limit.
    #[error("Reading the file took longer than {} seconds and was stopped.", .0.as_secs())]
    TimedOut(Duration),
    /// The reader itself failed (a bug in it, triggered by this file).
    #[error("The file could not be read: the reader failed on it, so it is probably damaged.")]
    Panicked,
    /// A text file that is neither UTF-8 nor UTF-16 with a byte-order mark.
    #[error("The text file is not UTF-8 or UTF-16 text; save it as UTF-8 and upload it again.")]
    NotUtf8,
}

/// Reads a résumé's text off the async runtime, within `time_limit`.
///
/// The work runs on `spawn_blocking` under `tokio::time::timeout`, with panics caught. A
/// PDF without a text layer is read with OCR when `ocr` is set and the tools are installed
/// ([`ocr_available`]); OCR gets what is left of the time limit and its child processes
/// are killed when it runs out.
///
/// The known limit: a blocking thread cannot be killed. When the PDF parser overruns the
/// limit, this returns [`ExtractError::TimedOut`] at once, but the thread keeps running
/// until the parser returns, and its result is dropped. The upload size limit bounds how
/// long that can be.
pub async fn extract(
    kind: Kind,
    bytes: Vec<u8>,
    time_limit: Duration,
    ocr: bool,
) -> Result<Extracted, ExtractError> {
    let work = tokio::task::spawn_blocking(move || {
        catch_unwind(AssertUnwindSafe(|| {
            extract_blocking(kind, &bytes, time_limit, ocr)
        }))
        .unwrap_or(Err(ExtractError::Panicked))
    });
    match tokio::time::timeout(time_limit, work).await {
        Err(_elapsed) => Err(ExtractError::TimedOut(time_limit)),
        Ok(Err(join_error)) if join_error.is_panic() => Err(ExtractError::Panicked),
        Ok(Err(_cancelled)) => Err(ExtractError::TimedOut(time_limit)),
        Ok(Ok(result)) => result,
    }
}

/// The synchronous body of [`extract`]: picks the reader for `kind`, and OCR after a PDF
/// without text.
fn extract_blocking(
    kind: Kind,
    bytes: &[u8],
    time_limit: Duration,
    ocr: bool,
) -> Result<Extracted, ExtractError> {
    let started = Instant::now();
    match kind {
        Kind::Pdf => match pdf_text(bytes) {
            Ok((text, pages)) => Ok(Extracted {
                method: Method::PdfText,
                text,
                pages: Some(pages),
            }),
            Err(ExtractError::Scanned) if !ocr => Err(ExtractError::Scanned),
            Err(ExtractError::Scanned) if !ocr_available() => Err(ExtractError::NoOcr),
            Err(ExtractError::Scanned) => {
                let left = time_limit.saturating_sub(started.elapsed());
                let (text, pages) = ocr_pdf(bytes, left)?;
                Ok(Extracted {
                    method: Method::Ocr,
                    text,
                    pages: Some(pages),
                })
            }
            Err(other) => Err(other),
        },
        Kind::Docx => Ok(Extracted {
            method: Method::Docx,
            text: docx_text(bytes)?,
            pages: None,
        }),
        Kind::Text => Ok(Extracted {
            method: Method::PlainText,
            text: plain_text(bytes)?,
            pages: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::sample::{self, SampleResume};
    use super::*;

    const LIMIT: Duration = Duration::from_secs(20);

    #[test]
    fn methods_have_stable_names_and_labels() {
        assert_eq!(Method::PdfText.as_str(), "pdf_text");
        assert_eq!(Method::Ocr.as_str(), "ocr");
        assert_eq!(Method::Docx.as_str(), "docx");
        assert_eq!(Method::PlainText.as_str(), "plain_text");
        assert_eq!(Method::Ocr.label(), "OCR (Tesseract)");
        assert_eq!(Method::PdfText.label(), "PDF text layer");
    }

    #[test]
    fn errors_read_as_sentences_for_a_recruiter() {
        assert_eq!(
            ExtractError::NoOcr.to_string(),
            "The PDF has no text layer (scanned) and OCR is not installed on this server."
        );
        assert_eq!(
            ExtractError::TimedOut(Duration::from_secs(30)).to_string(),
            "Reading the file took longer than 30 seconds and was stopped."
        );
        assert_eq!(
            ExtractError::TooLarge { limit_mb: 20 }.to_string(),
            "The DOCX expands to more than 20 MB of text and was refused."
        );
    }

    #[tokio::test]
    async fn extract_reads_each_kind_with_its_method() {
        let resume = SampleResume::from_seed(7);
        let pdf = extract(Kind::Pdf, resume.pdf(), LIMIT, false)
            .await
            .unwrap();
        assert_eq!(pdf.method, Method::PdfText);
        assert_eq!(pdf.pages, Some(resume.pages() as i32));
        assert!(pdf.text.contains(&resume.email));
        let docx = extract(Kind::Docx, resume.docx(), LIMIT, false)
            .await
            .unwrap();
        assert_eq!(docx.method, Method::Docx);
        assert!(docx.text.contains(&resume.name));
        let text = extract(Kind::Text, resume.text().into_bytes(), LIMIT, false)
            .await
            .unwrap();
        assert_eq!(text.method, Method::PlainText);
        assert_eq!(text.pages, None);
    }

    #[tokio::test]
    async fn a_scan_without_ocr_says_so() {
        let result = extract(Kind::Pdf, sample::scanned_pdf(), LIMIT, false).await;
        assert_eq!(result, Err(ExtractError::Scanned));
    }

    #[tokio::test]
    async fn a_scan_with_ocr_asked_for_but_not_installed_says_so() {
        if ocr_available() {
            return;
        }
        let result = extract(Kind::Pdf, sample::scanned_pdf(), LIMIT, true).await;
        assert_eq!(result, Err(ExtractError::NoOcr));
    }

    #[tokio::test]
    async fn damaged_files_come_back_as_errors() {
        for bytes in [sample::truncated_pdf(), sample::malformed_pdf()] {
            let result = extract(Kind::Pdf, bytes, LIMIT, false).await;
            assert!(result.is_err(), "{result:?}");
        }
        let bomb = extract(Kind::Docx, sample::zip_bomb_docx(), LIMIT, false).await;
        assert_eq!(bomb, Err(ExtractError::TooLarge { limit_mb: 20 }));
    }

    #[tokio::test]
    async fn a_zero_time_limit_times_out() {
        let resume = SampleResume::from_seed(3);
        let result = extract(Kind::Pdf, resume.pdf(), Duration::ZERO, false).await;
        assert_eq!(result, Err(ExtractError::TimedOut(Duration::ZERO)));
    }
}
