//! Interviews (seed InterviewSession): one interviewer per session (a panel is several
//! sessions at the same time), a type, a start and a duration, where it happens and what
//! the interviewer should know. Invitations go out as email with an `.ics` file; moving
//! or cancelling sends an updated one. Interviewers see their own interviews and only
//! what they need of the candidate.

mod api;
pub mod page;

#[cfg(feature = "ssr")]
pub mod announce;
#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod ics;
#[cfg(feature = "ssr")]
pub mod service;

pub use api::*;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::Role;
use crate::error::AppError;

pub use crate::input::{parse_duration, MAX_DURATION_MINUTES, MIN_DURATION_MINUTES};
/// How far ahead the dashboard looks.
pub const UPCOMING_DAYS: i64 = 14;

/// Stored as text under the CHECK constraint of `interviews.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum InterviewKind {
    PhoneScreen,
    Technical,
    OnSite,
    Culture,
    HiringManager,
}

impl InterviewKind {
    pub const ALL: [InterviewKind; 5] = [
        InterviewKind::PhoneScreen,
        InterviewKind::Technical,
        InterviewKind::OnSite,
        InterviewKind::Culture,
        InterviewKind::HiringManager,
    ];

    /// The name forms send and the database stores.
    pub fn as_str(self) -> &'static str {
        match self {
            InterviewKind::PhoneScreen => "phone_screen",
            InterviewKind::Technical => "technical",
            InterviewKind::OnSite => "on_site",
            InterviewKind::Culture => "culture",
            InterviewKind::HiringManager => "hiring_manager",
        }
    }

    /// A kind as the scheduling form sends it.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            InterviewKind::PhoneScreen => "Phone screen",
            InterviewKind::Technical => "Technical",
            InterviewKind::OnSite => "On-site",
            InterviewKind::Culture => "Culture",
            InterviewKind::HiringManager => "Hiring manager",
        }
    }
}

/// Stored as text under the CHECK constraint of `interviews.status`; reading any other
/// value is a decode error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum InterviewStatus {
    Scheduled,
    Completed,
    Cancelled,
    NoShow,
}

impl InterviewStatus {
    pub const ALL: [InterviewStatus; 4] = [
        InterviewStatus::Scheduled,
        InterviewStatus::Completed,
        InterviewStatus::Cancelled,
        InterviewStatus::NoShow,
    ];

    /// The name forms send and the database stores.
    pub fn as_str(self) -> &'static str {
        match self {
            InterviewStatus::Scheduled => "scheduled",
            InterviewStatus::Completed => "completed",
            InterviewStatus::Cancelled => "cancelled",
            InterviewStatus::NoShow => "no_show",
        }
    }

    /// A status as the interview's buttons send it.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            InterviewStatus::Scheduled => "Scheduled",
            InterviewStatus::Completed => "Completed",
            InterviewStatus::Cancelled => "Cancelled",
            InterviewStatus::NoShow => "No-show",
        }
    }
}

impl InterviewStatus {
    /// Whether feedback is owed on an interview in this status: not once it was
    /// cancelled or the candidate did not come.
    pub fn takes_feedback(self) -> bool {
        matches!(
            self,
            InterviewStatus::Scheduled | InterviewStatus::Completed
        )
    }
}

/// Whether an interview may move from `from` to `to` at `now`. Only a scheduled interview
/// changes: it can be cancelled until it is recorded, and recorded as completed or a
/// no-show only once it has started.
pub fn check_status_move(
    from: InterviewStatus,
    to: InterviewStatus,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use InterviewStatus::*;
    match (from, to) {
        (Scheduled, Cancelled) => Ok(()),
        (Scheduled, Completed | NoShow) if starts_at <= now => Ok(()),
        (Scheduled, Completed | NoShow) => Err(AppError::invalid(
            "An interview can be marked completed or no-show only once it has started.",
        )),
        (Scheduled, Scheduled) => Err(AppError::invalid("The interview is already scheduled.")),
        (Cancelled, _) => Err(AppError::invalid(
            "The interview was cancelled; schedule a new one instead.",
        )),
        (Completed | NoShow, _) => Err(AppError::invalid(format!(
            "The interview is already recorded as {}.",
            from.label().to_lowercase()
        ))),
    }
}

/// Whether the spans [a, a + a_minutes) and [b, b + b_minutes) share any time; touching
/// ends (one ends at 10:00, the next starts at 10:00) do not clash.
pub fn overlaps(a: DateTime<Utc>, a_minutes: i32, b: DateTime<Utc>, b_minutes: i32) -> bool {
    a < b + Duration::minutes(b_minutes.into()) && b < a + Duration::minutes(a_minutes.into())
}

/// An optional video link: empty, or an http(s) address without spaces.
pub fn parse_video_url(url: &str) -> Result<String, AppError> {
    let url = url.trim();
    if url.is_empty() {
        return Ok(String::new());
    }
    let lower = url.to_ascii_lowercase();
    let has_host = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
    if !has_host || url.chars().any(char::is_whitespace) || url.len() > 2000 {
        return Err(AppError::invalid(
            "The video link must be a web address starting with https:// (or http://).",
        ));
    }
    Ok(url.to_string())
}

