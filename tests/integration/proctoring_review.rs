//! Reviewing proctoring records: a session that ends is concluded (its band kept, the
//! silence at its end a gap), the "needs review" queue, dispositions with their reason
//! and audit, a retake's new invite, accommodations, the organization's thresholds, the
//! exported record, and who may see any of it.

use app::assessments::{DecideProctoring, InviteCandidate, InviteForm};
use app::candidate_test::{StartTest, SubmitTest};
use app::proctoring::disposition::DecisionInput;
use app::proctoring::queue::ReviewQueue;
use app::proctoring::settings::SettingsForm;
use app::proctoring::{EventKind, ReviewQueue as LoadQueue, SaveSettings};
use axum::http::{header, StatusCode};
use sqlx::PgPool;
use uuid::Uuid;

use crate::proctoring::{batch, event, running, send, stored, upload, Running, JPEG};
use crate::support::{Client, TestResponse, World};

/// A session with a paste of `chars` characters, submitted.
async fn finished_with_paste(world: &World, chars: u32) -> Running {
    let test = running(world).await;
    let mut paste = event(1, EventKind::Paste);
    paste.details.length = Some(chars);
    let sent = send(world, &test.token, batch(Uuid::new_v4(), vec![paste])).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    submit(world, &test.token).await;
    test
}

/// The test link's secret in an email.
fn link_secret(email: &str) -> String {
    let text = crate::support::unwrapped(email);
    let start = text.find("/test/").expect("a test link") + "/test/".len();
    text[start..].split_whitespace().next().unwrap().to_string()
}

async fn submit(world: &World, token: &str) {
    let submitted = world
        .client()
        .call(SubmitTest {
            token: token.into(),
        })
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
}

async fn decide(
    client: &mut Client,
    session: Uuid,
    disposition: &str,
    reason: &str,
) -> TestResponse {
    client
        .call(DecideProctoring {
            session_id: session,
            form: DecisionInput {
                disposition: disposition.into(),
                reason: reason.into(),
            },
        })
        .await
}

/// A decision that must be taken.
async fn decided(client: &mut Client, session: Uuid, disposition: &str, reason: &str) {
    let done = decide(client, session, disposition, reason).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
}

async fn queue(client: &mut Client) -> (StatusCode, Option<ReviewQueue>) {
    let response = client
        .call(LoadQueue {
            assessment: None,
            requisition: None,
        })
        .await;
    (response.status, serde_json::from_str(&response.body).ok())
}

