//! The organization's stages and rejection reasons: admins add, rename, reorder and
//! remove them within the rules; the board follows; nobody else may change them.

use crate::support::{Call, Client, World};
use app::access::Role;
use app::pipeline::settings::{
    LoadPipelineSettings, MovePipelineEntry, PipelineSettings, RemovePipelineEntry,
    SavePipelineEntry,
};
use app::pipeline::{Board, LoadBoard};
use axum::http::StatusCode;
use sqlx::PgPool;
use uuid::Uuid;

async fn settings(client: &mut Client) -> PipelineSettings {
    let response = client.call(LoadPipelineSettings {}).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    serde_json::from_str(&response.body).unwrap()
}

fn names(settings: &PipelineSettings) -> Vec<&str> {
    settings.stages.iter().map(|s| s.name.as_str()).collect()
}

fn stage_id(settings: &PipelineSettings, name: &str) -> Uuid {
    settings.stages.iter().find(|s| s.name == name).unwrap().id
}

fn save(list: &str, id: Option<Uuid>, name: &str) -> SavePipelineEntry {
    SavePipelineEntry {
        list: list.into(),
        id,
        name: name.into(),
    }
}

fn move_stage(id: Uuid, direction: &str) -> MovePipelineEntry {
    MovePipelineEntry {
        list: "stages".into(),
        id,
        direction: direction.into(),
    }
}

fn remove(list: &str, id: Uuid) -> RemovePipelineEntry {
    RemovePipelineEntry {
        list: list.into(),
        id,
    }
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn admins_shape_the_stages_and_reasons_within_the_rules(pool: PgPool) {
    let world = World::init(pool).await;
    let org = world.org("Acme").await;
    world.user(org, Role::Admin, "admin@acme.test").await;
    world
        .user(org, Role::Recruiter, "recruiter@acme.test")
        .await;
    let mut admin = world.signed_in("admin@acme.test").await;

    let added = admin.call(save("stages", None, " Final round ")).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let now = settings(&mut admin).await;
    assert_eq!(
        names(&now),
        [
            "Applied",
            "Screening",
            "Assessment",
            "Interview",
            "Offer",
            "Final round",
            "Hired",
            "Rejected",
            "Withdrawn"
        ]
    );
    let final_round = stage_id(&now, "Final round");
    let moved = admin.call(move_stage(final_round, "up")).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let moved = admin
        .call(move_stage(stage_id(&now, "Applied"), "up"))
        .await;
    assert_eq!(moved.status, StatusCode::UNPROCESSABLE_ENTITY);
    let renamed = admin
        .call(save(
            "stages",
            Some(stage_id(&now, "Screening")),
            "Phone screen",
        ))
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    let clash = admin.call(save("stages", Some(final_round), "offer")).await;
    assert_eq!(clash.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        clash.body.contains("already a stage called"),
        "{}",
        clash.body
    );
    let now = settings(&mut admin).await;
    assert_eq!(
        names(&now),
        [
            "Applied",
            "Phone screen",
            "Assessment",
            "Interview",
            "Final round",
            "Offer",
            "Hired",
            "Rejected",
            "Withdrawn"
        ]
    );

    // A stage with an application stays; an empty one goes, and leaves the board.
    let requisition = world.requisition(org, "Backend", None).await;
    let candidate = world.candidate(org, "Ada", "ada@example.com").await;
    admin.add_to_pipeline(candidate, requisition).await;
    let busy = admin
        .call(remove("stages", stage_id(&now, "Applied")))
        .await;
    assert_eq!(busy.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        busy.body.contains("1 application is still in this stage"),
        "{}",
        busy.body
    );
    let outcome = admin.call(remove("stages", stage_id(&now, "Hired"))).await;
    assert_eq!(outcome.status, StatusCode::UNPROCESSABLE_ENTITY);
    let removed = admin.call(remove("stages", final_round)).await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    let board = admin
        .call(LoadBoard {
            requisition_id: requisition,
        })
        .await;
    let board: Board = serde_json::from_str(&board.body).unwrap();
    let columns: Vec<&str> = board
        .columns
        .iter()
        .map(|c| c.stage.name.as_str())
        .collect();
    assert!(!columns.contains(&"Final round") && columns.contains(&"Phone screen"));

    // Reasons: a removed reason comes back as itself when added again.
    let reasons = settings(&mut admin).await.reasons;
    let other = reasons.iter().find(|r| r.label == "Other").unwrap().id;
    let removed = admin.call(remove("reasons", other)).await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert!(!settings(&mut admin)
        .await
        .reasons
        .iter()
        .any(|r| r.label == "Other"));
    admin.call(save("reasons", None, "other")).await;
    let back = settings(&mut admin).await.reasons;
    assert_eq!(back.last().unwrap().id, other);
    let empty = admin.call(save("reasons", None, "  ")).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let actions = world.audit_actions(org).await;
    assert!(actions.contains(&"pipeline.entry_added".to_string()));
    assert!(actions.contains(&"pipeline.entry_removed".to_string()));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn only_the_organizations_admins_change_the_pipeline(pool: PgPool) {
    let world = World::init(pool).await;
    world.acme().await;
    let mut admin = world.signed_in("admin@acme.test").await;
    let now = settings(&mut admin).await;
    let applied = stage_id(&now, "Applied");
    let calls = [
        Call::new(LoadPipelineSettings {}),
        Call::new(save("stages", None, "Sneaky")),
        Call::new(save("stages", Some(applied), "Sneaky")),
        Call::new(move_stage(applied, "down")),
        Call::new(remove("stages", applied)),
    ];
    for email in [
        "recruiter@acme.test",
        "manager@acme.test",
        "interviewer@acme.test",
    ] {
        let mut client = world.signed_in(email).await;
        for call in &calls {
            assert_eq!(
                client.send_call(call).await.status,
                StatusCode::FORBIDDEN,
                "{email} {}",
                call.path
            );
        }
        assert_eq!(
            client.get("/admin/pipeline").await.status,
            StatusCode::FORBIDDEN
        );
    }
    let mut signed_out = world.client();
    for call in &calls {
        assert_eq!(
            signed_out.send_call(call).await.status,
            StatusCode::UNAUTHORIZED,
            "{}",
            call.path
        );
    }
    let globex = world.org("Globex").await;
    world.user(globex, Role::Admin, "admin@globex.test").await;
    let mut outsider = world.signed_in("admin@globex.test").await;
    for call in calls.iter().skip(2) {
        assert_eq!(
            outsider.send_call(call).await.status,
            StatusCode::NOT_FOUND,
            "{}",
            call.path
        );
    }
    assert_eq!(
        names(&settings(&mut admin).await),
        names(&now),
        "nothing changed"
    );
    let page = admin.get("/admin/pipeline").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Rejection reasons"));
}
