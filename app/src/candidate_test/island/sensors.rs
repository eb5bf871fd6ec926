//! Proctoring capture in the browser: the listeners that turn what the page sees into
//! events for [`Capture`], the batches to the server (by `fetch`, and by `sendBeacon` as
//! the page goes away), the indicator of what is recorded, the prompt back to full
//! screen, and the webcam's snapshots. Nothing here blocks answering: every send is a
//! promise the page does not wait for, and a snapshot is drawn on a small canvas and
//! encoded by the browser off the main thread's critical path (`toBlob`).
//!
//! What it relies on in the markup: `#test-runner` with `data-capture` (the signals the
//! assessment records: `tabs`, `fullscreen`, `clipboard`, `webcam`, comma-separated) and
//! `data-snapshot-seconds`; `#proctoring-indicator`; with full screen,
//! `#fullscreen-prompt` holding the button `#fullscreen-enter`.

use std::cell::RefCell;
use std::time::Duration;

use leptos::prelude::{set_interval_with_handle, set_timeout_with_handle};
use server_fn::ServerFn;
use uuid::Uuid;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{Element, Event};

use super::capture::{Absence, Batch, Capture};
use super::dom::{self, element};
use super::wire;
use crate::proctoring::{snapshot_headers, EventDetails, EventKind, RecordEvents, SNAPSHOT_PATH};

/// Below this size the window counts as very small.
const SMALL_WIDTH: i32 = 500;
const SMALL_HEIGHT: i32 = 400;
/// The snapshot's size: a JPEG of this at this quality is about 15–50 KB.
const SNAPSHOT_WIDTH: u32 = 320;
const SNAPSHOT_HEIGHT: u32 = 240;
const SNAPSHOT_QUALITY: f64 = 0.7;

/// What the assessment records.
#[derive(Debug, Clone, Copy, Default)]
struct Signals {
    tabs: bool,
    fullscreen: bool,
    clipboard: bool,
    webcam: bool,
    snapshot_seconds: u32,
}

struct Camera {
    video: web_sys::HtmlVideoElement,
    canvas: web_sys::HtmlCanvasElement,
    on: bool,
}

thread_local! {
    static CAPTURE: RefCell<Option<Capture>> = const { RefCell::new(None) };
    static CONTEXT: RefCell<(String, String)> = const { RefCell::new((String::new(), String::new())) };
    static CAMERA: RefCell<Option<Camera>> = const { RefCell::new(None) };
    static SMALL: RefCell<bool> = const { RefCell::new(false) };
}

