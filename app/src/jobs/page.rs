//! The admin's view of background jobs: counts by status, the latest jobs with their
//! attempts and last error, and a retry for failed ones.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use super::{list_jobs, JobCounts, JobStatus, JobView, RetryJob};
use crate::access::Role;
use crate::ui::time::{format_optional, format_time};
use crate::ui::{loaded, ServerForm, StaffPage};

#[component]
pub fn JobsPage() -> impl IntoView {
    let status = use_query_map().with_untracked(|q| q.get("status"));
    let fetch = {
        let status = status.clone();
        move || list_jobs(status.clone())
    };
    let render = move |(counts, jobs): (JobCounts, Vec<JobView>)| {
        let status = status.clone();
        view! {
            <nav class="tabs" aria-label="Filter by status">
                <a href="/admin/jobs" aria-current=status.is_none().then_some("page")>"All"</a>
                {JobStatus::ALL.into_iter().map(|s| {
                    let count = counts.of(s);
                    let s = s.as_str();
                    let current = (status.as_deref() == Some(s)).then_some("page");
                    view! { <a href=format!("/admin/jobs?status={s}") aria-current=current>{format!("{s} ({count})")}</a> }
                }).collect_view()}
            </nav>
            {if jobs.is_empty() {
                view! { <p class="muted">"No jobs."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0">
                        <table>
                            <thead><tr><th>"Job"</th><th>"Kind"</th><th>"Status"</th><th>"Attempts"</th><th>"Created"</th><th>"Next run / finished"</th><th>"Last error"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                            <tbody>
                                {jobs.into_iter().map(|job| {
                                    let when = if job.status == JobStatus::Queued { format_time(&job.run_at) } else { format_optional(&job.finished_at) };
                                    let failed = job.status == JobStatus::Failed;
                                    view! {
                                        <tr>
                                            <td>{format!("#{}", job.id)}</td>
                                            <td><code>{job.kind}</code></td>
                                            <td><span class=format!("status status-{}", job.status.as_str())>{job.status.as_str()}</span></td>
                                            <td>{format!("{} of {}", job.attempts, job.max_attempts)}</td>
                                            <td>{format_time(&job.created_at)}</td>
                                            <td>{when}</td>
                                            <td class="error-text">{job.last_error}</td>
                                            <td>{failed.then(|| view! {
                                                <ServerForm action=RetryJob::url() submit_label=format!("Retry job #{}", job.id) busy_label="Retrying…" inline=true>
                                                    <input type="hidden" name="job_id" value=job.id.to_string()/>
                                                </ServerForm>
                                            })}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        }
    };
    view! {
        <StaffPage title="Background jobs" roles=&[Role::Admin]>
            {loaded(fetch.clone(), render.clone())}
        </StaffPage>
    }
}
