//! Server functions of interviews. Admins, recruiters and the requisition's hiring manager
//! schedule, move and cancel; the interviewer sees their own interview and records how it
//! went; nobody else finds it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{ApplicationInterviews, InterviewDetail, InterviewSummary};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::data::{self, InterviewRow},
    super::ics,
    super::{InterviewKind, InterviewStatus},
    crate::access::guard::{require_role, require_user, AuthUser},
    crate::audit::data::{record, NewAuditEntry},
    crate::input::bounded,
    crate::requisitions::find_for,
    crate::ui::time::{format_span_in_zone, local_input_value, parse_local, zone_or_utc},
    chrono::{DateTime, Duration, Utc},
    chrono_tz::Tz,
    sqlx::PgConnection,
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
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RescheduleForm {
    pub interview_id: Uuid,
    pub starts_at: String,
    pub duration_minutes: String,
    pub anyway: Option<String>,
}

#[cfg(feature = "ssr")]
fn summary(row: &InterviewRow, zone: Tz, now: DateTime<Utc>) -> InterviewSummary {
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
    }
}

#[cfg(feature = "ssr")]
fn summaries(rows: &[InterviewRow], user: &AuthUser) -> Vec<InterviewSummary> {
    let zone = zone_or_utc(&user.time_zone);
    let now = Utc::now();
    rows.iter().map(|row| summary(row, zone, now)).collect()
}

/// The application (its requisition id) when `user` may schedule on it.
#[cfg(feature = "ssr")]
async fn manageable_application(
    user: &AuthUser,
    pool: &sqlx::PgPool,
    application_id: Uuid,
) -> Result<crate::notes::data::ApplicationContext, AppError> {
    let application = crate::notes::data::application(pool, user.org_id, application_id)
        .await?
        .ok_or(AppError::NotFound)?;
    find_for(user, pool, application.requisition_id).await?;
    Ok(application)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg(feature = "ssr")]
enum Access {
    /// Works on the requisition: may schedule, move, cancel and record.
    Manage,
    /// The interviewer: may see it and record how it went.
    Interviewer,
}

