//! Organization sign-up, when the server allows it (`ARE_SIGNUP=open`; otherwise every
//! page and server function here answers 404). A person gives the organization's name
//! and slug, their name, email address and password; the sign-up waits until they open
//! the link emailed to them (24 hours, once) and enter that password again; then the
//! organization is made, on the free plan with its default stages and reasons, with them
//! as its admin, signed in. A waiting sign-up holds no slug: only organizations' slugs are
//! refused, when the form is sent and again when the link is used. An address that
//! already has an account gets the same answer on the page and a notice by email instead
//! of a link.
//!
//! `service.rs` holds the rules (the form, the limits, the job that emails the link, the
//! confirmation), `data.rs` the queries, `api.rs` the server functions and `pages.rs`
//! `/signup` and `/signup/<secret>`.

mod api;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod service;

pub use api::*;

use serde::{Deserialize, Serialize};

/// How long a sign-up's link works.
pub const LINK_HOURS: i64 = 24;
/// Sign-ups an hour from one client address…
pub const PER_CLIENT_PER_HOUR: i64 = 5;
/// …and for one email address.
pub const PER_EMAIL_PER_HOUR: i64 = 3;
/// Wrong passwords with one link before it closes.
pub const MAX_WRONG_PASSWORDS: i32 = 5;

/// What the page of a sign-up's link shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSignUp {
    pub org_name: String,
    pub slug: String,
    pub full_name: String,
    pub email: String,
}

/// What the sign-up page says once the form is sent: the same whether or not the address
/// has an account. The address comes from the page's URL, which anyone can write: it is
/// named only when it is one.
pub fn sent_message(sent: &str) -> String {
    let to = match crate::email::EmailAddress::parse(sent) {
        Ok(email) => email.to_string(),
        Err(_) => "the address you gave".to_string(),
    };
    format!(
        "We are sending a link to {to}. Your organization is created when you open it \
         (within {LINK_HOURS} hours) and enter your password again; nothing exists until \
         then. If that address already has an ARE account, it gets a notice instead: an \
         address belongs to one account."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_names_the_address_and_says_what_happens_next() {
        let message = sent_message("ada@example.com");
        assert!(message.starts_with("We are sending a link to ada@example.com."));
        assert!(message.contains("created when you open it (within 24 hours)"));
        assert!(message.contains("already has an ARE account"));
    }

    #[test]
    fn the_answer_names_nothing_but_an_address() {
        let message = sent_message("Call 555-0100 to claim your prize");
        assert!(message.starts_with("We are sending a link to the address you gave."));
        assert!(!message.contains("prize"));
    }
}
