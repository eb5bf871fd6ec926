//! The durable job queue: retries with backoff, recovery from a dead worker, many
//! workers sharing the queue, and the admin's retry.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::support::World;
use app::access::Role;
use app::jobs::worker::Registry;
use app::jobs::{queue, Attempt, Job, JobContext, RetryJob};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgPool;

#[derive(sqlx::FromRow, Debug)]
struct JobRow {
    status: String,
    attempts: i32,
    last_error: Option<String>,
}

async fn job(world: &World, id: i64) -> JobRow {
    sqlx::query_as("SELECT status, attempts, last_error FROM jobs WHERE id = $1")
        .bind(id)
        .fetch_one(&world.pool)
        .await
        .unwrap()
}

/// How many times the test's jobs ran, kept in the worker's context.
#[derive(Clone, Default)]
struct Calls(Arc<AtomicU32>);

impl Calls {
    fn count(&self) -> u32 {
        self.0.load(Ordering::SeqCst)
    }
}

/// Fails its first `failures` runs, then succeeds.
#[derive(Serialize, Deserialize)]
struct Flaky {
    failures: u32,
}

impl Job for Flaky {
    const NAME: &'static str = "test.flaky";

    async fn run(self, ctx: &JobContext, _attempt: Attempt) -> anyhow::Result<()> {
        let call = ctx.get::<Calls>()?.0.fetch_add(1, Ordering::SeqCst) + 1;
        anyhow::ensure!(call > self.failures, "failure number {call}");
        Ok(())
    }
}

fn flaky(world: &World, calls: &Calls) -> app::jobs::worker::Worker {
    world.worker(
        Registry::new().register::<Flaky>(),
        world.job_context().with(calls.clone()),
    )
}

/// The numbers the test's `Count` jobs saw.
#[derive(Clone, Default)]
struct Seen(Arc<std::sync::Mutex<Vec<i64>>>);

#[derive(Serialize, Deserialize)]
struct Count {
    n: i64,
}

impl Job for Count {
    const NAME: &'static str = "test.count";

    async fn run(self, ctx: &JobContext, _attempt: Attempt) -> anyhow::Result<()> {
        tokio::time::sleep(Duration::from_millis(2)).await;
        ctx.get::<Seen>()?.0.lock().unwrap().push(self.n);
        Ok(())
    }
}

#[derive(Serialize, Deserialize)]
struct Panics;

impl Job for Panics {
    const NAME: &'static str = "test.panic";
    const MAX_ATTEMPTS: i32 = 1;

    async fn run(self, _ctx: &JobContext, _attempt: Attempt) -> anyhow::Result<()> {
        panic!("handler bug")
    }
}

/// A kind no worker registers.
#[derive(Serialize, Deserialize)]
struct Nobody;

impl Job for Nobody {
    const NAME: &'static str = "test.nobody";
    const MAX_ATTEMPTS: i32 = 1;

