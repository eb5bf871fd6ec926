//! Server functions of the inbox. A user only ever reaches their own notifications.

use leptos::prelude::*;
use uuid::Uuid;

use super::Inbox;
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "notifications/inbox")]
pub async fn load_inbox() -> Result<Inbox, AppError> {
    let user = crate::access::guard::require_user().await?;
    let pool = crate::state::pool()?;
    Ok(Inbox {
        items: super::data::inbox(&pool, user.id, 100).await?,
        unread: super::data::unread(&pool, user.id).await?,
        by_email: super::data::email_kinds(&pool, user.id).await?,
    })
}

/// Marks the notification read and goes to what it is about.
#[server(prefix = "/api", endpoint = "notifications/open")]
pub async fn open_notification(id: Uuid) -> Result<(), AppError> {
    let user = crate::access::guard::require_user().await?;
    let link = super::data::mark_read(&crate::state::pool()?, user.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    leptos_axum::redirect(&link);
    Ok(())
}

#[server(prefix = "/api", endpoint = "notifications/read_all")]
pub async fn mark_all_read() -> Result<(), AppError> {
    let user = crate::access::guard::require_user().await?;
    super::data::mark_all_read(&crate::state::pool()?, user.id).await?;
    Ok(())
}

/// Which notifications also come by email (checked boxes send "on").
#[server(prefix = "/api", endpoint = "notifications/preferences")]
pub async fn save_notification_preferences(
    mention: Option<String>,
    stage_move: Option<String>,
    interview: Option<String>,
) -> Result<(), AppError> {
    use super::Kind;

    let user = crate::access::guard::require_user().await?;
    let chosen: Vec<Kind> = [
        (Kind::Mention, mention),
        (Kind::StageMove, stage_move),
        (Kind::Interview, interview),
    ]
    .into_iter()
    .filter(|(_, value)| value.is_some())
    .map(|(kind, _)| kind)
    .collect();
    let mut tx = crate::state::pool()?.begin().await?;
    super::data::set_email_kinds(&mut tx, user.id, &chosen).await?;
    tx.commit().await?;
    leptos_axum::redirect("/notifications?saved=1");
    Ok(())
}
