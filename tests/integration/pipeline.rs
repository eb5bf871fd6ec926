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
