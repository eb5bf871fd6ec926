//! The scorecard and interview plan page of a requisition: the attributes by category
//! with their anchored scale, the plan's stages, and the forms that change them.

use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use super::{
    load_scorecard, AddRequiredSkills, Attribute, Category, CopyScorecard, PlanStage,
    RemoveAttribute, RemovePlanStage, SaveAttribute, SavePlanStage, Scorecard,
};
use crate::input::{MAX_DURATION_MINUTES, MIN_DURATION_MINUTES};
use crate::ui::form::error_from_query;
use crate::ui::{id_param, loaded, with_blank, CheckboxGroup, SelectField, ServerForm, StaffPage};

#[component]
pub fn ScorecardPage() -> impl IntoView {
    let id = id_param();
    let fetch = move || async move { load_scorecard(id?).await };
    view! {
        <StaffPage title="" roles=crate::access::REQUISITION_ROLES>
            {loaded(fetch, |scorecard| view! { <ScorecardView scorecard/> })}
        </StaffPage>
    }
}

/// The fields of an attribute, filled with `attribute`'s values when it is given; `key`
/// keeps element ids apart when several forms are on the page.
fn attribute_fields(key: &str, attribute: Option<&Attribute>) -> impl IntoView {
    let categories: Vec<(String, String)> = Category::ALL
        .iter()
        .map(|c| (c.as_str().to_string(), c.label().to_string()))
        .collect();
    let selected = attribute.map(|a| a.category.as_str().to_string());
    let name_id = format!("{key}-name");
    let name_for = name_id.clone();
    let anchors: Vec<String> = attribute
        .map(|a| a.anchors.clone())
        .unwrap_or_else(|| vec![String::new(); 4]);
    view! {
        <div class="form-row">
            <SelectField name="form[category]" label="Category" options=categories selected=selected.unwrap_or_default() id=format!("{key}-category")/>
            <div class="field">
                <label for=name_for>"Attribute"</label>
                <input id=name_id type="text" name="form[name]" required=true maxlength="200" value=attribute.map(|a| a.name.clone())/>
            </div>
        </div>
        {anchors.into_iter().enumerate().map(|(index, text)| {
            let level = index + 1;
            let id = format!("{key}-anchor-{level}");
            let label_for = id.clone();
            let hint = match level {
                1 => "What a 1 looks like (not shown)",
                2 => "What a 2 looks like (partly)",
                3 => "What a 3 looks like (solid)",
                _ => "What a 4 looks like (outstanding)",
            };
            view! {
                <div class="field">
                    <label for=label_for>{hint}</label>
                    <input id=id type="text" name=format!("form[anchor_{level}]") required=true maxlength="500" value=text/>
                </div>
            }
        }).collect_view()}
    }
}

fn attribute_item(requisition_id: uuid::Uuid, attribute: Attribute) -> impl IntoView {
    let key = format!("attribute-{}", attribute.id);
    let fields = attribute_fields(&key, Some(&attribute));
    let id = attribute.id;
    view! {
        <li class="attribute">
            <strong>{attribute.name.clone()}</strong>
            <ol class="anchors">
                {attribute.anchors.iter().enumerate().map(|(index, text)| view! {
                    <li><span class="level">{index + 1}</span>" "{text.clone()}</li>
                }).collect_view()}
            </ol>
            <details>
                <summary>{format!("Change “{}”", attribute.name)}</summary>
                <ServerForm action=SaveAttribute::url() submit_label="Save attribute" busy_label="Saving…">
                    <input type="hidden" name="form[requisition_id]" value=requisition_id.to_string()/>
                    <input type="hidden" name="form[attribute_id]" value=id.to_string()/>
                    {fields}
                </ServerForm>
                <ServerForm action=RemoveAttribute::url() submit_label=format!("Remove “{}”", attribute.name) busy_label="Removing…" danger=true inline=true>
                    <input type="hidden" name="attribute_id" value=id.to_string()/>
                </ServerForm>
            </details>
        </li>
    }
}

