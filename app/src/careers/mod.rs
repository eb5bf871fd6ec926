//! The organization's careers page (`/careers/<org-slug>`): the open requisitions a
//! recruiter posted, each with its application form. Applying creates or finds the
//! candidate by email (one record per address: nothing of an existing record is
//! overwritten), adds the application in the first stage ("Applied") with the résumé as
//! a document, emails a confirmation and, when the requisition says so, invites the
//! candidate to its assessment. Public by nature: nothing here needs a session, and
//! nothing shows what is not posted.

mod api;
pub mod pages;
pub mod settings;

#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod route;
#[cfg(feature = "ssr")]
pub mod service;

pub use api::*;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::email::EmailAddress;
use crate::error::AppError;
use crate::input::bounded;
use crate::requisitions::EmploymentType;

/// Applications one client address may send per hour, refused attempts included.
pub const PER_CLIENT_PER_HOUR: i64 = 10;
/// Applications one email address may send to an organization per hour: the address
/// gets a confirmation for each, and whoever types it adds a document to its record.
pub const PER_EMAIL_PER_HOUR: i64 = 5;
/// The longest cover letter accepted, in characters.
pub const MAX_COVER_LETTER: usize = 10_000;
/// The form field no person fills (it is hidden from people, not from robots).
pub const HONEYPOT: &str = "website";

/// The careers page's URL for an organization.
pub fn board_path(slug: &str) -> String {
    format!("/careers/{slug}")
}

/// A job's page (with its form).
pub fn job_path(slug: &str, id: Uuid) -> String {
    format!("/careers/{slug}/jobs/{id}")
}

/// Where a job's form posts.
pub fn apply_path(slug: &str, id: Uuid) -> String {
    format!("/careers/{slug}/jobs/{id}/apply")
}

/// The name a failed application's message is signed under (as a server function's
/// path is for other forms).
pub const APPLY_ERRORS: &str = "/careers/apply";

/// A posted job as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PostedJob {
    pub id: Uuid,
    pub title: String,
    pub department: String,
    pub location: String,
    pub employment_type: EmploymentType,
    pub posted_at: Option<DateTime<Utc>>,
}

/// The careers page: the organization's posted jobs, filtered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobBoard {
    pub org_name: String,
    pub slug: String,
    pub jobs: Vec<PostedJob>,
    /// Every department and location of the posted jobs, for the filters.
    pub departments: Vec<String>,
    pub locations: Vec<String>,
}

/// One posted job with its description and what applying consents to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobPosting {
    pub org_name: String,
    pub slug: String,
    pub job: PostedJob,
    /// The job description, Markdown rendered to safe HTML.
    pub description_html: String,
    pub privacy_notice_html: String,
    pub retention_months: i32,
}

/// A link an applicant gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Linkedin,
    Github,
    Portfolio,
}

impl LinkKind {
    pub const ALL: [LinkKind; 3] = [Self::Linkedin, Self::Github, Self::Portfolio];

    /// The form field's name.
    pub fn field(self) -> &'static str {
        match self {
            Self::Linkedin => "linkedin",
            Self::Github => "github",
            Self::Portfolio => "portfolio",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Linkedin => "LinkedIn",
            Self::Github => "GitHub",
            Self::Portfolio => "Portfolio or website",
        }
    }
}

/// A link as stored with the submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GivenLink {
    pub kind: LinkKind,
    pub url: String,
}

/// The application form's fields as typed (the résumé travels apart).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormFields {
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub cover_letter: String,
    pub linkedin: String,
    pub github: String,
    pub portfolio: String,
    pub consent: bool,
    /// The hidden field: anything in it is a robot's.
    pub honeypot: String,
}

impl FormFields {
    /// Takes a text field by its name; other names are ignored.
    pub fn set(&mut self, name: &str, value: String) {
        match name {
            "full_name" => self.full_name = value,
            "email" => self.email = value,
            "phone" => self.phone = value,
            "cover_letter" => self.cover_letter = value,
            "linkedin" => self.linkedin = value,
            "github" => self.github = value,
            "portfolio" => self.portfolio = value,
            "consent" => self.consent = value == "yes",
            HONEYPOT => self.honeypot = value,
            _ => {}
        }
    }
}

/// An application checked: what is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub full_name: String,
    pub email: EmailAddress,
    pub phone: String,
    pub cover_letter: String,
    pub links: Vec<GivenLink>,
}

/// Why an application is refused before anything is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The honeypot was filled: answered as if accepted, stored nowhere.
    Robot,
    Invalid(AppError),
}

impl From<crate::input::TooLong> for Refusal {
    fn from(error: crate::input::TooLong) -> Self {
        Self::Invalid(error.into())
    }
}

impl From<AppError> for Refusal {
    fn from(error: AppError) -> Self {
        Self::Invalid(error)
    }
}

/// A link's URL: empty, or http(s) with a host, at most 500 characters.
fn link(kind: LinkKind, value: &str) -> Result<Option<GivenLink>, AppError> {
    let url = value.trim();
    if url.is_empty() {
        return Ok(None);
    }
    let url = bounded(kind.label(), url, 500)?;
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest)
            if rest
                .split('/')
                .next()
                .is_some_and(|host| host.contains('.'))
                && !url.chars().any(char::is_whitespace) =>
        {
            Ok(Some(GivenLink { kind, url }))
        }
        _ => Err(AppError::invalid(format!(
            "The {} link must be a web address starting with https:// (or http://).",
            kind.label()
        ))),
    }
}

