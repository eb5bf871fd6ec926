//! The dashboard's page: the viewer's queues (`super::Sections`), each item a link to
//! where its work is done, each heading with its count.

use leptos::prelude::*;

use super::{counted, load_dashboard, Dashboard, OwedFeedback, Queue, RequisitionWork};
use crate::interviews::page::InterviewList;
use crate::ui::time::Time;
use crate::ui::{loaded, StaffPage};

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <StaffPage title="Dashboard">
            {loaded(load_dashboard, |data| view! { <DashboardView data/> })}
        </StaffPage>
    }
}

/// A queue's section: its heading with the count, its items or what says there are none,
/// and, when more wait than are listed, where to find them all.
#[component]
fn QueueSection(
    id: &'static str,
    title: &'static str,
    total: i64,
    #[prop(into)] empty: String,
    /// How many items are listed (at most `super::LIMIT`).
    listed: usize,
    children: Children,
) -> impl IntoView {
    view! {
        <section aria-labelledby=id class="queue">
            <h2 id=id>{title}" "<span class="count">{total}</span></h2>
            {if total == 0 {
                view! { <p class="muted">{empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="work">{children()}</ul>
                    {(total > listed as i64).then(|| view! {
                        <p class="muted">{format!("The first {listed} of {total}.")}</p>
                    })}
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn DashboardView(data: Dashboard) -> impl IntoView {
    let sections = data.sections;
    let is_admin = data.admin.is_some();
    let since = data.since.clone();
    let managing = sections.managing;
    view! {
        <p class="lead">{format!("Welcome back, {}.", data.greeting_name)}</p>
        {(sections.recruiting || sections.managing).then(|| view! {
            <Requisitions requisitions=data.requisitions since managing/>
        })}
        {sections.managing.then(|| {
            let Queue { items, total } = data.decisions;
            let listed = items.len();
            view! {
                <QueueSection id="decisions" title="Waiting for your decision" total listed
                    empty="No candidate has all their interview feedback in and waits for your decision.">
                    {items.into_iter().map(|item| view! {
                        <li>
                            <a href=format!("/applications/{}/debrief", item.application_id)>{item.candidate_name}</a>
                            {format!(" · {} · {}: ", item.requisition_title, item.stage_name)}
                            {counted(item.feedback, "interview's feedback in", "interviews' feedback in")}
                        </li>
                    }).collect_view()}
                </QueueSection>
            }
        })}
        {sections.recruiting.then(|| {
            let Queue { items, total } = data.grading;
            let listed = items.len();
            view! {
                <QueueSection id="grading" title="Answers to grade" total listed
                    empty="No answers are waiting to be graded.">
                    {items.into_iter().map(|item| view! {
                        <li>
                            <a href=format!("/assessments/sessions/{}", item.session_id)>
                                {format!("{} · {}", item.candidate_name, item.assessment_title)}
                            </a>
                            {format!(": {} to grade", counted(i64::from(item.answers), "answer", "answers"))}
                        </li>
                    }).collect_view()}
                </QueueSection>
            }
        })}
        {sections.recruiting.then(|| {
            let Queue { items, total } = data.expiring;
            let listed = items.len();
            view! {
                <QueueSection id="expiring" title="Test links expiring unstarted" total listed
                    empty="No test link expires in the next two days without having been started.">
                    {items.into_iter().map(|item| view! {
                        <li>
                            <a href=format!("/assessments/{}", item.assessment_id)>
                                {format!("{} · {}", item.candidate_name, item.assessment_title)}
                            </a>
                            ": not started; the link expires "
                            <time datetime=item.expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)>{item.expires}</time>
                        </li>
                    }).collect_view()}
                </QueueSection>
            }
        })}
        {sections.recruiting.then(|| view! {
            <section aria-labelledby="interviews-today" class="queue">
                <h2 id="interviews-today">"Interviews today "<span class="count">{data.interviews_today.len()}</span></h2>
                <InterviewList interviews=data.interviews_today with_candidate=true
                    empty_text="No interviews on your requisitions today."/>
            </section>
            <section aria-labelledby="interviews-week" class="queue">
                <h2 id="interviews-week">"Later this week "<span class="count">{data.interviews_this_week.len()}</span></h2>
                <InterviewList interviews=data.interviews_this_week with_candidate=true
                    empty_text="No more interviews on your requisitions this week."/>
            </section>
        })}
        {(sections.recruiting || sections.managing).then(|| view! {
            <OwedList id="overdue" title="Feedback overdue on your requisitions" queue=data.overdue
                empty="All feedback on your requisitions is in or not yet due." debrief=true/>
        })}
        {sections.proctoring.then(|| {
            let waiting = data.proctoring_waiting;
            view! {
                <section aria-labelledby="proctoring" class="queue">
                    <h2 id="proctoring">"Proctored tests to review "<span class="count">{waiting}</span></h2>
                    {if waiting == 0 {
                        view! { <p class="muted">"No proctored test with concerns waits for a decision."</p> }.into_any()
                    } else {
                        view! { <p><a href="/proctoring/review">{format!("{} with concerns to review →", counted(waiting, "session", "sessions"))}</a></p> }.into_any()
                    }}
                </section>
            }
        })}
        {(sections.interviewing || data.owed.total > 0).then(|| view! {
            <OwedList id="owed" title="Feedback you owe" queue=data.owed
                empty="You owe no interview feedback." debrief=false/>
        })}
        {(sections.interviewing || !data.my_interviews.is_empty()).then(|| view! {
            <section aria-labelledby="upcoming-interviews" class="queue">
                <h2 id="upcoming-interviews">"Your upcoming interviews"</h2>
                <InterviewList
                    interviews=data.my_interviews
                    with_candidate=true
                    empty_text=format!("No interviews in the next {} days.", crate::interviews::UPCOMING_DAYS)/>
            </section>
        })}
        {data.admin.map(|overview| view! {
            <section aria-labelledby="health">
                <h2 id="health">"Organization"</h2>
                <ul class="stats">
                    <li><a href="/admin/users"><strong>{overview.team.active_users}</strong>{plural(overview.team.active_users, " active user", " active users")}</a></li>
                    <li><a href="/admin/users"><strong>{overview.team.pending_invites}</strong>{plural(overview.team.pending_invites, " pending invitation", " pending invitations")}</a></li>
                    <li><a href="/admin/users"><strong>{overview.team.inactive_users}</strong>" deactivated"</a></li>
                    <li><a href="/admin/jobs?status=queued"><strong>{overview.jobs.queued + overview.jobs.running}</strong>{plural(overview.jobs.queued + overview.jobs.running, " job waiting", " jobs waiting")}</a></li>
                    <li class:alert-stat=overview.jobs.failed != 0><a href="/admin/jobs?status=failed"><strong>{overview.jobs.failed}</strong>{plural(overview.jobs.failed, " failed job", " failed jobs")}</a></li>
                </ul>
            </section>
        })}
        <section aria-labelledby="activity">
            <h2 id="activity">{if is_admin { "Recent activity" } else { "Your recent activity" }}</h2>
            {if data.activity.is_empty() {
                view! { <p class="muted">"Nothing yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="activity">
                        {data.activity.into_iter().map(|entry| view! {
                            <li>
                                <Time at=entry.at/>" "
                                <span>{entry.sentence}</span>" "
                                <code class="muted">{entry.action}</code>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {is_admin.then(|| view! { <p><a href="/admin/audit">"Full audit log →"</a></p> })}
        </section>
        <section aria-labelledby="team">
            <h2 id="team">"Your team"</h2>
            {if data.colleagues.is_empty() {
                view! { <p class="muted">"No colleagues yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="people">
                        {data.colleagues.into_iter().map(|c| view! { <li>{c.full_name}" · "<span class="muted">{c.role.label()}</span></li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

fn plural<N: Into<i64>>(n: N, one: &'static str, many: &'static str) -> &'static str {
    if n.into() == 1 {
        one
    } else {
        many
    }
}

#[component]
fn Requisitions(
    requisitions: Vec<RequisitionWork>,
    since: Option<String>,
    managing: bool,
) -> impl IntoView {
    let total = requisitions.len() as i64;
    let (title, empty) = if managing {
        (
            "Your requisitions",
            "You manage no requisition that is open, on hold or a draft.",
        )
    } else {
        (
            "Your open requisitions",
            "No open requisition of yours: those you open or are on the team of show here.",
        )
    };
    view! {
        <section aria-labelledby="requisitions" class="queue">
            <h2 id="requisitions">{title}" "<span class="count">{total}</span></h2>
            {since.map(|since| view! { <p class="muted">{format!("“New” counts applications since you last signed in ({since}).")}</p> })}
            {if requisitions.is_empty() {
                view! { <p class="muted">{empty}" "<a href="/requisitions">"All requisitions →"</a></p> }.into_any()
            } else {
                view! {
                    <ul class="work">
                        {requisitions.into_iter().map(|r| {
                            let stages = r.stages.iter()
                                .map(|(name, n)| format!("{name} {n}"))
                                .collect::<Vec<_>>()
                                .join(" · ");
                            let status = (r.status != crate::requisitions::RequisitionStatus::Open)
                                .then(|| view! { <span class="badge">{r.status.label()}</span>" " });
                            view! {
                                <li>
                                    <a href=format!("/requisitions/{}/pipeline", r.id)>{r.title}</a>" "
                                    {status}
                                    {counted(r.active, "candidate", "candidates")}
                                    {(!stages.is_empty()).then(|| format!(": {stages}"))}
                                    {(r.new_since > 0).then(|| view! { " "<strong class="badge new">{format!("{} new", r.new_since)}</strong> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// Interviews whose feedback is owed: the viewer's own open their kit, where the form
/// is; others' on the viewer's requisitions open the debrief, where the interviewer can
/// be nudged.
#[component]
fn OwedList(
    id: &'static str,
    title: &'static str,
    queue: Queue<OwedFeedback>,
    empty: &'static str,
    debrief: bool,
) -> impl IntoView {
    let Queue { items, total } = queue;
    let listed = items.len();
    view! {
        <QueueSection id title total empty listed>
            {items.into_iter().map(|item| {
                let href = if debrief {
                    format!("/applications/{}/debrief", item.application_id)
                } else {
                    format!("/interviews/{}", item.interview_id)
                };
                let label = if debrief {
                    format!("{} owes feedback on {} · {}", item.interviewer_name, item.candidate_name, item.requisition_title)
                } else {
                    format!("{} · {}", item.candidate_name, item.requisition_title)
                };
                view! {
                    <li>
                        <a href=href>{label}</a>
                        {if item.overdue { ": overdue since " } else { ": due " }}
                        <time datetime=item.due_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)>{item.due}</time>
                    </li>
                }
            }).collect_view()}
        </QueueSection>
    }
}
