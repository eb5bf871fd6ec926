//! The pipeline: adding candidates, bulk moves with their history, rejections with a
//! reason, a requisition filling itself, and who may do what.

use crate::support::{Acme, Client, World};
use app::access::Role;
use app::pipeline::{AddToPipeline, Board, LoadBoard, MoveApplications};
use axum::http::StatusCode;
use sqlx::PgPool;
use uuid::Uuid;

/// The organization, people and records this file's tests start from.
struct Scene {
    requisition: Uuid,
    candidates: Vec<Uuid>,
}

/// Acme with a requisition (managed by manager@acme.test, `openings` openings, open)
/// and three candidates.
async fn scene(world: &World, openings: i32) -> Scene {
    let Acme { org, manager, .. } = world.acme().await;
    let requisition: Uuid = sqlx::query_scalar(
        "INSERT INTO job_requisitions (org_id, title, employment_type, openings, status, hiring_manager_id)
         VALUES ($1, 'Backend engineer', 'full_time', $2, 'open', $3) RETURNING id",
    )
    .bind(org)
    .bind(openings)
    .bind(manager)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let candidates = sqlx::query_scalar(
        "INSERT INTO candidates (org_id, full_name, email, source)
         SELECT $1, name, lower(name) || '@example.com', 'applied'
         FROM unnest(ARRAY['Ada', 'Grace', 'Linus']) AS name RETURNING id",
    )
    .bind(org)
    .fetch_all(&world.pool)
    .await
    .unwrap();
    Scene {
        requisition,
        candidates,
    }
}

async fn board(client: &mut Client, requisition: Uuid) -> Board {
    let response = client
        .call(LoadBoard {
            requisition_id: requisition,
        })
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    serde_json::from_str(&response.body).unwrap()
}

fn stage(board: &Board, name: &str) -> (Uuid, Vec<String>) {
    let column = board.columns.iter().find(|c| c.stage.name == name).unwrap();
    (
        column.stage.id,
        column
            .cards
            .iter()
            .map(|c| c.candidate_name.clone())
            .collect(),
    )
}

async fn add_all(client: &mut Client, scene: &Scene) {
    for candidate in &scene.candidates {
        let response = client
            .call(AddToPipeline {
                candidate_id: *candidate,
                requisition_id: scene.requisition.to_string(),
            })
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    }
}

async fn move_to(
    client: &mut Client,
    scene: &Scene,
    apps: &[Uuid],
    stage_id: Uuid,
    reason: &str,
) -> crate::support::TestResponse {
    client
        .call(MoveApplications {
            requisition_id: scene.requisition,
            application_ids: Some(apps.to_vec()),
            to_stage: stage_id.to_string(),
            reason: Some(reason.into()),
        })
        .await
}

