//! What the assessments' server functions call after the guard and the input checks:
//! who may see which assessment, a draft's settings and items, grading, and the reads
//! that gather a page's data. Writes run on the caller's transaction and are audited;
//! publishing, archiving and versions are in `publish.rs`, invites in `invites.rs`.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::data::{self, AssessmentRow, NewItem};
use super::grading::{NextToGrade, QuestionResult, SessionDetail};
use super::{
    check_editable, parse_score, AssessmentDetail, AssessmentInput, AssessmentResults, InviteView,
    SessionOutcome, SessionRow,
};
use crate::access::guard::AuthUser;
use crate::access::ASSESSMENT_MANAGE_ROLES;
use crate::audit::data::{record, NewAuditEntry};
use crate::error::AppError;
use crate::markdown::to_safe_html;
use crate::questions::scoring::percent;
use crate::requisitions::find_for;
use crate::results::{ResultBadge, SessionStatus, Verdict};
use crate::ui::time::{format_in_zone, local_input_value, zone_or_utc};

/// The assessment when `user` may see it (its requisition is theirs to work on). Both
/// checks run on `conn`, the caller's transaction when it holds one.
pub async fn assessment_for(
    user: &AuthUser,
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<AssessmentRow, AppError> {
    let row = data::find(&mut *conn, user.org_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    find_for(user, conn, row.requisition_id).await?;
    Ok(row)
}

/// The draft `id`, locked for a change of its content, for a manager.
pub async fn draft_for(
    user: &AuthUser,
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<AssessmentRow, AppError> {
    data::lock(conn, id).await?;
    let row = assessment_for(user, conn, id).await?;
    check_editable(row.status)?;
    Ok(row)
}

/// The requisition an assessment's settings name, when `user` may work on it.
async fn check_requisition(
    user: &AuthUser,
    conn: &mut PgConnection,
    input: &AssessmentInput,
) -> Result<(), AppError> {
    find_for(user, conn, input.requisition_id)
        .await
        .map(|_| ())
        .map_err(|_| AppError::invalid("Choose the requisition the assessment is for."))
}

/// Creates a draft with the settings; returns its id.
pub async fn create(
    tx: &mut PgConnection,
    user: &AuthUser,
    input: &AssessmentInput,
) -> Result<Uuid, AppError> {
    check_requisition(user, tx, input).await?;
    let id = data::insert(tx, user.org_id, user.id, input).await?;
    let entry = NewAuditEntry::by(user, "assessment.created")
        .target("assessment", id)
        .details(serde_json::json!({ "title": input.title, "requisition": input.requisition_id }));
    record(&mut *tx, entry).await?;
    Ok(id)
}

/// Changes the settings of `draft` (found by `draft_for` in this transaction).
pub async fn update(
    tx: &mut PgConnection,
    user: &AuthUser,
    draft: &AssessmentRow,
    input: &AssessmentInput,
) -> Result<(), AppError> {
    check_requisition(user, tx, input).await?;
    data::update(tx, user.org_id, draft.id, input).await?;
    record(
        &mut *tx,
        NewAuditEntry::by(user, "assessment.updated").target("assessment", draft.id),
    )
    .await?;
    Ok(())
}

/// Adds an item at the end of a draft.
pub async fn add_item(
    tx: &mut PgConnection,
    user: &AuthUser,
    assessment_id: Uuid,
    item: &NewItem,
) -> Result<(), AppError> {
    draft_for(user, tx, assessment_id).await?;
    if !data::add_item(tx, user.org_id, assessment_id, item).await? {
        return Err(AppError::invalid(
            "That question or set is not in the bank or among this job's questions (any more); reload the page and choose another.",
        ));
    }
    let details = match item {
        NewItem::Fixed(id) => serde_json::json!({ "question": id }),
        NewItem::FromSet(id, n) => serde_json::json!({ "draw_set": id, "count": n }),
        NewItem::FromTag(tag, n) => serde_json::json!({ "draw_tag": tag, "count": n }),
    };
    record(
        &mut *tx,
        NewAuditEntry::by(user, "assessment.item_added")
            .target("assessment", assessment_id)
            .details(details),
    )
    .await?;
    Ok(())
}

/// What can be done to an item of a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemChange {
    Up,
    Down,
    Remove,
}

impl ItemChange {
    pub fn parse(value: &str) -> Result<Self, AppError> {
        match value {
            "up" => Ok(Self::Up),
            "down" => Ok(Self::Down),
            "remove" => Ok(Self::Remove),
            _ => Err(AppError::invalid("Move the item up or down, or remove it.")),
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Up => "up",
            Self::Down => "down",
            Self::Remove => "remove",
        }
    }
}

/// The draft an item belongs to, locked for a change of its content, for a manager.
pub async fn draft_of_item(
    user: &AuthUser,
    tx: &mut PgConnection,
    item_id: Uuid,
) -> Result<AssessmentRow, AppError> {
    let assessment_id = data::item_owner(tx, user.org_id, item_id)
        .await?
        .ok_or(AppError::NotFound)?;
    draft_for(user, tx, assessment_id).await
}

/// Moves an item of `draft` (found by `draft_of_item` in this transaction) up or down,
/// or removes it.
pub async fn change_item(
    tx: &mut PgConnection,
    user: &AuthUser,
    draft: &AssessmentRow,
    item_id: Uuid,
    change: ItemChange,
) -> Result<(), AppError> {
    let action = match change {
        ItemChange::Up | ItemChange::Down => {
            data::move_item(tx, item_id, change == ItemChange::Up).await?;
            "assessment.item_moved"
        }
        ItemChange::Remove => {
            data::remove_item(tx, item_id).await?;
            "assessment.item_removed"
        }
    };
    record(
        &mut *tx,
        NewAuditEntry::by(user, action)
            .target("assessment", draft.id)
            .details(serde_json::json!({ "item": item_id, "direction": change.as_str() })),
    )
    .await?;
    Ok(())
}

/// Scores a text or code answer of a finished session (`score` as typed; `comment`
/// already checked); the session's totals and pass/fail follow.
pub async fn grade(
    tx: &mut PgConnection,
    user: &AuthUser,
    session_id: Uuid,
    question_id: Uuid,
    score: &str,
    comment: &str,
) -> Result<(), AppError> {
    let target = data::answer_to_grade(tx, user.org_id, session_id, question_id)
        .await?
        .ok_or(AppError::NotFound)?;
    find_for(user, &mut *tx, target.requisition_id).await?;
    if target.session_status == SessionStatus::InProgress {
        return Err(AppError::invalid(
            "The candidate is still taking the test; grade it once it is submitted.",
        ));
    }
    if target.auto_graded {
        return Err(AppError::invalid(
            "This question is scored automatically; only text and code answers are graded by a person.",
        ));
    }
    let score = parse_score(score, target.points)?;
    data::set_score(tx, session_id, question_id, score, comment, user.id).await?;
    super::scoring::recompute_totals(tx, session_id).await?;
    record(
        &mut *tx,
        NewAuditEntry::by(user, "assessment.graded")
            .target("test_session", session_id)
            .details(serde_json::json!({ "question": question_id, "score": score })),
    )
    .await?;
    Ok(())
}

/// The invites as the staff see them, times in `user`'s zone. Candidates' addresses are
/// for those who invite (a hiring manager sees names only, as on the limited profile).
fn invite_views(rows: Vec<data::InviteRow>, user: &AuthUser) -> Vec<InviteView> {
    let zone = zone_or_utc(&user.time_zone);
    let now = Utc::now();
    let sees_addresses = crate::access::ASSESSMENT_MANAGE_ROLES.contains(&user.role);
    rows.into_iter()
        .map(|row| InviteView {
            token_id: row.token_id,
            candidate_id: row.candidate_id,
            state: row.state(now),
            candidate_name: row.candidate_name,
            candidate_email: if sees_addresses {
                row.candidate_email
            } else {
                String::new()
            },
            sent: format_in_zone(&row.created_at, zone),
            expires: format_in_zone(&row.expires_at, zone),
        })
        .collect()
}

/// The milliseconds from start to finish, once finished.
fn time_taken_ms(started: DateTime<Utc>, finished: Option<DateTime<Utc>>) -> Option<i64> {
    finished.map(|finished| (finished - started).num_milliseconds())
}

/// One assessment with its items and invites, as its page and edit form show it.
pub async fn detail(
    pool: &PgPool,
    user: &AuthUser,
    id: Uuid,
) -> Result<AssessmentDetail, AppError> {
    let mut conn = pool.acquire().await?;
    let row = assessment_for(user, &mut conn, id).await?;
    let items = data::items(&mut conn, id).await?;
    let (newest, _) = data::newest_version(&mut conn, row.family_id).await?;
    drop(conn);
    let invites = data::invites(pool, user.org_id, id, false).await?;
    let zone = zone_or_utc(&user.time_zone);
    let input_value = |at: &Option<DateTime<Utc>>| {
        at.map(|at| local_input_value(&at, zone))
            .unwrap_or_default()
    };
    let written = |at: &Option<DateTime<Utc>>| at.map(|at| format_in_zone(&at, zone));
    Ok(AssessmentDetail {
        id,
        family_id: row.family_id,
        version: row.version,
        status: row.status,
        requisition_id: row.requisition_id,
        requisition_title: row.requisition_title.clone(),
        instructions_html: to_safe_html(&row.instructions_md),
        available_from: input_value(&row.available_from),
        available_until: input_value(&row.available_until),
        opens: written(&row.available_from),
        closes: written(&row.available_until),
        proctoring: row.proctoring(),
        title: row.title,
        instructions: row.instructions_md,
        time_limit_minutes: row.time_limit_minutes,
        pass_mark_percent: row.pass_mark_percent,
        attempts_allowed: row.attempts_allowed,
        shuffle_questions: row.shuffle_questions,
        shuffle_options: row.shuffle_options,
        items,
        invites: invite_views(invites, user),
        can_manage: ASSESSMENT_MANAGE_ROLES.contains(&user.role),
        newer_version: (newest != id).then_some(newest),
        time_zone: zone.name().to_string(),
    })
}

/// Every session of an assessment, and the invites not started yet.
pub async fn results(
    pool: &PgPool,
    user: &AuthUser,
    id: Uuid,
) -> Result<AssessmentResults, AppError> {
    let row = assessment_for(user, &mut *pool.acquire().await?, id).await?;
    let zone = zone_or_utc(&user.time_zone);
    let rows = data::sessions(pool, user.org_id, id).await?;
    let sessions = rows
        .into_iter()
        .map(|s| SessionRow {
            session_id: s.session_id,
            candidate_id: s.candidate_id,
            candidate_name: s.candidate_name,
            proctoring: s.band.map(|band| crate::results::ProctoringMark {
                band,
                disposition: s.disposition,
            }),
            accommodation: super::Accommodation {
                extra_time_percent: s.extra_time_percent,
                webcam_waived: s.webcam_waived,
            },
            outcome: outcome(s.outcome, zone),
        })
        .collect();
    let waiting = data::invites(pool, user.org_id, id, true).await?;
    Ok(AssessmentResults {
        id,
        title: row.title,
        version: row.version,
        pass_mark_percent: row.pass_mark_percent,
        sessions,
        waiting: invite_views(waiting, user),
        can_manage: ASSESSMENT_MANAGE_ROLES.contains(&user.role),
    })
}

/// The latest result of each assessment of a pipeline application: (session id, title, badge).
pub async fn application_results(
    pool: &PgPool,
    user: &AuthUser,
    application_id: Uuid,
) -> Result<Vec<(Uuid, String, ResultBadge)>, AppError> {
    crate::pipeline::service::application_for(user, &mut *pool.acquire().await?, application_id)
        .await?;
    results_of(pool, user, application_id).await
}

async fn results_of(
    pool: &PgPool,
    user: &AuthUser,
    application_id: Uuid,
) -> Result<Vec<(Uuid, String, ResultBadge)>, AppError> {
    let rows = data::application_results(pool, user.org_id, application_id).await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, status, score, max, passed)| {
            let badge = ResultBadge {
                percent: percent(score.unwrap_or(0.0), max),
                verdict: Verdict::of(status, passed),
            };
            (id, title, badge)
        })
        .collect())
}

