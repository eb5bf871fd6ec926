//! `ServerForm`: the island behind every form in the app.
//!
//! Without WASM it is a plain `<form method="post">` to a server function, which
//! redirects back (with the error in the URL when there is one). Once hydrated it
//! validates fields as the person types, submits in the background with a busy label,
//! shows the server's error next to the button and keeps everything typed.

use leptos::prelude::*;

// An island in the staff pages' bundle; a plain component (never called) in the test page's.
#[cfg_attr(any(feature = "ssr", feature = "staff-islands"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "staff-islands")), component)]
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
    /// A server function that keeps a draft: once hydrated, the form posts itself there
    /// a moment after each change and says when the draft was saved.
    #[prop(optional, into)]
    autosave: Option<String>,
    children: Children,
) -> impl IntoView {
    let (draft_status, set_draft_status) = signal(None::<String>);
    let pending_draft = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
    let has_autosave = autosave.is_some();
    let (error, set_error) = signal(error);
    let (busy, set_busy) = signal(false);
    // Effects run only in the browser: the mark tells (tests, styles) that the form is live.
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    let busy_label = busy_label.unwrap_or_else(|| format!("{submit_label}…"));
    let button_label = move || {
        if busy.get() {
            busy_label.clone()
        } else {
            submit_label.clone()
        }
    };
    let endpoint = action.clone();
    let on_submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        if let Some(handle) = pending_draft.get_value() {
            handle.clear();
        }
        let Some(form) = event
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into(t).ok())
        else {
            return;
        };
        set_busy.set(true);
        set_error.set(None);
        // A second button of the form may post it elsewhere (`formaction`), as without WASM.
        let endpoint = client::submitter_action(&event).unwrap_or_else(|| endpoint.clone());
        wasm_bindgen_futures::spawn_local(async move {
            match client::submit(&endpoint, &form).await {
                Ok(()) => {}
                Err(message) => {
                    set_error.set(Some(message));
                    set_busy.set(false);
                }
            }
        });
    };
    let on_input = move |event: web_sys::Event| {
        client::validate_field(&event);
        if let Some(url) = autosave.clone() {
            client::schedule_draft(url, &event, set_draft_status, pending_draft);
        }
    };
    let danger = danger.unwrap_or(false);
    let class = match (inline.unwrap_or(false), danger) {
        (true, true) => "form form-inline form-danger",
        (true, false) => "form form-inline",
        (false, true) => "form form-danger",
        (false, false) => "form",
    };

    view! {
        <form
            method="post"
            action=action
            class=class
            data-hydrated=move || hydrated.get().then_some("true")
            on:submit=on_submit
            on:input=on_input
        >
            {children()}
            {has_autosave.then(|| view! {
                <p class="draft-status muted" role="status" aria-live="polite">{move || draft_status.get()}</p>
            })}
            <p class="form-error" role="alert" hidden=move || error.get().is_none()>
                {move || error.get()}
            </p>
            <button type="submit" class:danger=danger aria-busy=move || busy.get().to_string()>
                {button_label}
            </button>
        </form>
    }
}

/// The browser side of `ServerForm`; a no-op on the server, where islands only render.
mod client {
    #[cfg(feature = "hydrate")]
    use wasm_bindgen::JsCast;

    const OFFLINE: &str = "Could not reach the server. Check your connection and try again.";

