//! `Picker`: a long menu (a candidate among thousands) that finds its option as the person
//! types. Without JavaScript it is the `<select>` it wraps; in the browser the
//! `PickerBehaviour` island puts a text field before it (a combobox with its list of up to
//! eight matches, walked with the arrow keys and chosen with Enter or a click) and hides
//! the menu, whose value the form still sends.

use leptos::prelude::*;

/// Wraps a `SelectField` (its first blank option is "nothing chosen").
#[component]
pub fn Picker(children: Children) -> impl IntoView {
    view! {
        <PickerBehaviour>
            <div class="picker">{children()}</div>
        </PickerBehaviour>
    }
}

/// The options whose label holds every word of `typed` (in any case), at most `limit`.
pub fn matches<'a>(
    options: &'a [(String, String)],
    typed: &str,
    limit: usize,
) -> Vec<&'a (String, String)> {
    let words: Vec<String> = typed.split_whitespace().map(str::to_lowercase).collect();
    options
        .iter()
        .filter(|(value, label)| {
            let label = label.to_lowercase();
            !value.is_empty() && words.iter().all(|word| label.contains(word.as_str()))
        })
        .take(limit)
        .collect()
}

// An island in the staff pages' bundle; a plain component (never called) in the test page's.
#[cfg_attr(any(feature = "ssr", feature = "staff-islands"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "staff-islands")), component)]
fn PickerBehaviour(children: Children) -> impl IntoView {
    #[cfg(feature = "staff-islands")]
    client::wire();
    children()
}

#[cfg(feature = "staff-islands")]
mod client {
    use wasm_bindgen::JsCast;
    use web_sys::{Element, HtmlInputElement, HtmlSelectElement, KeyboardEvent, MouseEvent};

    use crate::ui::dom;

    const SHOWN: usize = 8;

    pub fn wire() {
        if !dom::first_time("pickers") {
            return;
        }
        for picker in dom::all(None, ".picker") {
            enhance(&picker);
        }
        dom::on_document("input", |event: web_sys::Event| {
            if let Some(input) = picker_input(&event) {
                if let Some(select) = select_of(&input) {
                    select.set_value("");
                }
                list(&input);
            }
        });
        dom::on_document("keydown", |event: KeyboardEvent| {
            if let Some(input) = picker_input(&event) {
                on_key(&event, &input);
            }
        });
        // A press (not a click) keeps the focus in the field while choosing.
        dom::on_document("mousedown", |event: MouseEvent| {
            if let Some(option) = dom::closest(&event, ".picker [role=option][data-value]") {
                event.prevent_default();
                choose(&option);
            }
        });
        dom::on_document("focusout", |event: web_sys::FocusEvent| {
            if let Some(input) = picker_input(&event) {
                close(&input);
            }
        });
    }

    fn picker_input(event: &web_sys::Event) -> Option<HtmlInputElement> {
        dom::closest(event, ".picker-input")?.dyn_into().ok()
    }

    fn select_of(input: &Element) -> Option<HtmlSelectElement> {
        dom::first(&input.closest(".picker").ok()??, "select")?
            .dyn_into()
            .ok()
    }

    fn listbox(input: &Element) -> Option<Element> {
        dom::element(&input.get_attribute("aria-controls")?)
    }

    /// The text field and its list before the menu, which hides; the label names the field.
    fn enhance(picker: &Element) {
        let Some(document) = dom::document() else {
            return;
        };
        let Some(select) = dom::first(picker, "select") else {
            return;
        };
        let id = select.id();
        let (Ok(input), Ok(options)) = (
            document.create_element("input"),
            document.create_element("ul"),
        ) else {
            return;
        };
        let input_id = format!("{id}-search");
        let list_id = format!("{id}-options");
        for (name, value) in [
            ("id", input_id.as_str()),
            ("type", "text"),
            ("class", "picker-input"),
            ("role", "combobox"),
            ("aria-autocomplete", "list"),
            ("aria-expanded", "false"),
            ("aria-controls", list_id.as_str()),
            ("autocomplete", "off"),
            ("placeholder", "Type a name or email"),
        ] {
            let _ = input.set_attribute(name, value);
        }
        if let Some(select) = select.dyn_ref::<HtmlSelectElement>() {
            if !select.value().is_empty() {
                if let Some(chosen) = select.selected_options().item(0) {
                    if let Some(input) = input.dyn_ref::<HtmlInputElement>() {
                        input.set_value(&chosen.text_content().unwrap_or_default());
                    }
                }
            }
        }
        let _ = options.set_attribute("id", &list_id);
        let _ = options.set_attribute("role", "listbox");
        let _ = options.set_attribute("class", "picker-options");
        let _ = options.set_attribute("hidden", "");
        if let Some(label) = dom::first(picker, &format!("label[for='{id}']")) {
            let _ = label.set_attribute("for", &input_id);
            let _ = options.set_attribute("aria-label", &label.text_content().unwrap_or_default());
        }
        let _ = select.before_with_node_2(&input, &options);
        let _ = select.set_attribute("hidden", "");
    }

