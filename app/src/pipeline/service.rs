//! What server functions call after the guard, here and in other domains: finding an
//! application the user may work on, adding a candidate to a requisition's pipeline and
//! moving applications. Each runs on the caller's transaction.

use sqlx::PgConnection;
use uuid::Uuid;

use super::data::{self, ApplicationContext};
use super::{is_filled, reason_for_move, Stage};
use crate::access::guard::AuthUser;
use crate::audit::data::{record, NewAuditEntry};
use crate::error::AppError;
use crate::requisitions::data::DetailRow;
use crate::requisitions::find_for;
use crate::requisitions::RequisitionStatus;

/// The application and its requisition, when `user` may work on that requisition.
pub async fn application_for(
    user: &AuthUser,
    conn: &mut PgConnection,
    application_id: Uuid,
) -> Result<(ApplicationContext, DetailRow), AppError> {
    let application = data::application(&mut *conn, user.org_id, application_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let requisition = find_for(user, conn, application.requisition_id).await?;
    Ok((application, requisition))
}

/// Puts a candidate of the organization into the requisition's pipeline, in the first
/// stage: the move is recorded and the audit log written. Refused when the requisition
/// takes no more candidates or has the candidate already. The caller has checked that
/// `user` may work on the requisition. Returns the application's id.
pub async fn add_application(
    tx: &mut PgConnection,
    user: &AuthUser,
    requisition: &DetailRow,
    candidate_id: Uuid,
) -> Result<Uuid, AppError> {
    let status = requisition.status;
    if matches!(
        status,
        RequisitionStatus::Cancelled | RequisitionStatus::Filled
    ) {
        return Err(AppError::invalid(format!(
            "“{}” is {} and takes no more candidates.",
            requisition.title,
            status.label().to_lowercase()
        )));
    }
    crate::candidates::data::find(&mut *tx, user.org_id, candidate_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let stage = data::first_stage(tx, user.org_id).await?;
    let id = data::insert_application(
        tx,
        user.org_id,
        candidate_id,
        requisition.id,
        &stage,
        Some(user.id),
        crate::candidates::Via::Staff,
    )
    .await
    .map_err(|error| match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => AppError::invalid(format!(
            "The candidate is already in the pipeline of “{}”.",
            requisition.title
        )),
        _ => error.into(),
    })?;
    let entry = NewAuditEntry::by(user, "application.created")
        .target("application", id)
        .details(serde_json::json!({ "candidate": candidate_id, "requisition": requisition.id }));
    record(&mut *tx, entry).await?;
    crate::skills::scores::rescore_application(&mut *tx, id).await?;
    Ok(id)
}

/// Moves applications of `requisition` (which `user` may work on; `ids` deduplicated, at
/// least one) to the stage `to_stage`, with the reason a rejection needs. Returns how
/// many moved.
pub async fn move_to_stage(
    tx: &mut PgConnection,
    user: &AuthUser,
    requisition: &DetailRow,
    ids: &[Uuid],
    to_stage: Uuid,
    reason: Option<Uuid>,
) -> Result<u64, AppError> {
    let stage = data::stage(tx, user.org_id, to_stage)
        .await?
        .ok_or_else(|| AppError::invalid("Choose a stage from the list."))?;
    let reason = reason_for_move(&stage, reason)?;
    if let Some(reason) = reason {
        if !data::reason_exists(tx, user.org_id, reason).await? {
            return Err(AppError::invalid("Choose a reason from the list."));
        }
    }
    if data::count_in_requisition(tx, user.org_id, requisition.id, ids).await? != ids.len() as i64 {
        return Err(AppError::NotFound);
    }
    move_recorded(tx, user, requisition, ids, &stage, reason).await
}

/// Moves applications of the requisition to `stage` as every move does: each recorded in
/// the history, the requisition's owners notified, the audit log written, and the
/// requisition filled when hires reach its openings. Returns how many moved.
pub async fn move_recorded(
    tx: &mut PgConnection,
    user: &AuthUser,
    requisition: &DetailRow,
    ids: &[Uuid],
    stage: &Stage,
    reason: Option<Uuid>,
) -> Result<u64, AppError> {
    let moved = data::move_many(
        &mut *tx,
        user.org_id,
        requisition.id,
        ids,
        stage,
        reason,
        user.id,
    )
    .await?;
    if moved > 0 {
        use crate::notifications::{data::notify, Kind};
        let owners: Vec<Uuid> = requisition
            .owners()
            .into_iter()
            .filter(|owner| *owner != user.id)
            .collect();
        let title = format!(
            "{} moved {moved} candidate{} to {} on {}",
            user.full_name,
            if moved == 1 { "" } else { "s" },
            stage.name,
            requisition.title
        );
        let link = format!("/requisitions/{}/pipeline", requisition.id);
        let public_url = crate::state::state()?.settings.public_url.clone();
        notify(
            &mut *tx,
            user.org_id,
            &owners,
            Kind::StageMove,
            &title,
            &link,
            &public_url,
        )
        .await?;
    }
    // One application is named (its candidate, read back as a sentence); several are
    // counted on their requisition.
    let entry = NewAuditEntry::by(user, "application.moved");
    let entry = match ids {
        [one] => entry.target("application", one),
        _ => entry.target("requisition", requisition.id),
    }
    .details(serde_json::json!({
        "to": stage.name, "requisition": requisition.id, "applications": ids.len(), "moved": moved
    }));
    record(&mut *tx, entry).await?;
    let status = requisition.status;
    if is_filled(
        data::hires(&mut *tx, requisition.id).await?,
        requisition.openings,
        status,
    ) && crate::requisitions::data::set_status(
        &mut *tx,
        user.org_id,
        requisition.id,
        status,
        RequisitionStatus::Filled,
    )
    .await?
    {
        let entry = NewAuditEntry::by(user, "requisition.status_changed")
            .target("requisition", requisition.id)
            .details(serde_json::json!({ "from": status.as_str(), "to": "filled", "because": "hires reached the openings" }));
        record(&mut *tx, entry).await?;
    }
    Ok(moved)
}
