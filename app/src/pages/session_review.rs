//! A session's proctoring review, `/proctoring/sessions/:id`: the band with its reasons,
//! the timeline (zoomed and filtered by the query string), the snapshot viewer, the
//! events in words, the export, and the disposition form, whose "retake offered" is an
//! assessment's invite (`assessments::DecideProctoring`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::access::PROCTORING_REVIEW_ROLES;
use crate::assessments::DecideProctoring;
use crate::proctoring::timeline::{layout, Range, SeverityFilter, TimelineSvg};
use crate::proctoring::view::{offset_label, RecordView};
use crate::proctoring::viewer::{Shot, SnapshotViewer};
use crate::proctoring::{load_review, SessionReview, Severity};
use crate::results::Disposition;
use crate::ui::form::error_from_query;
use crate::ui::{id_param, loaded, ServerForm, StaffPage, TextArea};

/// The query a review page was opened with: the range (seconds) and the severities.
#[derive(Debug, Clone, Default, PartialEq)]
struct View {
    from: Option<String>,
    to: Option<String>,
    severities: Vec<String>,
}

#[component]
pub fn SessionReviewPage() -> impl IntoView {
    let id = id_param();
    let view_query = use_query_map().with_untracked(|q| View {
        from: q.get("from"),
        to: q.get("to"),
        severities: q.get_all("severity").unwrap_or_default(),
    });
    let error = error_from_query(DecideProctoring::PATH);
    let fetch = move || async move { load_review(id?).await };
    let render =
        move |review| view! { <ReviewView review query=view_query.clone() error=error.clone()/> };
    view! {
        <StaffPage title="" roles=PROCTORING_REVIEW_ROLES>
            {loaded(fetch, render.clone())}
        </StaffPage>
    }
}