    /// Posts the form to its server function; on success follows the redirect (or reloads
    /// to show the change), on failure returns the message to show.
    #[cfg(feature = "hydrate")]
    pub async fn submit(endpoint: &str, form: &web_sys::HtmlFormElement) -> Result<(), String> {
        use crate::ui::fetch;

        let window = web_sys::window().ok_or(OFFLINE)?;
        let data = web_sys::FormData::new_with_form(form).map_err(|_| OFFLINE)?;
        let body =
            web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).map_err(|_| OFFLINE)?;
        let response = fetch::post(endpoint, &body, None)
            .await
            .map_err(|_| OFFLINE)?;
        if response.ok() {
            let location = response.headers().get("Location").ok().flatten();
            match location {
                Some(location) => window.location().assign(&location).map_err(|_| OFFLINE)?,
                None => window.location().reload().map_err(|_| OFFLINE)?,
            }
            return Ok(());
        }
        Err(fetch::app_error(&response).await.to_string())
    }

    /// Saves the form as a draft to `url` 800 ms after the last change (a newer change
    /// restarts the wait), and tells the person how it went in `status`.
    #[cfg(feature = "hydrate")]
    pub fn schedule_draft(
        url: String,
        event: &web_sys::Event,
        status: leptos::prelude::WriteSignal<Option<String>>,
        pending: leptos::prelude::StoredValue<Option<leptos::prelude::TimeoutHandle>>,
    ) {
        use leptos::prelude::{set_timeout_with_handle, GetValue, Set, SetValue};
        let Some(form) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest("form").ok().flatten())
            .and_then(|form| form.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        status.set(Some("Unsaved changes…".to_string()));
        let save = move || {
            wasm_bindgen_futures::spawn_local(async move {
                let message = match save_draft(&url, &form).await {
                    Ok(()) => {
                        let now = js_sys::Date::new_0().to_locale_time_string("en-GB");
                        format!("Draft saved at {}.", String::from(now))
                    }
                    Err(message) => format!("The draft was not saved: {message}"),
                };
                status.set(Some(message));
            })
        };
        pending
            .set_value(set_timeout_with_handle(save, std::time::Duration::from_millis(800)).ok());
    }

    #[cfg(not(feature = "hydrate"))]
    pub fn schedule_draft(
        _url: String,
        _event: &web_sys::Event,
        _status: leptos::prelude::WriteSignal<Option<String>>,
        _pending: leptos::prelude::StoredValue<Option<leptos::prelude::TimeoutHandle>>,
    ) {
    }

    #[cfg(feature = "hydrate")]
    async fn save_draft(url: &str, form: &web_sys::HtmlFormElement) -> Result<(), String> {
        use crate::ui::fetch;
        let data = web_sys::FormData::new_with_form(form).map_err(|_| OFFLINE)?;
        let body =
            web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).map_err(|_| OFFLINE)?;
        let response = fetch::post(url, &body, None).await.map_err(|_| OFFLINE)?;
        if response.ok() {
            Ok(())
        } else {
            Err(fetch::app_error(&response).await.to_string())
        }
    }

    /// The `formaction` of the button that submitted the form, when it has one.
    #[cfg(feature = "hydrate")]
    pub fn submitter_action(event: &web_sys::SubmitEvent) -> Option<String> {
        event
            .submitter()
            .and_then(|button| button.get_attribute("formaction"))
            .filter(|action| !action.is_empty())
    }

    #[cfg(not(feature = "hydrate"))]
    pub fn submitter_action(_event: &web_sys::SubmitEvent) -> Option<String> {
        None
    }

    #[cfg(not(feature = "hydrate"))]
    pub async fn submit(_endpoint: &str, _form: &web_sys::HtmlFormElement) -> Result<(), String> {
        Err(OFFLINE.to_string())
    }

    /// Checks the field that changed and shows its problem in `#<id>-error`.
    /// A field with `data-match="other-id"` must equal that field.
    #[cfg(feature = "hydrate")]
    pub fn validate_field(event: &web_sys::Event) {
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let document = web_sys::window().and_then(|w| w.document());
        if let (Some(other_id), Some(document)) = (input.get_attribute("data-match"), &document) {
            let other = document
                .get_element_by_id(&other_id)
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
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
        if let Some(slot) =
            document.and_then(|d| d.get_element_by_id(&format!("{}-error", input.id())))
        {
            slot.set_text_content(Some(&message));
        }
    }

    #[cfg(not(feature = "hydrate"))]
    pub fn validate_field(_event: &web_sys::Event) {}
}

/// The message of a failed no-JavaScript submission to `path`, which the server function
/// machinery put in the URL of the page it redirected back to.
pub fn error_from_query(path: &str) -> Option<String> {
    use leptos_router::hooks::use_query_map;
    use server_fn::error::ServerFnUrlError;

    let query = use_query_map();
    query.with_untracked(|q| {
        let failed_path = q.get("__path")?;
        let error = q.get("__err")?;
        (failed_path == path)
            .then(|| ServerFnUrlError::<crate::error::AppError>::decode_err(&error).to_string())
    })
}
