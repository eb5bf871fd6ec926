//! The dashboard's queues: each item is listed while its work waits and gone once it is
//! done, for the role whose work it is and in its organization only; activity reads as
//! sentences with the action's code beside.

use crate::support::{Acme, World};
use app::pipeline::MoveApplications;
use axum::http::StatusCode;
use sqlx::PgPool;
use uuid::Uuid;

struct Scene {
    acme: Acme,
    requisition: Uuid,
    candidate: Uuid,
    application: Uuid,
}

/// Operations analyst, opened by recruiter@ and managed by manager@, with Ada Lovelace
/// applied.
async fn scene(world: &World) -> Scene {
    let acme = world.acme().await;
    let requisition = world
        .requisition(acme.org, "Operations analyst", Some(acme.manager))
        .await;
    sqlx::query("UPDATE job_requisitions SET created_by = $2 WHERE id = $1")
        .bind(requisition)
        .bind(acme.recruiter)
        .execute(&world.pool)
        .await
        .unwrap();
    let candidate = world
        .candidate(acme.org, "Ada Lovelace", "ada@example.com")
        .await;
    let application = world.application(candidate, requisition).await;
    Scene {
        acme,
        requisition,
        candidate,
        application,
    }
}

/// The dashboard's markup without the framework's empty comments between text parts
/// (written `<!---->` by `src/html.rs`).
async fn dashboard(client: &mut crate::support::Client) -> String {
    client.get("/").await.body.replace("<!---->", "")
}

/// The body of the dashboard's section headed `heading`.
fn section<'a>(page: &'a str, heading: &str) -> &'a str {
    let start = page
        .find(&format!(">{heading} <span class=\"count\">"))
        .or_else(|| page.find(&format!(">{heading}</h2>")))
        .unwrap_or_else(|| panic!("no section {heading}"));
    let rest = &page[start..];
    &rest[..rest.find("</section>").unwrap()]
}

fn count(section: &str) -> &str {
    let start = section.find("<span class=\"count\">").unwrap() + 20;
    &section[start..start + section[start..].find('<').unwrap()]
}

async fn interview(world: &World, scene: &Scene, interviewer: Uuid, starts: &str) -> Uuid {
    sqlx::query_scalar(&format!(
        "INSERT INTO interviews (org_id, application_id, interviewer_id, kind, starts_at,
             duration_minutes, created_by)
         VALUES ($1, $2, $3, 'technical', {starts}, 45, $4) RETURNING id"
    ))
    .bind(scene.acme.org)
    .bind(scene.application)
    .bind(interviewer)
    .bind(scene.acme.recruiter)
    .fetch_one(&world.pool)
    .await
    .unwrap()
}

async fn screening(world: &World, scene: &Scene) -> Uuid {
    sqlx::query_scalar("SELECT id FROM pipeline_stages WHERE org_id = $1 AND name = 'Screening'")
        .bind(scene.acme.org)
        .fetch_one(&world.pool)
        .await
        .unwrap()
}

/// Moves Ada to `stage` on the board, as `client`.
async fn move_to(
    client: &mut crate::support::Client,
    scene: &Scene,
    stage: Uuid,
) -> crate::support::TestResponse {
    client
        .call(MoveApplications {
            requisition_id: scene.requisition,
            application_ids: Some(vec![scene.application]),
            to_stage: stage.to_string(),
            reason: None,
        })
        .await
}

