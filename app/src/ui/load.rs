//! Loading a page's data: the one shape every page uses.

use std::future::Future;

use leptos::prelude::*;

use super::errors::error_view;
use crate::error::AppError;

/// Fetches with `fetch` (a server function, called directly while rendering on the
/// server) and shows `render` of the result, or the error as a person should see it.
///
/// Rendering on the server walks the view twice (a dry run that polls every `Suspend`
/// once, then the real render) and calls the closure below each time; the one shared
/// fetch keeps that to one run of the server function, so one set of queries.
pub fn loaded<T, F, Fut, R, V>(fetch: F, render: R) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
    R: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    use futures::FutureExt;
    use leptos::reactive::computed::ScopedFuture;

    let data = ScopedFuture::new(fetch()).shared();
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
