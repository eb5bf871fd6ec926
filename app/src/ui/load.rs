//! Loading a page's data: the one shape every page uses.

use std::future::Future;

use futures::future::{FutureExt, Shared};
use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;

use super::errors::error_view;
use crate::error::AppError;

/// A server function's future that every `Suspend` of the page can await: created once,
/// outside the view's closures.
///
/// Rendering on the server walks the view twice (a dry run that polls every `Suspend`
/// once, then the real render) and calls the closures inside `<Suspense>` each time. A
/// future made inside them runs twice, and the dry run's copy is dropped in the middle
/// of its query, which costs sqlx that database connection (a new one per page view).
/// One shared future runs once and is never cut short.
pub fn once<T, Fut>(fetch: Fut) -> Shared<ScopedFuture<Fut>>
where
    T: Clone,
    Fut: Future<Output = T>,
{
    ScopedFuture::new(fetch).shared()
}

/// Fetches with `fetch` (a server function, called directly while rendering on the
/// server) and shows `render` of the result, or the error as a person should see it.
pub fn loaded<T, F, Fut, R, V>(fetch: F, render: R) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
    R: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let data = once(fetch());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                let (data, render) = (data.clone(), render.clone());
                Suspend::new(async move {
                    match data.await {
                        Ok(data) => render(data).into_any(),
                        Err(error) => error_view(error),
                    }
                })
            }}
        </Suspense>
    }
}
