//! Server functions of signing in and out and of the user's own password.

use leptos::prelude::*;

use crate::error::AppError;

#[server(prefix = "/api", endpoint = "auth/sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    sign_in_inner(email, password, next).await
}

#[cfg(feature = "ssr")]
async fn sign_in_inner(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use super::{data, throttle};
    use crate::access::guard;
    use crate::audit::data::{record, NewAuditEntry};
    use crate::state::{client_ip, state};

    let state = state()?;
    let config = super::config()?;
    let email = email.trim().to_string();
    if email.is_empty() || password.is_empty() {
        return Err(AppError::invalid("Enter your email address and password."));
    }
    let ip = client_ip();
    let delay = throttle::admit(&state.pool, &config.throttle, &email, &ip).await?;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }

    let credentials = data::credentials_by_email(&state.pool, &email).await?;
    let usable = credentials.as_ref().filter(|c| c.is_active && c.org_active);
    let password_ok = config
        .hasher
        .verify(password, usable.map(|c| c.password_hash.clone()))
        .await?;

    match usable {
        Some(account) if password_ok => {
            guard::start_session(&guard::session()?, account.id, account.session_epoch).await?;
            data::mark_signed_in(&state.pool, account.id).await?;
            let entry = NewAuditEntry {
                org_id: Some(account.org_id),
                actor_id: Some(account.id),
                actor_email: Some(account.email.clone()),
                ..NewAuditEntry::anonymous("auth.sign_in")
            };
            record(&state.pool, entry.target("user", account.id)).await?;
            leptos_axum::redirect(&super::safe_next(next.as_deref()));
            Ok(())
        }
        _ => {
            throttle::record_failure(&state.pool, &email, &ip).await?;
            let reason = match &credentials {
                None => "unknown email",
                Some(c) if !c.is_active => "deactivated account",
                Some(c) if !c.org_active => "organization closed",
                Some(_) => "wrong password",
            };
            let entry = NewAuditEntry {
                org_id: credentials.as_ref().map(|c| c.org_id),
                actor_email: Some(email.clone()),
                ..NewAuditEntry::anonymous("auth.sign_in_failed")
            };
            record(
                &state.pool,
                entry.details(serde_json::json!({ "reason": reason })),
            )
            .await?;
            // One message whatever the reason, so nobody can probe which emails exist.
            Err(AppError::invalid(
                "That email and password do not match an active account.",
            ))
        }
    }
}

#[server(prefix = "/api", endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::audit::data::{record, NewAuditEntry};

    if let Some(user) = crate::access::guard::current_user().await? {
        record(
            &crate::state::pool()?,
            NewAuditEntry::by(&user, "auth.sign_out").target("user", user.id),
        )
        .await?;
    }
    crate::access::guard::session()?.flush().await?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// Changes the signed-in user's password; every other session of theirs ends.
#[server(prefix = "/api", endpoint = "auth/change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use super::{data, password::NewPassword};
    use crate::access::guard;
    use crate::audit::data::{record, NewAuditEntry};

    let user = guard::require_user().await?;
    let state = crate::state::state()?;
    let hasher = super::config()?.hasher;
    let new_password = NewPassword::parse(&new_password, &confirm_password)?;
    let account = data::credentials_by_id(&state.pool, user.id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !hasher
        .verify(current_password, Some(account.password_hash))
        .await?
    {
        return Err(AppError::invalid("The current password is not correct."));
    }
    let hash = hasher.hash(&new_password).await?;
    let mut tx = state.pool.begin().await?;
    let epoch = data::replace_password(&mut *tx, user.id, &hash).await?;
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "auth.password_changed").target("user", user.id),
    )
    .await?;
    tx.commit().await?;
    guard::start_session(&guard::session()?, user.id, epoch).await?;
    leptos_axum::redirect("/account?changed=1");
    Ok(())
}

/// The time zones a user may choose (IANA names).
#[server(prefix = "/api", endpoint = "auth/time_zones")]
pub async fn load_time_zones() -> Result<Vec<String>, AppError> {
    crate::access::guard::require_user().await?;
    Ok(crate::ui::time::zone_names())
}

/// Sets the time zone in which the signed-in user sees times (interviews).
#[server(prefix = "/api", endpoint = "auth/set_time_zone")]
pub async fn set_time_zone(time_zone: String) -> Result<(), AppError> {
    use super::data;
    use crate::access::guard;
    use crate::audit::data::{record, NewAuditEntry};

    let user = guard::require_user().await?;
    let zone = crate::ui::time::parse_zone(&time_zone)?;
    let pool = crate::state::pool()?;
    let mut tx = pool.begin().await?;
    data::set_time_zone(&mut tx, user.id, zone.name()).await?;
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "auth.time_zone_changed")
            .target("user", user.id)
            .details(serde_json::json!({ "time_zone": zone.name() })),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/account?zone=1");
    Ok(())
}
