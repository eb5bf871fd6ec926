//! The README's "Who may do what": each action called as each role, the requisition's
//! hiring manager and another hiring manager told apart, and the answer checked against
//! the table. An allowed call that changes something is sent with input the function
//! refuses after its permission checks (422), so the walk changes nothing; the
//! cancellations, which take no input to refuse, are walked on their own.

use crate::support::{Acme, Call, Client, PublishedAssessment, World};
use app::assessments::{
    GradeAnswer, GradeForm, InviteCandidate, InviteForm, LoadAssessment, LoadResults,
};
use app::audit::ListAudit;
use app::candidates::{
    CandidateForm, ListCandidates, LoadCandidate, LoadLimitedCandidate, UpdateCandidate,
};
use app::feedback::LoadDebrief;
use app::interviews::{
    CancelInterview, LoadCandidateInterviews, RescheduleForm, RescheduleInterview, ScheduleForm,
    ScheduleInterview,
};
use app::pipeline::{AddToPipeline, MoveApplications};
use app::requisitions::LoadRequisition;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use sqlx::PgPool;
use uuid::Uuid;

/// What the table says of one role and one action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    /// Allowed: the answer is the action's own (200, or 422 for the refused input).
    Yes,
    /// Refused for the role: 403.
    No,
    /// Out of the user's sight (another's requisition and what hangs off it): 404.
    Unseen,
}
use Cell::{No, Unseen, Yes};

/// The signed-in people, in the order of each row's cells: admin, recruiter, the
/// requisition's hiring manager, another hiring manager, an interviewer (who conducts
/// the scene's interviews).
const PEOPLE: [&str; 5] = [
    "admin@acme.test",
    "recruiter@acme.test",
    "manager@acme.test",
    "other-manager@acme.test",
    "interviewer@acme.test",
];

struct Scene {
    org: Uuid,
    requisition: Uuid,
    candidate: Uuid,
    application: Uuid,
    /// Booked by the requisition's hiring manager.
    managers_booking: Uuid,
    /// Booked by the recruiter.
    recruiters_booking: Uuid,
    /// The candidate's application to a requisition of another hiring manager.
    elsewhere: Uuid,
    interviewer: Uuid,
}

/// Acme; "Backend engineer" managed by manager@, "Data engineer" by data-manager@
/// (other-manager@ manages nothing of Ada's); Ada
/// Lovelace in both pipelines; on Backend, an interview booked by the hiring manager and
/// one booked by the recruiter, and on Data one booked by the recruiter; all three with
/// interviewer@.
async fn scene(world: &World) -> Scene {
    let Acme {
        org,
        manager,
        interviewer,
        ..
    } = world.acme().await;
    let data_manager = world
        .user(
            org,
            app::access::Role::HiringManager,
            "data-manager@acme.test",
        )
        .await;
    let requisition = world
        .requisition(org, "Backend engineer", Some(manager))
        .await;
    let data_requisition = world
        .requisition(org, "Data engineer", Some(data_manager))
        .await;
    let candidate: Uuid = sqlx::query_scalar(
        "INSERT INTO candidates (org_id, full_name, email, phone, headline, source, tags)
         VALUES ($1, 'Ada Lovelace', 'ada@example.com', '+44 555 0100', 'Analyst of engines',
                 'referral', '{mathematics}') RETURNING id",
    )
    .bind(org)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let application = world.application(candidate, requisition).await;
    let elsewhere = world.application(candidate, data_requisition).await;
    let mut hm = world.signed_in("manager@acme.test").await;
    let managers_booking = book(world, &mut hm, application, interviewer, 10).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let recruiters_booking = book(world, &mut recruiter, application, interviewer, 12).await;
    book(world, &mut recruiter, elsewhere, interviewer, 14).await;
    Scene {
        org,
        requisition,
        candidate,
        application,
        managers_booking,
        recruiters_booking,
        elsewhere,
        interviewer,
    }
}

/// A technical interview of `application` with `interviewer` at `hour`:00 (UTC) in three
/// days, scheduled by `client`; its id.
async fn book(
    world: &World,
    client: &mut Client,
    application: Uuid,
    interviewer: Uuid,
    hour: u32,
) -> Uuid {
    let day = (Utc::now() + Duration::days(3)).date_naive();
    let done = client
        .call(ScheduleInterview {
            form: ScheduleForm {
                application_id: application,
                interviewer_id: interviewer.to_string(),
                kind: "technical".into(),
                starts_at: format!("{day}T{hour:02}:00"),
                duration_minutes: "60".into(),
                ..ScheduleForm::default()
            },
        })
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    sqlx::query_scalar("SELECT id FROM interviews ORDER BY created_at DESC LIMIT 1")
        .fetch_one(&world.pool)
        .await
        .unwrap()
}

