//! The test island: one question at a time with a navigator, the countdown to the
//! server's deadline, autosave with per-answer sequence numbers, an offline queue in the
//! browser's storage, and submission (by the candidate, or by itself at the deadline).
//!
//! Every change goes first into `localStorage` (so a crash or a reload loses nothing) and
//! then, debounced, to the server one save at a time; a save leaves the queue only when
//! the server acknowledged its sequence number or a newer one.

use leptos::prelude::*;
use uuid::Uuid;

use super::{AnswerSave, CandidateQuestion, TestView};
use crate::questions::model::{QuestionKind, Response};

/// What the save indicator says.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Status {
    Saved,
    Saving,
    Offline,
    /// A save the server refused for good (the message says why); others go on.
    Failed(String),
    /// The session is over (time is up, or submitted elsewhere).
    Closed(String),
}

impl Status {
    fn text(&self) -> String {
        match self {
            Status::Saved => "Saved".into(),
            Status::Saving => "Saving…".into(),
            Status::Offline => {
                "Offline — your answers are kept on this device and will be sent".into()
            }
            Status::Failed(message) | Status::Closed(message) => message.clone(),
        }
    }
}

/// The island's state: arena handles only, so it is `Copy` into every closure.
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct Runner {
    token: StoredValue<String>,
    storage_key: StoredValue<String>,
    ids: StoredValue<Vec<Uuid>>,
    answers: StoredValue<Vec<RwSignal<Option<Response>>>>,
    flags: StoredValue<Vec<RwSignal<bool>>>,
    seqs: StoredValue<Vec<i64>>,
    time_spent: StoredValue<Vec<i64>>,
    /// When the current question was shown (browser clock, ms).
    shown_since: StoredValue<f64>,
    /// Saves not yet acknowledged, at most one per question (the newest).
    pending: StoredValue<Vec<AnswerSave>>,
    busy: StoredValue<bool>,
    current: RwSignal<usize>,
    status: RwSignal<Status>,
    /// The server's clock minus the browser's, in ms.
    offset_ms: StoredValue<f64>,
    /// The server's time now, ticking every second.
    now_ms: RwSignal<f64>,
    deadline_ms: f64,
    finishing: RwSignal<bool>,
}

impl Runner {
    fn answer(&self, index: usize) -> RwSignal<Option<Response>> {
        self.answers.with_value(|a| a[index])
    }

    fn flag(&self, index: usize) -> RwSignal<bool> {
        self.flags.with_value(|f| f[index])
    }

    fn remaining_seconds(&self) -> i64 {
        ((self.deadline_ms - self.now_ms.get()) / 1000.0)
            .ceil()
            .max(0.0) as i64
    }

    fn unanswered(&self) -> Vec<usize> {
        (0..self.ids.with_value(Vec::len))
            .filter(|i| {
                !self
                    .answer(*i)
                    .with_untracked(|a| a.as_ref().is_some_and(Response::is_answered))
            })
            .map(|i| i + 1)
            .collect()
    }

    /// Records a change of question `index`: next sequence number, into the queue and the
    /// browser's storage at once, then a save soon.
    fn changed(&self, index: usize) {
        if self.finishing.get_untracked()
            && matches!(self.status.get_untracked(), Status::Closed(_))
        {
            return;
        }
        let seq = self.seqs.with_value(|s| s[index]) + 1;
        self.seqs.update_value(|s| s[index] = seq);
        let save = AnswerSave {
            question_id: self.ids.with_value(|ids| ids[index]),
            response: self.answer(index).get_untracked(),
            seq,
            flagged: self.flag(index).get_untracked(),
            time_spent_ms: self.time_on(index),
        };
        self.pending.update_value(|pending| {
            pending.retain(|p| p.question_id != save.question_id);
            pending.push(save);
        });
        client::store(self);
        if !matches!(self.status.get_untracked(), Status::Offline) {
            self.status.set(Status::Saving);
        }
        client::schedule_flush(*self);
    }

