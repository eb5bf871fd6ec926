//! Interview feedback (seed InterviewFeedback, one per interview): the interview's kit
//! with its scorecard form, drafts that save as the interviewer types, submission that
//! locks it, edits that keep the earlier versions, reminders when it is overdue; the
//! debrief (attributes × interviewers, disagreements, the hire or reject decision) and
//! the interviewers' calibration.
//!
//! Independence is the rule every read here follows: an interviewer sees nothing of a
//! colleague's feedback on the same application (ratings, recommendations, notes or
//! counts) until their own is submitted; admins, recruiters and the requisition's hiring
//! manager see all submitted feedback; nobody but its author sees a draft.

mod api;
pub mod calibration;
pub mod calibration_page;
pub mod debrief;
pub mod kit;
pub mod settings;

#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod reminders;
#[cfg(feature = "ssr")]
pub mod service;

pub use api::*;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::Role;
use crate::error::AppError;
use crate::interviews::InterviewStatus;
use crate::scorecards::{Attribute, Category};

/// Where an application's debrief is.
pub fn debrief_url(application_id: Uuid) -> String {
    format!("/applications/{application_id}/debrief")
}

/// Most characters in each of the free-text fields.
pub const MAX_TEXT: usize = 10_000;

/// The overall recommendation: a fixed scale with no neutral option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum Recommendation {
    StrongNo,
    No,
    Yes,
    StrongYes,
}

impl Recommendation {
    pub const ALL: [Recommendation; 4] = [
        Recommendation::StrongNo,
        Recommendation::No,
        Recommendation::Yes,
        Recommendation::StrongYes,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Recommendation::StrongNo => "strong_no",
            Recommendation::No => "no",
            Recommendation::Yes => "yes",
            Recommendation::StrongYes => "strong_yes",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Recommendation::StrongNo => "Strong no",
            Recommendation::No => "No",
            Recommendation::Yes => "Yes",
            Recommendation::StrongYes => "Strong yes",
        }
    }

    /// Whether it leans towards hiring.
    pub fn is_yes(self) -> bool {
        matches!(self, Recommendation::Yes | Recommendation::StrongYes)
    }

    pub fn class(self) -> &'static str {
        if self.is_yes() {
            "recommendation recommendation-yes"
        } else {
            "recommendation recommendation-no"
        }
    }
}

/// Stored as text under the CHECK constraint of `interview_feedback.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackStatus {
    Draft,
    Submitted,
}

/// A rating of "not assessed": the attribute did not come up.
pub const NOT_ASSESSED: i16 = 0;

/// An attribute as the feedback was given it (name and anchors kept with the feedback),
/// with its rating: 1 to 4, `NOT_ASSESSED`, or `None` while a draft has none yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatedAttribute {
    pub attribute_id: Uuid,
    pub category: Category,
    pub name: String,
    pub anchors: Vec<String>,
    pub rating: Option<i16>,
}

impl RatedAttribute {
    pub fn unrated(attribute: &Attribute) -> Self {
        RatedAttribute {
            attribute_id: attribute.id,
            category: attribute.category,
            name: attribute.name.clone(),
            anchors: attribute.anchors.clone(),
            rating: None,
        }
    }

    /// "3 · Solid", "Not assessed" or "—".
    pub fn rating_text(&self) -> String {
        match self.rating {
            None => "—".to_string(),
            Some(level) => crate::scorecards::level_name(level).to_string(),
        }
    }

    /// The level 1 to 4 when one was given.
    pub fn level(&self) -> Option<i16> {
        self.rating.filter(|level| (1..=4).contains(level))
    }
}

/// The feedback form as it is posted (a draft save, or the submission).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackForm {
    pub interview_id: Uuid,
    /// Radio values `<attribute id>:<1|2|3|4|na>`, one group per attribute.
    #[serde(default)]
    pub ratings: Vec<String>,
    #[serde(default)]
    pub strengths: String,
    #[serde(default)]
    pub concerns: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub recommendation: String,
}

/// A feedback form read: every value well formed, nothing yet required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackInput {
    pub ratings: Vec<(Uuid, i16)>,
    pub strengths: String,
    pub concerns: String,
    pub notes: String,
    pub recommendation: Option<Recommendation>,
}

