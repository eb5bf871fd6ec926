//! The busiest reads make few round trips to PostgreSQL: the pipeline board (filtered
//! or not) and a page of 50 candidates each take at most 3 queries of their own,
//! besides the session lookup and the signed-in user's row that every request pays for.
//! Counted from sqlx's own per-statement events, on the benchmark organization made
//! small.

use std::sync::{Arc, Mutex};

use crate::support::{Client, World};
use app::candidates::ListCandidates;
use app::pipeline::LoadBoard;
use are::generate::{generate, Sizes, BENCH_PASSWORD};
use axum::http::StatusCode;
use sqlx::PgPool;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;
use uuid::Uuid;

/// Collects the SQL of every statement sqlx runs on this thread.
#[derive(Clone, Default)]
struct Statements(Arc<Mutex<Vec<String>>>);

struct Text(String);

impl Visit for Text {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl<S: tracing::Subscriber> Layer<S> for Statements {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            let mut text = Text(String::new());
            event.record(&mut text);
            self.0.lock().unwrap().push(text.0);
        }
    }
}

/// The statements a request ran, split into what every request pays (session store,
/// the signed-in user) and the endpoint's own.
struct Counted {
    shared: usize,
    own: Vec<String>,
    body: String,
}

async fn counted<F: std::future::Future<Output = crate::support::TestResponse>>(
    request: F,
) -> Counted {
    let statements = Statements::default();
    let subscriber = tracing_subscriber::registry().with(statements.clone());
    // #[sqlx::test] runs on one thread, so a thread-local subscriber sees every query.
    let guard = tracing::subscriber::set_default(subscriber);
    let response = request.await;
    drop(guard);
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let all = statements.0.lock().unwrap().clone();
    let (shared, own): (Vec<_>, Vec<_>) = all
        .into_iter()
        .partition(|sql| sql.contains("tower_sessions") || sql.contains("unread_notifications"));
    Counted {
        shared: shared.len(),
        own,
        body: response.body,
    }
}

async fn bench_world(pool: &PgPool) -> (World, Client, Uuid) {
    let world = World::init(pool.clone()).await;
    let sizes = Sizes {
        candidates: 300,
        requisitions: 4,
        applications: 240,
    };
    generate(&world.pool, &world.auth.hasher, sizes)
        .await
        .unwrap();
    let mut client = world.client();
    let response = client
        .sign_in("recruiter@bench.example", BENCH_PASSWORD)
        .await;
    assert_eq!(response.status, StatusCode::OK);
    // The requisition with the most applications.
    let requisition: Uuid = sqlx::query_scalar(
        "SELECT requisition_id FROM applications GROUP BY requisition_id ORDER BY count(*) DESC LIMIT 1",
    )
    .fetch_one(&world.pool)
    .await
    .unwrap();
    (world, client, requisition)
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_board_takes_three_queries(pool: PgPool) {
    let (_app, mut client, requisition) = bench_world(&pool).await;
    let id = requisition.to_string();
    let api = counted(client.call(LoadBoard {
        requisition_id: requisition,
    }))
    .await;
    assert!(
        api.own.len() <= 3,
        "{} queries: {:#?}",
        api.own.len(),
        api.own
    );
    assert!(api.shared <= 2, "{} shared queries", api.shared);
    let page = counted(client.get(&format!("/requisitions/{id}/pipeline"))).await;
    assert!(
        page.own.len() <= 3,
        "{} queries: {:#?}",
        page.own.len(),
        page.own
    );
    // Filtered, the cards are read and rendered for the one view, in no more queries.
    let filtered = counted(client.get(&format!(
        "/requisitions/{id}/pipeline?tag=senior&result=none"
    )))
    .await;
    assert!(
        filtered.own.len() <= 3,
        "{} queries: {:#?}",
        filtered.own.len(),
        filtered.own
    );
    assert!(filtered.body.contains("Showing "), "{}", filtered.body);
    let cards: i64 =
        sqlx::query_scalar("SELECT count(*) FROM applications WHERE requisition_id = $1")
            .bind(requisition)
            .fetch_one(&pool)
            .await
            .unwrap();
    // A card links its application, and (in an active stage) its scheduling form.
    let application_links = page.body.matches("href=\"/applications/").count()
        - page.body.matches("#schedule\"").count();
    assert_eq!(application_links as i64, cards);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_page_of_candidates_takes_at_most_three_queries(pool: PgPool) {
    let (_app, mut client, _) = bench_world(&pool).await;
    let list = counted(client.call(ListCandidates {
        text: None,
        tags: None,
        skill: None,
        source: None,
        sort: None,
        after: None,
    }))
    .await;
    assert!(
        list.own.len() <= 3,
        "{} queries: {:#?}",
        list.own.len(),
        list.own
    );
    let searched = counted(client.call(ListCandidates {
        text: Some("garcia".into()),
        tags: Some("senior".into()),
        skill: None,
        source: None,
        sort: None,
        after: None,
    }))
    .await;
    assert!(searched.own.len() <= 3, "{:#?}", searched.own);
    let page = counted(client.get("/candidates?sort=name")).await;
    assert!(
        page.own.len() <= 3,
        "{} queries: {:#?}",
        page.own.len(),
        page.own
    );
    let rows = page.body.matches("<tr").count();
    assert_eq!(rows, 51, "a header row and 50 candidates");
}
