//! Structured interviews: scorecards and plans, the kit, drafts and submission, edits
//! that keep versions, independence on every read path, the debrief and its decision,
//! reminders, nudges and calibration, and who may do what.

use crate::support::{Acme, Client, TestResponse, World};
use app::access::Role;
use app::feedback::calibration::InterviewerFigures;
use app::feedback::{
    CalibrationReport, Debrief, Decide, DecisionForm, EditFeedback, FeedbackForm, Kit,
    LoadCalibration, LoadDebrief, LoadKit, NudgeInterviewer, Panel, SaveFeedbackDraft,
    SubmitFeedback,
};
use app::interviews::{CancelInterview, ScheduleForm, ScheduleInterview};
use app::notifications::{Inbox, LoadInbox};
use app::scorecards::{
    AddRequiredSkills, AttributeForm, CopyScorecard, LoadScorecard, SaveAttribute, SavePlanStage,
    Scorecard, StageForm,
};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use sqlx::PgPool;
use uuid::Uuid;

struct Scene {
    org: Uuid,
    requisition: Uuid,
    application: Uuid,
    candidate: Uuid,
    iris: Uuid,
    ivan: Uuid,
}

/// Acme with two interviewers (Iris and Ivan), an open requisition managed by
/// manager@acme.test and made by recruiter@acme.test, requiring SQL, and Ada's
/// application to it.
async fn scene(world: &World) -> Scene {
    let Acme {
        org,
        recruiter,
        manager,
        ..
    } = world.acme().await;
    let iris = world.user(org, Role::Interviewer, "iris@acme.test").await;
    let ivan = world.user(org, Role::Interviewer, "ivan@acme.test").await;
    for (id, name) in [(iris, "Iris Interviewer"), (ivan, "Ivan Interviewer")] {
        sqlx::query("UPDATE users SET full_name = $2 WHERE id = $1")
            .bind(id)
            .bind(name)
            .execute(&world.pool)
            .await
            .unwrap();
    }
    let requisition: Uuid = sqlx::query_scalar(
        "INSERT INTO job_requisitions (org_id, title, employment_type, openings, status, hiring_manager_id, created_by)
         VALUES ($1, 'Data engineer', 'full_time', 1, 'open', $2, $3) RETURNING id",
    )
    .bind(org)
    .bind(manager)
    .bind(recruiter)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let sql = world.skill(org, "SQL").await;
    sqlx::query(
        "INSERT INTO requisition_skills (requisition_id, skill_id, required) VALUES ($1, $2, true)",
    )
    .bind(requisition)
    .bind(sql)
    .execute(&world.pool)
    .await
    .unwrap();
    let candidate = world
        .candidate(org, "Ada Lovelace", "ada@example.com")
        .await;
    let application = world.application(candidate, requisition).await;
    Scene {
        org,
        requisition,
        application,
        candidate,
        iris,
        ivan,
    }
}

fn ok(response: &TestResponse) {
    assert!(
        response.status.is_success() || response.status.is_redirection(),
        "{}: {}",
        response.status,
        response.body
    );
}

fn refused(response: &TestResponse, status: StatusCode, needle: &str) {
    assert_eq!(response.status, status, "{}", response.body);
    assert!(
        response.body.contains(needle),
        "{needle} not in {}",
        response.body
    );
}

async fn scorecard(client: &mut Client, requisition: Uuid) -> Scorecard {
    let response = client
        .call(LoadScorecard {
            requisition_id: requisition,
        })
        .await;
    ok(&response);
    serde_json::from_str(&response.body).unwrap()
}

/// The recruiter's scorecard (SQL from the required skills, then Communication) and a
/// one-stage plan ("Technical") rating both; returns the stage's id.
async fn set_up_plan(recruiter: &mut Client, scene: &Scene) -> Uuid {
    ok(&recruiter
        .call(AddRequiredSkills {
            requisition_id: scene.requisition,
        })
        .await);
    ok(&recruiter
        .call(SaveAttribute {
            form: AttributeForm {
                requisition_id: scene.requisition,
                attribute_id: None,
                category: "traits".into(),
                name: "Communication".into(),
                anchor_1: "Hard to follow".into(),
                anchor_2: "Clear when prompted".into(),
                anchor_3: "Clear and structured".into(),
                anchor_4: "Makes the hard simple".into(),
            },
        })
        .await);
    let card = scorecard(recruiter, scene.requisition).await;
    assert_eq!(
        card.attributes
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>(),
        vec!["SQL", "Communication"]
    );
    assert!(card.skills_to_add.is_empty());
    ok(&recruiter
        .call(SavePlanStage {
            form: StageForm {
                requisition_id: scene.requisition,
                stage_id: None,
                name: "Technical".into(),
                duration_minutes: "45".into(),
                prep_notes: "Read the take-home first.".into(),
                questions: "Design a schema for invoices.\nWhen is an index worth it?".into(),
                focus: card.attributes.iter().map(|a| a.id.to_string()).collect(),
                bank: vec![],
            },
        })
        .await);
    scorecard(recruiter, scene.requisition).await.stages[0].id
}

