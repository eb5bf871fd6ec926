//! The candidate's timed test (seed TestSession, Answer): the token link's page, consent,
//! a deadline the server fixes at the start, answers saved as they change (each with a
//! sequence number, so an older save never overwrites a newer one), submission, and the
//! sweep that closes sessions whose deadline has passed.
//!
//! Rules a candidate relies on:
//! - the clock is the server's: the page counts down to `deadline_at` corrected by the
//!   difference between the server's clock and the browser's;
//! - saves are accepted until the deadline plus [`GRACE_SECONDS`] (for a save already on
//!   its way when time ran out); later ones are refused and everything saved before stays;
//! - a session closes by submission, or at the deadline plus the grace by the sweep, and
//!   its objective answers are scored at that moment.

mod api;
#[cfg(feature = "ssr")]
pub mod bundle;
pub mod island;
pub mod page;
pub mod runner;

#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod draw;

pub use api::*;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::questions::model::{
    QuestionKind, Response, MAX_NUMBER_ANSWER, MAX_OPTIONS, MAX_TEXT_ANSWER, TOO_LONG,
};

pub use crate::results::GRACE_SECONDS;

/// What the link's holder sees before starting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Landing {
    pub org_name: String,
    pub title: String,
    pub instructions_html: String,
    /// The time the candidate has in seconds, extra time included.
    pub time_seconds: i64,
    pub question_count: i64,
    /// What the invite grants, in sentences ("You have 50 % extra time: …").
    pub accommodations: Vec<String>,
    /// Sentences naming what the page monitors.
    pub monitored: Vec<String>,
    /// When the test closes for good (availability or the link's expiry), RFC 3339.
    pub closes_at: String,
}

/// Where a token link stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LinkState {
    /// Unknown, withdrawn or expired before it was used: nothing about the test is shown.
    Invalid,
    /// The test cannot start now; the message says why.
    Unavailable(String),
    Ready(Landing),
    InProgress(TestView),
    Finished {
        title: String,
        timed_out: bool,
    },
}

/// A question as the candidate sees it: no correct answers, no grading notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateQuestion {
    pub id: Uuid,
    pub kind: QuestionKind,
    pub prompt_html: String,
    pub points: i32,
    /// Option ids and texts in the order this candidate sees them.
    pub options: Vec<(u32, String)>,
    pub language: String,
    pub starter_code: String,
}

/// An answer as last saved on the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedAnswer {
    pub question_id: Uuid,
    pub response: Option<Response>,
    pub seq: i64,
    pub flagged: bool,
    pub time_spent_ms: i64,
}

/// Everything the test island starts from (also after a reload).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestView {
    pub token: String,
    pub session_id: Uuid,
    pub title: String,
    /// Milliseconds since the Unix epoch, by the server's clock.
    pub deadline_ms: i64,
    pub server_now_ms: i64,
    pub questions: Vec<CandidateQuestion>,
    pub answers: Vec<SavedAnswer>,
    /// What the page records while the candidate answers.
    pub proctoring: crate::assessments::Proctoring,
}

impl TestView {
    /// The answer saved for a question, if any.
    pub fn saved(&self, question_id: Uuid) -> Option<&SavedAnswer> {
        self.answers.iter().find(|a| a.question_id == question_id)
    }
}

/// One autosave, as the page sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerSave {
    pub question_id: Uuid,
    /// `None` clears the answer (kept as JSON null).
    pub response: Option<Response>,
    pub seq: i64,
    #[serde(default)]
    pub flagged: bool,
    #[serde(default)]
    pub time_spent_ms: i64,
}

/// The server's reply to a save: the sequence number it now holds for the answer (equal
/// to the one sent, or higher when a newer save arrived first) and its clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveAck {
    pub seq: i64,
    pub server_now_ms: i64,
}

