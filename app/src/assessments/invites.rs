//! Invite links (seed AssessmentToken): inviting from an assessment or the board (which
//! puts the candidate into the pipeline), issuing one link per assessment application,
//! the email that carries it, resending, the reminder before expiry, and revoking. The
//! server functions call these after the guard; each runs on the caller's transaction.
//!
//! At most one link of an application is live: every new link (a re-invite, "Resend", the
//! reminder, a further attempt) revokes the one before it when that one has not started a
//! test. The link's secret exists only in the email (the outbox holds it until the email
//! is sent); the database keeps its SHA-256.

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::data::{self, AssessmentRow, TokenRow};
use super::service::assessment_for;
use super::AssessmentStatus;
use crate::access::guard::AuthUser;
use crate::audit::data::{record, NewAuditEntry};
use crate::email::outbox::{enqueue, OutgoingEmail};
use crate::email::{EmailAddress, LINK_PLACEHOLDER};
use crate::error::AppError;
use crate::jobs::{Attempt, Job, JobContext};
use crate::pipeline::data as pipeline;
use crate::pipeline::service::{add_application, move_recorded};
use crate::pipeline::StageKind;
use crate::requisitions::data::DetailRow;
use crate::requisitions::find_for;

/// Why a link is sent, which decides the email's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkEmail {
    First,
    /// "Resend", a re-invite or a further attempt: the link replaces an earlier one.
    Replacement,
    Reminder,
    /// A reviewer offered another attempt after reviewing the proctoring record.
    Retake,
}

/// What the email needs to say.
#[derive(Debug, Clone)]
pub struct LinkContext {
    pub org_name: String,
    pub candidate_name: String,
    pub assessment_title: String,
    pub time_limit_minutes: i32,
    /// The link's accommodation (its extra time is in the time the email states).
    pub accommodation: super::Accommodation,
    pub message: String,
    pub expires_at: DateTime<Utc>,
    /// What stands for the link in the text ([`LINK_PLACEHOLDER`] for the outbox).
    pub link: String,
}

/// The subject and text of an invite email.
pub fn link_email(kind: LinkEmail, ctx: &LinkContext, now: DateTime<Utc>) -> (String, String) {
    let subject = match kind {
        LinkEmail::First | LinkEmail::Replacement | LinkEmail::Retake => {
            format!(
                "{}: your assessment “{}”",
                ctx.org_name, ctx.assessment_title
            )
        }
        LinkEmail::Reminder => format!(
            "Reminder: your assessment “{}” for {}",
            ctx.assessment_title, ctx.org_name
        ),
    };
    let opening = match kind {
        LinkEmail::First => format!(
            "{} invites you to take the assessment “{}”.",
            ctx.org_name, ctx.assessment_title
        ),
        LinkEmail::Replacement => format!(
            "{} sends you a new link to the assessment “{}”. This link replaces the one sent earlier, which no longer works.",
            ctx.org_name, ctx.assessment_title
        ),
        LinkEmail::Retake => format!(
            "{} offers you another attempt at the assessment “{}”. Use this new link; it starts a new test.",
            ctx.org_name, ctx.assessment_title
        ),
        LinkEmail::Reminder => format!(
            "A reminder: you have not started the assessment “{}” from {} yet. This link replaces the one sent earlier, which no longer works.",
            ctx.assessment_title, ctx.org_name
        ),
    };
    let message = if ctx.message.trim().is_empty() {
        String::new()
    } else {
        format!("\n{}\n", ctx.message.trim())
    };
    let body = format!(
        "Hello {},\n\n{opening}\n{message}\n\
         Time limit: {}{}, counted from when you start.\n\
         The link works until {} ({}).\n\n\
         Start here: {}\n\n\
         The link is personal: do not share it. It starts one test only.\n",
        ctx.candidate_name,
        ctx.accommodation.time_words(ctx.time_limit_minutes),
        if ctx.accommodation.extra_time_percent > 0 {
            format!(
                " (with {} % extra time)",
                ctx.accommodation.extra_time_percent
            )
        } else {
            String::new()
        },
        ctx.expires_at.format("%A %-d %B %Y, %H:%M UTC"),
        super::time_left_in_words(now, ctx.expires_at),
        ctx.link,
    );
    (subject, body)
}

/// A link issued: its token, and the candidate it was emailed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedLink {
    pub token_id: Uuid,
    pub candidate_name: String,
}

