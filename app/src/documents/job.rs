//! The extraction job: a document's text, logged per attempt, then its parsed fields and
//! the organization's skills found in it, which rescore the candidate's applications.
//!
//! A file that cannot be read (malformed, scanned without OCR, too slow) is an outcome,
//! logged and shown on the profile, not a failed job: only the database or the store
//! failing makes the job try again.

use std::time::{Duration, Instant};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::data::{self, DocumentRow, NewAttempt, NewMatch};
use super::extract::{self, ExtractError, Extracted, Kind, Method};
use super::{AttemptStatus, TextStatus};
use crate::files::store::FileStore;
use crate::files::ContentType;
use crate::jobs::{Attempt, Job, JobContext};

/// How long one attempt may take (a PDF's text layer, or OCR of up to 20 pages).
pub const TIME_LIMIT: Duration = Duration::from_secs(60);
/// The most text kept of one document.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtractDocument {
    pub document_id: Uuid,
}

impl Job for ExtractDocument {
    const NAME: &'static str = "document.extract";
    const MAX_ATTEMPTS: i32 = 3;

    async fn run(self, ctx: &JobContext, attempt: Attempt) -> anyhow::Result<()> {
        let result = extract_document(ctx, self.document_id).await;
        if let Err(error) = &result {
            if attempt.is_last() {
                give_up(ctx, self.document_id, error).await;
            }
        }
        result
    }
}

async fn extract_document(ctx: &JobContext, document_id: Uuid) -> anyhow::Result<()> {
    let pool = &ctx.pool;
    let Some(doc) = data::find_for_job(pool, document_id)
        .await
        .context("could not read the document")?
    else {
        return Ok(());
    };
    let Some(file_id) = doc.file_id.filter(|_| doc.deleted_at.is_none()) else {
        return Ok(());
    };
    let file = crate::files::data::find(pool, doc.org_id, file_id)
        .await
        .context("could not read the document's file")?
        .context("the document's file row is missing")?;
    let files = ctx.get::<FileStore>()?;
    let bytes = files
        .get(&file.storage_key)
        .await
        .context("could not read the document's bytes")?;
    let kind = kind_of(&doc.content_type);
    let outcome = read_text(kind, bytes).await;
    store(ctx, &doc, outcome).await
}

/// What the profile says once the last attempt failed on the server's side (the stored
/// bytes unreadable, the database failing): the document no longer reads "Reading the
/// text…" but "Text extraction failed", with a log row. The detail is in the server's log.
/// (A worker that dies during the last attempt records nothing: the document stays
/// "Reading the text…" until it is uploaded again.)
async fn give_up(ctx: &JobContext, document_id: Uuid, error: &anyhow::Error) {
    tracing::error!(document = %document_id, error = format!("{error:#}"), "a document's extraction gave up");
    let recorded = async {
        let mut tx = ctx.pool.begin().await?;
        if data::lock_live(&mut tx, document_id).await?.is_none() {
            return Ok(());
        }
        // Read under the lock: an earlier attempt that did get through stays as it is.
        let Some(doc) = data::find_for_job(&mut *tx, document_id)
            .await?
            .filter(|doc| doc.text_status == TextStatus::Pending)
        else {
            return Ok(());
        };
        let attempt = NewAttempt {
            method: method_of(kind_of(&doc.content_type)).as_str(),
            status: AttemptStatus::Failed,
            pages: None,
            characters: 0,
            duration_ms: 0,
            error: Some(GAVE_UP),
        };
        data::log_attempt(&mut tx, &doc, attempt).await?;
        data::set_text(&mut tx, doc.id, TextStatus::Failed, None, None).await?;
        tx.commit().await
    };
    let recorded: sqlx::Result<()> = recorded.await;
    if let Err(error) = recorded {
        tracing::error!(document = %document_id, %error, "could not record that a document's extraction gave up");
    }
}

