//! CSV export of an assessment's results: one row per test session.

/// The export's address; `{id}` is the assessment.
pub const RESULTS_CSV_PATH: &str = "/assessments/{id}/results.csv";

pub fn results_csv_href(id: uuid::Uuid) -> String {
    format!("/assessments/{id}/results.csv")
}

/// `GET /assessments/{id}/results.csv`, behind the same guard as the results page.
#[cfg(feature = "ssr")]
pub async fn results_csv_route(
    state: crate::state::AppState,
    axum::extract::Path(id): axum::extract::Path<uuid::Uuid>,
    req: axum::extract::Request,
) -> axum::response::Response {
    let (parts, _body) = req.into_parts();
    crate::ui::download::download(state, parts, crate::ui::download::CSV, results_csv(id)).await
}

#[cfg(feature = "ssr")]
async fn results_csv(id: uuid::Uuid) -> Result<(String, Vec<u8>), crate::error::AppError> {
    use crate::audit::data::{record, NewAuditEntry};
    use crate::candidates::import::spreadsheet_safe;
    use crate::error::AppError;

    let results = super::load_results(id).await?;
    let user = crate::access::guard::require_user().await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let write_error = |_| AppError::Internal;
    out.write_record([
        "Candidate",
        "Attempt",
        "Status",
        "Score",
        "Max score",
        "Percent",
        "Result",
        "Started",
        "Time taken",
    ])
    .map_err(write_error)?;
    for row in &results.sessions {
        let s = &row.outcome;
        let cells = [
            row.candidate_name.clone(),
            s.attempt.to_string(),
            s.status.label().to_string(),
            s.score.map(|v| v.to_string()).unwrap_or_default(),
            s.max_score.to_string(),
            s.percent.to_string(),
            s.verdict.label().to_string(),
            s.started.clone(),
            s.time_taken(),
        ];
        out.write_record(cells.iter().map(|v| spreadsheet_safe(v)))
            .map_err(write_error)?;
    }
    let bytes = out.into_inner().map_err(|_| AppError::Internal)?;
    record(
        &crate::state::pool()?,
        NewAuditEntry::by(&user, "assessment.results_exported")
            .target("assessment", id)
            .details(serde_json::json!({ "sessions": results.sessions.len() })),
    )
    .await?;
    let slug: String = results
        .title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    Ok((format!("results-{slug}-v{}.csv", results.version), bytes))
}
