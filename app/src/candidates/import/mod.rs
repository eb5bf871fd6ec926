//! Candidate CSV import: which column holds which field (guessed from the header), each
//! row checked by the candidate form's own rules, duplicates within the file reported by
//! line, and what "merge" does to an existing candidate. Pure rules here; the file
//! parsing (`csvfile`), queries (`data`), the job (`job`) and the pages live beside it.

mod api;
pub mod page;

#[cfg(feature = "ssr")]
pub mod csvfile;
#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod job;

pub use api::*;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{combined_tags, fill_gap, CandidateForm, CandidateInput, Source};
use crate::error::AppError;

/// Rows shown on the preview.
pub const PREVIEW_ROWS: usize = 5;

/// The candidate fields a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    FullName,
    Email,
    Phone,
    Location,
    Headline,
    Source,
    Tags,
    Skills,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::FullName,
        Field::Email,
        Field::Phone,
        Field::Location,
        Field::Headline,
        Field::Source,
        Field::Tags,
        Field::Skills,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::FullName => "Name",
            Self::Email => "Email",
            Self::Phone => "Phone",
            Self::Location => "Location",
            Self::Headline => "Headline",
            Self::Source => "Source",
            Self::Tags => "Tags",
            Self::Skills => "Skills",
        }
    }

    /// The name of the field's select on the preview form.
    pub fn form_name(self) -> &'static str {
        match self {
            Self::FullName => "choice[full_name]",
            Self::Email => "choice[email]",
            Self::Phone => "choice[phone]",
            Self::Location => "choice[location]",
            Self::Headline => "choice[headline]",
            Self::Source => "choice[source]",
            Self::Tags => "choice[tags]",
            Self::Skills => "choice[skills]",
        }
    }

    /// Header names (lowercase, letters and digits only) that mean this field.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::FullName => &[
                "name",
                "fullname",
                "candidatename",
                "candidate",
                "fullnames",
            ],
            Self::Email => &["email", "emailaddress", "mail", "emails"],
            Self::Phone => &["phone", "phonenumber", "mobile", "telephone", "tel", "cell"],
            Self::Location => &["location", "city", "town", "place", "address"],
            Self::Headline => &["headline", "title", "jobtitle", "position", "role"],
            Self::Source => &["source", "origin", "channel"],
            Self::Tags => &["tags", "tag", "labels", "label"],
            Self::Skills => &["skills", "skill", "technologies", "competences"],
        }
    }
}

/// Which column (0-based) fills which field; a field without a column stays empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping(pub HashMap<Field, usize>);

impl Mapping {
    pub fn column(&self, field: Field) -> Option<usize> {
        self.0.get(&field).copied()
    }

    /// Name and email are required: every candidate has them.
    pub fn check(&self, columns: usize) -> Result<(), AppError> {
        if self.0.values().any(|c| *c >= columns) {
            return Err(AppError::invalid("Choose columns that are in the file."));
        }
        if self.column(Field::FullName).is_none() {
            return Err(AppError::invalid(
                "Choose the column with the candidates' names.",
            ));
        }
        if self.column(Field::Email).is_none() {
            return Err(AppError::invalid(
                "Choose the column with the candidates' email addresses.",
            ));
        }
        Ok(())
    }
}

fn normalized(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The mapping guessed from the header row: "Full name", "E-mail", "City", "Title"…
pub fn guess_mapping(header: &[String]) -> Mapping {
    let mut mapping = Mapping::default();
    for field in Field::ALL {
        let found = header.iter().enumerate().find(|(i, h)| {
            !mapping.0.values().any(|c| c == i) && field.aliases().contains(&normalized(h).as_str())
        });
        if let Some((i, _)) = found {
            mapping.0.insert(field, i);
        }
    }
    mapping
}

/// What happens to a row whose email belongs to an existing candidate. Stored as text
/// under the CHECK constraint of `candidate_imports.duplicates`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum Duplicates {
    /// Leave the existing candidate as it is.
    #[default]
    Skip,
    /// Fill the existing candidate's empty fields and add tags and skills.
    Merge,
}

impl Duplicates {
    /// The name the preview form sends and the database stores.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Skip => "skip",
            Self::Merge => "merge",
        }
    }

    /// A choice as the preview form sends it.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "skip" => Some(Self::Skip),
            "merge" => Some(Self::Merge),
            _ => None,
        }
    }
}

/// Where an import stands: waiting for the mapping, then queued, running, done or failed.
/// Stored as text under the CHECK constraint of `candidate_imports.status`; reading any
/// other value is a decode error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    Uploaded,
    Queued,
    Running,
    Done,
    Failed,
}

