//! The organization's stages and rejection reasons: admins add, rename, reorder and
//! remove them within the rules; the board follows; nobody else may change them.

use crate::support::{Client, World};
use app::access::Role;
use app::pipeline::settings::PipelineSettings;
use app::pipeline::Board;
use axum::http::StatusCode;
use sqlx::PgPool;

async fn settings(client: &mut Client) -> PipelineSettings {
    let response = client.call("pipeline/settings", &[]).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    serde_json::from_str(&response.body).unwrap()
}

fn names(settings: &PipelineSettings) -> Vec<&str> {
    settings.stages.iter().map(|s| s.name.as_str()).collect()
}

fn stage_id(settings: &PipelineSettings, name: &str) -> String {
    settings
        .stages
        .iter()
        .find(|s| s.name == name)
        .unwrap()
        .id
        .to_string()
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

    let added = admin
        .call(
            "pipeline/settings/save",
            &[("list", "stages"), ("name", " Final round ")],
        )
        .await;
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
    let moved = admin
        .call(
            "pipeline/settings/move",
            &[
                ("list", "stages"),
                ("id", &final_round),
                ("direction", "up"),
            ],
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let moved = admin
        .call(
            "pipeline/settings/move",
            &[
                ("list", "stages"),
                ("id", &stage_id(&now, "Applied")),
                ("direction", "up"),
            ],
        )
        .await;
    assert_eq!(moved.status, StatusCode::UNPROCESSABLE_ENTITY);
    let renamed = admin
        .call(
            "pipeline/settings/save",
            &[
                ("list", "stages"),
                ("id", &stage_id(&now, "Screening")),
                ("name", "Phone screen"),
            ],
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    let clash = admin
        .call(
            "pipeline/settings/save",
            &[("list", "stages"), ("id", &final_round), ("name", "offer")],
        )
        .await;
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
        .call(
            "pipeline/settings/remove",
            &[("list", "stages"), ("id", &stage_id(&now, "Applied"))],
        )
        .await;
    assert_eq!(busy.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        busy.body.contains("1 application is still in this stage"),
        "{}",
        busy.body
    );
    let outcome = admin
        .call(
            "pipeline/settings/remove",
            &[("list", "stages"), ("id", &stage_id(&now, "Hired"))],
        )
        .await;
    assert_eq!(outcome.status, StatusCode::UNPROCESSABLE_ENTITY);
    let removed = admin
        .call(
            "pipeline/settings/remove",
            &[("list", "stages"), ("id", &final_round)],
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    let board = admin
        .call(
            "pipeline/board",
            &[("requisition_id", &requisition.to_string())],
        )
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
    let removed = admin
        .call(
            "pipeline/settings/remove",
            &[("list", "reasons"), ("id", &other.to_string())],
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert!(!settings(&mut admin)
        .await
        .reasons
        .iter()
        .any(|r| r.label == "Other"));
    admin
        .call(
            "pipeline/settings/save",
            &[("list", "reasons"), ("name", "other")],
        )
        .await;
    let back = settings(&mut admin).await.reasons;
    assert_eq!(back.last().unwrap().id, other);
    let empty = admin
        .call(
            "pipeline/settings/save",
            &[("list", "reasons"), ("name", "  ")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let actions = world.audit_actions(org).await;
    assert!(actions.contains(&"pipeline.entry_added".to_string()));
    assert!(actions.contains(&"pipeline.entry_removed".to_string()));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn only_the_organizations_admins_change_the_pipeline(pool: PgPool) {
    let world = World::init(pool).await;
    let org = world.org("Acme").await;
    world.user(org, Role::Admin, "admin@acme.test").await;
    for (role, email) in [
        (Role::Recruiter, "recruiter@acme.test"),
        (Role::HiringManager, "manager@acme.test"),
        (Role::Interviewer, "interviewer@acme.test"),
    ] {
        world.user(org, role, email).await;
    }
    let mut admin = world.signed_in("admin@acme.test").await;
    let now = settings(&mut admin).await;
    let applied = stage_id(&now, "Applied");
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("pipeline/settings", vec![]),
        (
            "pipeline/settings/save",
            vec![("list", "stages"), ("name", "Sneaky")],
        ),
        (
            "pipeline/settings/save",
            vec![("list", "stages"), ("id", &applied), ("name", "Sneaky")],
        ),
        (
            "pipeline/settings/move",
            vec![("list", "stages"), ("id", &applied), ("direction", "down")],
        ),
        (
            "pipeline/settings/remove",
            vec![("list", "stages"), ("id", &applied)],
        ),
    ];
    for email in [
        "recruiter@acme.test",
        "manager@acme.test",
        "interviewer@acme.test",
    ] {
        let mut client = world.signed_in(email).await;
        for (endpoint, form) in &calls {
            assert_eq!(
                client.call(endpoint, form).await.status,
                StatusCode::FORBIDDEN,
                "{email} {endpoint}"
            );
        }
        assert_eq!(
            client.get("/admin/pipeline").await.status,
            StatusCode::FORBIDDEN
        );
    }
    let mut signed_out = world.client();
    for (endpoint, form) in &calls {
        assert_eq!(
            signed_out.call(endpoint, form).await.status,
            StatusCode::UNAUTHORIZED,
            "{endpoint}"
        );
    }
    let globex = world.org("Globex").await;
    world.user(globex, Role::Admin, "admin@globex.test").await;
    let mut outsider = world.signed_in("admin@globex.test").await;
    for (endpoint, form) in calls.iter().skip(2) {
        assert_eq!(
            outsider.call(endpoint, form).await.status,
            StatusCode::NOT_FOUND,
            "{endpoint}"
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