/// The log's error for an extraction the server could not carry out.
pub const GAVE_UP: &str = "The text could not be read or stored after every attempt (an error on the server's side); the server's log has the detail.";

fn kind_of(content_type: &str) -> Kind {
    match ContentType::from_mime(content_type) {
        Some(ContentType::Docx) => Kind::Docx,
        Some(ContentType::Text) => Kind::Text,
        _ => Kind::Pdf,
    }
}

/// How a kind of file is read first.
fn method_of(kind: Kind) -> Method {
    match kind {
        Kind::Pdf => Method::PdfText,
        Kind::Docx => Method::Docx,
        Kind::Text => Method::PlainText,
    }
}

/// One attempt: how it went and how long it took.
pub struct Tried {
    pub method: Method,
    pub result: Result<Extracted, ExtractError>,
    pub duration: Duration,
}

/// The document's text: its own layer (or DOCX, or plain text) first; a PDF without a
/// text layer is then read by OCR where the server has it. Every attempt is returned.
pub async fn read_text(kind: Kind, bytes: Vec<u8>) -> Vec<Tried> {
    let started = Instant::now();
    let method = method_of(kind);
    let pdf = (kind == Kind::Pdf).then(|| bytes.clone());
    let first = Tried {
        method,
        result: extract::extract(kind, bytes, TIME_LIMIT, false).await,
        duration: started.elapsed(),
    };
    let scanned = matches!(first.result, Err(ExtractError::Scanned));
    let ocr = scanned && extract::ocr_available();
    let mut first = first;
    if scanned && !ocr {
        first.result = Err(ExtractError::NoOcr);
    }
    let mut tried = vec![first];
    if let (true, Some(pdf)) = (ocr, pdf) {
        let started = Instant::now();
        let result = tokio::task::spawn_blocking(move || extract::ocr_pdf(&pdf, TIME_LIMIT))
            .await
            .unwrap_or(Err(ExtractError::Panicked))
            .map(|(text, pages)| Extracted {
                method: Method::Ocr,
                text,
                pages: Some(pages),
            });
        tried.push(Tried {
            method: Method::Ocr,
            result,
            duration: started.elapsed(),
        });
    }
    tried
}

fn attempt_status(result: &Result<Extracted, ExtractError>) -> AttemptStatus {
    match result {
        Ok(extracted) if extracted.text.trim().is_empty() => AttemptStatus::NoText,
        Ok(_) => AttemptStatus::Succeeded,
        Err(ExtractError::Scanned | ExtractError::NoOcr) => AttemptStatus::NoText,
        Err(ExtractError::TimedOut(_)) => AttemptStatus::TimedOut,
        Err(_) => AttemptStatus::Failed,
    }
}

