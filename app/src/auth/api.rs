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
    use super::data;
    use crate::access::guard;
    use crate::audit::data::{record, NewAuditEntry};
    use crate::state::state;

    let state = state()?;
    let config = super::config()?;
    let email = email.trim().to_string();
    if email.is_empty() || password.is_empty() {
        return Err(AppError::invalid("Enter your email address and password."));
    }
    let credentials = data::credentials_by_email(&state.pool, &email).await?;
    let session = guard::session()?;
    let attempt = reserve_password_check(
        &state,
        &config,
        &session,
        &email,
        credentials.as_ref().map(|c| c.id),
    )
    .await
    .inspect_err(super::SignInFailure::count_throttled)?;

    let usable = credentials.as_ref().filter(|c| c.is_active && c.org_active);
    let password_ok = config
        .hasher
        .verify(password, usable.map(|c| c.password_hash.clone()))
        .await?;

    match usable {
        Some(account) if password_ok => {
            super::throttle::succeeded(&state.pool, attempt).await?;
            session
                .remove::<super::unlock::UnlockGrant>(super::unlock::UNLOCK_KEY)
                .await?;
            let signing_in = super::two_step::SigningIn {
                user_id: account.id,
                org_id: account.org_id,
                email: account.email.clone(),
                epoch: account.session_epoch,
                next: super::safe_next(next.as_deref()),
            };
            if account.has_second_factor || account.needs_second_factor {
                let setup = (!account.has_second_factor).then(super::totp::new_secret);
                super::two_step::await_second_step(&session, signing_in, setup).await?;
                leptos_axum::redirect(super::two_step::SECOND_STEP_PATH);
                return Ok(());
            }
            super::two_step::complete_sign_in(&state.pool, &session, &signing_in, None).await
        }
        _ => {
            super::SignInFailure::Password.count();
            super::throttle::failed(&state.pool, attempt).await?;
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

/// Reserves one password check (or second-step code check) for `email` under the limits
/// (and waits the delay they ask for). When the account's limit is reached, the owner is emailed a link that lets
/// this browser check again (`unlock`); `account` is the account the address names, if
/// any, whose grant the session may hold.
#[cfg(feature = "ssr")]
pub(super) async fn reserve_password_check(
    state: &crate::state::AppState,
    config: &super::AuthConfig,
    session: &tower_sessions::Session,
    email: &str,
    account: Option<uuid::Uuid>,
) -> Result<super::throttle::Attempt, AppError> {
    use super::throttle::{reserve, Admission};
    use super::unlock::{UnlockGrant, UNLOCK_KEY};

    let now = chrono::Utc::now().timestamp();
    let mut grant = session.get::<UnlockGrant>(UNLOCK_KEY).await?;
    let unlocked = match (&mut grant, account) {
        (Some(grant), Some(account)) => grant.take(account, now),
        _ => false,
    };
    if let (true, Some(grant)) = (unlocked, &grant) {
        session.insert(UNLOCK_KEY, grant).await?;
    }
    let ip = crate::state::client_ip();
    match reserve(&state.pool, &config.throttle, email, &ip, unlocked).await? {
        Admission::Reserved { attempt, delay } => {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            Ok(attempt)
        }
        Admission::AccountPaused { minutes } => {
            super::unlock::offer(&state.pool, &state.settings.public_url, email).await?;
            Err(AppError::SignInPaused(minutes))
        }
        Admission::AddressPaused { minutes } => Err(AppError::RateLimited(minutes)),
    }
}

/// Checks the signed-in user's current password before a change to their account, under
/// the same limits as signing in.
#[cfg(feature = "ssr")]
pub(super) async fn check_current_password(
    user: &crate::access::guard::AuthUser,
    password: String,
) -> Result<(), AppError> {
    let state = crate::state::state()?;
    let config = super::config()?;
    let session = crate::access::guard::session()?;
    let account = super::data::credentials_by_id(&state.pool, user.id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let attempt =
        reserve_password_check(&state, &config, &session, &account.email, Some(user.id)).await?;
    if config
        .hasher
        .verify(password, Some(account.password_hash))
        .await?
    {
        super::throttle::succeeded(&state.pool, attempt).await?;
        Ok(())
    } else {
        super::throttle::failed(&state.pool, attempt).await?;
        Err(AppError::invalid("The current password is not correct."))
    }
}

/// The address an emailed sign-in link is for, while the link is valid; changes nothing.
#[server(prefix = "/api", endpoint = "auth/lookup_unlock")]
pub async fn lookup_unlock(token: String) -> Result<Option<String>, AppError> {
    Ok(super::unlock::lookup(&crate::state::pool()?, &token).await?)
}

/// Uses an emailed sign-in link: this browser may check the account's password a few
/// more times despite the limit.
#[server(prefix = "/api", endpoint = "auth/unlock")]
pub async fn unlock_sign_in(token: String) -> Result<(), AppError> {
    use super::unlock::{redeem, UnlockGrant, UNLOCK_KEY};
    use crate::audit::data::{record, NewAuditEntry};

    let pool = crate::state::pool()?;
    let Some((user_id, org_id)) = redeem(&pool, &token).await? else {
        return Err(AppError::invalid(
            "This link was already used or has expired. Try signing in again: if the account \
             is still paused, a new link is emailed.",
        ));
    };
    let now = chrono::Utc::now().timestamp();
    crate::access::guard::session()?
        .insert(UNLOCK_KEY, UnlockGrant::new(user_id, now))
        .await?;
    let entry = NewAuditEntry {
        org_id: Some(org_id),
        actor_id: Some(user_id),
        ..NewAuditEntry::anonymous("auth.sign_in_unlocked")
    };
    record(&pool, entry.target("user", user_id)).await?;
    leptos_axum::redirect("/login?unlocked=1");
    Ok(())
}

#[server(prefix = "/api", endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::access::data::{end_sign_ins, Ending};
    use crate::access::guard;
    use crate::audit::data::{record, NewAuditEntry};

    let session = guard::session()?;
    if let Some(user) = guard::current_user().await? {
        let pool = crate::state::pool()?;
        if let Some(sign_in) = guard::current_sign_in(&session).await? {
            end_sign_ins(&pool, user.id, Ending::This(sign_in)).await?;
        }
        record(
            &pool,
            NewAuditEntry::by(&user, "auth.sign_out").target("user", user.id),
        )
        .await?;
    }
    session.flush().await?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// Where the signed-in user is signed in: every sign-in that still works, this one first.
#[server(prefix = "/api", endpoint = "auth/sessions")]
pub async fn load_my_sessions() -> Result<Vec<super::SignInInfo>, AppError> {
    use crate::access::{data, guard, session::device_label};

    let user = guard::require_user().await?;
    let current = guard::current_sign_in(&guard::session()?).await?;
    let mut rows: Vec<super::SignInInfo> = data::live_sign_ins(&crate::state::pool()?, user.id)
        .await?
        .into_iter()
        .map(|row| super::SignInInfo {
            id: row.id,
            device: device_label(&row.user_agent),
            address: row.client_ip,
            signed_in_at: row.created_at,
            last_seen_at: row.last_seen_at,
            current: Some(row.id) == current,
        })
        .collect();
    rows.sort_by_key(|row| !row.current);
    Ok(rows)
}

/// Ends one of the signed-in user's other sessions, or all of them (`sign_in: None`).
#[server(prefix = "/api", endpoint = "auth/sign_out_elsewhere")]
pub async fn sign_out_elsewhere(sign_in: Option<uuid::Uuid>) -> Result<(), AppError> {
    use crate::access::data::{end_sign_ins, Ending};
    use crate::access::guard;
    use crate::audit::data::{record, NewAuditEntry};

    let user = guard::require_user().await?;
    let current = guard::current_sign_in(&guard::session()?)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let which = match sign_in {
        Some(id) if id == current => {
            return Err(AppError::invalid(
                "That is this session: use “Sign out” to end it.",
            ))
        }
        Some(id) => Ending::This(id),
        None => Ending::AllBut(current),
    };
    let pool = crate::state::pool()?;
    let mut tx = pool.begin().await?;
    let ended = end_sign_ins(&mut *tx, user.id, which).await?;
    if sign_in.is_some() && ended == 0 {
        // Not theirs, or already over: nothing to end.
        return Err(AppError::NotFound);
    }
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "auth.signed_out_elsewhere")
            .target("user", user.id)
            .details(serde_json::json!({ "sessions": ended })),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/account?ended={ended}#sessions"));
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
    let new_password = NewPassword::parse(
        &new_password,
        &confirm_password,
        &[&user.email, &user.full_name, &user.org_name],
    )?;
    check_current_password(&user, current_password).await?;
    let hash = super::config()?.hasher.hash(&new_password).await?;
    let mut tx = state.pool.begin().await?;
    let epoch = data::replace_password(&mut *tx, user.id, &hash).await?;
    crate::access::data::end_sign_ins(&mut *tx, user.id, crate::access::data::Ending::All).await?;
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "auth.password_changed").target("user", user.id),
    )
    .await?;
    super::notice::account_changed(&mut tx, user.id, super::notice::AccountChange::Password)
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
