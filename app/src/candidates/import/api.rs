//! Server functions of candidate imports (admins and recruiters).

use leptos::prelude::*;
use server_fn::codec::{MultipartData, MultipartFormData};
use uuid::Uuid;

use super::{ImportChoice, ImportProgress, ImportView};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::{
        check_rows, csvfile, data, Field, ImportStatus, Mapping, Row, SkillNames, PREVIEW_ROWS,
    },
    crate::access::guard::{require_role, AuthUser},
};

/// Uploads a CSV file (the form field `file`) and opens its preview.
#[server(prefix = "/api", endpoint = "candidates/import/upload", input = MultipartFormData)]
pub async fn upload_candidate_import(data: MultipartData) -> Result<(), AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::invalid("The upload was interrupted. Try again."))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("candidates.csv").to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|_| AppError::invalid("The upload was interrupted. Try again."))?
        {
            if bytes.len() + chunk.len() > csvfile::MAX_BYTES {
                return Err(csvfile::too_big());
            }
            bytes.extend_from_slice(&chunk);
        }
        file = Some((name, bytes));
    }
    let (filename, bytes) = file
        .filter(|(_, bytes)| !bytes.is_empty())
        .ok_or_else(|| AppError::invalid("Choose a CSV file to upload."))?;
    let content = csvfile::text_of(bytes)?;
    let parsed = csvfile::parse(&content)?;
    let mapping = super::guess_mapping(&parsed.header);
    let filename: String = filename.chars().take(200).collect();
    let id = data::insert(
        &crate::state::pool()?,
        data::NewImport {
            org_id: user.org_id,
            created_by: user.id,
            filename: &filename,
            content: &content,
            header: &parsed.header,
            mapping: &mapping,
            total_rows: parsed.rows.len() as i32,
        },
    )
    .await?;
    leptos_axum::redirect(&format!("/candidates/import/{id}"));
    Ok(())
}

#[cfg(feature = "ssr")]
async fn find(user: &AuthUser, id: Uuid) -> Result<data::ImportRow, AppError> {
    data::find(&crate::state::pool()?, user.org_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

#[cfg(feature = "ssr")]
fn preview(rows: &[Row], mapping: &Mapping) -> Vec<Vec<String>> {
    rows.iter()
        .take(PREVIEW_ROWS)
        .map(|row| {
            Field::ALL
                .iter()
                .map(|f| row.cell(mapping, *f).to_string())
                .collect()
        })
        .collect()
}

#[server(prefix = "/api", endpoint = "candidates/import/get")]
pub async fn load_candidate_import(id: Uuid) -> Result<ImportView, AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let import = find(&user, id).await?;
    let rows = if import.status == ImportStatus::Uploaded {
        let file = csvfile::parse(&import.content)?;
        preview(&file.rows, &import.mapping.0)
    } else {
        Vec::new()
    };
    Ok(import.view(rows))
}

#[server(prefix = "/api", endpoint = "candidates/import/status")]
pub async fn candidate_import_status(id: Uuid) -> Result<ImportProgress, AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let (status, total_rows, processed_rows) =
        data::progress_of(&crate::state::pool()?, user.org_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
    Ok(ImportProgress {
        status,
        total_rows,
        processed_rows,
    })
}

/// Saves the mapping and the duplicate choice and checks every row: with no bad row the
/// import starts; otherwise every bad row is listed on the page and nothing is imported.
#[server(prefix = "/api", endpoint = "candidates/import/check")]
pub async fn check_candidate_import(choice: ImportChoice) -> Result<(), AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let import = find(&user, choice.id).await?;
    let mapping = choice.mapping()?;
    let duplicates = choice.duplicates()?;
    mapping.check(import.header.len())?;
    let file = csvfile::parse(&import.content)?;
    let pool = crate::state::pool()?;
    let skills = crate::skills::data::list(&pool, user.org_id, true).await?;
    let names = SkillNames::new(
        skills
            .iter()
            .map(|s| (s.id, s.name.as_str(), s.aliases.as_slice())),
    );
    let errors = check_rows(&file.rows, &mapping, &names, &[])
        .err()
        .unwrap_or_default();
    let mut tx = pool.begin().await?;
    if !data::save_check(
        &mut tx,
        user.org_id,
        import.id,
        &mapping,
        duplicates,
        &errors,
    )
    .await?
    {
        return Err(AppError::invalid("This file is already being imported."));
    }
    if errors.is_empty() {
        data::queue(&mut tx, user.org_id, import.id, &[]).await?;
    }
    tx.commit().await?;
    leptos_axum::redirect(&format!("/candidates/import/{}", import.id));
    Ok(())
}

/// Imports the rows that passed the last check and leaves out the bad lines.
#[server(prefix = "/api", endpoint = "candidates/import/skip_bad")]
pub async fn import_skipping_bad_rows(id: Uuid) -> Result<(), AppError> {
    let user = require_role(crate::access::CANDIDATE_ROLES).await?;
    let import = find(&user, id).await?;
    if import.status != ImportStatus::Uploaded {
        return Err(AppError::invalid("This file is already being imported."));
    }
    if import.errors.0.is_empty() {
        return Err(AppError::invalid("Check the file first."));
    }
    let skip: Vec<i32> = import.errors.0.iter().map(|e| e.line as i32).collect();
    if skip.len() >= import.total_rows as usize {
        return Err(AppError::invalid(
            "Every row has an error: fix the file and upload it again.",
        ));
    }
    let mut tx = crate::state::pool()?.begin().await?;
    if !data::queue(&mut tx, user.org_id, id, &skip).await? {
        return Err(AppError::invalid("This file is already being imported."));
    }
    tx.commit().await?;
    leptos_axum::redirect(&format!("/candidates/import/{id}"));
    Ok(())
}