/// The text cut to [`MAX_TEXT_BYTES`] at a character boundary.
fn capped(mut text: String) -> String {
    if text.len() > MAX_TEXT_BYTES {
        let mut end = MAX_TEXT_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

async fn store(ctx: &JobContext, doc: &DocumentRow, tried: Vec<Tried>) -> anyhow::Result<()> {
    let mut tx = ctx.pool.begin().await.context("could not begin")?;
    // Deleted while it was read: nothing of it is kept. Merged meanwhile: it is written
    // under the candidate it belongs to now.
    let Some(candidate_id) = data::lock_live(&mut tx, doc.id)
        .await
        .context("could not lock the document")?
    else {
        return Ok(());
    };
    let doc = &DocumentRow {
        candidate_id,
        ..doc.clone()
    };
    let mut text = None;
    let mut any_no_text = false;
    for attempt in tried {
        let status = attempt_status(&attempt.result);
        any_no_text |= status == AttemptStatus::NoText;
        let (pages, characters, error) = match &attempt.result {
            Ok(extracted) => (extracted.pages, extracted.text.chars().count(), None),
            Err(error) => (None, 0, Some(error.to_string())),
        };
        if let Err(error) = &attempt.result {
            tracing::info!(document = %doc.id, method = attempt.method.as_str(), %error, "a document's text could not be read");
        }
        data::log_attempt(
            &mut tx,
            doc,
            NewAttempt {
                method: attempt.method.as_str(),
                status,
                pages,
                characters: characters.min(i32::MAX as usize) as i32,
                duration_ms: attempt.duration.as_millis().min(i32::MAX as u128) as i32,
                error: error.as_deref(),
            },
        )
        .await
        .context("could not log the attempt")?;
        if let (AttemptStatus::Succeeded, Ok(extracted)) = (status, attempt.result) {
            text = Some(capped(extracted.text));
        }
    }
    match text {
        Some(text) => {
            let parsed = super::fields::parse(&text, chrono::Utc::now().date_naive());
            data::set_text(
                &mut tx,
                doc.id,
                TextStatus::Extracted,
                Some(&text),
                Some(&parsed),
            )
            .await
            .context("could not store the text")?;
            match_skills(&mut tx, doc, &text).await?;
        }
        None => {
            let status = if any_no_text {
                TextStatus::NoText
            } else {
                TextStatus::Failed
            };
            data::set_text(&mut tx, doc.id, status, None, None)
                .await
                .context("could not store the outcome")?;
        }
    }
    tx.commit().await.context("could not commit")?;
    Ok(())
}

/// Finds the organization's active skills in the text, replaces the document's matches
/// and rescores the candidate's applications.
pub async fn match_skills(
    tx: &mut sqlx::PgConnection,
    doc: &DocumentRow,
    text: &str,
) -> anyhow::Result<()> {
    use crate::skills::matching::{find, SkillTerms};

    let skills = crate::skills::data::list_on(&mut *tx, doc.org_id, true)
        .await
        .context("could not read the skill list")?;
    let terms: Vec<SkillTerms> = skills
        .iter()
        .map(|skill| SkillTerms {
            id: skill.id,
            name: &skill.name,
            aliases: &skill.aliases,
        })
        .collect();
    let hits = find(text, &terms);
    let found: Vec<NewMatch> = hits
        .iter()
        .map(|hit| NewMatch {
            skill_id: hit.skill_id,
            term: &hit.term,
            occurrences: hit.occurrences.min(i32::MAX as usize) as i32,
            offset: hit.offset as i32,
            len: hit.len as i32,
            sentence: &hit.sentence,
            sentence_offset: hit.sentence_offset as i32,
        })
        .collect();
    data::replace_matches(&mut *tx, doc, &found)
        .await
        .context("could not store the skill matches")?;
    crate::skills::scores::rescore_candidate(&mut *tx, doc.org_id, doc.candidate_id)
        .await
        .context("could not rescore the applications")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_capped_at_a_character_boundary() {
        let text = "é".repeat(MAX_TEXT_BYTES);
        let capped = capped(text);
        assert!(capped.len() <= MAX_TEXT_BYTES);
        assert!(capped.chars().all(|c| c == 'é'));
    }

    #[test]
    fn empty_text_is_no_text_and_a_timeout_is_its_own_status() {
        let empty = Ok(Extracted {
            method: Method::PlainText,
            text: "  \n".into(),
            pages: None,
        });
        assert_eq!(attempt_status(&empty), AttemptStatus::NoText);
        assert_eq!(
            attempt_status(&Err(ExtractError::TimedOut(TIME_LIMIT))),
            AttemptStatus::TimedOut
        );
        assert_eq!(
            attempt_status(&Err(ExtractError::NoOcr)),
            AttemptStatus::NoText
        );
    }

    #[test]
    fn the_kind_comes_from_the_stored_type() {
        assert_eq!(kind_of("application/pdf"), Kind::Pdf);
        assert_eq!(kind_of(ContentType::Docx.mime()), Kind::Docx);
        assert_eq!(kind_of(ContentType::Text.mime()), Kind::Text);
    }
}
