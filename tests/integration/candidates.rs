//! Candidates: the form, one record per email, search with include and exclude filters,
//! keyset pages in both sort orders, and who may see them.

use crate::support::{Client, TestResponse, World};
use app::access::Role;
use app::candidates::{
    CandidateForm, CandidateList, CreateCandidate, DeleteCandidate, ListCandidates, LoadCandidate,
    UpdateCandidate,
};
use axum::http::StatusCode;
use sqlx::PgPool;
use uuid::Uuid;

async fn acme(world: &World) -> (Uuid, Uuid) {
    let org = world.acme().await.org;
    (org, world.skill(org, "Rust").await)
}

/// The form with a name and an email, the other fields empty and the source "applied".
fn person(full_name: &str, email: &str) -> CandidateForm {
    CandidateForm {
        full_name: full_name.into(),
        email: email.into(),
        source: "applied".into(),
        ..CandidateForm::default()
    }
}

async fn add(client: &mut Client, form: CandidateForm) -> TestResponse {
    client.call(CreateCandidate { form }).await
}

fn no_filters() -> ListCandidates {
    ListCandidates {
        text: None,
        tags: None,
        skill: None,
        source: None,
        sort: None,
        after: None,
    }
}

async fn search(client: &mut Client, filters: ListCandidates) -> CandidateList {
    let response = client.call(filters).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    serde_json::from_str(&response.body).unwrap()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_candidate_is_added_once_per_email_and_shown_on_a_profile(pool: PgPool) {
    let world = World::init(pool).await;
    let (org, rust) = acme(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let added = add(
        &mut recruiter,
        CandidateForm {
            phone: "+1 (555) 0100".into(),
            source: "referral".into(),
            tags: "Senior, COBOL".into(),
            skills: vec![rust],
            ..person("Grace Hopper", "grace@navy.example")
        },
    )
    .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let profile_path = added.location.unwrap();
    let profile = recruiter.get(&profile_path).await;
    for expected in [
        "<h1>Grace Hopper</h1>",
        "grace@navy.example",
        "Referral",
        "#senior",
        "#cobol",
        "<li>Rust</li>",
    ] {
        assert!(profile.body.contains(expected), "{expected} missing");
    }

    let again = add(&mut recruiter, person("G. Hopper", "GRACE@navy.example")).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.body.contains("Grace Hopper already has the address"),
        "{}",
        again.body
    );

    let other = add(&mut recruiter, person("Ada Lovelace", "ada@engine.example")).await;
    let ada = other
        .location
        .unwrap()
        .trim_start_matches("/candidates/")
        .parse()
        .unwrap();
    let clash = recruiter
        .call(UpdateCandidate {
            id: ada,
            form: CandidateForm {
                source: "sourced".into(),
                ..person("Ada", "grace@navy.example")
            },
        })
        .await;
    assert_eq!(clash.status, StatusCode::UNPROCESSABLE_ENTITY);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM candidates")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(count, 2);
    assert!(world
        .audit_actions(org)
        .await
        .contains(&"candidate.created".to_string()));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn search_filters_include_and_exclude_and_pages_in_both_orders(pool: PgPool) {
    let world = World::init(pool).await;
    let (org, rust) = acme(&world).await;
    sqlx::query(
        "INSERT INTO candidates (org_id, full_name, email, source, tags, created_at)
         SELECT $1, 'Person ' || lpad(n::text, 3, '0'), 'p' || n || '@example.com',
                CASE WHEN n % 3 = 0 THEN 'referral' ELSE 'applied' END,
                CASE WHEN n % 2 = 0 THEN ARRAY['senior'] ELSE ARRAY['junior', 'contractor'] END,
                now() - make_interval(mins => n)
         FROM generate_series(1, 60) n",
    )
    .bind(org)
    .execute(&world.pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO candidate_skills SELECT id, $2 FROM candidates WHERE org_id = $1 AND full_name LIKE 'Person 00%'")
        .bind(org)
        .bind(rust)
        .execute(&world.pool)
        .await
        .unwrap();
    let mut recruiter = world.signed_in("recruiter@acme.test").await;

    let newest = search(&mut recruiter, no_filters()).await;
    assert_eq!(newest.items.len(), 50);
    assert_eq!(newest.items[0].full_name, "Person 001");
    let rest = search(
        &mut recruiter,
        ListCandidates {
            after: Some(newest.next.clone().unwrap()),
            ..no_filters()
        },
    )
    .await;
    assert_eq!(rest.items.len(), 10);
    assert_eq!(rest.items[9].full_name, "Person 060");

    let by_name = search(
        &mut recruiter,
        ListCandidates {
            sort: Some("name".into()),
            ..no_filters()
        },
    )
    .await;
    let by_name_rest = search(
        &mut recruiter,
        ListCandidates {
            sort: Some("name".into()),
            after: Some(by_name.next.clone().unwrap()),
            ..no_filters()
        },
    )
    .await;
    let names: Vec<String> = by_name
        .items
        .iter()
        .chain(&by_name_rest.items)
        .map(|c| c.full_name.clone())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert_eq!(names.len(), 60);

    assert_eq!(
        search(
            &mut recruiter,
            ListCandidates {
                text: Some("person 05".into()),
                ..no_filters()
            }
        )
        .await
        .items
        .len(),
        10
    );
    assert_eq!(
        search(
            &mut recruiter,
            ListCandidates {
                text: Some("P7@EXAMPLE".into()),
                ..no_filters()
            }
        )
        .await
        .items
        .len(),
        1
    );
    assert_eq!(
        search(
            &mut recruiter,
            ListCandidates {
                tags: Some("senior".into()),
                ..no_filters()
            }
        )
        .await
        .items
        .len(),
        30
    );
    assert_eq!(
        search(
            &mut recruiter,
            ListCandidates {
                tags: Some("-contractor".into()),
                ..no_filters()
            }
        )
        .await
        .items
        .len(),
        30
    );
    assert_eq!(
        search(
            &mut recruiter,
            ListCandidates {
                tags: Some("junior, -contractor".into()),
                ..no_filters()
            }
        )
        .await
        .items
        .len(),
        0
    );
    let referral_seniors = search(
        &mut recruiter,
        ListCandidates {
            tags: Some("senior".into()),
            source: Some("referral".into()),
            ..no_filters()
        },
    )
    .await;
    assert_eq!(referral_seniors.items.len(), 10, "n divisible by 6");
    assert_eq!(
        search(
            &mut recruiter,
            ListCandidates {
                skill: Some(rust.to_string()),
                ..no_filters()
            }
        )
        .await
        .items
        .len(),
        9
    );
    let without = search(
        &mut recruiter,
        ListCandidates {
            skill: Some(format!("-{rust}")),
            sort: Some("name".into()),
            ..no_filters()
        },
    )
    .await;
    assert_eq!(without.items[0].full_name, "Person 010");
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn only_recruiters_and_admins_of_the_organization_see_candidates(pool: PgPool) {
    let world = World::init(pool).await;
    acme(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let added = add(&mut recruiter, person("Grace Hopper", "grace@navy.example")).await;
    let id: Uuid = added
        .location
        .unwrap()
        .trim_start_matches("/candidates/")
        .parse()
        .unwrap();

    let mut admin = world.signed_in("admin@acme.test").await;
    assert_eq!(
        admin.call(LoadCandidate { id }).await.status,
        StatusCode::OK
    );
    for email in ["manager@acme.test", "interviewer@acme.test"] {
        let mut client = world.signed_in(email).await;
        assert_eq!(
            client.call(LoadCandidate { id }).await.status,
            StatusCode::FORBIDDEN,
            "{email}"
        );
        assert_eq!(
            client.call(no_filters()).await.status,
            StatusCode::FORBIDDEN,
            "{email}"
        );
        assert_eq!(
            client.get("/candidates").await.status,
            StatusCode::FORBIDDEN,
            "{email}"
        );
        assert_eq!(
            add(&mut client, person("X", "x@example.com")).await.status,
            StatusCode::FORBIDDEN
        );
    }
    let globex = world.org("Globex").await;
    world
        .user(globex, Role::Recruiter, "recruiter@globex.test")
        .await;
    let mut outsider = world.signed_in("recruiter@globex.test").await;
    assert_eq!(
        outsider.call(LoadCandidate { id }).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        outsider.get(&format!("/candidates/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(search(&mut outsider, no_filters()).await.items.is_empty());
    // The same person may be a candidate of another organization too.
    let theirs = add(&mut outsider, person("Grace Hopper", "grace@navy.example")).await;
    assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.body);
    assert_eq!(
        world.client().call(no_filters()).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn deleting_a_candidate_removes_everything_about_them(pool: PgPool) {
    let world = World::init(pool).await;
    let (org, _) = acme(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let added = add(&mut recruiter, person("Grace Hopper", "grace@navy.example")).await;
    let id: Uuid = added
        .location
        .unwrap()
        .trim_start_matches("/candidates/")
        .parse()
        .unwrap();
    let requisition = world.requisition(org, "Backend", None).await;
    recruiter.add_to_pipeline(id, requisition).await;
    sqlx::query(
        "INSERT INTO emails (org_id, to_address, subject, body_text, related_type, related_id)
         VALUES ($1, 'grace@navy.example', 'Hello', 'Hi', 'candidate', $2::text)",
    )
    .bind(org)
    .bind(id)
    .execute(&world.pool)
    .await
    .unwrap();
    let delete = |confirm: Option<&str>| DeleteCandidate {
        id,
        confirm: confirm.map(String::from),
    };

    // Not without the confirmation, not by other roles or organizations.
    let unconfirmed = recruiter.call(delete(None)).await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    for email in ["manager@acme.test", "interviewer@acme.test"] {
        let mut client = world.signed_in(email).await;
        assert_eq!(
            client.call(delete(Some("yes"))).await.status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        world.client().call(delete(Some("yes"))).await.status,
        StatusCode::UNAUTHORIZED
    );
    let globex = world.org("Globex").await;
    world
        .user(globex, Role::Recruiter, "recruiter@globex.test")
        .await;
    let mut outsider = world.signed_in("recruiter@globex.test").await;
    assert_eq!(
        outsider.call(delete(Some("yes"))).await.status,
        StatusCode::NOT_FOUND
    );
    let still: i64 = sqlx::query_scalar("SELECT count(*) FROM candidates")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(still, 1);

    let deleted = recruiter.call(delete(Some("yes"))).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    for table in ["candidates", "applications", "emails"] {
        let left: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&world.pool)
            .await
            .unwrap();
        assert_eq!(left, 0, "{table}");
    }
    assert!(world
        .audit_actions(org)
        .await
        .contains(&"candidate.deleted".to_string()));
    assert_eq!(
        recruiter.call(LoadCandidate { id }).await.status,
        StatusCode::NOT_FOUND
    );
}
