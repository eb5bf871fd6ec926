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
    /// Whether this sign-in's row is still open (not signed out here or elsewhere).
    pub session_open: bool,
    /// An admin without a second step in an organization that requires one: no session
    /// of theirs is valid (their next sign-in sets one up).
    pub lacks_required_second_step: bool,
}

/// The signed-in user, and whether their sign-in `sign_in` is still open. The session
/// record itself may come from the server's short-lived cache (`are::session_cache`) or
/// be written again by a request that was in flight at sign-out, so this is where a
/// sign-out made through any server process is seen.
pub async fn session_user(
    pool: &PgPool,
    user_id: Uuid,
    sign_in: Uuid,
) -> Result<Option<SessionUser>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.org_id, o.name AS org_name, u.email, u.full_name, u.role,
                u.is_active, o.is_active AS org_active, u.session_epoch, u.time_zone,
                (SELECT count(*) FROM notifications n WHERE n.user_id = u.id AND NOT n.is_read)
                    AS unread_notifications,
                EXISTS (SELECT 1 FROM staff_sessions s
                        WHERE s.id = $2 AND s.user_id = u.id AND s.ended_at IS NULL)
                    AS session_open,
                (u.role = 'admin' AND o.admins_need_two_steps AND u.totp_secret IS NULL)
                    AS lacks_required_second_step
         FROM users u JOIN organizations o ON o.id = u.org_id
         WHERE u.id = $1",
    )
    .bind(user_id)
    .bind(sign_in)
    .fetch_optional(pool)
    .await
}

/// Opens a sign-in's row: what the user's list of sessions shows of it.
pub async fn open_sign_in<'e>(
    executor: impl sqlx::PgExecutor<'e>,
    user_id: Uuid,
    user_agent: &str,
    client_ip: &str,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO staff_sessions (user_id, user_agent, client_ip) VALUES ($1, $2, $3)
         RETURNING id",
    )
    .bind(user_id)
    .bind(user_agent)
    .bind(client_ip)
    .fetch_one(executor)
    .await
}

/// Notes that the sign-in was used (at most once a minute, with the idle clock).
pub async fn touch_sign_in(
    pool: &PgPool,
    sign_in: Uuid,
    client_ip: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE staff_sessions SET last_seen_at = now(), client_ip = $2 WHERE id = $1")
        .bind(sign_in)
        .bind(client_ip)
        .execute(pool)
        .await?;
    Ok(())
}

/// Which of a user's sign-ins to end.
pub enum Ending {
    This(Uuid),
    AllBut(Uuid),
    All,
}

/// Ends sign-ins of `user_id`; how many of them still worked (as the list shows them).
pub async fn end_sign_ins<'e>(
    executor: impl sqlx::PgExecutor<'e>,
    user_id: Uuid,
    which: Ending,
) -> Result<u64, sqlx::Error> {
    let (only, except) = match which {
        Ending::This(id) => (Some(id), None),
        Ending::AllBut(id) => (None, Some(id)),
        Ending::All => (None, None),
    };
    let live: i64 = sqlx::query_scalar(
        "WITH ended AS (
             UPDATE staff_sessions SET ended_at = now()
             WHERE user_id = $1 AND ended_at IS NULL
               AND ($2::uuid IS NULL OR id = $2) AND ($3::uuid IS NULL OR id <> $3)
             RETURNING last_seen_at, created_at)
         SELECT count(*) FROM ended
         WHERE last_seen_at > now() - make_interval(secs => $4)
           AND created_at > now() - make_interval(secs => $5)",
    )
    .bind(user_id)
    .bind(only)
    .bind(except)
    .bind(super::session::IDLE_TIMEOUT_SECS as f64)
    .bind(super::session::ABSOLUTE_LIFETIME_SECS as f64)
    .fetch_one(executor)
    .await?;
    Ok(live as u64)
}

#[derive(Debug, sqlx::FromRow)]
pub struct SignInRow {
    pub id: Uuid,
    pub user_agent: String,
    pub client_ip: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
}

/// The user's sign-ins that still work: open, used within the idle timeout and younger
/// than the absolute lifetime; most recently used first.
pub async fn live_sign_ins(pool: &PgPool, user_id: Uuid) -> Result<Vec<SignInRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, user_agent, client_ip, created_at, last_seen_at FROM staff_sessions
         WHERE user_id = $1 AND ended_at IS NULL
           AND last_seen_at > now() - make_interval(secs => $2)
           AND created_at > now() - make_interval(secs => $3)
         ORDER BY last_seen_at DESC",
    )
    .bind(user_id)
    .bind(super::session::IDLE_TIMEOUT_SECS as f64)
    .bind(super::session::ABSOLUTE_LIFETIME_SECS as f64)
    .fetch_all(pool)
    .await
}

/// Drops sign-ins that ended or went stale more than a month ago.
pub async fn prune_sign_ins(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM staff_sessions
         WHERE coalesce(ended_at, last_seen_at) < now() - interval '30 days'",
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}
