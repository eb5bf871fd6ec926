//! CSV export of the candidate list as filtered: every matching candidate (not one
//! page), cells safe to open in a spreadsheet.

use serde::Deserialize;

/// The export's address; the list page's filters go in its query.
pub const EXPORT_PATH: &str = "/candidates/export.csv";
/// The list page's search keys, which the export link carries.
pub const EXPORT_KEYS: &[&str] = &["q", "tags", "skill", "source", "sort"];

#[cfg(feature = "ssr")]
const BATCH: i64 = 1000;

/// The list's filters, as the list page's URL carries them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExportQuery {
    pub q: Option<String>,
    pub tags: Option<String>,
    pub skill: Option<String>,
    pub source: Option<String>,
    pub sort: Option<String>,
}

/// `GET /candidates/export.csv?q=…&tags=…&skill=…&source=…&sort=…`: a plain route (a
/// download, not a server function, which would send a browser back to the page it came
/// from), run in the same Leptos context as server functions so the same guard applies.
#[cfg(feature = "ssr")]
pub async fn export_route(
    state: crate::state::AppState,
    req: axum::extract::Request,
) -> axum::response::Response {
    let (parts, _body) = req.into_parts();
    let query = axum::extract::Query::<ExportQuery>::try_from_uri(&parts.uri)
        .map(|q| q.0)
        .unwrap_or_default();
    crate::ui::download::download(state, parts, crate::ui::download::CSV, export_csv(query)).await
}

/// The file's name and bytes: every candidate of the user's organization that matches.
#[cfg(feature = "ssr")]
pub async fn export_csv(filters: ExportQuery) -> Result<(String, Vec<u8>), crate::error::AppError> {
    use super::{data, CandidateQuery};
    use crate::access::guard::require_role;
    use crate::audit::data::{record, NewAuditEntry};
    use crate::error::AppError;

    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let pool = crate::state::pool()?;
    let mut query = CandidateQuery::from_search(
        filters.q,
        filters.tags,
        filters.skill,
        filters.source,
        filters.sort,
        None,
    )?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let write_error = |_| AppError::Internal;
    out.write_record([
        "Full name",
        "Email",
        "Phone",
        "Location",
        "Headline",
        "Source",
        "Tags",
        "Skills",
        "Created",
    ])
    .map_err(write_error)?;
    let mut count = 0usize;
    loop {
        let page = data::list(&pool, user.org_id, &query, BATCH).await?;
        let ids: Vec<uuid::Uuid> = page.iter().map(|c| c.id).collect();
        let details = details(&pool, user.org_id, &ids).await?;
        for c in &page {
            let (phone, headline, skills) = details.get(&c.id).cloned().unwrap_or_default();
            let cells = [
                c.full_name.clone(),
                c.email.clone(),
                phone,
                c.location.clone(),
                headline,
                c.source.label().to_string(),
                c.tags.join(", "),
                skills.join(", "),
                c.created_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            ];
            out.write_record(cells.iter().map(|v| super::import::spreadsheet_safe(v)))
                .map_err(write_error)?;
        }
        count += page.len();
        match page.last() {
            Some(last) if page.len() as i64 == BATCH => {
                query.after = Some(data::cursor(query.sort, last));
            }
            _ => break,
        }
    }
    let bytes = out.into_inner().map_err(|_| AppError::Internal)?;
    record(
        &pool,
        NewAuditEntry::by(&user, "candidate.export")
            .details(serde_json::json!({ "candidates": count })),
    )
    .await?;
    let filename = format!("candidates-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
    Ok((filename, bytes))
}

/// Phone, headline and skill names of these candidates of the organization.
#[cfg(feature = "ssr")]
async fn details(
    pool: &sqlx::PgPool,
    org_id: uuid::Uuid,
    ids: &[uuid::Uuid],
) -> Result<std::collections::HashMap<uuid::Uuid, (String, String, Vec<String>)>, sqlx::Error> {
    let rows: Vec<(uuid::Uuid, String, String, Vec<String>)> = sqlx::query_as(
        "SELECT c.id, c.phone, c.headline,
                coalesce(array_agg(s.name ORDER BY lower(s.name)) FILTER (WHERE s.id IS NOT NULL), '{}')
         FROM candidates c
         LEFT JOIN candidate_skills cs ON cs.candidate_id = c.id
         LEFT JOIN skills s ON s.id = cs.skill_id
         WHERE c.org_id = $1 AND c.id = ANY($2)
         GROUP BY c.id",
    )
    .bind(org_id)
    .bind(ids)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, phone, headline, skills)| (id, (phone, headline, skills)))
        .collect())
}
