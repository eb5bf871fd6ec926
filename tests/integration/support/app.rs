//! The app under test: settings as in production but with mail to a folder of its own
//! and no sign-in delay, the state, the router, a job worker, and the check that no job
//! failed.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use app::auth::throttle::ThrottlePolicy;
use app::auth::AuthConfig;
use app::files::store::{FileStore, StoreConfig};
use app::jobs::worker::{Registry, Worker, WorkerConfig};
use app::jobs::JobContext;
use app::state::{AppState, MailSettings, Settings};
use axum::Router;
use sqlx::{Connection, PgConnection, PgPool};
use uuid::Uuid;

use super::client::Client;
use super::fixtures::PASSWORD;

/// One test's app on its own database. When it goes out of scope at the end of a test
/// that has not failed otherwise, it asserts that no job failed (see `Drop`).
pub struct World {
    pub pool: PgPool,
    pub auth: AuthConfig,
    state: AppState,
    router: Router,
    mail_dir: PathBuf,
    /// Where stored files' bytes go: a folder of this test's own by default.
    pub files: FileStore,
    pub files_dir: PathBuf,
    failed_jobs_expected: bool,
}

impl World {
    pub async fn init(pool: PgPool) -> Self {
        let files_dir = std::env::temp_dir().join(format!("are-test-files-{}", Uuid::new_v4()));
        let files = FileStore::open(&StoreConfig::Local(files_dir.clone())).unwrap();
        Self::with_files(pool, files, files_dir).await
    }

    /// The app as `init` makes it, with organization sign-up open (`ARE_SIGNUP=open`).
    pub async fn with_signup_open(pool: PgPool) -> Self {
        let files_dir = std::env::temp_dir().join(format!("are-test-files-{}", Uuid::new_v4()));
        let files = FileStore::open(&StoreConfig::Local(files_dir.clone())).unwrap();
        Self::build(pool, files, files_dir, true).await
    }

    /// The app with its files in `files` (`files_dir` names the local folder, if any).
    pub async fn with_files(pool: PgPool, files: FileStore, files_dir: PathBuf) -> Self {
        Self::build(pool, files, files_dir, false).await
    }

    async fn build(pool: PgPool, files: FileStore, files_dir: PathBuf, signup_open: bool) -> Self {
        let mail_dir = std::env::temp_dir().join(format!("are-test-mail-{}", Uuid::new_v4()));
        let settings = Settings {
            public_url: "http://localhost:3000".into(),
            secure_cookies: false,
            mail: MailSettings {
                from: "ARE <no-reply@are.localhost>".into(),
                smtp_url: None,
                dir: mail_dir.clone(),
            },
            signup_open,
        };
        let state = AppState::new(pool.clone(), settings);
        // The limits as in production, without the growing delay that would make a
        // hundred failures take minutes; the delay has its own unit test.
        let auth = AuthConfig::new(ThrottlePolicy {
            base_delay: Duration::ZERO,
            max_delay: Duration::ZERO,
            ..ThrottlePolicy::default()
        });
        let router = app_router(&pool, state.clone(), &auth, &files, false).await;
        Self {
            pool,
            auth,
            state,
            router,
            mail_dir,
            files,
            files_dir,
            failed_jobs_expected: false,
        }
    }

    /// The account's hour of failed sign-ins used up (100, from 50 addresses).
    pub async fn use_up_sign_in_hour(&self, email: &str) {
        sqlx::query(
            "INSERT INTO sign_in_failures (email, client_ip)
             SELECT $1, '198.51.100.' || n % 50 FROM generate_series(1, 100) n",
        )
        .bind(email)
        .execute(&self.pool)
        .await
        .unwrap();
    }

    /// For the tests that fail jobs on purpose: no check at the end.
    pub fn expecting_failed_jobs(mut self) -> Self {
        self.failed_jobs_expected = true;
        self
    }

    /// The app as deployed behind TLS and one proxy of its own: secure cookies, and the
    /// client address taken from `X-Forwarded-For`.
    pub async fn deployed_router(&self) -> Router {
        let settings = Settings {
            secure_cookies: true,
            ..(*self.state.settings).clone()
        };
        let state = AppState::new(self.pool.clone(), settings);
        app_router(&self.pool, state, &self.auth, &self.files, true).await
    }

