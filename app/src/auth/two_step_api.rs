//! Server functions of two-step sign-in: the second step of a sign-in, and setting up,
//! renewing and turning off the authenticator app and recovery codes on the account.

use leptos::prelude::*;

use super::{SecondStepPrompt, TwoStepStatus};
use crate::error::AppError;

/// What the second-step page asks for, while a sign-in awaits it.
#[server(prefix = "/api", endpoint = "auth/second_step")]
pub async fn load_second_step() -> Result<Option<SecondStepPrompt>, AppError> {
    let session = crate::access::guard::session()?;
    let Some(awaiting) = super::two_step::awaiting(&session).await? else {
        return Ok(None);
    };
    let setup = match &awaiting.setup {
        Some(secret) => Some(enrolment(secret, &awaiting.signing_in.email)?),
        None => None,
    };
    Ok(Some(SecondStepPrompt {
        email: awaiting.signing_in.email,
        setup,
    }))
}

#[cfg(feature = "ssr")]
fn enrolment(secret: &[u8], email: &str) -> Result<super::Enrolment, AppError> {
    let (url, typed_secret) = super::totp::enrolment(secret, email)?;
    Ok(super::Enrolment {
        qr_svg: super::totp::qr_svg(&url)?,
        typed_secret,
    })
}

/// The second step of a sign-in: a code from the authenticator app or a recovery code
/// (or, for an admin setting one up now, the app's first code).
#[server(prefix = "/api", endpoint = "auth/finish_sign_in")]
pub async fn finish_sign_in(code: String) -> Result<(), AppError> {
    use super::notice::{account_changed, AccountChange};
    use super::throttle;
    use super::totp::{self, Proof};
    use super::two_step;
    use super::SignInFailure;
    use crate::audit::data::{record, NewAuditEntry};

    let pool = crate::state::pool()?;
    let session = crate::access::guard::session()?;
    let now = chrono::Utc::now().timestamp();
    let Some(mut awaiting) = two_step::awaiting(&session).await? else {
        SignInFailure::SecondStep.count();
        two_step::forget(&session).await?;
        return Err(AppError::invalid(
            "This sign-in has expired or had too many wrong codes. Sign in again.",
        ));
    };
    awaiting.take_attempt(now);
    two_step::store(&session, &awaiting).await?;
    let signing_in = awaiting.signing_in.clone();
    // The account as it is now: a password reset or change, a deactivation or a closed
    // organization since the password step ends this sign-in.
    let current = super::data::credentials_by_id(&pool, signing_in.user_id).await?;
    if !current.is_some_and(|c| c.is_active && c.org_active && c.session_epoch == signing_in.epoch)
    {
        SignInFailure::SecondStep.count();
        two_step::forget(&session).await?;
        return Err(AppError::invalid(
            "This sign-in has expired or had too many wrong codes. Sign in again.",
        ));
    }
    // Codes count against the account's limits like passwords, so that knowing the
    // password does not buy endless five-code tries.
    let attempt = super::api::reserve_password_check(
        &crate::state::state()?,
        &super::config()?,
        &session,
        &signing_in.email,
        Some(signing_in.user_id),
    )
    .await
    .inspect_err(SignInFailure::count_throttled)?;
    match &awaiting.setup {
        Some(secret) => {
            let Some(step) = totp::matching_step(secret, &code, now.max(0) as u64) else {
                SignInFailure::SecondStep.count();
                throttle::failed(&pool, attempt).await?;
                return Err(wrong_code(awaiting.attempts_left));
            };
            throttle::succeeded(&pool, attempt).await?;
            let mut tx = pool.begin().await?;
            totp::set_pending(&mut tx, signing_in.user_id, secret).await?;
            let codes = totp::confirm(&mut tx, signing_in.user_id, step).await?;
            // The sign-in's row is opened with the codes, which wait there to be shown.
            let sign_in = crate::access::guard::open_sign_in(&mut *tx, signing_in.user_id).await?;
            totp::keep_fresh_codes(&mut tx, sign_in, &codes).await?;
            account_changed(&mut tx, signing_in.user_id, AccountChange::SecondFactorOn).await?;
            let entry = NewAuditEntry {
                org_id: Some(signing_in.org_id),
                actor_id: Some(signing_in.user_id),
                actor_email: Some(signing_in.email.clone()),
                ..NewAuditEntry::anonymous("auth.two_step_on")
            };
            record(&mut *tx, entry.target("user", signing_in.user_id)).await?;
            tx.commit().await?;
            let done = two_step::SigningIn {
                next: "/account/two-step".into(),
                ..signing_in
            };
            two_step::complete_opened_sign_in(
                &pool,
                &session,
                &done,
                sign_in,
                Some("new authenticator"),
            )
            .await
        }
        None => match totp::verify(&pool, signing_in.user_id, &code).await? {
            Some(proof) => {
                throttle::succeeded(&pool, attempt).await?;
                let how = match proof {
                    Proof::Code => "authenticator code",
                    Proof::RecoveryCode => "recovery code",
                };
                two_step::complete_sign_in(&pool, &session, &signing_in, Some(how)).await
            }
            None => {
                SignInFailure::SecondStep.count();
                throttle::failed(&pool, attempt).await?;
                Err(wrong_code(awaiting.attempts_left))
            }
        },
    }
}

