//! Signing in and out, sessions, limits, and what each role may open.

use crate::support::{World, PASSWORD};
use app::access::Whoami;
use app::auth::{ChangePassword, SignIn, SignOut};
use app::candidates::ListCandidates;
use app::users::{LoadTeam, SetUserActive};
use axum::http::StatusCode;
use sqlx::PgPool;

async fn acme(world: &World) -> uuid::Uuid {
    world.acme().await.org
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn each_role_signs_in_and_sees_its_own_navigation(pool: PgPool) {
    let world = World::init(pool).await;
    acme(&world).await;
    for (email, role_label, admin_links) in [
        ("admin@acme.test", "Admin", true),
        ("recruiter@acme.test", "Recruiter", false),
        ("manager@acme.test", "Hiring manager", false),
        ("interviewer@acme.test", "Interviewer", false),
    ] {
        let mut client = world.signed_in(email).await;
        let page = client.get("/").await;
        assert_eq!(page.status, StatusCode::OK, "{email}");
        assert!(
            page.body
                .contains(&format!("<span class=\"role-badge\">{role_label}</span>")),
            "{email}"
        );
        assert!(page.body.contains("href=\"/account\""), "{email}");
        for link in ["/admin/users", "/admin/audit", "/admin/jobs"] {
            assert_eq!(
                page.body.contains(&format!("href=\"{link}\"")),
                admin_links,
                "{email} {link}"
            );
        }
    }
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_wrong_password_and_an_unknown_email_get_the_same_error(pool: PgPool) {
    let world = World::init(pool).await;
    let org = acme(&world).await;
    let mut client = world.client();
    let wrong = client
        .sign_in("admin@acme.test", "not the password at all")
        .await;
    let unknown = client
        .sign_in("nobody@acme.test", "not the password at all")
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.body, unknown.body);
    assert!(wrong.body.contains("do not match an active account"));
    assert!(client.cookie.is_none(), "no session for a failed sign-in");
    assert_eq!(world.audit_actions(org).await, ["auth.sign_in_failed"]);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_session_id_changes_at_sign_in(pool: PgPool) {
    let world = World::init(pool).await;
    acme(&world).await;
    let mut client = world.signed_in("recruiter@acme.test").await;
    let first = client.cookie.clone().unwrap();
    // Signing in again on the same browser (or with a planted id) issues a new id.
    client.sign_in("recruiter@acme.test", PASSWORD).await;
    let second = client.cookie.clone().unwrap();
    assert_ne!(first, second);

    let mut stale = world.client();
    stale.cookie = Some(first);
    assert_eq!(
        stale.get("/").await.status,
        StatusCode::FOUND,
        "the old id is dead"
    );
    assert_eq!(client.get("/").await.status, StatusCode::OK);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn sign_out_ends_the_session(pool: PgPool) {
    let world = World::init(pool).await;
    let org = acme(&world).await;
    let mut client = world.signed_in("admin@acme.test").await;
    let old_cookie = client.cookie.clone();
    let response = client.call(SignOut {}).await;
    assert_eq!(response.location.as_deref(), Some("/login"));
    assert!(client.cookie.is_none(), "the cookie is removed");

    let mut replay = world.client();
    replay.cookie = old_cookie;
    let page = replay.get("/admin/users").await;
    assert_eq!(page.status, StatusCode::FOUND);
    assert_eq!(page.location.as_deref(), Some("/login?next=/admin/users"));
    assert_eq!(
        world.audit_actions(org).await,
        ["auth.sign_in", "auth.sign_out"]
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_recruiter_gets_no_admin_page_or_admin_function(pool: PgPool) {
    let world = World::init(pool).await;
    acme(&world).await;
    let mut client = world.signed_in("recruiter@acme.test").await;
    for page in ["/admin/users", "/admin/audit", "/admin/jobs"] {
        let response = client.get(page).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{page}");
        assert!(
            response.body.contains("You do not have permission"),
            "{page}"
        );
    }
    assert_eq!(client.call(LoadTeam {}).await.status, StatusCode::FORBIDDEN);
}

/// A role the app does not know (its CHECK constraint dropped, as a careless migration
/// might) is an error wherever it is read, never a guess: the staff list used to show
/// such a person as an interviewer.
#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_unknown_role_in_the_database_is_an_error_not_a_guess(pool: PgPool) {
    let world = World::init(pool).await;
    acme(&world).await;
    let mut admin = world.signed_in("admin@acme.test").await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    sqlx::query("ALTER TABLE users DROP CONSTRAINT users_role_check")
        .execute(&world.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE users SET role = 'owner' WHERE email = 'recruiter@acme.test'")
        .execute(&world.pool)
        .await
        .unwrap();
    let own_page = recruiter.get("/").await;
    assert_eq!(own_page.status, StatusCode::INTERNAL_SERVER_ERROR);
    let list = admin.get("/admin/users").await;
    assert_eq!(list.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(list.body.contains("Something went wrong"), "{}", list.body);
    assert_eq!(
        admin.call(LoadTeam {}).await.status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_101st_sign_in_within_an_hour_is_not_checked_even_with_the_right_password(
    pool: PgPool,
) {
    let world = World::init(pool).await;
    acme(&world).await;
    for attempt in 0..100 {
        // Spread over addresses, so it is the per-account limit that stops it.
        let mut client = world
            .client()
            .with_ip(&format!("198.51.100.{}", attempt % 50 + 1));
        let response = client
            .sign_in("admin@acme.test", "wrong password here")
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "attempt {attempt}"
        );
    }
    let mut client = world.client().with_ip("192.0.2.99");
    let refused = client.sign_in("admin@acme.test", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    // The owner is emailed a way in (`sign_in_security.rs`).
    assert!(refused.body.contains("SignInPaused"), "{}", refused.body);
    assert!(client.cookie.is_none());
    // Another account is not affected.
    assert_eq!(
        world
            .client()
            .sign_in("recruiter@acme.test", PASSWORD)
            .await
            .status,
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn failures_from_one_address_are_limited_across_accounts(pool: PgPool) {
    let world = World::init(pool).await;
    acme(&world).await;
    sqlx::query(
        "INSERT INTO sign_in_failures (email, client_ip)
         SELECT 'user' || n || '@spray.test', '203.0.113.66' FROM generate_series(1, 500) n",
    )
    .execute(&world.pool)
    .await
    .unwrap();
    let mut client = world.client().with_ip("203.0.113.66");
    assert_eq!(
        client.sign_in("admin@acme.test", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        world
            .client()
            .sign_in("admin@acme.test", PASSWORD)
            .await
            .status,
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_deactivated_users_open_session_fails_on_its_next_request(pool: PgPool) {
    let world = World::init(pool).await;
    let org = acme(&world).await;
    let mut admin = world.signed_in("admin@acme.test").await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    assert_eq!(recruiter.get("/").await.status, StatusCode::OK);

    let recruiter_id: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'recruiter@acme.test'")
            .fetch_one(&world.pool)
            .await
            .unwrap();
    let response = admin
        .call(SetUserActive {
            user_id: recruiter_id,
            active: false,
        })
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);

    let page = recruiter.get("/").await;
    assert_eq!(page.status, StatusCode::FOUND);
    assert_eq!(page.location.as_deref(), Some("/login"));
    assert_eq!(recruiter.call(Whoami {}).await.body, "null");
    assert_eq!(
        world
            .client()
            .sign_in("recruiter@acme.test", PASSWORD)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert!(world
        .audit_actions(org)
        .await
        .contains(&"user.deactivated".to_string()));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn changing_the_password_ends_the_other_sessions_and_keeps_this_one(pool: PgPool) {
    let world = World::init(pool).await;
    acme(&world).await;
    let mut laptop = world.signed_in("manager@acme.test").await;
    let mut phone = world.signed_in("manager@acme.test").await;

    let wrong = laptop
        .call(ChangePassword {
            current_password: "not my password".into(),
            new_password: "a brand new passphrase".into(),
            confirm_password: "a brand new passphrase".into(),
        })
        .await;
    assert!(
        wrong.body.contains("current password is not correct"),
        "{}",
        wrong.body
    );
    let short = laptop
        .call(ChangePassword {
            current_password: PASSWORD.into(),
            new_password: "short".into(),
            confirm_password: "short".into(),
        })
        .await;
    assert!(
        short.body.contains("at least 12 characters"),
        "{}",
        short.body
    );

    let changed = laptop
        .call(ChangePassword {
            current_password: PASSWORD.into(),
            new_password: "a brand new passphrase".into(),
            confirm_password: "a brand new passphrase".into(),
        })
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(laptop.get("/account").await.status, StatusCode::OK);
    assert_eq!(phone.get("/account").await.status, StatusCode::FOUND);
    assert_eq!(
        world
            .client()
            .sign_in("manager@acme.test", "a brand new passphrase")
            .await
            .status,
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn session_cookies_are_http_only_and_same_site(pool: PgPool) {
    let world = World::init(pool).await;
    acme(&world).await;
    let response = world.client().sign_in("admin@acme.test", PASSWORD).await;
    let cookie = response.set_cookie.unwrap();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Max-Age=1800"), "30 minutes idle: {cookie}");
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn after_sign_in_only_local_paths_are_followed(pool: PgPool) {
    let world = World::init(pool).await;
    acme(&world).await;
    let mut client = world.client();
    let local = client
        .call(SignIn {
            email: "admin@acme.test".into(),
            password: PASSWORD.into(),
            next: Some("/admin/jobs".into()),
        })
        .await;
    assert_eq!(local.location.as_deref(), Some("/admin/jobs"));
    let foreign = client
        .call(SignIn {
            email: "admin@acme.test".into(),
            password: PASSWORD.into(),
            next: Some("//evil.example/".into()),
        })
        .await;
    assert_eq!(foreign.location.as_deref(), Some("/"));
    // Browsers drop a tab and read a backslash as a slash: both would lead elsewhere.
    for evil in ["/\t/evil.example", "/\\evil.example", "/\n/evil.example"] {
        let response = client
            .call(SignIn {
                email: "admin@acme.test".into(),
                password: PASSWORD.into(),
                next: Some(evil.into()),
            })
            .await;
        assert_eq!(response.location.as_deref(), Some("/"), "{evil:?}");
    }
    // The sign-in page sends a signed-in user on at once: the same rule.
    for query in [
        "%2F%09%2Fevil.example",
        "%2F%5Cevil.example",
        "/%0A/evil.example",
    ] {
        let page = client.get(&format!("/login?next={query}")).await;
        assert_eq!(page.status, StatusCode::FOUND, "{query}");
        assert_eq!(page.location.as_deref(), Some("/"), "{query}");
    }
    let page = client.get("/login?next=%2Fadmin%2Fjobs").await;
    assert_eq!(page.location.as_deref(), Some("/admin/jobs"));
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

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_session_ended_anywhere_ends_at_once_though_records_are_cached(pool: PgPool) {
    let world = World::init(pool).await;
    let org = acme(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    assert_eq!(recruiter.get("/candidates").await.status, StatusCode::OK);
    // Another server process signs the session out: the sign-in's row ends there, and
    // this process still has the session record in its cache.
    sqlx::query("UPDATE staff_sessions SET ended_at = now()")
        .execute(&world.pool)
        .await
        .unwrap();
    assert_eq!(
        recruiter.call(no_filters()).await.status,
        StatusCode::UNAUTHORIZED
    );

    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    assert_eq!(recruiter.get("/candidates").await.status, StatusCode::OK);
    sqlx::query("UPDATE users SET is_active = false WHERE org_id = $1")
        .bind(org)
        .execute(&world.pool)
        .await
        .unwrap();
    assert_eq!(
        recruiter.call(no_filters()).await.status,
        StatusCode::UNAUTHORIZED
    );
}
