//! The read paths made fast never answer differently: the pipeline board's rendered
//! cards, kept in memory, show every change to what a board shows (made by the app or
//! straight in the database) on the next view, to each viewer as their role allows; and
//! the two paths of candidate search (the newest candidates first, or the trigram index)
//! answer exactly what `ILIKE` would.

use crate::support::{Client, World};
use app::access::Role;
use app::candidates::{CandidateQuery, Sort};
use app::pipeline::MoveApplications;
use are::generate::{generate, Sizes};
use axum::http::StatusCode;
use sqlx::PgPool;
use uuid::Uuid;

/// The organization, people and records this file's tests start from.
struct Scene {
    org: Uuid,
    requisition: Uuid,
    /// Ada, Grace, Linus.
    candidates: Vec<Uuid>,
}

async fn scene(world: &World) -> Scene {
    let org = world.org("Acme").await;
    world
        .user(org, Role::Recruiter, "recruiter@acme.test")
        .await;
    let manager = world
        .user(org, Role::HiringManager, "manager@acme.test")
        .await;
    let requisition: Uuid = sqlx::query_scalar(
        "INSERT INTO job_requisitions (org_id, title, employment_type, openings, status, hiring_manager_id)
         VALUES ($1, 'Backend engineer', 'full_time', 3, 'open', $2) RETURNING id",
    )
    .bind(org)
    .bind(manager)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let mut candidates = Vec::new();
    for name in ["Ada", "Grace", "Linus"] {
        candidates.push(
            world
                .candidate(org, name, &format!("{}@example.com", name.to_lowercase()))
                .await,
        );
    }
    Scene {
        org,
        requisition,
        candidates,
    }
}

async fn page(client: &mut Client, requisition: Uuid) -> String {
    let response = client
        .get(&format!("/requisitions/{requisition}/pipeline"))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.body
}

/// The markup of the board's column headed `stage`.
fn column<'a>(html: &'a str, stage: &str) -> &'a str {
    html.split("<section")
        .skip(1)
        .find(|section| {
            let heading = section.split("</h2>").next().unwrap_or("");
            heading.contains(&format!(">{stage}<"))
        })
        .map(|section| &section[..section.find("</section>").unwrap()])
        .unwrap_or_else(|| panic!("no column {stage}"))
}

async fn stage_id(world: &World, org: Uuid, name: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM pipeline_stages WHERE org_id = $1 AND name = $2")
        .bind(org)
        .bind(name)
        .fetch_one(&world.pool)
        .await
        .unwrap()
}