    /// Lists the options matching what the field holds.
    fn list(input: &HtmlInputElement) {
        let (Some(select), Some(listbox), Some(document)) =
            (select_of(input), listbox(input), dom::document())
        else {
            return;
        };
        let options: Vec<(String, String)> = dom::all(Some(&select), "option")
            .iter()
            .map(|o| {
                (
                    o.get_attribute("value").unwrap_or_default(),
                    o.text_content().unwrap_or_default(),
                )
            })
            .collect();
        listbox.set_inner_html("");
        let typed = input.value();
        let found = super::matches(&options, &typed, SHOWN);
        for (index, (value, label)) in found.iter().enumerate() {
            let Ok(item) = document.create_element("li") else {
                continue;
            };
            let _ = item.set_attribute("id", &format!("{}-{index}", listbox.id()));
            let _ = item.set_attribute("role", "option");
            let _ = item.set_attribute("aria-selected", "false");
            let _ = item.set_attribute("data-value", value);
            dom::set_text(&item, label);
            let _ = listbox.append_child(&item);
        }
        if found.is_empty() && !typed.trim().is_empty() {
            if let Ok(item) = document.create_element("li") {
                let _ = item.set_attribute("role", "option");
                let _ = item.set_attribute("aria-disabled", "true");
                let _ = item.set_attribute("class", "muted");
                dom::set_text(&item, "Nothing matches what you typed.");
                let _ = listbox.append_child(&item);
            }
        }
        let open = !typed.trim().is_empty();
        let _ = listbox.toggle_attribute_with_force("hidden", !open);
        let _ = input.set_attribute("aria-expanded", &open.to_string());
        let _ = input.remove_attribute("aria-activedescendant");
    }

    fn on_key(event: &KeyboardEvent, input: &HtmlInputElement) {
        let Some(listbox) = listbox(input) else {
            return;
        };
        let items = dom::all(Some(&listbox), "[role=option][data-value]");
        let open = !listbox.has_attribute("hidden");
        let active = input
            .get_attribute("aria-activedescendant")
            .and_then(|id| items.iter().position(|item| item.id() == id));
        let to = match event.key().as_str() {
            "ArrowDown" if !items.is_empty() => active.map_or(0, |i| (i + 1) % items.len()),
            "ArrowUp" if !items.is_empty() => {
                active.map_or(items.len() - 1, |i| (i + items.len() - 1) % items.len())
            }
            "Enter" if open => {
                // Enter chooses; it does not send the form with half a name typed.
                event.prevent_default();
                if let Some(item) = active.and_then(|i| items.get(i)).or(items.first()) {
                    choose(item);
                }
                return;
            }
            "Escape" if open => {
                event.prevent_default();
                close(input);
                return;
            }
            _ => return,
        };
        event.prevent_default();
        if !open {
            list(input);
        }
        for (index, item) in items.iter().enumerate() {
            let _ = item.set_attribute("aria-selected", &(index == to).to_string());
        }
        if let Some(item) = items.get(to) {
            let _ = input.set_attribute("aria-activedescendant", &item.id());
        }
    }

    /// Chooses the option: the menu takes its value, the field its label.
    fn choose(item: &Element) {
        let Some(listbox) = item.parent_element() else {
            return;
        };
        let Some(input) = dom::all(None, ".picker-input")
            .into_iter()
            .find(|i| i.get_attribute("aria-controls").as_deref() == Some(listbox.id().as_str()))
            .and_then(|i| i.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(select) = select_of(&input) {
            select.set_value(&item.get_attribute("data-value").unwrap_or_default());
        }
        input.set_value(&item.text_content().unwrap_or_default());
        close(&input);
    }

    fn close(input: &Element) {
        if let Some(listbox) = listbox(input) {
            let _ = listbox.set_attribute("hidden", "");
        }
        let _ = input.set_attribute("aria-expanded", "false");
        let _ = input.remove_attribute("aria-activedescendant");
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn every_typed_word_is_in_the_label_in_any_case() {
        let options: Vec<(String, String)> = [
            ("", "Choose a candidate…"),
            ("1", "Ada Lovelace (ada@example.com)"),
            ("2", "Grace Hopper (grace@navy.example)"),
            ("3", "Ada Hopper (ah@example.com)"),
        ]
        .into_iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect();
        let values = |typed: &str, limit| {
            matches(&options, typed, limit)
                .into_iter()
                .map(|(v, _)| v.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(values("ada", 8), ["1", "3"]);
        assert_eq!(values("HOPPER ada", 8), ["3"]);
        assert_eq!(values("navy.example", 8), ["2"]);
        assert_eq!(values("ada", 1), ["1"]);
        assert_eq!(values("nobody", 8), Vec::<&str>::new());
        assert_eq!(values("", 8), ["1", "2", "3"], "never the blank choice");
    }
}
