//! Queries of notifications and preferences.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{Kind, Notification};
use crate::email::outbox::{enqueue, OutgoingEmail};
use crate::email::EmailAddress;

/// Notifies `users` (in the caller's transaction); those who asked for this kind by email
/// get an email too, through the outbox.
pub async fn notify(
    conn: &mut PgConnection,
    org_id: Uuid,
    users: &[Uuid],
    kind: Kind,
    title: &str,
    link: &str,
    public_url: &str,
) -> Result<(), sqlx::Error> {
    if users.is_empty() {
        return Ok(());
    }
    notify_in_app(&mut *conn, org_id, users, kind, title, link).await?;
    let by_email: Vec<(Uuid, String, String)> = sqlx::query_as(
        "SELECT u.id, u.email, u.full_name FROM users u
         JOIN notification_preferences p ON p.user_id = u.id AND p.kind = $3 AND p.by_email
         WHERE u.id = ANY($1) AND u.org_id = $2 AND u.is_active",
    )
    .bind(users)
    .bind(org_id)
    .bind(kind)
    .fetch_all(&mut *conn)
    .await?;
    for (user_id, email, name) in by_email {
        let Ok(to) = EmailAddress::parse(&email) else {
            continue;
        };
        let body = format!(
            "Hello {name},\n\n{title}\n\nOpen it here:\n{public_url}{link}\n\n\
             You get this email because you asked for it; change that under Notifications in ARE.\n"
        );
        let email = OutgoingEmail {
            org_id: Some(org_id),
            to,
            subject: title.to_string(),
            body_text: body,
            link: None,
            related: crate::email::history::related_to_link(link)
                .or_else(|| Some(("user", user_id.to_string()))),
            attachment: None,
        };
        enqueue(conn, email).await?;
    }
    Ok(())
}

/// Notifies `users` in the app only: for a message whose email the caller sends itself.
pub async fn notify_in_app(
    conn: &mut PgConnection,
    org_id: Uuid,
    users: &[Uuid],
    kind: Kind,
    title: &str,
    link: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO notifications (org_id, user_id, kind, title, link)
         SELECT $1, u.id, $3, $4, $5 FROM users u WHERE u.id = ANY($2) AND u.org_id = $1 AND u.is_active",
    )
    .bind(org_id)
    .bind(users)
    .bind(kind)
    .bind(title)
    .bind(link)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn inbox(
    pool: &PgPool,
    user_id: Uuid,
    limit: i64,
) -> Result<Vec<Notification>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, title, link, is_read, created_at FROM notifications
         WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}

pub async fn unread(pool: &PgPool, user_id: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM notifications WHERE user_id = $1 AND NOT is_read")
        .bind(user_id)
        .fetch_one(pool)
        .await
}

/// Marks one of the user's notifications read; returns its link.
pub async fn mark_read(
    pool: &PgPool,
    user_id: Uuid,
    id: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE notifications SET is_read = true, read_at = coalesce(read_at, now())
         WHERE id = $1 AND user_id = $2 RETURNING link",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(pool)
    .await
}

pub async fn mark_all_read(pool: &PgPool, user_id: Uuid) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("UPDATE notifications SET is_read = true, read_at = now() WHERE user_id = $1 AND NOT is_read")
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

pub async fn email_kinds(pool: &PgPool, user_id: Uuid) -> Result<Vec<Kind>, sqlx::Error> {
    let kinds: Vec<Kind> = sqlx::query_scalar(
        "SELECT kind FROM notification_preferences WHERE user_id = $1 AND by_email",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    Ok(Kind::ALL
        .into_iter()
        .filter(|k| kinds.contains(k))
        .collect())
}

pub async fn set_email_kinds(
    conn: &mut PgConnection,
    user_id: Uuid,
    by_email: &[Kind],
) -> Result<(), sqlx::Error> {
    for kind in Kind::ALL {
        sqlx::query(
            "INSERT INTO notification_preferences (user_id, kind, by_email) VALUES ($1, $2, $3)
             ON CONFLICT (user_id, kind) DO UPDATE SET by_email = EXCLUDED.by_email",
        )
        .bind(user_id)
        .bind(kind)
        .bind(by_email.contains(&kind))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