/// The fields of a plan stage, filled from `stage` when it is given.
fn stage_fields(key: &str, stage: Option<&PlanStage>, scorecard: &Scorecard) -> impl IntoView {
    let attributes: Vec<(String, String)> = scorecard
        .attributes
        .iter()
        .map(|a| {
            (
                a.id.to_string(),
                format!("{} ({})", a.name, a.category.label()),
            )
        })
        .collect();
    let checked: Vec<String> = stage
        .map(|s| s.focus.iter().map(|id| id.to_string()).collect())
        .unwrap_or_default();
    let mut bank: Vec<(String, String)> = scorecard
        .suggested_questions
        .iter()
        .map(|q| (q.id.to_string(), q.headline.clone()))
        .collect();
    for question in stage.map(|s| s.bank_questions.clone()).unwrap_or_default() {
        if !bank.iter().any(|(id, _)| *id == question.id.to_string()) {
            bank.push((question.id.to_string(), question.headline));
        }
    }
    let bank_checked: Vec<String> = stage
        .map(|s| s.bank_questions.iter().map(|q| q.id.to_string()).collect())
        .unwrap_or_default();
    let ids = |field: &str| (format!("{key}-{field}"), format!("{key}-{field}"));
    let (name_id, name_for) = ids("name");
    let (duration_id, duration_for) = ids("duration");
    let (questions_id, questions_for) = ids("questions");
    let (notes_id, notes_for) = ids("notes");
    view! {
        <div class="form-row">
            <div class="field">
                <label for=name_for>"Stage"</label>
                <input id=name_id type="text" name="form[name]" required=true maxlength="200" placeholder="Technical interview" value=stage.map(|s| s.name.clone())/>
            </div>
            <div class="field">
                <label for=duration_for>"Duration (minutes)"</label>
                <input id=duration_id type="number" name="form[duration_minutes]" required=true min=MIN_DURATION_MINUTES max=MAX_DURATION_MINUTES value=stage.map(|s| s.duration_minutes.to_string()).unwrap_or_else(|| "60".into())/>
            </div>
        </div>
        <CheckboxGroup name="form[focus]" legend="Focus attributes (what this stage rates)" options=attributes checked=checked empty_text="Add attributes to the scorecard first." id_prefix=format!("{key}-focus")/>
        <div class="field">
            <label for=questions_for>"Questions to ask (one a line)"</label>
            <textarea id=questions_id name="form[questions]" rows="4">{stage.map(|s| s.questions.join("\n"))}</textarea>
        </div>
        <CheckboxGroup name="form[bank]" legend="Questions from the bank (sets with this job's skills)" options=bank checked=bank_checked empty_text="No question set in the bank covers this job's skills." id_prefix=format!("{key}-bank")/>
        <div class="field">
            <label for=notes_for>"Prep notes for the interviewer"</label>
            <textarea id=notes_id name="form[prep_notes]" rows="3">{stage.map(|s| s.prep_notes.clone())}</textarea>
        </div>
    }
}

