//! How an error reaches a person: the right status code, a sentence they can act on,
//! and for an expired session, the sign-in page.

use leptos::prelude::*;

use crate::error::AppError;

/// Shown in place of a page's content when loading it failed.
pub fn error_view(error: AppError) -> AnyView {
    if error == AppError::Unauthenticated {
        redirect_to_sign_in();
        return view! { <p>"Your session has ended. " <a href="/login">"Sign in again"</a>"."</p> }
            .into_any();
    }
    set_status(error.status_code());
    // The tab says it too: a page that failed to load still has a title.
    let title = match error.status_code() {
        404 => "Not found",
        403 => "Not allowed",
        422 => "Cannot be done",
        _ => "Something went wrong",
    };
    view! {
        <leptos_meta::Title text=title/>
        <div class="alert" role="alert">
            <p>{error.to_string()}</p>
            <p><a href="/">"Back to the dashboard"</a></p>
        </div>
    }
    .into_any()
}

/// Sends the browser to the sign-in page, to come back here afterwards.
pub fn redirect_to_sign_in() {
    #[cfg(feature = "ssr")]
    {
        let here = crate::state::request_parts()
            .ok()
            .and_then(|parts| parts.uri.path_and_query().map(|pq| pq.to_string()))
            .unwrap_or_else(|| "/".to_string());
        let target = if here == "/" {
            "/login".to_string()
        } else {
            format!(
                "/login?next={}",
                crate::ui::query::encode_query_value(&here)
            )
        };
        redirect_page(&target);
    }
}

/// Answers the page request with a redirect (302), whatever the client accepts.
#[cfg(feature = "ssr")]
pub fn redirect_page(path: &str) {
    if let (Some(options), Ok(location)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(path),
    ) {
        options.set_status(http::StatusCode::FOUND);
        options.insert_header(http::header::LOCATION, location);
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! {
        <leptos_meta::Title text="Not found"/>
        <main class="standalone">
            <h1>"Page not found"</h1>
            <p>"The address may be mistyped, or the page was moved or removed."</p>
            <p><a href="/">"Go to the dashboard"</a></p>
        </main>
    }
}

/// Sets the HTTP status of the page being rendered (nothing to do in the browser).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    crate::state::set_status(code);
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}
