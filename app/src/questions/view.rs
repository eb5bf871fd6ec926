//! `QuestionView`: a question as the candidate sees it, with no correct answer in it.
//! The staff preview shows it disabled; the candidate's test page reuses its markup and
//! classes (`question-view`, `question-prompt`, `question-answer`, `choice`, `code-editor`).

use leptos::prelude::*;

use super::model::{QuestionBody, QuestionKind};

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
    /// A preview: nothing can be answered.
    #[prop(optional)]
    disabled: bool,
) -> impl IntoView {
    let choice = |input_type: &'static str| {
        let name = name.clone();
        options
            .iter()
            .map(move |(id, text)| {
                view! {
                    <label class="choice">
                        <input type=input_type name=name.clone() value=id.to_string() disabled=disabled/>
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
        QuestionKind::TrueFalse => view! {
            <label class="choice"><input type="radio" name=name.clone() value="true" disabled=disabled/><span>"True"</span></label>
            <label class="choice"><input type="radio" name=name.clone() value="false" disabled=disabled/><span>"False"</span></label>
        }
        .into_any(),
        QuestionKind::ShortText => view! {
            <input type="text" name=name.clone() aria-label="Your answer" maxlength="1000" disabled=disabled/>
        }
        .into_any(),
        QuestionKind::LongText => view! {
            <textarea name=name.clone() aria-label="Your answer" rows="10" disabled=disabled></textarea>
        }
        .into_any(),
        QuestionKind::Numeric => view! {
            <input type="text" inputmode="decimal" name=name.clone() aria-label="Your answer (a number)" class="numeric-answer" disabled=disabled/>
        }
        .into_any(),
        QuestionKind::Code => view! {
            <p class="code-language">"Language: " <span>{language.clone()}</span></p>
            <textarea name=name.clone() class="code-editor" aria-label="Your code" rows="14" spellcheck="false" autocomplete="off" data-language=language.clone() disabled=disabled>{starter_code.clone()}</textarea>
        }
        .into_any(),
    };
    let hint = match kind {
        QuestionKind::SingleChoice => Some("Choose one answer."),
        QuestionKind::MultipleChoice => Some("Choose every answer that applies."),
        _ => None,
    };
    view! {
        <article class="question-view" data-kind=kind.as_str()>
            <div class="question-prompt markdown" inner_html=prompt_html></div>
            <fieldset class="question-answer">
                <legend>{hint.unwrap_or("Your answer")}</legend>
                {answer}
            </fieldset>
        </article>
    }
}
