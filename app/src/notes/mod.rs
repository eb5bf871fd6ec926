//! Notes on an application (seed ApplicationNote): Markdown, `@handle` mentions that
//! notify colleagues, and a 15-minute window in which the author may edit or delete.
//! Notes are seen by those who work on the requisition (admins, recruiters, its hiring
//! manager).

mod api;
pub mod view;

#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod service;

pub use api::*;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;

pub const EDIT_WINDOW_MINUTES: i64 = 15;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteView {
    pub id: Uuid,
    pub author: Option<String>,
    pub body_md: String,
    pub body_html: String,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    /// The viewer wrote it and the window is still open.
    pub can_change: bool,
}

/// Whether `user` may still edit or delete a note `author` wrote at `created_at`.
pub fn can_change(
    author: Option<Uuid>,
    user: Uuid,
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    author == Some(user) && now - created_at < chrono::Duration::minutes(EDIT_WINDOW_MINUTES)
}

pub fn parse_body(text: &str) -> Result<String, AppError> {
    let body = crate::input::bounded("a note", text, 10_000)?;
    if body.is_empty() {
        return Err(AppError::invalid("Write something in the note."));
    }
    Ok(body)
}

/// Someone who can be mentioned: they can see the note.
#[derive(Debug, Clone)]
pub struct Mentionable {
    pub id: Uuid,
    pub email: String,
    pub full_name: String,
}

/// The people a note mentions. `@handle` matches the part of an email before the `@`,
/// or a first name when only one colleague has it; case does not matter.
pub fn resolve_mentions(body: &str, people: &[Mentionable]) -> Vec<Uuid> {
    let first_name = |p: &Mentionable| {
        p.full_name
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_lowercase()
    };
    let mut found = Vec::new();
    for word in body.split(|c: char| c.is_whitespace() || ",;:!?()[]".contains(c)) {
        let Some(handle) = word.strip_prefix('@') else {
            continue;
        };
        let handle = handle.trim_end_matches('.').to_lowercase();
        if handle.is_empty() {
            continue;
        }
        let by_email: Vec<&Mentionable> = people
            .iter()
            .filter(|p| {
                p.email
                    .split('@')
                    .next()
                    .is_some_and(|local| local.eq_ignore_ascii_case(&handle))
            })
            .collect();
        let matches = if by_email.is_empty() {
            let by_name: Vec<&Mentionable> =
                people.iter().filter(|p| first_name(p) == handle).collect();
            if by_name.len() == 1 {
                by_name
            } else {
                Vec::new()
            }
        } else {
            by_email
        };
        for person in matches {
            if !found.contains(&person.id) {
                found.push(person.id);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(n: u128, email: &str, name: &str) -> Mentionable {
        Mentionable {
            id: Uuid::from_u128(n),
            email: email.into(),
            full_name: name.into(),
        }
    }

    #[test]
    fn mentions_match_email_handles_and_unique_first_names() {
        let people = [
            person(1, "hugo.m@acme.example", "Hugo Manager"),
            person(2, "rita@acme.example", "Rita Recruiter"),
            person(3, "rita.two@acme.example", "Rita Other"),
        ];
        assert_eq!(
            resolve_mentions("Thoughts, @Hugo? cc @rita.", &people),
            vec![Uuid::from_u128(1), Uuid::from_u128(2)]
        );
        assert_eq!(
            resolve_mentions("@hugo.m and @hugo.m again", &people),
            vec![Uuid::from_u128(1)]
        );
        assert!(resolve_mentions("mail rita@acme.example or @nobody", &people).is_empty());
        assert_eq!(
            resolve_mentions("(@rita.two)", &people),
            vec![Uuid::from_u128(3)]
        );
    }

    #[test]
    fn only_the_author_changes_a_note_and_only_for_fifteen_minutes() {
        let author = Uuid::from_u128(1);
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        assert!(can_change(
            Some(author),
            author,
            at,
            at + chrono::Duration::minutes(14)
        ));
        assert!(!can_change(
            Some(author),
            author,
            at,
            at + chrono::Duration::minutes(15)
        ));
        assert!(!can_change(Some(author), Uuid::from_u128(2), at, at));
        assert!(!can_change(None, author, at, at));
    }

    #[test]
    fn an_empty_note_is_refused() {
        assert!(parse_body("   ").is_err());
        assert_eq!(parse_body(" hi ").unwrap(), "hi");
    }
}
