//! The application form's route: a plain multipart POST (so it works without
//! JavaScript and can take a 10 MB résumé, which server functions' body limit would not),
//! read as it streams with its limits enforced on the way in. It answers with a redirect:
//! to the confirmation page, or back to the job's page with the message signed for it.

use axum::extract::{Path, Request};
use axum::response::{IntoResponse, Response};
use leptos::prelude::{provide_context, Owner};
use leptos::reactive::computed::ScopedFuture;
use uuid::Uuid;

use super::service::{apply, count_attempt, Resume};
use super::{check, FormFields, Refusal, APPLY_ERRORS};
use crate::documents::read_field;
use crate::error::AppError;
use crate::files::store::FileStore;
use crate::state::AppState;
use crate::ui::form::ErrorSeal;

/// The most a text field of the form may hold (the cover letter's limit, in UTF-8, with
/// room).
const MAX_TEXT_FIELD: usize = 64 * 1024;

fn see_other(location: &str) -> Response {
    (
        http::StatusCode::SEE_OTHER,
        [(http::header::LOCATION, location.to_string())],
    )
        .into_response()
}

/// Takes an application. Context for what it calls (the client's address, the state) is
/// provided as for server functions.
pub async fn apply_route(
    state: AppState,
    files: FileStore,
    seal: ErrorSeal,
    Path((slug, id)): Path<(String, Uuid)>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let content_type = parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let owner = Owner::new();
    let job_page = super::job_path(&slug, id);
    let outcome = owner
        .with(|| {
            let state = state.clone();
            ScopedFuture::new(async move {
                provide_context(parts);
                provide_context(state.clone());
                take(&state, &files, &slug, id, &content_type, body).await
            })
        })
        .await;
    match outcome {
        Ok(notice) => see_other(&crate::ui::notice::notice_location(
            &seal,
            &applied_path_of(&job_page),
            &notice,
        )),
        Err(AppError::NotFound) => (
            http::StatusCode::NOT_FOUND,
            "This job is not posted (any more).",
        )
            .into_response(),
        Err(error) => {
            use server_fn::error::FromServerFnError;
            let now = chrono::Utc::now().timestamp();
            see_other(&seal.seal_location(
                &format!("{job_page}#apply"),
                APPLY_ERRORS,
                &error.ser(),
                now,
            ))
        }
    }
}

/// The page a successful application lands on.
fn applied_path_of(job_page: &str) -> String {
    format!("{job_page}/applied")
}

async fn take(
    state: &AppState,
    files: &FileStore,
    slug: &str,
    id: Uuid,
    content_type: &str,
    body: axum::body::Body,
) -> Result<String, AppError> {
    let pool = &state.pool;
    let org = super::data::organization(pool, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let job = super::data::posting(pool, org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    count_attempt(pool, &crate::state::client_ip()).await?;
    let (fields, resume) = read_form(content_type, body).await?;
    let application = match check(&fields) {
        Ok(application) => application,
        Err(Refusal::Robot) => {
            tracing::info!(org = %org.id, "a careers form with its honeypot filled was dropped");
            return Ok(thanks(&job.job.title, &fields.email));
        }
        Err(Refusal::Invalid(error)) => return Err(error),
    };
    let resume = resume
        .filter(|resume| !resume.bytes.is_empty())
        .ok_or_else(|| {
            AppError::invalid(
                "Attach your résumé: a PDF, a Word (.docx) or a plain text file of at most 10 MB.",
            )
        })?;
    let applied = apply(
        pool,
        files,
        &state.settings.public_url,
        &org,
        &job,
        &application,
        resume,
    )
    .await?;
    tracing::info!(org = %org.id, application = %applied.application_id, again = applied.again, "an application arrived from the careers page");
    Ok(thanks(&job.job.title, application.email.as_str()))
}

/// The confirmation's sentence.
fn thanks(title: &str, email: &str) -> String {
    format!(
        "Thank you: your application for {title} is in. A confirmation is on its way to {email}."
    )
}

/// The form's text fields and the résumé, read with their limits as they arrive.
async fn read_form(
    content_type: &str,
    body: axum::body::Body,
) -> Result<(FormFields, Option<Resume>), AppError> {
    let limit = crate::files::Purpose::CandidateDocument.max_bytes();
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| AppError::invalid("Send the form with its résumé (multipart/form-data)."))?;
    let constraints = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .whole_stream((limit + 20 * MAX_TEXT_FIELD) as u64)
            .per_field(limit as u64 + 1),
    );
    let mut multipart =
        multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
    let mut fields = FormFields::default();
    let mut resume = None;
    loop {
        let field = multipart.next_field().await.map_err(|error| match error {
            multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
                crate::documents::too_big(limit)
            }
            _ => AppError::invalid("The form arrived incomplete. Try again."),
        })?;
        let Some(mut field) = field else { break };
        let name = field.name().unwrap_or_default().to_string();
        if name == "resume" {
            let filename = field.file_name().unwrap_or("resume").to_string();
            let bytes = read_field(&mut field, limit).await?;
            resume = Some(Resume { filename, bytes });
        } else {
            let bytes = read_field(&mut field, MAX_TEXT_FIELD)
                .await
                .map_err(|_| AppError::invalid("A field of the form is far too long."))?;
            fields.set(&name, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Ok((fields, resume))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_thanks_names_the_job_and_the_address() {
        assert_eq!(
            thanks("Engineer", "a@b.c"),
            "Thank you: your application for Engineer is in. A confirmation is on its way to a@b.c."
        );
        assert_eq!(
            applied_path_of("/careers/x/jobs/1"),
            "/careers/x/jobs/1/applied"
        );
    }
}
