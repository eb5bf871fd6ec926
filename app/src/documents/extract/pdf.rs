//! A PDF's text layer, read with the `pdf-extract` crate.
//!
//! `pdf-extract` (and `lopdf` under it) panics on some damaged files, so every call is made
//! inside `catch_unwind`. The default panic hook still prints the panic to stderr; that is
//! left alone, since a library must not replace the process's hook.

use std::panic::{catch_unwind, AssertUnwindSafe};

use pdf_extract::{Document, PlainTextOutput};

use super::text::normalize_whitespace;
use super::ExtractError;

/// Fewer visible characters than this per page, on average, and the PDF counts as scanned:
/// a real résumé page has hundreds, a scan has none or a few stray marks.
pub const MIN_CHARS_PER_PAGE: usize = 20;

/// How long a parser's error may be in [`ExtractError::Malformed`]'s detail.
const DETAIL_LEN: usize = 120;

/// Reads a PDF's text layer and its page count.
///
/// The text is tidied (runs of spaces collapsed, line breaks kept). A PDF with fewer than
/// [`MIN_CHARS_PER_PAGE`] visible characters per page is [`ExtractError::Scanned`], so the
/// caller can try OCR; one encrypted with a password is [`ExtractError::Encrypted`]; a
/// panic in the parser is [`ExtractError::Panicked`].
pub fn pdf_text(bytes: &[u8]) -> Result<(String, i32), ExtractError> {
    let (raw, pages) = catch_unwind(AssertUnwindSafe(|| read_text_layer(bytes)))
        .map_err(|_panic| ExtractError::Panicked)??;
    let text = normalize_whitespace(&raw);
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    if visible < MIN_CHARS_PER_PAGE * pages {
        return Err(ExtractError::Scanned);
    }
    Ok((text, i32::try_from(pages).unwrap_or(i32::MAX)))
}

/// Parses the PDF (decrypting it when it only has an empty user password) and writes out
/// every page's text.
fn read_text_layer(bytes: &[u8]) -> Result<(String, usize), ExtractError> {
    let mut document = Document::load_mem(bytes).map_err(malformed)?;
    if document.is_encrypted() {
        document.decrypt("").map_err(|_| ExtractError::Encrypted)?;
    }
    let pages = document.get_pages().len();
    if pages == 0 {
        return Err(ExtractError::Malformed("the PDF has no pages".into()));
    }
    let mut text = String::new();
    pdf_extract::output_doc(&document, &mut PlainTextOutput::new(&mut text)).map_err(malformed)?;
    Ok((text, pages))
}

/// A parser error as a short detail for [`ExtractError::Malformed`].
fn malformed(error: impl std::fmt::Display) -> ExtractError {
    let detail: String = error.to_string().chars().take(DETAIL_LEN).collect();
    ExtractError::Malformed(format!("PDF: {detail}"))
}

#[cfg(test)]
mod tests {
    use super::super::super::sample::{self, SampleResume};
    use super::*;

    #[test]
    fn a_sample_pdf_reads_back_with_its_name_email_and_skills() {
        for seed in [1, 2, 3, 42] {
            let resume = SampleResume::from_seed(seed);
            let (text, pages) = pdf_text(&resume.pdf()).unwrap();
            assert_eq!(pages, resume.pages() as i32);
            assert!(text.contains(&resume.name), "{text}");
            assert!(text.contains(&resume.email), "{text}");
            assert!(text.contains(&resume.phone), "{text}");
            for skill in &resume.skills {
                assert!(text.contains(skill.as_str()), "{skill} missing from {text}");
            }
        }
    }

    #[test]
    fn a_pdf_without_text_is_scanned() {
        assert_eq!(pdf_text(&sample::scanned_pdf()), Err(ExtractError::Scanned));
    }

    #[test]
    fn truncated_and_malformed_pdfs_are_errors_not_panics() {
        assert!(matches!(
            pdf_text(&sample::truncated_pdf()),
            Err(ExtractError::Malformed(_) | ExtractError::Panicked | ExtractError::Scanned)
        ));
        assert!(matches!(
            pdf_text(&sample::malformed_pdf()),
            Err(ExtractError::Malformed(_) | ExtractError::Panicked)
        ));
        assert!(matches!(pdf_text(b""), Err(ExtractError::Malformed(_))));
    }

    #[test]
    fn damaged_copies_of_a_sample_never_escape_as_panics() {
        let original = SampleResume::from_seed(5).pdf();
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for round in 0..40 {
            let mut damaged = original.clone();
            for _ in 0..(1 + round % 8) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let at = (state % damaged.len() as u64) as usize;
                damaged[at] = (state >> 32) as u8;
            }
            let _ = pdf_text(&damaged);
        }
    }
}
