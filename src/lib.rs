//! The ARE server: configuration, start-up, the router, metrics, background workers.
//! Everything a person sees or does lives in the `app` crate.

pub mod bench_documents;
pub mod cli;
pub mod config;
pub mod db_check;
pub mod demo;
pub mod generate;
pub mod generate_invites;
pub mod html;
pub mod metrics;
pub mod middleware;
pub mod router;
pub mod session_cache;
pub mod startup;
pub mod workers;

use std::future::IntoFuture;
use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use app::auth::AuthConfig;
use app::files::store::FileStore;
use app::state::AppState;
use leptos::config::{Env, LeptosOptions};
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use tokio::sync::watch;

use crate::metrics::Metrics;
use crate::startup::Startup;
use config::Config;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub async fn connect(database_url: &str, max_connections: u32) -> anyhow::Result<PgPool> {
    PgPoolOptions::new()
        .max_connections(max_connections)
        // No ping before handing out each connection: that was one more round trip per
        // query (five per board view). A connection that died with its server fails its
        // next query once and is then replaced.
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(5))
        .connect(database_url)
        .await
        .context("cannot connect to the database (DATABASE_URL)")
}

/// Where the built front end is, and whether its file names carry content hashes
/// (cargo-leptos writes `hash.txt` beside the server binary when they do).
pub fn leptos_options(config: &Config) -> LeptosOptions {
    let hash_files = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt").exists()))
        .unwrap_or(false);
    LeptosOptions::builder()
        .output_name("are")
        .site_root(config.site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .hash_files(hash_files)
        .env(Env::PROD)
        .site_addr(config.listen_addr)
        .build()
}

/// Logs to stdout when serving; the other commands log to stderr, so what they print
/// (`are org create`'s link) is alone on stdout.
pub fn init_logging(config: &Config, to_stderr: bool) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log_filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match (config.log_json, to_stderr) {
        (true, false) => builder.json().init(),
        (true, true) => builder.json().with_writer(std::io::stderr).init(),
        (false, false) => builder.init(),
        (false, true) => builder.with_writer(std::io::stderr).init(),
    }
}

/// A pool on the configured database, migrated.
pub async fn migrated_pool(config: &Config) -> anyhow::Result<PgPool> {
    let pool = connect(&config.database_url, config.db_connections).await?;
    MIGRATOR
        .run(&pool)
        .await
        .context("database migration failed")?;
    Ok(pool)
}

/// Migrates, then writes the benchmark organization (see `generate.rs`).
pub async fn generate_benchmark_data(
    config: &Config,
    sizes: generate::Sizes,
) -> anyhow::Result<()> {
    sizes.check()?;
    let pool = migrated_pool(config).await?;
    let started = std::time::Instant::now();
    let hasher = app::auth::password::PasswordHasher::new();
    generate::generate(&pool, &hasher, sizes).await?;
    tracing::info!(
        candidates = sizes.candidates,
        requisitions = sizes.requisitions,
        applications = sizes.applications,
        seconds = started.elapsed().as_secs_f64(),
        "generated the organization Bench Co"
    );
    Ok(())
}

/// `are generate-invites`: the test-taking benchmark's organization and invite links.
pub async fn generate_invites(
    config: &Config,
    options: generate_invites::Options,
) -> anyhow::Result<()> {
    let pool = migrated_pool(config).await?;
    generate_invites::generate(&pool, &options).await?;
    tracing::info!(invites = options.invites, out = %options.out.display(), "generated Test Bench Co");
    Ok(())
}

/// The key that signs failed forms' messages (`app::ui::form::ErrorSeal`), the same in
/// every server process: made by the first one to start and kept in the database.
pub async fn error_seal(pool: &PgPool) -> anyhow::Result<app::ui::form::ErrorSeal> {
    sqlx::query(
        "INSERT INTO server_secrets (name, secret) VALUES ('form_errors', $1)
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(app::tokens::generate().secret.into_bytes())
    .execute(pool)
    .await
    .context("cannot store the form errors' key")?;
    let key: Vec<u8> =
        sqlx::query_scalar("SELECT secret FROM server_secrets WHERE name = 'form_errors'")
            .fetch_one(pool)
            .await
            .context("cannot read the form errors' key")?;
    Ok(app::ui::form::ErrorSeal::new(&key))
}

/// `are migrate`: applies the migrations not applied yet and exits.
pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    let pool = connect(&config.database_url, 2).await?;
    let applied = cli::migrate(&pool).await?;
    tracing::info!(applied, "the database is migrated");
    pool.close().await;
    Ok(())
}

