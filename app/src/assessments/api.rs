//! Server functions of assessments. Admins and recruiters build, publish, archive, invite
//! and grade in their organization; a hiring manager sees results and grades for the
//! requisitions they manage; interviewers find nothing. Every change is audited.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::grading::SessionDetail;
use super::{
    AssessmentDetail, AssessmentForm, AssessmentList, AssessmentResults, FormChoices, ItemChoices,
};
use crate::error::AppError;
use crate::results::ResultBadge;

#[cfg(feature = "ssr")]
use {
    super::data::{self, AssessmentRow, NewItem},
    super::invites::{self, LinkEmail},
    super::{AssessmentInput, AssessmentStatus, InviteView},
    crate::access::guard::{require_role, AuthUser},
    crate::access::Role,
    crate::audit::data::{record, NewAuditEntry},
    crate::requisitions::find_for,
    crate::results::SessionStatus,
    crate::results::Verdict,
    crate::ui::time::{format_in_zone, local_input_value, parse_local, zone_or_utc},
    chrono::{Duration, Utc},
    sqlx::PgConnection,
};

/// The invite form of an assessment's page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteForm {
    pub assessment_id: Uuid,
    pub candidate_id: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub expires_in_days: String,
}

/// A grader's score and comment for one answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeForm {
    pub session_id: Uuid,
    pub question_id: Uuid,
    pub score: String,
    #[serde(default)]
    pub comment: String,
}

