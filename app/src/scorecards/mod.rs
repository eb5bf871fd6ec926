//! Scorecards and interview plans, per requisition: the attributes interviewers rate
//! (grouped by category, each on a scale of 1 to 4 whose levels are described in words)
//! and the interview stages (phone screen, technical, on-site…) with their focus
//! attributes, the questions to ask, prep notes and duration. Scheduling an interview
//! picks a stage; its kit and feedback form follow from it.

mod api;
pub mod page;

#[cfg(feature = "ssr")]
pub mod data;

pub use api::*;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;

/// Most attributes on one scorecard, and stages in one plan.
pub const MAX_ATTRIBUTES: usize = 40;
pub const MAX_STAGES: usize = 12;
/// Most questions written for one stage.
pub const MAX_STAGE_QUESTIONS: usize = 30;

/// Stored as text under the CHECK constraint of `scorecard_attributes.category`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Skills,
    Qualifications,
    Traits,
}

impl Category {
    pub const ALL: [Category; 3] = [Category::Skills, Category::Qualifications, Category::Traits];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Skills => "skills",
            Category::Qualifications => "qualifications",
            Category::Traits => "traits",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::Skills => "Skills",
            Category::Qualifications => "Qualifications",
            Category::Traits => "Traits",
        }
    }
}

/// What a level of the scale is called, beside the attribute's own words for it.
pub fn level_name(level: i16) -> &'static str {
    match level {
        1 => "1 · Not shown",
        2 => "2 · Partly",
        3 => "3 · Solid",
        4 => "4 · Outstanding",
        _ => "Not assessed",
    }
}

/// One attribute of a scorecard: `anchors[0]` says what a 1 looks like, `anchors[3]` a 4.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Attribute {
    pub id: Uuid,
    pub category: Category,
    pub name: String,
    pub anchors: Vec<String>,
}

/// The anchors a skill's attribute starts with, which the recruiter may rewrite.
pub fn skill_anchors(skill: &str) -> Vec<String> {
    vec![
        format!("Shows no working knowledge of {skill}."),
        format!("Knows the basics of {skill} but needs guidance to apply them."),
        format!("Uses {skill} independently and explains the choices made."),
        format!("Deep, practised command of {skill}; could teach it to the team."),
    ]
}

/// A checked attribute form: a name, a category and four anchors, none empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttribute {
    pub category: Category,
    pub name: String,
    pub anchors: Vec<String>,
}

impl NewAttribute {
    pub fn parse(form: &AttributeForm) -> Result<Self, AppError> {
        let category = Category::parse(form.category.trim())
            .ok_or_else(|| AppError::invalid("Choose the attribute's category."))?;
        let name = crate::input::bounded("the attribute's name", &form.name, 200)?;
        if name.is_empty() {
            return Err(AppError::invalid("Give the attribute a name."));
        }
        let anchors = [&form.anchor_1, &form.anchor_2, &form.anchor_3, &form.anchor_4]
            .into_iter()
            .enumerate()
            .map(|(index, text)| {
                let text = crate::input::bounded(&format!("level {}", index + 1), text, 500)?;
                if text.is_empty() {
                    Err(AppError::invalid(format!(
                        "Describe what a {} looks like for “{name}”: every level of the scale needs its words.",
                        index + 1
                    )))
                } else {
                    Ok(text)
                }
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        Ok(NewAttribute {
            category,
            name,
            anchors,
        })
    }
}

/// The attribute form as it is posted (to add one, or to change `attribute_id`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeForm {
    pub requisition_id: Uuid,
    #[serde(default)]
    pub attribute_id: Option<Uuid>,
    pub category: String,
    pub name: String,
    pub anchor_1: String,
    pub anchor_2: String,
    pub anchor_3: String,
    pub anchor_4: String,
}

/// A question of the bank as a plan offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankQuestion {
    pub id: Uuid,
    /// The prompt's first line as plain text.
    pub headline: String,
}

/// One stage of an interview plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanStage {
    pub id: Uuid,
    pub name: String,
    pub duration_minutes: i32,
    pub prep_notes: String,
    /// Questions written for the stage.
    pub questions: Vec<String>,
    /// The attributes the stage assesses, in the scorecard's order.
    pub focus: Vec<Uuid>,
    pub bank_questions: Vec<BankQuestion>,
}

/// The plan stage form as it is posted (to add one, or to change `stage_id`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageForm {
    pub requisition_id: Uuid,
    #[serde(default)]
    pub stage_id: Option<Uuid>,
    pub name: String,
    pub duration_minutes: String,
    #[serde(default)]
    pub prep_notes: String,
    /// One question a line.
    #[serde(default)]
    pub questions: String,
    /// Attribute ids (checkboxes).
    #[serde(default)]
    pub focus: Vec<String>,
    /// Bank question ids (checkboxes).
    #[serde(default)]
    pub bank: Vec<String>,
}

