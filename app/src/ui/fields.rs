//! Labelled form fields. Each has a slot for its live validation message, which the
//! `ServerForm` island fills as the person types.

use leptos::prelude::*;

/// An element id for a field name: `form[title]` becomes `form-title`.
pub fn element_id(name: &str) -> String {
    name.trim_end_matches(']')
        .replace("][", "-")
        .replace('[', "-")
}

/// A select's (value, label) options after a first one with no value: "Any status" on a
/// filter, which then filters by nothing, or "Choose…" on a form.
pub fn with_blank(
    first: &str,
    options: impl IntoIterator<Item = (String, String)>,
) -> Vec<(String, String)> {
    std::iter::once((String::new(), first.to_string()))
        .chain(options)
        .collect()
}

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
    let id = id.unwrap_or_else(|| element_id(name));
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
    let id = id.unwrap_or_else(|| element_id(name));
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

#[component]
pub fn TextArea(
    name: &'static str,
    #[prop(into)] label: String,
    #[prop(optional, into)] value: Option<String>,
    #[prop(default = 8)] rows: u32,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let id = element_id(name);
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <textarea id=id name=name rows=rows aria-describedby=hint.map(|_| hint_id.clone())>{value}</textarea>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id>{hint}</p> })}
        </div>
    }
}

/// A group of checkboxes sending the chosen values as `name[i]`, the list form the
/// server functions read.
#[component]
pub fn CheckboxGroup(
    name: &'static str,
    #[prop(into)] legend: String,
    /// (value, label) pairs.
    options: Vec<(String, String)>,
    #[prop(optional)] checked: Vec<String>,
    #[prop(optional)] empty_text: Option<&'static str>,
    /// The boxes' element ids start with this, when the same group appears in several
    /// forms of a page; by default they come from `name`.
    #[prop(optional, into)]
    id_prefix: Option<String>,
) -> impl IntoView {
    let prefix = id_prefix.unwrap_or_else(|| element_id(name));
    let empty = options.is_empty();
    view! {
        <fieldset class="checkbox-group">
            <legend>{legend}</legend>
            {empty.then(|| view! { <p class="muted">{empty_text.unwrap_or("Nothing to choose from yet.")}</p> })}
            {options
                .into_iter()
                .enumerate()
                .map(|(index, (value, text))| {
                    let id = format!("{prefix}-{index}");
                    let label_for = id.clone();
                    let is_checked = checked.contains(&value);
                    view! {
                        <label class="checkbox" for=label_for>
                            <input type="checkbox" id=id name=format!("{name}[{index}]") value=value checked=is_checked/>
                            {text}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::{element_id, with_blank};

    #[test]
    fn a_blank_option_comes_first() {
        let options = with_blank("Any status", [("open".to_string(), "Open".to_string())]);
        assert_eq!(
            options,
            [
                (String::new(), "Any status".to_string()),
                ("open".to_string(), "Open".to_string())
            ]
        );
    }

    #[test]
    fn field_names_become_plain_element_ids() {
        assert_eq!(element_id("email"), "email");
        assert_eq!(element_id("form[title]"), "form-title");
        assert_eq!(element_id("form[team]"), "form-team");
    }
}
