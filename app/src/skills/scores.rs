//! How each application's candidate fits its requisition's skills: the skills found in
//! the candidate's live documents that count for it (`skill_matches`; a careers-page
//! document on a record that existed before counts for the applications it was sent with
//! only, until a recruiter confirms it) against the requisition's required
//! and nice-to-have skills, scored by `matching::score` and stored per application for
//! the board's badge and the application page. Rescored when a document's text arrives
//! (the extraction job), an application is added, and by [`ScoreRequisition`] when a
//! requisition's skills change.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::matching::{score_found, MatchScore, Requirement};
use crate::jobs::{Attempt, Job, JobContext};

/// What the candidate's live documents with text hold for the scores: each document's
/// skills, and the applications it alone counts for when it is not yet confirmed as
/// theirs (a careers-page document on a record that existed before).
struct CandidateText {
    documents: Vec<DocumentSkills>,
}

struct DocumentSkills {
    /// `None`: counts for every application.
    only_for: Option<Vec<Uuid>>,
    skills: Vec<Uuid>,
}

impl CandidateText {
    /// The skills found in the documents that count for `application_id`; `None` when no
    /// document with text counts for it.
    fn found_for(&self, application_id: Uuid) -> Option<HashSet<Uuid>> {
        let mut counted = self
            .documents
            .iter()
            .filter(|doc| {
                doc.only_for
                    .as_ref()
                    .is_none_or(|only| only.contains(&application_id))
            })
            .peekable();
        counted.peek()?;
        Some(counted.flat_map(|doc| doc.skills.iter().copied()).collect())
    }
}

/// The candidate's live documents whose text was read, with the skills found in each.
async fn candidate_text(
    conn: &mut PgConnection,
    candidate_id: Uuid,
) -> sqlx::Result<CandidateText> {
    let rows: Vec<(bool, Vec<Uuid>, Vec<Uuid>)> = sqlx::query_as(
        "SELECT d.confirmed,
                array(SELECT application_id FROM document_applications WHERE document_id = d.id),
                array(SELECT skill_id FROM skill_matches WHERE document_id = d.id)
         FROM documents d
         WHERE d.candidate_id = $1 AND d.deleted_at IS NULL AND d.text_status = 'extracted'",
    )
    .bind(candidate_id)
    .fetch_all(conn)
    .await?;
    Ok(CandidateText {
        documents: rows
            .into_iter()
            .map(|(confirmed, applications, skills)| DocumentSkills {
                only_for: (!confirmed).then_some(applications),
                skills,
            })
            .collect(),
    })
}

/// The requisition's skills as the score weighs them.
async fn requirements(
    conn: &mut PgConnection,
    requisition_id: Uuid,
) -> sqlx::Result<Vec<Requirement>> {
    let rows: Vec<(Uuid, String, bool)> = sqlx::query_as(
        "SELECT s.id, s.name, rs.required FROM requisition_skills rs JOIN skills s ON s.id = rs.skill_id
         WHERE rs.requisition_id = $1 ORDER BY NOT rs.required, lower(s.name)",
    )
    .bind(requisition_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(skill_id, name, required)| Requirement {
            skill_id,
            name,
            required,
        })
        .collect())
}

/// Rescores the applications `(id, candidate, requisition)`; an application whose
/// requisition names no skills, or whose candidate has no document with text, has no
/// score. Each requisition's skills and each candidate's found skills are read once.
async fn rescore(
    conn: &mut PgConnection,
    applications: Vec<(Uuid, Uuid, Uuid)>,
) -> sqlx::Result<()> {
    let mut requisitions: HashMap<Uuid, Vec<Requirement>> = HashMap::new();
    let mut candidates: HashMap<Uuid, CandidateText> = HashMap::new();
    for (application_id, candidate_id, requisition_id) in applications {
        if let Entry::Vacant(entry) = requisitions.entry(requisition_id) {
            entry.insert(requirements(&mut *conn, requisition_id).await?);
        }
        if let Entry::Vacant(entry) = candidates.entry(candidate_id) {
            entry.insert(candidate_text(&mut *conn, candidate_id).await?);
        }
        let reqs = &requisitions[&requisition_id];
        match candidates[&candidate_id].found_for(application_id) {
            Some(found) if !reqs.is_empty() => {
                store(&mut *conn, application_id, &score_found(reqs, &found)).await?
            }
            _ => {
                sqlx::query("DELETE FROM application_skill_scores WHERE application_id = $1")
                    .bind(application_id)
                    .execute(&mut *conn)
                    .await?;
            }
        }
    }
    Ok(())
}

