//! Assessments (seed Assessment, AssessmentToken, AssessmentApplication): what a test asks
//! (fixed questions, or N drawn at random per set or tag), its settings, the draft →
//! published → archived life with frozen content, invites by email with reminders, and the
//! results: grading text answers, per-session and per-assessment views, CSV export.

mod api;
pub mod export;
pub mod grading;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod invites;
#[cfg(feature = "ssr")]
pub mod publish;
#[cfg(feature = "ssr")]
pub mod retake;
#[cfg(feature = "ssr")]
pub mod scoring;
#[cfg(feature = "ssr")]
pub mod service;

pub use api::*;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;
use crate::input::bounded;
use crate::questions::model::QuestionKind;
use crate::results::{SessionStatus, Verdict};

pub const DEFAULT_EXPIRY_DAYS: i64 = 7;
pub const MAX_EXPIRY_DAYS: i64 = 60;
pub const MAX_INSTRUCTIONS: usize = 20_000;
pub const MAX_MESSAGE: usize = 5_000;

/// Stored as text under the CHECK constraint of `assessments.status`; reading any other
/// value is a decode error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentStatus {
    Draft,
    Published,
    Archived,
}

impl AssessmentStatus {
    pub const ALL: [AssessmentStatus; 3] = [Self::Draft, Self::Published, Self::Archived];

    /// The name forms send and the database stores.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Archived => "archived",
        }
    }

    /// A status as the list's filter sends it.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Published => "Published",
            Self::Archived => "Archived",
        }
    }
}

/// Only a draft's content may change: a published version is frozen so its results stay
/// comparable, and changing it means editing a new version.
pub fn check_editable(status: AssessmentStatus) -> Result<(), AppError> {
    match status {
        AssessmentStatus::Draft => Ok(()),
        AssessmentStatus::Published => Err(AppError::invalid(
            "This assessment is published, so its content is frozen. Use “Edit as new version” to change it.",
        )),
        AssessmentStatus::Archived => Err(AppError::invalid(
            "This assessment is archived and cannot be changed.",
        )),
    }
}

pub use crate::results::Accommodation;

/// What the test page monitors, stored in `assessments.proctoring`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Proctoring {
    pub tab_switches: bool,
    pub fullscreen: bool,
    pub copy_paste: bool,
    pub webcam: bool,
    /// Seconds between webcam snapshots (used when `webcam` is on).
    pub snapshot_interval_seconds: u32,
}

impl Default for Proctoring {
    fn default() -> Self {
        Self {
            tab_switches: true,
            fullscreen: false,
            copy_paste: true,
            webcam: false,
            snapshot_interval_seconds: 60,
        }
    }
}

impl Proctoring {
    /// This monitoring for a candidate with `accommodation`: without the webcam when
    /// their invite waives it.
    pub fn applied(self, accommodation: Accommodation) -> Self {
        Self {
            webcam: self.webcam && !accommodation.webcam_waived,
            ..self
        }
    }

    pub const MIN_SNAPSHOT_SECONDS: u32 = 10;
    pub const MAX_SNAPSHOT_SECONDS: u32 = 600;