    /// The app as a second server process on the same database runs it: the same
    /// settings, its own caches (session records, rendered boards).
    pub async fn another_process(&self) -> Router {
        app_router(
            &self.pool,
            self.state.clone(),
            &self.auth,
            &self.files,
            false,
        )
        .await
    }

    /// The router itself, for a request whose answer is not text (a file's bytes).
    pub fn router(&self) -> Router {
        self.router.clone()
    }

    pub fn client(&self) -> Client {
        Client::new(self.router.clone())
    }

    /// A client of another router around this app (the public listener's gate, the
    /// metrics listener's).
    pub fn client_of(&self, router: Router) -> Client {
        Client::new(router)
    }

    /// A client signed in as `email` (with `PASSWORD`).
    pub async fn signed_in(&self, email: &str) -> Client {
        let mut client = self.client();
        let response = client.sign_in(email, PASSWORD).await;
        assert_eq!(
            response.status,
            axum::http::StatusCode::OK,
            "sign-in failed: {}",
            response.body
        );
        client
    }

    /// Every email file written so far.
    pub fn emails(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.mail_dir) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .collect()
    }

    /// The server's job context, sending mail to the mail folder.
    pub fn job_context(&self) -> JobContext {
        are::workers::job_context(&self.state, &self.files).unwrap()
    }

    /// A job worker like the server's, with no backoff.
    pub fn worker(&self, registry: Registry, ctx: JobContext) -> Worker {
        let config = WorkerConfig {
            lease: Duration::from_secs(30),
            idle_poll: Duration::from_millis(10),
            backoff_base: Duration::ZERO,
        };
        Worker::new(
            format!("test-{}", Uuid::new_v4()),
            Arc::new(ctx),
            Arc::new(registry),
            config,
        )
    }

    /// Runs every due job with the server's registry.
    pub async fn run_jobs(&self) {
        let worker = self.worker(are::workers::registry(), self.job_context());
        while worker.run_once().await.unwrap() {}
    }
}

/// Every test ends with this check, so a job that failed behind a passing assertion (an
/// email that was never sent, a reminder that errored) fails the test. `Drop` cannot
/// await, and the test's runtime is the one blocked here, so the check runs on a thread
/// of its own with its own connection; it is skipped when the test is already failing.
impl Drop for World {
    fn drop(&mut self) {
        if self.failed_jobs_expected || std::thread::panicking() {
            return;
        }
        let options = (*self.pool.connect_options()).clone();
        let failed = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let mut conn = PgConnection::connect_with(&options).await.unwrap();
                let failed: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
                    "SELECT id, kind, status, last_error FROM jobs
                     WHERE status = 'failed' OR last_error IS NOT NULL ORDER BY id",
                )
                .fetch_all(&mut conn)
                .await
                .unwrap();
                conn.close().await.unwrap();
                failed
            })
        })
        .join()
        .expect("the failed-job check ran");
        assert!(
            failed.is_empty(),
            "jobs failed (id, kind, status, last error): {failed:?}"
        );
    }
}

/// An email's text with quoted-printable soft line breaks undone.
pub fn unwrapped(email: &str) -> String {
    email
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=")
}

/// The invitation link in an email.
pub fn invite_link(email: &str) -> String {
    let text = unwrapped(email);
    let start = text
        .find("http://localhost:3000/invite/")
        .expect("an invitation link");
    text[start..].split_whitespace().next().unwrap().to_string()
}

/// The app's router on `pool` as `are serve` builds it (the production site options).
async fn app_router(
    pool: &PgPool,
    state: AppState,
    auth: &AuthConfig,
    files: &FileStore,
    trust_proxy: bool,
) -> Router {
    let options = leptos::config::LeptosOptions::builder()
        .output_name("are")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .build();
    let seal = are::error_seal(pool).await.unwrap();
    are::router::build(
        state,
        auth.clone(),
        files.clone(),
        seal,
        options,
        trust_proxy,
    )
}