impl FeedbackInput {
    pub fn parse(form: &FeedbackForm) -> Result<Self, AppError> {
        let bad = || AppError::invalid("Choose each rating from its scale.");
        let ratings = form
            .ratings
            .iter()
            .filter(|value| !value.trim().is_empty())
            .map(|value| {
                let (id, level) = value.trim().split_once(':').ok_or_else(bad)?;
                let id: Uuid = id.parse().map_err(|_| bad())?;
                let level = match level {
                    "na" => NOT_ASSESSED,
                    "1" => 1,
                    "2" => 2,
                    "3" => 3,
                    "4" => 4,
                    _ => return Err(bad()),
                };
                Ok((id, level))
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let recommendation = match form.recommendation.trim() {
            "" => None,
            value => Some(Recommendation::parse(value).ok_or_else(|| {
                AppError::invalid("Choose the recommendation: strong no, no, yes or strong yes.")
            })?),
        };
        Ok(FeedbackInput {
            ratings,
            strengths: crate::input::bounded("the strengths", &form.strengths, MAX_TEXT)?,
            concerns: crate::input::bounded("the concerns", &form.concerns, MAX_TEXT)?,
            notes: crate::input::bounded("the notes", &form.notes, MAX_TEXT)?,
            recommendation,
        })
    }

    /// The attributes with the ratings this form gave them (the last value for each);
    /// ratings of attributes not asked are left out.
    pub fn rate(&self, attributes: &[RatedAttribute]) -> Vec<RatedAttribute> {
        attributes
            .iter()
            .map(|attribute| RatedAttribute {
                rating: self
                    .ratings
                    .iter()
                    .rev()
                    .find(|(id, _)| *id == attribute.attribute_id)
                    .map(|(_, level)| *level),
                ..attribute.clone()
            })
            .collect()
    }

    /// What a submission needs: the recommendation and a rating (or "not assessed") for
    /// every attribute. Returns the rated attributes and the recommendation.
    pub fn complete(
        &self,
        attributes: &[RatedAttribute],
    ) -> Result<(Vec<RatedAttribute>, Recommendation), AppError> {
        let rated = self.rate(attributes);
        let missing: Vec<&str> = rated
            .iter()
            .filter(|a| a.rating.is_none())
            .map(|a| a.name.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(AppError::invalid(format!(
                "Rate every attribute, or mark it “not assessed”, before submitting: {} still {} none.",
                missing.join(", "),
                if missing.len() == 1 { "has" } else { "have" }
            )));
        }
        let recommendation = self.recommendation.ok_or_else(|| {
            AppError::invalid(
                "Choose your overall recommendation (strong no, no, yes or strong yes) before submitting.",
            )
        })?;
        Ok((rated, recommendation))
    }
}

/// What a user may see of the submitted feedback on one application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelAccess {
    /// All submitted feedback.
    All,
    /// Their own feedback only: they interview the candidate and have not submitted
    /// everything they owe on them.
    OwnOnly,
}

/// The independence rule. `manages` says the user may work on the requisition (admins,
/// recruiters, its hiring manager); `own` lists the user's interviews of the
/// application with whether each one's feedback is submitted. `None`: nothing to see.
pub fn panel_access(
    role: Role,
    manages: bool,
    own: &[(InterviewStatus, bool)],
) -> Option<PanelAccess> {
    if manages && role != Role::Interviewer {
        return Some(PanelAccess::All);
    }
    if own.is_empty() {
        return None;
    }
    let owes = own
        .iter()
        .any(|(status, submitted)| !submitted && status.takes_feedback());
    let gave = own
        .iter()
        .any(|(status, submitted)| *submitted && status.takes_feedback());
    Some(if gave && !owes {
        PanelAccess::All
    } else {
        PanelAccess::OwnOnly
    })
}

/// Whether the interviewers' levels for one attribute are 2 or more apart.
pub fn levels_disagree(levels: &[i16]) -> bool {
    let rated: Vec<i16> = levels
        .iter()
        .copied()
        .filter(|l| (1..=4).contains(l))
        .collect();
    match (rated.iter().min(), rated.iter().max()) {
        (Some(min), Some(max)) => max - min >= 2,
        _ => false,
    }
}

/// Whether some say yes and some say no.
pub fn recommendations_split(recommendations: &[Recommendation]) -> bool {
    recommendations.iter().any(|r| r.is_yes()) && recommendations.iter().any(|r| !r.is_yes())
}

/// A submitted version kept when its author edited it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackVersion {
    pub version: i32,
    pub recommendation: Recommendation,
    pub ratings: Vec<RatedAttribute>,
    pub strengths: String,
    pub concerns: String,
    pub notes: String,
    /// When it was submitted, in the viewer's zone.
    pub submitted_at: String,
}

