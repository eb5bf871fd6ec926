//! The answer of a download route (a CSV export, a question set as JSON): a plain route,
//! not a server function, which would send a browser back to the page it came from.

/// Answers a download route with the file `produce` makes (its name and bytes), run in the
/// same Leptos context as server functions so the same guard applies; an error becomes
/// its status and message.
pub async fn download(
    state: crate::state::AppState,
    parts: http::request::Parts,
    content_type: &'static str,
    produce: impl std::future::Future<Output = Result<(String, Vec<u8>), crate::error::AppError>>,
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
                    Ok((filename, bytes)) => (
                        [
                            (http::header::CONTENT_TYPE, content_type.to_string()),
                            (
                                http::header::CONTENT_DISPOSITION,
                                format!("attachment; filename=\"{filename}\""),
                            ),
                            (http::header::CACHE_CONTROL, "no-store".to_string()),
                        ],
                        bytes,
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
