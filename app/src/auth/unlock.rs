//! Signing in after the per-account limit: the limit stops password checks for the hour,
//! so that nobody can try more passwords, but failures by others must not lock the owner
//! out. The owner gets an emailed link; opening it lets this browser check a few
//! passwords again for a quarter of an hour (OWASP's guidance on lockout: a proof the
//! attacker cannot produce).

use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use crate::email::address::EmailAddress;
use crate::email::outbox::{enqueue, OutgoingEmail};
use crate::email::LINK_PLACEHOLDER;
use crate::error::AppError;

/// Where the grant sits in the (anonymous) session.
pub const UNLOCK_KEY: &str = "sign_in_unlock";
/// How long an emailed link works.
const LINK_MINUTES: i64 = 30;
/// At most one link per account in this time, however many attempts are refused.
const RESEND_MINUTES: i64 = 15;
/// What an opened link grants the browser.
const GRANT_SECS: i64 = 15 * 60;
const GRANT_ATTEMPTS: u8 = 5;

/// Password checks this browser may make for `user_id` despite the limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnlockGrant {
    pub user_id: Uuid,
    pub until: i64,
    pub attempts_left: u8,
}

impl UnlockGrant {
    pub fn new(user_id: Uuid, now: i64) -> Self {
        Self {
            user_id,
            until: now + GRANT_SECS,
            attempts_left: GRANT_ATTEMPTS,
        }
    }

    /// Takes one attempt for `user_id`; false when the grant is for someone else, used
    /// up or expired.
    pub fn take(&mut self, user_id: Uuid, now: i64) -> bool {
        if self.user_id != user_id || now >= self.until || self.attempts_left == 0 {
            return false;
        }
        self.attempts_left -= 1;
        true
    }
}

/// Emails the owner of `email` (an active account) a sign-in link, unless an unused one
/// went out in the last quarter of an hour. Says nothing about whether the account exists.
pub async fn offer(pool: &PgPool, public_url: &str, email: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "SELECT pg_advisory_xact_lock(hashtextextended('sign-in unlock ' || lower($1), 0))",
    )
    .bind(email)
    .execute(&mut *tx)
    .await?;
    let Some(super::data::ActiveAccount {
        id: user_id,
        org_id,
        email: address,
        full_name,
    }) = super::data::active_account(&mut *tx, email).await?
    else {
        return Ok(());
    };
    let link_out: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sign_in_unlocks WHERE user_id = $1 AND used_at IS NULL
                        AND created_at > now() - make_interval(mins => $2))",
    )
    .bind(user_id)
    .bind(RESEND_MINUTES as i32)
    .fetch_one(&mut *tx)
    .await?;
    if link_out {
        return Ok(());
    }
    let Ok(to) = EmailAddress::parse(&address) else {
        tracing::warn!(%user_id, "an account's stored address does not parse");
        return Ok(());
    };
    let token = crate::tokens::generate();
    sqlx::query(
        "INSERT INTO sign_in_unlocks (user_id, token_hash, expires_at)
         VALUES ($1, $2, now() + make_interval(mins => $3))",
    )
    .bind(user_id)
    .bind(&token.digest)
    .bind(LINK_MINUTES as i32)
    .execute(&mut *tx)
    .await?;
    let body = format!(
        "Hello {full_name},\n\n\
         Someone, perhaps you, failed to sign in to your ARE account many times, so signing \
         in with your password is paused for up to an hour.\n\n\
         If it was you, open this link to sign in now (it works once, for {LINK_MINUTES} \
         minutes, and you will still need your password):\n{LINK_PLACEHOLDER}\n\n\
         If it was not you, nobody got in: the pause stops anyone from trying more passwords. \
         You may still want to change your password.\n",
    );
    enqueue(
        &mut tx,
        OutgoingEmail {
            org_id: Some(org_id),
            to,
            subject: "Sign in to ARE: many failed attempts on your account".into(),
            body_text: body,
            link: Some(format!("{public_url}/unlock/{}", token.secret)),
            related: Some(("user", user_id.to_string())),
            attachment: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The address a valid, unused link is for; changes nothing.
pub async fn lookup(pool: &PgPool, secret: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT u.email FROM sign_in_unlocks s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.used_at IS NULL AND s.expires_at > now()",
    )
    .bind(crate::tokens::digest(secret))
    .fetch_optional(pool)
    .await
}

/// Uses the link once: the account it unlocks, and its organization.
pub async fn redeem(pool: &PgPool, secret: &str) -> Result<Option<(Uuid, Uuid)>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE sign_in_unlocks s SET used_at = now()
         FROM users u
         WHERE u.id = s.user_id AND s.token_hash = $1 AND s.used_at IS NULL
           AND s.expires_at > now()
         RETURNING u.id, u.org_id",
    )
    .bind(crate::tokens::digest(secret))
    .fetch_optional(pool)
    .await
}

/// Drops links a day after they expired.
pub async fn prune(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM sign_in_unlocks WHERE expires_at < now() - interval '1 day'")
            .execute(pool)
            .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grant_allows_a_few_attempts_for_its_account_for_a_quarter_of_an_hour() {
        let user = Uuid::from_u128(1);
        let mut grant = UnlockGrant::new(user, 1_000);
        assert!(!grant.take(Uuid::from_u128(2), 1_000), "another account");
        for _ in 0..GRANT_ATTEMPTS {
            assert!(grant.take(user, 1_001));
        }
        assert!(!grant.take(user, 1_002), "used up");
        let mut late = UnlockGrant::new(user, 1_000);
        assert!(!late.take(user, 1_000 + GRANT_SECS), "expired");
    }
}