/// A published assessment of the scene's requisition with one candidate invited.
async fn invited_on_the_requisition(world: &World, scene: &Scene) -> PublishedAssessment {
    let published = world.published_assessment(scene.org, 30).await;
    sqlx::query("UPDATE assessments SET requisition_id = $2 WHERE id = $1")
        .bind(published.assessment)
        .bind(scene.requisition)
        .execute(&world.pool)
        .await
        .unwrap();
    world
        .assessment_invite(scene.org, published.assessment, "1 day")
        .await;
    published
}

/// A session of an assessment of the scene's requisition with an essay answer to grade,
/// still in progress (so that an allowed grade is refused as too early: 422): (session,
/// question).
async fn answer_to_grade(world: &World, scene: &Scene) -> (Uuid, Uuid) {
    let published = invited_on_the_requisition(world, scene).await;
    let taker: Uuid = sqlx::query_scalar(
        "SELECT candidate_id FROM assessment_applications WHERE assessment_id = $1",
    )
    .bind(published.assessment)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let session = world
        .assessment_fixture_session(published.assessment, taker)
        .await;
    let essay = published.questions[4];
    sqlx::query(
        "INSERT INTO answers (session_id, question_id, org_id, response, seq)
         VALUES ($1, $2, $3, '{\"text\":\"Indexes, mostly.\"}', 1)",
    )
    .bind(session)
    .bind(essay)
    .bind(scene.org)
    .execute(&world.pool)
    .await
    .unwrap();
    (session, essay)
}

