//! Assessments: building, publishing (frozen content), versions, invites with their email
//! and pipeline move, resend, revoke, the reminder job, grading and who may do what.

use crate::support::{Acme, AssessmentFixtureSet, Call, Client, World};
use app::assessments::{
    AddDrawItem, AddQuestionItem, ArchiveAssessment, AssessmentForm, AssessmentFormChoices,
    ChangeItem, CreateAssessment, FindCandidates, GradeAnswer, GradeForm, InviteCandidate,
    InviteForm, InviteFromBoard, InviteSuggestions, LoadApplicationResults, LoadAssessment,
    LoadItemChoices, LoadResults, LoadSession, NewVersion, PublishAssessment, ResendInvite,
    RevokeInvite, UpdateAssessment,
};
use app::pipeline::MoveApplications;
use app::questions::DeleteQuestion;
use axum::http::StatusCode;
use server_fn::ServerFn;
use sqlx::PgPool;
use uuid::Uuid;

/// The organization, people and records this file's tests start from.
struct Scene {
    org: Uuid,
    requisition: Uuid,
    candidate: Uuid,
    bank: AssessmentFixtureSet,
}

async fn scene(world: &World) -> Scene {
    let Acme { org, manager, .. } = world.acme().await;
    world.globex().await;
    let requisition = world
        .requisition(org, "Backend engineer", Some(manager))
        .await;
    let candidate = world
        .candidate(org, "Ada Lovelace", "ada@example.com")
        .await;
    let bank = world.assessment_fixture_set(org, "General aptitude").await;
    Scene {
        org,
        requisition,
        candidate,
        bank,
    }
}

fn ok(response: &crate::support::TestResponse) {
    assert!(
        response.status.is_success() || response.status.is_redirection(),
        "{}: {}",
        response.status,
        response.body
    );
}

