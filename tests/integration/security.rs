//! The endpoint rules: organizations cannot see each other, cross-site writes are
//! refused, GET changes nothing, and every admin function checks session and role; and
//! a stored status the app does not know is an error, never a guess.

use crate::support::World;
use app::access::Role;
use app::assessments::AssessmentStatus;
use app::candidates::import::{Duplicates, ImportStatus};
use app::candidates::Source;
use app::email::sender::SendEmail;
use app::email::EmailStatus;
use app::interviews::{InterviewKind, InterviewStatus};
use app::jobs::queue;
use app::jobs::JobStatus;
use app::pipeline::StageKind;
use app::questions::model::QuestionKind;
use app::questions::Difficulty;
use app::requisitions::{EmploymentType, RequisitionStatus};
use app::results::SessionStatus;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::json;
use sqlx::{PgPool, Postgres};

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_user_of_one_organization_gets_not_found_for_anothers_objects(pool: PgPool) {
    // One of the objects the intruder must not reach is a failed job of Acme's.
    let world = World::init(pool).await.expecting_failed_jobs();
    let acme = world.org("Acme").await;
    let globex = world.org("Globex").await;
    world.user(acme, Role::Admin, "admin@acme.test").await;
    let acme_recruiter = world
        .user(acme, Role::Recruiter, "recruiter@acme.test")
        .await;
    world.user(globex, Role::Admin, "admin@globex.test").await;

    let mut acme_admin = world.signed_in("admin@acme.test").await;
    acme_admin
        .call(
            "users/invite",
            &[
                ("email", "pending@acme.test"),
                ("full_name", "Pending"),
                ("role", "recruiter"),
            ],
        )
        .await;
    let invite: uuid::Uuid = sqlx::query_scalar("SELECT id FROM user_invites")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    let email = SendEmail {
        email_id: uuid::Uuid::new_v4(),
    };
    let job = queue::enqueue(&world.pool, Some(acme), &email)
        .await
        .unwrap();
    sqlx::query("UPDATE jobs SET status = 'failed' WHERE id = $1")
        .bind(job)
        .execute(&world.pool)
        .await
        .unwrap();

    let mut intruder = world.signed_in("admin@globex.test").await;
    let (user_id, invite_id, job_id) = (
        acme_recruiter.to_string(),
        invite.to_string(),
        job.to_string(),
    );
    let attempts = [
        (
            "users/change_role",
            vec![("user_id", user_id.as_str()), ("role", "admin")],
        ),
        (
            "users/set_active",
            vec![("user_id", user_id.as_str()), ("active", "false")],
        ),
        (
            "users/revoke_invite",
            vec![("invite_id", invite_id.as_str())],
        ),
        ("jobs/retry", vec![("job_id", job_id.as_str())]),
    ];
    for (endpoint, form) in attempts {
        let response = intruder.call(endpoint, &form).await;
        assert_eq!(
            response.status,
            StatusCode::NOT_FOUND,
            "{endpoint}: {}",
            response.body
        );
    }
    let role: String = sqlx::query_scalar("SELECT role FROM users WHERE id = $1")
        .bind(acme_recruiter)
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(role, "recruiter", "nothing changed");

    let team = intruder.call("users/team", &[]).await.body;
    assert!(!team.contains("acme.test"), "{team}");
    let jobs = intruder.get("/admin/jobs").await.body;
    assert!(!jobs.contains(&format!("#{job}")));
    let audit = intruder.get("/admin/audit").await.body;
    assert!(!audit.contains("admin@acme.test"));
    assert!(
        !intruder.get("/").await.body.contains("Recruiter Person"),
        "no colleagues from another organization"
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_cross_site_post_to_a_server_function_is_refused(pool: PgPool) {
    let world = World::init(pool).await;
    let org = world.org("Acme").await;
    world.user(org, Role::Admin, "admin@acme.test").await;
    let mut admin = world.signed_in("admin@acme.test").await;
    let forged = |headers: &[(&str, &str)]| {
        let mut request = Request::post("/api/users/invite")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "localhost:3000");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request
            .body(Body::from(
                "email=evil%40evil.example&full_name=Evil&role=admin",
            ))
            .unwrap()
    };
    let cross_site = admin
        .send(forged(&[("sec-fetch-site", "cross-site")]))
        .await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
    let same_site_other_origin = admin.send(forged(&[("sec-fetch-site", "same-site")])).await;
    assert_eq!(same_site_other_origin.status, StatusCode::FORBIDDEN);
    let old_browser = admin
        .send(forged(&[("origin", "https://evil.example")]))
        .await;
    assert_eq!(old_browser.status, StatusCode::FORBIDDEN);
    let invites: i64 = sqlx::query_scalar("SELECT count(*) FROM user_invites")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(invites, 0);

    let own_page = admin
        .send(forged(&[
            ("sec-fetch-site", "same-origin"),
            ("origin", "http://localhost:3000"),
        ]))
        .await;
    assert_ne!(own_page.status, StatusCode::FORBIDDEN);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn get_changes_nothing(pool: PgPool) {
    let world = World::init(pool).await;
    let org = world.org("Acme").await;
    world.user(org, Role::Admin, "admin@acme.test").await;
    let mut admin = world.signed_in("admin@acme.test").await;
    let response = admin.get("/api/auth/sign_out").await;
    assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        admin.get("/").await.status,
        StatusCode::OK,
        "still signed in"
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn every_admin_function_checks_the_session_and_the_role(pool: PgPool) {
    let world = World::init(pool).await;
    let org = world.org("Acme").await;
    world.user(org, Role::Admin, "admin@acme.test").await;
    let target = world
        .user(org, Role::Interviewer, "target@acme.test")
        .await
        .to_string();
    let calls: [(&str, Vec<(&str, &str)>); 7] = [
        ("users/team", vec![]),
        (
            "users/invite",
            vec![
                ("email", "x@acme.test"),
                ("full_name", "X"),
                ("role", "admin"),
            ],
        ),
        (
            "users/revoke_invite",
            vec![("invite_id", "00000000-0000-0000-0000-000000000000")],
        ),
        (
            "users/change_role",
            vec![("user_id", &target), ("role", "admin")],
        ),
        (
            "users/set_active",
            vec![("user_id", &target), ("active", "false")],
        ),
        ("jobs/retry", vec![("job_id", "1")]),
        ("audit/list", vec![]),
    ];
    for role in [Role::Recruiter, Role::HiringManager, Role::Interviewer] {
        let email = format!("{}@acme.test", role.as_str());
        world.user(org, role, &email).await;
        let mut client = world.signed_in(&email).await;
        for (endpoint, form) in &calls {
            let response = client.call(endpoint, form).await;
            assert_eq!(
                response.status,
                StatusCode::FORBIDDEN,
                "{role:?} {endpoint}: {}",
                response.body
            );
        }
    }
    let mut anonymous = world.client();
    for (endpoint, form) in &calls {
        assert_eq!(
            anonymous.call(endpoint, form).await.status,
            StatusCode::UNAUTHORIZED,
            "{endpoint}"
        );
    }
    assert_eq!(
        anonymous.call("dashboard", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    let password_change = [
        ("current_password", "x"),
        ("new_password", "a long new password"),
        ("confirm_password", "a long new password"),
    ];
    assert_eq!(
        anonymous
            .call("auth/change_password", &password_change)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let role: String =
        sqlx::query_scalar("SELECT role FROM users WHERE email = 'target@acme.test'")
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!(role, "interviewer");
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_signed_out_caller_is_told_to_sign_in_before_the_input_is_checked(pool: PgPool) {
    let world = World::init(pool).await;
    let org = world.org("Acme").await;
    world
        .user(org, Role::Recruiter, "recruiter@acme.test")
        .await;
    let nil = "00000000-0000-0000-0000-000000000000";
    let long_comment = "x".repeat(5001);
    // Each call's input is wrong in a way these functions check before looking anything
    // up: signed in, it is refused as invalid; signed out, the session is what is missing.
    let calls: [(&str, Vec<(&str, &str)>); 6] = [
        (
            "assessments/add_question",
            vec![("assessment_id", nil), ("question_id", "not a question")],
        ),
        (
            "assessments/add_draw",
            vec![("assessment_id", nil), ("from", "set:x"), ("count", "many")],
        ),
        (
            "assessments/invite",
            vec![
                ("form[assessment_id]", nil),
                ("form[candidate_id]", "nobody"),
            ],
        ),
        (
            "assessments/grade",
            vec![
                ("form[session_id]", nil),
                ("form[question_id]", nil),
                ("form[score]", "1"),
                ("form[comment]", &long_comment),
            ],
        ),
        ("notes/edit", vec![("note_id", nil), ("body", "  ")]),
        (
            "interviews/mark",
            vec![("interview_id", nil), ("status", "postponed")],
        ),
    ];
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let mut anonymous = world.client();
    for (endpoint, form) in &calls {
        let signed_in = recruiter.call(endpoint, form).await;
        assert_eq!(
            signed_in.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{endpoint}: {}",
            signed_in.body
        );
        let signed_out = anonymous.call(endpoint, form).await;
        assert_eq!(
            signed_out.status,
            StatusCode::UNAUTHORIZED,
            "{endpoint}: {}",
            signed_out.body
        );
    }
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_admin_cannot_lock_themselves_out(pool: PgPool) {
    let world = World::init(pool).await;
    let org = world.org("Acme").await;
    let admin_id = world
        .user(org, Role::Admin, "admin@acme.test")
        .await
        .to_string();
    let mut admin = world.signed_in("admin@acme.test").await;
    let demote = admin
        .call(
            "users/change_role",
            &[("user_id", &admin_id), ("role", "recruiter")],
        )
        .await;
    assert_eq!(demote.status, StatusCode::UNPROCESSABLE_ENTITY);
    let deactivate = admin
        .call(
            "users/set_active",
            &[("user_id", &admin_id), ("active", "false")],
        )
        .await;
    assert_eq!(deactivate.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn unknown_pages_are_404_and_probes_answer(pool: PgPool) {
    let world = World::init(pool).await;
    let mut client = world.client();
    let missing = client.get("/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Page not found"));
    assert_eq!(client.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(client.get("/readyz").await.body, "ready");
}

/// Each value is stored under `name`, which is also its JSON name (what forms and the
/// browser send), and reads back as itself; a stored name the type does not know is a
/// decode error.
async fn stores_by_name<T>(pool: &PgPool, values: impl IntoIterator<Item = (T, &'static str)>)
where
    T: Copy
        + PartialEq
        + std::fmt::Debug
        + serde::Serialize
        + Send
        + Unpin
        + sqlx::Type<Postgres>
        + for<'q> sqlx::Encode<'q, Postgres>
        + for<'r> sqlx::Decode<'r, Postgres>
        + 'static,
{
    for (value, name) in values {
        let stored: String = sqlx::query_scalar("SELECT $1::text")
            .bind(value)
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(stored, name, "{value:?}");
        assert_eq!(serde_json::to_value(value).unwrap(), json!(name));
        let read: T = sqlx::query_scalar("SELECT $1::text")
            .bind(name)
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(read, value);
    }
    let unknown = sqlx::query_scalar::<_, T>("SELECT 'no such value'::text")
        .fetch_one(pool)
        .await;
    assert!(
        matches!(unknown, Err(sqlx::Error::ColumnDecode { .. })),
        "{}: {unknown:?}",
        std::any::type_name::<T>()
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn every_stored_status_has_one_name_and_an_unknown_one_is_an_error(pool: PgPool) {
    stores_by_name(&pool, Role::ALL.map(|r| (r, r.as_str()))).await;
    stores_by_name(&pool, RequisitionStatus::ALL.map(|s| (s, s.as_str()))).await;
    stores_by_name(&pool, EmploymentType::ALL.map(|e| (e, e.as_str()))).await;
    stores_by_name(&pool, AssessmentStatus::ALL.map(|s| (s, s.as_str()))).await;
    stores_by_name(&pool, InterviewKind::ALL.map(|k| (k, k.as_str()))).await;
    stores_by_name(&pool, InterviewStatus::ALL.map(|s| (s, s.as_str()))).await;
    stores_by_name(
        &pool,
        [
            (SessionStatus::InProgress, "in_progress"),
            (SessionStatus::Submitted, "submitted"),
            (SessionStatus::TimedOut, "timed_out"),
        ],
    )
    .await;
    stores_by_name(
        &pool,
        [
            (StageKind::Active, "active"),
            (StageKind::Hired, "hired"),
            (StageKind::Rejected, "rejected"),
            (StageKind::Withdrawn, "withdrawn"),
        ],
    )
    .await;
    stores_by_name(&pool, Source::ALL.map(|s| (s, s.as_str()))).await;
    stores_by_name(&pool, Difficulty::ALL.map(|d| (d, d.as_str()))).await;
    stores_by_name(&pool, QuestionKind::ALL.map(|k| (k, k.as_str()))).await;
    stores_by_name(
        &pool,
        app::notifications::Kind::ALL.map(|k| (k, k.as_str())),
    )
    .await;
    stores_by_name(&pool, JobStatus::ALL.map(|s| (s, s.as_str()))).await;
    stores_by_name(
        &pool,
        [(Duplicates::Skip, "skip"), (Duplicates::Merge, "merge")],
    )
    .await;
    stores_by_name(
        &pool,
        [
            (ImportStatus::Uploaded, "uploaded"),
            (ImportStatus::Queued, "queued"),
            (ImportStatus::Running, "running"),
            (ImportStatus::Done, "done"),
            (ImportStatus::Failed, "failed"),
        ],
    )
    .await;
    stores_by_name(
        &pool,
        [
            (EmailStatus::Queued, "queued"),
            (EmailStatus::Sent, "sent"),
            (EmailStatus::Failed, "failed"),
        ],
    )
    .await;
}
