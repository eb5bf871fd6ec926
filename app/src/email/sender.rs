//! Sending queued emails: SMTP when configured, otherwise `.eml` files in a folder a
//! developer can open.

use lettre::message::header::ContentType;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use uuid::Uuid;

use crate::jobs::queue::ClaimedJob;
use crate::jobs::worker::{JobContext, JobResult};
use crate::state::MailSettings;

pub const SEND_EMAIL: &str = "email.send";

pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

impl Mailer {
    pub fn from_settings(settings: &MailSettings) -> Result<Self, String> {
        match &settings.smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|builder| Self::Smtp(builder.build()))
                .map_err(|error| format!("invalid SMTP URL: {error}")),
            None => {
                std::fs::create_dir_all(&settings.dir).map_err(|error| {
                    format!(
                        "cannot create the mail folder {}: {error}",
                        settings.dir.display()
                    )
                })?;
                Ok(Self::Files(AsyncFileTransport::new(&settings.dir)))
            }
        }
    }

    async fn send(&self, message: Message) -> Result<(), String> {
        match self {
            Self::Smtp(transport) => transport
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Self::Files(transport) => transport
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
        }
    }
}

#[derive(sqlx::FromRow)]
struct QueuedEmail {
    to_address: String,
    subject: String,
    body_text: String,
    status: String,
}

/// The job: sends one email of the outbox, once.
pub async fn send_email_job(ctx: JobContext, job: ClaimedJob) -> JobResult {
    let email_id: Uuid = job
        .payload
        .get("email_id")
        .and_then(|id| id.as_str())
        .and_then(|id| id.parse().ok())
        .ok_or("the job has no valid email_id")?;
    let email: Option<QueuedEmail> =
        sqlx::query_as("SELECT to_address, subject, body_text, status FROM emails WHERE id = $1")
            .bind(email_id)
            .fetch_optional(&ctx.pool)
            .await
            .map_err(|e| e.to_string())?;
    // Erased since it was queued, or already sent by an earlier attempt: nothing to do.
    let Some(email) = email.filter(|email| email.status != "sent") else {
        return Ok(());
    };
    let outcome = match build_message(&ctx.settings.mail.from, &email) {
        Ok(message) => ctx.mailer.send(message).await,
        Err(error) => Err(error),
    };
    let status = match (&outcome, job.is_last_attempt()) {
        (Ok(()), _) => "sent",
        (Err(_), true) => "failed",
        (Err(_), false) => return outcome,
    };
    sqlx::query(
        "UPDATE emails SET status = $2, sent_at = CASE WHEN $2 = 'sent' THEN now() END,
                updated_at = now()
         WHERE id = $1",
    )
    .bind(email_id)
    .bind(status)
    .execute(&ctx.pool)
    .await
    .map_err(|e| e.to_string())?;
    outcome
}

fn build_message(from: &str, email: &QueuedEmail) -> Result<Message, String> {
    Message::builder()
        .from(
            from.parse()
                .map_err(|e| format!("invalid sender address: {e}"))?,
        )
        .to(email
            .to_address
            .parse()
            .map_err(|e| format!("invalid recipient address: {e}"))?)
        .subject(&email.subject)
        .header(ContentType::TEXT_PLAIN)
        .body(email.body_text.clone())
        .map_err(|e| e.to_string())
}
