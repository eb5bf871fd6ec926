//! One session's record as a self-contained HTML page: the timeline, every event in
//! words and the snapshots, with its own styles and the images inside it, so a reviewer
//! can send it to the candidate who asks what was recorded about them. Exporting is
//! audited.

use base64::Engine;
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;
use sqlx::PgPool;
use uuid::Uuid;

use super::timeline::{layout, Range, SeverityFilter, TimelineSvg};
use super::view::offset_label;
use super::SessionReview;
use crate::access::guard::AuthUser;
use crate::audit::data::{record, NewAuditEntry};
use crate::error::AppError;
use crate::files::store::FileStore;
use crate::ui::download::FileReply;

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
.muted{color:#57606a}.band{padding:.1rem .5rem;border-radius:.8rem;background:#eef}
svg.timeline{width:100%;height:14rem;border:1px solid #d0d7de}
.lane{stroke:#eaeef2}.lane-label,.tick-label{font-size:11px;fill:#57606a}.axis,.tick{stroke:#57606a}
.gap{fill:#d0d7de;opacity:.6}.save{stroke:#2da44e;stroke-width:2}
.dot.high{fill:#cf222e}.dot.medium{fill:#bc4c00}.dot.low{fill:#9a6700}.dot.info{fill:#0969da}
ol{padding-left:1.2rem}li{margin:.3rem 0}img.snapshot{display:block;margin:.3rem 0;border:1px solid #d0d7de}";

/// The page for `review`, whose snapshots' URLs are replaced by the images themselves.
pub fn document(review: SessionReview, org_name: &str, exported_on: &str) -> String {
    let length = review.length_ms;
    let range = Range::parse(None, None, length);
    let record = review.record;
    let timeline = layout(
        &record.entries,
        &review.saves,
        range,
        SeverityFilter::default(),
    );
    let heading = format!(
        "What was recorded: {} · {}",
        review.candidate_name, review.assessment_title
    );
    let body = view! {
        <main>
            <h1>{heading.clone()}</h1>
            <p class="muted">{format!("{org_name} · test started {} · exported {exported_on}", review.started)}</p>
            <p>"What follows is everything the test page recorded during this session besides the answers. These are signals, not proof of cheating: a person reviews them and decides what they mean."</p>
            {(!review.accommodation.is_none()).then(|| view! { <p>{review.accommodation.summary()}</p> })}
            <p><span class="band">{record.assessment.band.label()}</span></p>
            <ul>
                {record.assessment.reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                {record.assessment.gaps.map(|g| view! { <li class="muted">{g}</li> })}
            </ul>
            {record.decision.map(|d| view! {
                <p>{format!("Decision: {} — {} ({}, {})", d.disposition.label(), d.reason, d.decided_by, d.decided_at)}</p>
            })}
            {record.purged_on.map(|on| view! {
                <p class="muted">{format!("Snapshots and the events' particulars were deleted on {on}, as the organization's retention period requires.")}</p>
            })}
            <h2>"Timeline"</h2>
            <TimelineSvg layout=timeline/>
            <h2>"Events"</h2>
            <ol>
                {record.entries.into_iter().map(|entry| {
                    let at = offset_label(entry.offset_ms);
                    view! {
                        <li>
                            {format!("{at} · {} · {}", entry.severity.label(), entry.text)}
                            {entry.snapshot_url.map(|src| view! { <img class="snapshot" src=src alt=format!("Webcam snapshot at {at}") width="320"/> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </main>
    }
    .to_html();
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>{body}</body></html>",
        html_escape(&heading)
    )
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The export of session `session_id`, which `user` may review.
pub async fn export(
    pool: &PgPool,
    files: &FileStore,
    user: &AuthUser,
    session_id: Uuid,
) -> Result<FileReply, AppError> {
    let mut review = super::review::review(pool, user, session_id).await?;
    // Each snapshot's bytes, read behind the same guard, inline as a data URL.
    for entry in &mut review.record.entries {
        let Some(file_id) = entry.file_id else {
            continue;
        };
        let Some(file) = crate::files::data::find(pool, user.org_id, file_id).await? else {
            entry.snapshot_url = None;
            continue;
        };
        let bytes = crate::files::service::read(files, &file).await?;
        entry.snapshot_url = Some(format!(
            "data:{};base64,{}",
            file.content_type,
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ));
    }
    let org_name: String = sqlx::query_scalar("SELECT name FROM organizations WHERE id = $1")
        .bind(user.org_id)
        .fetch_one(pool)
        .await?;
    let now = chrono::Utc::now();
    let name = format!(
        "proctoring-record-{}-{}.html",
        session_id.simple(),
        now.format("%Y-%m-%d")
    );
    let snapshots = review
        .record
        .entries
        .iter()
        .filter(|e| e.snapshot_url.is_some())
        .count();
    let html = document(review, &org_name, &now.format("%-d %B %Y").to_string());
    let mut tx = pool.begin().await?;
    record(
        &mut *tx,
        NewAuditEntry::by(user, "proctoring.exported")
            .target("test_session", session_id)
            .details(serde_json::json!({ "snapshots": snapshots })),
    )
    .await?;
    tx.commit().await?;
    Ok(FileReply {
        name,
        content_type: "text/html; charset=utf-8".into(),
        inline: false,
        bytes: html.into_bytes(),
    })
}

/// The route of [`super::review_export_url`].
pub async fn export_route(
    state: crate::state::AppState,
    files: FileStore,
    axum::extract::Path(session_id): axum::extract::Path<Uuid>,
    req: axum::extract::Request,
) -> axum::response::Response {
    super::review::reviewer_route(state, req, |pool, user| async move {
        export(&pool, &files, &user, session_id).await
    })
    .await
}
