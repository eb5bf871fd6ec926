//! A question set as a JSON file: the export (`GET /questions/sets/:id/export.json`) and
//! the import (an upload on the list page), all or nothing.
//!
//! The file: `{ "format": "are.question_set.v1", "title", "description", "difficulty",
//! "tags", "skills": [names], "questions": [{ "kind", <the kind's fields>, "prompt_md",
//! "points", "difficulty", "tags", "explanation_md", "guidance_md" }] }`. Skills travel by
//! name, since ids mean nothing in another organization.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::{MultipartData, MultipartFormData};
use uuid::Uuid;

use super::model::QuestionBody;
use crate::error::AppError;

pub const FORMAT: &str = "are.question_set.v1";
/// The largest file the import takes.
pub const MAX_IMPORT_BYTES: usize = 2 * 1024 * 1024;
/// The export's route, as axum spells it.
pub const EXPORT_ROUTE: &str = "/questions/sets/{id}/export.json";

pub fn export_href(set_id: Uuid) -> String {
    format!("/questions/sets/{set_id}/export.json")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetFile {
    pub format: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub difficulty: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub questions: Vec<QuestionFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionFile {
    /// `kind` and the kind's own fields.
    #[serde(flatten)]
    pub body: QuestionBody,
    pub prompt_md: String,
    pub points: i32,
    #[serde(default)]
    pub difficulty: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub explanation_md: String,
    #[serde(default)]
    pub guidance_md: String,
}

/// A checked import: the set (without skills) and its questions; the skill names are
/// matched to the organization's later.
#[cfg(feature = "ssr")]
#[derive(Debug)]
pub struct Checked {
    pub set: super::SetInput,
    pub skill_names: Vec<String>,
    pub questions: Vec<super::QuestionInput>,
}

/// Reads an uploaded file; the error names what is wrong, by question number when a
/// question is.
#[cfg(feature = "ssr")]
pub fn check_file(bytes: &[u8]) -> Result<Checked, AppError> {
    use super::{QuestionInput, SetForm, SetInput};

    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        AppError::invalid(format!(
            "The file is not valid JSON (line {}, column {}).",
            e.line(),
            e.column()
        ))
    })?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(AppError::invalid(format!(
            "This is not a question set export: its \"format\" must be \"{FORMAT}\"."
        )));
    }
    let mut set_part = value.clone();
    let questions = match set_part.as_object_mut().and_then(|o| o.remove("questions")) {
        None => Vec::new(),
        Some(serde_json::Value::Array(items)) => items,
        Some(_) => return Err(AppError::invalid("\"questions\" must be a list.")),
    };
    let file: SetFile = serde_json::from_value(set_part)
        .map_err(|e| AppError::invalid(format!("The question set is incomplete: {e}.")))?;
    let set = SetInput::parse(SetForm {
        title: file.title,
        description: file.description,
        difficulty: file.difficulty,
        tags: file.tags.join(","),
        skills: Vec::new(),
    })?;
    let questions = questions
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            let number = index + 1;
            let question: QuestionFile = serde_json::from_value(item)
                .map_err(|e| AppError::invalid(format!("Question {number}: {e}.")))?;
            let input = QuestionInput {
                prompt_md: question.prompt_md.trim().to_string(),
                body: question.body,
                points: question.points,
                difficulty: super::difficulty(&question.difficulty)?,
                tags: crate::candidates::parse_tags(&question.tags.join(","))?,
                explanation_md: question.explanation_md.trim().to_string(),
                guidance_md: question.guidance_md.trim().to_string(),
            };
            input
                .check()
                .map_err(|e| AppError::invalid(format!("Question {number}: {e}")))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(Checked {
        set,
        skill_names: file.skills,
        questions,
    })
}

