//! Applying on the careers page, and the retention of what applicants sent.

use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use super::data::{self, NewSubmission, OrgRow, PostingRow};
use super::{Application, PER_CLIENT_PER_HOUR, PER_EMAIL_PER_HOUR};
use crate::audit::data::{record, NewAuditEntry};
use crate::candidates::Via;
use crate::documents::service::{self as documents, NewUpload};
use crate::documents::DocumentKind;
use crate::email::outbox::{enqueue, OutgoingEmail};
use crate::error::{minutes_to_wait, AppError};
use crate::files::store::FileStore;

/// Refuses a client past the hourly limit; every attempt counts, refused ones too.
pub async fn count_attempt(pool: &PgPool, client_ip: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let (count, minutes) = data::count_attempt(&mut tx, client_ip).await?;
    tx.commit().await?;
    if count > PER_CLIENT_PER_HOUR {
        return Err(AppError::RateLimited(minutes_to_wait(minutes)));
    }
    Ok(())
}

/// What applying came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub candidate_id: Uuid,
    pub application_id: Uuid,
    /// The person had applied to this job before: the one application was kept.
    pub again: bool,
    /// Invited to the requisition's assessment at once.
    pub invited: bool,
}

/// The résumé sent with an application.
pub struct Resume {
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// Applies `application` with its résumé to the posted job: the candidate found by email
/// or created, the application added to the first stage unless it exists, the résumé
/// stored as their document, the submission kept beside the record, the confirmation
/// emailed and, when the job names an assessment, the link sent.
pub async fn apply(
    pool: &PgPool,
    files: &FileStore,
    public_url: &str,
    org: &OrgRow,
    job: &PostingRow,
    application: &Application,
    resume: Resume,
) -> Result<Applied, AppError> {
    let email = application.email.as_str();
    let existing = {
        let mut conn = pool.acquire().await?;
        crate::candidates::data::with_email(&mut conn, org.id, email, None).await?
    };
    let candidate_id = existing.as_ref().map_or_else(Uuid::new_v4, |(id, _)| *id);
    let prepared = documents::prepare(
        pool,
        files,
        NewUpload {
            org_id: org.id,
            candidate_id,
            kind: DocumentKind::Resume,
            filename: resume.filename,
            via: Via::CareersPage,
            uploaded_by: None,
            bytes: resume.bytes,
        },
    )
    .await?;
    let mut tx = pool.begin().await?;
    // Many clients may type one address: it gets at most this many confirmations (and its
    // record this many documents from strangers) an hour, counted one at a time.
    let (recent, minutes) = data::recent_submissions(&mut tx, org.id, email).await?;
    if recent >= PER_EMAIL_PER_HOUR {
        let wait = minutes_to_wait(minutes);
        return Err(AppError::invalid(format!(
            "This email address has sent {PER_EMAIL_PER_HOUR} applications to {} in the last hour, the most accepted. Wait {wait} minutes and try again.",
            org.name
        )));
    }
    if existing.is_none() {
        crate::candidates::data::insert_applicant(
            &mut tx,
            org.id,
            candidate_id,
            &application.full_name,
            email,
            &application.phone,
        )
        .await
        .map_err(|error| match &error {
            // The same address applied at the same moment: the other request has it.
            sqlx::Error::Database(db) if db.is_unique_violation() => AppError::invalid(
                "This address is applying in another window already. Try again in a moment.",
            ),
            _ => error.into(),
        })?;
    }
    let found =
        crate::pipeline::data::application_of(&mut tx, org.id, candidate_id, job.job.id).await?;
    let (application_id, again) = match found {
        Some((id, _, _)) => (id, true),
        None => {
            let stage = crate::pipeline::data::first_stage(&mut tx, org.id).await?;
            let id = crate::pipeline::data::insert_application(
                &mut tx,
                org.id,
                candidate_id,
                job.job.id,
                &stage,
                None,
                Via::CareersPage,
            )
            .await
            .map_err(|error| match &error {
                // The same form sent twice at once (a second click): the first is in.
                sqlx::Error::Database(db) if db.is_unique_violation() => AppError::invalid(
                    "This application was just sent (twice?): the first one is in, nothing more is needed.",
                ),
                _ => error.into(),
            })?;
            let mut entry = NewAuditEntry::anonymous("application.created")
                .target("application", id)
                .details(json!({
                    "candidate": candidate_id, "requisition": job.job.id, "via": "careers_page",
                }));
            entry.org_id = Some(org.id);
            record(&mut *tx, entry).await?;
            (id, false)
        }
    };
    let document = documents::add(&mut tx, prepared).await?;
    if existing.is_some() {
        // Anyone may type an address: not the candidate's until a recruiter says so.
        documents::hold_for_application(&mut tx, document, application_id).await?;
    }
    data::insert_submission(
        &mut tx,
        NewSubmission {
            org_id: org.id,
            candidate_id,
            application_id,
            document_id: document.id,
            full_name: &application.full_name,
            email,
            phone: &application.phone,
            cover_letter: &application.cover_letter,
            links: &application.links,
            retention_months: org.application_retention_months,
        },
    )
    .await?;
    let invited = match job.careers_assessment_id.filter(|_| !again) {
        Some(assessment_id) => {
            // A refused invite (the assessment closed meanwhile) leaves nothing behind.
            sqlx::query("SAVEPOINT careers_invite")
                .execute(&mut *tx)
                .await?;
            match crate::assessments::invites::invite_applicant(
                &mut tx,
                public_url,
                org.id,
                assessment_id,
                candidate_id,
                application_id,
            )
            .await
            {
                Ok(_) => true,
                Err(AppError::Invalid(reason)) => {
                    sqlx::query("ROLLBACK TO SAVEPOINT careers_invite")
                        .execute(&mut *tx)
                        .await?;
                    tracing::warn!(%reason, requisition = %job.job.id, "an applicant could not be invited to the requisition's assessment");
                    false
                }
                Err(error) => return Err(error),
            }
        }
        None => false,
    };
    enqueue(
        &mut tx,
        confirmation(org, job, application, candidate_id, invited),
    )
    .await?;
    crate::skills::scores::rescore_application(&mut tx, application_id).await?;
    tx.commit().await?;
    Ok(Applied {
        candidate_id,
        application_id,
        again,
        invited,
    })
}

/// The email that confirms an application.
fn confirmation(
    org: &OrgRow,
    job: &PostingRow,
    application: &Application,
    candidate_id: Uuid,
    invited: bool,
) -> OutgoingEmail {
    let test = if invited {
        "\n\nThis job starts with an online assessment: its link comes in a separate email.\n"
    } else {
        "\n"
    };
    let body_text = format!(
        "Hello {name},\n\nThank you for applying for {title} at {org}. We received your application and your résumé; they are now with the hiring team for this job.{test}\n{retention}\n\n{org}\n",
        name = application.full_name,
        title = job.job.title,
        org = org.name,
        retention = super::retention_sentence(&org.name, org.application_retention_months),
    );
    OutgoingEmail {
        org_id: Some(org.id),
        to: application.email.clone(),
        subject: format!("Your application for {} at {}", job.job.title, org.name),
        body_text,
        link: None,
        related: Some(("candidate", candidate_id.to_string())),
        attachment: None,
    }
}

/// Deletes the candidates from the careers page whose last activity is older than their
/// organization's retention period (their documents' bytes by the purge job), in
/// batches; returns how many went.
pub async fn apply_retention(pool: &PgPool) -> Result<u64, AppError> {
    let mut deleted = 0;
    for (org_id, candidate_id) in data::past_retention(pool, 200).await? {
        let mut tx = pool.begin().await?;
        let gone = crate::candidates::data::delete(&mut tx, org_id, candidate_id).await?;
        if gone > 0 {
            let mut entry = NewAuditEntry::anonymous("candidate.deleted")
                .target("candidate", candidate_id)
                .details(json!({ "reason": "retention", "via": "careers_page" }));
            entry.org_id = Some(org_id);
            entry.client_ip = None;
            record(&mut *tx, entry).await?;
        }
        tx.commit().await?;
        deleted += gone;
    }
    Ok(deleted)
}
