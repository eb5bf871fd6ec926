//! Requisition pages: the list with filters, the page of one requisition, and the create
//! and edit forms.

use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use super::{
    list_requisitions, load_requisition, requisition_form_choices, ChangeRequisitionStatus,
    CreateRequisition, EmploymentType, FormChoices, RequisitionDetail, RequisitionList,
    RequisitionStatus, UpdateRequisition,
};
use crate::access::Role;
use crate::ui::form::error_from_query;
use crate::ui::time::format_time;
use crate::ui::{
    id_param, loaded, with_blank, CheckboxGroup, Field, SelectField, ServerForm, StaffPage,
    TextArea, UrlQuery,
};

fn status_badge(status: RequisitionStatus) -> impl IntoView {
    view! { <span class=format!("status status-{}", status.as_str())>{status.label()}</span> }
}

/// The list's filters, as the URL carries them.
const LIST_KEYS: &[&str] = &["status", "department", "hiring_manager", "q", "after"];

#[component]
pub fn RequisitionsPage() -> impl IntoView {
    let query = UrlQuery::current(LIST_KEYS);
    let fetch = {
        let q = query.clone();
        move || {
            list_requisitions(
                q.get("status"),
                q.get("department"),
                q.get("hiring_manager"),
                q.get("q"),
                q.get("after"),
            )
        }
    };
    let render = move |list| view! { <RequisitionTable list query=query.clone()/> };
    view! {
        <StaffPage title="Requisitions" roles=crate::access::REQUISITION_ROLES>
            {loaded(fetch.clone(), render.clone())}
        </StaffPage>
    }
}

