//! Queries behind sign-in and the per-request user check.

use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use crate::roles::Role;

#[derive(Debug, sqlx::FromRow)]
pub struct Credentials {
    pub id: Uuid,
    pub org_id: Uuid,
    pub email: String,
    pub password_hash: String,
    pub is_active: bool,
    pub org_active: bool,
    pub session_epoch: i32,
}

pub async fn credentials_by_email(
    pool: &PgPool,
    email: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.org_id, u.email, u.password_hash, u.is_active,
                o.is_active AS org_active, u.session_epoch
         FROM users u JOIN organizations o ON o.id = u.org_id
         WHERE lower(u.email) = lower($1)",
    )
    .bind(email)
    .fetch_optional(pool)
    .await
}

pub async fn credentials_by_id(
    pool: &PgPool,
    user_id: Uuid,
) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.org_id, u.email, u.password_hash, u.is_active,
                o.is_active AS org_active, u.session_epoch
         FROM users u JOIN organizations o ON o.id = u.org_id
         WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct SessionUser {
    pub id: Uuid,
    pub org_id: Uuid,
    pub org_name: String,
    pub email: String,
    pub full_name: String,
    pub role: Role,
    pub is_active: bool,
    pub org_active: bool,
    pub session_epoch: i32,
    pub unread_notifications: i64,
    pub time_zone: String,
    /// Whether the session is still in the store (not signed out, not expired).
    pub session_exists: bool,
}

/// The signed-in user, and whether their session `session_id` (as the session store
/// names it) is still stored. The session record itself may come from the server's
/// short-lived cache (`are::session_cache`), so this is where a sign-out made through
/// any server process is seen; `None` for a session this request has only just begun.
pub async fn session_user(
    pool: &PgPool,
    user_id: Uuid,
    session_id: Option<&str>,
) -> Result<Option<SessionUser>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.org_id, o.name AS org_name, u.email, u.full_name, u.role,
                u.is_active, o.is_active AS org_active, u.session_epoch, u.time_zone,
                (SELECT count(*) FROM notifications n WHERE n.user_id = u.id AND NOT n.is_read)
                    AS unread_notifications,
                ($2::text IS NULL OR EXISTS (
                    SELECT 1 FROM tower_sessions.session s
                    WHERE s.id = $2 AND s.expiry_date > now())) AS session_exists
         FROM users u JOIN organizations o ON o.id = u.org_id
         WHERE u.id = $1",
    )
    .bind(user_id)
    .bind(session_id)
    .fetch_optional(pool)
    .await
}

pub async fn mark_signed_in(pool: &PgPool, user_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET last_sign_in_at = now() WHERE id = $1")
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
