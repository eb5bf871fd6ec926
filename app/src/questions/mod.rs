//! The question bank (seed QuestionSet, Question): question sets with skills, tags and a
//! difficulty, and questions of seven kinds. A question belongs to a set or to a
//! requisition's job description, never both.
//!
//! Admins and recruiters manage the bank of their organization; hiring managers may look
//! (lists, set pages, previews); interviewers see none of it.

pub(crate) mod api;
pub mod job_pages;
pub mod model;
pub mod pages;
pub mod scoring;
pub mod transfer;
pub mod view;

#[cfg(feature = "ssr")]
pub mod data;

pub use api::*;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::Role;
use crate::error::AppError;
use crate::input::bounded;
use crate::skills::SkillRef;
use model::{Choice, QuestionBody, QuestionKind, MAX_OPTIONS, MAX_POINTS};

pub fn can_manage(role: Role) -> bool {
    crate::access::BANK_MANAGE_ROLES.contains(&role)
}

/// How many option rows the question form offers (blank rows are ignored).
pub const OPTION_ROWS: usize = 6;
const MAX_TITLE: usize = 200;
const MAX_MARKDOWN: usize = 20_000;
const MAX_LANGUAGE: usize = 40;

/// Stored as text under the CHECK constraints of `question_sets.difficulty` and
/// `questions.difficulty`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    pub const ALL: [Difficulty; 3] = [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard];

    /// The name forms and exported sets use, as the database stores it.
    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Difficulty::Easy => "Easy",
            Difficulty::Medium => "Medium",
            Difficulty::Hard => "Hard",
        }
    }

    /// A difficulty as a form, the list's filter or an imported set gives it.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == value.trim())
    }

    /// The (value, label) pairs of a select.
    pub fn options() -> Vec<(String, String)> {
        Self::ALL
            .iter()
            .map(|d| (d.as_str().to_string(), d.label().to_string()))
            .collect()
    }
}

/// Where a question lives: in a question set, or in a requisition's job description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Owner {
    Set(Uuid),
    Requisition(Uuid),
}

impl Owner {
    /// Exactly one of the two ids, as forms and the database carry them.
    pub fn from_ids(set_id: Option<Uuid>, requisition_id: Option<Uuid>) -> Result<Self, AppError> {
        match (set_id, requisition_id) {
            (Some(set), None) => Ok(Owner::Set(set)),
            (None, Some(requisition)) => Ok(Owner::Requisition(requisition)),
            _ => Err(AppError::invalid(
                "A question belongs to a question set or to a requisition, not both.",
            )),
        }
    }

    pub fn set_id(self) -> Option<Uuid> {
        match self {
            Owner::Set(id) => Some(id),
            Owner::Requisition(_) => None,
        }
    }

    pub fn requisition_id(self) -> Option<Uuid> {
        match self {
            Owner::Requisition(id) => Some(id),
            Owner::Set(_) => None,
        }
    }

    /// The page that lists the owner's questions.
    pub fn href(self) -> String {
        match self {
            Owner::Set(id) => format!("/questions/sets/{id}"),
            Owner::Requisition(id) => format!("/requisitions/{id}/questions"),
        }
    }

    /// The page that adds a question to the owner.
    pub fn new_question_href(self) -> String {
        match self {
            Owner::Set(id) => format!("/questions/sets/{id}/new"),
            Owner::Requisition(id) => format!("/requisitions/{id}/questions/new"),
        }
    }

    /// The form field that names the owner, with its value.
    pub fn field(self) -> (&'static str, Uuid) {
        match self {
            Owner::Set(id) => ("set_id", id),
            Owner::Requisition(id) => ("requisition_id", id),
        }
    }
}

/// A row of the question set list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetSummary {
    pub id: Uuid,
    pub title: String,
    pub difficulty: Difficulty,
    pub tags: Vec<String>,
    pub skills: Vec<String>,
    pub question_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetList {
    pub items: Vec<SetSummary>,
    /// The organization's skills, to filter by.
    pub skills: Vec<SkillRef>,
    pub can_manage: bool,
}

/// A question as its owner's page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionSummary {
    pub id: Uuid,
    pub kind: QuestionKind,
    /// The prompt's first line, as plain text.
    pub headline: String,
    pub points: i32,
    pub difficulty: Difficulty,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetDetail {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub description_html: String,
    pub difficulty: Difficulty,
    pub tags: Vec<String>,
    pub skills: Vec<SkillRef>,
    pub questions: Vec<QuestionSummary>,
    pub can_manage: bool,
}

