//! Invite links (seed AssessmentToken): issuing one per assessment application, the email
//! that carries it, the reminder before expiry, and revoking.
//!
//! At most one link of an application is live: every new link (a re-invite, "Resend", the
//! reminder, a further attempt) revokes the one before it when that one has not started a
//! test. The link's secret exists only in the email; the database keeps its SHA-256.

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

use super::AssessmentStatus;
use crate::email::outbox::{enqueue, OutgoingEmail};
use crate::email::EmailAddress;
use crate::error::AppError;
use crate::jobs::{Attempt, Job, JobContext};

/// Why a link is sent, which decides the email's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkEmail {
    First,
    /// "Resend", a re-invite or a further attempt: the link replaces an earlier one.
    Replacement,
    Reminder,
}

/// What the email needs to say.
#[derive(Debug, Clone)]
pub struct LinkContext {
    pub org_name: String,
    pub candidate_name: String,
    pub assessment_title: String,
    pub time_limit_minutes: i32,
    pub message: String,
    pub expires_at: DateTime<Utc>,
    pub link: String,
}

/// The subject and text of an invite email.
pub fn link_email(kind: LinkEmail, ctx: &LinkContext, now: DateTime<Utc>) -> (String, String) {
    let subject = match kind {
        LinkEmail::First | LinkEmail::Replacement => {
            format!(
                "{}: your assessment “{}”",
                ctx.org_name, ctx.assessment_title
            )
        }
        LinkEmail::Reminder => format!(
            "Reminder: your assessment “{}” for {}",
            ctx.assessment_title, ctx.org_name
        ),
    };
    let opening = match kind {
        LinkEmail::First => format!(
            "{} invites you to take the assessment “{}”.",
            ctx.org_name, ctx.assessment_title
        ),
        LinkEmail::Replacement => format!(
            "{} sends you a new link to the assessment “{}”. This link replaces the one sent earlier, which no longer works.",
            ctx.org_name, ctx.assessment_title
        ),
        LinkEmail::Reminder => format!(
            "A reminder: you have not started the assessment “{}” from {} yet. This link replaces the one sent earlier, which no longer works.",
            ctx.assessment_title, ctx.org_name
        ),
    };
    let message = if ctx.message.trim().is_empty() {
        String::new()
    } else {
        format!("\n{}\n", ctx.message.trim())
    };
    let body = format!(
        "Hello {},\n\n{opening}\n{message}\n\
         Time limit: {} minutes, counted from when you start.\n\
         The link works until {} ({}).\n\n\
         Start here: {}\n\n\
         The link is personal: do not share it. It starts one test only.\n",
        ctx.candidate_name,
        ctx.time_limit_minutes,
        ctx.expires_at.format("%A %-d %B %Y, %H:%M UTC"),
        super::time_left_in_words(now, ctx.expires_at),
        ctx.link,
    );
    (subject, body)
}

#[derive(sqlx::FromRow)]
struct ApplicationRow {
    org_id: Uuid,
    org_name: String,
    candidate_id: Uuid,
    candidate_name: String,
    candidate_email: String,
    assessment_title: String,
    assessment_status: AssessmentStatus,
    available_until: Option<DateTime<Utc>>,
    time_limit_minutes: i32,
    attempts_allowed: i32,
    sessions: i64,
    running: bool,
}