#[cfg(feature = "ssr")]
fn wrong_code(attempts_left: u8) -> AppError {
    if attempts_left == 0 {
        AppError::invalid("That code is not right, and that was the last try. Sign in again.")
    } else {
        AppError::invalid(
            "That code is not right. Enter the current 6-digit code from your authenticator \
             app, or one of your recovery codes.",
        )
    }
}

/// Emails the user about `change` and records it in the audit log, in `tx`.
#[cfg(feature = "ssr")]
async fn note_change(
    tx: &mut sqlx::PgConnection,
    user: &crate::access::guard::AuthUser,
    change: super::notice::AccountChange,
    action: &'static str,
) -> Result<(), AppError> {
    use crate::audit::data::{record, NewAuditEntry};

    super::notice::account_changed(tx, user.id, change).await?;
    record(tx, NewAuditEntry::by(user, action).target("user", user.id)).await?;
    Ok(())
}

/// Keeps recovery codes made just now, in `tx`, for the two-step page to show once to
/// this sign-in (in the database, not the session record: see `totp::keep_fresh_codes`).
#[cfg(feature = "ssr")]
async fn keep_fresh_codes(tx: &mut sqlx::PgConnection, codes: &[String]) -> Result<(), AppError> {
    let session = crate::access::guard::session()?;
    let Some(sign_in) = crate::access::guard::current_sign_in(&session).await? else {
        return Err(AppError::Unauthenticated);
    };
    super::totp::keep_fresh_codes(tx, sign_in, codes).await?;
    Ok(())
}

/// The signed-in user's two-step sign-in, and recovery codes made just now (shown once).
#[server(prefix = "/api", endpoint = "auth/two_step_status")]
pub async fn load_two_step_status() -> Result<TwoStepStatus, AppError> {
    use crate::access::{guard, Role};

    let user = guard::require_user().await?;
    let pool = crate::state::pool()?;
    let factor = super::totp::second_factor(&pool, user.id).await?;
    let org_requires = super::totp::admins_need_two_steps(&pool, user.org_id).await?;
    let fresh_codes = match guard::current_sign_in(&guard::session()?).await? {
        Some(sign_in) => super::totp::take_fresh_codes(&pool, sign_in).await?,
        None => Vec::new(),
    };
    let pending = match (&factor.secret, &factor.pending) {
        (None, Some(secret)) => Some(enrolment(secret, &user.email)?),
        _ => None,
    };
    Ok(TwoStepStatus {
        enabled: factor.secret.is_some(),
        pending,
        recovery_left: factor.recovery_left,
        is_admin: user.role == Role::Admin,
        org_requires,
        fresh_codes,
    })
}

/// Starts setting up an authenticator app: a new secret, confirmed by its first code.
#[server(prefix = "/api", endpoint = "auth/start_two_step")]
pub async fn start_two_step() -> Result<(), AppError> {
    let user = crate::access::guard::require_user().await?;
    let pool = crate::state::pool()?;
    if super::totp::second_factor(&pool, user.id)
        .await?
        .secret
        .is_some()
    {
        return Err(AppError::invalid("Two-step sign-in is on already."));
    }
    let mut conn = pool.acquire().await?;
    super::totp::set_pending(&mut conn, user.id, &super::totp::new_secret()).await?;
    leptos_axum::redirect("/account/two-step");
    Ok(())
}

