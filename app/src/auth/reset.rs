//! Password reset (ASVS V2.5): whoever can read an account's email sets a new password
//! through a single-use link that expires in an hour. The request is answered the same
//! way, in the same time, whether or not the address has an account: the request only
//! queues a job, and the job looks the address up and sends the link.

use anyhow::Context;
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::email::address::EmailAddress;
use crate::email::outbox::{enqueue, OutgoingEmail};
use crate::email::LINK_PLACEHOLDER;
use crate::error::AppError;
use crate::jobs::{Attempt, Job, JobContext};

const LINK_MINUTES: i32 = 60;
/// Requests an hour for one address (whether or not it has an account)…
const PER_ACCOUNT_PER_HOUR: i64 = 5;
/// …and from one client address.
const PER_CLIENT_PER_HOUR: i64 = 20;

/// Records a request and queues its job, unless a limit is reached. Under advisory locks
/// (account, then client address), so a burst is counted one request at a time.
pub async fn request(pool: &PgPool, email: &str, client_ip: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    super::throttle::lock_account_and_address(&mut tx, "reset", email, client_ip).await?;
    let (account, client): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE lower(email) = lower($1)),
                count(*) FILTER (WHERE client_ip = $2)
         FROM password_reset_requests
         WHERE (lower(email) = lower($1) OR client_ip = $2)
           AND created_at > now() - interval '1 hour'",
    )
    .bind(email)
    .bind(client_ip)
    .fetch_one(&mut *tx)
    .await?;
    if account >= PER_ACCOUNT_PER_HOUR || client >= PER_CLIENT_PER_HOUR {
        return Err(AppError::RateLimited(60));
    }
    sqlx::query("INSERT INTO password_reset_requests (email, client_ip) VALUES ($1, $2)")
        .bind(email)
        .bind(client_ip)
        .execute(&mut *tx)
        .await?;
    crate::jobs::queue::enqueue(
        &mut *tx,
        None,
        &SendPasswordReset {
            email: email.to_string(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Looks the address up and, for an active account, emails it a reset link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendPasswordReset {
    pub email: String,
}

impl Job for SendPasswordReset {
    const NAME: &'static str = "auth.password_reset";

    async fn run(self, ctx: &JobContext, _attempt: Attempt) -> anyhow::Result<()> {
        let mut tx = ctx.pool.begin().await.context("could not begin")?;
        // No account, or one that cannot sign in: nothing is sent, and the person asking
        // was told no more than that a link goes to the address if it has an account.
        issue_link(
            &mut tx,
            &ctx.settings.public_url,
            &self.email,
            "sign-in page",
        )
        .await?;
        tx.commit().await.context("could not commit")?;
        Ok(())
    }
}

/// Makes a reset link for the active account that signs in with `email` and queues its
/// email (in `conn`'s transaction); the link, or `None` when no such account exists.
/// The job above calls it, and so does `are user reset-password`; `asked_through` says
/// which, for the audit (whoever asked is not known: not necessarily the owner). Any
/// older open link of the account stops working.
pub async fn issue_link(
    conn: &mut PgConnection,
    public_url: &str,
    email: &str,
    asked_through: &'static str,
) -> anyhow::Result<Option<String>> {
    let owner = super::data::active_account(&mut *conn, email)
        .await
        .context("could not look the address up")?;
    let Some(super::data::ActiveAccount {
        id: user_id,
        org_id,
        email: address,
        full_name,
    }) = owner
    else {
        return Ok(None);
    };
    let to = EmailAddress::parse(&address).context("the stored address does not parse")?;
    sqlx::query(
        "UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(user_id)
    .execute(&mut *conn)
    .await
    .context("could not close older links")?;
    let token = crate::tokens::generate();
    sqlx::query(
        "INSERT INTO password_resets (user_id, token_hash, expires_at)
         VALUES ($1, $2, now() + make_interval(mins => $3))",
    )
    .bind(user_id)
    .bind(&token.digest)
    .bind(LINK_MINUTES)
    .execute(&mut *conn)
    .await
    .context("could not store the link")?;
    let link = format!("{public_url}/reset/{}", token.secret);
    let body = format!(
        "Hello {full_name},\n\n\
         Someone, perhaps you, asked to reset the password of your ARE account.\n\n\
         To choose a new password, open this link (it works once, for an hour):\n\
         {LINK_PLACEHOLDER}\n\n\
         If you did not ask, ignore this email: your password stays as it is.\n"
    );
    enqueue(
        conn,
        OutgoingEmail {
            org_id: Some(org_id),
            to,
            subject: "Reset your ARE password".into(),
            body_text: body,
            link: Some(link.clone()),
            related: Some(("user", user_id.to_string())),
            attachment: None,
        },
    )
    .await
    .context("could not queue the email")?;
    crate::audit::data::record(
        &mut *conn,
        crate::audit::data::NewAuditEntry {
            org_id: Some(org_id),
            actor_id: None,
            actor_email: None,
            action: "auth.password_reset_sent",
            target_type: Some("user"),
            target_id: Some(user_id.to_string()),
            details: serde_json::json!({ "email": address, "asked_through": asked_through }),
            client_ip: None,
        },
    )
    .await
    .context("could not record the audit entry")?;
    Ok(Some(link))
}

/// Whom a valid, unused link is for (address, name, organization); changes nothing.
pub async fn lookup(
    pool: &PgPool,
    secret: &str,
) -> Result<Option<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.email, u.full_name, o.name
         FROM password_resets r JOIN users u ON u.id = r.user_id
              JOIN organizations o ON o.id = u.org_id
         WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > now()
           AND u.is_active AND o.is_active",
    )
    .bind(crate::tokens::digest(secret))
    .fetch_optional(pool)
    .await
}

/// Whom a valid link is for: id, organization, address and name.
pub type ResetOwner = (Uuid, Uuid, String, String);

/// Uses the link (and every other open link of the same user): the account it resets.
pub async fn redeem(
    conn: &mut PgConnection,
    secret: &str,
) -> Result<Option<ResetOwner>, sqlx::Error> {
    let owner: Option<ResetOwner> = sqlx::query_as(
        "UPDATE password_resets r SET used_at = now()
         FROM users u JOIN organizations o ON o.id = u.org_id
         WHERE u.id = r.user_id AND r.token_hash = $1 AND r.used_at IS NULL
           AND r.expires_at > now() AND u.is_active AND o.is_active
         RETURNING u.id, u.org_id, u.email, u.full_name",
    )
    .bind(crate::tokens::digest(secret))
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((user_id, ..)) = &owner {
        sqlx::query(
            "UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(owner)
}

/// Drops requests and links a day after any limit or link could use them.
pub async fn prune(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM password_reset_requests WHERE created_at < now() - interval '1 day'")
        .execute(pool)
        .await?;
    sqlx::query("DELETE FROM password_resets WHERE expires_at < now() - interval '1 day'")
        .execute(pool)
        .await?;
    Ok(())
}