    fn time_on(&self, index: usize) -> i64 {
        let mut spent = self.time_spent.with_value(|t| t[index]);
        if self.current.get_untracked() == index {
            spent += (client::now() - self.shown_since.get_value()).max(0.0) as i64;
        }
        spent
    }

    fn go_to(&self, index: usize) {
        let from = self.current.get_untracked();
        if from == index {
            return;
        }
        let spent = self.time_on(from);
        self.time_spent.update_value(|t| t[from] = spent);
        self.shown_since.set_value(client::now());
        self.current.set(index);
    }
}

#[island]
pub fn TestRunner(test: TestView) -> impl IntoView {
    let count = test.questions.len();
    let saved = |id: Uuid| test.answers.iter().find(|a| a.question_id == id);
    let runner = Runner {
        token: StoredValue::new(test.token.clone()),
        storage_key: StoredValue::new(format!("are-test:{}", test.session_id)),
        ids: StoredValue::new(test.questions.iter().map(|q| q.id).collect()),
        answers: StoredValue::new(
            test.questions
                .iter()
                .map(|q| RwSignal::new(saved(q.id).and_then(|a| a.response.clone())))
                .collect(),
        ),
        flags: StoredValue::new(
            test.questions
                .iter()
                .map(|q| RwSignal::new(saved(q.id).is_some_and(|a| a.flagged)))
                .collect(),
        ),
        seqs: StoredValue::new(
            test.questions
                .iter()
                .map(|q| saved(q.id).map_or(0, |a| a.seq))
                .collect(),
        ),
        time_spent: StoredValue::new(
            test.questions
                .iter()
                .map(|q| saved(q.id).map_or(0, |a| a.time_spent_ms))
                .collect(),
        ),
        shown_since: StoredValue::new(0.0),
        pending: StoredValue::new(Vec::new()),
        busy: StoredValue::new(false),
        current: RwSignal::new(0),
        status: RwSignal::new(Status::Saved),
        offset_ms: StoredValue::new(0.0),
        now_ms: RwSignal::new(test.server_now_ms as f64),
        deadline_ms: test.deadline_ms as f64,
        finishing: RwSignal::new(false),
    };
    let server_now = test.server_now_ms as f64;
    let (ready, set_ready) = signal(false);
    Effect::new(move |_| {
        client::start(runner, server_now);
        set_ready.set(true);
    });
    let questions = StoredValue::new(test.questions);
    let confirming = RwSignal::new(false);
    let warning = Memo::new(move |_| match runner.remaining_seconds() {
        0 => Some("Time is up. Your answers are being handed in."),
        1..=60 => {
            Some("Less than 1 minute left. The test is handed in automatically when time runs out.")
        }
        61..=300 => Some("Less than 5 minutes left."),
        _ => None,
    });
    let clock = move || {
        let left = runner.remaining_seconds();
        format!("{}:{:02}", left / 60, left % 60)
    };
    view! {
        <div class="test-runner" data-ready=move || ready.get().then_some("true")>
            <header class="test-bar">
                <span class="test-clock" role="timer" aria-label="Time left">{clock}</span>
                <span
                    class=move || match runner.status.get() {
                        Status::Saved => "save-status saved",
                        Status::Saving => "save-status saving",
                        Status::Offline => "save-status offline",
                        Status::Failed(_) | Status::Closed(_) => "save-status failed",
                    }
                    role="status"
                    aria-live="polite"
                >
                    {move || runner.status.get().text()}
                </span>
            </header>
            {move || warning.get().map(|text| view! { <p class="test-warning" role="alert">{text}</p> })}
            <nav class="test-nav" aria-label="Questions">
                {(0..count).map(|i| {
                    let class = move || {
                        let mut class = String::from("nav-item");
                        if runner.current.get() == i { class.push_str(" current"); }
                        if runner.answer(i).with(|a| a.as_ref().is_some_and(Response::is_answered)) { class.push_str(" answered"); }
                        if runner.flag(i).get() { class.push_str(" flagged"); }
                        class
                    };
                    let label = move || {
                        let answered = runner.answer(i).with(|a| a.as_ref().is_some_and(Response::is_answered));
                        format!("Question {}, {}{}", i + 1, if answered { "answered" } else { "unanswered" },
                            if runner.flag(i).get() { ", flagged" } else { "" })
                    };
                    view! { <button type="button" class=class aria-label=label on:click=move |_| runner.go_to(i)>{i + 1}</button> }
                }).collect_view()}
            </nav>
            // Every question is rendered once (on the server, then hydrated) and only the
            // current one is shown: inputs keep their state and the browser's focus.
            {questions.with_value(|qs| qs.iter().enumerate().map(|(i, question)| view! {
                <div hidden=move || runner.current.get() != i>{question_view(runner, i, count, question)}</div>
            }).collect_view())}
            <footer class="test-actions">
                <button type="button" disabled=move || runner.current.get() == 0
                    on:click=move |_| runner.go_to(runner.current.get_untracked().saturating_sub(1))>"Previous"</button>
                <button type="button" class="flag" aria-pressed=move || runner.flag(runner.current.get()).get().to_string()
                    on:click=move |_| {
                        let i = runner.current.get_untracked();
                        runner.flag(i).update(|f| *f = !*f);
                        runner.changed(i);
                    }>
                    {move || if runner.flag(runner.current.get()).get() { "Unflag" } else { "Flag for review" }}
                </button>
                <button type="button" disabled=move || { runner.current.get() + 1 >= count }
                    on:click=move |_| runner.go_to((runner.current.get_untracked() + 1).min(count - 1))>"Next"</button>
                <button type="button" class="primary" disabled=move || runner.finishing.get()
                    on:click=move |_| confirming.set(true)>"Submit test"</button>
            </footer>
            {move || confirming.get().then(|| {
                let unanswered = runner.unanswered();
                view! {
                    <div class="confirm" role="dialog" aria-modal="true" aria-labelledby="confirm-title">
                        <h2 id="confirm-title">"Submit your test?"</h2>
                        {if unanswered.is_empty() {
                            view! { <p>"You have answered every question."</p> }.into_any()
                        } else {
                            let list = unanswered.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
                            view! { <p class="unanswered">{format!("Not answered yet: question{} {list}.", if unanswered.len() == 1 { "" } else { "s" })}</p> }.into_any()
                        }}
                        <p>"After submitting you cannot change your answers."</p>
                        <button type="button" class="primary" on:click=move |_| {
                            confirming.set(false);
                            client::finish(runner);
                        }>"Submit now"</button>
                        <button type="button" on:click=move |_| confirming.set(false)>"Keep working"</button>
                    </div>
                }
            })}
        </div>
    }
}