/// Creates a draft through the form and returns its id.
async fn create(client: &mut Client, world: &World, requisition: Uuid, title: &str) -> Uuid {
    let form = AssessmentForm {
        requisition_id: requisition.to_string(),
        title: title.into(),
        instructions: "Answer **every** question.".into(),
        time_limit_minutes: "30".into(),
        pass_mark_percent: "50".into(),
        attempts_allowed: "2".into(),
        tab_switches: Some("on".into()),
        snapshot_interval_seconds: "30".into(),
        ..AssessmentForm::default()
    };
    let created = client.call(CreateAssessment { form }).await;
    ok(&created);
    sqlx::query_scalar(
        "SELECT id FROM assessments WHERE title = $1 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(title)
    .fetch_one(&world.pool)
    .await
    .unwrap()
}

async fn add_question(client: &mut Client, assessment: Uuid, question: Uuid) {
    let added = client
        .call(AddQuestionItem {
            assessment_id: assessment,
            question_id: question.to_string(),
        })
        .await;
    ok(&added);
}

/// A published assessment of the four fixture questions, fixed.
async fn published(client: &mut Client, world: &World, w: &Scene) -> Uuid {
    let id = create(client, world, w.requisition, "Aptitude").await;
    for question in &w.bank.questions {
        add_question(client, id, *question).await;
    }
    ok(&publish(client, id).await);
    id
}

async fn publish(client: &mut Client, id: Uuid) -> crate::support::TestResponse {
    client.call(PublishAssessment { id }).await
}

async fn grade(
    client: &mut Client,
    session: Uuid,
    question: Uuid,
    score: &str,
) -> crate::support::TestResponse {
    client
        .call(GradeAnswer {
            form: GradeForm {
                session_id: session,
                question_id: question,
                score: score.into(),
                comment: "Good examples.".into(),
            },
        })
        .await
}

async fn invite(
    client: &mut Client,
    assessment: Uuid,
    candidate: Uuid,
) -> crate::support::TestResponse {
    client
        .call(InviteCandidate {
            form: InviteForm {
                assessment_id: assessment,
                candidate_id: candidate.to_string(),
                message: "We enjoyed meeting you.".into(),
                expires_in_days: "7".into(),
                ..Default::default()
            },
        })
        .await
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn publishing_refuses_a_fixed_question_removed_from_the_bank(pool: PgPool) {
    let world = World::init(pool).await;
    let w = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let id = create(&mut recruiter, &world, w.requisition, "Aptitude").await;
    add_question(&mut recruiter, id, w.bank.questions[0]).await;
    add_question(&mut recruiter, id, w.bank.questions[1]).await;
    ok(&recruiter
        .call(DeleteQuestion {
            id: w.bank.questions[1],
        })
        .await);

    let refused = publish(&mut recruiter, id).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("The question of item 2 was removed from the bank"),
        "{}",
        refused.body
    );
    let (status, frozen): (String, i64) = sqlx::query_as(
        "SELECT a.status, (SELECT count(*) FROM assessment_questions q WHERE q.assessment_id = a.id)
         FROM assessments a WHERE a.id = $1",
    )
    .bind(id)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), frozen), ("draft", 0));

    // Without that item it publishes, with the one question that is still in the bank.
    let item: Uuid = sqlx::query_scalar(
        "SELECT id FROM assessment_items WHERE assessment_id = $1 AND question_id = $2",
    )
    .bind(id)
    .bind(w.bank.questions[1])
    .fetch_one(&world.pool)
    .await
    .unwrap();
    ok(&recruiter
        .call(ChangeItem {
            item_id: item,
            direction: "remove".into(),
        })
        .await);
    ok(&publish(&mut recruiter, id).await);
    let frozen: Vec<Uuid> = sqlx::query_scalar(
        "SELECT source_question_id FROM assessment_questions WHERE assessment_id = $1",
    )
    .bind(id)
    .fetch_all(&world.pool)
    .await
    .unwrap();
    assert_eq!(frozen, vec![w.bank.questions[0]]);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn publishing_freezes_the_content_and_refuses_short_draws(pool: PgPool) {
    let world = World::init(pool).await;
    let w = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let id = create(&mut recruiter, &world, w.requisition, "Aptitude").await;

    let empty = publish(&mut recruiter, id).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty.body.contains("Add at least one question"),
        "{}",
        empty.body
    );

    let draw = recruiter
        .call(AddDrawItem {
            assessment_id: id,
            from: format!("set:{}", w.bank.set),
            count: "5".into(),
        })
        .await;
    ok(&draw);
    let short = publish(&mut recruiter, id).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        short
            .body
            .contains("draws 5 questions but only 4 are available"),
        "{}",
        short.body
    );
    let item: Uuid = sqlx::query_scalar("SELECT id FROM assessment_items WHERE assessment_id = $1")
        .bind(id)
        .fetch_one(&world.pool)
        .await
        .unwrap();
    ok(&recruiter
        .call(ChangeItem {
            item_id: item,
            direction: "remove".into(),
        })
        .await);
    add_question(&mut recruiter, id, w.bank.questions[3]).await;
    ok(&recruiter
        .call(AddDrawItem {
            assessment_id: id,
            from: "tag:logic".into(),
            count: "2".into(),
        })
        .await);
    // The draw moves above the essay.
    let draw_item: Uuid = sqlx::query_scalar(
        "SELECT id FROM assessment_items WHERE assessment_id = $1 AND draw_tag IS NOT NULL",
    )
    .bind(id)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    ok(&recruiter
        .call(ChangeItem {
            item_id: draw_item,
            direction: "up".into(),
        })
        .await);
    let first: Option<String> = sqlx::query_scalar(
        "SELECT draw_tag FROM assessment_items WHERE assessment_id = $1 ORDER BY position LIMIT 1",
    )
    .bind(id)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!(first.as_deref(), Some("logic"));

    ok(&publish(&mut recruiter, id).await);
    let frozen: i64 =
        sqlx::query_scalar("SELECT count(*) FROM assessment_questions WHERE assessment_id = $1")
            .bind(id)
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!(frozen, 3, "the essay and both questions tagged logic");

    // Editing the bank afterwards changes nothing frozen.
    sqlx::query("UPDATE questions SET prompt_md = 'Changed', points = 9 WHERE id = $1")
        .bind(w.bank.questions[3])
        .execute(&world.pool)
        .await
        .unwrap();
    let (prompt, points): (String, i32) = sqlx::query_as(
        "SELECT prompt_md, points FROM assessment_questions WHERE source_question_id = $1",
    )
    .bind(w.bank.questions[3])
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!((prompt.as_str(), points), ("Describe good feedback.", 4));

    // A published assessment is not edited in place.
    let refused = recruiter
        .call(AddQuestionItem {
            assessment_id: id,
            question_id: w.bank.questions[0].to_string(),
        })
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Edit as new version"),
        "{}",
        refused.body
    );

    // Editing makes version 2, a draft with the same items; version 1 stays published.
    let versioned = recruiter.call(NewVersion { id }).await;
    ok(&versioned);
    let (v2, version, status, items): (Uuid, i32, String, i64) = sqlx::query_as(
        "SELECT a.id, a.version, a.status, (SELECT count(*) FROM assessment_items i WHERE i.assessment_id = a.id)
         FROM assessments a WHERE a.family_id = $1 AND a.id <> $1",
    )
    .bind(id)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!((version, status.as_str(), items), (2, "draft", 2));
    // Asking again opens the same draft instead of a third version.
    ok(&recruiter.call(NewVersion { id }).await);
    let versions: i64 = sqlx::query_scalar("SELECT count(*) FROM assessments WHERE family_id = $1")
        .bind(id)
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(versions, 2);
    let v1_status: String = sqlx::query_scalar("SELECT status FROM assessments WHERE id = $1")
        .bind(id)
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(v1_status, "published");

    // The list shows the newest version; the pages render.
    let list = recruiter.get("/assessments").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(&format!("/assessments/{v2}")));
    assert!(!list.body.contains(&format!("href=\"/assessments/{id}\"")));
    for path in [
        format!("/assessments/{id}"),
        format!("/assessments/{v2}/edit"),
        format!("/assessments/{id}/results"),
        "/assessments/new".to_string(),
    ] {
        let page = recruiter.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
    }
    let actions = world.audit_actions(w.org).await;
    for action in [
        "assessment.created",
        "assessment.item_added",
        "assessment.item_removed",
        "assessment.item_moved",
        "assessment.published",
        "assessment.versioned",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_settings_form_checks_its_input(pool: PgPool) {
    let world = World::init(pool).await;
    let w = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let bad = recruiter
        .call(CreateAssessment {
            form: AssessmentForm {
                requisition_id: w.requisition.to_string(),
                title: "Quiz".into(),
                time_limit_minutes: "0".into(),
                pass_mark_percent: "50".into(),
                attempts_allowed: "1".into(),
                ..AssessmentForm::default()
            },
        })
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("time limit"), "{}", bad.body);
    let id = create(&mut recruiter, &world, w.requisition, "Quiz").await;
    let proctoring: serde_json::Value =
        sqlx::query_scalar("SELECT proctoring FROM assessments WHERE id = $1")
            .bind(id)
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!(proctoring["tab_switches"], true);
    assert_eq!(proctoring["webcam"], false);
    assert_eq!(proctoring["snapshot_interval_seconds"], 30);
}