/// Issues a new link for the assessment application and emails it, after the checks:
/// the assessment takes invites, no test is running, attempts remain. An earlier link that
/// has not started a test is revoked. Returns the new token's id.
pub async fn issue_link(
    conn: &mut PgConnection,
    public_url: &str,
    assessment_application_id: Uuid,
    message: &str,
    expires_at: DateTime<Utc>,
    by: Option<Uuid>,
    kind: LinkEmail,
) -> Result<Uuid, AppError> {
    let row: ApplicationRow = sqlx::query_as(
        "SELECT aa.org_id, o.name AS org_name, c.id AS candidate_id, c.full_name AS candidate_name,
                c.email AS candidate_email, a.title AS assessment_title,
                a.status AS assessment_status, a.available_until, a.time_limit_minutes,
                a.attempts_allowed,
                (SELECT count(*) FROM test_sessions s WHERE s.assessment_application_id = aa.id) AS sessions,
                EXISTS (SELECT 1 FROM test_sessions s WHERE s.assessment_application_id = aa.id
                        AND s.status = 'in_progress') AS running
         FROM assessment_applications aa
         JOIN organizations o ON o.id = aa.org_id
         JOIN candidates c ON c.id = aa.candidate_id
         JOIN assessments a ON a.id = aa.assessment_id
         WHERE aa.id = $1
         FOR UPDATE OF aa",
    )
    .bind(assessment_application_id)
    .fetch_one(&mut *conn)
    .await?;
    let now = Utc::now();
    if row.assessment_status != AssessmentStatus::Published {
        return Err(AppError::invalid(
            "Only a published assessment takes invites. Publish it first (an archived one takes none).",
        ));
    }
    if row.available_until.is_some_and(|until| until <= now) {
        return Err(AppError::invalid(
            "The assessment's availability has ended. Extend it in a new version to invite again.",
        ));
    }
    if row.running {
        return Err(AppError::invalid(format!(
            "{} is taking the test right now; wait until they finish.",
            row.candidate_name
        )));
    }
    if row.sessions >= i64::from(row.attempts_allowed) {
        return Err(AppError::invalid(format!(
            "{} has used all {} attempt{} this assessment allows.",
            row.candidate_name,
            row.attempts_allowed,
            if row.attempts_allowed == 1 { "" } else { "s" }
        )));
    }
    let to = EmailAddress::parse(&row.candidate_email).map_err(|_| {
        AppError::invalid(format!(
            "{}'s email address “{}” cannot receive mail; correct it on their profile first.",
            row.candidate_name, row.candidate_email
        ))
    })?;
    revoke_unstarted(&mut *conn, assessment_application_id, by).await?;
    let token = crate::tokens::generate();
    let reminded = kind == LinkEmail::Reminder;
    let token_id: Uuid = sqlx::query_scalar(
        "INSERT INTO assessment_tokens (org_id, assessment_application_id, token_hash, message,
             expires_at, sent_at, reminded_at, created_by)
         VALUES ($1, $2, $3, $4, $5, now(), CASE WHEN $6 THEN now() END, $7) RETURNING id",
    )
    .bind(row.org_id)
    .bind(assessment_application_id)
    .bind(&token.digest)
    .bind(message)
    .bind(expires_at)
    .bind(reminded)
    .bind(by)
    .fetch_one(&mut *conn)
    .await?;
    let ctx = LinkContext {
        org_name: row.org_name,
        candidate_name: row.candidate_name,
        assessment_title: row.assessment_title,
        time_limit_minutes: row.time_limit_minutes,
        message: message.to_string(),
        expires_at,
        link: format!("{public_url}/test/{}", token.secret),
    };
    let (subject, body_text) = link_email(kind, &ctx, now);
    enqueue(
        &mut *conn,
        OutgoingEmail {
            org_id: Some(row.org_id),
            to,
            subject,
            body_text,
            related: Some(("candidate", row.candidate_id.to_string())),
            attachment: None,
        },
    )
    .await?;
    if !reminded {
        crate::jobs::queue::enqueue_at(
            &mut *conn,
            Some(row.org_id),
            &RemindInvite { token_id },
            super::reminder_at(now, expires_at),
        )
        .await?;
    }
    Ok(token_id)
}

/// Revokes the application's links that have not started a test; returns how many.
async fn revoke_unstarted(
    conn: &mut PgConnection,
    assessment_application_id: Uuid,
    by: Option<Uuid>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE assessment_tokens t SET revoked_at = now(), revoked_by = $2, updated_at = now()
         WHERE t.assessment_application_id = $1 AND t.revoked_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM test_sessions s WHERE s.token_id = t.id)",
    )
    .bind(assessment_application_id)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// A token of the organization: (assessment application, assessment, expires, message,
/// created, whether it is live and unstarted).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRow {
    pub id: Uuid,
    pub assessment_application_id: Uuid,
    pub assessment_id: Uuid,
    pub candidate_id: Uuid,
    pub message: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub live: bool,
    pub started: bool,
}