impl ImportStatus {
    pub const ALL: [Self; 5] = [
        Self::Uploaded,
        Self::Queued,
        Self::Running,
        Self::Done,
        Self::Failed,
    ];

    /// The name serde and the database give it.
    pub fn key(self) -> &'static str {
        match self {
            Self::Uploaded => "uploaded",
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }

    /// The status a [`Self::key`] names (the browser reads the progress this way).
    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.key() == key)
    }
}

/// One data row of the file: its line in the file (the header is line 1) and its cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

impl Row {
    pub fn cell(&self, mapping: &Mapping, field: Field) -> &str {
        mapping
            .column(field)
            .and_then(|c| self.cells.get(c))
            .map(|v| v.trim())
            .unwrap_or("")
    }
}

/// A row that cannot be imported, by its line in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: u64,
    pub message: String,
}

/// The organization's skills by lowercase name and alias.
#[derive(Debug, Clone, Default)]
pub struct SkillNames(pub HashMap<String, Uuid>);

impl SkillNames {
    pub fn new<'a>(skills: impl IntoIterator<Item = (Uuid, &'a str, &'a [String])>) -> Self {
        let mut names = HashMap::new();
        for (id, name, aliases) in skills {
            names.insert(name.trim().to_lowercase(), id);
            for alias in aliases {
                names.entry(alias.trim().to_lowercase()).or_insert(id);
            }
        }
        Self(names)
    }
}

/// A source as people write it: "Referral", "job board", "job_board"; empty is Other.
fn source_of(value: &str) -> Result<Source, String> {
    if value.is_empty() {
        return Ok(Source::Other);
    }
    let wanted = normalized(value);
    Source::ALL
        .into_iter()
        .find(|s| normalized(s.as_str()) == wanted || normalized(s.label()) == wanted)
        .ok_or_else(|| {
            format!("Unknown source “{value}”: use Applied, Referral, Job board, Sourced or Other.")
        })
}

/// Splits a list cell on commas or semicolons.
fn items(value: &str) -> impl Iterator<Item = &str> {
    value
        .split([',', ';'])
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// One row as the candidate form would receive it, checked by the form's own rules.
pub fn parse_row(
    row: &Row,
    mapping: &Mapping,
    skills: &SkillNames,
) -> Result<CandidateInput, String> {
    let cell = |field| row.cell(mapping, field).to_string();
    let source = source_of(&cell(Field::Source))?;
    let mut skill_ids = Vec::new();
    for name in items(&cell(Field::Skills)) {
        match skills.0.get(&name.to_lowercase()) {
            Some(id) => skill_ids.push(*id),
            None => {
                return Err(format!(
                    "The skill “{name}” is not on the organization's skill list."
                ))
            }
        }
    }
    let tags = items(&cell(Field::Tags)).collect::<Vec<_>>().join(",");
    let form = CandidateForm {
        full_name: cell(Field::FullName),
        email: cell(Field::Email),
        phone: cell(Field::Phone),
        location: cell(Field::Location),
        headline: cell(Field::Headline),
        source: source.as_str().to_string(),
        tags,
        skills: skill_ids,
    };
    CandidateInput::parse(form).map_err(|e| e.to_string())
}

/// Every row checked: the candidates to import, or every bad row by line. Rows on
/// `skip_lines` are left out; a second row with an email already in the file is an error.
pub fn check_rows(
    rows: &[Row],
    mapping: &Mapping,
    skills: &SkillNames,
    skip_lines: &[u64],
) -> Result<Vec<(u64, CandidateInput)>, Vec<RowError>> {
    let mut good = Vec::new();
    let mut errors = Vec::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for row in rows.iter().filter(|r| !skip_lines.contains(&r.line)) {
        match parse_row(row, mapping, skills) {
            Ok(input) => {
                let email = input.email.as_str().to_lowercase();
                if let Some(first) = first_line.get(&email) {
                    errors.push(RowError {
                        line: row.line,
                        message: format!("Same email as line {first}."),
                    });
                } else {
                    first_line.insert(email, row.line);
                    good.push((row.line, input));
                }
            }
            Err(message) => errors.push(RowError {
                line: row.line,
                message,
            }),
        }
    }
    if errors.is_empty() {
        Ok(good)
    } else {
        Err(errors)
    }
}

/// The fields of an existing candidate that a merge may fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    pub phone: String,
    pub location: String,
    pub headline: String,
    pub tags: Vec<String>,
}

