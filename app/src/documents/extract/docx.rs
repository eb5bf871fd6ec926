//! A Word document's text: the paragraphs of `word/document.xml`, read with `zip` and
//! `quick-xml`.
//!
//! Only the main document is read (headers, footers, comments and tracked deletions are
//! not). The part is refused when it is, or claims to be, bigger than [`DOCX_TEXT_LIMIT`],
//! and it is read through `take(limit + 1)`, so an archive whose header lies about the size
//! still cannot fill memory.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesRef, Event};
use quick_xml::Reader;

use super::ExtractError;

/// The most `word/document.xml` may expand to: 20 MB, far more than any résumé's markup.
pub const DOCX_TEXT_LIMIT: u64 = 20 * 1024 * 1024;

/// The part of a DOCX that holds the body text.
const DOCUMENT_PART: &str = "word/document.xml";

/// Reads a DOCX's body text: each paragraph (`w:p`) a line, `w:tab` a tab, `w:br` and
/// `w:cr` a line break, text from `w:t`.
pub fn docx_text(bytes: &[u8]) -> Result<String, ExtractError> {
    let xml = read_document_part(bytes, DOCX_TEXT_LIMIT)?;
    paragraphs(&xml)
}

/// The bytes of `word/document.xml`, at most `limit` of them.
fn read_document_part(bytes: &[u8], limit: u64) -> Result<Vec<u8>, ExtractError> {
    let too_large = ExtractError::TooLarge {
        limit_mb: limit / (1024 * 1024),
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|error| malformed(format!("not a ZIP archive: {error}")))?;
    let part = archive
        .by_name(DOCUMENT_PART)
        .map_err(|_| malformed(format!("no {DOCUMENT_PART} in the archive")))?;
    if part.size() > limit {
        return Err(too_large);
    }
    let mut xml = Vec::with_capacity(usize::try_from(part.size()).unwrap_or(0));
    part.take(limit + 1)
        .read_to_end(&mut xml)
        .map_err(|error| malformed(format!("{DOCUMENT_PART} is damaged: {error}")))?;
    if xml.len() as u64 > limit {
        return Err(too_large);
    }
    Ok(xml)
}

/// Where the walk through the XML is: which elements it is inside.
#[derive(Default)]
struct Walk {
    /// The text so far.
    text: String,
    /// Inside a `w:t`, whose text is kept.
    in_text: bool,
    /// Inside a run (`w:r`): only there do `w:tab` and `w:br` mean characters (a `w:tab`
    /// under `w:tabs` in the paragraph's properties is a tab stop).
    runs: usize,
}

impl Walk {
    /// An element opens (`empty` when it is also closed, as `<w:br/>`).
    fn open(&mut self, local_name: &[u8], empty: bool) {
        match local_name {
            b"t" if !empty => self.in_text = true,
            b"r" if !empty => self.runs += 1,
            b"tab" if self.runs > 0 => self.text.push('\t'),
            b"br" | b"cr" if self.runs > 0 => self.text.push('\n'),
            b"noBreakHyphen" if self.runs > 0 => self.text.push('-'),
            b"p" if empty => self.text.push('\n'),
            _ => {}
        }
    }

    /// An element closes.
    fn close(&mut self, local_name: &[u8]) {
        match local_name {
            b"t" => self.in_text = false,
            b"r" => self.runs = self.runs.saturating_sub(1),
            b"p" => self.text.push('\n'),
            _ => {}
        }
    }

    /// Text inside the current element; kept only inside `w:t`.
    fn push(&mut self, text: &str) {
        if self.in_text {
            self.text.push_str(text);
        }
    }

    /// An entity or character reference (`&amp;`, `&#233;`).
    fn reference(&mut self, reference: &BytesRef) -> Result<(), ExtractError> {
        if !self.in_text {
            return Ok(());
        }
        if let Some(c) = reference.resolve_char_ref().map_err(xml_error)? {
            self.text.push(c);
            return Ok(());
        }
        let name = reference.decode().map_err(xml_error)?;
        let resolved = quick_xml::escape::resolve_predefined_entity(&name)
            .ok_or_else(|| malformed(format!("unknown entity &{name};")))?;
        self.text.push_str(resolved);
        Ok(())
    }
}

