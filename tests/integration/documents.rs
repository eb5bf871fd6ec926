//! Candidates' documents: each accepted type read, bad files given a clear result (a 4xx
//! with a message, or a logged extraction failure) while the server keeps serving, the
//! skills found with their evidence and the application's score, who may reach a
//! document, and what deleting a document and erasing the candidate leave.

use app::candidates::DeleteCandidate;
use app::documents::sample::{self, SampleResume};
use app::documents::{DeleteDocument, LoadDocuments, UploadDocument};
use axum::http::StatusCode;
use server_fn::ServerFn;
use sqlx::PgPool;
use uuid::Uuid;

use crate::support::World;
use crate::support::{Client, TestResponse};

async fn upload(client: &mut Client, candidate: Uuid, name: &str, bytes: &[u8]) -> TestResponse {
    client
        .post_multipart(
            UploadDocument::PATH,
            &[
                ("candidate_id", candidate.to_string().as_str()),
                ("kind", "resume"),
            ],
            &[("file", name, bytes)],
        )
        .await
}

async fn document_of(pool: &PgPool, candidate: Uuid, filename: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM documents WHERE candidate_id = $1 AND filename = $2")
        .bind(candidate)
        .bind(filename)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// The document's text status and its attempts' (method, status, error).
async fn outcome(pool: &PgPool, document: Uuid) -> (String, Vec<(String, String, Option<String>)>) {
    let status = sqlx::query_scalar("SELECT text_status FROM documents WHERE id = $1")
        .bind(document)
        .fetch_one(pool)
        .await
        .unwrap();
    let attempts = sqlx::query_as(
        "SELECT method, status, error FROM extraction_logs WHERE document_id = $1 ORDER BY id",
    )
    .bind(document)
    .fetch_all(pool)
    .await
    .unwrap();
    (status, attempts)
}

async fn count(pool: &PgPool, sql: &str, id: Uuid) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Acme's skills: Rust, Java, JavaScript (alias JS), PostgreSQL (alias Postgres).
async fn skills(world: &World, org: Uuid) -> [Uuid; 4] {
    let rust = world.skill(org, "Rust").await;
    let java = world.skill(org, "Java").await;
    let javascript = world.skill(org, "JavaScript").await;
    let postgres = world.skill(org, "PostgreSQL").await;
    sqlx::query("UPDATE skills SET aliases = ARRAY['JS'] WHERE id = $1")
        .bind(javascript)
        .execute(&world.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE skills SET aliases = ARRAY['Postgres'] WHERE id = $1")
        .bind(postgres)
        .execute(&world.pool)
        .await
        .unwrap();
    [rust, java, javascript, postgres]
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn every_accepted_type_is_read_and_bad_files_get_a_clear_result(pool: PgPool) {
    let world = World::init(pool).await;
    let acme = world.acme().await;
    let candidate = world
        .candidate(acme.org, "Jane Roe", "jane@example.com")
        .await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let resume = SampleResume::from_seed(3);

    for (name, bytes) in [
        ("cv.pdf", resume.pdf()),
        ("cv.docx", resume.docx()),
        ("cv.txt", resume.text().into_bytes()),
    ] {
        let sent = upload(&mut recruiter, candidate, name, &bytes).await;
        assert!(
            sent.status.is_success() || sent.status.is_redirection(),
            "{name}: {sent:?}"
        );
    }
    // Refused at the upload, with a message: a PNG renamed .pdf, an empty file, 11 MB.
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(11 * 1024 * 1024, b' ');
    for (name, bytes, message) in [
        ("photo.pdf", png.to_vec(), "not of a type accepted here"),
        ("empty.pdf", Vec::new(), "may not be empty"),
        ("big.pdf", big, "larger than 10 MB"),
    ] {
        let refused = upload(&mut recruiter, candidate, name, &bytes).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(refused.body.contains(message), "{name}: {}", refused.body);
    }
    // Accepted, then logged as failures by the extraction job.
    for (name, bytes) in [
        ("bomb.docx", sample::zip_bomb_docx()),
        ("truncated.pdf", sample::truncated_pdf()),
        ("malformed.pdf", sample::malformed_pdf()),
        ("scan.pdf", sample::scanned_pdf()),
    ] {
        let sent = upload(&mut recruiter, candidate, name, &bytes).await;
        assert!(sent.status.is_success(), "{name}: {sent:?}");
    }
    world.run_jobs().await;

    for name in ["cv.pdf", "cv.docx", "cv.txt"] {
        let document = document_of(&world.pool, candidate, name).await;
        let (status, attempts) = outcome(&world.pool, document).await;
        assert_eq!(status, "extracted", "{name}: {attempts:?}");
        assert_eq!(attempts.len(), 1);
        assert_eq!(attempts[0].1, "succeeded");
        let text: String = sqlx::query_scalar("SELECT text FROM documents WHERE id = $1")
            .bind(document)
            .fetch_one(&world.pool)
            .await
            .unwrap();
        assert!(text.contains(&resume.email), "{name} keeps the email");
    }
    let (status, attempts) = outcome(
        &world.pool,
        document_of(&world.pool, candidate, "bomb.docx").await,
    )
    .await;
    assert_eq!(status, "failed");
    assert!(
        attempts[0]
            .2
            .as_deref()
            .unwrap()
            .contains("expands to more than"),
        "{attempts:?}"
    );
    for name in ["truncated.pdf", "malformed.pdf"] {
        let (status, attempts) =
            outcome(&world.pool, document_of(&world.pool, candidate, name).await).await;
        assert_eq!(status, "failed", "{name}: {attempts:?}");
        assert_eq!(attempts[0].0, "pdf_text");
        assert!(attempts[0].2.is_some(), "{name}: the error is logged");
    }
    let (status, attempts) = outcome(
        &world.pool,
        document_of(&world.pool, candidate, "scan.pdf").await,
    )
    .await;
    assert_eq!(attempts[0].1, "no_text", "{attempts:?}");
    if app::documents::extract::ocr_available() {
        assert_eq!(
            attempts.last().unwrap().0,
            "ocr",
            "read again by OCR: {attempts:?}"
        );
    } else {
        assert_eq!(status, "no_text");
        assert!(attempts[0]
            .2
            .as_deref()
            .unwrap()
            .contains("OCR is not installed"));
    }

    // The profile shows each document, its status and its log.
    let page = recruiter.get(&format!("/candidates/{candidate}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("bomb.docx"));
    assert!(page.body.contains("Text extraction failed"));
    assert!(page.body.contains("Extraction log"));
    assert!(page.body.contains(&resume.email));
    assert_eq!(world.client().get("/healthz").await.status, StatusCode::OK);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn skills_are_found_with_their_evidence_and_score_the_application(pool: PgPool) {
    let world = World::init(pool).await;
    let acme = world.acme().await;
    let [rust, java, javascript, postgres] = skills(&world, acme.org).await;
    let job = world.requisition(acme.org, "Backend Engineer", None).await;
    sqlx::query(
        "INSERT INTO requisition_skills (requisition_id, skill_id, required)
         VALUES ($1, $2, true), ($1, $3, true), ($1, $4, false), ($1, $5, false)",
    )
    .bind(job)
    .bind(rust)
    .bind(java)
    .bind(postgres)
    .bind(javascript)
    .execute(&world.pool)
    .await
    .unwrap();
    let candidate = world
        .candidate(acme.org, "Jane Roe", "jane@example.com")
        .await;
    let application = world.application(candidate, job).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let text = "Jane Roe\njane@example.com\n\nI build services in Rust on Postgres. Before that I wrote JavaScript for years.\n";
    let sent = upload(&mut recruiter, candidate, "cv.txt", text.as_bytes()).await;
    assert!(sent.status.is_success());
    world.run_jobs().await;

    let found: Vec<(String, String, i32, String)> = sqlx::query_as(
        "SELECT s.name, m.term, m.match_offset, m.sentence FROM skill_matches m JOIN skills s ON s.id = m.skill_id
         WHERE m.candidate_id = $1 ORDER BY s.name",
    )
    .bind(candidate)
    .fetch_all(&world.pool)
    .await
    .unwrap();
    let names: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        names,
        ["JavaScript", "PostgreSQL", "Rust"],
        "Java is not in JavaScript"
    );
    let postgres_hit = &found[1];
    assert_eq!(postgres_hit.1, "Postgres", "found by its alias");
    assert_eq!(
        &text[postgres_hit.2 as usize..postgres_hit.2 as usize + 8],
        "Postgres"
    );
    assert!(postgres_hit
        .3
        .contains("I build services in Rust on Postgres."));

    // Required Rust (found) and Java (missing), nice PostgreSQL and JavaScript (found):
    // 2 + 0 + 1 + 1 of 6 points.
    let (percent, required_found, required_total): (i16, i32, i32) = sqlx::query_as(
        "SELECT percent, required_found, required_total FROM application_skill_scores WHERE application_id = $1",
    )
    .bind(application)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!((percent, required_found, required_total), (67, 1, 2));
    let board = recruiter
        .get(&format!("/requisitions/{job}/pipeline"))
        .await;
    assert!(
        board.body.contains("Skills 67% · 1 of 2 required"),
        "the card's badge"
    );
    let page = recruiter.get(&format!("/applications/{application}")).await;
    assert!(page.body.contains("Skill match: 67%"));
    assert!(
        page.body.contains("<mark>Postgres</mark>"),
        "the evidence highlighted"
    );
    assert!(page.body.contains("Java"));

    // Java becomes nice to have: the requisition's change rescores (a job).
    sqlx::query("UPDATE requisition_skills SET required = false WHERE requisition_id = $1 AND skill_id = $2")
        .bind(job)
        .bind(java)
        .execute(&world.pool)
        .await
        .unwrap();
    app::jobs::queue::enqueue(
        &world.pool,
        Some(acme.org),
        &app::skills::scores::ScoreRequisition {
            requisition_id: job,
        },
    )
    .await
    .unwrap();
    world.run_jobs().await;
    let percent: i16 = sqlx::query_scalar(
        "SELECT percent FROM application_skill_scores WHERE application_id = $1",
    )
    .bind(application)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!(percent, 80, "Rust 2 + PostgreSQL 1 + JavaScript 1 of 5");

    // Deleting the only document takes its skills out of the score at once.
    let document = document_of(&world.pool, candidate, "cv.txt").await;
    let deleted = recruiter.call(DeleteDocument { id: document }).await;
    assert!(deleted.status.is_success() || deleted.status.is_redirection());
    assert_eq!(
        count(
            &world.pool,
            "SELECT count(*) FROM application_skill_scores WHERE application_id = $1",
            application
        )
        .await,
        0
    );
    let board = recruiter
        .get(&format!("/requisitions/{job}/pipeline"))
        .await;
    assert!(!board.body.contains("Skills 80%"));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_document_is_reached_only_by_its_organization_s_recruiters(pool: PgPool) {
    let world = World::init(pool).await;
    let acme = world.acme().await;
    world.globex().await;
    let candidate = world
        .candidate(acme.org, "Jane Roe", "jane@example.com")
        .await;
    let job = world
        .requisition(acme.org, "Backend Engineer", Some(acme.manager))
        .await;
    world.application(candidate, job).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let sent = upload(&mut recruiter, candidate, "cv.txt", b"Jane Roe\nRust").await;
    assert!(sent.status.is_success());
    let document = document_of(&world.pool, candidate, "cv.txt").await;
    let file = format!("/documents/{document}/file");
    let download = recruiter.get(&file).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.body, "Jane Roe\nRust");

    let list = LoadDocuments {
        candidate_id: candidate,
    };
    for (email, status) in [
        ("recruiter@globex.test", StatusCode::NOT_FOUND),
        ("manager@acme.test", StatusCode::FORBIDDEN),
        ("interviewer@acme.test", StatusCode::FORBIDDEN),
    ] {
        let mut other = world.signed_in(email).await;
        assert_eq!(other.get(&file).await.status, status, "{email} downloads");
        assert_eq!(
            other.call(list.clone()).await.status,
            status,
            "{email} lists"
        );
        assert_eq!(
            other.call(DeleteDocument { id: document }).await.status,
            status,
            "{email} deletes"
        );
        let upload = upload(&mut other, candidate, "x.txt", b"x").await;
        assert_eq!(upload.status, status, "{email} uploads");
    }
    let mut anonymous = world.client();
    assert_eq!(anonymous.get(&file).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.call(list).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        count(
            &world.pool,
            "SELECT count(*) FROM documents WHERE candidate_id = $1",
            candidate
        )
        .await,
        1
    );
    world.run_jobs().await;
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn deleting_a_document_keeps_its_log_and_matches_and_erasing_the_candidate_removes_all(
    pool: PgPool,
) {
    let world = World::init(pool).await;
    let acme = world.acme().await;
    skills(&world, acme.org).await;
    let candidate = world
        .candidate(acme.org, "Jane Roe", "jane@example.com")
        .await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    upload(
        &mut recruiter,
        candidate,
        "one.txt",
        b"Jane Roe\nRust and Postgres.",
    )
    .await;
    upload(
        &mut recruiter,
        candidate,
        "two.txt",
        b"Jane Roe\nJavaScript.",
    )
    .await;
    world.run_jobs().await;
    let one = document_of(&world.pool, candidate, "one.txt").await;
    let file_of = |id: Uuid| {
        let pool = world.pool.clone();
        async move {
            sqlx::query_scalar::<_, Option<Uuid>>("SELECT file_id FROM documents WHERE id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let file = file_of(one).await.unwrap();
    let deleted = recruiter.call(DeleteDocument { id: one }).await;
    assert!(
        deleted.status.is_redirection() || deleted.status.is_success(),
        "{deleted:?}"
    );
    assert_eq!(file_of(one).await, None);
    assert_eq!(
        count(
            &world.pool,
            "SELECT count(*) FROM files WHERE id = $1",
            file
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &world.pool,
            "SELECT count(*) FROM skill_matches WHERE document_id = $1",
            one
        )
        .await,
        2,
        "matches kept"
    );
    assert_eq!(
        count(
            &world.pool,
            "SELECT count(*) FROM extraction_logs WHERE document_id = $1",
            one
        )
        .await,
        1,
        "log kept"
    );
    assert_eq!(
        recruiter
            .get(&format!("/documents/{one}/file"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let page = recruiter.get(&format!("/candidates/{candidate}")).await;
    assert!(page
        .body
        .contains("the file is gone; what was read from it stays on record"));

    let keys: Vec<String> =
        sqlx::query_scalar("SELECT storage_key FROM files WHERE candidate_id = $1")
            .bind(candidate)
            .fetch_all(&world.pool)
            .await
            .unwrap();
    assert_eq!(keys.len(), 1);
    let erased = recruiter
        .call(DeleteCandidate {
            id: candidate,
            confirm: Some("yes".into()),
        })
        .await;
    assert!(
        erased.status.is_redirection() || erased.status.is_success(),
        "{erased:?}"
    );
    for table in [
        "documents",
        "extraction_logs",
        "skill_matches",
        "files",
        "career_submissions",
    ] {
        let left = count(
            &world.pool,
            &format!("SELECT count(*) FROM {table} WHERE candidate_id = $1"),
            candidate,
        )
        .await;
        assert_eq!(left, 0, "{table}");
    }
    app::files::purge::purge_all(&world.pool, &world.files)
        .await
        .unwrap();
    for key in keys {
        assert!(
            world.files.get(&key).await.is_err(),
            "the bytes are gone: {key}"
        );
    }
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_merge_brings_the_duplicate_s_documents_and_keeps_one_copy_of_the_same_file(
    pool: PgPool,
) {
    let world = World::init(pool).await;
    let acme = world.acme().await;
    skills(&world, acme.org).await;
    let kept = world
        .candidate(acme.org, "Jane Roe", "jane@example.com")
        .await;
    let duplicate = world
        .candidate(acme.org, "Jane Roe", "jane.roe@example.com")
        .await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    upload(&mut recruiter, kept, "cv.txt", b"Jane Roe\nRust.").await;
    upload(&mut recruiter, duplicate, "same-cv.txt", b"Jane Roe\nRust.").await;
    upload(
        &mut recruiter,
        duplicate,
        "letter.txt",
        b"Dear Acme, I know Postgres.",
    )
    .await;
    world.run_jobs().await;
    let same = document_of(&world.pool, duplicate, "same-cv.txt").await;
    let merged = recruiter
        .call(app::candidates::merge::MergeCandidates {
            id: kept,
            duplicate_id: duplicate,
        })
        .await;
    assert!(
        merged.status.is_success() || merged.status.is_redirection(),
        "{merged:?}"
    );
    let live: Vec<String> = sqlx::query_scalar(
        "SELECT filename FROM documents WHERE candidate_id = $1 AND deleted_at IS NULL ORDER BY filename",
    )
    .bind(kept)
    .fetch_all(&world.pool)
    .await
    .unwrap();
    assert_eq!(live, ["cv.txt", "letter.txt"]);
    let (owner, file): (Uuid, Option<Uuid>) =
        sqlx::query_as("SELECT candidate_id, file_id FROM documents WHERE id = $1")
            .bind(same)
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!(
        (owner, file),
        (kept, None),
        "the second copy is deleted, on record"
    );
    assert_eq!(
        count(
            &world.pool,
            "SELECT count(*) FROM files WHERE candidate_id = $1",
            kept
        )
        .await,
        2
    );
    let skills_found: i64 = count(
        &world.pool,
        "SELECT count(DISTINCT skill_id) FROM skill_matches WHERE candidate_id = $1",
        kept,
    )
    .await;
    assert_eq!(
        skills_found, 2,
        "Rust and PostgreSQL, now the kept record's"
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_document_whose_bytes_cannot_be_read_ends_as_failed_not_reading(pool: PgPool) {
    let world = World::init(pool).await.expecting_failed_jobs();
    let acme = world.acme().await;
    let candidate = world
        .candidate(acme.org, "Jane Roe", "jane@example.com")
        .await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    upload(&mut recruiter, candidate, "cv.txt", b"Jane Roe\nRust.").await;
    let document = document_of(&world.pool, candidate, "cv.txt").await;
    // The stored bytes are gone (a store that lost them, a bucket emptied by hand).
    sqlx::query(
        "UPDATE files SET storage_key = 'lost/' || id
         WHERE id = (SELECT file_id FROM documents WHERE id = $1)",
    )
    .bind(document)
    .execute(&world.pool)
    .await
    .unwrap();

    // The test worker retries at once: every attempt fails on the missing bytes, and the
    // last one records the outcome.
    world.run_jobs().await;
    let job: (String, i32) =
        sqlx::query_as("SELECT status, attempts FROM jobs WHERE kind = 'document.extract'")
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!(job, ("failed".to_string(), 3));
    let (status, attempts) = outcome(&world.pool, document).await;
    assert_eq!(status, "failed");
    assert_eq!(
        attempts,
        vec![(
            "plain_text".to_string(),
            "failed".to_string(),
            Some(app::documents::job::GAVE_UP.to_string())
        )]
    );
    let page = recruiter.get(&format!("/candidates/{candidate}")).await;
    assert!(page.body.contains("Text extraction failed"));
    assert!(!page.body.contains("Reading the text"));
    assert!(page.body.contains(app::documents::job::GAVE_UP));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_same_file_sent_twice_at_once_is_one_document(pool: PgPool) {
    let world = World::init(pool).await;
    let acme = world.acme().await;
    let candidate = world
        .candidate(acme.org, "Jane Roe", "jane@example.com")
        .await;
    let mut first = world.signed_in("recruiter@acme.test").await;
    let mut second = world.signed_in("recruiter@acme.test").await;
    let bytes = SampleResume::from_seed(5).pdf();
    // The candidate's lock is held here until both uploads wait for it, so both have
    // stored their bytes and found no document before either writes one.
    let mut holder = world.pool.begin().await.unwrap();
    app::documents::data::lock_additions(&mut holder, candidate)
        .await
        .unwrap();
    let release = async {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let waiting: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
            )
            .fetch_one(&world.pool)
            .await
            .unwrap();
            if waiting >= 2 {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "both uploads wait");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        holder.rollback().await.unwrap();
    };
    let (a, b, ()) = tokio::join!(
        upload(&mut first, candidate, "cv.pdf", &bytes),
        upload(&mut second, candidate, "cv (1).pdf", &bytes),
        release,
    );
    for sent in [a, b] {
        assert!(
            sent.status.is_success() || sent.status.is_redirection(),
            "{sent:?}"
        );
    }
    assert_eq!(
        count(
            &world.pool,
            "SELECT count(*) FROM documents WHERE candidate_id = $1",
            candidate
        )
        .await,
        1
    );
    world.run_jobs().await;
}
