//! Server functions of requisitions. Each checks the role first, then scopes by org; a
//! hiring manager asking for someone else's requisition finds nothing.

use leptos::prelude::*;
use uuid::Uuid;

use super::{FormChoices, RequisitionDetail, RequisitionForm, RequisitionList};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::{data, find_for, RequisitionInput, RequisitionStatus},
    crate::access::guard::require_role,
    crate::access::Role,
    crate::audit::data::{record, NewAuditEntry},
};

#[server(prefix = "/api", endpoint = "requisitions/list")]
pub async fn list_requisitions(
    status: Option<String>,
    department: Option<String>,
    hiring_manager: Option<String>,
    text: Option<String>,
    after: Option<String>,
) -> Result<RequisitionList, AppError> {
    use super::{RequisitionFilter, PAGE_SIZE};
    use crate::input::{Cursor, Page};

    let user = require_role(crate::access::REQUISITION_ROLES).await?;
    let pool = crate::state::pool()?;
    let filter = RequisitionFilter {
        status: status.as_deref().and_then(RequisitionStatus::parse),
        department: department.filter(|d| !d.trim().is_empty()),
        hiring_manager: hiring_manager.and_then(|id| id.parse().ok()),
        text: text.filter(|t| !t.trim().is_empty()),
        after: after.as_deref().and_then(Cursor::decode),
    };
    let managed_by = (user.role == Role::HiringManager).then_some(user.id);
    let rows = data::list(&pool, user.org_id, managed_by, &filter, PAGE_SIZE + 1).await?;
    let Page { items, next } = Page::cut(rows, PAGE_SIZE, |last| Cursor {
        created_at: last.created_at,
        id: last.id,
    });
    Ok(RequisitionList {
        items,
        next,
        departments: data::departments(&pool, user.org_id).await?,
        managers: data::people(&pool, user.org_id, data::MANAGER_ROLES).await?,
        can_create: crate::access::can_create_requisition(user.role),
    })
}

#[server(prefix = "/api", endpoint = "requisitions/get")]
pub async fn load_requisition(id: Uuid) -> Result<RequisitionDetail, AppError> {
    let user = require_role(crate::access::REQUISITION_ROLES).await?;
    let pool = crate::state::pool()?;
    let row = find_for(&user, &pool, id).await?;
    let (required_skills, nice_skills) = data::skills_of(&pool, id).await?;
    Ok(RequisitionDetail {
        id: row.id,
        description_html: crate::markdown::to_safe_html(&row.description_md),
        employment_type: row.employment_type,
        hiring_manager: row.hiring_manager(),
        status: row.status,
        title: row.title,
        department: row.department,
        location: row.location,
        openings: row.openings,
        salary_min: row.salary_min,
        salary_max: row.salary_max,
        salary_currency: row.salary_currency,
        description_md: row.description_md,
        required_skills,
        nice_skills,
        team: data::team_of(&pool, id).await?,
        created_at: row.created_at,
    })
}

/// The people and skills the requisition forms offer.
#[server(prefix = "/api", endpoint = "requisitions/form_choices")]
pub async fn requisition_form_choices() -> Result<FormChoices, AppError> {
    let user = require_role(crate::access::REQUISITION_ROLES).await?;
    let pool = crate::state::pool()?;
    let skills = crate::skills::data::offered(&pool, user.org_id).await?;
    Ok(FormChoices {
        managers: data::people(&pool, user.org_id, data::MANAGER_ROLES).await?,
        team: data::people(&pool, user.org_id, data::TEAM_ROLES).await?,
        skills,
    })
}