/// The paragraphs of `word/document.xml` as lines, trailing blank lines dropped.
fn paragraphs(xml: &[u8]) -> Result<String, ExtractError> {
    let mut reader = Reader::from_reader(xml);
    let mut buffer = Vec::new();
    let mut walk = Walk::default();
    loop {
        match reader.read_event_into(&mut buffer).map_err(xml_error)? {
            Event::Start(element) => walk.open(element.local_name().as_ref(), false),
            Event::Empty(element) => walk.open(element.local_name().as_ref(), true),
            Event::End(element) => walk.close(element.local_name().as_ref()),
            Event::Text(text) => walk.push(&text.decode().map_err(xml_error)?),
            Event::CData(data) => walk.push(&data.decode().map_err(xml_error)?),
            Event::GeneralRef(reference) => walk.reference(&reference)?,
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    let lines: Vec<&str> = walk.text.lines().map(str::trim_end).collect();
    Ok(lines.join("\n").trim_end().to_owned())
}

/// A DOCX-specific [`ExtractError::Malformed`].
fn malformed(detail: String) -> ExtractError {
    ExtractError::Malformed(format!("DOCX: {detail}"))
}

/// An XML error as a [`ExtractError::Malformed`].
fn xml_error(error: impl std::fmt::Display) -> ExtractError {
    malformed(format!("{DOCUMENT_PART} is not valid XML: {error}"))
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::time::Instant;

    use super::super::super::sample::{self, SampleResume};
    use super::*;

    /// A DOCX whose `word/document.xml` is `body` inside the usual wrapper.
    fn docx_with_body(body: &str) -> Vec<u8> {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        );
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file(DOCUMENT_PART, options).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn a_sample_docx_reads_back_as_its_text() {
        let resume = SampleResume::from_seed(11);
        let text = docx_text(&resume.docx()).unwrap();
        assert_eq!(text, resume.text().trim_end());
    }

    #[test]
    fn paragraphs_tabs_and_breaks_become_lines_tabs_and_newlines() {
        let body = r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Rust</w:t><w:tab/><w:t xml:space="preserve">2019 </w:t></w:r><w:r><w:t>&amp; Go</w:t><w:br/><w:t>Zürich &#26481;&#20140;</w:t></w:r></w:p><w:p/><w:p><w:r><w:delText>gone</w:delText><w:t>Last</w:t></w:r></w:p>"#;
        assert_eq!(
            docx_text(&docx_with_body(body)).unwrap(),
            "Rust\t2019 & Go\nZürich 東京\n\nLast"
        );
    }

    #[test]
    fn a_zip_bomb_is_refused_quickly() {
        let bomb = sample::zip_bomb_docx();
        assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
        let started = Instant::now();
        assert_eq!(
            docx_text(&bomb),
            Err(ExtractError::TooLarge { limit_mb: 20 })
        );
        assert!(started.elapsed().as_secs() < 5);
    }

    /// `docx` with every header's uncompressed size of its one entry set to `size`.
    fn with_declared_size(mut docx: Vec<u8>, size: u32) -> Vec<u8> {
        for (signature, size_at) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
            let header = docx.windows(4).position(|w| w == signature).unwrap();
            docx[header + size_at..header + size_at + 4].copy_from_slice(&size.to_le_bytes());
        }
        docx
    }

    #[test]
    fn a_part_larger_than_the_limit_is_refused_even_when_its_header_lies() {
        let lying_bomb = with_declared_size(sample::zip_bomb_docx(), 100);
        let refused = docx_text(&lying_bomb);
        assert!(
            matches!(
                refused,
                Err(ExtractError::TooLarge { .. } | ExtractError::Malformed(_))
            ),
            "{refused:?}"
        );
        let small = docx_with_body(&"<w:p><w:r><w:t>word</w:t></w:r></w:p>".repeat(10_000));
        assert_eq!(
            read_document_part(&small, 64 * 1024),
            Err(ExtractError::TooLarge { limit_mb: 0 })
        );
        assert!(matches!(
            read_document_part(&with_declared_size(small, 100), 64 * 1024),
            Err(ExtractError::TooLarge { .. } | ExtractError::Malformed(_))
        ));
    }

    #[test]
    fn files_that_are_not_word_documents_are_malformed() {
        assert!(matches!(
            docx_text(b"PK\x03\x04junk"),
            Err(ExtractError::Malformed(_))
        ));
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("other.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        let no_document = zip.finish().unwrap().into_inner();
        assert!(matches!(
            docx_text(&no_document),
            Err(ExtractError::Malformed(_))
        ));
        let broken = docx_with_body("<w:p><w:r><w:t>unclosed</w:r></w:p>");
        assert!(matches!(
            docx_text(&broken),
            Err(ExtractError::Malformed(_))
        ));
    }
}