/// Issues a new link for the assessment application and emails it, after the checks:
/// the assessment takes invites, no test is running, attempts remain. An earlier link that
/// has not started a test is revoked. `accommodation` none keeps the latest link's.
#[allow(clippy::too_many_arguments)]
pub async fn issue_link(
    conn: &mut PgConnection,
    public_url: &str,
    assessment_application_id: Uuid,
    message: &str,
    expires_at: DateTime<Utc>,
    by: Option<Uuid>,
    kind: LinkEmail,
    accommodation: Option<super::Accommodation>,
) -> Result<IssuedLink, AppError> {
    let row = data::link_target(conn, assessment_application_id).await?;
    let now = Utc::now();
    if row.assessment_status != AssessmentStatus::Published {
        return Err(AppError::invalid(
            "Only a published assessment takes invites. Publish it first (an archived one takes none).",
        ));
    }
    if row.available_until.is_some_and(|until| until <= now) {
        return Err(AppError::invalid(
            "The assessment's availability has ended. Extend it in a new version to invite again.",
        ));
    }
    if row.running {
        return Err(AppError::invalid(format!(
            "{} is taking the test right now; wait until they finish.",
            row.candidate_name
        )));
    }
    if row.sessions >= i64::from(row.attempts_allowed) {
        return Err(AppError::invalid(format!(
            "{} has used all {} attempt{} this assessment allows.",
            row.candidate_name,
            row.attempts_allowed,
            if row.attempts_allowed == 1 { "" } else { "s" }
        )));
    }
    let to = EmailAddress::parse(&row.candidate_email).map_err(|_| {
        AppError::invalid(format!(
            "{}'s email address “{}” cannot receive mail; correct it on their profile first.",
            row.candidate_name, row.candidate_email
        ))
    })?;
    data::revoke_unstarted(&mut *conn, assessment_application_id, by).await?;
    let token = crate::tokens::generate();
    let reminded = kind == LinkEmail::Reminder;
    let (token_id, accommodation) = data::insert_token(
        &mut *conn,
        data::NewToken {
            org_id: row.org_id,
            assessment_application_id,
            digest: &token.digest,
            message,
            expires_at,
            reminded,
            by,
            accommodation,
        },
    )
    .await?;
    let issued = IssuedLink {
        token_id,
        candidate_name: row.candidate_name.clone(),
    };
    let ctx = LinkContext {
        org_name: row.org_name,
        candidate_name: row.candidate_name,
        assessment_title: row.assessment_title,
        time_limit_minutes: row.time_limit_minutes,
        accommodation,
        message: message.to_string(),
        expires_at,
        link: LINK_PLACEHOLDER.to_string(),
    };
    let (subject, body_text) = link_email(kind, &ctx, now);
    enqueue(
        &mut *conn,
        OutgoingEmail {
            org_id: Some(row.org_id),
            to,
            subject,
            body_text,
            link: Some(format!("{public_url}/test/{}", token.secret)),
            related: Some(("candidate", row.candidate_id.to_string())),
            attachment: None,
        },
    )
    .await?;
    if !reminded {
        crate::jobs::queue::enqueue_at(
            &mut *conn,
            Some(row.org_id),
            &RemindInvite { token_id },
            super::reminder_at(now, expires_at),
        )
        .await?;
    }
    Ok(issued)
}

/// How long the links of one invitation last: the days chosen, counted from one instant,
/// so that the links of candidates invited together expire together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiry {
    pub days: i64,
    pub at: DateTime<Utc>,
}

impl Expiry {
    pub fn days_from_now(days: i64) -> Self {
        Self {
            days,
            at: Utc::now() + Duration::days(days),
        }
    }
}

/// Whom an invitation reached and until when their links work, for the notice that
/// confirms it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub assessment_title: String,
    /// The candidates' names, in alphabetical order.
    pub candidates: Vec<String>,
    pub expiry: Expiry,
}

/// How many invited candidates the notice names; it counts the rest.
const NAMED_IN_NOTICE: usize = 5;

impl Invitation {
    /// "Invited Ada Lovelace to “Aptitude”. The test link expires in 7 days, on Mon 23 Nov
    /// 2026, 10:00 CET." (several: "Invited 2 candidates to “Aptitude”: Ada Lovelace and
    /// Grace Hopper. Their test links expire …"), the time in `zone`.
    pub fn sentence(&self, zone: chrono_tz::Tz) -> String {
        let when = format!(
            "in {}, on {}",
            crate::ui::counted(self.expiry.days, "day", "days"),
            crate::ui::time::format_in_zone(&self.expiry.at, zone)
        );
        let title = &self.assessment_title;
        match self.candidates.as_slice() {
            [name] => format!("Invited {name} to “{title}”. The test link expires {when}."),
            names => {
                let shown = &names[..names.len().min(NAMED_IN_NOTICE)];
                let more = names.len() - shown.len();
                let listed = match (shown, more) {
                    ([first @ .., last], 0) if !first.is_empty() => {
                        format!("{} and {last}", first.join(", "))
                    }
                    (_, 0) => shown.join(", "),
                    _ => format!("{} and {more} more", shown.join(", ")),
                };
                format!(
                    "Invited {} to “{title}”: {listed}. Their test links expire {when}.",
                    crate::ui::counted(names.len() as i64, "candidate", "candidates")
                )
            }
        }
    }
}

