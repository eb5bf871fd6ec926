//! Loading a page's data: the one shape every page uses.

use std::future::Future;

use leptos::prelude::*;

use super::errors::error_view;
use crate::error::AppError;

/// Fetches with `fetch` (a server function, called directly while rendering on the
/// server) and shows `render` of the result, or the error as a person should see it.
pub fn loaded<T, F, Fut, R, V>(fetch: F, render: R) -> impl IntoView
where
    T: Send + 'static,
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
    R: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                let (fetch, render) = (fetch.clone(), render.clone());
                Suspend::new(async move {
                    match fetch().await {
                        Ok(data) => render(data).into_any(),
                        Err(error) => error_view(error),
                    }
                })
            }}
        </Suspense>
    }
}
