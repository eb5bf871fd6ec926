//! What the server hands every request: the pool, the settings and shared limits.
//! Server functions reach it through Leptos context (`state()` / `pool()`).

use std::path::PathBuf;
use std::sync::Arc;

use leptos::prelude::*;
use sqlx::PgPool;

use crate::auth::password::PasswordHasher;
use crate::error::AppError;

/// Settings the app itself needs; the server binary reads them from the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where people reach the app, used in links sent by email (no trailing slash).
    pub public_url: String,
    pub secure_cookies: bool,
    pub mail: MailSettings,
    pub throttle: crate::auth::throttle::ThrottlePolicy,
}

#[derive(Debug, Clone)]
pub struct MailSettings {
    pub from: String,
    /// `smtp://user:pass@host:port` or `smtps://…`; when absent, mail is written as `.eml` files.
    pub smtp_url: Option<String>,
    pub dir: PathBuf,
}

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    pub hasher: PasswordHasher,
    /// Rendered pipeline boards (`pipeline::cache`).
    pub boards: Arc<crate::pipeline::cache::BoardCache>,
}

impl AppState {
    pub fn new(pool: PgPool, settings: Settings) -> Self {
        Self {
            pool,
            settings: Arc::new(settings),
            hasher: PasswordHasher::new(),
            boards: Arc::default(),
        }
    }
}

/// The client's address as the server determined it (peer address, or the proxy's header
/// when configured to trust it).
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
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
