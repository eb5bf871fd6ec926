//! Background jobs (the seed's CeleryTask): a durable queue in PostgreSQL, workers inside
//! the server process, retries with exponential backoff, and the admin's view of them.
//! A kind of job is a payload type implementing `Job`, declared by its domain.

mod api;
pub mod page;

#[cfg(feature = "ssr")]
mod job;
#[cfg(feature = "ssr")]
pub mod queue;
#[cfg(feature = "ssr")]
pub mod worker;

pub use api::*;
#[cfg(feature = "ssr")]
pub use job::{Attempt, Job, JobContext};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct JobView {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct JobCounts {
    pub queued: i64,
    pub running: i64,
    pub done: i64,
    pub failed: i64,
}

pub const JOB_STATUSES: [&str; 4] = ["queued", "running", "done", "failed"];
