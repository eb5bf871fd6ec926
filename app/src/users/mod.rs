//! The organization's staff: invitations by email, roles, deactivation, and the plan's
//! seats they take (`plan.rs`).

mod api;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod invite;
pub mod plan;

pub use api::*;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::Role;

/// How long an invitation link works.
pub const INVITE_VALID_HOURS: i64 = 72;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct UserSummary {
    pub id: Uuid,
    pub full_name: String,
    pub email: String,
    pub role: Role,
    pub is_active: bool,
    pub last_sign_in_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct InviteSummary {
    pub id: Uuid,
    pub email: String,
    pub full_name: String,
    pub role: Role,
    pub expires_at: DateTime<Utc>,
    pub invited_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    /// The admin looking, who cannot demote or deactivate themselves.
    pub viewer_id: Uuid,
    pub users: Vec<UserSummary>,
    pub pending_invites: Vec<InviteSummary>,
    pub seats: plan::Seats,
}

/// What the invitation page shows before the person sets a password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteInfo {
    pub email: String,
    pub full_name: String,
    pub org_name: String,
    pub role: Role,
    /// The address already has an account in another organization, so it cannot join
    /// this one (an address is one account's): the page says so instead of asking for a
    /// password. Only the link's holder sees it.
    pub account_elsewhere: bool,
}

impl InviteInfo {
    /// Why the invitation cannot be accepted with this address, and what to do.
    pub fn account_elsewhere_message(&self) -> String {
        format!(
            "{email} already has an ARE account in another organization. An account belongs \
             to one organization, so a person who works with two needs two accounts, each \
             with its own email address. Your account is unchanged: keep signing in with it \
             as before. To join {org} as well, ask its admin to invite you at another address.",
            email = self.email,
            org = self.org_name,
        )
    }
}

/// A person's name as entered: trimmed, present, of sensible length.
pub fn parse_full_name(input: &str) -> Result<String, crate::error::AppError> {
    let name = crate::input::bounded("the name", input, 200)?;
    if name.is_empty() {
        return Err(crate::error::AppError::invalid("Enter the person's name."));
    }
    Ok(name)
}

pub fn parse_role(input: &str) -> Result<Role, crate::error::AppError> {
    Role::parse(input)
        .ok_or_else(|| crate::error::AppError::invalid("Choose one of the listed roles."))
}

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TeamCounts {
    pub active_users: i64,
    pub inactive_users: i64,
    pub pending_invites: i64,
}

/// Words no organization's slug may be: they name, or may one day name, the app's own
/// paths and hosts.
pub const RESERVED_SLUGS: [&str; 20] = [
    "admin",
    "api",
    "app",
    "assets",
    "auth",
    "dashboard",
    "help",
    "invite",
    "login",
    "logout",
    "mail",
    "pkg",
    "public",
    "settings",
    "sign-in",
    "signup",
    "static",
    "status",
    "test",
    "www",
];

/// An organization's slug as given: 2 to 63 lowercase letters, digits and hyphens, not
/// starting or ending with a hyphen, and not a reserved word.
pub fn parse_org_slug(input: &str) -> Result<String, crate::error::AppError> {
    use crate::error::AppError;
    let slug = input.trim();
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    if !(2..=63).contains(&slug.len())
        || !slug.chars().all(allowed)
        || slug.starts_with('-')
        || slug.ends_with('-')
    {
        return Err(AppError::invalid(format!(
            "the slug “{slug}” must be 2 to 63 lowercase letters, digits and hyphens, \
             not starting or ending with a hyphen"
        )));
    }
    if RESERVED_SLUGS.contains(&slug) {
        return Err(AppError::invalid(format!(
            "the slug “{slug}” is reserved; choose another"
        )));
    }
    Ok(slug.to_string())
}

/// An organization's name as entered: trimmed, present, of sensible length.
pub fn parse_org_name(input: &str) -> Result<String, crate::error::AppError> {
    let name = crate::input::bounded("the organization's name", input, 200)?;
    if name.is_empty() {
        return Err(crate::error::AppError::invalid(
            "Enter the organization's name.",
        ));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_and_not_reserved() {
        assert_eq!(parse_org_slug(" acme-2 ").unwrap(), "acme-2");
        for bad in ["", "a", "Acme", "acme co", "-acme", "acme-", "acmé", "a_b"] {
            assert!(parse_org_slug(bad).is_err(), "{bad:?}");
        }
        for reserved in ["admin", "api", "login", "www"] {
            let error = parse_org_slug(reserved).unwrap_err().to_string();
            assert!(error.contains("reserved"), "{error}");
        }
    }
}