/// A merge: empty fields filled from the row, the row's tags added (at most 20 in all);
/// nothing the candidate already has is overwritten. Skills are added by the caller.
pub fn merged(existing: &Existing, input: &CandidateInput) -> Existing {
    Existing {
        phone: fill_gap(&existing.phone, &input.phone),
        location: fill_gap(&existing.location, &input.location),
        headline: fill_gap(&existing.headline, &input.headline),
        tags: combined_tags(&existing.tags, &input.tags),
    }
}

/// A cell safe to open in a spreadsheet: text starting with = + - @ (or a tab or carriage
/// return) would run as a formula, so it gets a leading single quote — and so does every
/// part after a `;`, `,`, tab or line break (with the spaces before it), which a
/// spreadsheet splitting on that character would read as a cell of its own.
pub fn spreadsheet_safe(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 1);
    let mut at_start = true;
    for c in value.chars() {
        if at_start && matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r') {
            out.push('\'');
        }
        out.push(c);
        at_start = matches!(c, ';' | ',' | '\t' | '\r' | '\n') || (at_start && c == ' ');
    }
    out
}

/// An import as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: Uuid,
    pub filename: String,
    pub header: Vec<String>,
    pub mapping: Mapping,
    pub duplicates: Duplicates,
    pub status: ImportStatus,
    pub total_rows: i32,
    pub processed_rows: i32,
    pub created: i32,
    pub merged: i32,
    pub skipped: i32,
    pub skipped_lines: usize,
    pub errors: Vec<RowError>,
    pub error: Option<String>,
    /// The first rows as they will be imported, one value per `Field::ALL`.
    pub preview: Vec<Vec<String>>,
}

/// How far an import is, for the progress bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProgress {
    pub status: ImportStatus,
    pub total_rows: i32,
    pub processed_rows: i32,
}

/// The preview form as sent: a column index (or empty) per field, and the duplicate policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportChoice {
    pub id: Uuid,
    #[serde(default)]
    pub duplicates: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub headline: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub skills: String,
}

impl ImportChoice {
    pub fn mapping(&self) -> Result<Mapping, AppError> {
        let mut mapping = Mapping::default();
        for (field, value) in [
            (Field::FullName, &self.full_name),
            (Field::Email, &self.email),
            (Field::Phone, &self.phone),
            (Field::Location, &self.location),
            (Field::Headline, &self.headline),
            (Field::Source, &self.source),
            (Field::Tags, &self.tags),
            (Field::Skills, &self.skills),
        ] {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let column: usize = value
                .parse()
                .map_err(|_| AppError::invalid("Choose a column for each field, or none."))?;
            if mapping.0.values().any(|c| *c == column) {
                return Err(AppError::invalid("Use each column for one field only."));
            }
            mapping.0.insert(field, column);
        }
        Ok(mapping)
    }

