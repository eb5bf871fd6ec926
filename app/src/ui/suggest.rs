//! `Suggest`: a search field that lists what matches as the person types. Without
//! JavaScript it is the plain search form it sits in (the page lists the matches after
//! Search); in the browser the `SuggestBehaviour` island asks the server function named by
//! the field's `data-suggest` (with `q` and the field's `data-suggest-with`) 200 ms after
//! the last keystroke, lists the answers under the field (a combobox: the arrow keys walk
//! the list, Enter or a click opens the chosen one, Escape closes it) and shows the latest
//! answer only.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One match as the list shows it, and where choosing it leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub label: String,
    pub href: String,
}

/// Wraps the field (an `<input data-suggest=…>` with its label).
#[component]
pub fn Suggest(children: Children) -> impl IntoView {
    view! {
        <SuggestBehaviour>
            <div class="suggest">{children()}</div>
        </SuggestBehaviour>
    }
}

// An island in the staff pages' bundle; a plain component (never called) in the test page's.
#[cfg_attr(any(feature = "ssr", feature = "staff-islands"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "staff-islands")), component)]
fn SuggestBehaviour(children: Children) -> impl IntoView {
    #[cfg(feature = "staff-islands")]
    client::wire();
    children()
}

#[cfg(feature = "staff-islands")]
mod client {
    use std::cell::{Cell, RefCell};
    use std::time::Duration;

    use leptos::prelude::{set_timeout_with_handle, TimeoutHandle};
    use wasm_bindgen::JsCast;
    use web_sys::{Element, HtmlInputElement, KeyboardEvent, MouseEvent};

    use super::Suggestion;
    use crate::json::JsonValue;
    use crate::ui::dom;

    const FIELD: &str = ".suggest input[data-suggest]";

    thread_local! {
        static PENDING: RefCell<Option<TimeoutHandle>> = const { RefCell::new(None) };
        /// The number of the latest request: an older answer arriving late is dropped.
        static LATEST: Cell<u32> = const { Cell::new(0) };
    }

    pub fn wire() {
        if !dom::first_time("suggest") {
            return;
        }
        for field in dom::all(None, FIELD) {
            enhance(&field);
        }
        dom::on_document("input", |event: web_sys::Event| {
            if let Some(field) = field_of(&event) {
                schedule(field);
            }
        });
        dom::on_document("keydown", |event: KeyboardEvent| {
            if let Some(field) = field_of(&event) {
                on_key(&event, &field);
            }
        });
        // A press (not a click) keeps the focus in the field while choosing.
        dom::on_document("mousedown", |event: MouseEvent| {
            if let Some(option) = dom::closest(&event, ".suggest [role=option][data-href]") {
                event.prevent_default();
                open(&option);
            }
        });
        dom::on_document("focusout", |event: web_sys::FocusEvent| {
            if let Some(field) = field_of(&event) {
                close(&field);
            }
        });
    }

    fn field_of(event: &web_sys::Event) -> Option<HtmlInputElement> {
        dom::closest(event, FIELD)?.dyn_into().ok()
    }

    fn listbox(field: &Element) -> Option<Element> {
        dom::element(&field.get_attribute("aria-controls")?)
    }

    /// The field becomes a combobox with its (empty, hidden) list after it.
    fn enhance(field: &Element) {
        let list_id = format!("{}-suggestions", field.id());
        let scope = field
            .closest(".suggest")
            .ok()
            .flatten()
            .unwrap_or(field.clone());
        let label = dom::first(&scope, "label")
            .and_then(|label| label.text_content())
            .unwrap_or_default();
        let Some(list) = dom::create(
            "ul",
            &[
                ("id", &list_id),
                ("role", "listbox"),
                ("class", "suggestions"),
                ("hidden", ""),
                ("aria-label", &label),
            ],
            None,
        ) else {
            return;
        };
        for (name, value) in [
            ("role", "combobox"),
            ("aria-autocomplete", "list"),
            ("aria-expanded", "false"),
            ("aria-controls", list_id.as_str()),
            ("autocomplete", "off"),
        ] {
            let _ = field.set_attribute(name, value);
        }
        let _ = field.after_with_node_1(&list);
    }

