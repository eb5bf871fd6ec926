//! Queries of the organization's users and invitations. Every one is scoped by org.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

use super::plan::{Plan, Seats};
use super::{InviteInfo, InviteSummary, TeamCounts, UserSummary};
use crate::access::Role;

pub async fn list_users(pool: &PgPool, org_id: Uuid) -> Result<Vec<UserSummary>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, full_name, email, role, is_active, last_sign_in_at
         FROM users WHERE org_id = $1 ORDER BY is_active DESC, lower(full_name)",
    )
    .bind(org_id)
    .fetch_all(pool)
    .await
}

/// Invitations not yet accepted, revoked or expired.
pub async fn pending_invites(
    pool: &PgPool,
    org_id: Uuid,
) -> Result<Vec<InviteSummary>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id, i.email, i.full_name, i.role, i.expires_at, u.full_name AS invited_by
         FROM user_invites i LEFT JOIN users u ON u.id = i.invited_by
         WHERE i.org_id = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL
           AND i.expires_at > now()
         ORDER BY i.created_at DESC",
    )
    .bind(org_id)
    .fetch_all(pool)
    .await
}

/// Whether `email` is the address of one of the organization's own users. Accounts of
/// other organizations are not looked at: their admins learn nothing about them.
pub async fn is_member(
    conn: &mut PgConnection,
    org_id: Uuid,
    email: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users WHERE org_id = $1 AND lower(email) = lower($2))",
    )
    .bind(org_id)
    .bind(email)
    .fetch_one(conn)
    .await
}

/// Withdraws the organization's open invitation to `email`, expired or not, if any (a new
/// one replaces it; the unique index counts an expired one as open). Returns how many
/// of those withdrawn had not expired: the seats they held.
pub async fn revoke_open_invites_to(
    conn: &mut PgConnection,
    org_id: Uuid,
    email: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "WITH revoked AS (
            UPDATE user_invites SET revoked_at = now(), updated_at = now()
            WHERE org_id = $1 AND lower(email) = lower($2) AND accepted_at IS NULL
              AND revoked_at IS NULL
            RETURNING expires_at)
         SELECT count(*) FILTER (WHERE expires_at > now()) FROM revoked",
    )
    .bind(org_id)
    .bind(email)
    .fetch_one(conn)
    .await
}

pub struct NewInvite<'a> {
    pub org_id: Uuid,
    pub email: &'a str,
    pub full_name: &'a str,
    pub role: Role,
    pub token_digest: &'a [u8],
    /// None for an organization's first admin, invited from the command line.
    pub invited_by: Option<Uuid>,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert_invite(
    conn: &mut PgConnection,
    invite: NewInvite<'_>,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO user_invites (org_id, email, full_name, role, token_hash, invited_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(invite.org_id)
    .bind(invite.email)
    .bind(invite.full_name)
    .bind(invite.role)
    .bind(invite.token_digest)
    .bind(invite.invited_by)
    .bind(invite.expires_at)
    .fetch_one(conn)
    .await
}

/// Revokes an open invitation of the organization; false when there is none.
pub async fn revoke_invite<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
    invite_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE user_invites SET revoked_at = now(), updated_at = now()
         WHERE id = $1 AND org_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(invite_id)
    .bind(org_id)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, sqlx::FromRow)]
pub struct OpenInvite {
    pub id: Uuid,
    pub org_id: Uuid,
    pub org_name: String,
    pub email: String,
    pub full_name: String,
    pub role: Role,
    /// The address is already the account of a user of another organization.
    pub account_elsewhere: bool,
}

impl OpenInvite {
    pub fn info(&self) -> InviteInfo {
        InviteInfo {
            email: self.email.clone(),
            full_name: self.full_name.clone(),
            org_name: self.org_name.clone(),
            role: self.role,
            account_elsewhere: self.account_elsewhere,
        }
    }
}

/// The usable invitation behind a link: not accepted, not revoked, not expired.
/// With `lock`, the row stays locked until the transaction ends (accepting it).
pub async fn open_invite_by_digest(
    conn: &mut PgConnection,
    digest: &[u8],
    lock: bool,
) -> Result<Option<OpenInvite>, sqlx::Error> {
    let sql = format!(
        "SELECT i.id, i.org_id, o.name AS org_name, i.email, i.full_name, i.role,
                EXISTS (SELECT 1 FROM users u
                        WHERE lower(u.email) = lower(i.email) AND u.org_id <> i.org_id)
                    AS account_elsewhere
         FROM user_invites i JOIN organizations o ON o.id = i.org_id
         WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL
           AND i.expires_at > now() AND o.is_active
         {}",
        if lock { "FOR UPDATE OF i" } else { "" }
    );
    sqlx::query_as(&sql).bind(digest).fetch_optional(conn).await
}

