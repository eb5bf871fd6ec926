//! The import itself, a background job: every row in one transaction, so a failure
//! leaves nothing half-imported; progress is written beside it every 100 rows.

use anyhow::Context;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use super::data::{self, Counts};
use super::{check_rows, csvfile, merged, Duplicates, ImportStatus, SkillNames};
use crate::audit::data::{record, NewAuditEntry};
use crate::jobs::{Attempt, Job, JobContext};

const PROGRESS_EVERY: usize = 100;

/// The job: imports the rows of one uploaded file. A failure is recorded on the import
/// for the person who uploaded it, and the job itself then ends done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportCandidates {
    pub import_id: Uuid,
}

impl Job for ImportCandidates {
    const NAME: &'static str = "candidate.import";
    const MAX_ATTEMPTS: i32 = 3;

    async fn run(self, ctx: &JobContext, _attempt: Attempt) -> anyhow::Result<()> {
        let id = self.import_id;
        let (reason, errors) = match import(&ctx.pool, id).await {
            Ok(()) => return Ok(()),
            Err(Failure::Rows(reason, errors)) => (reason, errors),
            Err(Failure::Database(error)) => {
                tracing::error!(%error, import = %id, "candidate import failed");
                let reason = "The database refused the import, so nothing was imported. Try again; if it fails again, contact your administrator.";
                (reason.to_string(), Vec::new())
            }
        };
        data::fail(&ctx.pool, id, &reason, &errors)
            .await
            .context("could not record why the import failed")
    }
}

enum Failure {
    Rows(String, Vec<super::RowError>),
    Database(sqlx::Error),
}

impl From<sqlx::Error> for Failure {
    fn from(error: sqlx::Error) -> Self {
        Self::Database(error)
    }
}

async fn import(pool: &PgPool, id: Uuid) -> Result<(), Failure> {
    let Some(import) = data::find_for_job(pool, id).await? else {
        return Ok(());
    };
    if !matches!(import.status, ImportStatus::Queued | ImportStatus::Running) {
        return Ok(());
    }
    let file =
        csvfile::parse(&import.content).map_err(|e| Failure::Rows(e.to_string(), Vec::new()))?;
    let skills = crate::skills::data::list(pool, import.org_id, true).await?;
    let names = SkillNames::new(
        skills
            .iter()
            .map(|s| (s.id, s.name.as_str(), s.aliases.as_slice())),
    );
    // Checked again: the skill list may have changed since the preview.
    let rows = check_rows(&file.rows, &import.mapping.0, &names, &import.skip_lines()).map_err(
        |errors| {
            Failure::Rows(
                format!(
                    "{} rows have errors now, so nothing was imported. Check the file again.",
                    errors.len()
                ),
                errors,
            )
        },
    )?;
    data::mark_running(pool, id, rows.len() as i32).await?;
    let policy = import.duplicates;
    let mut counts = Counts {
        created: 0,
        merged: 0,
        skipped: 0,
    };
    let mut tx = pool.begin().await?;
    for (done, (_line, input)) in rows.iter().enumerate() {
        match data::existing(&mut tx, import.org_id, input.email.as_str()).await? {
            Some(_) if policy == Duplicates::Skip => counts.skipped += 1,
            Some((candidate, existing)) => {
                data::merge(&mut tx, candidate, &merged(&existing, input), &input.skills).await?;
                counts.merged += 1;
            }
            None => {
                crate::candidates::data::insert(&mut tx, import.org_id, import.created_by, input)
                    .await?;
                counts.created += 1;
            }
        }
        if (done + 1) % PROGRESS_EVERY == 0 {
            data::progress(pool, id, (done + 1) as i32).await?;
        }
    }
    let actor_email: Option<String> = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(import.created_by)
        .fetch_optional(&mut *tx)
        .await?;
    record(
        &mut *tx,
        NewAuditEntry {
            org_id: Some(import.org_id),
            actor_id: Some(import.created_by),
            actor_email,
            action: "candidate.import",
            target_type: Some("candidate_import"),
            target_id: Some(id.to_string()),
            details: json!({
                "file": import.filename,
                "created": counts.created,
                "merged": counts.merged,
                "skipped": counts.skipped,
                "lines_left_out": import.skip_lines.len(),
            }),
            client_ip: None,
        },
    )
    .await?;
    data::finish(&mut tx, id, &counts).await?;
    tx.commit().await?;
    Ok(())
}
