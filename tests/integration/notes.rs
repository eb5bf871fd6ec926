//! Notes with mentions, the edit window, the notification inbox and its email option.

use crate::support::{Acme, Client, World};
use app::access::Role;
use app::candidates::LoadCandidate;
use app::notes::{AddNote, DeleteNote, EditNote, LoadApplication};
use app::notifications::{Inbox, LoadInbox, OpenNotification, SaveNotificationPreferences};
use app::pipeline::MoveApplications;
use axum::http::StatusCode;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::time::Duration;
use uuid::Uuid;

/// The organization, people and records this file's tests start from.
struct Scene {
    application: Uuid,
    requisition: Uuid,
}

async fn scene(world: &World) -> Scene {
    let Acme {
        org,
        recruiter,
        manager,
        ..
    } = world.acme().await;
    let requisition: Uuid = sqlx::query_scalar(
        "INSERT INTO job_requisitions (org_id, title, employment_type, openings, status, hiring_manager_id, created_by)
         VALUES ($1, 'Backend engineer', 'full_time', 2, 'open', $2, $3) RETURNING id",
    )
    .bind(org)
    .bind(manager)
    .bind(recruiter)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let candidate = world
        .candidate(org, "Ada Lovelace", "ada@example.com")
        .await;
    let application = world.application(candidate, requisition).await;
    Scene {
        application,
        requisition,
    }
}

async fn note(client: &mut Client, scene: &Scene, body: &str) -> crate::support::TestResponse {
    client
        .call(AddNote {
            application_id: scene.application,
            body: body.into(),
        })
        .await
}

fn edit(note_id: Uuid, body: &str) -> EditNote {
    EditNote {
        note_id,
        body: body.into(),
    }
}

