//! Assessment pages: the list, the create and edit forms with the items, the assessment's
//! own page (status, invites) and its results.

use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;
use uuid::Uuid;

use super::{
    assessment_form_choices, find_candidates, list_assessments, load_assessment, load_item_choices,
    load_results, AddDrawItem, AddQuestionItem, ArchiveAssessment, AssessmentDetail,
    AssessmentList, AssessmentResults, AssessmentStatus, CandidateChoice, ChangeItem,
    CreateAssessment, FormChoices, InviteCandidate, InviteState, InviteSuggestions, InviteView,
    ItemChoices, ItemView, NewVersion, PublishAssessment, ResendInvite, RevokeInvite,
    UpdateAssessment,
};
use crate::error::AppError;
use crate::ui::form::error_from_query;
use crate::ui::notice::notice_from_query;
use crate::ui::suggest::Suggest;
use crate::ui::{
    id_param, loaded, with_blank, Field, Notice, SelectField, ServerForm, StaffPage, TextArea,
    UrlQuery,
};

fn status_badge(status: AssessmentStatus) -> impl IntoView {
    let class = match status {
        AssessmentStatus::Draft => "status status-draft",
        AssessmentStatus::Published => "status status-open",
        AssessmentStatus::Archived => "status status-cancelled",
    };
    view! { <span class=class>{status.label()}</span> }
}

const LIST_KEYS: &[&str] = &["requisition", "status"];

#[component]
pub fn AssessmentsPage() -> impl IntoView {
    let query = UrlQuery::current(LIST_KEYS);
    let fetch = {
        let q = query.clone();
        move || list_assessments(q.get("requisition"), q.get("status"))
    };
    let render = move |list| view! { <AssessmentTable list query=query.clone()/> };
    view! {
        <StaffPage title="" roles=crate::access::ASSESSMENT_RESULT_ROLES>
            {loaded(fetch.clone(), render.clone())}
        </StaffPage>
    }
}