fn with<R>(f: impl FnOnce(&mut Capture) -> R) -> Option<R> {
    CAPTURE.with(|c| c.borrow_mut().as_mut().map(f))
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn token() -> String {
    CONTEXT.with(|c| c.borrow().0.clone())
}

/// The storage key of this session's unsent events of `instance`.
fn storage_key(instance: Uuid) -> String {
    let session = CONTEXT.with(|c| c.borrow().1.clone());
    format!("{}{instance}", storage_prefix(&session))
}

fn storage_prefix(session: &str) -> String {
    format!("are-capture-{session}-")
}

/// Starts capturing, with `current_question` telling which question is on screen.
pub fn start(root: &Element, current_question: CurrentQuestion) {
    let signals = signals(root);
    let token = root.get_attribute("data-token").unwrap_or_default();
    let session = root.get_attribute("data-session").unwrap_or_default();
    CONTEXT.with(|c| *c.borrow_mut() = (token, session.clone()));
    QUESTION.with(|q| *q.borrow_mut() = Some(current_question));
    let instance = Uuid::from_u128(random_u128());
    let mut capture = Capture::new(instance, now());
    take_over(&mut capture, &session);
    CAPTURE.with(|c| *c.borrow_mut() = Some(capture));

    if signals.tabs {
        on_document("visibilitychange", |_| {
            let hidden = web_sys::window()
                .and_then(|w| w.document())
                .is_some_and(|d| d.hidden());
            if hidden {
                began(Absence::Tab);
            } else {
                ended(Absence::Tab);
            }
        });
        on_window("blur", |_| began(Absence::Focus));
        on_window("focus", |_| {
            ended(Absence::Focus);
        });
    }
    if signals.clipboard {
        on_document("copy", |_| record(EventKind::Copy, selection_length()));
        on_document("cut", |_| record(EventKind::Cut, selection_length()));
        on_document("paste", |event| {
            // Only the length: what was pasted is never kept or sent.
            let length = event
                .dyn_ref::<web_sys::ClipboardEvent>()
                .and_then(|e| e.clipboard_data())
                .and_then(|data| data.get_data("text").ok())
                .map(|text| text.chars().count() as u32);
            record(EventKind::Paste, length);
        });
        on_document("contextmenu", |_| record(EventKind::ContextMenu, None));
    }
    if signals.fullscreen {
        on_document("fullscreenchange", |_| {
            if in_fullscreen() {
                // Back after an exit (with its length), or in for the first time.
                if ended(Absence::Fullscreen).is_none() {
                    record(EventKind::FullscreenEntered, None);
                }
                dom::toggle("fullscreen-prompt", "hidden", true);
            } else {
                began(Absence::Fullscreen);
                dom::toggle("fullscreen-prompt", "hidden", false);
            }
        });
        if let Some(button) = element("fullscreen-enter") {
            listen(&button, "click", |_| enter_fullscreen());
        }
        // Browsers enter full screen only on a click of the candidate's: the prompt
        // asks for it.
        if !in_fullscreen() {
            dom::toggle("fullscreen-prompt", "hidden", false);
        }
    }
    on_window("resize", |_| check_window());
    check_window();
    if second_screen() {
        record(EventKind::SecondScreen, None);
    }
    on_window("offline", |_| began(Absence::Network));
    on_window("online", |_| {
        ended(Absence::Network);
        with(Capture::wake);
        pump();
    });
    on_window("pagehide", |_| beacon());
    if signals.webcam {
        start_camera(signals.snapshot_seconds);
    }
    render_indicator();
    let _ = set_interval_with_handle(pump, Duration::from_millis(1_000));
    pump();
}

/// Tells which question is on screen (the test's state is the island's, not ours).
type CurrentQuestion = fn() -> Option<Uuid>;

thread_local! {
    static QUESTION: RefCell<Option<CurrentQuestion>> = const { RefCell::new(None) };
}

fn question() -> Option<Uuid> {
    QUESTION.with(|q| q.borrow().and_then(|f| f()))
}

fn signals(root: &Element) -> Signals {
    let listed = root.get_attribute("data-capture").unwrap_or_default();
    let has = |name: &str| listed.split(',').any(|s| s.trim() == name);
    Signals {
        tabs: has("tabs"),
        fullscreen: has("fullscreen"),
        clipboard: has("clipboard"),
        webcam: has("webcam"),
        snapshot_seconds: dom::data(root, "data-snapshot-seconds").unwrap_or(60),
    }
}

fn random_u128() -> u128 {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if !filled {
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (js_sys::Math::random() * 256.0) as u8 ^ i as u8;
        }
    }
    // A version 4 UUID.
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    u128::from_be_bytes(bytes)
}

/// Events earlier page loads of this session left in the browser's storage.
fn take_over(capture: &mut Capture, session: &str) {
    let Some(storage) = dom::storage() else {
        return;
    };
    let prefix = storage_prefix(session);
    let length = storage.length().unwrap_or(0);
    let keys: Vec<String> = (0..length)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| key.starts_with(&prefix))
        .collect();
    for key in keys {
        let left = storage
            .get_item(&key)
            .ok()
            .flatten()
            .and_then(|json| wire::stored_events(&wire::parse(&json)));
        if let Some((instance, events)) = left {
            capture.take_over(instance, events);
        }
    }
}

fn listen(target: &web_sys::EventTarget, name: &str, handler: fn(Event)) {
    let closure = Closure::<dyn Fn(Event)>::new(handler);
    let _ = target.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
    closure.forget();
}

fn on_window(name: &str, handler: fn(Event)) {
    if let Some(window) = web_sys::window() {
        listen(&window, name, handler);
    }
}

fn on_document(name: &str, handler: fn(Event)) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        listen(&document, name, handler);
    }
}

fn record(kind: EventKind, length: Option<u32>) {
    let question = question();
    with(|c| {
        c.record(
            kind,
            now(),
            question,
            EventDetails {
                length,
                ..Default::default()
            },
        )
    });
    store();
}

fn began(absence: Absence) {
    let question = question();
    with(|c| c.began(absence, now(), question));
    store();
}

/// Ends the absence; its length, or none when it had not begun.
fn ended(absence: Absence) -> Option<i64> {
    let question = question();
    let length = with(|c| c.ended(absence, now(), question)).flatten();
    store();
    length
}

fn selection_length() -> Option<u32> {
    let selection = web_sys::window()?.get_selection().ok()??;
    let text: String = selection.to_string().into();
    Some(text.chars().count() as u32)
}

fn in_fullscreen() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.fullscreen_element())
        .is_some()
}

fn enter_fullscreen() {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    match root.request_fullscreen() {
        Ok(()) => {}
        Err(_) => record(EventKind::FullscreenRefused, None),
    }
}

