//! The first page after sign-in: the work waiting for the person, per role, each item a
//! link to where it is done, with counts.
//!
//! - recruiters (and admins, who recruit too): their open requisitions with candidates per
//!   stage and what is new since they last signed in; answers to grade; invitations that
//!   expire within two days unstarted; interviews on their requisitions today and later
//!   this week; feedback overdue on their requisitions; proctored sessions to review;
//! - hiring managers: the requisitions they manage; candidates whose interview feedback is
//!   all in, waiting for their decision; proctored sessions of their requisitions;
//! - interviewers (and anyone who interviews): their next interviews, each opening its kit,
//!   and the feedback they owe, oldest first;
//! - admins, besides: the team, pending invitations, failed jobs;
//! - everyone: recent activity as sentences.
//!
//! "My requisitions": for a hiring manager those they manage; for others those they opened
//! or are on the team of.

mod api;
pub mod page;

#[cfg(feature = "ssr")]
pub mod data;

pub use api::*;

use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::Role;
use crate::interviews::InterviewSummary;
use crate::jobs::JobCounts;
use crate::users::TeamCounts;

/// Which queues a role's dashboard shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sections {
    /// The requisitions they recruit on (`false`: none of the recruiting queues).
    pub recruiting: bool,
    /// The requisitions they manage and the decisions waiting for them.
    pub managing: bool,
    /// Their own interviews as interviewer, always shown (even when none).
    pub interviewing: bool,
    pub proctoring: bool,
    pub admin: bool,
}

impl Sections {
    pub fn for_role(role: Role) -> Self {
        Self {
            recruiting: matches!(role, Role::Admin | Role::Recruiter),
            managing: role == Role::HiringManager,
            interviewing: matches!(role, Role::Interviewer | Role::HiringManager),
            proctoring: crate::access::PROCTORING_REVIEW_ROLES.contains(&role),
            admin: role == Role::Admin,
        }
    }
}

/// A requisition of mine with its candidates per open stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequisitionWork {
    pub id: Uuid,
    pub title: String,
    /// Shown when not open (a manager's draft or one on hold).
    pub status: crate::requisitions::RequisitionStatus,
    /// Candidates in active stages.
    pub active: i64,
    pub stages: Vec<(String, i64)>,
    /// Applications made since the viewer's previous sign-in.
    pub new_since: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradingWork {
    pub session_id: Uuid,
    pub candidate_name: String,
    pub assessment_title: String,
    pub answers: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpiringInvite {
    pub assessment_id: Uuid,
    pub candidate_name: String,
    pub assessment_title: String,
    pub expires_at: DateTime<Utc>,
    /// In the viewer's zone.
    pub expires: String,
}

/// Feedback not submitted for an interview that has ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwedFeedback {
    pub interview_id: Uuid,
    pub application_id: Uuid,
    pub candidate_name: String,
    pub requisition_title: String,
    pub interviewer_name: String,
    pub due_at: DateTime<Utc>,
    /// In the viewer's zone.
    pub due: String,
    pub overdue: bool,
}

/// An application whose interviews' feedback is all in since it entered its stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionWork {
    pub application_id: Uuid,
    pub candidate_name: String,
    pub requisition_title: String,
    pub stage_name: String,
    pub feedback: i64,
}

/// A list of at most `LIMIT` items of a queue, and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue<T> {
    pub items: Vec<T>,
    pub total: i64,
}

impl<T> Queue<T> {
    /// The queue of `rows` (a page of at most `LIMIT`), each carrying the count of all.
    pub fn of<R>(rows: Vec<R>, total: impl Fn(&R) -> i64, item: impl FnMut(R) -> T) -> Self {
        Self {
            total: rows.first().map_or(0, total),
            items: rows.into_iter().map(item).collect(),
        }
    }
}

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            total: 0,
        }
    }
}

