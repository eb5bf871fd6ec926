//! A reviewer's disposition of a session's proctoring record, with the one decision that
//! reaches beyond proctoring: "retake offered" grants the application one more attempt
//! (when it has used its own) and emails the candidate a new invite, with the same
//! accommodation; offered again while that invite stands, it sends nothing more; changed
//! to another disposition before the candidate starts, the invite is revoked and the
//! attempt taken back. The decision itself is `proctoring::disposition`'s.

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
    let current = disposition::current(&mut tx, user.org_id, session_id)
        .await?
        .ok_or_else(|| {
            AppError::invalid("This test is still running: decide once it has ended.")
        })?;
    // The retake's invite, while it can still be used or has been.
    let standing = match current.retake_token_id {
        Some(id) => data::token(&mut tx, user.org_id, id)
            .await?
            .filter(|t| t.live || t.started),
        None => None,
    };
    let token = if let Some(standing) = standing.as_ref().filter(|_| retake) {
        Some(standing.id)
    } else if let Some(standing) = standing {
        // No longer a retake: an invite not started yet goes, with its attempt.
        if standing.live {
            data::revoke_token(&mut tx, standing.id, user.id).await?;
            data::take_back_attempt(&mut tx, target.assessment_application_id).await?;
            None
        } else {
            Some(standing.id)
        }
    } else if retake {
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
            .await?
            .token_id,
        )
    } else {
        None
    };
    disposition::decide(&mut tx, user, session_id, &decision, token).await?;
    tx.commit().await?;
    Ok(())
}