/// `are org create`: migrates, creates the organization and its first admin's
/// invitation, and prints the link.
pub async fn org_create(config: &Config, args: &cli::OrgCreate) -> anyhow::Result<()> {
    let pool = connect(&config.database_url, 2).await?;
    MIGRATOR
        .run(&pool)
        .await
        .context("database migration failed")?;
    let created = cli::org_create(&pool, &config.settings.public_url, args).await?;
    print!("{}", created.report());
    pool.close().await;
    Ok(())
}

/// `are user reset-password`: prints a reset link for the account and queues its email.
pub async fn user_reset_password(
    config: &Config,
    args: &cli::ResetPasswordArgs,
) -> anyhow::Result<()> {
    let pool = connect(&config.database_url, 2).await?;
    MIGRATOR
        .run(&pool)
        .await
        .context("database migration failed")?;
    let report = cli::user_reset_password(&pool, &config.settings.public_url, args).await?;
    print!("{report}");
    pool.close().await;
    Ok(())
}

/// Connects, then listens before anything else, so `/readyz` answers 503 (`migrating`,
/// then `starting`) while the database is migrated, the demo data loaded and the
/// workers started; then serves the app until SIGTERM or Ctrl-C, and lets in-flight
/// requests and jobs finish. A signal during start-up lets the migrations and the demo
/// data finish, then exits without starting the workers or the app. (A database
/// unreachable at start-up fails `connect` within its acquire timeout, and the process
/// exits with the error.)
pub async fn run(config: Config) -> anyhow::Result<()> {
    let pool = connect(&config.database_url, config.db_connections).await?;
    let metrics = config
        .metrics_exposed()
        .then(|| Metrics::new(pool.clone(), workers::registry().kinds()));
    let startup = Startup::new();
    let public = startup::public_router(
        startup.clone(),
        metrics.clone().zip(config.metrics_token.clone()),
    );

    let (stop_serving, serving) = watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop_serving.send(true);
    });
    let stopped = |mut serving: watch::Receiver<bool>| async move {
        let _ = serving.wait_for(|stop| *stop).await;
    };
    let listener = tokio::net::TcpListener::bind(config.listen_addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen_addr))?;
    let server = tokio::spawn(
        axum::serve(
            listener,
            public.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stopped(serving.clone()))
        .into_future(),
    );
    let mut metrics_server = None;
    if let (Some(addr), Some(metrics)) = (config.metrics_addr, &metrics) {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr} (ARE_METRICS_ADDR)"))?;
        tracing::info!(address = %addr, "serving /metrics");
        metrics_server = Some(tokio::spawn(
            axum::serve(listener, crate::metrics::router(metrics.clone()))
                .with_graceful_shutdown(stopped(serving.clone()))
                .into_future(),
        ));
    }
    if let Some(metrics) = metrics.clone() {
        tokio::spawn(upkeep(metrics, serving.clone()));
    }
    tracing::info!(address = %config.listen_addr, "listening; starting up");

    startup.set_migrating(true);
    MIGRATOR
        .run(&pool)
        .await
        .context("database migration failed")?;
    startup.set_migrating(false);
    let state = AppState::new(pool.clone(), config.settings.clone());
    let auth = AuthConfig::new(config.throttle.clone());
    let files = FileStore::open(&config.files).context("cannot open the files' store")?;
    let seal = error_seal(&pool).await?;
    if config.load_demo_data && demo::load_if_empty(&pool, &auth.hasher).await? {
        tracing::info!("loaded the demo organization Acme (accounts in the README)");
    }

    // A stop signal that came while migrating or loading: no workers, never ready; the
    // listeners drain what they answered (503s) and the process exits.
    if *serving.borrow() {
        tracing::info!("stopped during start-up; not starting the workers");
        server.await??;
        if let Some(metrics_server) = metrics_server {
            metrics_server.await??;
        }
        pool.close().await;
        tracing::info!("stopped");
        return Ok(());
    }
    let (stop_workers, shutdown) = watch::channel(false);
    let workers = workers::spawn(&state, &files, config.job_workers, shutdown)?;
    startup.ready(router::build(
        state,
        auth,
        files,
        seal,
        leptos_options(&config),
        config.trust_proxy,
    ));
    tracing::info!(address = %config.listen_addr, url = config.settings.public_url, "ARE is serving");
    server.await??;
    if let Some(metrics_server) = metrics_server {
        metrics_server.await??;
    }

    tracing::info!("requests finished; waiting for running jobs");
    let _ = stop_workers.send(true);
    for worker in workers {
        let _ = worker.await;
    }
    pool.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Every five seconds, the recorder's histogram samples go into their buckets, so
/// memory stays bounded between scrapes.
async fn upkeep(metrics: Metrics, mut serving: watch::Receiver<bool>) {
    let mut every = tokio::time::interval(Duration::from_secs(5));
    loop {
        tokio::select! {
            _ = every.tick() => metrics.run_upkeep(),
            _ = serving.wait_for(|stop| *stop) => return,
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
    tracing::info!("shutting down");
}