async fn kit(client: &mut Client, interview: Uuid) -> Kit {
    let response = client
        .call(LoadKit {
            interview_id: interview,
        })
        .await;
    ok(&response);
    serde_json::from_str(&response.body).unwrap()
}

/// A full form for `kit`: every attribute at `level`, with the texts and recommendation.
fn filled(kit: &Kit, level: &str, recommendation: &str, strengths: &str) -> FeedbackForm {
    FeedbackForm {
        interview_id: kit.interview_id,
        ratings: kit
            .attributes
            .iter()
            .map(|a| format!("{}:{level}", a.attribute_id))
            .collect(),
        strengths: strengths.into(),
        concerns: "Talks fast.".into(),
        notes: "Would pair well with the platform team.".into(),
        recommendation: recommendation.into(),
    }
}

async fn debrief(client: &mut Client, application: Uuid) -> TestResponse {
    client
        .call(LoadDebrief {
            application_id: application,
        })
        .await
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn drafts_submission_edits_and_the_one_feedback_rule(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let stage = set_up_plan(&mut recruiter, &scene).await;
    let interview = schedule_for(&world, &mut recruiter, &scene, scene.iris, stage, 10).await;

    let mut iris = world.signed_in("iris@acme.test").await;
    let mine = kit(&mut iris, interview).await;
    assert!(mine.is_author && mine.can_write);
    assert_eq!(mine.stage_name.as_deref(), Some("Technical"));
    assert_eq!(mine.questions.len(), 2);
    assert_eq!(mine.attributes.len(), 2);
    assert_eq!(mine.attributes[0].anchors.len(), 4);

    // A draft with one rating and no recommendation saves, and comes back on reload.
    let mut draft = filled(&mine, "3", "", "Knows window functions.");
    draft.ratings.truncate(1);
    ok(&iris
        .call(SaveFeedbackDraft {
            form: draft.clone(),
        })
        .await);
    let reloaded = kit(&mut iris, interview).await;
    assert_eq!(reloaded.attributes[0].rating, Some(3));
    assert_eq!(reloaded.attributes[1].rating, None);
    assert_eq!(
        reloaded.own.as_ref().unwrap().strengths,
        "Knows window functions."
    );
    // Not before the interview has started: the draft waits.
    refused(
        &iris
            .call(SubmitFeedback {
                form: draft.clone(),
            })
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "once the interview has started",
    );
    ended_hours_ago(&world, interview, 1).await;
    // Submitting it as it is names what is missing and keeps the draft.
    refused(
        &iris
            .call(SubmitFeedback {
                form: draft.clone(),
            })
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "Communication still has none",
    );
    let with_all = FeedbackForm {
        ratings: vec![
            format!("{}:3", mine.attributes[0].attribute_id),
            format!("{}:na", mine.attributes[1].attribute_id),
        ],
        ..draft.clone()
    };
    refused(
        &iris
            .call(SubmitFeedback {
                form: with_all.clone(),
            })
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "recommendation",
    );
    assert_eq!(
        kit(&mut iris, interview).await.own.unwrap().strengths,
        "Knows window functions."
    );
    // Bad values are refused with a message.
    refused(
        &iris
            .call(SaveFeedbackDraft {
                form: FeedbackForm {
                    ratings: vec![format!("{}:7", mine.attributes[0].attribute_id)],
                    ..draft.clone()
                },
            })
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "scale",
    );

    let submitted = FeedbackForm {
        recommendation: "yes".into(),
        ..with_all
    };
    ok(&iris
        .call(SubmitFeedback {
            form: submitted.clone(),
        })
        .await);
    // One feedback per interview: a second submission and a later draft are refused.
    refused(
        &iris
            .call(SubmitFeedback {
                form: submitted.clone(),
            })
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "already submitted",
    );
    refused(
        &iris
            .call(SaveFeedbackDraft {
                form: submitted.clone(),
            })
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "already submitted",
    );
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM interview_feedback")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(rows, 1);

    // Changing the scorecard afterwards leaves the submitted feedback as it was given.
    let card = scorecard(&mut recruiter, scene.requisition).await;
    ok(&recruiter
        .call(SaveAttribute {
            form: AttributeForm {
                requisition_id: scene.requisition,
                attribute_id: Some(card.attributes[0].id),
                category: "skills".into(),
                name: "Advanced SQL".into(),
                anchor_1: "a".into(),
                anchor_2: "b".into(),
                anchor_3: "c".into(),
                anchor_4: "d".into(),
            },
        })
        .await);
    let after = kit(&mut iris, interview).await;
    assert_eq!(after.attributes[0].name, "SQL");
    assert!(after.attributes[0].anchors[3].contains("SQL"));

    // An edit keeps the previous version and is audited; a colleague cannot edit it.
    let edited = FeedbackForm {
        recommendation: "strong_yes".into(),
        strengths: "Knows window functions and CTEs.".into(),
        ..submitted.clone()
    };
    ok(&iris
        .call(EditFeedback {
            form: edited.clone(),
        })
        .await);
    let own = kit(&mut iris, interview).await.own.unwrap();
    assert_eq!(own.version, 2);
    assert_eq!(own.strengths, "Knows window functions and CTEs.");
    assert_eq!(own.history.len(), 1);
    assert_eq!(own.history[0].version, 1);
    assert_eq!(own.history[0].strengths, "Knows window functions.");
    assert!(world
        .audit_actions(scene.org)
        .await
        .contains(&"feedback.edited".to_string()));
    let mut ivan = world.signed_in("ivan@acme.test").await;
    assert_eq!(
        ivan.call(EditFeedback {
            form: edited.clone()
        })
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let mut manager = world.signed_in("manager@acme.test").await;
    refused(
        &manager.call(EditFeedback { form: edited }).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "Only the interviewer",
    );

    // The recruiter and the hiring manager were told, in the app.
    for client in [&mut recruiter, &mut manager] {
        let inbox: Inbox = serde_json::from_str(&client.call(LoadInbox {}).await.body).unwrap();
        assert!(
            inbox.items.iter().any(|n| n.title.contains(
                "Iris Interviewer submitted interview feedback on Ada Lovelace for Data engineer"
            )),
            "{inbox:?}"
        );
    }
}

async fn schedule_for(
    world: &World,
    recruiter: &mut Client,
    scene: &Scene,
    interviewer: Uuid,
    stage: Uuid,
    hour: u32,
) -> Uuid {
    let day = (Utc::now() + Duration::days(3)).format("%Y-%m-%d");
    ok(&recruiter
        .call(ScheduleInterview {
            form: ScheduleForm {
                application_id: scene.application,
                interviewer_id: interviewer.to_string(),
                kind: "technical".into(),
                starts_at: format!("{day}T{hour:02}:00"),
                duration_minutes: "45".into(),
                plan_stage_id: stage.to_string(),
                ..ScheduleForm::default()
            },
        })
        .await);
    sqlx::query_scalar(
        "SELECT id FROM interviews WHERE interviewer_id = $1 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(interviewer)
    .fetch_one(&world.pool)
    .await
    .unwrap()
}

/// The scene with its plan, and Iris's and Ivan's interviews of Ada, both ended two hours
/// ago, with each of them signed in.
struct Panelists {
    scene: Scene,
    recruiter: Client,
    stage: Uuid,
    iris_interview: Uuid,
    ivan_interview: Uuid,
    iris: Client,
    ivan: Client,
}

async fn panelists(world: &World) -> Panelists {
    let scene = scene(world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let stage = set_up_plan(&mut recruiter, &scene).await;
    let iris_interview = schedule_for(world, &mut recruiter, &scene, scene.iris, stage, 10).await;
    let ivan_interview = schedule_for(world, &mut recruiter, &scene, scene.ivan, stage, 12).await;
    ended_hours_ago(world, iris_interview, 2).await;
    ended_hours_ago(world, ivan_interview, 2).await;
    Panelists {
        scene,
        recruiter,
        stage,
        iris_interview,
        ivan_interview,
        iris: world.signed_in("iris@acme.test").await,
        ivan: world.signed_in("ivan@acme.test").await,
    }
}

/// Everything an interviewer can read that could carry a colleague's feedback.
async fn what_leaks(
    world: &World,
    client: &mut Client,
    scene: &Scene,
    interview: Uuid,
    secret: &str,
) -> Vec<String> {
    let mut leaks = Vec::new();
    let kit_response = client
        .call(LoadKit {
            interview_id: interview,
        })
        .await;
    if kit_response.body.contains(secret) {
        leaks.push("the kit".to_string());
    }
    let page = client.get(&format!("/interviews/{interview}")).await;
    if page.body.contains(secret) {
        leaks.push("the kit page".to_string());
    }
    for path in [
        format!("/applications/{}/debrief", scene.application),
        format!("/applications/{}", scene.application),
        format!("/candidates/{}", scene.candidate),
        "/calibration".to_string(),
        "/notifications".to_string(),
        "/".to_string(),
    ] {
        if client.get(&path).await.body.contains(secret) {
            leaks.push(path);
        }
    }
    let debrief = debrief(client, scene.application).await;
    if debrief.body.contains(secret) {
        leaks.push("the debrief function".to_string());
    }
    let calibration = client
        .call(LoadCalibration {
            from: None,
            to: None,
            requisition: None,
        })
        .await;
    if calibration.body.contains(secret) || calibration.body.contains("Ivan Interviewer") {
        leaks.push("the calibration function".to_string());
    }
    let inbox = client.call(LoadInbox {}).await;
    if inbox.body.contains(secret) || inbox.body.contains("submitted interview feedback") {
        leaks.push("the inbox".to_string());
    }
    world.run_jobs().await;
    if world
        .emails()
        .iter()
        .any(|email| email.contains(secret) && email.contains("To: iris@acme.test"))
    {
        leaks.push("an email".to_string());
    }
    leaks
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_interviewer_sees_no_colleague_feedback_until_their_own_is_in(pool: PgPool) {
    let world = World::init(pool).await;
    let Panelists {
        scene,
        iris_interview,
        ivan_interview,
        mut iris,
        mut ivan,
        ..
    } = panelists(&world).await;

    // Ivan submits first, with words that must not reach Iris.
    let ivan_kit = kit(&mut ivan, ivan_interview).await;
    let secret = "Ivan-only-observation-about-joins";
    ok(&ivan
        .call(SubmitFeedback {
            form: filled(&ivan_kit, "1", "strong_no", secret),
        })
        .await);
    // Iris has a draft of her own and nothing of Ivan's anywhere, not even a count.
    let iris_kit = kit(&mut iris, iris_interview).await;
    ok(&iris
        .call(SaveFeedbackDraft {
            form: filled(&iris_kit, "4", "strong_yes", "Iris draft words"),
        })
        .await);
    let mine = kit(&mut iris, iris_interview).await;
    assert_eq!(mine.panel, Panel::Hidden);
    let page = iris.get(&format!("/interviews/{iris_interview}")).await;
    assert!(page
        .body
        .contains("appears here once you have given feedback for each of your interviews"));
    assert!(
        !page.body.contains("recommendation recommendation-no"),
        "a colleague's recommendation shows"
    );
    assert_eq!(
        what_leaks(&world, &mut iris, &scene, iris_interview, secret).await,
        Vec::<String>::new()
    );
    // Iris cannot open Ivan's kit, nor the debrief.
    assert_eq!(
        iris.call(LoadKit {
            interview_id: ivan_interview
        })
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        debrief(&mut iris, scene.application).await.status,
        StatusCode::FORBIDDEN
    );
    // And Ivan, who submitted, sees Iris's draft nowhere: drafts are their author's.
    let ivan_view = kit(&mut ivan, ivan_interview).await;
    match &ivan_view.panel {
        Panel::Shown(list) => assert!(list.is_empty(), "{list:?}"),
        Panel::Hidden => panic!("Ivan has submitted and may see submitted feedback"),
    }
    assert!(!ivan
        .get(&format!("/interviews/{ivan_interview}"))
        .await
        .body
        .contains("Iris draft words"));
    let mut manager = world.signed_in("manager@acme.test").await;
    assert!(!debrief(&mut manager, scene.application)
        .await
        .body
        .contains("Iris draft words"));

    // Once Iris submits, she sees Ivan's feedback, and he hers.
    ok(&iris
        .call(SubmitFeedback {
            form: filled(&iris_kit, "4", "strong_yes", "Iris final words"),
        })
        .await);
    match kit(&mut iris, iris_interview).await.panel {
        Panel::Shown(list) => {
            assert_eq!(list.len(), 1);
            assert_eq!(list[0].interviewer_name, "Ivan Interviewer");
            assert_eq!(list[0].strengths, secret);
        }
        Panel::Hidden => panic!("Iris submitted and still sees nothing"),
    }
    assert!(iris
        .get(&format!("/interviews/{iris_interview}"))
        .await
        .body
        .contains(secret));
    match kit(&mut ivan, ivan_interview).await.panel {
        Panel::Shown(list) => assert_eq!(list[0].strengths, "Iris final words"),
        Panel::Hidden => panic!("Ivan sees nothing"),
    }

    // The debrief: both columns, the split, the disagreement on every attribute.
    let response = debrief(&mut manager, scene.application).await;
    ok(&response);
    let d: Debrief = serde_json::from_str(&response.body).unwrap();
    assert_eq!(d.columns.len(), 2);
    assert!(d.split);
    assert!(d.rows.iter().all(|row| row.disagree), "{:?}", d.rows);
    assert_eq!(d.rows[0].cells, vec![Some(4), Some(1)]);
    assert_eq!(d.feedback.len(), 2);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn other_organizations_and_other_requisitions_find_nothing(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let stage = set_up_plan(&mut recruiter, &scene).await;
    let interview = schedule_for(&world, &mut recruiter, &scene, scene.iris, stage, 10).await;
    ended_hours_ago(&world, interview, 1).await;
    let mut iris = world.signed_in("iris@acme.test").await;
    let mine = kit(&mut iris, interview).await;
    ok(&iris
        .call(SubmitFeedback {
            form: filled(&mine, "3", "yes", "Solid"),
        })
        .await);

    let globex = world.org("Globex").await;
    world
        .user(globex, Role::Interviewer, "interviewer@globex.test")
        .await;
    world.user(globex, Role::Admin, "admin@globex.test").await;
    let form = filled(&mine, "1", "no", "intruder");
    for email in [
        "interviewer@globex.test",
        "admin@globex.test",
        "other-manager@acme.test",
    ] {
        let mut intruder = world.signed_in(email).await;
        let responses = [
            intruder
                .call(LoadKit {
                    interview_id: interview,
                })
                .await,
            intruder
                .call(SaveFeedbackDraft { form: form.clone() })
                .await,
            intruder.call(SubmitFeedback { form: form.clone() }).await,
            intruder.call(EditFeedback { form: form.clone() }).await,
            intruder.get(&format!("/interviews/{interview}")).await,
        ];
        for response in responses {
            assert_eq!(
                response.status,
                StatusCode::NOT_FOUND,
                "{email}: {}",
                response.body
            );
            assert!(!response.body.contains("Solid"));
        }
        let expected = if email.starts_with("interviewer@") {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(
            debrief(&mut intruder, scene.application).await.status,
            expected,
            "{email}"
        );
        let scorecard = intruder
            .call(LoadScorecard {
                requisition_id: scene.requisition,
            })
            .await;
        assert_eq!(scorecard.status, expected, "{email}");
        let nudge = intruder
            .call(NudgeInterviewer {
                interview_id: interview,
            })
            .await;
        assert_eq!(nudge.status, expected, "{email}");
        let decision = intruder
            .call(Decide {
                form: DecisionForm {
                    application_id: scene.application,
                    decision: "reject".into(),
                    stage_id: String::new(),
                    reason_id: Uuid::new_v4().to_string(),
                },
            })
            .await;
        assert_eq!(decision.status, expected, "{email}");
    }
    // Signed out: told to sign in.
    let mut anonymous = world.client();
    assert_eq!(
        anonymous
            .call(LoadKit {
                interview_id: interview
            })
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        anonymous.call(SubmitFeedback { form }).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Interviewers do not change scorecards.
    assert_eq!(
        iris.call(AddRequiredSkills {
            requisition_id: scene.requisition
        })
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM interview_feedback WHERE strengths = 'intruder'")
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!(rows, 0);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_debrief_decides_nudges_and_copies(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let stage = set_up_plan(&mut recruiter, &scene).await;
    let interview = schedule_for(&world, &mut recruiter, &scene, scene.iris, stage, 10).await;

    // Missing feedback: one nudge, then "less than an hour ago".
    ok(&recruiter
        .call(NudgeInterviewer {
            interview_id: interview,
        })
        .await);
    refused(
        &recruiter
            .call(NudgeInterviewer {
                interview_id: interview,
            })
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "less than an hour ago",
    );
    world.run_jobs().await;
    let emails = world.emails();
    assert_eq!(
        emails
            .iter()
            .filter(|e| e.contains("To: iris@acme.test") && e.contains("Feedback wanted"))
            .count(),
        1
    );
    let mut iris = world.signed_in("iris@acme.test").await;
    let inbox: Inbox = serde_json::from_str(&iris.call(LoadInbox {}).await.body).unwrap();
    assert!(inbox
        .items
        .iter()
        .any(|n| n.title.contains("asks for your feedback")));

    // A rejection needs a reason of the list; a hire moves to the stage chosen.
    let d: Debrief =
        serde_json::from_str(&debrief(&mut recruiter, scene.application).await.body).unwrap();
    assert!(!d.decided);
    let offer = d
        .hire_stages
        .iter()
        .find(|(_, name)| name == "Offer")
        .unwrap()
        .0;
    refused(
        &recruiter
            .call(Decide {
                form: DecisionForm {
                    application_id: scene.application,
                    decision: "reject".into(),
                    stage_id: String::new(),
                    reason_id: String::new(),
                },
            })
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "reason",
    );
    ok(&recruiter
        .call(Decide {
            form: DecisionForm {
                application_id: scene.application,
                decision: "hire".into(),
                stage_id: offer.to_string(),
                reason_id: String::new(),
            },
        })
        .await);
    let stage_name: String = sqlx::query_scalar(
        "SELECT s.name FROM applications a JOIN pipeline_stages s ON s.id = a.stage_id WHERE a.id = $1",
    )
    .bind(scene.application)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!(stage_name, "Offer");
    // The server keeps to the choices: no hire backwards.
    let backwards: Uuid = sqlx::query_scalar(
        "SELECT id FROM pipeline_stages WHERE org_id = $1 AND name = 'Interview'",
    )
    .bind(scene.org)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    refused(
        &recruiter
            .call(Decide {
                form: DecisionForm {
                    application_id: scene.application,
                    decision: "hire".into(),
                    stage_id: backwards.to_string(),
                    reason_id: String::new(),
                },
            })
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "later stages",
    );
    let actions = world.audit_actions(scene.org).await;
    for action in [
        "application.decided",
        "application.moved",
        "feedback.nudged",
    ] {
        assert!(
            actions.contains(&action.to_string()),
            "{action}: {actions:?}"
        );
    }

    // Another requisition copies this scorecard.
    let other = world.requisition(scene.org, "Analyst", None).await;
    ok(&recruiter
        .call(CopyScorecard {
            requisition_id: other,
            from: scene.requisition.to_string(),
        })
        .await);
    let copied = scorecard(&mut recruiter, other).await;
    assert_eq!(copied.attributes.len(), 2);
    assert_eq!(copied.attributes[1].anchors[3], "Makes the hard simple");
    // Copying twice adds nothing twice.
    ok(&recruiter
        .call(CopyScorecard {
            requisition_id: other,
            from: scene.requisition.to_string(),
        })
        .await);
    assert_eq!(scorecard(&mut recruiter, other).await.attributes.len(), 2);
}

async fn report(client: &mut Client, requisition: Uuid) -> CalibrationReport {
    let response = client
        .call(LoadCalibration {
            from: None,
            to: None,
            requisition: Some(requisition.to_string()),
        })
        .await;
    ok(&response);
    serde_json::from_str(&response.body).unwrap()
}

/// Moves the interview into the past: it ended `hours` ago.
async fn ended_hours_ago(world: &World, interview: Uuid, hours: i64) {
    sqlx::query("UPDATE interviews SET starts_at = now() - make_interval(hours => $2::int) - interval '45 minutes' WHERE id = $1")
        .bind(interview)
        .bind(hours as i32)
        .execute(&world.pool)
        .await
        .unwrap();
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn overdue_feedback_gets_one_reminder_then_one_more_and_never_a_third(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let stage = set_up_plan(&mut recruiter, &scene).await;
    let due = schedule_for(&world, &mut recruiter, &scene, scene.iris, stage, 10).await;
    let cancelled = schedule_for(&world, &mut recruiter, &scene, scene.ivan, stage, 12).await;
    ok(&recruiter
        .call(CancelInterview {
            interview_id: cancelled,
        })
        .await);
    ended_hours_ago(&world, due, 25).await;
    ended_hours_ago(&world, cancelled, 25).await;
    world.run_jobs().await;
    let before = world.emails().len();
    let reminders = |world: &World| {
        world
            .emails()
            .iter()
            .filter(|e| e.contains("Feedback wanted"))
            .map(|e| e.contains("To: iris@acme.test"))
            .collect::<Vec<_>>()
    };
    let run = |at: chrono::DateTime<Utc>| {
        let pool = world.pool.clone();
        async move {
            app::feedback::reminders::run(&pool, "http://are.test", at)
                .await
                .unwrap()
        }
    };
    let now = Utc::now();
    assert_eq!(run(now).await, 1);
    assert_eq!(run(now).await, 0, "a second run at once sends nothing");
    assert_eq!(run(now + Duration::hours(23)).await, 0);
    assert_eq!(
        run(now + Duration::hours(24)).await,
        1,
        "the second reminder"
    );
    assert_eq!(run(now + Duration::hours(72)).await, 0, "never a third");
    world.run_jobs().await;
    assert_eq!(reminders(&world), vec![true, true]);
    assert_eq!(world.emails().len(), before + 2);
    let last = world
        .emails()
        .into_iter()
        .find(|e| e.contains("last reminder"))
        .expect("the second says it is the last");
    assert!(last.contains(&format!("/interviews/{due}")));

    // Submitted feedback is reminded of no more; the organization's hours count.
    let third = schedule_for(&world, &mut recruiter, &scene, scene.iris, stage, 14).await;
    ended_hours_ago(&world, third, 5).await;
    sqlx::query("UPDATE organizations SET feedback_due_hours = 4 WHERE id = $1")
        .bind(scene.org)
        .execute(&world.pool)
        .await
        .unwrap();
    let mut iris = world.signed_in("iris@acme.test").await;
    let third_kit = kit(&mut iris, third).await;
    ok(&iris
        .call(SubmitFeedback {
            form: filled(&third_kit, "2", "no", "ok"),
        })
        .await);
    assert_eq!(run(Utc::now()).await, 0);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn calibration_figures_are_right_on_known_ratings(pool: PgPool) {
    let world = World::init(pool).await;
    let Panelists {
        scene,
        mut recruiter,
        stage,
        iris_interview,
        ivan_interview,
        mut iris,
        mut ivan,
    } = panelists(&world).await;
    // Iris rates everything 1 (no), Ivan 4 (strong yes); both on time.
    let iris_kit = kit(&mut iris, iris_interview).await;
    ok(&iris
        .call(SubmitFeedback {
            form: filled(&iris_kit, "1", "no", "x"),
        })
        .await);
    let ivan_kit = kit(&mut ivan, ivan_interview).await;
    ok(&ivan
        .call(SubmitFeedback {
            form: filled(&ivan_kit, "4", "strong_yes", "y"),
        })
        .await);
    // Both interviews ended two hours ago; Iris's feedback was in at once, Ivan's a day
    // and a half after his interview ended (late).
    ended_hours_ago(&world, iris_interview, 2).await;
    sqlx::query("UPDATE interviews SET starts_at = now() - interval '40 hours' WHERE id = $1")
        .bind(ivan_interview)
        .execute(&world.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE interview_feedback SET first_submitted_at = now() WHERE interview_id = $1")
        .bind(ivan_interview)
        .execute(&world.pool)
        .await
        .unwrap();

    let all = report(&mut recruiter, scene.requisition).await;
    assert!(all.everyone);
    let names: Vec<&str> = all.figures.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, vec!["Iris Interviewer", "Ivan Interviewer"]);
    let iris_figures: &InterviewerFigures = &all.figures[0];
    assert_eq!(iris_figures.interviews, 1);
    assert_eq!((iris_figures.on_time, iris_figures.late), (1, 0));
    assert_eq!(iris_figures.recommendations, [0, 1, 0, 0]);
    assert_eq!(iris_figures.attributes.len(), 2);
    for attribute in &iris_figures.attributes {
        assert_eq!(attribute.own_average, 1.0);
        assert_eq!(attribute.panel_average, 4.0);
        assert_eq!(attribute.difference, -3.0);
        assert_eq!(attribute.candidates, 1);
    }
    assert_eq!(iris_figures.overall_difference, Some(-3.0));
    let ivan_figures = &all.figures[1];
    assert_eq!((ivan_figures.on_time, ivan_figures.late), (0, 1));
    assert_eq!(ivan_figures.recommendations, [0, 0, 0, 1]);
    assert_eq!(ivan_figures.overall_difference, Some(3.0));

    // Another interview of Ada's for Iris, still to come: until she gives that feedback
    // too, her line compares nothing on Ada (whose colleagues' ratings she may not see).
    let later = schedule_for(&world, &mut recruiter, &scene, scene.iris, stage, 16).await;
    let owing = report(&mut iris, scene.requisition).await;
    assert!(
        owing.figures[0].attributes.is_empty(),
        "{:?}",
        owing.figures[0]
    );
    assert_eq!(owing.figures[0].overall_difference, None);
    ok(&recruiter
        .call(CancelInterview {
            interview_id: later,
        })
        .await);

    // Iris sees her own line only.
    let own = report(&mut iris, scene.requisition).await;
    assert!(!own.everyone);
    assert_eq!(own.figures.len(), 1);
    assert_eq!(own.figures[0].name, "Iris Interviewer");
    assert!(own.requisitions.is_empty());
    let page = iris.get("/calibration").await;
    ok(&page);
    assert!(!page.body.contains("Ivan Interviewer"));
    // A range with nothing in it.
    let empty = recruiter
        .call(LoadCalibration {
            from: Some("2020-01-01".into()),
            to: Some("2020-01-31".into()),
            requisition: None,
        })
        .await;
    let empty: CalibrationReport = serde_json::from_str(&empty.body).unwrap();
    assert!(empty.figures.is_empty());
    refused(
        &recruiter
            .call(LoadCalibration {
                from: Some("2020-02-01".into()),
                to: Some("2020-01-01".into()),
                requisition: None,
            })
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "swap",
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn admins_set_when_feedback_is_due(pool: PgPool) {
    use app::feedback::{LoadFeedbackSettings, SaveFeedbackSettings};
    let world = World::init(pool).await;
    let Acme { org, .. } = world.acme().await;
    let mut admin = world.signed_in("admin@acme.test").await;
    assert_eq!(admin.call(LoadFeedbackSettings {}).await.body, "24");
    for bad in ["0", "721", "soon"] {
        refused(
            &admin
                .call(SaveFeedbackSettings {
                    due_hours: bad.into(),
                })
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "1 to 720",
        );
    }
    ok(&admin
        .call(SaveFeedbackSettings {
            due_hours: "48".into(),
        })
        .await);
    assert_eq!(admin.call(LoadFeedbackSettings {}).await.body, "48");
    assert!(world
        .audit_actions(org)
        .await
        .contains(&"feedback.settings_changed".to_string()));
    let page = admin.get("/admin/feedback").await;
    ok(&page);
    assert!(page.body.contains("Feedback due after (hours)"));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn interviewers_see_assessment_results_once_the_recruiter_shares_them(pool: PgPool) {
    use app::assessments::{LoadSharedResults, ShareResults};
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let stage = set_up_plan(&mut recruiter, &scene).await;
    let interview = schedule_for(&world, &mut recruiter, &scene, scene.iris, stage, 10).await;
    let mut iris = world.signed_in("iris@acme.test").await;
    let hidden = iris
        .call(LoadSharedResults {
            interview_id: interview,
        })
        .await;
    assert_eq!(hidden.body, "null");
    let page = iris.get(&format!("/interviews/{interview}")).await;
    assert!(page.body.contains("has not shared the candidate"));
    // Iris cannot share them herself; another organization cannot either.
    assert_eq!(
        iris.call(ShareResults {
            application_id: scene.application,
            shared: true
        })
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    world.globex().await;
    let mut intruder = world.signed_in("recruiter@globex.test").await;
    assert_eq!(
        intruder
            .call(ShareResults {
                application_id: scene.application,
                shared: true
            })
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    ok(&recruiter
        .call(ShareResults {
            application_id: scene.application,
            shared: true,
        })
        .await);
    assert_eq!(
        iris.call(LoadSharedResults {
            interview_id: interview
        })
        .await
        .body,
        "[]"
    );
    assert!(iris
        .get(&format!("/interviews/{interview}"))
        .await
        .body
        .contains("has taken no assessment for this job"));
    assert!(world
        .audit_actions(scene.org)
        .await
        .contains(&"application.results_shared".to_string()));
    let application = recruiter
        .get(&format!("/applications/{}", scene.application))
        .await;
    ok(&application);
    assert!(application.body.contains("Debrief and decision"));
}
