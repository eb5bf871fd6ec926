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

// An island in the staff pages' bundle; a plain component (never called) in the test page's.
#[cfg_attr(any(feature = "ssr", feature = "staff-islands"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "staff-islands")), component)]
pub fn SnapshotViewer(shots: Vec<Shot>) -> impl IntoView {
    let count = shots.len();
    let (index, set_index) = signal(0usize);
    let go = move |by: isize| set_index.update(|i| *i = step(*i, by, count));
    let shots = std::sync::Arc::new(shots);
    let (url_of, label_of) = (shots.clone(), shots);
    let url = move || {
        url_of
            .get(index.get())
            .map(|s| s.url.clone())
            .unwrap_or_default()
    };
    let label = move || {
        label_of
            .get(index.get())
            .map(|s| s.label.clone())
            .unwrap_or_default()
    };
    let label_text = label.clone();
    view! {
        <div class="snapshot-viewer" id="snapshot-viewer" tabindex="0" role="group"
            aria-label="Snapshot viewer: the left and right arrow keys show the previous and next snapshot"
            on:keydown=move |event| match event.key().as_str() {
                "ArrowLeft" => { event.prevent_default(); go(-1) }
                "ArrowRight" => { event.prevent_default(); go(1) }
                _ => {}
            }>
            <img src=url alt=label width="320" height="240"/>
            <p class="snapshot-position" aria-live="polite">
                {move || format!("{} of {count} · {}", index.get() + 1, label_text())}
            </p>
            <button type="button" on:click=move |_| go(-1)>"Previous"</button>" "
            <button type="button" on:click=move |_| go(1)>"Next"</button>
        </div>
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