/// The assessment when `user` may see it (its requisition is theirs to work on). Both
/// checks run on `conn`, the caller's transaction when it holds one.
#[cfg(feature = "ssr")]
async fn assessment_for(
    user: &AuthUser,
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<AssessmentRow, AppError> {
    let row = data::find(&mut *conn, user.org_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    find_for(user, conn, row.requisition_id).await?;
    Ok(row)
}

/// The draft `id`, locked for a change of its content, for a manager.
#[cfg(feature = "ssr")]
async fn draft_for(
    user: &AuthUser,
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<AssessmentRow, AppError> {
    data::lock(conn, id).await?;
    let row = assessment_for(user, conn, id).await?;
    super::check_editable(row.status)?;
    Ok(row)
}

#[cfg(feature = "ssr")]
fn parse_input(user: &AuthUser, form: AssessmentForm) -> Result<AssessmentInput, AppError> {
    let zone = zone_or_utc(&user.time_zone);
    AssessmentInput::parse(form, |value| parse_local(value, zone))
}

#[cfg(feature = "ssr")]
fn invite_views(rows: Vec<data::InviteRow>, user: &AuthUser) -> Vec<InviteView> {
    let zone = zone_or_utc(&user.time_zone);
    let now = Utc::now();
    rows.into_iter()
        .map(|row| InviteView {
            token_id: row.token_id,
            candidate_id: row.candidate_id,
            state: row.state(now),
            candidate_name: row.candidate_name,
            candidate_email: row.candidate_email,
            sent: format_in_zone(&row.created_at, zone),
            expires: format_in_zone(&row.expires_at, zone),
        })
        .collect()
}

#[cfg(feature = "ssr")]
fn managed_by(user: &AuthUser) -> Option<Uuid> {
    (user.role == Role::HiringManager).then_some(user.id)
}

/// The newest version of every assessment, filtered by requisition and status.
#[server(prefix = "/api", endpoint = "assessments/list")]
pub async fn list_assessments(
    requisition: Option<String>,
    status: Option<String>,
) -> Result<AssessmentList, AppError> {
    let user = require_role(crate::access::ASSESSMENT_RESULT_ROLES).await?;
    let pool = crate::state::pool()?;
    let items = data::list(
        &pool,
        user.org_id,
        managed_by(&user),
        requisition.and_then(|r| r.parse().ok()),
        status.as_deref().and_then(AssessmentStatus::parse),
    )
    .await?;
    Ok(AssessmentList {
        items,
        requisitions: data::requisitions(&pool, user.org_id, managed_by(&user)).await?,
        can_create: crate::access::ASSESSMENT_MANAGE_ROLES.contains(&user.role),
    })
}

/// What the new-assessment form offers.
#[server(prefix = "/api", endpoint = "assessments/form_choices")]
pub async fn assessment_form_choices() -> Result<FormChoices, AppError> {
    let user = require_role(crate::access::ASSESSMENT_MANAGE_ROLES).await?;
    let pool = crate::state::pool()?;
    Ok(FormChoices {
        requisitions: data::requisitions(&pool, user.org_id, None).await?,
        time_zone: zone_or_utc(&user.time_zone).name().to_string(),
    })
}

/// One assessment: settings, items and invites.
#[server(prefix = "/api", endpoint = "assessments/get")]
pub async fn load_assessment(id: Uuid) -> Result<AssessmentDetail, AppError> {
    let user = require_role(crate::access::ASSESSMENT_RESULT_ROLES).await?;
    let pool = crate::state::pool()?;
    let mut conn = pool.acquire().await?;
    let row = assessment_for(&user, &mut conn, id).await?;
    let items = data::items(&mut conn, id).await?;
    let (newest, _) = data::newest_version(&mut conn, row.family_id).await?;
    drop(conn);
    let invites = data::invites(&pool, user.org_id, id, false).await?;
    let zone = zone_or_utc(&user.time_zone);
    let local = |at: &Option<chrono::DateTime<Utc>>| {
        at.map(|at| local_input_value(&at, zone))
            .unwrap_or_default()
    };
    let availability = match (row.available_from, row.available_until) {
        (None, None) => "Any time".to_string(),
        (Some(from), None) => format!("From {}", format_in_zone(&from, zone)),
        (None, Some(until)) => format!("Until {}", format_in_zone(&until, zone)),
        (Some(from), Some(until)) => format!(
            "{} to {}",
            format_in_zone(&from, zone),
            format_in_zone(&until, zone)
        ),
    };
    Ok(AssessmentDetail {
        id,
        family_id: row.family_id,
        version: row.version,
        status: row.status,
        requisition_id: row.requisition_id,
        requisition_title: row.requisition_title.clone(),
        instructions_html: crate::markdown::to_safe_html(&row.instructions_md),
        available_from: local(&row.available_from),
        available_until: local(&row.available_until),
        availability,
        proctoring: row.proctoring(),
        title: row.title,
        instructions: row.instructions_md,
        time_limit_minutes: row.time_limit_minutes,
        pass_mark_percent: row.pass_mark_percent,
        attempts_allowed: row.attempts_allowed,
        shuffle_questions: row.shuffle_questions,
        shuffle_options: row.shuffle_options,
        items,
        invites: invite_views(invites, &user),
        can_manage: crate::access::ASSESSMENT_MANAGE_ROLES.contains(&user.role),
        newer_version: (newest != id).then_some(newest),
        time_zone: zone.name().to_string(),
    })
}

/// The questions, sets and tags items can be made of.
#[server(prefix = "/api", endpoint = "assessments/item_choices")]
pub async fn load_item_choices() -> Result<ItemChoices, AppError> {
    let user = require_role(crate::access::ASSESSMENT_MANAGE_ROLES).await?;
    let pool = crate::state::pool()?;
    Ok(data::item_choices(&pool, user.org_id).await?)
}

/// Candidates of the organization matching `q` (name or email), for the invite form.
#[server(prefix = "/api", endpoint = "assessments/find_candidates")]
pub async fn find_candidates(q: String) -> Result<Vec<(Uuid, String)>, AppError> {
    let user = require_role(crate::access::ASSESSMENT_MANAGE_ROLES).await?;
    if q.trim().is_empty() {
        return Ok(Vec::new());
    }
    let pool = crate::state::pool()?;
    let query =
        crate::candidates::CandidateQuery::from_search(Some(q), None, None, None, None, None)?;
    let rows = crate::candidates::data::list(&pool, user.org_id, &query, 20).await?;
    Ok(rows
        .into_iter()
        .map(|c| (c.id, format!("{} <{}>", c.full_name, c.email)))
        .collect())
}

#[server(prefix = "/api", endpoint = "assessments/create")]
pub async fn create_assessment(form: AssessmentForm) -> Result<(), AppError> {
    let user = require_role(crate::access::ASSESSMENT_MANAGE_ROLES).await?;
    let pool = crate::state::pool()?;
    let input = parse_input(&user, form)?;
    find_for(&user, &pool, input.requisition_id)
        .await
        .map_err(|_| AppError::invalid("Choose the requisition the assessment is for."))?;
    let mut tx = pool.begin().await?;
    let id = data::insert(&mut tx, user.org_id, user.id, &input).await?;
    let entry = NewAuditEntry::by(&user, "assessment.created")
        .target("assessment", id)
        .details(serde_json::json!({ "title": input.title, "requisition": input.requisition_id }));
    record(&mut *tx, entry).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/assessments/{id}/edit"));
    Ok(())
}

/// Changes a draft's settings; a published assessment is refused (edit a new version).
#[server(prefix = "/api", endpoint = "assessments/update")]
pub async fn update_assessment(id: Uuid, form: AssessmentForm) -> Result<(), AppError> {
    let user = require_role(crate::access::ASSESSMENT_MANAGE_ROLES).await?;
    let pool = crate::state::pool()?;
    let mut tx = pool.begin().await?;
    draft_for(&user, &mut tx, id).await?;
    let input = parse_input(&user, form)?;
    find_for(&user, &mut *tx, input.requisition_id)
        .await
        .map_err(|_| AppError::invalid("Choose the requisition the assessment is for."))?;
    data::update(&mut tx, user.org_id, id, &input).await?;
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "assessment.updated").target("assessment", id),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/assessments/{id}/edit"));
    Ok(())
}

/// Adds one question of the bank as an item of a draft.
#[server(prefix = "/api", endpoint = "assessments/add_question")]
pub async fn add_question_item(assessment_id: Uuid, question_id: String) -> Result<(), AppError> {
    let question_id: Uuid = question_id
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("Choose a question from the list."))?;
    add_item(assessment_id, NewItem::Fixed(question_id)).await
}

/// Adds "draw N at random" from a set (`set:<id>`) or a tag (`tag:<name>`).
#[server(prefix = "/api", endpoint = "assessments/add_draw")]
pub async fn add_draw_item(
    assessment_id: Uuid,
    from: String,
    count: String,
) -> Result<(), AppError> {
    let count = count
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|n| (1..=500).contains(n))
        .ok_or_else(|| AppError::invalid("Draw a whole number of questions from 1 to 500."))?;
    let item = match from.split_once(':') {
        Some(("set", id)) => id.parse().ok().map(|id| NewItem::FromSet(id, count)),
        Some(("tag", tag)) if !tag.trim().is_empty() => {
            Some(NewItem::FromTag(tag.trim().to_string(), count))
        }
        _ => None,
    }
    .ok_or_else(|| AppError::invalid("Choose a question set or a tag to draw from."))?;
    add_item(assessment_id, item).await
}

