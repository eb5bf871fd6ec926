//! Queries of proctoring: the session a token writes to, heartbeats, and events.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{EventDetails, EventKind, Severity};
use crate::results::SessionStatus;

/// The session a test link started.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionOfToken {
    pub session_id: Uuid,
    pub org_id: Uuid,
    pub status: SessionStatus,
    pub deadline_at: DateTime<Utc>,
    /// The assessment's version takes webcam snapshots and the invite does not waive them.
    pub takes_snapshots: bool,
}

pub async fn session_of_token(
    conn: &mut PgConnection,
    digest: &[u8],
) -> sqlx::Result<Option<SessionOfToken>> {
    sqlx::query_as(
        "SELECT s.id AS session_id, s.org_id, s.status, s.deadline_at,
                COALESCE((a.proctoring->>'webcam')::boolean, false) AND NOT t.webcam_waived
                    AS takes_snapshots
         FROM assessment_tokens t JOIN test_sessions s ON s.token_id = t.id
         JOIN assessments a ON a.id = s.assessment_id
         JOIN organizations o ON o.id = s.org_id AND o.is_active
         WHERE t.token_hash = $1",
    )
    .bind(digest)
    .fetch_optional(conn)
    .await
}

/// What a batch's one statement did: the session's check, its heartbeat and its events.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BatchStored {
    pub session_id: Uuid,
    pub org_id: Uuid,
    /// In progress and within the deadline's grace at `now`; nothing was written when not.
    pub running: bool,
    /// Another instance of the session heartbeated since this one first did, and that
    /// has not been recorded for this one yet (the caller records it).
    pub concurrent: bool,
}

/// A batch in one statement (one round trip, atomic without a transaction): the session
/// of the link checked and locked against its end while the statement runs; when it is
/// running, a heartbeat of `instance` at `now` (unless `beat` is off, for a batch sent
/// again), the monitoring gap since this instance's previous heartbeat when the silence
/// lasted more than `gap_after_ms`, and the page's `events`, each client event once.
#[allow(clippy::too_many_arguments)]
pub async fn store_batch(
    executor: impl sqlx::PgExecutor<'_>,
    digest: &[u8],
    instance: Uuid,
    user_agent: &str,
    now: DateTime<Utc>,
    beat: bool,
    gap_after_ms: i64,
    events: &[NewEvent],
) -> sqlx::Result<Option<BatchStored>> {
    let columns = EventColumns::of(events);
    sqlx::query_as(
        "WITH s AS (
             SELECT s.id, s.org_id,
                    s.status = 'in_progress' AND $3 <= s.deadline_at + make_interval(secs => $5) AS running
             FROM assessment_tokens t JOIN test_sessions s ON s.token_id = t.id
             JOIN organizations o ON o.id = s.org_id AND o.is_active
             WHERE t.token_hash = $1
             FOR KEY SHARE OF s
         ), previous AS (
             SELECT i.last_seen_at FROM proctoring_instances i JOIN s ON i.session_id = s.id
             WHERE i.instance_id = $2
         ), beat AS (
             INSERT INTO proctoring_instances (session_id, instance_id, org_id, first_seen_at, last_seen_at, user_agent)
             SELECT s.id, $2, s.org_id, $3, $3, $4 FROM s WHERE s.running AND $6
             ON CONFLICT (session_id, instance_id) DO UPDATE SET last_seen_at = GREATEST(proctoring_instances.last_seen_at, $3)
             RETURNING first_seen_at, concurrent_recorded
         ), gap AS (
             SELECT p.last_seen_at AS at,
                    (extract(epoch FROM $3 - p.last_seen_at) * 1000)::int8 AS silent_ms
             FROM previous p, s
             WHERE $6 AND s.running AND $3 - p.last_seen_at > make_interval(secs => $7::float8 / 1000)
         ), stored AS (
             INSERT INTO proctoring_events (org_id, session_id, instance_id, client_event_id, kind,
                     severity, client_at, occurred_at, duration_ms, question_id, details)
             SELECT s.org_id, s.id, e.i, e.c, e.k, e.sv, e.ca, e.oa, e.d, e.q, e.x
             FROM s, UNNEST($8::uuid[], $9::int8[], $10::text[], $11::text[], $12::timestamptz[],
                            $13::timestamptz[], $14::int8[], $15::uuid[], $16::jsonb[])
                  AS e(i, c, k, sv, ca, oa, d, q, x)
             WHERE s.running
             UNION ALL
             SELECT s.org_id, s.id, NULL, NULL, 'monitoring_gap', $17, NULL, gap.at, gap.silent_ms, NULL, NULL
             FROM s, gap
             ON CONFLICT (session_id, instance_id, client_event_id) WHERE client_event_id IS NOT NULL
             DO NOTHING
         )
         SELECT s.id AS session_id, s.org_id, s.running,
                COALESCE((NOT (SELECT concurrent_recorded FROM beat)) AND EXISTS (
                    SELECT 1 FROM proctoring_instances o
                    WHERE o.session_id = s.id AND o.instance_id <> $2
                      AND o.last_seen_at >= (SELECT first_seen_at FROM beat)
                ), false) AS concurrent
         FROM s",
    )
    .bind(digest)
    .bind(instance)
    .bind(now)
    .bind(user_agent)
    .bind(crate::results::GRACE_SECONDS as f64)
    .bind(beat)
    .bind(gap_after_ms)
    .bind(&columns.instances)
    .bind(&columns.ids)
    .bind(&columns.kinds)
    .bind(&columns.severities)
    .bind(&columns.client_at)
    .bind(&columns.occurred_at)
    .bind(&columns.durations)
    .bind(&columns.questions)
    .bind(&columns.details)
    .bind(EventKind::MonitoringGap.severity(None))
    .fetch_optional(executor)
    .await
}

