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
    let entries = data::list(&pool, admin.org_id, &filter, AUDIT_PAGE_SIZE + 1).await?;
    let page = AuditPage::cut(entries, AUDIT_PAGE_SIZE, |last| last.id);
    let actions = data::actions(&pool, admin.org_id).await?;
    Ok((page, actions))
}
