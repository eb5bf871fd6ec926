//! The pipeline: a candidate's application to a requisition moves through the
//! organization's stages (Applied, Screening, … and the outcomes Hired, Rejected,
//! Withdrawn); every move is kept with who made it and when.

mod api;
pub mod board;
pub mod browser;
pub mod filter;
mod history;
pub mod moves;
pub mod settings;

#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod service;

pub use api::*;
pub use filter::{BoardFilter, ResultFilter, UnknownResult};
pub use history::History;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;
use crate::requisitions::RequisitionStatus;

/// Stored as text under the CHECK constraint of `pipeline_stages.kind`; reading any other
/// value is a decode error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    Active,
    Hired,
    Rejected,
    Withdrawn,
}

impl StageKind {
    /// As stored, and as a board column's `data-kind` says it.
    pub fn key(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Hired => "hired",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Stage {
    pub id: Uuid,
    pub name: String,
    pub kind: StageKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub id: Uuid,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub application_id: Uuid,
    pub candidate_id: Uuid,
    pub candidate_name: String,
    /// The candidate's tags as stored: lowercase and without commas, as
    /// `candidates::parse_tags` keeps them. Empty for viewers who do not see tags
    /// (`shows_tags`).
    pub tags: Vec<String>,
    pub stage_entered_at: DateTime<Utc>,
    pub rejection_reason: Option<String>,
    /// The latest assessment result of the application.
    pub result: Option<crate::results::ResultBadge>,
    /// That session's proctoring band and disposition, once it ended.
    pub proctoring: Option<crate::results::ProctoringMark>,
    /// The application's interviews and their feedback, as the card tells them.
    pub interviews: CardInterviews,
    /// How the candidate's documents fit the requisition's skills, once read.
    pub skills: Option<crate::skills::SkillBadge>,
}

impl Card {
    /// The band of the latest result, which the board's result filter picks.
    pub fn result_band(&self) -> ResultFilter {
        ResultFilter::of(self.result.map(|result| result.verdict))
    }
}

/// An application's interviews as a board card shows them: those still to come, those
/// held (completed, or scheduled and ended) and how many of those have their feedback
/// submitted. Cancelled interviews and no-shows are left out: no feedback is due for them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardInterviews {
    pub upcoming: i64,
    pub held: i64,
    pub feedback_in: i64,
    /// When the first upcoming interview ends, turning from "scheduled" into "held" with
    /// its feedback due: the card's text changes then.
    pub next_end: Option<DateTime<Utc>>,
}

impl CardInterviews {
    /// "Interview scheduled", "2 interviews scheduled"; `None` with none to come.
    pub fn upcoming_text(&self) -> Option<String> {
        match self.upcoming {
            0 => None,
            1 => Some("Interview scheduled".to_string()),
            n => Some(format!("{n} interviews scheduled")),
        }
    }

    /// "Feedback 1 of 2 in", "Feedback in"; `None` before any interview was held.
    pub fn feedback_text(&self) -> Option<String> {
        match (self.held, self.feedback_in) {
            (0, _) => None,
            (held, done) if done >= held => Some("Feedback in".to_string()),
            (held, done) => Some(format!("Feedback {done} of {held} in")),
        }
    }

