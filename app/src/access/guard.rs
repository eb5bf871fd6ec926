//! The one gate every server function and page passes: who is signed in, in which
//! organization, with which role. Resolved once per request and cached.

use std::sync::Arc;

use tower_sessions::Session;
use uuid::Uuid;

use super::data;
use super::session::{Lifetime, SessionAuth, AUTH_KEY};
use super::Role;
use crate::error::{AppError, AppResult};
use crate::state::{pool, request_parts};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthUser {
    pub id: Uuid,
    pub org_id: Uuid,
    pub org_name: String,
    pub email: String,
    pub full_name: String,
    pub role: Role,
    /// As of the start of this request.
    pub unread_notifications: i64,
    /// IANA name; times are shown to this user in it.
    pub time_zone: String,
}

/// Per-request memo of the signed-in user, put in the request's extensions by the server.
#[derive(Clone, Default)]
pub struct AuthCache(Arc<tokio::sync::OnceCell<Option<AuthUser>>>);

pub fn session() -> AppResult<Session> {
    request_parts()?
        .extensions
        .get::<Session>()
        .cloned()
        .ok_or_else(|| {
            tracing::error!("no session layer in front of the app");
            AppError::Internal
        })
}

pub async fn current_user() -> AppResult<Option<AuthUser>> {
    let parts = request_parts()?;
    match parts.extensions.get::<AuthCache>() {
        Some(cache) => cache.0.get_or_try_init(resolve).await.cloned(),
        None => resolve().await,
    }
}

pub async fn require_user() -> AppResult<AuthUser> {
    current_user().await?.ok_or(AppError::Unauthenticated)
}

/// The signed-in user, when their role is one of `roles`.
pub async fn require_role(roles: &[Role]) -> AppResult<AuthUser> {
    let user = require_user().await?;
    if roles.contains(&user.role) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

async fn resolve() -> AppResult<Option<AuthUser>> {
    let session = session()?;
    let Some(mut auth) = session.get::<SessionAuth>(AUTH_KEY).await? else {
        return Ok(None);
    };
    let now = chrono::Utc::now().timestamp();
    let lifetime = auth.lifetime(now);
    if lifetime == Lifetime::Expired {
        session.flush().await?;
        return Ok(None);
    }
    let pool = pool()?;
    let user = match data::session_user(&pool, auth.user_id, auth.sign_in).await? {
        Some(user)
            if user.session_open
                && !user.lacks_required_second_step
                && user.is_active
                && user.org_active
                && user.session_epoch == auth.epoch =>
        {
            user
        }
        // Signed out, deactivated, organization closed, or signed out everywhere: the
        // session ends now.
        _ => {
            session.flush().await?;
            return Ok(None);
        }
    };
    if lifetime == Lifetime::Touch {
        auth.touched_at = now;
        session.insert(AUTH_KEY, &auth).await?;
        data::touch_sign_in(&pool, auth.sign_in, &crate::state::client_ip()).await?;
    }
    Ok(Some(AuthUser {
        id: user.id,
        org_id: user.org_id,
        org_name: user.org_name,
        email: user.email,
        full_name: user.full_name,
        role: user.role,
        unread_notifications: user.unread_notifications,
        time_zone: user.time_zone,
    }))
}

/// The signed-in session's sign-in (its row in `staff_sessions`), if any.
pub async fn current_sign_in(session: &Session) -> AppResult<Option<Uuid>> {
    Ok(session
        .get::<SessionAuth>(AUTH_KEY)
        .await?
        .map(|auth| auth.sign_in))
}

/// Starts a fresh session for `user_id`: a new session id, so an id planted before
/// sign-in is worthless after it, and a new sign-in row, which the user sees in their
/// list of sessions and which a sign-out ends.
pub async fn start_session(session: &Session, user_id: Uuid, epoch: i32) -> AppResult<()> {
    let sign_in = open_sign_in(&pool()?, user_id).await?;
    enter_session(session, user_id, sign_in, epoch).await
}

/// Opens a sign-in's row for `user_id` (with this request's browser and address), for
/// `enter_session`; in the caller's transaction when it passes one.
pub async fn open_sign_in<'e>(
    executor: impl sqlx::PgExecutor<'e>,
    user_id: Uuid,
) -> AppResult<Uuid> {
    let parts = request_parts()?;
    let user_agent = parts
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // Bounded: the header is the client's to write.
    let user_agent: String = user_agent.chars().take(400).collect();
    Ok(data::open_sign_in(executor, user_id, &user_agent, &crate::state::client_ip()).await?)
}

/// Starts a fresh session for `user_id` on the sign-in `sign_in` opened by `open_sign_in`.
pub async fn enter_session(
    session: &Session,
    user_id: Uuid,
    sign_in: Uuid,
    epoch: i32,
) -> AppResult<()> {
    session.cycle_id().await?;
    let now = chrono::Utc::now().timestamp();
    session
        .insert(AUTH_KEY, SessionAuth::new(user_id, sign_in, epoch, now))
        .await?;
    Ok(())
}
