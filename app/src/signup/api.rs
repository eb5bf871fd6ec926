//! Server functions of sign-up. They are public by nature (nobody is signed in yet), and
//! each answers 404 unless the server opens sign-up (`ARE_SIGNUP=open`).

use leptos::prelude::*;

use super::PendingSignUp;
use crate::error::AppError;

/// Refuses as if the function did not exist when sign-up is closed.
#[cfg(feature = "ssr")]
fn require_open() -> Result<crate::state::AppState, AppError> {
    let state = crate::state::state()?;
    if !state.settings.signup_open {
        return Err(AppError::NotFound);
    }
    Ok(state)
}

/// Signs up a new organization: stores it, waiting for the link emailed to `email`.
/// The answer is the same whether or not the address has an account.
#[server(prefix = "/api", endpoint = "signup/start")]
pub async fn sign_up(
    org_name: String,
    slug: String,
    full_name: String,
    email: String,
    password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use super::service::{request, SignUpRequest};

    let state = require_open()?;
    let sign_up = SignUpRequest::parse(
        &org_name,
        &slug,
        &full_name,
        &email,
        &password,
        &confirm_password,
    )?;
    let hasher = crate::auth::config()?.hasher;
    request(&state.pool, &hasher, &sign_up, &crate::state::client_ip()).await?;
    let sent = crate::ui::query::encode_query_value(sign_up.email.as_str());
    leptos_axum::redirect(&format!("/signup?sent={sent}"));
    Ok(())
}

/// What a sign-up's link is for, or nothing when the link is not usable; changes nothing.
#[server(prefix = "/api", endpoint = "signup/lookup")]
pub async fn lookup_sign_up(token: String) -> Result<Option<PendingSignUp>, AppError> {
    let state = require_open()?;
    let mut conn = state.pool.acquire().await?;
    let sign_up =
        super::data::open_by_digest(&mut conn, &crate::tokens::digest(&token), false).await?;
    Ok(sign_up.map(|sign_up| sign_up.pending()))
}

/// Uses a sign-up's link with the password chosen for it: the organization and its admin
/// are made, and the admin is signed in.
#[server(prefix = "/api", endpoint = "signup/confirm")]
pub async fn confirm_sign_up(token: String, password: String) -> Result<(), AppError> {
    let state = require_open()?;
    let hasher = crate::auth::config()?.hasher;
    let created = super::service::confirm(&state.pool, &hasher, &token, &password).await?;
    let session = crate::access::guard::session()?;
    crate::access::guard::start_session(&session, created.admin_id, 0).await?;
    leptos_axum::redirect("/");
    Ok(())
}
