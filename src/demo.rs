//! Demo data for a fresh database: the organization "Acme" with one user per role, a
//! skill list and a question set with a question of every kind. The README lists the
//! accounts.

use app::access::Role;
use app::auth::password::{NewPassword, PasswordHasher};
use app::questions::model::{Choice, QuestionBody};
use app::questions::{data as questions, Difficulty, Owner, QuestionInput, SetInput};
use app::users::data::{create_organization, insert_user, NewUser};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub struct DemoUser {
    pub full_name: &'static str,
    pub email: &'static str,
    pub role: Role,
    pub password: &'static str,
}

pub const DEMO_USERS: [DemoUser; 4] = [
    DemoUser {
        full_name: "Ada Admin",
        email: "admin@acme.example",
        role: Role::Admin,
        password: "acme-admin-password",
    },
    DemoUser {
        full_name: "Rita Recruiter",
        email: "recruiter@acme.example",
        role: Role::Recruiter,
        password: "acme-recruiter-password",
    },
    DemoUser {
        full_name: "Hugo Manager",
        email: "manager@acme.example",
        role: Role::HiringManager,
        password: "acme-manager-password",
    },
    DemoUser {
        full_name: "Iris Interviewer",
        email: "interviewer@acme.example",
        role: Role::Interviewer,
        password: "acme-interviewer-password",
    },
];

/// Acme's skill list, with the aliases people type.
pub const DEMO_SKILLS: [(&str, &[&str]); 8] = [
    ("Rust", &["rustlang"]),
    ("TypeScript", &["TS"]),
    ("JavaScript", &["JS", "ECMAScript"]),
    ("PostgreSQL", &["Postgres", "SQL"]),
    ("Kubernetes", &["k8s"]),
    ("Product design", &["UX", "UI design"]),
    ("Sales", &[]),
    ("Communication", &[]),
];

/// Acme's privacy notice, as its careers page shows it with every application form.
const DEMO_PRIVACY_NOTICE: &str = "Acme uses what you send with an application (your contact details, résumé, cover letter and links) only to consider you for jobs at Acme. Acme's recruiters see all of it; the hiring manager and interviewers see what they need for the job. Write to privacy@acme.example to see, correct or delete it.";

/// Loads the demo organization when the database has no organization yet; returns
/// whether it did.
pub async fn load_if_empty(pool: &PgPool, hasher: &PasswordHasher) -> anyhow::Result<bool> {
    let has_orgs: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM organizations)")
        .fetch_one(pool)
        .await?;
    if has_orgs {
        return Ok(false);
    }
    let mut hashes = Vec::with_capacity(DEMO_USERS.len());
    for user in &DEMO_USERS {
        let password = NewPassword::parse(user.password, user.password, &[])
            .map_err(|e| anyhow::anyhow!("demo password: {e}"))?;
        hashes.push(
            hasher
                .hash(&password)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        );
    }
    let mut tx = pool.begin().await?;
    let org_id = create_organization(&mut tx, "Acme", "acme").await?;
    let mut recruiter = None;
    for (user, hash) in DEMO_USERS.iter().zip(&hashes) {
        let id = insert_user(
            &mut *tx,
            NewUser {
                org_id,
                email: user.email,
                full_name: user.full_name,
                role: user.role,
                password_hash: hash,
            },
        )
        .await?;
        if user.role == Role::Recruiter {
            recruiter = Some(id);
        }
    }
    for (name, aliases) in DEMO_SKILLS {
        let aliases: Vec<String> = aliases.iter().map(|a| a.to_string()).collect();
        sqlx::query("INSERT INTO skills (org_id, name, aliases) VALUES ($1, $2, $3)")
            .bind(org_id)
            .bind(name)
            .bind(&aliases)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("UPDATE organizations SET privacy_notice_md = $2 WHERE id = $1")
        .bind(org_id)
        .bind(DEMO_PRIVACY_NOTICE)
        .execute(&mut *tx)
        .await?;
    load_question_set(&mut tx, org_id, recruiter).await?;
    load_assessment(&mut tx, org_id).await?;
    load_scorecard(&mut tx, org_id).await?;
    tx.commit().await?;
    Ok(true)
}

fn choices(options: &[(&str, bool)]) -> Vec<Choice> {
    options
        .iter()
        .zip(1..)
        .map(|((text, correct), id)| Choice {
            id,
            text: text.to_string(),
            correct: *correct,
        })
        .collect()
}

fn question(
    prompt: &str,
    body: QuestionBody,
    points: i32,
    explanation: &str,
    guidance: &str,
) -> QuestionInput {
    QuestionInput {
        prompt_md: prompt.to_string(),
        body,
        points,
        difficulty: Difficulty::Medium,
        tags: Vec::new(),
        explanation_md: explanation.to_string(),
        guidance_md: guidance.to_string(),
    }
}

