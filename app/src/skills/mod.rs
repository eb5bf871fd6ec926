//! The organization's skill list (seed entity Skill): names with aliases, managed by
//! admins, picked on requisitions.

mod api;
pub mod evidence;
pub mod matching;
pub mod page;

#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod scores;

pub use api::*;
pub use evidence::Evidence;

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

/// An application's skill score as its board card shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillBadge {
    pub percent: i16,
    pub required_found: i32,
    pub required_total: i32,
}

impl SkillBadge {
    pub fn text(&self) -> String {
        if self.required_total > 0 {
            format!(
                "Skills {}% · {} of {} required",
                self.percent, self.required_found, self.required_total
            )
        } else {
            format!("Skills {}%", self.percent)
        }
    }
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
    use super::{parse_skill, SkillBadge};

    #[test]
    fn a_badge_says_the_score_and_the_required_skills_found() {
        let badge = SkillBadge {
            percent: 70,
            required_found: 3,
            required_total: 4,
        };
        assert_eq!(badge.text(), "Skills 70% · 3 of 4 required");
        let nice_only = SkillBadge {
            required_total: 0,
            required_found: 0,
            ..badge
        };
        assert_eq!(nice_only.text(), "Skills 70%");
    }

    #[test]
    fn aliases_are_split_trimmed_and_deduplicated() {
        let (name, aliases) =
            parse_skill(" JavaScript ", "JS, js , ECMAScript,,javascript").unwrap();
        assert_eq!(name, "JavaScript");
        assert_eq!(aliases, vec!["JS", "ECMAScript"]);
        assert!(parse_skill("  ", "").is_err());
    }
}