/// The items of the editor's list, each as its HTML.
fn editor_items(page: &str) -> Vec<&str> {
    let list = page
        .split_once("<ol class=\"items\">")
        .and_then(|(_, rest)| rest.split_once("</ol>"))
        .map(|(list, _)| list)
        .expect("the list of items");
    list.split("<li class=\"item\">").skip(1).collect()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_editor_offers_only_the_moves_and_actions_that_apply(pool: PgPool) {
    let world = World::init(pool).await;
    let w = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    sqlx::query("UPDATE questions SET prompt_md = $2 WHERE id = $1")
        .bind(w.bank.questions[0])
        .bind("## What is **2 + 2**, in [base ten](https://example.com/ten)?\n\nShow `your` work.")
        .execute(&world.pool)
        .await
        .unwrap();
    let id = create(&mut recruiter, &world, w.requisition, "Aptitude").await;
    for question in &w.bank.questions[..3] {
        add_question(&mut recruiter, id, *question).await;
    }

    // Each item's prompt is its first line as plain text; moves only where one is possible.
    let editor = recruiter.get(&format!("/assessments/{id}/edit")).await;
    assert_eq!(editor.status, StatusCode::OK, "{}", editor.body);
    let items = editor_items(&editor.body);
    assert_eq!(items.len(), 3, "{}", editor.body);
    assert!(
        items[0].contains("What is 2 + 2, in base ten? (Single choice)"),
        "{}",
        items[0]
    );
    assert!(!items[0].contains("**") && !items[0].contains("##") && !items[0].contains("](http"));
    assert!(!items[0].contains("Move up"), "{}", items[0]);
    assert!(items[0].contains("Move down"), "{}", items[0]);
    assert!(items[1].contains("Move up") && items[1].contains("Move down"));
    assert!(items[2].contains("Move up"), "{}", items[2]);
    assert!(!items[2].contains("Move down"), "{}", items[2]);
    assert!(items.iter().all(|item| item.contains("Remove")));
    // Publishing is offered with what it freezes; archiving a draft is not.
    let assessment = recruiter.get(&format!("/assessments/{id}")).await;
    for page in [&editor.body, &assessment.body] {
        assert!(page.contains(PublishAssessment::PATH));
        assert!(page.contains("Publish version 1"), "{page}");
        assert!(page.contains("Publishing freezes this version:"));
        assert!(page.contains("Its questions, their order and their points stay as they are now."));
        assert!(page.contains("Candidates can be invited once it is published."));
        assert!(!page.contains(ArchiveAssessment::PATH), "{page}");
    }
    // …and the server refuses it too.
    let refused = recruiter.call(ArchiveAssessment { id }).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("Only a published version can be archived, and this one is a draft"),
        "{}",
        refused.body
    );
    let status: String = sqlx::query_scalar("SELECT status FROM assessments WHERE id = $1")
        .bind(id)
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(status, "draft");

    // Published: archive and a new version are offered, publishing no more.
    ok(&publish(&mut recruiter, id).await);
    let published = recruiter.get(&format!("/assessments/{id}")).await;
    assert!(published.body.contains(ArchiveAssessment::PATH));
    assert!(published.body.contains(NewVersion::PATH));
    assert!(!published.body.contains(PublishAssessment::PATH));
    assert!(!published.body.contains("Publishing freezes"));
    // The list of a published version has no buttons.
    assert!(!published.body.contains(ChangeItem::PATH));
    ok(&recruiter.call(ArchiveAssessment { id }).await);
    let archived = recruiter.get(&format!("/assessments/{id}")).await;
    assert!(!archived.body.contains(ArchiveAssessment::PATH));
    assert!(archived.body.contains(NewVersion::PATH));
    let again = recruiter.call(ArchiveAssessment { id }).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("already archived"), "{}", again.body);
}

