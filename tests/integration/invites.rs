//! Inviting staff by email: the link arrives, works once, and not after expiry; each
//! organization's invitations are its own; and no link secret stays in the database
//! once its email is sent.

use crate::support::{invite_link, unwrapped, Acme, World, PASSWORD};
use app::access::Role;
use app::access::Whoami;
use app::assessments::{InviteCandidate, InviteForm, ResendInvite};
use app::users::{AcceptInvite, InviteUser, RevokeInvite};
use axum::http::StatusCode;
use sqlx::PgPool;
use uuid::Uuid;

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
            "admin@acme.test is already a member of Acme",
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

/// An admin's invitation of `email` as a recruiter, as the team page sends it.
fn invitation(email: &str) -> InviteUser {
    InviteUser {
        email: email.into(),
        full_name: "Pat Person".into(),
        role: "recruiter".into(),
    }
}

/// Globex, with an admin signed in.
async fn globex_admin(world: &World) -> (Uuid, crate::support::Client) {
    let globex = world.org("Globex").await;
    world.user(globex, Role::Admin, "admin@globex.test").await;
    (globex, world.signed_in("admin@globex.test").await)
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_organization_invites_any_address_as_if_no_other_organization_knew_it(pool: PgPool) {
    let world = World::init(pool).await;
    let Acme { org: acme, .. } = world.acme().await;
    let mut acme_admin = world.signed_in("admin@acme.test").await;
    let open = acme_admin.call(invitation("open@example.com")).await;
    assert_eq!(open.status, StatusCode::OK, "{}", open.body);
    let (globex, mut globex_admin) = globex_admin(&world).await;

    // A fresh address, one Acme has invited (still open), one with an account at Acme.
    let addresses = [
        "fresh@example.com",
        "open@example.com",
        "recruiter@acme.test",
    ];
    let mut answers = Vec::new();
    for address in addresses {
        let answer = globex_admin.call(invitation(address)).await;
        answers.push((answer.status, answer.body, answer.location));
    }
    assert_eq!(answers[0].0, StatusCode::OK, "{}", answers[0].1);
    assert!(
        answers.iter().all(|answer| answer == &answers[0]),
        "the same answer whatever Acme knows: {answers:?}"
    );
    let audit: Vec<(String, Option<String>, serde_json::Value)> = sqlx::query_as(
        "SELECT action, target_type, details FROM audit_log
         WHERE org_id = $1 AND action LIKE 'user.%' ORDER BY id",
    )
    .bind(globex)
    .fetch_all(&world.pool)
    .await
    .unwrap();
    let expected: Vec<_> = addresses
        .iter()
        .map(|address| {
            (
                "user.invited".to_string(),
                Some("user_invite".to_string()),
                serde_json::json!({ "email": address, "role": "recruiter" }),
            )
        })
        .collect();
    assert_eq!(audit, expected, "the same audit entry for each");
    let open_at: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT org_id, email FROM user_invites WHERE accepted_at IS NULL AND revoked_at IS NULL ORDER BY created_at",
    )
    .fetch_all(&world.pool)
    .await
    .unwrap();
    assert_eq!(
        open_at,
        vec![
            (acme, "open@example.com".to_string()),
            (globex, "fresh@example.com".to_string()),
            (globex, "open@example.com".to_string()),
            (globex, "recruiter@acme.test".to_string()),
        ],
        "Acme's invitation stands beside Globex's"
    );
    world.run_jobs().await;
    assert_eq!(world.emails().len(), 4, "every invitation is sent");

    // Acme refuses its own member, and says so (its admin's own organization).
    let member = acme_admin.call(invitation("Recruiter@acme.test")).await;
    assert_eq!(member.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        member
            .body
            .contains("Recruiter@acme.test is already a member of Acme"),
        "{}",
        member.body
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_expired_invitation_never_blocks_a_new_one(pool: PgPool) {
    let world = World::init(pool).await;
    world.acme().await;
    let mut acme_admin = world.signed_in("admin@acme.test").await;
    let first = acme_admin.call(invitation("pat@example.com")).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    sqlx::query("UPDATE user_invites SET expires_at = now() - interval '1 minute'")
        .execute(&world.pool)
        .await
        .unwrap();

    // Another organization, then the same one again.
    let (_globex, mut globex_admin) = globex_admin(&world).await;
    let elsewhere = globex_admin.call(invitation("pat@example.com")).await;
    assert_eq!(elsewhere.status, StatusCode::OK, "{}", elsewhere.body);
    let again = acme_admin.call(invitation("PAT@example.com")).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let invites: Vec<(String, bool, bool)> = sqlx::query_as(
        "SELECT o.name, i.revoked_at IS NOT NULL, i.expires_at > now()
         FROM user_invites i JOIN organizations o ON o.id = i.org_id ORDER BY i.created_at",
    )
    .fetch_all(&world.pool)
    .await
    .unwrap();
    assert_eq!(
        invites,
        vec![
            ("Acme".to_string(), true, false),
            ("Globex".to_string(), false, true),
            ("Acme".to_string(), false, true),
        ],
        "the stale invitation is withdrawn by the new one"
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn accepting_with_an_address_that_has_an_account_elsewhere_says_what_to_do(pool: PgPool) {
    let world = World::init(pool).await;
    let Acme { recruiter, .. } = world.acme().await;
    let (globex, mut globex_admin) = globex_admin(&world).await;
    let invited = globex_admin.call(invitation("recruiter@acme.test")).await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    world.run_jobs().await;
    let link = invite_link(&world.emails()[0]);
    let token = link.rsplit('/').next().unwrap().to_string();

    let said = "recruiter@acme.test already has an ARE account in another organization";
    let page = world.client().get(&format!("/invite/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Join Globex on ARE"), "{}", page.body);
    assert!(page.body.contains(said), "{}", page.body);
    assert!(
        page.body.contains("two accounts"),
        "why, in words: {}",
        page.body
    );
    assert!(
        !page.body.contains("name=\"password\""),
        "no password to choose in vain"
    );
    let refused = world.client().call(accept(&token)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains(said), "{}", refused.body);

    // Nothing lost: the account is Acme's as it was, and the invitation still stands.
    let accounts: Vec<(Uuid, Uuid)> =
        sqlx::query_as("SELECT id, org_id FROM users WHERE email = 'recruiter@acme.test'")
            .fetch_all(&world.pool)
            .await
            .unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].0, recruiter);
    assert_ne!(accounts[0].1, globex);
    let open: bool = sqlx::query_scalar(
        "SELECT accepted_at IS NULL AND revoked_at IS NULL FROM user_invites WHERE org_id = $1",
    )
    .bind(globex)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert!(open);
    assert_eq!(
        world
            .client()
            .sign_in("recruiter@acme.test", PASSWORD)
            .await
            .status,
        StatusCode::OK
    );
}

/// A link's secret in a path, as `scripts/test.sh` looks for it: `tokens::generate` makes
/// 43 characters of base64url.
const LINK_SECRET: &str = "/(test|invite|unlock|reset)/[A-Za-z0-9_-]{40,}";

/// Rows of `table` with a link secret in any column.
async fn rows_with_secrets(world: &World, table: &str) -> i64 {
    sqlx::query_scalar(&format!(
        "SELECT count(*) FROM {table} t WHERE t::text ~ $1"
    ))
    .bind(LINK_SECRET)
    .fetch_one(&world.pool)
    .await
    .unwrap()
}

/// The test link in an email's text.
fn test_link(email: &str) -> String {
    let text = unwrapped(email);
    let start = text
        .find("http://localhost:3000/test/")
        .expect("a test link");
    text[start..].split_whitespace().next().unwrap().to_string()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn link_secrets_are_kept_only_until_their_emails_are_sent(pool: PgPool) {
    let world = World::init(pool).await;
    let Acme { org, .. } = world.acme().await;
    let mut admin = world.signed_in("admin@acme.test").await;
    let staff = admin.call(invitation("nora@acme.test")).await;
    assert_eq!(staff.status, StatusCode::OK, "{}", staff.body);
    let test = world.published_assessment(org, 30).await;
    let candidate = world
        .candidate(org, "Ada Lovelace", "ada@example.com")
        .await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let invited = recruiter
        .call(InviteCandidate {
            form: InviteForm {
                assessment_id: test.assessment,
                candidate_id: candidate.to_string(),
                message: "We enjoyed meeting you.".into(),
                expires_in_days: "7".into(),
                ..Default::default()
            },
        })
        .await;
    assert!(invited.status.is_success(), "{}", invited.body);
    let first: Uuid = sqlx::query_scalar("SELECT id FROM assessment_tokens")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    let resent = recruiter.call(ResendInvite { token_id: first }).await;
    assert!(resent.status.is_success(), "{}", resent.body);
    assert_eq!(
        rows_with_secrets(&world, "emails").await,
        3,
        "while unsent, each email keeps its link"
    );
    world.run_jobs().await;
    // The reminder issues its own link, sent like the others.
    sqlx::query("UPDATE jobs SET run_at = now() WHERE kind = 'assessment.remind'")
        .execute(&world.pool)
        .await
        .unwrap();
    world.run_jobs().await;

    let emails = world.emails();
    assert_eq!(
        emails.len(),
        4,
        "the invitation, the link, its resend, the reminder"
    );
    for table in ["emails", "jobs"] {
        assert_eq!(rows_with_secrets(&world, table).await, 0, "{table}");
    }
    let bodies: Vec<String> = sqlx::query_scalar("SELECT body_text FROM emails")
        .fetch_all(&world.pool)
        .await
        .unwrap();
    assert!(
        bodies
            .iter()
            .all(|body| body.contains("[link removed after sending]")),
        "the kept text says where the link was: {bodies:?}"
    );

    // The delivered emails carry working links.
    let invitation = emails
        .iter()
        .find(|e| e.contains("To: nora@acme.test"))
        .unwrap();
    let token = invite_link(invitation)
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let joined = world.client().call(accept(&token)).await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.body);
    let reminder = emails
        .iter()
        .find(|e| unwrapped(e).contains("Subject: Reminder"))
        .expect("the reminder");
    let link = test_link(reminder);
    let secret = link.rsplit('/').next().unwrap();
    let live: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM assessment_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(app::tokens::digest(secret))
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!(live, 1, "the reminder's link is the live one");
    let page = world
        .client()
        .get(link.trim_start_matches("http://localhost:3000"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Backend basics"), "{}", page.body);
    for email in emails.iter().filter(|e| e.contains("To: ada@example.com")) {
        assert!(test_link(email).len() > "http://localhost:3000/test/".len() + 40);
    }
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_email_that_fails_for_good_keeps_no_link_either(pool: PgPool) {
    let world = World::init(pool).await.expecting_failed_jobs();
    let link = format!(
        "http://localhost:3000/invite/{}",
        app::tokens::generate().secret
    );
    let email_id: Uuid = sqlx::query_scalar(
        "INSERT INTO emails (to_address, subject, body_text, link_url)
         VALUES ('nobody', 'Your invitation', 'Start here: [link removed after sending]', $1)
         RETURNING id",
    )
    .bind(&link)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let job = app::jobs::queue::enqueue(
        &world.pool,
        None,
        &app::email::sender::SendEmail { email_id },
    )
    .await
    .unwrap();
    world.run_jobs().await;
    let (status, kept): (String, Option<String>) =
        sqlx::query_as("SELECT status, link_url FROM emails")
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), kept), ("failed", None));
    assert_eq!(rows_with_secrets(&world, "emails").await, 0);

    // Retried from the Jobs page, it says why it cannot go.
    sqlx::query("UPDATE jobs SET status = 'queued', attempts = 0, run_at = now() WHERE id = $1")
        .bind(job)
        .execute(&world.pool)
        .await
        .unwrap();
    world.run_jobs().await;
    let error: String = sqlx::query_scalar("SELECT last_error FROM jobs WHERE id = $1")
        .bind(job)
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert!(error.contains("send a new invitation or link"), "{error}");
}
