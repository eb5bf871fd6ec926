//! Reminders for overdue feedback, run by the server's maintenance loop: one email when
//! feedback is past its due time (the organization's hours after the interview ended),
//! one more after as many hours again, never a third; none for a cancelled or no-show
//! interview. Claiming a reminder and counting it sent happen in the transaction that
//! queues its email, so several processes running this send each reminder once.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::data;
use super::service::FeedbackWanted;
use crate::audit::data::{record, NewAuditEntry};
use crate::email::outbox::enqueue;
use crate::email::EmailAddress;
use crate::notifications::data::notify_in_app;
use crate::notifications::Kind;

/// Reminders claimed per transaction.
const BATCH: i64 = 100;

/// Sends the reminders due at `now`; returns how many went.
pub async fn run(pool: &PgPool, public_url: &str, now: DateTime<Utc>) -> anyhow::Result<usize> {
    use anyhow::Context;
    let mut sent = 0;
    loop {
        let mut tx = pool.begin().await.context("beginning a reminders batch")?;
        let due = data::claim_reminders(&mut tx, now, BATCH)
            .await
            .context("claiming overdue feedback reminders")?;
        let count = due.len();
        for reminder in due {
            let title = format!(
                "Your interview feedback on {} for {} is overdue",
                reminder.candidate_name, reminder.requisition_title
            );
            notify_in_app(
                &mut tx,
                reminder.org_id,
                &[reminder.interviewer_id],
                Kind::Feedback,
                &title,
                &format!("/interviews/{}", reminder.interview_id),
            )
            .await
            .context("notifying an interviewer of overdue feedback")?;
            if let Ok(to) = EmailAddress::parse(&reminder.interviewer_email) {
                let opening = if reminder.reminders >= 2 {
                    "Your interview feedback is still overdue. This is the last reminder."
                } else {
                    "Your interview feedback is overdue."
                };
                let wanted = FeedbackWanted {
                    org_id: reminder.org_id,
                    interview_id: reminder.interview_id,
                    interviewer_name: &reminder.interviewer_name,
                    candidate_name: &reminder.candidate_name,
                    requisition_title: &reminder.requisition_title,
                };
                let email = wanted.email(to, public_url, opening);
                enqueue(&mut tx, email)
                    .await
                    .context("queueing a feedback reminder")?;
            }
            let mut entry = NewAuditEntry::anonymous("feedback.reminded")
                .target("interview", reminder.interview_id)
                .details(serde_json::json!({
                    "interviewer": reminder.interviewer_id,
                    "reminder": reminder.reminders,
                }));
            entry.org_id = Some(reminder.org_id);
            entry.client_ip = None;
            record(&mut *tx, entry)
                .await
                .context("auditing a feedback reminder")?;
        }
        tx.commit().await.context("committing feedback reminders")?;
        sent += count;
        if count < BATCH as usize {
            return Ok(sent);
        }
    }
}
