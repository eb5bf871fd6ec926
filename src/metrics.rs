//! Metrics in the Prometheus text format: what an operator graphs and alerts on.
//!
//! Requests, their latency, sign-in failures and pool timeouts are counted through the
//! `metrics` facade into the one Prometheus recorder of the process (`recorder()`); the
//! pool's size and what waits in the database (jobs, emails, test sessions in progress)
//! are read when Prometheus scrapes, with one query at most every few seconds
//! (`DbGauges`). `/metrics` is served by a listener of its own (`ARE_METRICS_ADDR`) or,
//! behind a bearer token, by the public one (`ARE_METRICS_TOKEN`); never openly on the
//! public address.

use std::fmt::{self, Write as _};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sqlx::pool::PoolConnection;
use sqlx::{Executor, PgPool, Postgres, Row};
use subtle::ConstantTimeEq;
use tokio::sync::Mutex;

use crate::db_check::{self, DbTrouble};

pub const HTTP_REQUESTS: &str = "are_http_requests_total";
pub const HTTP_DURATION: &str = "are_http_request_duration_seconds";
/// The path Prometheus scrapes.
pub const METRICS_PATH: &str = "/metrics";

/// Request latency buckets, in seconds: a page renders in milliseconds, a search or an
/// export may take seconds.
const LATENCY_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// How long a read of the database's gauges serves later scrapes: however often (and
/// however many) scrapers ask, the database answers one query per this period.
const DB_GAUGES_TTL: Duration = Duration::from_secs(5);
/// The longest a scrape waits for a connection and its query; the query itself is also
/// cancelled by PostgreSQL past this (`statement_timeout`).
const DB_GAUGES_TIMEOUT: Duration = Duration::from_secs(2);

static RECORDER: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's Prometheus recorder, installed on first use. The facade's recorder is
/// global, one per process: every router the integration tests build shares it. Until it
/// is installed every count is a no-op, so a server that exposes no metrics pays nothing.
pub fn recorder() -> PrometheusHandle {
    RECORDER
        .get_or_init(|| {
            let handle = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.into()), LATENCY_BUCKETS)
                .expect("the latency buckets are not empty")
                .install_recorder()
                .expect("no other metrics recorder is installed");
            describe();
            handle
        })
        .clone()
}

/// The help text of the families counted through the facade, and the sign-in failure
/// reasons at zero, so every family is there from the first scrape.
fn describe() {
    metrics::describe_counter!(
        HTTP_REQUESTS,
        "HTTP requests answered, by method, route template and status"
    );
    metrics::describe_histogram!(
        HTTP_DURATION,
        metrics::Unit::Seconds,
        "Time to answer an HTTP request (until its head), by method and route template"
    );
    metrics::describe_counter!(
        app::auth::SignInFailure::METRIC,
        "Failed sign-ins, by reason: password, throttled (limits reached), second_step"
    );
    metrics::describe_counter!(
        app::error::POOL_TIMEOUTS_METRIC,
        "Requests that got no database connection within the pool's acquire timeout"
    );
    for reason in app::auth::SignInFailure::ALL {
        metrics::counter!(app::auth::SignInFailure::METRIC, "reason" => reason.as_str())
            .increment(0);
    }
    metrics::counter!(app::error::POOL_TIMEOUTS_METRIC).increment(0);
}

