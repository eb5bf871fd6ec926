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
//!   confirmation `#test-confirm` with `#confirm-unanswered`, `#confirm-submit` and
//!   `#confirm-cancel`; a `button.clear` in each choice question.
//!
//! Every change goes first into `localStorage` (so a crash or a reload loses nothing) and
//! then, debounced, to the server one save at a time; a save leaves the queue only when
//! the server acknowledged its sequence number or a newer one.

use leptos::prelude::*;

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
    browser::start();
    children()
}

#[cfg(feature = "test-island")]
mod browser {
    use std::cell::RefCell;
    use std::time::Duration;

    use leptos::prelude::{set_interval_with_handle, set_timeout_with_handle, TimeoutHandle};
    use server_fn::ServerFn;
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    use wasm_bindgen_futures::{spawn_local, JsFuture};
    use web_sys::{Element, Event, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

    use super::section_id;
    use crate::candidate_test::runner::{self, Mark, Status};
    use crate::candidate_test::{SaveAnswer, SubmitTest};
    use crate::error::AppError;
    use crate::questions::model::{QuestionKind, Response};
    use crate::ui::fetch;

    /// How long typing may pause before a save goes out.
    const DEBOUNCE: Duration = Duration::from_millis(400);
    /// How soon a save that could not reach the server is tried again.
    const RETRY: Duration = Duration::from_secs(3);

    struct Question {
        id: String,
        kind: QuestionKind,
        seq: i64,
        answered: bool,
        flagged: bool,
        spent_ms: i64,
    }

    struct Test {
        token: String,
        storage_key: String,
        questions: Vec<Question>,
        current: usize,
        /// When the current question was shown (browser clock, ms).
        shown_since: f64,
        /// Saves not yet acknowledged, at most one per question (the newest).
        pending: Vec<Save>,
        /// A flush is sending the queue.
        busy: bool,
        status: Status,
        /// The server's clock minus the browser's, in ms.
        offset_ms: f64,
        deadline_ms: f64,
        finishing: bool,
        debounce: Option<TimeoutHandle>,
        /// What the clock and the warning show, to touch the page only when they change.
        shown_clock: String,
        shown_warning: Option<&'static str>,
    }

    impl Test {
        fn mark(&self, index: usize) -> Mark {
            let question = &self.questions[index];
            Mark {
                current: index == self.current,
                answered: question.answered,
                flagged: question.flagged,
            }
        }

        fn time_on(&self, index: usize) -> i64 {
            let mut spent = self.questions[index].spent_ms;
            if index == self.current {
                spent += (now() - self.shown_since).max(0.0) as i64;
            }
            spent
        }
    }

    thread_local! {
        static TEST: RefCell<Option<Test>> = const { RefCell::new(None) };
    }

    /// Runs `f` on the test (never from inside another `with`).
    fn with<R>(f: impl FnOnce(&mut Test) -> R) -> Option<R> {
        TEST.with(|test| test.borrow_mut().as_mut().map(f))
    }

    fn now() -> f64 {
        js_sys::Date::now()
    }

    fn element(id: &str) -> Option<Element> {
        web_sys::window()?.document()?.get_element_by_id(id)
    }

    fn set_text(id: &str, text: &str) {
        if let Some(element) = element(id) {
            element.set_text_content(Some(text));
        }
    }

    /// Sets or removes a boolean attribute (`hidden`, `disabled`) of the element `id`.
    fn toggle(id: &str, name: &str, on: bool) {
        if let Some(element) = element(id) {
            let _ = element.toggle_attribute_with_force(name, on);
        }
    }

    fn data<T: std::str::FromStr>(element: &Element, name: &str) -> Option<T> {
        element.get_attribute(name)?.parse().ok()
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    /// Reads the test from the page, takes over what an earlier visit left queued on
    /// this device, and starts the clock and the listeners.
    pub fn start() {
        let Some(root) = element("test-runner") else {
            return;
        };
        let questions = (0..)
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
            .collect();
        let server_now = data::<i64>(&root, "data-now").map_or_else(now, |ms| ms as f64);
        let session = root.get_attribute("data-session").unwrap_or_default();
        let test = Test {
            token: root.get_attribute("data-token").unwrap_or_default(),
            storage_key: format!("are-test:{session}"),
            questions,
            current: 0,
            shown_since: now(),
            pending: Vec::new(),
            busy: false,
            status: Status::Saved,
            offset_ms: server_now - now(),
            deadline_ms: data::<i64>(&root, "data-deadline").unwrap_or(0) as f64,
            finishing: false,
            debounce: None,
            shown_clock: String::new(),
            shown_warning: None,
        };
        TEST.with(|cell| *cell.borrow_mut() = Some(test));
        restore();
        listen(&root, "input", on_input);
        listen(&root, "click", on_click);
        let _ = set_interval_with_handle(tick, Duration::from_millis(500));
        let _ = leptos::prelude::window_event_listener(leptos::ev::online, |_| flush());
        tick();
        let _ = root.set_attribute("data-ready", "true");
        if with(|t| !t.pending.is_empty()).unwrap_or(false) {
            set_status(Status::Saving);
            flush();
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
        let left: Vec<Save> = storage()
            .and_then(|s| s.get_item(&key).ok().flatten())
            .map(|json| wire::saves(&json))
            .unwrap_or_default();
        for save in left {
            let found = with(|t| {
                let index = t.questions.iter().position(|q| q.id == save.question_id)?;
                let question = &mut t.questions[index];
                if save.seq <= question.seq {
                    return None;
                }
                question.seq = save.seq;
                question.flagged = save.flagged;
                question.answered = save.response.as_ref().is_some_and(Response::is_answered);
                Some(index)
            })
            .flatten();
            if let Some(index) = found {
                if let Some(section) = element(&section_id(index)) {
                    write(&section, &save.response);
                }
                with(|t| t.pending.push(save));
                render_mark(index);
            }
        }
        render_footer();
        store();
    }

    /// The answer a question's inputs hold now.
    fn read(section: &Element, kind: QuestionKind) -> Option<Response> {
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
    fn write(section: &Element, response: &Option<Response>) {
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
            "test-submit" => confirm(),
            "confirm-cancel" => toggle("test-confirm", "hidden", true),
            "confirm-submit" => {
                toggle("test-confirm", "hidden", true);
                finish();
            }
            _ if button.matches(".clear").unwrap_or(false) => {
                if let Some((section, index)) = question_of(&event) {
                    write(&section, &None);
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

    /// Records a change of question `index` (its answer, as its inputs hold it now, or
    /// its flag): next sequence number, into the queue and the browser's storage at
    /// once, then a save soon.
    fn changed(index: usize) {
        let Some(kind) = with(|t| {
            let closed = matches!(t.status, Status::Closed(_));
            (!closed).then(|| t.questions.get(index).map(|q| q.kind))
        })
        .flatten()
        .flatten() else {
            return;
        };
        let Some(section) = element(&section_id(index)) else {
            return;
        };
        let response = read(&section, kind);
        with(|t| {
            let time_spent_ms = t.time_on(index);
            let question = &mut t.questions[index];
            question.seq += 1;
            question.answered = response.as_ref().is_some_and(Response::is_answered);
            let save = Save {
                question_id: question.id.clone(),
                response,
                seq: question.seq,
                flagged: question.flagged,
                time_spent_ms,
            };
            t.pending.retain(|p| p.question_id != save.question_id);
            t.pending.push(save);
        });
        store();
        render_mark(index);
        if with(|t| t.status != Status::Offline).unwrap_or(false) {
            set_status(Status::Saving);
        }
        schedule_flush();
    }

    fn go_to(index: usize) {
        let Some(from) = with(|t| {
            let from = t.current;
            if from == index || index >= t.questions.len() {
                return None;
            }
            t.questions[from].spent_ms = t.time_on(from);
            t.shown_since = now();
            t.current = index;
            Some(from)
        })
        .flatten() else {
            return;
        };
        toggle(&section_id(from), "hidden", true);
        toggle(&section_id(index), "hidden", false);
        render_mark(from);
        render_mark(index);
        render_footer();
    }

    /// The navigator button of question `index`.
    fn render_mark(index: usize) {
        let Some(mark) = with(|t| t.mark(index)) else {
            return;
        };
        let selector = format!("[data-goto=\"{index}\"]");
        if let Some(Ok(Some(button))) = element("test-runner").map(|r| r.query_selector(&selector))
        {
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

    fn render_footer() {
        let Some((current, count, finishing)) =
            with(|t| (t.current, t.questions.len(), t.finishing))
        else {
            return;
        };
        toggle("test-previous", "disabled", current == 0);
        toggle("test-next", "disabled", current + 1 >= count);
        toggle("test-submit", "disabled", finishing);
    }

    fn set_status(status: Status) {
        if let Some(element) = element("save-status") {
            let _ = element.set_attribute("class", status.class());
            element.set_text_content(Some(status.text()));
        }
        with(|t| t.status = status);
    }

    /// Opens the confirmation, listing the questions not answered yet.
    fn confirm() {
        let unanswered: Vec<usize> = with(|t| {
            (0..t.questions.len())
                .filter(|i| !t.questions[*i].answered)
                .map(|i| i + 1)
                .collect()
        })
        .unwrap_or_default();
        set_text(
            "confirm-unanswered",
            &runner::unanswered_message(&unanswered),
        );
        if let Some(line) = element("confirm-unanswered") {
            let _ = line.set_attribute(
                "class",
                if unanswered.is_empty() {
                    ""
                } else {
                    "unanswered"
                },
            );
        }
        toggle("test-confirm", "hidden", false);
        if let Some(button) =
            element("confirm-submit").and_then(|b| b.dyn_into::<HtmlElement>().ok())
        {
            let _ = button.focus();
        }
    }

    /// Every half second: the clock, its warnings, and handing in at the deadline.
    fn tick() {
        let Some((clock, warning, due)) = with(|t| {
            let left = runner::seconds_left(t.deadline_ms, now() + t.offset_ms);
            let clock = runner::clock(left);
            let warning = runner::warning(left);
            let clock = (clock != t.shown_clock).then(|| {
                t.shown_clock = clock.clone();
                clock
            });
            let warning = (warning != t.shown_warning).then(|| {
                t.shown_warning = warning;
                warning
            });
            (clock, warning, left == 0 && !t.finishing)
        }) else {
            return;
        };
        if let Some(clock) = clock {
            set_text("test-clock", &clock);
        }
        if let Some(warning) = warning {
            set_text("test-warning", warning.unwrap_or_default());
            toggle("test-warning", "hidden", warning.is_none());
        }
        if due {
            finish();
        }
    }

    /// Writes the queue to the browser's storage (or removes it when empty).
    fn store() {
        let Some(storage) = storage() else { return };
        let Some((key, json)) = with(|t| {
            let json = (!t.pending.is_empty()).then(|| wire::saves_json(&t.pending));
            (t.storage_key.clone(), json)
        }) else {
            return;
        };
        let _ = match json {
            Some(json) => storage.set_item(&key, &json),
            None => storage.remove_item(&key),
        };
    }

    fn schedule_flush() {
        let handle = set_timeout_with_handle(flush, DEBOUNCE).ok();
        if let Some(Some(old)) = with(|t| std::mem::replace(&mut t.debounce, handle)) {
            old.clear();
        }
    }

    /// Sends the queue, one save at a time, unless a flush is already running.
    fn flush() {
        let started = with(|t| !std::mem::replace(&mut t.busy, true)).unwrap_or(false);
        if !started {
            return;
        }
        spawn_local(async {
            let outcome = send_all().await;
            with(|t| t.busy = false);
            if outcome.is_err() {
                let _ = set_timeout_with_handle(flush, RETRY);
            }
        });
    }

    /// Sends every queued save; `Err` when the server could not be reached.
    async fn send_all() -> Result<(), ()> {
        while let Some((token, Some(save))) =
            with(|t| (t.token.clone(), t.pending.first().cloned()))
        {
            match post(SaveAnswer::PATH, wire::save_body(&token, &save)).await {
                Ok(ack) => {
                    let (seq, server_now) = wire::ack(&ack);
                    let done = seq.unwrap_or(save.seq);
                    with(|t| {
                        if let Some(server_now) = server_now {
                            t.offset_ms = server_now - now();
                        }
                        t.pending
                            .retain(|s| !(s.question_id == save.question_id && s.seq <= done));
                    });
                }
                Err(Failure::Offline) => {
                    set_status(Status::Offline);
                    return Err(());
                }
                Err(Failure::Refused(AppError::Closed(message))) => {
                    with(|t| {
                        t.pending.clear();
                        t.finishing = true;
                    });
                    store();
                    set_status(Status::Closed(message));
                    render_footer();
                    let _ = set_timeout_with_handle(reload, Duration::from_secs(4));
                    return Ok(());
                }
                Err(Failure::Refused(AppError::Internal)) => {
                    set_status(Status::Saving);
                    return Err(());
                }
                Err(Failure::Refused(error)) => {
                    // This save can never succeed; drop it and say why, keep the rest.
                    with(|t| t.pending.retain(|s| s.question_id != save.question_id));
                    set_status(Status::Failed(error.to_string()));
                }
            }
            store();
        }
        if with(|t| matches!(t.status, Status::Saving | Status::Offline)).unwrap_or(false) {
            set_status(Status::Saved);
        }
        Ok(())
    }

    /// Hands the test in once every queued save is through; keeps trying while offline.
    fn finish() {
        let started = with(|t| !std::mem::replace(&mut t.finishing, true)).unwrap_or(false);
        if !started {
            return;
        }
        render_footer();
        spawn_local(async {
            let token = with(|t| t.token.clone()).unwrap_or_default();
            loop {
                while with(|t| t.busy).unwrap_or(false) {
                    sleep(100).await;
                }
                with(|t| t.busy = true);
                let sent = send_all().await;
                with(|t| t.busy = false);
                if sent.is_ok() {
                    match post(SubmitTest::PATH, wire::submit_body(&token)).await {
                        Ok(_) | Err(Failure::Refused(_)) => break,
                        Err(Failure::Offline) => set_status(Status::Offline),
                    }
                }
                sleep(RETRY.as_millis() as i32).await;
            }
            with(|t| t.pending.clear());
            store();
            reload();
        });
    }

    fn reload() {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    }

    async fn sleep(ms: i32) {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
            }
        });
        let _ = JsFuture::from(promise).await;
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
            Err(Failure::Refused(wire::error(status, &text)))
        }
    }

    /// A save as it waits in the queue and travels: `AnswerSave`, with the question id
    /// kept as the page gave it.
    #[derive(Clone)]
    struct Save {
        question_id: String,
        response: Option<Response>,
        seq: i64,
        flagged: bool,
        time_spent_ms: i64,
    }

    /// The JSON the island reads and writes, through the browser's own `JSON` so that no
    /// JSON library is in the WASM. The shapes are serde's for the same types
    /// (`AnswerSave`, `Response`, `SaveAck`, `AppError`), which the server decodes.
    mod wire {
        use js_sys::{Array, Object, Reflect, JSON};
        use wasm_bindgen::JsValue;

        use super::Save;
        use crate::error::AppError;
        use crate::questions::model::Response;

        fn object(fields: &[(&str, JsValue)]) -> JsValue {
            let object = Object::new();
            for (name, value) in fields {
                let _ = Reflect::set(&object, &JsValue::from_str(name), value);
            }
            object.into()
        }

        fn field(value: &JsValue, name: &str) -> JsValue {
            Reflect::get(value, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
        }

        fn stringify(value: &JsValue) -> String {
            JSON::stringify(value)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default()
        }

        fn parse(json: &str) -> JsValue {
            JSON::parse(json).unwrap_or(JsValue::UNDEFINED)
        }

        fn number(value: &JsValue, name: &str) -> Option<f64> {
            field(value, name).as_f64()
        }

        fn response(response: &Option<Response>) -> JsValue {
            match response {
                None => JsValue::NULL,
                Some(Response::Choices(ids)) => {
                    let list: Array = ids.iter().map(|id| JsValue::from(*id)).collect();
                    object(&[("choices", list.into())])
                }
                Some(Response::Boolean(value)) => {
                    object(&[("boolean", JsValue::from_bool(*value))])
                }
                Some(Response::Text(text)) => object(&[("text", JsValue::from_str(text))]),
                Some(Response::Number(text)) => object(&[("number", JsValue::from_str(text))]),
            }
        }

        /// `None` when the value is not a response (`Some(None)`: the answer is cleared).
        fn read_response(value: &JsValue) -> Option<Option<Response>> {
            if value.is_null() {
                return Some(None);
            }
            let choices = field(value, "choices");
            let response = if Array::is_array(&choices) {
                let ids = Array::from(&choices)
                    .iter()
                    .filter_map(|id| id.as_f64())
                    .map(|id| id as u32)
                    .collect();
                Response::Choices(ids)
            } else if let Some(value) = field(value, "boolean").as_bool() {
                Response::Boolean(value)
            } else if let Some(text) = field(value, "text").as_string() {
                Response::Text(text)
            } else {
                Response::Number(field(value, "number").as_string()?)
            };
            Some(Some(response))
        }

        fn save(save: &Save) -> JsValue {
            object(&[
                ("question_id", JsValue::from_str(&save.question_id)),
                ("response", response(&save.response)),
                ("seq", JsValue::from_f64(save.seq as f64)),
                ("flagged", JsValue::from_bool(save.flagged)),
                (
                    "time_spent_ms",
                    JsValue::from_f64(save.time_spent_ms as f64),
                ),
            ])
        }

        fn read_save(value: &JsValue) -> Option<Save> {
            Some(Save {
                question_id: field(value, "question_id").as_string()?,
                response: read_response(&field(value, "response"))?,
                seq: number(value, "seq")? as i64,
                flagged: field(value, "flagged").as_bool().unwrap_or(false),
                time_spent_ms: number(value, "time_spent_ms").unwrap_or(0.0) as i64,
            })
        }

        /// The queue as kept in the browser's storage.
        pub fn saves_json(saves: &[Save]) -> String {
            let list: Array = saves.iter().map(save).collect();
            stringify(&list)
        }

        /// The queue kept in the browser's storage (what cannot be read is left out).
        pub fn saves(json: &str) -> Vec<Save> {
            let value = parse(json);
            if !Array::is_array(&value) {
                return Vec::new();
            }
            Array::from(&value)
                .iter()
                .filter_map(|v| read_save(&v))
                .collect()
        }

        /// The body of `SaveAnswer`.
        pub fn save_body(token: &str, pending: &Save) -> String {
            stringify(&object(&[
                ("token", JsValue::from_str(token)),
                ("save", save(pending)),
            ]))
        }

        /// The body of `SubmitTest`.
        pub fn submit_body(token: &str) -> String {
            stringify(&object(&[("token", JsValue::from_str(token))]))
        }

        /// A `SaveAck`: the sequence number the server holds and its clock.
        pub fn ack(json: &str) -> (Option<i64>, Option<f64>) {
            let value = parse(json);
            (
                number(&value, "seq").map(|seq| seq as i64),
                number(&value, "server_now_ms"),
            )
        }

        /// The `AppError` a refusal carries, told by its status; the message is the
        /// server's when the variant has one.
        pub fn error(status: u16, json: &str) -> AppError {
            let value = parse(json);
            let message = |name: &str| field(&value, name).as_string().unwrap_or_default();
            match status {
                401 => AppError::Unauthenticated,
                403 => AppError::Forbidden,
                404 => AppError::NotFound,
                409 => AppError::Closed(message("Closed")),
                422 => AppError::Invalid(message("Invalid")),
                429 => AppError::RateLimited(number(&value, "RateLimited").unwrap_or(1.0) as u32),
                _ => AppError::Internal,
            }
        }
    }
}
