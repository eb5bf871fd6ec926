//! The workers that run jobs inside the server process.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, Context};
use futures::future::BoxFuture;
use serde_json::Value;
use tokio::sync::watch;
use tracing::Instrument;

use super::queue::{self, ClaimedJob};
use super::{Attempt, Job, JobContext};

type JobFuture = BoxFuture<'static, anyhow::Result<()>>;
type Handler = Arc<dyn Fn(Arc<JobContext>, Value, Attempt) -> JobFuture + Send + Sync>;

/// Which kinds of job a worker runs, by name. `jobs` names no domain: the server binary
/// registers each domain's job types (`are::workers::registry`).
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<&'static str, Handler>,
}

impl Registry {
    pub fn new() -> Self {
        Self::default()
    }

    /// The names of the kinds registered, in no particular order.
    pub fn kinds(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.handlers.keys().copied()
    }

    /// Runs the jobs named `J::NAME` as `J`: the payload is decoded first, and one that
    /// does not decode fails the attempt like any other error.
    ///
    /// # Panics
    ///
    /// When a type of the same name is registered already: two kinds sharing a name is a
    /// mistake in the code, and start-up is the place to stop it.
    pub fn register<J: Job>(mut self) -> Self {
        let handler: Handler = Arc::new(|ctx, payload, attempt| {
            Box::pin(async move {
                let job: J = serde_json::from_value(payload).with_context(|| {
                    format!("the payload of this {} job does not decode", J::NAME)
                })?;
                job.run(&ctx, attempt).await
            })
        });
        let earlier = self.handlers.insert(J::NAME, handler);
        assert!(earlier.is_none(), "two job types are named {}", J::NAME);
        self
    }
}

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// How long a claim lasts without a heartbeat before another worker may take the job.
    pub lease: Duration,
    pub idle_poll: Duration,
    pub backoff_base: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            lease: Duration::from_secs(60),
            idle_poll: Duration::from_millis(500),
            backoff_base: Duration::from_secs(10),
        }
    }
}

pub struct Worker {
    pub id: String,
    ctx: Arc<JobContext>,
    registry: Arc<Registry>,
    config: WorkerConfig,
}

impl Worker {
    pub fn new(
        id: impl Into<String>,
        ctx: Arc<JobContext>,
        registry: Arc<Registry>,
        config: WorkerConfig,
    ) -> Self {
        Self {
            id: id.into(),
            ctx,
            registry,
            config,
        }
    }

    /// Runs jobs until `shutdown` turns true; a job under way is finished first.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        tracing::info!(worker = self.id, "job worker started");
        while !*shutdown.borrow() {
            let idle = match self.run_once().await {
                Ok(ran) => !ran,
                Err(error) => {
                    crate::error::count_pool_timeout(&error);
                    tracing::error!(worker = self.id, %error, "job queue unavailable");
                    true
                }
            };
            if idle {
                tokio::select! {
                    _ = tokio::time::sleep(self.config.idle_poll) => {}
                    _ = shutdown.changed() => {}
                }
            }
        }
        tracing::info!(worker = self.id, "job worker stopped");
    }

    /// Claims and runs one job; false when none was due.
    pub async fn run_once(&self) -> Result<bool, sqlx::Error> {
        let Some(job) = queue::claim(&self.ctx.pool, &self.id, self.config.lease).await? else {
            return Ok(false);
        };
        // The span travels with the future rather than the thread: entered and held across
        // an await, it would be lent to every other task the thread polls meanwhile.
        let span = tracing::info_span!("job", id = job.id, kind = job.kind, attempt = job.attempts);
        self.process(job).instrument(span).await?;
        Ok(true)
    }

    /// Runs a claimed job and records how it went.
    async fn process(&self, job: ClaimedJob) -> Result<(), sqlx::Error> {
        let pool = &self.ctx.pool;
        let result = match self.registry.handlers.get(job.kind.as_str()) {
            Some(handler) => {
                let work = handler(self.ctx.clone(), job.payload.clone(), job.attempt());
                self.run_with_heartbeat(work, job.id).await
            }
            None => Err(anyhow!("no handler for jobs of kind “{}”", job.kind)),
        };
        match result {
            Ok(()) => {
                queue::complete(pool, job.id, &self.id).await?;
                tracing::info!("job done");
            }
            Err(error) => {
                let error = format!("{error:#}");
                let backoff = queue::backoff(self.config.backoff_base, job.attempts);
                queue::fail(pool, &job, &self.id, &error, backoff).await?;
                if job.is_last_attempt() {
                    tracing::error!(%error, "job failed for good");
                } else {
                    tracing::warn!(%error, retry_in = ?backoff, "job failed, will retry");
                }
            }
        }
        Ok(())
    }

    /// Runs the handler on its own task (a panic becomes a failure) while renewing the
    /// lease, so a long job is not taken over by another worker.
    async fn run_with_heartbeat(&self, work: JobFuture, job_id: i64) -> anyhow::Result<()> {
        // A spawned task starts outside every span; this one stays in the job's.
        let mut task = tokio::spawn(work.in_current_span());
        let mut heartbeat = tokio::time::interval(self.config.lease / 3);
        heartbeat.tick().await;
        loop {
            tokio::select! {
                joined = &mut task => {
                    return joined.unwrap_or_else(|error| Err(anyhow!("the job panicked: {error}")));
                }
                _ = heartbeat.tick() => {
                    if let Err(error) = queue::extend_lease(&self.ctx.pool, job_id, &self.id, self.config.lease).await {
                        crate::error::count_pool_timeout(&error);
                        tracing::warn!(%error, "could not extend the job's lease");
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::*;
    use crate::jobs::job::tests::context;

    #[derive(Serialize, Deserialize)]
    struct Count {
        n: i64,
    }

    impl Job for Count {
        const NAME: &'static str = "test.count";

        async fn run(self, _ctx: &JobContext, _attempt: Attempt) -> anyhow::Result<()> {
            anyhow::ensure!(self.n >= 0, "cannot count to {}", self.n);
            Ok(())
        }
    }

    fn run(payload: Value) -> JobFuture {
        let registry = Registry::new().register::<Count>();
        let attempt = Attempt { number: 1, max: 5 };
        registry.handlers["test.count"](Arc::new(context()), payload, attempt)
    }

    #[tokio::test]
    async fn the_registry_decodes_the_payload_and_runs_the_job() {
        assert!(run(serde_json::json!({ "n": 3 })).await.is_ok());
        let refused = run(serde_json::json!({ "n": -1 })).await.unwrap_err();
        assert_eq!(format!("{refused:#}"), "cannot count to -1");
    }

    #[tokio::test]
    async fn a_payload_that_does_not_decode_is_an_error_naming_the_job_and_the_field() {
        let error = run(serde_json::json!({ "m": 3 })).await.unwrap_err();
        assert_eq!(
            format!("{error:#}"),
            "the payload of this test.count job does not decode: missing field `n`"
        );
    }

    #[test]
    #[should_panic(expected = "two job types are named test.count")]
    fn two_kinds_of_one_name_are_refused() {
        Registry::new().register::<Count>().register::<Count>();
    }
}