/// Confirms the authenticator app with its first code and the password (a session alone
/// must not be enough to put someone else's app on the account); recovery codes are made.
#[server(prefix = "/api", endpoint = "auth/confirm_two_step")]
pub async fn confirm_two_step(code: String, current_password: String) -> Result<(), AppError> {
    use super::notice::AccountChange;
    use crate::access::guard;

    let user = guard::require_user().await?;
    let pool = crate::state::pool()?;
    let Some(pending) = super::totp::second_factor(&pool, user.id).await?.pending else {
        return Err(AppError::invalid(
            "Start setting up two-step sign-in first.",
        ));
    };
    super::api::check_current_password(&user, current_password).await?;
    let now = chrono::Utc::now().timestamp().max(0) as u64;
    let Some(step) = super::totp::matching_step(&pending, &code, now) else {
        return Err(AppError::invalid(
            "That code is not right. Enter the 6-digit code your authenticator app shows now \
             (check that the phone's clock is right).",
        ));
    };
    let mut tx = pool.begin().await?;
    let codes = super::totp::confirm(&mut tx, user.id, step).await?;
    keep_fresh_codes(&mut tx, &codes).await?;
    note_change(
        &mut tx,
        &user,
        AccountChange::SecondFactorOn,
        "auth.two_step_on",
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/account/two-step");
    Ok(())
}

/// New recovery codes; the old ones stop working. Asks for the password.
#[server(prefix = "/api", endpoint = "auth/renew_recovery_codes")]
pub async fn renew_recovery_codes(current_password: String) -> Result<(), AppError> {
    use super::notice::AccountChange;
    use crate::access::guard;

    let user = guard::require_user().await?;
    let pool = crate::state::pool()?;
    if super::totp::second_factor(&pool, user.id)
        .await?
        .secret
        .is_none()
    {
        return Err(AppError::invalid(
            "Two-step sign-in is off: there are no recovery codes.",
        ));
    }
    super::api::check_current_password(&user, current_password).await?;
    let mut tx = pool.begin().await?;
    let codes = super::totp::replace_recovery_codes(&mut tx, user.id).await?;
    keep_fresh_codes(&mut tx, &codes).await?;
    note_change(
        &mut tx,
        &user,
        AccountChange::RecoveryCodesRenewed,
        "auth.recovery_codes_renewed",
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/account/two-step");
    Ok(())
}

/// Turns two-step sign-in off (not for an admin whose organization requires it).
#[server(prefix = "/api", endpoint = "auth/turn_off_two_step")]
pub async fn turn_off_two_step(current_password: String) -> Result<(), AppError> {
    use super::notice::AccountChange;
    use crate::access::{guard, Role};

    let user = guard::require_user().await?;
    let pool = crate::state::pool()?;
    if user.role == Role::Admin && super::totp::admins_need_two_steps(&pool, user.org_id).await? {
        return Err(AppError::invalid(
            "Your organization requires two-step sign-in for admins, so it stays on.",
        ));
    }
    if super::totp::second_factor(&pool, user.id)
        .await?
        .secret
        .is_none()
    {
        return Err(AppError::invalid("Two-step sign-in is off already."));
    }
    super::api::check_current_password(&user, current_password).await?;
    let mut tx = pool.begin().await?;
    super::totp::remove(&mut tx, user.id).await?;
    note_change(
        &mut tx,
        &user,
        AccountChange::SecondFactorOff,
        "auth.two_step_off",
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/account/two-step?off=1");
    Ok(())
}

/// Whether the organization's admins must sign in in two steps. Turning it on needs the
/// admin's own second step, and signs out the admins who have none, so that their next
/// sign-in sets one up.
#[server(prefix = "/api", endpoint = "auth/require_two_step")]
pub async fn require_two_step_for_admins(required: bool) -> Result<(), AppError> {
    use crate::access::{guard, ADMINS};
    use crate::audit::data::{record, NewAuditEntry};

    let admin = guard::require_role(ADMINS).await?;
    let pool = crate::state::pool()?;
    if required
        && super::totp::second_factor(&pool, admin.id)
            .await?
            .secret
            .is_none()
    {
        return Err(AppError::invalid(
            "Turn on two-step sign-in for your own account first.",
        ));
    }
    let mut tx = pool.begin().await?;
    let signed_out =
        super::totp::set_admins_need_two_steps(&mut tx, admin.org_id, required).await?;
    record(
        &mut *tx,
        NewAuditEntry::by(&admin, "org.two_step_for_admins")
            .target("organization", admin.org_id)
            .details(serde_json::json!({ "required": required, "admins_signed_out": signed_out })),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/account/two-step?org=1");
    Ok(())
}
