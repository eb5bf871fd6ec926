//! Interviews: scheduling with calendar invitations, clashes, moves and cancellations,
//! recording how it went, time zones, and who may do what.

use crate::support::{Acme, Call, Client, TestResponse, World};
use app::access::Role;
use app::auth::SetTimeZone;
use app::interviews::{
    CancelInterview, LoadApplicationInterviews, LoadCandidateInterviews, LoadInterview,
    LoadUpcomingInterviews, MarkInterview, RescheduleForm, RescheduleInterview, ScheduleForm,
    ScheduleInterview,
};
use app::notifications::LoadInbox;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, TimeZone, Utc};

use sqlx::PgPool;
use uuid::Uuid;

/// The organization, people and records this file's tests start from.
struct Scene {
    application: Uuid,
    candidate: Uuid,
    iris: Uuid,
    ivan: Uuid,
}

async fn scene(world: &World) -> Scene {
    let Acme {
        org,
        recruiter,
        manager,
        ..
    } = world.acme().await;
    let iris = world.user(org, Role::Interviewer, "iris@acme.test").await;
    let ivan = world.user(org, Role::Interviewer, "ivan@acme.test").await;
    sqlx::query("UPDATE users SET full_name = 'Iris Interviewer' WHERE id = $1")
        .bind(iris)
        .execute(&world.pool)
        .await
        .unwrap();
    world.globex().await;
    let requisition: Uuid = sqlx::query_scalar(
        "INSERT INTO job_requisitions (org_id, title, employment_type, openings, status, hiring_manager_id, created_by, description_md)
         VALUES ($1, 'Backend engineer', 'full_time', 2, 'open', $2, $3, 'Build **engines**.') RETURNING id",
    )
    .bind(org)
    .bind(manager)
    .bind(recruiter)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let candidate: Uuid = sqlx::query_scalar(
        "INSERT INTO candidates (org_id, full_name, email, phone, headline, source)
         VALUES ($1, 'Ada Lovelace', 'ada@example.com', '+44 555 0100', 'Analyst of engines', 'applied') RETURNING id",
    )
    .bind(org)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let application = world.application(candidate, requisition).await;
    Scene {
        application,
        candidate,
        iris,
        ivan,
    }
}

/// 10:00 (UTC, everyone's zone by default) three days from now.
fn slot(hour: u32, minute: u32) -> DateTime<Utc> {
    let day = (Utc::now() + Duration::days(3)).date_naive();
    Utc.from_utc_datetime(&day.and_hms_opt(hour, minute, 0).unwrap())
}

fn local(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M").to_string()
}

async fn schedule(
    client: &mut Client,
    scene: &Scene,
    interviewer: Uuid,
    start: &str,
) -> TestResponse {
    schedule_with(client, schedule_form(scene, interviewer, start)).await
}

/// A technical interview of an hour for the scene's application, in Room 4 and online.
fn schedule_form(scene: &Scene, interviewer: Uuid, start: &str) -> ScheduleForm {
    ScheduleForm {
        application_id: scene.application,
        interviewer_id: interviewer.to_string(),
        kind: "technical".into(),
        starts_at: start.into(),
        duration_minutes: "60".into(),
        location: "Room 4, Paris office".into(),
        video_url: "https://meet.example/abc".into(),
        instructions: "Ask about the analytical engine; skip salary.".into(),
        invite_candidate: None,
        anyway: None,
        plan_stage_id: String::new(),
    }
}

async fn schedule_with(client: &mut Client, form: ScheduleForm) -> TestResponse {
    client.call(ScheduleInterview { form }).await
}

async fn interview_ids(world: &World) -> Vec<Uuid> {
    sqlx::query_scalar("SELECT id FROM interviews ORDER BY created_at, starts_at")
        .fetch_all(&world.pool)
        .await
        .unwrap()
}

