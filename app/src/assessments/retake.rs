//! A reviewer's disposition of a session's proctoring record, with the one decision that
//! reaches beyond proctoring: "retake offered" grants the application one more attempt
//! (when it has used its own) and emails the candidate a new invite, with the same
//! accommodation. The decision itself is `proctoring::disposition`'s.

use chrono::{Duration, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::data;
use super::invites::{issue_link, LinkEmail};
use crate::access::guard::AuthUser;
use crate::access::ASSESSMENT_MANAGE_ROLES;
use crate::error::AppError;
use crate::proctoring::disposition::{self, DecisionInput};
use crate::requisitions::find_for;
use crate::results::Disposition;

/// Records the decision on session `session_id` of `user`'s organization, which `user`
/// may review (its requisition is theirs to work on).
pub async fn decide(
    pool: &PgPool,
    user: &AuthUser,
    session_id: Uuid,
    input: &DecisionInput,
) -> Result<(), AppError> {
    let decision = input.check().map_err(AppError::invalid)?;
    let target = data::session_target(pool, user.org_id, session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    find_for(user, pool, target.requisition_id).await?;
    let retake = decision.disposition == Disposition::RetakeOffered;
    if retake && !ASSESSMENT_MANAGE_ROLES.contains(&user.role) {
        return Err(AppError::invalid(
            "Only admins and recruiters can offer a retake, since it sends the candidate a new invite. Choose another disposition, or ask a recruiter.",
        ));
    }
    crate::proctoring::conclude::conclude(pool, session_id).await?;
    let mut tx = pool.begin().await?;
    let previous = disposition::current(&mut tx, user.org_id, session_id)
        .await?
        .ok_or_else(|| {
            AppError::invalid("This test is still running: decide once it has ended.")
        })?;
    // A retake already offered is not offered twice: its reason may change.
    let token = if retake && previous != Some(Disposition::RetakeOffered) {
        data::grant_attempt(&mut tx, target.assessment_application_id).await?;
        let public_url = crate::state::state()?.settings.public_url.clone();
        Some(
            issue_link(
                &mut tx,
                &public_url,
                target.assessment_application_id,
                "",
                Utc::now() + Duration::days(super::DEFAULT_EXPIRY_DAYS),
                Some(user.id),
                LinkEmail::Retake,
                None,
            )
            .await?,
        )
    } else {
        None
    };
    disposition::decide(&mut tx, user, session_id, &decision, token).await?;
    tx.commit().await?;
    Ok(())
}
