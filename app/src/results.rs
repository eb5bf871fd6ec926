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
}