async fn inbox(client: &mut Client) -> Inbox {
    serde_json::from_str(&client.call(LoadInbox {}).await.body).unwrap()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_mention_notifies_the_colleague_who_opens_it_from_the_inbox(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let added = note(
        &mut recruiter,
        &scene,
        "Strong **Rust** background. @manager, can you review? @interviewer too",
    )
    .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);

    let mut manager = world.signed_in("manager@acme.test").await;
    let page = manager.get("/").await.body;
    assert!(
        page.contains("<span class=\"unread-count\">1</span>"),
        "the header counts it"
    );
    let mine = inbox(&mut manager).await;
    assert_eq!(mine.unread, 1);
    assert!(mine.items[0]
        .title
        .contains("Recruiter Person mentioned you in a note on Ada Lovelace"));
    let opened = manager
        .call(OpenNotification {
            id: mine.items[0].id,
        })
        .await;
    assert_eq!(
        opened.location,
        Some(format!("/applications/{}", scene.application))
    );
    assert_eq!(inbox(&mut manager).await.unread, 0);
    let application_page = manager
        .get(&format!("/applications/{}", scene.application))
        .await;
    assert_eq!(application_page.status, StatusCode::OK);
    assert!(
        application_page.body.contains("<strong>Rust</strong>"),
        "Markdown rendered"
    );

    // The interviewer cannot see the note, so the mention does not reach them.
    let mut interviewer = world.signed_in("interviewer@acme.test").await;
    assert_eq!(inbox(&mut interviewer).await.items.len(), 0);
    // Nobody is notified of their own mention.
    assert_eq!(inbox(&mut recruiter).await.items.len(), 0);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn who_asked_for_it_also_gets_the_notification_by_email(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let mut manager = world.signed_in("manager@acme.test").await;
    let saved = manager
        .call(SaveNotificationPreferences {
            mention: Some("on".into()),
            stage_move: None,
            interview: None,
        })
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(
        inbox(&mut manager).await.by_email,
        vec![app::notifications::Kind::Mention]
    );
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    note(&mut recruiter, &scene, "@manager please look").await;
    world.run_jobs().await;
    let emails = world.emails();
    assert_eq!(emails.len(), 1);
    assert!(emails[0].contains("To: manager@acme.test"));
    assert!(crate::support::unwrapped(&emails[0])
        .contains(&format!("/applications/{}", scene.application)));
    // The email concerns the candidate's application, so their profile lists it.
    let candidate: Uuid = sqlx::query_scalar("SELECT candidate_id FROM applications")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    let profile = recruiter.call(LoadCandidate { id: candidate }).await;
    let profile: app::candidates::CandidateProfile = serde_json::from_str(&profile.body).unwrap();
    assert_eq!(profile.emails.len(), 1);
    assert_eq!(profile.emails[0].to_address, "manager@acme.test");
    assert_eq!(profile.emails[0].status_label(), "Sent");

    // Stage moves reach the requisition's owners in the app only (no email asked for).
    let mut admin = world.signed_in("admin@acme.test").await;
    let screening: Uuid =
        sqlx::query_scalar("SELECT id FROM pipeline_stages WHERE name = 'Screening'")
            .fetch_one(&world.pool)
            .await
            .unwrap();
    let moved = admin
        .call(MoveApplications {
            requisition_id: scene.requisition,
            application_ids: Some(vec![scene.application]),
            to_stage: screening.to_string(),
            reason: Some(String::new()),
        })
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    for email in ["manager@acme.test", "recruiter@acme.test"] {
        let mut owner = world.signed_in(email).await;
        assert!(
            inbox(&mut owner)
                .await
                .items
                .iter()
                .any(|n| n.title.contains("moved 1 candidate to Screening")),
            "{email}"
        );
    }
    world.run_jobs().await;
    assert_eq!(world.emails().len(), 1, "no email for the move");
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn only_the_author_edits_or_deletes_and_only_for_fifteen_minutes(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    note(&mut recruiter, &scene, "First thought").await;
    let id: Uuid = sqlx::query_scalar("SELECT id FROM application_notes")
        .fetch_one(&world.pool)
        .await
        .unwrap();

    assert_eq!(
        recruiter.call(edit(id, "Second thought")).await.status,
        StatusCode::OK
    );
    let mut admin = world.signed_in("admin@acme.test").await;
    let not_author = admin.call(edit(id, "Hijack")).await;
    assert_eq!(not_author.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(not_author.body.contains("Only the author"));
    assert_eq!(
        admin.call(DeleteNote { note_id: id }).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    sqlx::query("UPDATE application_notes SET created_at = now() - interval '16 minutes'")
        .execute(&world.pool)
        .await
        .unwrap();
    assert_eq!(
        recruiter.call(edit(id, "Too late")).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        recruiter.call(DeleteNote { note_id: id }).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let body: String = sqlx::query_scalar("SELECT body_md FROM application_notes")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(body, "Second thought", "kept as written");

    note(&mut recruiter, &scene, "Oops, wrong candidate").await;
    let fresh: Uuid =
        sqlx::query_scalar("SELECT id FROM application_notes WHERE body_md LIKE 'Oops%'")
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!(
        recruiter.call(DeleteNote { note_id: fresh }).await.status,
        StatusCode::OK
    );
    let page = recruiter
        .get(&format!("/applications/{}", scene.application))
        .await
        .body;
    assert!(page.contains("Second thought") && !page.contains("Oops"));
}

/// A server function that holds a transaction asks the pool for no second connection:
/// with a pool of one, editing and deleting a note (whose access check runs inside the
/// transaction) works, where waiting for a second connection would time out.
#[sqlx::test(migrator = "are::MIGRATOR")]
async fn notes_change_with_a_pool_of_one_connection(
    options: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = options
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(2))
        .connect_with(connect)
        .await
        .unwrap();
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let added = note(&mut recruiter, &scene, "First thought").await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let id: Uuid = sqlx::query_scalar("SELECT id FROM application_notes")
        .fetch_one(&world.pool)
        .await
        .unwrap();

    let edited = recruiter.call(edit(id, "Second thought")).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    let deleted = recruiter.call(DeleteNote { note_id: id }).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn notes_are_for_the_requisitions_team_only(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let application = scene.application.to_string();
    let mut interviewer = world.signed_in("interviewer@acme.test").await;
    assert_eq!(
        interviewer
            .get(&format!("/applications/{application}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        note(&mut interviewer, &scene, "hi").await.status,
        StatusCode::FORBIDDEN
    );
    let mut other = world.signed_in("other-manager@acme.test").await;
    assert_eq!(
        other
            .call(LoadApplication {
                id: scene.application,
            })
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        note(&mut other, &scene, "hi").await.status,
        StatusCode::NOT_FOUND
    );
    let globex = world.org("Globex").await;
    world.user(globex, Role::Admin, "admin@globex.test").await;
    let mut outsider = world.signed_in("admin@globex.test").await;
    assert_eq!(
        note(&mut outsider, &scene, "hi").await.status,
        StatusCode::NOT_FOUND
    );
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    note(&mut recruiter, &scene, "mine").await;
    let id: Uuid = sqlx::query_scalar("SELECT id FROM application_notes")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(
        outsider.call(DeleteNote { note_id: id }).await.status,
        StatusCode::NOT_FOUND
    );
    // Someone else's notification cannot be opened.
    let mut manager = world.signed_in("manager@acme.test").await;
    note(&mut recruiter, &scene, "@manager look").await;
    let theirs = inbox(&mut manager).await.items[0].id;
    assert_eq!(
        recruiter.call(OpenNotification { id: theirs }).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        world.client().call(LoadInbox {}).await.status,
        StatusCode::UNAUTHORIZED
    );
}
