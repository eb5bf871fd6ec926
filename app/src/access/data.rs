//! The per-request user check's query.

use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, sqlx::FromRow)]
pub struct SessionUser {
    pub id: Uuid,
    pub org_id: Uuid,
    pub org_name: String,
    pub email: String,
    pub full_name: String,
    pub role: super::Role,
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
