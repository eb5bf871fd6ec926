//! Organization sign-up (`ARE_SIGNUP=open`): closed by default (404), the emailed link
//! that makes the organization and its admin once, expiry, slugs taken by organizations
//! (a waiting sign-up holds none), the password rules, the same answer for an address that has
//! an account, the limits; and the plan's seats, which invitations cannot exceed.

use crate::support::{unwrapped, World};
use app::access::{Role, Whoami};
use app::signup::{ConfirmSignUp, LookupSignUp, SignUp};
use app::users::{InviteUser, RevokeInvite, SetUserActive};
use axum::http::StatusCode;
use sqlx::PgPool;
use uuid::Uuid;

const PASSWORD: &str = "violet harbour ladder";

fn sign_up(slug: &str, email: &str) -> SignUp {
    SignUp {
        org_name: "Initech".into(),
        slug: slug.into(),
        full_name: "Bill Lumbergh".into(),
        email: email.into(),
        password: PASSWORD.into(),
        confirm_password: PASSWORD.into(),
    }
}

fn confirm(token: &str, password: &str) -> ConfirmSignUp {
    ConfirmSignUp {
        token: token.into(),
        password: password.into(),
    }
}

fn sign_up_emails(world: &World) -> Vec<String> {
    world
        .emails()
        .into_iter()
        .filter(|e| e.contains("Subject: Confirm your new organization on ARE"))
        .collect()
}

/// The secret of the sign-up link in an email.
fn sign_up_token(email: &str) -> String {
    let text = unwrapped(email);
    let start = text
        .find("http://localhost:3000/signup/")
        .expect("a sign-up link");
    text[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .trim_start_matches("http://localhost:3000/signup/")
        .to_string()
}

async fn sign_ups_stored(world: &World) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM org_signups")
        .fetch_one(&world.pool)
        .await
        .unwrap()
}

async fn organizations_with_slug(world: &World, slug: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM organizations WHERE slug = $1")
        .bind(slug)
        .fetch_one(&world.pool)
        .await
        .unwrap()
}

async fn accounts_with_email(world: &World, email: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&world.pool)
        .await
        .unwrap()
}

