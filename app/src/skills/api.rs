//! Server functions of the skill list.

use leptos::prelude::*;
use uuid::Uuid;

use super::Skill;
use crate::error::AppError;

/// Every skill of the organization, retired ones too (admins).
#[server(prefix = "/api", endpoint = "skills/list")]
pub async fn list_skills() -> Result<Vec<Skill>, AppError> {
    use crate::access::guard::require_role;
    use crate::access::Role;

    let admin = require_role(&[Role::Admin]).await?;
    Ok(super::data::list(&crate::state::pool()?, admin.org_id, false).await?)
}

#[server(prefix = "/api", endpoint = "skills/add")]
pub async fn add_skill(name: String, aliases: String) -> Result<(), AppError> {
    use crate::access::guard::require_role;
    use crate::access::Role;
    use crate::audit::data::{record, NewAuditEntry};

    let admin = require_role(&[Role::Admin]).await?;
    let (name, aliases) = super::parse_skill(&name, &aliases)?;
    let pool = crate::state::pool()?;
    let id = super::data::insert(&pool, admin.org_id, &name, &aliases)
        .await
        .map_err(|error| match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                AppError::invalid(format!("“{name}” is already on the skill list."))
            }
            _ => error.into(),
        })?;
    record(
        &pool,
        NewAuditEntry::by(&admin, "skill.added")
            .target("skill", id)
            .details(serde_json::json!({ "name": name })),
    )
    .await?;
    Ok(())
}

/// Renames a skill, replaces its aliases, or retires it (retired skills stay on the
/// requisitions that have them but are no longer offered).
#[server(prefix = "/api", endpoint = "skills/update")]
pub async fn update_skill(
    skill_id: Uuid,
    name: String,
    aliases: String,
    active: bool,
) -> Result<(), AppError> {
    use crate::access::guard::require_role;
    use crate::access::Role;
    use crate::audit::data::{record, NewAuditEntry};

    let admin = require_role(&[Role::Admin]).await?;
    let (name, aliases) = super::parse_skill(&name, &aliases)?;
    let pool = crate::state::pool()?;
    let updated = super::data::update(&pool, admin.org_id, skill_id, &name, &aliases, active)
        .await
        .map_err(|error| match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                AppError::invalid(format!("“{name}” is already on the skill list."))
            }
            _ => error.into(),
        })?;
    if !updated {
        return Err(AppError::NotFound);
    }
    record(
        &pool,
        NewAuditEntry::by(&admin, "skill.updated")
            .target("skill", skill_id)
            .details(serde_json::json!({ "name": name, "active": active })),
    )
    .await?;
    Ok(())
}
