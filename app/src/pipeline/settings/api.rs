//! Server functions of the pipeline settings (admins).

use leptos::prelude::*;
use uuid::Uuid;

use super::PipelineSettings;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::{data, parse_name, removal_refused, SettingList},
    crate::access::guard::{require_role, AuthUser},
    crate::access::Role,
    crate::audit::data::{record, NewAuditEntry},
};

#[cfg(feature = "ssr")]
async fn admin() -> Result<AuthUser, AppError> {
    require_role(&[Role::Admin]).await
}

#[cfg(feature = "ssr")]
fn taken(list: SettingList, name: &str) -> impl FnOnce(sqlx::Error) -> AppError + '_ {
    move |error| match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => AppError::invalid(format!(
            "There is already {} called \"{name}\".",
            if list == SettingList::Stages {
                "a stage"
            } else {
                "a rejection reason"
            }
        )),
        _ => error.into(),
    }
}

#[cfg(feature = "ssr")]
async fn audited(
    tx: &mut sqlx::PgConnection,
    user: &AuthUser,
    action: &'static str,
    list: SettingList,
    id: Uuid,
) -> Result<(), AppError> {
    let target = if list == SettingList::Stages {
        "pipeline_stage"
    } else {
        "rejection_reason"
    };
    record(tx, NewAuditEntry::by(user, action).target(target, id)).await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "pipeline/settings")]
pub async fn load_pipeline_settings() -> Result<PipelineSettings, AppError> {
    let user = admin().await?;
    Ok(data::load(&crate::state::pool()?, user.org_id).await?)
}

/// Adds a stage or reason (no `id`), or renames one.
#[server(prefix = "/api", endpoint = "pipeline/settings/save")]
pub async fn save_pipeline_entry(
    list: String,
    id: Option<Uuid>,
    name: String,
) -> Result<(), AppError> {
    let user = admin().await?;
    let list = SettingList::parse(&list)?;
    let name = parse_name(list, &name)?;
    let mut tx = crate::state::pool()?.begin().await?;
    let (action, id) = match id {
        Some(id) => {
            let found = data::rename(&mut tx, user.org_id, list, id, &name)
                .await
                .map_err(taken(list, &name))?;
            if !found {
                return Err(AppError::NotFound);
            }
            ("pipeline.entry_renamed", id)
        }
        None => {
            let id = data::add(&mut tx, user.org_id, list, &name)
                .await
                .map_err(taken(list, &name))?;
            ("pipeline.entry_added", id)
        }
    };
    audited(&mut tx, &user, action, list, id).await?;
    tx.commit().await?;
    leptos_axum::redirect("/admin/pipeline");
    Ok(())
}

/// Moves a stage or reason one place up or down its list.
#[server(prefix = "/api", endpoint = "pipeline/settings/move")]
pub async fn move_pipeline_entry(
    list: String,
    id: Uuid,
    direction: String,
) -> Result<(), AppError> {
    let user = admin().await?;
    let list = SettingList::parse(&list)?;
    let up = match direction.as_str() {
        "up" => true,
        "down" => false,
        _ => return Err(AppError::invalid("Move up or down.")),
    };
    let mut tx = crate::state::pool()?.begin().await?;
    let moved = data::move_entry(&mut tx, user.org_id, list, id, up)
        .await?
        .ok_or(AppError::NotFound)?;
    if !moved {
        return Err(AppError::invalid(if up {
            "It is first already."
        } else {
            "It is last already."
        }));
    }
    audited(&mut tx, &user, "pipeline.entry_moved", list, id).await?;
    tx.commit().await?;
    leptos_axum::redirect("/admin/pipeline");
    Ok(())
}

/// Removes a stage (when empty) or a reason; both stay in the history that names them.
#[server(prefix = "/api", endpoint = "pipeline/settings/remove")]
pub async fn remove_pipeline_entry(list: String, id: Uuid) -> Result<(), AppError> {
    let user = admin().await?;
    let list = SettingList::parse(&list)?;
    let mut tx = crate::state::pool()?.begin().await?;
    let (kind, applications, remaining) = data::removal_facts(&mut tx, user.org_id, list, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(reason) = removal_refused(list, kind, applications, remaining) {
        return Err(AppError::invalid(reason));
    }
    data::remove(&mut tx, user.org_id, list, id).await?;
    audited(&mut tx, &user, "pipeline.entry_removed", list, id).await?;
    tx.commit().await?;
    leptos_axum::redirect("/admin/pipeline");
    Ok(())
}