/// Invites a candidate of the organization to a published assessment `user` may see
/// (or its application again): see `invite_one`.
pub async fn invite(
    tx: &mut PgConnection,
    user: &AuthUser,
    assessment_id: Uuid,
    candidate_id: Uuid,
    message: &str,
    days: i64,
    accommodation: super::Accommodation,
) -> Result<Invitation, AppError> {
    let row = assessment_for(user, tx, assessment_id).await?;
    let requisition = find_for(user, &mut *tx, row.requisition_id).await?;
    crate::candidates::data::find(&mut *tx, user.org_id, candidate_id)
        .await?
        .ok_or_else(|| AppError::invalid("Choose the candidate to invite."))?;
    let expiry = Expiry::days_from_now(days);
    let issued = invite_one(
        tx,
        user,
        &row,
        &requisition,
        candidate_id,
        message,
        expiry,
        Some(accommodation),
    )
    .await?;
    Ok(Invitation {
        assessment_title: row.title,
        candidates: vec![issued.candidate_name],
        expiry,
    })
}

/// Invites the candidates of applications on the board of `requisition` (which `user`
/// may work on; `application_ids` deduplicated, at least one) to one of its published
/// assessments, with the default expiry and no message; nothing is sent when one of them
/// cannot be invited.
pub async fn invite_from_board(
    tx: &mut PgConnection,
    user: &AuthUser,
    requisition: &DetailRow,
    application_ids: &[Uuid],
    assessment_id: Uuid,
) -> Result<Invitation, AppError> {
    let row = assessment_for(user, tx, assessment_id).await?;
    if row.requisition_id != requisition.id {
        return Err(AppError::invalid(
            "Choose an assessment of this requisition.",
        ));
    }
    let candidates =
        pipeline::candidates_of(tx, user.org_id, requisition.id, application_ids).await?;
    if candidates.len() != application_ids.len() {
        return Err(AppError::NotFound);
    }
    let expiry = Expiry::days_from_now(super::DEFAULT_EXPIRY_DAYS);
    let mut names = Vec::with_capacity(candidates.len());
    for candidate_id in candidates {
        let issued =
            invite_one(tx, user, &row, requisition, candidate_id, "", expiry, None).await?;
        names.push(issued.candidate_name);
    }
    names.sort_by_key(|name| name.to_lowercase());
    Ok(Invitation {
        assessment_title: row.title,
        candidates: names,
        expiry,
    })
}

/// Invites the candidate (or its application again) within `tx`: adds them to the
/// requisition's pipeline when absent, moves them into the Assessment stage unless they
/// are further along, and emails a new link (`accommodation` none: the latest link's).
#[allow(clippy::too_many_arguments)]
async fn invite_one(
    tx: &mut PgConnection,
    user: &AuthUser,
    row: &AssessmentRow,
    requisition: &DetailRow,
    candidate_id: Uuid,
    message: &str,
    expiry: Expiry,
    accommodation: Option<super::Accommodation>,
) -> Result<IssuedLink, AppError> {
    let application_id = pipeline_application(tx, user, requisition, candidate_id).await?;
    let assessment_application = data::upsert_assessment_application(
        tx,
        user.org_id,
        row.id,
        candidate_id,
        application_id,
        Some(user.id),
    )
    .await?;
    let kind = if data::has_links(tx, assessment_application).await? {
        LinkEmail::Replacement
    } else {
        LinkEmail::First
    };
    let public_url = crate::state::state()?.settings.public_url.clone();
    let issued = issue_link(
        tx,
        &public_url,
        assessment_application,
        message,
        expiry.at,
        Some(user.id),
        kind,
        accommodation,
    )
    .await?;
    record(
        &mut *tx,
        NewAuditEntry::by(user, "assessment.invited")
            .target("assessment", row.id)
            .details(json!({
                "candidate": candidate_id, "token": issued.token_id,
                "expires_in_days": expiry.days, "accommodation": accommodation,
            })),
    )
    .await?;
    Ok(issued)
}