/// Items listed per queue; the count says when there are more.
pub const LIMIT: i64 = 10;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub team: TeamCounts,
    pub jobs: JobCounts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub at: DateTime<Utc>,
    pub sentence: String,
    pub action: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colleague {
    pub full_name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub greeting_name: String,
    pub sections: Sections,
    /// The viewer's previous sign-in, in their zone; `None` on their first.
    pub since: Option<String>,
    pub requisitions: Vec<RequisitionWork>,
    pub grading: Queue<GradingWork>,
    pub expiring: Queue<ExpiringInvite>,
    pub interviews_today: Vec<InterviewSummary>,
    pub interviews_this_week: Vec<InterviewSummary>,
    pub overdue: Queue<OwedFeedback>,
    pub proctoring_waiting: i64,
    pub decisions: Queue<DecisionWork>,
    /// The viewer's own interviews to come.
    pub my_interviews: Vec<InterviewSummary>,
    pub owed: Queue<OwedFeedback>,
    pub admin: Option<AdminOverview>,
    pub activity: Vec<Activity>,
    pub colleagues: Vec<Colleague>,
}

/// Today's start, tomorrow's start and the end of this week (next Monday, 00:00) in
/// `zone`, as instants: "today" and "later this week" are the viewer's, not the server's.
pub fn day_and_week<Z: TimeZone>(now: DateTime<Utc>, zone: &Z) -> [DateTime<Utc>; 3] {
    let local = now.with_timezone(zone).date_naive();
    let start_of = |date: chrono::NaiveDate| {
        let naive = date.and_time(NaiveTime::MIN);
        // A midnight that a clock change skips: the first instant after it.
        zone.from_local_datetime(&naive)
            .earliest()
            .or_else(|| {
                zone.from_local_datetime(&(naive + Duration::hours(1)))
                    .earliest()
            })
            .map(|at| at.with_timezone(&Utc))
            .unwrap_or_else(|| naive.and_utc())
    };
    let days_to_monday = 7 - i64::from(local.weekday().num_days_from_monday());
    [
        start_of(local),
        start_of(local + Duration::days(1)),
        start_of(local + Duration::days(days_to_monday)),
    ]
}

pub use crate::ui::counted;

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn each_role_sees_its_own_queues() {
        let recruiter = Sections::for_role(Role::Recruiter);
        assert!(recruiter.recruiting && recruiter.proctoring);
        assert!(!recruiter.managing && !recruiter.admin && !recruiter.interviewing);
        let manager = Sections::for_role(Role::HiringManager);
        assert!(manager.managing && manager.interviewing && manager.proctoring);
        assert!(!manager.recruiting);
        let interviewer = Sections::for_role(Role::Interviewer);
        assert!(interviewer.interviewing);
        assert!(!interviewer.recruiting && !interviewer.managing && !interviewer.proctoring);
        let admin = Sections::for_role(Role::Admin);
        assert!(admin.admin && admin.recruiting);
    }

    #[test]
    fn today_and_this_week_are_the_viewers_own_days() {
        let zone: chrono_tz::Tz = "America/New_York".parse().unwrap();
        // Wednesday 2 December 2026, 02:00 UTC: still Tuesday the 1st in New York.
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 2, 0, 0).unwrap();
        let [today, tomorrow, week_end] = day_and_week(now, &zone);
        assert_eq!(today, Utc.with_ymd_and_hms(2026, 12, 1, 5, 0, 0).unwrap());
        assert_eq!(
            tomorrow,
            Utc.with_ymd_and_hms(2026, 12, 2, 5, 0, 0).unwrap()
        );
        assert_eq!(
            week_end,
            Utc.with_ymd_and_hms(2026, 12, 7, 5, 0, 0).unwrap()
        );
    }

    #[test]
    fn on_a_sunday_the_week_ends_at_midnight() {
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 12, 0, 0).unwrap();
        let [_, tomorrow, week_end] = day_and_week(now, &Utc);
        assert_eq!(tomorrow, week_end);
    }

    #[test]
    fn a_midnight_skipped_by_a_clock_change_starts_the_day_an_hour_on() {
        // Santiago moved its clocks from 00:00 to 01:00 on 6 September 2026.
        let zone: chrono_tz::Tz = "America/Santiago".parse().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 9, 6, 15, 0, 0).unwrap();
        let [today, ..] = day_and_week(now, &zone);
        assert_eq!(
            today.with_timezone(&zone).time(),
            NaiveTime::from_hms_opt(1, 0, 0).unwrap()
        );
    }

    #[test]
    fn counts_read_in_the_right_number() {
        assert_eq!(counted(1, "answer", "answers"), "1 answer");
        assert_eq!(counted(0, "answer", "answers"), "0 answers");
        assert_eq!(counted(12, "answer", "answers"), "12 answers");
    }
}
