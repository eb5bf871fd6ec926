//! A reviewer's disposition of a session's record: cleared, confirmed violation, or
//! retake offered, always with a reason. The reviewer and the time are stored on the
//! session's review and on each of its events (seed "ProctoringEvent ◄── User
//! (reviewer)"), and the decision goes into the audit log. A retake's invite is issued
//! by `assessments` (which sits above), which passes its token here.

use serde::{Deserialize, Serialize};

use crate::results::Disposition;
#[cfg(feature = "ssr")]
use {
    crate::access::guard::AuthUser,
    crate::audit::data::{record, NewAuditEntry},
    crate::error::AppError,
    sqlx::PgConnection,
    uuid::Uuid,
};

/// The longest reason a reviewer may give.
pub const REASON_CHARS: usize = 2_000;

/// The decision as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionInput {
    /// `cleared`, `confirmed_violation` or `retake_offered`.
    #[serde(default)]
    pub disposition: String,
    #[serde(default)]
    pub reason: String,
}

/// A checked decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub disposition: Disposition,
    pub reason: String,
}

impl DecisionInput {
    /// The decision, or the message that says what is missing.
    pub fn check(&self) -> Result<Decision, String> {
        let disposition = Disposition::parse(self.disposition.trim()).ok_or(
            "Choose a disposition: cleared, confirmed violation or retake offered.".to_string(),
        )?;
        let reason = crate::input::bounded("the reason", &self.reason, REASON_CHARS)
            .map_err(|e| e.to_string())?;
        if reason.is_empty() {
            return Err(
                "Give the reason for this decision: it is kept with it and shown to whoever reads the record."
                    .into(),
            );
        }
        Ok(Decision {
            disposition,
            reason,
        })
    }
}

/// A concluded session's decision so far.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct Current {
    pub disposition: Option<Disposition>,
    /// The invite a retake issued.
    pub retake_token_id: Option<Uuid>,
}

/// The session's decision so far (locked until the transaction ends): none while the
/// session runs (or before it was concluded).
#[cfg(feature = "ssr")]
pub async fn current(
    conn: &mut PgConnection,
    org_id: Uuid,
    session_id: Uuid,
) -> sqlx::Result<Option<Current>> {
    sqlx::query_as(
        "SELECT disposition, retake_token_id FROM proctoring_reviews
         WHERE session_id = $1 AND org_id = $2 FOR UPDATE",
    )
    .bind(session_id)
    .bind(org_id)
    .fetch_optional(conn)
    .await
}

/// Records `decision` on the concluded session `session_id`, which `user` may review
/// (the caller checked it), within the caller's transaction, with the retake's invite
/// when one stands.
#[cfg(feature = "ssr")]
pub async fn decide(
    tx: &mut PgConnection,
    user: &AuthUser,
    session_id: Uuid,
    decision: &Decision,
    retake_token_id: Option<Uuid>,
) -> Result<(), AppError> {
    let previous = current(tx, user.org_id, session_id)
        .await?
        .ok_or_else(|| AppError::invalid("This test is still running: decide once it has ended."))?
        .disposition;
    sqlx::query(
        "UPDATE proctoring_reviews
         SET disposition = $3, reason = $4, decided_by = $5, decided_at = now(),
             retake_token_id = $6, updated_at = now()
         WHERE session_id = $1 AND org_id = $2",
    )
    .bind(session_id)
    .bind(user.org_id)
    .bind(decision.disposition)
    .bind(&decision.reason)
    .bind(user.id)
    .bind(retake_token_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE proctoring_events SET reviewed_by = $3, reviewed_at = now()
         WHERE session_id = $1 AND org_id = $2",
    )
    .bind(session_id)
    .bind(user.org_id)
    .bind(user.id)
    .execute(&mut *tx)
    .await?;
    record(
        &mut *tx,
        NewAuditEntry::by(user, "proctoring.disposition")
            .target("test_session", session_id)
            .details(serde_json::json!({
                "disposition": decision.disposition,
                "previous": previous,
                "reason": decision.reason,
                "retake_token": retake_token_id,
            })),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_needs_a_disposition_and_a_reason() {
        let input = |d: &str, r: &str| DecisionInput {
            disposition: d.into(),
            reason: r.into(),
        };
        assert!(input("", "why").check().unwrap_err().contains("Choose"));
        assert!(input("guilty", "why").check().is_err());
        assert!(input("cleared", "  ")
            .check()
            .unwrap_err()
            .contains("reason"));
        let long = "x".repeat(REASON_CHARS + 1);
        assert!(input("cleared", &long).check().is_err());
        assert_eq!(
            input("confirmed_violation", " pasted the whole answer ")
                .check()
                .unwrap(),
            Decision {
                disposition: Disposition::ConfirmedViolation,
                reason: "pasted the whole answer".into(),
            }
        );
    }
}
