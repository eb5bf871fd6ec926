//! Job requisitions (seed JobRequisition and its JobDescription): what the organization
//! is hiring for, who manages it, who works on it, the skills it needs, and its status.

pub(crate) mod api;
pub mod pages;
pub mod status;

#[cfg(feature = "ssr")]
pub mod data;

pub use api::*;
pub use status::RequisitionStatus;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::Role;
use crate::error::AppError;
use crate::input::{bounded, Cursor};
use crate::skills::SkillRef;

/// Stored as text under the CHECK constraint of `job_requisitions.employment_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentType {
    FullTime,
    PartTime,
    Contract,
    Temporary,
    Internship,
}

impl EmploymentType {
    pub const ALL: [EmploymentType; 5] = [
        EmploymentType::FullTime,
        EmploymentType::PartTime,
        EmploymentType::Contract,
        EmploymentType::Temporary,
        EmploymentType::Internship,
    ];

    /// The name forms send and the database stores.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FullTime => "full_time",
            Self::PartTime => "part_time",
            Self::Contract => "contract",
            Self::Temporary => "temporary",
            Self::Internship => "internship",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::FullTime => "Full-time",
            Self::PartTime => "Part-time",
            Self::Contract => "Contract",
            Self::Temporary => "Temporary",
            Self::Internship => "Internship",
        }
    }

    /// A type as a form sends it.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == value)
    }
}

/// The requisition with `id` when `user` may work on it (`access::can_work_on`), else
/// not found. Every domain that hangs off a requisition checks with this. Pass the
/// transaction when the caller holds one, so that the check needs no second connection.
#[cfg(feature = "ssr")]
pub async fn find_for(
    user: &crate::access::guard::AuthUser,
    executor: impl sqlx::PgExecutor<'_>,
    id: Uuid,
) -> Result<data::DetailRow, AppError> {
    data::find(executor, user.org_id, id)
        .await?
        .filter(|row| crate::access::can_work_on(user.role, user.id, row.hiring_manager_id))
        .ok_or(AppError::NotFound)
}

pub const PAGE_SIZE: i64 = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct RequisitionSummary {
    pub id: Uuid,
    pub title: String,
    pub department: String,
    pub location: String,
    pub status: RequisitionStatus,
    pub openings: i32,
    pub hiring_manager: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequisitionFilter {
    pub status: Option<RequisitionStatus>,
    pub department: Option<String>,
    pub hiring_manager: Option<Uuid>,
    /// Words in the title, department or location.
    pub text: Option<String>,
    /// Keyset cursor: the last row of the previous page.
    pub after: Option<Cursor>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequisitionList {
    pub items: Vec<RequisitionSummary>,
    pub next: Option<Cursor>,
    pub departments: Vec<String>,
    pub managers: Vec<Person>,
    pub can_create: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Person {
    pub id: Uuid,
    pub full_name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequisitionDetail {
    pub id: Uuid,
    pub title: String,
    pub department: String,
    pub location: String,
    pub employment_type: EmploymentType,
    pub openings: i32,
    pub salary_min: Option<i32>,
    pub salary_max: Option<i32>,
    pub salary_currency: Option<String>,
    pub hiring_manager: Option<Person>,
    pub status: RequisitionStatus,
    pub description_md: String,
    /// The description rendered by the server and sanitized.
    pub description_html: String,
    pub required_skills: Vec<SkillRef>,
    pub nice_skills: Vec<SkillRef>,
    pub team: Vec<Person>,
    pub created_at: DateTime<Utc>,
}

impl RequisitionDetail {
    pub fn salary_text(&self) -> Option<String> {
        let currency = self.salary_currency.clone().unwrap_or_default();
        match (self.salary_min, self.salary_max) {
            (Some(min), Some(max)) => Some(format!("{min}–{max} {currency}")),
            (Some(min), None) => Some(format!("from {min} {currency}")),
            (None, Some(max)) => Some(format!("up to {max} {currency}")),
            (None, None) => None,
        }
    }
}

/// What the create and edit forms offer to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormChoices {
    pub managers: Vec<Person>,
    pub team: Vec<Person>,
    pub skills: Vec<SkillRef>,
}

/// The requisition fields as a form sends them, before checking.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequisitionForm {
    pub title: String,
    pub department: String,
    pub location: String,
    pub employment_type: String,
    pub openings: String,
    pub salary_min: String,
    pub salary_max: String,
    pub salary_currency: String,
    pub hiring_manager_id: String,
    pub description_md: String,
    #[serde(default)]
    pub team: Vec<Uuid>,
    #[serde(default)]
    pub required_skills: Vec<Uuid>,
    #[serde(default)]
    pub nice_skills: Vec<Uuid>,
}

/// A checked requisition, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequisitionInput {
    pub title: String,
    pub department: String,
    pub location: String,
    pub employment_type: EmploymentType,
    pub openings: i32,
    pub salary_min: Option<i32>,
    pub salary_max: Option<i32>,
    pub salary_currency: Option<String>,
    pub hiring_manager_id: Option<Uuid>,
    pub description_md: String,
    pub team: Vec<Uuid>,
    pub required_skills: Vec<Uuid>,
    pub nice_skills: Vec<Uuid>,
}

fn money(value: &str, field: &str) -> Result<Option<i32>, AppError> {
    let cleaned: String = value
        .chars()
        .filter(|c| !matches!(c, ' ' | ',' | '_' | '\''))
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    cleaned
        .parse::<i32>()
        .ok()
        .filter(|amount| *amount >= 0)
        .map(Some)
        .ok_or_else(|| {
            AppError::invalid(format!("The {field} must be a whole amount, like 65000."))
        })
}

impl RequisitionInput {
    pub fn parse(form: RequisitionForm) -> Result<Self, AppError> {
        let title = bounded("the title", &form.title, 200)?;
        if title.is_empty() {
            return Err(AppError::invalid("Give the requisition a title."));
        }
        let employment_type = EmploymentType::parse(&form.employment_type)
            .ok_or_else(|| AppError::invalid("Choose an employment type."))?;
        let openings = form
            .openings
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|n| (1..=10_000).contains(n))
            .ok_or_else(|| AppError::invalid("Openings must be a number from 1 to 10000."))?;
        let salary_min = money(&form.salary_min, "minimum salary")?;
        let salary_max = money(&form.salary_max, "maximum salary")?;
        if let (Some(min), Some(max)) = (salary_min, salary_max) {
            if min > max {
                return Err(AppError::invalid(
                    "The minimum salary is above the maximum.",
                ));
            }
        }
        let currency = form.salary_currency.trim().to_ascii_uppercase();
        let salary_currency = match (salary_min.or(salary_max), currency.is_empty()) {
            (None, _) => None,
            (Some(_), true) => {
                return Err(AppError::invalid(
                    "Give the salary's currency, like EUR or USD.",
                ))
            }
            (Some(_), false)
                if currency.len() == 3 && currency.chars().all(|c| c.is_ascii_uppercase()) =>
            {
                Some(currency)
            }
            (Some(_), false) => {
                return Err(AppError::invalid(
                    "The currency is a three-letter code, like EUR or USD.",
                ))
            }
        };
        let hiring_manager_id = match form.hiring_manager_id.trim() {
            "" => None,
            id => Some(
                id.parse()
                    .map_err(|_| AppError::invalid("Choose a hiring manager from the list."))?,
            ),
        };
        let description_md = bounded("the job description", &form.description_md, 20_000)?;
        let nice_skills: Vec<Uuid> = form
            .nice_skills
            .into_iter()
            .filter(|skill| !form.required_skills.contains(skill))
            .collect();
        Ok(Self {
            title,
            department: bounded("the department", &form.department, 120)?,
            location: bounded("the location", &form.location, 120)?,
            employment_type,
            openings,
            salary_min,
            salary_max,
            salary_currency,
            hiring_manager_id,
            description_md,
            team: dedup(form.team),
            required_skills: dedup(form.required_skills),
            nice_skills: dedup(nice_skills),
        })
    }
}