/// The current question with the input its kind takes.
fn question_view(runner: Runner, i: usize, count: usize, question: &CandidateQuestion) -> AnyView {
    let answer = runner.answer(i);
    let set = move |response: Option<Response>| {
        answer.set(response);
        runner.changed(i);
    };
    let name = format!("q-{}", question.id);
    let input = match question.kind {
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
            let multiple = question.kind == QuestionKind::MultipleChoice;
            question
                .options
                .iter()
                .map(|(id, text)| {
                    let id = *id;
                    let chosen = move || answer.with(|a| matches!(a, Some(Response::Choices(ids)) if ids.contains(&id)));
                    let on_change = move |_| {
                        let mut ids = match answer.get_untracked() {
                            Some(Response::Choices(ids)) if multiple => ids,
                            _ => Vec::new(),
                        };
                        if multiple && ids.contains(&id) {
                            ids.retain(|x| *x != id);
                        } else {
                            ids.push(id);
                        }
                        set(Some(Response::Choices(ids)));
                    };
                    view! {
                        <label class="choice">
                            <input type=if multiple { "checkbox" } else { "radio" } name=name.clone() value=id.to_string() checked=chosen prop:checked=chosen on:change=on_change/>
                            <span>{text.clone()}</span>
                        </label>
                    }
                })
                .collect_view()
                .into_any()
        }
        QuestionKind::TrueFalse => [(true, "True"), (false, "False")]
            .into_iter()
            .map(|(value, label)| {
                let chosen = move || answer.with(|a| *a == Some(Response::Boolean(value)));
                view! {
                    <label class="choice">
                        <input type="radio" name=name.clone() value=value.to_string() checked=chosen prop:checked=chosen on:change=move |_| set(Some(Response::Boolean(value)))/>
                        <span>{label}</span>
                    </label>
                }
            })
            .collect_view()
            .into_any(),
        QuestionKind::Numeric => {
            let value = answer.with_untracked(|a| match a {
                Some(Response::Number(text)) => text.clone(),
                _ => String::new(),
            });
            view! {
                <input type="text" inputmode="decimal" class="numeric-answer" aria-label="Your answer (a number)" value=value
                    on:input=move |ev| set(Some(Response::Number(event_target_value(&ev))))/>
            }
            .into_any()
        }
        QuestionKind::ShortText => {
            let value = text_of(answer, "");
            view! {
                <input type="text" aria-label="Your answer" maxlength="1000" value=value
                    on:input=move |ev| set(Some(Response::Text(event_target_value(&ev))))/>
            }
            .into_any()
        }
        QuestionKind::LongText | QuestionKind::Code => {
            let code = question.kind == QuestionKind::Code;
            let value = text_of(answer, if code { &question.starter_code } else { "" });
            view! {
                <textarea class=if code { "code-editor" } else { "" } rows=if code { "14" } else { "10" }
                    spellcheck=if code { "false" } else { "true" } aria-label=if code { "Your code" } else { "Your answer" }
                    on:input=move |ev| set(Some(Response::Text(event_target_value(&ev))))>{value}</textarea>
            }
            .into_any()
        }
    };
    let language = (question.kind == QuestionKind::Code && !question.language.is_empty()).then(|| {
        view! { <p class="code-language">"Language: " <span>{question.language.clone()}</span></p> }
    });
    let hint = match question.kind {
        QuestionKind::SingleChoice => "Choose one answer.",
        QuestionKind::MultipleChoice => "Choose every answer that applies.",
        _ => "Your answer",
    };
    view! {
        <section class="test-question" aria-labelledby=format!("question-heading-{i}")>
            <h2 id=format!("question-heading-{i}")>
                {format!("Question {} of {count}", i + 1)}
                <span class="points">{format!(" · {} point{}", question.points, if question.points == 1 { "" } else { "s" })}</span>
            </h2>
            // The markup and classes of `questions::view::QuestionView`, which the staff
            // preview shows: the candidate sees what the recruiter previewed.
            <article class="question-view" data-kind=question.kind.as_str()>
                <div class="question-prompt markdown" inner_html=question.prompt_html.clone()></div>
                <fieldset class="question-answer">
                    <legend>{hint}</legend>
                    {language}
                    {input}
                </fieldset>
            </article>
            {matches!(question.kind, QuestionKind::SingleChoice | QuestionKind::MultipleChoice | QuestionKind::TrueFalse)
                .then(|| view! { <button type="button" class="link clear" on:click=move |_| set(None)>"Clear my answer"</button> })}
        </section>
    }
    .into_any()
}

