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

/// An entry with its names looked up: the actor's, and the target's with where it belongs
/// (`AuditEntry::sentence`). Each branch casts `target_id` only for its own target type
/// and only when it has a uuid's shape, so ids of other shapes (a job's number, a row
/// written by hand) are never cast and never fail the page.
const SELECT_NAMED: &str = "
    SELECT a.id, a.created_at, a.actor_email, actor.full_name AS actor_name, a.action,
           a.target_type, a.target_id, t.name AS target_name, t.context AS target_context,
           a.details::text AS details, a.client_ip
    FROM audit_log a
    LEFT JOIN users actor ON actor.id = a.actor_id AND actor.org_id = a.org_id
    LEFT JOIN LATERAL (
        SELECT c.full_name AS name, NULL::text AS context FROM candidates c
        WHERE c.id = CASE WHEN a.target_type = 'candidate' AND a.target_id ~ '^[0-9a-fA-F-]{36}$' THEN a.target_id::uuid END
          AND c.org_id = a.org_id
        UNION ALL
        SELECT r.title, NULL FROM job_requisitions r
        WHERE r.id = CASE WHEN a.target_type = 'requisition' AND a.target_id ~ '^[0-9a-fA-F-]{36}$' THEN a.target_id::uuid END
          AND r.org_id = a.org_id
        UNION ALL
        SELECT c.full_name, r.title FROM applications ap
        JOIN candidates c ON c.id = ap.candidate_id
        JOIN job_requisitions r ON r.id = ap.requisition_id
        WHERE ap.id = CASE
                WHEN a.target_type = 'application' AND a.target_id ~ '^[0-9a-fA-F-]{36}$' THEN a.target_id::uuid
                WHEN a.target_type = 'note' AND a.target_id ~ '^[0-9a-fA-F-]{36}$' THEN (SELECT n.application_id FROM application_notes n
                    WHERE n.id = a.target_id::uuid AND n.org_id = a.org_id)
                WHEN a.target_type = 'interview' AND a.target_id ~ '^[0-9a-fA-F-]{36}$' THEN (SELECT i.application_id FROM interviews i
                    WHERE i.id = a.target_id::uuid AND i.org_id = a.org_id)
                WHEN a.target_type = 'interview_feedback' AND a.target_id ~ '^[0-9a-fA-F-]{36}$' THEN (SELECT i.application_id
                    FROM interview_feedback f JOIN interviews i ON i.id = f.interview_id
                    WHERE f.id = a.target_id::uuid AND i.org_id = a.org_id)
              END
          AND ap.org_id = a.org_id
        UNION ALL
        SELECT c.full_name, s.title FROM test_sessions ts
        JOIN assessments s ON s.id = ts.assessment_id
        JOIN assessment_applications aa ON aa.id = ts.assessment_application_id
        JOIN candidates c ON c.id = aa.candidate_id
        WHERE ts.id = CASE WHEN a.target_type = 'test_session' AND a.target_id ~ '^[0-9a-fA-F-]{36}$' THEN a.target_id::uuid END
          AND ts.org_id = a.org_id
        UNION ALL
        SELECT d.filename, c.full_name FROM documents d JOIN candidates c ON c.id = d.candidate_id
        WHERE d.id = CASE WHEN a.target_type = 'document' AND a.target_id ~ '^[0-9a-fA-F-]{36}$' THEN a.target_id::uuid END
          AND d.org_id = a.org_id
        UNION ALL
        SELECT u.full_name, NULL FROM users u
        WHERE u.id = CASE WHEN a.target_type = 'user' AND a.target_id ~ '^[0-9a-fA-F-]{36}$' THEN a.target_id::uuid END
          AND u.org_id = a.org_id
        UNION ALL
        SELECT v.email, NULL FROM user_invites v
        WHERE v.id = CASE WHEN a.target_type = 'user_invite' AND a.target_id ~ '^[0-9a-fA-F-]{36}$' THEN a.target_id::uuid END
          AND v.org_id = a.org_id
        UNION ALL
        SELECT s.title, NULL FROM assessments s
        WHERE s.id = CASE WHEN a.target_type = 'assessment' AND a.target_id ~ '^[0-9a-fA-F-]{36}$' THEN a.target_id::uuid END
          AND s.org_id = a.org_id
        UNION ALL
        SELECT q.title, NULL FROM question_sets q
        WHERE q.id = CASE
                WHEN a.target_type = 'question_set' AND a.target_id ~ '^[0-9a-fA-F-]{36}$' THEN a.target_id::uuid
                WHEN a.target_type = 'question' AND a.target_id ~ '^[0-9a-fA-F-]{36}$' THEN (SELECT qq.question_set_id FROM questions qq
                    WHERE qq.id = a.target_id::uuid AND qq.org_id = a.org_id)
              END
          AND q.org_id = a.org_id
        UNION ALL
        SELECT 'the interview questions of ' || r.title, NULL FROM job_requisitions r
        WHERE r.id = CASE WHEN a.target_type = 'question' AND a.target_id ~ '^[0-9a-fA-F-]{36}$' THEN (SELECT qq.requisition_id
                    FROM questions qq WHERE qq.id = a.target_id::uuid AND qq.org_id = a.org_id) END
          AND r.org_id = a.org_id
        UNION ALL
        SELECT k.name, NULL FROM skills k
        WHERE k.id = CASE WHEN a.target_type = 'skill' AND a.target_id ~ '^[0-9a-fA-F-]{36}$' THEN a.target_id::uuid END
          AND k.org_id = a.org_id
        UNION ALL
        SELECT 'the stage ' || p.name, NULL FROM pipeline_stages p
        WHERE p.id = CASE WHEN a.target_type = 'pipeline_stage' AND a.target_id ~ '^[0-9a-fA-F-]{36}$' THEN a.target_id::uuid END
          AND p.org_id = a.org_id
        UNION ALL
        SELECT 'the rejection reason ' || rr.label, NULL FROM rejection_reasons rr
        WHERE rr.id = CASE WHEN a.target_type = 'rejection_reason' AND a.target_id ~ '^[0-9a-fA-F-]{36}$' THEN a.target_id::uuid END
          AND rr.org_id = a.org_id
        UNION ALL
        SELECT o.name, NULL FROM organizations o
        WHERE o.id = CASE WHEN a.target_type = 'organization' AND a.target_id ~ '^[0-9a-fA-F-]{36}$' THEN a.target_id::uuid END
        LIMIT 1
    ) t ON true";

