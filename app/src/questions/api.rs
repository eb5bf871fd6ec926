//! Server functions of the question bank. Each checks the role first (hiring managers may
//! read, admins and recruiters may also change), then scopes by organization; a question
//! of a requisition is reachable only by those who may work on that requisition.

use leptos::prelude::*;
use uuid::Uuid;

use super::{QuestionDetail, QuestionForm, QuestionSummary, SetDetail, SetForm, SetList};
use crate::error::AppError;
use crate::skills::SkillRef;

#[cfg(feature = "ssr")]
use {
    super::model::QuestionKind,
    super::{can_manage, data, Owner, QuestionInput, SetInput},
    crate::access::guard::{require_role, AuthUser},
    crate::audit::data::{record, NewAuditEntry},
    crate::markdown::to_safe_html,
    sqlx::PgPool,
};

/// Checks that `owner` is the organization's and, for a requisition, that `user` may
/// work on it.
#[cfg(feature = "ssr")]
pub(crate) async fn check_owner(
    user: &AuthUser,
    pool: &PgPool,
    owner: Owner,
) -> Result<(), AppError> {
    match owner {
        Owner::Set(id) => {
            data::find_set(pool, user.org_id, id)
                .await?
                .ok_or(AppError::NotFound)?;
        }
        Owner::Requisition(id) => {
            crate::requisitions::find_for(user, pool, id).await?;
        }
    }
    Ok(())
}

/// The question with `id`, when `user` may see its owner.
#[cfg(feature = "ssr")]
async fn find_question(
    user: &AuthUser,
    pool: &PgPool,
    id: Uuid,
) -> Result<data::QuestionRow, AppError> {
    let row = data::find_question(pool, user.org_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    check_owner(user, pool, row.owner()).await?;
    Ok(row)
}

/// Whether every skill is an active one of the organization.
#[cfg(feature = "ssr")]
async fn check_skills(
    tx: &mut sqlx::PgConnection,
    user: &AuthUser,
    skills: &[Uuid],
) -> Result<(), AppError> {
    if crate::skills::data::all_offered(tx, user.org_id, skills).await? {
        Ok(())
    } else {
        Err(AppError::invalid(
            "One of the skills is no longer on the skill list. Reload the page and choose again.",
        ))
    }
}

#[server(prefix = "/api", endpoint = "questions/sets/list")]
pub async fn list_question_sets(
    text: Option<String>,
    difficulty: Option<String>,
    skill: Option<String>,
) -> Result<SetList, AppError> {
    let user = require_role(crate::access::BANK_VIEW_ROLES).await?;
    let pool = crate::state::pool()?;
    let text = text.filter(|t| !t.trim().is_empty());
    let items = data::list_sets(
        &pool,
        user.org_id,
        text.as_deref(),
        difficulty.as_deref().and_then(super::Difficulty::parse),
        skill.and_then(|s| s.parse().ok()),
    )
    .await?;
    Ok(SetList {
        items,
        skills: crate::skills::data::offered(&pool, user.org_id).await?,
        can_manage: can_manage(user.role),
    })
}

/// The skills a question set may list (the set forms).
#[server(prefix = "/api", endpoint = "questions/skills")]
pub async fn question_set_skills() -> Result<Vec<SkillRef>, AppError> {
    let user = require_role(crate::access::BANK_MANAGE_ROLES).await?;
    Ok(crate::skills::data::offered(&crate::state::pool()?, user.org_id).await?)
}

#[server(prefix = "/api", endpoint = "questions/sets/get")]
pub async fn load_question_set(id: Uuid) -> Result<SetDetail, AppError> {
    let user = require_role(crate::access::BANK_VIEW_ROLES).await?;
    let pool = crate::state::pool()?;
    let set = data::find_set(&pool, user.org_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let questions = data::questions_of(&pool, user.org_id, Owner::Set(id)).await?;
    Ok(SetDetail {
        id,
        description_html: to_safe_html(&set.description),
        difficulty: set.difficulty,
        title: set.title,
        description: set.description,
        tags: set.tags,
        skills: data::skills_of_set(&pool, id).await?,
        questions: questions.iter().map(data::QuestionRow::summary).collect(),
        can_manage: can_manage(user.role),
    })
}

#[server(prefix = "/api", endpoint = "questions/sets/create")]
pub async fn create_question_set(form: SetForm) -> Result<(), AppError> {
    let user = require_role(crate::access::BANK_MANAGE_ROLES).await?;
    let input = SetInput::parse(form)?;
    let mut tx = crate::state::pool()?.begin().await?;
    check_skills(&mut tx, &user, &input.skills).await?;
    let id = data::insert_set(&mut tx, user.org_id, Some(user.id), &input).await?;
    let entry = NewAuditEntry::by(&user, "question_set.created")
        .target("question_set", id)
        .details(serde_json::json!({ "title": input.title }));
    record(&mut *tx, entry).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/questions/sets/{id}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "questions/sets/update")]
pub async fn update_question_set(id: Uuid, form: SetForm) -> Result<(), AppError> {
    let user = require_role(crate::access::BANK_MANAGE_ROLES).await?;
    let input = SetInput::parse(form)?;
    let mut tx = crate::state::pool()?.begin().await?;
    check_skills(&mut tx, &user, &input.skills).await?;
    if !data::update_set(&mut tx, user.org_id, id, &input).await? {
        return Err(AppError::NotFound);
    }
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "question_set.updated").target("question_set", id),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/questions/sets/{id}"));
    Ok(())
}

