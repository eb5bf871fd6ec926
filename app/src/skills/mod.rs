//! The organization's skill list (seed entity Skill): names with aliases, managed by
//! admins, picked on requisitions.

mod api;
pub mod page;

#[cfg(feature = "ssr")]
pub mod data;

pub use api::*;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;
use crate::input::bounded;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Skill {
    pub id: Uuid,
    pub name: String,
    pub aliases: Vec<String>,
    pub is_active: bool,
}

/// A skill as other records name it (a requisition's, a candidate's, a question set's) and
/// as pickers and filters offer it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct SkillRef {
    pub id: Uuid,
    pub name: String,
}

/// A skill's name and its aliases (comma-separated) as typed: trimmed, no duplicates,
/// no alias equal to the name.
pub fn parse_skill(name: &str, aliases: &str) -> Result<(String, Vec<String>), AppError> {
    let name = bounded("a skill", name, 80)?;
    if name.is_empty() {
        return Err(AppError::invalid("Enter the skill's name."));
    }
    let mut seen = vec![name.to_lowercase()];
    let mut list = Vec::new();
    for alias in aliases.split(',').map(str::trim).filter(|a| !a.is_empty()) {
        let alias = bounded("an alias", alias, 80)?;
        if !seen.contains(&alias.to_lowercase()) {
            seen.push(alias.to_lowercase());
            list.push(alias);
        }
    }
    Ok((name, list))
}

#[cfg(test)]
mod tests {
    use super::parse_skill;

    #[test]
    fn aliases_are_split_trimmed_and_deduplicated() {
        let (name, aliases) =
            parse_skill(" JavaScript ", "JS, js , ECMAScript,,javascript").unwrap();
        assert_eq!(name, "JavaScript");
        assert_eq!(aliases, vec!["JS", "ECMAScript"]);
        assert!(parse_skill("  ", "").is_err());
    }
}