/// The session still running, locked against its end until the caller's transaction
/// ends: for what the server records after a batch's statement (a second instance).
pub async fn lock_running(
    conn: &mut PgConnection,
    session_id: Uuid,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let running: Option<bool> = sqlx::query_scalar(
        "SELECT status = 'in_progress' AND $2 <= deadline_at + make_interval(secs => $3)
         FROM test_sessions WHERE id = $1 FOR KEY SHARE",
    )
    .bind(session_id)
    .bind(now)
    .bind(crate::results::GRACE_SECONDS as f64)
    .fetch_optional(conn)
    .await?;
    Ok(running.unwrap_or(false))
}

/// Notes that the second instance is recorded for `instance`; false when another
/// request already did.
pub async fn mark_concurrent(
    executor: impl sqlx::PgExecutor<'_>,
    session_id: Uuid,
    instance: Uuid,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE proctoring_instances SET concurrent_recorded = true
         WHERE session_id = $1 AND instance_id = $2 AND NOT concurrent_recorded",
    )
    .bind(session_id)
    .bind(instance)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An event to store.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// With the client's id; none for the server's own.
    pub client: Option<(Uuid, i64)>,
    pub kind: EventKind,
    pub severity: Severity,
    pub client_at: Option<DateTime<Utc>>,
    pub occurred_at: DateTime<Utc>,
    pub duration_ms: Option<i64>,
    pub question_id: Option<Uuid>,
    pub details: EventDetails,
    pub file_id: Option<Uuid>,
}

/// Events as the columns an `UNNEST` insert binds.
struct EventColumns {
    instances: Vec<Option<Uuid>>,
    ids: Vec<Option<i64>>,
    kinds: Vec<EventKind>,
    severities: Vec<Severity>,
    client_at: Vec<Option<DateTime<Utc>>>,
    occurred_at: Vec<DateTime<Utc>>,
    durations: Vec<Option<i64>>,
    questions: Vec<Option<Uuid>>,
    details: Vec<Option<sqlx::types::Json<EventDetails>>>,
    files: Vec<Option<Uuid>>,
}