/// The organization's entries, newest first, matching `filter`; `limit` rows at most.
pub async fn list(
    pool: &PgPool,
    org_id: Uuid,
    filter: &AuditFilter,
    limit: i64,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let mut query: QueryBuilder<Postgres> = QueryBuilder::new(SELECT_NAMED);
    query.push(" WHERE a.org_id = ").push_bind(org_id);
    if let Some(action) = filter.action.as_deref().filter(|a| !a.is_empty()) {
        query.push(" AND a.action = ").push_bind(action.to_string());
    }
    if let Some(actor) = filter.actor.as_deref().filter(|a| !a.is_empty()) {
        query
            .push(" AND a.actor_email ILIKE ")
            .push_bind(crate::search::contains_pattern(actor));
    }
    if let Some(since) = filter.since {
        query
            .push(" AND a.created_at >= ")
            .push_bind(since.and_hms_opt(0, 0, 0).map(|t| t.and_utc()));
    }
    if let Some(until) = filter.until {
        query.push(" AND a.created_at < ").push_bind(
            until
                .succ_opt()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc()),
        );
    }
    if let Some(before) = filter.before {
        query.push(" AND a.id < ").push_bind(before);
    }
    query.push(" ORDER BY a.id DESC LIMIT ").push_bind(limit);
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
    sqlx::query_as(&format!(
        "{SELECT_NAMED} WHERE a.org_id = $1 AND a.actor_id = $2 ORDER BY a.id DESC LIMIT $3"
    ))
    .bind(org_id)
    .bind(actor_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}
