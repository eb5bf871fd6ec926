//! "Needs review": the organization's ended sessions whose record has some or major
//! concerns and no disposition yet, worst band first, then the most recent; filtered by
//! assessment and requisition. A hiring manager sees those of the requisitions they
//! manage; interviewers see nothing.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::PROCTORING_REVIEW_ROLES;
use crate::results::Band;
use crate::ui::{loaded, with_blank, SelectField, StaffPage, UrlQuery};

/// The most sessions the queue lists at once.
pub const LIMIT: i64 = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub session_id: Uuid,
    pub candidate_name: String,
    pub assessment_title: String,
    pub requisition_title: String,
    pub band: Band,
    /// In the viewer's time zone.
    pub finished: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewQueue {
    pub items: Vec<QueueItem>,
    /// Every undecided session's count, beyond [`LIMIT`] too.
    pub total: i64,
    /// The filters' choices: (id, title).
    pub assessments: Vec<(Uuid, String)>,
    pub requisitions: Vec<(Uuid, String)>,
}

/// The queue's filters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueFilter {
    /// An assessment's family (every version of it).
    pub assessment: Option<Uuid>,
    pub requisition: Option<Uuid>,
}

#[cfg(feature = "ssr")]
pub mod data {
    use chrono::{DateTime, Utc};
    use sqlx::PgPool;
    use uuid::Uuid;

    use super::{QueueFilter, QueueItem, ReviewQueue, LIMIT};
    use crate::access::guard::AuthUser;
    use crate::access::Role;
    use crate::results::Band;

    #[derive(sqlx::FromRow)]
    struct Row {
        session_id: Uuid,
        candidate_name: String,
        assessment_title: String,
        requisition_title: String,
        band: Band,
        finished_at: DateTime<Utc>,
        total: i64,
    }

    /// The sessions waiting for review: undecided, with concerns, of the organization `$1`
    /// and, when `$2` is a hiring manager, of the requisitions they manage.
    const FROM: &str = "FROM proctoring_reviews r
             JOIN test_sessions s ON s.id = r.session_id
             JOIN assessments a ON a.id = s.assessment_id
             JOIN job_requisitions j ON j.id = a.requisition_id
             JOIN assessment_applications aa ON aa.id = s.assessment_application_id
             JOIN candidates c ON c.id = aa.candidate_id
             WHERE r.org_id = $1 AND r.disposition IS NULL AND r.band <> 'no_concerns'
               AND ($2::uuid IS NULL OR j.hiring_manager_id = $2)";

    /// A hiring manager reviews the requisitions they manage; others, all.
    fn manager(user: &AuthUser) -> Option<Uuid> {
        (user.role == Role::HiringManager).then_some(user.id)
    }

    /// How many sessions wait for `user`'s review (the dashboard's count).
    pub async fn waiting(pool: &PgPool, user: &AuthUser) -> sqlx::Result<i64> {
        sqlx::query_scalar(&format!("SELECT count(*) {FROM}"))
            .bind(user.org_id)
            .bind(manager(user))
            .fetch_one(pool)
            .await
    }