/// A count about `session` (bound as `$1`).
async fn count(pool: &PgPool, sql: &str, session: Uuid) -> i64 {
    sqlx::query_scalar(sql)
        .bind(session)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn review_row(pool: &PgPool, session: Uuid) -> (String, Option<String>, Option<String>) {
    sqlx::query_as("SELECT band, disposition, reason FROM proctoring_reviews WHERE session_id = $1")
        .bind(session)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_ended_session_waits_in_the_queue_until_a_reviewer_decides_with_a_reason(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let test = finished_with_paste(&world, 500).await;
    assert_eq!(
        review_row(&pool, test.session).await,
        ("major_concerns".into(), None, None),
        "submitting concludes the record"
    );

    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let (status, listed) = queue(&mut recruiter).await;
    assert_eq!(status, StatusCode::OK);
    let listed = listed.unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.items[0].session_id, test.session);
    let page = recruiter.get("/proctoring/review").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Casey Candidate") && page.body.contains("Major concerns"));
    assert!(page.body.contains("signals, not proof"));

    // Nobody else sees it: another organization, a hiring manager of other requisitions,
    // an interviewer, nobody signed in.
    world.globex().await;
    let mut globex = world.signed_in("recruiter@globex.test").await;
    assert!(queue(&mut globex).await.1.unwrap().items.is_empty());
    let mut other_manager = world.signed_in("other-manager@acme.test").await;
    assert!(queue(&mut other_manager).await.1.unwrap().items.is_empty());
    let mut interviewer = world.signed_in("interviewer@acme.test").await;
    assert_eq!(queue(&mut interviewer).await.0, StatusCode::FORBIDDEN);
    assert_eq!(queue(&mut world.client()).await.0, StatusCode::UNAUTHORIZED);
    let page = format!("/proctoring/sessions/{}", test.session);
    for (client, denied) in [
        (&mut interviewer, StatusCode::FORBIDDEN),
        (&mut globex, StatusCode::NOT_FOUND),
        (&mut other_manager, StatusCode::NOT_FOUND),
    ] {
        let decided = decide(client, test.session, "cleared", "fine").await;
        assert_eq!(decided.status, denied, "{}", decided.body);
        assert_eq!(client.get(&page).await.status, denied);
    }

    // A decision needs its reason; without one nothing is stored.
    let bare = decide(&mut recruiter, test.session, "cleared", "  ").await;
    assert_eq!(
        bare.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        bare.body
    );
    assert!(bare.body.contains("Give the reason"), "{}", bare.body);
    assert_eq!(review_row(&pool, test.session).await.1, None);

    decided(
        &mut recruiter,
        test.session,
        "cleared",
        "The paste came from notes the instructions allow.",
    )
    .await;
    assert_eq!(
        review_row(&pool, test.session).await,
        (
            "major_concerns".into(),
            Some("cleared".into()),
            Some("The paste came from notes the instructions allow.".into())
        )
    );
    let unreviewed = count(
        &pool,
        "SELECT count(*) FROM proctoring_events WHERE session_id = $1 AND reviewed_by IS NULL",
        test.session,
    )
    .await;
    assert_eq!(unreviewed, 0, "every event names its reviewer");
    let details: serde_json::Value = sqlx::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'proctoring.disposition' AND target_id = $1",
    )
    .bind(test.session.to_string())
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(details["disposition"], "cleared");
    assert!(queue(&mut recruiter).await.1.unwrap().items.is_empty());

    // The grading page and the review page say so.
    let grading = recruiter
        .get(&format!("/assessments/sessions/{}", test.session))
        .await;
    assert!(grading.body.contains("Cleared"), "{}", grading.body);
    assert!(grading.body.contains("notes the instructions allow"));
    let review = recruiter
        .get(&format!(
            "/proctoring/sessions/{}?from=0&to=60&severity=medium",
            test.session
        ))
        .await;
    assert_eq!(review.status, StatusCode::OK);
    assert!(
        review.body.contains("aria-label=\"Timeline of the session"),
        "{}",
        review.body
    );
    assert!(review.body.contains("Pasted 500 characters"));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_retake_grants_an_attempt_and_emails_a_new_link(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let test = finished_with_paste(&world, 500).await;
    let requisition: Uuid = sqlx::query_scalar(
        "SELECT a.requisition_id FROM test_sessions s JOIN assessments a ON a.id = s.assessment_id WHERE s.id = $1",
    )
    .bind(test.session)
    .fetch_one(&pool)
    .await
    .unwrap();
    let manager: Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'manager@acme.test'")
            .fetch_one(&pool)
            .await
            .unwrap();
    sqlx::query("UPDATE job_requisitions SET hiring_manager_id = $1 WHERE id = $2")
        .bind(manager)
        .bind(requisition)
        .execute(&pool)
        .await
        .unwrap();
    // The hiring manager reviews, and may not send invites.
    let mut hm = world.signed_in("manager@acme.test").await;
    let refused = decide(
        &mut hm,
        test.session,
        "retake_offered",
        "Connection trouble",
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("Only admins and recruiters"));

    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let before = world.emails().len();
    decided(
        &mut recruiter,
        test.session,
        "retake_offered",
        "Connection trouble",
    )
    .await;
    let attempts_and_links = || async {
        let row: (i32, i64) = sqlx::query_as(
            "SELECT aa.extra_attempts, (SELECT count(*) FROM assessment_tokens t
                                        WHERE t.assessment_application_id = aa.id AND t.revoked_at IS NULL)
             FROM test_sessions s JOIN assessment_applications aa ON aa.id = s.assessment_application_id
             WHERE s.id = $1",
        )
        .bind(test.session)
        .fetch_one(&pool)
        .await
        .unwrap();
        row
    };
    assert_eq!(attempts_and_links().await, (1, 2));
    world.run_jobs().await;
    assert_eq!(world.emails().len(), before + 1);

    // Changed before the candidate starts: the link goes, and the attempt with it.
    decided(
        &mut recruiter,
        test.session,
        "cleared",
        "On reflection, fine",
    )
    .await;
    assert_eq!(attempts_and_links().await, (0, 1));
    decided(
        &mut recruiter,
        test.session,
        "retake_offered",
        "Connection trouble",
    )
    .await;
    assert_eq!(attempts_and_links().await, (1, 2));
    world.run_jobs().await;

    // The live one of the retake emails starts a second attempt.
    let live: Vec<String> = {
        let mut live = Vec::new();
        for email in world
            .emails()
            .iter()
            .filter(|e| e.contains("another attempt"))
        {
            let secret = link_secret(email);
            let revoked: bool = sqlx::query_scalar(
                "SELECT revoked_at IS NOT NULL FROM assessment_tokens WHERE token_hash = $1",
            )
            .bind(app::tokens::digest(&secret))
            .fetch_one(&pool)
            .await
            .unwrap();
            if !revoked {
                live.push(secret);
            }
        }
        live
    };
    assert_eq!(live.len(), 1, "one retake link works");
    let secret = live[0].clone();
    let started = world
        .client()
        .call(StartTest {
            token: secret.clone(),
            consent: Some("yes".into()),
        })
        .await;
    assert!(
        started.status.is_redirection() || started.status == StatusCode::OK,
        "{started:?}"
    );
    let attempts: Vec<i32> = sqlx::query_scalar(
        "SELECT attempt FROM test_sessions s WHERE s.assessment_id = (SELECT assessment_id FROM test_sessions WHERE id = $1) ORDER BY attempt",
    )
    .bind(test.session)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(attempts, [1, 2], "the new link starts a second attempt");

    // Saying "retake offered" again changes the reason, and sends nothing more.
    decided(
        &mut recruiter,
        test.session,
        "retake_offered",
        "Second look",
    )
    .await;
    let tokens = count(&pool, "SELECT count(*) FROM assessment_tokens t JOIN test_sessions s ON s.assessment_application_id = t.assessment_application_id WHERE s.id = $1", test.session).await;
    assert_eq!(
        tokens, 3,
        "the first link, the withdrawn retake, the retake"
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_accommodation_extends_the_deadline_and_can_waive_the_webcam(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let acme = world.acme().await;
    let test = world.published_assessment(acme.org, 30).await;
    sqlx::query("UPDATE assessments SET proctoring = '{\"tab_switches\": true, \"webcam\": true}' WHERE id = $1")
        .bind(test.assessment)
        .execute(&pool)
        .await
        .unwrap();
    let candidate = world
        .candidate(acme.org, "Ada Lovelace", "ada@example.com")
        .await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let form = |extra: &str| InviteForm {
        assessment_id: test.assessment,
        candidate_id: candidate.to_string(),
        expires_in_days: "7".into(),
        extra_time_percent: extra.into(),
        waive_webcam: Some("on".into()),
        ..Default::default()
    };
    let odd = recruiter.call(InviteCandidate { form: form("30") }).await;
    assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        odd.body.contains("Extra time is none, 25 %, 50 % or 100 %"),
        "{}",
        odd.body
    );
    let sent = recruiter.call(InviteCandidate { form: form("50") }).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    world.run_jobs().await;
    let email = world
        .emails()
        .into_iter()
        .find(|e| e.contains("ada@example.com"))
        .unwrap();
    assert!(
        email.contains("Time limit: 45 minutes (with 50 % extra time)"),
        "{email}"
    );
    let secret = link_secret(&email);

    let landing = world.client().get(&format!("/test/{secret}")).await;
    assert!(
        landing.body.contains("You have 50 % extra time"),
        "{}",
        landing.body
    );
    assert!(landing
        .body
        .contains("No webcam snapshots are taken during your test."));
    assert!(
        !landing.body.contains("Webcam snapshots"),
        "the webcam is not announced"
    );
    let started = world
        .client()
        .call(StartTest {
            token: secret.clone(),
            consent: Some("yes".into()),
        })
        .await;
    assert!(started.status.is_redirection() || started.status == StatusCode::OK);
    let minutes: f64 = sqlx::query_scalar(
        "SELECT (extract(epoch FROM deadline_at - started_at) / 60)::float8 FROM test_sessions WHERE assessment_id = $1",
    )
    .bind(test.assessment)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        minutes.round(),
        45.0,
        "the server's deadline includes the extra time"
    );
    let waived = upload(&world, &secret, Uuid::new_v4(), 1, JPEG.to_vec()).await;
    assert_eq!(
        waived.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        waived.body
    );
    assert!(waived.body.contains("takes no webcam snapshots"));
    let page = world.client().get(&format!("/test/{secret}")).await;
    let capture = page.body.split("data-capture=\"").nth(1).unwrap();
    let capture = capture.split('"').next().unwrap();
    assert!(
        capture.contains("tabs") && !capture.contains("webcam"),
        "{capture}"
    );

    let results = recruiter
        .get(&format!("/assessments/{}/results", test.assessment))
        .await;
    assert!(
        results
            .body
            .contains("50 % extra time, webcam snapshots waived"),
        "{}",
        results.body
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_admin_sets_the_thresholds_and_the_bands_follow(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let test = finished_with_paste(&world, 100).await;
    assert_eq!(review_row(&pool, test.session).await.0, "some_concerns");
    let form = |some_paste: &str| SettingsForm {
        retention_days: "30".into(),
        some_away_percent: "3".into(),
        major_away_percent: "15".into(),
        some_exits: "2".into(),
        major_exits: "6".into(),
        some_paste_chars: some_paste.into(),
        major_paste_chars: "400".into(),
        some_camera_off_percent: "5".into(),
        major_camera_off_percent: "30".into(),
    };
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    assert_eq!(
        recruiter
            .call(SaveSettings { form: form("200") })
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut admin = world.signed_in("admin@acme.test").await;
    let bad = admin.call(SaveSettings { form: form("900") }).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("cannot be above"), "{}", bad.body);
    let saved = admin.call(SaveSettings { form: form("200") }).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(review_row(&pool, test.session).await.0, "no_concerns");
    let days: i32 =
        sqlx::query_scalar("SELECT retention_days FROM proctoring_settings WHERE org_id = $1")
            .bind(test.org)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(days, 30);
    assert!(world
        .audit_actions(test.org)
        .await
        .contains(&"proctoring.settings_changed".to_string()));
    let page = admin.get("/admin/proctoring").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("value=\"200\""), "{}", page.body);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_exported_record_holds_its_snapshots_and_only_reviewers_get_it(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let test = running(&world).await;
    let instance = Uuid::new_v4();
    let mut paste = event(1, EventKind::Paste);
    paste.details.length = Some(11);
    assert_eq!(
        send(&world, &test.token, batch(instance, vec![paste]))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        upload(&world, &test.token, instance, 2, JPEG.to_vec())
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    submit(&world, &test.token).await;
    let path = format!("/proctoring/sessions/{}/export", test.session);
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let export = recruiter.get(&path).await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.body);
    assert!(export.body.starts_with("<!DOCTYPE html>"));
    assert!(export.body.contains("Pasted 11 characters"));
    assert!(
        export.body.contains("data:image/jpeg;base64,"),
        "the snapshot is inside"
    );
    assert!(
        !export.body.contains("/proctoring/snapshots/"),
        "and nothing points outside"
    );
    assert!(export.body.contains("signals, not proof"));
    assert!(world
        .audit_actions(test.org)
        .await
        .contains(&"proctoring.exported".to_string()));

    let mut interviewer = world.signed_in("interviewer@acme.test").await;
    assert_eq!(interviewer.get(&path).await.status, StatusCode::FORBIDDEN);
    world.globex().await;
    let mut globex = world.signed_in("recruiter@globex.test").await;
    assert_eq!(globex.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        world.client().get(&path).await.status,
        StatusCode::UNAUTHORIZED
    );
    let _ = header::CONTENT_DISPOSITION;
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_page_that_went_silent_ends_with_a_gap_and_the_card_shows_the_band(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let test = running(&world).await;
    let instance = Uuid::new_v4();
    assert_eq!(
        send(
            &world,
            &test.token,
            batch(instance, vec![event(0, EventKind::PageLoaded)])
        )
        .await
        .status,
        StatusCode::OK
    );
    // The page stopped sending five minutes ago.
    sqlx::query(
        "UPDATE test_sessions SET started_at = started_at - interval '10 minutes' WHERE id = $1",
    )
    .bind(test.session)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE proctoring_instances SET first_seen_at = now() - interval '5 minutes', last_seen_at = now() - interval '5 minutes' WHERE session_id = $1",
    )
    .bind(test.session)
    .execute(&pool)
    .await
    .unwrap();
    // Put the candidate's application on a board.
    let (candidate, requisition): (Uuid, Uuid) = sqlx::query_as(
        "SELECT aa.candidate_id, a.requisition_id FROM test_sessions s
         JOIN assessment_applications aa ON aa.id = s.assessment_application_id
         JOIN assessments a ON a.id = s.assessment_id WHERE s.id = $1",
    )
    .bind(test.session)
    .fetch_one(&pool)
    .await
    .unwrap();
    let application = world.application(candidate, requisition).await;
    sqlx::query("UPDATE assessment_applications SET application_id = $1 WHERE candidate_id = $2")
        .bind(application)
        .bind(candidate)
        .execute(&pool)
        .await
        .unwrap();
    submit(&world, &test.token).await;
    let gap: Option<i64> = stored(&pool, test.session)
        .await
        .into_iter()
        .find(|(kind, _)| kind == "monitoring_gap")
        .and_then(|(_, ms)| ms);
    let gap = gap.expect("the silence at the end is a gap");
    assert!((295_000..=310_000).contains(&gap), "{gap}");
    // A gap alone raises nothing.
    assert_eq!(review_row(&pool, test.session).await.0, "no_concerns");

    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    decided(&mut recruiter, test.session, "cleared", "Only a gap").await;
    let board = recruiter
        .get(&format!("/requisitions/{requisition}/pipeline"))
        .await;
    assert_eq!(board.status, StatusCode::OK);
    assert!(
        board.body.contains("No concerns") && board.body.contains("Cleared"),
        "{}",
        board.body
    );

    // A session that ended without being concluded (a process stopped) is concluded by
    // the maintenance.
    sqlx::query("DELETE FROM proctoring_reviews WHERE session_id = $1")
        .bind(test.session)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        app::proctoring::conclude::conclude_pending(&pool)
            .await
            .unwrap(),
        1
    );
    assert_eq!(review_row(&pool, test.session).await.1, None);
    let gaps = count(
        &pool,
        "SELECT count(*) FROM proctoring_events WHERE session_id = $1 AND kind = 'monitoring_gap'",
        test.session,
    )
    .await;
    assert_eq!(gaps, 1, "concluding again adds no second gap");
}
