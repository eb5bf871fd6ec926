//! Candidates (seed entity Candidate): the people the organization considers, with
//! contact details, source, tags and skills; one record per email address.

mod api;
pub mod export;
pub mod import;
pub mod merge;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod data;

pub use api::*;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::email::EmailAddress;
use crate::error::AppError;
use crate::input::bounded;
use crate::skills::SkillRef;

pub const PAGE_SIZE: i64 = 50;

/// Who put an application or a document in: a staff member, or the candidate on the
/// careers page. Stored as text under the CHECK constraints of `applications.via` and
/// `documents.via`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    Staff,
    CareersPage,
}

/// Stored as text under the CHECK constraint of `candidates.source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Applied,
    Referral,
    JobBoard,
    Sourced,
    Other,
    /// The candidate applied on the organization's careers page.
    CareersPage,
}

impl Source {
    pub const ALL: [Source; 6] = [
        Source::Applied,
        Source::Referral,
        Source::JobBoard,
        Source::Sourced,
        Source::Other,
        Source::CareersPage,
    ];

    /// The name forms send and the database stores.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Referral => "referral",
            Self::JobBoard => "job_board",
            Self::Sourced => "sourced",
            Self::Other => "other",
            Self::CareersPage => "careers_page",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Applied => "Applied",
            Self::Referral => "Referral",
            Self::JobBoard => "Job board",
            Self::Sourced => "Sourced",
            Self::Other => "Other",
            Self::CareersPage => "Careers page",
        }
    }

    /// A source as a form, the list's filter or an imported file sends it.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Newest,
    Name,
}

impl Sort {
    pub fn parse(value: &str) -> Self {
        if value == "name" {
            Sort::Name
        } else {
            Sort::Newest
        }
    }
}

/// The candidate list's search: words match name or email; tags and skills can be
/// required (all of them) or excluded (any of them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateQuery {
    pub text: Option<String>,
    pub with_tags: Vec<String>,
    pub without_tags: Vec<String>,
    pub with_skill: Option<Uuid>,
    pub without_skill: Option<Uuid>,
    pub source: Option<Source>,
    pub sort: Sort,
    /// Keyset cursor: `created_at micros_id` or `lower(name)` and id, as the sort needs.
    pub after: Option<String>,
}

impl CandidateQuery {
    /// The search as the list page's URL carries it (`tags`: comma-separated, `-tag`
    /// excluding; `skill`: a skill id, `-id` for candidates without it).
    pub fn from_search(
        text: Option<String>,
        tags: Option<String>,
        skill: Option<String>,
        source: Option<String>,
        sort: Option<String>,
        after: Option<String>,
    ) -> Result<Self, AppError> {
        let (with_tags, without_tags) = split_tags(tags.as_deref().unwrap_or(""))?;
        let skill = skill.unwrap_or_default();
        let (with_skill, without_skill) = match skill.strip_prefix('-') {
            Some(id) => (None, id.parse().ok()),
            None => (skill.parse().ok(), None),
        };
        Ok(Self {
            text,
            with_tags,
            without_tags,
            with_skill,
            without_skill,
            source: source.as_deref().and_then(Source::parse),
            sort: Sort::parse(sort.as_deref().unwrap_or("")),
            after,
        })
    }
}

/// How many tags a candidate may carry.
pub const MAX_TAGS: usize = 20;

/// Joining what is known of one person from two sources (a duplicate record, an import
/// row): the kept value unless it is empty.
pub fn fill_gap(kept: &str, other: &str) -> String {
    if kept.trim().is_empty() {
        other.to_string()
    } else {
        kept.to_string()
    }
}

/// The kept tags, then the other's that are new to them, up to `MAX_TAGS`.
pub fn combined_tags(kept: &[String], other: &[String]) -> Vec<String> {
    let mut tags = kept.to_vec();
    for tag in other {
        if tags.len() < MAX_TAGS && !tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
            tags.push(tag.clone());
        }
    }
    tags
}

/// Tags as typed (comma-separated): trimmed, lowercase, no duplicates, at most 20.
pub fn parse_tags(input: &str) -> Result<Vec<String>, AppError> {
    let mut tags: Vec<String> = Vec::new();
    for tag in input
        .split(',')
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
    {
        let tag = bounded("each tag", &tag, 40)?;
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(AppError::invalid(format!("Use at most {MAX_TAGS} tags.")));
    }
    Ok(tags)
}

