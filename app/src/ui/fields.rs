//! Labelled form fields. Each has a slot for its live validation message, which the
//! `ServerForm` island fills as the person types.

use leptos::prelude::*;

#[component]
pub fn Field(
    /// The server function argument this field fills.
    name: &'static str,
    #[prop(into)] label: String,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] minlength: Option<u32>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// The id of a field this one must equal (password confirmation).
    #[prop(optional)]
    must_match: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    /// Element id, when the same name appears twice on a page.
    #[prop(optional)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| name.to_string());
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                value=value
                required=required
                minlength=minlength
                autocomplete=autocomplete
                data-match=must_match
                aria-describedby=described_by
            />
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id>{hint}</p> })}
            <p class="field-error" id=error_id aria-live="polite"></p>
        </div>
    }
}

#[component]
pub fn SelectField(
    name: &'static str,
    #[prop(into)] label: String,
    /// (value, label) pairs.
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: Option<String>,
    #[prop(optional)] id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| name.to_string());
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = selected.as_deref() == Some(value.as_str());
                        view! { <option value=value selected=is_selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
