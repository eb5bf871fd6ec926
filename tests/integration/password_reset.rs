//! Password reset (ASVS V2.5): the same answer for any address, a single-use link that
//! expires in an hour, sessions ended, the user told, limits, and the audit.

use crate::support::{unwrapped, World, PASSWORD};
use app::auth::{RequestPasswordReset, ResetPassword};
use axum::http::StatusCode;
use sqlx::PgPool;

const NEW_PASSWORD: &str = "violet harbour ladder";

fn reset_token(email: &str) -> String {
    let text = unwrapped(email);
    let start = text
        .find("http://localhost:3000/reset/")
        .expect("a reset link");
    text[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .trim_start_matches("http://localhost:3000/reset/")
        .to_string()
}

fn reset_emails(world: &World) -> Vec<String> {
    world
        .emails()
        .into_iter()
        .filter(|e| e.contains("Subject: Reset your ARE password"))
        .collect()
}

fn set(token: &str, password: &str) -> ResetPassword {
    ResetPassword {
        token: token.into(),
        new_password: password.into(),
        confirm_password: password.into(),
    }
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn any_address_gets_the_same_answer_and_only_an_account_gets_a_link(pool: PgPool) {
    let world = World::init(pool).await;
    world.acme().await;
    let mut anyone = world.client();
    let known = anyone
        .call(RequestPasswordReset {
            email: "recruiter@acme.test".into(),
        })
        .await;
    let unknown = anyone
        .call(RequestPasswordReset {
            email: "nobody@acme.test".into(),
        })
        .await;
    assert_eq!(known.status, unknown.status);
    assert_eq!(known.body, unknown.body);
    assert_eq!(known.location.as_deref(), Some("/forgot-password?sent=1"));
    assert_eq!(unknown.location, known.location);
    world.run_jobs().await;
    let sent = reset_emails(&world);
    assert_eq!(sent.len(), 1);
    assert!(sent[0].contains("To: recruiter@acme.test"));
    let page = anyone.get("/forgot-password?sent=1").await;
    assert!(page
        .body
        .contains("If an active account signs in with that address"));
    assert!(anyone
        .get("/login")
        .await
        .body
        .contains("Forgot your password?"));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_reset_link_sets_the_password_once_ends_every_session_and_is_told(pool: PgPool) {
    let world = World::init(pool).await;
    let org = world.acme().await.org;
    let mut laptop = world.signed_in("recruiter@acme.test").await;
    let mut anyone = world.client();
    anyone
        .call(RequestPasswordReset {
            email: "recruiter@acme.test".into(),
        })
        .await;
    world.run_jobs().await;
    let token = reset_token(&reset_emails(&world)[0]);
    let stored: i64 =
        sqlx::query_scalar("SELECT count(*) FROM password_resets WHERE token_hash = $1")
            .bind(token.as_bytes())
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!(stored, 0, "only the digest is kept");

    // Opening the link changes nothing; a weak password is refused and the link stays.
    let page = anyone.get(&format!("/reset/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("recruiter@acme.test"));
    let weak = anyone.call(set(&token, "password1234")).await;
    assert!(weak.body.contains("too easy to guess"), "{}", weak.body);
    let done = anyone.call(set(&token, NEW_PASSWORD)).await;
    assert_eq!(
        done.location.as_deref(),
        Some("/login?reset=1"),
        "{}",
        done.body
    );

    // Once only.
    let again = anyone.call(set(&token, "another quiet ladder")).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("already used or has expired"));
    assert_eq!(
        anyone.get(&format!("/reset/{token}")).await.status,
        StatusCode::NOT_FOUND
    );

    // Every session ended; the new password works, the old one not.
    assert_eq!(laptop.get("/account").await.status, StatusCode::FOUND);
    assert_eq!(
        world
            .client()
            .sign_in("recruiter@acme.test", PASSWORD)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        world
            .client()
            .sign_in("recruiter@acme.test", NEW_PASSWORD)
            .await
            .status,
        StatusCode::OK
    );
    world.run_jobs().await;
    assert!(world
        .emails()
        .iter()
        .any(|e| e.contains("Subject: Your ARE password was reset")));
    let actions = world.audit_actions(org).await;
    for action in ["auth.password_reset_sent", "auth.password_reset"] {
        assert!(
            actions.contains(&action.to_string()),
            "{action}: {actions:?}"
        );
    }
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_expired_link_is_refused(pool: PgPool) {
    let world = World::init(pool).await;
    world.acme().await;
    let mut anyone = world.client();
    anyone
        .call(RequestPasswordReset {
            email: "manager@acme.test".into(),
        })
        .await;
    world.run_jobs().await;
    let token = reset_token(&reset_emails(&world)[0]);
    sqlx::query("UPDATE password_resets SET expires_at = now() - interval '1 second'")
        .execute(&world.pool)
        .await
        .unwrap();
    let late = anyone.call(set(&token, NEW_PASSWORD)).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        world
            .client()
            .sign_in("manager@acme.test", PASSWORD)
            .await
            .status,
        StatusCode::OK,
        "the password is as it was"
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn requests_are_limited_per_address_asked_for_and_per_client(pool: PgPool) {
    let world = World::init(pool).await;
    world.acme().await;
    for n in 0..5 {
        let mut client = world.client().with_ip(&format!("198.51.100.{n}"));
        let asked = client
            .call(RequestPasswordReset {
                email: "admin@acme.test".into(),
            })
            .await;
        assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    }
    let mut sixth = world.client().with_ip("198.51.100.99");
    let refused = sixth
        .call(RequestPasswordReset {
            email: "admin@acme.test".into(),
        })
        .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);

    let mut sprayer = world.client().with_ip("203.0.113.50");
    for n in 0..20 {
        let asked = sprayer
            .call(RequestPasswordReset {
                email: format!("person{n}@elsewhere.test"),
            })
            .await;
        assert_eq!(asked.status, StatusCode::OK);
    }
    let refused = sprayer
        .call(RequestPasswordReset {
            email: "one.more@elsewhere.test".into(),
        })
        .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    world.run_jobs().await;
    assert_eq!(
        reset_emails(&world).len(),
        5,
        "only the account's own links"
    );
}

async fn reset_link_for(world: &World, email: &str) -> String {
    world
        .client()
        .call(RequestPasswordReset {
            email: email.into(),
        })
        .await;
    world.run_jobs().await;
    let newest = reset_emails(world)
        .into_iter()
        .map(|e| reset_token(&e))
        .collect::<Vec<_>>();
    // The links in the order the database issued them: the last is the open one.
    let mut issued: Vec<(chrono::DateTime<chrono::Utc>, Vec<u8>)> =
        sqlx::query_as("SELECT created_at, token_hash FROM password_resets ORDER BY created_at")
            .fetch_all(&world.pool)
            .await
            .unwrap();
    let last = issued.pop().unwrap().1;
    newest
        .into_iter()
        .find(|t| app::tokens::digest(t) == last)
        .unwrap()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_new_link_closes_the_older_ones_and_a_closed_organization_resets_nothing(pool: PgPool) {
    let world = World::init(pool).await;
    let org = world.acme().await.org;
    let first = reset_link_for(&world, "manager@acme.test").await;
    let second = reset_link_for(&world, "manager@acme.test").await;
    assert_ne!(first, second);
    let mut anyone = world.client();
    assert_eq!(
        anyone.call(set(&first, NEW_PASSWORD)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the older link stopped working"
    );
    sqlx::query("UPDATE organizations SET is_active = false WHERE id = $1")
        .bind(org)
        .execute(&world.pool)
        .await
        .unwrap();
    assert_eq!(
        anyone.get(&format!("/reset/{second}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        anyone.call(set(&second, NEW_PASSWORD)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_reset_keeps_two_step_sign_in_and_ends_a_sign_in_waiting_for_its_code(pool: PgPool) {
    use app::auth::totp::code_at;
    use app::auth::{ConfirmTwoStep, FinishSignIn, StartTwoStep};

    let world = World::init(pool).await;
    world.acme().await;
    let mut manager = world.signed_in("manager@acme.test").await;
    manager.call(StartTwoStep {}).await;
    let secret: Vec<u8> = sqlx::query_scalar(
        "SELECT totp_pending_secret FROM users WHERE email = 'manager@acme.test'",
    )
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let now = || chrono::Utc::now().timestamp() as u64;
    manager
        .call(ConfirmTwoStep {
            code: code_at(&secret, now()),
            current_password: PASSWORD.into(),
        })
        .await;
    // Someone with the old password waits at the second step...
    let mut waiting = world.client();
    assert_eq!(
        waiting
            .sign_in("manager@acme.test", PASSWORD)
            .await
            .location
            .as_deref(),
        Some("/login/second-step")
    );
    // ...the owner resets the password...
    let token = reset_link_for(&world, "manager@acme.test").await;
    world.client().call(set(&token, NEW_PASSWORD)).await;
    // ...and that sign-in cannot finish, even with a right code.
    let late = waiting
        .call(FinishSignIn {
            code: code_at(&secret, now() + 30),
        })
        .await;
    assert!(late.body.contains("Sign in again"), "{}", late.body);
    // Two-step sign-in is still on for the new password.
    assert_eq!(
        world
            .client()
            .sign_in("manager@acme.test", NEW_PASSWORD)
            .await
            .location
            .as_deref(),
        Some("/login/second-step")
    );
}
