//! The HTTP surface: health probes, server functions, pages, static files, and the
//! layers every request passes (request metrics, request id and log, compression,
//! session with its records cached for a few seconds, client address, cross-site
//! refusal). Before it is ready, the public listener answers with `startup.rs`.

use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;

use app::auth::AuthConfig;
use app::error::AppError;
use app::files::store::FileStore;
use app::pipeline::cache::BoardCache;
use app::state::AppState;
use app::ui::form::ErrorSeal;
use app::{shell, App};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_sessions::cookie::{time::Duration, SameSite};
use tower_sessions::{CachingSessionStore, Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;
use tracing::Level;

use crate::db_check::DbTrouble;
use crate::middleware::{refuse_cross_site, request_context, RequestContextConfig};

/// The session cookie's name over plain HTTP (development, tests).
pub const SESSION_COOKIE: &str = "are_session";
/// Its name when cookies are secure: browsers accept a `__Host-` cookie only when it is
/// `Secure`, has `Path=/` and no `Domain`, so no sibling subdomain can set or shadow it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-are_session";
const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// How long `/readyz` waits for the database.
const READY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// The router over `state`. Each request's Leptos context gets the state and the values
/// domains keep for the whole process: sign-in's (`auth`), the store of files' bytes, the
/// rendered boards and the key that signs failed forms' messages (`seal`).
pub fn build(
    state: AppState,
    auth: AuthConfig,
    files: FileStore,
    seal: ErrorSeal,
    options: LeptosOptions,
    trust_proxy: bool,
) -> Router {
    let boards = Arc::new(BoardCache::default());
    let provide_state = {
        let state = state.clone();
        let files = files.clone();
        let seal = seal.clone();
        move || {
            provide_context(state.clone());
            provide_context(auth.clone());
            provide_context(files.clone());
            provide_context(boards.clone());
            provide_context(seal.clone());
        }
    };
    let render_shell = {
        let options = options.clone();
        move || shell(options.clone())
    };

    // Ready while the database answers within a few seconds, and while it is only busy:
    // a check out of time with every connection in use means queries queue, and taking
    // every instance out of the load balancer at once would make that an outage (see
    // `db_check`). An error, or no answer with room in the pool, is not ready.
    let pool = state.pool.clone();
    let readyz = move || {
        let pool = pool.clone();
        async move {
            let checked = crate::db_check::check(pool, READY_TIMEOUT, "readyz", |mut db| {
                Box::pin(async move { sqlx::query("SELECT 1").execute(&mut *db).await })
            })
            .await;
            match checked.outcome {
                Ok(_) => (StatusCode::OK, "ready"),
                Err(DbTrouble::Busy) => (StatusCode::OK, "ready (busy)"),
                Err(DbTrouble::Down) => (StatusCode::SERVICE_UNAVAILABLE, "database unreachable"),
            }
        }
    };

    let routes = generate_route_list(App);
    let site_root = Path::new(options.site_root.as_ref()).to_path_buf();
    let hashed_assets = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        .service(ServeDir::new(site_root.join(options.site_pkg_dir.as_ref())));
    let not_found_page =
        leptos_axum::render_app_async_with_context(provide_state.clone(), render_shell.clone());
    let other_files = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=3600"),
        ))
        .service(ServeDir::new(&site_root).fallback(tower::service_fn(
            move |req: Request<Body>| {
                let render = not_found_page.clone();
                async move { Ok::<_, Infallible>(render(req).await) }
            },
        )));

    let store = CachingSessionStore::new(
        crate::session_cache::SessionCache::default(),
        PostgresStore::new(state.pool.clone()),
    );
    let sessions = SessionManagerLayer::new(store)
        .with_name(if state.settings.secure_cookies {
            SECURE_SESSION_COOKIE
        } else {
            SESSION_COOKIE
        })
        .with_path("/")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.settings.secure_cookies)
        .with_expiry(Expiry::OnInactivity(Duration::minutes(
            app::access::session::IDLE_TIMEOUT_SECS / 60,
        )));

    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &Request<Body>| {
            let id = req
                .headers()
                .get(&REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            let path = app::tokens::redact_path(req.uri().path());
            tracing::info_span!("request", id, method = %req.method(), path = %path)
        })
        .on_response(DefaultOnResponse::new().level(Level::INFO));

    // A download rather than a page: the candidate list as CSV, behind the same guard.
    let export_state = state.clone();
    let export =
        move |req: Request<Body>| app::candidates::export::export_route(export_state.clone(), req);

    let results_state = state.clone();
    let results_csv = move |id, req: Request<Body>| {
        app::assessments::export::results_csv_route(results_state.clone(), id, req)
    };

    // A question set as a JSON file, behind the same guard.
    let question_export_state = state.clone();
    let question_export = move |req: Request<Body>| {
        app::questions::transfer::export_route(question_export_state.clone(), req)
    };

    // The test page's webcam snapshots (the JPEG is the body), and their bytes for
    // reviewers.
    let (upload_state, upload_files) = (state.clone(), files.clone());
    let snapshot_upload = move |req: Request<Body>| {
        app::proctoring::snapshot_route(upload_state.clone(), upload_files.clone(), req)
    };
    let (snapshot_state, snapshot_files) = (state.clone(), files.clone());
    let snapshot = move |id, req: Request<Body>| {
        app::proctoring::review::snapshot_route(
            snapshot_state.clone(),
            snapshot_files.clone(),
            id,
            req,
        )
    };

    // A candidate's document, for the staff who see their documents.
    let (document_state, document_files) = (state.clone(), files.clone());
    let document_file = move |id, req: Request<Body>| {
        app::documents::file_route(document_state.clone(), document_files.clone(), id, req)
    };

    // The careers page's application form: multipart with a résumé of up to 10 MB.
    let (apply_state, apply_files, apply_seal) = (state.clone(), files.clone(), seal.clone());
    let apply = move |path, req: Request<Body>| {
        app::careers::route::apply_route(
            apply_state.clone(),
            apply_files.clone(),
            apply_seal.clone(),
            path,
            req,
        )
    };

    let (export_state, export_files) = (state.clone(), files);
    let record_export = move |id, req: Request<Body>| {
        app::proctoring::export::export_route(export_state.clone(), export_files.clone(), id, req)
    };

    // leptos_routes_with_context also mounts every server function under /api.
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route(app::candidates::export::EXPORT_PATH, get(export))
        .route(app::assessments::export::RESULTS_CSV_PATH, get(results_csv))
        .route(app::questions::transfer::EXPORT_ROUTE, get(question_export))
        .route(
            app::proctoring::SNAPSHOT_PATH,
            axum::routing::post(snapshot_upload),
        )
        .route(
            &format!("{}/{{id}}", app::proctoring::review::SNAPSHOTS_PATH),
            get(snapshot),
        )
        .route("/proctoring/sessions/{id}/export", get(record_export))
        .route(
            &format!("{}/{{id}}/file", app::documents::FILE_PATH),
            get(document_file),
        )
        .route(
            "/careers/{slug}/jobs/{id}/apply",
            axum::routing::post(apply),
        )
        .leptos_routes_with_context(&options, routes, provide_state, render_shell)
        .nest_service("/pkg", hashed_assets)
        .fallback_service(other_files)
        .layer(axum::middleware::from_fn(error_status))
        .layer(axum::middleware::from_fn(valid_html))
        .layer(from_fn_with_state(seal, seal_form_errors))
        .layer(axum::middleware::from_fn(limit_save_body))
        .layer(from_fn_with_state(
            state.settings.public_url.clone(),
            refuse_cross_site,
        ))
        .layer(from_fn_with_state(
            RequestContextConfig { trust_proxy },
            request_context,
        ))
        .layer(sessions)
        .layer(CompressionLayer::new())
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(trace)
                .layer(PropagateRequestIdLayer::new(REQUEST_ID)),
        )
        .layer(axum::middleware::from_fn(crate::metrics::track_requests))
        .with_state(options)
}