/// Counts every request by its route template, never its path: `/test/{token}`, not the
/// token. The layer sits on the app's router, where axum has matched the route already.
pub async fn track_requests(req: Request<Body>, next: Next) -> Response {
    let route = route_label(
        req.extensions().get::<MatchedPath>().map(|p| p.as_str()),
        req.uri().path(),
    );
    let method = method_label(req.method());
    let started = Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!(HTTP_REQUESTS, "method" => method, "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!(HTTP_DURATION, "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

/// The route's template as axum matched it. The hashed assets under `/pkg` are a nested
/// service, which axum 0.8 gives no matched path: they share `/pkg/*`. Requests no route
/// matched (other static files, unknown paths) share `unmatched`, so a path never
/// becomes a label.
fn route_label(matched: Option<&str>, path: &str) -> String {
    match matched {
        Some(template) => template.to_string(),
        None if path.starts_with("/pkg/") => "/pkg/*".to_string(),
        None => "unmatched".to_string(),
    }
}

/// The method, or `other` for the rest: a client picks the method, and any text it
/// sends must not become a new series.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// The token the public listener asks for before it answers `/metrics`. Never shown:
/// its `Debug` hides it, so the configuration can be logged.
#[derive(Clone)]
pub struct MetricsToken(String);

impl MetricsToken {
    /// Shorter tokens are refused: the token is all that guards the public `/metrics`.
    pub const MIN_LEN: usize = 16;

    pub fn parse(token: &str) -> Result<Self, String> {
        if token.len() < Self::MIN_LEN || token.chars().any(|c| !c.is_ascii_graphic()) {
            return Err(format!(
                "must be at least {} characters, each visible ASCII (! to ~), no spaces",
                Self::MIN_LEN
            ));
        }
        Ok(Self(token.to_string()))
    }

    /// Whether `headers` carry `Authorization: Bearer <this token>`, compared in
    /// constant time (only the length can show).
    pub fn authorizes(&self, headers: &HeaderMap) -> bool {
        let Some(value) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        else {
            return false;
        };
        let Some((scheme, given)) = value.trim().split_once(' ') else {
            return false;
        };
        scheme.eq_ignore_ascii_case("bearer")
            && bool::from(given.trim().as_bytes().ct_eq(self.0.as_bytes()))
    }
}

impl fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MetricsToken(hidden)")
    }
}

/// Everything `/metrics` answers with: the recorder's families and the gauges read at
/// scrape time. Cheap to clone.
#[derive(Clone)]
pub struct Metrics {
    handle: PrometheusHandle,
    pool: PgPool,
    db: Arc<DbGauges>,
}

impl Metrics {
    /// Installs the recorder (once per process); `job_kinds` are the kinds of job the
    /// workers run, shown at zero when none waits.
    pub fn new(pool: PgPool, job_kinds: impl IntoIterator<Item = &'static str>) -> Self {
        let mut kinds: Vec<&'static str> = job_kinds.into_iter().collect();
        kinds.sort_unstable();
        Self {
            handle: recorder(),
            pool,
            db: Arc::new(DbGauges {
                job_kinds: kinds,
                last: Mutex::new(None),
            }),
        }
    }

    /// Drains histogram samples into their buckets; run every few seconds, so memory
    /// stays bounded when nobody scrapes for a while.
    pub fn run_upkeep(&self) {
        self.handle.run_upkeep();
    }

    /// The whole page in the Prometheus text format.
    pub async fn render(&self) -> String {
        let mut text = self.handle.render();
        let pool = PoolGauges {
            connections: self.pool.size(),
            idle: self.pool.num_idle(),
            max: self.pool.options().get_max_connections(),
        };
        pool.write(&mut text);
        let read = self.db.read(&self.pool).await;
        write_db_gauges(&mut text, &read, &self.db.job_kinds);
        text
    }
}

/// `GET /metrics` answering with the page.
async fn serve(State(metrics): State<Metrics>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        metrics.render().await,
    )
        .into_response()
}

/// The metrics listener's router (`ARE_METRICS_ADDR`): `/metrics` for whoever reaches
/// that address, and nothing else.
pub fn router(metrics: Metrics) -> Router {
    Router::new()
        .route(METRICS_PATH, get(serve))
        .with_state(metrics)
}

/// `/metrics` for the public listener: only with `Authorization: Bearer <token>`,
/// else 401.
pub fn behind_token(metrics: Metrics, token: MetricsToken) -> Router {
    let token = Arc::new(token);
    Router::new().route(
        METRICS_PATH,
        get(move |headers: HeaderMap, state: State<Metrics>| {
            let token = token.clone();
            async move {
                if !token.authorizes(&headers) {
                    return (
                        StatusCode::UNAUTHORIZED,
                        [(header::WWW_AUTHENTICATE, "Bearer")],
                        "a bearer token is required",
                    )
                        .into_response();
                }
                serve(state).await
            }
        })
        .with_state(metrics),
    )
}

/// The pool as sqlx reports it. sqlx 0.8 keeps the number of tasks waiting for a
/// connection to itself: `connections == max` with no idle one means queries queue,
/// `are_db_pool_acquire_wait_seconds` shows how long the scrape itself waited, and
/// `are_db_pool_timeouts_total` counts those that gave up waiting.
struct PoolGauges {
    connections: u32,
    idle: usize,
    max: u32,
}

