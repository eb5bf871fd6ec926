//! Writing and reading audit entries.

use serde_json::Value;
use sqlx::{PgExecutor, PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

use super::{AuditEntry, AuditFilter};
use crate::access::guard::AuthUser;
use crate::state::client_ip;

#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    pub org_id: Option<Uuid>,
    pub actor_id: Option<Uuid>,
    pub actor_email: Option<String>,
    pub action: &'static str,
    pub target_type: Option<&'static str>,
    pub target_id: Option<String>,
    pub details: Value,
    pub client_ip: Option<String>,
}

impl NewAuditEntry {
    /// An action by a signed-in staff member, from the current request's address.
    pub fn by(user: &AuthUser, action: &'static str) -> Self {
        Self {
            org_id: Some(user.org_id),
            actor_id: Some(user.id),
            actor_email: Some(user.email.clone()),
            ..Self::anonymous(action)
        }
    }

    /// An action with no signed-in actor (a failed sign-in, an accepted invite).
    pub fn anonymous(action: &'static str) -> Self {
        Self {
            org_id: None,
            actor_id: None,
            actor_email: None,
            action,
            target_type: None,
            target_id: None,
            details: Value::Object(Default::default()),
            client_ip: Some(client_ip()),
        }
    }

    pub fn target(mut self, target_type: &'static str, target_id: impl ToString) -> Self {
        self.target_type = Some(target_type);
        self.target_id = Some(target_id.to_string());
        self
    }

    pub fn details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
}

pub async fn record<'e>(
    executor: impl PgExecutor<'e>,
    entry: NewAuditEntry,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log
            (org_id, actor_id, actor_email, action, target_type, target_id, details, client_ip)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(entry.org_id)
    .bind(entry.actor_id)
    .bind(entry.actor_email)
    .bind(entry.action)
    .bind(entry.target_type)
    .bind(entry.target_id)
    .bind(entry.details)
    .bind(entry.client_ip)
    .execute(executor)
    .await?;
    Ok(())
}

/// The organization's entries, newest first, matching `filter`; `limit` rows at most.
pub async fn list(
    pool: &PgPool,
    org_id: Uuid,
    filter: &AuditFilter,
    limit: i64,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let mut query: QueryBuilder<Postgres> = QueryBuilder::new(
        "SELECT id, created_at, actor_email, action, target_type, target_id,
                details::text AS details, client_ip
         FROM audit_log WHERE org_id = ",
    );
    query.push_bind(org_id);
    if let Some(action) = filter.action.as_deref().filter(|a| !a.is_empty()) {
        query.push(" AND action = ").push_bind(action.to_string());
    }
    if let Some(actor) = filter.actor.as_deref().filter(|a| !a.is_empty()) {
        query
            .push(" AND actor_email ILIKE ")
            .push_bind(crate::search::contains_pattern(actor));
    }
    if let Some(since) = filter.since {
        query
            .push(" AND created_at >= ")
            .push_bind(since.and_hms_opt(0, 0, 0).map(|t| t.and_utc()));
    }
    if let Some(until) = filter.until {
        query.push(" AND created_at < ").push_bind(
            until
                .succ_opt()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc()),
        );
    }
    if let Some(before) = filter.before {
        query.push(" AND id < ").push_bind(before);
    }
    query.push(" ORDER BY id DESC LIMIT ").push_bind(limit);
    query.build_query_as().fetch_all(pool).await
}

/// The distinct actions recorded for the organization, for the filter's choices.
pub async fn actions(pool: &PgPool, org_id: Uuid) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT DISTINCT action FROM audit_log WHERE org_id = $1 ORDER BY action")
        .bind(org_id)
        .fetch_all(pool)
        .await
}

/// The latest entries of one person's own actions.
pub async fn recent_by_actor(
    pool: &PgPool,
    org_id: Uuid,
    actor_id: Uuid,
    limit: i64,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, created_at, actor_email, action, target_type, target_id,
                details::text AS details, client_ip
         FROM audit_log WHERE org_id = $1 AND actor_id = $2
         ORDER BY id DESC LIMIT $3",
    )
    .bind(org_id)
    .bind(actor_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}
