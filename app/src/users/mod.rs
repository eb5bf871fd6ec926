//! The organization's staff: invitations by email, roles, deactivation.

mod api;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod data;

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
