//! `are generate-invites --invites N --out FILE`: an organization ("Test Bench Co", slug
//! `test-bench`) with a published 60-minute assessment of ten questions (every kind) and
//! N candidates invited to it, for the test-taking benchmark. The links' secrets exist
//! only in FILE: its first line is `questions` and the assessment's question ids as
//! `id:kind`, then one secret per line.

use std::fmt::Write as _;

use anyhow::{bail, Context};
use app::assessments::data::{self as assessments, NewItem};
use app::assessments::AssessmentStatus;
use app::questions::model::{Choice, QuestionBody};
use app::users::data::create_organization;
use sqlx::PgPool;
use uuid::Uuid;

/// What to make (`are generate-invites --help`).
#[derive(Debug, Clone, clap::Args)]
pub struct Options {
    /// Candidates to invite.
    #[arg(
        long,
        default_value_t = 2_000,
        value_parser = clap::builder::TypedValueParser::map(
            clap::value_parser!(u64).range(1..),
            |n| n as usize,
        ),
    )]
    pub invites: usize,
    /// The file the links' secrets go to (required: they are nowhere else).
    #[arg(long)]
    pub out: std::path::PathBuf,
}

fn choices(correct: &[u32]) -> Vec<Choice> {
    ["Option A", "Option B", "Option C", "Option D"]
        .iter()
        .zip(1..)
        .map(|(text, id)| Choice {
            id,
            text: text.to_string(),
            correct: correct.contains(&id),
        })
        .collect()
}

fn questions() -> Vec<QuestionBody> {
    vec![
        QuestionBody::SingleChoice {
            options: choices(&[2]),
        },
        QuestionBody::SingleChoice {
            options: choices(&[1]),
        },
        QuestionBody::MultipleChoice {
            options: choices(&[1, 3]),
        },
        QuestionBody::MultipleChoice {
            options: choices(&[2, 3, 4]),
        },
        QuestionBody::TrueFalse { correct: true },
        QuestionBody::Numeric {
            answer: 42.0,
            tolerance: 0.5,
        },
        QuestionBody::ShortText {
            model_answer: "A B-tree".into(),
        },
        QuestionBody::LongText {
            model_answer: "Trade-offs of indexing".into(),
        },
        QuestionBody::Code {
            language: "Rust".into(),
            starter_code: "fn main() {\n}\n".into(),
        },
        QuestionBody::TrueFalse { correct: false },
    ]
}

pub async fn generate(pool: &PgPool, options: &Options) -> anyhow::Result<()> {
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM organizations WHERE slug = 'test-bench')")
            .fetch_one(pool)
            .await?;
    if exists {
        bail!("the organization \"Test Bench Co\" exists already: generate into an empty database");
    }
    let mut tx = pool.begin().await?;
    let org = create_organization(&mut tx, "Test Bench Co", "test-bench").await?;
    let requisition: Uuid = sqlx::query_scalar(
        "INSERT INTO job_requisitions (org_id, title, employment_type, openings, status)
         VALUES ($1, 'Backend engineer', 'full_time', 50, 'open') RETURNING id",
    )
    .bind(org)
    .fetch_one(&mut *tx)
    .await?;
    let set: Uuid = sqlx::query_scalar(
        "INSERT INTO question_sets (org_id, title) VALUES ($1, 'Backend basics') RETURNING id",
    )
    .bind(org)
    .fetch_one(&mut *tx)
    .await?;
    let assessment: Uuid = sqlx::query_scalar(
        "INSERT INTO assessments (org_id, requisition_id, family_id, title, time_limit_minutes,
                shuffle_questions, shuffle_options, proctoring)
         VALUES ($1, $2, gen_random_uuid(), 'Backend basics', 60, true, true,
                 '{\"tab_switches\": true, \"copy_paste\": true, \"webcam\": true}')
         RETURNING id",
    )
    .bind(org)
    .bind(requisition)
    .fetch_one(&mut *tx)
    .await?;
    for (position, body) in questions().into_iter().enumerate() {
        let kind = body.kind();
        let body = serde_json::to_value(&body)?;
        let prompt = format!("Question {} ({})", position + 1, kind.as_str());
        let source: Uuid = sqlx::query_scalar(
            "INSERT INTO questions (org_id, question_set_id, kind, prompt_md, body, points, position)
             VALUES ($1, $2, $3, $4, $5, 2, $6) RETURNING id",
        )
        .bind(org)
        .bind(set)
        .bind(kind)
        .bind(&prompt)
        .bind(&body)
        .bind(position as i32)
        .fetch_one(&mut *tx)
        .await?;
        assessments::add_item(&mut tx, org, assessment, &NewItem::Fixed(source)).await?;
    }
    // Published the way the app publishes: the questions frozen, then the status.
    assessments::freeze_questions(&mut tx, org, assessment).await?;
    assessments::set_status(
        &mut tx,
        org,
        assessment,
        AssessmentStatus::Draft,
        AssessmentStatus::Published,
    )
    .await?;
    let mut header = String::from("questions");
    for (frozen, kind) in assessments::frozen_questions(&mut tx, assessment).await? {
        write!(header, " {frozen}:{}", kind.as_str())?;
    }
    let tokens: Vec<app::tokens::NewToken> = (0..options.invites)
        .map(|_| app::tokens::generate())
        .collect();
    let digests: Vec<Vec<u8>> = tokens.iter().map(|t| t.digest.clone()).collect();
    sqlx::query(
        "WITH c AS (
             INSERT INTO candidates (org_id, full_name, email, source)
             SELECT $1, 'Bench Candidate ' || n, 'bench.candidate.' || n || '@example.com', 'applied'
             FROM generate_series(1, $2) AS n RETURNING id
         ), numbered AS (
             SELECT id, row_number() OVER () AS n FROM c
         ), a AS (
             INSERT INTO assessment_applications (org_id, assessment_id, candidate_id)
             SELECT $1, $3, id FROM numbered ORDER BY n RETURNING id
         ), an AS (
             SELECT id, row_number() OVER () AS n FROM a
         )
         INSERT INTO assessment_tokens (org_id, assessment_application_id, token_hash, expires_at)
         SELECT $1, an.id, d.digest, now() + interval '7 days'
         FROM an JOIN UNNEST($4::bytea[]) WITH ORDINALITY AS d(digest, n) ON d.n = an.n",
    )
    .bind(org)
    .bind(options.invites as i64)
    .bind(assessment)
    .bind(&digests)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut file = header;
    for token in &tokens {
        file.push('\n');
        file.push_str(&token.secret);
    }
    file.push('\n');
    std::fs::write(&options.out, file)
        .with_context(|| format!("could not write {}", options.out.display()))?;
    Ok(())
}