fn text_of(answer: RwSignal<Option<Response>>, default: &str) -> String {
    answer.with_untracked(|a| match a {
        Some(Response::Text(text)) => text.clone(),
        _ => default.to_string(),
    })
}

mod client {
    use super::Runner;

    #[cfg(not(feature = "hydrate"))]
    pub fn now() -> f64 {
        0.0
    }
    #[cfg(not(feature = "hydrate"))]
    pub fn start(_runner: Runner, _server_now: f64) {}
    #[cfg(not(feature = "hydrate"))]
    pub fn store(_runner: &Runner) {}
    #[cfg(not(feature = "hydrate"))]
    pub fn schedule_flush(_runner: Runner) {}
    #[cfg(not(feature = "hydrate"))]
    pub fn finish(_runner: Runner) {}

    #[cfg(feature = "hydrate")]
    pub use browser::*;

    #[cfg(feature = "hydrate")]
    mod browser {
        use std::time::Duration;

        use leptos::prelude::*;
        use wasm_bindgen_futures::{spawn_local, JsFuture};

        use super::super::Status;
        use super::Runner;
        use crate::candidate_test::{AnswerSave, SaveAck};
        use crate::error::AppError;
        use crate::ui::fetch;

        /// How long typing may pause before a save goes out.
        const DEBOUNCE: Duration = Duration::from_millis(400);
        /// How soon a save that could not reach the server is tried again.
        const RETRY: Duration = Duration::from_secs(3);