/// The author's own feedback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnFeedback {
    pub status: FeedbackStatus,
    pub ratings: Vec<RatedAttribute>,
    pub strengths: String,
    pub concerns: String,
    pub notes: String,
    pub recommendation: Option<Recommendation>,
    /// When it was last saved or submitted, in the viewer's zone.
    pub saved_at: String,
    pub version: i32,
    /// Earlier submitted versions, newest first.
    pub history: Vec<FeedbackVersion>,
}

/// One interviewer's submitted feedback, as those allowed to see it read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelFeedback {
    pub interview_id: Uuid,
    pub interviewer_id: Uuid,
    pub interviewer_name: String,
    /// "Technical (On-site loop)": the interview's type and plan stage.
    pub interview_label: String,
    pub recommendation: Recommendation,
    pub ratings: Vec<RatedAttribute>,
    pub strengths: String,
    pub concerns: String,
    pub notes: String,
    pub submitted_at: String,
    /// Above 1 when its author edited it after submitting.
    pub version: i32,
}

/// Colleagues' feedback as the kit shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Panel {
    /// Hidden until the viewer's own feedback is in (not even how many there are).
    Hidden,
    Shown(Vec<PanelFeedback>),
}

/// An interview's kit: what the interviewer needs, and the feedback form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kit {
    pub interview_id: Uuid,
    pub application_id: Uuid,
    /// The interview has started, so its feedback may be submitted.
    pub has_started: bool,
    pub stage_name: Option<String>,
    pub prep_notes: String,
    pub questions: Vec<String>,
    /// Bank questions of the stage: (headline, prompt as safe HTML).
    pub bank_questions: Vec<(String, String)>,
    /// The viewer is the interviewer (the form is theirs).
    pub is_author: bool,
    /// Feedback can be given (the interview was not cancelled or a no-show).
    pub can_write: bool,
    /// The attributes to rate, with the ratings given so far.
    pub attributes: Vec<RatedAttribute>,
    pub own: Option<OwnFeedback>,
    pub panel: Panel,
    /// The viewer may open the debrief.
    pub can_debrief: bool,
}

/// One interview as a column of the debrief.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebriefColumn {
    pub interview_id: Uuid,
    pub interviewer_name: String,
    pub interview_label: String,
    pub when: String,
    pub recommendation: Option<Recommendation>,
    /// Its feedback is overdue (past the organization's due time).
    pub overdue: bool,
}

/// One attribute as a row of the debrief: a level (or none) per column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebriefRow {
    pub name: String,
    pub category: Category,
    /// `None`: not rated (no feedback yet, or not asked in that interview);
    /// `Some(NOT_ASSESSED)`: marked not assessed.
    pub cells: Vec<Option<i16>>,
    pub disagree: bool,
}

/// An application's debrief.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Debrief {
    pub application_id: Uuid,
    pub candidate_name: String,
    pub requisition_id: Uuid,
    pub requisition_title: String,
    pub stage: String,
    pub columns: Vec<DebriefColumn>,
    pub rows: Vec<DebriefRow>,
    /// Some say yes and some say no.
    pub split: bool,
    pub feedback: Vec<PanelFeedback>,
    /// Stages a hire decision may move to: later active stages (the offer) and hired.
    pub hire_stages: Vec<(Uuid, String)>,
    /// The organization's rejection reasons.
    pub reasons: Vec<(Uuid, String)>,
    /// The application has reached an outcome (hired, rejected or withdrawn).
    pub decided: bool,
}