    pub fn duplicates(&self) -> Result<Duplicates, AppError> {
        Duplicates::parse(&self.duplicates).ok_or_else(|| {
            AppError::invalid("Choose what happens to candidates who are already in ARE.")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_key_is_serdes_name() {
        for status in ImportStatus::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.key()));
            assert_eq!(ImportStatus::parse(status.key()), Some(status));
        }
        assert_eq!(ImportStatus::parse("other"), None);
    }

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn row(line: u64, cells: &[&str]) -> Row {
        Row {
            line,
            cells: cells.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn mapping() -> Mapping {
        guess_mapping(&header(&["Name", "Email", "Source", "Skills", "Tags"]))
    }

    #[test]
    fn columns_are_guessed_from_common_header_names() {
        let m = guess_mapping(&header(&[
            "Full Name",
            "E-mail",
            "Mobile",
            "City",
            "Job title",
            "Source",
            "Tags",
            "Skills",
            "Notes",
        ]));
        for (i, field) in Field::ALL.into_iter().enumerate() {
            assert_eq!(m.column(field), Some(i), "{field:?}");
        }
        let partial = guess_mapping(&header(&["email", "whatever", "NAME"]));
        assert_eq!(partial.column(Field::Email), Some(0));
        assert_eq!(partial.column(Field::FullName), Some(2));
        assert_eq!(partial.column(Field::Phone), None);
        assert!(partial.check(3).is_ok());
        assert!(guess_mapping(&header(&["email"]))
            .check(1)
            .unwrap_err()
            .to_string()
            .contains("names"));
    }

    #[test]
    fn rows_obey_the_form_rules_and_name_the_problem() {
        let skills = SkillNames::new([(Uuid::nil(), "Rust", &["rustlang".to_string()][..])]);
        let ok = parse_row(
            &row(
                2,
                &[
                    "Ada",
                    "ada@example.com",
                    "job board",
                    "rustlang; RUST",
                    "a, b;c",
                ],
            ),
            &mapping(),
            &skills,
        )
        .unwrap();
        assert_eq!(ok.source, Source::JobBoard);
        assert_eq!(ok.skills, vec![Uuid::nil()]);
        assert_eq!(ok.tags, vec!["a", "b", "c"]);
        let empty_source = parse_row(&row(3, &["Ada", "ada@example.com"]), &mapping(), &skills);
        assert_eq!(empty_source.unwrap().source, Source::Other);
        for (cells, needle) in [
            (vec!["", "x@example.com"], "name"),
            (vec!["Ada", "not-an-email"], "valid email"),
            (
                vec!["Ada", "a@example.com", "magic"],
                "Unknown source “magic”",
            ),
            (
                vec!["Ada", "a@example.com", "", "Cobol"],
                "“Cobol” is not on",
            ),
        ] {
            let message = parse_row(&row(4, &cells), &mapping(), &skills).unwrap_err();
            assert!(message.contains(needle), "{message}");
        }
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_and_in_file_duplicates_too() {
        let rows = vec![
            row(2, &["Ada", "ada@example.com"]),
            row(3, &["", "nobody@example.com"]),
            row(4, &["Grace", "grace@example.com"]),
            row(5, &["Ada Again", "ADA@example.com"]),
            row(6, &["Bad", "bad"]),
        ];
        let errors = check_rows(&rows, &mapping(), &SkillNames::default(), &[]).unwrap_err();
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 5, 6]);
        assert_eq!(errors[1].message, "Same email as line 2.");
        let good = check_rows(&rows, &mapping(), &SkillNames::default(), &[3, 5, 6]).unwrap();
        assert_eq!(good.iter().map(|g| g.0).collect::<Vec<_>>(), vec![2, 4]);
    }

    #[test]
    fn a_merge_fills_empty_fields_and_adds_tags_without_overwriting() {
        let input = parse_row(
            &row(2, &["Ada", "ada@example.com", "", "", "new, old"]),
            &mapping(),
            &SkillNames::default(),
        )
        .unwrap();
        let input = CandidateInput {
            phone: "+1 555".into(),
            location: "Paris".into(),
            ..input
        };
        let existing = Existing {
            phone: String::new(),
            location: "London".into(),
            headline: String::new(),
            tags: vec!["old".into()],
        };
        let m = merged(&existing, &input);
        assert_eq!(m.phone, "+1 555");
        assert_eq!(m.location, "London");
        assert_eq!(m.headline, "");
        assert_eq!(m.tags, vec!["old", "new"]);
    }

    #[test]
    fn formulas_are_defused_for_spreadsheets() {
        assert_eq!(spreadsheet_safe("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(spreadsheet_safe("+33 1 23"), "'+33 1 23");
        assert_eq!(spreadsheet_safe("-x"), "'-x");
        assert_eq!(spreadsheet_safe("@cmd"), "'@cmd");
        assert_eq!(spreadsheet_safe("Ada"), "Ada");
        assert_eq!(spreadsheet_safe(""), "");
        // A spreadsheet splitting on ; , or a tab would start a cell there.
        assert_eq!(spreadsheet_safe("Ada;=cmd()"), "Ada;'=cmd()");
        assert_eq!(spreadsheet_safe("Ada, +1"), "Ada, '+1");
        assert_eq!(spreadsheet_safe("Ada\t@x"), "Ada\t'@x");
        assert_eq!(spreadsheet_safe("a\n-1"), "a\n'-1");
        assert_eq!(spreadsheet_safe("Jean-Luc; Ada"), "Jean-Luc; Ada");
    }

    #[test]
    fn the_preview_choice_becomes_a_mapping() {
        let choice = ImportChoice {
            full_name: "1".into(),
            email: "0".into(),
            duplicates: "merge".into(),
            ..Default::default()
        };
        let m = choice.mapping().unwrap();
        assert_eq!(m.column(Field::FullName), Some(1));
        assert_eq!(choice.duplicates().unwrap(), Duplicates::Merge);
        let twice = ImportChoice {
            full_name: "0".into(),
            email: "0".into(),
            ..Default::default()
        };
        assert!(twice.mapping().is_err());
    }
}
