//! Sending queued emails: SMTP when configured, otherwise `.eml` files in a folder a
//! developer can open.

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Attachment, Body, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use uuid::Uuid;

use super::EmailStatus;
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
    status: EmailStatus,
    attachment_filename: Option<String>,
    attachment_content_type: Option<String>,
    attachment_body: Option<String>,
}

/// The job: sends one email of the outbox, once.
pub async fn send_email_job(ctx: JobContext, job: ClaimedJob) -> JobResult {
    let email_id: Uuid = job
        .payload
        .get("email_id")
        .and_then(|id| id.as_str())
        .and_then(|id| id.parse().ok())
        .ok_or("the job has no valid email_id")?;
    let email: Option<QueuedEmail> = sqlx::query_as(
        "SELECT to_address, subject, body_text, status, attachment_filename,
                    attachment_content_type, attachment_body
             FROM emails WHERE id = $1",
    )
    .bind(email_id)
    .fetch_optional(&ctx.pool)
    .await
    .map_err(|e| e.to_string())?;
    // Erased since it was queued, or already sent by an earlier attempt: nothing to do.
    let Some(email) = email.filter(|email| email.status != EmailStatus::Sent) else {
        return Ok(());
    };
    let outcome = match build_message(&ctx.settings.mail.from, &email) {
        Ok(message) => ctx.mailer.send(message).await,
        Err(error) => Err(error),
    };
    let status = match (&outcome, job.is_last_attempt()) {
        (Ok(()), _) => EmailStatus::Sent,
        (Err(_), true) => EmailStatus::Failed,
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
    let builder = Message::builder()
        .from(
            from.parse()
                .map_err(|e| format!("invalid sender address: {e}"))?,
        )
        .to(email
            .to_address
            .parse()
            .map_err(|e| format!("invalid recipient address: {e}"))?)
        .subject(&email.subject);
    let attachment = match (
        &email.attachment_filename,
        &email.attachment_content_type,
        &email.attachment_body,
    ) {
        (Some(filename), Some(content_type), Some(body)) => Some((filename, content_type, body)),
        _ => None,
    };
    match attachment {
        None => builder
            .header(ContentType::TEXT_PLAIN)
            .body(email.body_text.clone()),
        // The text, then the file: mail programs show the text and offer the file (for
        // an invitation, calendar programs add the event from it).
        Some((filename, content_type, body)) => {
            let content_type = ContentType::parse(content_type)
                .map_err(|e| format!("invalid attachment type: {e}"))?;
            // Calendar text is kept readable as it is (7bit) when it can be, so the file
            // in the message is the file as written; otherwise lettre picks an encoding.
            let body = Body::new_with_encoding(body.clone(), ContentTransferEncoding::SevenBit)
                .unwrap_or_else(Body::new);
            builder.multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(email.body_text.clone()))
                    .singlepart(Attachment::new(filename.clone()).body(body, content_type)),
            )
        }
    }
    .map_err(|e| e.to_string())
}
