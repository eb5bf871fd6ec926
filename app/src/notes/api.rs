//! Server functions of an application's page and its notes.

use leptos::prelude::*;
use uuid::Uuid;

use super::NoteView;
use crate::error::AppError;
use crate::pipeline::StageChange;

#[cfg(feature = "ssr")]
use {
    super::{data, service},
    crate::access::guard::require_role,
    crate::access::REQUISITION_ROLES,
    crate::pipeline::service::application_for,
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

#[server(prefix = "/api", endpoint = "applications/get")]
pub async fn load_application(id: Uuid) -> Result<ApplicationDetail, AppError> {
    let user = require_role(REQUISITION_ROLES).await?;
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
        // Whoever may work on the requisition may open the candidate's profile: a
        // hiring manager the limited one (`access::profile_view`).
        can_open_candidate: crate::access::CANDIDATE_PROFILE_ROLES.contains(&user.role),
    })
}

/// Adds a note; the colleagues it mentions are notified.
#[server(prefix = "/api", endpoint = "notes/add")]
pub async fn add_note(application_id: Uuid, body: String) -> Result<(), AppError> {
    let user = require_role(REQUISITION_ROLES).await?;
    let pool = crate::state::pool()?;
    let (application, requisition) =
        application_for(&user, &mut *pool.acquire().await?, application_id).await?;
    let body = super::parse_body(&body)?;
    let mut tx = pool.begin().await?;
    service::add(&mut tx, &user, &application, &requisition, &body).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(feature = "ssr")]
async fn change_note(note_id: Uuid, body: Option<String>) -> Result<(), AppError> {
    let user = require_role(REQUISITION_ROLES).await?;
    let body = body.map(|body| super::parse_body(&body)).transpose()?;
    let mut tx = crate::state::pool()?.begin().await?;
    service::change(&mut tx, &user, note_id, body.as_deref()).await?;
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
