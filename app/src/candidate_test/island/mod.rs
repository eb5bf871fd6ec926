//! The test island: one question at a time with a navigator, the countdown to the
//! server's deadline, autosave with per-answer sequence numbers, an offline queue in the
//! browser's storage, and submission (by the candidate, or by itself at the deadline).
//!
//! The page arrives whole from the server (`page.rs`): the bar, the navigator, every
//! question with its saved answer, the buttons and the confirmation. The island renders
//! nothing itself; it reads the test from the markup, listens to it from its root, and
//! changes only what a change touches. That keeps it small: the candidate downloads the
//! test page's WASM on whatever connection they have, and Leptos views and JSON props
//! for the whole test would cost several times more.
//!
//! What the island relies on in the markup:
//! - `#test-runner` with `data-token`, `data-session`, `data-deadline` and `data-now`
//!   (milliseconds since the epoch, by the server's clock);
//! - a section per question, `#question-N` (see [`section_id`]) with `data-question` (N),
//!   `data-id`, `data-kind`, `data-seq`, `data-spent`, `data-flagged` and `data-answered`;
//! - navigator buttons with `data-goto` (N); `#test-clock`, `#save-status`,
//!   `#test-warning`, `#test-previous`, `#test-flag`, `#test-next`, `#test-submit`; the
//!   confirmation, a `<dialog id="test-confirm">` with `#confirm-unanswered`,
//!   `#confirm-submit` and `#confirm-cancel`; a `button.clear` in each choice question.
//!
//! Every change goes first into `localStorage` (so a crash or a reload loses nothing) and
//! then to the server as the save queue decides.
//!
//! The parts: `state.rs` (the test as the island holds it), `queue.rs` (which save goes
//! next, what an acknowledgement removes, when to retry), `capture.rs` (proctoring's
//! events and batches, by the same discipline), `wire.rs` (the JSON, serde's shapes
//! without a JSON library), `dom.rs` (reading and changing the page) and `sensors.rs`
//! (proctoring's listeners, sending and webcam); this file wires the test to the
//! browser's events, timers and network. The queues and the JSON are plain Rust, so they
//! are also compiled natively for their tests.

use leptos::prelude::*;

#[cfg(any(test, feature = "test-island"))]
mod capture;
#[cfg(feature = "test-island")]
mod dom;
#[cfg(any(test, feature = "test-island"))]
mod queue;
#[cfg(feature = "test-island")]
mod sensors;
#[cfg(feature = "test-island")]
mod state;
#[cfg(any(test, feature = "test-island"))]
mod wire;

/// The id of question `index`'s section.
pub fn section_id(index: usize) -> String {
    format!("question-{index}")
}

/// The test around its markup, which `children` is. An island in the test page's own
/// bundle (`frontend/test-page`); a plain component (never called) in the staff pages'.
#[cfg_attr(any(feature = "ssr", feature = "test-island"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "test-island")), component)]
pub fn TestRunner(children: Children) -> impl IntoView {
    #[cfg(feature = "test-island")]
    wiring::start();
    children()
}

#[cfg(feature = "test-island")]
mod wiring {
    use std::cell::{Cell, RefCell};
    use std::time::Duration;

    use leptos::prelude::{set_interval_with_handle, set_timeout_with_handle, TimeoutHandle};
    use server_fn::ServerFn;
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    use wasm_bindgen_futures::spawn_local;
    use web_sys::{Element, Event};

    use super::dom::{self, data, element};
    use super::queue::{Next, Save};
    use super::state::Test;
    use super::{section_id, wire};
    use crate::candidate_test::runner::Status;
    use crate::candidate_test::{SaveAnswer, SubmitTest};
    use crate::error::AppError;
    use crate::ui::fetch;

    thread_local! {
        static TEST: RefCell<Option<Test>> = const { RefCell::new(None) };
        /// The timer that calls [`pump`] when the queue's wait is over.
        static WAKE: Cell<Option<TimeoutHandle>> = const { Cell::new(None) };
    }

    /// Runs `f` on the test (never from inside another `with`).
    fn with<R>(f: impl FnOnce(&mut Test) -> R) -> Option<R> {
        TEST.with(|test| test.borrow_mut().as_mut().map(f))
    }

    fn now() -> f64 {
        js_sys::Date::now()
    }

    /// The id of the question on screen.
    fn current_question() -> Option<uuid::Uuid> {
        with(|t| t.questions.get(t.current).and_then(|q| q.id.parse().ok())).flatten()
    }