/// When the candidate's latest link expires, as pages write it for a user in UTC.
async fn link_expiry(world: &World, candidate: Uuid) -> String {
    let expires: chrono::DateTime<chrono::Utc> = sqlx::query_scalar(
        "SELECT t.expires_at FROM assessment_tokens t
         JOIN assessment_applications aa ON aa.id = t.assessment_application_id
         WHERE aa.candidate_id = $1 ORDER BY t.created_at DESC LIMIT 1",
    )
    .bind(candidate)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    expires.format("%a %-d %b %Y, %H:%M UTC").to_string()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_invite_creates_the_application_emails_a_hashed_link_and_moves_the_stage(pool: PgPool) {
    let world = World::init(pool).await;
    let w = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let id = published(&mut recruiter, &world, &w).await;
    let invited = invite(&mut recruiter, id, w.candidate).await;
    ok(&invited);

    // The assessment's page says whom and until when, with the focus on it; its table
    // says when the link expires.
    let back = invited.location.expect("back to the assessment");
    assert!(
        back.starts_with(&format!("/assessments/{id}?notice=")),
        "{back}"
    );
    let page = recruiter.get(&back).await;
    let expires = link_expiry(&world, w.candidate).await;
    let sentence = format!(
        "Invited Ada Lovelace to “Aptitude”. The test link expires in 7 days, on {expires}."
    );
    assert!(
        page.body.contains(&format!(
            "<p role=\"status\" tabindex=\"-1\" autofocus class=\"notice\">{sentence}</p>"
        )),
        "{sentence} in {}",
        page.body
    );
    assert!(page.body.contains("<th>Expires</th>"));
    assert!(
        page.body.contains(&format!("<td>{expires}</td>")),
        "{}",
        page.body
    );
    // Without the signature, no notice.
    let forged = recruiter
        .get(&format!("/assessments/{id}?notice=SW52aXRlZA&notice_sig=x"))
        .await;
    assert!(!forged.body.contains("role=\"status\""));

    let (stage, moves): (String, i64) = sqlx::query_as(
        "SELECT s.name, (SELECT count(*) FROM application_stage_changes h WHERE h.application_id = a.id)
         FROM applications a JOIN pipeline_stages s ON s.id = a.stage_id
         WHERE a.candidate_id = $1 AND a.requisition_id = $2",
    )
    .bind(w.candidate)
    .bind(w.requisition)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!(stage, "Assessment");
    assert_eq!(moves, 2, "added to the pipeline, then moved");
    let (hash, message): (Vec<u8>, String) = sqlx::query_as(
        "SELECT t.token_hash, t.message FROM assessment_tokens t
         JOIN assessment_applications aa ON aa.id = t.assessment_application_id
         WHERE aa.candidate_id = $1 AND aa.application_id IS NOT NULL",
    )
    .bind(w.candidate)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!(message, "We enjoyed meeting you.");
    let reminder: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM jobs WHERE kind = 'assessment.remind'
         AND run_at BETWEEN now() + interval '5 days 23 hours' AND now() + interval '6 days 1 hour'",
    )
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!(reminder, 1, "a reminder a day before the week ends");

    world.run_jobs().await;
    let emails = world.emails();
    assert_eq!(emails.len(), 1);
    let text = crate::support::unwrapped(&emails[0]);
    assert!(text.contains("To: ada@example.com"), "{text}");
    assert!(text.contains("We enjoyed meeting you."));
    assert!(text.contains("30 minutes"));
    assert!(text.contains("(in 7 days)"));
    let start = text.find("http://localhost:3000/test/").expect("a link");
    let link = text[start..].split_whitespace().next().unwrap();
    let secret = link.trim_start_matches("http://localhost:3000/test/");
    assert_eq!(app::tokens::digest(secret), hash);
    let stored: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM assessment_tokens WHERE message LIKE '%' || $1 || '%'",
    )
    .bind(secret)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!(stored, 0);
    // In the candidate's email history.
    let related: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM emails WHERE related_type = 'candidate' AND related_id = $1",
    )
    .bind(w.candidate.to_string())
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!(related, 1);

    // A candidate further along is not moved back.
    let other = world
        .candidate(w.org, "Grace Hopper", "grace@example.com")
        .await;
    recruiter.add_to_pipeline(other, w.requisition).await;
    let interview: Uuid = sqlx::query_scalar(
        "SELECT id FROM pipeline_stages WHERE org_id = $1 AND position > (SELECT position FROM pipeline_stages WHERE org_id = $1 AND name = 'Assessment') AND kind = 'active' ORDER BY position LIMIT 1",
    )
    .bind(w.org)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE applications SET stage_id = $1 WHERE candidate_id = $2")
        .bind(interview)
        .bind(other)
        .execute(&world.pool)
        .await
        .unwrap();
    ok(&invite(&mut recruiter, id, other).await);
    let stage: Uuid =
        sqlx::query_scalar("SELECT stage_id FROM applications WHERE candidate_id = $1")
            .bind(other)
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!(stage, interview);
    let actions = world.audit_actions(w.org).await;
    assert!(actions.iter().any(|a| a == "assessment.invited"));
    assert!(actions.iter().any(|a| a == "application.moved"));
}

