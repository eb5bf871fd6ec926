//! The pipeline board's columns: a column per stage with its count and cards, rendered
//! apart from the page (`pages::board`) so the server can keep them (`cache.rs`).

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use super::{days_in_stage, Column, StageKind};

/// The board's columns with their cards: plain markup (no island inside), which the
/// server renders once per version of the board and keeps (`cache.rs`).
pub fn columns_view(columns: Vec<Column>, can_open: bool, now: DateTime<Utc>) -> impl IntoView {
    let mut index = 0usize;
    columns
        .into_iter()
        .map(|column| {
            let heading_id = format!("stage-{}", column.stage.id);
            let labelled_by = heading_id.clone();
            let count = column.cards.len();
            let outcome = column.stage.kind != StageKind::Active;
            let cards = column
                .cards
                .into_iter()
                .map(|card| {
                    let field = format!("application_ids[{index}]");
                    // Unique in the page, and short: a board carries hundreds of them.
                    let checkbox_id = format!("pick-{index}");
                    index += 1;
                    let days = days_in_stage(card.stage_entered_at, now);
                    view! {
                        <li class="board-card">
                            <input type="checkbox" id=checkbox_id.clone() name=field value=card.application_id.to_string()/>
                            <label for=checkbox_id>{card.candidate_name.clone()}</label>
                            <span class="muted">{if days == 1 { "1 day".to_string() } else { format!("{days} days") }}</span>
                            {card.rejection_reason.map(|reason| view! { <span class="muted">{reason}</span> })}
                            {card.result.map(|result| view! { <span class=result.verdict.class()>{result.text()}</span> })}
                            {card.proctoring.map(|mark| view! { <span class="card-proctoring">{crate::results::mark_view(mark)}</span> })}
                            <a href=format!("/applications/{}", card.application_id)>
                                "Notes and history"<span class="visually-hidden">{format!(" of {}", card.candidate_name)}</span>
                            </a>
                            {can_open.then(|| view! {
                                <a href=format!("/candidates/{}", card.candidate_id)>
                                    "Profile"<span class="visually-hidden">{format!(" of {}", card.candidate_name)}</span>
                                </a>
                            })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="column" class:outcome=outcome aria-labelledby=labelled_by>
                    <h2 id=heading_id>{column.stage.name}" "<span class="count">{count}</span></h2>
                    <ul>{cards}</ul>
                </section>
            }
        })
        .collect_view()
}