impl AnswerSave {
    /// Checks what needs no database: the sequence number, the time and the size. What
    /// needs the question (its kind and options) is checked by the save's statement, and
    /// explained by [`Response::validate_for`].
    pub fn validate(&self) -> Result<(), &'static str> {
        if self.seq < 0 {
            return Err("The save is out of order. Reload the page.");
        }
        if self.time_spent_ms < 0 {
            return Err("The time spent on a question cannot be negative.");
        }
        match &self.response {
            Some(Response::Text(text)) if text.len() > MAX_TEXT_ANSWER => Err(TOO_LONG),
            Some(Response::Number(text)) if text.len() > MAX_NUMBER_ANSWER => {
                Err("That answer does not fit the question.")
            }
            Some(Response::Choices(ids)) if ids.len() > MAX_OPTIONS => {
                Err("That answer does not fit the question.")
            }
            _ => Ok(()),
        }
    }

    /// The chosen option ids, as the save's statement checks them against the question's
    /// options (none for any other response).
    pub fn choice_ids(&self) -> Vec<i64> {
        match &self.response {
            Some(Response::Choices(ids)) => ids.iter().map(|id| i64::from(*id)).collect(),
            _ => Vec::new(),
        }
    }

    /// The question kinds this response can answer (all when it clears the answer).
    pub fn fitting_kinds(&self) -> &'static [QuestionKind] {
        use QuestionKind::*;
        match &self.response {
            None => &QuestionKind::ALL,
            Some(Response::Choices(_)) => &[SingleChoice, MultipleChoice],
            Some(Response::Boolean(_)) => &[TrueFalse],
            Some(Response::Text(_)) => &[ShortText, LongText, Code],
            Some(Response::Number(_)) => &[Numeric],
        }
    }
}

/// Whether a link with no session yet may start one now; the error says why not.
#[cfg(feature = "ssr")]
pub fn can_start(
    link: &data::Link,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), crate::error::AppError> {
    use crate::error::AppError;
    let when = |at: &chrono::DateTime<chrono::Utc>| at.format("%-d %B %Y at %H:%M UTC").to_string();
    if link.revoked_at.is_some()
        || link.expires_at <= now
        || link.assessment_status == crate::assessments::AssessmentStatus::Draft
    {
        return Err(AppError::NotFound);
    }
    if let Some(from) = link.available_from.filter(|from| *from > now) {
        return Err(AppError::Closed(format!(
            "This test opens on {}. Come back then with the same link.",
            when(&from)
        )));
    }
    if let Some(until) = link.available_until.filter(|until| *until <= now) {
        return Err(AppError::Closed(format!(
            "This test closed on {}.",
            when(&until)
        )));
    }
    if link.attempts_used >= i64::from(link.attempts_allowed) {
        let attempts = link.attempts_allowed;
        return Err(AppError::Closed(format!(
            "You have used {} at this test.",
            if attempts == 1 {
                "your attempt".to_string()
            } else {
                format!("all {attempts} attempts")
            }
        )));
    }
    Ok(())
}

/// The deadline of a session starting now: the time limit with any extra time the invite
/// grants, cut short by the end of the availability window.
#[cfg(feature = "ssr")]
pub fn deadline(
    link: &data::Link,
    now: chrono::DateTime<chrono::Utc>,
) -> chrono::DateTime<chrono::Utc> {
    let time = link.accommodation().seconds(link.time_limit_minutes);
    let full = now + chrono::Duration::seconds(time);
    link.available_until.map_or(full, |until| full.min(until))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn save(response: Option<Response>, seq: i64) -> AnswerSave {
        AnswerSave {
            question_id: Uuid::nil(),
            response,
            seq,
            flagged: false,
            time_spent_ms: 0,
        }
    }

    #[test]
    fn saves_are_checked_before_touching_the_database() {
        assert!(save(Some(Response::Boolean(true)), 1).validate().is_ok());
        assert!(save(None, -1).validate().is_err());
        let huge = "x".repeat(crate::questions::model::MAX_TEXT_ANSWER + 1);
        assert!(save(Some(Response::Text(huge)), 1).validate().is_err());
    }

    #[test]
    fn a_response_fits_only_its_kinds() {
        assert_eq!(
            save(Some(Response::Boolean(true)), 1).fitting_kinds(),
            &[QuestionKind::TrueFalse]
        );
        assert!(save(Some(Response::Text("a".into())), 1)
            .fitting_kinds()
            .contains(&QuestionKind::Code));
        assert_eq!(save(None, 1).fitting_kinds().len(), 7);
    }
}
