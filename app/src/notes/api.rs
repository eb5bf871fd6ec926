//! Server functions of an application's page and its notes.

use leptos::prelude::*;
use uuid::Uuid;

use super::NoteView;
use crate::error::AppError;
use crate::pipeline::StageChange;

#[cfg(feature = "ssr")]
use {
    super::data,
    crate::access::guard::{require_role, AuthUser},
    crate::audit::data::{record, NewAuditEntry},
    crate::requisitions::find_for,
    sqlx::PgConnection,
};

/// One application with its history and notes, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ApplicationDetail {
    pub id: Uuid,
    pub candidate_id: Uuid,
    pub candidate_name: String,
    pub requisition_id: Uuid,
    pub requisition_title: String,
    pub stage: String,
    pub history: Vec<StageChange>,
    pub notes: Vec<NoteView>,
    pub can_open_candidate: bool,
}

/// The application when `user` may work on its requisition; `conn` may be the caller's
/// transaction.
#[cfg(feature = "ssr")]
async fn application_for(
    user: &AuthUser,
    conn: &mut PgConnection,
    application_id: Uuid,
) -> Result<
    (
        data::ApplicationContext,
        crate::requisitions::data::DetailRow,
    ),
    AppError,
> {
    let application = data::application(&mut *conn, user.org_id, application_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let requisition = find_for(user, conn, application.requisition_id).await?;
    Ok((application, requisition))
}

#[server(prefix = "/api", endpoint = "applications/get")]
pub async fn load_application(id: Uuid) -> Result<ApplicationDetail, AppError> {
    let user = require_role(crate::access::REQUISITION_ROLES).await?;
    let pool = crate::state::pool()?;
    let (application, _) = application_for(&user, &mut *pool.acquire().await?, id).await?;
    let now = chrono::Utc::now();
    let notes = data::of_application(&pool, user.org_id, id)
        .await?
        .into_iter()
        .map(|note| NoteView {
            id: note.id,
            can_change: super::can_change(note.author_id, user.id, note.created_at, now),
            author: note.author,
            body_html: crate::markdown::to_safe_html(&note.body_md),
            body_md: note.body_md,
            created_at: note.created_at,
            edited_at: note.edited_at,
        })
        .collect();
    let history = crate::pipeline::data::history(&pool, user.org_id, id).await?;
    Ok(ApplicationDetail {
        id,
        candidate_id: application.candidate_id,
        candidate_name: application.candidate_name,
        requisition_id: application.requisition_id,
        requisition_title: application.requisition_title,
        stage: application.stage,
        history,
        notes,
        can_open_candidate: crate::access::CANDIDATE_ROLES.contains(&user.role),
    })
}

/// Adds a note; the colleagues it mentions are notified.
#[server(prefix = "/api", endpoint = "notes/add")]
pub async fn add_note(application_id: Uuid, body: String) -> Result<(), AppError> {
    use crate::notifications::{data::notify, Kind};

    let user = require_role(crate::access::REQUISITION_ROLES).await?;
    let state = crate::state::state()?;
    let (application, requisition) =
        application_for(&user, &mut *state.pool.acquire().await?, application_id).await?;
    let body = super::parse_body(&body)?;
    let people = data::mentionable(&state.pool, user.org_id, requisition.hiring_manager_id).await?;
    let mentioned: Vec<Uuid> = super::resolve_mentions(&body, &people)
        .into_iter()
        .filter(|id| *id != user.id)
        .collect();
    let mut tx = state.pool.begin().await?;
    let note = data::insert(
        &mut tx,
        user.org_id,
        application_id,
        user.id,
        &body,
        &mentioned,
    )
    .await?;
    let title = format!(
        "{} mentioned you in a note on {} ({})",
        user.full_name, application.candidate_name, application.requisition_title
    );
    let link = format!("/applications/{application_id}");
    notify(
        &mut tx,
        user.org_id,
        &mentioned,
        Kind::Mention,
        &title,
        &link,
        &state.settings.public_url,
    )
    .await?;
    let entry = NewAuditEntry::by(&user, "note.added")
        .target("application", application_id)
        .details(serde_json::json!({ "note": note, "mentions": mentioned.len() }));
    record(&mut *tx, entry).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(feature = "ssr")]
async fn change_note(note_id: Uuid, body: Option<String>) -> Result<(), AppError> {
    let user = require_role(crate::access::REQUISITION_ROLES).await?;
    let pool = crate::state::pool()?;
    let body = body.map(|body| super::parse_body(&body)).transpose()?;
    let mut tx = pool.begin().await?;
    let application_id = data::application_of(&mut tx, user.org_id, note_id)
        .await?
        .ok_or(AppError::NotFound)?;
    application_for(&user, &mut tx, application_id).await?;
    if !data::change(
        &mut tx,
        user.org_id,
        note_id,
        user.id,
        body.as_deref(),
        super::EDIT_WINDOW_MINUTES,
    )
    .await?
    {
        return Err(AppError::invalid(format!(
            "Only the author can change a note, and only within {} minutes; after that it is kept as written.",
            super::EDIT_WINDOW_MINUTES
        )));
    }
    let action = if body.is_some() {
        "note.edited"
    } else {
        "note.deleted"
    };
    record(
        &mut *tx,
        NewAuditEntry::by(&user, action).target("note", note_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "notes/edit")]
pub async fn edit_note(note_id: Uuid, body: String) -> Result<(), AppError> {
    change_note(note_id, Some(body)).await
}

#[server(prefix = "/api", endpoint = "notes/delete")]
pub async fn delete_note(note_id: Uuid) -> Result<(), AppError> {
    change_note(note_id, None).await
}