/// One question with everything a form, a preview or a grader needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionDetail {
    pub id: Uuid,
    pub owner: Owner,
    pub prompt_md: String,
    pub prompt_html: String,
    pub body: QuestionBody,
    pub points: i32,
    pub difficulty: Difficulty,
    pub tags: Vec<String>,
    pub explanation_md: String,
    pub explanation_html: String,
    pub guidance_md: String,
    pub guidance_html: String,
    pub can_manage: bool,
}

/// The question set fields as the form sends them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetForm {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub difficulty: String,
    /// Comma-separated.
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub skills: Vec<Uuid>,
}

/// A checked question set, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetInput {
    pub title: String,
    pub description: String,
    pub difficulty: Difficulty,
    pub tags: Vec<String>,
    pub skills: Vec<Uuid>,
}

fn difficulty(value: &str) -> Result<Difficulty, AppError> {
    if value.trim().is_empty() {
        return Ok(Difficulty::Medium);
    }
    Difficulty::parse(value).ok_or_else(|| AppError::invalid("Choose easy, medium or hard."))
}

impl SetInput {
    pub fn parse(form: SetForm) -> Result<Self, AppError> {
        let title = bounded("the title", &form.title, MAX_TITLE)?;
        if title.is_empty() {
            return Err(AppError::invalid("Give the question set a title."));
        }
        let mut skills = form.skills;
        skills.sort();
        skills.dedup();
        Ok(Self {
            title,
            description: bounded("the description", &form.description, MAX_MARKDOWN)?,
            difficulty: difficulty(&form.difficulty)?,
            tags: crate::candidates::parse_tags(&form.tags)?,
            skills,
        })
    }
}

/// One option row of the question form; `id` is empty on rows added in this edit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionRow {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub text: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    pub correct: Option<String>,
}

/// The question fields as the form sends them. Only the fields of the question's kind
/// are read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionForm {
    pub kind: String,
    pub prompt_md: String,
    #[serde(default)]
    pub points: String,
    #[serde(default)]
    pub difficulty: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub explanation_md: String,
    #[serde(default)]
    pub guidance_md: String,
    #[serde(default)]
    pub options: Vec<OptionRow>,
    /// "true" or "false".
    #[serde(default)]
    pub correct: String,
    #[serde(default)]
    pub model_answer: String,
    #[serde(default)]
    pub answer: String,
    #[serde(default)]
    pub tolerance: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub starter_code: String,
}

/// A checked question, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionInput {
    pub prompt_md: String,
    pub body: QuestionBody,
    pub points: i32,
    pub difficulty: Difficulty,
    pub tags: Vec<String>,
    pub explanation_md: String,
    pub guidance_md: String,
}

impl QuestionInput {
    /// Checks everything but the body's own rules, which `QuestionBody::validate` has.
    pub fn check(self) -> Result<Self, AppError> {
        if self.prompt_md.trim().is_empty() {
            return Err(AppError::invalid("Write the question's prompt."));
        }
        if !(1..=MAX_POINTS).contains(&self.points) {
            return Err(AppError::invalid(format!(
                "Points must be a whole number from 1 to {MAX_POINTS}."
            )));
        }
        for (text, label) in [
            (&self.prompt_md, "the prompt"),
            (&self.explanation_md, "the explanation"),
            (&self.guidance_md, "the grading guidance"),
        ] {
            bounded(label, text, MAX_MARKDOWN)?;
        }
        if let QuestionBody::Code { language, .. } = &self.body {
            bounded("the language", language, MAX_LANGUAGE)?;
        }
        self.body.validate().map_err(AppError::Invalid)?;
        Ok(self)
    }

