//! Proctoring's intake and the reviewer's access: batches stored once, writes refused
//! for a session that is not running, malformed batches stored nowhere, gaps and a
//! second page load concluded by the server, snapshots stored as files and shown only
//! to reviewers of that organization.

use app::candidate_test::{StartTest, SubmitTest};
use app::proctoring::{
    snapshot_headers as h, ClientEvent, EventBatch, EventDetails, EventKind, RecordEvents,
    SNAPSHOT_PATH,
};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use server_fn::ServerFn;
use sqlx::PgPool;
use uuid::Uuid;

use crate::support::{Acme, TestResponse, World};

/// A JPEG's signature and a little more: what the server checks is the signature.
pub const JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 0xFF, 0xD9,
];

pub(crate) struct Running {
    pub org: Uuid,
    pub token: String,
    pub session: Uuid,
}

/// Acme's staff, and a test a candidate has started.
pub(crate) async fn running(world: &World) -> Running {
    let Acme { org, .. } = world.acme().await;
    let test = world.published_assessment(org, 30).await;
    sqlx::query(
        "UPDATE assessments SET proctoring = '{\"tab_switches\": true, \"webcam\": true}' WHERE id = $1",
    )
    .bind(test.assessment)
    .execute(&world.pool)
    .await
    .unwrap();
    let token = world
        .assessment_invite(org, test.assessment, "7 days")
        .await;
    let started = world
        .client()
        .call(StartTest {
            token: token.clone(),
            consent: Some("yes".into()),
        })
        .await;
    assert!(
        started.status.is_redirection() || started.status == StatusCode::OK,
        "{started:?}"
    );
    let session = sqlx::query_scalar("SELECT id FROM test_sessions WHERE assessment_id = $1")
        .bind(test.assessment)
        .fetch_one(&world.pool)
        .await
        .unwrap();
    Running {
        org,
        token,
        session,
    }
}

pub(crate) fn event(id: i64, kind: EventKind) -> ClientEvent {
    ClientEvent {
        id,
        kind,
        at_ms: chrono::Utc::now().timestamp_millis(),
        duration_ms: None,
        question_id: None,
        details: EventDetails::default(),
    }
}

pub(crate) fn batch(instance: Uuid, events: Vec<ClientEvent>) -> EventBatch {
    EventBatch {
        instance,
        sent_ms: chrono::Utc::now().timestamp_millis(),
        events,
        resent: false,
    }
}

pub(crate) async fn send(world: &World, token: &str, batch: EventBatch) -> TestResponse {
    world
        .client()
        .call(RecordEvents {
            token: token.into(),
            batch,
        })
        .await
}