impl EventColumns {
    fn of(events: &[NewEvent]) -> Self {
        EventColumns {
            instances: events.iter().map(|e| e.client.map(|(i, _)| i)).collect(),
            ids: events.iter().map(|e| e.client.map(|(_, id)| id)).collect(),
            kinds: events.iter().map(|e| e.kind).collect(),
            severities: events.iter().map(|e| e.severity).collect(),
            client_at: events.iter().map(|e| e.client_at).collect(),
            occurred_at: events.iter().map(|e| e.occurred_at).collect(),
            durations: events.iter().map(|e| e.duration_ms).collect(),
            questions: events.iter().map(|e| e.question_id).collect(),
            details: events
                .iter()
                .map(|e| (!e.details.is_empty()).then(|| sqlx::types::Json(e.details.clone())))
                .collect(),
            files: events.iter().map(|e| e.file_id).collect(),
        }
    }
}

/// Stores `events` of the session in one statement; a client event already stored (its
/// batch was sent again) is skipped. How many were new.
pub async fn insert_events(
    executor: impl sqlx::PgExecutor<'_>,
    org_id: Uuid,
    session_id: Uuid,
    events: &[NewEvent],
) -> sqlx::Result<u64> {
    if events.is_empty() {
        return Ok(0);
    }
    let columns = EventColumns::of(events);
    let done = sqlx::query(
        "INSERT INTO proctoring_events (org_id, session_id, instance_id, client_event_id, kind,
                severity, client_at, occurred_at, duration_ms, question_id, details, file_id)
         SELECT $1, $2, i, c, k, s, ca, oa, d, q, x, f
         FROM UNNEST($3::uuid[], $4::int8[], $5::text[], $6::text[], $7::timestamptz[],
                     $8::timestamptz[], $9::int8[], $10::uuid[], $11::jsonb[], $12::uuid[])
              AS e(i, c, k, s, ca, oa, d, q, x, f)
         ON CONFLICT (session_id, instance_id, client_event_id) WHERE client_event_id IS NOT NULL
         DO NOTHING",
    )
    .bind(org_id)
    .bind(session_id)
    .bind(&columns.instances)
    .bind(&columns.ids)
    .bind(&columns.kinds)
    .bind(&columns.severities)
    .bind(&columns.client_at)
    .bind(&columns.occurred_at)
    .bind(&columns.durations)
    .bind(&columns.questions)
    .bind(&columns.details)
    .bind(&columns.files)
    .execute(executor)
    .await?;
    Ok(done.rows_affected())
}

/// A stored event, for the timeline.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub kind: EventKind,
    pub severity: Severity,
    pub occurred_at: DateTime<Utc>,
    pub duration_ms: Option<i64>,
    pub question_id: Option<Uuid>,
    pub details: Option<sqlx::types::Json<EventDetails>>,
    pub file_id: Option<Uuid>,
    pub instance_id: Option<Uuid>,
}

impl EventRow {
    /// The event as the band reads it, in a session that started at `started_at`.
    pub fn signal(&self, started_at: DateTime<Utc>) -> super::band::Signal {
        let length = self.details.as_ref().and_then(|d| d.0.length);
        super::band::Signal::at(
            self.kind,
            self.occurred_at,
            started_at,
            self.duration_ms,
            length,
        )
    }
}

/// The session's events in the order they happened.
pub async fn events(
    executor: impl sqlx::PgExecutor<'_>,
    org_id: Uuid,
    session_id: Uuid,
) -> sqlx::Result<Vec<EventRow>> {
    sqlx::query_as(
        "SELECT id, kind, severity, occurred_at, duration_ms, question_id, details, file_id, instance_id
         FROM proctoring_events WHERE session_id = $1 AND org_id = $2
         ORDER BY occurred_at, id",
    )
    .bind(session_id)
    .bind(org_id)
    .fetch_all(executor)
    .await
}

