//! Server functions of the pipeline: the board, adding a candidate, moving applications.
//! Each checks the role, then that the user may work on the requisition, then the input,
//! and calls `service.rs` in a transaction or a query of `data.rs`.

use leptos::prelude::*;
use uuid::Uuid;

use super::{Board, CandidatePipeline};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::{data, service},
    crate::access::guard::require_role,
    crate::access::REQUISITION_ROLES,
    crate::requisitions::find_for,
};

/// The requisition's board: a column per stage with its applications.
#[server(prefix = "/api", endpoint = "pipeline/board")]
pub async fn load_board(requisition_id: Uuid) -> Result<Board, AppError> {
    let user = require_role(REQUISITION_ROLES).await?;
    let pool = crate::state::pool()?;
    let requisition = find_for(&user, &pool, requisition_id).await?;
    let shows_tags = super::shows_tags(user.role);
    let (columns, config) = columns(&pool, user.org_id, requisition_id, shows_tags).await?;
    Ok(Board {
        requisition_id,
        status: requisition.status,
        title: requisition.title,
        openings: requisition.openings,
        columns,
        reasons: config.reasons,
        can_open_candidates: crate::access::CANDIDATE_PROFILE_ROLES.contains(&user.role),
        assessments: if crate::access::ASSESSMENT_MANAGE_ROLES.contains(&user.role) {
            config.assessments
        } else {
            Vec::new()
        },
    })
}

/// The board's columns (the organization's active stages in order, each with the
/// requisition's applications in it) and the rest of its configuration: two queries.
/// The cards' tags are left empty unless `with_tags` (`super::shows_tags`). The caller
/// has checked that the user may work on the requisition.
#[cfg(feature = "ssr")]
pub(crate) async fn columns(
    pool: &sqlx::PgPool,
    org_id: Uuid,
    requisition_id: Uuid,
    with_tags: bool,
) -> Result<(Vec<super::Column>, data::BoardConfig), AppError> {
    let mut cards = data::cards(pool, org_id, requisition_id).await?;
    if !with_tags {
        for (_, card) in &mut cards {
            card.tags.clear();
        }
    }
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
    use crate::access::CANDIDATE_ROLES;

    let user = require_role(CANDIDATE_ROLES).await?;
    let pool = crate::state::pool()?;
    Ok(CandidatePipeline {
        applications: data::of_candidate(&pool, user.org_id, candidate_id).await?,
        open_requisitions: data::requisitions_to_join(&pool, user.org_id, candidate_id).await?,
    })
}

/// Puts a candidate into a requisition's pipeline, in its first stage.
#[server(prefix = "/api", endpoint = "pipeline/add")]
pub async fn add_to_pipeline(
    candidate_id: Uuid,
    /// A requisition's id; empty when the menu was left at "Choose a requisition…".
    requisition_id: String,
) -> Result<(), AppError> {
    use crate::access::CANDIDATE_ROLES;

    let user = require_role(CANDIDATE_ROLES).await?;
    let requisition_id: Uuid = requisition_id
        .parse()
        .map_err(|_| AppError::invalid("Choose the requisition to add the candidate to."))?;
    let mut tx = crate::state::pool()?.begin().await?;
    let requisition = find_for(&user, &mut *tx, requisition_id).await?;
    service::add_application(&mut tx, &user, &requisition, candidate_id).await?;
    tx.commit().await?;
    crate::ui::notice::redirect_with_notice(
        &format!("/candidates/{candidate_id}"),
        &format!("Added to the pipeline of {}.", requisition.title),
    );
    Ok(())
}

/// Moves the chosen applications of a requisition to a stage; a rejection carries a
/// reason. When hires reach the openings, the requisition becomes filled.
#[server(prefix = "/api", endpoint = "pipeline/move")]
pub async fn move_applications(
    requisition_id: Uuid,
    application_ids: Option<Vec<Uuid>>,
    /// A stage's id; empty when the menu was left at "Choose a stage…".
    to_stage: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    let user = require_role(REQUISITION_ROLES).await?;
    let to_stage: Uuid = to_stage
        .parse()
        .map_err(|_| AppError::invalid("Choose the stage to move the selected candidates to."))?;
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
    let moved =
        service::move_to_stage(&mut tx, &user, &requisition, &ids, to_stage, reason).await?;
    let stage = data::stage(&mut tx, user.org_id, to_stage)
        .await?
        .ok_or(AppError::NotFound)?;
    let names = data::candidate_names(&mut tx, user.org_id, requisition_id, &ids).await?;
    tx.commit().await?;
    crate::ui::notice::redirect_with_notice(
        &format!("/requisitions/{requisition_id}/pipeline"),
        &super::moved_sentence(&names, moved, &stage.name),
    );
    Ok(())
}
