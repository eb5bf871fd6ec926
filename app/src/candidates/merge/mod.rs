//! Merging a duplicate candidate record into the one that stays. The record that stays
//! keeps every value it has; its empty fields take the duplicate's values; tags and
//! skills are combined; the duplicate's applications move over, except where both
//! applied to the same requisition: there the staying application is kept and the
//! duplicate's notes and interviews join it. The duplicate is retired, not deleted.

mod api;
pub mod page;

#[cfg(feature = "ssr")]
pub mod data;

pub use api::*;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{combined_tags, fill_gap, Source};

/// The fields that merge, of one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeFields {
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub location: String,
    pub headline: String,
    pub source: Source,
    pub tags: Vec<String>,
}

/// One side of a merge as the confirmation page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeSide {
    pub id: Uuid,
    pub fields: MergeFields,
    pub skills: Vec<String>,
    /// Titles of the requisitions the candidate applied to.
    pub requisitions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergePreview {
    pub kept: MergeSide,
    pub duplicate: MergeSide,
    pub result: MergeFields,
    /// Requisitions both applied to: the kept record's application stays there.
    pub shared_requisitions: Vec<String>,
}

/// Records that may be the same person as this one (same name or phone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PossibleDuplicate {
    pub id: Uuid,
    pub full_name: String,
    pub email: String,
    pub why: String,
}

/// The merge page: either a preview of merging `other` in, or what to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeChoice {
    pub candidate_id: Uuid,
    pub candidate_name: String,
    pub suggestions: Vec<PossibleDuplicate>,
    pub preview: Option<MergePreview>,
    /// Why no preview could be made of the record asked for.
    pub problem: Option<String>,
}

/// The record after the merge: the kept values, with its gaps filled from the duplicate.
pub fn merged(kept: &MergeFields, duplicate: &MergeFields) -> MergeFields {
    MergeFields {
        full_name: fill_gap(&kept.full_name, &duplicate.full_name),
        email: kept.email.clone(),
        phone: fill_gap(&kept.phone, &duplicate.phone),
        location: fill_gap(&kept.location, &duplicate.location),
        headline: fill_gap(&kept.headline, &duplicate.headline),
        source: kept.source,
        tags: combined_tags(&kept.tags, &duplicate.tags),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(name: &str, phone: &str, tags: &[&str]) -> MergeFields {
        MergeFields {
            full_name: name.into(),
            email: format!("{}@example.com", name.to_lowercase().replace(' ', ".")),
            phone: phone.into(),
            location: String::new(),
            headline: "Engineer".into(),
            source: Source::Applied,
            tags: tags.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn the_kept_record_wins_and_its_gaps_are_filled() {
        let kept = fields("Ada Lovelace", "", &["senior"]);
        let mut duplicate = fields("Ada King", "+44 20 7946 0000", &["Senior", "remote"]);
        duplicate.location = "London".into();
        duplicate.headline = "Mathematician".into();
        let result = merged(&kept, &duplicate);
        assert_eq!(result.full_name, "Ada Lovelace");
        assert_eq!(result.email, "ada.lovelace@example.com");
        assert_eq!(result.phone, "+44 20 7946 0000");
        assert_eq!(result.location, "London");
        assert_eq!(result.headline, "Engineer");
        assert_eq!(result.tags, vec!["senior", "remote"]);
    }
}
