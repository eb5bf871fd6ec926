//! Request-level plumbing in front of the app: the client's address, the per-request
//! auth cache, and the refusal of cross-site writes.

use std::net::SocketAddr;

use app::access::guard::AuthCache;
use app::state::ClientIp;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

#[derive(Clone)]
pub struct RequestContextConfig {
    pub trust_proxy: bool,
}

/// Adds the client address and an empty auth cache to the request.
pub async fn request_context(
    State(config): State<RequestContextConfig>,
    mut req: Request,
    next: Next,
) -> Response {
    let forwarded = config
        .trust_proxy
        .then(|| {
            req.headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(address_added_by_proxy)
        })
        .flatten();
    let ip = forwarded
        .or_else(|| {
            req.extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|info| info.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    req.extensions_mut().insert(ClientIp(ip));
    req.extensions_mut().insert(AuthCache::default());
    next.run(req).await
}

/// The client address that the one proxy in front of ARE appended to `X-Forwarded-For`:
/// the rightmost entry. Entries to its left came with the request, so the client chose
/// them.
fn address_added_by_proxy(forwarded_for: &str) -> Option<String> {
    let last = forwarded_for.rsplit(',').next()?.trim();
    last.parse::<std::net::IpAddr>()
        .ok()
        .map(|ip| ip.to_string())
}

/// Refuses a state-changing request that a browser sent from another site.
///
/// Browsers label requests with `Sec-Fetch-Site`; older ones send `Origin`. A request with
/// neither did not come from a web page, so it cannot carry a victim's cookies by surprise.
pub async fn refuse_cross_site(
    State(public_url): State<String>,
    req: Request,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let same_site = match fetch_site {
        Some(site) => site == "same-origin" || site == "none",
        None => match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            Some(origin) => {
                let host = headers
                    .get(header::HOST)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                origin == public_url
                    || origin
                        .strip_prefix("http://")
                        .or_else(|| origin.strip_prefix("https://"))
                        == Some(host)
            }
            None => true,
        },
    };
    if same_site {
        next.run(req).await
    } else {
        let path = app::tokens::redact_path(req.uri().path());
        tracing::warn!(method = %req.method(), path = %path, "cross-site request refused");
        (
            StatusCode::FORBIDDEN,
            "Cross-site requests are not accepted.",
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_is_the_one_the_proxy_appended_not_one_the_client_sent() {
        assert_eq!(
            address_added_by_proxy("6.6.6.6, 198.51.100.7").as_deref(),
            Some("198.51.100.7")
        );
        assert_eq!(
            address_added_by_proxy("198.51.100.7").as_deref(),
            Some("198.51.100.7")
        );
        assert_eq!(
            address_added_by_proxy("1.1.1.1,2001:db8::1").as_deref(),
            Some("2001:db8::1")
        );
        assert_eq!(address_added_by_proxy("1.1.1.1, not-an-address"), None);
        assert_eq!(address_added_by_proxy(""), None);
    }
}
