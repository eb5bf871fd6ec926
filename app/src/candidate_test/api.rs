//! Server functions of the candidate's test. The candidate has no account: the link's
//! secret is the credential, checked (by its digest) on every call, and it reaches only
//! its own session.

use leptos::prelude::*;
use server_fn::codec::Json;

use super::{AnswerSave, LinkState, SaveAck};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::{data, Landing, TestView, GRACE_SECONDS},
    crate::results::SessionStatus,
    crate::state::pool,
    crate::tokens::digest,
    chrono::Utc,
};

/// Where the link stands, with what the page needs for that state.
#[server(prefix = "/api", endpoint = "test/link")]
pub async fn test_link(token: String) -> Result<LinkState, AppError> {
    let pool = pool()?;
    let digest = digest(&token);
    let now = Utc::now();
    let Some(link) = data::find_link(&mut *pool.acquire().await?, &digest).await? else {
        return Ok(LinkState::Invalid);
    };
    match (link.session_id, link.session_status, link.deadline_at) {
        (Some(session_id), Some(SessionStatus::InProgress), Some(deadline))
            if now <= deadline + chrono::Duration::seconds(GRACE_SECONDS) =>
        {
            let (questions, answers) = data::questions_and_answers(&pool, session_id).await?;
            let proctoring = proctoring_of(&link);
            Ok(LinkState::InProgress(TestView {
                token,
                session_id,
                title: link.title,
                deadline_ms: deadline.timestamp_millis(),
                server_now_ms: now.timestamp_millis(),
                questions,
                answers,
                proctoring,
            }))
        }
        (Some(_), status, _) => {
            // Time ran out and the sweep has not come by yet: close it now.
            let status = match status {
                Some(SessionStatus::InProgress) => Some(data::submit(&pool, &digest).await?),
                other => other,
            };
            Ok(LinkState::Finished {
                title: link.title,
                timed_out: status == Some(SessionStatus::TimedOut),
            })
        }
        (None, _, _) => match super::can_start(&link, now) {
            Ok(()) => {
                let accommodation = link.accommodation();
                let webcam_on = proctoring_of(&link).webcam;
                let monitored = proctoring_of(&link)
                    .monitored_items()
                    .into_iter()
                    .map(String::from)
                    .collect();
                let closes_at = link
                    .available_until
                    .map_or(link.expires_at, |until| until.min(link.expires_at));
                Ok(LinkState::Ready(Landing {
                    org_name: link.org_name,
                    title: link.title,
                    instructions_html: crate::markdown::to_safe_html(&link.instructions_md),
                    time_seconds: accommodation.seconds(link.time_limit_minutes),
                    question_count: link.question_count,
                    accommodations: accommodation_sentences(
                        accommodation,
                        link.time_limit_minutes,
                        webcam_on,
                    ),
                    monitored,
                    closes_at: closes_at.to_rfc3339(),
                }))
            }
            Err(AppError::Closed(message)) => Ok(LinkState::Unavailable(message)),
            Err(_) => Ok(LinkState::Invalid),
        },
    }
}

/// What the assessment's version records, for this candidate (the webcam off when their
/// invite waives it). Its settings were written by the editor, so one that cannot be read
/// is a fault of ours: logged, and the defaults hold.
#[cfg(feature = "ssr")]
fn proctoring_of(link: &data::Link) -> crate::assessments::Proctoring {
    let settings = serde_json::from_value(link.proctoring.clone()).unwrap_or_else(|error| {
        tracing::error!(%error, assessment_id = %link.assessment_id, "unreadable proctoring settings");
        crate::assessments::Proctoring::default()
    });
    settings.applied(link.accommodation())
}

/// The landing page's sentences about what the invite grants.
#[cfg(feature = "ssr")]
fn accommodation_sentences(
    accommodation: crate::assessments::Accommodation,
    minutes: i32,
    webcam_on: bool,
) -> Vec<String> {
    let mut sentences = Vec::new();
    if accommodation.extra_time_percent > 0 {
        sentences.push(format!(
            "You have {} % extra time: the test's limit is {}, and yours is {}.",
            accommodation.extra_time_percent,
            crate::results::Accommodation::default().time_words(minutes),
            accommodation.time_words(minutes)
        ));
    }
    if accommodation.webcam_waived && !webcam_on {
        sentences.push("No webcam snapshots are taken during your test.".to_string());
    }
    sentences
}

/// Starts the test (after consent) and fixes its deadline; back to the link's page.
#[server(prefix = "/api", endpoint = "test/start")]
pub async fn start_test(token: String, consent: Option<String>) -> Result<(), AppError> {
    if consent.as_deref() != Some("yes") {
        return Err(AppError::invalid(
            "Please tick the box to confirm you have read what is monitored and agree to it.",
        ));
    }
    let pool = pool()?;
    let user_agent = crate::state::request_parts()?
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    data::start(&pool, &digest(&token), &user_agent, Utc::now())
        .await
        .map_err(|error| match error {
            AppError::NotFound => AppError::invalid(
                "This link is no longer valid. Ask the recruiter who sent it for a new one.",
            ),
            other => other,
        })?;
    leptos_axum::redirect(&format!("/test/{token}"));
    Ok(())
}

/// Autosave of one answer (JSON both ways: the test page's island calls it directly).
#[server(prefix = "/api", endpoint = "test/save", input = Json)]
pub async fn save_answer(token: String, save: AnswerSave) -> Result<SaveAck, AppError> {
    save.validate().map_err(AppError::invalid)?;
    data::save(&pool()?, &digest(&token), &save).await
}

/// Hands the test in. Answers saved before stay as they are; calling it again is harmless.
#[server(prefix = "/api", endpoint = "test/submit", input = Json)]
pub async fn submit_test(token: String) -> Result<(), AppError> {
    data::submit(&pool()?, &digest(&token)).await.map(|_| ())
}