    /// What the test page records, as its markup names it (`data-capture`): `tabs`,
    /// `fullscreen`, `clipboard`, `webcam`, comma-separated.
    pub fn capture_list(&self) -> String {
        [
            (self.tab_switches, "tabs"),
            (self.fullscreen, "fullscreen"),
            (self.copy_paste, "clipboard"),
            (self.webcam, "webcam"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect::<Vec<_>>()
        .join(",")
    }

    /// What the candidate is told is monitored, one sentence each.
    pub fn monitored_items(&self) -> Vec<&'static str> {
        let mut items = Vec::new();
        if self.tab_switches {
            items.push("Leaving the test's tab or window is recorded.");
        }
        if self.fullscreen {
            items.push("The test runs in full screen; leaving full screen is recorded.");
        }
        if self.copy_paste {
            items.push("Copying, cutting and pasting are recorded.");
        }
        if self.webcam {
            items.push("Your webcam takes a photo at intervals while you answer.");
        }
        items
    }
}

/// The assessment form as it is posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentForm {
    pub requisition_id: String,
    pub title: String,
    #[serde(default)]
    pub instructions: String,
    pub time_limit_minutes: String,
    pub pass_mark_percent: String,
    pub attempts_allowed: String,
    /// `datetime-local` values in the editor's time zone; empty for no limit.
    #[serde(default)]
    pub available_from: String,
    #[serde(default)]
    pub available_until: String,
    pub shuffle_questions: Option<String>,
    pub shuffle_options: Option<String>,
    pub tab_switches: Option<String>,
    pub fullscreen: Option<String>,
    pub copy_paste: Option<String>,
    pub webcam: Option<String>,
    #[serde(default)]
    pub snapshot_interval_seconds: String,
}

/// A checked assessment form, times already in UTC.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentInput {
    pub requisition_id: Uuid,
    pub title: String,
    pub instructions: String,
    pub time_limit_minutes: i32,
    pub pass_mark_percent: i32,
    pub attempts_allowed: i32,
    pub available_from: Option<DateTime<Utc>>,
    pub available_until: Option<DateTime<Utc>>,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
    pub proctoring: Proctoring,
}

fn whole_number(value: &str, what: &str, min: i64, max: i64) -> Result<i64, AppError> {
    value
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| {
            AppError::invalid(format!(
                "The {what} must be a whole number from {min} to {max}."
            ))
        })
}

impl AssessmentInput {
    /// Checks the form; `parse_time` reads a `datetime-local` value in the editor's zone.
    pub fn parse(
        form: AssessmentForm,
        parse_time: impl Fn(&str) -> Result<DateTime<Utc>, AppError>,
    ) -> Result<Self, AppError> {
        let requisition_id = form
            .requisition_id
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("Choose the requisition the assessment is for."))?;
        let title = bounded("the title", &form.title, 200)?;
        if title.is_empty() {
            return Err(AppError::invalid("Give the assessment a title."));
        }
        let instructions = bounded("the instructions", &form.instructions, MAX_INSTRUCTIONS)?;
        let optional_time = |value: &str| {
            if value.trim().is_empty() {
                Ok(None)
            } else {
                parse_time(value).map(Some)
            }
        };
        let available_from = optional_time(&form.available_from)?;
        let available_until = optional_time(&form.available_until)?;
        if let (Some(from), Some(until)) = (available_from, available_until) {
            if from >= until {
                return Err(AppError::invalid(
                    "The availability must end after it starts.",
                ));
            }
        }
        let webcam = form.webcam.is_some();
        let snapshot_interval_seconds = if form.snapshot_interval_seconds.trim().is_empty() {
            Proctoring::default().snapshot_interval_seconds
        } else {
            whole_number(
                &form.snapshot_interval_seconds,
                "snapshot interval (seconds)",
                Proctoring::MIN_SNAPSHOT_SECONDS.into(),
                Proctoring::MAX_SNAPSHOT_SECONDS.into(),
            )? as u32
        };
        Ok(Self {
            requisition_id,
            title,
            instructions,
            time_limit_minutes: whole_number(
                &form.time_limit_minutes,
                "time limit (minutes)",
                1,
                600,
            )? as i32,
            pass_mark_percent: whole_number(&form.pass_mark_percent, "pass mark (%)", 0, 100)?
                as i32,
            attempts_allowed: whole_number(&form.attempts_allowed, "number of attempts", 1, 10)?
                as i32,
            available_from,
            available_until,
            shuffle_questions: form.shuffle_questions.is_some(),
            shuffle_options: form.shuffle_options.is_some(),
            proctoring: Proctoring {
                tab_switches: form.tab_switches.is_some(),
                fullscreen: form.fullscreen.is_some(),
                copy_paste: form.copy_paste.is_some(),
                webcam,
                snapshot_interval_seconds,
            },
        })
    }
}

