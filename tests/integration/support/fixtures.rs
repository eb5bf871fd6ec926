//! The records tests start from, written straight to the database as the app would
//! write them: organizations, staff, requisitions, candidates, question sets and
//! published assessments with their links; and the audit log read back.

use app::access::Role;
use app::auth::password::{NewPassword, PasswordHasher};
use app::users::data::{create_organization, insert_user, NewUser};
use serde_json::json;
use uuid::Uuid;

use super::app::World;

/// Every fixture user's password.
pub const PASSWORD: &str = "a long test password";

/// For the candidate's test: a published assessment with one question of each auto-graded kind and an essay, in
/// this order: single choice (2 points), multiple choice (3), true/false, numeric, essay (5).
pub struct PublishedAssessment {
    pub assessment: Uuid,
    pub questions: Vec<Uuid>,
}

/// The bank questions an assessment fixture set holds.
pub struct AssessmentFixtureSet {
    pub set: Uuid,
    /// Single choice (2 points, option 2 correct), true/false (1, true), numeric (1, 42 ± 0.5),
    /// essay (4); the first two are tagged "logic".
    pub questions: Vec<Uuid>,
}

/// Acme, the organization most tests play in, with one person in each role:
/// admin@, recruiter@, manager@, other-manager@ (a hiring manager of nothing) and
/// interviewer@acme.test, all with `PASSWORD`.
pub struct Acme {
    pub org: Uuid,
    pub recruiter: Uuid,
    pub manager: Uuid,
    pub interviewer: Uuid,
}

impl World {
    /// See `Acme`.
    pub async fn acme(&self) -> Acme {
        let org = self.org("Acme").await;
        self.user(org, Role::Admin, "admin@acme.test").await;
        let recruiter = self.user(org, Role::Recruiter, "recruiter@acme.test").await;
        let manager = self
            .user(org, Role::HiringManager, "manager@acme.test")
            .await;
        self.user(org, Role::HiringManager, "other-manager@acme.test")
            .await;
        Acme {
            org,
            recruiter,
            manager,
            interviewer: self
                .user(org, Role::Interviewer, "interviewer@acme.test")
                .await,
        }
    }

    /// Globex, the other organization, with recruiter@globex.test.
    pub async fn globex(&self) -> Uuid {
        let org = self.org("Globex").await;
        self.user(org, Role::Recruiter, "recruiter@globex.test")
            .await;
        org
    }