/// Imports a question set file (the form field `file`) as a new set and opens it. Skills
/// not on the organization's list are skipped and named on the set's page.
#[server(prefix = "/api", endpoint = "questions/sets/import", input = MultipartFormData)]
pub async fn import_question_set(data: MultipartData) -> Result<(), AppError> {
    use super::{data, Owner};
    use crate::access::guard::require_role;
    use crate::audit::data::{record, NewAuditEntry};

    let user = require_role(crate::access::BANK_MANAGE_ROLES).await?;
    let interrupted = || AppError::invalid("The upload was interrupted. Try again.");
    let too_big =
        || AppError::invalid("The file is larger than 2 MB. Export fewer questions per set.");
    let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
    let mut file: Option<(String, Option<String>, Vec<u8>)> = None;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| interrupted())? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_lowercase();
        let content_type = field.content_type().map(|m| m.essence_str().to_string());
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| interrupted())? {
            if bytes.len() + chunk.len() > MAX_IMPORT_BYTES {
                return Err(too_big());
            }
            bytes.extend_from_slice(&chunk);
        }
        file = Some((name, content_type, bytes));
    }
    let (name, content_type, bytes) = file
        .filter(|(_, _, bytes)| !bytes.is_empty())
        .ok_or_else(|| AppError::invalid("Choose a question set file (.json) to import."))?;
    let is_json = name.ends_with(".json") || content_type.as_deref() == Some("application/json");
    if !is_json {
        return Err(AppError::invalid(
            "Choose a .json file exported from a question set.",
        ));
    }
    let checked = check_file(&bytes)?;

    let pool = crate::state::pool()?;
    let org_skills = crate::skills::data::list(&pool, user.org_id, true).await?;
    let mut skills = Vec::new();
    let mut skipped = Vec::new();
    for name in &checked.skill_names {
        match org_skills
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(name.trim()))
        {
            Some(skill) if !skills.contains(&skill.id) => skills.push(skill.id),
            Some(_) => {}
            None => skipped.push(name.trim().to_string()),
        }
    }
    let set = super::SetInput {
        skills,
        ..checked.set
    };
    let mut tx = pool.begin().await?;
    let id = data::insert_set(&mut tx, user.org_id, Some(user.id), &set).await?;
    for question in &checked.questions {
        data::insert_question(
            &mut tx,
            user.org_id,
            Some(user.id),
            Owner::Set(id),
            question,
        )
        .await?;
    }
    let entry = NewAuditEntry::by(&user, "question_set.imported")
        .target("question_set", id)
        .details(serde_json::json!({
            "title": set.title,
            "questions": checked.questions.len(),
            "skipped_skills": skipped,
        }));
    record(&mut *tx, entry).await?;
    tx.commit().await?;
    let notice = if skipped.is_empty() {
        String::new()
    } else {
        format!(
            "?skipped_skills={}",
            crate::ui::query::encode_query_value(&skipped.join(", "))
        )
    };
    leptos_axum::redirect(&format!("/questions/sets/{id}{notice}"));
    Ok(())
}