/// A new interview (or a new time) must not start in the past; a minute's grace covers
/// the time spent filling in the form.
pub fn check_start(starts_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), AppError> {
    if starts_at < now - Duration::minutes(1) {
        return Err(AppError::invalid(
            "The start is in the past; choose a time that is still ahead.",
        ));
    }
    Ok(())
}

/// An interview as a list shows it, with its time written in the viewer's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterviewSummary {
    pub id: Uuid,
    pub application_id: Uuid,
    pub candidate_name: String,
    pub requisition_title: String,
    pub interviewer_name: String,
    pub kind: InterviewKind,
    pub status: InterviewStatus,
    /// "Mon 23 Nov 2026, 10:00–11:00 CET" in the viewer's zone.
    pub when: String,
    /// The start for a `datetime-local` input, in the viewer's zone.
    pub starts_local: String,
    pub duration_minutes: i32,
    pub location: String,
    pub video_url: String,
    pub instructions: String,
    pub invite_candidate: bool,
    /// It has started, so it can be recorded as completed or no-show.
    pub has_started: bool,
    /// The interview plan's stage it was scheduled for.
    pub stage_name: Option<String>,
    /// The viewer may move and cancel it (`access::can_change_interview`).
    pub can_change: bool,
}

/// An application's interviews, with what the scheduling form needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationInterviews {
    pub interviews: Vec<InterviewSummary>,
    /// Active staff of the organization.
    pub interviewers: Vec<Interviewer>,
    /// The viewer's zone, in which the form's times are read.
    pub time_zone: String,
    /// The requisition's interview plan: (stage id, name).
    pub plan_stages: Vec<(Uuid, String)>,
}

/// A colleague who can interview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interviewer {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
}

impl Interviewer {
    /// "Name · Role", as the scheduling form offers them.
    pub fn label(&self) -> String {
        format!("{} · {}", self.name, self.role.label())
    }
}

/// One interview as its page shows it: what an interviewer needs and nothing more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterviewDetail {
    pub interview: InterviewSummary,
    pub candidate_headline: String,
    pub candidate_skills: Vec<String>,
    pub requisition_description_html: String,
    /// The viewer works on the requisition (and may open the application).
    pub can_manage: bool,
    pub time_zone: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use InterviewStatus::*;

    fn at(hour: u32, minute: u32) -> DateTime<Utc> {
        use chrono::TimeZone;
        Utc.with_ymd_and_hms(2026, 11, 23, hour, minute, 0).unwrap()
    }

    #[test]
    fn only_scheduled_interviews_change_and_records_wait_for_the_start() {
        let start = at(10, 0);
        assert!(check_status_move(Scheduled, Cancelled, start, at(9, 0)).is_ok());
        assert!(check_status_move(Scheduled, Completed, start, at(9, 0)).is_err());
        assert!(check_status_move(Scheduled, NoShow, start, at(9, 59)).is_err());
        assert!(check_status_move(Scheduled, Completed, start, at(10, 0)).is_ok());
        assert!(check_status_move(Scheduled, NoShow, start, at(11, 0)).is_ok());
        for to in InterviewStatus::ALL {
            assert!(check_status_move(Cancelled, to, start, at(12, 0)).is_err());
            assert!(check_status_move(Completed, to, start, at(12, 0)).is_err());
            assert!(check_status_move(NoShow, to, start, at(12, 0)).is_err());
        }
        assert!(check_status_move(Scheduled, Scheduled, start, at(9, 0)).is_err());
    }

    #[test]
    fn overlapping_spans_clash_and_touching_ones_do_not() {
        assert!(overlaps(at(10, 0), 60, at(10, 30), 60));
        assert!(overlaps(at(10, 30), 60, at(10, 0), 60));
        assert!(overlaps(at(10, 0), 120, at(10, 30), 15));
        assert!(!overlaps(at(10, 0), 60, at(11, 0), 30));
        assert!(!overlaps(at(11, 0), 30, at(10, 0), 60));
    }

    #[test]
    fn durations_links_and_starts_are_checked() {
        assert_eq!(parse_video_url("  ").unwrap(), "");
        assert_eq!(
            parse_video_url("https://meet.example/abc").unwrap(),
            "https://meet.example/abc"
        );
        assert!(parse_video_url("javascript:alert(1)").is_err());
        assert!(parse_video_url("https://").is_err());
        assert!(parse_video_url("ftp://files.example").is_err());
        assert!(parse_video_url("https://meet.example/a b").is_err());
        assert!(check_start(at(10, 0), at(9, 0)).is_ok());
        assert!(check_start(at(10, 0), at(10, 0) + Duration::seconds(30)).is_ok());
        assert!(check_start(at(10, 0), at(10, 5)).is_err());
    }

    #[test]
    fn kinds_and_statuses_round_trip() {
        for kind in InterviewKind::ALL {
            assert_eq!(InterviewKind::parse(kind.as_str()), Some(kind));
        }
        for status in InterviewStatus::ALL {
            assert_eq!(InterviewStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(InterviewKind::parse("lunch"), None);
    }
}