/// The answer a cell expects: `allowed` is the action's own answer when it is allowed.
fn status_of(cell: Cell, allowed: StatusCode) -> StatusCode {
    match cell {
        Yes => allowed,
        No => StatusCode::FORBIDDEN,
        Unseen => StatusCode::NOT_FOUND,
    }
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn every_role_may_do_what_the_readme_says_and_nothing_more(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let (session, essay) = answer_to_grade(&world, &scene).await;
    let first_stage: Uuid = sqlx::query_scalar(
        "SELECT id FROM pipeline_stages WHERE org_id = $1 ORDER BY position LIMIT 1",
    )
    .bind(scene.org)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let not_a_time = |interview_id| RescheduleInterview {
        form: RescheduleForm {
            interview_id,
            starts_at: "not a time".into(),
            duration_minutes: "60".into(),
            anyway: None,
        },
    };

    const OK: StatusCode = StatusCode::OK;
    const INVALID: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;
    // (what, the call, its answer when allowed, the cells in the order of `PEOPLE`).
    let matrix: Vec<(&str, Call, StatusCode, [Cell; 5])> = vec![
        (
            "see the candidates list",
            Call::new(ListCandidates {
                text: None,
                tags: None,
                skill: None,
                source: None,
                sort: None,
                after: None,
            }),
            OK,
            [Yes, Yes, No, No, No],
        ),
        (
            "open the full profile",
            Call::new(LoadCandidate {
                id: scene.candidate,
            }),
            OK,
            [Yes, Yes, No, No, No],
        ),
        (
            "open the limited profile",
            Call::new(LoadLimitedCandidate {
                id: scene.candidate,
            }),
            OK,
            [Yes, Yes, Yes, No, No],
        ),
        (
            "see the profile's interviews",
            Call::new(LoadCandidateInterviews {
                candidate_id: scene.candidate,
            }),
            OK,
            [Yes, Yes, Yes, No, No],
        ),
        (
            "edit the candidate",
            Call::new(UpdateCandidate {
                id: scene.candidate,
                form: CandidateForm::default(),
            }),
            INVALID,
            [Yes, Yes, No, No, No],
        ),
        (
            "add the candidate to a pipeline",
            Call::new(AddToPipeline {
                candidate_id: scene.candidate,
                requisition_id: String::new(),
            }),
            INVALID,
            [Yes, Yes, No, No, No],
        ),
        (
            "open the requisition",
            Call::new(LoadRequisition {
                id: scene.requisition,
            }),
            OK,
            [Yes, Yes, Yes, Unseen, No],
        ),
        (
            "move on the board",
            Call::new(MoveApplications {
                requisition_id: scene.requisition,
                application_ids: None,
                to_stage: first_stage.to_string(),
                reason: None,
            }),
            INVALID,
            [Yes, Yes, Yes, Unseen, No],
        ),
        (
            "schedule an interview",
            Call::new(ScheduleInterview {
                form: ScheduleForm {
                    application_id: scene.application,
                    interviewer_id: scene.interviewer.to_string(),
                    kind: "technical".into(),
                    starts_at: "not a time".into(),
                    duration_minutes: "60".into(),
                    ..ScheduleForm::default()
                },
            }),
            INVALID,
            [Yes, Yes, Yes, Unseen, No],
        ),
        (
            "reschedule the hiring manager's booking",
            Call::new(not_a_time(scene.managers_booking)),
            INVALID,
            [Yes, Yes, Yes, Unseen, No],
        ),
        (
            "reschedule the recruiter's booking",
            Call::new(not_a_time(scene.recruiters_booking)),
            INVALID,
            [Yes, Yes, No, Unseen, No],
        ),
        (
            "see the debrief",
            Call::new(LoadDebrief {
                application_id: scene.application,
            }),
            OK,
            [Yes, Yes, Yes, Unseen, No],
        ),
        (
            "grade an answer",
            Call::new(GradeAnswer {
                form: GradeForm {
                    session_id: session,
                    question_id: essay,
                    score: "1".into(),
                    comment: String::new(),
                },
            }),
            INVALID,
            [Yes, Yes, Yes, Unseen, No],
        ),
        (
            "invite to a test",
            Call::new(InviteCandidate {
                form: InviteForm {
                    assessment_id: Uuid::nil(),
                    candidate_id: "nobody".into(),
                    ..InviteForm::default()
                },
            }),
            INVALID,
            [Yes, Yes, No, No, No],
        ),
        (
            "see the audit log",
            Call::new(ListAudit {
                action: None,
                actor: None,
                since: None,
                until: None,
                before: None,
            }),
            OK,
            [Yes, No, No, No, No],
        ),
    ];
    for (person, email) in PEOPLE.iter().enumerate() {
        let mut client = world.signed_in(email).await;
        for (what, call, allowed, cells) in &matrix {
            let response = client.send_call(call).await;
            assert_eq!(
                response.status,
                status_of(cells[person], *allowed),
                "{email} may {what}? {}: {}",
                call.path,
                response.body
            );
        }
        // The profile page answers as its functions do.
        let page = client
            .get(&format!("/candidates/{}", scene.candidate))
            .await;
        let cell = [Yes, Yes, Yes, No, No][person];
        assert_eq!(
            page.status,
            status_of(cell, OK),
            "{email} opens the profile"
        );
    }

    // Cancelling takes no input to refuse: the refusals first, then each allowed kind.
    let cancel = |interview_id| CancelInterview { interview_id };
    for (email, interview, refused) in [
        ("manager@acme.test", scene.recruiters_booking, No),
        ("other-manager@acme.test", scene.managers_booking, Unseen),
        ("other-manager@acme.test", scene.recruiters_booking, Unseen),
        ("interviewer@acme.test", scene.managers_booking, No),
        ("interviewer@acme.test", scene.recruiters_booking, No),
    ] {
        let mut client = world.signed_in(email).await;
        assert_eq!(
            client.call(cancel(interview)).await.status,
            status_of(refused, OK),
            "{email} cancels {interview}"
        );
    }
    let scheduled = |world: &World| {
        let pool = world.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT count(*) FROM interviews WHERE status = 'scheduled'",
            )
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(scheduled(&world).await, 3, "every refusal changed nothing");
    let mut manager = world.signed_in("manager@acme.test").await;
    assert_eq!(
        manager.call(cancel(scene.managers_booking)).await.status,
        OK,
        "the hiring manager cancels their own booking"
    );
    let mut admin = world.signed_in("admin@acme.test").await;
    assert_eq!(
        admin.call(cancel(scene.recruiters_booking)).await.status,
        OK,
        "an admin cancels anyone's"
    );
    assert_eq!(scheduled(&world).await, 1);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_hiring_manager_sees_only_what_they_need_of_their_requisitions_candidates(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let mut manager = world.signed_in("manager@acme.test").await;

    let limited = manager
        .call(LoadLimitedCandidate {
            id: scene.candidate,
        })
        .await;
    assert_eq!(limited.status, StatusCode::OK, "{}", limited.body);
    let profile: app::candidates::LimitedProfile = serde_json::from_str(&limited.body).unwrap();
    assert_eq!(profile.full_name, "Ada Lovelace");
    let applications: Vec<Uuid> = profile
        .applications
        .iter()
        .map(|a| a.application_id)
        .collect();
    assert_eq!(
        applications,
        vec![scene.application],
        "not the other requisition's"
    );
    for private in [
        "ada@example.com",
        "555 0100",
        "mathematics",
        "referral",
        "Data engineer",
    ] {
        assert!(
            !limited.body.contains(private),
            "{private}: {}",
            limited.body
        );
    }

    let interviews = manager
        .call(LoadCandidateInterviews {
            candidate_id: scene.candidate,
        })
        .await;
    let interviews: Vec<app::interviews::InterviewSummary> =
        serde_json::from_str(&interviews.body).unwrap();
    assert_eq!(interviews.len(), 2, "the two on their requisition only");
    assert!(interviews
        .iter()
        .all(|i| i.application_id == scene.application));
    let changeable: Vec<bool> = interviews
        .iter()
        .map(|i| (i.id, i.can_change))
        .map(|(id, can)| {
            assert_eq!(can, id == scene.managers_booking, "{id}");
            can
        })
        .collect();
    assert_eq!(changeable.iter().filter(|c| **c).count(), 1);

    let page = manager
        .get(&format!("/candidates/{}", scene.candidate))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    for shown in [
        "Ada Lovelace",
        "Backend engineer",
        "days in stage",
        "Feedback and debrief",
    ] {
        assert!(page.body.contains(shown), "{shown}");
    }
    for hidden in [
        "ada@example.com",
        "555 0100",
        "mathematics",
        "Data engineer",
        "Merge a duplicate",
        "Delete this candidate",
        "Add to pipeline",
        ">Emails<",
    ] {
        assert!(!page.body.contains(hidden), "{hidden}");
    }
    // The recruiter's page has it all.
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let full = recruiter
        .get(&format!("/candidates/{}", scene.candidate))
        .await;
    for shown in ["ada@example.com", "Data engineer", "Merge a duplicate"] {
        assert!(full.body.contains(shown), "{shown}");
    }

    // The application page offers the hiring manager cancel and reschedule of their own
    // booking only; the recruiter both. (The forms' hidden fields name the interview.)
    let application_page = format!("/applications/{}", scene.application);
    let offers = |body: &str, interview: Uuid| {
        (
            body.contains(&format!("name=\"interview_id\" value=\"{interview}\"")),
            body.contains(&format!(
                "name=\"form[interview_id]\" value=\"{interview}\""
            )),
        )
    };
    let seen = manager.get(&application_page).await.body;
    assert_eq!(offers(&seen, scene.managers_booking), (true, true));
    assert_eq!(offers(&seen, scene.recruiters_booking), (false, false));
    let seen = recruiter.get(&application_page).await.body;
    assert_eq!(offers(&seen, scene.managers_booking), (true, true));
    assert_eq!(offers(&seen, scene.recruiters_booking), (true, true));
    // And links to the limited profile.
    assert!(manager
        .get(&application_page)
        .await
        .body
        .contains("Candidate profile"));

    // The assessments of their requisition list who was invited, by name only.
    let published = invited_on_the_requisition(&world, &scene).await;
    let invitee: String = sqlx::query_scalar(
        "SELECT c.email FROM assessment_applications aa JOIN candidates c ON c.id = aa.candidate_id
         WHERE aa.assessment_id = $1",
    )
    .bind(published.assessment)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let id = published.assessment;
    for (who, sees) in [(&mut manager, false), (&mut recruiter, true)] {
        for body in [
            who.call(LoadAssessment { id }).await.body,
            who.call(LoadResults { id }).await.body,
        ] {
            assert!(body.contains("\"candidate_name\""), "{body}");
            assert_eq!(body.contains(&invitee), sees, "{body}");
        }
    }

    // The hiring manager of the candidate's other application sees that one only.
    let mut other = world.signed_in("data-manager@acme.test").await;
    let theirs = other
        .call(LoadLimitedCandidate {
            id: scene.candidate,
        })
        .await;
    assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.body);
    let profile: app::candidates::LimitedProfile = serde_json::from_str(&theirs.body).unwrap();
    assert_eq!(profile.applications.len(), 1);
    assert_eq!(profile.applications[0].application_id, scene.elsewhere);
}