#[component]
fn AssessmentTable(list: AssessmentList, query: UrlQuery) -> impl IntoView {
    let requisitions = with_blank(
        "Any requisition",
        list.requisitions
            .iter()
            .map(|(id, t)| (id.to_string(), t.clone())),
    );
    let statuses = with_blank(
        "Any status",
        AssessmentStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), s.label().to_string())),
    );
    let new_href = match query.get("requisition") {
        Some(r) => format!("/assessments/new?requisition={r}"),
        None => "/assessments/new".to_string(),
    };
    view! {
        <Title text="Assessments"/>
        <div class="page-head">
            <h1>"Assessments"</h1>
            {list.can_create.then(|| view! { <a class="button" href=new_href>"New assessment"</a> })}
        </div>
        <form method="get" action="/assessments" class="filters">
            <SelectField name="requisition" label="Requisition" options=requisitions selected=query.get("requisition").unwrap_or_default()/>
            <SelectField name="status" label="Status" options=statuses selected=query.get("status").unwrap_or_default()/>
            <button type="submit">"Filter"</button>
        </form>
        {if list.items.is_empty() {
            view! { <p class="muted">"No assessments match."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0"><table>
                    <thead><tr><th>"Title"</th><th>"Requisition"</th><th>"Status"</th><th>"Items"</th><th>"Invited"</th><th>"Sessions"</th></tr></thead>
                    <tbody>
                        {list.items.into_iter().map(|a| view! {
                            <tr>
                                <td><a href=format!("/assessments/{}", a.id)>{a.title.clone()}</a>{(a.version > 1).then(|| format!(" (version {})", a.version))}</td>
                                <td><a href=format!("/requisitions/{}", a.requisition_id)>{a.requisition_title.clone()}</a></td>
                                <td>{status_badge(a.status)}</td>
                                <td>{a.items}</td>
                                <td>{a.invited}</td>
                                <td><a href=format!("/assessments/{}/results", a.id)>{a.sessions}</a></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
    }
}

/// The settings fields, empty for a new assessment or filled from `a`.
#[component]
fn SettingsFields(
    requisitions: Vec<(Uuid, String)>,
    selected_requisition: Option<String>,
    a: Option<AssessmentDetail>,
    time_zone: String,
) -> impl IntoView {
    let options = with_blank(
        "Choose…",
        requisitions.into_iter().map(|(id, t)| (id.to_string(), t)),
    );
    let proctoring = a.as_ref().map(|a| a.proctoring).unwrap_or_default();
    let value = |f: &dyn Fn(&AssessmentDetail) -> String, default: &str| {
        a.as_ref().map(f).unwrap_or_else(|| default.to_string())
    };
    let title = value(&|a| a.title.clone(), "");
    let instructions = value(&|a| a.instructions.clone(), "");
    let minutes = value(&|a| a.time_limit_minutes.to_string(), "30");
    let pass = value(&|a| a.pass_mark_percent.to_string(), "60");
    let attempts = value(&|a| a.attempts_allowed.to_string(), "1");
    let from = value(&|a| a.available_from.clone(), "");
    let until = value(&|a| a.available_until.clone(), "");
    let shuffle_q = a.as_ref().is_some_and(|a| a.shuffle_questions);
    let shuffle_o = a.as_ref().is_some_and(|a| a.shuffle_options);
    let checkbox = |name: &'static str, label: &'static str, checked: bool| {
        let id = crate::ui::fields::element_id(name);
        let label_for = id.clone();
        view! {
            <label class="checkbox" for=label_for>
                <input type="checkbox" id=id name=name value="on" checked=checked/>
                {label}
            </label>
        }
    };
    view! {
        <SelectField name="form[requisition_id]" label="Requisition" options=options selected=selected_requisition.unwrap_or_default()/>
        <Field name="form[title]" label="Title" value=title required=true/>
        <TextArea name="form[instructions]" label="Instructions for the candidate (Markdown)" value=instructions rows=6/>
        <div class="form-row">
            <Field name="form[time_limit_minutes]" label="Time limit (minutes)" kind="number" value=minutes required=true/>
            <Field name="form[pass_mark_percent]" label="Pass mark (%)" kind="number" value=pass required=true/>
            <Field name="form[attempts_allowed]" label="Attempts allowed" kind="number" value=attempts required=true/>
        </div>
        <div class="form-row">
            <Field name="form[available_from]" label=format!("Available from ({time_zone})") kind="datetime-local" value=from/>
            <Field name="form[available_until]" label=format!("Available until ({time_zone})") kind="datetime-local" value=until/>
        </div>
        <fieldset class="checkbox-group">
            <legend>"Order"</legend>
            {checkbox("form[shuffle_questions]", "Shuffle the questions for each candidate", shuffle_q)}
            {checkbox("form[shuffle_options]", "Shuffle the options of choice questions", shuffle_o)}
        </fieldset>
        <fieldset class="checkbox-group">
            <legend>"Proctoring"</legend>
            {checkbox("form[tab_switches]", "Record leaving the tab or window", proctoring.tab_switches)}
            {checkbox("form[fullscreen]", "Require full screen and record leaving it", proctoring.fullscreen)}
            {checkbox("form[copy_paste]", "Record copy, cut and paste", proctoring.copy_paste)}
            {checkbox("form[webcam]", "Webcam snapshots (with the candidate's consent)", proctoring.webcam)}
            <Field name="form[snapshot_interval_seconds]" label="Seconds between snapshots" kind="number" value=proctoring.snapshot_interval_seconds.to_string()/>
        </fieldset>
    }
}

#[component]
pub fn NewAssessmentPage() -> impl IntoView {
    let query = UrlQuery::current(&["requisition"]);
    let error = error_from_query(CreateAssessment::PATH);
    let render = move |choices: FormChoices| {
        let query = query.clone();
        view! {
            <Title text="New assessment"/>
            <h1>"New assessment"</h1>
            <p class="muted">"Save the settings first; then add the questions and publish."</p>
            <ServerForm action=CreateAssessment::url() submit_label="Create assessment" busy_label="Creating…" error=error.clone()>
                <SettingsFields requisitions=choices.requisitions selected_requisition=query.get("requisition") a=None time_zone=choices.time_zone/>
            </ServerForm>
        }
    };
    view! {
        <StaffPage title="" roles=crate::access::ASSESSMENT_MANAGE_ROLES>
            {loaded(assessment_form_choices, render.clone())}
        </StaffPage>
    }
}

#[component]
pub fn EditAssessmentPage() -> impl IntoView {
    let id = id_param();
    let fetch = move || async move {
        let id = id?;
        let detail = load_assessment(id).await?;
        if !detail.can_manage {
            return Err(AppError::Forbidden);
        }
        Ok((
            detail,
            load_item_choices(id).await?,
            assessment_form_choices().await?,
        ))
    };
    let render = |(detail, items, choices): (AssessmentDetail, ItemChoices, FormChoices)| {
        view! { <EditView detail items choices/> }
    };
    view! {
        <StaffPage title="" roles=crate::access::ASSESSMENT_MANAGE_ROLES>
            {loaded(fetch, render)}
        </StaffPage>
    }
}

/// What a published version offers: editing a new version, and archiving it. A draft's
/// action is `PublishPanel`; an archived version may still be the base of a new version.
fn version_actions(a: &AssessmentDetail) -> impl IntoView {
    let id = a.id.to_string();
    let archive_id = id.clone();
    view! {
        <div class="actions">
            <ServerForm action=NewVersion::url() submit_label="Edit as new version" busy_label="Opening…" inline=true>
                <input type="hidden" name="id" value=id/>
            </ServerForm>
            {(a.status == AssessmentStatus::Published).then(|| view! {
                <ServerForm action=ArchiveAssessment::url() submit_label="Archive" busy_label="Archiving…" danger=true inline=true>
                    <input type="hidden" name="id" value=archive_id/>
                </ServerForm>
            })}
        </div>
    }
}

/// A draft's one action, publishing, with what it freezes (`publish.rs` copies every
/// question the draft can ask; `check_editable` refuses any change to a published
/// version's items and settings; `invites.rs` invites to published versions only).
#[component]
fn PublishPanel(id: Uuid, version: i32) -> impl IntoView {
    view! {
        <section aria-labelledby="publish" class="publish-panel">
            <h2 id="publish">{format!("Publish version {version}")}</h2>
            <p>"Publishing freezes this version:"</p>
            <ul class="freezes">
                <li>"Its questions, their order and their points stay as they are now. Each question is copied into the version, so later edits in the question bank do not change what candidates are asked."</li>
                <li>"A random draw picks only from the questions its set or tag holds at publishing."</li>
                <li>"Its settings stay as they are too: requisition, title, instructions, time limit, pass mark, attempts, availability, order and proctoring."</li>
                <li>"To change anything afterwards, use “Edit as new version”: it opens the next version as a draft, starting from the same questions and settings, and this version keeps its invites and results."</li>
            </ul>
            <p>"Candidates can be invited once it is published."</p>
            <ServerForm action=PublishAssessment::url() submit_label="Publish" busy_label="Publishing…">
                <input type="hidden" name="id" value=id.to_string()/>
            </ServerForm>
        </section>
    }
}

fn items_list(items: Vec<ItemView>, editable: bool) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="muted">"No questions yet."</p> }.into_any();
    }
    let total: i32 = items.iter().map(|i| i.asks).sum();
    let last = items.len() - 1;
    view! {
        <p class="muted">{format!("{total} question{} per candidate", if total == 1 { "" } else { "s" })}</p>
        <ol class="items">
            {items.into_iter().enumerate().map(|(index, item)| {
                let id = item.id.to_string();
                // Only the moves that change the order: none up from the top, none down from the bottom.
                let buttons = editable.then(|| {
                    let changes = [
                        (index > 0).then_some(("up", "Move up")),
                        (index < last).then_some(("down", "Move down")),
                        Some(("remove", "Remove")),
                    ];
                    changes.into_iter().flatten().map(move |(direction, label)| {
                        let id = id.clone();
                        view! {
                            <ServerForm action=ChangeItem::url() submit_label=label busy_label="Saving…" inline=true danger={direction == "remove"}>
                                <input type="hidden" name="item_id" value=id/>
                                <input type="hidden" name="direction" value=direction/>
                            </ServerForm>
                        }
                    }).collect_view()
                });
                view! {
                    <li class="item">
                        <span>{item.description()}</span>
                        {buttons.map(|b| view! { <div class="actions">{b}</div> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

#[component]
fn EditView(detail: AssessmentDetail, items: ItemChoices, choices: FormChoices) -> impl IntoView {
    let update_error = error_from_query(UpdateAssessment::PATH);
    let item_error = error_from_query(AddQuestionItem::PATH)
        .or_else(|| error_from_query(AddDrawItem::PATH))
        .or_else(|| error_from_query(ChangeItem::PATH))
        .or_else(|| error_from_query(PublishAssessment::PATH));
    let heading = format!("Edit: {} (version {})", detail.title, detail.version);
    let id = detail.id.to_string();
    let draft = detail.status == AssessmentStatus::Draft;
    if !draft {
        return view! {
            <Title text=heading.clone()/>
            <h1>{heading}</h1>
            <p>"This version is " {detail.status.label().to_lowercase()} ", so its content is frozen and results stay comparable. Edit a new version instead."</p>
            {version_actions(&detail)}
            <p><a href=format!("/assessments/{id}")>"Back to the assessment"</a></p>
        }
        .into_any();
    }
    let questions = with_blank(
        "Choose…",
        items
            .questions
            .iter()
            .map(|q| (q.id.to_string(), q.label())),
    );
    let sets = items.sets.iter().map(|set| {
        (
            format!("set:{}", set.source),
            format!("Set: {}", set.label()),
        )
    });
    let tags = items.tags.iter().map(|tag| {
        (
            format!("tag:{}", tag.source),
            format!("Tag: {}", tag.label()),
        )
    });
    let sources = with_blank("Choose…", sets.chain(tags));
    let selected = detail.requisition_id.to_string();
    let time_zone = choices.time_zone.clone();
    let (assessment_id, version) = (detail.id, detail.version);
    let (fixed_id, draw_id, form_id) = (id.clone(), id.clone(), id.clone());
    view! {
        <Title text=heading.clone()/>
        <div class="page-head">
            <h1>{heading}</h1>
            <a class="button secondary" href=format!("/assessments/{id}")>"The assessment"</a>
        </div>
        <section aria-labelledby="questions">
            <h2 id="questions">"Questions"</h2>
            {item_error.map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            {items_list(detail.items.clone(), true)}
            <div class="form-row add-items">
                <ServerForm action=AddQuestionItem::url() submit_label="Add question" busy_label="Adding…">
                    <input type="hidden" name="assessment_id" value=fixed_id/>
                    <SelectField name="question_id" label="A question" options=questions/>
                    <p class="field-hint">"The job's own questions (on the requisition's Questions page) come first, then the bank's sets that cover one of the job's skills, then the rest of the bank."</p>
                </ServerForm>
                <ServerForm action=AddDrawItem::url() submit_label="Add random draw" busy_label="Adding…">
                    <input type="hidden" name="assessment_id" value=draw_id/>
                    <SelectField name="from" label="Draw at random from" options=sources/>
                    <Field name="count" label="How many" kind="number" value="1".to_string() required=true/>
                </ServerForm>
            </div>
        </section>
        <PublishPanel id=assessment_id version/>
        <section aria-labelledby="settings">
            <h2 id="settings">"Settings"</h2>
            <ServerForm action=UpdateAssessment::url() submit_label="Save settings" busy_label="Saving…" error=update_error>
                <input type="hidden" name="id" value=form_id/>
                <SettingsFields requisitions=choices.requisitions selected_requisition=Some(selected) a=Some(detail) time_zone/>
            </ServerForm>
        </section>
    }
    .into_any()
}

#[component]
pub fn AssessmentPage() -> impl IntoView {
    let id = id_param();
    let query = UrlQuery::current(&["q"]);
    let q = query.get("q").unwrap_or_default();
    let fetch = {
        let q = q.clone();
        move || async move {
            let detail = load_assessment(id?).await?;
            let found = if detail.can_manage && !q.trim().is_empty() {
                Some(find_candidates(q).await?)
            } else {
                None
            };
            Ok((detail, found))
        }
    };
    let render = move |(detail, found): (AssessmentDetail, Option<Vec<CandidateChoice>>)| {
        view! { <AssessmentView detail found q=q.clone()/> }
    };
    view! {
        <StaffPage title="" roles=crate::access::ASSESSMENT_RESULT_ROLES>
            {loaded(fetch.clone(), render.clone())}
        </StaffPage>
    }
}

/// The invites with resend and revoke for the managers.
#[component]
fn InviteTable(invites: Vec<InviteView>, can_manage: bool) -> impl IntoView {
    if invites.is_empty() {
        return view! { <p class="muted">"No invites."</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0"><table>
            <thead><tr><th>"Candidate"</th><th>"Link"</th><th>"Sent"</th><th>"Expires"</th>{can_manage.then(|| view! { <th>"Actions"</th> })}</tr></thead>
            <tbody>
                {invites.into_iter().map(|i| {
                    let token = i.token_id.to_string();
                    let revoke_token = token.clone();
                    let live = i.state == InviteState::Live;
                    view! {
                        <tr>
                            <td><a href=format!("/candidates/{}", i.candidate_id)>{i.candidate_name.clone()}</a>{(!i.candidate_email.is_empty()).then(|| view! { <div class="muted">{i.candidate_email.clone()}</div> })}</td>
                            <td>{i.state.label()}</td>
                            <td>{i.sent.clone()}</td>
                            <td>{i.expires.clone()}</td>
                            {can_manage.then(|| view! {
                                <td class="actions">
                                    <ServerForm action=ResendInvite::url() submit_label="Resend" busy_label="Sending…" inline=true>
                                        <input type="hidden" name="token_id" value=token/>
                                    </ServerForm>
                                    {live.then(|| view! {
                                        <ServerForm action=RevokeInvite::url() submit_label="Revoke" busy_label="Revoking…" danger=true inline=true>
                                            <input type="hidden" name="token_id" value=revoke_token/>
                                        </ServerForm>
                                    })}
                                </td>
                            })}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

#[component]
fn AssessmentView(
    detail: AssessmentDetail,
    found: Option<Vec<CandidateChoice>>,
    q: String,
) -> impl IntoView {
    let error = error_from_query(InviteCandidate::PATH)
        .or_else(|| error_from_query(ResendInvite::PATH))
        .or_else(|| error_from_query(RevokeInvite::PATH))
        .or_else(|| error_from_query(ArchiveAssessment::PATH))
        .or_else(|| error_from_query(NewVersion::PATH))
        .or_else(|| error_from_query(PublishAssessment::PATH));
    let a = detail;
    let heading = if a.version > 1 {
        format!("{} (version {})", a.title, a.version)
    } else {
        a.title.clone()
    };
    let id = a.id.to_string();
    let invited = notice_from_query(&format!("/assessments/{id}"));
    let monitored = a.proctoring.monitored_items();
    let invite = (a.can_manage && a.status == AssessmentStatus::Published).then(|| {
        let id = id.clone();
        let candidates = found.map(|found| {
            if found.is_empty() {
                return view! { <p class="muted">"No candidate matches; try another name or email."</p> }.into_any();
            }
            let options: Vec<(String, String)> =
                found.iter().map(|c| (c.id.to_string(), c.label())).collect();
            // Searched by a candidate's exact address (as a suggestion leads here): chosen.
            let exact = found
                .iter()
                .find(|c| c.email.eq_ignore_ascii_case(q.trim()))
                .map(|c| c.id.to_string());
            view! {
                <ServerForm action=InviteCandidate::url() submit_label="Send invite" busy_label="Sending…">
                    <input type="hidden" name="form[assessment_id]" value=id/>
                    <SelectField name="form[candidate_id]" label="Candidate" options=options selected=exact.unwrap_or_default()/>
                    <TextArea name="form[message]" label="Your message (included in the email)" rows=4/>
                    <Field name="form[expires_in_days]" label="Link valid for (days)" kind="number" value="7".to_string()/>
                    <fieldset class="checkbox-group">
                        <legend>"Accommodations"</legend>
                        <SelectField name="form[extra_time_percent]" label="Extra time" options=extra_time_options()/>
                        <label class="checkbox" for="invite-waive-webcam">
                            <input type="checkbox" id="invite-waive-webcam" name="form[waive_webcam]" value="on"/>
                            " Waive webcam snapshots"
                        </label>
                    </fieldset>
                </ServerForm>
            }
            .into_any()
        });
        view! {
            <section aria-labelledby="invite">
                <h2 id="invite">"Invite a candidate"</h2>
                <form method="get" class="filters">
                    <Suggest>
                        <div class="field">
                            <label for="q">"Find a candidate by name or email"</label>
                            <input id="q" name="q" type="search" value=q.clone()
                                data-suggest=InviteSuggestions::url() data-suggest-with=format!("assessment_id={}", a.id)/>
                        </div>
                    </Suggest>
                    <button type="submit">"Search"</button>
                </form>
                {candidates}
            </section>
        }
    });
    view! {
        <Title text=heading.clone()/>
        <div class="page-head">
            <h1>{heading}</h1>
            <a class="button secondary" href=format!("/assessments/{id}/results")>"Results"</a>
        </div>
        <p>
            {status_badge(a.status)}" · for "
            <a href=format!("/requisitions/{}", a.requisition_id)>{a.requisition_title.clone()}</a>
            {a.newer_version.map(|newer| view! { " · " <a href=format!("/assessments/{newer}")>"A newer version exists"</a> })}
        </p>
        {error.map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
        {a.can_manage.then(|| if a.status == AssessmentStatus::Draft {
            view! {
                <p><a href=format!("/assessments/{}/edit", a.id)>"Edit questions and settings"</a></p>
                <PublishPanel id=a.id version=a.version/>
            }.into_any()
        } else {
            version_actions(&a).into_any()
        })}
        <dl class="facts">
            <dt>"Time limit"</dt><dd>{format!("{} minutes", a.time_limit_minutes)}</dd>
            <dt>"Pass mark"</dt><dd>{format!("{}%", a.pass_mark_percent)}</dd>
            <dt>"Attempts"</dt><dd>{a.attempts_allowed}</dd>
            <dt>"Available"</dt><dd>{a.availability()}</dd>
            <dt>"Order"</dt><dd>{match (a.shuffle_questions, a.shuffle_options) {
                (true, true) => "Questions and options shuffled",
                (true, false) => "Questions shuffled",
                (false, true) => "Options shuffled",
                (false, false) => "As listed",
            }}</dd>
            <dt>"Monitored"</dt><dd>{if monitored.is_empty() { "Nothing".to_string() } else { monitored.join(" ") }}</dd>
        </dl>
        {(!a.instructions_html.is_empty()).then(|| view! { <h2>"Instructions"</h2><div class="prose" inner_html=a.instructions_html.clone()></div> })}
        <h2>"Questions"</h2>
        {items_list(a.items.clone(), false)}
        {invite}
        <section aria-labelledby="invites">
            <h2 id="invites">"Invites"</h2>
            <Notice text=invited/>
            <InviteTable invites=a.invites.clone() can_manage=a.can_manage/>
        </section>
    }
}

#[component]
pub fn ResultsPage() -> impl IntoView {
    let id = id_param();
    let error =
        error_from_query(ResendInvite::PATH).or_else(|| error_from_query(RevokeInvite::PATH));
    let fetch = move || async move { load_results(id?).await };
    let render = move |results| view! { <ResultsView results error=error.clone()/> };
    view! {
        <StaffPage title="" roles=crate::access::ASSESSMENT_RESULT_ROLES>
            {loaded(fetch, render.clone())}
        </StaffPage>
    }
}

#[component]
fn ResultsView(results: AssessmentResults, error: Option<String>) -> impl IntoView {
    let heading = format!("Results: {}", results.title);
    let score = |s: &super::SessionOutcome| match s.score {
        Some(score) => format!("{score} / {}", s.max_score),
        None => "—".to_string(),
    };
    view! {
        <Title text=heading.clone()/>
        <div class="page-head">
            <h1>{heading}</h1>
            <a class="button secondary" href=format!("/assessments/{}", results.id)>"The assessment"</a>
            <a class="button secondary" href=super::export::results_csv_href(results.id)>"Export CSV"</a>
        </div>
        <p class="muted">{format!("Version {} · pass mark {}%", results.version, results.pass_mark_percent)}</p>
        {error.map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
        <h2>"Sessions"</h2>
        <p class="muted">"The proctoring bands are signals, not proof of cheating: open a session to see what was recorded; a person decides."</p>
        {if results.sessions.is_empty() {
            view! { <p class="muted">"Nobody has started the test yet."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0"><table>
                    <thead><tr><th>"Candidate"</th><th>"Attempt"</th><th>"Status"</th><th>"Score"</th><th>"%"</th><th>"Result"</th><th>"Started"</th><th>"Time taken"</th><th>"Accommodation"</th><th>"Proctoring"</th></tr></thead>
                    <tbody>
                        {results.sessions.iter().map(|s| view! {
                            <tr>
                                <td><a href=format!("/assessments/sessions/{}", s.session_id)>{s.candidate_name.clone()}</a></td>
                                <td>{s.outcome.attempt}</td>
                                <td>{s.outcome.status.label()}</td>
                                <td>{score(&s.outcome)}</td>
                                <td>{format!("{}%", s.outcome.percent)}</td>
                                <td><span class=s.outcome.verdict.class()>{s.outcome.verdict.label()}</span></td>
                                <td>{s.outcome.started.clone()}</td>
                                <td>{s.outcome.time_taken()}</td>
                                <td>{s.accommodation.words().join(", ")}</td>
                                <td>{match s.proctoring {
                                    Some(mark) => view! {
                                        {crate::results::mark_view(mark)}" "
                                        <a href=crate::proctoring::review_url(s.session_id)>"Review"</a>
                                    }.into_any(),
                                    None if s.outcome.status == crate::results::SessionStatus::InProgress => view! { <span class="muted">"When the test ends"</span> }.into_any(),
                                    None => view! { <a href=crate::proctoring::review_url(s.session_id)>"Review"</a> }.into_any(),
                                }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
        <h2>"Invited, not started"</h2>
        <InviteTable invites=results.waiting can_manage=results.can_manage/>
    }
}

/// The extra time an invite may grant, as the invite form's options.
fn extra_time_options() -> Vec<(String, String)> {
    super::Accommodation::EXTRA_TIME_PERCENTS
        .into_iter()
        .map(|p| {
            let label = if p == 0 {
                "None".to_string()
            } else {
                format!("+{p} %")
            };
            (p.to_string(), label)
        })
        .collect()
}
