//! Server functions of interviews. Admins, recruiters and the requisition's hiring manager
//! schedule; admins and recruiters move and cancel any, the hiring manager those they
//! booked (`access::can_change_interview`); the interviewer sees their own interview and
//! records how it went; nobody else finds it. Each function checks the role, then that the user may see
//! what the call is about, then the input, and calls `service.rs` in a transaction or a
//! query of `data.rs`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{ApplicationInterviews, InterviewDetail, InterviewSummary};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::data,
    super::service::{self, summaries, NewSchedule, Slot},
    super::{InterviewKind, InterviewStatus},
    crate::access::guard::{require_role, require_user, AuthUser},
    crate::access::REQUISITION_ROLES,
    crate::input::bounded,
    crate::pipeline::service::application_for,
    crate::ui::time::{parse_local, zone_or_utc},
    chrono::Utc,
};

/// The scheduling form as it is posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleForm {
    pub application_id: Uuid,
    pub interviewer_id: String,
    pub kind: String,
    /// A `datetime-local` value in the scheduler's time zone.
    pub starts_at: String,
    pub duration_minutes: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub video_url: String,
    #[serde(default)]
    pub instructions: String,
    /// Checkbox: also send the invitation to the candidate.
    pub invite_candidate: Option<String>,
    /// Checkbox: book it even when the interviewer is busy then.
    pub anyway: Option<String>,
    /// The interview plan's stage (a stage id, or empty for none).
    #[serde(default)]
    pub plan_stage_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RescheduleForm {
    pub interview_id: Uuid,
    pub starts_at: String,
    pub duration_minutes: String,
    pub anyway: Option<String>,
}

/// The start and duration of a form, read in `user`'s zone and checked.
#[cfg(feature = "ssr")]
fn parse_slot(
    user: &AuthUser,
    starts_at: &str,
    duration_minutes: &str,
    anyway: &Option<String>,
) -> Result<Slot, AppError> {
    let starts_at = parse_local(starts_at, zone_or_utc(&user.time_zone))?;
    super::check_start(starts_at, Utc::now())?;
    Ok(Slot {
        starts_at,
        duration_minutes: super::parse_duration(duration_minutes)?,
        despite_clash: anyway.is_some(),
    })
}

#[cfg(feature = "ssr")]
fn parse_schedule(user: &AuthUser, form: ScheduleForm) -> Result<NewSchedule, AppError> {
    let interviewer_id: Uuid = form
        .interviewer_id
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("Choose the interviewer."))?;
    let kind = InterviewKind::parse(form.kind.trim())
        .ok_or_else(|| AppError::invalid("Choose the type of interview."))?;
    let slot = parse_slot(user, &form.starts_at, &form.duration_minutes, &form.anyway)?;
    Ok(NewSchedule {
        interviewer_id,
        kind,
        slot,
        location: bounded("the location", &form.location, 500)?,
        video_url: super::parse_video_url(&form.video_url)?,
        instructions: bounded("the instructions", &form.instructions, 5000)?,
        invite_candidate: form.invite_candidate.is_some(),
        plan_stage_id: match form.plan_stage_id.trim() {
            "" => None,
            id => Some(id.parse().map_err(|_| {
                AppError::invalid("Choose a stage of this requisition's interview plan.")
            })?),
        },
    })
}

/// An application's interviews and what its scheduling form offers.
#[server(prefix = "/api", endpoint = "interviews/of_application")]
pub async fn load_application_interviews(
    application_id: Uuid,
) -> Result<ApplicationInterviews, AppError> {
    let user = require_role(REQUISITION_ROLES).await?;
    service::application_interviews(&crate::state::pool()?, &user, application_id).await
}

