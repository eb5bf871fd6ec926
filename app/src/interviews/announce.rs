//! What an interview's change sends: an email with the `.ics` invitation, update or
//! cancellation to the interviewer (and the candidate when they were invited), and a
//! notification to the interviewer.

use chrono::Utc;
use chrono_tz::Tz;
use sqlx::PgConnection;

use super::data::InterviewRow;
use super::ics;
use crate::access::guard::AuthUser;
use crate::error::AppError;
use crate::ui::time::{format_span_in_zone, zone_or_utc};

/// What happened to an interview, which decides the messages' words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Scheduled,
    Rescheduled,
    Cancelled,
}

/// Emails the interviewer (and the candidate when they were invited) an invitation, an
/// update or a cancellation with the `.ics` file, and notifies the interviewer.
pub async fn announce(
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
                link: None,
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
                    link: None,
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