    /// Reads the test from the page, takes over what an earlier visit left queued on
    /// this device, and starts the clock and the listeners.
    pub fn start() {
        let Some(root) = element("test-runner") else {
            return;
        };
        let now = now();
        let test = Test::new(
            root.get_attribute("data-token").unwrap_or_default(),
            &root.get_attribute("data-session").unwrap_or_default(),
            dom::questions(),
            data::<i64>(&root, "data-now").map_or(now, |ms| ms as f64),
            data::<i64>(&root, "data-deadline").unwrap_or(0) as f64,
            now,
        );
        TEST.with(|cell| *cell.borrow_mut() = Some(test));
        super::sensors::start(&root, current_question);
        restore();
        listen(&root, "input", on_input);
        listen(&root, "click", on_click);
        // `close` does not bubble: the confirmation's own listener hands the focus back to
        // the Submit button however it closed (Escape, "Keep working").
        if let Some(confirmation) = element("test-confirm") {
            listen(&confirmation, "close", |_| dom::focus("test-submit"));
        }
        let _ = set_interval_with_handle(tick, Duration::from_millis(500));
        let _ = leptos::prelude::window_event_listener(leptos::ev::online, |_| send_now());
        tick();
        let _ = root.set_attribute("data-ready", "true");
        if with(|t| !t.queue.is_empty()).unwrap_or(false) {
            set_status(Status::Saving);
            send_now();
        }
    }

    fn listen(root: &Element, event: &str, handler: fn(Event)) {
        let closure = Closure::<dyn Fn(Event)>::new(handler);
        let _ = root.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
        closure.forget();
    }

    /// The queue left on this device by an earlier visit: newer than the server's
    /// answers, it wins, is shown and is sent.
    fn restore() {
        let Some(key) = with(|t| t.storage_key.clone()) else {
            return;
        };
        let left = dom::storage()
            .and_then(|s| s.get_item(&key).ok().flatten())
            .map(|json| wire::saves(&wire::parse(&json)))
            .unwrap_or_default();
        let now = now();
        for save in left {
            let response = save.response.clone();
            if let Some(index) = with(|t| t.restore(save, now)).flatten() {
                if let Some(section) = element(&section_id(index)) {
                    dom::write(&section, &response);
                }
                render_mark(index);
            }
        }
        render_footer();
        store();
    }

    /// An answer input changed (a radio or a checkbox sends `input` too).
    fn on_input(event: Event) {
        if let Some((_, index)) = question_of(&event) {
            changed(index);
        }
    }

