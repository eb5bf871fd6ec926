//! The security round's promises about signing in: limits that a burst cannot beat and
//! that cannot lock the owner out, sign-outs that stay done, the user's own sessions,
//! password rules and the emails that report account changes.

use crate::support::{unwrapped, Call, Client, TestResponse, World, PASSWORD};
use app::access::Role;
use app::auth::totp::code_at;
use app::auth::{
    ChangePassword, ConfirmTwoStep, FinishSignIn, LoadMySessions, LoadSecondStep,
    LoadTwoStepStatus, RenewRecoveryCodes, RequireTwoStepForAdmins, SecondStepPrompt, SignIn,
    SignOut, SignOutElsewhere, StartTwoStep, TurnOffTwoStep, TwoStepStatus, UnlockSignIn,
};
use app::users::ChangeRole;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use server_fn::ServerFn;
use sqlx::PgPool;
use tower::ServiceExt;

const FIREFOX: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

/// The path of the first link under `prefix` in an email.
fn link_path(email: &str, prefix: &str) -> String {
    let text = unwrapped(email);
    let start = text
        .find(&format!("http://localhost:3000{prefix}"))
        .expect("a link");
    text[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .trim_start_matches("http://localhost:3000")
        .to_string()
}

async fn failures_recorded(world: &World, email: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM sign_in_failures WHERE email = $1")
        .bind(email)
        .fetch_one(&world.pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn four_hundred_sign_ins_at_once_check_at_most_the_limit_and_the_owner_still_gets_in(
    pool: PgPool,
) {
    let world = World::init(pool).await;
    world.acme().await;
    let mut tasks = Vec::new();
    for n in 0..400 {
        // Spread over addresses, so that it is the account's limit that holds.
        let mut client = world
            .client()
            .with_ip(&format!("198.51.100.{}", n % 100 + 1));
        tasks.push(tokio::spawn(async move {
            client
                .sign_in("admin@acme.test", "wrong password here")
                .await
                .status
        }));
    }
    let (mut checked, mut paused) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::UNPROCESSABLE_ENTITY => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => paused += 1,
            other => panic!("unexpected answer {other}"),
        }
    }
    assert_eq!(checked, 100, "passwords checked: the limit, and no more");
    assert_eq!(checked + paused, 400);
    assert_eq!(failures_recorded(&world, "admin@acme.test").await, checked);

    // The right password is not checked either: the limit holds for everyone...
    let mut owner = world.client().with_ip("192.0.2.10");
    let refused = owner.sign_in("admin@acme.test", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.body.contains("SignInPaused"), "{}", refused.body);
    assert!(owner.cookie.is_none(), "no session");

    // ...but the owner has been emailed a link, once however many attempts were refused.
    world.run_jobs().await;
    let links: Vec<String> = world
        .emails()
        .into_iter()
        .filter(|e| unwrapped(e).contains("/unlock/"))
        .collect();
    assert_eq!(links.len(), 1, "one email");
    assert!(links[0].contains("To: admin@acme.test"), "{}", links[0]);
    let path = link_path(&links[0], "/unlock/");

    // Opening the link changes nothing; its button lets this browser sign in.
    let page = owner.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("admin@acme.test"), "{}", page.body);
    let token = path.trim_start_matches("/unlock/").to_string();
    let unlocked = owner
        .call(UnlockSignIn {
            token: token.clone(),
        })
        .await;
    assert_eq!(unlocked.location.as_deref(), Some("/login?unlocked=1"));

    // Anyone else is still paused, even with the right password.
    let mut other = world.client().with_ip("192.0.2.66");
    assert_eq!(
        other.sign_in("admin@acme.test", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The owner's browser gets in with the password.
    assert_eq!(
        owner.sign_in("admin@acme.test", PASSWORD).await.status,
        StatusCode::OK
    );
    assert_eq!(owner.get("/admin/users").await.status, StatusCode::OK);

    // The link works once.
    let again = world.client().call(UnlockSignIn { token }).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("already used"), "{}", again.body);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_unlocked_browser_gets_a_few_attempts_for_that_account_only(pool: PgPool) {
    let world = World::init(pool).await;
    world.acme().await;
    world.use_up_sign_in_hour("admin@acme.test").await;
    let mut owner = world.client();
    owner.sign_in("admin@acme.test", PASSWORD).await;
    world.run_jobs().await;
    let email = world
        .emails()
        .into_iter()
        .find(|e| unwrapped(e).contains("/unlock/"))
        .unwrap();
    let token = link_path(&email, "/unlock/")
        .trim_start_matches("/unlock/")
        .to_string();
    owner.call(UnlockSignIn { token }).await;
    // The link does not open the account to endless guessing.
    for _ in 0..5 {
        assert_eq!(
            owner
                .sign_in("admin@acme.test", "still not it")
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    assert_eq!(
        owner.sign_in("admin@acme.test", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "five attempts, then paused again"
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn checking_the_current_password_is_limited_like_sign_in(pool: PgPool) {
    let world = World::init(pool).await;
    world.acme().await;
    let mut manager = world.signed_in("manager@acme.test").await;
    let change = || ChangePassword {
        current_password: "not my password".into(),
        new_password: "quiet otter lamp post".into(),
        confirm_password: "quiet otter lamp post".into(),
    };
    for _ in 0..100 {
        let wrong = manager.call(change()).await;
        assert_eq!(
            wrong.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            wrong.body
        );
    }
    let refused = manager
        .call(ChangePassword {
            current_password: PASSWORD.into(),
            ..change()
        })
        .await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert_eq!(failures_recorded(&world, "manager@acme.test").await, 100);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_sign_out_cannot_be_undone_by_a_request_still_in_flight(pool: PgPool) {
    let world = World::init(pool).await;
    world.acme().await;
    let mut client = world.signed_in("recruiter@acme.test").await;
    let cookie = client.cookie.clone().unwrap();
    let (data, expiry): (Vec<u8>, chrono::DateTime<chrono::Utc>) =
        sqlx::query_as("SELECT data, expiry_date FROM tower_sessions.session WHERE id = $1")
            .bind(&cookie)
            .fetch_one(&world.pool)
            .await
            .unwrap();
    client.call(SignOut {}).await;

    // A request that loaded the session before the sign-out saves it afterwards.
    sqlx::query("INSERT INTO tower_sessions.session (id, data, expiry_date) VALUES ($1, $2, $3)")
        .bind(&cookie)
        .bind(&data)
        .bind(expiry)
        .execute(&world.pool)
        .await
        .unwrap();
    let mut late = world.client();
    late.cookie = Some(cookie);
    let page = late.get("/candidates").await;
    assert_eq!(
        page.status,
        StatusCode::FOUND,
        "signed out stays signed out"
    );
    assert_eq!(page.location.as_deref(), Some("/login?next=/candidates"));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_user_sees_their_sessions_and_signs_out_everywhere_else(pool: PgPool) {
    let world = World::init(pool).await;
    let org = world.acme().await.org;
    let mut laptop = world.client().with_user_agent(FIREFOX).with_ip("192.0.2.1");
    assert_eq!(
        laptop.sign_in("manager@acme.test", PASSWORD).await.status,
        StatusCode::OK
    );
    let mut phone = world.client().with_user_agent(SAFARI).with_ip("192.0.2.2");
    phone.sign_in("manager@acme.test", PASSWORD).await;
    let mut tablet = world.client().with_ip("192.0.2.3");
    tablet.sign_in("manager@acme.test", PASSWORD).await;
    let mut colleague = world.signed_in("recruiter@acme.test").await;

    let page = laptop.get("/account").await;
    assert!(page.body.contains("Firefox on Windows"), "{}", page.body);
    assert!(page.body.contains("Safari on iPhone"));
    assert!(page.body.contains("192.0.2.2"));
    assert!(page.body.contains("This session"));
    assert!(!page.body.contains("203.0.113.7"), "no one else's sessions");
    let listed = laptop.call(LoadMySessions {}).await;
    let sessions: Vec<app::auth::SignInInfo> = serde_json::from_str(&listed.body).unwrap();
    assert_eq!(sessions.len(), 3);
    assert!(sessions[0].current && sessions[0].device == "Firefox on Windows");

    // One other session ends by itself; nobody else's can be ended.
    let phone_id = sessions
        .iter()
        .find(|s| s.device == "Safari on iPhone")
        .unwrap()
        .id;
    let foreign = colleague
        .call(SignOutElsewhere {
            sign_in: Some(phone_id),
        })
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(phone.get("/account").await.status, StatusCode::OK);
    let ended = laptop
        .call(SignOutElsewhere {
            sign_in: Some(phone_id),
        })
        .await;
    assert_eq!(ended.location.as_deref(), Some("/account?ended=1#sessions"));
    assert_eq!(phone.get("/account").await.status, StatusCode::FOUND);
    assert_eq!(tablet.get("/account").await.status, StatusCode::OK);

    // Everywhere else.
    let all = laptop.call(SignOutElsewhere { sign_in: None }).await;
    assert_eq!(all.location.as_deref(), Some("/account?ended=1#sessions"));
    assert_eq!(tablet.get("/account").await.status, StatusCode::FOUND);
    assert_eq!(laptop.get("/account").await.status, StatusCode::OK);
    assert_eq!(colleague.get("/account").await.status, StatusCode::OK);
    let page = laptop.get("/account?ended=1").await;
    assert!(page.body.contains("One other session was signed out."));
    assert!(page.body.contains("You are signed in nowhere else."));
    assert!(world
        .audit_actions(org)
        .await
        .contains(&"auth.signed_out_elsewhere".to_string()));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn behind_tls_and_a_proxy_the_cookie_is_host_prefixed_and_the_address_is_the_proxys_entry(
    pool: PgPool,
) {
    let world = World::init(pool).await;
    world.acme().await;
    let form = format!(
        "email={}&password={}",
        "admin%40acme.test",
        PASSWORD.replace(' ', "+")
    );
    let mut request = Request::post(SignIn::PATH)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header("sec-fetch-site", "same-origin")
        // The client wrote the first entry; the proxy appended the second.
        .header("x-forwarded-for", "6.6.6.6, 198.51.100.23")
        .body(Body::from(form))
        .unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo::<std::net::SocketAddr>(
            "127.0.0.1:50000".parse().unwrap(),
        ));
    let response = world
        .deployed_router()
        .await
        .oneshot(request)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.contains("are_session"))
        .unwrap();
    assert!(cookie.starts_with("__Host-are_session="), "{cookie}");
    assert!(cookie.contains("Secure"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Domain"), "{cookie}");
    let address: String = sqlx::query_scalar(
        "SELECT client_ip FROM audit_log WHERE action = 'auth.sign_in' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!(address, "198.51.100.23");
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn new_passwords_must_be_hard_to_guess_and_a_change_is_emailed(pool: PgPool) {
    let world = World::init(pool).await;
    world.acme().await;
    let mut manager = world.signed_in("manager@acme.test").await;
    let change = |new: &str| ChangePassword {
        current_password: PASSWORD.into(),
        new_password: new.into(),
        confirm_password: new.into(),
    };
    for weak in ["password1234", "qwertyuiop123", "manager@acme.test"] {
        let refused = manager.call(change(weak)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{weak}");
        assert!(
            refused.body.contains("too easy to guess"),
            "{}",
            refused.body
        );
    }
    let long = "lamp otter ".repeat(12);
    let refused = manager.call(change(&format!("{}x", &long[..128]))).await;
    assert!(refused.body.contains("at most 128"), "{}", refused.body);
    world.run_jobs().await;
    assert!(
        !world
            .emails()
            .iter()
            .any(|e| e.contains("password was changed")),
        "nothing changed yet"
    );

    let changed = manager.call(change("quiet otter lamp post")).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    world.run_jobs().await;
    let notice = world
        .emails()
        .into_iter()
        .find(|e| e.contains("Subject: Your ARE password was changed"))
        .expect("the user is told");
    assert!(notice.contains("To: manager@acme.test"), "{notice}");
    assert!(unwrapped(&notice).contains("tell your organization's admin"));
}

fn now() -> u64 {
    chrono::Utc::now().timestamp() as u64
}

/// RFC 4648 base32, as an authenticator app reads the typed key.
fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut bits, mut count, mut out) = (0u64, 0, Vec::new());
    for c in text.bytes().filter(|c| *c != b'=') {
        let value = ALPHABET.iter().position(|a| *a == c).unwrap() as u64;
        bits = (bits << 5) | value;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

/// Turns two-step sign-in on for the signed-in `client` with the code of `at`; the secret
/// and the recovery codes.
async fn turn_on_two_steps(
    world: &World,
    client: &mut Client,
    email: &str,
    at: u64,
) -> (Vec<u8>, Vec<String>) {
    assert_eq!(client.call(StartTwoStep {}).await.status, StatusCode::OK);
    let secret: Vec<u8> =
        sqlx::query_scalar("SELECT totp_pending_secret FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(&world.pool)
            .await
            .unwrap();
    let confirmed = client
        .call(ConfirmTwoStep {
            code: code_at(&secret, at),
            current_password: PASSWORD.into(),
        })
        .await;
    assert_eq!(
        confirmed.location.as_deref(),
        Some("/account/two-step"),
        "{}",
        confirmed.body
    );
    let status: TwoStepStatus =
        serde_json::from_str(&client.call(LoadTwoStepStatus {}).await.body).unwrap();
    (secret, status.fresh_codes)
}

async fn password_step(world: &World, email: &str) -> Client {
    let mut client = world.client();
    let answer = client.sign_in(email, PASSWORD).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.location.as_deref(), Some("/login/second-step"));
    client
}

/// The password on a new browser, then `code` as its second step.
async fn second_step_on_a_new_browser(world: &World, email: &str, code: &str) -> TestResponse {
    password_step(world, email)
        .await
        .call(FinishSignIn { code: code.into() })
        .await
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn five_wrong_codes_end_a_sign_in_whichever_server_process_takes_them(pool: PgPool) {
    let world = World::init(pool).await;
    world.acme().await;
    let mut manager = world.signed_in("manager@acme.test").await;
    let (secret, _) = turn_on_two_steps(&world, &mut manager, "manager@acme.test", now()).await;
    let processes = [world.router(), world.another_process().await];
    // The password on the first process, then five wrong codes on the two in turn: each
    // has the waiting sign-in's record in its cache when it sees the browser again.
    let mut browser = password_step(&world, "manager@acme.test").await;
    let valid: Vec<String> = [now() - 30, now(), now() + 30]
        .iter()
        .map(|at| code_at(&secret, *at))
        .collect();
    let wrong = ["000000", "111111", "222222"]
        .into_iter()
        .find(|code| !valid.iter().any(|v| v == code))
        .unwrap();
    for n in 1..=5 {
        browser.switch_to(processes[n % 2].clone());
        let answer = browser.call(FinishSignIn { code: wrong.into() }).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            answer.body
        );
    }
    browser.switch_to(processes[0].clone());
    let right = browser
        .call(FinishSignIn {
            code: code_at(&secret, now() + 30),
        })
        .await;
    assert_eq!(
        right.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        right.body
    );
    assert!(
        right.body.contains("too many wrong codes"),
        "{}",
        right.body
    );
}

/// The recovery codes the two-step page shows, if it shows any.
fn codes_shown(page: &str) -> Vec<String> {
    let Some(start) = page.find("class=\"recovery-codes\"") else {
        return Vec::new();
    };
    let list = &page[start..];
    let list = &list[..list.find("</ul>").expect("the list's end")];
    list.split("<code")
        .skip(1)
        .map(|item| {
            let text = &item[item.find('>').unwrap() + 1..];
            text[..text.find("</code>").unwrap()].to_string()
        })
        .collect()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn new_recovery_codes_are_shown_once_whichever_server_process_shows_the_page(pool: PgPool) {
    let world = World::init(pool).await;
    world.acme().await;
    let mut manager = world.signed_in("manager@acme.test").await;
    let (_, old_codes) = turn_on_two_steps(&world, &mut manager, "manager@acme.test", now()).await;
    assert_eq!(old_codes.len(), 10);
    let processes = [world.router(), world.another_process().await];

    // Process B serves the two-step page, and keeps the session's record in its cache.
    manager.switch_to(processes[1].clone());
    let before = manager.get("/account/two-step").await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    assert!(codes_shown(&before.body).is_empty(), "{}", before.body);

    // New codes made through process A; the browser is sent back to the page, which B
    // serves while it still has the record from before in its cache.
    manager.switch_to(processes[0].clone());
    let renewed = manager
        .call(RenewRecoveryCodes {
            current_password: PASSWORD.into(),
        })
        .await;
    assert_eq!(
        renewed.location.as_deref(),
        Some("/account/two-step"),
        "{}",
        renewed.body
    );
    manager.switch_to(processes[1].clone());
    let page = manager.get("/account/two-step").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Your recovery codes"), "{}", page.body);
    let codes = codes_shown(&page.body);
    assert_eq!(codes.len(), 10, "{}", page.body);
    assert!(codes.iter().all(|c| !old_codes.contains(c)));

    // Shown once, by either process.
    for process in &processes {
        manager.switch_to(process.clone());
        let again = manager.get("/account/two-step").await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.body);
        assert!(codes_shown(&again.body).is_empty(), "{}", again.body);
        assert!(
            !again.body.contains("Your recovery codes"),
            "{}",
            again.body
        );
    }
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM fresh_recovery_codes")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(kept, 0, "nothing is left once shown");

    // The codes shown are the account's: one signs in, and an old one does not.
    let old = second_step_on_a_new_browser(&world, "manager@acme.test", &old_codes[1]).await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    let recovered = second_step_on_a_new_browser(&world, "manager@acme.test", &codes[0]).await;
    assert_eq!(
        recovered.location.as_deref(),
        Some("/"),
        "{}",
        recovered.body
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn recovery_codes_not_shown_within_ten_minutes_are_not_shown(pool: PgPool) {
    let world = World::init(pool).await;
    world.acme().await;
    let mut manager = world.signed_in("manager@acme.test").await;
    turn_on_two_steps(&world, &mut manager, "manager@acme.test", now()).await;
    let renewed = manager
        .call(RenewRecoveryCodes {
            current_password: PASSWORD.into(),
        })
        .await;
    assert_eq!(renewed.location.as_deref(), Some("/account/two-step"));
    sqlx::query("UPDATE fresh_recovery_codes SET made_at = now() - interval '11 minutes'")
        .execute(&world.pool)
        .await
        .unwrap();
    let page = manager.get("/account/two-step").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(codes_shown(&page.body).is_empty(), "{}", page.body);
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM fresh_recovery_codes")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(kept, 0, "forgotten once asked for");
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn with_two_steps_on_a_sign_in_needs_a_fresh_code_or_an_unused_recovery_code(pool: PgPool) {
    let world = World::init(pool).await;
    world.acme().await;
    let mut manager = world.signed_in("manager@acme.test").await;
    assert_eq!(
        manager
            .call(ConfirmTwoStep {
                code: "123456".into(),
                current_password: PASSWORD.into(),
            })
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "nothing to confirm before starting"
    );
    let turned_on_at = now();
    let (secret, codes) =
        turn_on_two_steps(&world, &mut manager, "manager@acme.test", turned_on_at).await;
    assert_eq!(codes.len(), 10);
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("SELECT code_hash FROM user_recovery_codes")
        .fetch_all(&world.pool)
        .await
        .unwrap();
    assert_eq!(stored.len(), 10);
    assert!(
        !stored
            .iter()
            .any(|h| codes.iter().any(|c| h == c.as_bytes())),
        "kept as digests only"
    );
    let again: TwoStepStatus =
        serde_json::from_str(&manager.call(LoadTwoStepStatus {}).await.body).unwrap();
    assert!(
        again.enabled && again.fresh_codes.is_empty(),
        "codes are shown once"
    );
    world.run_jobs().await;
    assert!(world
        .emails()
        .iter()
        .any(|e| e.contains("Subject: Two-step sign-in is on")
            && e.contains("To: manager@acme.test")));

    // The password alone signs nobody in.
    let mut client = password_step(&world, "manager@acme.test").await;
    assert_eq!(client.get("/account").await.status, StatusCode::FOUND);
    let page = client.get("/login/second-step").await;
    assert!(page.body.contains("Sign in: second step"), "{}", page.body);
    // The code that turned it on was used: it does not work twice (its step is kept).
    let last_step: Option<i64> =
        sqlx::query_scalar("SELECT totp_last_step FROM users WHERE email = 'manager@acme.test'")
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!(last_step, Some((turned_on_at / 30) as i64));
    let replay = client
        .call(FinishSignIn {
            code: code_at(&secret, turned_on_at),
        })
        .await;
    assert_eq!(replay.status, StatusCode::UNPROCESSABLE_ENTITY);
    let next = client
        .call(FinishSignIn {
            code: code_at(&secret, now() + 30),
        })
        .await;
    assert_eq!(next.location.as_deref(), Some("/"), "{}", next.body);
    assert_eq!(client.get("/account").await.status, StatusCode::OK);

    // A recovery code works once.
    let recovered =
        second_step_on_a_new_browser(&world, "manager@acme.test", &codes[0].to_uppercase()).await;
    assert_eq!(
        recovered.location.as_deref(),
        Some("/"),
        "{}",
        recovered.body
    );
    let mut reuse = password_step(&world, "manager@acme.test").await;
    assert_eq!(
        reuse
            .call(FinishSignIn {
                code: codes[0].clone()
            })
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Five wrong codes end the attempt: the password is asked again.
    for _ in 0..4 {
        reuse
            .call(FinishSignIn {
                code: "000000".into(),
            })
            .await;
    }
    let over = reuse
        .call(FinishSignIn {
            code: code_at(&secret, now() + 30),
        })
        .await;
    assert!(over.body.contains("Sign in again"), "{}", over.body);

    // Turning it off asks for the password, and is emailed.
    let wrong = manager
        .call(TurnOffTwoStep {
            current_password: "not it".into(),
        })
        .await;
    assert!(wrong.body.contains("not correct"), "{}", wrong.body);
    let off = manager
        .call(TurnOffTwoStep {
            current_password: PASSWORD.into(),
        })
        .await;
    assert_eq!(off.location.as_deref(), Some("/account/two-step?off=1"));
    assert_eq!(
        world
            .client()
            .sign_in("manager@acme.test", PASSWORD)
            .await
            .location
            .as_deref(),
        Some("/")
    );
    world.run_jobs().await;
    assert!(world
        .emails()
        .iter()
        .any(|e| e.contains("Subject: Two-step sign-in was turned off")));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_organization_can_require_its_admins_to_sign_in_in_two_steps(pool: PgPool) {
    let world = World::init(pool).await;
    let org = world.acme().await.org;
    world.user(org, Role::Admin, "second.admin@acme.test").await;
    let mut admin = world.signed_in("admin@acme.test").await;
    let mut other_admin = world.signed_in("second.admin@acme.test").await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;

    let refused = admin.call(RequireTwoStepForAdmins { required: true }).await;
    assert!(
        refused.body.contains("your own account first"),
        "{}",
        refused.body
    );
    assert_eq!(
        recruiter
            .call(RequireTwoStepForAdmins { required: true })
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    turn_on_two_steps(&world, &mut admin, "admin@acme.test", now()).await;
    let required = admin.call(RequireTwoStepForAdmins { required: true }).await;
    assert_eq!(
        required.location.as_deref(),
        Some("/account/two-step?org=1"),
        "{}",
        required.body
    );

    // The admin without a second step is signed out; other roles are not asked.
    assert_eq!(other_admin.get("/account").await.status, StatusCode::FOUND);
    assert_eq!(recruiter.get("/account").await.status, StatusCode::OK);
    assert_eq!(admin.get("/account").await.status, StatusCode::OK);
    assert_eq!(
        world
            .client()
            .sign_in("recruiter@acme.test", PASSWORD)
            .await
            .location
            .as_deref(),
        Some("/")
    );

    // A colleague made admin now is signed out too.
    let recruiter_id: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'recruiter@acme.test'")
            .fetch_one(&world.pool)
            .await
            .unwrap();
    let promoted = admin
        .call(ChangeRole {
            user_id: recruiter_id,
            role: "admin".into(),
        })
        .await;
    assert_eq!(promoted.status, StatusCode::OK, "{}", promoted.body);
    assert_eq!(recruiter.get("/account").await.status, StatusCode::FOUND);
    assert_eq!(admin.get("/account").await.status, StatusCode::OK);

    // Their next sign-in sets one up before any page opens.
    let mut client = password_step(&world, "second.admin@acme.test").await;
    assert_eq!(client.get("/admin/users").await.status, StatusCode::FOUND);
    let prompt: Option<SecondStepPrompt> =
        serde_json::from_str(&client.call(LoadSecondStep {}).await.body).unwrap();
    let enrolment = prompt.unwrap().setup.expect("an app to set up");
    let secret = base32_decode(&enrolment.typed_secret);
    let page = client.get("/login/second-step").await;
    assert!(
        page.body.contains("Set up two-step sign-in"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<svg"), "the QR code");
    let done = client
        .call(FinishSignIn {
            code: code_at(&secret, now()),
        })
        .await;
    assert_eq!(
        done.location.as_deref(),
        Some("/account/two-step"),
        "{}",
        done.body
    );
    let status: TwoStepStatus =
        serde_json::from_str(&client.call(LoadTwoStepStatus {}).await.body).unwrap();
    assert!(status.enabled && status.org_requires);
    assert_eq!(status.fresh_codes.len(), 10);
    // Required: it stays on.
    let off = client
        .call(TurnOffTwoStep {
            current_password: PASSWORD.into(),
        })
        .await;
    assert!(off.body.contains("stays on"), "{}", off.body);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_users_own_security_functions_need_their_session(pool: PgPool) {
    let world = World::init(pool).await;
    world.acme().await;
    let calls = [
        Call::new(LoadMySessions {}),
        Call::new(SignOutElsewhere { sign_in: None }),
        Call::new(LoadTwoStepStatus {}),
        Call::new(StartTwoStep {}),
        Call::new(ConfirmTwoStep {
            code: "123456".into(),
            current_password: PASSWORD.into(),
        }),
        Call::new(RenewRecoveryCodes {
            current_password: PASSWORD.into(),
        }),
        Call::new(TurnOffTwoStep {
            current_password: PASSWORD.into(),
        }),
        Call::new(ChangePassword {
            current_password: PASSWORD.into(),
            new_password: "quiet otter lamp post".into(),
            confirm_password: "quiet otter lamp post".into(),
        }),
    ];
    let mut anonymous = world.client();
    for call in &calls {
        assert_eq!(
            anonymous.send_call(call).await.status,
            StatusCode::UNAUTHORIZED,
            "{}",
            call.path
        );
    }
    // Without a sign-in awaiting it, the second step has nothing to finish.
    let finish = anonymous
        .call(FinishSignIn {
            code: "123456".into(),
        })
        .await;
    assert_eq!(finish.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(finish.body.contains("Sign in again"), "{}", finish.body);
    assert_eq!(anonymous.get("/account").await.status, StatusCode::FOUND);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn sign_ins_in_flight_at_once_from_one_address_are_not_slowed_but_dropped_ones_count(
    pool: PgPool,
) {
    use app::auth::throttle::{failed, reserve, Admission, ThrottlePolicy};
    use std::time::Duration;

    let world = World::init(pool).await;
    let policy = ThrottlePolicy::default();
    let office = "203.0.113.7";
    let delay_of = |admission: Admission| match admission {
        Admission::Reserved { delay, .. } => delay,
        other => panic!("not reserved: {other:?}"),
    };
    // Ten colleagues behind one address sign in at the same moment: their attempts are
    // reserved (and counted against the hour's limits) but none has failed.
    let mut in_flight = Vec::new();
    for n in 0..10 {
        let email = format!("colleague{n}@example.com");
        match reserve(&world.pool, &policy, &email, office, false)
            .await
            .unwrap()
        {
            Admission::Reserved { attempt, delay } => {
                assert_eq!(delay, Duration::ZERO, "colleague {n} waits for nobody");
                in_flight.push(attempt);
            }
            other => panic!("not reserved: {other:?}"),
        }
    }
    // Failures slow the address down once there are more than the free ones.
    for attempt in in_flight.drain(..4) {
        failed(&world.pool, attempt).await.unwrap();
    }
    let next = reserve(&world.pool, &policy, "late@example.com", office, false)
        .await
        .unwrap();
    assert_eq!(delay_of(next), policy.delay_for(4));

    // At another address, an attempt whose request was dropped mid-check stays pending:
    // once a minute old it counts as failed.
    let cafe = "198.51.100.9";
    for n in 0..4 {
        let email = format!("traveller{n}@example.com");
        let admission = reserve(&world.pool, &policy, &email, cafe, false)
            .await
            .unwrap();
        assert_eq!(delay_of(admission), Duration::ZERO);
    }
    sqlx::query(
        "UPDATE sign_in_failures SET created_at = now() - interval '2 minutes'
         WHERE client_ip = $1",
    )
    .bind(cafe)
    .execute(&world.pool)
    .await
    .unwrap();
    let next = reserve(&world.pool, &policy, "traveller9@example.com", cafe, false)
        .await
        .unwrap();
    assert_eq!(delay_of(next), policy.delay_for(4));
}
