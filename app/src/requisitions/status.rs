//! A requisition's status and the moves between statuses the server allows.

use serde::{Deserialize, Serialize};

/// Stored as text under the CHECK constraint of `job_requisitions.status`; reading any
/// other value is a decode error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum RequisitionStatus {
    Draft,
    Open,
    OnHold,
    Filled,
    Cancelled,
}

impl RequisitionStatus {
    pub const ALL: [RequisitionStatus; 5] = [
        RequisitionStatus::Draft,
        RequisitionStatus::Open,
        RequisitionStatus::OnHold,
        RequisitionStatus::Filled,
        RequisitionStatus::Cancelled,
    ];

    /// The name forms send and the database stores.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Open => "open",
            Self::OnHold => "on_hold",
            Self::Filled => "filled",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Open => "Open",
            Self::OnHold => "On hold",
            Self::Filled => "Filled",
            Self::Cancelled => "Cancelled",
        }
    }

    /// A status as a form sends it.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
    }

    /// The statuses a person may move a requisition to from this one. A draft is
    /// published by opening it; a cancelled requisition stays cancelled; a filled one
    /// can be reopened (a hire fell through, or more openings were added).
    pub fn next(self) -> &'static [RequisitionStatus] {
        use RequisitionStatus::*;
        match self {
            Draft => &[Open, Cancelled],
            Open => &[OnHold, Filled, Cancelled],
            OnHold => &[Open, Filled, Cancelled],
            Filled => &[Open],
            Cancelled => &[],
        }
    }

    pub fn can_move_to(self, to: RequisitionStatus) -> bool {
        self.next().contains(&to)
    }

    /// The button that moves a requisition into this status.
    pub fn action_label(self) -> &'static str {
        match self {
            Self::Draft => "Back to draft",
            Self::Open => "Open",
            Self::OnHold => "Put on hold",
            Self::Filled => "Mark filled",
            Self::Cancelled => "Cancel requisition",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RequisitionStatus::*;
    use super::*;

    #[test]
    fn the_allowed_moves_follow_draft_open_hold_filled_cancelled() {
        assert!(Draft.can_move_to(Open));
        assert!(Draft.can_move_to(Cancelled));
        assert!(
            !Draft.can_move_to(Filled),
            "nothing is filled before it opens"
        );
        assert!(!Draft.can_move_to(OnHold));
        assert!(
            Open.can_move_to(OnHold) && Open.can_move_to(Filled) && Open.can_move_to(Cancelled)
        );
        assert!(!Open.can_move_to(Draft), "published stays published");
        assert!(OnHold.can_move_to(Open));
        assert!(Filled.can_move_to(Open));
        assert!(Cancelled.next().is_empty());
        for status in RequisitionStatus::ALL {
            assert!(
                !status.can_move_to(status),
                "{status:?} to itself is no move"
            );
            assert_eq!(RequisitionStatus::parse(status.as_str()), Some(status));
        }
    }
}
