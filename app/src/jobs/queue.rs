//! The job table's operations. A job is claimed with `FOR UPDATE SKIP LOCKED`, so any
//! number of workers in any number of processes share the queue; a claim is a lease, so
//! the job of a worker that died comes back once the lease runs out.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use super::{Attempt, Job, JobCounts, JobStatus, JobView};

/// Queues `job` to run now, as a job of `org_id` (shown on that organization's Jobs page)
/// or of none.
pub async fn enqueue<'e, J: Job>(
    executor: impl PgExecutor<'e>,
    org_id: Option<Uuid>,
    job: &J,
) -> Result<i64, sqlx::Error> {
    insert(executor, org_id, job, None).await
}

/// Queues `job` to run once `run_at` has come.
pub async fn enqueue_at<'e, J: Job>(
    executor: impl PgExecutor<'e>,
    org_id: Option<Uuid>,
    job: &J,
    run_at: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    insert(executor, org_id, job, Some(run_at)).await
}

async fn insert<'e, J: Job>(
    executor: impl PgExecutor<'e>,
    org_id: Option<Uuid>,
    job: &J,
    run_at: Option<DateTime<Utc>>,
) -> Result<i64, sqlx::Error> {
    // Only a payload with a map keyed by non-strings fails here: refused as a value the
    // database cannot take.
    let payload = serde_json::to_value(job).map_err(|error| sqlx::Error::Encode(error.into()))?;
    sqlx::query_scalar(
        "INSERT INTO jobs (org_id, kind, payload, max_attempts, run_at)
         VALUES ($1, $2, $3, $4, coalesce($5, now()))
         RETURNING id",
    )
    .bind(org_id)
    .bind(J::NAME)
    .bind(payload)
    .bind(J::MAX_ATTEMPTS)
    .bind(run_at)
    .fetch_one(executor)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedJob {
    pub id: i64,
    pub org_id: Option<Uuid>,
    pub kind: String,
    pub payload: Value,
    /// Counting this one.
    pub attempts: i32,
    pub max_attempts: i32,
}

impl ClaimedJob {
    pub fn attempt(&self) -> Attempt {
        Attempt {
            number: self.attempts,
            max: self.max_attempts,
        }
    }

    pub fn is_last_attempt(&self) -> bool {
        self.attempt().is_last()
    }
}

/// Takes the next due job (or one whose lease ran out) for `worker_id`.
pub async fn claim(
    pool: &PgPool,
    worker_id: &str,
    lease: Duration,
) -> Result<Option<ClaimedJob>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE jobs SET status = 'running', locked_by = $1,
                locked_until = now() + make_interval(secs => $2),
                attempts = attempts + 1, updated_at = now()
         WHERE id = (
             SELECT id FROM jobs
             WHERE (status = 'queued' AND run_at <= now())
                OR (status = 'running' AND locked_until < now())
             ORDER BY run_at, id
             FOR UPDATE SKIP LOCKED
             LIMIT 1)
         RETURNING id, org_id, kind, payload, attempts, max_attempts",
    )
    .bind(worker_id)
    .bind(lease.as_secs_f64())
    .fetch_optional(pool)
    .await
}

/// Extends the lease of a job this worker still holds.
pub async fn extend_lease(
    pool: &PgPool,
    job_id: i64,
    worker_id: &str,
    lease: Duration,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE jobs SET locked_until = now() + make_interval(secs => $3), updated_at = now()
         WHERE id = $1 AND locked_by = $2 AND status = 'running'",
    )
    .bind(job_id)
    .bind(worker_id)
    .bind(lease.as_secs_f64())
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn complete(pool: &PgPool, job_id: i64, worker_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE jobs SET status = 'done', finished_at = now(), locked_by = NULL,
                locked_until = NULL, updated_at = now()
         WHERE id = $1 AND locked_by = $2",
    )
    .bind(job_id)
    .bind(worker_id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Records a failed attempt: back to the queue after `backoff`, or failed for good when
/// it was the last attempt.
pub async fn fail(
    pool: &PgPool,
    job: &ClaimedJob,
    worker_id: &str,
    error: &str,
    backoff: Duration,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE jobs SET
            status = CASE WHEN $3 THEN 'failed' ELSE 'queued' END,
            run_at = CASE WHEN $3 THEN run_at ELSE now() + make_interval(secs => $5) END,
            finished_at = CASE WHEN $3 THEN now() END,
            last_error = $4, locked_by = NULL, locked_until = NULL, updated_at = now()
         WHERE id = $1 AND locked_by = $2",
    )
    .bind(job.id)
    .bind(worker_id)
    .bind(job.is_last_attempt())
    .bind(error)
    .bind(backoff.as_secs_f64())
    .execute(pool)
    .await?;
    Ok(())
}

/// `base · 2^(attempt − 1)`, at most an hour.
pub fn backoff(base: Duration, attempt: i32) -> Duration {
    let doublings = attempt.saturating_sub(1).clamp(0, 20) as u32;
    base.saturating_mul(1 << doublings)
        .min(Duration::from_secs(3600))
}

pub async fn list(
    pool: &PgPool,
    org_id: Uuid,
    status: Option<JobStatus>,
    limit: i64,
) -> Result<Vec<JobView>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind, status, attempts, max_attempts, run_at, last_error, created_at, finished_at
         FROM jobs WHERE org_id = $1 AND ($2::text IS NULL OR status = $2)
         ORDER BY id DESC LIMIT $3",
    )
    .bind(org_id)
    .bind(status)
    .bind(limit)
    .fetch_all(pool)
    .await
}

pub async fn counts(pool: &PgPool, org_id: Uuid) -> Result<JobCounts, sqlx::Error> {
    sqlx::query_as(
        "SELECT count(*) FILTER (WHERE status = 'queued') AS queued,
                count(*) FILTER (WHERE status = 'running') AS running,
                count(*) FILTER (WHERE status = 'done') AS done,
                count(*) FILTER (WHERE status = 'failed') AS failed
         FROM jobs WHERE org_id = $1",
    )
    .bind(org_id)
    .fetch_one(pool)
    .await
}

/// Puts a failed job of the organization back in the queue with fresh attempts.
/// Returns whether there was such a job.
pub async fn retry<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
    job_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE jobs SET status = 'queued', attempts = 0, run_at = now(), finished_at = NULL,
                updated_at = now()
         WHERE id = $1 AND org_id = $2 AND status = 'failed'",
    )
    .bind(job_id)
    .bind(org_id)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes finished jobs past their usefulness.
pub async fn prune_done(pool: &PgPool, older_than_days: i32) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM jobs WHERE status = 'done' AND finished_at < now() - make_interval(days => $1)",
    )
    .bind(older_than_days)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_base_and_stops_at_an_hour() {
        let base = Duration::from_secs(5);
        assert_eq!(backoff(base, 1), Duration::from_secs(5));
        assert_eq!(backoff(base, 2), Duration::from_secs(10));
        assert_eq!(backoff(base, 4), Duration::from_secs(40));
        assert_eq!(backoff(base, 30), Duration::from_secs(3600));
    }
}
