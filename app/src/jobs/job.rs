//! What a kind of job is: a payload struct that knows its name and how to run.
//!
//! As in crates.io's `crates_io_worker`, the queue knows no domain: each domain declares
//! its jobs by implementing [`Job`], `queue::enqueue` stores one as its name and its
//! serde payload, and the server binary registers the kinds it runs
//! (`worker::Registry::register`), which decodes the payload before calling `run`.

use std::any::{type_name, Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use anyhow::Context;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::PgPool;

use crate::state::Settings;

/// A kind of background job; the value is its payload, stored as JSON in `jobs.payload`.
pub trait Job: Serialize + DeserializeOwned + Send + 'static {
    /// The kind stored in `jobs.kind` (e.g. `email.send`); never renamed once jobs of it
    /// may be queued, or they find no handler.
    const NAME: &'static str;
    /// Attempts before the job stays failed.
    const MAX_ATTEMPTS: i32 = 5;

    /// Does the work. An error fails this attempt: the job is retried with backoff until
    /// its last attempt, and the error's chain (`{:#}`) is kept as the job's last error.
    fn run(
        self,
        ctx: &JobContext,
        attempt: Attempt,
    ) -> impl Future<Output = anyhow::Result<()>> + Send;
}

/// Which attempt of its job a run is, counting this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    pub number: i32,
    pub max: i32,
}

impl Attempt {
    pub fn is_last(self) -> bool {
        self.number >= self.max
    }
}

/// What jobs run with, built once by the server binary and shared by its workers.
///
/// Every job gets the pool and the settings. Whatever only some domains' jobs need (the
/// email job's `Mailer`) is kept here by its type: `jobs` sits below the domains and may
/// not name their types, so the server binary, which knows them all, adds each with
/// [`JobContext::with`] and the job takes it with [`JobContext::get`]. A missing one
/// fails the job with that type's name, and the tests build their workers with the
/// server's own context, so a forgotten one shows there.
pub struct JobContext {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    extensions: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
}

impl JobContext {
    pub fn new(pool: PgPool, settings: Arc<Settings>) -> Self {
        Self {
            pool,
            settings,
            extensions: HashMap::new(),
        }
    }

    /// Adds `value` for the jobs that ask for a `T`; a second `T` replaces the first.
    pub fn with<T: Send + Sync + 'static>(mut self, value: T) -> Self {
        self.extensions.insert(TypeId::of::<T>(), Box::new(value));
        self
    }

    /// The `T` the server added.
    pub fn get<T: Send + Sync + 'static>(&self) -> anyhow::Result<&T> {
        self.extensions
            .get(&TypeId::of::<T>())
            .and_then(|value| value.downcast_ref::<T>())
            .with_context(|| format!("the job context has no {}", type_name::<T>()))
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    struct Greeting(&'static str);

    /// A context on a pool that never connects, for what needs no database.
    pub(in crate::jobs) fn context() -> JobContext {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .connect_lazy("postgres://localhost/unused")
            .unwrap();
        let settings = Settings {
            public_url: "http://localhost:3000".into(),
            secure_cookies: false,
            mail: crate::state::MailSettings {
                from: "ARE <no-reply@are.localhost>".into(),
                smtp_url: None,
                dir: ".are/mail".into(),
            },
            signup_open: false,
        };
        JobContext::new(pool, Arc::new(settings))
    }

    #[tokio::test]
    async fn the_context_hands_out_what_was_added_by_its_type() {
        let ctx = context().with(Greeting("hello"));
        assert_eq!(ctx.get::<Greeting>().unwrap().0, "hello");
        let missing = ctx.get::<String>().unwrap_err();
        assert!(missing.to_string().starts_with("the job context has no "));
        assert!(missing.to_string().ends_with("String"));
    }

    #[test]
    fn the_last_attempt_is_the_one_numbered_max() {
        assert!(!Attempt { number: 1, max: 2 }.is_last());
        assert!(Attempt { number: 2, max: 2 }.is_last());
    }
}