    /// The undecided sessions `user` may review, by `filter`.
    pub async fn queue(
        pool: &PgPool,
        user: &AuthUser,
        filter: QueueFilter,
    ) -> sqlx::Result<ReviewQueue> {
        let manager = manager(user);
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT r.session_id, c.full_name AS candidate_name, a.title AS assessment_title,
                        j.title AS requisition_title, r.band, s.finished_at,
                        count(*) OVER () AS total
                 {FROM}
                   AND ($3::uuid IS NULL OR a.family_id = $3)
                   AND ($4::uuid IS NULL OR j.id = $4)
                 ORDER BY (r.band = 'major_concerns') DESC, s.finished_at DESC, r.session_id
                 LIMIT $5"
        ))
        .bind(user.org_id)
        .bind(manager)
        .bind(filter.assessment)
        .bind(filter.requisition)
        .bind(LIMIT)
        .fetch_all(pool)
        .await?;
        let assessments: Vec<(Uuid, String)> = sqlx::query_as(&format!(
            "SELECT DISTINCT ON (a.family_id) a.family_id, a.title {FROM}
             ORDER BY a.family_id, a.version DESC"
        ))
        .bind(user.org_id)
        .bind(manager)
        .fetch_all(pool)
        .await?;
        let requisitions: Vec<(Uuid, String)> =
            sqlx::query_as(&format!("SELECT DISTINCT j.id, j.title {FROM}"))
                .bind(user.org_id)
                .bind(manager)
                .fetch_all(pool)
                .await?;
        let zone = crate::ui::time::zone_or_utc(&user.time_zone);
        let total = rows.first().map_or(0, |r| r.total);
        let by_title = |mut list: Vec<(Uuid, String)>| {
            list.sort_by_key(|item| item.1.to_lowercase());
            list
        };
        Ok(ReviewQueue {
            total,
            items: rows
                .into_iter()
                .map(|row| QueueItem {
                    session_id: row.session_id,
                    candidate_name: row.candidate_name,
                    assessment_title: row.assessment_title,
                    requisition_title: row.requisition_title,
                    band: row.band,
                    finished: crate::ui::time::format_in_zone(&row.finished_at, zone),
                })
                .collect(),
            assessments: by_title(assessments),
            requisitions: by_title(requisitions),
        })
    }
}

fn filter_of(query: &UrlQuery) -> QueueFilter {
    QueueFilter {
        assessment: query.get("assessment").and_then(|id| id.parse().ok()),
        requisition: query.get("requisition").and_then(|id| id.parse().ok()),
    }
}

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let query = UrlQuery::current(&["assessment", "requisition"]);
    let filter = filter_of(&query);
    let fetch = move || super::review_queue(filter.assessment, filter.requisition);
    let render = move |queue| view! { <QueueView queue filter/> };
    view! {
        <StaffPage title="Needs review" roles=PROCTORING_REVIEW_ROLES>
            {loaded(fetch, render)}
        </StaffPage>
    }
}

#[component]
fn QueueView(queue: ReviewQueue, filter: QueueFilter) -> impl IntoView {
    let options = |list: Vec<(Uuid, String)>, any: &str| {
        with_blank(
            any,
            list.into_iter().map(|(id, title)| (id.to_string(), title)),
        )
    };
    let selected = |id: Option<Uuid>| id.map(|id| id.to_string()).unwrap_or_default();
    let shown = queue.items.len() as i64;
    view! {
        <h1>"Needs review"</h1>
        <p class="muted">"Sessions whose proctoring record has some or major concerns and no decision yet, worst first. These are signals, not proof of cheating: open a session, look at what was recorded, and decide."</p>
        <form method="get" action="/proctoring/review" class="filters" role="search" aria-label="Filter the sessions to review">
            <SelectField name="assessment" label="Assessment" options=options(queue.assessments, "Any assessment") selected=selected(filter.assessment)/>
            <SelectField name="requisition" label="Requisition" options=options(queue.requisitions, "Any requisition") selected=selected(filter.requisition)/>
            <button type="submit">"Filter"</button>
            <a href="/proctoring/review" class="button secondary">"Clear"</a>
        </form>
        {if queue.items.is_empty() {
            view! { <p>"Nothing needs review."</p> }.into_any()
        } else {
            view! {
                <p class="muted">{if queue.total > shown {
                    format!("The first {shown} of {} sessions.", queue.total)
                } else if shown == 1 {
                    "1 session.".to_string()
                } else {
                    format!("{shown} sessions.")
                }}</p>
                <table class="review-queue">
                    <thead><tr><th>"Candidate"</th><th>"Assessment"</th><th>"Requisition"</th><th>"Ended"</th><th>"Band"</th></tr></thead>
                    <tbody>
                        {queue.items.into_iter().map(|item| view! {
                            <tr>
                                <td><a href=super::review_url(item.session_id)>{item.candidate_name}</a></td>
                                <td>{item.assessment_title}</td>
                                <td>{item.requisition_title}</td>
                                <td>{item.finished}</td>
                                <td><span class=item.band.class()>{item.band.label()}</span></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}
