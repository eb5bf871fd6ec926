//! The test harness: the real router on a fresh database (one per test, made by
//! `#[sqlx::test]`), and a client that keeps its session cookie like a browser.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;

use app::access::Role;
use app::auth::password::{NewPassword, PasswordHasher};
use app::auth::throttle::ThrottlePolicy;
use app::auth::AuthConfig;
use app::state::{AppState, MailSettings, Settings};
use app::users::data::{create_organization, insert_user, NewUser};
use are::router::SESSION_COOKIE;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::json;
use sqlx::PgPool;
use tower::ServiceExt;
use uuid::Uuid;

pub const PASSWORD: &str = "a long test password";

pub struct TestApp {
    pub pool: PgPool,
    pub state: AppState,
    pub auth: AuthConfig,
    pub router: Router,
    pub mail_dir: PathBuf,
}

impl TestApp {
    pub async fn init(pool: PgPool) -> Self {
        let mail_dir = std::env::temp_dir().join(format!("are-test-mail-{}", Uuid::new_v4()));
        let settings = Settings {
            public_url: "http://localhost:3000".into(),
            secure_cookies: false,
            mail: MailSettings {
                from: "ARE <no-reply@are.localhost>".into(),
                smtp_url: None,
                dir: mail_dir.clone(),
            },
        };
        let state = AppState::new(pool.clone(), settings);
        // The limits as in production, without the growing delay that would make a
        // hundred failures take minutes; the delay has its own unit test.
        let auth = AuthConfig::new(ThrottlePolicy {
            base_delay: std::time::Duration::ZERO,
            max_delay: std::time::Duration::ZERO,
            ..ThrottlePolicy::default()
        });
        let options = leptos::config::LeptosOptions::builder()
            .output_name("are")
            .site_root("target/site")
            .site_pkg_dir("pkg")
            .build();
        let router = are::router::build(state.clone(), auth.clone(), options, false);
        Self {
            pool,
            state,
            auth,
            router,
            mail_dir,
        }
    }

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

    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookie: None,
            ip: "203.0.113.7".into(),
        }
    }

    /// A client signed in as `email` (with `PASSWORD`).
    pub async fn signed_in(&self, email: &str) -> Client {
        let mut client = self.client();
        let response = client.sign_in(email, PASSWORD).await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "sign-in failed: {}",
            response.body
        );
        client
    }

    /// Every email file written so far.
    pub fn emails(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.mail_dir) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .collect()
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

    pub async fn audit_actions(&self, org_id: Uuid) -> Vec<String> {
        sqlx::query_scalar("SELECT action FROM audit_log WHERE org_id = $1 ORDER BY id")
            .bind(org_id)
            .fetch_all(&self.pool)
            .await
            .unwrap()
    }
}

pub async fn hash(password: &str) -> String {
    PasswordHasher::new()
        .hash(&NewPassword::parse(password, password).unwrap())
        .await
        .unwrap()
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub location: Option<String>,
    pub set_cookie: Option<String>,
    pub body: String,
}

pub struct Client {
    router: Router,
    pub cookie: Option<String>,
    pub ip: String,
}

impl Client {
    pub fn with_ip(mut self, ip: &str) -> Self {
        self.ip = ip.into();
        self
    }

