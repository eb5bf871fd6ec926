//! The workers that run jobs inside the server process.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::watch;

use super::queue::{self, ClaimedJob};
use crate::email::sender::Mailer;
use crate::state::Settings;

/// What a job handler gets to work with.
#[derive(Clone)]
pub struct JobContext {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    pub mailer: Arc<Mailer>,
}

pub type JobResult = Result<(), String>;
type JobFuture = Pin<Box<dyn Future<Output = JobResult> + Send>>;
type Handler = Arc<dyn Fn(JobContext, ClaimedJob) -> JobFuture + Send + Sync>;

/// Which function runs which kind of job.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<&'static str, Handler>,
}

impl Registry {
    pub fn with<F, Fut>(mut self, kind: &'static str, handler: F) -> Self
    where
        F: Fn(JobContext, ClaimedJob) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = JobResult> + Send + 'static,
    {
        self.handlers
            .insert(kind, Arc::new(move |ctx, job| Box::pin(handler(ctx, job))));
        self
    }

    /// The jobs the app itself defines.
    pub fn standard() -> Self {
        Self::default()
            .with(
                crate::email::sender::SEND_EMAIL,
                crate::email::sender::send_email_job,
            )
            .with(
                crate::candidates::import::job::IMPORT_CANDIDATES,
                crate::candidates::import::job::import_candidates_job,
            )
            .with(
                crate::assessments::invites::REMIND_INVITE,
                crate::assessments::invites::remind_invite_job,
            )
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
    ctx: JobContext,
    registry: Arc<Registry>,
    config: WorkerConfig,
}

impl Worker {
    pub fn new(
        id: impl Into<String>,
        ctx: JobContext,
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
        let pool = &self.ctx.pool;
        let Some(job) = queue::claim(pool, &self.id, self.config.lease).await? else {
            return Ok(false);
        };
        let span = tracing::info_span!("job", id = job.id, kind = job.kind, attempt = job.attempts);
        let _entered = span.enter();
        let result = match self.registry.handlers.get(job.kind.as_str()) {
            Some(handler) => {
                self.run_with_heartbeat(handler(self.ctx.clone(), job.clone()), job.id)
                    .await
            }
            None => Err(format!("no handler for jobs of kind “{}”", job.kind)),
        };
        match result {
            Ok(()) => {
                queue::complete(pool, job.id, &self.id).await?;
                tracing::info!("job done");
            }
            Err(error) => {
                let backoff = queue::backoff(self.config.backoff_base, job.attempts);
                queue::fail(pool, &job, &self.id, &error, backoff).await?;
                if job.is_last_attempt() {
                    tracing::error!(%error, "job failed for good");
                } else {
                    tracing::warn!(%error, retry_in = ?backoff, "job failed, will retry");
                }
            }
        }
        Ok(true)
    }

    /// Runs the handler on its own task (a panic becomes a failure) while renewing the
    /// lease, so a long job is not taken over by another worker.
    async fn run_with_heartbeat(&self, work: JobFuture, job_id: i64) -> Result<(), String> {
        let mut task = tokio::spawn(work);
        let mut heartbeat = tokio::time::interval(self.config.lease / 3);
        heartbeat.tick().await;
        loop {
            tokio::select! {
                joined = &mut task => {
                    return joined.unwrap_or_else(|error| Err(format!("the job panicked: {error}")));
                }
                _ = heartbeat.tick() => {
                    if let Err(error) = queue::extend_lease(&self.ctx.pool, job_id, &self.id, self.config.lease).await {
                        tracing::warn!(%error, "could not extend the job's lease");
                    }
                }
            }
        }
    }
}
