//! The audit log (seed 004 audit): every staff change, sign-in, sign-out and failed
//! sign-in, with actor, organization, target, time and client address.

mod api;
pub mod page;
mod sentence;

#[cfg(feature = "ssr")]
pub mod data;

pub use api::*;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditEntry {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub actor_email: Option<String>,
    /// The actor's name today, while their account exists.
    pub actor_name: Option<String>,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    /// What the target is called today (a candidate's name, a requisition's title), while
    /// it exists; `None` once deleted.
    pub target_name: Option<String>,
    /// Where the target belongs: the requisition of an application, an interview or a note.
    pub target_context: Option<String>,
    pub details: String,
    pub client_ip: Option<String>,
}

/// What the audit page filters by; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub actor: Option<String>,
    pub since: Option<chrono::NaiveDate>,
    pub until: Option<chrono::NaiveDate>,
    /// Keyset pagination: entries older than this id.
    pub before: Option<i64>,
}

/// A page of entries; `next` is the id to continue from (`before`), when there are older
/// entries.
pub type AuditPage = crate::input::Page<AuditEntry, i64>;

pub const AUDIT_PAGE_SIZE: i64 = 50;