#[component]
fn RequisitionTable(list: RequisitionList, query: UrlQuery) -> impl IntoView {
    let status_options = with_blank(
        "Any status",
        RequisitionStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), s.label().to_string())),
    );
    let department_options = with_blank(
        "Any department",
        list.departments.iter().map(|d| (d.clone(), d.clone())),
    );
    let manager_options = with_blank(
        "Anyone",
        list.managers
            .iter()
            .map(|m| (m.id.to_string(), m.full_name.clone())),
    );
    let next = list
        .next
        .map(|cursor| query.link_with("/requisitions", "after", &cursor.encode()));
    view! {
        <div class="page-head">
            <form method="get" action="/requisitions" class="filters" role="search" aria-label="Filter requisitions">
                <SelectField name="status" label="Status" options=status_options selected=query.get("status").unwrap_or_default()/>
                <SelectField name="department" label="Department" options=department_options selected=query.get("department").unwrap_or_default()/>
                <SelectField name="hiring_manager" label="Hiring manager" options=manager_options selected=query.get("hiring_manager").unwrap_or_default()/>
                <div class="field">
                    <label for="q">"Search"</label>
                    <input id="q" name="q" type="search" value=query.get("q") placeholder="Title, department, location"/>
                </div>
                <button type="submit">"Filter"</button>
                <a href="/requisitions" class="button secondary">"Clear"</a>
            </form>
            {list.can_create.then(|| view! { <a class="button" href="/requisitions/new">"New requisition"</a> })}
        </div>
        {if list.items.is_empty() {
            view! { <p class="muted">"No requisitions match."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0">
                    <table>
                        <thead><tr><th>"Title"</th><th>"Department"</th><th>"Location"</th><th>"Hiring manager"</th><th>"Openings"</th><th>"Status"</th><th>"Created"</th></tr></thead>
                        <tbody>
                            {list.items.into_iter().map(|r| view! {
                                <tr>
                                    <td><a href=format!("/requisitions/{}", r.id)>{r.title}</a></td>
                                    <td>{r.department}</td>
                                    <td>{r.location}</td>
                                    <td>{r.hiring_manager.unwrap_or_else(|| "—".into())}</td>
                                    <td>{r.openings}</td>
                                    <td>{status_badge(r.status)}</td>
                                    <td>{format_time(&r.created_at)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {next.map(|href| view! { <p><a href=href>"Next page →"</a></p> })}
    }
}

#[component]
pub fn RequisitionPage() -> impl IntoView {
    let id = id_param();
    let status_error = error_from_query(ChangeRequisitionStatus::PATH);
    let fetch = move || async move { load_requisition(id?).await };
    let render = move |requisition| view! { <RequisitionView requisition status_error=status_error.clone()/> };
    view! {
        <StaffPage title="" roles=crate::access::REQUISITION_ROLES>
            {loaded(fetch, render.clone())}
        </StaffPage>
    }
}

#[component]
fn RequisitionView(requisition: RequisitionDetail, status_error: Option<String>) -> impl IntoView {
    let r = requisition;
    let salary = r.salary_text();
    let moves = r.status.next();
    let id = r.id.to_string();
    let edit_href = format!("/requisitions/{id}/edit");
    view! {
        <Title text=r.title.clone()/>
        <div class="page-head">
            <h1>{r.title.clone()}</h1>
            <span class="actions">
                <a class="button" href=format!("/requisitions/{id}/pipeline")>"Pipeline board"</a>
                <a class="button secondary" href=format!("/requisitions/{id}/scorecard")>"Scorecard and interview plan"</a>
                <a class="button secondary" href=format!("/requisitions/{id}/questions")>"Questions"</a>
                <a class="button secondary" href=format!("/requisitions/{id}/careers")>"Careers page"</a>
                <a class="button secondary" href=edit_href>"Edit"</a>
            </span>
        </div>
        <p>{status_badge(r.status)}</p>
        {(!moves.is_empty()).then(|| view! {
            <div class="actions">
                {moves.iter().map(|to| {
                    let id = id.clone();
                    let danger = *to == RequisitionStatus::Cancelled;
                    view! {
                        <ServerForm action=ChangeRequisitionStatus::url() submit_label=to.action_label() busy_label="Saving…" inline=true danger=danger>
                            <input type="hidden" name="id" value=id.clone()/>
                            <input type="hidden" name="from" value=r.status.as_str()/>
                            <input type="hidden" name="to" value=to.as_str()/>
                        </ServerForm>
                    }
                }).collect_view()}
            </div>
        })}
        {status_error.map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
        <dl class="facts">
            <dt>"Department"</dt><dd>{if r.department.is_empty() { "—".to_string() } else { r.department.clone() }}</dd>
            <dt>"Location"</dt><dd>{if r.location.is_empty() { "—".to_string() } else { r.location.clone() }}</dd>
            <dt>"Employment"</dt><dd>{r.employment_type.label()}</dd>
            <dt>"Openings"</dt><dd>{r.openings}</dd>
            <dt>"Salary"</dt><dd>{salary.unwrap_or_else(|| "Not given".into())}</dd>
            <dt>"Hiring manager"</dt><dd>{r.hiring_manager.map(|m| m.full_name).unwrap_or_else(|| "—".into())}</dd>
            <dt>"Team"</dt><dd>{if r.team.is_empty() { "—".to_string() } else { r.team.iter().map(|p| format!("{} ({})", p.full_name, p.role.label().to_lowercase())).collect::<Vec<_>>().join(", ") }}</dd>
            <dt>"Created"</dt><dd>{format_time(&r.created_at)}</dd>
        </dl>
        <h2>"Skills"</h2>
        {if r.required_skills.is_empty() && r.nice_skills.is_empty() {
            view! { <p class="muted">"No skills listed."</p> }.into_any()
        } else {
            view! {
                <p>"Required"</p>
                <ul class="chips">{r.required_skills.into_iter().map(|s| view! { <li>{s.name}</li> }).collect_view()}</ul>
                <p>"Nice to have"</p>
                <ul class="chips nice">{r.nice_skills.into_iter().map(|s| view! { <li>{s.name}</li> }).collect_view()}</ul>
            }.into_any()
        }}
        <h2>"Job description"</h2>
        {if r.description_md.is_empty() {
            view! { <p class="muted">"No description yet."</p> }.into_any()
        } else {
            view! { <div class="markdown" inner_html=r.description_html></div> }.into_any()
        }}
    }
}

/// The fields of the create and edit forms, filled from `current` when editing.
#[component]
fn RequisitionFields(choices: FormChoices, current: Option<RequisitionDetail>) -> impl IntoView {
    let c = current.as_ref();
    let text = |value: Option<String>| value.unwrap_or_default();
    let employment: Vec<(String, String)> = EmploymentType::ALL
        .iter()
        .map(|e| (e.as_str().to_string(), e.label().to_string()))
        .collect();
    let managers = with_blank(
        "— None yet —",
        choices.managers.iter().map(|m| {
            (
                m.id.to_string(),
                format!("{} ({})", m.full_name, m.role.label().to_lowercase()),
            )
        }),
    );
    let team: Vec<(String, String)> = choices
        .team
        .iter()
        .map(|p| {
            (
                p.id.to_string(),
                format!("{} ({})", p.full_name, p.role.label().to_lowercase()),
            )
        })
        .collect();
    let skills: Vec<(String, String)> = choices
        .skills
        .iter()
        .map(|s| (s.id.to_string(), s.name.clone()))
        .collect();
    let ids = |list: Option<Vec<String>>| list.unwrap_or_default();
    view! {
        <Field name="form[title]" label="Title" required=true value=text(c.map(|r| r.title.clone()))/>
        <div class="form-row">
            <Field name="form[department]" label="Department" value=text(c.map(|r| r.department.clone()))/>
            <Field name="form[location]" label="Location" value=text(c.map(|r| r.location.clone())) hint="City, or Remote."/>
        </div>
        <div class="form-row">
            <SelectField name="form[employment_type]" label="Employment type" options=employment selected=c.map_or("full_time", |r| r.employment_type.as_str())/>
            <Field name="form[openings]" label="Openings" kind="number" required=true value=c.map_or("1".to_string(), |r| r.openings.to_string())/>
        </div>
        <div class="form-row">
            <Field name="form[salary_min]" label="Salary from" value=text(c.and_then(|r| r.salary_min.map(|n| n.to_string()))) hint="Optional, yearly."/>
            <Field name="form[salary_max]" label="Salary to" value=text(c.and_then(|r| r.salary_max.map(|n| n.to_string())))/>
            <Field name="form[salary_currency]" label="Currency" value=text(c.and_then(|r| r.salary_currency.clone())) hint="EUR, USD, …"/>
        </div>
        <SelectField name="form[hiring_manager_id]" label="Hiring manager" options=managers selected=text(c.and_then(|r| r.hiring_manager.as_ref().map(|m| m.id.to_string())))/>
        <CheckboxGroup name="form[team]" legend="Team (recruiters and interviewers)" options=team checked=ids(c.map(|r| r.team.iter().map(|p| p.id.to_string()).collect())) empty_text="No recruiters or interviewers yet."/>
        <CheckboxGroup name="form[required_skills]" legend="Required skills" options=skills.clone() checked=ids(c.map(|r| r.required_skills.iter().map(|s| s.id.to_string()).collect())) empty_text="The skill list is empty; an admin adds skills under Skills."/>
        <CheckboxGroup name="form[nice_skills]" legend="Nice-to-have skills" options=skills checked=ids(c.map(|r| r.nice_skills.iter().map(|s| s.id.to_string()).collect())) empty_text="The skill list is empty."/>
        <TextArea name="form[description_md]" label="Job description" value=text(c.map(|r| r.description_md.clone())) rows=12 hint="Markdown: ## headings, - lists, **bold**, [links](https://…)."/>
    }
}

#[component]
pub fn NewRequisitionPage() -> impl IntoView {
    let error = error_from_query(CreateRequisition::PATH);
    let render = move |choices| {
        view! {
            <div class="form-wide">
                <ServerForm action=CreateRequisition::url() submit_label="Create requisition" busy_label="Creating…" error=error.clone()>
                    <RequisitionFields choices current=None/>
                    <fieldset class="checkbox-group">
                        <legend>"Status once created"</legend>
                        <label class="checkbox"><input type="radio" name="open_now" value="false" checked=true/>" Draft: open it later from its page"</label>
                        <label class="checkbox"><input type="radio" name="open_now" value="true"/>" Open"</label>
                    </fieldset>
                </ServerForm>
            </div>
        }
    };
    view! {
        <StaffPage title="New requisition" roles=&[Role::Admin, Role::Recruiter]>
            {loaded(requisition_form_choices, render.clone())}
        </StaffPage>
    }
}

#[component]
pub fn EditRequisitionPage() -> impl IntoView {
    let id = id_param();
    let error = error_from_query(UpdateRequisition::PATH);
    let fetch = move || async move {
        let id = id?;
        Ok((
            load_requisition(id).await?,
            requisition_form_choices().await?,
        ))
    };
    let render = move |(requisition, choices): (RequisitionDetail, FormChoices)| {
        let id = requisition.id;
        view! {
            <p><a href=format!("/requisitions/{id}")>"← Back to the requisition"</a></p>
            <div class="form-wide">
                <ServerForm action=UpdateRequisition::url() submit_label="Save changes" busy_label="Saving…" error=error.clone()>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <RequisitionFields choices current=Some(requisition)/>
                </ServerForm>
            </div>
        }
    };
    view! {
        <StaffPage title="Edit requisition" roles=crate::access::REQUISITION_ROLES>
            {loaded(fetch, render.clone())}
        </StaffPage>
    }
}