        pub fn now() -> f64 {
            js_sys::Date::now()
        }

        fn storage() -> Option<web_sys::Storage> {
            web_sys::window()?.local_storage().ok().flatten()
        }

        /// Writes the queue to the browser's storage (or removes it when empty).
        pub fn store(runner: &Runner) {
            let Some(storage) = storage() else { return };
            let key = runner.storage_key.get_value();
            let pending = runner.pending.get_value();
            if pending.is_empty() {
                let _ = storage.remove_item(&key);
            } else if let Ok(json) = serde_json::to_string(&pending) {
                let _ = storage.set_item(&key, &json);
            }
        }

        /// Hydration: the clock, the queue left by an earlier visit (newer than the
        /// server's answers, it wins and is sent), and the listeners.
        pub fn start(runner: Runner, server_now: f64) {
            runner.offset_ms.set_value(server_now - now());
            runner.shown_since.set_value(now());
            let left: Vec<AnswerSave> = storage()
                .and_then(|s| s.get_item(&runner.storage_key.get_value()).ok().flatten())
                .and_then(|json| serde_json::from_str(&json).ok())
                .unwrap_or_default();
            let ids = runner.ids.get_value();
            for save in left {
                let Some(index) = ids.iter().position(|id| *id == save.question_id) else {
                    continue;
                };
                if save.seq > runner.seqs.with_value(|s| s[index]) {
                    runner.seqs.update_value(|s| s[index] = save.seq);
                    runner.answer(index).set(save.response.clone());
                    runner.flag(index).set(save.flagged);
                    runner.pending.update_value(|p| p.push(save));
                }
            }
            store(&runner);
            tick(runner);
            let _ = set_interval_with_handle(move || tick(runner), Duration::from_millis(500));
            let _ = window_event_listener(leptos::ev::online, move |_| flush(runner));
            if !runner.pending.with_value(Vec::is_empty) {
                runner.status.set(Status::Saving);
                flush(runner);
            }
        }

        fn tick(runner: Runner) {
            runner.now_ms.set(now() + runner.offset_ms.get_value());
            if runner.remaining_seconds() == 0 && !runner.finishing.get_untracked() {
                finish(runner);
            }
        }

        pub fn schedule_flush(runner: Runner) {
            thread_local! {
                static TIMER: std::cell::Cell<Option<TimeoutHandle>> = const { std::cell::Cell::new(None) };
            }
            TIMER.with(|timer| {
                if let Some(handle) = timer.take() {
                    handle.clear();
                }
                timer.set(set_timeout_with_handle(move || flush(runner), DEBOUNCE).ok());
            });
        }

