//! Server functions of the admin's jobs page.

use leptos::prelude::*;

use super::{JobCounts, JobView};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "jobs/list")]
pub async fn list_jobs(status: Option<String>) -> Result<(JobCounts, Vec<JobView>), AppError> {
    use super::{queue, JobStatus};
    use crate::access::guard::require_role;
    use crate::access::Role;

    let admin = require_role(&[Role::Admin]).await?;
    let pool = crate::state::pool()?;
    let status = status.as_deref().and_then(JobStatus::parse);
    let counts = queue::counts(&pool, admin.org_id).await?;
    let jobs = queue::list(&pool, admin.org_id, status, 100).await?;
    Ok((counts, jobs))
}

/// Puts a failed job back in the queue.
#[server(prefix = "/api", endpoint = "jobs/retry")]
pub async fn retry_job(job_id: i64) -> Result<(), AppError> {
    use crate::access::guard::require_role;
    use crate::access::Role;
    use crate::audit::data::{record, NewAuditEntry};

    let admin = require_role(&[Role::Admin]).await?;
    let pool = crate::state::pool()?;
    let mut tx = pool.begin().await?;
    if !super::queue::retry(&mut *tx, admin.org_id, job_id).await? {
        return Err(AppError::NotFound);
    }
    record(
        &mut *tx,
        NewAuditEntry::by(&admin, "job.retried").target("job", job_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
