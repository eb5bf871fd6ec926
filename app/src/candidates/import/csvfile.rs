//! Reading an uploaded CSV file: UTF-8 (a byte-order mark is dropped), comma or
//! semicolon separated, quoted cells may span lines; each row keeps the line it starts on.

use super::Row;
use crate::error::AppError;

pub const MAX_BYTES: usize = 5 * 1024 * 1024;
pub const MAX_ROWS: usize = 20_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFile {
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

/// The uploaded bytes as text.
pub fn text_of(bytes: Vec<u8>) -> Result<String, AppError> {
    if bytes.len() > MAX_BYTES {
        return Err(too_big());
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        AppError::invalid(
            "The file is not UTF-8 text. Save it as “CSV UTF-8” from your spreadsheet and upload it again.",
        )
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
}

pub fn too_big() -> AppError {
    AppError::invalid("The file is larger than 5 MB. Split it into smaller files.")
}

/// Semicolons when the header line has more of them than commas (spreadsheets in many
/// European locales), commas otherwise.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// The line (from 1) on which the record starting at a byte offset begins. The reader's
/// own line count stops at blank lines before the record, so count here: from the offset,
/// skip line breaks, then count the breaks before that point (offsets only grow).
struct LineCounter<'a> {
    text: &'a [u8],
    counted_to: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            counted_to: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, offset: usize) -> u64 {
        let mut start = offset.min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\n' | b'\r') {
            start += 1;
        }
        if start > self.counted_to {
            self.line += self.text[self.counted_to..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            self.counted_to = start;
        }
        self.line
    }
}

pub fn parse(text: &str) -> Result<CsvFile, AppError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = LineCounter::new(text);
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            AppError::invalid(format!("Line {line}: the file could not be read as CSV."))
        })?;
        let cells: Vec<String> = record.iter().map(|c| c.to_string()).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if header.is_none() {
            header = Some(cells.iter().map(|c| c.trim().to_string()).collect());
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(AppError::invalid(format!(
                "The file has more than {} candidates. Split it into smaller files.",
                "20,000"
            )));
        }
        let start = record.position().map(|p| p.byte() as usize).unwrap_or(0);
        rows.push(Row {
            line: lines.line_at(start),
            cells,
        });
    }
    let header = header.ok_or_else(|| AppError::invalid("The file is empty."))?;
    if rows.is_empty() {
        return Err(AppError::invalid(
            "The file has a header row but no candidates.",
        ));
    }
    Ok(CsvFile { header, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_line_even_after_a_cell_spanning_lines() {
        let file = parse(
            "\u{feff}Name,Email,Headline\nAda,ada@example.com,\"Engineer\nand poet\"\n\nGrace,grace@example.com,Admiral\n",
        )
        .unwrap();
        assert_eq!(file.header, vec!["Name", "Email", "Headline"]);
        assert_eq!(file.rows[0].line, 2);
        assert_eq!(file.rows[0].cells[2], "Engineer\nand poet");
        assert_eq!(file.rows[1].line, 5);
        let crlf = parse("a,b\r\n\r\n1,2\r\n\"x\r\ny\",3\r\n4,5").unwrap();
        let lines: Vec<u64> = crlf.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![3, 4, 6]);
    }

    #[test]
    fn semicolons_are_detected_and_bad_files_explained() {
        let file = parse("Name;Email\n\"Lovelace, Ada\";ada@example.com\n").unwrap();
        assert_eq!(file.rows[0].cells, vec!["Lovelace, Ada", "ada@example.com"]);
        assert!(parse("").unwrap_err().to_string().contains("empty"));
        assert!(parse("Name,Email\n")
            .unwrap_err()
            .to_string()
            .contains("no candidates"));
        assert!(text_of(vec![0xff, 0xfe, 0x00])
            .unwrap_err()
            .to_string()
            .contains("UTF-8"));
        assert!(text_of(vec![b'a'; MAX_BYTES + 1])
            .unwrap_err()
            .to_string()
            .contains("5 MB"));
    }
}