/// How many days an invite link stays valid; empty means the default week.
pub fn parse_expiry_days(value: &str) -> Result<i64, AppError> {
    if value.trim().is_empty() {
        return Ok(DEFAULT_EXPIRY_DAYS);
    }
    whole_number(
        value,
        "number of days the link stays valid",
        1,
        MAX_EXPIRY_DAYS,
    )
}

/// When the reminder goes out: a day before expiry, or half-way for links that last two
/// days or less.
pub fn reminder_at(sent: DateTime<Utc>, expires: DateTime<Utc>) -> DateTime<Utc> {
    let life = expires - sent;
    if life > Duration::hours(48) {
        expires - Duration::hours(24)
    } else {
        sent + life / 2
    }
}

/// "in 7 days", "in 5 hours": how long a link has left, in plain words.
pub fn time_left_in_words(now: DateTime<Utc>, until: DateTime<Utc>) -> String {
    let left = until - now;
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if left.num_days() >= 2 {
        format!("in {}", plural((left.num_hours() + 12) / 24, "day"))
    } else if left.num_hours() >= 1 {
        format!("in {}", plural(left.num_hours(), "hour"))
    } else {
        format!("in {}", plural(left.num_minutes().max(1), "minute"))
    }
}

/// A grader's score: a number from 0 to the question's points in steps of a half.
pub fn parse_score(value: &str, points: i32) -> Result<f64, AppError> {
    let message =
        || AppError::invalid(format!("Give a score from 0 to {points}, in steps of 0.5."));
    let score = crate::questions::model::parse_number(value).ok_or_else(message)?;
    if !(0.0..=f64::from(points)).contains(&score) || (score * 2.0).fract() != 0.0 {
        return Err(message());
    }
    Ok(score)
}

/// An assessment in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AssessmentSummary {
    pub id: Uuid,
    pub title: String,
    pub version: i32,
    pub status: AssessmentStatus,
    pub requisition_id: Uuid,
    pub requisition_title: String,
    pub items: i64,
    pub invited: i64,
    pub sessions: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentList {
    pub items: Vec<AssessmentSummary>,
    /// Requisitions to filter by: (id, title).
    pub requisitions: Vec<(Uuid, String)>,
    pub can_create: bool,
}

/// One item of an assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: Uuid,
    pub position: i32,
    pub source: ItemSource,
    /// How many questions the item asks.
    pub asks: i32,
}

/// Where an item's questions come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemSource {
    /// One question of the bank: its prompt's first line as plain text
    /// (`markdown::headline`) and its kind.
    Question {
        headline: String,
        kind: Option<QuestionKind>,
    },
    FromSet {
        title: String,
        count: i32,
    },
    FromTag {
        tag: String,
        count: i32,
    },
    /// The question or set has left the bank.
    Missing,
}

impl ItemView {
    /// The item in words, as the assessment's pages list it.
    pub fn description(&self) -> String {
        match &self.source {
            ItemSource::Question { headline, kind } => {
                format!("{headline} ({})", kind_label(*kind))
            }
            ItemSource::FromSet { title, count } => {
                format!("{count} at random from the set “{title}”")
            }
            ItemSource::FromTag { tag, count } => format!("{count} at random tagged “{tag}”"),
            ItemSource::Missing => "A question no longer in the bank".to_string(),
        }
    }
}

fn kind_label(kind: Option<QuestionKind>) -> &'static str {
    kind.map_or("", QuestionKind::label)
}

fn questions_in_words(n: i64) -> String {
    format!("{n} question{}", if n == 1 { "" } else { "s" })
}

/// An invite link as the staff see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InviteState {
    Live,
    Started,
    Revoked,
    Expired,
}

