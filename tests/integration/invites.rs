//! Inviting staff by email: the link arrives, works once, and not after expiry.

use crate::support::{invite_link, World};
use app::access::Role;
use app::access::Whoami;
use app::users::{AcceptInvite, InviteUser, RevokeInvite};
use axum::http::StatusCode;
use sqlx::PgPool;

async fn admin_and_invite(world: &World, email: &str) -> (uuid::Uuid, crate::support::Client) {
    let org = world.org("Acme").await;
    world.user(org, Role::Admin, "admin@acme.test").await;
    let mut admin = world.signed_in("admin@acme.test").await;
    let response = admin
        .call(InviteUser {
            email: email.into(),
            full_name: "Nora New".into(),
            role: "interviewer".into(),
        })
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    (org, admin)
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_invitation_arrives_as_an_email_file_and_its_link_works_once(pool: PgPool) {
    let world = World::init(pool).await;
    let (org, _admin) = admin_and_invite(&world, "nora@acme.test").await;
    assert!(world.emails().is_empty(), "sent by the job, not inline");
    world.run_jobs().await;

    let emails = world.emails();
    assert_eq!(emails.len(), 1);
    assert!(emails[0].contains("To: nora@acme.test"), "{}", emails[0]);
    assert!(
        emails[0].contains("Subject: You are invited to Acme on ARE"),
        "{}",
        emails[0]
    );
    let link = invite_link(&emails[0]);
    let path = link.trim_start_matches("http://localhost:3000");
    let token = path.trim_start_matches("/invite/");
    let status: String = sqlx::query_scalar("SELECT status FROM emails")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(status, "sent");

    let mut visitor = world.client();
    let page = visitor.get(path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Join Acme on ARE"));

    let mismatch = visitor
        .call(AcceptInvite {
            token: token.into(),
            password: "nora's long password".into(),
            confirm_password: "nora's other password".into(),
        })
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.body.contains("do not match"));

    let accepted = visitor
        .call(AcceptInvite {
            token: token.into(),
            password: "nora's long password".into(),
            confirm_password: "nora's long password".into(),
        })
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    assert_eq!(accepted.location.as_deref(), Some("/"));
    let me = visitor.call(Whoami {}).await;
    assert!(me.body.contains("\"role\":\"interviewer\""), "{}", me.body);
    assert!(me.body.contains("\"org_name\":\"Acme\""), "{}", me.body);

    let again = world
        .client()
        .call(AcceptInvite {
            token: token.into(),
            password: "someone else's password".into(),
            confirm_password: "someone else's password".into(),
        })
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("no longer valid"));
    assert_eq!(world.client().get(path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        world
            .client()
            .sign_in("nora@acme.test", "nora's long password")
            .await
            .status,
        StatusCode::OK
    );
    let actions = world.audit_actions(org).await;
    assert!(
        actions.contains(&"user.invited".to_string())
            && actions.contains(&"user.invite_accepted".to_string()),
        "{actions:?}"
    );
}

/// Accepting the invitation of `token` with a good password.
fn accept(token: &str) -> AcceptInvite {
    AcceptInvite {
        token: token.into(),
        password: "late but long password".into(),
        confirm_password: "late but long password".into(),
    }
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_expired_or_revoked_invitation_starts_nothing(pool: PgPool) {
    let world = World::init(pool).await;
    let (_org, mut admin) = admin_and_invite(&world, "late@acme.test").await;
    world.run_jobs().await;
    let link = invite_link(&world.emails()[0]);
    let token = link.rsplit('/').next().unwrap().to_string();
    sqlx::query("UPDATE user_invites SET expires_at = now() - interval '1 minute'")
        .execute(&world.pool)
        .await
        .unwrap();
    let expired = world.client().call(accept(&token)).await;
    assert_eq!(expired.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        world.client().get(&format!("/invite/{token}")).await.status,
        StatusCode::NOT_FOUND
    );

    // A fresh invitation replaces the old one; revoking it kills its link too.
    admin
        .call(InviteUser {
            email: "late@acme.test".into(),
            full_name: "Lee Late".into(),
            role: "recruiter".into(),
        })
        .await;
    world.run_jobs().await;
    let fresh = world
        .emails()
        .into_iter()
        .map(|e| invite_link(&e))
        .find(|l| !l.ends_with(&token))
        .unwrap();
    let fresh_token = fresh.rsplit('/').next().unwrap().to_string();
    let invite_id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM user_invites WHERE revoked_at IS NULL AND accepted_at IS NULL AND expires_at > now()")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(
        admin.call(RevokeInvite { invite_id }).await.status,
        StatusCode::OK
    );
    assert_eq!(
        world.client().call(accept(&fresh_token)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(users, 1, "no account was created");
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn invitations_refuse_bad_input_with_a_clear_message(pool: PgPool) {
    let world = World::init(pool).await;
    let (_org, mut admin) = admin_and_invite(&world, "first@acme.test").await;
    let cases = [
        (
            ("not-an-email", "Someone", "recruiter"),
            "not a valid email address",
        ),
        (
            ("admin@acme.test", "Someone", "recruiter"),
            "already has an ARE account",
        ),
        (
            ("new@acme.test", "   ", "recruiter"),
            "Enter the person's name",
        ),
        (
            ("new@acme.test", "Someone", "owner"),
            "Choose one of the listed roles",
        ),
    ];
    for ((email, name, role), message) in cases {
        let response = admin
            .call(InviteUser {
                email: email.into(),
                full_name: name.into(),
                role: role.into(),
            })
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{email}");
        assert!(
            response.body.contains(message),
            "{email}: {}",
            response.body
        );
    }
    let open: i64 = sqlx::query_scalar("SELECT count(*) FROM user_invites")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(
        open, 1,
        "nothing saved by the refused attempts, the first invitation kept"
    );
}
