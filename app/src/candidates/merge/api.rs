//! Server functions of merging candidates (admins and recruiters).

use leptos::prelude::*;
use uuid::Uuid;

use super::MergeChoice;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::{data, merged, MergePreview},
    crate::access::guard::require_role,
    crate::audit::data::{record, NewAuditEntry},
};

/// What the merge page shows for candidate `id`: possible duplicates, and with `other`
/// (an id or email address) the preview of merging that record into this one.
#[server(prefix = "/api", endpoint = "candidates/merge_preview")]
pub async fn load_merge(id: Uuid, other: Option<String>) -> Result<MergeChoice, AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let pool = crate::state::pool()?;
    let mut conn = pool.acquire().await?;
    let kept = data::side(&mut conn, user.org_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let other = other.as_deref().map(str::trim).filter(|o| !o.is_empty());
    let (mut preview, mut problem) = (None, None);
    if let Some(other) = other {
        match data::find_other(&mut *conn, user.org_id, id, other).await? {
            None => {
                problem = Some(format!(
                    "No other candidate has the email address \"{other}\"."
                ))
            }
            Some(other_id) => {
                let duplicate = data::side(&mut conn, user.org_id, other_id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                preview = Some(MergePreview {
                    result: merged(&kept.fields, &duplicate.fields),
                    shared_requisitions: kept
                        .requisitions
                        .iter()
                        .filter(|r| duplicate.requisitions.contains(r))
                        .cloned()
                        .collect(),
                    kept: kept.clone(),
                    duplicate,
                });
            }
        }
    }
    Ok(MergeChoice {
        candidate_id: id,
        candidate_name: kept.fields.full_name.clone(),
        suggestions: data::suggestions(&mut *conn, user.org_id, id).await?,
        preview,
        problem,
    })
}

/// Merges the candidate `duplicate_id` into `id` and retires the duplicate.
#[server(prefix = "/api", endpoint = "candidates/merge")]
pub async fn merge_candidates(id: Uuid, duplicate_id: Uuid) -> Result<(), AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    if id == duplicate_id {
        return Err(AppError::invalid(
            "A candidate cannot be merged into itself.",
        ));
    }
    let mut tx = crate::state::pool()?.begin().await?;
    if data::lock(&mut tx, user.org_id, &[id, duplicate_id]).await? != 2 {
        return Err(AppError::NotFound);
    }
    let kept = data::side(&mut tx, user.org_id, id).await?;
    let duplicate = data::side(&mut tx, user.org_id, duplicate_id).await?;
    let (Some(kept), Some(duplicate)) = (kept, duplicate) else {
        return Err(AppError::NotFound);
    };
    let fields = merged(&kept.fields, &duplicate.fields);
    let moved = data::merge(&mut tx, user.org_id, id, duplicate_id, &fields).await?;
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "candidate.merged")
            .target("candidate", id)
            .details(serde_json::json!({
                "duplicate_id": duplicate_id,
                "duplicate_email": duplicate.fields.email,
                "applications_moved": moved,
            })),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/candidates/{id}"));
    Ok(())
}
