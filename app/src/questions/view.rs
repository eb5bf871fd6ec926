//! `QuestionView`: a question as the candidate sees it, with no correct answer in it.
//! The staff preview shows it disabled; the candidate's test page renders it on the
//! server with the answer saved so far, and the test island only reads and sets its
//! inputs (`question-view`, `question-prompt`, `question-answer`, `choice`, `code-editor`).
//! The text inputs turn the browser's autocomplete off: it would offer other answers, and on
//! a reload put back what the page held instead of what was saved. Radio buttons and
//! checkboxes may not carry the attribute (HTML allows it on text-like inputs only).

use leptos::prelude::*;

use super::model::{QuestionBody, QuestionKind, Response};

/// The options of a choice question as (id, text), in the order the candidate sees them.
pub fn display_options(body: &QuestionBody) -> Vec<(u32, String)> {
    body.options()
        .iter()
        .map(|o| (o.id, o.text.clone()))
        .collect()
}

#[component]
pub fn QuestionView(
    /// The prompt as safe HTML (`crate::markdown::to_safe_html`).
    #[prop(into)]
    prompt_html: String,
    kind: QuestionKind,
    /// (option id, text) in display order; empty for kinds without options.
    #[prop(optional)]
    options: Vec<(u32, String)>,
    /// The code editor's language and starting text (code questions).
    #[prop(optional, into)]
    language: String,
    #[prop(optional, into)] starter_code: String,
    /// The name of the answer's inputs; option inputs send the option id.
    #[prop(default = "answer".into(), into)]
    name: String,
    /// The answer given so far, shown in the inputs.
    #[prop(default = None)]
    response: Option<Response>,
    /// A preview: nothing can be answered.
    #[prop(optional)]
    disabled: bool,
) -> impl IntoView {
    let text = match &response {
        Some(Response::Text(text) | Response::Number(text)) => Some(text.clone()),
        _ => None,
    };
    let chosen = match &response {
        Some(Response::Choices(ids)) => ids.clone(),
        _ => Vec::new(),
    };
    let choice = |input_type: &'static str| {
        let name = name.clone();
        options
            .iter()
            .map(move |(id, text)| {
                let checked = chosen.contains(id);
                view! {
                    <label class="choice">
                        <input type=input_type name=name.clone() value=id.to_string() checked=checked disabled=disabled/>
                        <span>{text.clone()}</span>
                    </label>
                }
            })
            .collect_view()
            .into_any()
    };
    let answer = match kind {
        QuestionKind::SingleChoice => choice("radio"),
        QuestionKind::MultipleChoice => choice("checkbox"),
        QuestionKind::TrueFalse => [(true, "True"), (false, "False")]
            .into_iter()
            .map(|(value, label)| {
                let checked = response == Some(Response::Boolean(value));
                view! {
                    <label class="choice">
                        <input type="radio" name=name.clone() value=value.to_string() checked=checked disabled=disabled/>
                        <span>{label}</span>
                    </label>
                }
            })
            .collect_view()
            .into_any(),
        QuestionKind::ShortText => view! {
            <input type="text" name=name.clone() aria-label="Your answer" maxlength="1000" value=text autocomplete="off" disabled=disabled/>
        }
        .into_any(),
        QuestionKind::LongText => view! {
            <textarea name=name.clone() aria-label="Your answer" rows="10" autocomplete="off" disabled=disabled>{text.unwrap_or_default()}</textarea>
        }
        .into_any(),
        QuestionKind::Numeric => view! {
            <input type="text" inputmode="decimal" name=name.clone() aria-label="Your answer (a number)" class="numeric-answer" value=text autocomplete="off" disabled=disabled/>
        }
        .into_any(),
        QuestionKind::Code => view! {
            {(!language.is_empty()).then(|| view! { <p class="code-language">"Language: " <span>{language.clone()}</span></p> })}
            <textarea name=name.clone() class="code-editor" aria-label="Your code" rows="14" spellcheck="false" autocomplete="off" data-language=language.clone() disabled=disabled>
                {text.unwrap_or(starter_code)}
            </textarea>
        }
        .into_any(),
    };
    let hint = match kind {
        QuestionKind::SingleChoice => "Choose one answer.",
        QuestionKind::MultipleChoice => "Choose every answer that applies.",
        _ => "Your answer",
    };
    view! {
        <article class="question-view" data-kind=kind.as_str()>
            <div class="question-prompt markdown" inner_html=prompt_html></div>
            <fieldset class="question-answer">
                <legend>{hint}</legend>
                {answer}
            </fieldset>
        </article>
    }
}