/// Invites a candidate who just applied on the careers page to the assessment their
/// requisition names for its applicants, with the default expiry and no message; the
/// application stays where it is on the board. Refused as any invite is (an assessment
/// not published, out of availability, no attempts left).
pub async fn invite_applicant(
    tx: &mut PgConnection,
    public_url: &str,
    org_id: Uuid,
    assessment_id: Uuid,
    candidate_id: Uuid,
    application_id: Uuid,
) -> Result<IssuedLink, AppError> {
    let assessment_application = data::upsert_assessment_application(
        tx,
        org_id,
        assessment_id,
        candidate_id,
        application_id,
        None,
    )
    .await?;
    let expiry = Expiry::days_from_now(super::DEFAULT_EXPIRY_DAYS);
    let issued = issue_link(
        tx,
        public_url,
        assessment_application,
        "",
        expiry.at,
        None,
        LinkEmail::First,
        None,
    )
    .await?;
    let mut entry = NewAuditEntry::anonymous("assessment.invited")
        .target("assessment", assessment_id)
        .details(json!({
            "candidate": candidate_id, "token": issued.token_id,
            "expires_in_days": expiry.days, "via": "careers_page",
        }));
    entry.org_id = Some(org_id);
    record(&mut *tx, entry).await?;
    Ok(issued)
}

/// The pipeline stage an invite moves a candidate into, unless they are further along.
const ASSESSMENT_STAGE: &str = "assessment";

/// The candidate's application to the requisition, added when absent, and moved into
/// the organization's "Assessment" stage unless it is already further along.
async fn pipeline_application(
    tx: &mut PgConnection,
    user: &AuthUser,
    requisition: &DetailRow,
    candidate_id: Uuid,
) -> Result<Uuid, AppError> {
    let (application_id, kind, position) =
        match pipeline::application_of(tx, user.org_id, candidate_id, requisition.id).await? {
            Some(found) => found,
            None => {
                let id = add_application(tx, user, requisition, candidate_id).await?;
                (id, StageKind::Active, i32::MIN)
            }
        };
    if let Some((stage, stage_position)) =
        pipeline::active_stage_named(tx, user.org_id, ASSESSMENT_STAGE).await?
    {
        if kind == StageKind::Active && position < stage_position {
            move_recorded(tx, user, requisition, &[application_id], &stage, None).await?;
        }
    }
    Ok(application_id)
}

/// Sends a new link in place of an invite (revoking it when unstarted). Returns the new
/// token's id.
pub async fn resend(
    tx: &mut PgConnection,
    user: &AuthUser,
    token_id: Uuid,
) -> Result<Uuid, AppError> {
    let token = data::token(tx, user.org_id, token_id)
        .await?
        .ok_or(AppError::NotFound)?;
    assessment_for(user, tx, token.assessment_id).await?;
    let public_url = crate::state::state()?.settings.public_url.clone();
    let new_token = issue_link(
        tx,
        &public_url,
        token.assessment_application_id,
        &token.message,
        replacement_expiry(&token, Utc::now()),
        Some(user.id),
        LinkEmail::Replacement,
        None,
    )
    .await?
    .token_id;
    record(
        &mut *tx,
        NewAuditEntry::by(user, "assessment.invite_resent")
            .target("assessment", token.assessment_id)
            .details(json!({ "candidate": token.candidate_id, "replaces": token_id, "token": new_token })),
    )
    .await?;
    Ok(new_token)
}

/// Revokes an invite link that has not started a test.
pub async fn revoke(
    tx: &mut PgConnection,
    user: &AuthUser,
    token_id: Uuid,
) -> Result<(), AppError> {
    let token = data::token(tx, user.org_id, token_id)
        .await?
        .ok_or(AppError::NotFound)?;
    assessment_for(user, tx, token.assessment_id).await?;
    if token.started || !data::revoke_token(tx, token_id, user.id).await? {
        return Err(AppError::invalid(
            "That link has already started a test or was revoked; there is nothing to revoke.",
        ));
    }
    record(
        &mut *tx,
        NewAuditEntry::by(user, "assessment.invite_revoked")
            .target("assessment", token.assessment_id)
            .details(json!({ "candidate": token.candidate_id, "token": token_id })),
    )
    .await?;
    Ok(())
}

/// How long a replacement link lasts: as long as the one it replaces was given, at least a day.
pub fn replacement_expiry(old: &TokenRow, now: DateTime<Utc>) -> DateTime<Utc> {
    now + (old.expires_at - old.created_at).max(Duration::days(1))
}

/// The reminder job: when the link is still live, unstarted and unreminded, a new link
/// with the same expiry replaces it. Anything else (started, revoked, expired, reminded)
/// ends the job quietly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemindInvite {
    pub token_id: Uuid,
}

