//! Background work inside the server process: the job workers and periodic clean-up.

use std::sync::Arc;
use std::time::Duration;

use app::assessments::invites::RemindInvite;
use app::candidates::import::job::ImportCandidates;
use app::email::sender::{Mailer, SendEmail};
use app::files::store::FileStore;
use app::jobs::worker::{Registry, Worker, WorkerConfig};
use app::jobs::JobContext;
use app::state::AppState;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions_sqlx_store::PostgresStore;

/// Every kind of job the app defines; the tests run the same.
pub fn registry() -> Registry {
    Registry::new()
        .register::<SendEmail>()
        .register::<ImportCandidates>()
        .register::<RemindInvite>()
        .register::<app::auth::reset::SendPasswordReset>()
        .register::<app::signup::service::SendSignUpLink>()
        .register::<app::documents::job::ExtractDocument>()
        .register::<app::skills::scores::ScoreRequisition>()
}

/// What the jobs of `registry()` run with: the pool, the settings, the mailer the email
/// job sends with and the store of files' bytes.
pub fn job_context(state: &AppState, files: &FileStore) -> anyhow::Result<JobContext> {
    let mailer = Mailer::from_settings(&state.settings.mail)?;
    Ok(JobContext::new(state.pool.clone(), state.settings.clone())
        .with(mailer)
        .with(files.clone()))
}

pub fn spawn(
    state: &AppState,
    files: &FileStore,
    count: usize,
    shutdown: watch::Receiver<bool>,
) -> anyhow::Result<Vec<JoinHandle<()>>> {
    let ctx = Arc::new(job_context(state, files)?);
    let registry = Arc::new(registry());
    let process = uuid::Uuid::new_v4().simple().to_string();
    let mut handles: Vec<JoinHandle<()>> = (0..count)
        .map(|n| {
            let worker = Worker::new(
                format!("{}-{n}", &process[..8]),
                ctx.clone(),
                registry.clone(),
                WorkerConfig::default(),
            );
            tokio::spawn(worker.run(shutdown.clone()))
        })
        .collect();
    handles.push(tokio::spawn(close_expired_tests(
        state.clone(),
        shutdown.clone(),
    )));
    handles.push(tokio::spawn(purge_files(
        state.clone(),
        files.clone(),
        shutdown.clone(),
    )));
    handles.push(tokio::spawn(feedback_reminders(
        state.clone(),
        shutdown.clone(),
    )));
    handles.push(tokio::spawn(maintenance(state.clone(), shutdown)));
    Ok(handles)
}

/// Every ten seconds: test sessions whose time is up are closed and scored, also when
/// the candidate's browser is long gone.
async fn close_expired_tests(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let mut every = tokio::time::interval(Duration::from_secs(10));
    loop {
        tokio::select! {
            _ = every.tick() => {}
            _ = shutdown.changed() => return,
        }
        match app::candidate_test::data::close_expired(&state.pool).await {
            Ok(0) => {}
            Ok(closed) => {
                tracing::info!(closed, "closed test sessions whose time was up");
                conclude_proctoring(&state).await;
            }
            Err(error) => tracing::warn!(%error, "could not close expired test sessions"),
        }
    }
}

/// Concludes the proctoring records of sessions that ended (their band, for the review
/// queue); also run by the maintenance, for any a stopped process left.
async fn conclude_proctoring(state: &AppState) {
    match app::proctoring::conclude::conclude_pending(&state.pool).await {
        Ok(0) => {}
        Ok(concluded) => tracing::info!(concluded, "concluded proctoring records"),
        Err(error) => tracing::warn!(%error, "could not conclude proctoring records"),
    }
}

/// Every five minutes: reminders for overdue interview feedback (see
/// `app::feedback::reminders`; each goes once, also with several processes).
async fn feedback_reminders(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let mut every = tokio::time::interval(Duration::from_secs(300));
    loop {
        tokio::select! {
            _ = every.tick() => {}
            _ = shutdown.changed() => return,
        }
        let public_url = state.settings.public_url.clone();
        match app::feedback::reminders::run(&state.pool, &public_url, chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(sent) => tracing::info!(sent, "sent overdue feedback reminders"),
            Err(error) => tracing::warn!(
                error = format!("{error:#}"),
                "could not send feedback reminders"
            ),
        }
    }
}

/// Every thirty seconds: the bytes of deleted files go from the store, in bounded
/// batches (see `app::files::purge`).
async fn purge_files(state: AppState, files: FileStore, mut shutdown: watch::Receiver<bool>) {
    let mut every = tokio::time::interval(Duration::from_secs(30));
    loop {
        tokio::select! {
            _ = every.tick() => {}
            _ = shutdown.changed() => return,
        }
        match app::files::purge::purge_all(&state.pool, &files).await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, "deleted the bytes of deleted files"),
            Err(error) => tracing::warn!(
                error = format!("{error:#}"),
                "could not purge deleted files"
            ),
        }
    }
}

/// Every ten minutes: expired sessions, old sign-in failures, links, sign-ups, ended
/// sign-ins and recovery codes never shown,
/// finished jobs and CSV
/// uploads never imported within a day go, and
/// proctoring records past their organization's retention lose their snapshots and
/// particulars.
async fn maintenance(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let store = PostgresStore::new(state.pool.clone());
    let mut every = tokio::time::interval(Duration::from_secs(600));
    loop {
        tokio::select! {
            _ = every.tick() => {}
            _ = shutdown.changed() => return,
        }
        if let Err(error) = store.delete_expired().await {
            tracing::warn!(%error, "could not delete expired sessions");
        }
        if let Err(error) = app::auth::throttle::prune(&state.pool).await {
            tracing::warn!(%error, "could not prune sign-in failures");
        }
        if let Err(error) = app::auth::reset::prune(&state.pool).await {
            tracing::warn!(%error, "could not prune password resets");
        }
        if let Err(error) = app::signup::data::prune(&state.pool).await {
            tracing::warn!(%error, "could not prune sign-ups");
        }
        if let Err(error) = app::auth::unlock::prune(&state.pool).await {
            tracing::warn!(%error, "could not prune sign-in links");
        }
        if let Err(error) = app::access::data::prune_sign_ins(&state.pool).await {
            tracing::warn!(%error, "could not prune ended sign-ins");
        }
        if let Err(error) = app::auth::totp::prune_fresh_codes(&state.pool).await {
            tracing::warn!(%error, "could not prune recovery codes never shown");
        }
        if let Err(error) = app::jobs::queue::prune_done(&state.pool, 30).await {
            tracing::warn!(%error, "could not prune finished jobs");
        }
        match app::candidates::import::data::delete_abandoned(&state.pool, 24).await {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, "deleted CSV uploads never imported"),
            Err(error) => tracing::warn!(%error, "could not delete abandoned CSV uploads"),
        }
        if let Err(error) = app::careers::data::prune_attempts(&state.pool).await {
            tracing::warn!(%error, "could not prune careers page attempts");
        }
        match app::careers::service::apply_retention(&state.pool).await {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, "deleted applicants past their retention"),
            Err(error) => tracing::warn!(%error, "careers page retention failed"),
        }
        conclude_proctoring(&state).await;
        match app::proctoring::retention::run(&state.pool, chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, "deleted proctoring records past their retention"),
            Err(error) => {
                tracing::warn!(error = format!("{error:#}"), "proctoring retention failed")
            }
        }
    }
}