pub async fn mark_invite_accepted(
    conn: &mut PgConnection,
    invite_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE user_invites SET accepted_at = now(), updated_at = now() WHERE id = $1")
        .bind(invite_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub struct NewUser<'a> {
    pub org_id: Uuid,
    pub email: &'a str,
    pub full_name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
}

pub async fn insert_user<'e>(
    executor: impl PgExecutor<'e>,
    user: NewUser<'_>,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (org_id, email, full_name, role, password_hash)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(user.org_id)
    .bind(user.email)
    .bind(user.full_name)
    .bind(user.role)
    .bind(user.password_hash)
    .fetch_one(executor)
    .await
}

/// Sets the role of a user of the organization; returns the previous role, or None when
/// the organization has no such user.
pub async fn set_role(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
    role: Role,
) -> Result<Option<Role>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE users u SET role = $3, updated_at = now()
         FROM (SELECT id, role FROM users WHERE id = $1 AND org_id = $2 FOR UPDATE) old
         WHERE u.id = old.id
         RETURNING old.role",
    )
    .bind(user_id)
    .bind(org_id)
    .bind(role)
    .fetch_optional(conn)
    .await
}

/// Activates or deactivates a user of the organization. Deactivation also moves the
/// session epoch, so every open session fails on its next request.
pub async fn set_active<'e>(
    executor: impl PgExecutor<'e>,
    org_id: Uuid,
    user_id: Uuid,
    active: bool,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE users SET is_active = $3,
                session_epoch = session_epoch + CASE WHEN $3 THEN 0 ELSE 1 END,
                updated_at = now()
         WHERE id = $1 AND org_id = $2",
    )
    .bind(user_id)
    .bind(org_id)
    .bind(active)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn team_counts(pool: &PgPool, org_id: Uuid) -> Result<TeamCounts, sqlx::Error> {
    sqlx::query_as(
        "SELECT (SELECT count(*) FROM users WHERE org_id = $1 AND is_active) AS active_users,
                (SELECT count(*) FROM users WHERE org_id = $1 AND NOT is_active) AS inactive_users,
                (SELECT count(*) FROM user_invites WHERE org_id = $1 AND accepted_at IS NULL
                    AND revoked_at IS NULL AND expires_at > now()) AS pending_invites",
    )
    .bind(org_id)
    .fetch_one(pool)
    .await
}

/// Creates an organization on the free plan with its seats, the default pipeline stages
/// and rejection reasons (`are org create`, sign-up, the demo data, the benchmark
/// generators and tests).
pub async fn create_organization(
    conn: &mut PgConnection,
    name: &str,
    slug: &str,
) -> Result<Uuid, sqlx::Error> {
    let plan = Plan::Free;
    let org_id: Uuid = sqlx::query_scalar(
        "INSERT INTO organizations (name, slug, plan, seats) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(name)
    .bind(slug)
    .bind(plan)
    .bind(plan.default_seats())
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("SELECT are_seed_org_defaults($1)")
        .bind(org_id)
        .execute(&mut *conn)
        .await?;
    Ok(org_id)
}

/// The organization's plan, its seats and how many are taken (active accounts and open
/// invitations).
const SEATS: &str = "SELECT o.plan, o.seats::int8 AS total,
        (SELECT count(*) FROM users u WHERE u.org_id = o.id AND u.is_active)
        + (SELECT count(*) FROM user_invites i WHERE i.org_id = o.id AND i.accepted_at IS NULL
             AND i.revoked_at IS NULL AND i.expires_at > now()) AS used
     FROM organizations o WHERE o.id = $1";

#[derive(sqlx::FromRow)]
struct SeatsRow {
    plan: Plan,
    total: i64,
    used: i64,
}

impl From<SeatsRow> for Seats {
    fn from(row: SeatsRow) -> Self {
        Seats {
            plan: row.plan,
            total: row.total,
            used: row.used,
        }
    }
}

/// The organization's seats, as the Users page shows them.
pub async fn seats<'e>(executor: impl PgExecutor<'e>, org_id: Uuid) -> Result<Seats, sqlx::Error> {
    let row: SeatsRow = sqlx::query_as(SEATS)
        .bind(org_id)
        .fetch_one(executor)
        .await?;
    Ok(row.into())
}

/// The organization's seats, counted under a lock on the organization's row that lasts
/// until the transaction ends: every change that may take a seat (an invitation, a
/// reactivation) takes it first, so two at once cannot both take the last seat. The
/// lock (`FOR NO KEY UPDATE`) does not hold up the rows that only refer to the
/// organization. The count is a statement of its own, after the lock: one that waited
/// for the lock sees what its holder committed.
pub async fn lock_seats(conn: &mut PgConnection, org_id: Uuid) -> Result<Seats, sqlx::Error> {
    sqlx::query("SELECT 1 FROM organizations WHERE id = $1 FOR NO KEY UPDATE")
        .bind(org_id)
        .fetch_one(&mut *conn)
        .await?;
    seats(conn, org_id).await
}

/// Whether the organization has this user, deactivated.
pub async fn is_deactivated(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND org_id = $2 AND NOT is_active)",
    )
    .bind(user_id)
    .bind(org_id)
    .fetch_one(conn)
    .await
}
