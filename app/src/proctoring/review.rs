//! What a reviewer sees of a session's record: its events in words, in order, with the
//! snapshots, and the snapshots' bytes behind the reviewer's guard. Admins and
//! recruiters see every session of their organization, hiring managers those of the
//! requisitions they manage; interviewers see nothing.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::{band, data};
use super::{RecordEntry, SessionRecord};
use crate::access::guard::AuthUser;
use crate::error::AppError;
use crate::files::store::FileStore;
use crate::requisitions::find_for;

/// The URL a reviewer's browser loads snapshot `file_id` from.
pub fn snapshot_url(file_id: Uuid) -> String {
    format!("{SNAPSHOTS_PATH}/{file_id}")
}

/// The route of [`snapshot_url`], for the router.
pub const SNAPSHOTS_PATH: &str = "/proctoring/snapshots";

/// The session's organization, requisition and start, when `user` may review it.
async fn reviewable(
    pool: &PgPool,
    user: &AuthUser,
    session_id: Uuid,
) -> Result<(DateTime<Utc>, Option<DateTime<Utc>>), AppError> {
    let (requisition_id, started_at, finished_at): (Uuid, DateTime<Utc>, Option<DateTime<Utc>>) =
        sqlx::query_as(
            "SELECT a.requisition_id, s.started_at, s.finished_at
             FROM test_sessions s JOIN assessments a ON a.id = s.assessment_id
             WHERE s.id = $1 AND s.org_id = $2",
        )
        .bind(session_id)
        .bind(user.org_id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    find_for(user, pool, requisition_id).await?;
    Ok((started_at, finished_at))
}

/// The session's record, for the grading page.
pub async fn record(
    pool: &PgPool,
    user: &AuthUser,
    session_id: Uuid,
) -> Result<SessionRecord, AppError> {
    let (started_at, finished_at) = reviewable(pool, user, session_id).await?;
    let rows = data::events(pool, user.org_id, session_id).await?;
    let mut signals = Vec::with_capacity(rows.len());
    let entries = rows
        .into_iter()
        .map(|row| {
            let signal = row.signal(started_at);
            signals.push(signal);
            let details = row.details.map(|d| d.0).unwrap_or_default();
            RecordEntry {
                offset_ms: signal.offset_ms,
                kind: row.kind,
                severity: row.severity,
                duration_ms: row.duration_ms,
                text: row.kind.describe(row.duration_ms, &details),
                snapshot_url: row.file_id.map(snapshot_url),
                file_id: row.file_id,
            }
        })
        .collect();
    let length = (finished_at.unwrap_or_else(Utc::now) - started_at).num_milliseconds();
    let mut conn = pool.acquire().await?;
    let (_, thresholds) = data::settings(&mut conn, user.org_id).await?;
    // Once retention deleted the particulars, the counts it kept stand for them.
    let (tally, purged_on) = match data::summary(&mut conn, session_id).await? {
        Some((tally, _, at)) => (tally, Some(at.format("%-d %B %Y").to_string())),
        None => (band::tally(&signals, length), None),
    };
    let zone = crate::ui::time::zone_or_utc(&user.time_zone);
    let decision = data::decision(&mut conn, session_id)
        .await?
        .map(|d| super::DecisionView {
            disposition: d.disposition,
            reason: d.reason,
            decided_by: d.decided_by.unwrap_or_else(|| "a former user".into()),
            decided_at: crate::ui::time::format_in_zone(&d.decided_at, zone),
        });
    Ok(SessionRecord {
        assessment: band::assess(tally, &thresholds),
        entries,
        purged_on,
        decision,
    })
}

/// The bytes of a snapshot `user` may review.
pub async fn snapshot(
    pool: &PgPool,
    files: &FileStore,
    user: &AuthUser,
    file_id: Uuid,
) -> Result<crate::ui::download::FileReply, AppError> {
    let file = crate::files::data::find(pool, user.org_id, file_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let session_id = file.test_session_id.ok_or(AppError::NotFound)?;
    reviewable(pool, user, session_id).await?;
    let bytes = crate::files::service::read(files, &file).await?;
    let extension = crate::files::ContentType::from_mime(&file.content_type)
        .map_or("bin", |kind| kind.extension());
    Ok(crate::ui::download::FileReply {
        name: format!("snapshot-{}.{extension}", file.id.simple()),
        content_type: file.content_type,
        inline: true,
        bytes,
    })
}

/// Answers a reviewer's route (a snapshot, an export) with what `produce` makes for the
/// signed-in reviewer: their session, role and organization are checked as for every
/// server function.
pub async fn reviewer_route<Fut>(
    state: crate::state::AppState,
    req: axum::extract::Request,
    produce: impl FnOnce(PgPool, AuthUser) -> Fut,
) -> axum::response::Response
where
    Fut: std::future::Future<Output = Result<crate::ui::download::FileReply, AppError>>,
{
    let (parts, _body) = req.into_parts();
    let pool = state.pool.clone();
    crate::ui::download::serve(state, parts, async move {
        let user =
            crate::access::guard::require_role(crate::access::PROCTORING_REVIEW_ROLES).await?;
        produce(pool, user).await
    })
    .await
}

/// The route of a snapshot's bytes.
pub async fn snapshot_route(
    state: crate::state::AppState,
    files: FileStore,
    axum::extract::Path(file_id): axum::extract::Path<Uuid>,
    req: axum::extract::Request,
) -> axum::response::Response {
    reviewer_route(state, req, |pool, user| async move {
        snapshot(&pool, &files, &user, file_id).await
    })
    .await
}

/// The session's review page: its head, record, answer saves and decision.
pub async fn review(
    pool: &PgPool,
    user: &AuthUser,
    session_id: Uuid,
) -> Result<super::SessionReview, AppError> {
    let record = record(pool, user, session_id).await?;
    let head = data::review_head(pool, user.org_id, session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let zone = crate::ui::time::zone_or_utc(&user.time_zone);
    let saves = data::answer_saves(pool, session_id, head.started_at).await?;
    let end = head.finished_at.unwrap_or_else(Utc::now);
    Ok(super::SessionReview {
        session_id,
        candidate_name: head.candidate_name,
        assessment_title: head.assessment_title,
        requisition_title: head.requisition_title,
        status: head.status,
        started: crate::ui::time::format_in_zone(&head.started_at, zone),
        length_ms: (end - head.started_at).num_milliseconds(),
        accommodation: crate::results::Accommodation {
            extra_time_percent: head.extra_time_percent,
            webcam_waived: head.webcam_waived,
        },
        record,
        saves,
        can_offer_retake: crate::access::ASSESSMENT_MANAGE_ROLES.contains(&user.role),
    })
}