/// A checked plan stage form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStage {
    pub name: String,
    pub duration_minutes: i32,
    pub prep_notes: String,
    pub questions: Vec<String>,
    pub focus: Vec<Uuid>,
    pub bank: Vec<Uuid>,
}

fn ids(values: &[String], what: &str) -> Result<Vec<Uuid>, AppError> {
    let mut ids = values
        .iter()
        .map(|v| v.trim().parse::<Uuid>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| AppError::invalid(format!("Choose {what} from the list.")))?;
    ids.sort();
    ids.dedup();
    Ok(ids)
}

impl NewStage {
    pub fn parse(form: &StageForm) -> Result<Self, AppError> {
        let name = crate::input::bounded("the stage's name", &form.name, 200)?;
        if name.is_empty() {
            return Err(AppError::invalid(
                "Give the stage a name, such as “Technical interview”.",
            ));
        }
        let duration_minutes = crate::input::parse_duration(&form.duration_minutes)?;
        let questions: Vec<String> = form
            .questions
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(|line| crate::input::bounded("a question", line, 1000).map_err(AppError::from))
            .collect::<Result<_, _>>()?;
        if questions.len() > MAX_STAGE_QUESTIONS {
            return Err(AppError::invalid(format!(
                "A stage holds at most {MAX_STAGE_QUESTIONS} written questions."
            )));
        }
        Ok(NewStage {
            name,
            duration_minutes,
            prep_notes: crate::input::bounded("the prep notes", &form.prep_notes, 5000)?,
            questions,
            focus: ids(&form.focus, "focus attributes")?,
            bank: ids(&form.bank, "bank questions")?,
        })
    }
}

/// A requisition's scorecard and interview plan, with what its forms offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scorecard {
    pub requisition_id: Uuid,
    pub requisition_title: String,
    pub attributes: Vec<Attribute>,
    pub stages: Vec<PlanStage>,
    /// Required skills of the requisition that are not attributes yet.
    pub skills_to_add: Vec<String>,
    /// Other requisitions (of the user's) with a scorecard to copy from.
    pub copy_from: Vec<(Uuid, String)>,
    /// Bank questions whose sets cover the requisition's skills.
    pub suggested_questions: Vec<BankQuestion>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> AttributeForm {
        AttributeForm {
            requisition_id: Uuid::nil(),
            attribute_id: None,
            category: "traits".into(),
            name: " Ownership ".into(),
            anchor_1: "Blames others".into(),
            anchor_2: "Owns when asked".into(),
            anchor_3: "Owns their work".into(),
            anchor_4: "Owns the team's outcome".into(),
        }
    }

    #[test]
    fn an_attribute_needs_a_category_a_name_and_words_for_every_level() {
        let parsed = NewAttribute::parse(&form()).unwrap();
        assert_eq!(parsed.name, "Ownership");
        assert_eq!(parsed.category, Category::Traits);
        assert_eq!(parsed.anchors.len(), 4);
        let mut missing = form();
        missing.anchor_3 = "  ".into();
        let message = NewAttribute::parse(&missing).unwrap_err().to_string();
        assert!(message.contains("what a 3 looks like"), "{message}");
        let mut nameless = form();
        nameless.name = String::new();
        assert!(NewAttribute::parse(&nameless).is_err());
        let mut odd = form();
        odd.category = "vibes".into();
        assert!(NewAttribute::parse(&odd).is_err());
    }

    #[test]
    fn a_stage_reads_one_question_a_line_and_checks_its_ids() {
        let id = Uuid::new_v4();
        let stage = NewStage::parse(&StageForm {
            requisition_id: Uuid::nil(),
            stage_id: None,
            name: "Technical".into(),
            duration_minutes: "45".into(),
            prep_notes: String::new(),
            questions: "Walk me through a query plan.\n\n  Why an index?  \n".into(),
            focus: vec![id.to_string(), id.to_string()],
            bank: vec![],
        })
        .unwrap();
        assert_eq!(
            stage.questions,
            vec!["Walk me through a query plan.", "Why an index?"]
        );
        assert_eq!(stage.focus, vec![id]);
        let bad = StageForm {
            name: "Technical".into(),
            duration_minutes: "45".into(),
            focus: vec!["nope".into()],
            ..StageForm::default()
        };
        assert!(NewStage::parse(&bad).is_err());
        let long = StageForm {
            name: "Technical".into(),
            duration_minutes: "2".into(),
            ..StageForm::default()
        };
        assert!(NewStage::parse(&long).is_err());
    }

    #[test]
    fn categories_round_trip_and_skills_get_anchors() {
        for category in Category::ALL {
            assert_eq!(Category::parse(category.as_str()), Some(category));
        }
        let anchors = skill_anchors("SQL");
        assert_eq!(anchors.len(), 4);
        assert!(anchors[3].contains("SQL"));
    }
}