/// Writes an application's score.
async fn store(
    conn: &mut PgConnection,
    application_id: Uuid,
    scored: &MatchScore,
) -> sqlx::Result<()> {
    let count = |list: &Vec<String>| list.len() as i32;
    sqlx::query(
        "INSERT INTO application_skill_scores (application_id, org_id, percent, required_found,
             required_total, nice_found, nice_total, detail)
         SELECT a.id, a.org_id, $2, $3, $4, $5, $6, $7 FROM applications a WHERE a.id = $1
         ON CONFLICT (application_id) DO UPDATE SET percent = $2, required_found = $3,
             required_total = $4, nice_found = $5, nice_total = $6, detail = $7, computed_at = now()",
    )
    .bind(application_id)
    .bind(i16::from(scored.percent))
    .bind(count(&scored.required_found))
    .bind(count(&scored.required_found) + count(&scored.required_missing))
    .bind(count(&scored.nice_found))
    .bind(count(&scored.nice_found) + count(&scored.nice_missing))
    .bind(Json(scored))
    .execute(conn)
    .await?;
    Ok(())
}

/// Rescores every application of the candidate.
pub async fn rescore_candidate(
    conn: &mut PgConnection,
    org_id: Uuid,
    candidate_id: Uuid,
) -> sqlx::Result<()> {
    let applications = sqlx::query_as(
        "SELECT id, candidate_id, requisition_id FROM applications
         WHERE candidate_id = $1 AND org_id = $2 ORDER BY id",
    )
    .bind(candidate_id)
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    rescore(conn, applications).await
}

/// Scores one application (a new one).
pub async fn rescore_application(
    conn: &mut PgConnection,
    application_id: Uuid,
) -> sqlx::Result<()> {
    let applications =
        sqlx::query_as("SELECT id, candidate_id, requisition_id FROM applications WHERE id = $1")
            .bind(application_id)
            .fetch_all(&mut *conn)
            .await?;
    rescore(conn, applications).await
}

/// The stored score of an application, if it has one.
pub async fn of_application(
    executor: impl PgExecutor<'_>,
    org_id: Uuid,
    application_id: Uuid,
) -> sqlx::Result<Option<MatchScore>> {
    let detail: Option<Json<MatchScore>> = sqlx::query_scalar(
        "SELECT detail FROM application_skill_scores WHERE application_id = $1 AND org_id = $2",
    )
    .bind(application_id)
    .bind(org_id)
    .fetch_optional(executor)
    .await?;
    Ok(detail.map(|detail| detail.0))
}

/// The requisition's skills found in the candidate's live documents that count for the
/// application, with their evidence (the first document that has each, newest first).
pub async fn evidence_for(
    pool: &sqlx::PgPool,
    application_id: Uuid,
    candidate_id: Uuid,
    requisition_id: Uuid,
) -> sqlx::Result<Vec<super::Evidence>> {
    sqlx::query_as(
        "SELECT DISTINCT ON (lower(s.name)) s.name AS skill, m.term, m.occurrences, m.match_offset,
                m.match_len, m.sentence, m.sentence_offset
         FROM skill_matches m
         JOIN documents d ON d.id = m.document_id AND d.deleted_at IS NULL
                         AND (d.confirmed OR EXISTS (SELECT 1 FROM document_applications da
                                                     WHERE da.document_id = d.id
                                                       AND da.application_id = $3))
         JOIN requisition_skills rs ON rs.skill_id = m.skill_id AND rs.requisition_id = $2
         JOIN skills s ON s.id = m.skill_id
         WHERE m.candidate_id = $1
         ORDER BY lower(s.name), d.created_at DESC",
    )
    .bind(candidate_id)
    .bind(requisition_id)
    .bind(application_id)
    .fetch_all(pool)
    .await
}

/// Rescores every application of a requisition whose skills changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreRequisition {
    pub requisition_id: Uuid,
}

impl Job for ScoreRequisition {
    const NAME: &'static str = "skills.score_requisition";

    async fn run(self, ctx: &JobContext, _attempt: Attempt) -> anyhow::Result<()> {
        let mut tx = ctx.pool.begin().await.context("could not begin")?;
        let applications = sqlx::query_as(
            "SELECT id, candidate_id, requisition_id FROM applications
             WHERE requisition_id = $1 ORDER BY id",
        )
        .bind(self.requisition_id)
        .fetch_all(&mut *tx)
        .await
        .context("could not list the applications")?;
        rescore(&mut tx, applications)
            .await
            .context("could not rescore the applications")?;
        tx.commit().await.context("could not commit")?;
        Ok(())
    }
}
