//! Taking in what the test page sends: batches of events (each also a heartbeat) and
//! webcam snapshots. The token is the credential, as for answers.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::data::{self, NewEvent, SessionOfToken};
use super::{BatchAck, EventBatch, EventDetails, EventKind, GAP_AFTER_MS};
use crate::error::AppError;
use crate::files::service::{self as files, Upload};
use crate::files::store::FileStore;
use crate::files::Purpose;
use crate::results::{SessionStatus, GRACE_SECONDS};

/// The running session of the token, or why nothing may be written: 404 for a token
/// that started none, 409 once the test is over.
async fn running_session(
    conn: &mut sqlx::PgConnection,
    digest: &[u8],
    now: DateTime<Utc>,
) -> Result<SessionOfToken, AppError> {
    let session = data::session_of_token(conn, digest)
        .await?
        .ok_or(AppError::NotFound)?;
    if session.status != SessionStatus::InProgress
        || now > session.deadline_at + Duration::seconds(GRACE_SECONDS)
    {
        return Err(closed());
    }
    Ok(session)
}

fn closed() -> AppError {
    AppError::Closed("This test is over; nothing more is recorded.".into())
}

/// Stores a batch in one statement (`data::store_batch`): the session's check, the
/// heartbeat, a monitoring gap the server concludes from it, and the page's events, each
/// once. A second page load of the session at the same time, which the statement finds,
/// is recorded after it, once, in a short transaction; were that to fail, the next
/// heartbeat finds it again.
pub async fn record_batch(
    pool: &PgPool,
    digest: &[u8],
    batch: &EventBatch,
    user_agent: &str,
    now: DateTime<Utc>,
) -> Result<BatchAck, AppError> {
    batch.validate().map_err(AppError::invalid)?;
    let heartbeat = !batch.resent;
    let events: Vec<NewEvent> = batch
        .events
        .iter()
        .map(|e| NewEvent {
            client: Some((batch.instance, e.id)),
            kind: e.kind,
            severity: e.kind.severity(e.duration_ms),
            client_at: DateTime::from_timestamp_millis(e.at_ms),
            occurred_at: server_time(e.at_ms, batch.sent_ms, now),
            duration_ms: e.duration_ms,
            question_id: e.question_id,
            details: e.details.clone(),
            file_id: None,
        })
        .collect();
    let stored = data::store_batch(
        pool,
        digest,
        batch.instance,
        user_agent,
        now,
        heartbeat,
        GAP_AFTER_MS,
        &events,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    if !stored.running {
        return Err(closed());
    }
    if heartbeat && stored.concurrent {
        record_second_instance(pool, &stored, batch.instance, now).await?;
    }
    Ok(BatchAck {
        through: batch.events.iter().map(|e| e.id).max().unwrap_or(-1),
        server_now_ms: now.timestamp_millis(),
    })
}

/// Records once that `instance` ran beside another page load of the session.
async fn record_second_instance(
    pool: &PgPool,
    stored: &data::BatchStored,
    instance: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    if data::lock_running(&mut tx, stored.session_id, now).await?
        && data::mark_concurrent(&mut *tx, stored.session_id, instance).await?
    {
        let events = [second_instance(now)];
        data::insert_events(&mut *tx, stored.org_id, stored.session_id, &events).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// What the server concludes from a heartbeat: a gap since the previous one, another
/// page load of the session at the same time.
/// When something the browser timed at `at_ms` happened by the server's clock: the
/// browser's clock may differ from ours, so its times are shifted by the difference seen
/// when the batch (sent at `sent_ms`) arrived, and nothing is later than its arrival.
fn server_time(at_ms: i64, sent_ms: i64, now: DateTime<Utc>) -> DateTime<Utc> {
    let offset = now.timestamp_millis().saturating_sub(sent_ms);
    DateTime::from_timestamp_millis(at_ms.saturating_add(offset))
        .unwrap_or(now)
        .min(now)
}

/// The server's record that another page load of the session ran at `now`.
fn second_instance(now: DateTime<Utc>) -> NewEvent {
    NewEvent {
        client: None,
        kind: EventKind::SecondInstance,
        severity: EventKind::SecondInstance.severity(None),
        client_at: None,
        occurred_at: now,
        duration_ms: None,
        question_id: None,
        details: EventDetails::default(),
        file_id: None,
    }
}

/// Stores a webcam snapshot taken at `at_ms` (the browser's clock) by `instance`.
#[allow(clippy::too_many_arguments)]
pub async fn record_snapshot(
    pool: &PgPool,
    store: &FileStore,
    digest: &[u8],
    instance: Uuid,
    client_event_id: i64,
    at_ms: i64,
    sent_ms: i64,
    bytes: Vec<u8>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    // The session is checked, and the bytes stored, before the transaction is taken:
    // storing reserves the key on a connection of its own.
    let session = running_session(&mut *pool.acquire().await?, digest, now).await?;
    if !session.takes_snapshots {
        return Err(AppError::invalid("This test takes no webcam snapshots."));
    }
    let pending = files::put(
        pool,
        store,
        Upload {
            org_id: session.org_id,
            purpose: Purpose::WebcamSnapshot,
            candidate_id: None,
            test_session_id: Some(session.session_id),
            uploaded_by: None,
            retain_until: None,
            bytes,
        },
    )
    .await?;
    let mut tx = pool.begin().await?;
    let stored = files::record(&mut tx, pending).await?;
    let event = NewEvent {
        client: Some((instance, client_event_id)),
        kind: EventKind::Snapshot,
        severity: EventKind::Snapshot.severity(None),
        client_at: DateTime::from_timestamp_millis(at_ms),
        occurred_at: server_time(at_ms, sent_ms, now),
        duration_ms: None,
        question_id: None,
        details: EventDetails::default(),
        file_id: Some(stored.id),
    };
    if data::insert_events(&mut *tx, session.org_id, session.session_id, &[event]).await? == 0 {
        // Sent before: the first copy stands; this one's bytes go (its row never commits).
        return Ok(());
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browsers_times_are_put_on_the_servers_clock() {
        let now = DateTime::from_timestamp_millis(1_000_000).unwrap();
        // The browser is 10 s behind: sent at 990 000 by its clock, arrived at 1 000 000.
        assert_eq!(
            server_time(985_000, 990_000, now).timestamp_millis(),
            995_000
        );
        // Nothing happened after it arrived.
        assert_eq!(server_time(2_000_000, 990_000, now), now);
    }
}
