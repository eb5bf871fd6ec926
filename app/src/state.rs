//! What the server hands every request: the pool and the settings.
//! Server functions reach it through Leptos context (`state()` / `pool()`).

use std::path::PathBuf;
use std::sync::Arc;

use leptos::prelude::*;
use sqlx::PgPool;

use crate::error::AppError;

/// Settings the app itself needs; the server binary reads them from the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where people reach the app, used in links sent by email (no trailing slash).
    pub public_url: String,
    pub secure_cookies: bool,
    pub mail: MailSettings,
    /// Anyone may sign up a new organization (`ARE_SIGNUP=open`); otherwise the sign-up
    /// page and its server functions answer 404.
    pub signup_open: bool,
}

#[derive(Debug, Clone)]
pub struct MailSettings {
    pub from: String,
    /// `smtp://user:pass@host:port` or `smtps://…`; when absent, mail is written as `.eml` files.
    pub smtp_url: Option<String>,
    pub dir: PathBuf,
}

/// The pool and the settings. Domains that keep more for the whole process (the
/// password hasher, the rendered boards) put their own value in the context beside it,
/// so this module names no domain.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
}

impl AppState {
    pub fn new(pool: PgPool, settings: Settings) -> Self {
        Self {
            pool,
            settings: Arc::new(settings),
        }
    }
}

/// A value the server put in every request's context (`AppState`, or a domain's own).
pub fn context<T: Clone + Send + Sync + 'static>(what: &'static str) -> Result<T, AppError> {
    use_context::<T>().ok_or_else(|| {
        tracing::error!("{what} missing from the Leptos context");
        AppError::Internal
    })
}

/// The client's address as the server determined it (peer address, or the proxy's header
/// when configured to trust it).
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

pub fn state() -> Result<AppState, AppError> {
    context("AppState")
}

pub fn pool() -> Result<PgPool, AppError> {
    Ok(state()?.pool)
}

/// The request's parts, as leptos_axum provides them to pages and server functions.
pub fn request_parts() -> Result<http::request::Parts, AppError> {
    use_context::<http::request::Parts>().ok_or_else(|| {
        tracing::error!("request parts missing from the Leptos context");
        AppError::Internal
    })
}

pub fn client_ip() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientIp>().map(|ip| ip.0.clone()))
        .unwrap_or_else(|| "unknown".to_string())
}

/// Sets the HTTP status of the response being built (pages and server functions alike).
pub fn set_status(code: u16) {
    if let (Some(options), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        options.set_status(status);
    }
}
