//! When a session ends, its record is concluded: the silence at its end (heartbeats that
//! stopped before the session did) becomes a monitoring gap, and the counts of the band
//! with the band itself are kept in `proctoring_reviews`, where the "needs review" queue,
//! the pipeline's cards and the reviewer's disposition find them. The test page calls
//! this on submission; the maintenance job concludes any session that ended without it
//! (a deadline passed, a process stopped in between). Concluding twice changes nothing.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::band::{self, Tally, Thresholds};
use super::data::{self, NewEvent};
use super::{EventDetails, EventKind, GAP_AFTER_MS};
use crate::results::Band;

/// Sessions concluded per batch by [`conclude_pending`].
pub const BATCH: i64 = 200;

#[derive(sqlx::FromRow)]
struct Ended {
    org_id: Uuid,
    started_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
    concluded: bool,
}

/// Concludes the finished session `session_id` (nothing when it is running or already
/// concluded).
pub async fn conclude(pool: &PgPool, session_id: Uuid) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    let row: Option<Ended> = sqlx::query_as(
        "SELECT s.org_id, s.started_at, s.finished_at,
                EXISTS (SELECT 1 FROM proctoring_reviews r WHERE r.session_id = s.id) AS concluded
         FROM test_sessions s WHERE s.id = $1 FOR UPDATE",
    )
    .bind(session_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(Ended {
        org_id,
        started_at,
        finished_at: Some(finished_at),
        concluded: false,
    }) = row
    else {
        return Ok(());
    };
    if let Some(gap) = final_gap(&mut tx, session_id, started_at, finished_at).await? {
        data::insert_events(&mut *tx, org_id, session_id, &[gap]).await?;
    }
    // Once retention deleted the particulars, the counts it kept stand for them.
    let tally = match data::summary(&mut tx, session_id).await? {
        Some((kept, _, _)) => kept,
        None => {
            let rows = data::events(&mut *tx, org_id, session_id).await?;
            let signals: Vec<band::Signal> =
                rows.iter().map(|row| row.signal(started_at)).collect();
            band::tally(&signals, (finished_at - started_at).num_milliseconds())
        }
    };
    lock_bands(&mut tx, org_id).await?;
    let (_, thresholds) = data::settings(&mut tx, org_id).await?;
    let assessed = band::assess(tally, &thresholds);
    sqlx::query(
        "INSERT INTO proctoring_reviews (session_id, org_id, tally, band) VALUES ($1, $2, $3, $4)
         ON CONFLICT (session_id) DO NOTHING",
    )
    .bind(session_id)
    .bind(org_id)
    .bind(sqlx::types::Json(tally))
    .bind(assessed.band)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Holds the organization's bands until the transaction ends, so that a band is never
/// computed with thresholds that are being replaced ([`reband`] takes it too).
async fn lock_bands(conn: &mut PgConnection, org_id: Uuid) -> sqlx::Result<()> {
    sqlx::query(
        "SELECT pg_advisory_xact_lock(hashtextextended('proctoring-bands:' || $1::text, 0))",
    )
    .bind(org_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The silence between the session's last heartbeat (or its start, when the page never
/// sent one) and its end, when longer than a gap.
async fn final_gap(
    conn: &mut PgConnection,
    session_id: Uuid,
    started_at: DateTime<Utc>,
    finished_at: DateTime<Utc>,
) -> sqlx::Result<Option<NewEvent>> {
    // With whether it is there already (concluded before, its review since deleted).
    let (from, recorded): (DateTime<Utc>, bool) = sqlx::query_as(
        "WITH last AS (
             SELECT COALESCE(max(last_seen_at), $2) AS from_at
             FROM proctoring_instances WHERE session_id = $1
         )
         SELECT from_at, EXISTS (SELECT 1 FROM proctoring_events
                                 WHERE session_id = $1 AND kind = 'monitoring_gap'
                                   AND occurred_at = last.from_at)
         FROM last",
    )
    .bind(session_id)
    .bind(started_at)
    .fetch_one(&mut *conn)
    .await?;
    let silent = (finished_at - from).num_milliseconds();
    Ok((silent > GAP_AFTER_MS && !recorded).then(|| NewEvent {
        client: None,
        kind: EventKind::MonitoringGap,
        severity: EventKind::MonitoringGap.severity(Some(silent)),
        client_at: None,
        occurred_at: from,
        duration_ms: Some(silent),
        question_id: None,
        details: EventDetails::default(),
        file_id: None,
    }))
}

/// Concludes every finished session not concluded yet, in batches; how many. One that
/// fails is logged and passed over (the next run tries it again), so it never holds up
/// the others.
pub async fn conclude_pending(pool: &PgPool) -> sqlx::Result<usize> {
    let mut total = 0;
    let mut after: Option<(DateTime<Utc>, Uuid)> = None;
    loop {
        let due: Vec<(DateTime<Utc>, Uuid)> = sqlx::query_as(
            "SELECT s.finished_at, s.id FROM test_sessions s
             WHERE s.finished_at IS NOT NULL
               AND ($2::timestamptz IS NULL OR (s.finished_at, s.id) > ($2, $3))
               AND NOT EXISTS (SELECT 1 FROM proctoring_reviews r WHERE r.session_id = s.id)
             ORDER BY s.finished_at, s.id LIMIT $1",
        )
        .bind(BATCH)
        .bind(after.map(|a| a.0))
        .bind(after.map(|a| a.1))
        .fetch_all(pool)
        .await?;
        for &(_, id) in &due {
            match conclude(pool, id).await {
                Ok(()) => total += 1,
                Err(error) => {
                    tracing::warn!(%error, session_id = %id, "could not conclude a proctoring record")
                }
            }
        }
        after = due.last().copied();
        if (due.len() as i64) < BATCH {
            return Ok(total);
        }
    }
}

/// Computes the organization's bands again from the counts kept, after its thresholds
/// changed; how many changed.
pub async fn reband(
    conn: &mut PgConnection,
    org_id: Uuid,
    thresholds: &Thresholds,
) -> sqlx::Result<u64> {
    lock_bands(conn, org_id).await?;
    let rows: Vec<(Uuid, sqlx::types::Json<Tally>, Band)> = sqlx::query_as(
        "SELECT session_id, tally, band FROM proctoring_reviews WHERE org_id = $1 FOR UPDATE",
    )
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    let (ids, bands): (Vec<Uuid>, Vec<Band>) = rows
        .into_iter()
        .filter_map(|(id, tally, old)| {
            let band = band::assess(tally.0, thresholds).band;
            (band != old).then_some((id, band))
        })
        .unzip();
    if ids.is_empty() {
        return Ok(0);
    }
    let names: Vec<&str> = bands.iter().map(|b| b.as_str()).collect();
    let done = sqlx::query(
        "UPDATE proctoring_reviews r SET band = n.band, updated_at = now()
         FROM unnest($1::uuid[], $2::text[]) AS n(session_id, band)
         WHERE r.session_id = n.session_id AND r.org_id = $3",
    )
    .bind(&ids)
    .bind(&names)
    .bind(org_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}
