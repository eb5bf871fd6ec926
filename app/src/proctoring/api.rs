//! The test page's proctoring endpoints. The candidate has no account: the link's
//! secret is the credential, and it writes only to its own running session.

use leptos::prelude::*;
use server_fn::codec::Json;

use super::{BatchAck, EventBatch};
use crate::error::AppError;

/// A batch of events, which is also the page's heartbeat (JSON both ways: the test
/// page's island sends it, by `fetch` or, as the page goes away, by `sendBeacon`).
#[server(prefix = "/api", endpoint = "test/events", input = Json)]
pub async fn record_events(token: String, batch: EventBatch) -> Result<BatchAck, AppError> {
    let user_agent = crate::state::request_parts()?
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .chars()
        .take(500)
        .collect::<String>();
    super::service::record_batch(
        &crate::state::pool()?,
        &crate::tokens::digest(&token),
        &batch,
        &user_agent,
        chrono::Utc::now(),
    )
    .await
}

/// Where the test page posts a webcam snapshot: the JPEG as the body, the rest in
/// headers (see [`snapshot_route`]).
pub const SNAPSHOT_PATH: &str = "/api/test/snapshot";

/// The headers of a snapshot upload.
pub mod snapshot_headers {
    pub const TOKEN: &str = "x-test-token";
    pub const INSTANCE: &str = "x-instance";
    pub const EVENT_ID: &str = "x-event-id";
    pub const TAKEN_MS: &str = "x-taken-ms";
    pub const SENT_MS: &str = "x-sent-ms";
}

/// Takes a webcam snapshot: a plain route, since its body is the image itself.
/// 404 for a token that started no session, 409 once the test is over, 422 for
/// anything but a JPEG of at most the snapshot size.
#[cfg(feature = "ssr")]
pub async fn snapshot_route(
    state: crate::state::AppState,
    files: crate::files::store::FileStore,
    req: axum::extract::Request,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use snapshot_headers as h;

    let (parts, body) = req.into_parts();
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let number = |name: &str| header(name).and_then(|v| v.parse::<i64>().ok());
    let result = async {
        let token = header(h::TOKEN).ok_or(AppError::NotFound)?;
        let (Some(instance), Some(event_id), Some(taken), Some(sent)) = (
            header(h::INSTANCE).and_then(|v| v.parse::<uuid::Uuid>().ok()),
            number(h::EVENT_ID),
            number(h::TAKEN_MS),
            number(h::SENT_MS),
        ) else {
            return Err(AppError::invalid("The snapshot's headers are incomplete."));
        };
        let limit = crate::files::Purpose::WebcamSnapshot.max_bytes();
        let bytes = axum::body::to_bytes(body, limit + 1).await.map_err(|_| {
            AppError::invalid(format!("A snapshot may be at most {} KB.", limit / 1024))
        })?;
        super::service::record_snapshot(
            &state.pool,
            &files,
            &crate::tokens::digest(&token),
            instance,
            event_id,
            taken,
            sent,
            bytes.to_vec(),
            chrono::Utc::now(),
        )
        .await
    }
    .await;
    match result {
        Ok(()) => http::StatusCode::NO_CONTENT.into_response(),
        Err(error) => {
            let status = http::StatusCode::from_u16(error.status_code())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
            (status, axum::Json(error)).into_response()
        }
    }
}

/// The sessions that need a reviewer's decision (see `queue.rs`).
#[server(prefix = "/api", endpoint = "proctoring/queue")]
pub async fn review_queue(
    assessment: Option<uuid::Uuid>,
    requisition: Option<uuid::Uuid>,
) -> Result<super::queue::ReviewQueue, AppError> {
    let user = crate::access::guard::require_role(crate::access::PROCTORING_REVIEW_ROLES).await?;
    let filter = super::queue::QueueFilter {
        assessment,
        requisition,
    };
    Ok(super::queue::data::queue(&crate::state::pool()?, &user, filter).await?)
}

/// One session's review: its record, timeline and decision.
#[server(prefix = "/api", endpoint = "proctoring/session")]
pub async fn load_review(session_id: uuid::Uuid) -> Result<super::SessionReview, AppError> {
    let user = crate::access::guard::require_role(crate::access::PROCTORING_REVIEW_ROLES).await?;
    super::review::review(&crate::state::pool()?, &user, session_id).await
}

/// The organization's proctoring settings (admins).
#[server(prefix = "/api", endpoint = "proctoring/settings")]
pub async fn load_settings() -> Result<super::settings::Settings, AppError> {
    let user = crate::access::guard::require_role(&[crate::access::Role::Admin]).await?;
    let mut conn = crate::state::pool()?.acquire().await?;
    let (retention_days, thresholds) = super::data::settings(&mut conn, user.org_id).await?;
    Ok(super::settings::Settings {
        retention_days,
        thresholds,
    })
}

/// Saves the organization's retention and thresholds; the bands of ended sessions are
/// computed again with the new thresholds.
#[server(prefix = "/api", endpoint = "proctoring/settings/save")]
pub async fn save_settings(form: super::settings::SettingsForm) -> Result<(), AppError> {
    let user = crate::access::guard::require_role(&[crate::access::Role::Admin]).await?;
    let settings = form.check().map_err(AppError::invalid)?;
    let mut tx = crate::state::pool()?.begin().await?;
    super::settings::save(&mut tx, &user, &settings).await?;
    tx.commit().await?;
    Ok(())
}
