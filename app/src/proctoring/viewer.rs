//! The snapshot viewer on the review page: one snapshot large, with Previous and Next and
//! the left and right arrow keys once the viewer has focus. Without JavaScript every
//! thumbnail of the list still links to its snapshot.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A snapshot as the viewer shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shot {
    pub url: String,
    /// "Webcam snapshot at +3:05".
    pub label: String,
}

/// The index after stepping `by` from `index` among `count`, wrapping around.
pub fn step(index: usize, by: isize, count: usize) -> usize {
    if count == 0 {
        return 0;
    }
    (index as isize + by).rem_euclid(count as isize) as usize
}

/// The viewer, rendered with the first snapshot and the list of all of them (hidden), which
/// the `ViewerBehaviour` island steps through.
#[component]
pub fn SnapshotViewer(shots: Vec<Shot>) -> impl IntoView {
    let count = shots.len();
    let first = shots.first().cloned();
    let (url, label) = first.map(|s| (s.url, s.label)).unwrap_or_default();
    let position = format!("1 of {count} · {label}");
    view! {
        <ViewerBehaviour>
            <div class="snapshot-viewer" id="snapshot-viewer" tabindex="0" role="group"
                aria-label="Snapshot viewer: the left and right arrow keys show the previous and next snapshot">
                <img src=url alt=label width="320" height="240"/>
                <p class="snapshot-position" aria-live="polite">{position}</p>
                <button type="button" data-step="-1">"Previous"</button>" "
                <button type="button" data-step="1">"Next"</button>
                <ol class="snapshot-sources" hidden>
                    {shots.into_iter().map(|shot| view! { <li data-url=shot.url>{shot.label}</li> }).collect_view()}
                </ol>
            </div>
        </ViewerBehaviour>
    }
}

// An island in the staff pages' bundle; a plain component (never called) in the test page's.
#[cfg_attr(any(feature = "ssr", feature = "staff-islands"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "staff-islands")), component)]
fn ViewerBehaviour(children: Children) -> impl IntoView {
    #[cfg(feature = "staff-islands")]
    client::wire();
    children()
}

#[cfg(feature = "staff-islands")]
mod client {
    use web_sys::{Element, KeyboardEvent, MouseEvent};

    use crate::ui::dom;

    pub fn wire() {
        if !dom::first_time("snapshot-viewer") {
            return;
        }
        dom::on_document("keydown", |event: KeyboardEvent| {
            let by = match event.key().as_str() {
                "ArrowLeft" => -1,
                "ArrowRight" => 1,
                _ => return,
            };
            if let Some(viewer) = dom::closest(&event, "#snapshot-viewer") {
                event.prevent_default();
                go(&viewer, by);
            }
        });
        dom::on_document("click", |event: MouseEvent| {
            let Some(button) = dom::closest(&event, "#snapshot-viewer [data-step]") else {
                return;
            };
            let by = button
                .get_attribute("data-step")
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            if let Some(viewer) = button.closest("#snapshot-viewer").ok().flatten() {
                go(&viewer, by);
            }
        });
    }

    fn go(viewer: &Element, by: isize) {
        let shots = dom::all(Some(viewer), ".snapshot-sources li");
        let index: usize = viewer
            .get_attribute("data-index")
            .and_then(|i| i.parse().ok())
            .unwrap_or(0);
        let index = super::step(index, by, shots.len());
        let Some(shot) = shots.get(index) else {
            return;
        };
        let label = shot.text_content().unwrap_or_default();
        let _ = viewer.set_attribute("data-index", &index.to_string());
        if let Some(img) = dom::first(viewer, "img") {
            let _ = img.set_attribute("src", &shot.get_attribute("data-url").unwrap_or_default());
            let _ = img.set_attribute("alt", &label);
        }
        if let Some(position) = dom::first(viewer, ".snapshot-position") {
            dom::set_text(
                &position,
                &format!("{} of {} · {label}", index + 1, shots.len()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn stepping_wraps_around() {
        assert_eq!(super::step(0, -1, 3), 2);
        assert_eq!(super::step(2, 1, 3), 0);
        assert_eq!(super::step(1, 1, 3), 2);
        assert_eq!(super::step(0, 1, 0), 0);
    }
}
