//! Queries behind sign-in and the per-request user check.

use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

#[derive(Debug, sqlx::FromRow)]
pub struct Credentials {
    pub id: Uuid,
    pub org_id: Uuid,
    pub email: String,
    pub password_hash: String,
    pub is_active: bool,
    pub org_active: bool,
    pub session_epoch: i32,
    /// Signs in in two steps (has an authenticator app set up).
    pub has_second_factor: bool,
    /// Must set one up before signing in (an admin whose organization requires it).
    pub needs_second_factor: bool,
}

pub async fn credentials_by_email(
    pool: &PgPool,
    email: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.org_id, u.email, u.password_hash, u.is_active,
                o.is_active AS org_active, u.session_epoch,
                u.totp_secret IS NOT NULL AS has_second_factor,
                (u.role = 'admin' AND o.admins_need_two_steps) AS needs_second_factor
         FROM users u JOIN organizations o ON o.id = u.org_id
         WHERE lower(u.email) = lower($1)",
    )
    .bind(email)
    .fetch_optional(pool)
    .await
}

/// An account that can sign in (active, in an open organization): whom a sign-in or
/// reset link is emailed to.
#[derive(Debug, sqlx::FromRow)]
pub struct ActiveAccount {
    pub id: Uuid,
    pub org_id: Uuid,
    pub email: String,
    pub full_name: String,
}

pub async fn active_account<'e>(
    executor: impl PgExecutor<'e>,
    email: &str,
) -> Result<Option<ActiveAccount>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.org_id, u.email, u.full_name
         FROM users u JOIN organizations o ON o.id = u.org_id
         WHERE lower(u.email) = lower($1) AND u.is_active AND o.is_active",
    )
    .bind(email)
    .fetch_optional(executor)
    .await
}

pub async fn credentials_by_id(
    pool: &PgPool,
    user_id: Uuid,
) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.org_id, u.email, u.password_hash, u.is_active,
                o.is_active AS org_active, u.session_epoch,
                u.totp_secret IS NOT NULL AS has_second_factor,
                (u.role = 'admin' AND o.admins_need_two_steps) AS needs_second_factor
         FROM users u JOIN organizations o ON o.id = u.org_id
         WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await
}

pub async fn mark_signed_in(pool: &PgPool, user_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET previous_sign_in_at = last_sign_in_at, last_sign_in_at = now()
         WHERE id = $1",
    )
    .bind(user_id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Stores a new password hash and ends every existing session of the user; returns the
/// new session epoch for the session that stays.
pub async fn replace_password<'e>(
    executor: impl PgExecutor<'e>,
    user_id: Uuid,
    password_hash: &str,
) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE users SET password_hash = $2, session_epoch = session_epoch + 1, updated_at = now()
         WHERE id = $1 RETURNING session_epoch",
    )
    .bind(user_id)
    .bind(password_hash)
    .fetch_one(executor)
    .await
}

pub async fn set_time_zone(
    conn: &mut sqlx::PgConnection,
    user_id: Uuid,
    time_zone: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET time_zone = $2, updated_at = now() WHERE id = $1")
        .bind(user_id)
        .bind(time_zone)
        .execute(conn)
        .await?;
    Ok(())
}
