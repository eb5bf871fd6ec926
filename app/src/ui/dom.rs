//! The staff pages' islands' hands on the page the server rendered: finding elements,
//! listening for events on the whole document (one listener serves every form or card,
//! however many the page has), timers. Browser only.

#![cfg(feature = "hydrate")]

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlElement};

pub fn document() -> Option<Document> {
    web_sys::window()?.document()
}

pub fn element(id: &str) -> Option<Element> {
    document()?.get_element_by_id(id)
}

/// The elements under `root` (the document when `None`) that `selector` matches.
pub fn all(root: Option<&Element>, selector: &str) -> Vec<Element> {
    let list = match root {
        Some(root) => root.query_selector_all(selector),
        None => match document() {
            Some(document) => document.query_selector_all(selector),
            None => return Vec::new(),
        },
    };
    let Ok(list) = list else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

/// The first element under `root` that `selector` matches.
pub fn first(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

/// The element an event happened on, or its nearest ancestor that `selector` matches.
pub fn closest(event: &Event, selector: &str) -> Option<Element> {
    event
        .target()?
        .dyn_into::<Element>()
        .ok()?
        .closest(selector)
        .ok()
        .flatten()
}

/// Calls `handler` for every `kind` event on the document, for as long as the page lives.
pub fn on_document<E: JsCast + 'static>(kind: &str, handler: impl Fn(E) + 'static) {
    let Some(document) = document() else {
        return;
    };
    let closure = Closure::<dyn Fn(Event)>::new(move |event: Event| {
        if let Ok(event) = event.dyn_into::<E>() {
            handler(event);
        }
    });
    let _ = document.add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref());
    // The page's listeners live as long as the page.
    closure.forget();
}

/// A new `tag` element with these attributes and, when given, this text.
pub fn create(tag: &str, attributes: &[(&str, &str)], text: Option<&str>) -> Option<Element> {
    let element = document()?.create_element(tag).ok()?;
    for (name, value) in attributes {
        let _ = element.set_attribute(name, value);
    }
    if let Some(text) = text {
        set_text(&element, text);
    }
    Some(element)
}

pub fn set_text(element: &Element, text: &str) {
    element.set_text_content(Some(text));
}

pub fn focus(element: &Element) {
    if let Some(element) = element.dyn_ref::<HtmlElement>() {
        let _ = element.focus();
    }
}

/// Runs once per page: the first of several islands that share a document-wide wiring
/// sets it up, the others find it done. `key` names the wiring.
pub fn first_time(key: &'static str) -> bool {
    thread_local! {
        static DONE: std::cell::RefCell<Vec<&'static str>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    DONE.with(|done| {
        let mut done = done.borrow_mut();
        if done.contains(&key) {
            false
        } else {
            done.push(key);
            true
        }
    })
}
