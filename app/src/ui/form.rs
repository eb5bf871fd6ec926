//! `ServerForm`: every form in the app.
//!
//! Without WASM it is a plain `<form method="post">` to a server function, which
//! redirects back (with the error in the URL when there is one). In the browser the
//! `FormBehaviour` island around it validates fields as the person types, submits in the
//! background with a busy label, shows the server's error next to the button and keeps
//! everything typed; a form with `autosave` keeps a draft as the person types.
//!
//! The island takes no props (what a form needs is in its `data-*` attributes), so the
//! bundle carries no JSON decoder for them; one set of document-wide listeners serves
//! every form of the page (`client::wire`, set up by whichever island hydrates first).

use leptos::prelude::*;

#[component]
pub fn ServerForm(
    /// The server function's URL.
    #[prop(into)]
    action: String,
    #[prop(into)] submit_label: String,
    /// Shown on the button while the request runs.
    #[prop(optional, into)]
    busy_label: Option<String>,
    /// An error to show from the start (a failed submission without JavaScript).
    #[prop(optional_no_strip)]
    error: Option<String>,
    /// Style the button as a destructive action.
    #[prop(optional)]
    danger: Option<bool>,
    /// Lay the fields and the button out on one line.
    #[prop(optional)]
    inline: Option<bool>,
    /// A server function that keeps a draft: in the browser the form posts itself there
    /// a moment after each change and says when the draft was saved.
    #[prop(optional, into)]
    autosave: Option<String>,
    children: Children,
) -> impl IntoView {
    let busy_label = busy_label.unwrap_or_else(|| format!("{submit_label}…"));
    let danger = danger.unwrap_or(false);
    let class = match (inline.unwrap_or(false), danger) {
        (true, true) => "form form-inline form-danger",
        (true, false) => "form form-inline",
        (false, true) => "form form-danger",
        (false, false) => "form",
    };
    let has_autosave = autosave.is_some();
    let no_error = error.is_none();
    view! {
        <FormBehaviour>
            <form method="post" action=action class=class data-server-form="" data-busy-label=busy_label data-autosave=autosave>
                {children()}
                {has_autosave.then(|| view! {
                    <p class="draft-status muted" role="status" aria-live="polite"></p>
                })}
                <p class="form-error" role="alert" hidden=no_error>{error}</p>
                <button type="submit" class:danger=danger aria-busy="false">{submit_label}</button>
            </form>
        </FormBehaviour>
    }
}

/// The browser side of every `ServerForm` on the page. An island in the staff pages'
/// bundle; a plain component (never called) in the test page's.
#[cfg_attr(any(feature = "ssr", feature = "staff-islands"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "staff-islands")), component)]
fn FormBehaviour(children: Children) -> impl IntoView {
    #[cfg(feature = "staff-islands")]
    client::wire();
    children()
}

/// The browser side of `ServerForm`.
#[cfg(feature = "staff-islands")]
mod client {
    use std::cell::RefCell;
    use std::time::Duration;

    use leptos::prelude::{set_timeout_with_handle, TimeoutHandle};
    use wasm_bindgen::JsCast;
    use web_sys::{Element, Event, HtmlFormElement, HtmlInputElement, SubmitEvent};

    use crate::ui::dom;

    use crate::ui::fetch::OFFLINE;
    const FORM: &str = "form[data-server-form]";

    thread_local! {
        /// The draft save waiting to run, with its form: a newer change restarts it.
        static PENDING_DRAFT: RefCell<Option<(HtmlFormElement, TimeoutHandle)>> = const { RefCell::new(None) };
    }

    /// Marks the page's forms as live (tests and styles read `data-hydrated`) and listens
    /// for their submissions and changes, once per page.
    pub fn wire() {
        if !dom::first_time("forms") {
            return;
        }
        for form in dom::all(None, FORM) {
            let _ = form.set_attribute("data-hydrated", "true");
        }
        dom::on_document("submit", on_submit);
        dom::on_document("input", |event: Event| {
            validate_field(&event);
            if let Some(form) = dom::closest(&event, "form[data-autosave]") {
                if let Ok(form) = form.dyn_into::<HtmlFormElement>() {
                    schedule_draft(form);
                }
            }
        });
    }

