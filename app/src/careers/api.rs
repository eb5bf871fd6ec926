//! Server functions of the careers page (public: they show only posted jobs of an active
//! organization) and of posting (admins and recruiters).

use leptos::prelude::*;
use uuid::Uuid;

use super::{JobBoard, JobPosting};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::data,
    crate::access::guard::require_role,
    crate::audit::data::{record, NewAuditEntry},
    serde_json::json,
};

/// The organization's careers page: its posted jobs by department and location.
#[server(prefix = "/api", endpoint = "careers/board")]
pub async fn careers_board(
    slug: String,
    department: Option<String>,
    location: Option<String>,
) -> Result<JobBoard, AppError> {
    let pool = crate::state::pool()?;
    let org = data::organization(&pool, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let jobs = data::posted(
        &pool,
        org.id,
        department.as_deref().unwrap_or_default(),
        location.as_deref().unwrap_or_default(),
    )
    .await?;
    let (departments, locations) = data::filter_values(&pool, org.id).await?;
    Ok(JobBoard {
        org_name: org.name,
        slug: org.slug,
        jobs,
        departments,
        locations,
    })
}

/// A posted job with its description and the privacy notice its form consents to.
#[server(prefix = "/api", endpoint = "careers/job")]
pub async fn careers_job(slug: String, id: Uuid) -> Result<JobPosting, AppError> {
    let pool = crate::state::pool()?;
    let org = data::organization(&pool, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let posting = data::posting(&pool, org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(JobPosting {
        description_html: crate::markdown::to_safe_html(&posting.description_md),
        privacy_notice_html: crate::markdown::to_safe_html(&org.privacy_notice_md),
        retention_months: org.application_retention_months,
        org_name: org.name,
        slug: org.slug,
        job: posting.job,
    })
}

/// A requisition's place on the careers page, as its page shows it to those who post.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Posting {
    pub requisition_id: Uuid,
    pub title: String,
    pub posted: bool,
    /// Only an open requisition may be posted (and only then is it listed).
    pub open: bool,
    /// The public page of the job.
    pub job_path: String,
    pub assessment_id: Option<Uuid>,
    /// The requisition's published assessments, which applicants may be invited to.
    pub assessments: Vec<(Uuid, String)>,
}

/// How the requisition is posted (admins and recruiters post).
#[server(prefix = "/api", endpoint = "careers/posting")]
pub async fn load_posting(requisition_id: Uuid) -> Result<Posting, AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let pool = crate::state::pool()?;
    let requisition = crate::requisitions::find_for(&user, &pool, requisition_id).await?;
    let (posted, assessment_id, slug) =
        data::posting_of(&pool, user.org_id, requisition_id).await?;
    let assessments = data::published_assessments(&pool, user.org_id, requisition_id).await?;
    Ok(Posting {
        requisition_id,
        title: requisition.title,
        posted,
        open: requisition.status == crate::requisitions::RequisitionStatus::Open,
        job_path: super::job_path(&slug, requisition_id),
        assessment_id,
        assessments,
    })
}

/// Posts the requisition on the careers page (or takes it off), with the assessment its
/// applicants are invited to at once (none: not invited).
#[server(prefix = "/api", endpoint = "careers/post")]
pub async fn post_requisition(
    requisition_id: Uuid,
    posted: Option<String>,
    assessment_id: Option<String>,
) -> Result<(), AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let pool = crate::state::pool()?;
    let requisition = crate::requisitions::find_for(&user, &pool, requisition_id).await?;
    let posted = posted.as_deref() == Some("yes");
    if posted && requisition.status != crate::requisitions::RequisitionStatus::Open {
        return Err(AppError::invalid(
            "Only an open requisition can be posted: open it first.",
        ));
    }
    let assessment_id = match assessment_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(id) => Some(
            id.parse::<Uuid>()
                .map_err(|_| AppError::invalid("Choose one of the offered assessments."))?,
        ),
    };
    let mut tx = pool.begin().await?;
    if let Some(assessment_id) = assessment_id {
        let published = data::published_assessments(&mut *tx, user.org_id, requisition_id)
            .await?
            .iter()
            .any(|(id, _)| *id == assessment_id);
        if !published {
            return Err(AppError::invalid(
                "Choose a published assessment of this requisition.",
            ));
        }
    }
    data::set_posting(&mut tx, user.org_id, requisition_id, posted, assessment_id).await?;
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "requisition.posting_changed")
            .target("requisition", requisition_id)
            .details(json!({ "posted": posted, "assessment": assessment_id })),
    )
    .await?;
    tx.commit().await?;
    let text = if posted {
        "Posted on the careers page."
    } else {
        "Not on the careers page."
    };
    crate::ui::notice::redirect_with_notice(
        &format!("/requisitions/{requisition_id}/careers"),
        text,
    );
    Ok(())
}

/// The organization's careers settings (admins).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CareersSettings {
    pub slug: String,
    pub privacy_notice_md: String,
    pub retention_months: i32,
}

#[server(prefix = "/api", endpoint = "careers/settings")]
pub async fn load_careers_settings() -> Result<CareersSettings, AppError> {
    let user = require_role(crate::access::ADMINS).await?;
    let (slug, privacy_notice_md, retention_months) =
        data::settings(&crate::state::pool()?, user.org_id).await?;
    Ok(CareersSettings {
        slug,
        privacy_notice_md,
        retention_months,
    })
}

#[server(prefix = "/api", endpoint = "careers/settings/save")]
pub async fn save_careers_settings(
    privacy_notice: String,
    retention_months: String,
) -> Result<(), AppError> {
    let user = require_role(crate::access::ADMINS).await?;
    let notice = crate::input::bounded("the privacy notice", privacy_notice.trim(), 20_000)?;
    let months = retention_months
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|m| (1..=120).contains(m))
        .ok_or_else(|| AppError::invalid("Keep applications for 1 to 120 months."))?;
    let pool = crate::state::pool()?;
    data::save_settings(&pool, user.org_id, &notice, months).await?;
    record(
        &pool,
        NewAuditEntry::by(&user, "organization.careers_settings_changed")
            .details(json!({ "retention_months": months })),
    )
    .await?;
    crate::ui::notice::redirect_with_notice("/admin/careers", "Careers settings saved.");
    Ok(())
}

/// What the candidate sent with an application from the careers page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Submission {
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub cover_letter: String,
    pub links: Vec<super::GivenLink>,
    pub sent_at: chrono::DateTime<chrono::Utc>,
    /// How many times they sent the form for this job.
    pub times: i64,
}

/// The latest submission of an application from the careers page, for those who see
/// candidates' contact details (admins, recruiters); nothing otherwise.
#[server(prefix = "/api", endpoint = "careers/submission")]
pub async fn load_submission(application_id: Uuid) -> Result<Option<Submission>, AppError> {
    let user = require_role(crate::access::REQUISITION_ROLES).await?;
    let pool = crate::state::pool()?;
    {
        let mut conn = pool.acquire().await?;
        crate::pipeline::service::application_for(&user, &mut conn, application_id).await?;
    }
    if !crate::access::CANDIDATE_ROLES.contains(&user.role) {
        return Ok(None);
    }
    Ok(data::latest_submission(&pool, user.org_id, application_id)
        .await?
        .map(|row| Submission {
            full_name: row.full_name,
            email: row.email,
            phone: row.phone,
            cover_letter: row.cover_letter,
            links: row.links.0,
            sent_at: row.created_at,
            times: row.submissions,
        }))
}
