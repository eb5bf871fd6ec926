//! Metrics and health: `/metrics` in the Prometheus text format with every family, on
//! the public listener only with its token, on the metrics listener without one; and
//! `/readyz` failing while start-up runs or the database is gone.

use are::metrics::{Metrics, MetricsToken};
use are::startup::{public_router, Startup};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use sqlx::PgPool;

use crate::support::{Client, TestResponse, World, PASSWORD};

const TOKEN: &str = "test-metrics-token-0123456789";

fn metrics(world: &World) -> Metrics {
    Metrics::new(world.pool.clone(), are::workers::registry().kinds())
}

/// The public listener as `are serve` builds it once the app is ready, with `/metrics`
/// behind `token` when there is one.
fn public(world: &World, token: Option<&str>) -> Client {
    let startup = Startup::new();
    startup.ready(world.router());
    let metrics = token.map(|token| (metrics(world), MetricsToken::parse(token).unwrap()));
    world.client_of(public_router(startup, metrics))
}

async fn scrape(client: &mut Client, token: Option<&str>) -> TestResponse {
    let mut request = Request::get("/metrics");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    client.send(request.body(Body::empty()).unwrap()).await
}

/// The value of `series` (its name and labels, as written) on the page.
fn value(page: &str, series: &str) -> Option<f64> {
    page.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map(|value| value.parse().unwrap())
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn metrics_show_every_family_by_route_template(pool: PgPool) {
    let world = World::init(pool).await;
    world.acme().await;
    let mut client = public(&world, Some(TOKEN));
    let link_token = "LinkTokenNeverInMetrics7Qx";
    assert_eq!(client.get("/healthz").await.status, StatusCode::OK);
    for page in ["test", "invite", "reset", "unlock"] {
        client.get(&format!("/{page}/{link_token}")).await;
    }
    client.get("/pkg/are-0123abcd.js").await;
    let refused = client.sign_in("admin@acme.test", "not the password").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    sqlx::query("INSERT INTO jobs (kind) VALUES ('email.send')")
        .execute(&world.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO emails (to_address, subject, body_text) VALUES ('a@acme.test', 'Hi', 'Hi')",
    )
    .execute(&world.pool)
    .await
    .unwrap();

    let page = scrape(&mut client, Some(TOKEN)).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = page.body;
    for (family, kind) in [
        ("are_http_requests_total", "counter"),
        ("are_http_request_duration_seconds", "histogram"),
        ("are_db_pool_connections", "gauge"),
        ("are_db_pool_idle_connections", "gauge"),
        ("are_db_pool_max_connections", "gauge"),
        ("are_db_pool_timeouts_total", "counter"),
        ("are_db_up", "gauge"),
        ("are_db_pool_acquire_wait_seconds", "gauge"),
        ("are_jobs", "gauge"),
        ("are_jobs_oldest_due_age_seconds", "gauge"),
        ("are_emails_queued", "gauge"),
        ("are_test_sessions_in_progress", "gauge"),
        ("are_sign_in_failures_total", "counter"),
    ] {
        assert!(
            body.contains(&format!("# TYPE {family} {kind}\n")),
            "{family} missing:\n{body}"
        );
    }
    // Requests are labelled by their route's template, never by the path with its token.
    for template in [
        "/test/{token}",
        "/invite/{token}",
        "/reset/{token}",
        "/unlock/{token}",
    ] {
        assert!(
            body.contains(&format!(
                "are_http_requests_total{{method=\"GET\",route=\"{template}\",status="
            )),
            "{template} missing:\n{body}"
        );
    }
    assert!(body.contains("route=\"/healthz\""));
    // The hashed assets are a nested service axum gives no template: one label.
    assert!(body.contains("route=\"/pkg/*\""), "/pkg/* missing:\n{body}");
    assert!(!body.contains("are-0123abcd"));
    assert!(body.contains(
        "are_http_request_duration_seconds_bucket{method=\"GET\",route=\"/test/{token}\",le=\"0.005\"}"
    ));
    assert!(!body.contains(link_token), "a link's token in:\n{body}");
    assert!(value(&body, "are_sign_in_failures_total{reason=\"password\"}").unwrap() >= 1.0);
    assert_eq!(
        value(&body, "are_jobs{kind=\"email.send\",state=\"due\"}"),
        Some(1.0)
    );
    assert_eq!(
        value(
            &body,
            "are_jobs{kind=\"candidate.import\",state=\"failed\"}"
        ),
        Some(0.0)
    );
    assert!(value(&body, "are_jobs_oldest_due_age_seconds").unwrap() >= 0.0);
    assert_eq!(value(&body, "are_emails_queued"), Some(1.0));
    assert_eq!(value(&body, "are_test_sessions_in_progress"), Some(0.0));
    assert_eq!(value(&body, "are_db_up"), Some(1.0));
    assert!(value(&body, "are_db_pool_connections").unwrap() >= 1.0);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_public_listener_serves_metrics_only_with_the_token(pool: PgPool) {
    let world = World::init(pool).await;
    let mut guarded = public(&world, Some(TOKEN));
    assert_eq!(
        scrape(&mut guarded, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let wrong = scrape(&mut guarded, Some("test-metrics-token-0123456780")).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(!wrong.body.contains("are_"));
    assert_eq!(
        scrape(&mut guarded, Some(TOKEN)).await.status,
        StatusCode::OK
    );

    // Without a token the public listener has no /metrics at all, whatever is sent.
    let mut open = public(&world, None);
    assert_eq!(scrape(&mut open, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        scrape(&mut open, Some(TOKEN)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        scrape(&mut world.client(), None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_metrics_listener_serves_metrics_without_a_token(pool: PgPool) {
    let world = World::init(pool).await;
    let mut client = world.client_of(are::metrics::router(metrics(&world)));
    let page = scrape(&mut client, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("# TYPE are_jobs gauge\n"));
    assert_eq!(client.get("/").await.status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn readyz_fails_until_start_up_is_done(pool: PgPool) {
    let world = World::init(pool).await;
    let startup = Startup::new();
    let mut client = world.client_of(public_router(startup.clone(), None));

    startup.set_migrating(true);
    let migrating = client.get("/readyz").await;
    assert_eq!(migrating.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(migrating.body, "migrating");
    assert_eq!(client.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(
        client.get("/login").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );

    startup.set_migrating(false);
    let starting = client.get("/readyz").await;
    assert_eq!(starting.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(starting.body, "starting");

    startup.ready(world.router());
    let ready = client.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK);
    assert_eq!(ready.body, "ready");
    assert_eq!(client.get("/login").await.status, StatusCode::OK);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn readyz_fails_and_metrics_say_so_without_the_database(pool: PgPool) {
    let world = World::init(pool).await;
    let metrics = metrics(&world);
    world.pool.close().await;
    let unreachable = world.client().get("/readyz").await;
    assert_eq!(unreachable.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(unreachable.body, "database unreachable");
    assert_eq!(world.client().get("/healthz").await.status, StatusCode::OK);

    let page = metrics.render().await;
    assert_eq!(value(&page, "are_db_up"), Some(0.0));
    assert!(!page.contains("# TYPE are_jobs gauge"));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_job_whose_worker_died_counts_as_due_since_its_lease_ended(pool: PgPool) {
    let world = World::init(pool).await;
    // Claimed ten minutes after it was due, by a worker that died: its lease ran out 90
    // seconds ago and any worker may claim it again. Another runs on a live lease.
    sqlx::query(
        "INSERT INTO jobs (kind, status, run_at, locked_by, locked_until) VALUES
           ('email.send', 'running', now() - interval '1 hour', 'dead', now() - interval '90 seconds'),
           ('email.send', 'running', now() - interval '1 hour', 'alive', now() + interval '60 seconds')",
    )
    .execute(&world.pool)
    .await
    .unwrap();
    let page = metrics(&world).render().await;
    assert_eq!(
        value(&page, "are_jobs{kind=\"email.send\",state=\"due\"}"),
        Some(1.0)
    );
    assert_eq!(
        value(&page, "are_jobs{kind=\"email.send\",state=\"running\"}"),
        Some(1.0)
    );
    let age = value(&page, "are_jobs_oldest_due_age_seconds").unwrap();
    assert!(
        (90.0..600.0).contains(&age),
        "aged {age} s, not from its lease"
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_busy_pool_is_ready_and_up_with_the_scrapes_wait(pool: PgPool) {
    let world = World::init(pool).await;
    let metrics = metrics(&world);
    let mut client = world.client();
    // Every connection in use, by queries that answer: busy, not unreachable.
    let max = world.pool.options().get_max_connections();
    let mut held = Vec::new();
    for _ in 0..max {
        held.push(world.pool.acquire().await.unwrap());
    }
    let ready = client.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK);
    assert_eq!(ready.body, "ready (busy)");
    let page = metrics.render().await;
    assert_eq!(value(&page, "are_db_up"), Some(1.0));
    assert!(value(&page, "are_db_pool_acquire_wait_seconds").unwrap() >= 1.9);
    assert!(!page.contains("# TYPE are_jobs gauge"));
    drop(held);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_metrics_indexes_are_built_and_valid(pool: PgPool) {
    let valid: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          WHERE c.relname IN ('jobs_failed_idx', 'emails_queued_idx') AND i.indisvalid",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(valid, 2);
}

/// The count of sign-in failures for `reason` on the page.
async fn sign_in_failures(metrics: &Metrics, reason: &str) -> f64 {
    let page = metrics.render().await;
    value(
        &page,
        &format!("are_sign_in_failures_total{{reason=\"{reason}\"}}"),
    )
    .unwrap()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn throttled_sign_ins_and_wrong_second_step_codes_are_counted(pool: PgPool) {
    use app::auth::totp::code_at;
    use app::auth::{ConfirmTwoStep, FinishSignIn, StartTwoStep};

    let world = World::init(pool).await;
    world.acme().await;
    // The recorder is the process's: other tests count too, so only increases are checked.
    let metrics = metrics(&world);

    // An account whose hour of failures is used up turns the right password away.
    let throttled = sign_in_failures(&metrics, "throttled").await;
    world.use_up_sign_in_hour("admin@acme.test").await;
    let paused = world.client().sign_in("admin@acme.test", PASSWORD).await;
    assert_eq!(
        paused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        paused.body
    );
    assert!(sign_in_failures(&metrics, "throttled").await >= throttled + 1.0);

    // Two-step sign-in on, then a wrong code after the right password.
    let mut manager = world.signed_in("manager@acme.test").await;
    assert_eq!(manager.call(StartTwoStep {}).await.status, StatusCode::OK);
    let secret: Vec<u8> = sqlx::query_scalar(
        "SELECT totp_pending_secret FROM users WHERE email = 'manager@acme.test'",
    )
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let confirmed = manager
        .call(ConfirmTwoStep {
            code: code_at(&secret, now),
            current_password: PASSWORD.into(),
        })
        .await;
    assert_eq!(confirmed.location.as_deref(), Some("/account/two-step"));
    let valid: Vec<String> = [now - 30, now, now + 30]
        .iter()
        .map(|at| code_at(&secret, *at))
        .collect();
    let wrong = ["000000", "111111", "222222"]
        .into_iter()
        .find(|code| !valid.iter().any(|v| v == code))
        .unwrap();
    let second_step = sign_in_failures(&metrics, "second_step").await;
    let mut browser = world.client();
    let first = browser.sign_in("manager@acme.test", PASSWORD).await;
    assert_eq!(first.location.as_deref(), Some("/login/second-step"));
    let refused = browser.call(FinishSignIn { code: wrong.into() }).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(sign_in_failures(&metrics, "second_step").await >= second_step + 1.0);
}
