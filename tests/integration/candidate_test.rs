//! The candidate's timed test through its public endpoints: the link's page, starting,
//! autosave with sequence numbers, the deadline and its grace, submission, the sweep that
//! closes abandoned sessions, and what a link reaches.

use crate::support::World;
use app::candidate_test::{AnswerSave, SaveAnswer, StartTest, SubmitTest};
use app::questions::model::Response;
use axum::http::StatusCode;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

async fn start(world: &World, token: &str) -> crate::support::TestResponse {
    world
        .client()
        .call(StartTest {
            token: token.into(),
            consent: Some("yes".into()),
        })
        .await
}

async fn save(
    world: &World,
    token: &str,
    question: Uuid,
    response: Response,
    seq: i64,
) -> crate::support::TestResponse {
    world
        .client()
        .call(SaveAnswer {
            token: token.into(),
            save: AnswerSave {
                question_id: question,
                response: Some(response),
                seq,
                flagged: false,
                time_spent_ms: 1500,
            },
        })
        .await
}

async fn session_of(pool: &PgPool, assessment: Uuid) -> (Uuid, String) {
    sqlx::query_as("SELECT id, status FROM test_sessions WHERE assessment_id = $1 ORDER BY started_at DESC LIMIT 1")
        .bind(assessment)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn answer_of(
    pool: &PgPool,
    session: Uuid,
    question: Uuid,
) -> Option<(serde_json::Value, i64, Option<f64>)> {
    sqlx::query_as(
        "SELECT response, seq, score FROM answers WHERE session_id = $1 AND question_id = $2",
    )
    .bind(session)
    .bind(question)
    .fetch_optional(pool)
    .await
    .unwrap()
}

async fn expire_deadline(pool: &PgPool, session: Uuid, seconds_ago: i64) {
    sqlx::query(
        "UPDATE test_sessions SET started_at = now() - interval '2 hours',
                deadline_at = now() - make_interval(secs => $2) WHERE id = $1",
    )
    .bind(session)
    .bind(seconds_ago as f64)
    .execute(pool)
    .await
    .unwrap();
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_candidate_consents_starts_saves_resumes_and_submits(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let org = world.org("Acme").await;
    let test = world.published_assessment(org, 30).await;
    let token = world
        .assessment_invite(org, test.assessment, "7 days")
        .await;

    let landing = world.client().get(&format!("/test/{token}")).await;
    assert_eq!(landing.status, StatusCode::OK);
    assert!(landing.body.contains("Backend basics") && landing.body.contains("30 minutes"));
    assert!(
        landing.body.contains("Leaving the test&#x27;s tab")
            || landing.body.contains("Leaving the test's tab"),
        "what is monitored is listed"
    );
    assert!(
        landing.body.contains("<dd>5</dd>"),
        "the number of questions"
    );

    let no_consent = world
        .client()
        .call(StartTest {
            token: token.clone(),
            consent: None,
        })
        .await;
    assert_eq!(no_consent.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_consent.body.contains("tick the box"));
    assert_eq!(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM test_sessions")
            .fetch_one(&pool)
            .await
            .unwrap(),
        0
    );

    let started = start(&world, &token).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    assert_eq!(
        started.location,
        Some(format!("/test/{token}")),
        "back to the link's page"
    );
    let (session, status) = session_of(&pool, test.assessment).await;
    assert_eq!(status, "in_progress");
    let deadline_minutes: f64 = sqlx::query_scalar(
        "SELECT EXTRACT(EPOCH FROM deadline_at - started_at)::float8 / 60 FROM test_sessions WHERE id = $1",
    )
    .bind(session)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(deadline_minutes, 30.0, "the server fixed the deadline");

    let q = &test.questions;
    assert_eq!(
        save(&world, &token, q[0], Response::Choices(vec![2]), 1)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        save(&world, &token, q[1], Response::Choices(vec![1, 3, 2]), 1)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        save(&world, &token, q[3], Response::Number("42,3".into()), 1)
            .await
            .status,
        StatusCode::OK
    );
    let essay = save(
        &world,
        &token,
        q[4],
        Response::Text("Use an index.".into()),
        4,
    )
    .await;
    assert_eq!(essay.status, StatusCode::OK);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&essay.body).unwrap()["seq"],
        4
    );

    // Reopening the link resumes: the page comes with every saved answer in its inputs
    // and each answer's sequence number for the island, and with no staff island.
    let resumed = world.client().get(&format!("/test/{token}")).await;
    assert!(resumed.body.contains(r#"id="test-runner""#));
    assert!(
        resumed.body.contains(">Use an index.</textarea>"),
        "saved answers come back, as they were typed"
    );
    assert!(resumed.body.contains(r#"value="42,3""#));
    assert!(resumed.body.contains(r#"data-seq="4""#));
    assert!(!resumed.body.contains("ServerForm"));
    let again = start(&world, &token).await;
    assert_eq!(again.status, StatusCode::OK, "starting twice resumes");
    assert_eq!(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM test_sessions")
            .fetch_one(&pool)
            .await
            .unwrap(),
        1
    );

    let submitted = world
        .client()
        .call(SubmitTest {
            token: token.clone(),
        })
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let (score, max, ungraded, passed, status): (Option<f64>, f64, i32, Option<bool>, String) = sqlx::query_as(
        "SELECT score, max_score, ungraded_count, passed, status FROM test_sessions WHERE id = $1",
    )
    .bind(session)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(status, "submitted");
    // 2 (single) + 1 (two of three right, one wrong: 3 - 1 - 1 = 1) + 0 (unanswered) + 1 (numeric).
    assert_eq!(score, Some(4.0));
    assert_eq!(max, 12.0);
    assert_eq!(ungraded, 1, "the essay waits for a grader");
    assert_eq!(passed, None, "no verdict before grading completes");
    assert_eq!(answer_of(&pool, session, q[1]).await.unwrap().2, Some(1.0));

    // After submission the link confirms and starts nothing; saves are refused.
    let done = world.client().get(&format!("/test/{token}")).await;
    assert!(done.body.contains("Your answers have been submitted"));
    start(&world, &token).await;
    assert_eq!(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM test_sessions")
            .fetch_one(&pool)
            .await
            .unwrap(),
        1
    );
    let late = save(&world, &token, q[2], Response::Boolean(true), 1).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.body.contains("submitted"));
    assert!(answer_of(&pool, session, q[2]).await.is_none());
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_older_save_never_overwrites_a_newer_one(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let org = world.org("Acme").await;
    let test = world.published_assessment(org, 30).await;
    let token = world
        .assessment_invite(org, test.assessment, "7 days")
        .await;
    start(&world, &token).await;
    let (session, _) = session_of(&pool, test.assessment).await;
    let essay = test.questions[4];

    assert_eq!(
        save(
            &world,
            &token,
            essay,
            Response::Text("second draft".into()),
            7
        )
        .await
        .status,
        StatusCode::OK
    );
    let stale = save(
        &world,
        &token,
        essay,
        Response::Text("first draft".into()),
        6,
    )
    .await;
    assert_eq!(
        stale.status,
        StatusCode::OK,
        "a late save is acknowledged, not an error"
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&stale.body).unwrap()["seq"],
        7,
        "the page learns the newer number"
    );
    let same = save(&world, &token, essay, Response::Text("replayed".into()), 7).await;
    assert_eq!(same.status, StatusCode::OK);
    let (response, seq, _) = answer_of(&pool, session, essay).await.unwrap();
    assert_eq!(response, json!({"text": "second draft"}));
    assert_eq!(seq, 7);

    // A response of the wrong shape, or for a question not in the session, changes nothing.
    let wrong = save(&world, &token, essay, Response::Boolean(true), 9).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let stranger = save(
        &world,
        &token,
        Uuid::new_v4(),
        Response::Text("x".into()),
        1,
    )
    .await;
    assert_eq!(stranger.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer_of(&pool, session, essay).await.unwrap().1, 7);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn saves_count_until_the_deadline_plus_grace_and_are_refused_after(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let org = world.org("Acme").await;
    let test = world.published_assessment(org, 30).await;
    let token = world
        .assessment_invite(org, test.assessment, "7 days")
        .await;
    start(&world, &token).await;
    let (session, _) = session_of(&pool, test.assessment).await;
    let q = &test.questions;
    assert_eq!(
        save(&world, &token, q[0], Response::Choices(vec![2]), 1)
            .await
            .status,
        StatusCode::OK
    );

    expire_deadline(&pool, session, 10).await;
    let in_grace = save(&world, &token, q[2], Response::Boolean(true), 1).await;
    assert_eq!(
        in_grace.status,
        StatusCode::OK,
        "a save on its way when time ran out still counts"
    );

    expire_deadline(&pool, session, app::candidate_test::GRACE_SECONDS + 1).await;
    let late = save(&world, &token, q[0], Response::Choices(vec![1]), 2).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.body.contains("Time is up"), "{}", late.body);
    assert!(late.body.contains("saved before the deadline is kept"));
    assert_eq!(
        answer_of(&pool, session, q[0]).await.unwrap().0,
        json!({"choices": [2]})
    );
    assert_eq!(
        answer_of(&pool, session, q[2]).await.unwrap().0,
        json!({"boolean": true})
    );

    // Opening the link now closes the session as timed out, with its answers scored.
    let page = world.client().get(&format!("/test/{token}")).await;
    assert!(page.body.contains("Time ran out"), "{}", page.body);
    let (_, status) = session_of(&pool, test.assessment).await;
    assert_eq!(status, "timed_out");
    assert_eq!(answer_of(&pool, session, q[0]).await.unwrap().2, Some(2.0));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_sweep_closes_an_abandoned_session_with_its_saved_answers(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let org = world.org("Acme").await;
    let test = world.published_assessment(org, 30).await;
    let abandoned = world
        .assessment_invite(org, test.assessment, "7 days")
        .await;
    let running = world
        .assessment_invite(org, test.assessment, "7 days")
        .await;
    start(&world, &abandoned).await;
    let (session, _) = session_of(&pool, test.assessment).await;
    start(&world, &running).await;
    let q = &test.questions;
    save(&world, &abandoned, q[0], Response::Choices(vec![2]), 1).await;
    save(&world, &abandoned, q[2], Response::Boolean(false), 1).await;
    expire_deadline(&pool, session, 120).await;

    let closed = app::candidate_test::data::close_expired(&pool)
        .await
        .unwrap();
    assert_eq!(closed, 1, "only the session whose time is up");
    let (status, finished_at_deadline, score): (String, bool, Option<f64>) = sqlx::query_as(
        "SELECT status, finished_at = deadline_at, score FROM test_sessions WHERE id = $1",
    )
    .bind(session)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(status, "timed_out");
    assert!(finished_at_deadline);
    assert_eq!(score, Some(2.0));
    assert_eq!(
        answer_of(&pool, session, q[2]).await.unwrap().0,
        json!({"boolean": false})
    );
    let open: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM test_sessions WHERE status = 'in_progress'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(open, 1, "the running session is left alone");
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn expired_revoked_and_unknown_links_start_nothing(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let org = world.org("Acme").await;
    let test = world.published_assessment(org, 30).await;
    let expired = world
        .assessment_invite(org, test.assessment, "-1 minute")
        .await;
    let revoked = world
        .assessment_invite(org, test.assessment, "7 days")
        .await;
    sqlx::query("UPDATE assessment_tokens SET revoked_at = now() WHERE token_hash = $1")
        .bind(app::tokens::digest(&revoked))
        .execute(&pool)
        .await
        .unwrap();
    let unknown = app::tokens::generate().secret;
    for token in [&expired, &revoked, &unknown] {
        let page = world.client().get(&format!("/test/{token}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(page.body.contains("This link is not valid"));
        assert!(
            !page.body.contains("Backend basics"),
            "nothing about the test is shown"
        );
        let started = start(&world, token).await;
        assert_eq!(started.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(started.body.contains("no longer valid"));
        let saved = save(
            &world,
            token,
            test.questions[0],
            Response::Choices(vec![2]),
            1,
        )
        .await;
        assert_eq!(saved.status, StatusCode::NOT_FOUND);
    }
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM test_sessions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(sessions, 0);

    // An assessment whose window has not opened says when it does, and starts nothing.
    let later = world
        .assessment_invite(org, test.assessment, "7 days")
        .await;
    sqlx::query("UPDATE assessments SET available_from = now() + interval '1 day' WHERE id = $1")
        .bind(test.assessment)
        .execute(&pool)
        .await
        .unwrap();
    let page = world.client().get(&format!("/test/{later}")).await;
    assert!(page.body.contains("This test opens on"));
    assert_eq!(start(&world, &later).await.status, StatusCode::CONFLICT);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_link_of_one_organization_reaches_nothing_of_another(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let acme = world.org("Acme").await;
    let globex = world.org("Globex").await;
    let ours = world.published_assessment(acme, 30).await;
    let theirs = world.published_assessment(globex, 30).await;
    let our_token = world
        .assessment_invite(acme, ours.assessment, "7 days")
        .await;
    let their_token = world
        .assessment_invite(globex, theirs.assessment, "7 days")
        .await;
    start(&world, &our_token).await;
    start(&world, &their_token).await;
    let (their_session, _) = session_of(&pool, theirs.assessment).await;
    save(
        &world,
        &their_token,
        theirs.questions[4],
        Response::Text("theirs".into()),
        1,
    )
    .await;

    // Our link cannot write into, or read, the other organization's session.
    let cross = save(
        &world,
        &our_token,
        theirs.questions[4],
        Response::Text("overwritten".into()),
        99,
    )
    .await;
    assert_eq!(cross.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        answer_of(&pool, their_session, theirs.questions[4])
            .await
            .unwrap()
            .0,
        json!({"text": "theirs"})
    );
    let page = world.client().get(&format!("/test/{our_token}")).await;
    assert!(!page.body.contains("theirs") && !page.body.contains("Globex"));
    assert!(!page.body.contains(&theirs.questions[0].to_string()));
    // Submitting with our link closes only our session.
    world
        .client()
        .call(SubmitTest {
            token: our_token.clone(),
        })
        .await;
    let (_, their_status) = session_of(&pool, theirs.assessment).await;
    assert_eq!(their_status, "in_progress");
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn links_of_a_deactivated_organization_reach_nothing(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let org = world.org("Acme").await;
    let test = world.published_assessment(org, 30).await;
    let unstarted = world
        .assessment_invite(org, test.assessment, "7 days")
        .await;
    let running = world
        .assessment_invite(org, test.assessment, "7 days")
        .await;
    assert_eq!(start(&world, &running).await.status, StatusCode::OK);
    sqlx::query("UPDATE organizations SET is_active = false WHERE id = $1")
        .bind(org)
        .execute(&pool)
        .await
        .unwrap();
    for token in [&unstarted, &running] {
        let page = world.client().get(&format!("/test/{token}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{}", page.body);
        assert!(!page.body.contains("Backend basics"));
        assert_eq!(
            start(&world, token).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let saved = save(
            &world,
            token,
            test.questions[0],
            Response::Choices(vec![2]),
            1,
        )
        .await;
        assert_eq!(saved.status, StatusCode::NOT_FOUND, "{}", saved.body);
        let submitted = world
            .client()
            .call(SubmitTest {
                token: token.to_string(),
            })
            .await;
        assert_eq!(
            submitted.status,
            StatusCode::NOT_FOUND,
            "{}",
            submitted.body
        );
    }
    let answers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM answers")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(answers, 0);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_submission_and_a_hundred_saves_at_once_leave_nothing_unscored(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let org = world.org("Acme").await;
    let test = world.published_assessment(org, 30).await;
    let token = world
        .assessment_invite(org, test.assessment, "7 days")
        .await;
    assert_eq!(start(&world, &token).await.status, StatusCode::OK);
    let question = test.questions[0];
    // Saves of the single-choice question (option 2 is right), alternating right and
    // wrong, racing the submission.
    let mut tasks = Vec::new();
    for seq in 1..=100i64 {
        let mut client = world.client();
        let link = token.clone();
        let choice = if seq % 2 == 0 { 2 } else { 1 };
        tasks.push(tokio::spawn(async move {
            client
                .call(SaveAnswer {
                    token: link,
                    save: AnswerSave {
                        question_id: question,
                        response: Some(Response::Choices(vec![choice])),
                        seq,
                        flagged: false,
                        time_spent_ms: 1000,
                    },
                })
                .await
                .status
        }));
        if seq == 50 {
            let mut client = world.client();
            let token = token.clone();
            tasks.push(tokio::spawn(async move {
                client.call(SubmitTest { token }).await.status
            }));
        }
    }
    for task in tasks {
        let status = task.await.unwrap();
        assert!(
            status == StatusCode::OK || status == StatusCode::CONFLICT,
            "{status}"
        );
    }
    let (session, status) = session_of(&pool, test.assessment).await;
    assert_eq!(status, "submitted");
    // What is stored is what was scored: no save landed after the scoring.
    if let Some((response, _, score)) = answer_of(&pool, session, question).await {
        let right = response == json!({"choices": [2]}) || response == json!([2]);
        let scored = score.expect("a stored answer is scored");
        assert_eq!(scored > 0.0, right, "response {response} scored {scored}");
    }
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_save_that_does_not_fit_its_question_is_refused_and_the_saved_answer_stays(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let org = world.org("Acme").await;
    let test = world.published_assessment(org, 30).await;
    let token = world
        .assessment_invite(org, test.assessment, "7 days")
        .await;
    start(&world, &token).await;
    let (session, _) = session_of(&pool, test.assessment).await;
    // Options 1 to 4 each: single choice, multiple choice; then numeric and an essay.
    let [single, multiple, _, numeric, essay] = test.questions[..] else {
        panic!("five questions");
    };
    for (question, response) in [
        (single, Response::Choices(vec![2])),
        (multiple, Response::Choices(vec![1, 3])),
        (numeric, Response::Number("42".into())),
        (essay, Response::Text("first draft".into())),
    ] {
        let saved = save(&world, &token, question, response, 1).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    }
    let kept = [
        (single, json!({"choices": [2]})),
        (multiple, json!({"choices": [1, 3]})),
        (numeric, json!({"number": "42"})),
        (essay, json!({"text": "first draft"})),
    ];

    let refusals = [
        (
            single,
            Response::Choices(vec![9]),
            "That option is not part of the question.",
        ),
        (
            multiple,
            Response::Choices(vec![1, 99]),
            "That option is not part of the question.",
        ),
        (
            single,
            Response::Choices(vec![1, 2]),
            "That answer does not fit the question.",
        ),
        (
            essay,
            Response::Choices(vec![1]),
            "That answer does not fit the question.",
        ),
        (
            numeric,
            Response::Number("4".repeat(101)),
            "That answer does not fit the question.",
        ),
        (
            essay,
            Response::Text("x".repeat(app::questions::model::MAX_TEXT_ANSWER + 1)),
            "That answer is too long to keep",
        ),
    ];
    for (seq, (question, response, message)) in (2..).zip(refusals) {
        let refused = save(&world, &token, question, response.clone(), seq).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{response:?}: {}",
            refused.body
        );
        assert!(
            refused.body.contains(message),
            "{response:?}: {}",
            refused.body
        );
    }
    for (question, response) in &kept {
        let (stored, seq, _) = answer_of(&pool, session, *question).await.unwrap();
        assert_eq!((&stored, seq), (response, 1), "the earlier answer stays");
    }

    // A body larger than any answer is refused before it is read, with the same message.
    let huge = json!({
        "token": token,
        "save": {"question_id": essay, "response": {"text": "y".repeat(1 << 20)}, "seq": 50},
    });
    let refused = world
        .client()
        .send(
            axum::http::Request::post(<SaveAnswer as server_fn::ServerFn>::PATH)
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .header("sec-fetch-site", "same-origin")
                .body(axum::body::Body::from(huge.to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("That answer is too long to keep"),
        "{}",
        refused.body
    );

    // Valid answers still save over them.
    for (question, response) in [
        (single, Response::Choices(vec![4])),
        (multiple, Response::Choices(vec![2, 4])),
        (essay, Response::Text("second draft".into())),
    ] {
        let saved = save(&world, &token, question, response, 60).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    }
    assert_eq!(
        answer_of(&pool, session, multiple).await.unwrap().0,
        json!({"choices": [2, 4]})
    );
}