/// The file of one set of the signed-in user's organization: its name and JSON.
#[cfg(feature = "ssr")]
pub async fn export_set(set_id: Uuid) -> Result<(String, Vec<u8>), AppError> {
    use super::{data, Owner};
    use crate::access::guard::require_role;

    let user = require_role(crate::access::BANK_VIEW_ROLES).await?;
    let pool = crate::state::pool()?;
    let set = data::find_set(&pool, user.org_id, set_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let questions = data::questions_of(&pool, user.org_id, Owner::Set(set_id)).await?;
    let file = SetFile {
        format: FORMAT.to_string(),
        difficulty: set.difficulty.as_str().to_string(),
        skills: data::skills_of_set(&pool, set_id)
            .await?
            .into_iter()
            .map(|s| s.name)
            .collect(),
        questions: questions
            .into_iter()
            .map(|q| QuestionFile {
                difficulty: q.difficulty.as_str().to_string(),
                body: q.body.0,
                prompt_md: q.prompt_md,
                points: q.points,
                tags: q.tags,
                explanation_md: q.explanation_md,
                guidance_md: q.guidance_md,
            })
            .collect(),
        title: set.title,
        description: set.description,
        tags: set.tags,
    };
    let bytes = serde_json::to_vec_pretty(&file).map_err(|_| AppError::Internal)?;
    let slug: String = file
        .title
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("-");
    Ok((format!("question-set-{slug}.json"), bytes))
}

/// `GET /questions/sets/:id/export.json`: a plain route (a download), run in the same
/// Leptos context as server functions so the same guard applies.
#[cfg(feature = "ssr")]
pub async fn export_route(
    state: crate::state::AppState,
    req: axum::extract::Request,
) -> axum::response::Response {
    use crate::access::guard::require_role;

    let (parts, _body) = req.into_parts();
    let set_id = parts
        .uri
        .path()
        .strip_prefix("/questions/sets/")
        .and_then(|rest| rest.strip_suffix("/export.json"))
        .and_then(|id| id.parse::<Uuid>().ok());
    let produce = async move {
        match set_id {
            Some(id) => export_set(id).await,
            None => require_role(crate::access::BANK_VIEW_ROLES)
                .await
                .and(Err(AppError::NotFound)),
        }
    };
    crate::ui::download::download(state, parts, "application/json", produce).await
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn file(questions: serde_json::Value) -> Vec<u8> {
        serde_json::json!({
            "format": FORMAT,
            "title": "Basics",
            "difficulty": "hard",
            "tags": ["Backend"],
            "skills": ["Rust"],
            "questions": questions,
        })
        .to_string()
        .into_bytes()
    }

    #[test]
    fn a_good_file_is_read_with_every_question() {
        let checked = check_file(&file(serde_json::json!([
            { "kind": "true_false", "correct": true, "prompt_md": "Rust has a GC.", "points": 1 },
            { "kind": "numeric", "answer": 42.0, "tolerance": 0.5, "prompt_md": "6 × 7?", "points": 2,
              "difficulty": "easy", "tags": ["math"] }
        ])))
        .unwrap();
        assert_eq!(checked.set.title, "Basics");
        assert_eq!(checked.set.tags, vec!["backend"]);
        assert_eq!(checked.skill_names, vec!["Rust"]);
        assert_eq!(checked.questions.len(), 2);
        assert_eq!(
            checked.questions[1].body,
            QuestionBody::Numeric {
                answer: 42.0,
                tolerance: 0.5
            }
        );
    }

    #[test]
    fn the_first_bad_question_is_named_by_number() {
        let bad = |questions| check_file(&file(questions)).unwrap_err().to_string();
        let message = bad(serde_json::json!([
            { "kind": "short_text", "prompt_md": "Fine", "points": 1 },
            { "kind": "single_choice", "options": [{"id": 1, "text": "a", "correct": false},
                                                   {"id": 2, "text": "b", "correct": false}],
              "prompt_md": "Pick", "points": 1 },
            { "kind": "essay", "prompt_md": "Unknown kind", "points": 1 }
        ]));
        assert!(
            message.starts_with("Question 2: Mark exactly one"),
            "{message}"
        );
        let message = bad(serde_json::json!([{ "kind": "essay", "prompt_md": "x", "points": 1 }]));
        assert!(
            message.starts_with("Question 1: unknown variant"),
            "{message}"
        );
        let message =
            bad(serde_json::json!([{ "kind": "short_text", "prompt_md": "x", "points": 0 }]));
        assert!(message.starts_with("Question 1: Points"), "{message}");
    }

    #[test]
    fn files_that_are_not_exports_are_refused() {
        assert!(check_file(b"{ nope")
            .unwrap_err()
            .to_string()
            .contains("not valid JSON (line 1"));
        assert!(check_file(br#"{"title": "x"}"#)
            .unwrap_err()
            .to_string()
            .contains("format"));
        let untitled = format!(r#"{{"format": "{FORMAT}", "title": " "}}"#);
        assert!(check_file(untitled.as_bytes())
            .unwrap_err()
            .to_string()
            .contains("title"));
    }
}