#[component]
fn ScorecardView(scorecard: Scorecard) -> impl IntoView {
    let error = [
        SaveAttribute::PATH,
        RemoveAttribute::PATH,
        AddRequiredSkills::PATH,
        CopyScorecard::PATH,
        SavePlanStage::PATH,
        RemovePlanStage::PATH,
    ]
    .into_iter()
    .find_map(error_from_query);
    let heading = format!(
        "Scorecard and interview plan: {}",
        scorecard.requisition_title
    );
    let requisition_id = scorecard.requisition_id;
    let by_category = Category::ALL
        .into_iter()
        .map(|category| {
            let attributes: Vec<Attribute> = scorecard
                .attributes
                .iter()
                .filter(|a| a.category == category)
                .cloned()
                .collect();
            view! {
                <h3>{category.label()}</h3>
                {if attributes.is_empty() {
                    view! { <p class="muted">"None yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="attributes">
                            {attributes.into_iter().map(|a| attribute_item(requisition_id, a)).collect_view()}
                        </ul>
                    }.into_any()
                }}
            }
        })
        .collect_view();
    let names = |ids: &[uuid::Uuid]| -> String {
        let names: Vec<String> = ids
            .iter()
            .filter_map(|id| scorecard.attributes.iter().find(|a| a.id == *id))
            .map(|a| a.name.clone())
            .collect();
        if names.is_empty() {
            "the whole scorecard".to_string()
        } else {
            names.join(", ")
        }
    };
    let stages = scorecard
        .stages
        .iter()
        .map(|stage| {
            let key = format!("stage-{}", stage.id);
            let fields = stage_fields(&key, Some(stage), &scorecard);
            let id = stage.id;
            let question_count = stage.questions.len() + stage.bank_questions.len();
            view! {
                <li class="plan-stage">
                    <strong>{stage.name.clone()}</strong>
                    {format!(" · {} minutes · rates {} · {} question{}", stage.duration_minutes, names(&stage.focus), question_count, if question_count == 1 { "" } else { "s" })}
                    <details>
                        <summary>{format!("Change “{}”", stage.name)}</summary>
                        <ServerForm action=SavePlanStage::url() submit_label="Save stage" busy_label="Saving…">
                            <input type="hidden" name="form[requisition_id]" value=requisition_id.to_string()/>
                            <input type="hidden" name="form[stage_id]" value=id.to_string()/>
                            {fields}
                        </ServerForm>
                        <ServerForm action=RemovePlanStage::url() submit_label=format!("Remove “{}”", stage.name) busy_label="Removing…" danger=true inline=true>
                            <input type="hidden" name="stage_id" value=id.to_string()/>
                        </ServerForm>
                    </details>
                </li>
            }
        })
        .collect_view();
    let new_stage_fields = stage_fields("new-stage", None, &scorecard);
    let copy_options = with_blank(
        "Choose a requisition…",
        scorecard
            .copy_from
            .iter()
            .map(|(id, title)| (id.to_string(), title.clone())),
    );
    let has_copy = !scorecard.copy_from.is_empty();
    let skills_to_add = scorecard.skills_to_add.clone();
    view! {
        <Title text=heading.clone()/>
        <h1>{heading}</h1>
        <p>
            <a href=format!("/requisitions/{requisition_id}")>"Back to the requisition"</a>
            " · "<a href=format!("/requisitions/{requisition_id}/pipeline")>"Pipeline board"</a>
        </p>
        {error.map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
        <p class="muted">"Interviewers rate each attribute from 1 to 4 with these words beside the levels. Changing the scorecard never changes feedback already given."</p>
        <section aria-labelledby="scorecard">
            <h2 id="scorecard">"Scorecard"</h2>
            {by_category}
            {(!skills_to_add.is_empty()).then(|| view! {
                <ServerForm action=AddRequiredSkills::url() submit_label=format!("Add the required skills ({})", skills_to_add.join(", ")) busy_label="Adding…" inline=true>
                    <input type="hidden" name="requisition_id" value=requisition_id.to_string()/>
                </ServerForm>
            })}
            {has_copy.then(|| view! {
                <ServerForm action=CopyScorecard::url() submit_label="Copy its attributes" busy_label="Copying…" inline=true>
                    <input type="hidden" name="requisition_id" value=requisition_id.to_string()/>
                    <SelectField name="from" label="Copy the scorecard of" options=copy_options/>
                </ServerForm>
            })}
            <details>
                <summary>"Add an attribute"</summary>
                <div class="form-wide">
                    <ServerForm action=SaveAttribute::url() submit_label="Add attribute" busy_label="Adding…">
                        <input type="hidden" name="form[requisition_id]" value=requisition_id.to_string()/>
                        {attribute_fields("new-attribute", None)}
                    </ServerForm>
                </div>
            </details>
        </section>
        <section aria-labelledby="plan">
            <h2 id="plan">"Interview plan"</h2>
            {if scorecard.stages.is_empty() {
                view! { <p class="muted">"No stages yet. Each stage says what it rates and what to ask; scheduling an interview picks its stage."</p> }.into_any()
            } else {
                view! { <ol class="plan">{stages}</ol> }.into_any()
            }}
            <h3>"Add a stage"</h3>
            <div class="form-wide">
                <ServerForm action=SavePlanStage::url() submit_label="Add stage" busy_label="Adding…">
                    <input type="hidden" name="form[requisition_id]" value=requisition_id.to_string()/>
                    {new_stage_fields}
                </ServerForm>
            </div>
        </section>
    }
}
