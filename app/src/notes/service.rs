//! What the notes' server functions call after the guard and the input checks: adding,
//! editing and deleting a note, each on the caller's transaction.

use sqlx::PgConnection;
use uuid::Uuid;

use super::{data, resolve_mentions, EDIT_WINDOW_MINUTES};
use crate::access::guard::AuthUser;
use crate::audit::data::{record, NewAuditEntry};
use crate::error::AppError;
use crate::pipeline::data::ApplicationContext;
use crate::pipeline::service::application_for;
use crate::requisitions::data::DetailRow;

/// Adds a note (`body` already checked) to an application and its requisition as
/// `application_for` found them; the colleagues it mentions are notified. Returns the
/// note's id.
pub async fn add(
    tx: &mut PgConnection,
    user: &AuthUser,
    application: &ApplicationContext,
    requisition: &DetailRow,
    body: &str,
) -> Result<Uuid, AppError> {
    use crate::notifications::{data::notify, Kind};

    let application_id = application.id;
    let people = data::mentionable(&mut *tx, user.org_id, requisition.hiring_manager_id).await?;
    let mentioned: Vec<Uuid> = resolve_mentions(body, &people)
        .into_iter()
        .filter(|id| *id != user.id)
        .collect();
    let note = data::insert(tx, user.org_id, application_id, user.id, body, &mentioned).await?;
    let title = format!(
        "{} mentioned you in a note on {} ({})",
        user.full_name, application.candidate_name, application.requisition_title
    );
    let link = format!("/applications/{application_id}");
    let public_url = crate::state::state()?.settings.public_url.clone();
    notify(
        &mut *tx,
        user.org_id,
        &mentioned,
        Kind::Mention,
        &title,
        &link,
        &public_url,
    )
    .await?;
    let entry = NewAuditEntry::by(user, "note.added")
        .target("application", application_id)
        .details(serde_json::json!({ "note": note, "mentions": mentioned.len() }));
    record(&mut *tx, entry).await?;
    Ok(note)
}

/// Changes the note to `body` (already checked) or, with `None`, deletes it: only its
/// author may, and only within the edit window.
pub async fn change(
    tx: &mut PgConnection,
    user: &AuthUser,
    note_id: Uuid,
    body: Option<&str>,
) -> Result<(), AppError> {
    let application_id = data::application_of(tx, user.org_id, note_id)
        .await?
        .ok_or(AppError::NotFound)?;
    application_for(user, tx, application_id).await?;
    if !data::change(tx, user.org_id, note_id, user.id, body, EDIT_WINDOW_MINUTES).await? {
        return Err(AppError::invalid(format!(
            "Only the author can change a note, and only within {EDIT_WINDOW_MINUTES} minutes; after that it is kept as written."
        )));
    }
    let action = if body.is_some() {
        "note.edited"
    } else {
        "note.deleted"
    };
    record(
        &mut *tx,
        NewAuditEntry::by(user, action).target("note", note_id),
    )
    .await?;
    Ok(())
}
