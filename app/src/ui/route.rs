//! The route's own parameters (`/requisitions/:id`), as the pages read them.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::error::AppError;

/// A route whose `:id` is not a Uuid: it names nothing, so the page does not exist.
/// (`Copy`, unlike `AppError`, so that the page's fetch closure stays `Copy` too.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoSuchId;

impl From<NoSuchId> for AppError {
    fn from(_: NoSuchId) -> Self {
        AppError::NotFound
    }
}

/// The route's `:id`.
pub fn id_param() -> Result<Uuid, NoSuchId> {
    use_params_map()
        .with_untracked(|p| p.get("id").and_then(|id| id.parse().ok()))
        .ok_or(NoSuchId)
}