async fn tokens(world: &World, candidate: Uuid) -> Vec<(Uuid, bool, bool)> {
    sqlx::query_as(
        "SELECT t.id, t.revoked_at IS NOT NULL, t.reminded_at IS NOT NULL FROM assessment_tokens t
         JOIN assessment_applications aa ON aa.id = t.assessment_application_id
         WHERE aa.candidate_id = $1 ORDER BY t.created_at",
    )
    .bind(candidate)
    .fetch_all(&world.pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn resend_replaces_the_unstarted_link_and_revoke_ends_it(pool: PgPool) {
    let world = World::init(pool).await;
    let w = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let id = published(&mut recruiter, &world, &w).await;
    ok(&invite(&mut recruiter, id, w.candidate).await);
    let first = tokens(&world, w.candidate).await[0].0;
    ok(&recruiter.call(ResendInvite { token_id: first }).await);
    let after = tokens(&world, w.candidate).await;
    assert_eq!(after.len(), 2);
    assert!(after[0].1, "the first link is revoked");
    assert!(!after[1].1, "the new link is live");
    world.run_jobs().await;
    assert!(world
        .emails()
        .iter()
        .any(|e| crate::support::unwrapped(e).contains("replaces the one sent earlier")));

    ok(&recruiter
        .call(RevokeInvite {
            token_id: after[1].0,
        })
        .await);
    assert!(tokens(&world, w.candidate).await[1].1);
    let again = recruiter
        .call(RevokeInvite {
            token_id: after[1].0,
        })
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = recruiter.get(&format!("/assessments/{id}/results")).await;
    assert!(page.body.contains("Revoked"), "{}", page.body);
    let actions = world.audit_actions(w.org).await;
    assert!(actions.iter().any(|a| a == "assessment.invite_resent"));
    assert!(actions.iter().any(|a| a == "assessment.invite_revoked"));

    // Archived: no new invites.
    ok(&recruiter.call(ArchiveAssessment { id }).await);
    let refused = invite(&mut recruiter, id, w.candidate).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("published"), "{}", refused.body);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_reminder_reissues_a_live_unstarted_link_once(pool: PgPool) {
    let world = World::init(pool).await;
    let w = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let id = published(&mut recruiter, &world, &w).await;
    ok(&invite(&mut recruiter, id, w.candidate).await);
    let started = world
        .candidate(w.org, "Grace Hopper", "grace@example.com")
        .await;
    ok(&invite(&mut recruiter, id, started).await);
    world.assessment_fixture_session(id, started).await;
    sqlx::query("UPDATE jobs SET run_at = now() WHERE kind = 'assessment.remind'")
        .execute(&world.pool)
        .await
        .unwrap();
    world.run_jobs().await;
    let ada = tokens(&world, w.candidate).await;
    assert_eq!(ada.len(), 2);
    assert_eq!(
        (ada[0].1, ada[0].2),
        (true, true),
        "old: revoked and reminded"
    );
    assert_eq!(
        (ada[1].1, ada[1].2),
        (false, true),
        "new: live, counts as reminded"
    );
    assert_eq!(
        tokens(&world, started).await.len(),
        1,
        "a started link gets no reminder"
    );
    let reminders: Vec<String> = world
        .emails()
        .into_iter()
        .map(|e| crate::support::unwrapped(&e))
        .filter(|e| e.contains("Subject: Reminder"))
        .collect();
    assert_eq!(reminders.len(), 1);
    assert!(reminders[0].contains("ada@example.com"));
    // No reminder of the reminder.
    let pending: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM jobs WHERE kind = 'assessment.remind' AND status <> 'done'",
    )
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!(pending, 0);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn grading_updates_the_totals_and_the_verdict(pool: PgPool) {
    let world = World::init(pool).await;
    let w = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let id = published(&mut recruiter, &world, &w).await;
    ok(&invite(&mut recruiter, id, w.candidate).await);
    let session = world.assessment_fixture_session(id, w.candidate).await;
    // Right single choice (2), wrong true/false (0), no numeric answer, an essay (of 4).
    let answers = [
        (w.bank.questions[0], r#"{"choices":[2]}"#),
        (w.bank.questions[1], r#"{"boolean":false}"#),
        (
            w.bank.questions[3],
            r#"{"text":"Specific, timely and kind."}"#,
        ),
    ];
    for (source, response) in answers {
        sqlx::query(
            "INSERT INTO answers (session_id, question_id, org_id, response, seq, time_spent_ms)
             SELECT $1, q.id, $4, $3::jsonb, 1, 65000 FROM assessment_questions q
             WHERE q.assessment_id = $5 AND q.source_question_id = $2",
        )
        .bind(session)
        .bind(source)
        .bind(response)
        .bind(w.org)
        .bind(id)
        .execute(&world.pool)
        .await
        .unwrap();
    }
    let mut conn = world.pool.acquire().await.unwrap();
    sqlx::query("UPDATE test_sessions SET status = 'submitted', finished_at = now() WHERE id = $1")
        .bind(session)
        .execute(&mut *conn)
        .await
        .unwrap();
    app::assessments::scoring::score_submission(&mut conn, session)
        .await
        .unwrap();
    drop(conn);

    let page = recruiter
        .get(&format!("/assessments/sessions/{session}"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Pending grading"), "{}", page.body);
    assert!(page.body.contains("chosen"));
    assert!(page.body.contains("1 min 5 s"));
    assert!(page.body.contains("Look for specifics."));
    let board = recruiter
        .get(&format!("/requisitions/{}/pipeline", w.requisition))
        .await;
    assert!(board.body.contains("Pending grading"), "{}", board.body);

    let essay: Uuid = sqlx::query_scalar(
        "SELECT id FROM assessment_questions WHERE assessment_id = $1 AND source_question_id = $2",
    )
    .bind(id)
    .bind(w.bank.questions[3])
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let bad = grade(&mut recruiter, session, essay, "4.3").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("steps of 0.5"), "{}", bad.body);
    let too_much = grade(&mut recruiter, session, essay, "5").await;
    assert_eq!(too_much.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The hiring manager of the requisition grades too.
    let mut manager = world.signed_in("manager@acme.test").await;
    ok(&grade(&mut manager, session, essay, "3.5").await);
    let (score, max, ungraded, passed): (f64, f64, i32, Option<bool>) = sqlx::query_as(
        "SELECT score, max_score, ungraded_count, passed FROM test_sessions WHERE id = $1",
    )
    .bind(session)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!((score, max, ungraded, passed), (5.5, 8.0, 0, Some(true)));
    let board = recruiter
        .get(&format!("/requisitions/{}/pipeline", w.requisition))
        .await;
    assert!(board.body.contains("68.8% · Passed"), "{}", board.body);
    ok(&grade(&mut recruiter, session, essay, "1").await);
    let passed: Option<bool> = sqlx::query_scalar("SELECT passed FROM test_sessions WHERE id = $1")
        .bind(session)
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(passed, Some(false), "3 of 8 is below the 50% pass mark");
    let results = recruiter.get(&format!("/assessments/{id}/results")).await;
    assert!(results.body.contains("Failed"), "{}", results.body);
    let csv = recruiter
        .get(&format!("/assessments/{id}/results.csv"))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body.starts_with("Candidate,Attempt,Status"),
        "{}",
        csv.body
    );
    assert!(
        csv.body
            .contains("Ada Lovelace,1,Submitted,3,8,37.5,Failed"),
        "{}",
        csv.body
    );
    let application = recruiter
        .get(&format!(
            "/applications/{}",
            sqlx::query_scalar::<_, Uuid>("SELECT id FROM applications WHERE candidate_id = $1")
                .bind(w.candidate)
                .fetch_one(&world.pool)
                .await
                .unwrap()
        ))
        .await;
    assert!(
        application.body.contains("37.5% · Failed"),
        "{}",
        application.body
    );
    assert!(world
        .audit_actions(w.org)
        .await
        .iter()
        .any(|a| a == "assessment.graded"));

    // An objective answer is not graded by hand.
    let objective = recruiter
        .call(GradeAnswer {
            form: GradeForm {
                session_id: session,
                question_id: sqlx::query_scalar(
                    "SELECT id FROM assessment_questions WHERE source_question_id = $1",
                )
                .bind(w.bank.questions[0])
                .fetch_one(&world.pool)
                .await
                .unwrap(),
                score: "1".into(),
                comment: String::new(),
            },
        })
        .await;
    assert_eq!(objective.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A finished session of `candidate` on `assessment` whose one answer is an essay, handed
/// in `minutes_ago`: the session, and the essay's stored position in it.
async fn finished_essay(
    world: &World,
    org: Uuid,
    assessment: Uuid,
    candidate: Uuid,
    minutes_ago: i32,
) -> (Uuid, i32) {
    let session = world
        .assessment_fixture_session(assessment, candidate)
        .await;
    let (essay, position): (Uuid, i32) = sqlx::query_as(
        "SELECT q.id, sq.position FROM assessment_questions q
         JOIN test_session_questions sq ON sq.question_id = q.id AND sq.session_id = $2
         WHERE q.assessment_id = $1 AND q.kind = 'long_text'",
    )
    .bind(assessment)
    .bind(session)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO answers (session_id, question_id, org_id, response, seq, time_spent_ms)
         VALUES ($1, $2, $3, '{\"text\":\"Specific and kind.\"}'::jsonb, 1, 1000)",
    )
    .bind(session)
    .bind(essay)
    .bind(org)
    .execute(&world.pool)
    .await
    .unwrap();
    let mut conn = world.pool.acquire().await.unwrap();
    sqlx::query(
        "UPDATE test_sessions SET status = 'submitted',
                finished_at = now() - make_interval(mins => $2) WHERE id = $1",
    )
    .bind(session)
    .bind(minutes_ago)
    .execute(&mut *conn)
    .await
    .unwrap();
    app::assessments::scoring::score_submission(&mut conn, session)
        .await
        .unwrap();
    (session, position)
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_next_answer_to_grade_is_in_the_session_then_the_oldest_waiting(pool: PgPool) {
    let world = World::init(pool).await;
    let w = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let aptitude = published(&mut recruiter, &world, &w).await;
    // A requisition nobody manages, with an assessment of its own.
    let data_requisition = world.requisition(w.org, "Data analyst", None).await;
    let data = create(&mut recruiter, &world, data_requisition, "Data screen").await;
    for question in &w.bank.questions {
        add_question(&mut recruiter, data, *question).await;
    }
    ok(&publish(&mut recruiter, data).await);
    let grace = world
        .candidate(w.org, "Grace Hopper", "grace@example.com")
        .await;
    let linus = world
        .candidate(w.org, "Linus Torvalds", "linus@example.com")
        .await;
    ok(&invite(&mut recruiter, aptitude, w.candidate).await);
    ok(&invite(&mut recruiter, aptitude, grace).await);
    ok(&invite(&mut recruiter, data, linus).await);
    // Waiting longest: Ada, then Linus (not the hiring manager's), then Grace.
    let (ada_session, ada_essay) = finished_essay(&world, w.org, aptitude, w.candidate, 30).await;
    let (linus_session, linus_essay) = finished_essay(&world, w.org, data, linus, 20).await;
    let (grace_session, grace_essay) = finished_essay(&world, w.org, aptitude, grace, 10).await;

    let ada_page = format!("/assessments/sessions/{ada_session}");
    let page = recruiter.get(&ada_page).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains(&format!("Next answer to grade: question {}", ada_essay + 1)),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!("href=\"#q-{ada_essay}\"")));
    assert!(page
        .body
        .contains(&format!("id=\"q-{ada_essay}\" tabindex=\"-1\"")));
    assert!(page.body.contains("accesskey=\"n\""));
    assert!(page
        .body
        .contains("Shortcut: Alt+N (Alt+Shift+N in Firefox, Control+Option+N on a Mac)."));

    // Graded, the session has nothing left: the link goes to the oldest session waiting.
    let essay_of = |session: Uuid| {
        let pool = world.pool.clone();
        async move {
            sqlx::query_scalar::<_, Uuid>("SELECT question_id FROM answers WHERE session_id = $1")
                .bind(session)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    ok(&grade(
        &mut recruiter,
        ada_session,
        essay_of(ada_session).await,
        "3",
    )
    .await);
    let page = recruiter.get(&ada_page).await;
    assert!(
        page.body.contains(&format!(
            "Next answer to grade: Linus Torvalds · Data screen, question {}",
            linus_essay + 1
        )),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!(
        "href=\"/assessments/sessions/{linus_session}#q-{linus_essay}\""
    )));

    // The hiring manager is sent only to sessions of the requisitions they manage.
    let mut manager = world.signed_in("manager@acme.test").await;
    let page = manager.get(&ada_page).await;
    assert!(
        page.body.contains(&format!(
            "href=\"/assessments/sessions/{grace_session}#q-{grace_essay}\""
        )),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("Next answer to grade: Grace Hopper · Aptitude"));

    // Everything graded: nothing to link to.
    ok(&grade(
        &mut recruiter,
        linus_session,
        essay_of(linus_session).await,
        "2",
    )
    .await);
    ok(&grade(
        &mut manager,
        grace_session,
        essay_of(grace_session).await,
        "4",
    )
    .await);
    let page = recruiter.get(&ada_page).await;
    assert!(
        page.body
            .contains("No answers are waiting for you to grade."),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Next answer to grade"));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_board_invites_the_selected_candidates(pool: PgPool) {
    let world = World::init(pool).await;
    let w = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let id = published(&mut recruiter, &world, &w).await;
    let grace = world
        .candidate(w.org, "Grace Hopper", "grace@example.com")
        .await;
    recruiter.add_to_pipeline(w.candidate, w.requisition).await;
    recruiter.add_to_pipeline(grace, w.requisition).await;
    let board = recruiter
        .get(&format!("/requisitions/{}/pipeline", w.requisition))
        .await;
    assert!(board.body.contains("Invite selected to the assessment"));
    let applications: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM applications ORDER BY id")
        .fetch_all(&world.pool)
        .await
        .unwrap();
    let (a0, a1) = (applications[0].to_string(), applications[1].to_string());
    let stage: Uuid = sqlx::query_scalar("SELECT stage_id FROM applications LIMIT 1")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    // The board's one form posts the move's fields and the invite's together; each
    // server function takes its own and leaves the others.
    let invited = recruiter
        .post_form(
            InviteFromBoard::PATH,
            &[
                ("requisition_id", &w.requisition.to_string()),
                ("application_ids[0]", &a0),
                ("application_ids[1]", &a1),
                ("to_stage", &stage.to_string()),
                ("reason", ""),
                ("assessment_id", &id.to_string()),
            ],
        )
        .await;
    ok(&invited);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM assessment_tokens")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(count, 2);
    // The links expire together, and the board says whom it invited and when.
    let expiries: i64 =
        sqlx::query_scalar("SELECT count(DISTINCT expires_at) FROM assessment_tokens")
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!(expiries, 1);
    let board = recruiter
        .get(&invited.location.expect("back to the board"))
        .await;
    let sentence = format!(
        "Invited 2 candidates to “Aptitude”: Ada Lovelace and Grace Hopper. Their test links expire in 7 days, on {}.",
        link_expiry(&world, grace).await
    );
    assert!(
        board.body.contains(&sentence),
        "{sentence} in {}",
        board.body
    );
    let in_stage: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM applications a JOIN pipeline_stages s ON s.id = a.stage_id WHERE s.name = 'Assessment'",
    )
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!(in_stage, 2);
    // The move form still works with the invite's field beside it.
    let moved = recruiter
        .post_form(
            MoveApplications::PATH,
            &[
                ("requisition_id", &w.requisition.to_string()),
                ("application_ids[0]", &a0),
                ("to_stage", &stage.to_string()),
                ("reason", ""),
                ("assessment_id", &id.to_string()),
            ],
        )
        .await;
    ok(&moved);
    let none = recruiter
        .call(InviteFromBoard {
            requisition_id: w.requisition,
            application_ids: None,
            assessment_id: id.to_string(),
        })
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn who_may_do_what(pool: PgPool) {
    let world = World::init(pool).await;
    let w = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let id = published(&mut recruiter, &world, &w).await;
    let draft = create(&mut recruiter, &world, w.requisition, "Draft").await;
    ok(&invite(&mut recruiter, id, w.candidate).await);
    let token = tokens(&world, w.candidate).await[0].0;
    let session = world.assessment_fixture_session(id, w.candidate).await;
    let essay: Uuid = sqlx::query_scalar(
        "SELECT id FROM assessment_questions WHERE assessment_id = $1 AND kind = 'long_text'",
    )
    .bind(id)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let item: Uuid = sqlx::query_scalar("SELECT id FROM assessment_items LIMIT 1")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    let application: Uuid = sqlx::query_scalar("SELECT id FROM applications LIMIT 1")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    let settings = || AssessmentForm {
        requisition_id: w.requisition.to_string(),
        title: "X".into(),
        time_limit_minutes: "10".into(),
        pass_mark_percent: "50".into(),
        attempts_allowed: "1".into(),
        ..AssessmentForm::default()
    };
    // (the call, whether a hiring manager of the requisition may make it)
    let calls = [
        (Call::new(LoadAssessment { id }), true),
        (Call::new(LoadResults { id }), true),
        (Call::new(LoadSession { id: session }), true),
        (
            Call::new(LoadApplicationResults {
                application_id: application,
            }),
            true,
        ),
        (
            Call::new(GradeAnswer {
                form: GradeForm {
                    session_id: session,
                    question_id: essay,
                    score: "1".into(),
                    comment: String::new(),
                },
            }),
            true,
        ),
        (Call::new(AssessmentFormChoices {}), false),
        (Call::new(LoadItemChoices { assessment_id: id }), false),
        (Call::new(FindCandidates { q: "ada".into() }), false),
        (
            Call::new(InviteSuggestions {
                assessment_id: id,
                q: "ada".into(),
            }),
            false,
        ),
        (Call::new(CreateAssessment { form: settings() }), false),
        (
            Call::new(UpdateAssessment {
                id: draft,
                form: settings(),
            }),
            false,
        ),
        (
            Call::new(AddQuestionItem {
                assessment_id: draft,
                question_id: w.bank.questions[0].to_string(),
            }),
            false,
        ),
        (
            Call::new(AddDrawItem {
                assessment_id: draft,
                from: "tag:logic".into(),
                count: "1".into(),
            }),
            false,
        ),
        (
            Call::new(ChangeItem {
                item_id: item,
                direction: "up".into(),
            }),
            false,
        ),
        (Call::new(PublishAssessment { id: draft }), false),
        (Call::new(ArchiveAssessment { id: draft }), false),
        (Call::new(NewVersion { id }), false),
        (
            Call::new(InviteCandidate {
                form: InviteForm {
                    assessment_id: id,
                    candidate_id: w.candidate.to_string(),
                    ..InviteForm::default()
                },
            }),
            false,
        ),
        (
            Call::new(InviteFromBoard {
                requisition_id: w.requisition,
                application_ids: Some(vec![application]),
                assessment_id: id.to_string(),
            }),
            false,
        ),
        (Call::new(ResendInvite { token_id: token }), false),
        (Call::new(RevokeInvite { token_id: token }), false),
    ];
    let mut anonymous = world.client();
    let mut interviewer = world.signed_in("interviewer@acme.test").await;
    let mut other_manager = world.signed_in("other-manager@acme.test").await;
    let mut manager = world.signed_in("manager@acme.test").await;
    let mut globex = world.signed_in("recruiter@globex.test").await;
    for (call, manager_may) in &calls {
        let endpoint = call.path;
        let response = anonymous.send_call(call).await;
        assert_eq!(
            response.status,
            StatusCode::UNAUTHORIZED,
            "{endpoint} signed out"
        );
        let response = interviewer.send_call(call).await;
        assert_eq!(
            response.status,
            StatusCode::FORBIDDEN,
            "{endpoint} as interviewer"
        );
        let response = other_manager.send_call(call).await;
        let expected = if *manager_may {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(response.status, expected, "{endpoint} as another manager");
        if !manager_may {
            let response = manager.send_call(call).await;
            assert_eq!(
                response.status,
                StatusCode::FORBIDDEN,
                "{endpoint} as the manager"
            );
        }
        let response = globex.send_call(call).await;
        let outside = [
            AssessmentFormChoices::PATH,
            FindCandidates::PATH,
            CreateAssessment::PATH,
        ];
        if outside.contains(&endpoint) {
            // Their own organization's lists and forms: nothing of Acme is in them.
            assert!(
                !response.body.contains("Ada") && !response.body.contains("Backend engineer"),
                "{endpoint} leaks: {}",
                response.body
            );
        } else {
            assert_eq!(
                response.status,
                StatusCode::NOT_FOUND,
                "{endpoint} from another org: {}",
                response.body
            );
        }
    }
    // The manager of the requisition reads the results; pages follow the same rules.
    for path in [
        format!("/assessments/{id}"),
        format!("/assessments/{id}/results"),
        format!("/assessments/sessions/{session}"),
        "/assessments".to_string(),
    ] {
        assert_eq!(manager.get(&path).await.status, StatusCode::OK, "{path}");
        assert_eq!(
            interviewer.get(&path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
        let status = globex.get(&path).await.status;
        assert!(
            status == StatusCode::NOT_FOUND || path == "/assessments",
            "{path}: {status}"
        );
    }
    assert_eq!(
        manager
            .get(&format!("/assessments/{id}/results.csv"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        other_manager
            .get(&format!("/assessments/{id}/results.csv"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        anonymous
            .get(&format!("/assessments/{id}/results.csv"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        globex
            .get(&format!("/assessments/{id}/results.csv"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_demo_loads_a_published_assessment_of_the_demo_questions(pool: PgPool) {
    let world = World::init(pool).await;
    assert!(are::demo::load_if_empty(&world.pool, &world.auth.hasher)
        .await
        .unwrap());
    let (status, frozen): (String, i64) = sqlx::query_as(
        "SELECT a.status, (SELECT count(*) FROM assessment_questions q WHERE q.assessment_id = a.id)
         FROM assessments a WHERE a.title = 'Demo: aptitude check'",
    )
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), frozen), ("published", 6));
    assert!(!are::demo::load_if_empty(&world.pool, &world.auth.hasher)
        .await
        .unwrap());
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_suggestion_leads_to_the_invite_form_with_its_candidate_chosen(pool: PgPool) {
    let world = World::init(pool).await;
    let w = scene(&world).await;
    world
        .candidate(w.org, "Ada Byron", "byron@example.com")
        .await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let id = published(&mut recruiter, &world, &w).await;

    let response = recruiter
        .call(InviteSuggestions {
            assessment_id: id,
            q: "ada lovelace".into(),
        })
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let found: Vec<app::ui::suggest::Suggestion> = serde_json::from_str(&response.body).unwrap();
    let href = format!("/assessments/{id}?q=ada%40example.com#invite");
    assert_eq!(
        found,
        [app::ui::suggest::Suggestion {
            label: "Ada Lovelace <ada@example.com>".into(),
            href: href.clone(),
        }]
    );
    let page = recruiter.get(href.trim_end_matches("#invite")).await;
    assert!(
        page.body
            .contains(&format!("<option value=\"{}\" selected", w.candidate)),
        "the suggested candidate is chosen in the invite form"
    );
}
