//! The endpoint rules: organizations cannot see each other, cross-site writes are
//! refused, GET changes nothing, every admin function checks session and role, a
//! signed-out caller is told to sign in before any input is checked; and a stored status
//! the app does not know is an error, never a guess.

use crate::support::{Call, World};
use app::access::Role;
use app::assessments::{
    AddDrawItem, AddQuestionItem, AssessmentStatus, GradeAnswer, GradeForm, InviteCandidate,
    InviteForm,
};
use app::audit::ListAudit;
use app::auth::{ChangePassword, SignOut};
use app::candidates::import::{Duplicates, ImportStatus};
use app::candidates::Source;
use app::dashboard::LoadDashboard;
use app::email::sender::SendEmail;
use app::email::EmailStatus;
use app::interviews::{InterviewKind, InterviewStatus, MarkInterview};
use app::jobs::{queue, JobStatus, RetryJob};
use app::notes::EditNote;
use app::pipeline::StageKind;
use app::questions::model::QuestionKind;
use app::questions::Difficulty;
use app::requisitions::{EmploymentType, RequisitionStatus};
use app::results::SessionStatus;
use app::users::{ChangeRole, InviteUser, LoadTeam, RevokeInvite, SetUserActive};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::json;
use server_fn::ServerFn;
use sqlx::{PgPool, Postgres};
use uuid::Uuid;

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
        .call(InviteUser {
            email: "pending@acme.test".into(),
            full_name: "Pending".into(),
            role: "recruiter".into(),
        })
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
    let attempts = [
        Call::new(ChangeRole {
            user_id: acme_recruiter,
            role: "admin".into(),
        }),
        Call::new(SetUserActive {
            user_id: acme_recruiter,
            active: false,
        }),
        Call::new(RevokeInvite { invite_id: invite }),
        Call::new(RetryJob { job_id: job }),
    ];
    for call in &attempts {
        let response = intruder.send_call(call).await;
        assert_eq!(
            response.status,
            StatusCode::NOT_FOUND,
            "{}: {}",
            call.path,
            response.body
        );
    }
    let role: String = sqlx::query_scalar("SELECT role FROM users WHERE id = $1")
        .bind(acme_recruiter)
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(role, "recruiter", "nothing changed");

    let team = intruder.call(LoadTeam {}).await.body;
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
        let mut request = Request::post(InviteUser::PATH)
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
    let response = admin.get(SignOut::PATH).await;
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
    let target = world.user(org, Role::Interviewer, "target@acme.test").await;
    let calls = [
        Call::new(LoadTeam {}),
        Call::new(InviteUser {
            email: "x@acme.test".into(),
            full_name: "X".into(),
            role: "admin".into(),
        }),
        Call::new(RevokeInvite {
            invite_id: Uuid::nil(),
        }),
        Call::new(ChangeRole {
            user_id: target,
            role: "admin".into(),
        }),
        Call::new(SetUserActive {
            user_id: target,
            active: false,
        }),
        Call::new(RetryJob { job_id: 1 }),
        Call::new(ListAudit {
            action: None,
            actor: None,
            since: None,
            until: None,
            before: None,
        }),
        Call::new(app::proctoring::LoadSettings {}),
        Call::new(app::proctoring::SaveSettings {
            form: Default::default(),
        }),
        Call::new(app::feedback::LoadFeedbackSettings {}),
        Call::new(app::feedback::SaveFeedbackSettings {
            due_hours: "1".into(),
        }),
        Call::new(app::auth::RequireTwoStepForAdmins { required: false }),
    ];
    for role in [Role::Recruiter, Role::HiringManager, Role::Interviewer] {
        let email = format!("{}@acme.test", role.as_str());
        world.user(org, role, &email).await;
        let mut client = world.signed_in(&email).await;
        for call in &calls {
            let response = client.send_call(call).await;
            assert_eq!(
                response.status,
                StatusCode::FORBIDDEN,
                "{role:?} {}: {}",
                call.path,
                response.body
            );
        }
    }
    let mut anonymous = world.client();
    for call in &calls {
        assert_eq!(
            anonymous.send_call(call).await.status,
            StatusCode::UNAUTHORIZED,
            "{}",
            call.path
        );
    }
    assert_eq!(
        anonymous.call(LoadDashboard {}).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        anonymous
            .call(ChangePassword {
                current_password: "x".into(),
                new_password: "a long new password".into(),
                confirm_password: "a long new password".into(),
            })
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
    let nil = Uuid::nil();
    // Each call's input is wrong in a way these functions check before looking anything
    // up: signed in, it is refused as invalid; signed out, the session is what is missing.
    let calls = [
        Call::new(AddQuestionItem {
            assessment_id: nil,
            question_id: "not a question".into(),
        }),
        Call::new(AddDrawItem {
            assessment_id: nil,
            from: "set:x".into(),
            count: "many".into(),
        }),
        Call::new(InviteCandidate {
            form: InviteForm {
                assessment_id: nil,
                candidate_id: "nobody".into(),
                ..InviteForm::default()
            },
        }),
        Call::new(GradeAnswer {
            form: GradeForm {
                session_id: nil,
                question_id: nil,
                score: "1".into(),
                comment: "x".repeat(5001),
            },
        }),
        Call::new(EditNote {
            note_id: nil,
            body: "  ".into(),
        }),
        Call::new(MarkInterview {
            interview_id: nil,
            status: "postponed".into(),
        }),
    ];
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let mut anonymous = world.client();
    for call in &calls {
        let endpoint = call.path;
        let signed_in = recruiter.send_call(call).await;
        assert_eq!(
            signed_in.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{endpoint}: {}",
            signed_in.body
        );
        let signed_out = anonymous.send_call(call).await;
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
    let admin_id = world.user(org, Role::Admin, "admin@acme.test").await;
    let mut admin = world.signed_in("admin@acme.test").await;
    let demote = admin
        .call(ChangeRole {
            user_id: admin_id,
            role: "recruiter".into(),
        })
        .await;
    assert_eq!(demote.status, StatusCode::UNPROCESSABLE_ENTITY);
    let deactivate = admin
        .call(SetUserActive {
            user_id: admin_id,
            active: false,
        })
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
        app::feedback::Recommendation::ALL.map(|r| (r, r.as_str())),
    )
    .await;
    stores_by_name(
        &pool,
        [
            (app::feedback::FeedbackStatus::Draft, "draft"),
            (app::feedback::FeedbackStatus::Submitted, "submitted"),
        ],
    )
    .await;
    stores_by_name(
        &pool,
        app::scorecards::Category::ALL.map(|c| (c, c.as_str())),
    )
    .await;
    stores_by_name(
        &pool,
        app::results::Disposition::ALL.map(|d| (d, d.as_str())),
    )
    .await;
    stores_by_name(
        &pool,
        [
            app::results::Band::NoConcerns,
            app::results::Band::SomeConcerns,
            app::results::Band::MajorConcerns,
        ]
        .map(|b| (b, b.as_str())),
    )
    .await;
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
    stores_by_name(&pool, app::users::plan::Plan::ALL.map(|p| (p, p.as_str()))).await;
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

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn pages_show_only_the_form_errors_the_server_signed(pool: PgPool) {
    use app::auth::SignIn;
    use app::error::AppError;
    use server_fn::error::ServerFnUrlError;

    let world = World::init(pool).await;
    let org = world.org("Acme").await;
    world.user(org, Role::Admin, "admin@acme.test").await;
    const LURE: &str = "Your account is locked. Call +1 555 0100 to unlock it.";
    // A link carrying its own text, encoded exactly as leptos encodes a failure.
    let crafted = |page: &str, path: &str| {
        let url = ServerFnUrlError::new(path, AppError::invalid(LURE))
            .to_url(&format!("http://localhost:3000{page}"))
            .unwrap();
        format!("{}?{}", url.path(), url.query().unwrap())
    };

    let mut visitor = world.client();
    let login = crafted("/login", SignIn::PATH);
    let page = visitor.get(&login).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Sign in to ARE"));
    assert!(!page.body.contains("+1 555 0100"), "{}", page.body);
    let page = visitor.get(&format!("{login}&__sig=1.AAAA")).await;
    assert!(!page.body.contains("+1 555 0100"), "a made-up signature");

    let mut admin = world.signed_in("admin@acme.test").await;
    let page = admin.get(&crafted("/account", ChangePassword::PATH)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("+1 555 0100"), "{}", page.body);

    // A real failed sign-in without JavaScript comes back with the server's message,
    // signed, and the page shows it; the lure carried along in the page's URL is dropped.
    let failed = visitor
        .post_page_form(
            SignIn::PATH,
            &format!("http://localhost:3000{login}&next=%2Fcandidates"),
            &[
                ("email", "admin@acme.test"),
                ("password", "not the password"),
                ("next", "/candidates"),
            ],
        )
        .await;
    assert_eq!(failed.status, StatusCode::FOUND, "{}", failed.body);
    let back = failed.location.expect("back to the sign-in page");
    let back = back.strip_prefix("http://localhost:3000").unwrap();
    assert!(
        back.starts_with("/login?") && back.contains("__sig="),
        "{back}"
    );
    assert!(back.contains("next=%2Fcandidates"), "{back}");
    let page = visitor.get(back).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("That email and password do not match an active account."),
        "{}",
        page.body
    );
    assert!(!page.body.contains("+1 555 0100"));

    // Its signature holds for its own message only.
    let (_, signature) = back.split_once("__sig=").unwrap();
    let swapped = format!("{login}&__sig={signature}");
    let page = visitor.get(&swapped).await;
    assert!(!page.body.contains("+1 555 0100"));
    assert!(!page.body.contains("do not match an active account"));

    // A successful call signs nothing: a crafted next path with a message in it stays
    // unsigned after sign-in.
    let lured_next = crafted("/login", SignIn::PATH);
    let signed_in = visitor
        .post_page_form(
            SignIn::PATH,
            "http://localhost:3000/login",
            &[
                ("email", "admin@acme.test"),
                ("password", crate::support::PASSWORD),
                ("next", &lured_next),
            ],
        )
        .await;
    let location = signed_in.location.unwrap_or_default();
    assert!(!location.contains("__sig="), "{location}");
}
