//! Server functions of scorecards and interview plans: whoever may work on the
//! requisition (admins, recruiters, its hiring manager) reads and changes them; every
//! change is audited. Changing a scorecard never changes feedback already given: feedback
//! keeps the attributes and anchors it was given.

use leptos::prelude::*;
use uuid::Uuid;

use super::{AttributeForm, Scorecard, StageForm};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::{data, skill_anchors, Category, NewAttribute, NewStage, MAX_ATTRIBUTES, MAX_STAGES},
    crate::access::guard::{require_role, AuthUser},
    crate::access::{Role, REQUISITION_ROLES},
    crate::audit::data::{record, NewAuditEntry},
    crate::requisitions::find_for,
    sqlx::PgConnection,
};

#[cfg(feature = "ssr")]
async fn audit(
    conn: &mut PgConnection,
    user: &AuthUser,
    action: &'static str,
    requisition_id: Uuid,
    details: serde_json::Value,
) -> Result<(), AppError> {
    record(
        conn,
        NewAuditEntry::by(user, action)
            .target("requisition", requisition_id)
            .details(details),
    )
    .await?;
    Ok(())
}

#[cfg(feature = "ssr")]
async fn check_room(
    conn: &mut PgConnection,
    requisition_id: Uuid,
    adding: usize,
) -> Result<(), AppError> {
    let count = data::count_attributes(conn, requisition_id).await? as usize;
    if count + adding > MAX_ATTRIBUTES {
        return Err(AppError::invalid(format!(
            "A scorecard holds at most {MAX_ATTRIBUTES} attributes; remove one first."
        )));
    }
    Ok(())
}

/// A requisition's scorecard and plan, with what their forms offer.
#[server(prefix = "/api", endpoint = "scorecards/get")]
pub async fn load_scorecard(requisition_id: Uuid) -> Result<Scorecard, AppError> {
    let user = require_role(REQUISITION_ROLES).await?;
    let pool = crate::state::pool()?;
    let requisition = find_for(&user, &pool, requisition_id).await?;
    let managed_by = (user.role == Role::HiringManager).then_some(user.id);
    Ok(Scorecard {
        requisition_id,
        requisition_title: requisition.title,
        attributes: data::attributes(&pool, user.org_id, requisition_id).await?,
        stages: data::stages(&pool, user.org_id, requisition_id).await?,
        skills_to_add: data::required_skills_missing(&pool, user.org_id, requisition_id).await?,
        copy_from: data::requisitions_with_scorecards(
            &pool,
            user.org_id,
            requisition_id,
            managed_by,
        )
        .await?,
        suggested_questions: data::suggested_questions(&pool, user.org_id, requisition_id)
            .await?
            .into_iter()
            .map(|(id, prompt)| super::BankQuestion {
                id,
                headline: crate::markdown::headline(&prompt),
            })
            .collect(),
    })
}

