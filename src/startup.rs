//! What the public listener answers from the moment it binds, before the app is ready:
//! `/healthz` (the process lives), `/readyz` 503 with what it is doing (`migrating`,
//! `starting`), anything else 503 with `Retry-After`. Once the migrations, the demo data
//! and the workers are done, `ready` hands it the app and it passes every request on
//! (the app's own `/readyz` then checks the database).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use tower::ServiceExt;

use crate::metrics::{behind_token, Metrics, MetricsToken};

/// Where start-up is; shared by the start-up sequence and the public listener.
#[derive(Clone, Default)]
pub struct Startup {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    migrating: AtomicBool,
    app: OnceLock<Router>,
}

impl Startup {
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks the migrations as running (`true`) or finished.
    pub fn set_migrating(&self, migrating: bool) {
        self.inner.migrating.store(migrating, Ordering::SeqCst);
    }

    /// The app is ready: every request goes to it from now on.
    pub fn ready(&self, app: Router) {
        let _ = self.inner.app.set(app);
    }

    /// The app, or what start-up is doing.
    fn app(&self) -> Result<&Router, &'static str> {
        match self.inner.app.get() {
            Some(app) => Ok(app),
            None if self.inner.migrating.load(Ordering::SeqCst) => Err("migrating"),
            None => Err("starting"),
        }
    }
}

/// The public listener's router. `/metrics` is served here only with a token (and then
/// only to requests bearing it); without one the path is the app's, which has no such
/// page (404).
pub fn public_router(startup: Startup, metrics: Option<(Metrics, MetricsToken)>) -> Router {
    let gate = move |req: Request<Body>| {
        let startup = startup.clone();
        async move {
            match startup.app() {
                Ok(app) => app.clone().oneshot(req).await.into_response(),
                Err(_) if req.uri().path() == "/healthz" => "ok".into_response(),
                Err(doing) => (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(header::RETRY_AFTER, "5")],
                    doing,
                )
                    .into_response(),
            }
        }
    };
    let router = Router::new().fallback(gate);
    match metrics {
        Some((metrics, token)) => router.merge(behind_token(metrics, token)),
        None => router,
    }
}
