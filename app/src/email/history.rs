//! The emails sent about a candidate, for their profile: those tied to the candidate
//! and those tied to one of their applications or interviews (notifications link to
//! the application or interview, so they are kept against it).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::EmailStatus;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct EmailRecord {
    pub to_address: String,
    pub subject: String,
    pub status: EmailStatus,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl EmailRecord {
    pub fn status_label(&self) -> &'static str {
        match self.status {
            EmailStatus::Sent => "Sent",
            EmailStatus::Failed => "Not delivered",
            EmailStatus::Queued => "Waiting to be sent",
        }
    }
}

/// What an email is about, from the page it links to: `/applications/<id>` and
/// `/interviews/<id>` make it part of that candidate's history.
pub fn related_to_link(link: &str) -> Option<(&'static str, String)> {
    let (kind, rest) = if let Some(rest) = link.strip_prefix("/applications/") {
        ("application", rest)
    } else if let Some(rest) = link.strip_prefix("/interviews/") {
        ("interview", rest)
    } else {
        return None;
    };
    let id = rest.split(['/', '?', '#']).next()?;
    uuid::Uuid::parse_str(id)
        .ok()
        .map(|id| (kind, id.to_string()))
}

/// The emails of organization `$1` about any of the candidates `$2` (uuid[]): tied to
/// the candidate, to one of their applications, or to one of their interviews.
#[cfg(feature = "ssr")]
const ABOUT_CANDIDATES: &str = "e.org_id = $1 AND (
    (e.related_type = 'candidate' AND e.related_id = ANY(SELECT unnest($2::uuid[])::text))
    OR (e.related_type = 'application' AND e.related_id IN (
        SELECT a.id::text FROM applications a WHERE a.candidate_id = ANY($2) AND a.org_id = $1))
    OR (e.related_type = 'interview' AND e.related_id IN (
        SELECT i.id::text FROM interviews i JOIN applications a ON a.id = i.application_id
        WHERE a.candidate_id = ANY($2) AND a.org_id = $1)))";

#[cfg(feature = "ssr")]
pub async fn about_candidate(
    pool: &sqlx::PgPool,
    org_id: uuid::Uuid,
    candidate_id: uuid::Uuid,
) -> Result<Vec<EmailRecord>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT e.to_address, e.subject, e.status, e.created_at, e.sent_at FROM emails e
         WHERE {ABOUT_CANDIDATES} ORDER BY e.created_at DESC LIMIT 200"
    ))
    .bind(org_id)
    .bind([candidate_id])
    .fetch_all(pool)
    .await
}

/// Deletes the emails about these candidates (when their records are deleted).
#[cfg(feature = "ssr")]
pub async fn delete_about(
    conn: &mut sqlx::PgConnection,
    org_id: uuid::Uuid,
    candidate_ids: &[uuid::Uuid],
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("DELETE FROM emails e WHERE {ABOUT_CANDIDATES}"))
        .bind(org_id)
        .bind(candidate_ids)
        .execute(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_applications_and_interviews_relate_the_email() {
        let id = "6f1d2c8e-8a55-4b7a-9a53-2f3e1c0d9b11";
        assert_eq!(
            related_to_link(&format!("/applications/{id}#notes")),
            Some(("application", id.to_string()))
        );
        assert_eq!(
            related_to_link(&format!("/interviews/{id}")),
            Some(("interview", id.to_string()))
        );
        assert_eq!(related_to_link("/notifications"), None);
        assert_eq!(related_to_link("/applications/not-an-id"), None);
    }
}