    /// A skill of `org_id`.
    pub async fn skill(&self, org_id: Uuid, name: &str) -> Uuid {
        sqlx::query_scalar("INSERT INTO skills (org_id, name) VALUES ($1, $2) RETURNING id")
            .bind(org_id)
            .bind(name)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    /// The candidate's application to the requisition, made by recruiter@acme.test
    /// through the profile's form.
    pub async fn application(&self, candidate: Uuid, requisition: Uuid) -> Uuid {
        let mut recruiter = self.signed_in("recruiter@acme.test").await;
        recruiter.add_to_pipeline(candidate, requisition).await;
        sqlx::query_scalar(
            "SELECT id FROM applications WHERE candidate_id = $1 AND requisition_id = $2",
        )
        .bind(candidate)
        .bind(requisition)
        .fetch_one(&self.pool)
        .await
        .unwrap()
    }

    /// An organization (its stages and rejection reasons as the app creates them).
    pub async fn org(&self, name: &str) -> Uuid {
        let mut conn = self.pool.acquire().await.unwrap();
        create_organization(&mut conn, name, &name.to_lowercase())
            .await
            .unwrap()
    }

    /// A user with `PASSWORD`.
    pub async fn user(&self, org_id: Uuid, role: Role, email: &str) -> Uuid {
        let hash = hash(PASSWORD).await;
        insert_user(
            &self.pool,
            NewUser {
                org_id,
                email,
                full_name: &format!("{} Person", role.label()),
                role,
                password_hash: &hash,
            },
        )
        .await
        .unwrap()
    }

    /// An open, full-time requisition of `org_id` with one opening.
    pub async fn requisition(
        &self,
        org_id: Uuid,
        title: &str,
        hiring_manager: Option<Uuid>,
    ) -> Uuid {
        sqlx::query_scalar(
            "INSERT INTO job_requisitions (org_id, title, employment_type, openings, status, hiring_manager_id)
             VALUES ($1, $2, 'full_time', 1, 'open', $3) RETURNING id",
        )
        .bind(org_id)
        .bind(title)
        .bind(hiring_manager)
        .fetch_one(&self.pool)
        .await
        .unwrap()
    }

    /// A candidate of `org_id` who applied.
    pub async fn candidate(&self, org_id: Uuid, full_name: &str, email: &str) -> Uuid {
        sqlx::query_scalar(
            "INSERT INTO candidates (org_id, full_name, email, source) VALUES ($1, $2, $3, 'applied') RETURNING id",
        )
        .bind(org_id)
        .bind(full_name)
        .bind(email)
        .fetch_one(&self.pool)
        .await
        .unwrap()
    }

    /// The organization's audit log, oldest first.
    pub async fn audit_actions(&self, org_id: Uuid) -> Vec<String> {
        sqlx::query_scalar("SELECT action FROM audit_log WHERE org_id = $1 ORDER BY id")
            .bind(org_id)
            .fetch_all(&self.pool)
            .await
            .unwrap()
    }

    /// See `PublishedAssessment`.
    pub async fn published_assessment(
        &self,
        org: Uuid,
        time_limit_minutes: i32,
    ) -> PublishedAssessment {
        let requisition = self.requisition(org, "Backend engineer", None).await;
        let assessment: Uuid = sqlx::query_scalar(
            "INSERT INTO assessments (org_id, requisition_id, family_id, title, instructions_md,
                time_limit_minutes, pass_mark_percent, proctoring)
         VALUES ($1, $2, gen_random_uuid(), 'Backend basics', 'Answer **all** questions.', $3, 50,
                 '{\"tab_switches\": true}') RETURNING id",
        )
        .bind(org)
        .bind(requisition)
        .bind(time_limit_minutes)
        .fetch_one(&self.pool)
        .await
        .unwrap();
        let set: Uuid = sqlx::query_scalar(
            "INSERT INTO question_sets (org_id, title) VALUES ($1, 'Basics') RETURNING id",
        )
        .bind(org)
        .fetch_one(&self.pool)
        .await
        .unwrap();
        let choices = |correct: &[u32]| {
            (1..=4)
            .map(|id| json!({"id": id, "text": format!("Option {id}"), "correct": correct.contains(&id)}))
            .collect::<Vec<_>>()
        };
        let bodies = [
            (
                "single_choice",
                json!({"kind": "single_choice", "options": choices(&[2])}),
                2,
            ),
            (
                "multiple_choice",
                json!({"kind": "multiple_choice", "options": choices(&[1, 3, 4])}),
                3,
            ),
            (
                "true_false",
                json!({"kind": "true_false", "correct": true}),
                1,
            ),
            (
                "numeric",
                json!({"kind": "numeric", "answer": 42.0, "tolerance": 0.5}),
                1,
            ),
            (
                "long_text",
                json!({"kind": "long_text", "model_answer": "Indexes"}),
                5,
            ),
        ];
        for (kind, body, points) in bodies {
            let prompt = format!("Question about {kind}");
            let source: Uuid = sqlx::query_scalar(
                "INSERT INTO questions (org_id, question_set_id, kind, prompt_md, body, points)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(org)
            .bind(set)
            .bind(kind)
            .bind(&prompt)
            .bind(&body)
            .bind(points)
            .fetch_one(&self.pool)
            .await
            .unwrap();
            let added = app::assessments::data::add_item(
                &mut self.pool.acquire().await.unwrap(),
                org,
                assessment,
                &app::assessments::data::NewItem::Fixed(source),
            )
            .await
            .unwrap();
            assert!(added);
        }
        // Published the way the app publishes: the questions frozen, then the status.
        let mut conn = self.pool.acquire().await.unwrap();
        app::assessments::data::freeze_questions(&mut conn, org, assessment)
            .await
            .unwrap();
        let published = app::assessments::data::set_status(
            &mut conn,
            org,
            assessment,
            app::assessments::AssessmentStatus::Draft,
            app::assessments::AssessmentStatus::Published,
        )
        .await
        .unwrap();
        assert!(published);
        let questions = app::assessments::data::frozen_questions(&mut conn, assessment)
            .await
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        PublishedAssessment {
            assessment,
            questions,
        }
    }

    /// Invites a new candidate of `org` to `assessment`; returns the link's secret.
    pub async fn assessment_invite(&self, org: Uuid, assessment: Uuid, expires_in: &str) -> String {
        let candidate = self
            .candidate(
                org,
                "Casey Candidate",
                &format!("{}@example.com", Uuid::new_v4()),
            )
            .await;
        let application: Uuid = sqlx::query_scalar(
        "INSERT INTO assessment_applications (org_id, assessment_id, candidate_id) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(org)
    .bind(assessment)
    .bind(candidate)
    .fetch_one(&self.pool)
    .await
    .unwrap();
        let token = app::tokens::generate();
        sqlx::query(
        "INSERT INTO assessment_tokens (org_id, assessment_application_id, token_hash, expires_at)
         VALUES ($1, $2, $3, now() + $4::interval)",
    )
    .bind(org)
    .bind(application)
    .bind(&token.digest)
    .bind(expires_in)
    .execute(&self.pool)
    .await
    .unwrap();
        token.secret
    }

    /// A question set of `org_id` with four questions (see `AssessmentFixtureSet`), written
    /// with SQL as the question bank would.
    pub async fn assessment_fixture_set(&self, org_id: Uuid, title: &str) -> AssessmentFixtureSet {
        let set: Uuid = sqlx::query_scalar(
            "INSERT INTO question_sets (org_id, title, tags) VALUES ($1, $2, '{aptitude}') RETURNING id",
        )
        .bind(org_id)
        .bind(title)
        .fetch_one(&self.pool)
        .await
        .unwrap();
        let questions = [
            (
                "single_choice",
                r#"{"kind":"single_choice","options":[{"id":1,"text":"Three","correct":false},{"id":2,"text":"Four","correct":true},{"id":3,"text":"Five","correct":false}]}"#,
                2,
                vec!["logic"],
                "What is 2 + 2?",
            ),
            (
                "true_false",
                r#"{"kind":"true_false","correct":true}"#,
                1,
                vec!["logic"],
                "The sky is blue.",
            ),
            (
                "numeric",
                r#"{"kind":"numeric","answer":42,"tolerance":0.5}"#,
                1,
                vec![],
                "Six times seven?",
            ),
            (
                "long_text",
                r#"{"kind":"long_text","model_answer":"Clear and kind."}"#,
                4,
                vec![],
                "Describe good feedback.",
            ),
        ];
        let mut ids = Vec::new();
        for (position, (kind, body, points, tags, prompt)) in questions.into_iter().enumerate() {
            let id: Uuid = sqlx::query_scalar(
                "INSERT INTO questions (org_id, question_set_id, kind, prompt_md, body, points, tags, position, guidance_md)
                 VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, 'Look for specifics.') RETURNING id",
            )
            .bind(org_id)
            .bind(set)
            .bind(kind)
            .bind(prompt)
            .bind(body)
            .bind(points)
            .bind(tags)
            .bind(position as i32)
            .fetch_one(&self.pool)
            .await
            .unwrap();
            ids.push(id);
        }
        AssessmentFixtureSet {
            set,
            questions: ids,
        }
    }

    /// A test session of the candidate's latest link to the assessment, with every frozen
    /// question in order, as the candidate's side would start it.
    pub async fn assessment_fixture_session(&self, assessment: Uuid, candidate: Uuid) -> Uuid {
        let session: Uuid = sqlx::query_scalar(
            "INSERT INTO test_sessions (org_id, assessment_id, assessment_application_id, token_id,
                 attempt, consented_at, deadline_at)
             SELECT aa.org_id, aa.assessment_id, aa.id, t.id,
                    (SELECT count(*) + 1 FROM test_sessions s WHERE s.assessment_application_id = aa.id),
                    now(), now() + interval '30 minutes'
             FROM assessment_applications aa
             JOIN assessment_tokens t ON t.assessment_application_id = aa.id AND t.revoked_at IS NULL
             WHERE aa.assessment_id = $1 AND aa.candidate_id = $2
             ORDER BY t.created_at DESC LIMIT 1
             RETURNING id",
        )
        .bind(assessment)
        .bind(candidate)
        .fetch_one(&self.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO test_session_questions (session_id, position, question_id)
             SELECT $1, (row_number() OVER (ORDER BY i.position, q.id))::int - 1, q.id
             FROM assessment_questions q JOIN assessment_items i ON i.id = q.item_id
             WHERE q.assessment_id = $2",
        )
        .bind(session)
        .bind(assessment)
        .execute(&self.pool)
        .await
        .unwrap();
        session
    }
}

async fn hash(password: &str) -> String {
    PasswordHasher::new()
        .hash(&NewPassword::parse(password, password, &[]).unwrap())
        .await
        .unwrap()
}
