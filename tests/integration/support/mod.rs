//! The harness. `World` is one test's app: the real router and state on the fresh
//! database `#[sqlx::test]` made (`app.rs`), the records tests start from
//! (`fixtures.rs`), and clients that keep their session cookie like a browser
//! (`client.rs`).

mod app;
mod client;
mod fixtures;

pub use app::{invite_link, unwrapped, World};
pub use client::{Call, Client, TestResponse};
pub use fixtures::{Acme, AssessmentFixtureSet, PublishedAssessment, PASSWORD};