/// One session of the organization with every question in the order the candidate saw
/// it, when `user` may work on its requisition.
pub async fn session(pool: &PgPool, user: &AuthUser, id: Uuid) -> Result<SessionDetail, AppError> {
    let head = data::session_head(pool, user.org_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    find_for(user, pool, head.requisition_id).await?;
    let rows = data::session_questions(pool, id).await?;
    let questions = rows
        .into_iter()
        .filter_map(|row| {
            let body = serde_json::from_value(row.body).ok()?;
            Some(QuestionResult {
                question_id: row.question_id,
                position: row.position,
                prompt_html: to_safe_html(&row.prompt_md),
                points: row.points,
                body,
                option_order: row.option_order.into_iter().map(|o| o as u32).collect(),
                response: row.response.and_then(|r| serde_json::from_value(r).ok()),
                score: row.score,
                time_spent_ms: row.time_spent_ms.unwrap_or(0),
                explanation_html: to_safe_html(&row.explanation_md),
                guidance_html: to_safe_html(&row.guidance_md),
                grader_comment: row.grader_comment.unwrap_or_default(),
                graded_by: row.graded_by,
            })
        })
        .collect::<Vec<_>>();
    let finished = head.outcome.status != SessionStatus::InProgress;
    let next_to_grade = match NextToGrade::in_session(id, &questions, finished) {
        Some(next) => Some(next),
        None => data::next_to_grade(pool, user.org_id, id, managed_by(user))
            .await?
            .map(|row| NextToGrade {
                session_id: row.session_id,
                position: row.position,
                number: row.number,
                elsewhere: Some((row.candidate_name, row.assessment_title)),
            }),
    };
    let zone = zone_or_utc(&user.time_zone);
    Ok(SessionDetail {
        id,
        assessment_id: head.assessment_id,
        assessment_title: head.assessment_title,
        requisition_id: head.requisition_id,
        candidate_id: head.candidate_id,
        candidate_name: head.candidate_name,
        outcome: outcome(head.outcome, zone),
        pass_mark_percent: head.pass_mark_percent,
        ungraded_count: head.ungraded_count,
        questions,
        proctoring: crate::proctoring::review::record(pool, user, id).await?,
        next_to_grade,
    })
}

/// Whose requisitions `user` works on, when not the whole organization's: a hiring
/// manager's are those they manage (`crate::access::can_work_on`).
fn managed_by(user: &AuthUser) -> Option<Uuid> {
    (user.role == crate::access::Role::HiringManager).then_some(user.id)
}

/// A session's outcome as people read it, times in `zone`.
fn outcome(row: data::SessionOutcomeRow, zone: chrono_tz::Tz) -> SessionOutcome {
    SessionOutcome {
        attempt: row.attempt,
        percent: percent(row.score.unwrap_or(0.0), row.max_score),
        verdict: Verdict::of(row.status, row.passed),
        status: row.status,
        score: row.score,
        max_score: row.max_score,
        started: format_in_zone(&row.started_at, zone),
        time_taken_ms: time_taken_ms(row.started_at, row.finished_at),
    }
}

/// The results an interview's kit shows: to those who work on the requisition always, to
/// its interviewer once the recruiter has shared them (`None` until then).
pub async fn shared_results(
    pool: &PgPool,
    user: &AuthUser,
    interview_id: Uuid,
) -> Result<Option<Vec<(String, ResultBadge)>>, AppError> {
    use crate::interviews::service::{interview_for, Access};
    let (interview, access) =
        interview_for(user, &mut *pool.acquire().await?, interview_id).await?;
    let shared = access == Access::Manage
        || data::results_shared(pool, user.org_id, interview.application_id).await?;
    if !shared {
        return Ok(None);
    }
    Ok(Some(
        results_of(pool, user, interview.application_id)
            .await?
            .into_iter()
            .map(|(_, title, badge)| (title, badge))
            .collect(),
    ))
}

/// Shares the application's results with its interviewers, or stops sharing them.
pub async fn share_results(
    tx: &mut PgConnection,
    user: &AuthUser,
    application_id: Uuid,
    shared: bool,
) -> Result<(), AppError> {
    crate::pipeline::service::application_for(user, tx, application_id).await?;
    data::set_results_shared(tx, user.org_id, application_id, shared).await?;
    record(
        &mut *tx,
        NewAuditEntry::by(user, "application.results_shared")
            .target("application", application_id)
            .details(serde_json::json!({ "shared": shared })),
    )
    .await?;
    Ok(())
}
