//! Candidate CSV import and export: bad rows reported by line with nothing imported,
//! importing the other rows, skip or merge on an existing email, all or nothing when the
//! import fails, the export as filtered and only of one's organization, and who may.

use crate::support::{Acme, Client, TestResponse, World};
use app::access::Role;
use app::candidates::import::{
    CandidateImportStatus, CheckCandidateImport, ImportChoice, ImportSkippingBadRows, ImportStatus,
    ImportView, LoadCandidateImport, UploadCandidateImport,
};
use app::candidates::{CandidateForm, CreateCandidate};
use axum::http::StatusCode;
use server_fn::ServerFn;
use sqlx::PgPool;
use uuid::Uuid;

async fn acme(world: &World) -> Uuid {
    let org = world.acme().await.org;
    sqlx::query("INSERT INTO skills (org_id, name, aliases) VALUES ($1, 'Rust', '{rustlang}')")
        .bind(org)
        .execute(&world.pool)
        .await
        .unwrap();
    org
}

async fn upload(client: &mut Client, csv: &str) -> TestResponse {
    client
        .upload::<UploadCandidateImport>("people.csv", "text/csv", csv.as_bytes())
        .await
}

/// Uploads `csv` and returns the new import's id.
async fn uploaded(client: &mut Client, csv: &str) -> Uuid {
    let response = upload(client, csv).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response
        .location
        .expect("a redirect to the preview")
        .trim_start_matches("/candidates/import/")
        .parse()
        .unwrap()
}

async fn view(client: &mut Client, id: Uuid) -> ImportView {
    let response = client.call(LoadCandidateImport { id }).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    serde_json::from_str(&response.body).unwrap()
}

/// "Check and import" with the guessed columns of a `name,email,phone,location,tags,skills` file.
async fn check(client: &mut Client, id: Uuid, duplicates: &str) -> TestResponse {
    client
        .call(CheckCandidateImport {
            choice: ImportChoice {
                id,
                duplicates: duplicates.into(),
                full_name: "0".into(),
                email: "1".into(),
                phone: "2".into(),
                location: "3".into(),
                headline: String::new(),
                source: String::new(),
                tags: "4".into(),
                skills: "5".into(),
            },
        })
        .await
}

/// "Check and import" with the name in column 0 and the email in column 1.
async fn check_name_and_email(client: &mut Client, id: Uuid) -> TestResponse {
    client
        .call(CheckCandidateImport {
            choice: ImportChoice {
                id,
                duplicates: "skip".into(),
                full_name: "0".into(),
                email: "1".into(),
                ..ImportChoice::default()
            },
        })
        .await
}

async fn count(world: &World, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&world.pool)
        .await
        .unwrap()
}

