//! Server functions and the download route of candidates' documents: admins and
//! recruiters of the candidate's organization (the roles that see the whole profile).

use leptos::prelude::*;
use server_fn::codec::{MultipartData, MultipartFormData};
use uuid::Uuid;

use super::CandidateDocuments;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::{data, service, DocumentKind, RecordField},
    crate::access::guard::{require_role, AuthUser},
    crate::audit::data::{record, NewAuditEntry},
    crate::candidates::Via,
    crate::files::store::FileStore,
    serde_json::json,
};

/// The candidate's documents with their text's status, parsed fields and skills found.
#[server(prefix = "/api", endpoint = "documents/list")]
pub async fn load_documents(candidate_id: Uuid) -> Result<CandidateDocuments, AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let pool = crate::state::pool()?;
    let candidate = crate::candidates::data::find(&pool, user.org_id, candidate_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(CandidateDocuments {
        candidate_id,
        record_email: candidate.email,
        record_phone: candidate.phone,
        record_location: candidate.location,
        documents: service::documents_of(&pool, user.org_id, candidate_id).await?,
    })
}

/// Reads one multipart field's bytes, refusing more than `limit` as they arrive.
#[cfg(feature = "ssr")]
pub async fn read_field(field: &mut multer::Field<'_>, limit: usize) -> Result<Vec<u8>, AppError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|error| match error {
        // The form's own limits (`careers::route`) stop the stream past them.
        multer::Error::FieldSizeExceeded { .. } | multer::Error::StreamSizeExceeded { .. } => {
            too_big(limit)
        }
        _ => AppError::invalid("The upload was interrupted. Try again."),
    })? {
        if bytes.len() + chunk.len() > limit {
            return Err(too_big(limit));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// The message of a file over the limit.
pub fn too_big(limit: usize) -> AppError {
    AppError::invalid(format!(
        "The file is larger than {} MB, the most accepted.",
        limit / (1024 * 1024)
    ))
}

/// Uploads a document to a candidate's profile: the form fields `candidate_id`, `kind`
/// and `file`. The same bytes twice are one document.
#[server(prefix = "/api", endpoint = "documents/upload", input = MultipartFormData)]
pub async fn upload_document(data: MultipartData) -> Result<(), AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let limit = crate::files::Purpose::CandidateDocument.max_bytes();
    let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
    let (mut candidate_id, mut kind, mut file) = (None, DocumentKind::Other, None);
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::invalid("The upload was interrupted. Try again."))?
    {
        match field.name() {
            Some("candidate_id") => {
                let text = field.text().await.unwrap_or_default();
                candidate_id = text.trim().parse::<Uuid>().ok();
            }
            Some("kind") => {
                let text = field.text().await.unwrap_or_default();
                kind = DocumentKind::parse(text.trim())
                    .ok_or_else(|| AppError::invalid("Choose what the document is."))?;
            }
            Some("file") => {
                let name = field.file_name().unwrap_or("document").to_string();
                file = Some((name, read_field(&mut field, limit).await?));
            }
            _ => {}
        }
    }
    let candidate_id = candidate_id.ok_or(AppError::NotFound)?;
    let (filename, bytes) = file
        .filter(|(_, bytes)| !bytes.is_empty())
        .ok_or_else(|| AppError::invalid("Choose a file to upload (it may not be empty)."))?;
    let pool = crate::state::pool()?;
    crate::candidates::data::find(&pool, user.org_id, candidate_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let files = expect_context::<FileStore>();
    let prepared = service::prepare(
        &pool,
        &files,
        service::NewUpload {
            org_id: user.org_id,
            candidate_id,
            kind,
            filename,
            via: Via::Staff,
            uploaded_by: Some(user.id),
            bytes,
        },
    )
    .await?;
    let mut tx = pool.begin().await?;
    let added = service::add(&mut tx, prepared).await?;
    if !added.existing {
        record(
            &mut *tx,
            NewAuditEntry::by(&user, "document.uploaded")
                .target("document", added.id)
                .details(json!({ "candidate": candidate_id, "kind": kind.as_str() })),
        )
        .await?;
    }
    tx.commit().await?;
    let notice = if added.existing {
        let confirmed = live_document(&user, added.id)
            .await
            .is_ok_and(|doc| doc.confirmed);
        if confirmed {
            "This file is on the profile already: nothing new was stored."
        } else {
            "This file is on the profile already, sent on the careers page and not yet confirmed as the candidate's: nothing new was stored."
        }
    } else {
        "Document uploaded. Its text is being read; reload the page in a moment to see what was found."
    };
    crate::ui::notice::redirect_with_notice(&format!("/candidates/{candidate_id}"), notice);
    Ok(())
}

#[cfg(feature = "ssr")]
async fn live_document(user: &AuthUser, id: Uuid) -> Result<data::DocumentRow, AppError> {
    data::find(&crate::state::pool()?, user.org_id, id)
        .await?
        .filter(|doc| doc.deleted_at.is_none())
        .ok_or(AppError::NotFound)
}

/// Deletes a document: its file goes; what was extracted from it stays on record.
#[server(prefix = "/api", endpoint = "documents/delete")]
pub async fn delete_document(id: Uuid) -> Result<(), AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let doc = live_document(&user, id).await?;
    let mut tx = crate::state::pool()?.begin().await?;
    if data::soft_delete(&mut tx, user.org_id, id, user.id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    // What was found only in this document no longer counts for the applications.
    crate::skills::scores::rescore_candidate(&mut tx, user.org_id, doc.candidate_id).await?;
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "document.deleted")
            .target("document", id)
            .details(json!({ "candidate": doc.candidate_id })),
    )
    .await?;
    tx.commit().await?;
    crate::ui::notice::redirect_with_notice(
        &format!("/candidates/{}", doc.candidate_id),
        &format!(
            "Deleted “{}”: the file is gone; its extraction log and skill matches stay on record.",
            doc.filename
        ),
    );
    Ok(())
}

