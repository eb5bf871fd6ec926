//! Plain text files (UTF-8 with or without a byte-order mark, or UTF-16 with one), and the
//! whitespace clean-up shared by the PDF and OCR readers.

use super::ExtractError;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF16_LE_BOM: &[u8] = b"\xFF\xFE";
const UTF16_BE_BOM: &[u8] = b"\xFE\xFF";

/// Decodes a text file: UTF-8 (a byte-order mark is dropped) or UTF-16 LE/BE with a
/// byte-order mark. Anything else, or text holding NUL characters, is
/// [`ExtractError::NotUtf8`]. Line endings become `\n`.
pub fn plain_text(bytes: &[u8]) -> Result<String, ExtractError> {
    let text = decode(bytes).ok_or(ExtractError::NotUtf8)?;
    if text.contains('\0') {
        return Err(ExtractError::NotUtf8);
    }
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// The text of `bytes` in one of the accepted encodings, told by the byte-order mark.
fn decode(bytes: &[u8]) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix(UTF16_LE_BOM) {
        utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = bytes.strip_prefix(UTF16_BE_BOM) {
        utf16(rest, u16::from_be_bytes)
    } else {
        let rest = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
        std::str::from_utf8(rest).ok().map(str::to_owned)
    }
}

/// UTF-16 code units to a string; `None` for an odd length or an unpaired surrogate.
fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

/// Tidies text from a PDF or OCR: runs of spaces and tabs become one space, lines are
/// trimmed, more than one blank line in a row becomes one, and the ends are trimmed. Line
/// breaks are kept, since the field parser reads résumés line by line.
pub(super) fn normalize_whitespace(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut blank_run = 0;
    for line in raw.lines() {
        let words: Vec<&str> = line
            .split([' ', '\t', '\u{a0}'])
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(&words.join(" "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_read_with_or_without_a_byte_order_mark() {
        assert_eq!(plain_text("Zürich 東京".as_bytes()).unwrap(), "Zürich 東京");
        assert_eq!(plain_text("\u{feff}Zürich".as_bytes()).unwrap(), "Zürich");
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_read_in_both_byte_orders() {
        let text = "Jane Doe – Zürich 東京";
        let mut le = UTF16_LE_BOM.to_vec();
        let mut be = UTF16_BE_BOM.to_vec();
        for unit in text.encode_utf16() {
            le.extend(unit.to_le_bytes());
            be.extend(unit.to_be_bytes());
        }
        assert_eq!(plain_text(&le).unwrap(), text);
        assert_eq!(plain_text(&be).unwrap(), text);
    }

    #[test]
    fn binary_and_latin1_are_refused() {
        assert_eq!(plain_text(b"caf\xe9"), Err(ExtractError::NotUtf8));
        assert_eq!(plain_text(b"abc\0def"), Err(ExtractError::NotUtf8));
        assert_eq!(plain_text(b"\xFF\xFEa"), Err(ExtractError::NotUtf8));
    }

    #[test]
    fn windows_line_endings_become_newlines() {
        assert_eq!(plain_text(b"a\r\nb\rc").unwrap(), "a\nb\nc");
    }

    #[test]
    fn whitespace_is_collapsed_but_line_breaks_stay() {
        let raw = "  Jane   Doe \t\n\n\n\nBerlin,\u{a0}\u{a0}Germany\n   \nRust  ";
        assert_eq!(
            normalize_whitespace(raw),
            "Jane Doe\n\nBerlin, Germany\n\nRust"
        );
    }
}