fn application_ids(board: &Board, names: &[&str]) -> Vec<Uuid> {
    board
        .columns
        .iter()
        .flat_map(|c| &c.cards)
        .filter(|card| names.contains(&card.candidate_name.as_str()))
        .map(|card| card.application_id)
        .collect()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn candidates_join_once_and_move_together_with_a_recorded_history(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world, 2).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    add_all(&mut recruiter, &scene).await;
    let again = recruiter
        .call(AddToPipeline {
            candidate_id: scene.candidates[0],
            requisition_id: scene.requisition.to_string(),
        })
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("already in the pipeline"));
    // The menus start at "Choose…": left there, nothing happens and the person is told.
    let unchosen = recruiter
        .call(AddToPipeline {
            candidate_id: scene.candidates[0],
            requisition_id: String::new(),
        })
        .await;
    assert_eq!(unchosen.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unchosen
        .body
        .contains("Choose the requisition to add the candidate to."));
    let page = recruiter
        .get(&format!("/requisitions/{}/pipeline", scene.requisition))
        .await;
    assert!(page.body.contains("Choose a stage…"), "{}", page.body);
    let nowhere = recruiter
        .call(MoveApplications {
            requisition_id: scene.requisition,
            application_ids: None,
            to_stage: String::new(),
            reason: None,
        })
        .await;
    assert_eq!(nowhere.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nowhere
        .body
        .contains("Choose the stage to move the selected candidates to."));

    let start = board(&mut recruiter, scene.requisition).await;
    assert_eq!(stage(&start, "Applied").1.len(), 3);
    let names: Vec<String> = start.columns.iter().map(|c| c.stage.name.clone()).collect();
    assert_eq!(
        names,
        [
            "Applied",
            "Screening",
            "Assessment",
            "Interview",
            "Offer",
            "Hired",
            "Rejected",
            "Withdrawn"
        ]
    );

    let (screening, _) = stage(&start, "Screening");
    let picked = application_ids(&start, &["Ada", "Grace"]);
    assert_eq!(
        move_to(&mut recruiter, &scene, &picked, screening, "")
            .await
            .status,
        StatusCode::OK
    );
    let after = board(&mut recruiter, scene.requisition).await;
    assert_eq!(stage(&after, "Screening").1, ["Ada", "Grace"]);
    assert_eq!(stage(&after, "Applied").1, ["Linus"]);

    let profile = recruiter
        .get(&format!("/candidates/{}", scene.candidates[0]))
        .await
        .body;
    assert!(
        profile.contains("Added to Applied"),
        "history starts with the addition"
    );
    assert!(
        profile.contains("Applied → Screening"),
        "the move is in the history"
    );
    assert!(profile.contains("by Recruiter Person"));
    let changes: i64 = sqlx::query_scalar("SELECT count(*) FROM application_stage_changes")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(changes, 5, "three additions and two moves");

    let none = move_to(&mut recruiter, &scene, &[], screening, "").await;
    assert!(none.body.contains("Select at least one candidate"));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_rejection_needs_a_reason_and_hires_fill_the_requisition(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world, 1).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    add_all(&mut recruiter, &scene).await;
    let b = board(&mut recruiter, scene.requisition).await;
    let (rejected, _) = stage(&b, "Rejected");
    let linus = application_ids(&b, &["Linus"]);
    let refused = move_to(&mut recruiter, &scene, &linus, rejected, "").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("reason for rejecting"));
    let reason = b.reasons[0].id.to_string();
    assert_eq!(
        move_to(&mut recruiter, &scene, &linus, rejected, &reason)
            .await
            .status,
        StatusCode::OK
    );
    let b = board(&mut recruiter, scene.requisition).await;
    let card = &b
        .columns
        .iter()
        .find(|c| c.stage.name == "Rejected")
        .unwrap()
        .cards[0];
    assert_eq!(
        card.rejection_reason.as_deref(),
        Some(b.reasons[0].label.as_str())
    );

    let (hired, _) = stage(&b, "Hired");
    assert_eq!(
        move_to(
            &mut recruiter,
            &scene,
            &application_ids(&b, &["Ada"]),
            hired,
            ""
        )
        .await
        .status,
        StatusCode::OK
    );
    let status: String = sqlx::query_scalar("SELECT status FROM job_requisitions")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(status, "filled", "one opening, one hire");
    let filled = recruiter
        .call(AddToPipeline {
            candidate_id: scene.candidates[0],
            requisition_id: scene.requisition.to_string(),
        })
        .await;
    assert!(
        filled.status == StatusCode::UNPROCESSABLE_ENTITY && filled.body.contains("filled"),
        "{}",
        filled.body
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_permission_matrix_of_the_pipeline(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world, 2).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    add_all(&mut recruiter, &scene).await;
    let b = board(&mut recruiter, scene.requisition).await;
    let (screening, _) = stage(&b, "Screening");
    let ada = application_ids(&b, &["Ada"]);

    // The requisition's hiring manager works the board, but adds no candidates.
    let mut manager = world.signed_in("manager@acme.test").await;
    assert_eq!(
        board(&mut manager, scene.requisition).await.columns.len(),
        8
    );
    assert!(
        board(&mut manager, scene.requisition)
            .await
            .can_open_candidates
    );
    assert_eq!(
        move_to(&mut manager, &scene, &ada, screening, "")
            .await
            .status,
        StatusCode::OK
    );
    let add = manager
        .call(AddToPipeline {
            candidate_id: scene.candidates[0],
            requisition_id: scene.requisition.to_string(),
        })
        .await;
    assert_eq!(add.status, StatusCode::FORBIDDEN);

    let mut other = world.signed_in("other-manager@acme.test").await;
    let requisition = scene.requisition;
    assert_eq!(
        other
            .call(LoadBoard {
                requisition_id: requisition,
            })
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        move_to(&mut other, &scene, &ada, screening, "")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let mut interviewer = world.signed_in("interviewer@acme.test").await;
    assert_eq!(
        interviewer
            .call(LoadBoard {
                requisition_id: requisition,
            })
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        interviewer
            .get(&format!("/requisitions/{requisition}/pipeline"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // Another organization's recruiter, with its own requisition, cannot reach these
    // applications, even naming them in a move of its own requisition.
    let globex = world.org("Globex").await;
    world
        .user(globex, Role::Recruiter, "recruiter@globex.test")
        .await;
    let theirs: Uuid = sqlx::query_scalar(
        "INSERT INTO job_requisitions (org_id, title, employment_type, openings, status) VALUES ($1, 'Theirs', 'full_time', 1, 'open') RETURNING id",
    )
    .bind(globex)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let mut outsider = world.signed_in("recruiter@globex.test").await;
    assert_eq!(
        outsider
            .call(LoadBoard {
                requisition_id: requisition,
            })
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let own = Scene {
        requisition: theirs,
        candidates: vec![],
    };
    let their_stage: Uuid = sqlx::query_scalar(
        "SELECT id FROM pipeline_stages WHERE org_id = $1 AND name = 'Screening'",
    )
    .bind(globex)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!(
        move_to(&mut outsider, &own, &ada, their_stage, "")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        move_to(&mut outsider, &scene, &ada, screening, "")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let add = outsider
        .call(AddToPipeline {
            candidate_id: scene.candidates[0],
            requisition_id: theirs.to_string(),
        })
        .await;
    assert_eq!(add.status, StatusCode::NOT_FOUND);
}

/// Gives the application a finished test session: passed or failed.
async fn finished_test(world: &World, assessment: Uuid, application: Uuid, passed: bool) {
    sqlx::query(
        "WITH invite AS (
             INSERT INTO assessment_applications (org_id, assessment_id, candidate_id, application_id)
             SELECT org_id, $1, candidate_id, id FROM applications WHERE id = $2
             RETURNING id, org_id),
         token AS (
             INSERT INTO assessment_tokens (org_id, assessment_application_id, token_hash, expires_at)
             SELECT org_id, id, uuid_send(gen_random_uuid()), now() + interval '1 day' FROM invite
             RETURNING id, org_id, assessment_application_id)
         INSERT INTO test_sessions (org_id, assessment_id, assessment_application_id, token_id,
             consented_at, deadline_at, status, finished_at, score, max_score, passed)
         SELECT org_id, $1, assessment_application_id, id, now(), now() + interval '30 minutes',
             'submitted', now(), 3, 4, $3
         FROM token",
    )
    .bind(assessment)
    .bind(application)
    .bind(passed)
    .execute(&world.pool)
    .await
    .unwrap();
}

/// The board page with this query (`?q=…`, or empty).
async fn page(client: &mut Client, requisition: Uuid, query: &str) -> String {
    let response = client
        .get(&format!("/requisitions/{requisition}/pipeline{query}"))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.body
}

/// The candidates whose cards a board page shows, by the names their cards carry.
fn card_names(html: &str) -> Vec<&str> {
    let mut names: Vec<&str> = html
        .split("data-name=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    names.sort();
    names
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_board_filters_by_name_tag_and_result_without_javascript(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world, 2).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    add_all(&mut recruiter, &scene).await;
    sqlx::query(
        "UPDATE candidates c SET full_name = v.name, tags = v.tags
         FROM (VALUES ('Ada', 'Ada Lovelace', ARRAY['python', 'remote']),
                      ('Grace', 'Grace Hopper', ARRAY['cobol']),
                      ('Linus', 'Linus Torvalds', ARRAY['remote'])) AS v(old, name, tags)
         WHERE c.full_name = v.old",
    )
    .execute(&world.pool)
    .await
    .unwrap();
    let assessment: Uuid = sqlx::query_scalar(
        "INSERT INTO assessments (org_id, requisition_id, family_id, title, time_limit_minutes)
         SELECT org_id, id, gen_random_uuid(), 'Basics', 30 FROM job_requisitions WHERE id = $1
         RETURNING id",
    )
    .bind(scene.requisition)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let b = board(&mut recruiter, scene.requisition).await;
    let ada = application_ids(&b, &["Ada Lovelace"])[0];
    let grace = application_ids(&b, &["Grace Hopper"])[0];
    finished_test(&world, assessment, ada, true).await;
    finished_test(&world, assessment, grace, false).await;

    let r = scene.requisition;

    // Unfiltered: every card, the form with the board's tags, no count of those shown.
    let all = page(&mut recruiter, r, "").await;
    assert_eq!(
        card_names(&all),
        ["Ada Lovelace", "Grace Hopper", "Linus Torvalds"]
    );
    assert!(all.contains("id=\"board-filters\""));
    for option in [
        "Any tag",
        "cobol",
        "python",
        "remote",
        "Any result",
        "No result",
    ] {
        assert!(all.contains(&format!(">{option}</option>")), "{option}");
    }
    assert!(!all.contains("Showing "));
    assert!(!all.contains("Clear filters"));
    assert!(all.contains("Tags: python, remote"));
    assert!(all.contains("data-result=\"passed\""));
    // The filter form is a GET form of its own, closed before the move form opens.
    let filters = all[..all.find("id=\"board-filters\"").unwrap()]
        .rfind("<form")
        .unwrap();
    let filters_end = filters + all[filters..].find("</form>").unwrap();
    assert!(all[filters..filters_end].contains("method=\"get\""));
    assert!(!all[filters + 1..filters_end].contains("<form"));
    assert!(all[filters_end..].contains("application_ids["));

    let by_name = page(&mut recruiter, r, "?q=ADA+lo").await;
    assert_eq!(card_names(&by_name), ["Ada Lovelace"]);
    assert!(by_name.contains("Showing 1 of 3 candidates."), "{by_name}");
    assert!(by_name.contains("Clear filters"));
    assert!(
        by_name.contains("value=\"ADA lo\""),
        "the field keeps the text"
    );
    // Only the cards shown can be picked for a move.
    assert_eq!(by_name.matches("name=\"application_ids[").count(), 1);
    assert!(by_name.contains(&format!("value=\"{ada}\"")));

    let by_tag = page(&mut recruiter, r, "?tag=Remote").await;
    assert_eq!(card_names(&by_tag), ["Ada Lovelace", "Linus Torvalds"]);
    assert!(by_tag.contains("Showing 2 of 3 candidates."));
    assert!(by_tag.contains("<option value=\"remote\" selected"));

    let failed = page(&mut recruiter, r, "?result=failed").await;
    assert_eq!(card_names(&failed), ["Grace Hopper"]);
    assert!(failed.contains("Showing 1 of 3 candidates."));
    let untested = page(&mut recruiter, r, "?result=none").await;
    assert_eq!(card_names(&untested), ["Linus Torvalds"]);
    let both = page(&mut recruiter, r, "?tag=remote&result=passed").await;
    assert_eq!(card_names(&both), ["Ada Lovelace"]);

    let nobody = page(&mut recruiter, r, "?q=zelda").await;
    assert!(card_names(&nobody).is_empty());
    assert!(nobody.contains("Showing 0 of 3 candidates."));
    assert!(nobody.contains("No candidate on this board matches these filters."));
    assert!(!nobody.contains("Move selected"));

    // A result the menu does not offer filters by nothing, and the page says so.
    let unknown = page(&mut recruiter, r, "?result=great").await;
    assert_eq!(card_names(&unknown).len(), 3);
    assert!(
        unknown.contains("“great” is not a result to filter by. The board shows every result."),
        "{unknown}"
    );
    assert!(!unknown.contains("Showing "));

    // Blank fields, as an emptied form sends them, filter by nothing.
    let blank = page(&mut recruiter, r, "?q=&tag=&result=").await;
    assert_eq!(card_names(&blank).len(), 3);
    assert!(!blank.contains("Showing "));

    // A hiring manager sees no tags (their limited profile of a candidate has none
    // either), on the page or from the board's function, and filters by none.
    let mut manager = world.signed_in("manager@acme.test").await;
    let theirs = page(&mut manager, r, "").await;
    assert_eq!(card_names(&theirs).len(), 3);
    assert!(!theirs.contains("Tags:"));
    assert!(!theirs.contains("python"));
    assert!(!theirs.contains("id=\"board-tag\""));
    assert!(theirs.contains("data-tags=\"\""));
    let probed = page(&mut manager, r, "?tag=python").await;
    assert_eq!(card_names(&probed).len(), 3);
    assert!(
        probed.contains(
            "Only admins and recruiters see candidates' tags, so the board is not filtered by tag."
        ),
        "{probed}"
    );
    let by_result = page(&mut manager, r, "?tag=python&result=failed").await;
    assert_eq!(card_names(&by_result), ["Grace Hopper"]);
    assert!(by_result.contains("Showing 1 of 3 candidates."));
    let cards = |b: &Board| -> Vec<(String, Vec<String>)> {
        b.columns
            .iter()
            .flat_map(|c| &c.cards)
            .map(|card| (card.candidate_name.clone(), card.tags.clone()))
            .collect()
    };
    assert!(cards(&board(&mut manager, r).await)
        .iter()
        .all(|(_, tags)| tags.is_empty()));
    assert!(cards(&board(&mut recruiter, r).await).contains(&(
        "Ada Lovelace".to_string(),
        vec!["python".into(), "remote".into()]
    )));

    // A move made from the filtered view moves the card picked there.
    let (screening, _) = stage(&b, "Screening");
    assert_eq!(
        move_to(&mut recruiter, &scene, &[ada], screening, "")
            .await
            .status,
        StatusCode::OK
    );
    let after = board(&mut recruiter, scene.requisition).await;
    assert_eq!(stage(&after, "Screening").1, ["Ada Lovelace"]);
}
