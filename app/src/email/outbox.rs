//! Putting an email in the outbox: the message row and the job that sends it are written
//! in the caller's transaction, so an email exists exactly when the change it reports does.

use sqlx::PgConnection;
use uuid::Uuid;

use super::address::EmailAddress;
use super::sender::SendEmail;

#[derive(Debug, Clone)]
pub struct OutgoingEmail {
    pub org_id: Option<Uuid>,
    pub to: EmailAddress,
    pub subject: String,
    pub body_text: String,
    /// A link with a secret in it, which `body_text` names by [`super::LINK_PLACEHOLDER`]
    /// (after any text a person typed): stored only until the email is sent.
    pub link: Option<String>,
    /// What the email is about (for the history on that object's page).
    pub related: Option<(&'static str, String)>,
    pub attachment: Option<Attachment>,
}

/// A file sent with the email (a calendar invitation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    /// The full MIME type, e.g. `text/calendar; method=REQUEST; charset=UTF-8`.
    pub content_type: String,
    pub body: String,
}

pub async fn enqueue(conn: &mut PgConnection, email: OutgoingEmail) -> Result<Uuid, sqlx::Error> {
    let (related_type, related_id) = email.related.unzip();
    let attachment = email.attachment.as_ref();
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO emails (org_id, to_address, subject, body_text, link_url, related_type,
                             related_id, attachment_filename, attachment_content_type,
                             attachment_body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(email.org_id)
    .bind(email.to.as_str())
    .bind(&email.subject)
    .bind(&email.body_text)
    .bind(&email.link)
    .bind(related_type)
    .bind(related_id)
    .bind(attachment.map(|a| &a.filename))
    .bind(attachment.map(|a| &a.content_type))
    .bind(attachment.map(|a| &a.body))
    .fetch_one(&mut *conn)
    .await?;
    crate::jobs::queue::enqueue(&mut *conn, email.org_id, &SendEmail { email_id: id }).await?;
    Ok(id)
}
