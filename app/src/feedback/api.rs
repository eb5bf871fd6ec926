//! Server functions of interview feedback. The interviewer reads their kit and writes
//! their feedback; whoever works on the requisition reads the kit, the debrief and
//! decides; the calibration report shows admins and recruiters everyone and anyone else
//! their own figures. Each checks the session and role, then the interview or
//! application (another organization's is not found), then the input, and calls
//! `service.rs`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::calibration::InterviewerFigures;
use super::{Debrief, FeedbackForm, Kit};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::access::guard::{require_role, require_user},
    crate::access::{ADMINS, CANDIDATE_ROLES, REQUISITION_ROLES},
    crate::audit::data::{record, NewAuditEntry},
};

/// An interview's kit, with its feedback form for the interviewer.
#[server(prefix = "/api", endpoint = "feedback/kit")]
pub async fn load_kit(interview_id: Uuid) -> Result<Kit, AppError> {
    let user = require_user().await?;
    service::kit(&crate::state::pool()?, &user, interview_id).await
}

/// Saves the interviewer's draft (the form calls it as they type).
#[server(prefix = "/api", endpoint = "feedback/save_draft")]
pub async fn save_feedback_draft(form: FeedbackForm) -> Result<(), AppError> {
    let user = require_user().await?;
    let mut tx = crate::state::pool()?.begin().await?;
    service::save_draft(&mut tx, &user, &form).await?;
    tx.commit().await?;
    Ok(())
}

/// Submits the interviewer's feedback, which locks it.
#[server(prefix = "/api", endpoint = "feedback/submit")]
pub async fn submit_feedback(form: FeedbackForm) -> Result<(), AppError> {
    let user = require_user().await?;
    let mut tx = crate::state::pool()?.begin().await?;
    service::submit(&mut tx, &user, &form).await?;
    tx.commit().await?;
    Ok(())
}

/// Changes submitted feedback; the earlier version is kept.
#[server(prefix = "/api", endpoint = "feedback/edit")]
pub async fn edit_feedback(form: FeedbackForm) -> Result<(), AppError> {
    let user = require_user().await?;
    let mut tx = crate::state::pool()?.begin().await?;
    service::edit(&mut tx, &user, &form).await?;
    tx.commit().await?;
    Ok(())
}

/// An application's debrief.
#[server(prefix = "/api", endpoint = "feedback/debrief")]
pub async fn load_debrief(application_id: Uuid) -> Result<Debrief, AppError> {
    let user = require_role(REQUISITION_ROLES).await?;
    service::debrief(&crate::state::pool()?, &user, application_id).await
}

/// The debrief's decision as it is posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionForm {
    pub application_id: Uuid,
    /// "hire" or "reject".
    pub decision: String,
    #[serde(default)]
    pub stage_id: String,
    #[serde(default)]
    pub reason_id: String,
}

/// Records the hiring decision: hire (to the offer or hired stage) or reject with a
/// reason, as a pipeline move.
#[server(prefix = "/api", endpoint = "feedback/decide")]
pub async fn decide(form: DecisionForm) -> Result<(), AppError> {
    let user = require_role(REQUISITION_ROLES).await?;
    let id = |value: &str, message: &str| -> Result<Uuid, AppError> {
        value
            .trim()
            .parse()
            .map_err(|_| AppError::invalid(message.to_string()))
    };
    let decision = match form.decision.trim() {
        "hire" => service::Decision::Hire {
            stage: id(&form.stage_id, "Choose the stage a hire moves to.")?,
        },
        "reject" => service::Decision::Reject {
            reason: id(&form.reason_id, "Choose the reason for the rejection.")?,
        },
        _ => return Err(AppError::invalid("Choose to hire or to reject.")),
    };
    let pool = crate::state::pool()?;
    let mut tx = pool.begin().await?;
    service::decide(&pool, &mut tx, &user, form.application_id, decision).await?;
    tx.commit().await?;
    Ok(())
}

/// Asks an interviewer for their missing feedback.
#[server(prefix = "/api", endpoint = "feedback/nudge")]
pub async fn nudge_interviewer(interview_id: Uuid) -> Result<(), AppError> {
    let user = require_role(REQUISITION_ROLES).await?;
    let mut tx = crate::state::pool()?.begin().await?;
    service::nudge(&mut tx, &user, interview_id).await?;
    tx.commit().await?;
    Ok(())
}