/// The interview, and what `user` may do with it; an interview they may not see is not
/// found. Both checks run on `conn`, the caller's transaction when it holds one.
#[cfg(feature = "ssr")]
async fn interview_for(
    user: &AuthUser,
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<(InterviewRow, Access), AppError> {
    let row = data::find(&mut *conn, user.org_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if crate::access::REQUISITION_ROLES.contains(&user.role) {
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

/// Refuses a slot in which the interviewer already has a scheduled interview.
#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
async fn check_clash(
    conn: &mut PgConnection,
    user: &AuthUser,
    interviewer_id: Uuid,
    interviewer_name: &str,
    starts_at: DateTime<Utc>,
    minutes: i32,
    except: Option<Uuid>,
) -> Result<(), AppError> {
    let end = starts_at + Duration::minutes(minutes.into());
    let near =
        data::scheduled_near(conn, user.org_id, interviewer_id, starts_at, end, except).await?;
    let clash = near
        .into_iter()
        .find(|(start, length)| super::overlaps(starts_at, minutes, *start, *length));
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

#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Scheduled,
    Rescheduled,
    Cancelled,
}

/// Emails the interviewer (and the candidate when they were invited) an invitation, an
/// update or a cancellation with the `.ics` file, and notifies the interviewer.
#[cfg(feature = "ssr")]
async fn announce(
    conn: &mut PgConnection,
    user: &AuthUser,
    row: &InterviewRow,
    change: Change,
) -> Result<(), AppError> {
    use crate::email::outbox::{enqueue, Attachment, OutgoingEmail};
    use crate::email::EmailAddress;
    use crate::notifications::{data::notify, Kind};

    let settings = crate::state::state()?.settings;
    let method = if change == Change::Cancelled {
        ics::Method::Cancel
    } else {
        ics::Method::Request
    };
    let organizer = ics::Person {
        name: row
            .organizer_name
            .clone()
            .unwrap_or_else(|| user.full_name.clone()),
        email: row
            .organizer_email
            .clone()
            .unwrap_or_else(|| user.email.clone()),
    };
    let kind = row.kind.label();
    let link = format!("/interviews/{}", row.id);
    let event = |attendee: ics::Person, summary: String, description: String| ics::Event {
        method,
        uid: ics::interview_uid(row.id, &settings.public_url),
        sequence: row.sequence,
        stamp: Utc::now(),
        start: row.starts_at,
        end: row.ends_at(),
        summary,
        description,
        location: row.location.clone(),
        url: (!row.video_url.is_empty()).then(|| row.video_url.clone()),
        organizer: organizer.clone(),
        attendees: vec![attendee],
    };
    let attachment = |event: &ics::Event| Attachment {
        filename: method.filename().to_string(),
        content_type: method.content_type(),
        body: ics::to_ics(event),
    };
    let (verb, subject_prefix) = match change {
        Change::Scheduled => ("scheduled", "Interview"),
        Change::Rescheduled => ("moved", "Interview moved"),
        Change::Cancelled => ("cancelled", "Interview cancelled"),
    };
    let related = Some(("candidate", row.candidate_id.to_string()));
    let where_lines = |with_link: bool| {
        let mut lines = String::new();
        if !row.location.is_empty() {
            lines.push_str(&format!("Where: {}\n", row.location));
        }
        if !row.video_url.is_empty() {
            lines.push_str(&format!("Video link: {}\n", row.video_url));
        }
        if with_link && !row.instructions.is_empty() {
            lines.push_str(&format!("\nInstructions:\n{}\n", row.instructions));
        }
        lines
    };

    // The interviewer, in their own time zone.
    let interviewer_zone = zone_or_utc(&row.interviewer_time_zone);
    let when = format_span_in_zone(&row.starts_at, &row.ends_at(), interviewer_zone);
    if let Ok(to) = EmailAddress::parse(&row.interviewer_email) {
        let summary = format!(
            "{kind} interview: {} ({})",
            row.candidate_name, row.requisition_title
        );
        let body = format!(
            "Hello {},\n\n{} {verb} a {} interview with {} for {}.\n\n\
             When: {when} ({} minutes)\n{}\n\
             Details: {}{link}\n\n\
             The attached calendar file {} your calendar.\n",
            row.interviewer_name,
            user.full_name,
            kind.to_lowercase(),
            row.candidate_name,
            row.requisition_title,
            row.duration_minutes,
            where_lines(true),
            settings.public_url,
            if change == Change::Cancelled {
                "removes it from"
            } else {
                "puts it in"
            },
        );
        let event = event(
            ics::Person {
                name: row.interviewer_name.clone(),
                email: row.interviewer_email.clone(),
            },
            summary.clone(),
            format!(
                "{}{}{link}",
                if row.instructions.is_empty() {
                    String::new()
                } else {
                    format!("{}\n\n", row.instructions)
                },
                settings.public_url
            ),
        );
        enqueue(
            &mut *conn,
            OutgoingEmail {
                org_id: Some(user.org_id),
                to,
                subject: format!("{subject_prefix}: {summary}, {when}"),
                body_text: body,
                related: related.clone(),
                attachment: Some(attachment(&event)),
            },
        )
        .await?;
    }

    // The candidate, when invited: in UTC (the calendar file shows it in their own zone).
    if row.invite_candidate {
        if let Ok(to) = EmailAddress::parse(&row.candidate_email) {
            let when_utc = format_span_in_zone(&row.starts_at, &row.ends_at(), Tz::UTC);
            let summary = format!(
                "{kind} interview for {} at {}",
                row.requisition_title, user.org_name
            );
            let body = match change {
                Change::Cancelled => format!(
                    "Hello {},\n\nYour {} interview for the {} position at {} on {when_utc} has been cancelled. We will be in touch.\n",
                    row.candidate_name, kind.to_lowercase(), row.requisition_title, user.org_name
                ),
                _ => format!(
                    "Hello {},\n\nYour {} interview for the {} position at {} is {}.\n\n\
                     When: {when_utc} (UTC+00:00; the attached calendar file shows it in your time zone)\n\
                     Duration: {} minutes\n{}\nWe look forward to speaking with you.\n",
                    row.candidate_name,
                    kind.to_lowercase(),
                    row.requisition_title,
                    user.org_name,
                    if change == Change::Scheduled { "scheduled" } else { "moved to a new time" },
                    row.duration_minutes,
                    where_lines(false),
                ),
            };
            let event = event(
                ics::Person {
                    name: row.candidate_name.clone(),
                    email: row.candidate_email.clone(),
                },
                summary.clone(),
                String::new(),
            );
            enqueue(
                &mut *conn,
                OutgoingEmail {
                    org_id: Some(user.org_id),
                    to,
                    subject: format!("{subject_prefix}: {summary}"),
                    body_text: body,
                    related: related.clone(),
                    attachment: Some(attachment(&event)),
                },
            )
            .await?;
        }
    }

    if row.interviewer_id != user.id {
        let title = format!(
            "{} {verb} your {} interview with {} ({}), {when}",
            user.full_name,
            kind.to_lowercase(),
            row.candidate_name,
            row.requisition_title
        );
        notify(
            conn,
            user.org_id,
            &[row.interviewer_id],
            Kind::Interview,
            &title,
            &link,
            &settings.public_url,
        )
        .await?;
    }
    Ok(())
}

/// An application's interviews and what its scheduling form offers.
#[server(prefix = "/api", endpoint = "interviews/of_application")]
pub async fn load_application_interviews(
    application_id: Uuid,
) -> Result<ApplicationInterviews, AppError> {
    let user = require_role(crate::access::REQUISITION_ROLES).await?;
    let pool = crate::state::pool()?;
    manageable_application(&user, &pool, application_id).await?;
    let rows = data::of_application(&pool, user.org_id, application_id).await?;
    let interviewers = data::interviewers(&pool, user.org_id)
        .await?
        .into_iter()
        .map(|(id, name, role)| (id, format!("{name} · {}", role.label())))
        .collect();
    Ok(ApplicationInterviews {
        interviews: summaries(&rows, &user),
        interviewers,
        time_zone: zone_or_utc(&user.time_zone).name().to_string(),
    })
}

/// Schedules one interview (a panel: one per interviewer) and sends the invitations.
#[server(prefix = "/api", endpoint = "interviews/schedule")]
pub async fn schedule_interview(form: ScheduleForm) -> Result<(), AppError> {
    let user = require_role(crate::access::REQUISITION_ROLES).await?;
    let pool = crate::state::pool()?;
    manageable_application(&user, &pool, form.application_id).await?;
    let interviewer_id: Uuid = form
        .interviewer_id
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("Choose the interviewer."))?;
    let kind = InterviewKind::parse(form.kind.trim())
        .ok_or_else(|| AppError::invalid("Choose the type of interview."))?;
    let starts_at = parse_local(&form.starts_at, zone_or_utc(&user.time_zone))?;
    super::check_start(starts_at, Utc::now())?;
    let duration = super::parse_duration(&form.duration_minutes)?;
    let location = bounded("the location", &form.location, 500)?;
    let video_url = super::parse_video_url(&form.video_url)?;
    let instructions = bounded("the instructions", &form.instructions, 5000)?;

    let mut tx = pool.begin().await?;
    let (interviewer_name, _) = data::active_user(&mut tx, user.org_id, interviewer_id)
        .await?
        .ok_or_else(|| AppError::invalid("Choose an active colleague as the interviewer."))?;
    data::lock_schedule(&mut tx, interviewer_id).await?;
    if form.anyway.is_none() {
        check_clash(
            &mut tx,
            &user,
            interviewer_id,
            &interviewer_name,
            starts_at,
            duration,
            None,
        )
        .await?;
    }
    let id = data::insert(
        &mut tx,
        data::NewInterview {
            org_id: user.org_id,
            application_id: form.application_id,
            interviewer_id,
            kind,
            starts_at,
            duration_minutes: duration,
            location: &location,
            video_url: &video_url,
            instructions: &instructions,
            invite_candidate: form.invite_candidate.is_some(),
            created_by: user.id,
        },
    )
    .await?;
    let row = data::find(&mut tx, user.org_id, id)
        .await?
        .ok_or(AppError::Internal)?;
    announce(&mut tx, &user, &row, Change::Scheduled).await?;
    let entry = NewAuditEntry::by(&user, "interview.scheduled")
        .target("interview", id)
        .details(serde_json::json!({
            "application": form.application_id,
            "interviewer": interviewer_id,
            "kind": kind.as_str(),
            "starts_at": starts_at,
            "duration_minutes": duration,
            "invite_candidate": row.invite_candidate,
            "despite_clash": form.anyway.is_some(),
        }));
    record(&mut *tx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves an interview to a new time; updated invitations go out.
#[server(prefix = "/api", endpoint = "interviews/reschedule")]
pub async fn reschedule_interview(form: RescheduleForm) -> Result<(), AppError> {
    let user = require_role(crate::access::REQUISITION_ROLES).await?;
    let pool = crate::state::pool()?;
    let mut tx = pool.begin().await?;
    let (row, access) = interview_for(&user, &mut tx, form.interview_id).await?;
    if access != Access::Manage {
        return Err(AppError::Forbidden);
    }
    if row.status != InterviewStatus::Scheduled {
        return Err(AppError::invalid(format!(
            "The interview is {}; only a scheduled interview can be moved.",
            row.status.label().to_lowercase()
        )));
    }
    let starts_at = parse_local(&form.starts_at, zone_or_utc(&user.time_zone))?;
    super::check_start(starts_at, Utc::now())?;
    let duration = super::parse_duration(&form.duration_minutes)?;
    data::lock_schedule(&mut tx, row.interviewer_id).await?;
    if form.anyway.is_none() {
        check_clash(
            &mut tx,
            &user,
            row.interviewer_id,
            &row.interviewer_name,
            starts_at,
            duration,
            Some(row.id),
        )
        .await?;
    }
    if !data::reschedule(&mut tx, user.org_id, row.id, starts_at, duration).await? {
        return Err(AppError::invalid(
            "The interview changed meanwhile; reload the page and try again.",
        ));
    }
    let updated = data::find(&mut tx, user.org_id, row.id)
        .await?
        .ok_or(AppError::Internal)?;
    announce(&mut tx, &user, &updated, Change::Rescheduled).await?;
    let entry = NewAuditEntry::by(&user, "interview.rescheduled")
        .target("interview", row.id)
        .details(serde_json::json!({
            "from": row.starts_at,
            "to": starts_at,
            "duration_minutes": duration,
            "sequence": updated.sequence,
            "despite_clash": form.anyway.is_some(),
        }));
    record(&mut *tx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Cancels an interview; cancellations go to everyone who was invited.
#[server(prefix = "/api", endpoint = "interviews/cancel")]
pub async fn cancel_interview(interview_id: Uuid) -> Result<(), AppError> {
    let user = require_role(crate::access::REQUISITION_ROLES).await?;
    let pool = crate::state::pool()?;
    let mut tx = pool.begin().await?;
    let (row, access) = interview_for(&user, &mut tx, interview_id).await?;
    if access != Access::Manage {
        return Err(AppError::Forbidden);
    }
    super::check_status_move(
        row.status,
        InterviewStatus::Cancelled,
        row.starts_at,
        Utc::now(),
    )?;
    if !data::set_status(&mut tx, user.org_id, row.id, InterviewStatus::Cancelled).await? {
        return Err(AppError::invalid(
            "The interview changed meanwhile; reload the page and try again.",
        ));
    }
    let updated = data::find(&mut tx, user.org_id, row.id)
        .await?
        .ok_or(AppError::Internal)?;
    announce(&mut tx, &user, &updated, Change::Cancelled).await?;
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "interview.cancelled")
            .target("interview", row.id)
            .details(
                serde_json::json!({ "starts_at": row.starts_at, "sequence": updated.sequence }),
            ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records how an interview went: completed or no-show (once it has started).
#[server(prefix = "/api", endpoint = "interviews/mark")]
pub async fn mark_interview(interview_id: Uuid, status: String) -> Result<(), AppError> {
    let user = require_user().await?;
    let pool = crate::state::pool()?;
    let to = InterviewStatus::parse(status.trim())
        .filter(|s| matches!(s, InterviewStatus::Completed | InterviewStatus::NoShow))
        .ok_or_else(|| AppError::invalid("Mark the interview as completed or no-show."))?;
    let mut tx = pool.begin().await?;
    let (row, _) = interview_for(&user, &mut tx, interview_id).await?;
    super::check_status_move(row.status, to, row.starts_at, Utc::now())?;
    if !data::set_status(&mut tx, user.org_id, row.id, to).await? {
        return Err(AppError::invalid(
            "The interview changed meanwhile; reload the page and try again.",
        ));
    }
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "interview.status_changed")
            .target("interview", row.id)
            .details(serde_json::json!({ "from": row.status, "to": to.as_str() })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One interview as its page shows it: for its interviewer, and for those who work on
/// the requisition.
#[server(prefix = "/api", endpoint = "interviews/get")]
pub async fn load_interview(id: Uuid) -> Result<InterviewDetail, AppError> {
    let user = require_user().await?;
    let pool = crate::state::pool()?;
    let mut conn = pool.acquire().await?;
    let (row, access) = interview_for(&user, &mut conn, id).await?;
    drop(conn);
    let (headline, skills) = data::candidate_brief(&pool, user.org_id, row.candidate_id).await?;
    let description = data::job_description(&pool, user.org_id, row.requisition_id).await?;
    let zone = zone_or_utc(&user.time_zone);
    Ok(InterviewDetail {
        interview: summary(&row, zone, Utc::now()),
        candidate_headline: headline,
        candidate_skills: skills,
        requisition_description_html: crate::markdown::to_safe_html(&description),
        can_manage: access == Access::Manage,
        time_zone: zone.name().to_string(),
    })
}

/// The signed-in user's own scheduled interviews of the coming days.
#[server(prefix = "/api", endpoint = "interviews/upcoming")]
pub async fn load_upcoming_interviews() -> Result<Vec<InterviewSummary>, AppError> {
    let user = require_user().await?;
    let pool = crate::state::pool()?;
    let rows = data::upcoming_for(&pool, user.org_id, user.id, super::UPCOMING_DAYS).await?;
    Ok(summaries(&rows, &user))
}

/// A candidate's interviews, for their profile (admins and recruiters).
#[server(prefix = "/api", endpoint = "interviews/of_candidate")]
pub async fn load_candidate_interviews(
    candidate_id: Uuid,
) -> Result<Vec<InterviewSummary>, AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let pool = crate::state::pool()?;
    crate::candidates::data::find(&pool, user.org_id, candidate_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = data::of_candidate(&pool, user.org_id, candidate_id).await?;
    Ok(summaries(&rows, &user))
}
