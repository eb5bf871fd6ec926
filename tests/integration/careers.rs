//! The careers page: what it lists, applying with a résumé (a new candidate, and the
//! same address again), the confirmation email and the invite, and what the form refuses
//! (bad files, the honeypot, the per-address limit) while the server keeps serving.

use app::careers::PostRequisition;
use app::documents::sample::SampleResume;
use axum::http::StatusCode;
use sqlx::PgPool;
use uuid::Uuid;

use crate::support::World;
use crate::support::{Client, TestResponse};

/// Posts `requisition` of Acme on its careers page (as its recruiter does).
pub async fn post(world: &World, requisition: Uuid) {
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let posted = recruiter
        .call(PostRequisition {
            requisition_id: requisition,
            posted: Some("yes".into()),
            assessment_id: None,
        })
        .await;
    assert!(
        posted.status.is_redirection() || posted.status.is_success(),
        "{posted:?}"
    );
}

/// The application form's fields for `email`, consenting.
fn form<'a>(name: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("full_name", name),
        ("email", email),
        ("phone", "+49 30 1234567"),
        ("cover_letter", "I would love to build ARE with you."),
        ("github", "https://github.com/example"),
        ("website", ""),
        ("consent", "yes"),
    ]
}

pub async fn apply(
    client: &mut Client,
    requisition: Uuid,
    fields: &[(&str, &str)],
    resume: Option<(&str, &[u8])>,
) -> TestResponse {
    let files: Vec<(&str, &str, &[u8])> = resume
        .map(|(name, bytes)| vec![("resume", name, bytes)])
        .unwrap_or_default();
    client
        .post_multipart(
            &format!("/careers/acme/jobs/{requisition}/apply"),
            fields,
            &files,
        )
        .await
}