/// Signs up `slug` for `email` and returns the token of the link emailed for it.
async fn signed_up(world: &World, slug: &str, email: &str) -> String {
    let tokens = |world: &World| -> Vec<String> {
        sign_up_emails(world)
            .iter()
            .map(|e| sign_up_token(e))
            .collect()
    };
    let before = tokens(world);
    let response = world.client().call(sign_up(slug, email)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    world.run_jobs().await;
    tokens(world)
        .into_iter()
        .find(|token| !before.contains(token))
        .expect("a new sign-up link")
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn sign_up_is_closed_by_default_and_its_pages_and_functions_are_not_found(pool: PgPool) {
    let world = World::init(pool).await;
    let mut anyone = world.client();
    assert_eq!(anyone.get("/signup").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        anyone.get("/signup/some-token").await.status,
        StatusCode::NOT_FOUND
    );
    let started = anyone.call(sign_up("initech", "bill@initech.test")).await;
    assert_eq!(started.status, StatusCode::NOT_FOUND, "{}", started.body);
    let lookup = anyone
        .call(LookupSignUp {
            token: "some-token".into(),
        })
        .await;
    assert_eq!(lookup.status, StatusCode::NOT_FOUND);
    let confirmed = anyone.call(confirm("some-token", PASSWORD)).await;
    assert_eq!(confirmed.status, StatusCode::NOT_FOUND);
    let login = anyone.get("/login").await;
    assert!(!login.body.contains("href=\"/signup\""), "{}", login.body);
    assert_eq!(sign_ups_stored(&world).await, 0);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_emailed_link_with_the_password_makes_the_organization_and_its_admin_once(
    pool: PgPool,
) {
    let world = World::with_signup_open(pool).await;
    let mut bill = world.client();
    assert!(bill.get("/login").await.body.contains("href=\"/signup\""));
    let page = bill.get("/signup").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Sign up your organization"),
        "{}",
        page.body
    );

    let started = bill.call(sign_up("initech", "Bill@Initech.test")).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let answer = started.location.unwrap();
    assert_eq!(answer, "/signup?sent=Bill%40Initech.test");
    let told = bill.get(&answer).await;
    assert!(
        told.body
            .contains("We are sending a link to Bill@Initech.test. Your organization is created when you open it"),
        "{}",
        told.body
    );

    // Nothing exists before the link is opened.
    assert_eq!(organizations_with_slug(&world, "initech").await, 0);
    assert_eq!(
        world
            .client()
            .sign_in("bill@initech.test", PASSWORD)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM org_signups")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");

    world.run_jobs().await;
    let sent = sign_up_emails(&world);
    assert_eq!(sent.len(), 1);
    assert!(sent[0].contains("To: Bill@Initech.test"), "{}", sent[0]);
    let token = sign_up_token(&sent[0]);
    let (kept_text, kept_link): (String, Option<String>) =
        sqlx::query_as("SELECT body_text, link_url FROM emails")
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert!(
        !kept_text.contains(&token) && kept_link.is_none(),
        "no secret kept"
    );
    let digests: i64 = sqlx::query_scalar("SELECT count(*) FROM org_signups WHERE token_hash = $1")
        .bind(app::tokens::digest(&token))
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(digests, 1, "only the digest is stored");

    // Opening the link changes nothing; the password chosen creates the organization.
    let link_page = bill.get(&format!("/signup/{token}")).await;
    assert_eq!(link_page.status, StatusCode::OK);
    assert!(
        link_page.body.contains("Create Initech on ARE"),
        "{}",
        link_page.body
    );
    assert_eq!(organizations_with_slug(&world, "initech").await, 0);
    let wrong = bill.call(confirm(&token, "not the password at all")).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.body.contains("not the password you chose"),
        "{}",
        wrong.body
    );
    let done = bill.call(confirm(&token, PASSWORD)).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/"));
    let me = bill.call(Whoami {}).await;
    assert!(me.body.contains("\"role\":\"admin\""), "{}", me.body);
    assert!(me.body.contains("\"org_name\":\"Initech\""), "{}", me.body);

    let (org, plan, seats): (Uuid, String, i32) =
        sqlx::query_as("SELECT id, plan, seats FROM organizations WHERE slug = 'initech'")
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!((plan.as_str(), seats), ("free", 10));
    let stages: i64 = sqlx::query_scalar("SELECT count(*) FROM pipeline_stages WHERE org_id = $1")
        .bind(org)
        .fetch_one(&world.pool)
        .await
        .unwrap();
    let reasons: i64 =
        sqlx::query_scalar("SELECT count(*) FROM rejection_reasons WHERE org_id = $1")
            .bind(org)
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert!(stages > 0 && reasons > 0, "the default stages and reasons");
    assert_eq!(
        world.audit_actions(org).await,
        vec!["organization.created".to_string()]
    );
    let users_page = bill.get("/admin/users").await;
    assert!(
        users_page.body.contains("1 of 10 seats used (Free plan)"),
        "{}",
        users_page.body
    );
    assert_eq!(
        world
            .client()
            .sign_in("bill@initech.test", PASSWORD)
            .await
            .status,
        StatusCode::OK
    );

    // Once only.
    let again = world.client().call(confirm(&token, PASSWORD)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again
            .body
            .contains("already used, has expired, or was closed after too many wrong passwords"),
        "{}",
        again.body
    );
    assert_eq!(
        world.client().get(&format!("/signup/{token}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(organizations_with_slug(&world, "initech").await, 1);

    // The page names only an address from its URL.
    let made_up = world
        .client()
        .get("/signup?sent=Call%20555-0100%20to%20claim%20your%20prize")
        .await;
    assert!(
        made_up
            .body
            .contains("We are sending a link to the address you gave."),
        "{}",
        made_up.body
    );
    assert!(!made_up.body.contains("prize"), "{}", made_up.body);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_expired_link_or_one_given_wrong_passwords_too_often_makes_nothing(pool: PgPool) {
    let world = World::with_signup_open(pool).await;
    let token = signed_up(&world, "initech", "bill@initech.test").await;
    sqlx::query("UPDATE org_signups SET expires_at = now() - interval '1 second'")
        .execute(&world.pool)
        .await
        .unwrap();
    let mut bill = world.client();
    assert_eq!(
        bill.get(&format!("/signup/{token}")).await.status,
        StatusCode::NOT_FOUND
    );
    let late = bill.call(confirm(&token, PASSWORD)).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        late.body
            .contains("already used, has expired, or was closed after too many wrong passwords"),
        "{}",
        late.body
    );
    assert_eq!(organizations_with_slug(&world, "initech").await, 0);

    // Five wrong passwords close a link.
    let token = signed_up(&world, "initech", "peter@initech.test").await;
    for _ in 0..4 {
        let wrong = bill.call(confirm(&token, "a guess of someone else")).await;
        assert!(wrong.body.contains("Enter it again"), "{}", wrong.body);
    }
    let last = bill.call(confirm(&token, "a guess of someone else")).await;
    assert!(last.body.contains("works no more"), "{}", last.body);
    let closed = bill.call(confirm(&token, PASSWORD)).await;
    assert!(
        closed
            .body
            .contains("already used, has expired, or was closed after too many wrong passwords"),
        "{}",
        closed.body
    );
    assert_eq!(organizations_with_slug(&world, "initech").await, 0);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn wrong_passwords_at_once_never_get_more_than_five_tries(pool: PgPool) {
    let world = World::with_signup_open(pool).await;
    let token = signed_up(&world, "initech", "bill@initech.test").await;
    let calls: Vec<_> = (0..10)
        .map(|n| {
            let mut client = world.client();
            let call = confirm(&token, &format!("a guess number {n}"));
            tokio::spawn(async move { client.call(call).await })
        })
        .collect();
    let mut checked = 0;
    for call in calls {
        let answer = call.await.unwrap();
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        if answer.body.contains("not the password you chose") {
            checked += 1;
        } else {
            assert!(answer.body.contains("already used"), "{}", answer.body);
        }
    }
    assert_eq!(checked, 5, "five passwords checked, no more");
    let (attempts, closed): (i32, bool) =
        sqlx::query_as("SELECT failed_attempts, closed_at IS NOT NULL FROM org_signups")
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!((attempts, closed), (5, true));
    let right = world.client().call(confirm(&token, PASSWORD)).await;
    assert!(right.body.contains("already used"), "{}", right.body);
    assert_eq!(organizations_with_slug(&world, "initech").await, 0);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_taken_reserved_or_malformed_slug_is_refused_with_a_clear_message(pool: PgPool) {
    let world = World::with_signup_open(pool).await;
    world.acme().await;
    let mut anyone = world.client();
    let taken = anyone.call(sign_up("acme", "bill@initech.test")).await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        taken
            .body
            .contains("The slug “acme” is taken: choose another."),
        "{}",
        taken.body
    );
    let reserved = anyone.call(sign_up("admin", "bill@initech.test")).await;
    assert!(
        reserved.body.contains("The slug “admin” is reserved"),
        "{}",
        reserved.body
    );
    let malformed = anyone.call(sign_up("Init Tech", "bill@initech.test")).await;
    assert!(
        malformed.body.contains("lowercase letters"),
        "{}",
        malformed.body
    );

    // A waiting sign-up holds no slug: another address may ask for it too (and learns
    // nothing about who else did), and the first confirmed gets it.
    let bills = signed_up(&world, "initech", "bill@initech.test").await;
    let peters = signed_up(&world, "initech", "peter@initech.test").await;
    assert_ne!(bills, peters);
    let first = world.client().call(confirm(&peters, PASSWORD)).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(organizations_with_slug(&world, "initech").await, 1);
    let taken_now = anyone.call(sign_up("initech", "bill@initech.test")).await;
    assert!(taken_now.body.contains("is taken"), "{}", taken_now.body);

    // Taken while Bill's sign-up waited: his link says so, makes nothing and closes, and
    // he signs up again with another slug.
    let raced = world.client().call(confirm(&bills, PASSWORD)).await;
    assert_eq!(raced.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        raced.body.contains(
            "The slug “initech” was taken by another organization while your sign-up waited, \
             so Initech was not created and this link works no more. Sign up again with \
             another slug"
        ),
        "{}",
        raced.body
    );
    assert_eq!(accounts_with_email(&world, "bill@initech.test").await, 0);
    let closed = world.client().call(confirm(&bills, PASSWORD)).await;
    assert!(
        closed
            .body
            .contains("already used, has expired, or was closed after too many wrong passwords"),
        "{}",
        closed.body
    );
    assert_eq!(
        world.client().get(&format!("/signup/{bills}")).await.status,
        StatusCode::NOT_FOUND
    );
    let again = signed_up(&world, "initech-llc", "bill@initech.test").await;
    let made = world.client().call(confirm(&again, PASSWORD)).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert_eq!(accounts_with_email(&world, "bill@initech.test").await, 1);
    assert_eq!(organizations_with_slug(&world, "initech-llc").await, 1);

    let counted: i64 = sqlx::query_scalar("SELECT count(*) FROM org_signup_requests")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(counted, 3, "refused slugs cost no attempt");
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_address_whose_account_appeared_while_its_sign_up_waited_is_told_and_the_link_closes(
    pool: PgPool,
) {
    let world = World::with_signup_open(pool).await;
    let token = signed_up(&world, "initech", "bill@initech.test").await;
    let other = world.org("Globex").await;
    world
        .user(other, Role::Interviewer, "bill@initech.test")
        .await;
    let refused = world.client().call(confirm(&token, PASSWORD)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(
            "bill@initech.test already has an ARE account, and an address belongs to one \
             account, so Initech was not created and this link works no more."
        ),
        "{}",
        refused.body
    );
    assert_eq!(organizations_with_slug(&world, "initech").await, 0);
    let closed: bool = sqlx::query_scalar("SELECT closed_at IS NOT NULL FROM org_signups")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert!(closed);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_weak_password_is_refused_and_nothing_is_stored(pool: PgPool) {
    let world = World::with_signup_open(pool).await;
    let mut anyone = world.client();
    for (password, message) in [
        ("password1234", "too easy to guess"),
        ("short", "at least 12"),
        (&"x".repeat(129) as &str, "at most 128"),
    ] {
        let weak = anyone
            .call(SignUp {
                password: password.into(),
                confirm_password: password.into(),
                ..sign_up("initech", "bill@initech.test")
            })
            .await;
        assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(weak.body.contains(message), "{password}: {}", weak.body);
    }
    assert_eq!(sign_ups_stored(&world).await, 0);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_address_with_an_account_gets_the_same_answer_and_a_notice_instead_of_a_link(
    pool: PgPool,
) {
    let world = World::with_signup_open(pool).await;
    world.acme().await;
    let mut anyone = world.client();
    let known = anyone.call(sign_up("initech", "recruiter@acme.test")).await;
    let fresh = anyone.call(sign_up("globex", "someone@globex.test")).await;
    assert_eq!(known.status, fresh.status);
    assert_eq!(known.body, fresh.body);
    assert_eq!(
        known.location.as_deref(),
        Some("/signup?sent=recruiter%40acme.test")
    );
    world.run_jobs().await;
    let emails = world.emails();
    let to_recruiter: Vec<&String> = emails
        .iter()
        .filter(|e| e.contains("To: recruiter@acme.test"))
        .collect();
    assert_eq!(to_recruiter.len(), 1);
    assert!(
        to_recruiter[0].contains("Subject: Sign-up with your address on ARE"),
        "{}",
        to_recruiter[0]
    );
    assert!(!to_recruiter[0].contains("/signup/"), "no link");
    assert_eq!(sign_up_emails(&world).len(), 1, "the fresh address's link");
    let open: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM org_signups WHERE slug = 'initech' AND closed_at IS NULL",
    )
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!(open, 0, "the sign-up is closed");
    assert_eq!(organizations_with_slug(&world, "initech").await, 0);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn sign_ups_are_limited_per_address_and_per_client(pool: PgPool) {
    let world = World::with_signup_open(pool).await;
    for n in 0..3 {
        let mut client = world.client().with_ip(&format!("198.51.100.{n}"));
        let asked = client
            .call(sign_up(&format!("initech-{n}"), "bill@initech.test"))
            .await;
        assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    }
    let mut fourth = world.client().with_ip("198.51.100.99");
    let refused = fourth.call(sign_up("initech-9", "bill@initech.test")).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    // The page says it as `AppError::RateLimited` reads: "Too many attempts. Wait 60
    // minutes and try again."
    assert_eq!(refused.body, r#"{"RateLimited":60}"#);

    let mut office = world.client().with_ip("203.0.113.50");
    for n in 0..5 {
        let asked = office
            .call(sign_up(
                &format!("office-{n}"),
                &format!("person{n}@office.test"),
            ))
            .await;
        assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    }
    let refused = office
        .call(sign_up("office-9", "one.more@office.test"))
        .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    world.run_jobs().await;
    assert_eq!(sign_up_emails(&world).len(), 8);
}

fn invitation(email: &str) -> InviteUser {
    InviteUser {
        email: email.into(),
        full_name: "New Person".into(),
        role: "interviewer".into(),
    }
}

const FULL: &str =
    "Your plan has 10 seats and all are taken: deactivate someone or revoke an invitation first.";

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn invitations_beyond_the_plans_seats_are_refused_with_what_to_do(pool: PgPool) {
    let world = World::init(pool).await;
    let acme = world.acme().await;
    let mut admin = world.signed_in("admin@acme.test").await;
    // Five people; five invitations take the other seats.
    for n in 0..5 {
        let invited = admin.call(invitation(&format!("new{n}@acme.test"))).await;
        assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    }
    let page = admin.get("/admin/users").await;
    assert!(
        page.body.contains("10 of 10 seats used (Free plan)"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Every seat is taken"), "{}", page.body);
    let refused = admin.call(invitation("one.more@acme.test")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains(FULL), "{}", refused.body);
    // Inviting an invited address again replaces its invitation: no new seat.
    let again = admin.call(invitation("new0@acme.test")).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);

    // A revoked invitation frees its seat; an expired one holds none.
    let invite: Uuid = sqlx::query_scalar(
        "SELECT id FROM user_invites WHERE email = 'new1@acme.test' AND revoked_at IS NULL",
    )
    .fetch_one(&world.pool)
    .await
    .unwrap();
    admin.call(RevokeInvite { invite_id: invite }).await;
    let within = admin.call(invitation("one.more@acme.test")).await;
    assert_eq!(within.status, StatusCode::OK, "{}", within.body);
    sqlx::query(
        "UPDATE user_invites SET expires_at = now() - interval '1 second'
         WHERE email = 'new2@acme.test'",
    )
    .execute(&world.pool)
    .await
    .unwrap();
    let after_expiry = admin.call(invitation("two.more@acme.test")).await;
    assert_eq!(after_expiry.status, StatusCode::OK, "{}", after_expiry.body);

    // A deactivated account frees its seat, and cannot come back while all are taken.
    let deactivate = SetUserActive {
        user_id: acme.interviewer,
        active: false,
    };
    assert_eq!(admin.call(deactivate).await.status, StatusCode::OK);
    let into_its_seat = admin.call(invitation("three.more@acme.test")).await;
    assert_eq!(
        into_its_seat.status,
        StatusCode::OK,
        "{}",
        into_its_seat.body
    );
    let back = admin
        .call(SetUserActive {
            user_id: acme.interviewer,
            active: true,
        })
        .await;
    assert_eq!(back.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(back.body.contains(FULL), "{}", back.body);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn invitations_at_once_never_take_more_than_the_free_seats(pool: PgPool) {
    let world = World::init(pool).await;
    world.acme().await;
    let admin = world.signed_in("admin@acme.test").await;
    let calls: Vec<_> = (0..12)
        .map(|n| {
            let mut client = world.client();
            client.cookie = admin.cookie.clone();
            tokio::spawn(
                async move { client.call(invitation(&format!("rush{n}@acme.test"))).await },
            )
        })
        .collect();
    let mut answers = Vec::new();
    for call in calls {
        answers.push(call.await.unwrap());
    }
    let accepted = answers
        .iter()
        .filter(|a| a.status == StatusCode::OK)
        .count();
    assert_eq!(accepted, 5, "five seats were free");
    for refused in answers.iter().filter(|a| a.status != StatusCode::OK) {
        assert!(refused.body.contains(FULL), "{}", refused.body);
    }
    let open: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM user_invites WHERE accepted_at IS NULL AND revoked_at IS NULL",
    )
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!(open, 5);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn organizations_of_the_command_line_start_on_the_free_plan(pool: PgPool) {
    let world = World::init(pool).await;
    let created = are::cli::org_create(
        &world.pool,
        "http://localhost:3000",
        &are::cli::OrgCreate {
            name: "Initech".into(),
            slug: "initech".into(),
            admin_email: "bill@initech.test".into(),
            admin_name: None,
        },
    )
    .await
    .unwrap();
    let (plan, seats): (app::users::plan::Plan, i32) =
        sqlx::query_as("SELECT plan, seats FROM organizations WHERE id = $1")
            .bind(created.org_id)
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!((plan, seats), (app::users::plan::Plan::Free, 10));
}