    /// Whether any held interview still waits for its feedback.
    pub fn feedback_due(&self) -> bool {
        self.feedback_in < self.held
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub stage: Stage,
    pub cards: Vec<Card>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub requisition_id: Uuid,
    pub title: String,
    pub status: RequisitionStatus,
    pub openings: i32,
    pub columns: Vec<Column>,
    pub reasons: Vec<Reason>,
    /// Whether the viewer may open candidate profiles (recruiters and admins).
    pub can_open_candidates: bool,
    /// Published assessments to invite to, for those who may invite.
    pub assessments: Vec<BoardAssessment>,
}

/// A published assessment of the requisition, which the board invites to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardAssessment {
    pub id: Uuid,
    pub title: String,
    pub version: i32,
}

impl BoardAssessment {
    /// The title, with the version from the second one on.
    pub fn label(&self) -> String {
        if self.version > 1 {
            format!("{} (version {})", self.title, self.version)
        } else {
            self.title.clone()
        }
    }
}

/// Whether cards show the candidates' tags to this role, and the board filters by them:
/// to those who see the whole candidate record (admins and recruiters). A hiring
/// manager's view of a candidate leaves the tags out (`access::ProfileView::Limited`).
pub fn shows_tags(role: crate::access::Role) -> bool {
    crate::access::CANDIDATE_ROLES.contains(&role)
}

/// The board as its page shows it: the requisition as it is now, and its cards, rendered
/// (from the cache when unfiltered and current, see `cache.rs`).
#[derive(Debug, Clone)]
pub struct PipelineBoard {
    pub requisition_id: Uuid,
    pub title: String,
    pub status: RequisitionStatus,
    pub openings: i32,
    /// What the cards were filtered by: the filter asked for, without its tag for those
    /// who do not see tags.
    pub filter: BoardFilter,
    /// Whether the viewer sees the cards' tags and may filter by them (`shows_tags`).
    pub shows_tags: bool,
    pub cards: Arc<RenderedCards>,
    /// Whether the viewer may invite to assessments (admins and recruiters).
    pub can_invite: bool,
}

/// A requisition's columns and cards rendered to HTML, with what the rest of the page
/// needs from the same read: the counts, the stages and reasons to move to, and the
/// published assessments.
#[derive(Debug)]
pub struct RenderedCards {
    pub org_id: Uuid,
    /// The requisition's `board_version` read before the cards.
    pub version: i64,
    /// When the first card's "days in stage" or interviews change with time: the markup
    /// is stale from then on.
    pub valid_until: DateTime<Utc>,
    /// Shared, not copied, by every page that shows it.
    pub html: Arc<str>,
    /// Every card of the board, and those hired.
    pub total: usize,
    pub hired: usize,
    /// The cards the markup holds: those the filter kept, `total` without one.
    pub shown: usize,
    /// The tags of every card, lowercase, sorted, once each: what the tag filter offers
    /// (none for those who do not see tags).
    pub tags: Vec<String>,
    pub stages: Vec<Stage>,
    pub reasons: Vec<Reason>,
    pub assessments: Vec<BoardAssessment>,
}

/// The board page's data, its cards filtered by `filter`. Pages render on the server
/// only; the browser never asks.
pub async fn pipeline_board(
    requisition_id: Uuid,
    filter: BoardFilter,
) -> Result<PipelineBoard, AppError> {
    #[cfg(feature = "ssr")]
    {
        cache::pipeline_board(requisition_id, filter).await
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (requisition_id, filter);
        Err(AppError::Internal)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageChange {
    pub at: DateTime<Utc>,
    pub from: Option<String>,
    pub to: String,
    pub by: Option<String>,
    pub reason: Option<String>,
}

/// One application as the candidate's profile shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationSummary {
    pub application_id: Uuid,
    pub requisition_id: Uuid,
    pub requisition_title: String,
    pub stage: String,
    pub rejection_reason: Option<String>,
    pub history: Vec<StageChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidatePipeline {
    pub applications: Vec<ApplicationSummary>,
    /// Requisitions the candidate can still be added to: (id, title).
    pub open_requisitions: Vec<(Uuid, String)>,
}

/// The reason a move keeps: a rejection needs one, other moves none.
pub fn reason_for_move(to: &Stage, reason: Option<Uuid>) -> Result<Option<Uuid>, AppError> {
    match (to.kind, reason) {
        (StageKind::Rejected, Some(reason)) => Ok(Some(reason)),
        (StageKind::Rejected, None) => Err(AppError::invalid("Choose the reason for rejecting.")),
        _ => Ok(None),
    }
}

/// Whether hiring has filled the requisition: as many hires as openings, while it was
/// still taking candidates.
pub fn is_filled(hires: i64, openings: i32, status: RequisitionStatus) -> bool {
    hires >= i64::from(openings)
        && matches!(status, RequisitionStatus::Open | RequisitionStatus::OnHold)
}

/// What the board says after a move: of the candidates `names` (the selected ones),
/// `moved` went to `stage`, the others were there already.
pub fn moved_sentence(names: &[String], moved: u64, stage: &str) -> String {
    use crate::ui::counted;
    let already = (names.len() as u64).saturating_sub(moved);
    match names {
        [name] if moved == 1 => format!("Moved {name} to {stage}."),
        [name] => format!("{name} was already in {stage}."),
        _ if already == 0 => format!(
            "Moved {} to {stage}.",
            counted(moved as i64, "candidate", "candidates")
        ),
        _ => format!(
            "Moved {} to {stage}; {} already there.",
            counted(moved as i64, "candidate", "candidates"),
            if already == 1 {
                "1 was".to_string()
            } else {
                format!("{already} were")
            }
        ),
    }
}

pub fn days_in_stage(entered: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (now - entered).num_days().max(0)
}

/// The moment after `now` at which `days_in_stage(entered, …)` next changes.
pub fn days_in_stage_change_at(entered: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    entered + chrono::Duration::days(days_in_stage(entered, now) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stage_kinds_key_is_its_stored_name() {
        for kind in [
            StageKind::Active,
            StageKind::Hired,
            StageKind::Rejected,
            StageKind::Withdrawn,
        ] {
            assert_eq!(
                serde_json::to_string(&kind).unwrap(),
                format!("\"{}\"", kind.key())
            );
        }
    }

    #[test]
    fn a_card_tells_interviews_to_come_and_feedback_held_back() {
        let none = CardInterviews::default();
        assert_eq!(none.upcoming_text(), None);
        assert_eq!(none.feedback_text(), None);
        assert!(!none.feedback_due());
        let one = CardInterviews {
            upcoming: 1,
            ..none
        };
        assert_eq!(one.upcoming_text().as_deref(), Some("Interview scheduled"));
        let two = CardInterviews {
            upcoming: 2,
            held: 2,
            feedback_in: 1,
            next_end: None,
        };
        assert_eq!(
            two.upcoming_text().as_deref(),
            Some("2 interviews scheduled")
        );
        assert_eq!(two.feedback_text().as_deref(), Some("Feedback 1 of 2 in"));
        assert!(two.feedback_due());
        let done = CardInterviews {
            feedback_in: 2,
            ..two
        };
        assert_eq!(done.feedback_text().as_deref(), Some("Feedback in"));
        assert!(!done.feedback_due());
    }

    #[test]
    fn a_move_is_told_by_name_for_one_candidate_and_by_count_for_several() {
        let names = |list: &[&str]| list.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert_eq!(
            moved_sentence(&names(&["Ada Lovelace"]), 1, "Screening"),
            "Moved Ada Lovelace to Screening."
        );
        assert_eq!(
            moved_sentence(&names(&["Ada Lovelace"]), 0, "Screening"),
            "Ada Lovelace was already in Screening."
        );
        assert_eq!(
            moved_sentence(&names(&["A", "B", "C"]), 3, "Offer"),
            "Moved 3 candidates to Offer."
        );
        assert_eq!(
            moved_sentence(&names(&["A", "B", "C"]), 2, "Offer"),
            "Moved 2 candidates to Offer; 1 was already there."
        );
        assert_eq!(
            moved_sentence(&names(&["A", "B", "C"]), 1, "Offer"),
            "Moved 1 candidate to Offer; 2 were already there."
        );
    }

    fn stage(kind: StageKind) -> Stage {
        Stage {
            id: Uuid::nil(),
            name: "x".into(),
            kind,
        }
    }

    #[test]
    fn a_rejection_needs_a_reason_and_other_moves_drop_it() {
        let reason = Uuid::from_u128(9);
        assert!(reason_for_move(&stage(StageKind::Rejected), None).is_err());
        assert_eq!(
            reason_for_move(&stage(StageKind::Rejected), Some(reason)).unwrap(),
            Some(reason)
        );
        assert_eq!(
            reason_for_move(&stage(StageKind::Active), Some(reason)).unwrap(),
            None
        );
        assert_eq!(
            reason_for_move(&stage(StageKind::Hired), None).unwrap(),
            None
        );
    }

    #[test]
    fn a_requisition_fills_when_hires_reach_the_openings() {
        assert!(!is_filled(1, 2, RequisitionStatus::Open));
        assert!(is_filled(2, 2, RequisitionStatus::Open));
        assert!(is_filled(3, 2, RequisitionStatus::OnHold));
        assert!(!is_filled(2, 2, RequisitionStatus::Draft));
        assert!(
            !is_filled(2, 2, RequisitionStatus::Filled),
            "already filled: nothing to do"
        );
    }

    #[test]
    fn days_in_stage_count_whole_days() {
        let start = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        assert_eq!(days_in_stage(start, start + chrono::Duration::hours(47)), 1);
        assert_eq!(days_in_stage(start, start - chrono::Duration::hours(1)), 0);
    }

    #[test]
    fn the_day_count_changes_at_the_next_whole_day_in_stage() {
        let start = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let hours = chrono::Duration::hours;
        for now in [
            start,
            start + hours(5),
            start + hours(47),
            start - hours(30),
        ] {
            let change = days_in_stage_change_at(start, now);
            assert!(change > now);
            let just_before = change - chrono::Duration::milliseconds(1);
            assert_eq!(days_in_stage(start, just_before), days_in_stage(start, now));
            assert_eq!(days_in_stage(start, change), days_in_stage(start, now) + 1);
        }
        assert_eq!(
            days_in_stage_change_at(start, start + hours(47)),
            start + hours(48)
        );
    }
}