fn check_window() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let size = |v: Result<JsValue, JsValue>| v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as i32;
    let (width, height) = (size(window.inner_width()), size(window.inner_height()));
    let small = width > 0 && height > 0 && (width < SMALL_WIDTH || height < SMALL_HEIGHT);
    let was = SMALL.with(|s| std::mem::replace(&mut *s.borrow_mut(), small));
    if small && !was {
        let question = question();
        with(|c| {
            c.record(
                EventKind::WindowSmall,
                now(),
                question,
                EventDetails {
                    width: Some(width as u32),
                    height: Some(height as u32),
                    ..Default::default()
                },
            )
        });
        store();
    }
}

/// Whether the browser reports a second screen (`screen.isExtended`, where it exists).
fn second_screen() -> bool {
    web_sys::window()
        .and_then(|w| w.screen().ok())
        .and_then(|s| js_sys::Reflect::get(&s, &JsValue::from_str("isExtended")).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Keeps the unsent events in the browser's storage, so a crash or a reload loses none.
fn store() {
    let Some(storage) = dom::storage() else {
        return;
    };
    let Some((instance, json)) = with(|c| {
        let json =
            (!c.pending().is_empty()).then(|| wire::stored_events_json(c.instance, c.pending()));
        (c.instance, json)
    }) else {
        return;
    };
    let key = storage_key(instance);
    let _ = match json {
        Some(json) => storage.set_item(&key, &json),
        None => storage.remove_item(&key),
    };
}

/// Sends the batch that is due, if one is.
fn pump() {
    let Some(Some(batch)) = with(|c| c.next(now())) else {
        return;
    };
    spawn_local(send(batch));
}

async fn send(batch: Batch) {
    let body = JsValue::from_str(&wire::batch_body(&token(), &batch, now() as i64));
    let reply = crate::ui::fetch::post(RecordEvents::PATH, &body, Some("application/json")).await;
    let Ok(response) = reply else {
        with(|c| c.failed(now()));
        return;
    };
    let status = response.status();
    let text = crate::ui::fetch::text(&response).await;
    if response.ok() {
        let through = wire::batch_ack(&wire::parse(&text)).map_or(-1, |ack| ack.through);
        with(|c| c.acknowledged(batch.instance, through));
        if batch.resent && batch.instance != with(|c| c.instance).unwrap_or(batch.instance) {
            if let Some(storage) = dom::storage() {
                let _ = storage.remove_item(&storage_key(batch.instance));
            }
        }
        store();
        pump();
    } else if status == 409 || status == 404 {
        // The test is over (or the link no longer starts this session): nothing more.
        with(Capture::closed);
        store();
    } else {
        with(|c| c.failed(now()));
    }
}

/// The page is going away: what is unsent goes by `sendBeacon`, which the browser
/// delivers after the page is gone. It also stays in storage until acknowledged.
fn beacon() {
    let Some(Some(batch)) = with(|c| {
        c.wake();
        c.next(f64::INFINITY)
    }) else {
        return;
    };
    let body = wire::batch_body(&token(), &batch, now() as i64);
    let parts = js_sys::Array::of1(&JsValue::from_str(&body));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    if let (Some(window), Ok(blob)) = (
        web_sys::window(),
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options),
    ) {
        let _ = window
            .navigator()
            .send_beacon_with_opt_blob(RecordEvents::PATH, Some(&blob));
    }
}

fn render_indicator() {
    let camera = CAMERA.with(|c| c.borrow().as_ref().map(|camera| camera.on));
    let text = match camera {
        None => "Activity recorded",
        Some(true) => "Activity recorded · Camera on",
        Some(false) => "Activity recorded · Camera off",
    };
    dom::set_text("proctoring-indicator", text);
    dom::toggle(
        "proctoring-indicator",
        "data-camera-off",
        camera == Some(false),
    );
}

fn start_camera(interval_seconds: u32) {
    spawn_local(async move {
        let Some(stream) = open_camera().await else {
            record(EventKind::CameraDenied, None);
            CAMERA.with(|c| *c.borrow_mut() = None);
            render_indicator();
            return;
        };
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let video: Option<web_sys::HtmlVideoElement> = document
            .create_element("video")
            .ok()
            .and_then(|e| e.dyn_into().ok());
        let canvas: Option<web_sys::HtmlCanvasElement> = document
            .create_element("canvas")
            .ok()
            .and_then(|e| e.dyn_into().ok());
        let (Some(video), Some(canvas)) = (video, canvas) else {
            return;
        };
        video.set_muted(true);
        let _ = video.set_attribute("playsinline", "");
        video.set_src_object(Some(&stream));
        let _ = video.play();
        canvas.set_width(SNAPSHOT_WIDTH);
        canvas.set_height(SNAPSHOT_HEIGHT);
        for track in stream.get_video_tracks().iter() {
            if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
                listen(&track, "ended", |_| {
                    CAMERA.with(|c| {
                        if let Some(camera) = c.borrow_mut().as_mut() {
                            camera.on = false;
                        }
                    });
                    record(EventKind::CameraStopped, None);
                    render_indicator();
                });
            }
        }
        CAMERA.with(|c| {
            *c.borrow_mut() = Some(Camera {
                video,
                canvas,
                on: true,
            })
        });
        record(EventKind::CameraStarted, None);
        render_indicator();
        // The first snapshot once the picture has settled, then one per interval.
        let _ = set_timeout_with_handle(snapshot, Duration::from_secs(2));
        let seconds = interval_seconds.max(crate::assessments::Proctoring::MIN_SNAPSHOT_SECONDS);
        let _ = set_interval_with_handle(snapshot, Duration::from_secs(seconds.into()));
    });
}