/// The calibration report as its page asks for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationReport {
    /// The range, as dates (inclusive) in the viewer's zone.
    pub from: String,
    pub to: String,
    pub requisition: Option<Uuid>,
    /// Requisitions to filter by (for those who see everyone).
    pub requisitions: Vec<(Uuid, String)>,
    pub figures: Vec<InterviewerFigures>,
    /// The viewer sees every interviewer (admins and recruiters), not only themselves.
    pub everyone: bool,
}

/// The calibration report for a date range (dates in the viewer's zone; the last 90 days
/// by default) and optionally a requisition.
#[server(prefix = "/api", endpoint = "feedback/calibration")]
pub async fn load_calibration(
    from: Option<String>,
    to: Option<String>,
    requisition: Option<String>,
) -> Result<CalibrationReport, AppError> {
    use super::calibration::{figures, InterviewFacts, Timing};
    use chrono::{Duration, NaiveDate, TimeZone, Utc};

    let user = require_user().await?;
    let pool = crate::state::pool()?;
    let everyone = CANDIDATE_ROLES.contains(&user.role);
    let zone = crate::ui::time::zone_or_utc(&user.time_zone);
    let today = Utc::now().with_timezone(&zone).date_naive();
    let date = |value: Option<String>, default: NaiveDate, what: &str| match value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        None => Ok(default),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| AppError::invalid(format!("Give the {what} date as a date."))),
    };
    let from_day = date(from, today - Duration::days(90), "first")?;
    let to_day = date(to, today, "last")?;
    if to_day < from_day {
        return Err(AppError::invalid(
            "The last date comes before the first; swap them.",
        ));
    }
    let start = |day: NaiveDate| {
        zone.from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight"))
            .earliest()
            .map(|at| at.with_timezone(&Utc))
            .ok_or_else(|| AppError::invalid("That date does not exist in your time zone."))
    };
    let requisition = match requisition.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(id) if everyone => Some(
            id.parse::<Uuid>()
                .map_err(|_| AppError::invalid("Choose a requisition from the list."))?,
        ),
        Some(_) => None,
    };
    let rows = super::data::calibration(
        &pool,
        user.org_id,
        start(from_day)?,
        start(to_day + Duration::days(1))?,
        requisition,
    )
    .await?;
    let now = Utc::now();
    let facts: Vec<InterviewFacts> = rows
        .into_iter()
        .map(|row| InterviewFacts {
            interviewer_id: row.interviewer_id,
            interviewer_name: row.interviewer_name,
            application_id: row.application_id,
            owes_on_application: row.owes_on_application,
            timing: match row.first_submitted_at {
                Some(at) if at <= row.due_at => Timing::OnTime,
                Some(_) => Timing::Late,
                None if row.due_at <= now => Timing::Overdue,
                None => Timing::NotDueYet,
            },
            submitted: row
                .recommendation
                .zip(row.ratings)
                .map(|(recommendation, ratings)| (recommendation, ratings.0)),
        })
        .collect();
    let figures = figures(&facts)
        .into_iter()
        .filter(|f| everyone || f.interviewer_id == user.id)
        .collect();
    Ok(CalibrationReport {
        from: from_day.format("%Y-%m-%d").to_string(),
        to: to_day.format("%Y-%m-%d").to_string(),
        requisition,
        requisitions: if everyone {
            super::data::requisitions_with_interviews(&pool, user.org_id).await?
        } else {
            Vec::new()
        },
        figures,
        everyone,
    })
}

/// How many hours after an interview its feedback is due (admins).
#[server(prefix = "/api", endpoint = "feedback/settings")]
pub async fn load_feedback_settings() -> Result<i32, AppError> {
    let user = require_role(ADMINS).await?;
    Ok(super::data::due_hours(&crate::state::pool()?, user.org_id).await?)
}

#[server(prefix = "/api", endpoint = "feedback/save_settings")]
pub async fn save_feedback_settings(due_hours: String) -> Result<(), AppError> {
    let user = require_role(ADMINS).await?;
    let hours: i32 = due_hours
        .trim()
        .parse()
        .ok()
        .filter(|h| (1..=720).contains(h))
        .ok_or_else(|| {
            AppError::invalid("Give the hours as a whole number from 1 to 720 (30 days).")
        })?;
    let mut tx = crate::state::pool()?.begin().await?;
    let before = super::data::due_hours(&mut *tx, user.org_id).await?;
    super::data::set_due_hours(&mut tx, user.org_id, hours).await?;
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "feedback.settings_changed")
            .details(serde_json::json!({ "due_hours": { "from": before, "to": hours } })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