/// "Backend engineering basics": one question of every kind, linked to Rust and PostgreSQL.
async fn load_question_set(
    conn: &mut PgConnection,
    org_id: Uuid,
    created_by: Option<Uuid>,
) -> anyhow::Result<()> {
    let skills: Vec<Uuid> = sqlx::query_scalar(
        "SELECT id FROM skills WHERE org_id = $1 AND name IN ('Rust', 'PostgreSQL')",
    )
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    let set = SetInput {
        title: "Backend engineering basics".into(),
        description: "Databases, HTTP and code: a short screen for backend engineers.".into(),
        difficulty: Difficulty::Medium,
        tags: vec!["backend".into(), "screening".into()],
        skills,
    };
    let set_id = questions::insert_set(conn, org_id, created_by, &set).await?;
    let items = [
        question(
            "Which index type does PostgreSQL use by default for `CREATE INDEX`?",
            QuestionBody::SingleChoice {
                options: choices(&[("B-tree", true), ("Hash", false), ("GIN", false), ("BRIN", false)]),
            },
            2,
            "Without `USING`, PostgreSQL builds a B-tree, which serves equality and range queries.",
            "",
        ),
        question(
            "Which of these HTTP methods are **idempotent**?",
            QuestionBody::MultipleChoice {
                options: choices(&[("GET", true), ("PUT", true), ("DELETE", true), ("POST", false)]),
            },
            3,
            "Repeating a GET, PUT or DELETE leaves the server as one request did; POST need not.",
            "",
        ),
        question(
            "In Rust, a value can have several mutable references at the same time.",
            QuestionBody::TrueFalse { correct: false },
            1,
            "The borrow checker allows one mutable reference or any number of shared ones.",
            "",
        ),
        question(
            "What does the HTTP status code **404** mean?",
            QuestionBody::ShortText {
                model_answer: "The server did not find the requested resource (Not Found).".into(),
            },
            1,
            "",
            "Full points for \"not found\" in any wording.",
        ),
        question(
            "Describe how you would find and fix a slow database query in production.",
            QuestionBody::LongText {
                model_answer: "Find it (pg_stat_statements, slow query log), read its plan with EXPLAIN ANALYZE, fix the cause (an index, a rewritten query, fewer round trips), and measure again.".into(),
            },
            5,
            "",
            "Look for measuring before changing, reading the query plan, and checking the fix. 5 points: all three with an example; 3: a sound approach; 1: guesses only.",
        ),
        question(
            "A service answers 1,200 requests per minute. How many requests per **second** is that?",
            QuestionBody::Numeric { answer: 20.0, tolerance: 0.0 },
            2,
            "1,200 / 60 = 20.",
            "",
        ),
        question(
            "Write a function `is_palindrome(s: &str) -> bool` that ignores case and spaces.",
            QuestionBody::Code {
                language: "Rust".into(),
                starter_code: "fn is_palindrome(s: &str) -> bool {\n    // Your code here.\n    false\n}".into(),
            },
            5,
            "",
            "Correct for \"Never odd or even\"; handles an empty string; no needless allocation beyond one filtered copy.",
        ),
    ];
    for item in items {
        let item = item
            .check()
            .map_err(|e| anyhow::anyhow!("demo question: {e}"))?;
        questions::insert_question(conn, org_id, created_by, Owner::Set(set_id), &item).await?;
    }
    Ok(())
}

