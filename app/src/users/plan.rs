//! An organization's subscription (seed 004 `subscription`): its plan and how many seats
//! it has. A seat is an active staff account or an open invitation (not accepted,
//! revoked or expired), so an invitation is refused, and a deactivated account is not
//! reactivated, when every seat is taken.

use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// `organizations.plan`. Only the free plan exists today; paid plans add variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    Free,
}

impl Plan {
    pub const ALL: [Plan; 1] = [Plan::Free];

    /// The name the database stores.
    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Free => "free",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Plan::Free => "Free",
        }
    }

    /// The seats an organization starts with on this plan (`are org create`, sign-up,
    /// the demo and benchmark organizations).
    pub fn default_seats(self) -> i32 {
        match self {
            Plan::Free => 10,
        }
    }
}

/// An organization's plan and its seats: how many there are and how many are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seats {
    pub plan: Plan,
    pub total: i64,
    /// Active staff accounts plus open invitations.
    pub used: i64,
}

impl Seats {
    pub fn free(&self) -> i64 {
        (self.total - self.used).max(0)
    }

    /// Whether one more person (an invitation, a reactivated account) fits.
    pub fn has_room(&self) -> bool {
        self.used < self.total
    }

    /// Refuses one more person when every seat is taken, saying what frees one.
    pub fn check_room(&self) -> Result<(), AppError> {
        if self.has_room() {
            return Ok(());
        }
        Err(AppError::invalid(format!(
            "Your plan has {total} seats and all are taken: deactivate someone or revoke \
             an invitation first.",
            total = self.total
        )))
    }

    /// "3 of 10 seats used (Free plan)".
    pub fn summary(&self) -> String {
        let seats = if self.total == 1 { "seat" } else { "seats" };
        format!(
            "{used} of {total} {seats} used ({plan} plan)",
            used = self.used,
            total = self.total,
            plan = self.plan.label()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seats(used: i64, total: i64) -> Seats {
        Seats {
            plan: Plan::Free,
            total,
            used,
        }
    }

    #[test]
    fn the_free_plan_has_ten_seats_and_is_stored_as_free() {
        assert_eq!(Plan::Free.default_seats(), 10);
        assert_eq!(Plan::Free.as_str(), "free");
        assert_eq!(serde_json::to_value(Plan::Free).unwrap(), "free");
    }

    #[test]
    fn one_more_fits_while_a_seat_is_free() {
        assert!(seats(0, 10).has_room());
        assert!(seats(9, 10).has_room());
        assert_eq!(seats(9, 10).free(), 1);
        assert!(seats(9, 10).check_room().is_ok());
    }

    #[test]
    fn every_seat_taken_refuses_one_more_and_says_what_frees_one() {
        for full in [seats(10, 10), seats(12, 10)] {
            assert!(!full.has_room());
            assert_eq!(full.free(), 0);
            let message = full.check_room().unwrap_err().to_string();
            assert_eq!(
                message,
                "Your plan has 10 seats and all are taken: deactivate someone or revoke an \
                 invitation first."
            );
        }
    }

    #[test]
    fn the_summary_counts_seats_in_words() {
        assert_eq!(seats(3, 10).summary(), "3 of 10 seats used (Free plan)");
        assert_eq!(seats(1, 1).summary(), "1 of 1 seat used (Free plan)");
    }
}
