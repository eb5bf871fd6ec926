//! A test session's status and its result as people see it: where it stands (`Verdict`) and the badge
//! of the latest result that the pipeline's cards, the application page and the results
//! pages show. Shared by `pipeline` and the assessment domains above it.

use serde::{Deserialize, Serialize};

/// Seconds after a session's deadline during which what the page sends (a save, a
/// submission, proctoring's events) still counts.
pub const GRACE_SECONDS: i64 = 30;

/// Where a test session (seed TestSession) stands. Stored as text under the CHECK
/// constraint of `test_sessions.status`; reading any other value is a decode error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    InProgress,
    Submitted,
    /// Closed at its deadline, with the answers saved until then.
    TimedOut,
}

impl SessionStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::InProgress => "In progress",
            Self::Submitted => "Submitted",
            Self::TimedOut => "Timed out",
        }
    }
}

/// Where a test session's result stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    InProgress,
    /// Finished, with text answers still to grade.
    Pending,
    Passed,
    Failed,
}

impl Verdict {
    pub fn of(status: SessionStatus, passed: Option<bool>) -> Self {
        match (status, passed) {
            (SessionStatus::InProgress, _) => Self::InProgress,
            (_, Some(true)) => Self::Passed,
            (_, Some(false)) => Self::Failed,
            (_, None) => Self::Pending,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::InProgress => "In progress",
            Self::Pending => "Pending grading",
            Self::Passed => "Passed",
            Self::Failed => "Failed",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Self::InProgress | Self::Pending => "status status-on_hold",
            Self::Passed => "status status-open",
            Self::Failed => "status status-cancelled",
        }
    }
}

/// The latest result of an application's test, as the board and application page show it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ResultBadge {
    pub percent: f64,
    pub verdict: Verdict,
}

impl ResultBadge {
    pub fn text(&self) -> String {
        match self.verdict {
            Verdict::InProgress => "Test in progress".to_string(),
            verdict => format!("{}% · {}", self.percent, verdict.label()),
        }
    }
}

/// A session's trust band, from what the test page recorded: a prompt to look, never a
/// verdict.
/// Stored as text under the CHECK constraint of the band columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    NoConcerns,
    SomeConcerns,
    MajorConcerns,
}

impl Band {
    pub fn label(self) -> &'static str {
        match self {
            Band::NoConcerns => "No concerns",
            Band::SomeConcerns => "Some concerns",
            Band::MajorConcerns => "Major concerns",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Band::NoConcerns => "no_concerns",
            Band::SomeConcerns => "some_concerns",
            Band::MajorConcerns => "major_concerns",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Band::NoConcerns => "band none",
            Band::SomeConcerns => "band some",
            Band::MajorConcerns => "band major",
        }
    }
}

/// What a reviewer decided about a session's record. Stored as text under the CHECK
/// constraint of its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    Cleared,
    ConfirmedViolation,
    RetakeOffered,
}

impl Disposition {
    pub const ALL: [Disposition; 3] =
        [Self::Cleared, Self::ConfirmedViolation, Self::RetakeOffered];

    pub fn label(self) -> &'static str {
        match self {
            Self::Cleared => "Cleared",
            Self::ConfirmedViolation => "Confirmed violation",
            Self::RetakeOffered => "Retake offered",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cleared => "cleared",
            Self::ConfirmedViolation => "confirmed_violation",
            Self::RetakeOffered => "retake_offered",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == text)
    }

    pub fn class(self) -> &'static str {
        match self {
            Self::Cleared => "disposition cleared",
            Self::ConfirmedViolation => "disposition violation",
            Self::RetakeOffered => "disposition retake",
        }
    }
}

/// A finished session's proctoring band and disposition, as the pipeline's cards and the
/// results pages show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProctoringMark {
    pub band: Band,
    pub disposition: Option<Disposition>,
}

impl ProctoringMark {
    /// "Proctoring: some concerns · Cleared".
    pub fn text(&self) -> String {
        let band = self.band.label().to_lowercase();
        match self.disposition {
            Some(d) => format!("Proctoring: {band} · {}", d.label()),
            None => format!("Proctoring: {band}"),
        }
    }
}