/// The demo question set "Demo: general aptitude" (every automatically scored kind and an
/// essay) and the published "Demo: aptitude check" on the open requisition
/// "Demo: operations analyst", drawing three of its questions at random.
async fn load_assessment(conn: &mut sqlx::PgConnection, org_id: uuid::Uuid) -> anyhow::Result<()> {
    use app::assessments::data as assessments;
    use app::assessments::{AssessmentInput, AssessmentStatus, Proctoring};

    let requisition: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO job_requisitions (org_id, title, department, location, employment_type, openings, status,
                                       description_md, posted, posted_at)
         VALUES ($1, 'Demo: operations analyst', 'Operations', 'Remote', 'full_time', 1, 'open',
                 'Keep the **numbers** honest.', true, now())
         RETURNING id",
    )
    .bind(org_id)
    .fetch_one(&mut *conn)
    .await?;
    let set: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO question_sets (org_id, title, description, tags)
         VALUES ($1, 'Demo: general aptitude', 'Reasoning, numbers and writing.', '{aptitude}') RETURNING id",
    )
    .bind(org_id)
    .fetch_one(&mut *conn)
    .await?;
    let questions = [
        (
            "single_choice",
            "Which number comes next: 2, 4, 8, 16, …?",
            r#"{"kind":"single_choice","options":[{"id":1,"text":"24","correct":false},{"id":2,"text":"32","correct":true},{"id":3,"text":"30","correct":false}]}"#,
            2,
        ),
        (
            "multiple_choice",
            "Which of these are prime numbers?",
            r#"{"kind":"multiple_choice","options":[{"id":1,"text":"2","correct":true},{"id":2,"text":"9","correct":false},{"id":3,"text":"11","correct":true},{"id":4,"text":"15","correct":false}]}"#,
            2,
        ),
        (
            "true_false",
            "Every square is a rectangle.",
            r#"{"kind":"true_false","correct":true}"#,
            1,
        ),
        (
            "numeric",
            "A price of 80 rises by 25%. What is the new price?",
            r#"{"kind":"numeric","answer":100,"tolerance":0}"#,
            2,
        ),
        (
            "single_choice",
            "If all bloops are razzies and all razzies are lazzies, are all bloops lazzies?",
            r#"{"kind":"single_choice","options":[{"id":1,"text":"Yes","correct":true},{"id":2,"text":"No","correct":false},{"id":3,"text":"Cannot tell","correct":false}]}"#,
            1,
        ),
        (
            "long_text",
            "Describe a time you found a mistake in a report. What did you do?",
            r#"{"kind":"long_text","model_answer":"Names the mistake, checks it, tells the owner, fixes the cause."}"#,
            4,
        ),
    ];
    for (position, (kind, prompt, body, points)) in questions.into_iter().enumerate() {
        sqlx::query(
            "INSERT INTO questions (org_id, question_set_id, kind, prompt_md, body, points, position, guidance_md)
             VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, 'Full marks for a concrete example and a fix of the cause.')",
        )
        .bind(org_id)
        .bind(set)
        .bind(kind)
        .bind(prompt)
        .bind(body)
        .bind(points)
        .bind(position as i32)
        .execute(&mut *conn)
        .await?;
    }
    let input = AssessmentInput {
        requisition_id: requisition,
        title: "Demo: aptitude check".into(),
        instructions: "Answer each question; you can come back to any of them before you submit."
            .into(),
        time_limit_minutes: 20,
        pass_mark_percent: 60,
        attempts_allowed: 1,
        available_from: None,
        available_until: None,
        shuffle_questions: true,
        shuffle_options: true,
        proctoring: Proctoring::default(),
    };
    let recruiter: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE org_id = $1 AND role = 'recruiter' LIMIT 1")
            .bind(org_id)
            .fetch_one(&mut *conn)
            .await?;
    let assessment = assessments::insert(&mut *conn, org_id, recruiter, &input).await?;
    assessments::add_item(
        &mut *conn,
        org_id,
        assessment,
        &assessments::NewItem::FromSet(set, 3),
    )
    .await?;
    assessments::freeze_questions(&mut *conn, org_id, assessment).await?;
    assessments::set_status(
        &mut *conn,
        org_id,
        assessment,
        AssessmentStatus::Draft,
        AssessmentStatus::Published,
    )
    .await?;
    Ok(())
}

/// The demo requisition's scorecard (three attributes with their anchors) and its
/// interview plan: a phone screen and a technical interview.
async fn load_scorecard(conn: &mut sqlx::PgConnection, org_id: uuid::Uuid) -> anyhow::Result<()> {
    use app::scorecards::{data, Category, NewAttribute, NewStage};

    let requisition: uuid::Uuid = sqlx::query_scalar(
        "SELECT id FROM job_requisitions WHERE org_id = $1 AND title = 'Demo: operations analyst'",
    )
    .bind(org_id)
    .fetch_one(&mut *conn)
    .await?;
    let attribute = |category, name: &str, anchors: [&str; 4]| NewAttribute {
        category,
        name: name.to_string(),
        anchors: anchors.iter().map(|a| a.to_string()).collect(),
    };
    let attributes = [
        attribute(
            Category::Skills,
            "Spreadsheets",
            [
                "Cannot build a formula unaided.",
                "Sums and filters; needs help with lookups.",
                "Lookups, pivots and clean structure without help.",
                "Models a process others can maintain and trust.",
            ],
        ),
        attribute(
            Category::Traits,
            "Attention to detail",
            [
                "Misses errors that change the result.",
                "Catches errors when pointed to them.",
                "Checks their own work before handing it on.",
                "Builds checks that catch others' errors too.",
            ],
        ),
        attribute(
            Category::Traits,
            "Communication",
            [
                "Hard to follow, even on simple points.",
                "Clear when prompted with questions.",
                "Clear and structured on their own.",
                "Makes hard things simple for any audience.",
            ],
        ),
    ];
    data::insert_attributes(conn, org_id, requisition, &attributes).await?;
    let ids = data::attributes(&mut *conn, org_id, requisition).await?;
    let id_of = |name: &str| ids.iter().find(|a| a.name == name).map(|a| a.id);
    let stages = [
        NewStage {
            name: "Phone screen".into(),
            duration_minutes: 30,
            prep_notes: "Confirm availability and salary expectations first.".into(),
            questions: vec![
                "Tell me about a report you built that people relied on.".into(),
                "How do you explain a surprising number to a manager?".into(),
            ],
            focus: id_of("Communication").into_iter().collect(),
            bank: Vec::new(),
        },
        NewStage {
            name: "Technical".into(),
            duration_minutes: 60,
            prep_notes: "Share the sample data set at the start; let them drive.".into(),
            questions: vec![
                "Reconcile the two exports in the sample: where do they differ and why?".into(),
                "How would you stop this error from happening again?".into(),
            ],
            focus: ["Spreadsheets", "Attention to detail"]
                .into_iter()
                .filter_map(id_of)
                .collect(),
            bank: Vec::new(),
        },
    ];
    for stage in &stages {
        data::save_stage(conn, org_id, requisition, None, stage).await?;
    }
    Ok(())
}