async fn open_camera() -> Option<web_sys::MediaStream> {
    let devices = web_sys::window()?.navigator().media_devices().ok()?;
    let constraints = web_sys::MediaStreamConstraints::new();
    let video = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&video, &"width".into(), &SNAPSHOT_WIDTH.into());
    let _ = js_sys::Reflect::set(&video, &"height".into(), &SNAPSHOT_HEIGHT.into());
    constraints.set_video(&video);
    let promise = devices.get_user_media_with_constraints(&constraints).ok()?;
    JsFuture::from(promise).await.ok()?.dyn_into().ok()
}

/// Draws the camera's picture and has the browser encode it as a JPEG, then sends it.
fn snapshot() {
    let online = web_sys::window().is_some_and(|w| w.navigator().on_line());
    CAMERA.with(|c| {
        let camera = c.borrow();
        let Some(camera) = camera.as_ref().filter(|camera| camera.on) else {
            return;
        };
        if !online {
            // Offline: the gap and the lost connection are recorded; no picture piles up.
            return;
        }
        let Some(context) = camera
            .canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        let _ = context.draw_image_with_html_video_element_and_dw_and_dh(
            &camera.video,
            0.0,
            0.0,
            f64::from(SNAPSHOT_WIDTH),
            f64::from(SNAPSHOT_HEIGHT),
        );
        let taken = now();
        let Some(id) = with(Capture::next_id) else {
            return;
        };
        let done = Closure::once_into_js(move |blob: JsValue| {
            if let Ok(blob) = blob.dyn_into::<web_sys::Blob>() {
                spawn_local(upload(blob, id, taken, 0));
            }
        });
        let _ = camera.canvas.to_blob_with_type_and_encoder_options(
            done.unchecked_ref(),
            "image/jpeg",
            &JsValue::from_f64(SNAPSHOT_QUALITY),
        );
    });
}

/// Sends a snapshot; one that did not reach the server is tried again a few times.
async fn upload(blob: web_sys::Blob, id: i64, taken: f64, attempt: u32) {
    let Some(instance) = with(|c| c.instance) else {
        return;
    };
    let sent = post_snapshot(&blob, instance, id, taken).await;
    if sent == Some(false) && attempt < 3 {
        let retry = move || spawn_local(upload(blob.clone(), id, taken, attempt + 1));
        let _ = set_timeout_with_handle(
            retry,
            Duration::from_millis(super::capture::RETRY_MS as u64),
        );
    }
}

/// `Some(true)` when stored (or refused for good), `Some(false)` when worth retrying.
async fn post_snapshot(blob: &web_sys::Blob, instance: Uuid, id: i64, taken: f64) -> Option<bool> {
    use snapshot_headers as h;
    let window = web_sys::window()?;
    let headers = web_sys::Headers::new().ok()?;
    headers.set("Content-Type", "image/jpeg").ok()?;
    headers.set(h::TOKEN, &token()).ok()?;
    headers.set(h::INSTANCE, &instance.to_string()).ok()?;
    headers.set(h::EVENT_ID, &id.to_string()).ok()?;
    headers.set(h::TAKEN_MS, &(taken as i64).to_string()).ok()?;
    headers.set(h::SENT_MS, &(now() as i64).to_string()).ok()?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(blob);
    init.set_headers(&headers);
    let response: web_sys::Response =
        match JsFuture::from(window.fetch_with_str_and_init(SNAPSHOT_PATH, &init)).await {
            Ok(response) => response.dyn_into().ok()?,
            Err(_) => return Some(false),
        };
    Some(response.status() < 500)
}