/// The message a refused application was sent back with: the job's page, rendered.
async fn refusal(client: &mut Client, response: &TestResponse) -> String {
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{response:?}");
    let location = response.location.clone().unwrap();
    assert!(location.contains("__err="), "not refused: {location}");
    let page = client.get(&location).await;
    assert_eq!(page.status, StatusCode::OK);
    let start = page
        .body
        .find("class=\"form-error\"")
        .expect("the form's error");
    let text = &page.body[start..];
    let text = &text[text.find('>').unwrap() + 1..];
    text[..text.find("</p>").unwrap()].to_string()
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_careers_page_lists_only_posted_open_jobs_and_filters_them(pool: PgPool) {
    let world = World::init(pool).await;
    let acme = world.acme().await;
    let posted = world.requisition(acme.org, "Backend Engineer", None).await;
    let unposted = world
        .requisition(acme.org, "Secret Project Lead", None)
        .await;
    let closed = world.requisition(acme.org, "Old Role", None).await;
    sqlx::query("UPDATE job_requisitions SET department = 'Engineering', location = 'Berlin', description_md = '## What you do\n\nBuild **Rust** services.' WHERE id = $1")
        .bind(posted)
        .execute(&world.pool)
        .await
        .unwrap();
    post(&world, posted).await;
    post(&world, closed).await;
    sqlx::query("UPDATE job_requisitions SET status = 'on_hold' WHERE id = $1")
        .bind(closed)
        .execute(&world.pool)
        .await
        .unwrap();

    let mut visitor = world.client();
    let page = visitor.get("/careers/acme").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Jobs at Acme"));
    assert!(page.body.contains("Backend Engineer"));
    assert!(page.body.contains("1 open job"));
    assert!(!page.body.contains("Secret Project Lead"), "not posted");
    assert!(!page.body.contains("Old Role"), "posted but not open");

    let filtered = visitor.get("/careers/acme?department=Sales").await;
    assert!(filtered.body.contains("No jobs match these filters."));
    let berlin = visitor.get("/careers/acme?location=Berlin").await;
    assert!(berlin.body.contains("Backend Engineer"));

    let job = visitor.get(&format!("/careers/acme/jobs/{posted}")).await;
    assert_eq!(job.status, StatusCode::OK);
    assert!(
        job.body.contains("<strong>Rust</strong>"),
        "the description's Markdown"
    );
    assert!(job
        .body
        .contains("24 months (2 years) after the last activity"));
    assert!(job.body.contains("name=\"website\""), "the honeypot");
    for hidden in [unposted, closed] {
        let page = visitor.get(&format!("/careers/acme/jobs/{hidden}")).await;
        assert!(
            page.body.contains("not found") || page.status == StatusCode::NOT_FOUND,
            "{}",
            page.status
        );
        let applied = apply(
            &mut visitor,
            hidden,
            &form("Eve", "eve@example.com"),
            Some(("cv.pdf", &SampleResume::from_seed(1).pdf())),
        )
        .await;
        assert_eq!(applied.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(
        visitor.get("/careers/no-such-org").await.status,
        StatusCode::NOT_FOUND
    );

    // Hiring managers do not post; recruiters post only open requisitions.
    let mut manager = world.signed_in("manager@acme.test").await;
    let denied = manager
        .call(PostRequisition {
            requisition_id: unposted,
            posted: Some("yes".into()),
            assessment_id: None,
        })
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let refused = recruiter
        .call(PostRequisition {
            requisition_id: closed,
            posted: Some("yes".into()),
            assessment_id: None,
        })
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .body
        .contains("Only an open requisition can be posted"));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn applying_creates_the_candidate_in_applied_and_applying_again_is_one_application(
    pool: PgPool,
) {
    let world = World::init(pool).await;
    let acme = world.acme().await;
    let job = world.requisition(acme.org, "Backend Engineer", None).await;
    post(&world, job).await;
    let resume = SampleResume::from_seed(7);

    let mut visitor = world.client();
    let sent = apply(
        &mut visitor,
        job,
        &form("Ada Lovelace", "ada@example.com"),
        Some(("Ada CV.pdf", &resume.pdf())),
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{sent:?}");
    let location = sent.location.unwrap();
    assert!(location.starts_with(&format!("/careers/acme/jobs/{job}/applied?notice=")));
    let confirmation = visitor.get(&location).await;
    assert!(confirmation
        .body
        .contains("your application for Backend Engineer is in"));
    assert!(confirmation.body.contains("ada@example.com"));

    let (candidate, source): (Uuid, String) =
        sqlx::query_as("SELECT id, source FROM candidates WHERE lower(email) = 'ada@example.com'")
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!(source, "careers_page");
    let (stage, via): (String, String) = sqlx::query_as(
        "SELECT s.name, a.via FROM applications a JOIN pipeline_stages s ON s.id = a.stage_id
         WHERE a.candidate_id = $1 AND a.requisition_id = $2",
    )
    .bind(candidate)
    .bind(job)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!((stage.as_str(), via.as_str()), ("Applied", "careers_page"));
    world.run_jobs().await;
    let emails: Vec<String> = world
        .emails()
        .iter()
        .map(|e| crate::support::unwrapped(e))
        .collect();
    assert!(
        emails.iter().any(|e| e.contains("To: ada@example.com")
            && e.contains("Your application for Backend Engineer at Acme")),
        "the confirmation: {emails:?}"
    );
    let (status, filename): (String, String) =
        sqlx::query_as("SELECT text_status, filename FROM documents WHERE candidate_id = $1")
            .bind(candidate)
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), filename.as_str()),
        ("extracted", "Ada CV.pdf")
    );

    // The same address again (another name, another file): one record, one application,
    // the record's name kept, both submissions and both files on record.
    let again = apply(
        &mut visitor,
        job,
        &form("Augusta Ada King", "ADA@example.com"),
        Some(("cv-2.docx", &resume.docx())),
    )
    .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{again:?}");
    assert!(again.location.unwrap().contains("/applied?notice="));
    assert_eq!(
        count(
            &world.pool,
            "SELECT count(*) FROM candidates WHERE lower(email) = 'ada@example.com'"
        )
        .await,
        1
    );
    assert_eq!(
        count(&world.pool, "SELECT count(*) FROM applications").await,
        1
    );
    assert_eq!(
        count(&world.pool, "SELECT count(*) FROM career_submissions").await,
        2
    );
    assert_eq!(
        count(&world.pool, "SELECT count(*) FROM documents").await,
        2
    );
    let name: String = sqlx::query_scalar("SELECT full_name FROM candidates WHERE id = $1")
        .bind(candidate)
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(name, "Ada Lovelace", "nothing of the record is overwritten");
    // The same file a third time is the same document.
    let third = apply(
        &mut visitor,
        job,
        &form("Ada", "ada@example.com"),
        Some(("again.pdf", &resume.pdf())),
    )
    .await;
    assert_eq!(third.status, StatusCode::SEE_OTHER);
    assert_eq!(
        count(&world.pool, "SELECT count(*) FROM documents").await,
        2
    );

    // The recruiter sees what was sent on the application's page.
    world.run_jobs().await;
    let application: Uuid = sqlx::query_scalar("SELECT id FROM applications")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let page = recruiter.get(&format!("/applications/{application}")).await;
    assert!(page.body.contains("From the careers page"));
    assert!(page.body.contains("I would love to build ARE with you."));
    assert!(page.body.contains("sent 3 times"));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_form_refuses_bad_files_robots_and_a_flood_and_the_server_keeps_serving(pool: PgPool) {
    let world = World::init(pool).await;
    let acme = world.acme().await;
    let job = world.requisition(acme.org, "Backend Engineer", None).await;
    post(&world, job).await;
    let mut visitor = world.client().with_ip("198.51.100.20");
    let fields = form("Bob", "bob@example.com");

    let png_named_pdf: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "cv.pdf",
            png_named_pdf.to_vec(),
            "not of a type accepted here",
        ),
        ("cv.pdf", Vec::new(), "Attach your résumé"),
        (
            "cv.pdf",
            {
                let mut big = b"%PDF-1.4\n".to_vec();
                big.resize(11 * 1024 * 1024, b' ');
                big
            },
            "larger than 10 MB",
        ),
    ];
    for (name, bytes, message) in cases {
        let refused = apply(&mut visitor, job, &fields, Some((name, &bytes))).await;
        let text = refusal(&mut visitor, &refused).await;
        assert!(text.contains(message), "{message}: {text}");
    }
    let no_consent: Vec<(&str, &str)> = fields
        .iter()
        .copied()
        .filter(|(k, _)| *k != "consent")
        .collect();
    let refused = apply(
        &mut visitor,
        job,
        &no_consent,
        Some(("cv.txt", b"Bob\nRust")),
    )
    .await;
    assert!(refusal(&mut visitor, &refused)
        .await
        .contains("privacy notice"));
    assert_eq!(
        count(&world.pool, "SELECT count(*) FROM candidates").await,
        0,
        "nothing stored"
    );

    // A robot fills the hidden field: it is thanked and nothing is stored.
    let mut robot_fields = form("Spam", "spam@example.com");
    robot_fields.retain(|(k, _)| *k != "website");
    robot_fields.push(("website", "http://spam.example"));
    let robot = apply(
        &mut world.client().with_ip("198.51.100.30"),
        job,
        &robot_fields,
        Some(("cv.txt", b"buy now")),
    )
    .await;
    assert_eq!(robot.status, StatusCode::SEE_OTHER);
    assert!(robot.location.unwrap().contains("/applied?notice="));
    assert_eq!(
        count(&world.pool, "SELECT count(*) FROM candidates").await,
        0
    );

    // Ten attempts an hour from one address; the eleventh is refused, another address is not.
    let mut flood = world.client().with_ip("198.51.100.40");
    for n in 0..10 {
        let email = format!("person{n}@example.com");
        let sent = apply(
            &mut flood,
            job,
            &form("Person", &email),
            Some(("cv.txt", format!("Person {n}\nRust").as_bytes())),
        )
        .await;
        assert!(
            sent.location.unwrap().contains("/applied?notice="),
            "attempt {n}"
        );
    }
    let eleventh = apply(
        &mut flood,
        job,
        &form("Person", "late@example.com"),
        Some(("cv.txt", b"Late")),
    )
    .await;
    assert!(
        refusal(&mut flood, &eleventh).await.contains("Too many"),
        "the limit"
    );
    let other = apply(
        &mut world.client().with_ip("198.51.100.41"),
        job,
        &form("Other", "other@example.com"),
        Some(("cv.txt", b"Other")),
    )
    .await;
    assert!(other.location.unwrap().contains("/applied?notice="));

    // One email address from many clients: five applications an hour (each one mails the
    // address a confirmation), the sixth refused; another address is not.
    for n in 0..5 {
        let sent = apply(
            &mut world.client().with_ip(&format!("203.0.113.{n}")),
            job,
            &form("Victim", "victim@example.com"),
            Some(("cv.txt", format!("Victim {n}\nRust").as_bytes())),
        )
        .await;
        assert!(
            sent.location.unwrap().contains("/applied?notice="),
            "application {n}"
        );
    }
    let mut sixth_client = world.client().with_ip("203.0.113.99");
    let sixth = apply(
        &mut sixth_client,
        job,
        &form("Victim", "VICTIM@example.com"),
        Some(("cv.txt", b"Victim 6")),
    )
    .await;
    assert!(
        refusal(&mut sixth_client, &sixth)
            .await
            .contains("This email address has sent 5 applications to Acme in the last hour, the most accepted. Wait 60 minutes"),
        "the address's limit"
    );
    assert_eq!(
        count(
            &world.pool,
            "SELECT count(*) FROM career_submissions WHERE lower(email) = 'victim@example.com'"
        )
        .await,
        5
    );
    let documents = count(
        &world.pool,
        "SELECT count(*) FROM documents d JOIN candidates c ON c.id = d.candidate_id
         WHERE lower(c.email) = 'victim@example.com'",
    )
    .await;
    assert_eq!(documents, 5);
    let unconfirmed = count(
        &world.pool,
        "SELECT count(*) FROM documents d JOIN candidates c ON c.id = d.candidate_id
         WHERE lower(c.email) = 'victim@example.com' AND NOT d.confirmed",
    )
    .await;
    assert_eq!(unconfirmed, 4, "all but the first, which made the record");
    let another = apply(
        &mut world.client().with_ip("203.0.113.100"),
        job,
        &form("Someone", "someone@example.com"),
        Some(("cv.txt", b"Someone")),
    )
    .await;
    assert!(another.location.unwrap().contains("/applied?notice="));

    assert_eq!(world.client().get("/healthz").await.status, StatusCode::OK);
    world.run_jobs().await;
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_application_is_invited_to_the_requisition_s_assessment_at_once(pool: PgPool) {
    let world = World::init(pool).await;
    let acme = world.acme().await;
    let test = world.published_assessment(acme.org, 30).await;
    let job: Uuid = sqlx::query_scalar("SELECT requisition_id FROM assessments WHERE id = $1")
        .bind(test.assessment)
        .fetch_one(&world.pool)
        .await
        .unwrap();
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let posted = recruiter
        .call(PostRequisition {
            requisition_id: job,
            posted: Some("yes".into()),
            assessment_id: Some(test.assessment.to_string()),
        })
        .await;
    assert!(
        posted.status.is_redirection() || posted.status.is_success(),
        "{posted:?}"
    );
    let sent = apply(
        &mut world.client(),
        job,
        &form("Tess", "tess@example.com"),
        Some(("cv.txt", b"Tess\nRust, SQL")),
    )
    .await;
    assert!(sent.location.unwrap().contains("/applied?notice="));
    world.run_jobs().await;
    let emails: Vec<String> = world
        .emails()
        .into_iter()
        .map(|e| crate::support::unwrapped(&e))
        .filter(|e| e.contains("To: tess@example.com"))
        .collect();
    assert_eq!(
        emails.len(),
        2,
        "the confirmation and the test link: {emails:?}"
    );
    assert!(emails
        .iter()
        .any(|e| e.contains("its link comes in a separate email")));
    assert!(emails.iter().any(|e| e.contains("/test/")));
    assert_eq!(
        count(&world.pool, "SELECT count(*) FROM assessment_tokens").await,
        1
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn retention_deletes_new_applicants_after_the_period_they_agreed_to(pool: PgPool) {
    let world = World::init(pool).await;
    let acme = world.acme().await;
    let job = world.requisition(acme.org, "Backend Engineer", None).await;
    post(&world, job).await;
    let known = world
        .candidate(acme.org, "Kim Known", "kim@example.com")
        .await;
    let mut visitor = world.client();
    for (name, email) in [
        ("Nora New", "nora@example.com"),
        ("Kim Known", "kim@example.com"),
    ] {
        let sent = apply(
            &mut visitor,
            job,
            &form(name, email),
            Some(("cv.txt", format!("{name}\nRust").as_bytes())),
        )
        .await;
        assert!(sent.location.unwrap().contains("/applied?notice="));
    }
    world.run_jobs().await;
    // The organization keeps applications longer now than it did when they applied.
    sqlx::query("UPDATE organizations SET application_retention_months = 60 WHERE id = $1")
        .bind(acme.org)
        .execute(&world.pool)
        .await
        .unwrap();
    let age = |months: i32| {
        let pool = world.pool.clone();
        async move {
            for table in ["candidates", "applications", "career_submissions"] {
                let column = if table == "career_submissions" {
                    "created_at"
                } else {
                    "updated_at"
                };
                sqlx::query(&format!(
                    "UPDATE {table} SET {column} = now() - make_interval(months => $1)"
                ))
                .bind(months)
                .execute(&pool)
                .await
                .unwrap();
            }
            sqlx::query(
                "UPDATE applications SET stage_entered_at = now() - make_interval(months => $1)",
            )
            .bind(months)
            .execute(&pool)
            .await
            .unwrap();
        }
    };
    age(23).await;
    assert_eq!(
        app::careers::service::apply_retention(&world.pool)
            .await
            .unwrap(),
        0,
        "within the 24 months agreed"
    );
    age(25).await;
    assert_eq!(
        app::careers::service::apply_retention(&world.pool)
            .await
            .unwrap(),
        1
    );
    let left: Vec<String> = sqlx::query_scalar("SELECT email FROM candidates ORDER BY email")
        .fetch_all(&world.pool)
        .await
        .unwrap();
    assert_eq!(
        left,
        ["kim@example.com"],
        "the new applicant is deleted, the known record stays"
    );
    assert_eq!(
        count(
            &world.pool,
            &format!("SELECT count(*) FROM documents WHERE candidate_id <> '{known}'")
        )
        .await,
        0
    );
    assert!(world
        .audit_actions(acme.org)
        .await
        .contains(&"candidate.deleted".to_string()));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_resume_sent_for_an_existing_candidate_counts_for_its_applications_until_confirmed(
    pool: PgPool,
) {
    use app::candidates::merge::MergeCandidates;
    use app::documents::{AcceptParsedField, ConfirmDocument, UploadDocument};
    use server_fn::ServerFn;

    let world = World::init(pool).await;
    let acme = world.acme().await;
    world.globex().await;
    let rust = world.skill(acme.org, "Rust").await;
    let postgres = world.skill(acme.org, "PostgreSQL").await;
    let internal = world.requisition(acme.org, "Platform Engineer", None).await;
    let posted = world.requisition(acme.org, "Backend Engineer", None).await;
    let data_job = world.requisition(acme.org, "Data Engineer", None).await;
    for job in [internal, posted, data_job] {
        sqlx::query(
            "INSERT INTO requisition_skills (requisition_id, skill_id, required)
             VALUES ($1, $2, true), ($1, $3, true)",
        )
        .bind(job)
        .bind(rust)
        .bind(postgres)
        .execute(&world.pool)
        .await
        .unwrap();
    }
    post(&world, posted).await;
    post(&world, data_job).await;
    // Jane is on record with a résumé of her own (Rust only) and an application.
    let jane = world
        .candidate(acme.org, "Jane Roe", "jane@example.com")
        .await;
    let internal_application = world.application(jane, internal).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let own = recruiter
        .post_multipart(
            UploadDocument::PATH,
            &[
                ("candidate_id", jane.to_string().as_str()),
                ("kind", "resume"),
            ],
            &[("file", "jane.txt", b"Jane Roe\nI write Rust.")],
        )
        .await;
    assert!(own.status.is_success(), "{own:?}");
    world.run_jobs().await;
    let percent = |application: Uuid| {
        let pool = world.pool.clone();
        async move {
            sqlx::query_scalar::<_, i16>(
                "SELECT percent FROM application_skill_scores WHERE application_id = $1",
            )
            .bind(application)
            .fetch_optional(&pool)
            .await
            .unwrap()
        }
    };
    let application_to = |job: Uuid| {
        let pool = world.pool.clone();
        async move {
            sqlx::query_scalar::<_, Uuid>("SELECT id FROM applications WHERE requisition_id = $1")
                .bind(job)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(percent(internal_application).await, Some(50));

    // Someone gives Jane's address on the careers page with a résumé claiming PostgreSQL.
    let claimed: &[u8] = b"Jane Roe\nBerlin, Germany\nRust and PostgreSQL, ten years of each.";
    let mut visitor = world.client();
    let sent = apply(
        &mut visitor,
        posted,
        &form("Jane Roe", "jane@example.com"),
        Some(("cv.txt", claimed)),
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{sent:?}");
    world.run_jobs().await;
    let careers_application = application_to(posted).await;
    // It counts for the application it came with, and not for Jane's other one.
    assert_eq!(percent(careers_application).await, Some(100));
    assert_eq!(percent(internal_application).await, Some(50));
    let its_page = recruiter
        .get(&format!("/applications/{careers_application}"))
        .await;
    assert!(its_page.body.contains("<mark>PostgreSQL</mark>"));
    let other_page = recruiter
        .get(&format!("/applications/{internal_application}"))
        .await;
    assert!(other_page.body.contains("<mark>Rust</mark>"));
    assert!(!other_page.body.contains("<mark>PostgreSQL</mark>"));
    let profile = recruiter.get(&format!("/candidates/{jane}")).await;
    assert!(profile
        .body
        .contains("it counts only for the application to Backend Engineer."));
    assert!(!profile.body.contains("Use this location"));
    let document: Uuid = sqlx::query_scalar(
        "SELECT id FROM documents WHERE candidate_id = $1 AND via = 'careers_page'",
    )
    .bind(jane)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    // Nothing of it goes into the record before it is confirmed.
    let accepted = recruiter
        .call(AcceptParsedField {
            id: document,
            field: "location".into(),
        })
        .await;
    assert_eq!(accepted.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(accepted
        .body
        .contains("Confirm the document is the candidate's"));

    // The same file sent for another job counts for that application too.
    apply(
        &mut visitor,
        data_job,
        &form("Jane Roe", "jane@example.com"),
        Some(("cv.txt", claimed)),
    )
    .await;
    world.run_jobs().await;
    let data_application = application_to(data_job).await;
    assert_eq!(percent(data_application).await, Some(100));
    assert_eq!(percent(internal_application).await, Some(50));
    let profile = recruiter.get(&format!("/candidates/{jane}")).await;
    assert!(profile
        .body
        .contains("it counts only for the applications to Backend Engineer, Data Engineer."));

    // Jane's record is merged into another of hers that applied to Backend Engineer too:
    // the résumé counts for the application kept in place of the one it came with.
    let kept = world
        .candidate(acme.org, "Jane R. Roe", "jane.roe@example.com")
        .await;
    let kept_application = world.application(kept, posted).await;
    let merged = recruiter
        .call(MergeCandidates {
            id: kept,
            duplicate_id: jane,
        })
        .await;
    assert!(
        merged.status.is_redirection() || merged.status.is_success(),
        "{merged:?}"
    );
    assert_eq!(percent(kept_application).await, Some(100));
    assert_eq!(percent(data_application).await, Some(100));
    assert_eq!(percent(internal_application).await, Some(50));
    let profile = recruiter.get(&format!("/candidates/{kept}")).await;
    assert!(profile
        .body
        .contains("it counts only for the applications to Backend Engineer, Data Engineer."));

    // Only Acme's recruiters and admins may confirm it.
    let confirm = ConfirmDocument { id: document };
    for (email, status) in [
        ("recruiter@globex.test", StatusCode::NOT_FOUND),
        ("manager@acme.test", StatusCode::FORBIDDEN),
        ("interviewer@acme.test", StatusCode::FORBIDDEN),
    ] {
        let mut other = world.signed_in(email).await;
        assert_eq!(other.call(confirm.clone()).await.status, status, "{email}");
    }
    assert_eq!(
        world.client().call(confirm.clone()).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(percent(internal_application).await, Some(50));

    // The recruiter confirms it: it counts for every application now.
    for _ in 0..2 {
        // (a second click, from a page loaded before the first, is no error)
        let confirmed = recruiter.call(confirm.clone()).await;
        assert!(
            confirmed.status.is_redirection() || confirmed.status.is_success(),
            "{confirmed:?}"
        );
    }
    assert_eq!(percent(internal_application).await, Some(100));
    let profile = recruiter.get(&format!("/candidates/{kept}")).await;
    assert!(!profile.body.contains("it counts only for the application"));
    assert!(profile.body.contains("Use this location"));
    assert_eq!(
        count(
            &world.pool,
            "SELECT count(*) FROM audit_log WHERE action = 'document.confirmed'"
        )
        .await,
        2
    );
    let audit = world
        .signed_in("admin@acme.test")
        .await
        .call(app::audit::ListAudit {
            action: Some("document.confirmed".into()),
            actor: None,
            since: None,
            until: None,
            before: None,
        })
        .await;
    let (page, _): (app::audit::AuditPage, Vec<String>) =
        serde_json::from_str(&audit.body).unwrap();
    let sentences: Vec<String> = page.items.iter().map(|entry| entry.sentence()).collect();
    assert!(
        sentences
            .iter()
            .all(|s| s
                .ends_with("confirmed cv.txt on the profile of Jane R. Roe as the candidate's")),
        "the audit log's sentences: {sentences:?}"
    );

    // A new candidate's own résumé from the careers page counts for them at once.
    apply(
        &mut visitor,
        posted,
        &form("Ada Lovelace", "ada@example.com"),
        Some(("ada.txt", b"Ada Lovelace\nRust.".as_slice())),
    )
    .await;
    assert_eq!(
        count(
            &world.pool,
            "SELECT count(*) FROM documents WHERE NOT confirmed"
        )
        .await,
        0
    );
    world.run_jobs().await;
}