impl PoolGauges {
    fn write(&self, text: &mut String) {
        gauge(
            text,
            "are_db_pool_connections",
            "Connections the database pool holds open",
            &[(NO_LABELS, self.connections as f64)],
        );
        gauge(
            text,
            "are_db_pool_idle_connections",
            "Open connections no query is using",
            &[(NO_LABELS, self.idle as f64)],
        );
        gauge(
            text,
            "are_db_pool_max_connections",
            "The most connections the pool opens (ARE_DB_CONNECTIONS)",
            &[(NO_LABELS, self.max as f64)],
        );
    }
}

/// One read of the database's gauges: what it found (or why not) and how long it waited
/// for a connection.
#[derive(Debug, Clone, PartialEq)]
struct DbRead {
    snapshot: Result<DbSnapshot, DbTrouble>,
    acquire_wait_seconds: f64,
}

/// What waits in the database, as one read saw it.
#[derive(Debug, Clone, Default, PartialEq)]
struct DbSnapshot {
    /// (kind, state, count): state is `due` (queued and due, or running on a lease that
    /// ran out: its worker died, and any worker may claim it), `scheduled` (queued for
    /// later), `running` or `failed`.
    jobs: Vec<(String, String, f64)>,
    oldest_due_job_seconds: f64,
    emails_queued: f64,
    test_sessions_in_progress: f64,
}

/// The job states shown, in order.
const JOB_STATES: [&str; 4] = ["due", "scheduled", "running", "failed"];

/// One round trip: each count uses a partial index (`status = 'queued'`, `'running'`,
/// `'failed'`, `'in_progress'`), and PostgreSQL cancels the query past the timeout. A
/// running job whose lease ran out is claimable again (`jobs::queue::claim`): it counts
/// as due, waiting since its lease ended.
const DB_GAUGES_SQL: &str = "
SET LOCAL statement_timeout = '2s';
SELECT 'jobs' AS family, kind,
       CASE WHEN run_at <= now() THEN 'due' ELSE 'scheduled' END AS state,
       count(*)::float8 AS value
  FROM jobs WHERE status = 'queued' GROUP BY 2, 3
UNION ALL
SELECT 'jobs', kind, CASE WHEN locked_until < now() THEN 'due' ELSE 'running' END,
       count(*)::float8
  FROM jobs WHERE status = 'running' GROUP BY 2, 3
UNION ALL
SELECT 'jobs', kind, 'failed', count(*)::float8 FROM jobs WHERE status = 'failed' GROUP BY 2
UNION ALL
SELECT 'oldest_due_job', '', '',
       COALESCE(EXTRACT(EPOCH FROM now() - min(due_since)), 0)::float8
  FROM (SELECT min(run_at) AS due_since FROM jobs WHERE status = 'queued' AND run_at <= now()
        UNION ALL
        SELECT min(locked_until) FROM jobs WHERE status = 'running' AND locked_until < now())
       AS due
UNION ALL
SELECT 'emails_queued', '', '', count(*)::float8 FROM emails WHERE status = 'queued'
UNION ALL
SELECT 'test_sessions_in_progress', '', '', count(*)::float8
  FROM test_sessions WHERE status = 'in_progress'";

/// The database's gauges, read at most once per `DB_GAUGES_TTL` whatever the number of
/// scrapes: a scrape that finds the last read fresh uses it, and scrapes arriving
/// together wait for the one read under way. A failed read is kept as long, so a
/// database that does not answer is asked no more often.
struct DbGauges {
    job_kinds: Vec<&'static str>,
    last: Mutex<Option<(Instant, DbRead)>>,
}

impl DbGauges {
    async fn read(&self, pool: &PgPool) -> DbRead {
        let mut last = self.last.lock().await;
        if let Some((at, read)) = last.as_ref() {
            if at.elapsed() < DB_GAUGES_TTL {
                return read.clone();
            }
        }
        // The connection is taken explicitly, so the scrape times its own wait: sqlx
        // does not tell how many tasks wait for one, and this wait is the sign.
        let checked = db_check::check(pool.clone(), DB_GAUGES_TIMEOUT, "metrics", |db| {
            Box::pin(query(db))
        })
        .await;
        let read = DbRead {
            snapshot: checked.outcome,
            acquire_wait_seconds: checked.acquire_wait.as_secs_f64(),
        };
        *last = Some((Instant::now(), read.clone()));
        read
    }
}

