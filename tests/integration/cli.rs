//! The command line (`are …`): `org create` on an empty database makes an organization
//! whose first admin opens the printed link, sets a password and signs in; a taken slug
//! fails with a clear message; and the arguments are parsed as documented.

use crate::support::{invite_link, World};
use app::access::Whoami;
use app::users::AcceptInvite;
use are::cli::{org_create, Cli, Command, OrgCommand, OrgCreate, ResetPasswordArgs};
use axum::http::StatusCode;
use clap::Parser;
use sqlx::PgPool;

fn initech() -> OrgCreate {
    OrgCreate {
        name: "Initech".into(),
        slug: "initech".into(),
        admin_email: "bill@initech.test".into(),
        admin_name: Some("Bill Lumbergh".into()),
    }
}

const PASSWORD: &str = "bill's long new password";

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn org_create_makes_an_organization_whose_admin_signs_in_with_the_printed_link(pool: PgPool) {
    let world = World::init(pool).await;
    let created = org_create(&world.pool, "http://localhost:3000", &initech())
        .await
        .unwrap();
    let report = created.report();
    let link = &created.invite.link;
    assert!(report.contains(link.as_str()), "{report}");
    assert!(report.contains("running server"), "{report}");
    let stages: i64 = sqlx::query_scalar("SELECT count(*) FROM pipeline_stages WHERE org_id = $1")
        .bind(created.org_id)
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert!(stages > 0, "the default pipeline stages");

    // The email carries the same link once the job workers send it.
    assert!(world.emails().is_empty(), "sent by the job, not inline");
    world.run_jobs().await;
    let emails = world.emails();
    assert_eq!(emails.len(), 1);
    assert!(emails[0].contains("To: bill@initech.test"), "{}", emails[0]);
    assert_eq!(&invite_link(&emails[0]), link);

    let path = link.trim_start_matches("http://localhost:3000");
    let token = path.trim_start_matches("/invite/");
    let mut bill = world.client();
    let page = bill.get(path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Join Initech on ARE"), "{}", page.body);
    let accepted = bill
        .call(AcceptInvite {
            token: token.into(),
            password: PASSWORD.into(),
            confirm_password: PASSWORD.into(),
        })
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);

    let mut again = world.client();
    let signed_in = again.sign_in("bill@initech.test", PASSWORD).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
    let me = again.call(Whoami {}).await;
    assert!(me.body.contains("\"role\":\"admin\""), "{}", me.body);
    assert!(me.body.contains("\"org_name\":\"Initech\""), "{}", me.body);
    let actions = world.audit_actions(created.org_id).await;
    for action in [
        "organization.created",
        "user.invited",
        "user.invite_accepted",
    ] {
        assert!(actions.contains(&action.to_string()), "{actions:?}");
    }
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_taken_or_reserved_slug_is_refused_with_a_clear_message(pool: PgPool) {
    org_create(&pool, "http://localhost:3000", &initech())
        .await
        .unwrap();
    let second = OrgCreate {
        name: "Initech again".into(),
        admin_email: "other@initech.test".into(),
        ..initech()
    };
    let error = org_create(&pool, "http://localhost:3000", &second)
        .await
        .unwrap_err();
    assert_eq!(
        format!("{error:#}"),
        "an organization with the slug initech exists already"
    );
    let reserved = OrgCreate {
        slug: "admin".into(),
        ..second.clone()
    };
    let error = org_create(&pool, "http://localhost:3000", &reserved)
        .await
        .unwrap_err();
    assert!(format!("{error:#}").contains("reserved"), "{error:#}");
    let orgs: i64 = sqlx::query_scalar("SELECT count(*) FROM organizations")
        .fetch_one(&pool)
        .await
        .unwrap();
    let invites: i64 = sqlx::query_scalar("SELECT count(*) FROM user_invites")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!((orgs, invites), (1, 1), "nothing half made");
}

#[test]
fn no_command_means_serve_and_org_create_needs_an_admin_email() {
    assert!(matches!(
        Cli::try_parse_from(["are"]).unwrap().into_command(),
        Command::Serve
    ));
    assert!(matches!(
        Cli::try_parse_from(["are", "serve"])
            .unwrap()
            .into_command(),
        Command::Serve
    ));
    assert!(matches!(
        Cli::try_parse_from(["are", "migrate"])
            .unwrap()
            .into_command(),
        Command::Migrate
    ));
    let missing = Cli::try_parse_from([
        "are", "org", "create", "--name", "Initech", "--slug", "initech",
    ])
    .unwrap_err();
    assert_eq!(
        missing.kind(),
        clap::error::ErrorKind::MissingRequiredArgument
    );
    assert!(missing.to_string().contains("--admin-email"), "{missing}");
    assert_eq!(missing.exit_code(), 2);
    let parsed = Cli::try_parse_from([
        "are",
        "org",
        "create",
        "--name",
        "Initech",
        "--slug",
        "initech",
        "--admin-email",
        "bill@initech.test",
    ])
    .unwrap();
    match parsed.into_command() {
        Command::Org(OrgCommand::Create(args)) => {
            assert_eq!(args.admin_email, "bill@initech.test");
            assert_eq!(args.admin_name, None);
        }
        other => panic!("{other:?}"),
    }
    let unknown = Cli::try_parse_from(["are", "frobnicate"]).unwrap_err();
    assert_eq!(unknown.kind(), clap::error::ErrorKind::InvalidSubcommand);
    let version = Cli::try_parse_from(["are", "--version"]).unwrap_err();
    assert_eq!(version.kind(), clap::error::ErrorKind::DisplayVersion);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn user_reset_password_prints_a_link_that_sets_a_new_password(pool: PgPool) {
    let world = World::init(pool).await;
    world.acme().await;
    let unknown = are::cli::user_reset_password(
        &world.pool,
        "http://localhost:3000",
        &ResetPasswordArgs {
            email: "nobody@acme.test".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        unknown.to_string(),
        "no active account signs in with nobody@acme.test"
    );
    let report = are::cli::user_reset_password(
        &world.pool,
        "http://localhost:3000",
        &ResetPasswordArgs {
            email: "manager@acme.test".into(),
        },
    )
    .await
    .unwrap();
    let token = report
        .split_whitespace()
        .find_map(|word| word.strip_prefix("http://localhost:3000/reset/"))
        .expect("the printed link")
        .to_string();
    let mut manager = world.client();
    let done = manager
        .call(app::auth::ResetPassword {
            token,
            new_password: "violet harbour ladder".into(),
            confirm_password: "violet harbour ladder".into(),
        })
        .await;
    assert_eq!(
        done.location.as_deref(),
        Some("/login?reset=1"),
        "{}",
        done.body
    );
    assert_eq!(
        world
            .client()
            .sign_in("manager@acme.test", "violet harbour ladder")
            .await
            .status,
        axum::http::StatusCode::OK
    );
    world.run_jobs().await;
    assert!(world
        .emails()
        .iter()
        .any(|e| e.contains("Subject: Reset your ARE password")
            && e.contains("To: manager@acme.test")));
}
