//! The session's record on the grading page.

use leptos::prelude::*;

use super::SessionRecord;

/// "+3:05" since the session started.
pub fn offset_label(offset_ms: i64) -> String {
    let seconds = offset_ms.max(0) / 1000;
    format!("+{}:{:02}", seconds / 60, seconds % 60)
}

/// The record: its band and reasons, the decision, and every event in words. `review`
/// links to the session's review page (from the grading page).
#[component]
pub fn RecordView(
    record: SessionRecord,
    #[prop(optional)] review: Option<uuid::Uuid>,
    /// The entries are a zoomed or filtered part of the record.
    #[prop(optional)]
    filtered: bool,
) -> impl IntoView {
    let empty = record.entries.is_empty();
    let band = record.assessment.band;
    view! {
        <section class="proctoring-record" aria-labelledby="proctoring-heading">
            <h2 id="proctoring-heading">"What proctoring recorded"</h2>
            <p class="muted">"These are signals, not proof of cheating: a person reviews them and decides what they mean."</p>
            <p class="proctoring-band"><span class=band.class()>{band.label()}</span></p>
            <ul class="band-reasons">
                {record.assessment.reasons.into_iter().map(|reason| view! { <li>{reason}</li> }).collect_view()}
                {record.assessment.gaps.map(|gaps| view! { <li class="muted">{gaps}</li> })}
            </ul>
            {record.decision.map(|d| view! {
                <p class="proctoring-decision">
                    "Decision: "<span class=d.disposition.class()>{d.disposition.label()}</span>
                    {format!(" by {} on {}: {}", d.decided_by, d.decided_at, d.reason)}
                </p>
            })}
            {review.map(|id| view! {
                <p><a href=super::review_url(id)>"Review the timeline and decide"</a></p>
            })}
            {record.purged_on.map(|on| view! {
                <p class="muted">{format!("Snapshots and the events' particulars were deleted on {on}, as the organization's retention period requires; the counts and the band were kept.")}</p>
            })}
            {empty.then(|| view! { <p>{if filtered {
                "Nothing in this part of the session with these severities."
            } else {
                "Nothing was recorded during this session."
            }}</p> })}
            <ol class="proctoring-events">
                {record.entries.into_iter().map(|entry| {
                    let at = offset_label(entry.offset_ms);
                    let alt = format!("Webcam snapshot at {at}");
                    view! {
                        <li class=format!("severity {}", entry.severity.as_str()) data-kind=format!("{:?}", entry.kind)>
                            <span class="event-offset">{at}</span>" "
                            <span class="badge">{entry.severity.label()}</span>" "
                            <span class="event-text">{entry.text}</span>
                            {entry.snapshot_url.map(|url| view! {
                                <a class="snapshot" href=url.clone()><img src=url.clone() alt=alt loading="lazy" width="160"/></a>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn offsets_read_as_minutes_and_seconds() {
        assert_eq!(super::offset_label(185_400), "+3:05");
        assert_eq!(super::offset_label(-5), "+0:00");
    }
}