/// Schedules one interview (a panel: one per interviewer) and sends the invitations.
#[server(prefix = "/api", endpoint = "interviews/schedule")]
pub async fn schedule_interview(form: ScheduleForm) -> Result<(), AppError> {
    let user = require_role(REQUISITION_ROLES).await?;
    let pool = crate::state::pool()?;
    let (application, _) =
        application_for(&user, &mut *pool.acquire().await?, form.application_id).await?;
    let new = parse_schedule(&user, form)?;
    let mut tx = pool.begin().await?;
    service::schedule(&mut tx, &user, &application, &new).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves an interview to a new time; updated invitations go out.
#[server(prefix = "/api", endpoint = "interviews/reschedule")]
pub async fn reschedule_interview(form: RescheduleForm) -> Result<(), AppError> {
    let user = require_role(REQUISITION_ROLES).await?;
    let mut tx = crate::state::pool()?.begin().await?;
    let row = service::movable_interview(&user, &mut tx, form.interview_id).await?;
    let slot = parse_slot(&user, &form.starts_at, &form.duration_minutes, &form.anyway)?;
    service::reschedule(&mut tx, &user, &row, slot).await?;
    tx.commit().await?;
    Ok(())
}

/// Cancels an interview; cancellations go to everyone who was invited.
#[server(prefix = "/api", endpoint = "interviews/cancel")]
pub async fn cancel_interview(interview_id: Uuid) -> Result<(), AppError> {
    let user = require_role(REQUISITION_ROLES).await?;
    let mut tx = crate::state::pool()?.begin().await?;
    service::cancel(&mut tx, &user, interview_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Records how an interview went: completed or no-show (once it has started).
#[server(prefix = "/api", endpoint = "interviews/mark")]
pub async fn mark_interview(interview_id: Uuid, status: String) -> Result<(), AppError> {
    let user = require_user().await?;
    let to = InterviewStatus::parse(status.trim())
        .filter(|s| matches!(s, InterviewStatus::Completed | InterviewStatus::NoShow))
        .ok_or_else(|| AppError::invalid("Mark the interview as completed or no-show."))?;
    let mut tx = crate::state::pool()?.begin().await?;
    service::mark(&mut tx, &user, interview_id, to).await?;
    tx.commit().await?;
    Ok(())
}

/// One interview as its page shows it: for its interviewer, and for those who work on
/// the requisition.
#[server(prefix = "/api", endpoint = "interviews/get")]
pub async fn load_interview(id: Uuid) -> Result<InterviewDetail, AppError> {
    let user = require_user().await?;
    service::detail(&crate::state::pool()?, &user, id).await
}

/// The signed-in user's own scheduled interviews of the coming days.
#[server(prefix = "/api", endpoint = "interviews/upcoming")]
pub async fn load_upcoming_interviews() -> Result<Vec<InterviewSummary>, AppError> {
    let user = require_user().await?;
    let pool = crate::state::pool()?;
    let rows = data::upcoming_for(&pool, user.org_id, user.id, super::UPCOMING_DAYS).await?;
    Ok(summaries(&rows, &user))
}

/// A candidate's interviews, for their profile: all of them for admins and recruiters,
/// those on the requisitions they manage for a hiring manager who may open the
/// candidate's limited profile (`candidates::profile_access`).
#[server(prefix = "/api", endpoint = "interviews/of_candidate")]
pub async fn load_candidate_interviews(
    candidate_id: Uuid,
) -> Result<Vec<InterviewSummary>, AppError> {
    use crate::access::{can_work_on, ProfileView};

    let user = require_role(crate::access::CANDIDATE_PROFILE_ROLES).await?;
    let pool = crate::state::pool()?;
    let view = crate::candidates::profile_access(&pool, &user, candidate_id).await?;
    if view == ProfileView::Full {
        crate::candidates::data::find(&pool, user.org_id, candidate_id)
            .await?
            .ok_or(AppError::NotFound)?;
    }
    let mut rows = data::of_candidate(&pool, user.org_id, candidate_id).await?;
    rows.retain(|row| can_work_on(user.role, user.id, row.requisition_manager_id));
    Ok(summaries(&rows, &user))
}