#[cfg(feature = "ssr")]
async fn add_item(assessment_id: Uuid, item: NewItem) -> Result<(), AppError> {
    let user = require_role(crate::access::ASSESSMENT_MANAGE_ROLES).await?;
    let pool = crate::state::pool()?;
    let mut tx = pool.begin().await?;
    draft_for(&user, &mut tx, assessment_id).await?;
    if !data::add_item(&mut tx, user.org_id, assessment_id, &item).await? {
        return Err(AppError::invalid(
            "That question or set is no longer in the bank; reload the page and choose another.",
        ));
    }
    let details = match &item {
        NewItem::Fixed(id) => serde_json::json!({ "question": id }),
        NewItem::FromSet(id, n) => serde_json::json!({ "draw_set": id, "count": n }),
        NewItem::FromTag(tag, n) => serde_json::json!({ "draw_tag": tag, "count": n }),
    };
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "assessment.item_added")
            .target("assessment", assessment_id)
            .details(details),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Moves an item of a draft up or down, or removes it (`direction` = "up", "down", "remove").
#[server(prefix = "/api", endpoint = "assessments/change_item")]
pub async fn change_item(item_id: Uuid, direction: String) -> Result<(), AppError> {
    let user = require_role(crate::access::ASSESSMENT_MANAGE_ROLES).await?;
    let pool = crate::state::pool()?;
    let mut tx = pool.begin().await?;
    let assessment_id = data::item_owner(&mut tx, user.org_id, item_id)
        .await?
        .ok_or(AppError::NotFound)?;
    draft_for(&user, &mut tx, assessment_id).await?;
    let action = match direction.as_str() {
        "up" | "down" => {
            data::move_item(&mut tx, item_id, direction == "up").await?;
            "assessment.item_moved"
        }
        "remove" => {
            data::remove_item(&mut tx, item_id).await?;
            "assessment.item_removed"
        }
        _ => return Err(AppError::invalid("Move the item up or down, or remove it.")),
    };
    record(
        &mut *tx,
        NewAuditEntry::by(&user, action)
            .target("assessment", assessment_id)
            .details(serde_json::json!({ "item": item_id, "direction": direction })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes a draft: freezes a copy of every question it can ask. Refused when it has no
/// items or a draw asks for more questions than there are.
#[server(prefix = "/api", endpoint = "assessments/publish")]
pub async fn publish_assessment(id: Uuid) -> Result<(), AppError> {
    let user = require_role(crate::access::ASSESSMENT_MANAGE_ROLES).await?;
    let pool = crate::state::pool()?;
    let mut tx = pool.begin().await?;
    let row = draft_for(&user, &mut tx, id).await?;
    let items = data::items(&mut tx, id).await?;
    if items.is_empty() {
        return Err(AppError::invalid(
            "Add at least one question before publishing.",
        ));
    }
    let removed = data::removed_fixed_items(&mut tx, user.org_id, id).await?;
    if !removed.is_empty() {
        let positions: Vec<String> = removed.iter().map(i32::to_string).collect();
        return Err(AppError::invalid(format!(
            "The question of item {} was removed from the bank. Remove the item or pick another question, then publish.",
            positions.join(", ")
        )));
    }
    let short = data::short_draws(&mut tx, user.org_id, id).await?;
    if let Some((position, wanted, available)) = short.first() {
        return Err(AppError::invalid(format!(
            "Item {position} draws {wanted} questions but only {available} are available. Lower the number or add questions to the bank."
        )));
    }
    let frozen = data::freeze_questions(&mut tx, user.org_id, id).await?;
    if frozen == 0 {
        return Err(AppError::invalid(
            "None of the items' questions is in the bank any more; add questions before publishing.",
        ));
    }
    data::set_status(
        &mut tx,
        user.org_id,
        id,
        AssessmentStatus::Draft,
        AssessmentStatus::Published,
    )
    .await?;
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "assessment.published")
            .target("assessment", id)
            .details(serde_json::json!({ "version": row.version, "questions": frozen })),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/assessments/{id}"));
    Ok(())
}

/// Archives an assessment: its running invites still work, new ones are refused.
#[server(prefix = "/api", endpoint = "assessments/archive")]
pub async fn archive_assessment(id: Uuid) -> Result<(), AppError> {
    let user = require_role(crate::access::ASSESSMENT_MANAGE_ROLES).await?;
    let pool = crate::state::pool()?;
    let mut tx = pool.begin().await?;
    data::lock(&mut tx, id).await?;
    let row = assessment_for(&user, &mut tx, id).await?;
    let from = row.status;
    if from == AssessmentStatus::Archived
        || !data::set_status(&mut tx, user.org_id, id, from, AssessmentStatus::Archived).await?
    {
        return Err(AppError::invalid("The assessment is already archived."));
    }
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "assessment.archived")
            .target("assessment", id)
            .details(serde_json::json!({ "from": from.as_str() })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Opens the next version of a published assessment as a draft with the same items (or
/// the draft that already exists) for editing.
#[server(prefix = "/api", endpoint = "assessments/new_version")]
pub async fn new_version(id: Uuid) -> Result<(), AppError> {
    let user = require_role(crate::access::ASSESSMENT_MANAGE_ROLES).await?;
    let pool = crate::state::pool()?;
    let mut tx = pool.begin().await?;
    let row = assessment_for(&user, &mut tx, id).await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1::text))")
        .bind(row.family_id)
        .execute(&mut *tx)
        .await?;
    let (newest, status) = data::newest_version(&mut tx, row.family_id).await?;
    let target = if status == AssessmentStatus::Draft {
        newest
    } else {
        let new_id = data::copy_as_next_version(&mut tx, newest, user.id).await?;
        record(
            &mut *tx,
            NewAuditEntry::by(&user, "assessment.versioned")
                .target("assessment", new_id)
                .details(serde_json::json!({ "from": newest })),
        )
        .await?;
        new_id
    };
    tx.commit().await?;
    leptos_axum::redirect(&format!("/assessments/{target}/edit"));
    Ok(())
}

/// Invites the candidate (or its application again) within `tx`: adds them to the
/// requisition's pipeline when absent, moves them into the Assessment stage unless they
/// are further along, and emails a new link. Returns the token's id.
#[cfg(feature = "ssr")]
async fn invite_one(
    tx: &mut PgConnection,
    user: &AuthUser,
    row: &AssessmentRow,
    requisition: &crate::requisitions::data::DetailRow,
    candidate_id: Uuid,
    message: &str,
    days: i64,
) -> Result<Uuid, AppError> {
    let application_id = pipeline_application(tx, user, requisition, candidate_id).await?;
    let assessment_application: Uuid = sqlx::query_scalar(
        "INSERT INTO assessment_applications (org_id, assessment_id, candidate_id, application_id, created_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (candidate_id, assessment_id)
         DO UPDATE SET application_id = EXCLUDED.application_id, updated_at = now()
         RETURNING id",
    )
    .bind(user.org_id)
    .bind(row.id)
    .bind(candidate_id)
    .bind(application_id)
    .bind(user.id)
    .fetch_one(&mut *tx)
    .await?;
    let public_url = crate::state::state()?.settings.public_url.clone();
    let earlier: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM assessment_tokens WHERE assessment_application_id = $1)",
    )
    .bind(assessment_application)
    .fetch_one(&mut *tx)
    .await?;
    let kind = if earlier {
        LinkEmail::Replacement
    } else {
        LinkEmail::First
    };
    let token_id = invites::issue_link(
        tx,
        &public_url,
        assessment_application,
        message,
        Utc::now() + Duration::days(days),
        Some(user.id),
        kind,
    )
    .await?;
    record(
        &mut *tx,
        NewAuditEntry::by(user, "assessment.invited")
            .target("assessment", row.id)
            .details(serde_json::json!({ "candidate": candidate_id, "token": token_id, "expires_in_days": days })),
    )
    .await?;
    Ok(token_id)
}

