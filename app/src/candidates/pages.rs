//! Candidate pages: the searchable list, the profile, and the create and edit forms.

use leptos::prelude::*;
use server_fn::ServerFn;

use super::{
    candidate_skill_choices, list_candidates, load_candidate, CandidateList, CandidateProfile,
    CreateCandidate, Source, UpdateCandidate,
};
use crate::skills::SkillRef;
use crate::ui::form::error_from_query;
use crate::ui::time::format_time;
use crate::ui::{
    id_param, loaded, with_blank, CheckboxGroup, Field, SelectField, ServerForm, StaffPage,
    UrlQuery,
};

/// The search, as the URL carries it.
const SEARCH_KEYS: &[&str] = &["q", "tags", "skill", "source", "sort", "after"];

#[component]
pub fn CandidatesPage() -> impl IntoView {
    let search = UrlQuery::current(SEARCH_KEYS);
    let fetch = {
        let s = search.clone();
        move || {
            list_candidates(
                s.get("q"),
                s.get("tags"),
                s.get("skill"),
                s.get("source"),
                s.get("sort"),
                s.get("after"),
            )
        }
    };
    let render = move |list| view! { <CandidateTable list search=search.clone()/> };
    view! {
        <StaffPage title="Candidates" roles=crate::access::CANDIDATE_ROLES>
            {loaded(fetch.clone(), render.clone())}
        </StaffPage>
    }
}

#[component]
fn CandidateTable(list: CandidateList, search: UrlQuery) -> impl IntoView {
    let has = list
        .skills
        .iter()
        .map(|s| (s.id.to_string(), format!("Has {}", s.name)));
    let lacks = list
        .skills
        .iter()
        .map(|s| (format!("-{}", s.id), format!("Lacks {}", s.name)));
    let skill_options = with_blank("Any skills", has.chain(lacks));
    let source_options = with_blank(
        "Any source",
        Source::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), s.label().to_string())),
    );
    let sort_options = vec![
        ("newest".to_string(), "Newest first".to_string()),
        ("name".to_string(), "Name".to_string()),
    ];
    let next = list
        .next
        .as_deref()
        .map(|after| search.link_with("/candidates", "after", after));
    view! {
        <div class="page-head">
            <form method="get" action="/candidates" class="filters" role="search" aria-label="Search candidates">
                <div class="field">
                    <label for="q">"Name or email"</label>
                    <input id="q" name="q" type="search" value=search.get("q")/>
                </div>
                <div class="field">
                    <label for="tags">"Tags"</label>
                    <input id="tags" name="tags" type="text" value=search.get("tags") placeholder="senior, -contractor" aria-describedby="tags-hint"/>
                    <p class="field-hint" id="tags-hint">"A minus excludes a tag."</p>
                </div>
                <SelectField name="skill" label="Skill" options=skill_options selected=search.get("skill").unwrap_or_default()/>
                <SelectField name="source" label="Source" options=source_options selected=search.get("source").unwrap_or_default()/>
                <SelectField name="sort" label="Sort by" options=sort_options selected=search.get("sort").unwrap_or_else(|| "newest".into())/>
                <button type="submit">"Search"</button>
                <a href="/candidates" class="button secondary">"Clear"</a>
            </form>
            <div class="actions">
                <a class="button" href="/candidates/new">"Add candidate"</a>
                <a class="button secondary" href="/candidates/import">"Import CSV"</a>
                <a class="button secondary" href=search.link(super::export::EXPORT_PATH, super::export::EXPORT_KEYS) download="">"Export CSV"</a>
            </div>
        </div>
        {if list.items.is_empty() {
            view! { <p class="muted">"No candidates match."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0">
                    <table>
                        <thead><tr><th>"Name"</th><th>"Email"</th><th>"Location"</th><th>"Source"</th><th>"Tags"</th><th>"Added"</th></tr></thead>
                        <tbody>
                            {list.items.into_iter().map(|c| view! {
                                <tr>
                                    <td><a href=format!("/candidates/{}", c.id)>{c.full_name}</a></td>
                                    <td>{c.email}</td>
                                    <td>{c.location}</td>
                                    <td>{c.source.label()}</td>
                                    <td><ul class="chips">{c.tags.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul></td>
                                    <td>{format_time(&c.created_at)}</td>
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
fn CandidateFields(skills: Vec<SkillRef>, current: Option<CandidateProfile>) -> impl IntoView {
    let c = current.as_ref();
    let text = |value: Option<String>| value.unwrap_or_default();
    let sources: Vec<(String, String)> = Source::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), s.label().to_string()))
        .collect();
    let skill_options: Vec<(String, String)> = skills
        .iter()
        .map(|s| (s.id.to_string(), s.name.clone()))
        .collect();
    let checked: Vec<String> = c
        .map(|c| c.skills.iter().map(|s| s.id.to_string()).collect())
        .unwrap_or_default();
    view! {
        <Field name="form[full_name]" label="Name" required=true value=text(c.map(|c| c.full_name.clone()))/>
        <div class="form-row">
            <Field name="form[email]" label="Email" kind="email" required=true value=text(c.map(|c| c.email.clone()))/>
            <Field name="form[phone]" label="Phone" kind="tel" value=text(c.map(|c| c.phone.clone()))/>
        </div>
        <div class="form-row">
            <Field name="form[location]" label="Location" value=text(c.map(|c| c.location.clone()))/>
            <SelectField name="form[source]" label="Source" options=sources selected=c.map_or("applied", |c| c.source.as_str())/>
        </div>
        <Field name="form[headline]" label="Headline" value=text(c.map(|c| c.headline.clone())) hint="Current role or a one-line summary."/>
        <Field name="form[tags]" label="Tags" value=text(c.map(|c| c.tags.join(", "))) hint="Separated by commas."/>
        <CheckboxGroup name="form[skills]" legend="Skills" options=skill_options checked=checked empty_text="The skill list is empty; an admin adds skills under Skills."/>
    }
}

#[component]
pub fn NewCandidatePage() -> impl IntoView {
    let error = error_from_query(CreateCandidate::PATH);
    let render = move |skills| {
        view! {
            <div class="form-wide">
                <ServerForm action=CreateCandidate::url() submit_label="Add candidate" busy_label="Adding…" error=error.clone()>
                    <CandidateFields skills current=None/>
                </ServerForm>
            </div>
        }
    };
    view! {
        <StaffPage title="Add candidate" roles=crate::access::CANDIDATE_ROLES>
            {loaded(candidate_skill_choices, render.clone())}
        </StaffPage>
    }
}

#[component]
pub fn EditCandidatePage() -> impl IntoView {
    let id = id_param();
    let error = error_from_query(UpdateCandidate::PATH);
    let fetch = move || async move {
        let id = id?;
        Ok((load_candidate(id).await?, candidate_skill_choices().await?))
    };
    let render = move |(candidate, skills): (CandidateProfile, Vec<SkillRef>)| {
        let id = candidate.id;
        view! {
            <p><a href=format!("/candidates/{id}")>"← Back to the profile"</a></p>
            <div class="form-wide">
                <ServerForm action=UpdateCandidate::url() submit_label="Save changes" busy_label="Saving…" error=error.clone()>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <CandidateFields skills current=Some(candidate)/>
                </ServerForm>
            </div>
        }
    };
    view! {
        <StaffPage title="Edit candidate" roles=crate::access::CANDIDATE_ROLES>
            {loaded(fetch, render.clone())}
        </StaffPage>
    }
}
