//! Queries of sign-ups (`org_signups`) and of the requests their limits count
//! (`org_signup_requests`).

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

use super::PendingSignUp;

/// Whether an organization has the slug. Sign-ups waiting for their link hold no slug:
/// the first to be confirmed gets it, and the others are told to choose another.
pub async fn organization_has_slug<'e>(
    executor: impl PgExecutor<'e>,
    slug: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM organizations WHERE slug = $1)")
        .bind(slug)
        .fetch_one(executor)
        .await
}

/// Requests of the last hour for `email` and from `client_ip`, and the minutes until
/// the older of the two limits' first request stops counting.
#[derive(Debug, sqlx::FromRow)]
pub struct RecentRequests {
    pub for_email: i64,
    pub from_client: i64,
    pub minutes_until_email_frees: Option<f64>,
    pub minutes_until_client_frees: Option<f64>,
}

pub async fn recent_requests(
    conn: &mut PgConnection,
    email: &str,
    client_ip: &str,
) -> Result<RecentRequests, sqlx::Error> {
    sqlx::query_as(
        "SELECT count(*) FILTER (WHERE lower(email) = lower($1)) AS for_email,
                count(*) FILTER (WHERE client_ip = $2) AS from_client,
                (extract(epoch FROM min(created_at) FILTER (WHERE lower(email) = lower($1))
                    + interval '1 hour' - now()) / 60)::float8 AS minutes_until_email_frees,
                (extract(epoch FROM min(created_at) FILTER (WHERE client_ip = $2)
                    + interval '1 hour' - now()) / 60)::float8 AS minutes_until_client_frees
         FROM org_signup_requests
         WHERE (lower(email) = lower($1) OR client_ip = $2)
           AND created_at > now() - interval '1 hour'",
    )
    .bind(email)
    .bind(client_ip)
    .fetch_one(conn)
    .await
}

pub async fn record_request(
    conn: &mut PgConnection,
    email: &str,
    client_ip: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO org_signup_requests (email, client_ip) VALUES ($1, $2)")
        .bind(email)
        .bind(client_ip)
        .execute(conn)
        .await?;
    Ok(())
}

pub struct NewSignUp<'a> {
    pub org_name: &'a str,
    pub slug: &'a str,
    pub full_name: &'a str,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub client_ip: &'a str,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert(conn: &mut PgConnection, sign_up: NewSignUp<'_>) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO org_signups
            (org_name, slug, full_name, email, password_hash, client_ip, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(sign_up.org_name)
    .bind(sign_up.slug)
    .bind(sign_up.full_name)
    .bind(sign_up.email)
    .bind(sign_up.password_hash)
    .bind(sign_up.client_ip)
    .bind(sign_up.expires_at)
    .fetch_one(conn)
    .await
}

/// A sign-up waiting for its link to be emailed, locked until the transaction ends.
#[derive(Debug, sqlx::FromRow)]
pub struct AwaitingLink {
    pub org_name: String,
    pub slug: String,
    pub full_name: String,
    pub email: String,
    pub expires_at: DateTime<Utc>,
}

pub async fn awaiting_link(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<AwaitingLink>, sqlx::Error> {
    sqlx::query_as(
        "SELECT org_name, slug, full_name, email, expires_at FROM org_signups
         WHERE id = $1 AND token_hash IS NULL AND closed_at IS NULL AND expires_at > now()
         FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Whether any account (of any organization, active or not) signs in with `email`.
pub async fn email_has_account(conn: &mut PgConnection, email: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($1))")
        .bind(email)
        .fetch_one(conn)
        .await
}

pub async fn set_link(conn: &mut PgConnection, id: Uuid, digest: &[u8]) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE org_signups SET token_hash = $2 WHERE id = $1")
        .bind(id)
        .bind(digest)
        .execute(conn)
        .await?;
    Ok(())
}

/// Closes a sign-up: its link (if any) works no more and its password hash is gone.
pub async fn close<'e>(executor: impl PgExecutor<'e>, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE org_signups SET closed_at = now(), password_hash = ''
         WHERE id = $1 AND closed_at IS NULL",
    )
    .bind(id)
    .execute(executor)
    .await?;
    Ok(())
}

/// A sign-up whose link is valid: emailed, not used or closed, not expired.
#[derive(Debug, sqlx::FromRow)]
pub struct OpenSignUp {
    pub id: Uuid,
    pub org_name: String,
    pub slug: String,
    pub full_name: String,
    pub email: String,
    pub password_hash: String,
}

impl OpenSignUp {
    pub fn pending(&self) -> PendingSignUp {
        PendingSignUp {
            org_name: self.org_name.clone(),
            slug: self.slug.clone(),
            full_name: self.full_name.clone(),
            email: self.email.clone(),
        }
    }
}

/// The sign-up behind a link's digest; with `lock`, its row stays locked until the
/// transaction ends (using it).
pub async fn open_by_digest(
    conn: &mut PgConnection,
    digest: &[u8],
    lock: bool,
) -> Result<Option<OpenSignUp>, sqlx::Error> {
    let sql = format!(
        "SELECT id, org_name, slug, full_name, email, password_hash FROM org_signups
         WHERE token_hash = $1 AND closed_at IS NULL AND expires_at > now() {}",
        if lock { "FOR UPDATE" } else { "" }
    );
    sqlx::query_as(&sql).bind(digest).fetch_optional(conn).await
}

/// A password attempt reserved with a link: the sign-up, and how many attempts it has
/// now counted (this one included).
#[derive(Debug, sqlx::FromRow)]
pub struct ReservedAttempt {
    pub id: Uuid,
    pub password_hash: String,
    pub failed_attempts: i32,
}

/// Counts a password attempt with a link before the password is checked, in one statement,
/// so parallel requests can never check more than `max`; none when the link is not usable
/// or its attempts are spent.
pub async fn reserve_attempt<'e>(
    executor: impl PgExecutor<'e>,
    digest: &[u8],
    max: i32,
) -> Result<Option<ReservedAttempt>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE org_signups SET failed_attempts = failed_attempts + 1
         WHERE token_hash = $1 AND closed_at IS NULL AND expires_at > now()
           AND failed_attempts < $2
         RETURNING id, password_hash, failed_attempts",
    )
    .bind(digest)
    .bind(max)
    .fetch_optional(executor)
    .await
}

/// Gives back an attempt whose password was right.
pub async fn right_password(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE org_signups SET failed_attempts = failed_attempts - 1
         WHERE id = $1 AND failed_attempts > 0",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The sign-up made its organization: the link is used (and the password hash, now the
/// admin's, is kept only there).
pub async fn mark_used(conn: &mut PgConnection, id: Uuid, org_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE org_signups SET closed_at = now(), org_id = $2, password_hash = '' WHERE id = $1",
    )
    .bind(id)
    .bind(org_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Drops requests a day after any limit could count them, and sign-ups a day after they
/// expired (their password hashes with them).
pub async fn prune(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM org_signup_requests WHERE created_at < now() - interval '1 day'")
        .execute(pool)
        .await?;
    sqlx::query("DELETE FROM org_signups WHERE expires_at < now() - interval '1 day'")
        .execute(pool)
        .await?;
    Ok(())
}
