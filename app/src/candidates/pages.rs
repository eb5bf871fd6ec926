//! Candidate pages: the searchable list, the profile, and the create and edit forms.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;
use uuid::Uuid;

use super::{
    candidate_skill_choices, list_candidates, load_candidate, CandidateList, CandidateProfile,
    CreateCandidate, DeleteCandidate, Source, UpdateCandidate, CANDIDATE_ROLES,
};
use crate::email::history::EmailRecord;
use crate::pipeline::{load_candidate_pipeline, AddToPipeline, CandidatePipeline, History};
use crate::requisitions::SkillRef;
use crate::ui::form::error_from_query;
use crate::ui::time::format_time;
use crate::ui::{loaded, CheckboxGroup, Field, SelectField, ServerForm, StaffPage, UrlQuery};

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
        <StaffPage title="Candidates" roles=CANDIDATE_ROLES>
            {loaded(fetch.clone(), render.clone())}
        </StaffPage>
    }
}

#[component]
fn CandidateTable(list: CandidateList, search: UrlQuery) -> impl IntoView {
    let skill_options: Vec<(String, String)> =
        std::iter::once((String::new(), "Any skills".to_string()))
            .chain(
                list.skills
                    .iter()
                    .map(|s| (s.id.to_string(), format!("Has {}", s.name))),
            )
            .chain(
                list.skills
                    .iter()
                    .map(|s| (format!("-{}", s.id), format!("Lacks {}", s.name))),
            )
            .collect();
    let source_options: Vec<(String, String)> =
        std::iter::once((String::new(), "Any source".to_string()))
            .chain(
                Source::ALL
                    .iter()
                    .map(|s| (s.as_str().to_string(), s.label().to_string())),
            )
            .collect();
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
                <div class="table-wrap">
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

fn candidate_id() -> Option<Uuid> {
    use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse().ok()))
}

#[component]
pub fn CandidatePage() -> impl IntoView {
    let id = candidate_id();
    let fetch = move || async move {
        let id = id.ok_or(crate::error::AppError::NotFound)?;
        Ok((
            load_candidate(id).await?,
            load_candidate_pipeline(id).await?,
            crate::interviews::load_candidate_interviews(id).await?,
        ))
    };
    let render = |(candidate, pipeline, interviews): (
        CandidateProfile,
        CandidatePipeline,
        Vec<crate::interviews::InterviewSummary>,
    )| {
        let id = candidate.id;
        let emails = candidate.emails.clone();
        view! {
            <Profile candidate/>
            <Applications candidate_id=id pipeline/>
            <section aria-labelledby="candidate-interviews">
                <h2 id="candidate-interviews">"Interviews"</h2>
                <crate::interviews::page::InterviewList interviews with_candidate=true empty_text="No interviews yet."/>
            </section>
            <EmailHistory emails/>
            <DeleteSection id/>
        }
    };
    view! {
        <StaffPage title="" roles=CANDIDATE_ROLES>
            {loaded(fetch, render)}
        </StaffPage>
    }
}