/// What a decision may do with an application now in the stage named `current`: the
/// stages a hire may move it to (later active stages, such as the offer, and hired ones),
/// the rejection stage, and whether it has reached an outcome already (then nothing).
pub fn decision_choices(
    stages: &[crate::pipeline::Stage],
    current: &str,
) -> (Vec<(Uuid, String)>, Option<Uuid>, bool) {
    use crate::pipeline::StageKind;
    let position = stages.iter().position(|stage| stage.name == current);
    let decided = position.is_some_and(|i| stages[i].kind != StageKind::Active);
    let hire = stages
        .iter()
        .enumerate()
        .filter(|(i, stage)| {
            position.is_none_or(|p| *i > p)
                && matches!(stage.kind, StageKind::Active | StageKind::Hired)
        })
        .map(|(_, stage)| (stage.id, stage.name.clone()))
        .collect();
    let rejected = stages
        .iter()
        .find(|stage| stage.kind == StageKind::Rejected)
        .map(|stage| stage.id);
    (hire, rejected, decided)
}

/// Builds the debrief's rows from each column's ratings (`None` for a column without
/// submitted feedback): attributes in the order they first appear, by category.
pub fn debrief_rows(columns: &[Option<Vec<RatedAttribute>>]) -> Vec<DebriefRow> {
    let mut rows: Vec<DebriefRow> = Vec::new();
    for (index, ratings) in columns.iter().enumerate() {
        for rated in ratings.iter().flatten() {
            let key = rated.name.to_lowercase();
            let position = match rows.iter().position(|r| r.name.to_lowercase() == key) {
                Some(position) => position,
                None => {
                    rows.push(DebriefRow {
                        name: rated.name.clone(),
                        category: rated.category,
                        cells: vec![None; columns.len()],
                        disagree: false,
                    });
                    rows.len() - 1
                }
            };
            rows[position].cells[index] = rated.rating;
        }
    }
    for row in &mut rows {
        let levels: Vec<i16> = row.cells.iter().flatten().copied().collect();
        row.disagree = levels_disagree(&levels);
    }
    rows.sort_by_key(|row| row.category);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attribute(name: &str) -> RatedAttribute {
        RatedAttribute {
            attribute_id: Uuid::new_v4(),
            category: Category::Skills,
            name: name.into(),
            anchors: vec!["a".into(), "b".into(), "c".into(), "d".into()],
            rating: None,
        }
    }

    #[test]
    fn a_form_reads_ratings_and_a_submission_needs_them_all() {
        let (sql, rust) = (attribute("SQL"), attribute("Rust"));
        let form = FeedbackForm {
            interview_id: Uuid::nil(),
            ratings: vec![format!("{}:3", sql.attribute_id)],
            strengths: " Clear ".into(),
            recommendation: String::new(),
            ..FeedbackForm::default()
        };
        let input = FeedbackInput::parse(&form).unwrap();
        assert_eq!(input.strengths, "Clear");
        let attributes = vec![sql.clone(), rust.clone()];
        let rated = input.rate(&attributes);
        assert_eq!(rated[0].rating, Some(3));
        assert_eq!(rated[1].rating, None);
        let message = input.complete(&attributes).unwrap_err().to_string();
        assert!(message.contains("Rust still has none"), "{message}");

        let form = FeedbackForm {
            ratings: vec![
                format!("{}:3", sql.attribute_id),
                format!("{}:na", rust.attribute_id),
            ],
            ..form
        };
        let input = FeedbackInput::parse(&form).unwrap();
        let message = input.complete(&attributes).unwrap_err().to_string();
        assert!(message.contains("recommendation"), "{message}");
        let input = FeedbackInput {
            recommendation: Some(Recommendation::Yes),
            ..input
        };
        let (rated, recommendation) = input.complete(&attributes).unwrap();
        assert_eq!(recommendation, Recommendation::Yes);
        assert_eq!(rated[1].rating, Some(NOT_ASSESSED));
        assert_eq!(rated[1].rating_text(), "Not assessed");
    }

    #[test]
    fn bad_values_are_refused() {
        for value in ["nope", "x:3", &format!("{}:5", Uuid::nil())] {
            let form = FeedbackForm {
                ratings: vec![value.to_string()],
                ..FeedbackForm::default()
            };
            assert!(FeedbackInput::parse(&form).is_err(), "{value}");
        }
        let form = FeedbackForm {
            recommendation: "maybe".into(),
            ..FeedbackForm::default()
        };
        assert!(FeedbackInput::parse(&form).is_err());
    }

    #[test]
    fn interviewers_see_colleagues_only_after_giving_everything_they_owe() {
        use InterviewStatus::*;
        assert_eq!(
            panel_access(Role::Recruiter, true, &[]),
            Some(PanelAccess::All)
        );
        assert_eq!(
            panel_access(Role::HiringManager, true, &[]),
            Some(PanelAccess::All)
        );
        assert_eq!(panel_access(Role::HiringManager, false, &[]), None);
        assert_eq!(panel_access(Role::Interviewer, false, &[]), None);
        assert_eq!(
            panel_access(Role::Interviewer, false, &[(Scheduled, false)]),
            Some(PanelAccess::OwnOnly)
        );
        assert_eq!(
            panel_access(Role::Interviewer, false, &[(Completed, true)]),
            Some(PanelAccess::All)
        );
        assert_eq!(
            panel_access(
                Role::Interviewer,
                false,
                &[(Completed, true), (Scheduled, false)]
            ),
            Some(PanelAccess::OwnOnly)
        );
        // A cancelled interview is owed nothing, but gives no access by itself either.
        assert_eq!(
            panel_access(Role::Interviewer, false, &[(Cancelled, false)]),
            Some(PanelAccess::OwnOnly)
        );
        assert_eq!(
            panel_access(
                Role::Interviewer,
                false,
                &[(Completed, true), (Cancelled, false)]
            ),
            Some(PanelAccess::All)
        );
        // A hiring manager interviewing on someone else's requisition is an interviewer there.
        assert_eq!(
            panel_access(Role::HiringManager, false, &[(Scheduled, false)]),
            Some(PanelAccess::OwnOnly)
        );
    }

    #[test]
    fn disagreement_is_a_spread_of_two_or_a_yes_beside_a_no() {
        assert!(!levels_disagree(&[2, 3]));
        assert!(levels_disagree(&[1, 3]));
        assert!(levels_disagree(&[4, 2, 3]));
        assert!(!levels_disagree(&[NOT_ASSESSED, 3]));
        assert!(!levels_disagree(&[]));
        use Recommendation::*;
        assert!(recommendations_split(&[Yes, No]));
        assert!(recommendations_split(&[StrongYes, StrongNo, Yes]));
        assert!(!recommendations_split(&[Yes, StrongYes]));
        assert!(!recommendations_split(&[No]));
    }

    #[test]
    fn a_decision_moves_forward_or_rejects_and_an_outcome_is_final() {
        use crate::pipeline::{Stage, StageKind};
        let stage = |n: u128, name: &str, kind| Stage {
            id: Uuid::from_u128(n),
            name: name.into(),
            kind,
        };
        let stages = vec![
            stage(1, "Screening", StageKind::Active),
            stage(2, "Interview", StageKind::Active),
            stage(3, "Offer", StageKind::Active),
            stage(4, "Hired", StageKind::Hired),
            stage(5, "Rejected", StageKind::Rejected),
            stage(6, "Withdrawn", StageKind::Withdrawn),
        ];
        let (hire, rejected, decided) = decision_choices(&stages, "Interview");
        assert_eq!(
            hire.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>(),
            vec!["Offer", "Hired"]
        );
        assert_eq!(rejected, Some(Uuid::from_u128(5)));
        assert!(!decided);
        assert!(decision_choices(&stages, "Hired").2);
        assert!(decision_choices(&stages, "Rejected").2);
    }

    #[test]
    fn debrief_rows_line_up_attributes_across_interviewers() {
        let mut sql = attribute("SQL");
        sql.rating = Some(1);
        let mut sql_again = attribute("sql");
        sql_again.rating = Some(4);
        let mut care = attribute("Care");
        care.category = Category::Traits;
        care.rating = Some(3);
        let rows = debrief_rows(&[Some(vec![care.clone(), sql]), None, Some(vec![sql_again])]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name, "SQL");
        assert_eq!(rows[0].cells, vec![Some(1), None, Some(4)]);
        assert!(rows[0].disagree);
        assert_eq!(rows[1].name, "Care");
        assert_eq!(rows[1].cells, vec![Some(3), None, None]);
        assert!(!rows[1].disagree);
    }
}
