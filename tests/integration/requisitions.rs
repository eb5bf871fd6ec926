//! Requisitions and the skill list: forms, status rules, filters, pagination, and who may
//! do what.

use crate::support::{self, Client, TestResponse, World};
use app::access::Role;
use app::requisitions::{
    ChangeRequisitionStatus, CreateRequisition, ListRequisitions, LoadRequisition, RequisitionForm,
    RequisitionFormChoices, UpdateRequisition,
};
use app::skills::{AddSkill, UpdateSkill};
use axum::http::StatusCode;
use server_fn::ServerFn;
use sqlx::PgPool;
use uuid::Uuid;

struct Acme {
    org: Uuid,
    manager: Uuid,
    interviewer: Uuid,
    rust: Uuid,
    sql: Uuid,
}

async fn acme(world: &World) -> Acme {
    let support::Acme {
        org,
        manager,
        interviewer,
        ..
    } = world.acme().await;
    let mut admin = world.signed_in("admin@acme.test").await;
    for (name, aliases) in [("Rust", "rustlang"), ("SQL", "PostgreSQL, Postgres")] {
        let added = admin
            .call(AddSkill {
                name: name.into(),
                aliases: aliases.into(),
            })
            .await;
        assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    }
    let skill = |name: &'static str| {
        let pool = world.pool.clone();
        async move {
            sqlx::query_scalar::<_, Uuid>("SELECT id FROM skills WHERE name = $1")
                .bind(name)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    Acme {
        org,
        manager,
        interviewer,
        rust: skill("Rust").await,
        sql: skill("SQL").await,
    }
}

/// A full-time requisition in Engineering, Berlin, with two openings; the rest empty.
fn form(title: &str) -> RequisitionForm {
    RequisitionForm {
        title: title.into(),
        department: "Engineering".into(),
        location: "Berlin".into(),
        employment_type: "full_time".into(),
        openings: "2".into(),
        ..RequisitionForm::default()
    }
}

async fn create(client: &mut Client, form: RequisitionForm) -> Uuid {
    created(
        client
            .call(CreateRequisition {
                form,
                open_now: String::new(),
            })
            .await,
    )
}

/// The id of the requisition a successful create redirects to.
fn created(response: TestResponse) -> Uuid {
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response
        .location
        .unwrap()
        .trim_start_matches("/requisitions/")
        .parse()
        .unwrap()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_recruiter_creates_a_requisition_with_skills_team_and_a_safe_description(pool: PgPool) {
    let world = World::init(pool).await;
    let acme = acme(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    // Posted as the page's form posts it: a checkbox list sends each ticked option under
    // the option's own index, so a list can have gaps (`team[1]` alone).
    let (manager, interviewer, rust, sql) = (
        acme.manager.to_string(),
        acme.interviewer.to_string(),
        acme.rust.to_string(),
        acme.sql.to_string(),
    );
    let id = created(
        recruiter
            .post_form(
                CreateRequisition::PATH,
                &[
                    ("form[title]", "Backend engineer"),
                    ("form[department]", "Engineering"),
                    ("form[location]", "Berlin"),
                    ("form[employment_type]", "full_time"),
                    ("form[openings]", "2"),
                    ("form[salary_min]", "65,000"),
                    ("form[salary_max]", "80000"),
                    ("form[salary_currency]", "eur"),
                    ("form[hiring_manager_id]", &manager),
                    (
                        "form[description_md]",
                        "## The role\n\n- **Rust** services\n\n<script>alert(1)</script>",
                    ),
                    ("form[team][1]", &interviewer),
                    ("form[required_skills][0]", &rust),
                    ("form[nice_skills][3]", &sql),
                ],
            )
            .await,
    );
    let page = recruiter.get(&format!("/requisitions/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "<h1>Backend engineer</h1>",
        "Draft",
        "65000–80000 EUR",
        "Hiring manager Person",
        "Interviewer Person (interviewer)",
        "<h2>The role</h2>",
        "<strong>Rust</strong>",
        "&lt;script&gt;",
    ] {
        assert!(page.body.contains(expected), "{expected} missing");
    }
    assert!(
        !page.body.contains("<script>alert"),
        "raw HTML is not rendered"
    );
    let (required, nice): (Vec<Uuid>, Vec<Uuid>) = (
        sqlx::query_scalar("SELECT skill_id FROM requisition_skills WHERE required")
            .fetch_all(&world.pool)
            .await
            .unwrap(),
        sqlx::query_scalar("SELECT skill_id FROM requisition_skills WHERE NOT required")
            .fetch_all(&world.pool)
            .await
            .unwrap(),
    );
    assert_eq!((required, nice), (vec![acme.rust], vec![acme.sql]));
    assert!(world
        .audit_actions(acme.org)
        .await
        .contains(&"requisition.created".to_string()));

    // Editing replaces the links.
    let updated = recruiter
        .call(UpdateRequisition {
            id,
            form: RequisitionForm {
                required_skills: vec![acme.sql],
                ..form("Senior backend engineer")
            },
        })
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    let team: i64 = sqlx::query_scalar("SELECT count(*) FROM requisition_team")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(team, 0);
    assert!(recruiter
        .get(&format!("/requisitions/{id}"))
        .await
        .body
        .contains("Senior backend engineer"));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn bad_input_is_refused_and_saves_nothing(pool: PgPool) {
    let world = World::init(pool).await;
    let acme = acme(&world).await;
    let globex = world.org("Globex").await;
    let outsider = world
        .user(globex, Role::Interviewer, "outsider@globex.test")
        .await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let analyst = || form("Analyst");
    let cases = [
        (
            RequisitionForm {
                title: " ".into(),
                ..analyst()
            },
            "title",
        ),
        (
            RequisitionForm {
                openings: "0".into(),
                ..analyst()
            },
            "Openings",
        ),
        (
            RequisitionForm {
                salary_min: "9".into(),
                salary_max: "5".into(),
                salary_currency: "EUR".into(),
                ..analyst()
            },
            "above the maximum",
        ),
        (
            RequisitionForm {
                team: vec![outsider],
                ..analyst()
            },
            "team",
        ),
        (
            RequisitionForm {
                hiring_manager_id: acme.interviewer.to_string(),
                ..analyst()
            },
            "hiring manager",
        ),
        (
            RequisitionForm {
                required_skills: vec![Uuid::new_v4()],
                ..analyst()
            },
            "skill list",
        ),
    ];
    for (form, needle) in cases {
        let response = recruiter
            .call(CreateRequisition {
                form: form.clone(),
                open_now: String::new(),
            })
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{form:?}"
        );
        assert!(
            response.body.contains(needle),
            "{form:?}: {}",
            response.body
        );
    }
    let saved: i64 = sqlx::query_scalar("SELECT count(*) FROM job_requisitions")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(saved, 0);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_new_requisition_is_saved_as_a_draft_or_opened_in_one_step(pool: PgPool) {
    let world = World::init(pool).await;
    acme(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let fields = |title: &'static str, open_now: &'static str| {
        vec![
            ("form[title]", title),
            ("form[department]", ""),
            ("form[location]", ""),
            ("form[employment_type]", "full_time"),
            ("form[openings]", "1"),
            ("form[salary_min]", ""),
            ("form[salary_max]", ""),
            ("form[salary_currency]", ""),
            ("form[hiring_manager_id]", ""),
            ("form[description_md]", ""),
            ("open_now", open_now),
        ]
    };
    let status = |id: Uuid| {
        let pool = world.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT status FROM job_requisitions WHERE id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let draft = created(
        recruiter
            .post_form(CreateRequisition::PATH, &fields("Drafted", "false"))
            .await,
    );
    assert_eq!(status(draft).await, "draft");
    let opened = created(
        recruiter
            .post_form(CreateRequisition::PATH, &fields("Opened", "true"))
            .await,
    );
    assert_eq!(status(opened).await, "open");
    let audited: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE target_id = $1::text ORDER BY id")
            .bind(opened)
            .fetch_all(&world.pool)
            .await
            .unwrap();
    assert_eq!(
        audited,
        ["requisition.created", "requisition.status_changed"]
    );

    // Anything else is refused, and nothing is created.
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM job_requisitions")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    let refused = recruiter
        .post_form(CreateRequisition::PATH, &fields("Odd", "maybe"))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("save a draft or to open it now"),
        "{}",
        refused.body
    );
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM job_requisitions")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(before, after);
}

/// A status the app does not know (its CHECK constraint dropped, as a careless migration
/// might) is an error wherever it is read; it used to show as a draft.
#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_unknown_status_in_the_database_is_an_error_not_a_draft(pool: PgPool) {
    let world = World::init(pool).await;
    let org = world.org("Acme").await;
    world
        .user(org, Role::Recruiter, "recruiter@acme.test")
        .await;
    let id = world.requisition(org, "Designer", None).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let page = format!("/requisitions/{id}");
    assert_eq!(recruiter.get(&page).await.status, StatusCode::OK);
    sqlx::query("ALTER TABLE job_requisitions DROP CONSTRAINT job_requisitions_status_check")
        .execute(&world.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE job_requisitions SET status = 'paused' WHERE id = $1")
        .bind(id)
        .execute(&world.pool)
        .await
        .unwrap();
    for path in ["/requisitions", page.as_str()] {
        let response = recruiter.get(path).await;
        assert_eq!(response.status, StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        assert!(
            response.body.contains("Something went wrong"),
            "{path}: {}",
            response.body
        );
    }
}

async fn change(client: &mut Client, id: Uuid, from: &str, to: &str) -> TestResponse {
    client
        .call(ChangeRequisitionStatus {
            id,
            from: from.into(),
            to: to.into(),
        })
        .await
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn only_the_allowed_status_moves_happen(pool: PgPool) {
    let world = World::init(pool).await;
    acme(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let id = create(&mut recruiter, form("Designer")).await;
    let refused = change(&mut recruiter, id, "draft", "filled").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("cannot become filled"),
        "{}",
        refused.body
    );
    assert_eq!(
        change(&mut recruiter, id, "draft", "open").await.status,
        StatusCode::OK
    );
    let stale = change(&mut recruiter, id, "draft", "cancelled").await;
    assert!(
        stale.body.contains("changed this requisition meanwhile"),
        "{}",
        stale.body
    );
    assert_eq!(
        change(&mut recruiter, id, "open", "draft").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        change(&mut recruiter, id, "open", "on_hold").await.status,
        StatusCode::OK
    );
    assert_eq!(
        change(&mut recruiter, id, "on_hold", "filled").await.status,
        StatusCode::OK
    );
    assert_eq!(
        change(&mut recruiter, id, "filled", "open").await.status,
        StatusCode::OK
    );
    assert_eq!(
        change(&mut recruiter, id, "open", "cancelled").await.status,
        StatusCode::OK
    );
    assert_eq!(
        change(&mut recruiter, id, "cancelled", "open").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let status: String = sqlx::query_scalar("SELECT status FROM job_requisitions")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(status, "cancelled");
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_permission_matrix_of_requisitions(pool: PgPool) {
    let world = World::init(pool).await;
    let acme = acme(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let managed = create(
        &mut recruiter,
        RequisitionForm {
            hiring_manager_id: acme.manager.to_string(),
            ..form("Managed by Manager")
        },
    )
    .await;
    let other = create(&mut recruiter, form("Someone else's")).await;

    // Admins and recruiters: everything.
    let mut admin = world.signed_in("admin@acme.test").await;
    for client in [&mut admin, &mut recruiter] {
        let list = client.get("/requisitions").await.body;
        assert!(
            list.contains("Managed by Manager") && list.contains("Someone else&#x27;s")
                || list.contains("Someone else's")
        );
        assert_eq!(
            client.call(LoadRequisition { id: other }).await.status,
            StatusCode::OK
        );
    }

    // The hiring manager: only what they manage; creating is for recruiters.
    let mut manager = world.signed_in("manager@acme.test").await;
    let list = manager.get("/requisitions").await.body;
    assert!(list.contains("Managed by Manager"));
    assert!(!list.contains("Someone else"));
    assert_eq!(
        manager.call(LoadRequisition { id: managed }).await.status,
        StatusCode::OK
    );
    assert_eq!(
        manager.call(LoadRequisition { id: other }).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        manager.get(&format!("/requisitions/{other}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        change(&mut manager, other, "draft", "open").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        manager
            .call(CreateRequisition {
                form: form("Mine"),
                open_now: String::new(),
            })
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        manager.get("/requisitions/new").await.status,
        StatusCode::FORBIDDEN
    );
    let edit = manager
        .call(UpdateRequisition {
            id: managed,
            form: RequisitionForm {
                hiring_manager_id: acme.manager.to_string(),
                ..form("Renamed")
            },
        })
        .await;
    assert_eq!(edit.status, StatusCode::OK, "{}", edit.body);

    // Interviewers: no requisition pages at all.
    let mut interviewer = world.signed_in("interviewer@acme.test").await;
    assert_eq!(
        interviewer.get("/requisitions").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        interviewer
            .call(LoadRequisition { id: managed })
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        interviewer.call(RequisitionFormChoices {}).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        interviewer
            .call(CreateRequisition {
                form: form("X"),
                open_now: String::new(),
            })
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // Another organization: nothing.
    let globex = world.org("Globex").await;
    world.user(globex, Role::Admin, "admin@globex.test").await;
    let mut outsider = world.signed_in("admin@globex.test").await;
    assert_eq!(
        outsider.call(LoadRequisition { id: managed }).await.status,
        StatusCode::NOT_FOUND
    );
    let edit = outsider
        .call(UpdateRequisition {
            id: managed,
            form: form("Hijacked"),
        })
        .await;
    assert_eq!(edit.status, StatusCode::NOT_FOUND);
    assert!(!outsider.get("/requisitions").await.body.contains("Renamed"));
    let mut anonymous = world.client();
    assert_eq!(
        anonymous.call(LoadRequisition { id: managed }).await.status,
        StatusCode::UNAUTHORIZED
    );
}

fn no_filters() -> ListRequisitions {
    ListRequisitions {
        status: None,
        department: None,
        hiring_manager: None,
        text: None,
        after: None,
    }
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_list_filters_and_pages_by_keyset(pool: PgPool) {
    let world = World::init(pool).await;
    let acme = acme(&world).await;
    sqlx::query(
        "INSERT INTO job_requisitions (org_id, title, department, employment_type, openings, status, created_at)
         SELECT $1, 'Role ' || n, CASE WHEN n % 2 = 0 THEN 'Sales' ELSE 'Engineering' END, 'full_time', 1,
                CASE WHEN n % 5 = 0 THEN 'open' ELSE 'draft' END, now() - make_interval(mins => n)
         FROM generate_series(1, 55) n",
    )
    .bind(acme.org)
    .execute(&world.pool)
    .await
    .unwrap();
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let first: app::requisitions::RequisitionList =
        serde_json::from_str(&recruiter.call(no_filters()).await.body).unwrap();
    assert_eq!(first.items.len(), 50);
    assert_eq!(first.items[0].title, "Role 1", "newest first");
    let after = first.next.unwrap().encode();
    let second: app::requisitions::RequisitionList = serde_json::from_str(
        &recruiter
            .call(ListRequisitions {
                after: Some(after),
                ..no_filters()
            })
            .await
            .body,
    )
    .unwrap();
    let titles: Vec<String> = second.items.iter().map(|r| r.title.clone()).collect();
    assert_eq!(
        titles,
        ["Role 51", "Role 52", "Role 53", "Role 54", "Role 55"]
    );
    assert!(second.next.is_none());

    let open_sales: app::requisitions::RequisitionList = serde_json::from_str(
        &recruiter
            .call(ListRequisitions {
                status: Some("open".into()),
                department: Some("Sales".into()),
                ..no_filters()
            })
            .await
            .body,
    )
    .unwrap();
    assert_eq!(open_sales.items.len(), 5, "n = 10, 20, 30, 40, 50");
    let found: app::requisitions::RequisitionList = serde_json::from_str(
        &recruiter
            .call(ListRequisitions {
                text: Some("role 3".into()),
                ..no_filters()
            })
            .await
            .body,
    )
    .unwrap();
    assert_eq!(found.items.len(), 1 + 10, "Role 3 and Role 30–39");
    assert_eq!(open_sales.departments, ["Engineering", "Sales"]);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn admins_keep_the_skill_list(pool: PgPool) {
    let world = World::init(pool).await;
    let acme = acme(&world).await;
    let mut admin = world.signed_in("admin@acme.test").await;
    let duplicate = admin
        .call(AddSkill {
            name: "rust".into(),
            aliases: String::new(),
        })
        .await;
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(duplicate.body.contains("already on the skill list"));
    let retire = admin
        .call(UpdateSkill {
            skill_id: acme.sql,
            name: "SQL".into(),
            aliases: "Postgres".into(),
            active: false,
        })
        .await;
    assert_eq!(retire.status, StatusCode::OK, "{}", retire.body);
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let choices = recruiter.call(RequisitionFormChoices {}).await.body;
    assert!(
        choices.contains("Rust") && !choices.contains("SQL"),
        "retired skills are not offered: {choices}"
    );
    assert_eq!(
        recruiter
            .call(AddSkill {
                name: "Go".into(),
                aliases: String::new(),
            })
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        recruiter.get("/admin/skills").await.status,
        StatusCode::FORBIDDEN
    );
    let page = admin.get("/admin/skills").await;
    assert!(page.body.contains("Retired") && page.body.contains("rustlang"));
}