#[component]
fn Profile(candidate: CandidateProfile) -> impl IntoView {
    let c = candidate;
    let edit_href = format!("/candidates/{}/edit", c.id);
    let mailto = format!("mailto:{}", c.email);
    let dash = |text: String| {
        if text.is_empty() {
            "—".to_string()
        } else {
            text
        }
    };
    view! {
        <Title text=c.full_name.clone()/>
        <div class="page-head">
            <h1>{c.full_name.clone()}</h1>
            <span>
                <a class="button secondary" href=edit_href>"Edit"</a>" "
                <a class="button secondary" href=format!("/candidates/{}/merge", c.id)>"Merge a duplicate"</a>
            </span>
        </div>
        {(!c.headline.is_empty()).then(|| view! { <p class="lead">{c.headline.clone()}</p> })}
        <section aria-labelledby="contact">
            <h2 id="contact">"Contact"</h2>
            <dl class="facts">
                <dt>"Email"</dt><dd><a href=mailto>{c.email.clone()}</a></dd>
                <dt>"Phone"</dt><dd>{dash(c.phone.clone())}</dd>
                <dt>"Location"</dt><dd>{dash(c.location.clone())}</dd>
                <dt>"Source"</dt><dd>{c.source.label()}</dd>
                <dt>"Added"</dt><dd>{format!("{}{}", format_time(&c.created_at), c.created_by.map(|by| format!(" by {by}")).unwrap_or_default())}</dd>
            </dl>
        </section>
        <section aria-labelledby="skills">
            <h2 id="skills">"Skills and tags"</h2>
            {if c.skills.is_empty() && c.tags.is_empty() {
                view! { <p class="muted">"None yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="chips">{c.skills.into_iter().map(|s| view! { <li>{s.name}</li> }).collect_view()}</ul>
                    <ul class="chips nice">{c.tags.into_iter().map(|t| view! { <li>{format!("#{t}")}</li> }).collect_view()}</ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn DeleteSection(id: Uuid) -> impl IntoView {
    let error = error_from_query(DeleteCandidate::PATH);
    view! {
        <section aria-labelledby="delete" class="danger-zone">
            <h2 id="delete">"Delete"</h2>
            <p>"Deleting removes the candidate for good: their details, applications, notes, stage history, interviews and the emails about them. The audit log keeps only that a candidate was deleted."</p>
            <ServerForm action=DeleteCandidate::url() submit_label="Delete this candidate" busy_label="Deleting…" danger=true error=error>
                <input type="hidden" name="id" value=id.to_string()/>
                <label class="checkbox"><input type="checkbox" name="confirm" value="yes" required=true/>" I understand that this cannot be undone"</label>
            </ServerForm>
        </section>
    }
}

#[component]
fn EmailHistory(emails: Vec<EmailRecord>) -> impl IntoView {
    view! {
        <section aria-labelledby="emails">
            <h2 id="emails">"Emails"</h2>
            {if emails.is_empty() {
                view! { <p class="muted">"No email about this candidate yet."</p> }.into_any()
            } else {
                view! {
                    <table class="email-history">
                        <thead><tr><th>"Written"</th><th>"To"</th><th>"Subject"</th><th>"Status"</th></tr></thead>
                        <tbody>
                            {emails.into_iter().map(|email| view! {
                                <tr>
                                    <td>{format_time(&email.created_at)}</td>
                                    <td>{email.to_address.clone()}</td>
                                    <td>{email.subject.clone()}</td>
                                    <td>{email.status_label()}{email.sent_at.map(|at| format!(" {}", format_time(&at)))}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Applications(candidate_id: Uuid, pipeline: CandidatePipeline) -> impl IntoView {
    let add_error = error_from_query(AddToPipeline::PATH);
    let options: Vec<(String, String)> = pipeline
        .open_requisitions
        .iter()
        .map(|(id, title)| (id.to_string(), title.clone()))
        .collect();
    view! {
        <section aria-labelledby="applications">
            <h2 id="applications">"Applications"</h2>
            {if pipeline.applications.is_empty() {
                view! { <p class="muted">"Not in any pipeline yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="applications">
                        {pipeline.applications.into_iter().map(|application| view! {
                            <li>
                                <a href=format!("/requisitions/{}/pipeline", application.requisition_id)>{application.requisition_title}</a>
                                " · "<strong>{application.stage}</strong>
                                " · "<a href=format!("/applications/{}", application.application_id)>"Notes"</a>
                                {application.rejection_reason.map(|reason| format!(" ({reason})"))}
                                <History changes=application.history/>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!options.is_empty()).then(|| view! {
                <ServerForm action=AddToPipeline::url() submit_label="Add to pipeline" busy_label="Adding…" inline=true error=add_error.clone()>
                    <input type="hidden" name="candidate_id" value=candidate_id.to_string()/>
                    <SelectField name="requisition_id" label="Requisition" options=options/>
                </ServerForm>
            })}
        </section>
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
        <StaffPage title="Add candidate" roles=CANDIDATE_ROLES>
            {loaded(candidate_skill_choices, render.clone())}
        </StaffPage>
    }
}

#[component]
pub fn EditCandidatePage() -> impl IntoView {
    let id = candidate_id();
    let error = error_from_query(UpdateCandidate::PATH);
    let fetch = move || async move {
        let id = id.ok_or(crate::error::AppError::NotFound)?;
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
        <StaffPage title="Edit candidate" roles=CANDIDATE_ROLES>
            {loaded(fetch, render.clone())}
        </StaffPage>
    }
}