pub(crate) async fn stored(pool: &PgPool, session: Uuid) -> Vec<(String, Option<i64>)> {
    sqlx::query_as(
        "SELECT kind, duration_ms FROM proctoring_events WHERE session_id = $1 ORDER BY occurred_at, id",
    )
    .bind(session)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_batch_sent_twice_is_stored_once(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let test = running(&world).await;
    let instance = Uuid::new_v4();
    let mut paste = event(1, EventKind::Paste);
    paste.details.length = Some(240);
    let mut back = event(2, EventKind::TabVisible);
    back.duration_ms = Some(190_000);
    let events = vec![event(0, EventKind::PageLoaded), paste, back];
    for _ in 0..2 {
        let sent = send(&world, &test.token, batch(instance, events.clone())).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        let ack: app::proctoring::BatchAck = serde_json::from_str(&sent.body).unwrap();
        assert_eq!(ack.through, 2);
    }
    assert_eq!(
        stored(&pool, test.session).await,
        [
            ("page_loaded".to_string(), None),
            ("paste".into(), None),
            ("tab_visible".into(), Some(190_000))
        ]
    );
    let (severity, details): (String, serde_json::Value) =
        sqlx::query_as("SELECT severity, details FROM proctoring_events WHERE kind = 'paste'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(severity, "medium");
    assert_eq!(
        details,
        serde_json::json!({ "length": 240 }),
        "the length, never the text"
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn nothing_is_written_for_a_session_that_is_not_running(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let test = running(&world).await;
    let instance = Uuid::new_v4();

    let unknown = send(
        &world,
        "no-such-token",
        batch(instance, vec![event(0, EventKind::Copy)]),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    // Time is up (and the grace with it), though nobody closed the session yet.
    sqlx::query("UPDATE test_sessions SET started_at = now() - interval '2 hours', deadline_at = now() - interval '1 hour' WHERE id = $1")
        .bind(test.session)
        .execute(&pool)
        .await
        .unwrap();
    let expired = send(
        &world,
        &test.token,
        batch(instance, vec![event(0, EventKind::Copy)]),
    )
    .await;
    assert_eq!(expired.status, StatusCode::CONFLICT, "{}", expired.body);

    sqlx::query("UPDATE test_sessions SET started_at = now(), deadline_at = now() + interval '30 minutes' WHERE id = $1")
        .bind(test.session)
        .execute(&pool)
        .await
        .unwrap();
    let submitted = world
        .client()
        .call(SubmitTest {
            token: test.token.clone(),
        })
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let after = send(
        &world,
        &test.token,
        batch(instance, vec![event(0, EventKind::Copy)]),
    )
    .await;
    assert_eq!(after.status, StatusCode::CONFLICT);
    let snapshot = upload(&world, &test.token, instance, 9, JPEG.to_vec()).await;
    assert_eq!(snapshot.status, StatusCode::CONFLICT);
    assert!(stored(&pool, test.session).await.is_empty());
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_malformed_batch_is_refused_and_stores_nothing(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let test = running(&world).await;
    let instance = Uuid::new_v4();
    // A kind only the server records, and one nobody knows.
    let server_kind = send(
        &world,
        &test.token,
        batch(instance, vec![event(0, EventKind::MonitoringGap)]),
    )
    .await;
    assert_eq!(server_kind.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = |events: &str| {
        format!(
            r#"{{"token":"{}","batch":{{"instance":"{instance}","sent_ms":0,"events":{events}}}}}"#,
            test.token
        )
    };
    let post = |body: String| {
        Request::post(RecordEvents::PATH)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .body(Body::from(body))
            .unwrap()
    };
    let mut client = world.client();
    let nonsense = client
        .send(post(body(r#"[{"id":0,"kind":"mind_reading","at_ms":0}]"#)))
        .await;
    assert!(nonsense.status.is_client_error(), "{nonsense:?}");
    let bad_json = client.send(post("{\"token\": ".into())).await;
    assert!(bad_json.status.is_client_error(), "{bad_json:?}");
    let many: Vec<ClientEvent> = (0..10_000).map(|n| event(n, EventKind::Copy)).collect();
    let flood = send(&world, &test.token, batch(instance, many)).await;
    assert_eq!(flood.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut huge = event(0, EventKind::Paste);
    huge.details.length = Some(u32::MAX);
    let oversized = send(&world, &test.token, batch(instance, vec![huge])).await;
    assert_eq!(oversized.status, StatusCode::UNPROCESSABLE_ENTITY);
    let too_big = upload(&world, &test.token, instance, 1, vec![0xFF; 400 * 1024]).await;
    assert_eq!(too_big.status, StatusCode::UNPROCESSABLE_ENTITY);
    let not_jpeg = upload(
        &world,
        &test.token,
        instance,
        2,
        b"<svg onload=alert(1)>".to_vec(),
    )
    .await;
    assert_eq!(not_jpeg.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stored(&pool, test.session).await.is_empty());
    let files: i64 = sqlx::query_scalar("SELECT count(*) FROM files")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(files, 0);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn missing_heartbeats_are_a_gap_and_two_page_loads_at_once_are_named(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let test = running(&world).await;
    let (first, second) = (Uuid::new_v4(), Uuid::new_v4());
    assert_eq!(
        send(&world, &test.token, batch(first, vec![])).await.status,
        StatusCode::OK
    );
    // The page went quiet for a minute.
    sqlx::query("UPDATE proctoring_instances SET first_seen_at = now() - interval '70 seconds', last_seen_at = now() - interval '60 seconds'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        send(&world, &test.token, batch(first, vec![])).await.status,
        StatusCode::OK
    );
    let events = stored(&pool, test.session).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].0, "monitoring_gap");
    assert!(
        (59_000..70_000).contains(&events[0].1.unwrap()),
        "{events:?}"
    );
    let severity: String = sqlx::query_scalar("SELECT severity FROM proctoring_events")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(severity, "info", "a gap is not a violation by itself");

    // A second tab on the same link: both heartbeat, and it is recorded once.
    for _ in 0..3 {
        assert_eq!(
            send(&world, &test.token, batch(second, vec![]))
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            send(&world, &test.token, batch(first, vec![])).await.status,
            StatusCode::OK
        );
    }
    let kinds: Vec<String> = stored(&pool, test.session)
        .await
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| *k == "second_instance").count(),
        2,
        "once for each of the two page loads: {kinds:?}"
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_reload_is_not_a_second_page_load(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let test = running(&world).await;
    let (before, after) = (Uuid::new_v4(), Uuid::new_v4());
    assert_eq!(
        send(&world, &test.token, batch(before, vec![]))
            .await
            .status,
        StatusCode::OK
    );
    sqlx::query("UPDATE proctoring_instances SET first_seen_at = now() - interval '3 seconds', last_seen_at = now() - interval '2 seconds'")
        .execute(&pool)
        .await
        .unwrap();
    // The reloaded page sends, also what the page before it left unsent.
    let mut left = batch(before, vec![event(5, EventKind::TabHidden)]);
    left.resent = true;
    assert_eq!(send(&world, &test.token, left).await.status, StatusCode::OK);
    for _ in 0..3 {
        assert_eq!(
            send(&world, &test.token, batch(after, vec![])).await.status,
            StatusCode::OK
        );
    }
    let kinds: Vec<String> = stored(&pool, test.session)
        .await
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(kinds, ["tab_hidden"]);
}

pub(crate) async fn upload(
    world: &World,
    token: &str,
    instance: Uuid,
    id: i64,
    bytes: Vec<u8>,
) -> TestResponse {
    let now = chrono::Utc::now().timestamp_millis().to_string();
    world
        .client()
        .send(
            Request::post(SNAPSHOT_PATH)
                .header(header::CONTENT_TYPE, "image/jpeg")
                .header(h::TOKEN, token)
                .header(h::INSTANCE, instance.to_string())
                .header(h::EVENT_ID, id.to_string())
                .header(h::TAKEN_MS, &now)
                .header(h::SENT_MS, &now)
                .body(Body::from(bytes))
                .unwrap(),
        )
        .await
}

async fn get_with_headers(
    world: &World,
    cookie: Option<String>,
    path: &str,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    use tower::ServiceExt;
    let mut request = Request::get(path);
    if let Some(cookie) = cookie {
        request = request.header(
            header::COOKIE,
            format!("{}={cookie}", are::router::SESSION_COOKIE),
        );
    }
    let mut request = request.body(Body::empty()).unwrap();
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            [203, 0, 113, 9],
            4000,
        ))));
    let response = world.router().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, headers, bytes)
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_snapshot_is_stored_as_a_file_and_shown_only_to_its_reviewers(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let test = running(&world).await;
    world.globex().await;
    let instance = Uuid::new_v4();
    let sent = upload(&world, &test.token, instance, 3, JPEG.to_vec()).await;
    assert_eq!(sent.status, StatusCode::NO_CONTENT, "{}", sent.body);
    // Sent again (the reply was lost): stored once.
    let again = upload(&world, &test.token, instance, 3, JPEG.to_vec()).await;
    assert_eq!(again.status, StatusCode::NO_CONTENT);
    let (file, key, size, sha): (Uuid, String, i64, Vec<u8>) = sqlx::query_as(
        "SELECT f.id, f.storage_key, f.size_bytes, f.sha256 FROM files f
         JOIN proctoring_events e ON e.file_id = f.id WHERE e.session_id = $1",
    )
    .bind(test.session)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(size, JPEG.len() as i64);
    use sha2::Digest;
    assert_eq!(sha, sha2::Sha256::digest(JPEG).to_vec());
    assert_eq!(
        world.files.get(&key).await.unwrap(),
        JPEG,
        "the bytes are in the store"
    );
    assert!(key.starts_with(&test.org.to_string()));
    assert!(
        world.files_dir.join(&key).exists(),
        "under the local folder"
    );

    let path = app::proctoring::review::snapshot_url(file);
    let recruiter = world.signed_in("recruiter@acme.test").await;
    let (status, headers, bytes) = get_with_headers(&world, recruiter.cookie.clone(), &path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, JPEG);
    assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(headers[header::CACHE_CONTROL], "private, no-store");
    assert!(headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .starts_with("inline;"));

    let (anonymous, _, _) = get_with_headers(&world, None, &path).await;
    assert_eq!(anonymous, StatusCode::UNAUTHORIZED);
    for (email, refused) in [
        ("interviewer@acme.test", StatusCode::FORBIDDEN),
        // A hiring manager of another requisition, and another organization's recruiter.
        ("other-manager@acme.test", StatusCode::NOT_FOUND),
        ("recruiter@globex.test", StatusCode::NOT_FOUND),
    ] {
        let someone = world.signed_in(email).await;
        let (status, _, _) = get_with_headers(&world, someone.cookie.clone(), &path).await;
        assert_eq!(status, refused, "{email}");
    }
    // The candidate's link is no way in, during the test or after it.
    let with_token = world
        .client()
        .send(
            Request::get(&path)
                .header(h::TOKEN, &test.token)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(with_token.status, StatusCode::UNAUTHORIZED);

    // The grading page lists it with the other events, and says what signals are.
    let mut recruiter = recruiter;
    let page = recruiter
        .get(&format!("/assessments/sessions/{}", test.session))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("What proctoring recorded"),
        "{}",
        page.body
    );
    assert!(page.body.contains("not proof"));
    assert!(page.body.contains(&path));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn deleting_a_candidate_deletes_their_snapshots_and_events(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let test = running(&world).await;
    let instance = Uuid::new_v4();
    assert_eq!(
        upload(&world, &test.token, instance, 1, JPEG.to_vec())
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        send(
            &world,
            &test.token,
            batch(instance, vec![event(2, EventKind::Copy)])
        )
        .await
        .status,
        StatusCode::OK
    );
    let key: String = sqlx::query_scalar("SELECT storage_key FROM files")
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query(
        "DELETE FROM candidates WHERE id = (SELECT aa.candidate_id FROM test_sessions s
           JOIN assessment_applications aa ON aa.id = s.assessment_application_id WHERE s.id = $1)",
    )
    .bind(test.session)
    .execute(&pool)
    .await
    .unwrap();
    let left: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM proctoring_events), (SELECT count(*) FROM files)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(left, (0, 0));
    assert!(
        world.files_dir.join(&key).exists(),
        "the bytes wait for the purge"
    );
    let purged = app::files::purge::purge_all(&pool, &world.files)
        .await
        .unwrap();
    assert_eq!(purged, 1);
    assert!(!world.files_dir.join(&key).exists());
    let queued: i64 = sqlx::query_scalar("SELECT count(*) FROM file_purges")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(queued, 0);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn retention_deletes_snapshots_and_particulars_and_keeps_the_band(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let old = running(&world).await;
    let instance = Uuid::new_v4();
    assert_eq!(
        upload(&world, &old.token, instance, 1, JPEG.to_vec())
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let mut paste = event(2, EventKind::Paste);
    paste.details.length = Some(500);
    assert_eq!(
        send(&world, &old.token, batch(instance, vec![paste]))
            .await
            .status,
        StatusCode::OK
    );
    let submitted = world
        .client()
        .call(SubmitTest {
            token: old.token.clone(),
        })
        .await;
    assert_eq!(submitted.status, StatusCode::OK);
    let key: String = sqlx::query_scalar("SELECT storage_key FROM files")
        .fetch_one(&pool)
        .await
        .unwrap();
    // Ended 91 days ago: past the default 90.
    sqlx::query(
        "UPDATE test_sessions SET started_at = now() - interval '91 days 1 hour',
                deadline_at = now() - interval '91 days 30 minutes', finished_at = now() - interval '91 days'
         WHERE id = $1",
    )
    .bind(old.session)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("UPDATE proctoring_events SET occurred_at = now() - interval '91 days 50 minutes'")
        .execute(&pool)
        .await
        .unwrap();

    let now = chrono::Utc::now();
    assert_eq!(
        app::proctoring::retention::run(&pool, now).await.unwrap(),
        1
    );
    assert_eq!(
        app::proctoring::retention::run(&pool, now).await.unwrap(),
        0,
        "once"
    );
    let files: i64 = sqlx::query_scalar("SELECT count(*) FROM files")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(files, 0);
    app::files::purge::purge_all(&pool, &world.files)
        .await
        .unwrap();
    assert!(
        !world.files_dir.join(&key).exists(),
        "the snapshot's bytes are gone"
    );
    let kept: Vec<(String, Option<serde_json::Value>)> =
        sqlx::query_as("SELECT kind, details FROM proctoring_events ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        kept,
        [("snapshot".to_string(), None), ("paste".into(), None)]
    );
    let band: String = sqlx::query_scalar("SELECT band FROM proctoring_summaries")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(band, "major_concerns", "500 characters pasted");
    assert!(world
        .audit_actions(old.org)
        .await
        .contains(&"proctoring.retention".to_string()));

    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let page = recruiter
        .get(&format!("/assessments/sessions/{}", old.session))
        .await;
    assert!(page.body.contains("Major concerns"), "the band stays");
    assert!(
        page.body.contains("pasted 1 time (500 characters in all)"),
        "with its counts"
    );
    assert!(page.body.contains("retention period"));
}

/// Taking a snapshot or a batch asks the pool for no second connection while it holds a
/// transaction: with a pool of one both work, where waiting for a second connection
/// would time out (under load, every upload held one and waited for another).
#[sqlx::test(migrator = "are::MIGRATOR")]
async fn snapshots_and_batches_work_with_a_pool_of_one_connection(
    options: sqlx::postgres::PgPoolOptions,
    connect: sqlx::postgres::PgConnectOptions,
) {
    let pool = options
        .max_connections(1)
        .acquire_timeout(std::time::Duration::from_secs(2))
        .connect_with(connect)
        .await
        .unwrap();
    let world = World::init(pool.clone()).await;
    let test = running(&world).await;
    let instance = Uuid::new_v4();
    let sent = upload(&world, &test.token, instance, 1, JPEG.to_vec()).await;
    assert_eq!(sent.status, StatusCode::NO_CONTENT, "{}", sent.body);
    let batch = send(
        &world,
        &test.token,
        batch(instance, vec![event(2, EventKind::Copy)]),
    )
    .await;
    assert_eq!(batch.status, StatusCode::OK, "{}", batch.body);
    assert_eq!(stored(&pool, test.session).await.len(), 2);
}