/// Creates a requisition as a draft, or open at once when `open_now` is "true" (the form's
/// choice), and opens its page.
#[server(prefix = "/api", endpoint = "requisitions/create")]
pub async fn create_requisition(
    form: RequisitionForm,
    #[server(default)] open_now: String,
) -> Result<(), AppError> {
    let user = require_role(&[Role::Admin, Role::Recruiter]).await?;
    let input = RequisitionInput::parse(form)?;
    let open_now = match open_now.as_str() {
        "" | "false" => false,
        "true" => true,
        _ => {
            return Err(AppError::invalid(
                "Choose to save a draft or to open it now.",
            ))
        }
    };
    let mut tx = crate::state::pool()?.begin().await?;
    data::check_references(&mut tx, user.org_id, &input).await?;
    let id = data::insert(&mut tx, user.org_id, user.id, &input).await?;
    let entry = NewAuditEntry::by(&user, "requisition.created")
        .target("requisition", id)
        .details(serde_json::json!({ "title": input.title }));
    record(&mut *tx, entry).await?;
    if open_now {
        let (from, to) = (RequisitionStatus::Draft, RequisitionStatus::Open);
        if !data::set_status(&mut tx, user.org_id, id, from, to).await? {
            return Err(AppError::invalid(
                "The new requisition could not be opened. Try again.",
            ));
        }
        let entry = NewAuditEntry::by(&user, "requisition.status_changed")
            .target("requisition", id)
            .details(serde_json::json!({ "from": from.as_str(), "to": to.as_str() }));
        record(&mut *tx, entry).await?;
    }
    tx.commit().await?;
    leptos_axum::redirect(&format!("/requisitions/{id}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "requisitions/update")]
pub async fn update_requisition(id: Uuid, form: RequisitionForm) -> Result<(), AppError> {
    let user = require_role(crate::access::REQUISITION_ROLES).await?;
    let pool = crate::state::pool()?;
    find_for(&user, &pool, id).await?;
    let input = RequisitionInput::parse(form)?;
    let mut tx = pool.begin().await?;
    data::check_references(&mut tx, user.org_id, &input).await?;
    if !data::update(&mut tx, user.org_id, id, &input).await? {
        return Err(AppError::NotFound);
    }
    // The skills may have changed: the applications' skill scores follow.
    crate::jobs::queue::enqueue(
        &mut *tx,
        Some(user.org_id),
        &crate::skills::scores::ScoreRequisition { requisition_id: id },
    )
    .await?;
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "requisition.updated").target("requisition", id),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/requisitions/{id}"));
    Ok(())
}

/// Moves a requisition to another status, when that move is allowed from `from`.
#[server(prefix = "/api", endpoint = "requisitions/status")]
pub async fn change_requisition_status(id: Uuid, from: String, to: String) -> Result<(), AppError> {
    let user = require_role(crate::access::REQUISITION_ROLES).await?;
    let pool = crate::state::pool()?;
    let row = find_for(&user, &pool, id).await?;
    let (from, to) = match (
        RequisitionStatus::parse(&from),
        RequisitionStatus::parse(&to),
    ) {
        (Some(from), Some(to)) => (from, to),
        _ => return Err(AppError::invalid("Choose one of the offered statuses.")),
    };
    if row.status != from {
        return Err(AppError::invalid(format!(
            "Someone changed this requisition meanwhile: it is now {}. Reload to see it.",
            row.status.label().to_lowercase()
        )));
    }
    if !from.can_move_to(to) {
        return Err(AppError::invalid(format!(
            "A {} requisition cannot become {}.",
            from.label().to_lowercase(),
            to.label().to_lowercase()
        )));
    }
    let mut tx = pool.begin().await?;
    if !data::set_status(&mut tx, user.org_id, id, from, to).await? {
        return Err(AppError::invalid(
            "Someone changed this requisition meanwhile. Reload to see it.",
        ));
    }
    let entry = NewAuditEntry::by(&user, "requisition.status_changed")
        .target("requisition", id)
        .details(serde_json::json!({ "from": from.as_str(), "to": to.as_str() }));
    record(&mut *tx, entry).await?;
    tx.commit().await?;
    Ok(())
}
