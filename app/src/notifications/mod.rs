//! Each user's notifications (seed Notification): an inbox with an unread count in the
//! header, raised for mentions, for stage moves on the requisitions a user owns and for
//! the interviews assigned to them, and sent by email too when the user asks for it.

mod api;
pub mod page;

#[cfg(feature = "ssr")]
pub mod data;

pub use api::*;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Stored as text under the CHECK constraints of `notifications.kind` and
/// `notification_preferences.kind`; reading any other value is a decode error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Mention,
    StageMove,
    Interview,
    Feedback,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::Mention,
        Kind::StageMove,
        Kind::Interview,
        Kind::Feedback,
    ];

    /// The name of the preference's checkbox, as the database stores it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Mention => "mention",
            Kind::StageMove => "stage_move",
            Kind::Interview => "interview",
            Kind::Feedback => "feedback",
        }
    }

    /// What the preference checkbox says.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Mention => "Someone mentions me in a note",
            Kind::StageMove => "Candidates move on a requisition I own",
            Kind::Interview => "An interview is assigned to me, moved or cancelled",
            Kind::Feedback => {
                "Interview feedback comes in on a requisition I own, or mine is asked for"
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Notification {
    pub id: Uuid,
    pub title: String,
    pub link: String,
    pub is_read: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub items: Vec<Notification>,
    pub unread: i64,
    /// The kinds the user also gets by email.
    pub by_email: Vec<Kind>,
}
