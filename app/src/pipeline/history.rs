//! An application's moves as a list, oldest first.

use leptos::prelude::*;

use super::StageChange;

#[component]
pub fn History(changes: Vec<StageChange>) -> impl IntoView {
    view! {
        <ol class="history">
            {changes.into_iter().map(|change| view! {
                <li>
                    <crate::ui::time::Time at=change.at/>" "
                    {match change.from {
                        Some(from) => format!("{from} → {}", change.to),
                        None => format!("Added to {}", change.to),
                    }}
                    {change.reason.map(|reason| format!(" ({reason})"))}
                    {change.by.map(|by| format!(" by {by}"))}
                </li>
            }).collect_view()}
        </ol>
    }
}
