//! What a question is, what a candidate's response to it is, and how both are checked.
//!
//! `QuestionBody` is stored in `questions.body` (and frozen in `assessment_questions.body`);
//! `Response` is stored in `answers.response`. Both are plain JSON through serde, and the
//! same types travel to the browser, so they compile for the WASM islands too.

use serde::{Deserialize, Serialize};

pub const MAX_OPTIONS: usize = 12;
pub const MIN_CHOICE_OPTIONS: usize = 2;
pub const MAX_OPTION_LEN: usize = 1_000;
/// The longest text or code answer kept, in bytes.
pub const MAX_TEXT_ANSWER: usize = 100_000;
/// The longest numeric answer kept as typed, in bytes.
pub const MAX_NUMBER_ANSWER: usize = 100;
/// What a candidate is told when a text answer is longer than [`MAX_TEXT_ANSWER`].
pub const TOO_LONG: &str = "That answer is too long to keep (100,000 characters at most).";
pub const MAX_POINTS: i32 = 1_000;

/// Stored as text under the CHECK constraint of `questions.kind` (and copied into
/// `assessment_questions.kind`); reading any other value is a decode error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    SingleChoice,
    MultipleChoice,
    TrueFalse,
    ShortText,
    LongText,
    Numeric,
    Code,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 7] = [
        QuestionKind::SingleChoice,
        QuestionKind::MultipleChoice,
        QuestionKind::TrueFalse,
        QuestionKind::ShortText,
        QuestionKind::LongText,
        QuestionKind::Numeric,
        QuestionKind::Code,
    ];

    /// The name forms and the test page send, as the database stores it.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::SingleChoice => "single_choice",
            QuestionKind::MultipleChoice => "multiple_choice",
            QuestionKind::TrueFalse => "true_false",
            QuestionKind::ShortText => "short_text",
            QuestionKind::LongText => "long_text",
            QuestionKind::Numeric => "numeric",
            QuestionKind::Code => "code",
        }
    }

    /// A kind as a form or the test page's markup gives it.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            QuestionKind::SingleChoice => "Single choice",
            QuestionKind::MultipleChoice => "Multiple choice",
            QuestionKind::TrueFalse => "True / false",
            QuestionKind::ShortText => "Short text",
            QuestionKind::LongText => "Essay",
            QuestionKind::Numeric => "Numeric",
            QuestionKind::Code => "Code",
        }
    }

    /// Objective kinds are scored at submission; the others by a person.
    pub fn is_auto_graded(self) -> bool {
        matches!(
            self,
            QuestionKind::SingleChoice
                | QuestionKind::MultipleChoice
                | QuestionKind::TrueFalse
                | QuestionKind::Numeric
        )
    }
}

/// One option of a choice question. `id` is stable for the life of the question, so a
/// shuffled order and a stored answer both refer to options by id, never by position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: u32,
    pub text: String,
    pub correct: bool,
}

/// The fields each kind of question has beyond its prompt and points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionBody {
    SingleChoice {
        options: Vec<Choice>,
    },
    MultipleChoice {
        options: Vec<Choice>,
    },
    TrueFalse {
        correct: bool,
    },
    /// Graded by a person; `model_answer` is shown to the grader.
    ShortText {
        #[serde(default)]
        model_answer: String,
    },
    /// An essay, graded by a person.
    LongText {
        #[serde(default)]
        model_answer: String,
    },
    /// Correct when within `tolerance` (absolute) of `answer`.
    Numeric {
        answer: f64,
        #[serde(default)]
        tolerance: f64,
    },
    /// Graded by a person for now; `language` names the editor's language.
    Code {
        language: String,
        #[serde(default)]
        starter_code: String,
    },
}

impl QuestionBody {
    pub fn kind(&self) -> QuestionKind {
        match self {
            QuestionBody::SingleChoice { .. } => QuestionKind::SingleChoice,
            QuestionBody::MultipleChoice { .. } => QuestionKind::MultipleChoice,
            QuestionBody::TrueFalse { .. } => QuestionKind::TrueFalse,
            QuestionBody::ShortText { .. } => QuestionKind::ShortText,
            QuestionBody::LongText { .. } => QuestionKind::LongText,
            QuestionBody::Numeric { .. } => QuestionKind::Numeric,
            QuestionBody::Code { .. } => QuestionKind::Code,
        }
    }