/// Adds an attribute, or changes one (`form.attribute_id`).
#[server(prefix = "/api", endpoint = "scorecards/save_attribute")]
pub async fn save_attribute(form: AttributeForm) -> Result<(), AppError> {
    let user = require_role(REQUISITION_ROLES).await?;
    let mut tx = crate::state::pool()?.begin().await?;
    find_for(&user, &mut *tx, form.requisition_id).await?;
    let attribute = NewAttribute::parse(&form)?;
    data::lock(&mut tx, form.requisition_id).await?;
    let duplicate = || {
        AppError::invalid(format!(
            "The scorecard already has an attribute named “{}”.",
            attribute.name
        ))
    };
    match form.attribute_id {
        None => {
            check_room(&mut tx, form.requisition_id, 1).await?;
            let added = data::insert_attributes(
                &mut tx,
                user.org_id,
                form.requisition_id,
                std::slice::from_ref(&attribute),
            )
            .await?;
            if added == 0 {
                return Err(duplicate());
            }
        }
        Some(id) => {
            if data::attribute_requisition(&mut tx, user.org_id, id).await?
                != Some(form.requisition_id)
            {
                return Err(AppError::NotFound);
            }
            data::update_attribute(&mut tx, user.org_id, id, &attribute)
                .await
                .map_err(|error| match &error {
                    sqlx::Error::Database(db) if db.is_unique_violation() => duplicate(),
                    _ => error.into(),
                })?;
        }
    }
    let details = serde_json::json!({
        "attribute": attribute.name,
        "category": attribute.category.as_str(),
        "changed": form.attribute_id.is_some(),
    });
    audit(
        &mut tx,
        &user,
        "scorecard.changed",
        form.requisition_id,
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes an attribute from the scorecard (and from the plan's stages); feedback given
/// on it keeps it.
#[server(prefix = "/api", endpoint = "scorecards/remove_attribute")]
pub async fn remove_attribute(attribute_id: Uuid) -> Result<(), AppError> {
    let user = require_role(REQUISITION_ROLES).await?;
    let mut tx = crate::state::pool()?.begin().await?;
    let requisition_id = data::attribute_requisition(&mut tx, user.org_id, attribute_id)
        .await?
        .ok_or(AppError::NotFound)?;
    find_for(&user, &mut *tx, requisition_id).await?;
    data::delete_attribute(&mut tx, user.org_id, attribute_id).await?;
    let details = serde_json::json!({ "removed_attribute": attribute_id });
    audit(&mut tx, &user, "scorecard.changed", requisition_id, details).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds an attribute for each required skill of the requisition that has none, with
/// anchors to start from.
#[server(prefix = "/api", endpoint = "scorecards/add_required_skills")]
pub async fn add_required_skills(requisition_id: Uuid) -> Result<(), AppError> {
    let user = require_role(REQUISITION_ROLES).await?;
    let mut tx = crate::state::pool()?.begin().await?;
    find_for(&user, &mut *tx, requisition_id).await?;
    data::lock(&mut tx, requisition_id).await?;
    let skills = data::required_skills_missing(&mut *tx, user.org_id, requisition_id).await?;
    if skills.is_empty() {
        return Err(AppError::invalid(
            "Every required skill of this requisition is on the scorecard already.",
        ));
    }
    check_room(&mut tx, requisition_id, skills.len()).await?;
    let attributes: Vec<NewAttribute> = skills
        .iter()
        .map(|skill| NewAttribute {
            category: Category::Skills,
            name: skill.clone(),
            anchors: skill_anchors(skill),
        })
        .collect();
    let added = data::insert_attributes(&mut tx, user.org_id, requisition_id, &attributes).await?;
    let details = serde_json::json!({ "added_skills": skills, "added": added });
    audit(&mut tx, &user, "scorecard.changed", requisition_id, details).await?;
    tx.commit().await?;
    Ok(())
}

/// Copies another requisition's attributes (those whose names are not here yet).
#[server(prefix = "/api", endpoint = "scorecards/copy")]
pub async fn copy_scorecard(requisition_id: Uuid, from: String) -> Result<(), AppError> {
    let user = require_role(REQUISITION_ROLES).await?;
    let from: Uuid = from
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("Choose the requisition to copy the scorecard from."))?;
    let mut tx = crate::state::pool()?.begin().await?;
    find_for(&user, &mut *tx, requisition_id).await?;
    find_for(&user, &mut *tx, from).await?;
    data::lock(&mut tx, requisition_id).await?;
    let source: Vec<NewAttribute> = data::attributes(&mut *tx, user.org_id, from)
        .await?
        .into_iter()
        .map(|a| NewAttribute {
            category: a.category,
            name: a.name,
            anchors: a.anchors,
        })
        .collect();
    if source.is_empty() {
        return Err(AppError::invalid(
            "That requisition has no scorecard to copy.",
        ));
    }
    let existing = data::count_attributes(&mut tx, requisition_id).await? as usize;
    if existing + source.len() > MAX_ATTRIBUTES {
        return Err(AppError::invalid(format!(
            "A scorecard holds at most {MAX_ATTRIBUTES} attributes; this copy would make more."
        )));
    }
    let added = data::insert_attributes(&mut tx, user.org_id, requisition_id, &source).await?;
    let details = serde_json::json!({ "copied_from": from, "added": added });
    audit(&mut tx, &user, "scorecard.changed", requisition_id, details).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a stage to the interview plan, or changes one (`form.stage_id`).
#[server(prefix = "/api", endpoint = "scorecards/save_stage")]
pub async fn save_plan_stage(form: StageForm) -> Result<(), AppError> {
    let user = require_role(REQUISITION_ROLES).await?;
    let mut tx = crate::state::pool()?.begin().await?;
    find_for(&user, &mut *tx, form.requisition_id).await?;
    let stage = NewStage::parse(&form)?;
    data::lock(&mut tx, form.requisition_id).await?;
    if form.stage_id.is_none()
        && data::count_stages(&mut tx, form.requisition_id).await? as usize >= MAX_STAGES
    {
        return Err(AppError::invalid(format!(
            "An interview plan holds at most {MAX_STAGES} stages."
        )));
    }
    let saved = data::save_stage(
        &mut tx,
        user.org_id,
        form.requisition_id,
        form.stage_id,
        &stage,
    )
    .await
    .map_err(|error| match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => AppError::invalid(format!(
            "The plan already has a stage named “{}”.",
            stage.name
        )),
        _ => error.into(),
    })?
    .ok_or(AppError::NotFound)?;
    let details = serde_json::json!({
        "stage": saved,
        "name": stage.name,
        "focus": stage.focus.len(),
        "questions": stage.questions.len() + stage.bank.len(),
        "changed": form.stage_id.is_some(),
    });
    audit(
        &mut tx,
        &user,
        "interview_plan.changed",
        form.requisition_id,
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a stage from the plan; interviews scheduled for it keep their time and
/// interviewer and show the whole scorecard instead.
#[server(prefix = "/api", endpoint = "scorecards/remove_stage")]
pub async fn remove_plan_stage(stage_id: Uuid) -> Result<(), AppError> {
    let user = require_role(REQUISITION_ROLES).await?;
    let mut tx = crate::state::pool()?.begin().await?;
    let requisition_id = data::stage_requisition(&mut tx, user.org_id, stage_id)
        .await?
        .ok_or(AppError::NotFound)?;
    find_for(&user, &mut *tx, requisition_id).await?;
    data::delete_stage(&mut tx, user.org_id, stage_id).await?;
    let details = serde_json::json!({ "removed_stage": stage_id });
    audit(
        &mut tx,
        &user,
        "interview_plan.changed",
        requisition_id,
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