/// Removes a set from the bank (a soft delete: assessments made from it keep their copy).
#[server(prefix = "/api", endpoint = "questions/sets/deactivate")]
pub async fn deactivate_question_set(id: Uuid) -> Result<(), AppError> {
    let user = require_role(crate::access::BANK_MANAGE_ROLES).await?;
    let mut tx = crate::state::pool()?.begin().await?;
    if !data::deactivate_set(&mut tx, user.org_id, id).await? {
        return Err(AppError::NotFound);
    }
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "question_set.deactivated").target("question_set", id),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/questions");
    Ok(())
}

#[server(prefix = "/api", endpoint = "questions/get")]
pub async fn load_question(id: Uuid) -> Result<QuestionDetail, AppError> {
    let user = require_role(crate::access::BANK_VIEW_ROLES).await?;
    let pool = crate::state::pool()?;
    let row = find_question(&user, &pool, id).await?;
    Ok(QuestionDetail {
        id: row.id,
        owner: row.owner(),
        prompt_html: to_safe_html(&row.prompt_md),
        explanation_html: to_safe_html(&row.explanation_md),
        guidance_html: to_safe_html(&row.guidance_md),
        difficulty: row.difficulty,
        prompt_md: row.prompt_md,
        body: row.body.0,
        points: row.points,
        tags: row.tags,
        explanation_md: row.explanation_md,
        guidance_md: row.guidance_md,
        can_manage: can_manage(user.role),
    })
}

/// The questions of a requisition's job description, in order.
#[server(prefix = "/api", endpoint = "questions/of_requisition")]
pub async fn requisition_questions(requisition_id: Uuid) -> Result<Vec<QuestionSummary>, AppError> {
    let user = require_role(crate::access::BANK_VIEW_ROLES).await?;
    let pool = crate::state::pool()?;
    let owner = Owner::Requisition(requisition_id);
    check_owner(&user, &pool, owner).await?;
    let rows = data::questions_of(&pool, user.org_id, owner).await?;
    Ok(rows.iter().map(data::QuestionRow::summary).collect())
}

/// Adds a question to a set (`set_id`) or to a requisition's job description
/// (`requisition_id`): exactly one of the two.
#[server(prefix = "/api", endpoint = "questions/create")]
pub async fn create_question(
    set_id: Option<Uuid>,
    requisition_id: Option<Uuid>,
    form: QuestionForm,
) -> Result<(), AppError> {
    let user = require_role(crate::access::BANK_MANAGE_ROLES).await?;
    let pool = crate::state::pool()?;
    let owner = Owner::from_ids(set_id, requisition_id)?;
    check_owner(&user, &pool, owner).await?;
    let kind = QuestionKind::parse(&form.kind)
        .ok_or_else(|| AppError::invalid("Choose the kind of question."))?;
    let input = QuestionInput::parse(form, kind, &[])?;
    let mut tx = pool.begin().await?;
    let id = data::insert_question(&mut tx, user.org_id, Some(user.id), owner, &input).await?;
    let entry = NewAuditEntry::by(&user, "question.created")
        .target("question", id)
        .details(serde_json::json!({ "kind": kind.as_str() }));
    record(&mut *tx, entry).await?;
    tx.commit().await?;
    leptos_axum::redirect(&owner.href());
    Ok(())
}

/// Saves a question; its kind stays what it is.
#[server(prefix = "/api", endpoint = "questions/update")]
pub async fn update_question(id: Uuid, form: QuestionForm) -> Result<(), AppError> {
    let user = require_role(crate::access::BANK_MANAGE_ROLES).await?;
    let pool = crate::state::pool()?;
    let row = find_question(&user, &pool, id).await?;
    let body = &row.body.0;
    let input = QuestionInput::parse(form, body.kind(), body.options())?;
    let mut tx = pool.begin().await?;
    if !data::update_question(&mut tx, user.org_id, id, &input).await? {
        return Err(AppError::NotFound);
    }
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "question.updated").target("question", id),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&row.owner().href());
    Ok(())
}

/// Moves a question one place `up` or `down` in its list.
#[server(prefix = "/api", endpoint = "questions/move")]
pub async fn move_question(id: Uuid, direction: String) -> Result<(), AppError> {
    let user = require_role(crate::access::BANK_MANAGE_ROLES).await?;
    let pool = crate::state::pool()?;
    let up = match direction.as_str() {
        "up" => true,
        "down" => false,
        _ => return Err(AppError::invalid("Move a question up or down.")),
    };
    let row = find_question(&user, &pool, id).await?;
    let mut tx = pool.begin().await?;
    if !data::move_question(&mut tx, user.org_id, row.owner(), id, up).await? {
        return Err(AppError::invalid(if up {
            "This question is already the first."
        } else {
            "This question is already the last."
        }));
    }
    let entry = NewAuditEntry::by(&user, "question.moved")
        .target("question", id)
        .details(serde_json::json!({ "direction": direction }));
    record(&mut *tx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a question from its list (a soft delete).
#[server(prefix = "/api", endpoint = "questions/delete")]
pub async fn delete_question(id: Uuid) -> Result<(), AppError> {
    let user = require_role(crate::access::BANK_MANAGE_ROLES).await?;
    let pool = crate::state::pool()?;
    let row = find_question(&user, &pool, id).await?;
    let mut tx = pool.begin().await?;
    if !data::delete_question(&mut tx, user.org_id, id).await? {
        return Err(AppError::NotFound);
    }
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "question.deleted").target("question", id),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&row.owner().href());
    Ok(())
}
