//! Retention: a set time after a session ends (the organization's `retention_days`,
//! 90 by default) its snapshots (files, bytes included) and its events' particulars are
//! deleted; the events' kinds and times, the counts the band came from, the band and any
//! disposition stay. What was deleted goes into the audit log. Sessions are taken in
//! bounded batches, each in a transaction of its own, so a restart resumes where it
//! stopped and a large backlog never holds one long transaction.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::{band, data};
use crate::audit::data::{record, NewAuditEntry};

/// Sessions taken per batch.
pub const BATCH: i64 = 50;

/// Purges every session due at `now`; how many.
pub async fn run(pool: &PgPool, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let mut total = 0;
    loop {
        let due = due(pool, now)
            .await
            .context("could not find sessions due")?;
        for &(session_id, org_id, started_at, finished_at) in &due {
            purge_session(pool, session_id, org_id, started_at, finished_at)
                .await
                .with_context(|| format!("could not purge the record of session {session_id}"))?;
        }
        total += due.len();
        if (due.len() as i64) < BATCH {
            return Ok(total);
        }
    }
}

type Due = (Uuid, Uuid, DateTime<Utc>, DateTime<Utc>);

async fn due(pool: &PgPool, now: DateTime<Utc>) -> sqlx::Result<Vec<Due>> {
    sqlx::query_as(
        "SELECT s.id, s.org_id, s.started_at, s.finished_at
         FROM test_sessions s
         LEFT JOIN proctoring_settings p ON p.org_id = s.org_id
         WHERE s.finished_at IS NOT NULL
           AND s.finished_at < $1 - make_interval(days => COALESCE(p.retention_days, $3))
           AND NOT EXISTS (SELECT 1 FROM proctoring_summaries m WHERE m.session_id = s.id)
           AND EXISTS (SELECT 1 FROM proctoring_events e WHERE e.session_id = s.id)
         ORDER BY s.finished_at
         LIMIT $2",
    )
    .bind(now)
    .bind(BATCH)
    .bind(super::DEFAULT_RETENTION_DAYS)
    .fetch_all(pool)
    .await
}

async fn purge_session(
    pool: &PgPool,
    session_id: Uuid,
    org_id: Uuid,
    started_at: DateTime<Utc>,
    finished_at: DateTime<Utc>,
) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    let (_, thresholds) = data::settings(&mut tx, org_id).await?;
    let events = data::events(pool, org_id, session_id).await?;
    let signals: Vec<band::Signal> = events.iter().map(|row| row.signal(started_at)).collect();
    let tally = band::tally(&signals, (finished_at - started_at).num_milliseconds());
    let assessed = band::assess(tally, &thresholds);
    let snapshots = sqlx::query(
        "DELETE FROM files WHERE test_session_id = $1 AND org_id = $2 AND purpose = 'webcam_snapshot'",
    )
    .bind(session_id)
    .bind(org_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query(
        "UPDATE proctoring_events SET details = NULL WHERE session_id = $1 AND details IS NOT NULL",
    )
    .bind(session_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO proctoring_summaries (session_id, org_id, tally, band, snapshots_deleted)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(session_id)
    .bind(org_id)
    .bind(sqlx::types::Json(tally))
    .bind(assessed.band)
    .bind(snapshots as i32)
    .execute(&mut *tx)
    .await?;
    record(
        &mut *tx,
        NewAuditEntry {
            org_id: Some(org_id),
            actor_id: None,
            actor_email: None,
            action: "proctoring.retention",
            target_type: Some("test_session"),
            target_id: Some(session_id.to_string()),
            details: serde_json::json!({
                "snapshots_deleted": snapshots,
                "events_kept": events.len(),
                "band": assessed.band,
            }),
            client_ip: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