/// Checks the form: name and email required, consent given, links web addresses.
pub fn check(form: &FormFields) -> Result<Application, Refusal> {
    if !form.honeypot.trim().is_empty() {
        return Err(Refusal::Robot);
    }
    let full_name = bounded("your name", form.full_name.trim(), 200)?;
    if full_name.is_empty() {
        return Err(AppError::invalid("Enter your name.").into());
    }
    if form.email.trim().is_empty() {
        return Err(AppError::invalid("Enter your email address.").into());
    }
    let email = EmailAddress::parse(form.email.trim())?;
    let phone = bounded("your phone number", form.phone.trim(), 50)?;
    let cover_letter = bounded(
        "the cover letter",
        form.cover_letter.trim(),
        MAX_COVER_LETTER,
    )?;
    let links = [
        (LinkKind::Linkedin, &form.linkedin),
        (LinkKind::Github, &form.github),
        (LinkKind::Portfolio, &form.portfolio),
    ]
    .into_iter()
    .map(|(kind, value)| link(kind, value))
    .collect::<Result<Vec<_>, _>>()?
    .into_iter()
    .flatten()
    .collect();
    if !form.consent {
        return Err(AppError::invalid(
            "To apply, agree to the privacy notice (the box above the button).",
        )
        .into());
    }
    Ok(Application {
        full_name,
        email,
        phone,
        cover_letter,
        links,
    })
}

/// A retention period in words: "24 months (2 years)", "18 months", "1 month".
pub fn retention_words(months: i32) -> String {
    let unit = if months == 1 { "month" } else { "months" };
    if months >= 12 && months % 12 == 0 {
        let years = months / 12;
        format!(
            "{months} {unit} ({years} year{})",
            if years == 1 { "" } else { "s" }
        )
    } else {
        format!("{months} {unit}")
    }
}

/// What the organization keeps and for how long, as the form and the confirmation say
/// it (`careers::data::past_retention` does it).
pub fn retention_sentence(org_name: &str, months: i32) -> String {
    format!(
        "If you are new to {org_name}, it deletes your record, application and résumé {} after the last activity on them, or sooner when you ask.",
        retention_words(months)
    )
}

/// The consent sentence beside the form's checkbox; it names the privacy notice only
/// when the organization wrote one.
pub fn consent_sentence(org_name: &str, months: i32, has_notice: bool) -> String {
    let notice = if has_notice {
        ", as its privacy notice says"
    } else {
        ""
    };
    format!(
        "I agree that {org_name} stores my application and résumé to consider me for this and other jobs{notice}. If I am new to {org_name}, it deletes them {} after the last activity on my record, or sooner when I ask.",
        retention_words(months)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> FormFields {
        FormFields {
            full_name: " Ada Lovelace ".into(),
            email: "ada@example.com".into(),
            consent: true,
            ..FormFields::default()
        }
    }

    #[test]
    fn a_complete_form_is_an_application() {
        let mut fields = form();
        fields.set("github", "https://github.com/ada".into());
        let application = check(&fields).unwrap();
        assert_eq!(application.full_name, "Ada Lovelace");
        assert_eq!(application.email.as_str(), "ada@example.com");
        assert_eq!(
            application.links,
            vec![GivenLink {
                kind: LinkKind::Github,
                url: "https://github.com/ada".into()
            }]
        );
    }

    #[test]
    fn the_honeypot_marks_a_robot() {
        let mut fields = form();
        fields.set(HONEYPOT, "http://spam.example".into());
        assert_eq!(check(&fields), Err(Refusal::Robot));
    }

    #[test]
    fn missing_consent_name_email_or_a_bad_link_is_refused_with_a_message() {
        let refused = |fields: FormFields| match check(&fields) {
            Err(Refusal::Invalid(error)) => error.to_string(),
            other => panic!("{other:?}"),
        };
        assert!(refused(FormFields {
            consent: false,
            ..form()
        })
        .contains("privacy notice"));
        assert!(refused(FormFields {
            full_name: " ".into(),
            ..form()
        })
        .contains("name"));
        assert!(refused(FormFields {
            email: "".into(),
            ..form()
        })
        .contains("email"));
        assert!(refused(FormFields {
            linkedin: "javascript:alert(1)".into(),
            ..form()
        })
        .contains("LinkedIn"));
        assert!(refused(FormFields {
            portfolio: "https://nohost".into(),
            ..form()
        })
        .contains("Portfolio"));
    }

    #[test]
    fn retention_reads_in_months_and_years() {
        assert_eq!(retention_words(24), "24 months (2 years)");
        assert_eq!(retention_words(12), "12 months (1 year)");
        assert_eq!(retention_words(18), "18 months");
        assert_eq!(retention_words(1), "1 month");
        assert!(consent_sentence("Initech", 6, false).contains("6 months after the last activity"));
        assert!(!consent_sentence("Initech", 6, false).contains("privacy notice"));
        assert!(consent_sentence("Initech", 6, true).contains("as its privacy notice says"));
    }
}