    pub async fn send(&mut self, request: Request<Body>) -> TestResponse {
        let mut request = request;
        let addr: SocketAddr = format!("{}:40000", self.ip).parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(addr));
        if let Some(cookie) = &self.cookie {
            request.headers_mut().insert(
                header::COOKIE,
                format!("{SESSION_COOKIE}={cookie}").parse().unwrap(),
            );
        }
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string());
        let set_cookie = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|c| c.starts_with(&format!("{SESSION_COOKIE}=")));
        if let Some(cookie) = &set_cookie {
            let value = cookie
                .split(';')
                .next()
                .unwrap()
                .trim_start_matches(&format!("{SESSION_COOKIE}="))
                .to_string();
            let removed = value.is_empty() || cookie.contains("Max-Age=0");
            self.cookie = (!removed).then_some(value);
        }
        let body = String::from_utf8(
            response
                .into_body()
                .collect()
                .await
                .unwrap()
                .to_bytes()
                .to_vec(),
        )
        .unwrap();
        TestResponse {
            status,
            location,
            set_cookie,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        self.send(
            Request::get(path)
                .header(header::ACCEPT, "text/html")
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// Calls a server function as the app's own pages do (same-origin, JSON answer).
    pub async fn call(&mut self, endpoint: &str, form: &[(&str, &str)]) -> TestResponse {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            Request::post(format!("/api/{endpoint}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Puts the candidate into the requisition's pipeline, as the profile's form does.
    pub async fn add_to_pipeline(&mut self, candidate: Uuid, requisition: Uuid) {
        let added = self
            .call(
                "pipeline/add",
                &[
                    ("candidate_id", &candidate.to_string()),
                    ("requisition_id", &requisition.to_string()),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> TestResponse {
        self.call("auth/sign_in", &[("email", email), ("password", password)])
            .await
    }
}

fn encode(value: &str) -> String {
    app::ui::query::encode_query_value(value).replace('/', "%2F")
}

impl TestApp {
    /// The server's job context, sending mail to `mail_dir`.
    pub fn job_context(&self) -> app::jobs::JobContext {
        are::workers::job_context(&self.state).unwrap()
    }

    /// A job worker like the server's, with no backoff.
    pub fn worker(
        &self,
        registry: app::jobs::worker::Registry,
        ctx: app::jobs::JobContext,
    ) -> app::jobs::worker::Worker {
        use app::jobs::worker::{Worker, WorkerConfig};
        let config = WorkerConfig {
            lease: std::time::Duration::from_secs(30),
            idle_poll: std::time::Duration::from_millis(10),
            backoff_base: std::time::Duration::ZERO,
        };
        Worker::new(
            format!("test-{}", Uuid::new_v4()),
            std::sync::Arc::new(ctx),
            std::sync::Arc::new(registry),
            config,
        )
    }

    /// Runs every due job with the server's registry.
    pub async fn run_jobs(&self) {
        let worker = self.worker(are::workers::registry(), self.job_context());
        while worker.run_once().await.unwrap() {}
    }
}

/// An email's text with quoted-printable soft line breaks undone.
pub fn unwrapped(email: &str) -> String {
    email
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=")
}

/// The invitation link in an email.
pub fn invite_link(email: &str) -> String {
    let text = unwrapped(email);
    let start = text
        .find("http://localhost:3000/invite/")
        .expect("an invitation link");
    text[start..].split_whitespace().next().unwrap().to_string()
}

impl Client {
    /// Calls a server function that takes JSON (the test island's autosave and submit).
    pub async fn call_json(&mut self, endpoint: &str, body: serde_json::Value) -> TestResponse {
        self.send(
            Request::post(format!("/api/{endpoint}"))
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ACCEPT, "application/json")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }
}

/// For the candidate's test: a published assessment with one question of each auto-graded kind and an essay, in
/// this order: single choice (2 points), multiple choice (3), true/false, numeric, essay (5).
pub struct PublishedAssessment {
    pub assessment: Uuid,
    pub questions: Vec<Uuid>,
}

impl TestApp {
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
}

/// The bank questions an assessment fixture set holds.
pub struct AssessmentFixtureSet {
    pub set: Uuid,
    /// Single choice (2 points, option 2 correct), true/false (1, true), numeric (1, 42 ± 0.5),
    /// essay (4); the first two are tagged "logic".
    pub questions: Vec<Uuid>,
}

impl TestApp {
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

impl Client {
    /// Posts one file as the form field `file` to a server function, as a browser's
    /// upload form does.
    pub async fn upload(
        &mut self,
        endpoint: &str,
        filename: &str,
        content_type: &str,
        content: &[u8],
    ) -> TestResponse {
        let boundary = "are-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
             Content-Type: {content_type}\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.send(
            Request::post(format!("/api/{endpoint}"))
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .header(header::ACCEPT, "application/json")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }
}
