//! Inviting a person to an organization: the invitation, its one-time `/invite/…` link,
//! the email that carries it (through the outbox, sent by a job) and the audit entry.
//! The admins' server function (`invite_user`) and `are org create` (the first admin)
//! both call [`invite`].

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::data::{self, NewInvite};
use super::plan::Seats;
use crate::access::Role;
use crate::audit::data::{record, NewAuditEntry};
use crate::email::outbox::{enqueue, OutgoingEmail};
use crate::email::{EmailAddress, LINK_PLACEHOLDER};
use crate::error::AppError;

pub struct Invitation<'a> {
    pub org_id: Uuid,
    pub org_name: &'a str,
    pub email: &'a EmailAddress,
    pub full_name: &'a str,
    pub role: Role,
    /// The admin who invites (id and name), or none for an organization's first admin,
    /// invited from the command line.
    pub inviter: Option<(Uuid, &'a str)>,
    /// Where people reach the app (`Settings::public_url`), for the link.
    pub public_url: &'a str,
    /// The audit entry's actor and address ("user.invited"); the target and details are
    /// added here.
    pub audit: NewAuditEntry,
}

/// An invitation made: its id, the one-time link (its secret is nowhere else once the
/// email is sent) and when it expires.
#[derive(Debug)]
pub struct Invited {
    pub id: Uuid,
    pub link: String,
    pub expires_at: DateTime<Utc>,
}

/// Invites `email` to the organization with `role` inside the caller's transaction:
/// revokes the organization's open invitations to the address, stores the new one and
/// queues its email. Refuses an address that is already a member, and an invitation
/// beyond the organization's seats.
pub async fn invite(
    tx: &mut PgConnection,
    invitation: Invitation<'_>,
) -> Result<Invited, AppError> {
    let Invitation {
        org_id,
        org_name,
        email,
        full_name,
        role,
        inviter,
        public_url,
        audit,
    } = invitation;
    // Counted first, under the organization's lock: concurrent invitations take the
    // seats one at a time.
    let seats = data::lock_seats(tx, org_id).await?;
    if data::is_member(tx, org_id, email.as_str()).await? {
        return Err(AppError::invalid(format!(
            "{email} is already a member of {org_name}."
        )));
    }
    // Inviting an address again replaces its open invitation, which frees that seat.
    let replaced = data::revoke_open_invites_to(tx, org_id, email.as_str()).await?;
    Seats {
        used: seats.used - replaced,
        ..seats
    }
    .check_room()?;
    let token = crate::tokens::generate();
    let expires_at = Utc::now() + chrono::Duration::hours(super::INVITE_VALID_HOURS);
    let invite_id = data::insert_invite(
        tx,
        NewInvite {
            org_id,
            email: email.as_str(),
            full_name,
            role,
            token_digest: &token.digest,
            invited_by: inviter.map(|(id, _)| id),
            expires_at,
        },
    )
    .await
    .map_err(|error| match &error {
        // Another admin of the organization invited the address at the same moment.
        sqlx::Error::Database(db) if db.is_unique_violation() => AppError::invalid(format!(
            "{email} was invited a moment ago by another admin; reload the page to see it."
        )),
        _ => error.into(),
    })?;
    let link = format!("{public_url}/invite/{}", token.secret);
    let role_name = role.label().to_lowercase();
    let invited = match inviter {
        Some((_, name)) => format!("{name} invited you to join {org_name} on ARE as {role_name}."),
        None => format!("You are invited to join {org_name} on ARE as {role_name}."),
    };
    let body = format!(
        "Hello {full_name},\n\n{invited}\n\n\
         Choose your password here:\n{LINK_PLACEHOLDER}\n\n\
         The link works once and expires on {expires}.\n\n\
         If you did not expect this, ignore this email.\n",
        expires = crate::ui::time::format_time(&expires_at),
    );
    enqueue(
        tx,
        OutgoingEmail {
            org_id: Some(org_id),
            to: email.clone(),
            subject: format!("You are invited to {org_name} on ARE"),
            body_text: body,
            link: Some(link.clone()),
            related: Some(("user_invite", invite_id.to_string())),
            attachment: None,
        },
    )
    .await?;
    let entry = audit
        .target("user_invite", invite_id)
        .details(serde_json::json!({ "email": email.as_str(), "role": role.as_str() }));
    record(&mut *tx, entry).await?;
    Ok(Invited {
        id: invite_id,
        link,
        expires_at,
    })
}
