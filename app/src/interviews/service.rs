//! What the interviews' server functions call after the guard and the input checks: who
//! may see and change which interview, the clash check, scheduling, moving, cancelling
//! and recording how it went (each on the caller's transaction, announced by
//! `announce.rs` and audited), and the reads that gather a page's data.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::announce::{announce, Change};
use super::data::{self, InterviewRow};
use super::{
    check_status_move, overlaps, ApplicationInterviews, InterviewDetail, InterviewKind,
    InterviewStatus, InterviewSummary, Interviewer,
};
use crate::access::guard::AuthUser;
use crate::access::{can_change_interview, REQUISITION_ROLES};
use crate::audit::data::{record, NewAuditEntry};
use crate::error::AppError;
use crate::pipeline::data::ApplicationContext;
use crate::pipeline::service::application_for;
use crate::requisitions::find_for;
use crate::ui::time::{format_span_in_zone, local_input_value, zone_or_utc};

fn summary(row: &InterviewRow, user: &AuthUser, zone: Tz, now: DateTime<Utc>) -> InterviewSummary {
    InterviewSummary {
        id: row.id,
        application_id: row.application_id,
        candidate_name: row.candidate_name.clone(),
        requisition_title: row.requisition_title.clone(),
        interviewer_name: row.interviewer_name.clone(),
        kind: row.kind,
        status: row.status,
        when: format_span_in_zone(&row.starts_at, &row.ends_at(), zone),
        starts_local: local_input_value(&row.starts_at, zone),
        duration_minutes: row.duration_minutes,
        location: row.location.clone(),
        video_url: row.video_url.clone(),
        instructions: row.instructions.clone(),
        invite_candidate: row.invite_candidate,
        has_started: row.starts_at <= now,
        stage_name: row.plan_stage_name.clone(),
        can_change: may_change(user, row),
    }
}

/// Whether `user` may move and cancel the interview (`access::can_change_interview`).
fn may_change(user: &AuthUser, row: &InterviewRow) -> bool {
    can_change_interview(
        user.role,
        user.id,
        row.requisition_manager_id,
        row.created_by,
    )
}

/// The interviews as lists show them, times in `user`'s zone.
pub fn summaries(rows: &[InterviewRow], user: &AuthUser) -> Vec<InterviewSummary> {
    let zone = zone_or_utc(&user.time_zone);
    let now = Utc::now();
    rows.iter()
        .map(|row| summary(row, user, zone, now))
        .collect()
}

/// What `user` may do with an interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Works on the requisition: may schedule, move, cancel and record.
    Manage,
    /// The interviewer: may see it and record how it went.
    Interviewer,
}