/// Every page as valid HTML (`crate::html::normalize`: the framework's empty comments,
/// trailing scripts and nonce-valued `crossorigin`, mended with the same document).
async fn valid_html(req: Request<Body>, next: axum::middleware::Next) -> Response {
    let response = next.run(req).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    // A download (a proctoring record saved as a page) leaves as it was made.
    let is_download = response.headers().contains_key(header::CONTENT_DISPOSITION);
    if !is_html || is_download {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        tracing::error!("a page's body could not be read");
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    };
    let body = match std::str::from_utf8(&bytes).map(crate::html::normalize) {
        Ok(std::borrow::Cow::Owned(page)) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            Body::from(page)
        }
        _ => Body::from(bytes),
    };
    Response::from_parts(parts, body)
}

/// Server functions answer every error with 500; give each `AppError` its own status
/// (401, 403, 404, 409, 422, 429) so clients and logs can tell a mistake from a fault.
/// A plain form post is answered with a redirect and is left as it is.
async fn error_status(req: Request<Body>, next: axum::middleware::Next) -> Response {
    let response = next.run(req).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response
            .headers()
            .contains_key(server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A plain form post to a server function that failed is redirected back to its page
/// with the message in the URL; sign it there, so the page shows it (and no message a
/// link was crafted with: see `ErrorSeal`).
async fn seal_form_errors(
    State(seal): State<ErrorSeal>,
    req: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(req).await;
    let headers = response.headers();
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let (Some(path), Some(location)) = (
        text(server_fn::error::SERVER_FN_ERROR_HEADER),
        text(header::LOCATION.as_str()),
    ) else {
        return response;
    };
    if !response.status().is_redirection() {
        return response;
    }
    let (path, location) = (path.to_string(), location.to_string());
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let sealed = seal.seal_location(&location, &path, &bytes, chrono::Utc::now().timestamp());
    match HeaderValue::from_str(&sealed) {
        Ok(value) => {
            parts.headers.insert(header::LOCATION, value);
        }
        Err(_) => {
            parts.headers.remove(header::LOCATION);
            parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The most bytes an answer's save may send: the longest text answer with every byte
/// escaped in JSON (`\u0000` is six), and room for the rest.
const MAX_SAVE_BODY: usize = 6 * app::questions::model::MAX_TEXT_ANSWER + 16 * 1024;

/// Refuses an answer's save larger than any real one without keeping more of it (the
/// other server functions keep axum's limit of 2 MB); the page shows the message.
async fn limit_save_body(req: Request<Body>, next: axum::middleware::Next) -> Response {
    use server_fn::ServerFn;
    if req.uri().path() != app::candidate_test::SaveAnswer::PATH {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    match axum::body::to_bytes(body, MAX_SAVE_BODY).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(_) => {
            let error = AppError::invalid(app::questions::model::TOO_LONG);
            let body = serde_json::to_vec(&error).unwrap_or_default();
            Response::builder()
                .status(StatusCode::UNPROCESSABLE_ENTITY)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body))
                .unwrap_or_default()
        }
    }
}