/// The organization's retention (days) and the bands' thresholds; the defaults where it
/// set none.
pub async fn settings(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> sqlx::Result<(i32, super::band::Thresholds)> {
    let row: Option<(i32, sqlx::types::Json<super::band::Thresholds>)> = sqlx::query_as(
        "SELECT retention_days, thresholds FROM proctoring_settings WHERE org_id = $1",
    )
    .bind(org_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map_or(
        (super::DEFAULT_RETENTION_DAYS, Default::default()),
        |(days, t)| (days, t.0),
    ))
}

/// What retention kept of a purged session: the counts, the band.
pub async fn summary(
    conn: &mut PgConnection,
    session_id: Uuid,
) -> sqlx::Result<Option<(super::band::Tally, super::band::Band, DateTime<Utc>)>> {
    let row: Option<(
        sqlx::types::Json<super::band::Tally>,
        super::band::Band,
        DateTime<Utc>,
    )> = sqlx::query_as(
        "SELECT tally, band, purged_at FROM proctoring_summaries WHERE session_id = $1",
    )
    .bind(session_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(tally, band, at)| (tally.0, band, at)))
}

/// A session's disposition with its reviewer's name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DecisionRow {
    pub disposition: crate::results::Disposition,
    pub reason: String,
    pub decided_by: Option<String>,
    pub decided_at: DateTime<Utc>,
}

pub async fn decision(
    conn: &mut PgConnection,
    session_id: Uuid,
) -> sqlx::Result<Option<DecisionRow>> {
    sqlx::query_as(
        "SELECT r.disposition, r.reason, u.full_name AS decided_by, r.decided_at
         FROM proctoring_reviews r LEFT JOIN users u ON u.id = r.decided_by
         WHERE r.session_id = $1 AND r.disposition IS NOT NULL",
    )
    .bind(session_id)
    .fetch_optional(conn)
    .await
}

/// The head of a session's review page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewHead {
    pub candidate_name: String,
    pub assessment_title: String,
    pub requisition_title: String,
    pub status: SessionStatus,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub extra_time_percent: i32,
    pub webcam_waived: bool,
}

pub async fn review_head(
    pool: &PgPool,
    org_id: Uuid,
    session_id: Uuid,
) -> sqlx::Result<Option<ReviewHead>> {
    sqlx::query_as(
        "SELECT c.full_name AS candidate_name, a.title AS assessment_title,
                j.title AS requisition_title, s.status, s.started_at, s.finished_at,
                t.extra_time_percent, t.webcam_waived
         FROM test_sessions s
         JOIN assessments a ON a.id = s.assessment_id
         JOIN job_requisitions j ON j.id = a.requisition_id
         JOIN assessment_applications aa ON aa.id = s.assessment_application_id
         JOIN candidates c ON c.id = aa.candidate_id
         JOIN assessment_tokens t ON t.id = s.token_id
         WHERE s.id = $1 AND s.org_id = $2",
    )
    .bind(session_id)
    .bind(org_id)
    .fetch_optional(pool)
    .await
}

/// When the session's answers were first and last saved by the candidate (since its
/// start), with the question's number, for the timeline.
pub async fn answer_saves(
    pool: &PgPool,
    session_id: Uuid,
    started_at: DateTime<Utc>,
) -> sqlx::Result<Vec<super::timeline::AnswerSave>> {
    let rows: Vec<(DateTime<Utc>, DateTime<Utc>, i32)> = sqlx::query_as(
        "SELECT a.created_at, COALESCE(a.saved_at, a.created_at), q.position
         FROM answers a JOIN test_session_questions q
           ON q.session_id = a.session_id AND q.question_id = a.question_id
         WHERE a.session_id = $1 ORDER BY a.created_at",
    )
    .bind(session_id)
    .fetch_all(pool)
    .await?;
    let offset = |at: DateTime<Utc>| (at - started_at).num_milliseconds().max(0);
    let mut saves: Vec<super::timeline::AnswerSave> = rows
        .into_iter()
        .flat_map(|(first, last, number)| {
            let first = super::timeline::AnswerSave {
                offset_ms: offset(first),
                number,
            };
            let last = super::timeline::AnswerSave {
                offset_ms: offset(last),
                number,
            };
            if first == last {
                vec![first]
            } else {
                vec![first, last]
            }
        })
        .collect();
    saves.sort_by_key(|s| s.offset_ms);
    Ok(saves)
}
