//! What the feedback server functions call after the guard: the kit and its form's
//! attributes, drafts, submission and edits (audited, the requisition's owners notified),
//! the debrief and its decision, nudges. Every read of colleagues' feedback passes
//! `panel_access`, the independence rule.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::data::{self, Content, FeedbackRow, PanelRow};
use super::{
    debrief_rows, decision_choices, panel_access, recommendations_split, Debrief, DebriefColumn,
    FeedbackForm, FeedbackInput, FeedbackStatus, FeedbackVersion, Kit, OwnFeedback, Panel,
    PanelAccess, PanelFeedback, RatedAttribute, Recommendation,
};
use crate::access::guard::AuthUser;
use crate::audit::data::{record, NewAuditEntry};
use crate::email::outbox::{enqueue, OutgoingEmail};
use crate::email::EmailAddress;
use crate::error::AppError;
use crate::interviews::data::InterviewRow;
use crate::interviews::service::{interview_for, managed_interview, Access};
use crate::interviews::InterviewKind;
use crate::notifications::data::{notify, notify_in_app};
use crate::notifications::Kind;
use crate::pipeline::service::{application_for, move_to_stage};
use crate::ui::time::{format_in_zone, format_span_in_zone, zone_or_utc};

fn when(at: &DateTime<Utc>, user: &AuthUser) -> String {
    format_in_zone(at, zone_or_utc(&user.time_zone))
}

/// "Technical (On-site loop)": an interview's type and plan stage.
pub fn interview_label(kind: InterviewKind, stage: Option<&str>) -> String {
    match stage {
        Some(stage) => format!("{} ({stage})", kind.label()),
        None => kind.label().to_string(),
    }
}

/// The attributes an interview's feedback rates: its plan stage's focus attributes, or
/// the whole scorecard when it has no stage or the stage names none.
pub async fn form_attributes(
    conn: &mut PgConnection,
    org_id: Uuid,
    row: &InterviewRow,
) -> Result<Vec<RatedAttribute>, AppError> {
    let attributes =
        crate::scorecards::data::attributes(&mut *conn, org_id, row.requisition_id).await?;
    let focus = match row.plan_stage_id {
        Some(stage) => crate::scorecards::data::stage(&mut *conn, org_id, stage)
            .await?
            .map(|stage| stage.focus)
            .unwrap_or_default(),
        None => Vec::new(),
    };
    Ok(attributes
        .iter()
        .filter(|a| focus.is_empty() || focus.contains(&a.id))
        .map(RatedAttribute::unrated)
        .collect())
}

/// The interview when `user` is its interviewer and feedback can still be given on it.
async fn own_interview(
    user: &AuthUser,
    conn: &mut PgConnection,
    interview_id: Uuid,
) -> Result<InterviewRow, AppError> {
    let (row, _) = interview_for(user, conn, interview_id).await?;
    if row.interviewer_id != user.id {
        return Err(AppError::invalid(
            "Only the interviewer gives feedback on an interview.",
        ));
    }
    if !row.status.takes_feedback() {
        return Err(AppError::invalid(format!(
            "The interview is {}; it takes no feedback.",
            row.status.label().to_lowercase()
        )));
    }
    Ok(row)
}

fn already_submitted() -> AppError {
    AppError::invalid(
        "Your feedback on this interview is already submitted; use “Edit feedback” to change it.",
    )
}

fn content<'a>(
    ratings: &'a [RatedAttribute],
    input: &'a FeedbackInput,
    recommendation: Option<Recommendation>,
) -> Content<'a> {
    Content {
        ratings,
        strengths: &input.strengths,
        concerns: &input.concerns,
        notes: &input.notes,
        recommendation,
    }
}

/// Saves the interviewer's draft as they type; refused once it is submitted.
pub async fn save_draft(
    tx: &mut PgConnection,
    user: &AuthUser,
    form: &FeedbackForm,
) -> Result<(), AppError> {
    let input = FeedbackInput::parse(form)?;
    let row = own_interview(user, tx, form.interview_id).await?;
    let base = match data::of_interview(&mut *tx, user.org_id, row.id).await? {
        Some(existing) if existing.status == FeedbackStatus::Submitted => {
            return Err(already_submitted())
        }
        _ => form_attributes(tx, user.org_id, &row).await?,
    };
    let rated = input.rate(&base);
    let written = data::save_draft(
        tx,
        user.org_id,
        row.id,
        user.id,
        &content(&rated, &input, input.recommendation),
    )
    .await?;
    if !written {
        return Err(already_submitted());
    }
    Ok(())
}

