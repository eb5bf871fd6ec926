//! The pipeline board's columns: a column per stage with its count and cards, rendered
//! apart from the page (`pages::board`) so the server can keep them (`cache.rs`).

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use super::{days_in_stage, Column, StageKind};

/// The board's columns with their cards: plain markup (no island inside), which the
/// server renders once per version of the board and keeps (`cache.rs`), or, filtered,
/// for one view with the cards the filter kept. The active stages scroll sideways; the
/// closed ones (hired, rejected, withdrawn) are folded into their counts, each opening
/// its list.
///
/// Columns and cards carry what the board's island reads: a column's `data-stage` (its
/// stage's id) and `data-kind` (`StageKind::key`); a card's `data-app` (the
/// application's id), `data-name`, `data-tags` (joined by commas, which no tag holds) and
/// `data-result` (`ResultFilter::key`): what `BoardFilter::matches_parts` takes, so the
/// island filters cards exactly as the server does.
pub fn columns_view(columns: Vec<Column>, can_open: bool, now: DateTime<Utc>) -> impl IntoView {
    let mut index = 0usize;
    let mut active = Vec::new();
    let mut closed = Vec::new();
    for column in columns {
        let heading_id = format!("stage-{}", column.stage.id);
        let stage_id = column.stage.id.to_string();
        let kind = column.stage.kind.key();
        let count = column.cards.len();
        let is_active = column.stage.kind == StageKind::Active;
        let cards = column
            .cards
            .into_iter()
            .map(|card| card_view(card, &mut index, can_open, is_active, now))
            .collect_view();
        let labelled_by = heading_id.clone();
        if is_active {
            active.push(view! {
                <section class="column" aria-labelledby=labelled_by data-stage=stage_id data-kind=kind>
                    <h2 id=heading_id>{column.stage.name}" "<span class="count">{count}</span></h2>
                    <ul>{cards}</ul>
                </section>
            });
        } else {
            closed.push(view! {
                <section class="column outcome" aria-labelledby=labelled_by data-stage=stage_id data-kind=kind>
                    <details>
                        <summary><span id=heading_id>{column.stage.name}</span>" "<span class="count">{count}</span></summary>
                        <ul>{cards}</ul>
                    </details>
                </section>
            });
        }
    }
    view! {
        <div class="board-columns" tabindex="0" role="group" aria-label="Open stages (scrolls sideways)">{active}</div>
        <div class="board-outcomes">{closed}</div>
    }
}

fn card_view(
    card: super::Card,
    index: &mut usize,
    can_open: bool,
    // In an active stage: interviews are still scheduled from the card.
    active: bool,
    now: DateTime<Utc>,
) -> impl IntoView {
    let field = format!("application_ids[{index}]");
    // Unique in the page, and short: a board carries hundreds of them.
    let checkbox_id = format!("pick-{index}");
    *index += 1;
    let days = days_in_stage(card.stage_entered_at, now);
    let application_id = card.application_id.to_string();
    let result_key = card.result_band().key();
    let tags = (!card.tags.is_empty()).then(|| card.tags.join(", "));
    view! {
        <li
            class="board-card"
            data-app=card.application_id.to_string()
            data-name=card.candidate_name.clone()
            data-tags=card.tags.join(",")
            data-result=result_key
        >
            <input type="checkbox" id=checkbox_id.clone() name=field value=application_id/>
            <label for=checkbox_id>{card.candidate_name.clone()}</label>
            <span class="muted">{if days == 1 { "1 day in stage".to_string() } else { format!("{days} days in stage") }}</span>
            {tags.map(|tags| view! { <span class="muted card-tags">{format!("Tags: {tags}")}</span> })}
            {card.rejection_reason.map(|reason| view! { <span class="muted">{reason}</span> })}
            {card.result.map(|result| view! { <span class=result.verdict.class()>{result.text()}</span> })}
            {card.proctoring.map(|mark| view! { <span class="card-proctoring">{crate::results::mark_view(mark)}</span> })}
            {card.skills.map(|badge| view! { <span class="card-skills">{badge.text()}</span> })}
            {card.interviews.upcoming_text().map(|text| view! { <span class="muted">{text}</span> })}
            {card.interviews.feedback_text().map(|text| {
                let class = if card.interviews.feedback_due() { "card-due" } else { "muted" };
                view! { <span class=class>{text}</span> }
            })}
            <a href=format!("/applications/{}", card.application_id)>
                "Application"<span class="visually-hidden">{format!(" of {}", card.candidate_name)}</span>
            </a>
            {active.then(|| view! {
                <a href=format!("/applications/{}#schedule", card.application_id)>
                    "Schedule interview"<span class="visually-hidden">{format!(" with {}", card.candidate_name)}</span>
                </a>
            })}
            {can_open.then(|| view! {
                <a href=format!("/candidates/{}", card.candidate_id)>
                    "Profile"<span class="visually-hidden">{format!(" of {}", card.candidate_name)}</span>
                </a>
            })}
        </li>
    }
}
