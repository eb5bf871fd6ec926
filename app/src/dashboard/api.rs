use leptos::prelude::*;

use super::Dashboard;
use crate::error::AppError;

/// The signed-in person's dashboard: the queues of their role (`Sections::for_role`).
#[server(prefix = "/api", endpoint = "dashboard")]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    use chrono::{Duration, Utc};

    use super::data::{self, Owed};
    use super::{day_and_week, Activity, AdminOverview, Colleague, ExpiringInvite, OwedFeedback};
    use super::{Queue, Sections};
    use crate::access::guard::require_user;
    use crate::access::Role;
    use crate::audit::{data as audit, AuditFilter};
    use crate::interviews::service::summaries;
    use crate::ui::time::{format_in_zone, zone_or_utc};

    let user = require_user().await?;
    let pool = crate::state::pool()?;
    let sections = Sections::for_role(user.role);
    let zone = zone_or_utc(&user.time_zone);
    let now = Utc::now();
    let as_manager = user.role == Role::HiringManager;
    let previous = data::previous_sign_in(&pool, user.id).await?;
    let owed = |rows: Vec<data::OwedRow>| {
        Queue::of(
            rows,
            |row| row.total,
            |row| OwedFeedback {
                interview_id: row.interview_id,
                application_id: row.application_id,
                candidate_name: row.candidate_name,
                requisition_title: row.requisition_title,
                interviewer_name: row.interviewer_name,
                due: format_in_zone(&row.due_at, zone),
                overdue: row.due_at <= now,
                due_at: row.due_at,
            },
        )
    };

    let requisitions = if sections.recruiting || sections.managing {
        data::my_requisitions(&pool, user.org_id, user.id, as_manager, previous).await?
    } else {
        Vec::new()
    };
    let mut dashboard = Dashboard {
        greeting_name: user.full_name.clone(),
        sections,
        since: previous.map(|at| format_in_zone(&at, zone)),
        requisitions,
        grading: Queue::default(),
        expiring: Queue::default(),
        interviews_today: Vec::new(),
        interviews_this_week: Vec::new(),
        overdue: Queue::default(),
        proctoring_waiting: 0,
        decisions: Queue::default(),
        my_interviews: Vec::new(),
        owed: owed(data::owed_feedback(&pool, user.org_id, user.id, Owed::Mine).await?),
        admin: None,
        activity: Vec::new(),
        colleagues: Vec::new(),
    };
    if sections.recruiting {
        dashboard.grading = data::grading(&pool, user.org_id).await?;
        let rows = data::expiring_invites(&pool, user.org_id, now + Duration::days(2)).await?;
        dashboard.expiring = Queue::of(
            rows,
            |row| row.total,
            |row| ExpiringInvite {
                assessment_id: row.assessment_id,
                candidate_name: row.candidate_name,
                assessment_title: row.assessment_title,
                expires: format_in_zone(&row.expires_at, zone),
                expires_at: row.expires_at,
            },
        );
        let [today, tomorrow, week_end] = day_and_week(now, &zone);
        let rows = crate::interviews::data::on_requisitions_of(
            &pool,
            user.org_id,
            user.id,
            today,
            week_end,
        )
        .await?;
        let (today_rows, later): (Vec<_>, Vec<_>) =
            rows.into_iter().partition(|row| row.starts_at < tomorrow);
        dashboard.interviews_today = summaries(&today_rows, &user);
        dashboard.interviews_this_week = summaries(&later, &user);
    }
    if sections.recruiting || sections.managing {
        dashboard.overdue = owed(
            data::owed_feedback(
                &pool,
                user.org_id,
                user.id,
                Owed::OverdueOnMyRequisitions { as_manager },
            )
            .await?,
        );
    }
    if sections.managing {
        dashboard.decisions = data::decisions(&pool, user.org_id, user.id).await?;
    }
    if sections.proctoring {
        dashboard.proctoring_waiting =
            crate::proctoring::queue::data::waiting(&pool, &user).await?;
    }
    let interviews = crate::interviews::data::upcoming_for(
        &pool,
        user.org_id,
        user.id,
        crate::interviews::UPCOMING_DAYS,
    )
    .await?;
    dashboard.my_interviews = summaries(&interviews, &user);
    let activity = if sections.admin {
        dashboard.admin = Some(AdminOverview {
            team: crate::users::data::team_counts(&pool, user.org_id).await?,
            jobs: crate::jobs::queue::counts(&pool, user.org_id).await?,
        });
        audit::list(&pool, user.org_id, &AuditFilter::default(), 10).await?
    } else {
        audit::recent_by_actor(&pool, user.org_id, user.id, 10).await?
    };
    dashboard.activity = activity
        .into_iter()
        .map(|entry| Activity {
            at: entry.created_at,
            sentence: entry.sentence(),
            action: entry.action,
        })
        .collect();
    dashboard.colleagues = crate::users::data::list_users(&pool, user.org_id)
        .await?
        .into_iter()
        .filter(|colleague| colleague.is_active && colleague.id != user.id)
        .map(|colleague| Colleague {
            full_name: colleague.full_name,
            role: colleague.role,
        })
        .collect();
    Ok(dashboard)
}