fn dedup(mut ids: Vec<Uuid>) -> Vec<Uuid> {
    ids.sort();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> RequisitionForm {
        RequisitionForm {
            title: " Backend engineer ".into(),
            employment_type: "full_time".into(),
            openings: "2".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_minimal_form_parses_and_is_trimmed() {
        let input = RequisitionInput::parse(form()).unwrap();
        assert_eq!(input.title, "Backend engineer");
        assert_eq!(input.openings, 2);
        assert_eq!(input.salary_currency, None);
        assert_eq!(input.hiring_manager_id, None);
    }

    #[test]
    fn bad_fields_are_refused_with_a_message_that_names_them() {
        let cases: Vec<(RequisitionForm, &str)> = vec![
            (
                RequisitionForm {
                    title: "  ".into(),
                    ..form()
                },
                "title",
            ),
            (
                RequisitionForm {
                    openings: "0".into(),
                    ..form()
                },
                "Openings",
            ),
            (
                RequisitionForm {
                    openings: "two".into(),
                    ..form()
                },
                "Openings",
            ),
            (
                RequisitionForm {
                    employment_type: "gig".into(),
                    ..form()
                },
                "employment type",
            ),
            (
                RequisitionForm {
                    salary_min: "lots".into(),
                    ..form()
                },
                "minimum salary",
            ),
            (
                RequisitionForm {
                    salary_min: "90000".into(),
                    salary_max: "80000".into(),
                    salary_currency: "EUR".into(),
                    ..form()
                },
                "above the maximum",
            ),
            (
                RequisitionForm {
                    salary_min: "90000".into(),
                    ..form()
                },
                "currency",
            ),
            (
                RequisitionForm {
                    salary_min: "90000".into(),
                    salary_currency: "euro".into(),
                    ..form()
                },
                "three-letter",
            ),
            (
                RequisitionForm {
                    hiring_manager_id: "someone".into(),
                    ..form()
                },
                "hiring manager",
            ),
        ];
        for (bad, needle) in cases {
            let message = RequisitionInput::parse(bad.clone())
                .unwrap_err()
                .to_string();
            assert!(message.contains(needle), "{bad:?}: {message}");
        }
    }

    #[test]
    fn salaries_accept_separators_and_a_skill_is_required_or_nice_not_both() {
        let skill = Uuid::from_u128(7);
        let input = RequisitionInput::parse(RequisitionForm {
            salary_min: "65,000".into(),
            salary_max: "80 000".into(),
            salary_currency: "eur".into(),
            required_skills: vec![skill, skill],
            nice_skills: vec![skill],
            ..form()
        })
        .unwrap();
        assert_eq!(
            (input.salary_min, input.salary_max),
            (Some(65_000), Some(80_000))
        );
        assert_eq!(input.salary_currency.as_deref(), Some("EUR"));
        assert_eq!(input.required_skills, vec![skill]);
        assert!(input.nice_skills.is_empty());
    }
}