/// A tag filter as typed: `senior, -contractor` keeps candidates tagged senior and not
/// tagged contractor.
pub fn split_tags(input: &str) -> Result<(Vec<String>, Vec<String>), AppError> {
    let (without, with): (Vec<&str>, Vec<&str>) = input
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .partition(|t| t.starts_with('-'));
    let without: Vec<&str> = without.iter().map(|t| t.trim_start_matches('-')).collect();
    Ok((
        parse_tags(&with.join(","))?,
        parse_tags(&without.join(","))?,
    ))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CandidateSummary {
    pub id: Uuid,
    pub full_name: String,
    pub email: String,
    pub location: String,
    pub source: Source,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateList {
    pub items: Vec<CandidateSummary>,
    pub next: Option<String>,
    pub skills: Vec<SkillRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateProfile {
    pub id: Uuid,
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub location: String,
    pub headline: String,
    pub source: Source,
    pub tags: Vec<String>,
    pub skills: Vec<SkillRef>,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<String>,
    /// Every email sent about the candidate, newest first.
    pub emails: Vec<crate::email::history::EmailRecord>,
}

/// A candidate as a hiring manager sees them (`access::ProfileView::Limited`): the name
/// and the applications on the requisitions the viewer may work on; no contact details,
/// source, tags or emails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitedProfile {
    pub id: Uuid,
    pub full_name: String,
    pub applications: Vec<LimitedApplication>,
}

/// One application of a limited profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct LimitedApplication {
    pub application_id: Uuid,
    pub requisition_id: Uuid,
    pub requisition_title: String,
    pub stage: String,
    pub stage_entered_at: DateTime<Utc>,
}

/// The candidate form as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateForm {
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub location: String,
    pub headline: String,
    pub source: String,
    pub tags: String,
    #[serde(default)]
    pub skills: Vec<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateInput {
    pub full_name: String,
    pub email: EmailAddress,
    pub phone: String,
    pub location: String,
    pub headline: String,
    pub source: Source,
    pub tags: Vec<String>,
    pub skills: Vec<Uuid>,
}

impl CandidateInput {
    pub fn parse(form: CandidateForm) -> Result<Self, AppError> {
        let full_name = bounded("the name", &form.full_name, 200)?;
        if full_name.is_empty() {
            return Err(AppError::invalid("Enter the candidate's name."));
        }
        let phone = bounded("the phone number", &form.phone, 40)?;
        if phone
            .chars()
            .any(|c| !(c.is_ascii_digit() || " +-().".contains(c)))
        {
            return Err(AppError::invalid(
                "A phone number has digits, spaces and + - ( ) only.",
            ));
        }
        let mut skills = form.skills;
        skills.sort();
        skills.dedup();
        Ok(Self {
            full_name,
            email: EmailAddress::parse(&form.email)?,
            phone,
            location: bounded("the location", &form.location, 120)?,
            headline: bounded("the headline", &form.headline, 200)?,
            source: Source::parse(&form.source)
                .ok_or_else(|| AppError::invalid("Choose where the candidate came from."))?,
            tags: parse_tags(&form.tags)?,
            skills,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> CandidateForm {
        CandidateForm {
            full_name: " Grace Hopper ".into(),
            email: "grace@navy.example".into(),
            source: "referral".into(),
            tags: "Senior, cobol ,senior".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_form_parses_with_trimmed_name_and_normalised_tags() {
        let input = CandidateInput::parse(form()).unwrap();
        assert_eq!(input.full_name, "Grace Hopper");
        assert_eq!(input.tags, vec!["senior", "cobol"]);
        assert_eq!(input.source, Source::Referral);
    }

    #[test]
    fn a_tag_filter_splits_into_wanted_and_excluded() {
        let (with, without) = split_tags("Senior, -Contractor, rust,-").unwrap();
        assert_eq!(with, vec!["senior", "rust"]);
        assert_eq!(without, vec!["contractor"]);
    }

    #[test]
    fn bad_fields_are_named_in_the_message() {
        for (bad, needle) in [
            (
                CandidateForm {
                    full_name: " ".into(),
                    ..form()
                },
                "name",
            ),
            (
                CandidateForm {
                    email: "grace".into(),
                    ..form()
                },
                "valid email",
            ),
            (
                CandidateForm {
                    source: "magic".into(),
                    ..form()
                },
                "came from",
            ),
            (
                CandidateForm {
                    phone: "call me".into(),
                    ..form()
                },
                "phone",
            ),
        ] {
            let message = CandidateInput::parse(bad).unwrap_err().to_string();
            assert!(message.contains(needle), "{message}");
        }
        let many: Vec<String> = (0..25).map(|n| format!("tag{n}")).collect();
        assert!(parse_tags(&many.join(","))
            .unwrap_err()
            .to_string()
            .contains("at most 20"));
    }
}