async fn query(mut db: PoolConnection<Postgres>) -> Result<DbSnapshot, sqlx::Error> {
    // A query without arguments goes as one simple query, statements and all (and
    // `Executor`'s boxed future keeps the scrape's future `Send`, which `raw_sql`'s
    // does not on a connection).
    let rows = (&mut *db).fetch_all(DB_GAUGES_SQL).await?;
    let mut snapshot = DbSnapshot::default();
    for row in rows {
        let family: String = row.try_get("family")?;
        let value: f64 = row.try_get("value")?;
        match family.as_str() {
            "jobs" => snapshot
                .jobs
                .push((row.try_get("kind")?, row.try_get("state")?, value)),
            "oldest_due_job" => snapshot.oldest_due_job_seconds = value,
            "emails_queued" => snapshot.emails_queued = value,
            "test_sessions_in_progress" => snapshot.test_sessions_in_progress = value,
            _ => {}
        }
    }
    Ok(snapshot)
}

/// The database's families: `are_db_up` and the acquire wait always, the rest only when
/// the read worked (a missing series is not a zero). Every known kind and state is
/// shown, at zero when none waits.
fn write_db_gauges(text: &mut String, read: &DbRead, job_kinds: &[&str]) {
    gauge(
        text,
        "are_db_up",
        "1 when the database answered the scrape's read, or it got no connection in time \
         because every one was in use (busy, not down); 0 on an error, or no answer with \
         room in the pool",
        &[(
            NO_LABELS,
            if read.snapshot != Err(DbTrouble::Down) {
                1.0
            } else {
                0.0
            },
        )],
    );
    gauge(
        text,
        "are_db_pool_acquire_wait_seconds",
        "How long the scrape's read of the database waited for a pool connection (its \
         whole 2 s limit when it got none): well above 0, queries queue for connections",
        &[(NO_LABELS, read.acquire_wait_seconds)],
    );
    let Ok(snapshot) = &read.snapshot else {
        return;
    };
    let mut kinds: Vec<&str> = job_kinds.to_vec();
    for (kind, _, _) in &snapshot.jobs {
        if !kinds.contains(&kind.as_str()) {
            kinds.push(kind);
        }
    }
    let mut jobs: Vec<([(&str, &str); 2], f64)> = Vec::new();
    for kind in &kinds {
        for state in JOB_STATES {
            let count = snapshot
                .jobs
                .iter()
                .filter(|(k, s, _)| k == kind && s == state)
                // Not `sum()`: the sum of no floats is -0, which would print as "-0".
                .fold(0.0, |total, (_, _, n)| total + n);
            jobs.push(([("kind", *kind), ("state", state)], count));
        }
    }
    let jobs: Vec<(&[(&str, &str)], f64)> = jobs.iter().map(|(l, n)| (&l[..], *n)).collect();
    gauge(
        text,
        "are_jobs",
        "Background jobs by kind and state: due (waiting for a worker, or running on a lease that ran out), scheduled (for later), running, failed",
        &jobs,
    );
    gauge(
        text,
        "are_jobs_oldest_due_age_seconds",
        "How long the oldest due job has waited for a worker, since its run_at or its ran-out lease (0 when none is due)",
        &[(NO_LABELS, snapshot.oldest_due_job_seconds)],
    );
    gauge(
        text,
        "are_emails_queued",
        "Emails written but not sent yet",
        &[(NO_LABELS, snapshot.emails_queued)],
    );
    gauge(
        text,
        "are_test_sessions_in_progress",
        "Candidates' test sessions in progress",
        &[(NO_LABELS, snapshot.test_sessions_in_progress)],
    );
}

/// A series of a family without labels.
const NO_LABELS: &[(&str, &str)] = &[];

/// One gauge family in the text format: its help, its type and a line per series.
fn gauge(text: &mut String, name: &str, help: &str, series: &[(&[(&str, &str)], f64)]) {
    let _ = writeln!(text, "# HELP {name} {help}");
    let _ = writeln!(text, "# TYPE {name} gauge");
    for (labels, value) in series {
        text.push_str(name);
        if !labels.is_empty() {
            text.push('{');
            for (n, (label, value)) in labels.iter().enumerate() {
                if n > 0 {
                    text.push(',');
                }
                let _ = write!(text, "{label}=\"{}\"", escape_label(value));
            }
            text.push('}');
        }
        let _ = writeln!(text, " {value}");
    }
}