    fn on_submit(event: SubmitEvent) {
        let Some(form) =
            dom::closest(&event, FORM).and_then(|f| f.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        event.prevent_default();
        if form.get_attribute("aria-busy").as_deref() == Some("true") {
            return;
        }
        cancel_draft(&form);
        // A second button of the form may post it elsewhere (`formaction`), as without WASM.
        let endpoint = submitter_action(&event)
            .or_else(|| form.get_attribute("action"))
            .unwrap_or_default();
        set_busy(&form, true);
        show_error(&form, None);
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(message) = submit(&endpoint, &form).await {
                show_error(&form, Some(&message));
                set_busy(&form, false);
            }
        });
    }

    /// The form's own button (its last child) says what is happening.
    fn set_busy(form: &HtmlFormElement, busy: bool) {
        let _ = form.set_attribute("aria-busy", &busy.to_string());
        let Some(button) = dom::first(form, ":scope > button[type=submit]:last-of-type") else {
            return;
        };
        let _ = button.set_attribute("aria-busy", &busy.to_string());
        if busy {
            let label = button.text_content().unwrap_or_default();
            let _ = button.set_attribute("data-label", &label);
            if let Some(busy_label) = form.get_attribute("data-busy-label") {
                dom::set_text(&button, &busy_label);
            }
        } else if let Some(label) = button.get_attribute("data-label") {
            dom::set_text(&button, &label);
        }
    }

    fn show_error(form: &Element, message: Option<&str>) {
        if let Some(slot) = dom::first(form, ":scope > .form-error") {
            dom::set_text(&slot, message.unwrap_or_default());
            let _ = slot.toggle_attribute_with_force("hidden", message.is_none());
        }
    }

    /// The form's fields as a URL-encoded body.
    fn body(form: &HtmlFormElement) -> Result<wasm_bindgen::JsValue, String> {
        let data = web_sys::FormData::new_with_form(form).map_err(|_| OFFLINE)?;
        web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data)
            .map(Into::into)
            .map_err(|_| OFFLINE.to_string())
    }

    /// Posts the form to its server function; on success follows the redirect (or reloads
    /// to show the change), on failure returns the message to show.
    async fn submit(endpoint: &str, form: &HtmlFormElement) -> Result<(), String> {
        use crate::ui::fetch;

        let window = web_sys::window().ok_or(OFFLINE)?;
        let response = fetch::post(endpoint, &body(form)?, None)
            .await
            .map_err(|_| OFFLINE)?;
        if response.ok() {
            let location = response.headers().get("Location").ok().flatten();
            match location {
                Some(location) => window.location().assign(&location).map_err(|_| OFFLINE)?,
                // The same page again, without a notice an earlier form left in its URL.
                None => {
                    let location = window.location();
                    let search = location.search().unwrap_or_default();
                    match crate::ui::notice::query_without_notice(&search) {
                        Some(search) => location.set_search(&search),
                        None => location.reload(),
                    }
                    .map_err(|_| OFFLINE)?
                }
            }
            return Ok(());
        }
        Err(fetch::app_error(&response).await.to_string())
    }

    fn cancel_draft(form: &HtmlFormElement) {
        PENDING_DRAFT.with(|pending| {
            let mut pending = pending.borrow_mut();
            if pending.as_ref().is_some_and(|(f, _)| f == form) {
                if let Some((_, handle)) = pending.take() {
                    handle.clear();
                }
            }
        });
    }

    /// Saves the form as a draft to its `data-autosave` URL 800 ms after the last change
    /// (a newer change restarts the wait), and says how it went in its status line.
    fn schedule_draft(form: HtmlFormElement) {
        cancel_draft(&form);
        draft_status(&form, "Unsaved changes…");
        let for_save = form.clone();
        let save = move || {
            wasm_bindgen_futures::spawn_local(async move {
                let message = match save_draft(&for_save).await {
                    Ok(()) => {
                        let now = js_sys::Date::new_0().to_locale_time_string("en-GB");
                        format!("Draft saved at {}.", String::from(now))
                    }
                    Err(message) => format!("The draft was not saved: {message}"),
                };
                draft_status(&for_save, &message);
            })
        };
        if let Ok(handle) = set_timeout_with_handle(save, Duration::from_millis(800)) {
            PENDING_DRAFT.with(|pending| *pending.borrow_mut() = Some((form, handle)));
        }
    }

    fn draft_status(form: &Element, text: &str) {
        if let Some(status) = dom::first(form, ":scope > .draft-status") {
            dom::set_text(&status, text);
        }
    }

    async fn save_draft(form: &HtmlFormElement) -> Result<(), String> {
        use crate::ui::fetch;
        let url = form.get_attribute("data-autosave").unwrap_or_default();
        let response = fetch::post(&url, &body(form)?, None)
            .await
            .map_err(|_| OFFLINE)?;
        if response.ok() {
            Ok(())
        } else {
            Err(fetch::app_error(&response).await.to_string())
        }
    }

    /// The `formaction` of the button that submitted the form, when it has one.
    fn submitter_action(event: &SubmitEvent) -> Option<String> {
        event
            .submitter()
            .and_then(|button| button.get_attribute("formaction"))
            .filter(|action| !action.is_empty())
    }

    /// Checks the field that changed and shows its problem in `#<id>-error`.
    /// A field with `data-match="other-id"` must equal that field.
    fn validate_field(event: &Event) {
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(other_id) = input.get_attribute("data-match") {
            let other = dom::element(&other_id).and_then(|e| e.dyn_into::<HtmlInputElement>().ok());
            let mismatch = other.is_some_and(|other| other.value() != input.value());
            input.set_custom_validity(if mismatch {
                "The two passwords do not match."
            } else {
                ""
            });
        }
        let message = if input.check_validity() {
            String::new()
        } else {
            input.validation_message().unwrap_or_default()
        };
        let _ = input.set_attribute(
            "aria-invalid",
            if message.is_empty() { "false" } else { "true" },
        );
        if let Some(slot) = dom::element(&format!("{}-error", input.id())) {
            dom::set_text(&slot, &message);
        }
    }
}