async fn submit_feedback(world: &World, scene: &Scene, interview: Uuid, author: Uuid) {
    sqlx::query(
        "INSERT INTO interview_feedback (org_id, interview_id, author_id, status, recommendation,
             version, first_submitted_at, submitted_at)
         VALUES ($1, $2, $3, 'submitted', 'yes', 1, now(), now())",
    )
    .bind(scene.acme.org)
    .bind(interview)
    .bind(author)
    .execute(&world.pool)
    .await
    .unwrap();
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_recruiters_requisitions_count_candidates_per_stage_and_what_is_new(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    // The recruiter signed in to add Ada, and again now: she is new since the last time.
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let page = dashboard(&mut recruiter).await;
    let mine = section(&page, "Your open requisitions");
    assert_eq!(count(mine), "1");
    assert!(mine.contains(&format!("/requisitions/{}/pipeline", scene.requisition)));
    assert!(mine.contains("1 candidate: Applied 1"), "{mine}");
    assert!(mine.contains("1 new</strong>"), "{mine}");
    assert!(mine.contains("since you last signed in"), "{mine}");

    // The next sign-in moves the mark past her.
    let mut again = world.signed_in("recruiter@acme.test").await;
    let page = dashboard(&mut again).await;
    assert!(!section(&page, "Your open requisitions").contains(" new</strong>"));

    // Never signed in before: nothing is counted as new, and no mark is named.
    sqlx::query("UPDATE users SET previous_sign_in_at = NULL WHERE id = $1")
        .bind(scene.acme.recruiter)
        .execute(&world.pool)
        .await
        .unwrap();
    let page = dashboard(&mut recruiter).await;
    let mine = section(&page, "Your open requisitions");
    assert!(!mine.contains(" new</strong>") && !mine.contains("since you last signed in"));

    // A requisition the recruiter neither opened nor joins is not theirs.
    let page = dashboard(&mut world.signed_in("admin@acme.test").await).await;
    assert_eq!(count(section(&page, "Your open requisitions")), "0");
    assert!(page.contains("those you open or are on the team of show here"));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn grading_and_expiring_links_are_listed_until_done(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let assessment = world
        .published_assessment(scene.acme.org, 30)
        .await
        .assessment;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let page = recruiter.get("/").await.body.replace("<!---->", "");
    assert_eq!(count(section(&page, "Answers to grade")), "0");
    assert_eq!(count(section(&page, "Test links expiring unstarted")), "0");

    // A link expiring tomorrow, unstarted; another in a week (not yet a worry).
    world
        .assessment_invite(scene.acme.org, assessment, "1 day")
        .await;
    world
        .assessment_invite(scene.acme.org, assessment, "7 days")
        .await;
    let page = recruiter.get("/").await.body.replace("<!---->", "");
    let expiring = section(&page, "Test links expiring unstarted");
    assert_eq!(count(expiring), "1");
    assert!(expiring.contains("Casey Candidate"), "{expiring}");
    assert!(expiring.contains(&format!("/assessments/{assessment}")));

    // Started: it no longer needs a nudge. Finished with an essay to grade: grading waits.
    let session: Uuid = sqlx::query_scalar(
        "INSERT INTO test_sessions (org_id, assessment_id, assessment_application_id, token_id,
             consented_at, deadline_at, status, finished_at, ungraded_count)
         SELECT t.org_id, aa.assessment_id, aa.id, t.id, now(), now() + interval '1 hour', 'submitted', now(), 1
         FROM assessment_tokens t JOIN assessment_applications aa ON aa.id = t.assessment_application_id
         WHERE t.expires_at < now() + interval '2 days' RETURNING id",
    )
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let page = recruiter.get("/").await.body.replace("<!---->", "");
    assert_eq!(count(section(&page, "Test links expiring unstarted")), "0");
    let grading = section(&page, "Answers to grade");
    assert_eq!(count(grading), "1");
    assert!(grading.contains(&format!("/assessments/sessions/{session}")));
    assert!(grading.contains("1 answer to grade"), "{grading}");

    // Graded: gone.
    sqlx::query("UPDATE test_sessions SET ungraded_count = 0 WHERE id = $1")
        .bind(session)
        .execute(&world.pool)
        .await
        .unwrap();
    let page = recruiter.get("/").await.body.replace("<!---->", "");
    assert_eq!(count(section(&page, "Answers to grade")), "0");

    // Another organization's recruiter sees none of it.
    world.globex().await;
    let page = world
        .signed_in("recruiter@globex.test")
        .await
        .get("/")
        .await
        .body;
    assert!(!page.contains("Casey Candidate") && !page.contains("Ada Lovelace"));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn feedback_owed_and_decisions_follow_the_interviews(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let ivan = scene.acme.interviewer;
    // Ended three days ago (feedback due after 24 hours): owed, and overdue.
    let past = interview(&world, &scene, ivan, "now() - interval '3 days'").await;
    // Later today or tomorrow: coming up for Ivan; on the recruiter's week.
    let next = interview(&world, &scene, ivan, "now() + interval '2 hours'").await;

    let mut interviewer = world.signed_in("interviewer@acme.test").await;
    let page = interviewer.get("/").await.body.replace("<!---->", "");
    let owed = section(&page, "Feedback you owe");
    assert_eq!(count(owed), "1");
    assert!(owed.contains(&format!("/interviews/{past}")), "{owed}");
    assert!(
        owed.contains("Ada Lovelace · Operations analyst</a>: overdue since"),
        "{owed}"
    );
    assert!(section(&page, "Your upcoming interviews").contains(&format!("/interviews/{next}")));
    // An interviewer has no recruiting queues.
    assert!(!page.contains("Answers to grade") && !page.contains("Your open requisitions"));

    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let page = recruiter.get("/").await.body.replace("<!---->", "");
    let overdue = section(&page, "Feedback overdue on your requisitions");
    assert_eq!(count(overdue), "1");
    assert!(
        overdue.contains("Interviewer Person owes feedback on Ada Lovelace"),
        "{overdue}"
    );
    assert!(overdue.contains(&format!("/applications/{}/debrief", scene.application)));
    // Two hours on is today, or (late in the day) later this week, or (late on a Sunday)
    // next week: the test users read times in UTC.
    let starts: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT starts_at FROM interviews WHERE id = $1")
            .bind(next)
            .fetch_one(&world.pool)
            .await
            .unwrap();
    let [_, tomorrow, week_end] = app::dashboard::day_and_week(chrono::Utc::now(), &chrono::Utc);
    let expected = match starts {
        at if at < tomorrow => ("1", "0"),
        at if at < week_end => ("0", "1"),
        _ => ("0", "0"),
    };
    let today = section(&page, "Interviews today");
    let later = section(&page, "Later this week");
    assert_eq!((count(today), count(later)), expected);
    if expected != ("0", "0") {
        assert!(format!("{today}{later}").contains(&format!("/interviews/{next}")));
    }

    // The manager waits for a decision only once every interview's feedback is in.
    let mut manager = world.signed_in("manager@acme.test").await;
    let page = manager.get("/").await.body.replace("<!---->", "");
    assert_eq!(count(section(&page, "Waiting for your decision")), "0");
    assert_eq!(count(section(&page, "Your requisitions")), "1");
    submit_feedback(&world, &scene, past, ivan).await;
    let page = manager.get("/").await.body.replace("<!---->", "");
    assert_eq!(count(section(&page, "Waiting for your decision")), "0");
    sqlx::query("UPDATE interviews SET status = 'cancelled' WHERE id = $1")
        .bind(next)
        .execute(&world.pool)
        .await
        .unwrap();
    let page = manager.get("/").await.body.replace("<!---->", "");
    let decisions = section(&page, "Waiting for your decision");
    assert_eq!(count(decisions), "1");
    assert!(decisions.contains(&format!("/applications/{}/debrief", scene.application)));
    assert!(
        decisions.contains("1 interview&#x27;s feedback in")
            || decisions.contains("1 interview's feedback in"),
        "{decisions}"
    );

    // Feedback in: nobody owes it any more.
    let page = interviewer.get("/").await.body.replace("<!---->", "");
    assert_eq!(count(section(&page, "Feedback you owe")), "0");
    let page = recruiter.get("/").await.body.replace("<!---->", "");
    assert_eq!(
        count(section(&page, "Feedback overdue on your requisitions")),
        "0"
    );

    // The manager moves Ada on: the decision is made, off the list.
    let screening = screening(&world, &scene).await;
    let moved = move_to(&mut manager, &scene, screening).await;
    assert!(moved.status.is_success() || moved.status == StatusCode::SEE_OTHER);
    let page = manager.get("/").await.body.replace("<!---->", "");
    assert_eq!(count(section(&page, "Waiting for your decision")), "0");
    let _ = scene.candidate;
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn activity_reads_as_sentences_with_the_code_beside(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let screening = screening(&world, &scene).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    move_to(&mut recruiter, &scene, screening).await;
    let page = recruiter.get("/").await.body.replace("<!---->", "");
    let activity = section(&page, "Your recent activity");
    assert!(
        activity.contains("Recruiter Person moved Ada Lovelace to Screening on Operations analyst"),
        "{activity}"
    );
    assert!(activity.contains("<code class=\"muted\">application.moved</code>"));
    assert!(activity.contains("Recruiter Person added Ada Lovelace to Operations analyst"));
    // One sign-in, one entry.
    let signed_in = activity.matches("Recruiter Person signed in").count();
    let page = world
        .signed_in("recruiter@acme.test")
        .await
        .get("/")
        .await
        .body
        .replace("<!---->", "");
    let activity = section(&page, "Your recent activity");
    assert_eq!(
        activity.matches("Recruiter Person signed in").count(),
        signed_in + 1
    );

    // The admin's audit log reads the same, beside the code.
    let log = world
        .signed_in("admin@acme.test")
        .await
        .get("/admin/audit")
        .await
        .body
        .replace("<!---->", "");
    assert!(log.contains("Recruiter Person moved Ada Lovelace to Screening on Operations analyst"));

    // The candidate erased: the entry stays, without their name.
    sqlx::query("DELETE FROM candidates WHERE id = $1")
        .bind(scene.candidate)
        .execute(&world.pool)
        .await
        .unwrap();
    let page = recruiter.get("/").await.body.replace("<!---->", "");
    let activity = section(&page, "Your recent activity");
    assert!(!activity.contains("Ada Lovelace"), "{activity}");
    assert!(
        activity.contains("moved a candidate no longer on record to Screening"),
        "{activity}"
    );
}
