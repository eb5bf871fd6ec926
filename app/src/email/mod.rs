//! Email: addresses, the outbox every message goes through, and the job that sends it
//! by SMTP or, with no SMTP configured, writes it as an `.eml` file.

pub mod address;
pub mod history;

#[cfg(feature = "ssr")]
pub mod outbox;
#[cfg(feature = "ssr")]
pub mod sender;

pub use address::EmailAddress;

/// What an email's text holds where its personal link (`/test/…`, `/invite/…`) goes. The
/// outbox keeps the link beside the text (`emails.link_url`) only until the email is sent
/// or fails for good; the sender puts it in here, and the text kept afterwards reads true
/// wherever it is shown.
pub const LINK_PLACEHOLDER: &str = "[link removed after sending]";

use serde::{Deserialize, Serialize};

/// Where an email of the outbox stands. Stored as text under the CHECK constraint of
/// `emails.status`; reading any other value is a decode error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum EmailStatus {
    Queued,
    Sent,
    /// Its last attempt failed; nothing retries it.
    Failed,
}