async fn application(world: &World, candidate: Uuid) -> Uuid {
    sqlx::query_scalar("SELECT id FROM applications WHERE candidate_id = $1")
        .bind(candidate)
        .fetch_one(&world.pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_board_page_shows_every_change_on_the_next_view(pool: PgPool) {
    let world = World::init(pool).await;
    let w = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    for candidate in &w.candidates {
        recruiter.add_to_pipeline(*candidate, w.requisition).await;
    }
    let first = page(&mut recruiter, w.requisition).await;
    assert!(column(&first, "Applied").contains("Ada"));
    let board = |html: &str| {
        let start = html.find("class=\"board\"").unwrap();
        html[start..start + html[start..].find("</form>").unwrap()].to_string()
    };
    assert_eq!(
        board(&first),
        board(&page(&mut recruiter, w.requisition).await)
    );

    // A move through the app.
    let ada = application(&world, w.candidates[0]).await;
    let screening = stage_id(&world, w.org, "Screening").await;
    let moved = recruiter
        .call(MoveApplications {
            requisition_id: w.requisition,
            application_ids: Some(vec![ada]),
            to_stage: screening.to_string(),
            reason: Some(String::new()),
        })
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let html = page(&mut recruiter, w.requisition).await;
    assert!(column(&html, "Screening").contains("Ada"));
    assert!(!column(&html, "Applied").contains("Ada"));

    // Changes made outside this process: a candidate's name, a stage's name, a
    // rejection reason's label, a candidate leaving (merged away).
    let grace = w.candidates[1];
    sqlx::query("UPDATE candidates SET full_name = 'Grace Hopper' WHERE id = $1")
        .bind(grace)
        .execute(&world.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE pipeline_stages SET name = 'Phone screen' WHERE id = $1")
        .bind(screening)
        .execute(&world.pool)
        .await
        .unwrap();
    let html = page(&mut recruiter, w.requisition).await;
    assert!(column(&html, "Applied").contains("Grace Hopper"));
    assert!(column(&html, "Phone screen").contains("Ada"));

    let rejected = stage_id(&world, w.org, "Rejected").await;
    let reason: Uuid =
        sqlx::query_scalar("SELECT id FROM rejection_reasons WHERE org_id = $1 LIMIT 1")
            .bind(w.org)
            .fetch_one(&world.pool)
            .await
            .unwrap();
    let linus = application(&world, w.candidates[2]).await;
    sqlx::query("UPDATE applications SET stage_id = $2, rejection_reason_id = $3 WHERE id = $1")
        .bind(linus)
        .bind(rejected)
        .bind(reason)
        .execute(&world.pool)
        .await
        .unwrap();
    assert!(column(&page(&mut recruiter, w.requisition).await, "Rejected").contains("Linus"));
    sqlx::query("UPDATE rejection_reasons SET label = 'Went elsewhere' WHERE id = $1")
        .bind(reason)
        .execute(&world.pool)
        .await
        .unwrap();
    assert!(
        column(&page(&mut recruiter, w.requisition).await, "Rejected").contains("Went elsewhere")
    );

    sqlx::query("UPDATE candidates SET is_active = false WHERE id = $1")
        .bind(grace)
        .execute(&world.pool)
        .await
        .unwrap();
    assert!(!page(&mut recruiter, w.requisition)
        .await
        .contains("Grace Hopper"));
}

async fn board_version(world: &World, requisition: Uuid) -> i64 {
    sqlx::query_scalar("SELECT board_version FROM job_requisitions WHERE id = $1")
        .bind(requisition)
        .fetch_one(&world.pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_board_page_shows_and_filters_by_tags_as_they_change(pool: PgPool) {
    let world = World::init(pool).await;
    let w = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    recruiter
        .add_to_pipeline(w.candidates[0], w.requisition)
        .await;
    let html = page(&mut recruiter, w.requisition).await;
    assert!(!html.contains("Tags:"));
    assert!(html.contains("data-tags=\"\""));

    // Tags changed outside this process bump the board, and only they (and what else
    // the cards show) do.
    let before = board_version(&world, w.requisition).await;
    sqlx::query("UPDATE candidates SET phone = '+1 555 0100' WHERE id = $1")
        .bind(w.candidates[0])
        .execute(&world.pool)
        .await
        .unwrap();
    assert_eq!(board_version(&world, w.requisition).await, before);
    sqlx::query("UPDATE candidates SET tags = ARRAY['python', 'remote'] WHERE id = $1")
        .bind(w.candidates[0])
        .execute(&world.pool)
        .await
        .unwrap();
    assert!(board_version(&world, w.requisition).await > before);
    let html = page(&mut recruiter, w.requisition).await;
    assert!(
        column(&html, "Applied").contains("Tags: python, remote"),
        "{html}"
    );
    assert!(html.contains("data-tags=\"python,remote\""));
    assert!(
        html.contains(">python</option>"),
        "the tag filter offers it"
    );

    let filtered = recruiter
        .get(&format!(
            "/requisitions/{}/pipeline?tag=python",
            w.requisition
        ))
        .await;
    assert_eq!(filtered.status, StatusCode::OK, "{}", filtered.body);
    assert!(filtered.body.contains("Showing 1 of 1 candidate."));

    sqlx::query("UPDATE candidates SET tags = '{}' WHERE id = $1")
        .bind(w.candidates[0])
        .execute(&world.pool)
        .await
        .unwrap();
    let html = page(&mut recruiter, w.requisition).await;
    assert!(!html.contains("Tags:"), "{html}");
    assert!(!html.contains(">python</option>"));
    let filtered = recruiter
        .get(&format!(
            "/requisitions/{}/pipeline?tag=python",
            w.requisition
        ))
        .await;
    assert!(filtered.body.contains("Showing 0 of 1 candidate."));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_board_page_shows_test_results_as_they_change(pool: PgPool) {
    let world = World::init(pool).await;
    let w = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    recruiter
        .add_to_pipeline(w.candidates[0], w.requisition)
        .await;
    assert!(!page(&mut recruiter, w.requisition)
        .await
        .contains("Test in progress"));

    let assessment: Uuid = sqlx::query_scalar(
        "INSERT INTO assessments (org_id, requisition_id, family_id, title, time_limit_minutes)
         VALUES ($1, $2, gen_random_uuid(), 'Basics', 30) RETURNING id",
    )
    .bind(w.org)
    .bind(w.requisition)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let invite: Uuid = sqlx::query_scalar(
        "INSERT INTO assessment_applications (org_id, assessment_id, candidate_id, application_id)
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(w.org)
    .bind(assessment)
    .bind(w.candidates[0])
    .bind(application(&world, w.candidates[0]).await)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let token: Uuid = sqlx::query_scalar(
        "INSERT INTO assessment_tokens (org_id, assessment_application_id, token_hash, expires_at)
         VALUES ($1, $2, '\\x01', now() + interval '1 day') RETURNING id",
    )
    .bind(w.org)
    .bind(invite)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let session: Uuid = sqlx::query_scalar(
        "INSERT INTO test_sessions (org_id, assessment_id, assessment_application_id, token_id,
             consented_at, deadline_at)
         VALUES ($1, $2, $3, $4, now(), now() + interval '30 minutes') RETURNING id",
    )
    .bind(w.org)
    .bind(assessment)
    .bind(invite)
    .bind(token)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert!(page(&mut recruiter, w.requisition)
        .await
        .contains("Test in progress"));

    sqlx::query(
        "UPDATE test_sessions SET status = 'submitted', finished_at = now(), score = 3,
             max_score = 4, passed = true WHERE id = $1",
    )
    .bind(session)
    .execute(&world.pool)
    .await
    .unwrap();
    let html = page(&mut recruiter, w.requisition).await;
    assert!(!html.contains("Test in progress"));
    assert!(html.contains("75%"), "{html}");
}

/// Books an interview on the application starting `from_now` (an SQL interval) for
/// `minutes`, straight in the database (as any process would).
async fn interview(
    world: &World,
    w: &Scene,
    application: Uuid,
    from_now: &str,
    minutes: i32,
) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO interviews (org_id, application_id, interviewer_id, kind, starts_at, duration_minutes)
         SELECT $1, $2, u.id, 'technical', now() + $3::interval, $4
         FROM users u WHERE u.email = 'manager@acme.test' RETURNING id",
    )
    .bind(w.org)
    .bind(application)
    .bind(from_now)
    .bind(minutes)
    .fetch_one(&world.pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_board_page_shows_interviews_and_feedback_as_they_change(pool: PgPool) {
    let world = World::init(pool).await;
    let w = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    recruiter
        .add_to_pipeline(w.candidates[0], w.requisition)
        .await;
    let ada = application(&world, w.candidates[0]).await;
    let card = |html: &str| {
        let start = html.find(">Ada</label>").expect("Ada's card");
        html[start..start + html[start..].find("</li>").unwrap()].to_string()
    };
    let html = page(&mut recruiter, w.requisition).await;
    assert!(!card(&html).contains("Interview"), "{}", card(&html));
    assert!(!card(&html).contains("Feedback"));
    assert!(card(&html).contains(&format!("href=\"/applications/{ada}#schedule\"")));

    let later = interview(&world, &w, ada, "2 hours", 60).await;
    let html = page(&mut recruiter, w.requisition).await;
    assert!(
        card(&html).contains("Interview scheduled"),
        "{}",
        card(&html)
    );
    assert!(!card(&html).contains("Feedback"));

    let held = interview(&world, &w, ada, "-3 hours", 60).await;
    let html = page(&mut recruiter, w.requisition).await;
    assert!(card(&html).contains("Interview scheduled"));
    assert!(
        card(&html).contains("Feedback 0 of 1 in"),
        "{}",
        card(&html)
    );

    sqlx::query(
        "INSERT INTO interview_feedback (org_id, interview_id, author_id, status, recommendation,
             version, first_submitted_at, submitted_at)
         SELECT org_id, id, interviewer_id, 'submitted', 'yes', 1, now(), now()
         FROM interviews WHERE id = $1",
    )
    .bind(held)
    .execute(&world.pool)
    .await
    .unwrap();
    let html = page(&mut recruiter, w.requisition).await;
    assert!(card(&html).contains("Feedback in"), "{}", card(&html));

    sqlx::query("UPDATE interviews SET status = 'cancelled' WHERE id = $1")
        .bind(later)
        .execute(&world.pool)
        .await
        .unwrap();
    let html = page(&mut recruiter, w.requisition).await;
    assert!(
        !card(&html).contains("Interview scheduled"),
        "{}",
        card(&html)
    );

    // An interview ending changes the card with no change to the data: the kept cards
    // expire then. This one started 4 min 45 s ago and lasts 5 minutes.
    interview(&world, &w, ada, "-285 seconds", 5).await;
    let html = page(&mut recruiter, w.requisition).await;
    assert!(
        card(&html).contains("Interview scheduled"),
        "{}",
        card(&html)
    );
    tokio::time::sleep(std::time::Duration::from_millis(16_000)).await;
    let html = page(&mut recruiter, w.requisition).await;
    assert!(
        !card(&html).contains("Interview scheduled"),
        "{}",
        card(&html)
    );
    assert!(
        card(&html).contains("Feedback 1 of 2 in"),
        "{}",
        card(&html)
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn each_viewer_sees_the_board_as_their_role_allows(pool: PgPool) {
    let world = World::init(pool).await;
    let w = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    recruiter
        .add_to_pipeline(w.candidates[0], w.requisition)
        .await;
    let profile_link = format!("href=\"/candidates/{}\"", w.candidates[0]);
    assert!(page(&mut recruiter, w.requisition)
        .await
        .contains(&profile_link));

    // The hiring manager's board links the profiles too (a limited one, of their
    // requisition's candidates), and the profile opens for them.
    let mut manager = world.signed_in("manager@acme.test").await;
    let theirs = page(&mut manager, w.requisition).await;
    assert!(theirs.contains("Ada"));
    assert!(theirs.contains(&profile_link));
    let profile = manager
        .get(&format!("/candidates/{}", w.candidates[0]))
        .await;
    assert_eq!(profile.status, StatusCode::OK, "{}", profile.body);
    assert!(!profile.body.contains("ada@example.com"));

    // Neither another hiring manager nor another organization reaches it.
    let other_manager = world
        .user(w.org, Role::HiringManager, "other@acme.test")
        .await;
    assert_ne!(other_manager, Uuid::nil());
    let mut other = world.signed_in("other@acme.test").await;
    let refused = other
        .get(&format!("/requisitions/{}/pipeline", w.requisition))
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert!(!refused.body.contains("Ada"));
    let globex = world.org("Globex").await;
    world
        .user(globex, Role::Recruiter, "recruiter@globex.test")
        .await;
    let mut outsider = world.signed_in("recruiter@globex.test").await;
    let refused = outsider
        .get(&format!("/requisitions/{}/pipeline", w.requisition))
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert!(!refused.body.contains("Ada"));
}

/// The page `ILIKE` gives, newest first: the reference for both search paths. The
/// fragment is taken literally, as the search takes it (`%` and `_` are no wildcards).
async fn reference(
    pool: &PgPool,
    org: Uuid,
    text: &str,
    tags: &[&str],
    without: &[&str],
    before: Option<(chrono::DateTime<chrono::Utc>, Uuid)>,
    limit: i64,
) -> Vec<Uuid> {
    let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
    let without: Vec<String> = without.iter().map(|t| t.to_string()).collect();
    sqlx::query_scalar(
        "SELECT id FROM candidates
         WHERE org_id = $1 AND is_active AND (full_name ILIKE $2 OR email ILIKE $2)
           AND tags @> $3 AND NOT (tags && $4)
           AND ($5::timestamptz IS NULL OR (created_at, id) < ($5, $6))
         ORDER BY created_at DESC, id DESC LIMIT $7",
    )
    .bind(org)
    .bind(app::search::contains_pattern(text))
    .bind(&tags)
    .bind(&without)
    .bind(before.map(|b| b.0))
    .bind(before.map(|b| b.1))
    .bind(limit)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn both_search_paths_answer_what_ilike_answers(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let sizes = Sizes {
        candidates: 2_000,
        requisitions: 2,
        applications: 10,
    };
    let org = generate(&world.pool, &world.auth.hasher, sizes)
        .await
        .unwrap();
    // The index's key turns separators into 'x' ("zoe.c" is "zoexc"): fragments that
    // only the key has ("examplexcom", "e_c" with `_` taken literally) find nobody.
    let searches: [(&str, &[&str], &[&str]); 11] = [
        ("garcia", &[], &[]),
        ("examplexcom", &[], &[]),
        ("e_c", &[], &[]),
        ("zoe c", &["senior"], &[]),
        ("LENA", &[], &["junior"]),
        ("kowal", &["senior"], &[]),
        ("zoe.c", &["senior"], &[]),
        ("99@", &["senior"], &[]),
        ("rosa", &[], &["junior"]),
        ("a.s", &[], &[]),
        ("nobody-has-this", &[], &[]),
    ];
    // A small page fills from the newest candidates; a large one needs the trigram index.
    for limit in [3, 20, 400] {
        for (text, with, without) in searches {
            let query = CandidateQuery {
                text: Some(text.to_string()),
                with_tags: with.iter().map(|t| t.to_string()).collect(),
                without_tags: without.iter().map(|t| t.to_string()).collect(),
                sort: Sort::Newest,
                ..CandidateQuery::default()
            };
            let found = app::candidates::data::list(&pool, org, &query, limit)
                .await
                .unwrap();
            let ids: Vec<Uuid> = found.iter().map(|c| c.id).collect();
            let expected = reference(&pool, org, text, with, without, None, limit).await;
            assert_eq!(ids, expected, "{text} {with:?} {without:?}, {limit} a page");

            // The next page, from the cursor of this one.
            if let Some(last) = found.last() {
                let next = CandidateQuery {
                    after: Some(app::candidates::data::cursor(Sort::Newest, last)),
                    ..query
                };
                let ids: Vec<Uuid> = app::candidates::data::list(&pool, org, &next, limit)
                    .await
                    .unwrap()
                    .iter()
                    .map(|c| c.id)
                    .collect();
                let expected = reference(
                    &pool,
                    org,
                    text,
                    with,
                    without,
                    Some((last.created_at, last.id)),
                    limit,
                )
                .await;
                assert_eq!(ids, expected, "{text}: the page after");
            }
        }
    }
}
