//! The integration tests: the real router on a fresh database per test (`#[sqlx::test]`
//! makes one), a module per domain. They are one binary so the app and its dependencies
//! are linked once, not once per file.

mod support;

mod assessments;
mod auth;
mod autosave_reliability;
mod caches;
mod candidate_import;
mod candidate_merge;
mod candidate_test;
mod candidates;
mod careers;
mod cli;
mod dashboard;
mod documents;
mod feedback;
mod files;
mod interviews;
mod invites;
mod jobs;
mod metrics;
mod notes;
mod password_reset;
mod permissions_matrix;
mod pipeline;
mod pipeline_settings;
mod proctoring;
mod proctoring_review;
mod query_counts;
mod questions;
mod requisitions;
mod security;
mod sign_in_security;
mod signup;
