//! The first page after sign-in, per role: admins see the organization's health (people,
//! invitations, jobs, recent audit entries); everyone sees their team and own activity.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::access::Role;
use crate::audit::AuditEntry;
use crate::error::AppError;
use crate::jobs::JobCounts;
use crate::ui::time::format_time;
use crate::ui::{loaded, StaffPage};
use crate::users::TeamCounts;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub team: TeamCounts,
    pub jobs: JobCounts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colleague {
    pub full_name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub greeting_name: String,
    pub admin: Option<AdminOverview>,
    /// For admins the organization's latest entries; for others their own.
    pub activity: Vec<AuditEntry>,
    pub colleagues: Vec<Colleague>,
    /// The user's own scheduled interviews of the coming days.
    pub interviews: Vec<crate::interviews::InterviewSummary>,
    pub is_interviewer: bool,
}

#[server(prefix = "/api", endpoint = "dashboard")]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    use crate::access::guard::require_user;
    use crate::audit::{data as audit, AuditFilter};

    let user = require_user().await?;
    let pool = crate::state::pool()?;
    let (admin, activity) = if user.role == Role::Admin {
        let overview = AdminOverview {
            team: crate::users::data::team_counts(&pool, user.org_id).await?,
            jobs: crate::jobs::queue::counts(&pool, user.org_id).await?,
        };
        let recent = audit::list(&pool, user.org_id, &AuditFilter::default(), 10).await?;
        (Some(overview), recent)
    } else {
        (
            None,
            audit::recent_by_actor(&pool, user.org_id, user.id, 10).await?,
        )
    };
    let colleagues = crate::users::data::list_users(&pool, user.org_id)
        .await?
        .into_iter()
        .filter(|colleague| colleague.is_active && colleague.id != user.id)
        .map(|colleague| Colleague {
            full_name: colleague.full_name,
            role: colleague.role,
        })
        .collect();
    let interviews = crate::interviews::load_upcoming_interviews().await?;
    Ok(Dashboard {
        is_interviewer: user.role == Role::Interviewer,
        greeting_name: user.full_name,
        admin,
        activity,
        colleagues,
        interviews,
    })
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <StaffPage title="Dashboard">
            {loaded(load_dashboard, |data| view! { <DashboardView data/> })}
        </StaffPage>
    }
}

#[component]
fn DashboardView(data: Dashboard) -> impl IntoView {
    let is_admin = data.admin.is_some();
    view! {
        <p class="lead">{format!("Welcome back, {}.", data.greeting_name)}</p>
        {(data.is_interviewer || !data.interviews.is_empty()).then(|| view! {
            <section aria-labelledby="upcoming-interviews">
                <h2 id="upcoming-interviews">"Your upcoming interviews"</h2>
                <crate::interviews::page::InterviewList
                    interviews=data.interviews
                    with_candidate=true
                    empty_text=format!("No interviews in the next {} days.", crate::interviews::UPCOMING_DAYS)/>
            </section>
        })}
        {data.admin.map(|overview| view! {
            <section aria-labelledby="health">
                <h2 id="health">"Organization"</h2>
                <ul class="stats">
                    <li><a href="/admin/users"><strong>{overview.team.active_users}</strong>" active users"</a></li>
                    <li><a href="/admin/users"><strong>{overview.team.pending_invites}</strong>" pending invitations"</a></li>
                    <li><a href="/admin/users"><strong>{overview.team.inactive_users}</strong>" deactivated"</a></li>
                    <li><a href="/admin/jobs?status=queued"><strong>{overview.jobs.queued + overview.jobs.running}</strong>" jobs waiting"</a></li>
                    <li class:alert-stat=overview.jobs.failed != 0><a href="/admin/jobs?status=failed"><strong>{overview.jobs.failed}</strong>" failed jobs"</a></li>
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
                                <time>{format_time(&entry.created_at)}</time>" "
                                <span>{entry.actor_email.unwrap_or_else(|| "Someone".into())}</span>" "
                                <code>{entry.action}</code>
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