pub async fn token(
    conn: &mut PgConnection,
    org_id: Uuid,
    token_id: Uuid,
) -> Result<Option<TokenRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.id, t.assessment_application_id, aa.assessment_id, aa.candidate_id, t.message,
                t.created_at, t.expires_at,
                (t.revoked_at IS NULL AND t.expires_at > now()
                 AND NOT EXISTS (SELECT 1 FROM test_sessions s WHERE s.token_id = t.id)) AS live,
                EXISTS (SELECT 1 FROM test_sessions s WHERE s.token_id = t.id) AS started
         FROM assessment_tokens t
         JOIN assessment_applications aa ON aa.id = t.assessment_application_id
         WHERE t.id = $1 AND t.org_id = $2",
    )
    .bind(token_id)
    .bind(org_id)
    .fetch_optional(conn)
    .await
}

/// Revokes one link that has not started a test; false when there was nothing to revoke.
pub async fn revoke(
    conn: &mut PgConnection,
    token_id: Uuid,
    by: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE assessment_tokens t SET revoked_at = now(), revoked_by = $2, updated_at = now()
         WHERE t.id = $1 AND t.revoked_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM test_sessions s WHERE s.token_id = t.id)",
    )
    .bind(token_id)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How long a replacement link lasts: as long as the one it replaces was given, at least a day.
pub fn replacement_expiry(old: &TokenRow, now: DateTime<Utc>) -> DateTime<Utc> {
    now + (old.expires_at - old.created_at).max(Duration::days(1))
}

/// The reminder job: when the link is still live, unstarted and unreminded, a new link
/// with the same expiry replaces it. Anything else (started, revoked, expired, reminded)
/// ends the job quietly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemindInvite {
    pub token_id: Uuid,
}

impl Job for RemindInvite {
    const NAME: &'static str = "assessment.remind";

    async fn run(self, ctx: &JobContext, _attempt: Attempt) -> anyhow::Result<()> {
        let token_id = self.token_id;
        let mut tx = ctx
            .pool
            .begin()
            .await
            .context("could not begin a transaction")?;
        let due: Option<(Uuid, String, DateTime<Utc>)> = sqlx::query_as(
            "UPDATE assessment_tokens t SET reminded_at = now(), updated_at = now()
             WHERE t.id = $1 AND t.revoked_at IS NULL AND t.reminded_at IS NULL
               AND t.expires_at > now()
               AND NOT EXISTS (SELECT 1 FROM test_sessions s WHERE s.token_id = t.id)
             RETURNING t.assessment_application_id, t.message, t.expires_at",
        )
        .bind(token_id)
        .fetch_optional(&mut *tx)
        .await
        .context("could not mark the link reminded")?;
        let Some((application, message, expires_at)) = due else {
            return Ok(());
        };
        match issue_link(
            &mut tx,
            &ctx.settings.public_url,
            application,
            &message,
            expires_at,
            None,
            LinkEmail::Reminder,
        )
        .await
        {
            Ok(_) => {}
            // The assessment no longer takes invites: nothing to remind of.
            Err(AppError::Invalid(reason)) => {
                tracing::info!(%token_id, reason, "no reminder sent");
                return Ok(());
            }
            Err(error) => return Err(error).context("could not issue the reminder's link"),
        }
        tx.commit().await.context("could not commit the reminder")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_email_says_what_when_and_how_long() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap();
        let ctx = LinkContext {
            org_name: "Acme".into(),
            candidate_name: "Ada".into(),
            assessment_title: "Aptitude".into(),
            time_limit_minutes: 30,
            message: "Good luck!".into(),
            expires_at: now + Duration::days(7),
            link: "http://x/test/secret".into(),
        };
        let (subject, body) = link_email(LinkEmail::First, &ctx, now);
        assert_eq!(subject, "Acme: your assessment “Aptitude”");
        assert!(body.contains("Good luck!"));
        assert!(body.contains("30 minutes"));
        assert!(body.contains("Sunday 29 November 2026, 10:00 UTC (in 7 days)"));
        assert!(body.contains("http://x/test/secret"));
        let (_, again) = link_email(LinkEmail::Replacement, &ctx, now);
        assert!(again.contains("replaces the one sent earlier"));
        let (subject, _) = link_email(LinkEmail::Reminder, &ctx, now);
        assert!(subject.starts_with("Reminder"));
    }
}
