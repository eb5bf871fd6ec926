//! Server functions of password reset: asking for a link, and choosing a new password
//! through it.

use leptos::prelude::*;

use crate::error::AppError;

/// Asks for a reset link. The answer is the same whether or not the address has an
/// account: the link is looked up and sent by a job.
#[server(prefix = "/api", endpoint = "auth/request_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let email = email.trim();
    if email.is_empty() || !email.contains('@') {
        return Err(AppError::invalid(
            "Enter the email address you sign in with.",
        ));
    }
    if email.len() > 320 {
        return Err(AppError::invalid("That is not an email address."));
    }
    let pool = crate::state::pool()?;
    super::reset::request(&pool, email, &crate::state::client_ip()).await?;
    leptos_axum::redirect("/forgot-password?sent=1");
    Ok(())
}

/// The address a valid reset link is for; changes nothing.
#[server(prefix = "/api", endpoint = "auth/lookup_reset")]
pub async fn lookup_password_reset(token: String) -> Result<Option<String>, AppError> {
    Ok(super::reset::lookup(&crate::state::pool()?, &token)
        .await?
        .map(|(email, _, _)| email))
}

/// Sets a new password through a reset link: the link (and any other open one) is used,
/// every session of the user ends, and they are emailed about it.
#[server(prefix = "/api", endpoint = "auth/reset_password")]
pub async fn reset_password(
    token: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use super::notice::{account_changed, AccountChange};
    use super::password::NewPassword;
    use crate::access::data::{end_sign_ins, Ending};
    use crate::audit::data::{record, NewAuditEntry};

    let invalid = || {
        AppError::invalid(
            "This link was already used or has expired. Ask for a new one on the sign-in page.",
        )
    };
    let pool = crate::state::pool()?;
    let Some((email, full_name, org_name)) = super::reset::lookup(&pool, &token).await? else {
        return Err(invalid());
    };
    let new_password = NewPassword::parse(
        &new_password,
        &confirm_password,
        &[&email, &full_name, &org_name],
    )?;
    let hash = super::config()?.hasher.hash(&new_password).await?;
    let mut tx = pool.begin().await?;
    let Some((user_id, org_id, email, _name)) = super::reset::redeem(&mut tx, &token).await? else {
        return Err(invalid());
    };
    super::data::replace_password(&mut *tx, user_id, &hash).await?;
    end_sign_ins(&mut *tx, user_id, Ending::All).await?;
    // A sign-in waiting for its second step with the old password cannot finish either.
    account_changed(&mut tx, user_id, AccountChange::PasswordReset).await?;
    // The owner proved they read the account's email: failures by others no longer pause it.
    sqlx::query("DELETE FROM sign_in_failures WHERE lower(email) = lower($1)")
        .bind(&email)
        .execute(&mut *tx)
        .await?;
    let entry = NewAuditEntry {
        org_id: Some(org_id),
        actor_id: Some(user_id),
        actor_email: Some(email),
        ..NewAuditEntry::anonymous("auth.password_reset")
    };
    record(&mut *tx, entry.target("user", user_id)).await?;
    tx.commit().await?;
    leptos_axum::redirect("/login?reset=1");
    Ok(())
}