/// What an invite may grant a candidate who needs it (stored on the link): extra time on
/// the assessment's limit, and webcam capture waived. The server's deadline includes the
/// extra time; the landing page and the results say so.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accommodation {
    /// 0, 25, 50 or 100.
    pub extra_time_percent: i32,
    pub webcam_waived: bool,
}

impl Accommodation {
    /// The extra time an invite may grant, in percent of the time limit.
    pub const EXTRA_TIME_PERCENTS: [i32; 4] = [0, 25, 50, 100];

    /// The accommodation, or the message when the extra time is not one offered.
    pub fn new(extra_time_percent: i32, webcam_waived: bool) -> Result<Self, String> {
        if !Self::EXTRA_TIME_PERCENTS.contains(&extra_time_percent) {
            return Err("Extra time is none, 25 %, 50 % or 100 % of the time limit.".into());
        }
        Ok(Self {
            extra_time_percent,
            webcam_waived,
        })
    }

    pub fn is_none(&self) -> bool {
        *self == Self::default()
    }

    /// The time a candidate has, in seconds, for a limit of `minutes`.
    pub fn seconds(&self, minutes: i32) -> i64 {
        i64::from(minutes) * 60 * i64::from(100 + self.extra_time_percent) / 100
    }

    /// The time a candidate has for a limit of `minutes`, in words: "45 minutes",
    /// "56 min 15 s".
    pub fn time_words(&self, minutes: i32) -> String {
        let seconds = self.seconds(minutes);
        match (seconds / 60, seconds % 60) {
            (1, 0) => "1 minute".to_string(),
            (m, 0) => format!("{m} minutes"),
            (m, s) => format!("{m} min {s} s"),
        }
    }

    /// What it grants, in words: "50 % extra time", "webcam snapshots waived".
    pub fn words(&self) -> Vec<String> {
        let mut words = Vec::new();
        if self.extra_time_percent > 0 {
            words.push(format!("{} % extra time", self.extra_time_percent));
        }
        if self.webcam_waived {
            words.push("webcam snapshots waived".to_string());
        }
        words
    }

    /// "Accommodation: 50 % extra time, webcam snapshots waived"; empty when none.
    pub fn summary(&self) -> String {
        if self.is_none() {
            String::new()
        } else {
            format!("Accommodation: {}", self.words().join(", "))
        }
    }
}

/// The band, and the disposition once there is one, as badges: the results pages and the
/// pipeline's cards show them alike.
pub fn mark_view(mark: ProctoringMark) -> impl leptos::IntoView {
    use leptos::prelude::*;
    view! {
        <span class=mark.band.class() title="Proctoring signals, not proof: a person decides">{mark.band.label()}</span>
        {mark.disposition.map(|d| view! { " "<span class=d.class()>{d.label()}</span> })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_wait_for_grading() {
        assert_eq!(
            Verdict::of(SessionStatus::InProgress, None),
            Verdict::InProgress
        );
        assert_eq!(
            Verdict::of(SessionStatus::Submitted, None),
            Verdict::Pending
        );
        assert_eq!(
            Verdict::of(SessionStatus::TimedOut, Some(true)),
            Verdict::Passed
        );
        assert_eq!(
            Verdict::of(SessionStatus::TimedOut, Some(false)),
            Verdict::Failed
        );
    }

    #[test]
    fn dispositions_are_named_as_serde_names_them() {
        for d in Disposition::ALL {
            assert_eq!(serde_json::to_value(d).unwrap(), d.as_str());
            assert_eq!(Disposition::parse(d.as_str()), Some(d));
        }
        let mark = ProctoringMark {
            band: Band::SomeConcerns,
            disposition: Some(Disposition::Cleared),
        };
        assert_eq!(mark.text(), "Proctoring: some concerns · Cleared");
        let quarter = Accommodation {
            extra_time_percent: 25,
            webcam_waived: false,
        };
        assert_eq!(quarter.time_words(45), "56 min 15 s");
        assert_eq!(quarter.time_words(40), "50 minutes");
        assert_eq!(Accommodation::default().time_words(1), "1 minute");
    }
}
