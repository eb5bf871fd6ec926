//! The one error type that crosses the server-function boundary.
//!
//! Each variant carries only what a person may read; details stay in the server's logs.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("You do not have permission to do that.")]
    Forbidden,
    #[error("That page or item does not exist.")]
    NotFound,
    /// Input a person can fix; the message says how.
    #[error("{0}")]
    Invalid(String),
    /// The thing can no longer change (a test whose time is up); the message says what holds.
    #[error("{0}")]
    Closed(String),
    #[error("Too many attempts. Wait {0} minutes and try again.")]
    RateLimited(u32),
    /// Password sign-in to one account is paused after its hour's failures.
    #[error(
        "Signing in to this account is paused after too many failed attempts. If the address \
         has an account, we have emailed it a link that lets you sign in now; otherwise wait \
         {0} minutes and try again."
    )]
    SignInPaused(u32),
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
}

/// The whole minutes (1 to 60) a person waits for an hourly limit to free a place, from
/// the minutes until its oldest count is an hour old (`None`: a full hour).
pub fn minutes_to_wait(minutes: Option<f64>) -> u32 {
    minutes.unwrap_or(60.0).ceil().clamp(1.0, 60.0) as u32
}

impl AppError {
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::Invalid(message.into())
    }

    pub fn status_code(&self) -> u16 {
        match self {
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Invalid(_) => 422,
            Self::Closed(_) => 409,
            Self::RateLimited(_) | Self::SignInPaused(_) => 429,
            Self::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that do not decode are a malformed form, which the person can retry.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                Self::invalid("The form was incomplete. Please fill it in again.")
            }
            // On the server this is a JSON body that does not decode into the arguments
            // (on the client it is a reply that does not decode: a fault of ours).
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(_) => {
                Self::invalid("The request could not be read. Reload the page and try again.")
            }
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failure");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                Self::Internal
            }
        }
    }
}

/// The counter of work that found no free database connection within the pool's acquire
/// timeout (sqlx does not tell how many wait; this tells how many gave up): requests
/// whose error became an `AppError` (from sqlx or from the session store) and the job
/// workers' queue operations.
#[cfg(feature = "ssr")]
pub const POOL_TIMEOUTS_METRIC: &str = "are_db_pool_timeouts_total";

/// Counts `error` in `POOL_TIMEOUTS_METRIC` when it is the pool's timeout.
#[cfg(feature = "ssr")]
pub fn count_pool_timeout(error: &sqlx::Error) {
    if matches!(error, sqlx::Error::PoolTimedOut) {
        metrics::counter!(POOL_TIMEOUTS_METRIC).increment(1);
    }
}

/// Whether a session store's error is the pool's timeout: the store passes sqlx's error
/// on as its text only.
#[cfg(feature = "ssr")]
fn is_pool_timeout_text(error: &str) -> bool {
    error.contains(&sqlx::Error::PoolTimedOut.to_string())
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        if matches!(error, sqlx::Error::RowNotFound) {
            return Self::NotFound;
        }
        count_pool_timeout(&error);
        tracing::error!(%error, "database error");
        Self::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<tower_sessions::session::Error> for AppError {
    fn from(error: tower_sessions::session::Error) -> Self {
        if is_pool_timeout_text(&error.to_string()) {
            metrics::counter!(POOL_TIMEOUTS_METRIC).increment(1);
        }
        tracing::error!(%error, "session store error");
        Self::Internal
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn a_wait_is_whole_minutes_from_one_to_sixty() {
        assert_eq!(minutes_to_wait(Some(12.2)), 13);
        assert_eq!(minutes_to_wait(Some(0.01)), 1);
        assert_eq!(minutes_to_wait(Some(75.0)), 60);
        assert_eq!(minutes_to_wait(None), 60);
    }

    #[test]
    fn a_session_stores_pool_timeout_is_told_by_its_text() {
        let stored =
            tower_sessions::session_store::Error::Backend(sqlx::Error::PoolTimedOut.to_string());
        let error = tower_sessions::session::Error::from(stored);
        assert!(is_pool_timeout_text(&error.to_string()));
        let other =
            tower_sessions::session_store::Error::Backend(sqlx::Error::PoolClosed.to_string());
        let error = tower_sessions::session::Error::from(other);
        assert!(!is_pool_timeout_text(&error.to_string()));
    }
}
