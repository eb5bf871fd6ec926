//! Server functions of candidates: admins and recruiters keep the records; a hiring
//! manager opens the limited profile of the candidates in the requisitions they manage
//! (`profile_access`).

use leptos::prelude::*;
use uuid::Uuid;

use super::{CandidateForm, CandidateList, CandidateProfile, LimitedProfile};
use crate::error::AppError;
use crate::skills::SkillRef;

#[cfg(feature = "ssr")]
use {
    super::{data, CandidateInput},
    crate::access::guard::{require_role, AuthUser},
    crate::audit::data::{record, NewAuditEntry},
};

/// Search the organization's candidates. `tags` is comma-separated, `-tag` excluding;
/// `skill` is a skill id, `-id` for candidates without it.
#[server(prefix = "/api", endpoint = "candidates/list")]
pub async fn list_candidates(
    text: Option<String>,
    tags: Option<String>,
    skill: Option<String>,
    source: Option<String>,
    sort: Option<String>,
    after: Option<String>,
) -> Result<CandidateList, AppError> {
    use super::{CandidateQuery, PAGE_SIZE};
    use crate::input::Page;

    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let pool = crate::state::pool()?;
    let query = CandidateQuery::from_search(text, tags, skill, source, sort, after)?;
    let rows = data::list(&pool, user.org_id, &query, PAGE_SIZE + 1).await?;
    let Page { items, next } = Page::cut(rows, PAGE_SIZE, |last| data::cursor(query.sort, last));
    Ok(CandidateList {
        items,
        next,
        skills: crate::skills::data::offered(&pool, user.org_id).await?,
    })
}

/// The skills a candidate form offers.
#[server(prefix = "/api", endpoint = "candidates/skills")]
pub async fn candidate_skill_choices() -> Result<Vec<SkillRef>, AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    Ok(crate::skills::data::offered(&crate::state::pool()?, user.org_id).await?)
}

#[server(prefix = "/api", endpoint = "candidates/get")]
pub async fn load_candidate(id: Uuid) -> Result<CandidateProfile, AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let pool = crate::state::pool()?;
    let row = data::find(&pool, user.org_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(CandidateProfile {
        source: row.source,
        id: row.id,
        full_name: row.full_name,
        email: row.email,
        phone: row.phone,
        location: row.location,
        headline: row.headline,
        tags: row.tags,
        skills: data::skills_of(&pool, id).await?,
        created_at: row.created_at,
        created_by: row.created_by,
        emails: crate::email::history::about_candidate(&pool, user.org_id, id).await?,
    })
}

/// Which profile of the candidate `user` may open: the whole record for admins and
/// recruiters (whether the candidate exists is theirs to check), the limited one for a
/// hiring manager when the candidate has an application on a requisition they manage.
/// Anyone else, and a hiring manager for any other candidate (or none), is refused.
#[cfg(feature = "ssr")]
pub async fn profile_access(
    pool: &sqlx::PgPool,
    user: &AuthUser,
    id: Uuid,
) -> Result<crate::access::ProfileView, AppError> {
    use crate::access::{profile_view, Role};

    let in_managed_requisition = user.role == Role::HiringManager
        && data::in_requisition_managed_by(pool, user.org_id, id, user.id).await?;
    profile_view(user.role, in_managed_requisition).ok_or(AppError::Forbidden)
}

/// The candidate's name and their applications on the requisitions the user may work
/// on: all of them for admins and recruiters, those they manage for a hiring manager.
/// What a hiring manager's profile page shows; never contact details.
#[server(prefix = "/api", endpoint = "candidates/limited")]
pub async fn load_limited_candidate(id: Uuid) -> Result<LimitedProfile, AppError> {
    use crate::access::ProfileView;

    let user = require_role(crate::access::CANDIDATE_PROFILE_ROLES).await?;
    let pool = crate::state::pool()?;
    let manager = match profile_access(&pool, &user, id).await? {
        ProfileView::Full => None,
        ProfileView::Limited => Some(user.id),
    };
    let full_name = data::name_of(&pool, user.org_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(LimitedProfile {
        id,
        full_name,
        applications: data::applications_of(&pool, user.org_id, id, manager).await?,
    })
}

#[cfg(feature = "ssr")]
async fn check(
    tx: &mut sqlx::PgConnection,
    user: &AuthUser,
    input: &CandidateInput,
    except: Option<Uuid>,
) -> Result<(), AppError> {
    if let Some((_, name)) = data::with_email(tx, user.org_id, input.email.as_str(), except).await?
    {
        return Err(AppError::invalid(format!(
            "{name} already has the address {}: search for them instead of adding them again.",
            input.email
        )));
    }
    if !crate::skills::data::all_offered(tx, user.org_id, &input.skills).await? {
        return Err(AppError::invalid(
            "Choose skills from the organization's skill list.",
        ));
    }
    Ok(())
}

#[cfg(feature = "ssr")]
fn duplicate_email(error: sqlx::Error) -> AppError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            AppError::invalid("Another candidate has that email address already.")
        }
        _ => error.into(),
    }
}

#[server(prefix = "/api", endpoint = "candidates/create")]
pub async fn create_candidate(form: CandidateForm) -> Result<(), AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let input = CandidateInput::parse(form)?;
    let mut tx = crate::state::pool()?.begin().await?;
    check(&mut tx, &user, &input, None).await?;
    let id = data::insert(&mut tx, user.org_id, user.id, &input)
        .await
        .map_err(duplicate_email)?;
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "candidate.created").target("candidate", id),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/candidates/{id}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "candidates/update")]
pub async fn update_candidate(id: Uuid, form: CandidateForm) -> Result<(), AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let input = CandidateInput::parse(form)?;
    let mut tx = crate::state::pool()?.begin().await?;
    check(&mut tx, &user, &input, Some(id)).await?;
    if !data::update(&mut tx, user.org_id, id, &input)
        .await
        .map_err(duplicate_email)?
    {
        return Err(AppError::NotFound);
    }
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "candidate.updated").target("candidate", id),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/candidates/{id}"));
    Ok(())
}

/// Deletes the candidate and everything about them: applications with their notes,
/// history and interviews, skills, the emails about them, and records merged into
/// them. What stays is an audit entry with the id only. `confirm` must be "yes".
#[server(prefix = "/api", endpoint = "candidates/delete")]
pub async fn delete_candidate(id: Uuid, confirm: Option<String>) -> Result<(), AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    if confirm.as_deref() != Some("yes") {
        return Err(AppError::invalid(
            "Tick the box to confirm that everything about this candidate is deleted.",
        ));
    }
    let mut tx = crate::state::pool()?.begin().await?;
    let removed = data::delete(&mut tx, user.org_id, id).await?;
    if removed == 0 {
        return Err(AppError::NotFound);
    }
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "candidate.deleted")
            .target("candidate", id)
            .details(serde_json::json!({ "records": removed })),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/candidates");
    Ok(())
}
