//! Question bank pages: the list of sets (search, filters, import), a set's page with its
//! questions in order, the set and question forms, and the preview of a question as the
//! candidate will see it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use super::model::{QuestionBody, QuestionKind};
use super::transfer::{export_href, ImportQuestionSet, MAX_IMPORT_BYTES};
use super::view::{display_options, QuestionView};
use super::{
    list_question_sets, load_question, load_question_set, question_set_skills, CreateQuestion,
    CreateQuestionSet, DeactivateQuestionSet, DeleteQuestion, Difficulty, MoveQuestion, Owner,
    QuestionDetail, QuestionSummary, SetDetail, SetList, UpdateQuestion, UpdateQuestionSet,
    OPTION_ROWS,
};
use crate::skills::SkillRef;
use crate::ui::form::error_from_query;
use crate::ui::{
    id_param, loaded, with_blank, CheckboxGroup, Field, SelectField, ServerForm, StaffPage,
    TextArea, UrlQuery,
};

pub(super) fn difficulty_badge(difficulty: Difficulty) -> impl IntoView {
    view! { <span class=format!("difficulty difficulty-{}", difficulty.as_str())>{difficulty.label()}</span> }
}

fn chips(items: Vec<String>) -> impl IntoView {
    (!items.is_empty()).then(|| {
        view! { <ul class="chips">{items.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul> }
    })
}

const LIST_KEYS: &[&str] = &["q", "difficulty", "skill"];

#[component]
pub fn QuestionSetsPage() -> impl IntoView {
    let query = UrlQuery::current(LIST_KEYS);
    let import_error = error_from_query(ImportQuestionSet::PATH);
    let fetch = {
        let q = query.clone();
        move || list_question_sets(q.get("q"), q.get("difficulty"), q.get("skill"))
    };
    let render = move |list| view! { <SetTable list query=query.clone() import_error=import_error.clone()/> };
    view! {
        <StaffPage title="Question bank" roles=crate::access::BANK_VIEW_ROLES>
            {loaded(fetch.clone(), render.clone())}
        </StaffPage>
    }
}

#[component]
fn SetTable(list: SetList, query: UrlQuery, import_error: Option<String>) -> impl IntoView {
    let difficulties = with_blank("Any difficulty", Difficulty::options());
    let skills = with_blank(
        "Any skill",
        list.skills
            .iter()
            .map(|s| (s.id.to_string(), s.name.clone())),
    );
    let max_mb = MAX_IMPORT_BYTES / (1024 * 1024);
    view! {
        <div class="page-head">
            <form method="get" action="/questions" class="filters" role="search" aria-label="Filter question sets">
                <div class="field">
                    <label for="q">"Search"</label>
                    <input id="q" name="q" type="search" value=query.get("q") placeholder="Title or tag"/>
                </div>
                <SelectField name="difficulty" label="Difficulty" options=difficulties selected=query.get("difficulty").unwrap_or_default()/>
                <SelectField name="skill" label="Skill" options=skills selected=query.get("skill").unwrap_or_default()/>
                <button type="submit">"Filter"</button>
                <a href="/questions" class="button secondary">"Clear"</a>
            </form>
            {list.can_manage.then(|| view! { <a class="button" href="/questions/sets/new">"New question set"</a> })}
        </div>
        {if list.items.is_empty() {
            view! { <p class="muted">"No question sets match."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0">
                    <table>
                        <thead><tr><th>"Title"</th><th>"Difficulty"</th><th>"Questions"</th><th>"Tags"</th><th>"Skills"</th></tr></thead>
                        <tbody>
                            {list.items.into_iter().map(|s| view! {
                                <tr>
                                    <td><a href=format!("/questions/sets/{}", s.id)>{s.title}</a></td>
                                    <td>{difficulty_badge(s.difficulty)}</td>
                                    <td>{s.question_count}</td>
                                    <td>{s.tags.join(", ")}</td>
                                    <td>{s.skills.join(", ")}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {list.can_manage.then(|| view! {
            <section aria-labelledby="import" class="card">
                <h2 id="import">"Import a question set"</h2>
                <p class="muted">{format!("A .json file exported from a question set (at most {max_mb} MB). Every question is checked first; nothing is imported when one is wrong.")}</p>
                <form method="post" action=ImportQuestionSet::url() enctype="multipart/form-data" class="form">
                    <div class="field">
                        <label for="import-file">"Question set file"</label>
                        <input id="import-file" name="file" type="file" accept=".json,application/json" required/>
                    </div>
                    <p class="form-error" role="alert" hidden=import_error.is_none()>{import_error.clone()}</p>
                    <button type="submit">"Import"</button>
                </form>
            </section>
        })}
    }
}

#[component]
fn SetFields(skills: Vec<SkillRef>, current: Option<SetDetail>) -> impl IntoView {
    let c = current.as_ref();
    let skill_options: Vec<(String, String)> = skills
        .iter()
        .map(|s| (s.id.to_string(), s.name.clone()))
        .collect();
    let checked: Vec<String> = c
        .map(|s| s.skills.iter().map(|k| k.id.to_string()).collect())
        .unwrap_or_default();
    view! {
        <Field name="form[title]" label="Title" required=true value=c.map(|s| s.title.clone()).unwrap_or_default()/>
        <TextArea name="form[description]" label="Description" value=c.map(|s| s.description.clone()).unwrap_or_default() rows=4 hint="Markdown. What the set covers and whom it is for."/>
        <div class="form-row">
            <SelectField name="form[difficulty]" label="Difficulty" options=Difficulty::options() selected=c.map_or("medium", |s| s.difficulty.as_str())/>
            <Field name="form[tags]" label="Tags" value=c.map(|s| s.tags.join(", ")).unwrap_or_default() hint="Separated by commas."/>
        </div>
        <CheckboxGroup name="form[skills]" legend="Skills" options=skill_options checked=checked empty_text="The skill list is empty; an admin adds skills under Skills."/>
    }
}

#[component]
pub fn NewQuestionSetPage() -> impl IntoView {
    let error = error_from_query(CreateQuestionSet::PATH);
    let render = move |skills| {
        view! {
            <div class="form-wide">
                <ServerForm action=CreateQuestionSet::url() submit_label="Create question set" busy_label="Creating…" error=error.clone()>
                    <SetFields skills current=None/>
                </ServerForm>
            </div>
        }
    };
    view! {
        <StaffPage title="New question set" roles=crate::access::BANK_MANAGE_ROLES>
            {loaded(question_set_skills, render.clone())}
        </StaffPage>
    }
}

#[component]
pub fn EditQuestionSetPage() -> impl IntoView {
    let id = id_param();
    let error = error_from_query(UpdateQuestionSet::PATH);
    let fetch = move || async move {
        let id = id?;
        Ok((load_question_set(id).await?, question_set_skills().await?))
    };
    let render = move |(set, skills): (SetDetail, Vec<SkillRef>)| {
        let id = set.id;
        view! {
            <p><a href=format!("/questions/sets/{id}")>"← Back to the question set"</a></p>
            <div class="form-wide">
                <ServerForm action=UpdateQuestionSet::url() submit_label="Save changes" busy_label="Saving…" error=error.clone()>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <SetFields skills current=Some(set)/>
                </ServerForm>
            </div>
        }
    };
    view! {
        <StaffPage title="Edit question set" roles=crate::access::BANK_MANAGE_ROLES>
            {loaded(fetch, render.clone())}
        </StaffPage>
    }
}

#[component]
pub fn QuestionSetPage() -> impl IntoView {
    let id = id_param();
    let skipped = use_query_map().with_untracked(|q| q.get("skipped_skills"));
    let errors: Vec<String> = [
        MoveQuestion::PATH,
        DeleteQuestion::PATH,
        DeactivateQuestionSet::PATH,
    ]
    .into_iter()
    .filter_map(error_from_query)
    .collect();
    let fetch = move || async move { load_question_set(id?).await };
    let render = move |set| view! { <SetView set skipped=skipped.clone() errors=errors.clone()/> };
    view! {
        <StaffPage title="" roles=crate::access::BANK_VIEW_ROLES>
            {loaded(fetch, render.clone())}
        </StaffPage>
    }
}

#[component]
fn SetView(set: SetDetail, skipped: Option<String>, errors: Vec<String>) -> impl IntoView {
    let id = set.id;
    let manage = set.can_manage;
    view! {
        <Title text=set.title.clone()/>
        <p><a href="/questions">"← Question bank"</a></p>
        <div class="page-head">
            <h1>{set.title.clone()}</h1>
            <span class="actions">
                <a class="button secondary" href=export_href(id) download="">"Export JSON"</a>
                {manage.then(|| view! {
                    <a class="button secondary" href=format!("/questions/sets/{id}/edit")>"Edit set"</a>
                    <a class="button" href=format!("/questions/sets/{id}/new")>"Add question"</a>
                })}
            </span>
        </div>
        {skipped.map(|names| view! {
            <p class="notice notice-warning" role="status">{format!("Imported. These skills are not on the organization's skill list and were left out: {names}.")}</p>
        })}
        {errors.into_iter().map(|message| view! { <p class="form-error" role="alert">{message}</p> }).collect_view()}
        <p>{difficulty_badge(set.difficulty)}</p>
        {chips(set.tags)}
        {(!set.skills.is_empty()).then(|| view! {
            <p>"Skills: " {set.skills.iter().map(|s| s.name.clone()).collect::<Vec<_>>().join(", ")}</p>
        })}
        {(!set.description.is_empty()).then(|| view! { <div class="markdown" inner_html=set.description_html></div> })}
        <QuestionTable questions=set.questions manage/>
        {manage.then(|| view! {
            <section aria-labelledby="remove-set" class="card">
                <h2 id="remove-set">"Remove this set"</h2>
                <p class="muted">"The set leaves the question bank; assessments already built from it keep their questions."</p>
                <ServerForm action=DeactivateQuestionSet::url() submit_label="Remove question set" busy_label="Removing…" danger=true>
                    <input type="hidden" name="id" value=id.to_string()/>
                </ServerForm>
            </section>
        })}
    }
}

/// The questions of a set or of a requisition, in order, with their actions for those
/// who manage the bank.
#[component]
pub(super) fn QuestionTable(questions: Vec<QuestionSummary>, manage: bool) -> impl IntoView {
    let count = questions.len();
    view! {
        <h2>{match count { 0 => "No questions yet".to_string(), 1 => "1 question".to_string(), n => format!("{n} questions") }}</h2>
        {(count > 0).then(|| view! {
            <div class="table-wrap" tabindex="0">
                <table class="question-list">
                    <thead><tr><th>"#"</th><th>"Question"</th><th>"Kind"</th><th>"Points"</th><th>"Difficulty"</th>{manage.then(|| view! { <th>"Actions"</th> })}</tr></thead>
                    <tbody>
                        {questions.into_iter().enumerate().map(|(index, q)| {
                            let qid = q.id.to_string();
                            let row_id = qid.clone();
                            view! {
                                <tr data-question=row_id>
                                    <td>{index + 1}</td>
                                    <td><a href=format!("/questions/{qid}/preview")>{q.headline}</a></td>
                                    <td>{q.kind.label()}</td>
                                    <td>{q.points}</td>
                                    <td>{difficulty_badge(q.difficulty)}</td>
                                    {manage.then(|| view! {
                                        <td class="actions">
                                            <a href=format!("/questions/{qid}/edit")>"Edit"</a>
                                            {(index > 0).then(|| view! { <MoveForm id=qid.clone() up=true/> })}
                                            {(index + 1 < count).then(|| view! { <MoveForm id=qid.clone() up=false/> })}
                                            <ServerForm action=DeleteQuestion::url() submit_label="Delete" busy_label="Deleting…" inline=true danger=true>
                                                <input type="hidden" name="id" value=qid.clone()/>
                                            </ServerForm>
                                        </td>
                                    })}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
    }
}

#[component]
pub(super) fn MoveForm(id: String, up: bool) -> impl IntoView {
    let (label, direction) = if up {
        ("Move up", "up")
    } else {
        ("Move down", "down")
    };
    view! {
        <ServerForm action=MoveQuestion::url() submit_label=label busy_label="Moving…" inline=true>
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="direction" value=direction/>
        </ServerForm>
    }
}

/// The option rows of a choice question: the current options, then blank rows up to
/// `OPTION_ROWS` (one more when there are already that many, up to the maximum).
#[component]
fn OptionRows(body: Option<QuestionBody>) -> impl IntoView {
    let current = body.map(|b| b.options().to_vec()).unwrap_or_default();
    let rows = OPTION_ROWS
        .max(current.len() + 1)
        .min(super::model::MAX_OPTIONS.max(current.len()));
    view! {
        <fieldset class="option-rows">
            <legend>"Options"</legend>
            <p class="field-hint">"Fill in at least two; tick the correct ones. Blank rows are left out."</p>
            {(0..rows).map(|i| {
                let option = current.get(i);
                let text_id = format!("option-{i}-text");
                let correct_id = format!("option-{i}-correct");
                view! {
                    <div class="option-row">
                        <input type="hidden" name=format!("form[options][{i}][id]") value=option.map(|o| o.id.to_string()).unwrap_or_default()/>
                        <label for=text_id.clone()>{format!("Option {}", i + 1)}</label>
                        <input id=text_id type="text" name=format!("form[options][{i}][text]") value=option.map(|o| o.text.clone()).unwrap_or_default()/>
                        <label class="checkbox" for=correct_id.clone()>
                            <input id=correct_id.clone() type="checkbox" name=format!("form[options][{i}][correct]") value="on" checked=option.is_some_and(|o| o.correct)/>
                            <span class="visually-hidden">{format!("Option {} is ", i + 1)}</span>
                            "correct"
                        </label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// The fields of the question forms for a question of `kind`, filled from `current`.
#[component]
pub(super) fn QuestionFields(kind: QuestionKind, current: Option<QuestionDetail>) -> impl IntoView {
    let c = current.as_ref();
    let body = c.map(|q| q.body.clone());
    let text = |f: fn(&QuestionDetail) -> String| c.map(f).unwrap_or_default();
    let specific = match kind {
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
            view! { <OptionRows body/> }.into_any()
        }
        QuestionKind::TrueFalse => {
            let selected = match body {
                Some(QuestionBody::TrueFalse { correct: false }) => "false",
                _ => "true",
            };
            let options = vec![
                ("true".to_string(), "True".to_string()),
                ("false".to_string(), "False".to_string()),
            ];
            view! { <SelectField name="form[correct]" label="The statement is" options selected=selected/> }.into_any()
        }
        QuestionKind::ShortText | QuestionKind::LongText => {
            let model_answer = match body {
                Some(
                    QuestionBody::ShortText { model_answer }
                    | QuestionBody::LongText { model_answer },
                ) => model_answer,
                _ => String::new(),
            };
            view! { <TextArea name="form[model_answer]" label="Model answer" value=model_answer rows=4 hint="Shown to graders, never to the candidate."/> }.into_any()
        }
        QuestionKind::Numeric => {
            let (answer, tolerance) = match body {
                Some(QuestionBody::Numeric { answer, tolerance }) => {
                    (answer.to_string(), tolerance.to_string())
                }
                _ => (String::new(), "0".to_string()),
            };
            view! {
                <div class="form-row">
                    <Field name="form[answer]" label="Correct answer" value=answer required=true hint="A number, like 42 or 3.14."/>
                    <Field name="form[tolerance]" label="Tolerance" value=tolerance hint="Answers this close to the correct one (either side) score full points."/>
                </div>
            }
            .into_any()
        }
        QuestionKind::Code => {
            let (language, starter_code) = match body {
                Some(QuestionBody::Code {
                    language,
                    starter_code,
                }) => (language, starter_code),
                _ => (String::new(), String::new()),
            };
            view! {
                <Field name="form[language]" label="Language" value=language required=true hint="Rust, Python, SQL, …"/>
                <TextArea name="form[starter_code]" label="Starter code" value=starter_code rows=8 hint="What the candidate's editor starts with."/>
            }
            .into_any()
        }
    };
    view! {
        <input type="hidden" name="form[kind]" value=kind.as_str()/>
        <p>"Kind: " <strong>{kind.label()}</strong></p>
        <TextArea name="form[prompt_md]" label="Prompt" value=text(|q| q.prompt_md.clone()) rows=6 hint="Markdown: **bold**, `code`, lists, ```code blocks```."/>
        {specific}
        <div class="form-row">
            <Field name="form[points]" label="Points" kind="number" required=true value=c.map_or("1".to_string(), |q| q.points.to_string())/>
            <SelectField name="form[difficulty]" label="Difficulty" options=Difficulty::options() selected=c.map_or("medium", |q| q.difficulty.as_str())/>
            <Field name="form[tags]" label="Tags" value=text(|q| q.tags.join(", ")) hint="Separated by commas."/>
        </div>
        <TextArea name="form[explanation_md]" label="Explanation" value=text(|q| q.explanation_md.clone()) rows=3 hint="Why the right answer is right: for graders and results, never shown to the candidate."/>
        <TextArea name="form[guidance_md]" label="Grading guidance" value=text(|q| q.guidance_md.clone()) rows=3 hint="What a grader looks for in a text or code answer."/>
    }
}

/// A new question for `owner`: its kind first, then the question form for that kind.
#[component]
pub(super) fn NewQuestionForm(owner: Owner) -> impl IntoView {
    let kind =
        use_query_map().with_untracked(|q| q.get("kind").as_deref().and_then(QuestionKind::parse));
    let error = error_from_query(CreateQuestion::PATH);
    let (field, id) = owner.field();
    match kind {
        None => view! {
            <h2>"Choose the kind of question"</h2>
            <ul class="kind-choices">
                {QuestionKind::ALL.into_iter().map(|k| view! {
                    <li><a href=format!("{}?kind={}", owner.new_question_href(), k.as_str())>{k.label()}</a></li>
                }).collect_view()}
            </ul>
        }
        .into_any(),
        Some(kind) => view! {
            <div class="form-wide">
                <ServerForm action=CreateQuestion::url() submit_label="Add question" busy_label="Saving…" error=error>
                    <input type="hidden" name=field value=id.to_string()/>
                    <QuestionFields kind current=None/>
                </ServerForm>
            </div>
        }
        .into_any(),
    }
}

#[component]
pub fn NewQuestionPage() -> impl IntoView {
    let set_id = id_param();
    let fetch = move || async move { load_question_set(set_id?).await };
    let render = move |set: SetDetail| {
        let back = format!("/questions/sets/{}", set.id);
        let body = view! { <NewQuestionForm owner=Owner::Set(set.id)/> };
        view! {
            <p><a href=back>{format!("← {}", set.title)}</a></p>
            {body}
        }
    };
    view! {
        <StaffPage title="New question" roles=crate::access::BANK_MANAGE_ROLES>
            {loaded(fetch, render)}
        </StaffPage>
    }
}

#[component]
pub fn EditQuestionPage() -> impl IntoView {
    let id = id_param();
    let error = error_from_query(UpdateQuestion::PATH);
    let fetch = move || async move { load_question(id?).await };
    let render = move |question: QuestionDetail| {
        let id = question.id;
        let kind = question.body.kind();
        view! {
            <p>
                <a href=question.owner.href()>"← Back"</a>
                " · "
                <a href=format!("/questions/{id}/preview")>"Preview"</a>
            </p>
            <div class="form-wide">
                <ServerForm action=UpdateQuestion::url() submit_label="Save question" busy_label="Saving…" error=error.clone()>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <QuestionFields kind current=Some(question)/>
                </ServerForm>
            </div>
        }
    };
    view! {
        <StaffPage title="Edit question" roles=crate::access::BANK_MANAGE_ROLES>
            {loaded(fetch, render.clone())}
        </StaffPage>
    }
}

/// The correct answer of a question, in words, for staff.
fn correct_answer(body: &QuestionBody) -> String {
    match body {
        QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options } => {
            options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.text.clone())
                .collect::<Vec<_>>()
                .join("; ")
        }
        QuestionBody::TrueFalse { correct } => if *correct { "True" } else { "False" }.to_string(),
        QuestionBody::ShortText { model_answer } | QuestionBody::LongText { model_answer } => {
            if model_answer.is_empty() {
                "Graded by a person (no model answer given).".to_string()
            } else {
                format!("Graded by a person. Model answer: {model_answer}")
            }
        }
        QuestionBody::Numeric { answer, tolerance } if *tolerance > 0.0 => {
            format!("{answer} (± {tolerance})")
        }
        QuestionBody::Numeric { answer, .. } => answer.to_string(),
        QuestionBody::Code { .. } => "Graded by a person.".to_string(),
    }
}

#[component]
pub fn QuestionPreviewPage() -> impl IntoView {
    let id = id_param();
    let fetch = move || async move { load_question(id?).await };
    let render = |q: QuestionDetail| {
        let (language, starter_code) = match &q.body {
            QuestionBody::Code {
                language,
                starter_code,
            } => (language.clone(), starter_code.clone()),
            _ => (String::new(), String::new()),
        };
        let back = match q.owner {
            Owner::Set(_) => "← Back to the question set",
            Owner::Requisition(_) => "← The job's questions",
        };
        view! {
            <p>
                <a href=q.owner.href()>{back}</a>
                {q.can_manage.then(|| view! { " · " <a href=format!("/questions/{}/edit", q.id)>"Edit"</a> })}
            </p>
            <section aria-labelledby="as-candidate" class="preview">
                <h2 id="as-candidate">"As the candidate sees it"</h2>
                <p class="muted">{format!("{} · {} {}", q.body.kind().label(), q.points, if q.points == 1 { "point" } else { "points" })}</p>
                <QuestionView prompt_html=q.prompt_html.clone() kind=q.body.kind() options=display_options(&q.body) language starter_code disabled=true/>
            </section>
            <section aria-labelledby="for-staff" class="card staff-only">
                <h2 id="for-staff">"For staff only"</h2>
                <dl class="facts">
                    <dt>"Correct answer"</dt><dd class="correct-answer">{correct_answer(&q.body)}</dd>
                    <dt>"Difficulty"</dt><dd>{q.difficulty.label()}</dd>
                    <dt>"Tags"</dt><dd>{if q.tags.is_empty() { "—".to_string() } else { q.tags.join(", ") }}</dd>
                </dl>
                <h3>"Explanation"</h3>
                {if q.explanation_md.is_empty() {
                    view! { <p class="muted">"None given."</p> }.into_any()
                } else {
                    view! { <div class="markdown" inner_html=q.explanation_html></div> }.into_any()
                }}
                <h3>"Grading guidance"</h3>
                {if q.guidance_md.is_empty() {
                    view! { <p class="muted">"None given."</p> }.into_any()
                } else {
                    view! { <div class="markdown" inner_html=q.guidance_html></div> }.into_any()
                }}
            </section>
        }
    };
    view! {
        <StaffPage title="Question preview" roles=crate::access::BANK_VIEW_ROLES>
            {loaded(fetch, render)}
        </StaffPage>
    }
}