/// Takes a document sent through the careers page to a record that existed before as the
/// candidate's: from now on it counts for all their applications' skill scores.
#[server(prefix = "/api", endpoint = "documents/confirm")]
pub async fn confirm_document(id: Uuid) -> Result<(), AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let doc = live_document(&user, id).await?;
    let mut tx = crate::state::pool()?.begin().await?;
    let candidate_id = data::confirm(&mut tx, user.org_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::skills::scores::rescore_candidate(&mut tx, user.org_id, candidate_id).await?;
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "document.confirmed")
            .target("document", id)
            .details(json!({ "candidate": candidate_id })),
    )
    .await?;
    tx.commit().await?;
    crate::ui::notice::redirect_with_notice(
        &format!("/candidates/{candidate_id}"),
        &format!(
            "“{}” is taken as the candidate's: it counts for all their applications now.",
            doc.filename
        ),
    );
    Ok(())
}

/// Fills a field of the candidate's record (phone, location) with the value parsed from
/// one of their documents, which the recruiter accepted.
#[server(prefix = "/api", endpoint = "documents/accept")]
pub async fn accept_parsed_field(id: Uuid, field: String) -> Result<(), AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let field = RecordField::parse(&field).ok_or_else(|| AppError::invalid("Choose a field."))?;
    let doc = live_document(&user, id).await?;
    if !doc.confirmed {
        return Err(AppError::invalid(
            "Confirm the document is the candidate's before using what was read from it.",
        ));
    }
    let parsed = doc
        .parsed
        .as_ref()
        .map(|parsed| &parsed.0)
        .ok_or_else(|| AppError::invalid("Nothing was parsed from this document."))?;
    let value = match field {
        RecordField::Phone => parsed.phones.first().map(|found| found.value.clone()),
        RecordField::Location => parsed.location.as_ref().map(|found| found.value.clone()),
    }
    .ok_or_else(|| AppError::invalid("The document shows no such value."))?;
    let value = crate::input::bounded("the value", &value, 200)?;
    let mut tx = crate::state::pool()?.begin().await?;
    if !crate::candidates::data::set_contact_field(
        &mut tx,
        user.org_id,
        doc.candidate_id,
        field.as_str(),
        &value,
    )
    .await?
    {
        return Err(AppError::NotFound);
    }
    record(
        &mut *tx,
        NewAuditEntry::by(&user, "candidate.updated")
            .target("candidate", doc.candidate_id)
            .details(json!({ "field": field.as_str(), "from_document": id })),
    )
    .await?;
    tx.commit().await?;
    crate::ui::notice::redirect_with_notice(
        &format!("/candidates/{}", doc.candidate_id),
        &format!("The record's {} is now “{value}”.", field.as_str()),
    );
    Ok(())
}