/// The message of a failed no-JavaScript submission to `path`, which the server function
/// machinery put in the URL of the page it redirected back to. Shown only when
/// [`ErrorSeal`] signed it in that redirect: a crafted link's text is never shown. Pages
/// call it while the server renders them; in the browser, which holds no key, it is `None`.
pub fn error_from_query(path: &str) -> Option<String> {
    use leptos_router::hooks::use_query_map;
    use server_fn::error::ServerFnUrlError;

    let query = use_query_map();
    query.with_untracked(|q| {
        let failed_path = q.get("__path")?;
        let error = q.get("__err")?;
        let signature = q.get("__sig")?;
        (failed_path == path && signed(path, &error, &signature))
            .then(|| ServerFnUrlError::<crate::error::AppError>::decode_err(&error).to_string())
    })
}

#[cfg(feature = "ssr")]
fn signed(path: &str, error: &str, signature: &str) -> bool {
    use_context::<ErrorSeal>()
        .is_some_and(|seal| seal.verify(path, error, signature, chrono::Utc::now().timestamp()))
}

#[cfg(not(feature = "ssr"))]
fn signed(_path: &str, _error: &str, _signature: &str) -> bool {
    false
}

/// Signs the message of a failed no-JavaScript submission in the URL it redirects back to
/// (`__sig`: when, and an HMAC-SHA256 of when, `__path` and `__err`), so that
/// [`error_from_query`] shows only messages this server wrote. Every server process holds
/// the same key (kept in the database), so any of them reads what another signed.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct ErrorSeal {
    key: std::sync::Arc<[u8]>,
}

#[cfg(feature = "ssr")]
impl ErrorSeal {
    /// How long a signed message shows: a reload soon after the failure still shows it.
    pub const LIFETIME_SECS: i64 = 600;

    pub fn new(key: &[u8]) -> Self {
        Self { key: key.into() }
    }

    /// `location`, the page a failed call to the server function `path` redirects to,
    /// with only that failure in its query: any `__path`, `__err` or `__sig` it carried
    /// removed (and any notice of an earlier form's success), then `__path`, `__err` (the `error` the call answered, encoded as leptos
    /// encodes it) and their signature made at `now` (Unix seconds) appended.
    pub fn seal_location(&self, location: &str, path: &str, error: &[u8], now: i64) -> String {
        use crate::ui::query::encode_query_value;
        use base64::Engine;

        let (location, fragment) = match location.split_once('#') {
            Some((location, fragment)) => (location, Some(fragment)),
            None => (location, None),
        };
        let (base, query) = location.split_once('?').unwrap_or((location, ""));
        let mut pairs: Vec<String> = query
            .split('&')
            .filter(|pair| {
                let key = pair.split('=').next().unwrap_or_default();
                !pair.is_empty()
                    && !matches!(key, "__path" | "__err" | "__sig")
                    && !crate::ui::notice::QUERY_KEYS.contains(&key)
            })
            .map(String::from)
            .collect();
        let error = base64::engine::general_purpose::URL_SAFE.encode(error);
        let signature = self.sign(path, &error, now);
        pairs.push(format!("__path={}", encode_query_value(path)));
        pairs.push(format!("__err={}", encode_query_value(&error)));
        pairs.push(format!("__sig={}", encode_query_value(&signature)));
        let mut sealed = format!("{base}?{}", pairs.join("&"));
        if let Some(fragment) = fragment {
            sealed.push('#');
            sealed.push_str(fragment);
        }
        sealed
    }