        /// Sends the queue, one save at a time, unless a flush is already running.
        pub fn flush(runner: Runner) {
            if runner.busy.get_value() {
                return;
            }
            runner.busy.set_value(true);
            spawn_local(async move {
                let outcome = send_all(runner).await;
                runner.busy.set_value(false);
                if outcome.is_err() {
                    let _ = set_timeout_with_handle(move || flush(runner), RETRY);
                }
            });
        }

        /// Sends every queued save; `Err` when the server could not be reached.
        async fn send_all(runner: Runner) -> Result<(), ()> {
            let token = runner.token.get_value();
            while let Some(save) = runner.pending.with_value(|p| p.first().cloned()) {
                let body = serde_json::json!({ "token": token, "save": save });
                match post("/api/test/save", &body).await {
                    Ok(ack) => {
                        let ack: Option<SaveAck> = serde_json::from_str(&ack).ok();
                        if let Some(ack) = ack {
                            runner.offset_ms.set_value(ack.server_now_ms as f64 - now());
                        }
                        let done = ack.map_or(save.seq, |a| a.seq);
                        runner.pending.update_value(|p| {
                            p.retain(|s| !(s.question_id == save.question_id && s.seq <= done))
                        });
                    }
                    Err(Failure::Offline) => {
                        runner.status.set(Status::Offline);
                        return Err(());
                    }
                    Err(Failure::Refused(AppError::Closed(message))) => {
                        runner.pending.set_value(Vec::new());
                        store(&runner);
                        runner.status.set(Status::Closed(message));
                        runner.finishing.set(true);
                        let _ = set_timeout_with_handle(reload, Duration::from_secs(4));
                        return Ok(());
                    }
                    Err(Failure::Refused(AppError::Internal)) => {
                        runner.status.set(Status::Saving);
                        return Err(());
                    }
                    Err(Failure::Refused(error)) => {
                        // This save can never succeed; drop it and say why, keep the rest.
                        runner
                            .pending
                            .update_value(|p| p.retain(|s| s.question_id != save.question_id));
                        runner.status.set(Status::Failed(error.to_string()));
                    }
                }
                store(&runner);
            }
            if matches!(
                runner.status.get_untracked(),
                Status::Saving | Status::Offline
            ) {
                runner.status.set(Status::Saved);
            }
            Ok(())
        }

        /// Hands the test in once every queued save is through; keeps trying while offline.
        pub fn finish(runner: Runner) {
            if runner.finishing.get_untracked() {
                return;
            }
            runner.finishing.set(true);
            spawn_local(async move {
                let token = runner.token.get_value();
                loop {
                    while runner.busy.get_value() {
                        sleep(100).await;
                    }
                    runner.busy.set_value(true);
                    let sent = send_all(runner).await;
                    runner.busy.set_value(false);
                    if sent.is_ok() {
                        match post("/api/test/submit", &serde_json::json!({ "token": token })).await
                        {
                            Ok(_) | Err(Failure::Refused(_)) => break,
                            Err(Failure::Offline) => runner.status.set(Status::Offline),
                        }
                    }
                    sleep(RETRY.as_millis() as i32).await;
                }
                runner.pending.set_value(Vec::new());
                store(&runner);
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
                    let _ =
                        window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
                }
            });
            let _ = JsFuture::from(promise).await;
        }

        enum Failure {
            Offline,
            Refused(AppError),
        }

        /// POSTs JSON to a server function; the reply's text, or why not.
        async fn post(endpoint: &str, body: &serde_json::Value) -> Result<String, Failure> {
            let body = wasm_bindgen::JsValue::from_str(&body.to_string());
            let response = fetch::post(endpoint, &body, Some("application/json"))
                .await
                .map_err(|_| Failure::Offline)?;
            if response.ok() {
                Ok(fetch::text(&response).await)
            } else if response.status() > 500 {
                // A proxy or the server restarting: try again later.
                Err(Failure::Offline)
            } else {
                Err(Failure::Refused(fetch::app_error(&response).await))
            }
        }
    }
}
