//! Server functions of the audit log.

use leptos::prelude::*;

use super::AuditPage;
use crate::error::AppError;

/// One page of the organization's audit log, plus the actions it can be filtered by.
#[server(prefix = "/api", endpoint = "audit/list")]
pub async fn list_audit(
    action: Option<String>,
    actor: Option<String>,
    since: Option<chrono::NaiveDate>,
    until: Option<chrono::NaiveDate>,
    before: Option<i64>,
) -> Result<(AuditPage, Vec<String>), AppError> {
    use super::{data, AuditFilter, AUDIT_PAGE_SIZE};
    use crate::access::guard::require_role;
    use crate::access::Role;

    let admin = require_role(&[Role::Admin]).await?;
    let filter = AuditFilter {
        action,
        actor,
        since,
        until,
        before,
    };
    let pool = crate::state::pool()?;
    let mut entries = data::list(&pool, admin.org_id, &filter, AUDIT_PAGE_SIZE + 1).await?;
    let next_before = if entries.len() as i64 > AUDIT_PAGE_SIZE {
        entries.truncate(AUDIT_PAGE_SIZE as usize);
        entries.last().map(|entry| entry.id)
    } else {
        None
    };
    let actions = data::actions(&pool, admin.org_id).await?;
    Ok((
        AuditPage {
            entries,
            next_before,
        },
        actions,
    ))
}