    pub fn options(&self) -> &[Choice] {
        match self {
            QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options } => {
                options
            }
            _ => &[],
        }
    }

    /// Checks the body a recruiter wrote; the message says what to fix.
    pub fn validate(&self) -> Result<(), String> {
        match self {
            QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options } => {
                if options.len() < MIN_CHOICE_OPTIONS {
                    return Err(format!("Give at least {MIN_CHOICE_OPTIONS} options."));
                }
                if options.len() > MAX_OPTIONS {
                    return Err(format!(
                        "A question can have at most {MAX_OPTIONS} options."
                    ));
                }
                if options.iter().any(|o| o.text.trim().is_empty()) {
                    return Err("Every option needs some text.".into());
                }
                if options.iter().any(|o| o.text.len() > MAX_OPTION_LEN) {
                    return Err(format!(
                        "An option can be at most {MAX_OPTION_LEN} characters."
                    ));
                }
                let mut ids: Vec<u32> = options.iter().map(|o| o.id).collect();
                ids.sort_unstable();
                ids.dedup();
                if ids.len() != options.len() {
                    return Err("Two options share an id.".into());
                }
                let correct = options.iter().filter(|o| o.correct).count();
                match self {
                    QuestionBody::SingleChoice { .. } if correct != 1 => {
                        Err("Mark exactly one option as correct.".into())
                    }
                    QuestionBody::MultipleChoice { .. } if correct == 0 => {
                        Err("Mark at least one option as correct.".into())
                    }
                    _ => Ok(()),
                }
            }
            QuestionBody::Numeric { answer, tolerance } => {
                if !answer.is_finite() {
                    Err("The correct answer must be a number.".into())
                } else if !tolerance.is_finite() || *tolerance < 0.0 {
                    Err("The tolerance must be zero or a positive number.".into())
                } else {
                    Ok(())
                }
            }
            QuestionBody::Code { language, .. } if language.trim().is_empty() => {
                Err("Choose the language of the code answer.".into())
            }
            _ => Ok(()),
        }
    }
}

/// A candidate's answer to one question, as the test page sends it and `answers.response`
/// keeps it. A numeric answer is kept as typed, so nothing the candidate wrote is lost;
/// it is read as a number when scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    /// Chosen option ids (one for single choice).
    Choices(Vec<u32>),
    Boolean(bool),
    Text(String),
    Number(String),
}

impl Response {
    /// Checks that a response fits its question; the message is for the candidate.
    pub fn validate_for(&self, body: &QuestionBody) -> Result<(), &'static str> {
        let known = |ids: &[u32]| {
            ids.iter()
                .all(|id| body.options().iter().any(|o| o.id == *id))
        };
        match (self, body) {
            (Response::Choices(ids), QuestionBody::SingleChoice { .. }) if ids.len() <= 1 => {
                if known(ids) {
                    Ok(())
                } else {
                    Err("That option is not part of the question.")
                }
            }
            (Response::Choices(ids), QuestionBody::MultipleChoice { .. }) => {
                if known(ids) {
                    Ok(())
                } else {
                    Err("That option is not part of the question.")
                }
            }
            (Response::Boolean(_), QuestionBody::TrueFalse { .. }) => Ok(()),
            (
                Response::Text(text),
                QuestionBody::ShortText { .. }
                | QuestionBody::LongText { .. }
                | QuestionBody::Code { .. },
            ) => {
                if text.len() > MAX_TEXT_ANSWER {
                    Err(TOO_LONG)
                } else {
                    Ok(())
                }
            }
            (Response::Number(text), QuestionBody::Numeric { .. })
                if text.len() <= MAX_NUMBER_ANSWER =>
            {
                Ok(())
            }
            _ => Err("That answer does not fit the question."),
        }
    }

    /// Whether the candidate has actually answered (an emptied text box has not).
    pub fn is_answered(&self) -> bool {
        match self {
            Response::Choices(ids) => !ids.is_empty(),
            Response::Boolean(_) => true,
            Response::Text(text) | Response::Number(text) => !text.trim().is_empty(),
        }
    }
}

/// Reads a typed number: surrounding spaces, a decimal comma and thousands separators
/// (spaces, underscores, or commas when a point is also present) are accepted.
pub fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let cleaned: String = if text.contains('.') {
        text.chars()
            .filter(|c| !matches!(c, ',' | ' ' | '_'))
            .collect()
    } else {
        text.chars()
            .filter(|c| !matches!(c, ' ' | '_'))
            .map(|c| if c == ',' { '.' } else { c })
            .collect()
    };
    cleaned.parse::<f64>().ok().filter(|n| n.is_finite())
}