impl InviteState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Live => "Sent, not started",
            Self::Started => "Started",
            Self::Revoked => "Revoked",
            Self::Expired => "Expired",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteView {
    pub token_id: Uuid,
    pub candidate_id: Uuid,
    pub candidate_name: String,
    pub candidate_email: String,
    pub state: InviteState,
    pub sent: String,
    pub expires: String,
}

/// Everything the assessment's own page and its edit form show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentDetail {
    pub id: Uuid,
    pub family_id: Uuid,
    pub version: i32,
    pub status: AssessmentStatus,
    pub requisition_id: Uuid,
    pub requisition_title: String,
    pub title: String,
    pub instructions: String,
    pub instructions_html: String,
    pub time_limit_minutes: i32,
    pub pass_mark_percent: i32,
    pub attempts_allowed: i32,
    /// As `datetime-local` values in the viewer's zone (empty: no limit).
    pub available_from: String,
    pub available_until: String,
    /// When the window opens and closes, written out in the viewer's zone.
    pub opens: Option<String>,
    pub closes: Option<String>,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
    pub proctoring: Proctoring,
    pub items: Vec<ItemView>,
    pub invites: Vec<InviteView>,
    pub can_manage: bool,
    /// The newest version of the family, when it is not this one.
    pub newer_version: Option<Uuid>,
    pub time_zone: String,
}

impl AssessmentDetail {
    /// The window in words.
    pub fn availability(&self) -> String {
        window_in_words(self.opens.as_deref(), self.closes.as_deref())
    }
}

fn window_in_words(opens: Option<&str>, closes: Option<&str>) -> String {
    match (opens, closes) {
        (None, None) => "Any time".to_string(),
        (Some(from), None) => format!("From {from}"),
        (None, Some(until)) => format!("Until {until}"),
        (Some(from), Some(until)) => format!("{from} to {until}"),
    }
}

/// What the item pickers offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemChoices {
    pub questions: Vec<QuestionChoice>,
    /// Sets to draw from, by id.
    pub sets: Vec<DrawChoice<Uuid>>,
    /// Tags to draw from, by the tag.
    pub tags: Vec<DrawChoice<String>>,
}

/// A question of the bank to add as a fixed item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionChoice {
    pub id: Uuid,
    pub source: QuestionSource,
    /// The prompt's first line as plain text (`markdown::headline`).
    pub headline: String,
    pub kind: QuestionKind,
    pub points: i32,
}

/// Where a question the builder offers comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionSource {
    /// The requisition's own job-description questions.
    ThisJob,
    /// A bank set that covers one of the requisition's skills (its title).
    Suggested(String),
    /// Any other bank set (its title).
    Bank(String),
}

impl QuestionChoice {
    /// "Set · headline (kind, points)", with where it comes from first when that is the
    /// job or a set suggested for the job's skills.
    pub fn label(&self) -> String {
        let source = match &self.source {
            QuestionSource::ThisJob => "This job's questions".to_string(),
            QuestionSource::Suggested(set) => format!("Suggested for the job's skills: {set}"),
            QuestionSource::Bank(set) => set.clone(),
        };
        format!(
            "{source} · {} ({}, {} pt)",
            self.headline,
            self.kind.label(),
            self.points
        )
    }
}

/// A set or a tag to draw questions from, with how many active questions it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawChoice<S> {
    pub source: S,
    pub name: String,
    pub questions: i64,
}

impl<S> DrawChoice<S> {
    /// "name (N questions)".
    pub fn label(&self) -> String {
        format!("{} ({})", self.name, questions_in_words(self.questions))
    }
}

/// A candidate the invite form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateChoice {
    pub id: Uuid,
    pub full_name: String,
    pub email: String,
}

impl CandidateChoice {
    /// "Name <email>".
    pub fn label(&self) -> String {
        format!("{} <{}>", self.full_name, self.email)
    }
}

/// The requisitions a new assessment can belong to, and the editor's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormChoices {
    pub requisitions: Vec<(Uuid, String)>,
    pub time_zone: String,
}

