//! The public careers pages: the job board, a job with its application form, and the
//! confirmation. Plain server-rendered HTML: they work without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use super::{
    apply_path, board_path, careers_board, careers_job, consent_sentence, job_path, JobBoard,
    JobPosting, LinkKind, PostedJob, APPLY_ERRORS, HONEYPOT,
};
use crate::error::AppError;
use crate::ui::form::error_from_query;
use crate::ui::{loaded, with_blank, Field, SelectField, TextArea};

fn slug_param() -> String {
    use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default())
}

fn job_param() -> Result<Uuid, AppError> {
    use_params_map()
        .with_untracked(|p| p.get("id").and_then(|id| id.parse().ok()))
        .ok_or(AppError::NotFound)
}

/// The line under a job's title: department, location, employment type.
fn job_facts(job: &PostedJob) -> String {
    [
        job.department.as_str(),
        job.location.as_str(),
        job.employment_type.label(),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(" · ")
}

#[component]
pub fn CareersPage() -> impl IntoView {
    let slug = slug_param();
    let query = use_query_map();
    let (department, location) = query.with_untracked(|q| (q.get("department"), q.get("location")));
    let fetch = move || careers_board(slug, department, location);
    view! {
        <main class="standalone careers">
            {loaded(fetch, |board| view! { <Board board/> })}
        </main>
    }
}

#[component]
fn Board(board: JobBoard) -> impl IntoView {
    let query = use_query_map();
    let (department, location) = query.with_untracked(|q| {
        (
            q.get("department").unwrap_or_default(),
            q.get("location").unwrap_or_default(),
        )
    });
    let filtered = !department.is_empty() || !location.is_empty();
    let path = board_path(&board.slug);
    let departments = with_blank(
        "Every department",
        board.departments.iter().map(|d| (d.clone(), d.clone())),
    );
    let locations = with_blank(
        "Every location",
        board.locations.iter().map(|l| (l.clone(), l.clone())),
    );
    let count = board.jobs.len();
    let slug = board.slug.clone();
    view! {
        <Title text=format!("Jobs at {}", board.org_name)/>
        <h1>{format!("Jobs at {}", board.org_name)}</h1>
        <form method="get" action=path.clone() class="filters" role="search" aria-label="Filter jobs">
            <SelectField name="department" label="Department" options=departments selected=department/>
            <SelectField name="location" label="Location" options=locations selected=location/>
            <button type="submit">"Show jobs"</button>
            {filtered.then(|| view! { <a class="button secondary" href=path.clone()>"Clear"</a> })}
        </form>
        <p role="status">{match (count, filtered) {
            (0, true) => "No jobs match these filters.".to_string(),
            (0, false) => "No open jobs right now. Come back soon.".to_string(),
            (1, _) => "1 open job".to_string(),
            (n, _) => format!("{n} open jobs"),
        }}</p>
        <ul class="job-list">
            {board.jobs.into_iter().map(|job| {
                let facts = job_facts(&job);
                view! {
                    <li>
                        <h2><a href=job_path(&slug, job.id)>{job.title}</a></h2>
                        <p class="muted">{facts}</p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn JobPage() -> impl IntoView {
    let slug = slug_param();
    let id = job_param();
    let fetch = move || async move { careers_job(slug, id?).await };
    view! {
        <main class="standalone careers">
            {loaded(fetch, |posting| view! { <Job posting/> })}
        </main>
    }
}

#[component]
fn Job(posting: JobPosting) -> impl IntoView {
    let error = error_from_query(APPLY_ERRORS);
    let job = posting.job.clone();
    let facts = job_facts(&job);
    let has_notice = !posting.privacy_notice_html.is_empty();
    let consent = consent_sentence(&posting.org_name, posting.retention_months, has_notice);
    view! {
        <Title text=format!("{} at {}", job.title, posting.org_name)/>
        <p><a href=board_path(&posting.slug)>{format!("← All jobs at {}", posting.org_name)}</a></p>
        <h1>{job.title.clone()}</h1>
        <p class="muted">{facts}</p>
        <div class="markdown" inner_html=posting.description_html.clone()></div>
        <section aria-labelledby="apply">
            <h2 id="apply">"Apply"</h2>
            <form method="post" action=apply_path(&posting.slug, job.id) enctype="multipart/form-data" class="form" id="application-form">
                <Field name="full_name" label="Your name" required=true autocomplete="name"/>
                <Field name="email" label="Email" kind="email" required=true autocomplete="email" hint="We send a confirmation here, and write to you about this job."/>
                <Field name="phone" label="Phone (optional)" kind="tel" autocomplete="tel"/>
                <div class="field">
                    <label for="resume">"Résumé"</label>
                    <input id="resume" name="resume" type="file" required=true accept=".pdf,.docx,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain" aria-describedby="resume-hint"/>
                    <p class="field-hint" id="resume-hint">"A PDF, a Word (.docx) or a plain text file of at most 10 MB."</p>
                </div>
                <TextArea name="cover_letter" label="Cover letter (optional)" rows=6/>
                {LinkKind::ALL.into_iter().map(|kind| view! {
                    <Field name=kind.field() label=format!("{} (optional)", kind.label()) kind="url"/>
                }).collect_view()}
                // People never see this field; a robot filling every field fills it.
                <div class="honeypot" aria-hidden="true">
                    <label for=HONEYPOT>"Leave this empty"</label>
                    <input id=HONEYPOT name=HONEYPOT type="text" tabindex="-1" autocomplete="off"/>
                </div>
                {has_notice.then(|| view! {
                    <details class="privacy-notice">
                        <summary>{format!("{}'s privacy notice", posting.org_name)}</summary>
                        <div class="markdown" inner_html=posting.privacy_notice_html.clone()></div>
                    </details>
                })}
                <label class="checkbox"><input type="checkbox" name="consent" value="yes" required=true/>" "{consent}</label>
                <p class="form-error" role="alert" tabindex="-1" autofocus=error.is_some() hidden=error.is_none()>{error.clone()}</p>
                <button type="submit">"Send application"</button>
            </form>
        </section>
    }
}

/// Where the form lands: the signed confirmation, or a pointer back to the job.
#[component]
pub fn AppliedPage() -> impl IntoView {
    let slug = slug_param();
    let id = job_param();
    let page = id
        .as_ref()
        .map(|id| format!("{}/applied", job_path(&slug, *id)));
    let notice = page
        .ok()
        .and_then(|page| crate::ui::notice::notice_from_query(&page));
    let back = id
        .map(|id| job_path(&slug, id))
        .unwrap_or_else(|_| board_path(&slug));
    view! {
        <Title text="Application sent"/>
        <main class="standalone careers narrow">
            <h1>"Application sent"</h1>
            {match notice {
                Some(text) => view! {
                    <crate::ui::Notice text=Some(text)/>
                    <p>"It is now with the hiring team. You can close this page."</p>
                }.into_any(),
                None => view! {
                    <p>"This page confirms an application right after it is sent. To apply, use the job's form."</p>
                }.into_any(),
            }}
            <p><a href=board_path(&slug)>"See the other jobs"</a>" · "<a href=back>"Back to the job"</a></p>
        </main>
    }
}

/// The application page's "From the careers page": what the candidate sent, which the
/// record keeps apart (never written over it).
#[component]
pub fn SubmissionSection(application_id: Uuid) -> impl IntoView {
    let fetch = move || super::load_submission(application_id);
    loaded(fetch, |submission: Option<super::Submission>| {
        submission.map(|s| {
            let times = if s.times == 1 {
                String::new()
            } else {
                format!(" (sent {} times; the latest is shown)", s.times)
            };
            view! {
                <section aria-labelledby="submission">
                    <h2 id="submission">"From the careers page"</h2>
                    <p class="muted">{format!("Sent {}{times}. Contact details sent here are not copied to the record: edit the record to use them.", crate::ui::time::format_time(&s.sent_at))}</p>
                    <dl class="facts">
                        <dt>"Name"</dt><dd>{s.full_name.clone()}</dd>
                        <dt>"Email"</dt><dd>{s.email.clone()}</dd>
                        <dt>"Phone"</dt><dd>{if s.phone.is_empty() { "—".to_string() } else { s.phone.clone() }}</dd>
                        {s.links.iter().map(|link| view! {
                            <dt>{link.kind.label()}</dt>
                            <dd><a href=link.url.clone() rel="noopener noreferrer nofollow">{link.url.clone()}</a></dd>
                        }).collect_view()}
                    </dl>
                    {(!s.cover_letter.is_empty()).then(|| view! {
                        <h3>"Cover letter"</h3>
                        <p class="cover-letter">{s.cover_letter.clone()}</p>
                    })}
                </section>
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requisitions::EmploymentType;

    #[test]
    fn a_job_s_facts_skip_what_is_empty() {
        let job = PostedJob {
            id: Uuid::nil(),
            title: "Engineer".into(),
            department: String::new(),
            location: "Berlin".into(),
            employment_type: EmploymentType::FullTime,
            posted_at: None,
        };
        assert_eq!(
            job_facts(&job),
            format!("Berlin · {}", EmploymentType::FullTime.label())
        );
    }
}