    /// Reads the form of a question of `kind`; `existing` are the options the question
    /// has now, whose ids the rows keep (new rows get the next free ids).
    pub fn parse(
        form: QuestionForm,
        kind: QuestionKind,
        existing: &[Choice],
    ) -> Result<Self, AppError> {
        let points = form.points.trim().parse::<i32>().map_err(|_| {
            AppError::invalid(format!(
                "Points must be a whole number from 1 to {MAX_POINTS}."
            ))
        })?;
        let body = match kind {
            QuestionKind::SingleChoice => QuestionBody::SingleChoice {
                options: choices(&form.options, existing)?,
            },
            QuestionKind::MultipleChoice => QuestionBody::MultipleChoice {
                options: choices(&form.options, existing)?,
            },
            QuestionKind::TrueFalse => QuestionBody::TrueFalse {
                correct: match form.correct.trim() {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(AppError::invalid(
                            "Choose whether the statement is true or false.",
                        ))
                    }
                },
            },
            QuestionKind::ShortText => QuestionBody::ShortText {
                model_answer: form.model_answer.trim().to_string(),
            },
            QuestionKind::LongText => QuestionBody::LongText {
                model_answer: form.model_answer.trim().to_string(),
            },
            QuestionKind::Numeric => QuestionBody::Numeric {
                answer: model::parse_number(&form.answer).ok_or_else(|| {
                    AppError::invalid("The correct answer must be a number, like 42 or 3.14.")
                })?,
                tolerance: if form.tolerance.trim().is_empty() {
                    0.0
                } else {
                    model::parse_number(&form.tolerance).ok_or_else(|| {
                        AppError::invalid("The tolerance must be a number, like 0.5 (or empty).")
                    })?
                },
            },
            QuestionKind::Code => QuestionBody::Code {
                language: form.language.trim().to_string(),
                starter_code: form.starter_code.trim_end().to_string(),
            },
        };
        Self {
            prompt_md: form.prompt_md.trim().to_string(),
            body,
            points,
            difficulty: difficulty(&form.difficulty)?,
            tags: crate::candidates::parse_tags(&form.tags)?,
            explanation_md: form.explanation_md.trim().to_string(),
            guidance_md: form.guidance_md.trim().to_string(),
        }
        .check()
    }
}

