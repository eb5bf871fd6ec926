//! Scoring a session: the automatic scores at submission, and the session's totals,
//! percentage and pass/fail, recomputed whenever an answer's score changes (submission,
//! or a person grading a text or code answer).

use sqlx::PgConnection;
use uuid::Uuid;

use crate::questions::model::{QuestionBody, Response};
use crate::questions::scoring::{auto_score, percent};

/// Scores every objective answer of a finished session, then its totals. Questions the
/// candidate never answered score zero and need no grader.
pub async fn score_submission(conn: &mut PgConnection, session_id: Uuid) -> sqlx::Result<()> {
    let rows: Vec<(Uuid, serde_json::Value, i32, Option<serde_json::Value>)> = sqlx::query_as(
        "SELECT q.id, q.body, q.points, a.response
         FROM test_session_questions sq
         JOIN assessment_questions q ON q.id = sq.question_id
         LEFT JOIN answers a ON a.session_id = sq.session_id AND a.question_id = sq.question_id
         WHERE sq.session_id = $1",
    )
    .bind(session_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut ids = Vec::new();
    let mut scores = Vec::new();
    for (question_id, body, points, response) in rows {
        let Ok(body) = serde_json::from_value::<QuestionBody>(body) else {
            tracing::error!(%question_id, "a frozen question body does not decode");
            continue;
        };
        let response = response.and_then(|r| serde_json::from_value::<Response>(r).ok());
        let score = auto_score(&body, response.as_ref(), points);
        // Only answered questions have a row; a manual kind answered stays NULL (to grade).
        if response.is_some() {
            if let Some(score) = score {
                ids.push(question_id);
                scores.push(score);
            }
        }
    }
    sqlx::query(
        "UPDATE answers a SET score = s.score, updated_at = now()
         FROM UNNEST($2::uuid[], $3::float8[]) AS s(question_id, score)
         WHERE a.session_id = $1 AND a.question_id = s.question_id",
    )
    .bind(session_id)
    .bind(&ids)
    .bind(&scores)
    .execute(&mut *conn)
    .await?;
    recompute_totals(conn, session_id).await
}

/// Sets a session's score (the sum of scored answers), its maximum, how many answers
/// still wait for a grader, and `passed` once none do.
pub async fn recompute_totals(conn: &mut PgConnection, session_id: Uuid) -> sqlx::Result<()> {
    let (score, max_score, ungraded, pass_mark): (f64, f64, i64, i32) = sqlx::query_as(
        "SELECT COALESCE(SUM(a.score), 0)::float8,
                COALESCE(SUM(q.points), 0)::float8,
                COUNT(*) FILTER (WHERE a.response IS NOT NULL AND a.response <> 'null'::jsonb
                                   AND a.score IS NULL),
                MAX(asm.pass_mark_percent)
         FROM test_sessions s
         JOIN assessments asm ON asm.id = s.assessment_id
         JOIN test_session_questions sq ON sq.session_id = s.id
         JOIN assessment_questions q ON q.id = sq.question_id
         LEFT JOIN answers a ON a.session_id = s.id AND a.question_id = sq.question_id
         WHERE s.id = $1",
    )
    .bind(session_id)
    .fetch_one(&mut *conn)
    .await?;
    let passed = (ungraded == 0).then(|| percent(score, max_score) >= f64::from(pass_mark));
    sqlx::query(
        "UPDATE test_sessions SET score = $2, max_score = $3, ungraded_count = $4, passed = $5,
                updated_at = now()
         WHERE id = $1",
    )
    .bind(session_id)
    .bind(score)
    .bind(max_score)
    .bind(ungraded as i32)
    .bind(passed)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