/// An email's text with quoted-printable undone (soft breaks and `=XX` bytes).
fn decoded(email: &str) -> String {
    let text = email.replace("=\r\n", "").replace("=\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'=' && i + 2 < bytes.len())
            .then(|| u8::from_str_radix(&text[i + 1..i + 3], 16).ok())
            .flatten();
        match hex {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The calendar part of an email, unfolded into its lines.
fn calendar(email: &str) -> Vec<String> {
    let start = email
        .find("BEGIN:VCALENDAR")
        .expect("a calendar in the email");
    let end = email[start..].find("END:VCALENDAR").expect("its end") + start;
    let text = &email[start..end + "END:VCALENDAR".len()];
    assert!(text.contains("\r\n"), "CRLF lines");
    text.replace("\r\n ", "")
        .split("\r\n")
        .map(str::to_string)
        .collect()
}

fn has_line(lines: &[String], line: &str) -> bool {
    lines.iter().any(|l| l == line)
}

fn emails_to<'a>(emails: &'a [String], address: &str) -> Vec<&'a String> {
    emails
        .iter()
        .filter(|e| e.contains(&format!("To: {address}")))
        .collect()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn scheduling_emails_the_interviewer_a_calendar_invitation(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let start = slot(10, 0);
    let done = schedule(&mut recruiter, &scene, scene.iris, &local(start)).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    world.run_jobs().await;
    let emails = world.emails();
    assert_eq!(
        emails.len(),
        1,
        "only the interviewer: the candidate was not chosen"
    );
    let email = &emails[0];
    assert!(email.contains("To: iris@acme.test"));
    assert!(email.contains("multipart/mixed"));
    assert!(email.contains("text/calendar; method=REQUEST"));
    assert!(email.contains("invite.ics"));
    let id = interview_ids(&world).await[0];
    let lines = calendar(email);
    assert_eq!(lines.first().unwrap(), "BEGIN:VCALENDAR");
    assert_eq!(lines.last().unwrap(), "END:VCALENDAR");
    for line in [
        "METHOD:REQUEST".to_string(),
        "BEGIN:VEVENT".to_string(),
        format!("UID:interview-{id}@localhost"),
        "SEQUENCE:0".to_string(),
        format!("DTSTART:{}", start.format("%Y%m%dT%H%M%SZ")),
        format!(
            "DTEND:{}",
            (start + Duration::hours(1)).format("%Y%m%dT%H%M%SZ")
        ),
        "LOCATION:Room 4\\, Paris office".to_string(),
        "ATTENDEE;CN=\"Iris Interviewer\";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:iris@acme.test".to_string(),
        "ORGANIZER;CN=\"Recruiter Person\":mailto:recruiter@acme.test".to_string(),
        "END:VEVENT".to_string(),
    ] {
        assert!(has_line(&lines, &line), "missing {line} in {lines:?}");
    }
    assert!(lines
        .iter()
        .any(|l| l.starts_with("DTSTAMP:") && l.ends_with('Z')));
    // The interviewer's copy has no contact details of the candidate.
    assert!(!email.contains("ada@example.com"));
    let related: Vec<(String, String)> =
        sqlx::query_as("SELECT related_type, related_id FROM emails")
            .fetch_all(&world.pool)
            .await
            .unwrap();
    assert_eq!(
        related,
        vec![("candidate".to_string(), scene.candidate.to_string())]
    );

    // Iris is notified, sees it on her dashboard and on its page (without contact details).
    let mut iris = world.signed_in("iris@acme.test").await;
    let inbox: app::notifications::Inbox =
        serde_json::from_str(&iris.call(LoadInbox {}).await.body).unwrap();
    assert_eq!(inbox.items.len(), 1);
    assert_eq!(inbox.items[0].link, format!("/interviews/{id}"));
    assert!(inbox.items[0]
        .title
        .contains("scheduled your technical interview with Ada Lovelace"));
    let dashboard = iris.get("/").await.body;
    assert!(dashboard.contains("Your upcoming interviews"));
    assert!(dashboard.contains(&format!("/interviews/{id}")));
    assert!(dashboard.contains("Ada Lovelace"));
    let page = iris.get(&format!("/interviews/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for shown in [
        "Ada Lovelace",
        "Analyst of engines",
        "Backend engineer",
        "<strong>engines</strong>",
        "Ask about the analytical engine",
        "https://meet.example/abc",
        "UTC",
    ] {
        assert!(page.body.contains(shown), "{shown}");
    }
    for hidden in ["ada@example.com", "+44 555 0100", "Stage"] {
        assert!(!page.body.contains(hidden), "{hidden} must not show");
    }

    // The candidate's profile lists it for the recruiter.
    let profile = recruiter
        .get(&format!("/candidates/{}", scene.candidate))
        .await;
    assert_eq!(profile.status, StatusCode::OK);
    assert!(profile.body.contains("candidate-interviews"));
    assert!(profile.body.contains(&format!("/interviews/{id}")));

    // With the candidate chosen, they get their own invitation (without the instructions).
    let other = schedule_with(
        &mut recruiter,
        ScheduleForm {
            invite_candidate: Some("on".into()),
            ..schedule_form(&scene, scene.ivan, &local(slot(14, 0)))
        },
    )
    .await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.body);
    world.run_jobs().await;
    let emails = world.emails();
    assert_eq!(emails.len(), 3);
    let to_candidate = emails_to(&emails, "ada@example.com");
    assert_eq!(to_candidate.len(), 1);
    let lines = calendar(to_candidate[0]);
    assert!(has_line(&lines, "METHOD:REQUEST"));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("ATTENDEE;CN=\"Ada Lovelace\"")));
    assert!(!to_candidate[0].contains("analytical engine"));
    assert!(decoded(to_candidate[0]).contains("UTC+00:00"));
    assert_eq!(
        world
            .audit_actions(
                sqlx::query_scalar("SELECT org_id FROM interviews LIMIT 1")
                    .fetch_one(&world.pool)
                    .await
                    .unwrap()
            )
            .await
            .iter()
            .filter(|a| *a == "interview.scheduled")
            .count(),
        2
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn two_bookings_at_once_for_one_interviewer_do_not_both_pass(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let mut admin = world.signed_in("admin@acme.test").await;
    // Overlapping slots booked at the same moment: both checks would find Iris free
    // unless the bookings take turns.
    let (first, second) = (local(slot(10, 0)), local(slot(10, 30)));
    let (a, b) = tokio::join!(
        schedule(&mut recruiter, &scene, scene.iris, &first),
        schedule(&mut admin, &scene, scene.iris, &second),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::UNPROCESSABLE_ENTITY],
        "{} / {}",
        a.body,
        b.body
    );
    assert_eq!(interview_ids(&world).await.len(), 1);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_clash_is_refused_unless_scheduled_anyway(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let first = schedule(&mut recruiter, &scene, scene.iris, &local(slot(10, 0))).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let clash = schedule(&mut recruiter, &scene, scene.iris, &local(slot(10, 30))).await;
    assert_eq!(clash.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        clash
            .body
            .contains("Iris Interviewer already has an interview")
            && clash.body.contains("10:00–11:00 UTC"),
        "{}",
        clash.body
    );
    assert_eq!(interview_ids(&world).await.len(), 1);
    // Another interviewer at the same time (a panel) and Iris right after are fine.
    let panel = schedule(&mut recruiter, &scene, scene.ivan, &local(slot(10, 30))).await;
    assert_eq!(panel.status, StatusCode::OK, "{}", panel.body);
    let after = schedule(&mut recruiter, &scene, scene.iris, &local(slot(11, 0))).await;
    assert_eq!(after.status, StatusCode::OK, "{}", after.body);
    let anyway = schedule_with(
        &mut recruiter,
        ScheduleForm {
            anyway: Some("on".into()),
            ..schedule_form(&scene, scene.iris, &local(slot(10, 30)))
        },
    )
    .await;
    assert_eq!(anyway.status, StatusCode::OK, "{}", anyway.body);
    assert_eq!(interview_ids(&world).await.len(), 4);

    // Bad input is refused with a message.
    let plain = || ScheduleForm {
        application_id: scene.application,
        interviewer_id: scene.ivan.to_string(),
        kind: "technical".into(),
        starts_at: local(slot(16, 0)),
        duration_minutes: "60".into(),
        ..ScheduleForm::default()
    };
    for (field, form, message) in [
        (
            "duration_minutes",
            ScheduleForm {
                duration_minutes: "600".into(),
                ..plain()
            },
            "duration",
        ),
        (
            "video_url",
            ScheduleForm {
                video_url: "javascript:alert(1)".into(),
                ..plain()
            },
            "video link",
        ),
        (
            "kind",
            ScheduleForm {
                kind: "lunch".into(),
                ..plain()
            },
            "type of interview",
        ),
    ] {
        let refused = schedule_with(&mut recruiter, form).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(refused.body.contains(message), "{}", refused.body);
    }
    let past = schedule(
        &mut recruiter,
        &scene,
        scene.ivan,
        &local(Utc::now() - Duration::days(1)),
    )
    .await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(past.body.contains("in the past"));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn moving_and_cancelling_send_updated_invitations(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    schedule_with(
        &mut recruiter,
        ScheduleForm {
            invite_candidate: Some("on".into()),
            ..schedule_form(&scene, scene.iris, &local(slot(10, 0)))
        },
    )
    .await;
    schedule(&mut recruiter, &scene, scene.iris, &local(slot(15, 0))).await;
    let ids = interview_ids(&world).await;
    let (id, other) = (ids[0], ids[1]);
    world.run_jobs().await;
    assert_eq!(world.emails().len(), 3);

    // Moving onto Iris's other interview clashes.
    let reschedule = |start: String, anyway: bool| RescheduleInterview {
        form: RescheduleForm {
            interview_id: id,
            starts_at: start,
            duration_minutes: "45".into(),
            anyway: anyway.then(|| "on".into()),
        },
    };
    let form = reschedule(local(slot(15, 30)), false);
    let clash = recruiter.call(form).await;
    assert_eq!(clash.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        clash.body.contains("already has an interview") && clash.body.contains("15:00–16:00 UTC"),
        "{}",
        clash.body
    );

    let new_start = slot(12, 0);
    let form = reschedule(local(new_start), false);
    let moved = recruiter.call(form).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    world.run_jobs().await;
    let emails = world.emails();
    assert_eq!(emails.len(), 5, "the interviewer and the invited candidate");
    for address in ["iris@acme.test", "ada@example.com"] {
        let updated: Vec<_> = emails_to(&emails, address)
            .into_iter()
            .filter(|e| has_line(&calendar(e), "SEQUENCE:1"))
            .collect();
        assert_eq!(updated.len(), 1, "{address}");
        let lines = calendar(updated[0]);
        assert!(has_line(&lines, "METHOD:REQUEST"));
        assert!(has_line(&lines, &format!("UID:interview-{id}@localhost")));
        assert!(has_line(
            &lines,
            &format!("DTSTART:{}", new_start.format("%Y%m%dT%H%M%SZ"))
        ));
        assert!(has_line(
            &lines,
            &format!(
                "DTEND:{}",
                (new_start + Duration::minutes(45)).format("%Y%m%dT%H%M%SZ")
            )
        ));
    }
    let mut iris = world.signed_in("iris@acme.test").await;
    let inbox: app::notifications::Inbox =
        serde_json::from_str(&iris.call(LoadInbox {}).await.body).unwrap();
    assert!(inbox.items[0]
        .title
        .contains("moved your technical interview"));

    let cancelled = recruiter.call(CancelInterview { interview_id: id }).await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
    world.run_jobs().await;
    let emails = world.emails();
    assert_eq!(emails.len(), 7);
    for address in ["iris@acme.test", "ada@example.com"] {
        let cancellations: Vec<_> = emails_to(&emails, address)
            .into_iter()
            .filter(|e| has_line(&calendar(e), "METHOD:CANCEL"))
            .collect();
        assert_eq!(cancellations.len(), 1, "{address}");
        let lines = calendar(cancellations[0]);
        assert!(has_line(&lines, "STATUS:CANCELLED"));
        assert!(has_line(&lines, "SEQUENCE:2"));
        assert!(has_line(&lines, &format!("UID:interview-{id}@localhost")));
        assert!(cancellations[0].contains("text/calendar; method=CANCEL"));
    }
    let inbox: app::notifications::Inbox =
        serde_json::from_str(&iris.call(LoadInbox {}).await.body).unwrap();
    assert!(inbox.items[0]
        .title
        .contains("cancelled your technical interview"));

    // Cancelled is final; its slot is free again.
    let again = recruiter.call(CancelInterview { interview_id: id }).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let form = reschedule(local(slot(9, 0)), false);
    let move_cancelled = recruiter.call(form).await;
    assert_eq!(move_cancelled.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reuse = schedule(&mut recruiter, &scene, scene.iris, &local(new_start)).await;
    assert_eq!(reuse.status, StatusCode::OK, "{}", reuse.body);
    let _ = other;
    let org: Uuid = sqlx::query_scalar("SELECT org_id FROM interviews LIMIT 1")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    let actions = world.audit_actions(org).await;
    assert!(actions.contains(&"interview.rescheduled".to_string()));
    assert!(actions.contains(&"interview.cancelled".to_string()));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_interview_is_recorded_once_it_has_started(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    schedule(&mut recruiter, &scene, scene.iris, &local(slot(10, 0))).await;
    let id = interview_ids(&world).await[0];
    let mut iris = world.signed_in("iris@acme.test").await;
    let early = iris.call(mark(id, "completed")).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("once it has started"));
    sqlx::query("UPDATE interviews SET starts_at = now() - interval '2 hours'")
        .execute(&world.pool)
        .await
        .unwrap();
    let bad = iris.call(mark(id, "cancelled")).await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the interviewer cannot cancel"
    );
    let done = iris.call(mark(id, "completed")).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let again = iris.call(mark(id, "no_show")).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("already recorded as completed"));
    let cancel = recruiter.call(CancelInterview { interview_id: id }).await;
    assert_eq!(cancel.status, StatusCode::UNPROCESSABLE_ENTITY);
    let org: Uuid = sqlx::query_scalar("SELECT org_id FROM interviews")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert!(world
        .audit_actions(org)
        .await
        .contains(&"interview.status_changed".to_string()));
    let status: String = sqlx::query_scalar("SELECT status FROM interviews")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(status, "completed");
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn times_are_read_and_shown_in_each_users_time_zone(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let unknown = recruiter
        .call(SetTimeZone {
            time_zone: "Mars/Olympus".into(),
        })
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    let set = recruiter
        .call(SetTimeZone {
            time_zone: "Europe/Paris".into(),
        })
        .await;
    assert!(
        set.status.is_success() || set.status.is_redirection(),
        "{set:?}"
    );
    let mut iris = world.signed_in("iris@acme.test").await;
    iris.call(SetTimeZone {
        time_zone: "America/New_York".into(),
    })
    .await;

    let start_local = local(slot(10, 0));
    let paris = app::ui::time::parse_zone("Europe/Paris").unwrap();
    let new_york = app::ui::time::parse_zone("America/New_York").unwrap();
    let expected = app::ui::time::parse_local(&start_local, paris).unwrap();
    let done = schedule(&mut recruiter, &scene, scene.iris, &start_local).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let stored: DateTime<Utc> = sqlx::query_scalar("SELECT starts_at FROM interviews")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(stored, expected, "read in the scheduler's zone");

    let page = recruiter
        .get(&format!("/applications/{}", scene.application))
        .await
        .body;
    assert!(page.contains("Start (Europe/Paris)"));
    assert!(page.contains(&app::ui::time::format_span_in_zone(
        &expected,
        &(expected + Duration::hours(1)),
        paris
    )));
    let id = interview_ids(&world).await[0];
    let shown_to_iris =
        app::ui::time::format_span_in_zone(&expected, &(expected + Duration::hours(1)), new_york);
    let page = iris.get(&format!("/interviews/{id}")).await.body;
    assert!(page.contains(&shown_to_iris), "{shown_to_iris}");
    world.run_jobs().await;
    assert!(
        decoded(&world.emails()[0]).contains(&shown_to_iris),
        "the email too"
    );
}

fn mark(interview_id: Uuid, status: &str) -> MarkInterview {
    MarkInterview {
        interview_id,
        status: status.into(),
    }
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn who_may_do_what_with_interviews(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    for hour in [9, 11, 13, 15] {
        let done = schedule(&mut recruiter, &scene, scene.iris, &local(slot(hour, 0))).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    }
    let ids = interview_ids(&world).await;
    let id = ids[0];

    // Past the permission checks, bad input answers 422: that is how the allowed
    // mutations are told apart from the refused ones without changing anything.
    let bad_schedule = ScheduleForm {
        application_id: scene.application,
        interviewer_id: scene.iris.to_string(),
        kind: "technical".into(),
        starts_at: "not a time".into(),
        duration_minutes: "60".into(),
        ..ScheduleForm::default()
    };
    let bad_reschedule = RescheduleForm {
        interview_id: id,
        starts_at: "not a time".into(),
        duration_minutes: "60".into(),
        anyway: None,
    };
    let cases = [
        Call::new(LoadApplicationInterviews {
            application_id: scene.application,
        }),
        Call::new(ScheduleInterview { form: bad_schedule }),
        Call::new(RescheduleInterview {
            form: bad_reschedule,
        }),
        Call::new(mark(id, "completed")),
        Call::new(LoadInterview { id }),
        Call::new(LoadCandidateInterviews {
            candidate_id: scene.candidate,
        }),
        Call::new(LoadUpcomingInterviews {}),
    ];

    const OK: StatusCode = StatusCode::OK;
    const INVALID: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;
    const FORBIDDEN: StatusCode = StatusCode::FORBIDDEN;
    const NOT_FOUND: StatusCode = StatusCode::NOT_FOUND;
    const SIGNED_OUT: StatusCode = StatusCode::UNAUTHORIZED;

    // Expected status per function, in the order of `cases`.
    let matrix: [(&str, [StatusCode; 7]); 7] = [
        (
            "admin@acme.test",
            [OK, INVALID, INVALID, INVALID, OK, OK, OK],
        ),
        (
            "recruiter@acme.test",
            [OK, INVALID, INVALID, INVALID, OK, OK, OK],
        ),
        // The requisition's hiring manager moves only what they booked (the recruiter
        // booked these), and sees the candidate's interviews on their requisition.
        (
            "manager@acme.test",
            [OK, INVALID, FORBIDDEN, INVALID, OK, OK, OK],
        ),
        (
            "other-manager@acme.test",
            [
                NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK,
            ],
        ),
        (
            "iris@acme.test",
            [FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID, OK, FORBIDDEN, OK],
        ),
        (
            "ivan@acme.test",
            [
                FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK,
            ],
        ),
        (
            "recruiter@globex.test",
            [
                NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK,
            ],
        ),
    ];
    for (email, expected) in matrix {
        let mut client = world.signed_in(email).await;
        for (call, want) in cases.iter().zip(expected) {
            assert_eq!(
                client.send_call(call).await.status,
                want,
                "{email} {}",
                call.path
            );
        }
        assert_eq!(
            client.get(&format!("/interviews/{id}")).await.status,
            if expected[4] == OK { OK } else { NOT_FOUND },
            "{email} opens the interview page"
        );
        // Cancelling: the interviewers, outsiders and the hiring manager (who did not
        // book it) are refused.
        let refused = match email {
            "iris@acme.test" | "ivan@acme.test" | "manager@acme.test" => FORBIDDEN,
            "admin@acme.test" | "recruiter@acme.test" => continue,
            _ => NOT_FOUND,
        };
        let cancel = client
            .call(CancelInterview { interview_id: id })
            .await
            .status;
        assert_eq!(cancel, refused, "{email} cancels");
    }
    let mut signed_out = world.client();
    for call in &cases {
        assert_eq!(
            signed_out.send_call(call).await.status,
            SIGNED_OUT,
            "{}",
            call.path
        );
    }
    assert_eq!(
        signed_out
            .call(CancelInterview { interview_id: id })
            .await
            .status,
        SIGNED_OUT
    );
    assert_eq!(
        signed_out
            .call(SetTimeZone {
                time_zone: "UTC".into(),
            })
            .await
            .status,
        SIGNED_OUT
    );
    // Admins and recruiters may cancel any; the hiring manager the one they booked.
    let mut manager = world.signed_in("manager@acme.test").await;
    let booked = schedule(&mut manager, &scene, scene.ivan, &local(slot(17, 0))).await;
    assert_eq!(booked.status, StatusCode::OK, "{}", booked.body);
    let own = *interview_ids(&world).await.last().unwrap();
    for (email, id) in [
        ("admin@acme.test", ids[1]),
        ("recruiter@acme.test", ids[2]),
        ("manager@acme.test", own),
    ] {
        let mut client = world.signed_in(email).await;
        assert_eq!(
            client
                .call(CancelInterview { interview_id: id })
                .await
                .status,
            OK,
            "{email}"
        );
    }
    let scheduled: i64 =
        sqlx::query_scalar("SELECT count(*) FROM interviews WHERE status = 'scheduled'")
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!(scheduled, 2, "only the allowed cancellations happened");
}
