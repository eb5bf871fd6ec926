//! Merging a duplicate candidate: the kept record's values win and its gaps are filled,
//! tags, skills, applications, notes and emails move over, the duplicate is retired;
//! only recruiters and admins of the organization may do it.

use crate::support::{Acme, World};
use app::access::Role;
use app::candidates::merge::{LoadMerge, MergeCandidates, MergeChoice};
use app::candidates::LoadCandidate;
use axum::http::StatusCode;
use sqlx::PgPool;
use uuid::Uuid;

/// The organization, people and records this file's tests start from.
struct Scene {
    org: Uuid,
    kept: Uuid,
    duplicate: Uuid,
    shared_requisition: Uuid,
    other_requisition: Uuid,
    skill: Uuid,
}

async fn scene(world: &World) -> Scene {
    let Acme { org, recruiter, .. } = world.acme().await;
    let skill = world.skill(org, "Rust").await;
    let requisitions: Vec<Uuid> = sqlx::query_scalar(
        "INSERT INTO job_requisitions (org_id, title, employment_type, openings, status)
         SELECT $1, t, 'full_time', 1, 'open' FROM unnest(ARRAY['Backend', 'Frontend']) AS t RETURNING id",
    )
    .bind(org)
    .fetch_all(&world.pool)
    .await
    .unwrap();
    let kept: Uuid = sqlx::query_scalar(
        "INSERT INTO candidates (org_id, full_name, email, headline, source, tags)
         VALUES ($1, 'Ada Lovelace', 'ada@example.com', 'Engineer', 'applied', ARRAY['senior']) RETURNING id",
    )
    .bind(org)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    let duplicate: Uuid = sqlx::query_scalar(
        "INSERT INTO candidates (org_id, full_name, email, phone, headline, source, tags)
         VALUES ($1, 'Ada Lovelace', 'ada.king@example.com', '+44 20 7946 0000', 'Mathematician', 'referral',
                 ARRAY['remote']) RETURNING id",
    )
    .bind(org)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO candidate_skills (candidate_id, skill_id) VALUES ($1, $2)")
        .bind(duplicate)
        .bind(skill)
        .execute(&world.pool)
        .await
        .unwrap();
    let mut client = world.signed_in("recruiter@acme.test").await;
    for (candidate, requisition) in [
        (kept, requisitions[0]),
        (duplicate, requisitions[0]),
        (duplicate, requisitions[1]),
    ] {
        client.add_to_pipeline(candidate, requisition).await;
    }
    // A note on the duplicate's application to the requisition both applied to.
    sqlx::query(
        "INSERT INTO application_notes (org_id, application_id, author_id, body_md)
         SELECT $1, id, $2, 'Strong on compilers' FROM applications WHERE candidate_id = $3 AND requisition_id = $4",
    )
    .bind(org)
    .bind(recruiter)
    .bind(duplicate)
    .bind(requisitions[0])
    .execute(&world.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO emails (org_id, to_address, subject, body_text, related_type, related_id)
         VALUES ($1, 'ada.king@example.com', 'Your application', 'Hello', 'candidate', $2::text)",
    )
    .bind(org)
    .bind(duplicate)
    .execute(&world.pool)
    .await
    .unwrap();
    Scene {
        org,
        kept,
        duplicate,
        shared_requisition: requisitions[0],
        other_requisition: requisitions[1],
        skill,
    }
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_duplicate_merges_into_the_kept_record(pool: PgPool) {
    let world = World::init(pool).await;
    let w = scene(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let kept = w.kept;

    // The page suggests the record with the same name and previews the merge.
    let choice = recruiter
        .call(LoadMerge {
            id: kept,
            other: None,
        })
        .await;
    let choice: MergeChoice = serde_json::from_str(&choice.body).unwrap();
    assert_eq!(choice.suggestions.len(), 1);
    assert_eq!(choice.suggestions[0].id, w.duplicate);
    let choice = recruiter
        .call(LoadMerge {
            id: kept,
            other: Some("ADA.KING@example.com".into()),
        })
        .await;
    let choice: MergeChoice = serde_json::from_str(&choice.body).unwrap();
    let preview = choice.preview.unwrap();
    assert_eq!(preview.result.phone, "+44 20 7946 0000");
    assert_eq!(preview.result.headline, "Engineer");
    assert_eq!(preview.shared_requisitions, vec!["Backend"]);
    let unknown = recruiter
        .call(LoadMerge {
            id: kept,
            other: Some("nobody@example.com".into()),
        })
        .await;
    let unknown: MergeChoice = serde_json::from_str(&unknown.body).unwrap();
    assert!(unknown.problem.unwrap().contains("nobody@example.com"));

    let page = recruiter
        .get(&format!(
            "/candidates/{kept}/merge?other=ada.king%40example.com"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("After the merge") && page.body.contains("Mathematician"));

    let merged = recruiter
        .call(MergeCandidates {
            id: kept,
            duplicate_id: w.duplicate,
        })
        .await;
    assert_eq!(merged.status, StatusCode::OK, "{}", merged.body);

    let (phone, headline, tags): (String, String, Vec<String>) =
        sqlx::query_as("SELECT phone, headline, tags FROM candidates WHERE id = $1")
            .bind(w.kept)
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!(phone, "+44 20 7946 0000");
    assert_eq!(headline, "Engineer");
    assert_eq!(tags, vec!["senior", "remote"]);
    let (active, into): (bool, Option<Uuid>) =
        sqlx::query_as("SELECT is_active, merged_into_id FROM candidates WHERE id = $1")
            .bind(w.duplicate)
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert!(!active);
    assert_eq!(into, Some(w.kept));
    let skills: Vec<Uuid> =
        sqlx::query_scalar("SELECT skill_id FROM candidate_skills WHERE candidate_id = $1")
            .bind(w.kept)
            .fetch_all(&world.pool)
            .await
            .unwrap();
    assert_eq!(skills, vec![w.skill]);
    let mut applications: Vec<Uuid> =
        sqlx::query_scalar("SELECT requisition_id FROM applications WHERE candidate_id = $1")
            .bind(w.kept)
            .fetch_all(&world.pool)
            .await
            .unwrap();
    applications.sort();
    let mut expected = vec![w.shared_requisition, w.other_requisition];
    expected.sort();
    assert_eq!(applications, expected, "one application per requisition");
    let notes: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM application_notes n JOIN applications a ON a.id = n.application_id
         WHERE a.candidate_id = $1 AND a.requisition_id = $2",
    )
    .bind(w.kept)
    .bind(w.shared_requisition)
    .fetch_one(&world.pool)
    .await
    .unwrap();
    assert_eq!(notes, 1, "the duplicate's note joined the kept application");
    let profile = recruiter.call(LoadCandidate { id: kept }).await;
    let profile: app::candidates::CandidateProfile = serde_json::from_str(&profile.body).unwrap();
    assert_eq!(
        profile.emails.len(),
        1,
        "the duplicate's emails are in the history"
    );
    assert!(world
        .audit_actions(w.org)
        .await
        .contains(&"candidate.merged".to_string()));
    // The duplicate's address is free again, and the retired record is gone from view.
    assert_eq!(
        recruiter
            .call(LoadCandidate { id: w.duplicate })
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn only_recruiters_and_admins_of_the_organization_merge(pool: PgPool) {
    let world = World::init(pool).await;
    let w = scene(&world).await;
    let merge = || MergeCandidates {
        id: w.kept,
        duplicate_id: w.duplicate,
    };
    let preview = || LoadMerge {
        id: w.kept,
        other: None,
    };
    for (email, expected) in [
        ("manager@acme.test", StatusCode::FORBIDDEN),
        ("interviewer@acme.test", StatusCode::FORBIDDEN),
    ] {
        let mut client = world.signed_in(email).await;
        assert_eq!(client.call(merge()).await.status, expected);
        assert_eq!(client.call(preview()).await.status, expected);
    }
    let mut signed_out = world.client();
    assert_eq!(
        signed_out.call(merge()).await.status,
        StatusCode::UNAUTHORIZED
    );
    let globex = world.org("Globex").await;
    world
        .user(globex, Role::Recruiter, "recruiter@globex.test")
        .await;
    let mut outsider = world.signed_in("recruiter@globex.test").await;
    assert_eq!(outsider.call(merge()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(outsider.call(preview()).await.status, StatusCode::NOT_FOUND);
    let mut admin = world.signed_in("admin@acme.test").await;
    let itself = admin
        .call(MergeCandidates {
            id: w.kept,
            duplicate_id: w.kept,
        })
        .await;
    assert_eq!(itself.status, StatusCode::UNPROCESSABLE_ENTITY);
    let active: i64 = sqlx::query_scalar("SELECT count(*) FROM candidates WHERE is_active")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(active, 2, "nothing was merged");
    assert_eq!(admin.call(merge()).await.status, StatusCode::OK);
}