impl Job for RemindInvite {
    const NAME: &'static str = "assessment.remind";

    async fn run(self, ctx: &JobContext, _attempt: Attempt) -> anyhow::Result<()> {
        let token_id = self.token_id;
        let mut tx = ctx
            .pool
            .begin()
            .await
            .context("could not begin a transaction")?;
        let due = data::claim_reminder(&mut tx, token_id)
            .await
            .context("could not mark the link reminded")?;
        let Some((application, message, expires_at)) = due else {
            return Ok(());
        };
        match issue_link(
            &mut tx,
            &ctx.settings.public_url,
            application,
            &message,
            expires_at,
            None,
            LinkEmail::Reminder,
            None,
        )
        .await
        {
            Ok(_) => {}
            // The assessment no longer takes invites: nothing to remind of.
            Err(AppError::Invalid(reason)) => {
                tracing::info!(%token_id, reason, "no reminder sent");
                return Ok(());
            }
            Err(error) => return Err(error).context("could not issue the reminder's link"),
        }
        tx.commit().await.context("could not commit the reminder")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_email_says_what_when_and_how_long() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap();
        let ctx = LinkContext {
            org_name: "Acme".into(),
            candidate_name: "Ada".into(),
            assessment_title: "Aptitude".into(),
            time_limit_minutes: 30,
            accommodation: super::super::Accommodation::default(),
            message: "Good luck!".into(),
            expires_at: now + Duration::days(7),
            link: "http://x/test/secret".into(),
        };
        let (subject, body) = link_email(LinkEmail::First, &ctx, now);
        assert_eq!(subject, "Acme: your assessment “Aptitude”");
        assert!(body.contains("Good luck!"));
        assert!(body.contains("30 minutes"));
        assert!(body.contains("Sunday 29 November 2026, 10:00 UTC (in 7 days)"));
        assert!(body.contains("http://x/test/secret"));
        let (_, again) = link_email(LinkEmail::Replacement, &ctx, now);
        assert!(again.contains("replaces the one sent earlier"));
        let (subject, _) = link_email(LinkEmail::Reminder, &ctx, now);
        assert!(subject.starts_with("Reminder"));
        let (_, retake) = link_email(LinkEmail::Retake, &ctx, now);
        assert!(retake.contains("another attempt"));
        let extra = LinkContext {
            accommodation: super::super::Accommodation::new(50, false).unwrap(),
            ..ctx
        };
        let (_, body) = link_email(LinkEmail::First, &extra, now);
        assert!(body.contains("Time limit: 45 minutes (with 50 % extra time)"));
    }

    #[test]
    fn the_notice_says_who_was_invited_and_when_their_links_expire() {
        let at = Utc.with_ymd_and_hms(2026, 12, 12, 16, 0, 0).unwrap();
        let invitation = |names: &[&str], days| Invitation {
            assessment_title: "Aptitude".into(),
            candidates: names.iter().map(|name| name.to_string()).collect(),
            expiry: Expiry { days, at },
        };
        let paris: chrono_tz::Tz = "Europe/Paris".parse().unwrap();
        assert_eq!(
            invitation(&["Ada Lovelace"], 7).sentence(paris),
            "Invited Ada Lovelace to “Aptitude”. The test link expires in 7 days, on Sat 12 Dec 2026, 17:00 CET."
        );
        assert_eq!(
            invitation(&["Ada Lovelace"], 1).sentence(chrono_tz::Tz::UTC),
            "Invited Ada Lovelace to “Aptitude”. The test link expires in 1 day, on Sat 12 Dec 2026, 16:00 UTC."
        );
        assert_eq!(
            invitation(&["Ada Lovelace", "Grace Hopper"], 7).sentence(chrono_tz::Tz::UTC),
            "Invited 2 candidates to “Aptitude”: Ada Lovelace and Grace Hopper. Their test links expire in 7 days, on Sat 12 Dec 2026, 16:00 UTC."
        );
        assert_eq!(
            invitation(&["A", "B", "C"], 7).sentence(chrono_tz::Tz::UTC),
            "Invited 3 candidates to “Aptitude”: A, B and C. Their test links expire in 7 days, on Sat 12 Dec 2026, 16:00 UTC."
        );
        assert_eq!(
            invitation(&["A", "B", "C", "D", "E", "F", "G"], 7).sentence(chrono_tz::Tz::UTC),
            "Invited 7 candidates to “Aptitude”: A, B, C, D, E and 2 more. Their test links expire in 7 days, on Sat 12 Dec 2026, 16:00 UTC."
        );
    }
}
