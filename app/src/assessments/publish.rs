//! An assessment's life after its draft: publishing (every question it can ask frozen),
//! archiving, and opening the next version. Each runs on the caller's transaction and is
//! audited.

use sqlx::PgConnection;
use uuid::Uuid;

use super::data;
use super::service::{assessment_for, draft_for};
use super::AssessmentStatus;
use crate::access::guard::AuthUser;
use crate::audit::data::{record, NewAuditEntry};
use crate::error::AppError;

/// Publishes a draft: freezes a copy of every question it can ask. Refused when it has no
/// items, a fixed item's question has left the bank, or a draw asks for more questions
/// than there are.
pub async fn publish(tx: &mut PgConnection, user: &AuthUser, id: Uuid) -> Result<(), AppError> {
    let row = draft_for(user, tx, id).await?;
    let items = data::items(tx, id).await?;
    if items.is_empty() {
        return Err(AppError::invalid(
            "Add at least one question before publishing.",
        ));
    }
    let removed = data::removed_fixed_items(tx, user.org_id, id).await?;
    if !removed.is_empty() {
        let positions: Vec<String> = removed.iter().map(i32::to_string).collect();
        return Err(AppError::invalid(format!(
            "The question of item {} was removed from the bank. Remove the item or pick another question, then publish.",
            positions.join(", ")
        )));
    }
    let short = data::short_draws(tx, user.org_id, id).await?;
    if let Some((position, wanted, available)) = short.first() {
        return Err(AppError::invalid(format!(
            "Item {position} draws {wanted} questions but only {available} are available. Lower the number or add questions to the bank."
        )));
    }
    let frozen = data::freeze_questions(tx, user.org_id, id).await?;
    if frozen == 0 {
        return Err(AppError::invalid(
            "None of the items' questions is in the bank any more; add questions before publishing.",
        ));
    }
    data::set_status(
        tx,
        user.org_id,
        id,
        AssessmentStatus::Draft,
        AssessmentStatus::Published,
    )
    .await?;
    record(
        &mut *tx,
        NewAuditEntry::by(user, "assessment.published")
            .target("assessment", id)
            .details(serde_json::json!({ "version": row.version, "questions": frozen })),
    )
    .await?;
    Ok(())
}

/// Archives a published version: its running invites still work, new ones are refused. A
/// draft is refused (it was never sent to anyone, and stays a draft until published).
pub async fn archive(tx: &mut PgConnection, user: &AuthUser, id: Uuid) -> Result<(), AppError> {
    data::lock(tx, id).await?;
    let row = assessment_for(user, tx, id).await?;
    let archived = row.status == AssessmentStatus::Published
        && data::set_status(
            tx,
            user.org_id,
            id,
            AssessmentStatus::Published,
            AssessmentStatus::Archived,
        )
        .await?;
    if !archived {
        return Err(AppError::invalid(match row.status {
            AssessmentStatus::Draft => "Only a published version can be archived, and this one is a draft: no candidate can be invited to it until it is published.",
            _ => "The assessment is already archived.",
        }));
    }
    record(
        &mut *tx,
        NewAuditEntry::by(user, "assessment.archived")
            .target("assessment", id)
            .details(serde_json::json!({ "from": AssessmentStatus::Published.as_str() })),
    )
    .await?;
    Ok(())
}

/// The next version of a published assessment, opened as a draft with the same items,
/// or the draft that already exists. Returns the draft's id.
pub async fn new_version(
    tx: &mut PgConnection,
    user: &AuthUser,
    id: Uuid,
) -> Result<Uuid, AppError> {
    let row = assessment_for(user, tx, id).await?;
    data::lock_family(tx, row.family_id).await?;
    let (newest, status) = data::newest_version(tx, row.family_id).await?;
    if status == AssessmentStatus::Draft {
        return Ok(newest);
    }
    let new_id = data::copy_as_next_version(tx, newest, user.id).await?;
    record(
        &mut *tx,
        NewAuditEntry::by(user, "assessment.versioned")
            .target("assessment", new_id)
            .details(serde_json::json!({ "from": newest })),
    )
    .await?;
    Ok(new_id)
}