    /// Asks for the matches 200 ms after the last keystroke.
    fn schedule(field: HtmlInputElement) {
        PENDING.with(|pending| {
            if let Some(handle) = pending.borrow_mut().take() {
                handle.clear();
            }
        });
        if field.value().trim().is_empty() {
            // An answer still on its way is for text no longer there.
            LATEST.with(|latest| latest.set(latest.get().wrapping_add(1)));
            close(&field);
            return;
        }
        let ask = move || wasm_bindgen_futures::spawn_local(ask(field));
        if let Ok(handle) = set_timeout_with_handle(ask, Duration::from_millis(200)) {
            PENDING.with(|pending| *pending.borrow_mut() = Some(handle));
        }
    }

    async fn ask(field: HtmlInputElement) {
        let number = LATEST.with(|latest| {
            latest.set(latest.get().wrapping_add(1));
            latest.get()
        });
        let url = field.get_attribute("data-suggest").unwrap_or_default();
        let Ok(body) = web_sys::UrlSearchParams::new_with_str(
            &field.get_attribute("data-suggest-with").unwrap_or_default(),
        ) else {
            return;
        };
        body.append("q", &field.value());
        let Ok(response) = crate::ui::fetch::post(&url, &body.into(), None).await else {
            return;
        };
        let ok = response.ok();
        let text = crate::ui::fetch::text(&response).await;
        if number != LATEST.with(Cell::get) {
            return;
        }
        let found: Vec<Suggestion> = if ok {
            crate::json::parse(&text)
                .items()
                .unwrap_or_default()
                .iter()
                .filter_map(|item| {
                    Some(Suggestion {
                        label: item.field("label")?.string()?,
                        href: item.field("href")?.string()?,
                    })
                })
                .collect()
        } else {
            Vec::new()
        };
        show(&field, &found, ok);
    }

    fn show(field: &HtmlInputElement, found: &[Suggestion], ok: bool) {
        let Some(list) = listbox(field) else {
            return;
        };
        list.set_inner_html("");
        for (index, suggestion) in found.iter().enumerate() {
            let id = format!("{}-{index}", list.id());
            let item = dom::create(
                "li",
                &[
                    ("id", &id),
                    ("role", "option"),
                    ("aria-selected", "false"),
                    ("data-href", &suggestion.href),
                ],
                Some(&suggestion.label),
            );
            if let Some(item) = item {
                let _ = list.append_child(&item);
            }
        }
        if found.is_empty() {
            let text = if ok {
                "Nothing matches what you typed."
            } else {
                "The matches could not be loaded; press Enter to search."
            };
            let attributes = [
                ("role", "option"),
                ("aria-disabled", "true"),
                ("class", "muted"),
            ];
            if let Some(item) = dom::create("li", &attributes, Some(text)) {
                let _ = list.append_child(&item);
            }
        }
        let _ = list.remove_attribute("hidden");
        let _ = field.set_attribute("aria-expanded", "true");
        let _ = field.remove_attribute("aria-activedescendant");
    }

    fn on_key(event: &KeyboardEvent, field: &HtmlInputElement) {
        let Some(list) = listbox(field) else {
            return;
        };
        if list.has_attribute("hidden") {
            return;
        }
        let items = dom::all(Some(&list), "[data-href]");
        let active = field
            .get_attribute("aria-activedescendant")
            .and_then(|id| items.iter().position(|item| item.id() == id));
        let to = match event.key().as_str() {
            "ArrowDown" if !items.is_empty() => active.map_or(0, |i| (i + 1) % items.len()),
            "ArrowUp" if !items.is_empty() => {
                active.map_or(items.len() - 1, |i| (i + items.len() - 1) % items.len())
            }
            "Enter" => {
                // Without a chosen match, Enter searches as the plain form does.
                if let Some(item) = active.and_then(|i| items.get(i)) {
                    event.prevent_default();
                    open(item);
                }
                return;
            }
            "Escape" => {
                event.prevent_default();
                close(field);
                return;
            }
            _ => return,
        };
        event.prevent_default();
        for (index, item) in items.iter().enumerate() {
            let _ = item.set_attribute("aria-selected", &(index == to).to_string());
        }
        if let Some(item) = items.get(to) {
            let _ = field.set_attribute("aria-activedescendant", &item.id());
        }
    }

    fn open(item: &Element) {
        if let (Some(window), Some(href)) = (web_sys::window(), item.get_attribute("data-href")) {
            let _ = window.location().assign(&href);
        }
    }

    fn close(field: &Element) {
        if let Some(list) = listbox(field) {
            let _ = list.set_attribute("hidden", "");
        }
        let _ = field.set_attribute("aria-expanded", "false");
        let _ = field.remove_attribute("aria-activedescendant");
    }
}