/// A label value as the text format quotes it.
fn escape_label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn token() -> MetricsToken {
        MetricsToken::parse("s3cret-metrics-token").unwrap()
    }

    fn bearer(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn only_the_exact_bearer_token_is_accepted() {
        let token = token();
        assert!(token.authorizes(&bearer("Bearer s3cret-metrics-token")));
        assert!(token.authorizes(&bearer("bearer s3cret-metrics-token")));
        assert!(!token.authorizes(&HeaderMap::new()));
        assert!(!token.authorizes(&bearer("Bearer s3cret-metrics-toke")));
        assert!(!token.authorizes(&bearer("Bearer s3cret-metrics-token2")));
        assert!(!token.authorizes(&bearer("Basic s3cret-metrics-token")));
        assert!(!token.authorizes(&bearer("s3cret-metrics-token")));
        assert!(!token.authorizes(&bearer("Bearer ")));
    }

    #[test]
    fn short_or_spaced_tokens_are_refused_and_none_is_shown() {
        assert!(MetricsToken::parse("short").is_err());
        assert!(MetricsToken::parse("sixteen chars with spaces").is_err());
        assert!(!format!("{:?}", token()).contains("s3cret"));
    }

    #[test]
    fn labels_are_route_templates_never_paths() {
        assert_eq!(
            route_label(Some("/test/{token}"), "/test/Secret7"),
            "/test/{token}"
        );
        assert_eq!(route_label(None, "/pkg/are-1a2b3c.wasm"), "/pkg/*");
        assert_eq!(route_label(None, "/pkgs/x"), "unmatched");
        assert_eq!(route_label(None, "/favicon.ico"), "unmatched");
        assert_eq!(method_label(&Method::POST), "POST");
        assert_eq!(method_label(&Method::from_bytes(b"BREW").unwrap()), "other");
    }

    #[test]
    fn gauges_are_written_in_the_text_format() {
        let snapshot = DbSnapshot {
            jobs: vec![
                ("email.send".into(), "due".into(), 3.0),
                ("odd\"kind".into(), "failed".into(), 1.0),
            ],
            oldest_due_job_seconds: 12.5,
            emails_queued: 2.0,
            test_sessions_in_progress: 4.0,
        };
        let read = DbRead {
            snapshot: Ok(snapshot),
            acquire_wait_seconds: 0.25,
        };
        let mut text = String::new();
        write_db_gauges(&mut text, &read, &["email.send", "candidate.import"]);
        assert!(text.contains("# TYPE are_jobs gauge\n"));
        assert!(text.contains("are_jobs{kind=\"email.send\",state=\"due\"} 3\n"));
        assert!(text.contains("are_jobs{kind=\"email.send\",state=\"failed\"} 0\n"));
        assert!(text.contains("are_jobs{kind=\"candidate.import\",state=\"running\"} 0\n"));
        assert!(text.contains("are_jobs{kind=\"odd\\\"kind\",state=\"failed\"} 1\n"));
        assert!(text.contains("are_jobs_oldest_due_age_seconds 12.5\n"));
        assert!(text.contains("are_emails_queued 2\n"));
        assert!(text.contains("are_test_sessions_in_progress 4\n"));
        assert!(text.contains("are_db_up 1\n"));
        assert!(text.contains("are_db_pool_acquire_wait_seconds 0.25\n"));
    }

    #[test]
    fn a_failed_read_shows_only_that_it_failed() {
        let read = DbRead {
            snapshot: Err(DbTrouble::Down),
            acquire_wait_seconds: 0.0,
        };
        let mut text = String::new();
        write_db_gauges(&mut text, &read, &["email.send"]);
        assert!(text.contains("are_db_up 0\n"));
        assert!(text.contains("are_db_pool_acquire_wait_seconds 0\n"));
        assert!(!text.contains("are_jobs"));
    }

    #[test]
    fn a_busy_pool_is_up_with_its_wait_and_no_queue_gauges() {
        let read = DbRead {
            snapshot: Err(DbTrouble::Busy),
            acquire_wait_seconds: 2.0,
        };
        let mut text = String::new();
        write_db_gauges(&mut text, &read, &["email.send"]);
        assert!(text.contains("are_db_up 1\n"));
        assert!(text.contains("are_db_pool_acquire_wait_seconds 2\n"));
        assert!(!text.contains("are_jobs"));
    }

    #[test]
    fn escaping_label_values() {
        assert_eq!(escape_label("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
    }
}