/// The requisition's owners (its recruiter and hiring manager) but `user`, among those who
/// may still work on it.
async fn owners_but(
    conn: &mut PgConnection,
    user: &AuthUser,
    requisition_id: Uuid,
) -> Result<Vec<Uuid>, AppError> {
    let requisition = crate::requisitions::data::find(&mut *conn, user.org_id, requisition_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let owners: Vec<Uuid> = requisition
        .owners()
        .into_iter()
        .filter(|owner| *owner != user.id)
        .collect();
    // Only those who still work on the requisition hear of feedback (an owner since made
    // an interviewer must not learn that colleagues have submitted).
    let roles = data::roles(&mut *conn, user.org_id, &owners).await?;
    Ok(roles
        .into_iter()
        .filter(|(id, role)| crate::access::can_work_on(*role, *id, requisition.hiring_manager_id))
        .map(|(id, _)| id)
        .collect())
}

/// Tells the requisition's owners (in the app, and by email as each chose) that `user`
/// `did` on the interview's candidate; the title names no rating.
async fn tell_owners(
    tx: &mut PgConnection,
    user: &AuthUser,
    row: &InterviewRow,
    did: &str,
) -> Result<(), AppError> {
    let owners = owners_but(tx, user, row.requisition_id).await?;
    let title = format!(
        "{} {did} on {} for {}",
        user.full_name, row.candidate_name, row.requisition_title
    );
    let public_url = crate::state::state()?.settings.public_url.clone();
    notify(
        &mut *tx,
        user.org_id,
        &owners,
        Kind::Feedback,
        &title,
        &super::debrief_url(row.application_id),
        &public_url,
    )
    .await?;
    Ok(())
}

/// Submits the interviewer's feedback: every attribute rated (or not assessed) and a
/// recommendation. Locks it, writes the audit log and notifies the requisition's owners.
pub async fn submit(
    tx: &mut PgConnection,
    user: &AuthUser,
    form: &FeedbackForm,
) -> Result<(), AppError> {
    let input = FeedbackInput::parse(form)?;
    let row = own_interview(user, tx, form.interview_id).await?;
    if data::of_interview(&mut *tx, user.org_id, row.id)
        .await?
        .is_some_and(|existing| existing.status == FeedbackStatus::Submitted)
    {
        return Err(already_submitted());
    }
    if row.starts_at > Utc::now() {
        return Err(AppError::invalid(
            "Feedback can be submitted once the interview has started; until then your draft is kept.",
        ));
    }
    let base = form_attributes(tx, user.org_id, &row).await?;
    let (rated, recommendation) = input.complete(&base)?;
    let id = data::submit(
        tx,
        user.org_id,
        row.id,
        user.id,
        &content(&rated, &input, Some(recommendation)),
    )
    .await?
    .ok_or_else(already_submitted)?;
    record(
        &mut *tx,
        NewAuditEntry::by(user, "feedback.submitted")
            .target("interview_feedback", id)
            .details(serde_json::json!({
                "interview": row.id,
                "application": row.application_id,
                "recommendation": recommendation.as_str(),
            })),
    )
    .await?;
    tell_owners(tx, user, &row, "submitted interview feedback").await
}

/// Changes submitted feedback: the version it replaces is kept, the audit log written
/// and the requisition's owners told.
pub async fn edit(
    tx: &mut PgConnection,
    user: &AuthUser,
    form: &FeedbackForm,
) -> Result<(), AppError> {
    let input = FeedbackInput::parse(form)?;
    let row = own_interview(user, tx, form.interview_id).await?;
    let existing = data::of_interview(&mut *tx, user.org_id, row.id)
        .await?
        .filter(|f| f.status == FeedbackStatus::Submitted)
        .ok_or_else(|| AppError::invalid("Submit your feedback first; then it can be edited."))?;
    let (rated, recommendation) = input.complete(&existing.ratings.0)?;
    if !data::edit(
        tx,
        user.org_id,
        existing.id,
        existing.version,
        &content(&rated, &input, Some(recommendation)),
    )
    .await?
    {
        return Err(AppError::invalid(
            "Your feedback changed meanwhile; reload the page and try again.",
        ));
    }
    record(
        &mut *tx,
        NewAuditEntry::by(user, "feedback.edited")
            .target("interview_feedback", existing.id)
            .details(serde_json::json!({
                "interview": row.id,
                "application": row.application_id,
                "version": existing.version + 1,
                "from": existing.recommendation.map(Recommendation::as_str),
                "to": recommendation.as_str(),
            })),
    )
    .await?;
    tell_owners(tx, user, &row, "changed their interview feedback").await
}

fn panel_feedback(row: &PanelRow, user: &AuthUser) -> Option<PanelFeedback> {
    Some(PanelFeedback {
        interview_id: row.interview_id,
        interviewer_id: row.interviewer_id,
        interviewer_name: row.interviewer_name.clone(),
        interview_label: interview_label(row.kind, row.stage_name.as_deref()),
        recommendation: row.recommendation?,
        ratings: row.ratings.clone()?.0,
        strengths: row.strengths.clone().unwrap_or_default(),
        concerns: row.concerns.clone().unwrap_or_default(),
        notes: row.notes.clone().unwrap_or_default(),
        submitted_at: row
            .submitted_at
            .map(|at| when(&at, user))
            .unwrap_or_default(),
        version: row.version.unwrap_or(1),
    })
}

/// What `user` may see of the application's submitted feedback (the independence rule).
pub async fn access_to_panel(
    conn: &mut PgConnection,
    user: &AuthUser,
    application_id: Uuid,
    manages: bool,
) -> Result<Option<PanelAccess>, AppError> {
    let own = data::own_interviews(&mut *conn, user.org_id, application_id, user.id).await?;
    Ok(panel_access(user.role, manages, &own))
}

async fn own_feedback(
    conn: &mut PgConnection,
    user: &AuthUser,
    feedback: FeedbackRow,
) -> Result<OwnFeedback, AppError> {
    let history = data::versions(&mut *conn, user.org_id, feedback.id)
        .await?
        .into_iter()
        .map(|v| FeedbackVersion {
            version: v.version,
            recommendation: v.recommendation,
            ratings: v.ratings.0,
            strengths: v.strengths,
            concerns: v.concerns,
            notes: v.notes,
            submitted_at: when(&v.submitted_at, user),
        })
        .collect();
    Ok(OwnFeedback {
        status: feedback.status,
        ratings: feedback.ratings.0,
        strengths: feedback.strengths,
        concerns: feedback.concerns,
        notes: feedback.notes,
        recommendation: feedback.recommendation,
        saved_at: when(&feedback.submitted_at.unwrap_or(feedback.updated_at), user),
        version: feedback.version,
        history,
    })
}

/// The interview's kit for `user`: its interviewer (with their own feedback and form) or
/// someone who works on the requisition (with the submitted feedback).
pub async fn kit(pool: &PgPool, user: &AuthUser, interview_id: Uuid) -> Result<Kit, AppError> {
    let mut conn = pool.acquire().await?;
    let (row, access) = interview_for(user, &mut conn, interview_id).await?;
    let is_author = row.interviewer_id == user.id;
    let base = form_attributes(&mut conn, user.org_id, &row).await?;
    let own = match data::of_interview(&mut *conn, user.org_id, row.id).await? {
        Some(feedback) if is_author => Some(own_feedback(&mut conn, user, feedback).await?),
        _ => None,
    };
    let attributes = match &own {
        Some(own) if own.status == FeedbackStatus::Submitted => own.ratings.clone(),
        Some(draft) => base
            .iter()
            .map(|attribute| RatedAttribute {
                rating: draft
                    .ratings
                    .iter()
                    .find(|r| r.attribute_id == attribute.attribute_id)
                    .and_then(|r| r.rating),
                ..attribute.clone()
            })
            .collect(),
        None => base,
    };
    let manages = access == Access::Manage;
    let panel = match access_to_panel(&mut conn, user, row.application_id, manages).await? {
        Some(PanelAccess::All) => Panel::Shown(
            data::panel(&mut *conn, user.org_id, row.application_id)
                .await?
                .iter()
                .filter(|p| !is_author || p.interviewer_id != user.id)
                .filter_map(|p| panel_feedback(p, user))
                .collect(),
        ),
        _ => Panel::Hidden,
    };
    let stage = match row.plan_stage_id {
        Some(stage) => crate::scorecards::data::stage(&mut *conn, user.org_id, stage).await?,
        None => None,
    };
    let bank_questions = match &stage {
        Some(stage) => crate::scorecards::data::bank_prompts(&mut *conn, user.org_id, stage.id)
            .await?
            .into_iter()
            .map(|prompt| {
                (
                    crate::markdown::headline(&prompt),
                    crate::markdown::to_safe_html(&prompt),
                )
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(Kit {
        interview_id: row.id,
        application_id: row.application_id,
        has_started: row.starts_at <= Utc::now(),
        stage_name: stage.as_ref().map(|s| s.name.clone()),
        prep_notes: stage
            .as_ref()
            .map(|s| s.prep_notes.clone())
            .unwrap_or_default(),
        questions: stage.map(|s| s.questions).unwrap_or_default(),
        bank_questions,
        is_author,
        can_write: is_author && row.status.takes_feedback(),
        attributes,
        own,
        panel,
        can_debrief: manages,
    })
}

/// The application's debrief, for those who work on its requisition.
pub async fn debrief(
    pool: &PgPool,
    user: &AuthUser,
    application_id: Uuid,
) -> Result<Debrief, AppError> {
    let (application, requisition) =
        application_for(user, &mut *pool.acquire().await?, application_id).await?;
    let rows = data::panel(pool, user.org_id, application_id).await?;
    let now = Utc::now();
    let zone = zone_or_utc(&user.time_zone);
    let columns: Vec<DebriefColumn> = rows
        .iter()
        .map(|row| DebriefColumn {
            interview_id: row.interview_id,
            interviewer_name: row.interviewer_name.clone(),
            interview_label: interview_label(row.kind, row.stage_name.as_deref()),
            when: format_span_in_zone(&row.starts_at, &row.ends_at, zone),
            recommendation: row.recommendation,
            overdue: row.recommendation.is_none() && row.due_at <= now,
        })
        .collect();
    let matrix = debrief_rows(
        &rows
            .iter()
            .map(|row| row.ratings.clone().map(|ratings| ratings.0))
            .collect::<Vec<_>>(),
    );
    let recommendations: Vec<Recommendation> =
        rows.iter().filter_map(|row| row.recommendation).collect();
    let config = crate::pipeline::data::board_config(pool, user.org_id, requisition.id).await?;
    let (hire_stages, _, decided) = decision_choices(&config.stages, &application.stage);
    Ok(Debrief {
        application_id,
        candidate_name: application.candidate_name,
        requisition_id: requisition.id,
        requisition_title: requisition.title,
        stage: application.stage,
        columns,
        rows: matrix,
        split: recommendations_split(&recommendations),
        feedback: rows
            .iter()
            .filter_map(|row| panel_feedback(row, user))
            .collect(),
        hire_stages,
        reasons: config
            .reasons
            .into_iter()
            .map(|reason| (reason.id, reason.label))
            .collect(),
        decided,
    })
}

/// The hiring decision as the debrief's form gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Move to a later active stage (the offer) or to hired.
    Hire { stage: Uuid },
    /// Move to the rejected stage, with a reason of the organization's list.
    Reject { reason: Uuid },
}

/// Records the decision as a pipeline move (history, notifications, audit, filling the
/// requisition) and audits the decision itself. Only an application that has not reached
/// an outcome is decided; a hire moves forward, a rejection goes to the rejection stage.
pub async fn decide(
    pool: &PgPool,
    tx: &mut PgConnection,
    user: &AuthUser,
    application_id: Uuid,
    decision: Decision,
) -> Result<(), AppError> {
    let (application, requisition) = application_for(user, tx, application_id).await?;
    let config = crate::pipeline::data::board_config(pool, user.org_id, requisition.id).await?;
    let (hire_stages, rejected, decided) = decision_choices(&config.stages, &application.stage);
    if decided {
        return Err(AppError::invalid(format!(
            "{} has reached an outcome ({}); move them on the board to reopen it.",
            application.candidate_name, application.stage
        )));
    }
    let (stage, reason) = match decision {
        Decision::Hire { stage } => {
            if !hire_stages.iter().any(|(id, _)| *id == stage) {
                return Err(AppError::invalid(
                    "Choose one of the later stages a hire moves to.",
                ));
            }
            (stage, None)
        }
        Decision::Reject { reason } => {
            let rejected = rejected.ok_or_else(|| {
                AppError::invalid("The organization has no rejection stage; an admin can add one.")
            })?;
            (rejected, Some(reason))
        }
    };
    move_to_stage(tx, user, &requisition, &[application_id], stage, reason).await?;
    let details = match decision {
        Decision::Hire { stage } => serde_json::json!({ "decision": "hire", "stage": stage }),
        Decision::Reject { reason } => {
            serde_json::json!({ "decision": "reject", "reason": reason })
        }
    };
    record(
        &mut *tx,
        NewAuditEntry::by(user, "application.decided")
            .target("application", application_id)
            .details(details),
    )
    .await?;
    Ok(())
}

/// Whose feedback on what is wanted: the email of a nudge or of the reminder job.
pub struct FeedbackWanted<'a> {
    pub org_id: Uuid,
    pub interview_id: Uuid,
    pub interviewer_name: &'a str,
    pub candidate_name: &'a str,
    pub requisition_title: &'a str,
}

impl FeedbackWanted<'_> {
    /// The email to `to`, starting with `opening`.
    pub fn email(&self, to: EmailAddress, public_url: &str, opening: &str) -> OutgoingEmail {
        let (candidate, requisition) = (self.candidate_name, self.requisition_title);
        OutgoingEmail {
            org_id: Some(self.org_id),
            to,
            subject: format!("Feedback wanted: {candidate} for {requisition}"),
            body_text: format!(
                "Hello {},\n\n{opening}\n\nYour scorecard for {candidate} ({requisition}) is \
                 waiting.\n\nGive it here:\n{public_url}/interviews/{}\n",
                self.interviewer_name, self.interview_id
            ),
            link: None,
            related: Some(("interview", self.interview_id.to_string())),
            attachment: None,
        }
    }
}

/// Asks the interviewer for their missing feedback: an email and a notification, at most
/// once an hour, audited.
pub async fn nudge(
    tx: &mut PgConnection,
    user: &AuthUser,
    interview_id: Uuid,
) -> Result<(), AppError> {
    let row = managed_interview(user, tx, interview_id).await?;
    if !row.status.takes_feedback() {
        return Err(AppError::invalid(format!(
            "The interview is {}; no feedback is owed.",
            row.status.label().to_lowercase()
        )));
    }
    if data::of_interview(&mut *tx, user.org_id, row.id)
        .await?
        .is_some_and(|f| f.status == FeedbackStatus::Submitted)
    {
        return Err(AppError::invalid(format!(
            "{} has submitted their feedback already.",
            row.interviewer_name
        )));
    }
    if !data::claim_nudge(tx, user.org_id, row.id).await? {
        return Err(AppError::invalid(format!(
            "{} was reminded less than an hour ago.",
            row.interviewer_name
        )));
    }
    let public_url = crate::state::state()?.settings.public_url.clone();
    let title = format!(
        "{} asks for your feedback on {} for {}",
        user.full_name, row.candidate_name, row.requisition_title
    );
    notify_in_app(
        tx,
        user.org_id,
        &[row.interviewer_id],
        Kind::Feedback,
        &title,
        &format!("/interviews/{}", row.id),
    )
    .await?;
    if let Ok(to) = EmailAddress::parse(&row.interviewer_email) {
        let opening = format!("{} asks for your interview feedback.", user.full_name);
        let wanted = FeedbackWanted {
            org_id: user.org_id,
            interview_id: row.id,
            interviewer_name: &row.interviewer_name,
            candidate_name: &row.candidate_name,
            requisition_title: &row.requisition_title,
        };
        let email = wanted.email(to, &public_url, &opening);
        enqueue(tx, email).await?;
    }
    record(
        &mut *tx,
        NewAuditEntry::by(user, "feedback.nudged")
            .target("interview", row.id)
            .details(serde_json::json!({ "interviewer": row.interviewer_id })),
    )
    .await?;
    Ok(())
}
