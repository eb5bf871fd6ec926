//! Server functions of the pipeline: the board, adding a candidate, moving applications.

use leptos::prelude::*;
use uuid::Uuid;

use super::{Board, CandidatePipeline};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::data,
    crate::access::guard::require_role,
    crate::audit::data::{record, NewAuditEntry},
    crate::requisitions::find_for,
};

/// The requisition's board: a column per stage with its applications.
#[server(prefix = "/api", endpoint = "pipeline/board")]
pub async fn load_board(requisition_id: Uuid) -> Result<Board, AppError> {
    let user = require_role(crate::access::REQUISITION_ROLES).await?;
    let pool = crate::state::pool()?;
    let requisition = find_for(&user, &pool, requisition_id).await?;
    let (columns, config) = columns(&pool, user.org_id, requisition_id).await?;
    Ok(Board {
        requisition_id,
        status: requisition.status,
        title: requisition.title,
        openings: requisition.openings,
        columns,
        reasons: config.reasons,
        can_open_candidates: crate::access::CANDIDATE_ROLES.contains(&user.role),
        assessments: if crate::access::ASSESSMENT_MANAGE_ROLES.contains(&user.role) {
            config.assessments
        } else {
            Vec::new()
        },
    })
}

/// The board's columns (the organization's active stages in order, each with the
/// requisition's applications in it) and the rest of its configuration: two queries.
/// The caller has checked that the user may work on the requisition.
#[cfg(feature = "ssr")]
pub(crate) async fn columns(
    pool: &sqlx::PgPool,
    org_id: Uuid,
    requisition_id: Uuid,
) -> Result<(Vec<super::Column>, data::BoardConfig), AppError> {
    let mut cards = data::cards(pool, org_id, requisition_id).await?;
    let mut config = data::board_config(pool, org_id, requisition_id).await?;
    let columns = std::mem::take(&mut config.stages)
        .into_iter()
        .map(|stage| {
            let (here, rest): (Vec<_>, Vec<_>) = cards
                .drain(..)
                .partition(|(stage_id, _)| *stage_id == stage.id);
            cards = rest;
            super::Column {
                stage,
                cards: here.into_iter().map(|(_, card)| card).collect(),
            }
        })
        .collect();
    Ok((columns, config))
}

/// The candidate's applications with their history, and where they can still be added.
#[server(prefix = "/api", endpoint = "pipeline/of_candidate")]
pub async fn load_candidate_pipeline(candidate_id: Uuid) -> Result<CandidatePipeline, AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let pool = crate::state::pool()?;
    Ok(CandidatePipeline {
        applications: data::of_candidate(&pool, user.org_id, candidate_id).await?,
        open_requisitions: data::requisitions_to_join(&pool, user.org_id, candidate_id).await?,
    })
}

/// Puts a candidate into a requisition's pipeline, in its first stage.
#[server(prefix = "/api", endpoint = "pipeline/add")]
pub async fn add_to_pipeline(candidate_id: Uuid, requisition_id: Uuid) -> Result<(), AppError> {
    use crate::requisitions::RequisitionStatus;

    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let pool = crate::state::pool()?;
    let requisition = find_for(&user, &pool, requisition_id).await?;
    if matches!(
        requisition.status,
        RequisitionStatus::Cancelled | RequisitionStatus::Filled
    ) {
        return Err(AppError::invalid(format!(
            "“{}” is {} and takes no more candidates.",
            requisition.title,
            requisition.status.label().to_lowercase()
        )));
    }
    crate::candidates::data::find(&pool, user.org_id, candidate_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = pool.begin().await?;
    let stage = data::first_stage(&mut tx, user.org_id).await?;
    let id = data::insert_application(
        &mut tx,
        user.org_id,
        candidate_id,
        requisition_id,
        &stage,
        user.id,
    )
    .await
    .map_err(|error| match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => AppError::invalid(format!(
            "The candidate is already in the pipeline of “{}”.",
            requisition.title
        )),
        _ => error.into(),
    })?;
    let entry = NewAuditEntry::by(&user, "application.created")
        .target("application", id)
        .details(serde_json::json!({ "candidate": candidate_id, "requisition": requisition_id }));
    record(&mut *tx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves the chosen applications of a requisition to a stage; a rejection carries a
/// reason. When hires reach the openings, the requisition becomes filled.
#[server(prefix = "/api", endpoint = "pipeline/move")]
pub async fn move_applications(
    requisition_id: Uuid,
    application_ids: Option<Vec<Uuid>>,
    to_stage: Uuid,
    reason: Option<String>,
) -> Result<(), AppError> {
    use super::reason_for_move;

    let user = require_role(crate::access::REQUISITION_ROLES).await?;
    let pool = crate::state::pool()?;
    let requisition = find_for(&user, &pool, requisition_id).await?;
    let mut ids = application_ids.unwrap_or_default();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Err(AppError::invalid("Select at least one candidate to move."));
    }
    let reason = reason
        .filter(|r| !r.is_empty())
        .map(|r| r.parse::<Uuid>())
        .transpose()
        .map_err(|_| AppError::invalid("Choose a reason from the list."))?;

    let mut tx = pool.begin().await?;
    let stage = data::stage(&mut tx, user.org_id, to_stage)
        .await?
        .ok_or_else(|| AppError::invalid("Choose a stage from the list."))?;
    let reason = reason_for_move(&stage, reason)?;
    if let Some(reason) = reason {
        if !data::reason_exists(&mut tx, user.org_id, reason).await? {
            return Err(AppError::invalid("Choose a reason from the list."));
        }
    }
    if data::count_in_requisition(&mut tx, user.org_id, requisition_id, &ids).await?
        != ids.len() as i64
    {
        return Err(AppError::NotFound);
    }
    move_recorded(&mut tx, &user, &requisition, &ids, &stage, reason).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves applications of the requisition to `stage` as every move does: each recorded in
/// the history, the requisition's owners notified, the audit log written, and the
/// requisition filled when hires reach its openings. Returns how many moved.
#[cfg(feature = "ssr")]
pub(crate) async fn move_recorded(
    tx: &mut sqlx::PgConnection,
    user: &crate::access::guard::AuthUser,
    requisition: &crate::requisitions::data::DetailRow,
    ids: &[Uuid],
    stage: &super::Stage,
    reason: Option<Uuid>,
) -> Result<u64, AppError> {
    use super::is_filled;
    use crate::requisitions::RequisitionStatus;

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
    let entry = NewAuditEntry::by(user, "application.moved")
        .target("requisition", requisition.id)
        .details(
            serde_json::json!({ "to": stage.name, "applications": ids.len(), "moved": moved }),
        );
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