    /// The signature of `error` (as in the URL) from the server function `path` at `at`.
    pub fn sign(&self, path: &str, error: &str, at: i64) -> String {
        use base64::Engine;
        use hmac::Mac;
        let mac = self.mac(path, error, at).finalize().into_bytes();
        format!(
            "{at}.{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac)
        )
    }

    /// Whether `signature` is this key's for `path` and `error`, made at most
    /// [`Self::LIFETIME_SECS`] before `now`.
    pub fn verify(&self, path: &str, error: &str, signature: &str, now: i64) -> bool {
        use base64::Engine;
        use hmac::Mac;
        let Some((at, mac)) = signature.split_once('.') else {
            return false;
        };
        let (Ok(at), Ok(mac)) = (
            at.parse::<i64>(),
            base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(mac),
        ) else {
            return false;
        };
        // A minute ahead for another process's clock.
        (now - Self::LIFETIME_SECS..=now + 60).contains(&at)
            && self.mac(path, error, at).verify_slice(&mac).is_ok()
    }

    fn mac(&self, path: &str, error: &str, at: i64) -> hmac::Hmac<sha2::Sha256> {
        use hmac::Mac;
        let mut mac = <hmac::Hmac<sha2::Sha256>>::new_from_slice(&self.key)
            .expect("HMAC takes a key of any length");
        for part in [at.to_string().as_str(), path, error] {
            mac.update(part.as_bytes());
            mac.update(&[0]);
        }
        mac
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::ErrorSeal;

    const PATH: &str = "/api/auth/sign_in";

    #[test]
    fn only_this_keys_recent_signature_of_the_same_message_verifies() {
        let seal = ErrorSeal::new(b"a key of this deployment");
        let signature = seal.sign(PATH, "bWVzc2FnZQ==", 1_000);
        assert!(seal.verify(PATH, "bWVzc2FnZQ==", &signature, 1_000));
        assert!(seal.verify(PATH, "bWVzc2FnZQ==", &signature, 1_000 + 600));
        assert!(
            !seal.verify(PATH, "bWVzc2FnZQ==", &signature, 1_000 + 601),
            "too old"
        );
        assert!(
            !seal.verify(PATH, "b3RoZXI=", &signature, 1_000),
            "another message"
        );
        assert!(!seal.verify("/api/other", "bWVzc2FnZQ==", &signature, 1_000));
        let other = ErrorSeal::new(b"another key");
        assert!(!other.verify(PATH, "bWVzc2FnZQ==", &signature, 1_000));
        let moved = signature.replacen("1000.", "1001.", 1);
        assert!(
            !seal.verify(PATH, "bWVzc2FnZQ==", &moved, 1_000),
            "the time is signed"
        );
        assert!(!seal.verify(PATH, "bWVzc2FnZQ==", "", 1_000));
    }

    #[test]
    fn a_sealed_location_carries_only_the_failure_it_signs() {
        let seal = ErrorSeal::new(b"k");
        let location = "http://localhost:3000/login?next=%2Fjobs&__path=%2Fapi%2Fx&__err=Zm9yZ2Vk&__sig=1.x&__path=%2Fapi%2Fauth%2Fsign_in&__err=cmVhbA%3D%3D";
        let sealed = seal.seal_location(location, PATH, b"real", 5);
        let signature = seal.sign(PATH, "cmVhbA==", 5);
        assert_eq!(
            sealed,
            format!(
                "http://localhost:3000/login?next=%2Fjobs&__path=/api/auth/sign_in&__err=cmVhbA%3D%3D&__sig={signature}"
            )
        );
    }
}