/// The candidate's application to the requisition, created when absent, and moved into
/// the organization's "Assessment" stage unless it is already further along.
#[cfg(feature = "ssr")]
async fn pipeline_application(
    tx: &mut PgConnection,
    user: &AuthUser,
    requisition: &crate::requisitions::data::DetailRow,
    candidate_id: Uuid,
) -> Result<Uuid, AppError> {
    use crate::pipeline::{data as pipeline, StageKind};

    let existing: Option<(Uuid, i32, StageKind)> = sqlx::query_as(
        "SELECT a.id, s.position, s.kind FROM applications a
         JOIN pipeline_stages s ON s.id = a.stage_id
         WHERE a.org_id = $1 AND a.candidate_id = $2 AND a.requisition_id = $3",
    )
    .bind(user.org_id)
    .bind(candidate_id)
    .bind(requisition.id)
    .fetch_optional(&mut *tx)
    .await?;
    let (application_id, position, kind) = match existing {
        Some(found) => found,
        None => {
            use crate::requisitions::RequisitionStatus;
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
            let stage = pipeline::first_stage(tx, user.org_id).await?;
            let id = pipeline::insert_application(
                tx,
                user.org_id,
                candidate_id,
                requisition.id,
                &stage,
                user.id,
            )
            .await?;
            record(
                &mut *tx,
                NewAuditEntry::by(user, "application.created")
                    .target("application", id)
                    .details(serde_json::json!({ "candidate": candidate_id, "requisition": requisition.id })),
            )
            .await?;
            (id, i32::MIN, StageKind::Active)
        }
    };
    let target: Option<(Uuid, i32)> = sqlx::query_as(
        "SELECT id, position FROM pipeline_stages
         WHERE org_id = $1 AND is_active AND kind = 'active' AND lower(name) = 'assessment'
         ORDER BY position LIMIT 1",
    )
    .bind(user.org_id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((stage_id, stage_position)) = target {
        if kind == StageKind::Active && position < stage_position {
            let stage = pipeline::stage(tx, user.org_id, stage_id)
                .await?
                .ok_or(AppError::Internal)?;
            crate::pipeline::move_recorded(tx, user, requisition, &[application_id], &stage, None)
                .await?;
        }
    }
    Ok(application_id)
}

/// Invites one candidate of the organization to a published assessment.
#[server(prefix = "/api", endpoint = "assessments/invite")]
pub async fn invite_candidate(form: InviteForm) -> Result<(), AppError> {
    let user = require_role(crate::access::ASSESSMENT_MANAGE_ROLES).await?;
    let pool = crate::state::pool()?;
    let candidate_id: Uuid = form
        .candidate_id
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("Choose the candidate to invite."))?;
    let days = super::parse_expiry_days(&form.expires_in_days)?;
    let message = crate::input::bounded("the message", &form.message, super::MAX_MESSAGE)?;
    let mut tx = pool.begin().await?;
    let row = assessment_for(&user, &mut tx, form.assessment_id).await?;
    let requisition = find_for(&user, &mut *tx, row.requisition_id).await?;
    crate::candidates::data::find(&mut *tx, user.org_id, candidate_id)
        .await?
        .ok_or_else(|| AppError::invalid("Choose the candidate to invite."))?;
    invite_one(
        &mut tx,
        &user,
        &row,
        &requisition,
        candidate_id,
        &message,
        days,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Invites the selected candidates of a requisition's board to one of its published
/// assessments; nothing is sent when one of them cannot be invited.
#[server(prefix = "/api", endpoint = "assessments/invite_many")]
pub async fn invite_from_board(
    requisition_id: Uuid,
    application_ids: Option<Vec<Uuid>>,
    assessment_id: String,
) -> Result<(), AppError> {
    let user = require_role(crate::access::ASSESSMENT_MANAGE_ROLES).await?;
    let pool = crate::state::pool()?;
    let requisition = find_for(&user, &pool, requisition_id).await?;
    let assessment_id: Uuid = assessment_id
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("Choose the assessment to invite to."))?;
    let mut ids = application_ids.unwrap_or_default();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Err(AppError::invalid(
            "Select at least one candidate to invite.",
        ));
    }
    let mut tx = pool.begin().await?;
    let row = assessment_for(&user, &mut tx, assessment_id).await?;
    if row.requisition_id != requisition_id {
        return Err(AppError::invalid(
            "Choose an assessment of this requisition.",
        ));
    }
    let candidates: Vec<Uuid> = sqlx::query_scalar(
        "SELECT candidate_id FROM applications WHERE org_id = $1 AND requisition_id = $2 AND id = ANY($3)",
    )
    .bind(user.org_id)
    .bind(requisition_id)
    .bind(&ids)
    .fetch_all(&mut *tx)
    .await?;
    if candidates.len() != ids.len() {
        return Err(AppError::NotFound);
    }
    for candidate_id in candidates {
        invite_one(
            &mut tx,
            &user,
            &row,
            &requisition,
            candidate_id,
            "",
            super::DEFAULT_EXPIRY_DAYS,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Sends a new link in place of an invite (revoking it when unstarted): for a lost email,
/// an expired link, or a further attempt when the assessment allows one.
#[server(prefix = "/api", endpoint = "assessments/resend")]
pub async fn resend_invite(token_id: Uuid) -> Result<(), AppError> {
    let user = require_role(crate::access::ASSESSMENT_MANAGE_ROLES).await?;
    let pool = crate::state::pool()?;
    let mut tx = pool.begin().await?;
    let token = invites::token(&mut tx, user.org_id, token_id)
        .await?
        .ok_or(AppError::NotFound)?;
    assessment_for(&user, &mut tx, token.assessment_id).await?;
    let public_url = crate::state::state()?.settings.public_url.clone();
    let new_token = invites::issue_link(
        &mut tx,
        &public_url,
        token.assessment_application_id,
        &token.message,
        invites::replacement_expiry(&token, Utc::now()),
        Some(user.id),
        LinkEmail::Replacement,
    )
    .await?;
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "assessment.invite_resent")
            .target("assessment", token.assessment_id)
            .details(serde_json::json!({ "candidate": token.candidate_id, "replaces": token_id, "token": new_token })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Revokes an invite link that has not started a test.
#[server(prefix = "/api", endpoint = "assessments/revoke")]
pub async fn revoke_invite(token_id: Uuid) -> Result<(), AppError> {
    let user = require_role(crate::access::ASSESSMENT_MANAGE_ROLES).await?;
    let pool = crate::state::pool()?;
    let mut tx = pool.begin().await?;
    let token = invites::token(&mut tx, user.org_id, token_id)
        .await?
        .ok_or(AppError::NotFound)?;
    assessment_for(&user, &mut tx, token.assessment_id).await?;
    if token.started || !invites::revoke(&mut tx, token_id, user.id).await? {
        return Err(AppError::invalid(
            "That link has already started a test or was revoked; there is nothing to revoke.",
        ));
    }
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "assessment.invite_revoked")
            .target("assessment", token.assessment_id)
            .details(serde_json::json!({ "candidate": token.candidate_id, "token": token_id })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Every session of an assessment, and the invites not started yet.
#[server(prefix = "/api", endpoint = "assessments/results")]
pub async fn load_results(id: Uuid) -> Result<AssessmentResults, AppError> {
    let user = require_role(crate::access::ASSESSMENT_RESULT_ROLES).await?;
    let pool = crate::state::pool()?;
    let mut conn = pool.acquire().await?;
    let row = assessment_for(&user, &mut conn, id).await?;
    drop(conn);
    let zone = zone_or_utc(&user.time_zone);
    let sessions = data::sessions(&pool, user.org_id, id)
        .await?
        .into_iter()
        .map(|s| super::SessionRow {
            session_id: s.session_id,
            candidate_id: s.candidate_id,
            candidate_name: s.candidate_name,
            attempt: s.attempt,
            percent: crate::questions::scoring::percent(s.score.unwrap_or(0.0), s.max_score),
            verdict: Verdict::of(s.status, s.passed),
            status: s.status,
            score: s.score,
            max_score: s.max_score,
            started: format_in_zone(&s.started_at, zone),
            time_taken: s
                .finished_at
                .map(|f| super::duration_in_words((f - s.started_at).num_milliseconds()))
                .unwrap_or_default(),
        })
        .collect();
    let waiting = data::invites(&pool, user.org_id, id, true).await?;
    Ok(AssessmentResults {
        id,
        title: row.title,
        version: row.version,
        pass_mark_percent: row.pass_mark_percent,
        sessions,
        waiting: invite_views(waiting, &user),
        can_manage: crate::access::ASSESSMENT_MANAGE_ROLES.contains(&user.role),
    })
}

/// The latest result of each assessment of a pipeline application: (session id, title, badge).
#[server(prefix = "/api", endpoint = "assessments/of_application")]
pub async fn load_application_results(
    application_id: Uuid,
) -> Result<Vec<(Uuid, String, ResultBadge)>, AppError> {
    let user = require_role(crate::access::ASSESSMENT_RESULT_ROLES).await?;
    let pool = crate::state::pool()?;
    let application = crate::notes::data::application(&pool, user.org_id, application_id)
        .await?
        .ok_or(AppError::NotFound)?;
    find_for(&user, &pool, application.requisition_id).await?;
    let rows = data::application_results(&pool, user.org_id, application_id).await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, status, score, max, passed)| {
            let badge = ResultBadge {
                percent: crate::questions::scoring::percent(score.unwrap_or(0.0), max),
                verdict: Verdict::of(status, passed),
            };
            (id, title, badge)
        })
        .collect())
}

/// One session with every question, the answer beside the correct one, for grading.
#[server(prefix = "/api", endpoint = "assessments/session")]
pub async fn load_session(id: Uuid) -> Result<SessionDetail, AppError> {
    let user = require_role(crate::access::ASSESSMENT_RESULT_ROLES).await?;
    let pool = crate::state::pool()?;
    let detail = super::grading::load(&pool, &user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    find_for(&user, &pool, detail.requisition_id).await?;
    Ok(detail)
}

/// Scores a text or code answer of a finished session; the session's totals and pass/fail
/// follow in the same transaction.
#[server(prefix = "/api", endpoint = "assessments/grade")]
pub async fn grade_answer(form: GradeForm) -> Result<(), AppError> {
    let user = require_role(crate::access::ASSESSMENT_RESULT_ROLES).await?;
    let pool = crate::state::pool()?;
    let comment = crate::input::bounded("the comment", &form.comment, 5000)?;
    let mut tx = pool.begin().await?;
    let target =
        super::grading::answer_to_grade(&mut tx, user.org_id, form.session_id, form.question_id)
            .await?
            .ok_or(AppError::NotFound)?;
    find_for(&user, &mut *tx, target.requisition_id).await?;
    if target.session_status == SessionStatus::InProgress {
        return Err(AppError::invalid(
            "The candidate is still taking the test; grade it once it is submitted.",
        ));
    }
    if target.auto_graded {
        return Err(AppError::invalid(
            "This question is scored automatically; only text and code answers are graded by a person.",
        ));
    }
    let score = super::parse_score(&form.score, target.points)?;
    super::grading::set_score(&mut tx, &form, score, &comment, user.id).await?;
    super::scoring::recompute_totals(&mut tx, form.session_id).await?;
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "assessment.graded")
            .target("test_session", form.session_id)
            .details(serde_json::json!({ "question": form.question_id, "score": score })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