/// How an application's candidate fits its requisition's skills, for the application
/// page: the score and its explanation for everyone who may open the application, the
/// evidence from the documents for those who see the candidate's documents. Nothing
/// before a document's text was read (or when the requisition names no skills).
#[server(prefix = "/api", endpoint = "documents/application_match")]
pub async fn load_application_match(
    application_id: Uuid,
) -> Result<Option<super::ApplicationMatch>, AppError> {
    let user = require_role(crate::access::REQUISITION_ROLES).await?;
    let pool = crate::state::pool()?;
    let (application, _) = {
        let mut conn = pool.acquire().await?;
        crate::pipeline::service::application_for(&user, &mut conn, application_id).await?
    };
    let Some(score) =
        crate::skills::scores::of_application(&pool, user.org_id, application_id).await?
    else {
        return Ok(None);
    };
    let evidence = if crate::access::CANDIDATE_ROLES.contains(&user.role) {
        crate::skills::scores::evidence_for(
            &pool,
            application_id,
            application.candidate_id,
            application.requisition_id,
        )
        .await?
    } else {
        Vec::new()
    };
    Ok(Some(super::ApplicationMatch {
        explanation: score.explanation(),
        score,
        evidence,
    }))
}

/// A file name safe for a download's header: ASCII letters, digits, `.`, `-`, `_`.
pub fn download_name(name: &str, extension: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let safe: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    let safe = safe.trim_matches('_');
    format!(
        "{}.{extension}",
        if safe.is_empty() { "document" } else { safe }
    )
}

/// The route of a document's bytes (`/documents/<id>/file`), for the roles that see
/// the candidate's documents.
#[cfg(feature = "ssr")]
pub async fn file_route(
    state: crate::state::AppState,
    files: FileStore,
    axum::extract::Path(id): axum::extract::Path<Uuid>,
    req: axum::extract::Request,
) -> axum::response::Response {
    let (parts, _body) = req.into_parts();
    let pool = state.pool.clone();
    crate::ui::download::serve(state, parts, async move {
        let user = require_role(crate::access::CANDIDATE_ROLES).await?;
        let doc = live_document(&user, id).await?;
        let file =
            crate::files::data::find(&pool, user.org_id, doc.file_id.ok_or(AppError::NotFound)?)
                .await?
                .ok_or(AppError::NotFound)?;
        let bytes = crate::files::service::read(&files, &file).await?;
        let extension = crate::files::ContentType::from_mime(&file.content_type)
            .map_or("bin", |kind| kind.extension());
        Ok(crate::ui::download::FileReply {
            name: download_name(&doc.filename, extension),
            content_type: file.content_type,
            inline: false,
            bytes,
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::download_name;

    #[test]
    fn a_download_name_is_plain_ascii_with_the_stored_type_s_extension() {
        assert_eq!(
            download_name("Jane Doe – CV.pdf", "pdf"),
            "Jane_Doe___CV.pdf"
        );
        assert_eq!(download_name("résumé.exe", "pdf"), "r_sum.pdf");
        assert_eq!(download_name("***", "txt"), "document.txt");
    }
}