/// The options of the filled rows, in row order. A row keeps its id when it is one of
/// the question's options; other rows get ids above every id the question has had here.
fn choices(rows: &[OptionRow], existing: &[Choice]) -> Result<Vec<Choice>, AppError> {
    let filled: Vec<&OptionRow> = rows.iter().filter(|r| !r.text.trim().is_empty()).collect();
    if filled.len() > MAX_OPTIONS {
        return Err(AppError::invalid(format!(
            "A question can have at most {MAX_OPTIONS} options."
        )));
    }
    let kept = |row: &OptionRow| {
        row.id
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|id| existing.iter().any(|o| o.id == *id))
    };
    let mut next = existing
        .iter()
        .map(|o| o.id)
        .chain(filled.iter().filter_map(|r| kept(r)))
        .max()
        .unwrap_or(0);
    let mut used: Vec<u32> = Vec::new();
    let mut options = Vec::with_capacity(filled.len());
    for row in filled {
        let id = match kept(row).filter(|id| !used.contains(id)) {
            Some(id) => id,
            None => {
                next += 1;
                next
            }
        };
        used.push(id);
        options.push(Choice {
            id,
            text: row.text.trim().to_string(),
            correct: row.correct.is_some(),
        });
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, text: &str, correct: bool) -> OptionRow {
        OptionRow {
            id: id.into(),
            text: text.into(),
            correct: correct.then(|| "on".into()),
        }
    }

    fn form(kind: QuestionKind) -> QuestionForm {
        QuestionForm {
            kind: kind.as_str().into(),
            prompt_md: " What is 6 × 7? ".into(),
            points: "2".into(),
            difficulty: "easy".into(),
            tags: "Math, math, basics".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_choice_question_ignores_blank_rows_and_numbers_new_options() {
        let mut f = form(QuestionKind::SingleChoice);
        f.options = vec![
            row("", "42", true),
            row("", "  ", false),
            row("", "41", false),
        ];
        let input = QuestionInput::parse(f, QuestionKind::SingleChoice, &[]).unwrap();
        assert_eq!(input.prompt_md, "What is 6 × 7?");
        assert_eq!(input.tags, vec!["math", "basics"]);
        assert_eq!(input.difficulty, Difficulty::Easy);
        let ids: Vec<u32> = input.body.options().iter().map(|o| o.id).collect();
        assert_eq!(ids, vec![1, 2]);
        assert!(input.body.options()[0].correct);
    }

    #[test]
    fn option_ids_survive_edits_and_new_ones_come_after_the_highest() {
        let existing = vec![
            Choice {
                id: 1,
                text: "a".into(),
                correct: true,
            },
            Choice {
                id: 4,
                text: "b".into(),
                correct: false,
            },
        ];
        let mut f = form(QuestionKind::MultipleChoice);
        // Option 1 removed, 4 kept and moved down, a forged id and a new row added.
        f.options = vec![
            row("", "new", true),
            row("99", "forged", false),
            row("4", "b, reworded", true),
        ];
        let input = QuestionInput::parse(f, QuestionKind::MultipleChoice, &existing).unwrap();
        let options: Vec<(u32, &str)> = input
            .body
            .options()
            .iter()
            .map(|o| (o.id, o.text.as_str()))
            .collect();
        assert_eq!(options, vec![(5, "new"), (6, "forged"), (4, "b, reworded")]);
    }

    #[test]
    fn every_kind_reads_its_own_fields() {
        let mut numeric = form(QuestionKind::Numeric);
        numeric.answer = "3,5".into();
        numeric.tolerance = "".into();
        assert_eq!(
            QuestionInput::parse(numeric, QuestionKind::Numeric, &[])
                .unwrap()
                .body,
            QuestionBody::Numeric {
                answer: 3.5,
                tolerance: 0.0
            }
        );
        let mut tf = form(QuestionKind::TrueFalse);
        tf.correct = "false".into();
        assert_eq!(
            QuestionInput::parse(tf, QuestionKind::TrueFalse, &[])
                .unwrap()
                .body,
            QuestionBody::TrueFalse { correct: false }
        );
        let mut code = form(QuestionKind::Code);
        code.language = "rust".into();
        code.starter_code = "fn main() {}\n\n".into();
        assert_eq!(
            QuestionInput::parse(code, QuestionKind::Code, &[])
                .unwrap()
                .body,
            QuestionBody::Code {
                language: "rust".into(),
                starter_code: "fn main() {}".into()
            }
        );
    }

    #[test]
    fn bad_questions_are_refused_with_a_message_that_says_what_to_fix() {
        let cases: Vec<(QuestionKind, QuestionForm, &str)> = vec![
            (
                QuestionKind::ShortText,
                QuestionForm {
                    prompt_md: " ".into(),
                    ..form(QuestionKind::ShortText)
                },
                "prompt",
            ),
            (
                QuestionKind::ShortText,
                QuestionForm {
                    points: "0".into(),
                    ..form(QuestionKind::ShortText)
                },
                "Points",
            ),
            (
                QuestionKind::ShortText,
                QuestionForm {
                    points: "many".into(),
                    ..form(QuestionKind::ShortText)
                },
                "Points",
            ),
            (
                QuestionKind::ShortText,
                QuestionForm {
                    difficulty: "brutal".into(),
                    ..form(QuestionKind::ShortText)
                },
                "easy, medium or hard",
            ),
            (
                QuestionKind::Numeric,
                QuestionForm {
                    answer: "about ten".into(),
                    ..form(QuestionKind::Numeric)
                },
                "must be a number",
            ),
            (
                QuestionKind::Numeric,
                QuestionForm {
                    answer: "10".into(),
                    tolerance: "-1".into(),
                    ..form(QuestionKind::Numeric)
                },
                "tolerance",
            ),
            (
                QuestionKind::TrueFalse,
                form(QuestionKind::TrueFalse),
                "true or false",
            ),
            (QuestionKind::Code, form(QuestionKind::Code), "language"),
            (
                QuestionKind::SingleChoice,
                QuestionForm {
                    options: vec![row("", "only", true)],
                    ..form(QuestionKind::SingleChoice)
                },
                "at least 2",
            ),
            (
                QuestionKind::SingleChoice,
                QuestionForm {
                    options: vec![row("", "a", true), row("", "b", true)],
                    ..form(QuestionKind::SingleChoice)
                },
                "exactly one",
            ),
        ];
        for (kind, bad, needle) in cases {
            let message = QuestionInput::parse(bad.clone(), kind, &[])
                .unwrap_err()
                .to_string();
            assert!(message.contains(needle), "{bad:?}: {message}");
        }
    }

    #[test]
    fn a_set_needs_a_title_and_defaults_to_medium() {
        let input = SetInput::parse(SetForm {
            title: " Backend ".into(),
            tags: "Rust, SQL".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            (input.title.as_str(), input.difficulty),
            ("Backend", Difficulty::Medium)
        );
        assert_eq!(input.tags, vec!["rust", "sql"]);
        assert!(SetInput::parse(SetForm::default()).is_err());
    }

    #[test]
    fn an_owner_is_a_set_or_a_requisition_never_both() {
        let id = Uuid::from_u128(1);
        assert_eq!(Owner::from_ids(Some(id), None).unwrap(), Owner::Set(id));
        assert_eq!(
            Owner::from_ids(None, Some(id)).unwrap(),
            Owner::Requisition(id)
        );
        assert!(Owner::from_ids(Some(id), Some(id)).is_err());
        assert!(Owner::from_ids(None, None).is_err());
    }
}
