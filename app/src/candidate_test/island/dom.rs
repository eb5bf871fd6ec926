//! The island's hands on the page the server rendered: reading the test and the answers
//! from the markup, and changing only what a change touches.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlDialogElement, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

use super::section_id;
use super::state::Question;
use crate::candidate_test::runner::{self, Mark, Status};
use crate::questions::model::{QuestionKind, Response};

pub fn element(id: &str) -> Option<Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
}

pub fn set_text(id: &str, text: &str) {
    if let Some(element) = element(id) {
        element.set_text_content(Some(text));
    }
}

/// Sets or removes a boolean attribute (`hidden`, `disabled`) of the element `id`.
pub fn toggle(id: &str, name: &str, on: bool) {
    if let Some(element) = element(id) {
        let _ = element.toggle_attribute_with_force(name, on);
    }
}

pub fn data<T: std::str::FromStr>(element: &Element, name: &str) -> Option<T> {
    element.get_attribute(name)?.parse().ok()
}

pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The questions as the page shows them, from their sections' `data-*` attributes.
pub fn questions() -> Vec<Question> {
    (0..)
        .map_while(|index| element(&section_id(index)))
        .filter_map(|section| {
            let kind = QuestionKind::parse(&section.get_attribute("data-kind")?)?;
            Some(Question {
                id: section.get_attribute("data-id")?,
                kind,
                seq: data(&section, "data-seq").unwrap_or(0),
                answered: section.has_attribute("data-answered"),
                flagged: section.has_attribute("data-flagged"),
                spent_ms: data(&section, "data-spent").unwrap_or(0),
            })
        })
        .collect()
}

/// The answer a question's inputs hold now.
pub fn read(section: &Element, kind: QuestionKind) -> Option<Response> {
    let inputs = inputs(section);
    let mut checked = inputs
        .iter()
        .filter_map(|e| e.dyn_ref::<HtmlInputElement>())
        .filter(|input| input.checked())
        .map(HtmlInputElement::value);
    let text = || {
        inputs
            .first()
            .map(|e| match e.dyn_ref::<HtmlTextAreaElement>() {
                Some(area) => area.value(),
                None => e
                    .dyn_ref::<HtmlInputElement>()
                    .map(HtmlInputElement::value)
                    .unwrap_or_default(),
            })
    };
    match kind {
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
            let ids: Vec<u32> = checked.filter_map(|v| v.parse().ok()).collect();
            (!ids.is_empty()).then_some(Response::Choices(ids))
        }
        QuestionKind::TrueFalse => checked.next().map(|v| Response::Boolean(v == "true")),
        QuestionKind::Numeric => text().map(Response::Number),
        QuestionKind::ShortText | QuestionKind::LongText | QuestionKind::Code => {
            text().map(Response::Text)
        }
    }
}

/// Puts an answer into a question's inputs.
pub fn write(section: &Element, response: &Option<Response>) {
    for input in inputs(section) {
        if let Some(area) = input.dyn_ref::<HtmlTextAreaElement>() {
            if let Some(Response::Text(text)) = response {
                area.set_value(text);
            }
        } else if let Some(input) = input.dyn_ref::<HtmlInputElement>() {
            let value = input.value();
            match response {
                Some(Response::Choices(ids)) => {
                    input.set_checked(ids.iter().any(|id| id.to_string() == value))
                }
                Some(Response::Boolean(b)) => input.set_checked(b.to_string() == value),
                Some(Response::Text(text) | Response::Number(text)) => input.set_value(text),
                None => input.set_checked(false),
            }
        }
    }
}

fn inputs(section: &Element) -> Vec<Element> {
    let Ok(list) = section.query_selector_all("input, textarea") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

/// Shows question `to` instead of `from`.
pub fn show_question(from: usize, to: usize) {
    toggle(&section_id(from), "hidden", true);
    toggle(&section_id(to), "hidden", false);
}

/// The navigator button of question `index`, and the flag button when it is the current.
pub fn render_mark(index: usize, mark: Mark) {
    let selector = format!("[data-goto=\"{index}\"]");
    if let Some(Ok(Some(button))) = element("test-runner").map(|r| r.query_selector(&selector)) {
        let _ = button.set_attribute("class", &mark.class());
        let _ = button.set_attribute("aria-label", &mark.label(index));
    }
    if mark.current {
        set_text("test-flag", runner::flag_label(mark.flagged));
        if let Some(flag) = element("test-flag") {
            let _ = flag.set_attribute("aria-pressed", &mark.flagged.to_string());
        }
    }
}

/// Previous, Next and Submit, enabled as the position and the hand-in allow.
pub fn render_footer(current: usize, count: usize, finishing: bool) {
    toggle("test-previous", "disabled", current == 0);
    toggle("test-next", "disabled", current + 1 >= count);
    toggle("test-submit", "disabled", finishing);
}

pub fn render_status(status: &Status) {
    if let Some(element) = element("save-status") {
        let _ = element.set_attribute("class", status.class());
        element.set_text_content(Some(status.text()));
    }
}

/// What the clock and its warning show.
pub fn render_clock(clock: Option<String>, warning: Option<Option<&'static str>>) {
    if let Some(clock) = clock {
        set_text("test-clock", &clock);
    }
    if let Some(warning) = warning {
        set_text("test-warning", warning.unwrap_or_default());
    }
}

/// Opens the confirmation as a modal dialog (the page behind it inert), listing the
/// questions not answered yet (numbered from 1), with the focus on "Keep working": the
/// choice that loses nothing.
pub fn open_confirmation(unanswered: &[usize]) {
    set_text(
        "confirm-unanswered",
        &runner::unanswered_message(unanswered),
    );
    if let Some(line) = element("confirm-unanswered") {
        let class = if unanswered.is_empty() {
            ""
        } else {
            "unanswered"
        };
        let _ = line.set_attribute("class", class);
    }
    if let Some(dialog) = confirmation() {
        if !dialog.open() {
            let _ = dialog.show_modal();
        }
    }
    focus("confirm-cancel");
}

pub fn close_confirmation() {
    if let Some(dialog) = confirmation() {
        dialog.close();
    }
}

fn confirmation() -> Option<HtmlDialogElement> {
    element("test-confirm")?.dyn_into().ok()
}

/// Moves the focus to the element `id` (nothing happens when it is disabled).
pub fn focus(id: &str) {
    if let Some(element) = element(id).and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

pub fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}
