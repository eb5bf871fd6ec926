//! A card's move in the browser (drag and drop, its "Move to…" menu, the arrow keys): what
//! a move to a stage takes, where the arrow keys lead and what the board then says. Plain
//! Rust, which the board's island (`browser.rs`) follows; the move itself is the server
//! function the board's form posts (`move_applications`), with its checks.

use super::StageKind;

/// What moving a card from a stage of kind `from` to one of kind `to` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MovePlan {
    /// Moved in the page; `undo` when the way back needs nothing more than a move (the way
    /// back into Rejected would need its reason again).
    InPlace { undo: bool },
    /// A rejection needs its reason: the card is picked in the board's form, the stage
    /// chosen there, and the person chooses the reason and moves.
    NeedsReason,
    /// A hire changes the requisition's counts and maybe its status: the page shows the
    /// server's answer afresh (with its notice).
    Reload,
}

pub fn plan(from: StageKind, to: StageKind) -> MovePlan {
    match (from, to) {
        (_, StageKind::Rejected) => MovePlan::NeedsReason,
        (StageKind::Hired, _) | (_, StageKind::Hired) => MovePlan::Reload,
        (StageKind::Rejected, _) => MovePlan::InPlace { undo: false },
        _ => MovePlan::InPlace { undo: true },
    }
}

/// The active stage before (`step` -1) or after (+1) `current` among the board's stages in
/// order, for the arrow keys; `None` at either end, or from a closed stage.
pub fn neighbour<'a>(
    stages: &'a [(String, StageKind)],
    current: &str,
    step: i8,
) -> Option<&'a str> {
    let active: Vec<&str> = stages
        .iter()
        .filter(|(_, kind)| *kind == StageKind::Active)
        .map(|(id, _)| id.as_str())
        .collect();
    let at = active.iter().position(|id| *id == current)?;
    let to = if step < 0 { at.checked_sub(1)? } else { at + 1 };
    active.get(to).copied()
}

impl StageKind {
    /// The kind a column's `data-kind` names (serde's name).
    pub fn from_key(key: &str) -> Option<Self> {
        [Self::Active, Self::Hired, Self::Rejected, Self::Withdrawn]
            .into_iter()
            .find(|kind| kind.key() == key)
    }
}

/// What the board says once a card moved, and how to take it back.
pub fn moved_text(name: &str, stage: &str, undo: bool) -> String {
    if undo {
        format!("Moved {name} to {stage}. Undo with the button or Ctrl+Z.")
    } else {
        format!("Moved {name} to {stage}.")
    }
}

pub fn reason_text(name: &str, stage: &str) -> String {
    format!("To move {name} to {stage}, choose the reason below, then Move selected.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use StageKind::*;

    #[test]
    fn rejections_need_their_reason_hires_reload_the_rest_move_in_place() {
        assert_eq!(plan(Active, Active), MovePlan::InPlace { undo: true });
        assert_eq!(plan(Active, Withdrawn), MovePlan::InPlace { undo: true });
        assert_eq!(plan(Withdrawn, Active), MovePlan::InPlace { undo: true });
        assert_eq!(plan(Rejected, Active), MovePlan::InPlace { undo: false });
        assert_eq!(plan(Active, Rejected), MovePlan::NeedsReason);
        assert_eq!(plan(Hired, Rejected), MovePlan::NeedsReason);
        assert_eq!(plan(Active, Hired), MovePlan::Reload);
        assert_eq!(plan(Hired, Active), MovePlan::Reload);
    }

    #[test]
    fn the_arrow_keys_step_through_the_active_stages_only() {
        let stages: Vec<(String, StageKind)> = [
            ("applied", Active),
            ("screen", Active),
            ("hired", Hired),
            ("offer", Active),
            ("rejected", Rejected),
        ]
        .into_iter()
        .map(|(id, kind)| (id.to_string(), kind))
        .collect();
        assert_eq!(neighbour(&stages, "applied", 1), Some("screen"));
        assert_eq!(neighbour(&stages, "screen", 1), Some("offer"));
        assert_eq!(neighbour(&stages, "screen", -1), Some("applied"));
        assert_eq!(neighbour(&stages, "applied", -1), None);
        assert_eq!(neighbour(&stages, "offer", 1), None);
        assert_eq!(neighbour(&stages, "hired", 1), None);
    }

    #[test]
    fn a_kind_reads_back_from_its_key() {
        for kind in [Active, Hired, Rejected, Withdrawn] {
            assert_eq!(StageKind::from_key(kind.key()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.key()));
        }
        assert_eq!(StageKind::from_key("other"), None);
    }
}