/// How one test session went, as the results list and the grading page show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionOutcome {
    pub attempt: i32,
    pub status: SessionStatus,
    pub score: Option<f64>,
    pub max_score: f64,
    pub percent: f64,
    pub verdict: Verdict,
    /// In the viewer's time zone.
    pub started: String,
    /// From start to finish; none while in progress.
    pub time_taken_ms: Option<i64>,
}

/// One session in the results of an assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRow {
    pub session_id: Uuid,
    pub candidate_id: Uuid,
    pub candidate_name: String,
    pub outcome: SessionOutcome,
    /// The proctoring record's band and disposition, once the session ended.
    pub proctoring: Option<crate::results::ProctoringMark>,
    /// What the candidate's invite granted.
    pub accommodation: Accommodation,
}

impl SessionOutcome {
    /// How long the candidate took, in words; empty while in progress.
    pub fn time_taken(&self) -> String {
        self.time_taken_ms
            .map(duration_in_words)
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentResults {
    pub id: Uuid,
    pub title: String,
    pub version: i32,
    pub pass_mark_percent: i32,
    pub sessions: Vec<SessionRow>,
    /// Invites not started yet (the latest per candidate).
    pub waiting: Vec<InviteView>,
    pub can_manage: bool,
}

/// "12 min 5 s": the time between two instants.
pub fn duration_in_words(ms: i64) -> String {
    let seconds = (ms.max(0) + 500) / 1000;
    match (seconds / 60, seconds % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
    }

    fn form() -> AssessmentForm {
        AssessmentForm {
            requisition_id: Uuid::nil().to_string(),
            title: " Aptitude ".into(),
            time_limit_minutes: "30".into(),
            pass_mark_percent: "60".into(),
            attempts_allowed: "1".into(),
            ..Default::default()
        }
    }

    fn utc(value: &str) -> Result<DateTime<Utc>, AppError> {
        chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
            .map(|n| n.and_utc())
            .map_err(|_| AppError::invalid("bad time"))
    }

    #[test]
    fn the_form_is_checked_with_messages_to_fix() {
        let input = AssessmentInput::parse(form(), utc).unwrap();
        assert_eq!(input.title, "Aptitude");
        assert_eq!(input.proctoring.snapshot_interval_seconds, 60);
        assert!(!input.proctoring.webcam);
        let mut bad = form();
        bad.time_limit_minutes = "0".into();
        assert_eq!(
            AssessmentInput::parse(bad, utc).unwrap_err().to_string(),
            "The time limit (minutes) must be a whole number from 1 to 600."
        );
        let mut window = form();
        window.available_from = "2026-12-02T10:00".into();
        window.available_until = "2026-12-01T10:00".into();
        assert!(AssessmentInput::parse(window, utc).is_err());
        let mut blank = form();
        blank.title = "  ".into();
        assert!(AssessmentInput::parse(blank, utc).is_err());
    }

    #[test]
    fn the_candidate_is_told_what_is_monitored() {
        let none = Proctoring {
            tab_switches: false,
            fullscreen: false,
            copy_paste: false,
            webcam: false,
            snapshot_interval_seconds: 60,
        };
        assert!(none.monitored_items().is_empty());
        let all = Proctoring {
            tab_switches: true,
            fullscreen: true,
            copy_paste: true,
            webcam: true,
            ..none
        };
        assert_eq!(all.monitored_items().len(), 4);
        let stored: Proctoring = serde_json::from_str("{}").unwrap();
        assert_eq!(stored, Proctoring::default());
    }

    #[test]
    fn reminders_come_a_day_before_expiry_or_half_way() {
        assert_eq!(reminder_at(at(1, 0), at(8, 0)), at(7, 0));
        assert_eq!(reminder_at(at(1, 0), at(2, 0)), at(1, 12));
        assert_eq!(time_left_in_words(at(1, 0), at(8, 0)), "in 7 days");
        assert_eq!(time_left_in_words(at(1, 0), at(1, 5)), "in 5 hours");
        assert_eq!(parse_expiry_days("").unwrap(), 7);
        assert!(parse_expiry_days("61").is_err());
    }

    #[test]
    fn scores_are_halves_within_the_points() {
        assert_eq!(parse_score("2.5", 5).unwrap(), 2.5);
        assert_eq!(parse_score("3,0", 5).unwrap(), 3.0);
        assert!(parse_score("2.3", 5).is_err());
        assert!(parse_score("6", 5).is_err());
        assert!(parse_score("-1", 5).is_err());
        assert!(parse_score("", 5).is_err());
    }

    #[test]
    fn items_choices_and_the_window_are_written_out_for_people() {
        let item = |source| ItemView {
            id: Uuid::nil(),
            position: 1,
            source,
            asks: 1,
        };
        let question = ItemSource::Question {
            headline: "What is 2 + 2?".into(),
            kind: Some(QuestionKind::Numeric),
        };
        assert_eq!(item(question).description(), "What is 2 + 2? (Numeric)");
        let drawn = ItemSource::FromSet {
            title: "Basics".into(),
            count: 3,
        };
        assert_eq!(
            item(drawn).description(),
            "3 at random from the set “Basics”"
        );
        assert_eq!(
            item(ItemSource::Missing).description(),
            "A question no longer in the bank"
        );
        let choice = QuestionChoice {
            id: Uuid::nil(),
            source: QuestionSource::Bank("Basics".into()),
            headline: "Pick one".into(),
            kind: QuestionKind::SingleChoice,
            points: 2,
        };
        assert_eq!(choice.label(), "Basics · Pick one (Single choice, 2 pt)");
        let own = QuestionChoice {
            source: QuestionSource::ThisJob,
            ..choice.clone()
        };
        assert_eq!(
            own.label(),
            "This job's questions · Pick one (Single choice, 2 pt)"
        );
        let suggested = QuestionChoice {
            source: QuestionSource::Suggested("Rust".into()),
            ..choice
        };
        assert!(suggested
            .label()
            .starts_with("Suggested for the job's skills: Rust · "));
        let tag = DrawChoice {
            source: "sql".to_string(),
            name: "sql".into(),
            questions: 1,
        };
        assert_eq!(tag.label(), "sql (1 question)");
        let candidate = CandidateChoice {
            id: Uuid::nil(),
            full_name: "Ada".into(),
            email: "ada@x.test".into(),
        };
        assert_eq!(candidate.label(), "Ada <ada@x.test>");
        assert_eq!(window_in_words(None, None), "Any time");
        assert_eq!(window_in_words(None, Some("Mon")), "Until Mon");
        assert_eq!(window_in_words(Some("Mon"), Some("Tue")), "Mon to Tue");
    }

    #[test]
    fn durations_read_in_words_and_published_versions_stay() {
        assert_eq!(duration_in_words(125_400), "2 min 5 s");
        assert!(check_editable(AssessmentStatus::Published).is_err());
        assert!(check_editable(AssessmentStatus::Draft).is_ok());
    }

    #[test]
    fn an_accommodation_extends_the_time_and_can_waive_the_webcam() {
        assert!(Accommodation::new(30, false).is_err());
        let extra = Accommodation::new(50, true).unwrap();
        assert_eq!(extra.seconds(30), 45 * 60);
        assert_eq!(Accommodation::new(100, false).unwrap().seconds(1), 120);
        assert_eq!(Accommodation::default().seconds(20), 20 * 60);
        assert_eq!(
            extra.summary(),
            "Accommodation: 50 % extra time, webcam snapshots waived"
        );
        assert!(Accommodation::default().summary().is_empty());
        let watched = Proctoring {
            webcam: true,
            ..Proctoring::default()
        };
        assert!(!watched.applied(extra).webcam);
        assert!(watched.applied(Accommodation::default()).webcam);
    }
}
