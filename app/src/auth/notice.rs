//! The email a user gets whenever their password or second factor changes, so a change
//! they did not make does not go unnoticed (ASVS 2.2.3). Written in the transaction of the
//! change.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::email::address::EmailAddress;
use crate::email::outbox::{enqueue, OutgoingEmail};
use crate::error::AppError;

/// What changed on the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountChange {
    Password,
    /// Reset through a link emailed to the account's address.
    PasswordReset,
    SecondFactorOn,
    SecondFactorOff,
    RecoveryCodesRenewed,
}

impl AccountChange {
    fn subject(self) -> &'static str {
        match self {
            Self::Password => "Your ARE password was changed",
            Self::PasswordReset => "Your ARE password was reset",
            Self::SecondFactorOn => "Two-step sign-in is on for your ARE account",
            Self::SecondFactorOff => "Two-step sign-in was turned off for your ARE account",
            Self::RecoveryCodesRenewed => "New recovery codes for your ARE account",
        }
    }

    fn if_not_you(self) -> &'static str {
        match self {
            Self::PasswordReset => {
                "someone can read your email: tell your organization's admin at once, secure \
                 your mailbox, and reset the password again with \"Forgot your password?\"."
            }
            _ => {
                "someone else may have your password: tell your organization's admin at once, \
                 and change your password."
            }
        }
    }

    fn what(self) -> &'static str {
        match self {
            Self::Password => "the password of your ARE account was changed",
            Self::PasswordReset => {
                "the password of your ARE account was reset through a link emailed to this \
                 address, and every session of the account was signed out"
            }
            Self::SecondFactorOn => {
                "two-step sign-in (an authenticator app's code) was turned on for your ARE account"
            }
            Self::SecondFactorOff => "two-step sign-in was turned off for your ARE account",
            Self::RecoveryCodesRenewed => {
                "new recovery codes were made for your ARE account; the old ones no longer work"
            }
        }
    }
}

/// Emails the user `user_id` that `change` happened, when and from which address.
pub async fn account_changed(
    conn: &mut PgConnection,
    user_id: Uuid,
    change: AccountChange,
) -> Result<(), AppError> {
    let (org_id, email, full_name, time_zone): (Uuid, String, String, String) =
        sqlx::query_as("SELECT org_id, email, full_name, time_zone FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&mut *conn)
            .await?;
    let to = EmailAddress::parse(&email)?;
    let when = crate::ui::time::format_in_zone(
        &chrono::Utc::now(),
        crate::ui::time::zone_or_utc(&time_zone),
    );
    let body = format!(
        "Hello {full_name},\n\n\
         On {when}, {what}, from the address {ip}.\n\n\
         If this was you, there is nothing to do.\n\
         If it was not, {if_not_you}\n",
        what = change.what(),
        if_not_you = change.if_not_you(),
        ip = crate::state::client_ip(),
    );
    enqueue(
        conn,
        OutgoingEmail {
            org_id: Some(org_id),
            to,
            subject: change.subject().into(),
            body_text: body,
            link: None,
            related: Some(("user", user_id.to_string())),
            attachment: None,
        },
    )
    .await?;
    Ok(())
}
