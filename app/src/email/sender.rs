//! Sending queued emails: SMTP when configured, otherwise `.eml` files in a folder a
//! developer can open. An email's link is put into its text as it leaves, and the
//! statement that records how the sending ended removes it from the outbox.

use std::borrow::Cow;

use anyhow::{bail, Context};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Attachment, Body, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{EmailStatus, LINK_PLACEHOLDER};
use crate::jobs::{Attempt, Job, JobContext};
use crate::state::MailSettings;

/// How email leaves; the server binary puts one in the job context for [`SendEmail`].
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

impl Mailer {
    pub fn from_settings(settings: &MailSettings) -> anyhow::Result<Self> {
        match &settings.smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|builder| Self::Smtp(builder.build()))
                .context("invalid SMTP URL"),
            None => {
                std::fs::create_dir_all(&settings.dir).with_context(|| {
                    format!("cannot create the mail folder {}", settings.dir.display())
                })?;
                Ok(Self::Files(AsyncFileTransport::new(&settings.dir)))
            }
        }
    }

    async fn send(&self, message: Message) -> anyhow::Result<()> {
        match self {
            Self::Smtp(transport) => transport
                .send(message)
                .await
                .map(drop)
                .context("the SMTP server did not take the email"),
            Self::Files(transport) => transport
                .send(message)
                .await
                .map(drop)
                .context("could not write the email's file"),
        }
    }
}

#[derive(sqlx::FromRow)]
struct QueuedEmail {
    to_address: String,
    subject: String,
    body_text: String,
    link_url: Option<String>,
    status: EmailStatus,
    attachment_filename: Option<String>,
    attachment_content_type: Option<String>,
    attachment_body: Option<String>,
}

/// The job: sends one email of the outbox, once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendEmail {
    pub email_id: Uuid,
}

impl Job for SendEmail {
    const NAME: &'static str = "email.send";
    const MAX_ATTEMPTS: i32 = 8;

    async fn run(self, ctx: &JobContext, attempt: Attempt) -> anyhow::Result<()> {
        let mailer = ctx.get::<Mailer>()?;
        let email: Option<QueuedEmail> = sqlx::query_as(
            "SELECT to_address, subject, body_text, link_url, status, attachment_filename,
                    attachment_content_type, attachment_body
             FROM emails WHERE id = $1",
        )
        .bind(self.email_id)
        .fetch_optional(&ctx.pool)
        .await
        .context("could not read the email")?;
        // Erased since it was queued, or already sent by an earlier attempt: nothing to do.
        let Some(email) = email.filter(|email| email.status != EmailStatus::Sent) else {
            return Ok(());
        };
        let outcome = match build_message(&ctx.settings.mail.from, &email) {
            Ok(message) => mailer.send(message).await,
            Err(error) => Err(error),
        };
        let status = match (&outcome, attempt.is_last()) {
            (Ok(()), _) => EmailStatus::Sent,
            (Err(_), true) => EmailStatus::Failed,
            (Err(_), false) => return outcome,
        };
        // Sent or failed for good, the email needs its link no more.
        sqlx::query(
            "UPDATE emails SET status = $2, sent_at = CASE WHEN $2 = 'sent' THEN now() END,
                    link_url = NULL, updated_at = now()
             WHERE id = $1",
        )
        .bind(self.email_id)
        .bind(status)
        .execute(&ctx.pool)
        .await
        .with_context(|| format!("could not mark the email {status:?}"))?;
        outcome
    }
}

/// The text as it is sent: the link in place of the placeholder (the last one: callers
/// put the link after any text a person typed).
fn text_to_send(email: &QueuedEmail) -> anyhow::Result<Cow<'_, str>> {
    let body = &email.body_text;
    match &email.link_url {
        Some(link) => {
            let Some(at) = body.rfind(LINK_PLACEHOLDER) else {
                bail!("the email has a link but no place for it in its text");
            };
            let after = &body[at + LINK_PLACEHOLDER.len()..];
            Ok(Cow::Owned(format!("{}{link}{after}", &body[..at])))
        }
        // A retry of an email that failed for good: its link is gone.
        None if email.status == EmailStatus::Failed && body.contains(LINK_PLACEHOLDER) => bail!(
            "its link was removed when it failed for good; send a new invitation or link instead"
        ),
        None => Ok(Cow::Borrowed(body)),
    }
}

fn build_message(from: &str, email: &QueuedEmail) -> anyhow::Result<Message> {
    let text = text_to_send(email)?.into_owned();
    let builder = Message::builder()
        .from(from.parse().context("invalid sender address")?)
        .to(email
            .to_address
            .parse()
            .context("invalid recipient address")?)
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
        None => builder.header(ContentType::TEXT_PLAIN).body(text),
        // The text, then the file: mail programs show the text and offer the file (for
        // an invitation, calendar programs add the event from it).
        Some((filename, content_type, body)) => {
            let content_type =
                ContentType::parse(content_type).context("invalid attachment type")?;
            // Calendar text is kept readable as it is (7bit) when it can be, so the file
            // in the message is the file as written; otherwise lettre picks an encoding.
            let body = Body::new_with_encoding(body.clone(), ContentTransferEncoding::SevenBit)
                .unwrap_or_else(Body::new);
            builder.multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(text))
                    .singlepart(Attachment::new(filename.clone()).body(body, content_type)),
            )
        }
    }
    .context("could not build the email")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queued(body: &str, link: Option<&str>, status: EmailStatus) -> QueuedEmail {
        QueuedEmail {
            to_address: "ada@example.com".into(),
            subject: "Your link".into(),
            body_text: body.into(),
            link_url: link.map(Into::into),
            status,
            attachment_filename: None,
            attachment_content_type: None,
            attachment_body: None,
        }
    }

    #[test]
    fn the_link_goes_in_as_the_email_leaves_and_only_then() {
        let body = format!("Hi {LINK_PLACEHOLDER},\nStart here: {LINK_PLACEHOLDER}\nBye\n");
        let email = queued(&body, Some("http://x/test/s3cret"), EmailStatus::Queued);
        assert_eq!(
            text_to_send(&email).unwrap(),
            format!("Hi {LINK_PLACEHOLDER},\nStart here: http://x/test/s3cret\nBye\n"),
            "the last placeholder is the link's; the one before was typed by a person"
        );
        let plain = queued("No link here.", None, EmailStatus::Queued);
        assert_eq!(text_to_send(&plain).unwrap(), "No link here.");
        let nowhere = queued(
            "No place.",
            Some("http://x/test/s3cret"),
            EmailStatus::Queued,
        );
        assert!(text_to_send(&nowhere).is_err());
        let gone = queued(&body, None, EmailStatus::Failed);
        let error = text_to_send(&gone).unwrap_err().to_string();
        assert!(error.contains("send a new invitation or link"), "{error}");
    }
}