#[component]
fn ReviewView(review: SessionReview, query: View, error: Option<String>) -> impl IntoView {
    let id = review.session_id;
    let path = crate::proctoring::review_url(id);
    let range = Range::parse(query.from.as_deref(), query.to.as_deref(), review.length_ms);
    let filter = SeverityFilter::parse(query.severities.iter().map(String::as_str));
    let whole = range == Range::parse(None, None, review.length_ms);
    let narrowed = !whole || filter != SeverityFilter::default();
    let filter_query = filter.query();
    let zoom_href = {
        let (path, filter_query) = (path.clone(), filter_query.clone());
        Callback::new(move |(from, to): (f64, f64)| {
            format!("{path}?from={from}&to={to}{filter_query}")
        })
    };
    let timeline = layout(&review.record.entries, &review.saves, range, filter);
    let shots: Vec<Shot> = review
        .record
        .entries
        .iter()
        .filter(|e| range.contains(e.offset_ms))
        .filter_map(|e| {
            e.snapshot_url.clone().map(|url| Shot {
                url,
                label: format!("Webcam snapshot at {}", offset_label(e.offset_ms)),
            })
        })
        .collect();
    let mut record = review.record.clone();
    // The decision has its own section above.
    record.decision = None;
    record.entries.retain(|e| {
        range.contains(e.offset_ms)
            && (filter.shows(e.severity) || e.kind == crate::proctoring::EventKind::MonitoringGap)
    });
    let heading = format!("Proctoring review: {}", review.candidate_name);
    let accommodation = review.accommodation.summary();
    let range_words = format!(
        "Showing {} to {}{}.",
        offset_label(range.from_ms),
        offset_label(range.to_ms),
        if filter == SeverityFilter::default() {
            String::new()
        } else {
            ", some severities hidden".to_string()
        }
    );
    view! {
        <Title text=heading.clone()/>
        <div class="page-head">
            <h1>{heading}</h1>
            <a class="button secondary" href=crate::proctoring::review_export_url(id) download="">"Export the record"</a>
        </div>
        <p class="muted">{format!("{} · {} · started {} · {}", review.assessment_title, review.requisition_title, review.started, review.status.label())}</p>
        {(!accommodation.is_empty()).then(|| view! { <p class="accommodation">{accommodation}</p> })}
        <p><a href=format!("/assessments/sessions/{id}")>"Answers and grading"</a></p>
        <Decision review=review.clone() error/>
        <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">"Timeline"</h2>
            <form method="get" action=path.clone() class="filters" aria-label="Zoom and filter the timeline">
                <div class="field">
                    <label for="timeline-from">"From (seconds after the start)"</label>
                    <input id="timeline-from" name="from" type="number" min="0" value=(range.from_ms / 1000).to_string()/>
                </div>
                <div class="field">
                    <label for="timeline-to">"To (seconds)"</label>
                    <input id="timeline-to" name="to" type="number" min="0" value=(range.to_ms / 1000).to_string()/>
                </div>
                <fieldset class="checkbox-group">
                    <legend>"Severities"</legend>
                    {SeverityFilter::ALL.into_iter().map(|severity: Severity| {
                        let name = severity.as_str();
                        let box_id = format!("severity-{name}");
                        let for_id = box_id.clone();
                        view! {
                            <label class="checkbox" for=for_id>
                                <input type="checkbox" id=box_id name="severity" value=name checked=filter.shows(severity)/>
                                " "{severity.label()}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit">"Show"</button>
                {(!whole).then(|| view! { <a class="button secondary" href=format!("{path}?{}", filter_query.trim_start_matches('&'))>"Whole session"</a> })}
            </form>
            <p class="muted">{range_words}" Grey bands are monitoring gaps: the page could not be seen then, which is not a violation by itself. Click a quarter of the strip above the timeline to zoom into it."</p>
            <TimelineSvg layout=timeline zoom_href=zoom_href/>
        </section>
        {(!shots.is_empty()).then(|| view! {
            <section aria-labelledby="snapshots-heading">
                <h2 id="snapshots-heading">"Snapshots"</h2>
                <SnapshotViewer shots/>
            </section>
        })}
        <RecordView record filtered=narrowed/>
    }
}

/// The disposition: the one made, and the form to make or change it.
#[component]
fn Decision(review: SessionReview, error: Option<String>) -> impl IntoView {
    let choices: Vec<Disposition> = Disposition::ALL
        .into_iter()
        .filter(|d| *d != Disposition::RetakeOffered || review.can_offer_retake)
        .collect();
    let current = review.record.decision.as_ref().map(|d| d.disposition);
    view! {
        <section class="decision" aria-labelledby="decision-heading">
            <h2 id="decision-heading">"Decision"</h2>
            {match review.record.decision.clone() {
                Some(d) => view! {
                    <p>
                        <span class=d.disposition.class()>{d.disposition.label()}</span>
                        {format!(" by {} on {}: {}", d.decided_by, d.decided_at, d.reason)}
                    </p>
                }.into_any(),
                None => view! { <p class="muted">"No decision yet."</p> }.into_any(),
            }}
            {if review.status != crate::results::SessionStatus::InProgress {
                view! {
                    <ServerForm action=DecideProctoring::url() submit_label="Record the decision" busy_label="Saving…">
                        <input type="hidden" name="session_id" value=review.session_id.to_string()/>
                        <fieldset class="checkbox-group">
                            <legend>"Disposition"</legend>
                            {choices.into_iter().map(|d| {
                                let box_id = format!("disposition-{}", d.as_str());
                                let for_id = box_id.clone();
                                view! {
                                    <label class="checkbox" for=for_id>
                                        <input type="radio" id=box_id name="form[disposition]" value=d.as_str() checked=current == Some(d) required=true/>
                                        " "{d.label()}
                                    </label>
                                }
                            }).collect_view()}
                        </fieldset>
                        {(!review.can_offer_retake).then(|| view! { <p class="muted">"Offering a retake sends the candidate a new invite, which admins and recruiters do."</p> })}
                        <TextArea name="form[reason]" label="Reason (kept with the decision and in the audit log)" rows=3/>
                        {error.map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
                    </ServerForm>
                }.into_any()
            } else {
                view! { <p>"The test is still running: a decision can be made once it has ended."</p> }.into_any()
            }}
        </section>
    }
}