    fn on_click(event: Event) {
        let Some(button) = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|t| t.closest("button").ok().flatten())
        else {
            return;
        };
        if let Some(index) = data::<usize>(&button, "data-goto") {
            go_to(index);
            return;
        }
        let current = with(|t| t.current).unwrap_or(0);
        match button.id().as_str() {
            "test-previous" => go_to(current.saturating_sub(1)),
            "test-next" => go_to(current + 1),
            "test-flag" => {
                with(|t| t.questions[current].flagged = !t.questions[current].flagged);
                changed(current);
            }
            "test-submit" => {
                let unanswered = with(|t| t.unanswered()).unwrap_or_default();
                dom::open_confirmation(&unanswered);
            }
            "confirm-cancel" => dom::close_confirmation(),
            "confirm-submit" => {
                dom::close_confirmation();
                finish();
            }
            _ if button.matches(".clear").unwrap_or(false) => {
                if let Some((section, index)) = question_of(&event) {
                    dom::write(&section, &None);
                    changed(index);
                }
            }
            _ => {}
        }
    }

    /// The section (and its index) of the question an event came from.
    fn question_of(event: &Event) -> Option<(Element, usize)> {
        let target: Element = event.target()?.dyn_into().ok()?;
        let section = target.closest("[data-question]").ok()??;
        let index = data(&section, "data-question")?;
        Some((section, index))
    }

    /// Records a change of question `index` (its answer as its inputs hold it now, or its
    /// flag): queued and in the browser's storage at once, sent when the queue says.
    fn changed(index: usize) {
        let Some(kind) = with(|t| t.changeable(index)).flatten() else {
            return;
        };
        let Some(section) = element(&section_id(index)) else {
            return;
        };
        let response = dom::read(&section, kind);
        with(|t| t.change(index, response, now()));
        store();
        render_mark(index);
        if with(|t| t.status != Status::Offline).unwrap_or(false) {
            set_status(Status::Saving);
        }
        pump();
    }

    fn go_to(index: usize) {
        let Some(from) = with(|t| t.go_to(index, now())).flatten() else {
            return;
        };
        dom::show_question(from, index);
        render_mark(from);
        render_mark(index);
        render_footer();
    }

    fn render_mark(index: usize) {
        if let Some(mark) = with(|t| t.mark(index)) {
            dom::render_mark(index, mark);
        }
    }

    fn render_footer() {
        if let Some((current, count, finishing)) =
            with(|t| (t.current, t.questions.len(), t.finishing))
        {
            dom::render_footer(current, count, finishing);
        }
    }

    fn set_status(status: Status) {
        dom::render_status(&status);
        with(|t| t.status = status);
    }

    /// Every half second: the clock, its warnings, and handing in at the deadline.
    fn tick() {
        let Some(tick) = with(|t| t.tick(now())) else {
            return;
        };
        dom::render_clock(tick.clock, tick.warning);
        if tick.due {
            finish();
        }
    }

    /// Writes the queue to the browser's storage (or removes it when empty).
    fn store() {
        let Some(storage) = dom::storage() else {
            return;
        };
        let Some((key, json)) = with(|t| {
            let json = (!t.queue.is_empty()).then(|| wire::saves_json(t.queue.pending()));
            (t.storage_key.clone(), json)
        }) else {
            return;
        };
        let _ = match json {
            Some(json) => storage.set_item(&key, &json),
            None => storage.remove_item(&key),
        };
    }

    /// Ends the queue's wait (the connection is back, or saves were left over) and sends.
    fn send_now() {
        with(|t| t.queue.wake(now()));
        pump();
    }

    /// Sends what the queue says goes next, or sets the timer for when it will have
    /// something; each send's outcome calls it again.
    fn pump() {
        let now = now();
        let Some((token, next, wake_at)) =
            with(|t| (t.token.clone(), t.queue.next(now), t.queue.wake_at()))
        else {
            return;
        };
        match next {
            Some(Next::Save(save)) => spawn_local(send(token, save)),
            Some(Next::Submit) => spawn_local(submit(token)),
            None => {
                if let Some(at) = wake_at {
                    let delay = Duration::from_millis((at - now).max(0.0) as u64);
                    let handle = set_timeout_with_handle(pump, delay).ok();
                    if let Some(old) = WAKE.replace(handle) {
                        old.clear();
                    }
                }
            }
        }
    }

    async fn send(token: String, save: Save) {
        match post(SaveAnswer::PATH, wire::save_body(&token, &save)).await {
            Ok(reply) => {
                let ack = wire::ack(&wire::parse(&reply));
                let now = now();
                let done = with(|t| {
                    if let Some(ack) = ack {
                        t.offset_ms = ack.server_now_ms as f64 - now;
                    }
                    let held = ack.map_or(save.seq, |ack| ack.seq);
                    t.queue.acknowledged(&save.question_id, held);
                    t.queue.is_empty() && matches!(t.status, Status::Saving | Status::Offline)
                });
                store();
                if done == Some(true) {
                    set_status(Status::Saved);
                }
            }
            Err(Failure::Offline) => {
                with(|t| t.queue.failed(now()));
                set_status(Status::Offline);
            }
            Err(Failure::Refused(AppError::Internal)) => {
                with(|t| t.queue.failed(now()));
                set_status(Status::Saving);
            }
            Err(Failure::Refused(AppError::Closed(message))) => {
                with(|t| {
                    t.queue.clear();
                    t.finishing = true;
                });
                store();
                set_status(Status::Closed(message));
                render_footer();
                let _ = set_timeout_with_handle(dom::reload, Duration::from_secs(4));
            }
            Err(Failure::Refused(error)) => {
                // This save can never succeed; drop it and say why, keep the rest.
                with(|t| t.queue.refused(&save.question_id));
                store();
                set_status(Status::Failed(error.to_string()));
            }
        }
        pump();
    }

    /// Hands the test in once every queued save is through; keeps trying while offline.
    fn finish() {
        let started = with(|t| !std::mem::replace(&mut t.finishing, true)).unwrap_or(false);
        if !started {
            return;
        }
        render_footer();
        with(|t| t.queue.hand_in(now()));
        pump();
    }

    async fn submit(token: String) {
        match post(SubmitTest::PATH, wire::submit_body(&token)).await {
            Ok(_) | Err(Failure::Refused(_)) => {
                with(|t| t.queue.handed_in());
                store();
                dom::reload();
            }
            Err(Failure::Offline) => {
                with(|t| t.queue.failed(now()));
                set_status(Status::Offline);
                pump();
            }
        }
    }

    enum Failure {
        Offline,
        Refused(AppError),
    }

    /// POSTs JSON to a server function; the reply's text, or why not.
    async fn post(endpoint: &str, body: String) -> Result<String, Failure> {
        let body = JsValue::from_str(&body);
        let response = fetch::post(endpoint, &body, Some("application/json"))
            .await
            .map_err(|_| Failure::Offline)?;
        let status = response.status();
        let text = fetch::text(&response).await;
        if response.ok() {
            Ok(text)
        } else if status > 500 {
            // A proxy or the server restarting: try again later.
            Err(Failure::Offline)
        } else {
            Err(Failure::Refused(crate::json::app_error(
                status,
                &wire::parse(&text),
            )))
        }
    }
}
