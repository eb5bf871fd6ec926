//! The answer of a download route (a CSV export, a question set as JSON): a plain route,
//! not a server function, which would send a browser back to the page it came from.

/// A file as a route answers with it.
pub struct FileReply {
    /// The name the browser saves it under (ASCII letters, digits, `.`, `-`, `_`).
    pub name: String,
    pub content_type: String,
    /// Shown in the browser (an image) rather than saved.
    pub inline: bool,
    pub bytes: Vec<u8>,
}

/// Answers a download route with the file `produce` makes (its name and bytes), run in the
/// same Leptos context as server functions so the same guard applies; an error becomes
/// its status and message.
pub async fn download(
    state: crate::state::AppState,
    parts: http::request::Parts,
    content_type: &'static str,
    produce: impl std::future::Future<Output = Result<(String, Vec<u8>), crate::error::AppError>>,
) -> axum::response::Response {
    serve(state, parts, async move {
        let (name, bytes) = produce.await?;
        Ok(FileReply {
            name,
            content_type: content_type.to_string(),
            inline: false,
            bytes,
        })
    })
    .await
}

/// Answers a route with the file `produce` makes, as [`download`] does. The browser is
/// told not to guess its type and no shared cache keeps it.
pub async fn serve(
    state: crate::state::AppState,
    parts: http::request::Parts,
    produce: impl std::future::Future<Output = Result<FileReply, crate::error::AppError>>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use leptos::prelude::{provide_context, Owner};
    use leptos::reactive::computed::ScopedFuture;

    let owner = Owner::new();
    owner
        .with(|| {
            ScopedFuture::new(async move {
                provide_context(parts);
                provide_context(state);
                match produce.await {
                    Ok(file) => (
                        [
                            (http::header::CONTENT_TYPE, file.content_type),
                            (
                                http::header::CONTENT_DISPOSITION,
                                format!(
                                    "{}; filename=\"{}\"",
                                    if file.inline { "inline" } else { "attachment" },
                                    file.name
                                ),
                            ),
                            (http::header::CACHE_CONTROL, "private, no-store".to_string()),
                            (http::header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
                        ],
                        file.bytes,
                    )
                        .into_response(),
                    Err(error) => {
                        let status = http::StatusCode::from_u16(error.status_code())
                            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
                        (status, error.to_string()).into_response()
                    }
                }
            })
        })
        .await
}

/// The content type of the CSV downloads.
pub const CSV: &str = "text/csv; charset=utf-8";