const HEADER: &str = "Name,E-mail,Phone,City,Tags,Skills";

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn bad_rows_are_reported_by_line_and_nothing_is_imported_until_the_person_chooses(
    pool: PgPool,
) {
    let world = World::init(pool).await;
    let org = acme(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    // Line 3's quoted location spans two lines, so the rows after it start one line later.
    let csv = [
        HEADER,
        "Ada Lovelace,ada@example.com,+44 20,London,\"senior, math\",Rust",
        "Grace Hopper,grace@example.com,,\"Arlington,\nVirginia\",navy,rustlang",
        "Bad Email,not-an-email,,,,",
        ",nameless@example.com,,,,",
        "Alan Turing,alan@example.com,,,,",
        "Ada Again,ADA@example.com,,,,",
        "Unknown Skill,skill@example.com,,,,Cobol",
        "Barbara Liskov,barbara@example.com,,,,",
    ]
    .join("\n");
    let id = uploaded(&mut recruiter, &csv).await;

    let preview = view(&mut recruiter, id).await;
    assert_eq!(preview.status, ImportStatus::Uploaded);
    assert_eq!(preview.total_rows, 8);
    assert_eq!(preview.header[1], "E-mail");
    assert_eq!(
        preview
            .mapping
            .column(app::candidates::import::Field::Email),
        Some(1)
    );
    assert_eq!(preview.preview.len(), 5);
    assert_eq!(preview.preview[0][0], "Ada Lovelace");

    let checked = check(&mut recruiter, id, "skip").await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    let checked = view(&mut recruiter, id).await;
    assert_eq!(checked.status, ImportStatus::Uploaded);
    let lines: Vec<u64> = checked.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![5, 6, 8, 9]);
    assert!(checked.errors[0].message.contains("valid email"));
    assert!(checked.errors[1].message.contains("name"));
    assert_eq!(checked.errors[2].message, "Same email as line 2.");
    assert!(checked.errors[3].message.contains("“Cobol”"));
    assert_eq!(count(&world, "SELECT count(*) FROM candidates").await, 0);
    assert_eq!(
        count(
            &world,
            "SELECT count(*) FROM jobs WHERE kind = 'candidate.import'"
        )
        .await,
        0
    );

    let page = recruiter.get(&format!("/candidates/import/{id}")).await;
    for expected in [
        "4 rows have errors; nothing was imported",
        "Line 5: ",
        "Line 8: Same email as line 2.",
        "Import the other 4 rows and skip these lines",
    ] {
        assert!(page.body.contains(expected), "{expected} missing");
    }

    let rest = recruiter.call(ImportSkippingBadRows { id }).await;
    assert_eq!(rest.status, StatusCode::OK, "{}", rest.body);
    // Until it is done the page shows the bar and, without JavaScript, refreshes itself.
    let running = recruiter.get(&format!("/candidates/import/{id}")).await;
    assert!(running.body.contains("<progress"), "{}", running.body);
    assert!(running.body.contains("http-equiv=\"refresh\""));
    let again = recruiter.call(ImportSkippingBadRows { id }).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    world.run_jobs().await;
    let done = view(&mut recruiter, id).await;
    assert_eq!(done.status, ImportStatus::Done, "{:?}", done.error);
    assert_eq!((done.created, done.merged, done.skipped), (4, 0, 0));
    assert_eq!(done.skipped_lines, 4);
    assert_eq!(done.processed_rows, done.total_rows);
    // The file itself is not kept once imported.
    let kept: String =
        sqlx::query_scalar("SELECT content FROM candidate_imports WHERE id = $1::uuid")
            .bind(id)
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!(kept, "");
    let grace: (String, Vec<String>, i64) = sqlx::query_as(
        "SELECT location, tags, (SELECT count(*) FROM candidate_skills s WHERE s.candidate_id = c.id)
         FROM candidates c WHERE email = 'grace@example.com'",
    )
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!(
        grace,
        (
            "Arlington,\nVirginia".to_string(),
            vec!["navy".to_string()],
            1
        )
    );
    assert_eq!(count(&world, "SELECT count(*) FROM candidates").await, 4);
    assert!(world
        .audit_actions(org)
        .await
        .contains(&"candidate.import".to_string()));
    // The list page offers the import and the export.
    let list = recruiter.get("/candidates?tags=navy").await;
    assert!(list.body.contains("href=\"/candidates/import\""));
    assert!(list
        .body
        .contains("href=\"/candidates/export.csv?tags=navy\""));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_clean_file_imports_at_once_and_a_broken_file_is_explained(pool: PgPool) {
    let world = World::init(pool).await;
    acme(&world).await;
    let mut admin = world.signed_in("admin@acme.test").await;
    let id = uploaded(
        &mut admin,
        "\u{feff}name;email\n\"Lovelace; Ada\";ada@example.com\nGrace;grace@example.com\n",
    )
    .await;
    let checked = check_name_and_email(&mut admin, id).await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert_eq!(view(&mut admin, id).await.status, ImportStatus::Queued);
    world.run_jobs().await;
    assert_eq!(view(&mut admin, id).await.created, 2);
    let name: String =
        sqlx::query_scalar("SELECT full_name FROM candidates WHERE email = 'ada@example.com'")
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!(name, "Lovelace; Ada");

    for (csv, message) in [("name,email\n", "no candidates"), ("", "Choose a CSV file")] {
        let response = upload(&mut admin, csv).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.body.contains(message), "{}", response.body);
    }
    let unmapped = uploaded(&mut admin, "who,where\nAda,London\n").await;
    let response = admin
        .call(CheckCandidateImport {
            choice: ImportChoice {
                id: unmapped,
                duplicates: "skip".into(),
                ..ImportChoice::default()
            },
        })
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("names"), "{}", response.body);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn existing_candidates_are_skipped_or_merged_as_chosen(pool: PgPool) {
    let world = World::init(pool).await;
    acme(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let added = recruiter
        .call(CreateCandidate {
            form: CandidateForm {
                full_name: "Ada Lovelace".into(),
                email: "ada@example.com".into(),
                location: "London".into(),
                source: "referral".into(),
                tags: "old".into(),
                ..CandidateForm::default()
            },
        })
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let csv = format!("{HEADER}\nAda L.,ADA@example.com,+44 1,Paris,\"new, old\",Rust\nNew Person,new@example.com,,,,\n");
    let state = || async {
        sqlx::query_as::<_, (String, String, String, Vec<String>, i64)>(
            "SELECT full_name, phone, location, tags,
                    (SELECT count(*) FROM candidate_skills s WHERE s.candidate_id = c.id)
             FROM candidates c WHERE email = 'ada@example.com'",
        )
        .fetch_one(&world.pool)
        .await
        .unwrap()
    };

    let skip = uploaded(&mut recruiter, &csv).await;
    check(&mut recruiter, skip, "skip").await;
    world.run_jobs().await;
    let skipped = view(&mut recruiter, skip).await;
    assert_eq!(
        (skipped.created, skipped.merged, skipped.skipped),
        (1, 0, 1)
    );
    assert_eq!(
        state().await,
        (
            "Ada Lovelace".to_string(),
            String::new(),
            "London".to_string(),
            vec!["old".to_string()],
            0
        )
    );

    let merge = uploaded(&mut recruiter, &csv).await;
    check(&mut recruiter, merge, "merge").await;
    world.run_jobs().await;
    let merged = view(&mut recruiter, merge).await;
    assert_eq!((merged.created, merged.merged, merged.skipped), (0, 2, 0));
    assert_eq!(
        state().await,
        (
            "Ada Lovelace".to_string(),
            "+44 1".to_string(),
            "London".to_string(),
            vec!["old".to_string(), "new".to_string()],
            1
        )
    );
    assert_eq!(count(&world, "SELECT count(*) FROM candidates").await, 2);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_import_that_fails_midway_leaves_nothing_behind(pool: PgPool) {
    let world = World::init(pool).await;
    let org = acme(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    // A refusal only the database knows about, at row 250 of 300.
    sqlx::query(
        "CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           IF NEW.email = 'boom@example.com' THEN RAISE EXCEPTION 'refused'; END IF;
           RETURN NEW;
         END $$",
    )
    .execute(&world.pool)
    .await
    .unwrap();
    sqlx::query(
        "CREATE TRIGGER refuse_boom BEFORE INSERT ON candidates
         FOR EACH ROW EXECUTE FUNCTION refuse_boom()",
    )
    .execute(&world.pool)
    .await
    .unwrap();
    let mut csv = String::from("name,email\n");
    for n in 1..=300 {
        let email = if n == 250 {
            "boom@example.com".to_string()
        } else {
            format!("person{n}@example.com")
        };
        csv.push_str(&format!("Person {n},{email}\n"));
    }
    let id = uploaded(&mut recruiter, &csv).await;
    let response = check_name_and_email(&mut recruiter, id).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    world.run_jobs().await;
    let failed = view(&mut recruiter, id).await;
    assert_eq!(failed.status, ImportStatus::Failed);
    assert!(
        failed
            .error
            .as_deref()
            .unwrap()
            .contains("nothing was imported"),
        "{:?}",
        failed.error
    );
    // Progress was written beside the transaction; the candidates were not.
    assert_eq!(failed.processed_rows, 200);
    assert_eq!(count(&world, "SELECT count(*) FROM candidates").await, 0);
    assert!(!world
        .audit_actions(org)
        .await
        .contains(&"candidate.import".to_string()));
    let page = recruiter.get(&format!("/candidates/import/{id}")).await;
    assert!(page.body.contains("Nothing was imported."), "{}", page.body);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_export_has_every_filtered_candidate_of_the_organization_only(pool: PgPool) {
    let world = World::init(pool).await;
    let org = acme(&world).await;
    let other = world.org("Other").await;
    world
        .user(other, Role::Recruiter, "recruiter@other.test")
        .await;
    sqlx::query(
        "INSERT INTO candidates (org_id, full_name, email, source, tags)
         SELECT $1, 'Bulk ' || n, 'bulk' || n || '@example.com', 'sourced', '{bulk}'
         FROM generate_series(1, 1050) n",
    )
    .bind(org)
    .execute(&world.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO candidates (org_id, full_name, email, phone, headline, source, tags) VALUES
         ($1, '=HYPERLINK(\"http://evil\")', 'formula@example.com', '+44 20', 'Engineer;=cmd()', 'referral', '{special}'),
         ($2, 'Other Org Person', 'other@example.com', '', '', 'applied', '{special,bulk}')",
    )
    .bind(org)
    .bind(other)
    .execute(&world.pool)
    .await
    .unwrap();

    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let all = recruiter.get("/candidates/export.csv?tags=bulk").await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    assert_eq!(all.body.lines().count(), 1 + 1050);
    assert!(all
        .body
        .starts_with("Full name,Email,Phone,Location,Headline,Source,Tags,Skills,Created"));
    assert!(!all.body.contains("other@example.com"));
    let mut emails: Vec<&str> = all
        .body
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    emails.sort();
    emails.dedup();
    assert_eq!(emails.len(), 1050);

    let special = recruiter
        .get("/candidates/export.csv?tags=special&q=formula")
        .await;
    let lines: Vec<&str> = special.body.lines().collect();
    assert_eq!(lines.len(), 2, "{}", special.body);
    assert!(
        lines[1].starts_with("\"'=HYPERLINK(\"\"http://evil\"\")\",formula@example.com,'+44 20,,Engineer;'=cmd(),Referral,special,,"),
        "{}",
        lines[1]
    );
    assert!(world
        .audit_actions(org)
        .await
        .contains(&"candidate.export".to_string()));

    let mut stranger = world.signed_in("recruiter@other.test").await;
    let theirs = stranger.get("/candidates/export.csv").await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert_eq!(theirs.body.lines().count(), 2);
    assert!(theirs.body.contains("other@example.com"));
    assert!(!theirs.body.contains("bulk1@example.com"));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn only_admins_and_recruiters_of_the_organization_import_and_export(pool: PgPool) {
    let world = World::init(pool).await;
    acme(&world).await;
    let other = world.org("Other").await;
    world
        .user(other, Role::Recruiter, "recruiter@other.test")
        .await;
    let csv = "name,email\nAda,ada@example.com\n";
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let id = uploaded(&mut recruiter, csv).await;

    // Upload and export: allowed roles pass, others are refused.
    for (who, expected) in [
        (Some("admin@acme.test"), StatusCode::OK),
        (Some("recruiter@acme.test"), StatusCode::OK),
        (Some("manager@acme.test"), StatusCode::FORBIDDEN),
        (Some("interviewer@acme.test"), StatusCode::FORBIDDEN),
        (None, StatusCode::UNAUTHORIZED),
    ] {
        let mut client = match who {
            Some(email) => world.signed_in(email).await,
            None => world.client(),
        };
        assert_eq!(
            upload(&mut client, csv).await.status,
            expected,
            "{who:?} upload"
        );
        let export = client.get("/candidates/export.csv").await;
        assert_eq!(export.status, expected, "{who:?} export");
        for page in ["/candidates/import", &format!("/candidates/import/{id}")] {
            let response = client.get(page).await;
            match expected {
                StatusCode::OK => assert_eq!(response.status, StatusCode::OK, "{who:?} {page}"),
                StatusCode::UNAUTHORIZED => assert!(
                    response.status.is_redirection() || response.status == StatusCode::UNAUTHORIZED,
                    "{who:?} {page}: {}",
                    response.status
                ),
                _ => assert_eq!(response.status, expected, "{who:?} {page}"),
            }
        }
        let get = client.call(LoadCandidateImport { id }).await;
        assert_eq!(get.status, expected, "{who:?} get");
        let status = client.call(CandidateImportStatus { id }).await;
        assert_eq!(status.status, expected, "{who:?} status");
        if expected != StatusCode::OK {
            let checked = check(&mut client, id, "skip").await;
            assert_eq!(checked.status, expected, "{who:?} check");
            let skipped = client.call(ImportSkippingBadRows { id }).await;
            assert_eq!(skipped.status, expected, "{who:?} skip_bad");
        }
    }

    // Another organization's recruiter finds no such import.
    let mut stranger = world.signed_in("recruiter@other.test").await;
    let answers = [
        (
            LoadCandidateImport::PATH,
            stranger.call(LoadCandidateImport { id }).await,
        ),
        (
            CandidateImportStatus::PATH,
            stranger.call(CandidateImportStatus { id }).await,
        ),
        (
            ImportSkippingBadRows::PATH,
            stranger.call(ImportSkippingBadRows { id }).await,
        ),
    ];
    for (endpoint, response) in answers {
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{endpoint}");
    }
    assert_eq!(
        check(&mut stranger, id, "skip").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        stranger
            .get(&format!("/candidates/import/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Nothing was queued by anyone refused.
    assert_eq!(
        count(
            &world,
            "SELECT count(*) FROM jobs WHERE kind = 'candidate.import'"
        )
        .await,
        0
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn uploads_never_imported_are_deleted_after_a_day(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let Acme { org, recruiter, .. } = world.acme().await;
    let insert = |status: &'static str, hours_ago: i32| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, Uuid>(
                "INSERT INTO candidate_imports (org_id, created_by, filename, content, header, status, updated_at)
                 VALUES ($1, $2, 'people.csv', 'name,email', '{name,email}', $3,
                         now() - make_interval(hours => $4)) RETURNING id",
            )
            .bind(org)
            .bind(recruiter)
            .bind(status)
            .bind(hours_ago)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let abandoned = insert("uploaded", 25).await;
    let fresh = insert("uploaded", 2).await;
    let done = insert("done", 72).await;
    assert_eq!(
        app::candidates::import::data::delete_abandoned(&pool, 24)
            .await
            .unwrap(),
        1
    );
    let left: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM candidate_imports ORDER BY updated_at")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(!left.contains(&abandoned));
    assert!(left.contains(&fresh) && left.contains(&done));
    let mut client = world.signed_in("recruiter@acme.test").await;
    let page = client.get(&format!("/candidates/import/{abandoned}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}
