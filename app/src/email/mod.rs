//! Email: addresses, the outbox every message goes through, and the job that sends it
//! by SMTP or, with no SMTP configured, writes it as an `.eml` file.

pub mod address;
pub mod history;

#[cfg(feature = "ssr")]
pub mod outbox;
#[cfg(feature = "ssr")]
pub mod sender;

pub use address::EmailAddress;