/// The interview, and what `user` may do with it; an interview they may not see is not
/// found. Both checks run on `conn`, the caller's transaction when it holds one.
pub async fn interview_for(
    user: &AuthUser,
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<(InterviewRow, Access), AppError> {
    let row = data::find(&mut *conn, user.org_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if REQUISITION_ROLES.contains(&user.role) {
        match find_for(user, conn, row.requisition_id).await {
            Ok(_) => return Ok((row, Access::Manage)),
            Err(AppError::NotFound) => {}
            Err(error) => return Err(error),
        }
    }
    if row.interviewer_id == user.id {
        Ok((row, Access::Interviewer))
    } else {
        Err(AppError::NotFound)
    }
}

/// The interview when `user` may move or cancel it.
pub async fn managed_interview(
    user: &AuthUser,
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<InterviewRow, AppError> {
    match interview_for(user, conn, id).await? {
        (row, Access::Manage) => Ok(row),
        (_, Access::Interviewer) => Err(AppError::Forbidden),
    }
}

/// The interview when `user` may move or cancel it: those who work on the requisition,
/// a hiring manager only the interviews they booked (`access::can_change_interview`).
pub async fn changeable_interview(
    user: &AuthUser,
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<InterviewRow, AppError> {
    let row = managed_interview(user, conn, id).await?;
    if may_change(user, &row) {
        Ok(row)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Refuses a slot in which the interviewer already has a scheduled interview.
async fn check_clash(
    conn: &mut PgConnection,
    user: &AuthUser,
    interviewer_id: Uuid,
    interviewer_name: &str,
    slot: &Slot,
    except: Option<Uuid>,
) -> Result<(), AppError> {
    let (starts_at, minutes) = (slot.starts_at, slot.duration_minutes);
    let end = starts_at + Duration::minutes(minutes.into());
    let near =
        data::scheduled_near(conn, user.org_id, interviewer_id, starts_at, end, except).await?;
    let clash = near
        .into_iter()
        .find(|(start, length)| overlaps(starts_at, minutes, *start, *length));
    match clash {
        None => Ok(()),
        Some((start, length)) => {
            let zone = zone_or_utc(&user.time_zone);
            let other_end = start + Duration::minutes(length.into());
            Err(AppError::invalid(format!(
                "{interviewer_name} already has an interview {}. Choose another time, or tick “Schedule anyway” to book it regardless.",
                format_span_in_zone(&start, &other_end, zone)
            )))
        }
    }
}

/// When an interview happens, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i32,
    /// Book it even when the interviewer is busy then.
    pub despite_clash: bool,
}

/// A checked scheduling form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSchedule {
    pub interviewer_id: Uuid,
    pub kind: InterviewKind,
    pub slot: Slot,
    pub location: String,
    pub video_url: String,
    pub instructions: String,
    /// Also send the invitation to the candidate.
    pub invite_candidate: bool,
    /// The stage of the requisition's interview plan.
    pub plan_stage_id: Option<Uuid>,
}

/// Schedules one interview on an application `application_for` found and sends the
/// invitations. Returns the interview's id.
pub async fn schedule(
    tx: &mut PgConnection,
    user: &AuthUser,
    application: &ApplicationContext,
    new: &NewSchedule,
) -> Result<Uuid, AppError> {
    let (interviewer_name, _) = data::active_user(tx, user.org_id, new.interviewer_id)
        .await?
        .ok_or_else(|| AppError::invalid("Choose an active colleague as the interviewer."))?;
    if let Some(stage) = new.plan_stage_id {
        let requisition =
            crate::scorecards::data::stage_requisition(tx, user.org_id, stage).await?;
        if requisition != Some(application.requisition_id) {
            return Err(AppError::invalid(
                "Choose a stage of this requisition's interview plan.",
            ));
        }
    }
    data::lock_schedule(tx, new.interviewer_id).await?;
    let slot = new.slot;
    if !slot.despite_clash {
        check_clash(tx, user, new.interviewer_id, &interviewer_name, &slot, None).await?;
    }
    let id = data::insert(
        tx,
        data::NewInterview {
            org_id: user.org_id,
            application_id: application.id,
            interviewer_id: new.interviewer_id,
            kind: new.kind,
            starts_at: slot.starts_at,
            duration_minutes: slot.duration_minutes,
            location: &new.location,
            video_url: &new.video_url,
            instructions: &new.instructions,
            invite_candidate: new.invite_candidate,
            created_by: user.id,
            plan_stage_id: new.plan_stage_id,
        },
    )
    .await?;
    let row = data::find(tx, user.org_id, id)
        .await?
        .ok_or(AppError::Internal)?;
    announce(tx, user, &row, Change::Scheduled).await?;
    let entry = NewAuditEntry::by(user, "interview.scheduled")
        .target("interview", id)
        .details(serde_json::json!({
            "application": application.id,
            "interviewer": new.interviewer_id,
            "kind": new.kind.as_str(),
            "starts_at": slot.starts_at,
            "duration_minutes": slot.duration_minutes,
            "invite_candidate": row.invite_candidate,
            "despite_clash": slot.despite_clash,
            "plan_stage": new.plan_stage_id,
        }));
    record(&mut *tx, entry).await?;
    Ok(id)
}

/// The interview when `user` may move it (`changeable_interview`) and it is still
/// scheduled.
pub async fn movable_interview(
    user: &AuthUser,
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<InterviewRow, AppError> {
    let row = changeable_interview(user, conn, id).await?;
    if row.status != InterviewStatus::Scheduled {
        return Err(AppError::invalid(format!(
            "The interview is {}; only a scheduled interview can be moved.",
            row.status.label().to_lowercase()
        )));
    }
    Ok(row)
}

/// Moves the interview `row` (found by `movable_interview` in this transaction) to
/// `slot`; updated invitations go out.
pub async fn reschedule(
    tx: &mut PgConnection,
    user: &AuthUser,
    row: &InterviewRow,
    slot: Slot,
) -> Result<(), AppError> {
    data::lock_schedule(tx, row.interviewer_id).await?;
    if !slot.despite_clash {
        check_clash(
            tx,
            user,
            row.interviewer_id,
            &row.interviewer_name,
            &slot,
            Some(row.id),
        )
        .await?;
    }
    if !data::reschedule(
        tx,
        user.org_id,
        row.id,
        slot.starts_at,
        slot.duration_minutes,
    )
    .await?
    {
        return Err(changed_meanwhile());
    }
    let updated = data::find(tx, user.org_id, row.id)
        .await?
        .ok_or(AppError::Internal)?;
    announce(tx, user, &updated, Change::Rescheduled).await?;
    let entry = NewAuditEntry::by(user, "interview.rescheduled")
        .target("interview", row.id)
        .details(serde_json::json!({
            "from": row.starts_at,
            "to": slot.starts_at,
            "duration_minutes": slot.duration_minutes,
            "sequence": updated.sequence,
            "despite_clash": slot.despite_clash,
        }));
    record(&mut *tx, entry).await?;
    Ok(())
}

fn changed_meanwhile() -> AppError {
    AppError::invalid("The interview changed meanwhile; reload the page and try again.")
}

/// Cancels an interview; cancellations go to everyone who was invited.
pub async fn cancel(
    tx: &mut PgConnection,
    user: &AuthUser,
    interview_id: Uuid,
) -> Result<(), AppError> {
    let row = changeable_interview(user, tx, interview_id).await?;
    check_status_move(
        row.status,
        InterviewStatus::Cancelled,
        row.starts_at,
        Utc::now(),
    )?;
    if !data::set_status(tx, user.org_id, row.id, InterviewStatus::Cancelled).await? {
        return Err(changed_meanwhile());
    }
    let updated = data::find(tx, user.org_id, row.id)
        .await?
        .ok_or(AppError::Internal)?;
    announce(tx, user, &updated, Change::Cancelled).await?;
    record(
        &mut *tx,
        NewAuditEntry::by(user, "interview.cancelled")
            .target("interview", row.id)
            .details(
                serde_json::json!({ "starts_at": row.starts_at, "sequence": updated.sequence }),
            ),
    )
    .await?;
    Ok(())
}

/// Records how an interview went (`to`: completed or no-show), once it has started.
pub async fn mark(
    tx: &mut PgConnection,
    user: &AuthUser,
    interview_id: Uuid,
    to: InterviewStatus,
) -> Result<(), AppError> {
    let (row, _) = interview_for(user, tx, interview_id).await?;
    check_status_move(row.status, to, row.starts_at, Utc::now())?;
    if !data::set_status(tx, user.org_id, row.id, to).await? {
        return Err(changed_meanwhile());
    }
    record(
        &mut *tx,
        NewAuditEntry::by(user, "interview.status_changed")
            .target("interview", row.id)
            .details(serde_json::json!({ "from": row.status, "to": to.as_str() })),
    )
    .await?;
    Ok(())
}

/// An application's interviews and whom its scheduling form offers.
pub async fn application_interviews(
    pool: &PgPool,
    user: &AuthUser,
    application_id: Uuid,
) -> Result<ApplicationInterviews, AppError> {
    let (application, _) =
        application_for(user, &mut *pool.acquire().await?, application_id).await?;
    let rows = data::of_application(pool, user.org_id, application_id).await?;
    let plan_stages =
        crate::scorecards::data::stage_names(pool, user.org_id, application.requisition_id).await?;
    let interviewers = data::interviewers(pool, user.org_id)
        .await?
        .into_iter()
        .map(|(id, name, role)| Interviewer { id, name, role })
        .collect();
    Ok(ApplicationInterviews {
        interviews: summaries(&rows, user),
        interviewers,
        time_zone: zone_or_utc(&user.time_zone).name().to_string(),
        plan_stages,
    })
}

/// One interview as its page shows it, for its interviewer and for those who work on
/// the requisition.
pub async fn detail(pool: &PgPool, user: &AuthUser, id: Uuid) -> Result<InterviewDetail, AppError> {
    let (row, access) = interview_for(user, &mut *pool.acquire().await?, id).await?;
    let (headline, skills) = data::candidate_brief(pool, user.org_id, row.candidate_id).await?;
    let description = data::job_description(pool, user.org_id, row.requisition_id).await?;
    let zone = zone_or_utc(&user.time_zone);
    Ok(InterviewDetail {
        interview: summary(&row, user, zone, Utc::now()),
        candidate_headline: headline,
        candidate_skills: skills,
        requisition_description_html: crate::markdown::to_safe_html(&description),
        can_manage: access == Access::Manage,
        time_zone: zone.name().to_string(),
    })
}
