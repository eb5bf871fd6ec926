//! What every form and list reads the same way: bounded text and keyset pages. It knows
//! no domain; the domains call it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;

/// How short and how long an interview (or a plan's stage) may be, in minutes.
pub const MIN_DURATION_MINUTES: i32 = 5;
pub const MAX_DURATION_MINUTES: i32 = 480;

/// A duration in minutes as a form sends it, within the bounds above.
pub fn parse_duration(minutes: &str) -> Result<i32, AppError> {
    let message = || {
        AppError::invalid(format!(
            "Give the duration in minutes, from {MIN_DURATION_MINUTES} to {MAX_DURATION_MINUTES}."
        ))
    };
    let minutes: i32 = minutes.trim().parse().map_err(|_| message())?;
    if (MIN_DURATION_MINUTES..=MAX_DURATION_MINUTES).contains(&minutes) {
        Ok(minutes)
    } else {
        Err(message())
    }
}

/// Text longer than its field allows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Use at most {max} characters for {label}.")]
pub struct TooLong {
    /// The field as the sentence names it, with its article: "the title", "each tag".
    pub label: String,
    pub max: usize,
}

impl From<TooLong> for AppError {
    fn from(error: TooLong) -> Self {
        AppError::Invalid(error.to_string())
    }
}

/// A typed text, trimmed, of at most `max` characters. `label` names the field in the
/// message with its article ("the title"), so that each form keeps its own wording.
pub fn bounded(label: &str, value: &str, max: usize) -> Result<String, TooLong> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(TooLong {
            label: label.to_string(),
            max,
        });
    }
    Ok(value.to_string())
}

/// A position in a list ordered newest first (creation time, then id): the last row of
/// the page before. It travels in the URL as `<microseconds>_<id>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub created_at: DateTime<Utc>,
    pub id: Uuid,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}_{}", self.created_at.timestamp_micros(), self.id)
    }

    /// The cursor a URL carries; `None` for anything else, which starts at the first page.
    pub fn decode(text: &str) -> Option<Self> {
        let (micros, id) = text.split_once('_')?;
        Some(Self {
            created_at: DateTime::from_timestamp_micros(micros.parse().ok()?)?,
            id: id.parse().ok()?,
        })
    }
}

/// One page of a list, and where the next one starts (`C`, the list's cursor) when there
/// is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T, C> {
    pub items: Vec<T>,
    pub next: Option<C>,
}

impl<T, C> Page<T, C> {
    /// The page of `size` in `rows`, which were fetched with a limit of `size + 1`: when
    /// that extra row came, the next page starts after this page's last row, at
    /// `cursor(last)`.
    pub fn cut(mut rows: Vec<T>, size: i64, cursor: impl FnOnce(&T) -> C) -> Self {
        let size = usize::try_from(size).unwrap_or(0);
        let next = if rows.len() > size {
            rows.truncate(size);
            rows.last().map(cursor)
        } else {
            None
        };
        Self { items: rows, next }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_minutes_within_bounds() {
        assert_eq!(parse_duration(" 45 ").unwrap(), 45);
        assert!(parse_duration("4").is_err());
        assert!(parse_duration("481").is_err());
        assert!(parse_duration("an hour").is_err());
    }

    #[test]
    fn bounded_text_is_trimmed_and_refused_when_too_long() {
        assert_eq!(bounded("the location", " Room 4 ", 6).unwrap(), "Room 4");
        assert_eq!(bounded("the location", "  ", 6).unwrap(), "");
        // Characters, not bytes: six accented letters fit in six.
        assert_eq!(bounded("the name", "éééééé", 6).unwrap(), "éééééé");
        let error = bounded("the location", "Room 42", 6).unwrap_err();
        assert_eq!(
            error,
            TooLong {
                label: "the location".into(),
                max: 6
            }
        );
        assert_eq!(
            AppError::from(error).to_string(),
            "Use at most 6 characters for the location."
        );
    }

    #[test]
    fn cursors_round_trip_and_garbage_starts_over() {
        let cursor = Cursor {
            created_at: DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap(),
            id: Uuid::from_u128(42),
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        for garbage in [
            "garbage",
            "12_x",
            "x_00000000-0000-0000-0000-00000000002a",
            "",
        ] {
            assert_eq!(Cursor::decode(garbage), None, "{garbage}");
        }
    }

    #[test]
    fn a_page_cuts_the_extra_row_and_points_after_its_last() {
        let full = Page::cut(vec![1, 2, 3, 4], 3, |last| last * 10);
        assert_eq!(
            full,
            Page {
                items: vec![1, 2, 3],
                next: Some(30)
            }
        );
        let last = Page::cut(vec![1, 2, 3], 3, |last| last * 10);
        assert_eq!(
            last,
            Page {
                items: vec![1, 2, 3],
                next: None
            }
        );
        let empty = Page::cut(Vec::<i64>::new(), 3, |last| *last);
        assert_eq!(empty.next, None);
    }
}