    async fn run(self, _ctx: &JobContext, _attempt: Attempt) -> anyhow::Result<()> {
        Ok(())
    }
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_job_that_fails_twice_and_then_succeeds_ends_done(pool: PgPool) {
    let world = World::init(pool).await.expecting_failed_jobs();
    let id = queue::enqueue(&world.pool, None, &Flaky { failures: 2 })
        .await
        .unwrap();
    let calls = Calls::default();
    let worker = flaky(&world, &calls);

    assert!(worker.run_once().await.unwrap());
    let after_first = job(&world, id).await;
    assert_eq!(
        (after_first.status.as_str(), after_first.attempts),
        ("queued", 1)
    );
    assert_eq!(after_first.last_error.as_deref(), Some("failure number 1"));

    while worker.run_once().await.unwrap() {}
    let done = job(&world, id).await;
    assert_eq!((done.status.as_str(), done.attempts), ("done", 3));
    assert_eq!(calls.count(), 3);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn retries_wait_with_a_growing_backoff(pool: PgPool) {
    let world = World::init(pool).await.expecting_failed_jobs();
    let id = queue::enqueue(&world.pool, None, &Flaky { failures: 1 })
        .await
        .unwrap();
    let claimed = queue::claim(&world.pool, "w1", Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();
    queue::fail(
        &world.pool,
        &claimed,
        "w1",
        "boom",
        queue::backoff(Duration::from_secs(10), claimed.attempts),
    )
    .await
    .unwrap();
    let wait: f64 = sqlx::query_scalar(
        "SELECT extract(epoch FROM run_at - now())::float8 FROM jobs WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert!(
        (8.0..=10.5).contains(&wait),
        "first retry in about 10 s, got {wait}"
    );
    assert!(
        queue::claim(&world.pool, "w2", Duration::from_secs(30))
            .await
            .unwrap()
            .is_none(),
        "not due yet"
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_job_held_by_a_killed_worker_is_run_again(pool: PgPool) {
    let world = World::init(pool).await;
    let id = queue::enqueue(&world.pool, None, &Flaky { failures: 0 })
        .await
        .unwrap();
    // A worker claims the job and dies: nothing completes it, its lease runs out.
    let dead = queue::claim(&world.pool, "dead-worker", Duration::from_millis(200))
        .await
        .unwrap();
    assert_eq!(dead.unwrap().id, id);
    let calls = Calls::default();
    let survivor = flaky(&world, &calls);
    assert!(!survivor.run_once().await.unwrap(), "still leased");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(survivor.run_once().await.unwrap());
    let row = job(&world, id).await;
    assert_eq!((row.status.as_str(), row.attempts), ("done", 2));
    assert_eq!(calls.count(), 1);
    // The dead worker, should it wake up, can no longer touch the job.
    let stale = queue::ClaimedJob {
        id,
        org_id: None,
        kind: "test.flaky".into(),
        payload: json!({ "failures": 0 }),
        attempts: 1,
        max_attempts: 5,
    };
    queue::fail(&world.pool, &stale, "dead-worker", "late", Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(job(&world, id).await.status, "done");
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn several_workers_share_the_queue_and_run_each_job_once(pool: PgPool) {
    let world = World::init(pool).await;
    for n in 0..40 {
        queue::enqueue(&world.pool, None, &Count { n })
            .await
            .unwrap();
    }
    let seen = Seen::default();
    let workers: Vec<_> = (0..4)
        .map(|_| {
            world.worker(
                Registry::new().register::<Count>(),
                world.job_context().with(seen.clone()),
            )
        })
        .collect();
    let runs = workers
        .into_iter()
        .map(|worker| tokio::spawn(async move { while worker.run_once().await.unwrap() {} }));
    for run in runs.collect::<Vec<_>>() {
        run.await.unwrap();
    }
    let mut seen = seen.0.lock().unwrap().clone();
    seen.sort();
    assert_eq!(seen, (0..40).collect::<Vec<i64>>());
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_job_out_of_attempts_is_kept_failed_and_an_admin_can_retry_it(pool: PgPool) {
    let world = World::init(pool).await.expecting_failed_jobs();
    let org = world.org("Acme").await;
    world.user(org, Role::Admin, "admin@acme.test").await;
    // Five attempts, all failing; the sixth run, after the retry, succeeds.
    let id = queue::enqueue(&world.pool, Some(org), &Flaky { failures: 5 })
        .await
        .unwrap();
    let calls = Calls::default();
    let worker = flaky(&world, &calls);
    while worker.run_once().await.unwrap() {}
    let failed = job(&world, id).await;
    assert_eq!((failed.status.as_str(), failed.attempts), ("failed", 5));
    assert_eq!(failed.last_error.as_deref(), Some("failure number 5"));

    let mut admin = world.signed_in("admin@acme.test").await;
    let page = admin.get("/admin/jobs?status=failed").await;
    assert!(
        page.body.contains("failure number 5"),
        "the admin sees the last error"
    );
    let retried = admin.call(RetryJob { job_id: id }).await;
    assert_eq!(retried.status, StatusCode::OK, "{}", retried.body);
    assert_eq!(job(&world, id).await.status, "queued");
    while worker.run_once().await.unwrap() {}
    assert_eq!(job(&world, id).await.status, "done");
    assert!(world
        .audit_actions(org)
        .await
        .contains(&"job.retried".to_string()));
    // Only failed jobs can be retried.
    assert_eq!(
        admin.call(RetryJob { job_id: id }).await.status,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_panicking_or_unknown_job_is_a_failure_not_a_crash(pool: PgPool) {
    let world = World::init(pool).await.expecting_failed_jobs();
    let panics = queue::enqueue(&world.pool, None, &Panics).await.unwrap();
    let unknown = queue::enqueue(&world.pool, None, &Nobody).await.unwrap();
    let worker = world.worker(Registry::new().register::<Panics>(), world.job_context());
    while worker.run_once().await.unwrap() {}
    let row = job(&world, panics).await;
    assert_eq!(row.status, "failed");
    assert!(row.last_error.unwrap().contains("panicked"));
    assert!(job(&world, unknown)
        .await
        .last_error
        .unwrap()
        .contains("no handler"));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_job_is_stored_as_its_name_and_payload_and_run_as_what_was_queued(pool: PgPool) {
    let world = World::init(pool).await;
    let org = world.org("Acme").await;
    let id = queue::enqueue(&world.pool, Some(org), &Count { n: 7 })
        .await
        .unwrap();
    let stored: (Option<uuid::Uuid>, String, serde_json::Value, i32) =
        sqlx::query_as("SELECT org_id, kind, payload, max_attempts FROM jobs WHERE id = $1")
            .bind(id)
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!(
        stored,
        (Some(org), "test.count".into(), json!({ "n": 7 }), 5)
    );

    let later = chrono::Utc::now() + chrono::Duration::hours(1);
    let waiting = queue::enqueue_at(&world.pool, None, &Count { n: 8 }, later)
        .await
        .unwrap();
    let seen = Seen::default();
    let worker = world.worker(
        Registry::new().register::<Count>(),
        world.job_context().with(seen.clone()),
    );
    while worker.run_once().await.unwrap() {}
    assert_eq!(*seen.0.lock().unwrap(), [7]);
    assert_eq!(job(&world, id).await.status, "done");
    assert_eq!(
        job(&world, waiting).await.status,
        "queued",
        "not due for an hour"
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_payload_that_does_not_decode_fails_the_job_and_says_why(pool: PgPool) {
    let world = World::init(pool).await.expecting_failed_jobs();
    // As a job queued by an older version, whose payload had another shape, would be.
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO jobs (kind, payload, max_attempts) VALUES ('test.count', $1, 1) RETURNING id",
    )
    .bind(json!({ "n": "seven" }))
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let seen = Seen::default();
    let worker = world.worker(
        Registry::new().register::<Count>(),
        world.job_context().with(seen.clone()),
    );
    while worker.run_once().await.unwrap() {}
    let row = job(&world, id).await;
    assert_eq!((row.status.as_str(), row.attempts), ("failed", 1));
    let error = row.last_error.unwrap();
    assert!(
        error.starts_with("the payload of this test.count job does not decode: invalid type: string \"seven\", expected i64"),
        "{error}"
    );
    assert!(seen.0.lock().unwrap().is_empty(), "the job never ran");
}
