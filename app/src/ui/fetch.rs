//! The islands' one way to call a server function from the browser: a POST with a body
//! and an `Accept: application/json`, answered with the response, or `Err` when the
//! server could not be reached.

#![cfg(feature = "hydrate")]

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What a person reads when the server could not be reached.
pub const OFFLINE: &str = "Could not reach the server. Check your connection and try again.";

/// The network failed (offline, connection refused): nothing reached the server.
#[derive(Debug, Clone, Copy)]
pub struct Unreachable;

/// POSTs `body` (a string or `UrlSearchParams`) to `endpoint`, with `content_type` when
/// given (a `UrlSearchParams` body brings its own).
pub async fn post(
    endpoint: &str,
    body: &JsValue,
    content_type: Option<&str>,
) -> Result<web_sys::Response, Unreachable> {
    let window = web_sys::window().ok_or(Unreachable)?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(body);
    let headers = web_sys::Headers::new().map_err(|_| Unreachable)?;
    headers
        .set("Accept", "application/json")
        .map_err(|_| Unreachable)?;
    if let Some(content_type) = content_type {
        headers
            .set("Content-Type", content_type)
            .map_err(|_| Unreachable)?;
    }
    init.set_headers(&headers);
    JsFuture::from(window.fetch_with_str_and_init(endpoint, &init))
        .await
        .map_err(|_| Unreachable)?
        .dyn_into()
        .map_err(|_| Unreachable)
}

/// The response's body as text (empty when it cannot be read).
pub async fn text(response: &web_sys::Response) -> String {
    match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|value| value.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// The error a server function answered with, as a person should read it.
pub async fn app_error(response: &web_sys::Response) -> crate::error::AppError {
    crate::json::app_error(
        response.status(),
        &crate::json::parse(&text(response).await),
    )
}
