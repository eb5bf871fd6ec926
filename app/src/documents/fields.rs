//! Fields read from a résumé's extracted text (contact details, links, location, work
//! history, years of experience, education), each with the evidence it rests on.
//!
//! These are heuristics, not a parser of a format: résumés have none. Each value carries
//! where in the text it was found and the line around it, so a recruiter can check it
//! rather than trust it. Work history understands the common heading layouts:
//!
//! - "Senior Engineer, Acme Corp — Jan 2019 – Present" (title, employer, dates)
//! - "Acme Corp | Software Engineer | 2016 – 2019" (employer, title, dates)
//! - "Software Engineer at Acme Corp" over "2016-03 to 2019-08"
//! - "Acme Corp" over "Software Engineer" over "03/2016 - 08/2019"
//!
//! Which part is the title is told by job words ("Engineer", "Manager", …), then by the
//! layout. Nothing here panics on any input, and every offset is on a char boundary.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::{Captures, Regex};
use serde::{Deserialize, Serialize};

/// The longest an [`Evidence`] excerpt gets, in characters.
pub const EXCERPT_LEN: usize = 200;

/// How many lines from the top a bare "City, Country" is looked for in.
const HEADER_LINES: usize = 10;

/// Where a value was found: its byte range in the text and the line(s) around it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Byte offset of the value in the text (on a char boundary).
    pub offset: usize,
    /// Its length in bytes.
    pub len: usize,
    /// The line around it (lines joined by " / " when it spans several), at most
    /// [`EXCERPT_LEN`] characters.
    pub excerpt: String,
}

/// A value and the evidence it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Found<T> {
    /// What was read.
    pub value: T,
    /// Where it was read.
    pub evidence: Evidence,
}

/// What a link points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkKind {
    /// A LinkedIn profile (`linkedin.com/in/…`).
    LinkedIn,
    /// A GitHub profile or repository.
    GitHub,
    /// Any other web address: a portfolio, a blog, a project.
    Portfolio,
}

impl LinkKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::LinkedIn => "LinkedIn",
            Self::GitHub => "GitHub",
            Self::Portfolio => "Website",
        }
    }
}

/// A web address in a résumé.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// What it points at.
    pub kind: LinkKind,
    /// The address, with `https://` added when it was written without a scheme.
    pub url: String,
}

/// A month of a year; `month` is `None` when only the year was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct YearMonth {
    /// The year.
    pub year: i32,
    /// The month, 1–12, when written.
    pub month: Option<u8>,
}

impl YearMonth {
    /// The month this starts a job in, counted from year 0 (a year alone: its January).
    fn first_month(self) -> i32 {
        self.year * 12 + i32::from(self.month.unwrap_or(1)) - 1
    }
}

/// A job in the work history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// The employer, as written (empty when the layout gave none).
    pub employer: String,
    /// The job title, as written (empty when the layout gave none).
    pub title: String,
    /// When it started.
    pub start: YearMonth,
    /// When it ended; `None` for "Present" and the like.
    pub end: Option<YearMonth>,
}

impl std::fmt::Display for YearMonth {
    /// "03/2016", or "2016" when only the year was written.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.month {
            Some(month) => write!(f, "{month:02}/{}", self.year),
            None => write!(f, "{}", self.year),
        }
    }
}

impl Job {
    /// "Senior Engineer at Initech, 01/2019 – present".
    pub fn summary(&self) -> String {
        let role = match (self.title.is_empty(), self.employer.is_empty()) {
            (false, false) => format!("{} at {}", self.title, self.employer),
            (false, true) => self.title.clone(),
            (true, false) => self.employer.clone(),
            (true, true) => "A job".to_string(),
        };
        let end = self
            .end
            .map_or_else(|| "present".to_string(), |end| end.to_string());
        format!("{role}, {} – {end}", self.start)
    }
}

/// Everything read from a résumé.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Parsed {
    /// Email addresses, first occurrence of each.
    pub emails: Vec<Found<String>>,
    /// Phone numbers as written, first occurrence of each.
    pub phones: Vec<Found<String>>,
    /// LinkedIn, GitHub and other web addresses.
    pub links: Vec<Found<Link>>,
    /// Where the candidate lives, from a "Location:" line or a "City, Country" near the top.
    pub location: Option<Found<String>>,
    /// Jobs under the experience heading, in the order written.
    pub work: Vec<Found<Job>>,
    /// The jobs' time together, overlaps counted once, in years to one decimal.
    pub years_of_experience: Option<f32>,
    /// Lines under the education heading, and degree lines elsewhere.
    pub education: Vec<Found<String>>,
}

/// Reads the fields of a résumé's text; `today` ends the jobs that go on to the present.
pub fn parse(text: &str, today: NaiveDate) -> Parsed {
    let lines = lines(text);
    let sections = sections(&lines);
    let work = work_history(text, &lines, &sections, today);
    Parsed {
        emails: emails(text),
        phones: phones(text),
        links: links(text),
        location: location(text, &lines),
        years_of_experience: years_of_experience(&work, today),
        education: education(text, &lines, &sections),
        work,
    }
}

/// A line of the text and where it starts.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    offset: usize,
    text: &'a str,
}

impl Line<'_> {
    fn end(&self) -> usize {
        self.offset + self.text.len()
    }
}

/// The text's lines (without their `\n` or `\r\n`) with their offsets.
fn lines(text: &str) -> Vec<Line<'_>> {
    let mut offset = 0;
    text.split_inclusive('\n')
        .map(|raw| {
            let line = Line {
                offset,
                text: raw.trim_end_matches(['\n', '\r']),
            };
            offset += raw.len();
            line
        })
        .collect()
}

/// The largest char boundary at or before `index`.
fn floor_boundary(text: &str, mut index: usize) -> usize {
    index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// The evidence for `len` bytes at `offset`: the lines they touch, joined and trimmed, cut
/// to a window around the value when longer than [`EXCERPT_LEN`].
fn evidence(text: &str, offset: usize, len: usize) -> Evidence {
    let start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
    let end = text[offset + len..]
        .find('\n')
        .map_or(text.len(), |n| offset + len + n);
    let excerpt = |from: usize, to: usize| {
        let joined: Vec<&str> = text[from..to]
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        joined.join(" / ")
    };
    let whole = excerpt(start, end);
    let excerpt = if whole.chars().count() <= EXCERPT_LEN {
        whole
    } else {
        let from = floor_boundary(text, offset.saturating_sub(EXCERPT_LEN / 3).max(start));
        excerpt(from, end).chars().take(EXCERPT_LEN).collect()
    };
    Evidence {
        offset,
        len,
        excerpt,
    }
}

/// A value found at `offset`..`offset + len`.
fn found<T>(text: &str, value: T, offset: usize, len: usize) -> Found<T> {
    Found {
        value,
        evidence: evidence(text, offset, len),
    }
}

/// Compiles one of this module's fixed patterns.
fn pattern(source: &str) -> Regex {
    Regex::new(source).expect("a valid built-in pattern")
}

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}"));

/// Email addresses, each once (compared without case).
fn emails(text: &str) -> Vec<Found<String>> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for m in EMAIL.find_iter(text) {
        let address = m.as_str().trim_start_matches('.');
        let offset = m.end() - address.len();
        let key = address.to_lowercase();
        if !seen.contains(&key) {
            seen.push(key);
            out.push(found(text, address.to_owned(), offset, address.len()));
        }
    }
    out
}

static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?:\+\d{1,3}[ \u{a0}.-]?)?(?:\(\d{1,5}\)[ \u{a0}.-]?)?\d(?:[ \u{a0}.-]?\d){5,16}")
});

/// Phone numbers: 7 to 15 digits, alone (not inside a word, a link or an address), and not
/// a date or a range of years.
fn phones(text: &str) -> Vec<Found<String>> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for m in PHONE.find_iter(text) {
        let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        let glued = |c: Option<char>, marks: &str| {
            c.is_some_and(|c| c.is_alphanumeric() || marks.contains(c))
        };
        if !(7..=15).contains(&digits.len())
            || glued(before, "/@_.-+")
            || glued(after, "/@_")
            || looks_like_dates(m.as_str())
            || seen.contains(&digits)
        {
            continue;
        }
        seen.push(digits);
        out.push(found(text, m.as_str().to_owned(), m.start(), m.len()));
    }
    // A number written as people write phone numbers (a `+`, spaces, dots, dashes)
    // comes before a bare run of digits, which may be an id: the first is the one shown.
    out.sort_by_key(|phone| phone.value.chars().all(|c| c.is_ascii_digit()));
    out
}

/// Whether digits read as a date or years ("2016-2019", "2019-08-15", "15.08.2019",
/// "20190815"): a year-like group of four and nothing longer than two digits besides, or
/// eight digits that make a date.
fn looks_like_dates(candidate: &str) -> bool {
    let groups: Vec<&str> = candidate
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let is_year = |g: &&str| g.len() == 4 && (g.starts_with("19") || g.starts_with("20"));
    let is_compact_date = |g: &str| {
        g.len() == 8
            && is_year(&&g[..4])
            && matches!(g[4..6].parse(), Ok(1..=12))
            && matches!(g[6..].parse(), Ok(1..=31))
    };
    match groups.as_slice() {
        [single] if is_compact_date(single) => true,
        _ => groups.iter().any(is_year) && groups.iter().all(|g| is_year(g) || g.len() <= 2),
    }
}

static LINK: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r#"(?i)(?:https?://|www\.)[^\s<>()\[\]"'|,]+|(?:linkedin\.com|github\.com)/[^\s<>()\[\]"'|,]+"#,
    )
});

/// Web addresses: LinkedIn profiles, GitHub, and any other http(s) or www address.
fn links(text: &str) -> Vec<Found<Link>> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for m in LINK.find_iter(text) {
        let glued = text[..m.start()]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || "@._-/".contains(c));
        let written = m.as_str().trim_end_matches(['.', ',', ';', ':', '!', '?']);
        if glued || written.is_empty() {
            continue;
        }
        let link = classify(written);
        let key = link.url.to_lowercase().trim_end_matches('/').to_owned();
        if !seen.contains(&key) {
            seen.push(key);
            out.push(found(text, link, m.start(), written.len()));
        }
    }
    out
}

/// What a written address points at, with a scheme added when missing.
fn classify(written: &str) -> Link {
    let lower = written.to_lowercase();
    let bare = lower
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_start_matches("www.");
    let kind = if bare.starts_with("linkedin.com/in/") {
        LinkKind::LinkedIn
    } else if bare.starts_with("github.com/") {
        LinkKind::GitHub
    } else {
        LinkKind::Portfolio
    };
    let url = if lower.starts_with("http://") || lower.starts_with("https://") {
        written.to_owned()
    } else {
        format!("https://{written}")
    };
    Link { kind, url }
}

static LOCATION_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^\s*(?:location|address|based in|lives in|city)\s*[:\-–]\s*(\S.*?)\s*$")
});
static CITY_COUNTRY: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^\p{Lu}[\p{L}.'’ -]{0,30},\s*\p{Lu}[\p{L}.'’ -]{1,30}$"));
static SEGMENT_SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\s*(?:[|•·;]|\s[–—-]\s)\s*"));

/// Where the candidate lives: a "Location: …" line anywhere, else a "City, Country"
/// (or "City, ST") part of one of the first lines.
fn location(text: &str, lines: &[Line]) -> Option<Found<String>> {
    let labelled = lines.iter().find_map(|line| {
        let value = LOCATION_LABEL.captures(line.text)?.get(1)?;
        Some(found(
            text,
            value.as_str().to_owned(),
            line.offset + value.start(),
            value.len(),
        ))
    });
    labelled.or_else(|| {
        lines.iter().take(HEADER_LINES).find_map(|line| {
            let mut at = 0;
            let mut parts = Vec::new();
            for separator in SEGMENT_SEPARATOR.find_iter(line.text) {
                parts.push((at, &line.text[at..separator.start()]));
                at = separator.end();
            }
            parts.push((at, &line.text[at..]));
            parts.into_iter().find_map(|(start, part)| {
                let trimmed = part.trim();
                let offset = line.offset + start + (part.len() - part.trim_start().len());
                (CITY_COUNTRY.is_match(trimmed) && !TITLE_WORD.is_match(trimmed))
                    .then(|| found(text, trimmed.to_owned(), offset, trimmed.len()))
            })
        })
    })
}

/// Which part of the résumé a line is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Before any known heading, or under one that is not read here.
    Other,
    /// A heading line itself.
    Heading,
    /// Under "Experience", "Work history", "Employment" and the like.
    Experience,
    /// Under "Education" and the like.
    Education,
}

const EXPERIENCE_HEADINGS: &[&str] = &[
    "experience",
    "work experience",
    "professional experience",
    "relevant experience",
    "work history",
    "employment",
    "employment history",
    "career history",
    "career",
];
const EDUCATION_HEADINGS: &[&str] = &[
    "education",
    "education and training",
    "education & training",
    "academic background",
    "qualifications",
];
const OTHER_HEADINGS: &[&str] = &[
    "summary",
    "profile",
    "about",
    "about me",
    "objective",
    "skills",
    "technical skills",
    "key skills",
    "projects",
    "certifications",
    "certificates",
    "languages",
    "interests",
    "hobbies",
    "publications",
    "awards",
    "achievements",
    "references",
    "volunteering",
    "contact",
    "courses",
];

/// The section a heading line opens, if the line is a heading.
fn heading(line: &str) -> Option<Section> {
    let name = line.trim().trim_end_matches(':').trim();
    if name.is_empty() || name.len() > 40 {
        return None;
    }
    let name = name.to_lowercase();
    let is = |list: &[&str]| list.contains(&name.as_str());
    if is(EXPERIENCE_HEADINGS) {
        Some(Section::Experience)
    } else if is(EDUCATION_HEADINGS) {
        Some(Section::Education)
    } else if is(OTHER_HEADINGS) {
        Some(Section::Other)
    } else {
        None
    }
}

/// The section of each line.
fn sections(lines: &[Line]) -> Vec<Section> {
    let mut current = Section::Other;
    lines
        .iter()
        .map(|line| match heading(line.text) {
            Some(next) => {
                current = next;
                Section::Heading
            }
            None => current,
        })
        .collect()
}

const MONTH_NAMES: &str =
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

/// A date in one of the written forms, its groups prefixed by `p` ("s" start, "e" end):
/// "Jan 2019", "2019-01", "01/2019" or "2019".
fn date_pattern(p: &str) -> String {
    let year = r"(?:19|20)\d{2}";
    let month = r"0?[1-9]|1[0-2]";
    format!(
        r"(?:(?P<{p}_name>{MONTH_NAMES})\.?\s+(?P<{p}_y1>{year})|(?P<{p}_y2>{year})-(?P<{p}_m2>{month})\b|(?P<{p}_m3>{month})/(?P<{p}_y3>{year})|(?P<{p}_y4>{year}))"
    )
}

static DATE_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(
        r"(?i)\b{}\s*(?:-|–|—|to|until|till)\s*(?:{}|(?P<now>present|current|now|today|ongoing))\b",
        date_pattern("s"),
        date_pattern("e")
    ))
});

static TITLE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:engineer|developer|manager|lead|director|analyst|designer|consultant|architect|scientist|intern|specialist|administrator|officer|head|vp|president|coordinator|recruiter|programmer|tester|devops|sre|cto|ceo|cfo|coo|founder|co-founder|associate|assistant|technician|accountant|teacher|editor|writer|owner|researcher|executive|representative|advisor|partner|nurse|trainee)s?\b",
    )
});

/// The date in the captures under prefix `p`, if it is a real one.
fn captured_date(caps: &Captures, p: &str) -> Option<YearMonth> {
    let get = |name: &str| caps.name(&format!("{p}_{name}")).map(|m| m.as_str());
    let number = |s: &str| s.parse::<i32>().ok();
    let (year, month) = if let Some(name) = get("name") {
        (number(get("y1")?)?, month_number(name))
    } else if let Some(year) = get("y2") {
        (number(year)?, number(get("m2")?))
    } else if let Some(year) = get("y3") {
        (number(year)?, number(get("m3")?))
    } else {
        (number(get("y4")?)?, None)
    };
    let month = match month {
        Some(m @ 1..=12) => Some(m as u8),
        Some(_) => return None,
        None => None,
    };
    Some(YearMonth { year, month })
}

/// A month's number from its English name or abbreviation.
fn month_number(name: &str) -> Option<i32> {
    let prefix: String = name.chars().take(3).collect::<String>().to_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months
        .iter()
        .position(|m| *m == prefix)
        .map(|n| n as i32 + 1)
}

/// The jobs under the experience headings: each line with a date range, with the title
/// and employer from the rest of that line or from the one or two lines above it.
fn work_history(
    text: &str,
    lines: &[Line],
    sections: &[Section],
    today: NaiveDate,
) -> Vec<Found<Job>> {
    let mut jobs = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if sections[index] != Section::Experience {
            continue;
        }
        let Some(caps) = DATE_RANGE.captures(line.text) else {
            continue;
        };
        let Some(job) = job_at(lines, sections, index, &caps, today) else {
            continue;
        };
        let (first, job) = job;
        let offset = lines[first].offset;
        jobs.push(found(text, job, offset, line.end() - offset));
    }
    jobs
}

/// The job whose date range is `caps` on line `index`, and the line its heading starts on.
fn job_at(
    lines: &[Line],
    sections: &[Section],
    index: usize,
    caps: &Captures,
    today: NaiveDate,
) -> Option<(usize, Job)> {
    let range = caps.get(0)?;
    let start = captured_date(caps, "s")?;
    let end = if caps.name("now").is_some() {
        None
    } else {
        Some(captured_date(caps, "e")?)
    };
    let latest = today.year() + 1;
    if start.year > latest || end.is_some_and(|end| end.year > latest || end < start) {
        return None;
    }
    let line = lines[index].text;
    let rest = [&line[..range.start()], &line[range.end()..]].map(tidy_part);
    let (first, heading): (usize, Vec<&str>) = match rest {
        ["", ""] => heading_above(lines, sections, index),
        ["", right] => (index, vec![right]),
        [left, _] => (index, vec![left]),
    };
    let (title, employer) = title_and_employer(&heading);
    Some((
        first,
        Job {
            employer,
            title,
            start,
            end,
        },
    ))
}

/// A piece of a heading line without the punctuation around it.
fn tidy_part(part: &str) -> &str {
    part.trim_matches(|c: char| c.is_whitespace() || "|,–—-:;()[]•·".contains(c))
}

/// The one or two heading lines right above a line that holds only dates: short lines,
/// not bullets, sentences, headings or other jobs' dates.
fn heading_above<'a>(
    lines: &[Line<'a>],
    sections: &[Section],
    index: usize,
) -> (usize, Vec<&'a str>) {
    let mut found = Vec::new();
    let mut first = index;
    for above in (0..index).rev() {
        let text = lines[above].text.trim();
        let is_heading_line = sections[above] == Section::Experience
            && !text.is_empty()
            && text.chars().count() <= 80
            && !text.ends_with('.')
            && !text.starts_with(['•', '·', '-', '*', '–'])
            && !DATE_RANGE.is_match(text);
        if !is_heading_line || found.len() == 2 {
            break;
        }
        found.insert(0, text);
        first = above;
    }
    (first, found)
}

/// Title and employer from a job's heading: two lines, or one line split at " at ", "|",
/// the first ",", or a dash. The part with a job word ("Engineer", "Manager", …) is the
/// title; when both or neither have one, the layout decides (employer first for "|" and
/// for two lines, title first otherwise).
fn title_and_employer(heading: &[&str]) -> (String, String) {
    let (first, second, employer_first) = match heading {
        [] => ("", "", false),
        [one, other] => (*one, *other, true),
        [one, ..] => split_heading(one),
    };
    let (first, second) = (tidy_part(first), tidy_part(second));
    let (a_title, b_title) = (TITLE_WORD.is_match(first), TITLE_WORD.is_match(second));
    let first_is_title = if a_title != b_title {
        a_title
    } else {
        !employer_first
    };
    let (title, employer) = if first_is_title {
        (first, second)
    } else {
        (second, first)
    };
    (title.to_owned(), employer.to_owned())
}

/// One heading line split in two, and whether the layout puts the employer first.
fn split_heading(line: &str) -> (&str, &str, bool) {
    for (separator, employer_first) in [
        (" at ", false),
        (" @ ", false),
        (" | ", true),
        ("|", true),
        (", ", false),
        (" — ", false),
        (" – ", false),
        (" - ", false),
    ] {
        if let Some((a, b)) = line.split_once(separator) {
            return (a, b, employer_first);
        }
    }
    (line, "", false)
}

/// The jobs' time together: each job from its first month to the month it ended (a year
/// alone ends in its January, so "2016 – 2019" is three years; "2019 – 2019" is the whole
/// year), current jobs to this month; overlapping spans are counted once.
fn years_of_experience(work: &[Found<Job>], today: NaiveDate) -> Option<f32> {
    if work.is_empty() {
        return None;
    }
    let this_month = today.year() * 12 + today.month0() as i32;
    let mut spans: Vec<(i32, i32)> = work
        .iter()
        .map(|job| {
            let start = job.value.start.first_month().min(this_month);
            let end = match job.value.end {
                None => this_month + 1,
                Some(YearMonth {
                    year,
                    month: Some(month),
                }) => year * 12 + i32::from(month),
                Some(YearMonth { year, month: None }) if year == job.value.start.year => {
                    year * 12 + 12
                }
                Some(YearMonth { year, month: None }) => year * 12,
            };
            (start, end.min(this_month + 1).max(start))
        })
        .collect();
    spans.sort_unstable();
    let mut months = 0;
    let mut covered_to = i32::MIN;
    for (start, end) in spans {
        let from = start.max(covered_to);
        if end > from {
            months += end - from;
        }
        covered_to = covered_to.max(end);
    }
    Some((months as f32 / 12.0 * 10.0).round() / 10.0)
}

static DEGREE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:b\.?sc|m\.?sc|b\.?eng|m\.?eng|bachelor(?:'s|’s)?\s+(?:of|in|degree)|master(?:'s|’s)?\s+(?:of|in|degree)|ph\.?\s?d|mba|diploma\s+in|associate\s+degree)\b|\b(?:B\.A\.|M\.A\.|B\.S\.|M\.S\.)",
    )
});

/// Education: the lines under an education heading, and lines naming a degree anywhere
/// but under experience.
fn education(text: &str, lines: &[Line], sections: &[Section]) -> Vec<Found<String>> {
    lines
        .iter()
        .zip(sections)
        .filter(|(line, section)| match section {
            Section::Education => line.text.chars().any(char::is_alphabetic),
            Section::Other => DEGREE.is_match(line.text),
            Section::Experience | Section::Heading => false,
        })
        .map(|(line, _)| {
            let value = line
                .text
                .trim()
                .trim_start_matches(['•', '·', '-', '*'])
                .trim_start();
            let offset = line.offset
                + (line.text.len() - line.text.trim_start().len())
                + (line.text.trim().len() - value.len());
            found(text, value.to_owned(), offset, value.len())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::extract::pdf_text;
    use super::super::sample::SampleResume;
    use super::*;

    #[test]
    fn a_formatted_phone_comes_before_a_bare_run_of_digits() {
        let text = "Ada 1796592708259\nada@example.com | +49 30 1234567\n";
        let parsed = parse(text, NaiveDate::from_ymd_opt(2026, 12, 6).unwrap());
        assert_eq!(parsed.phones[0].value, "+49 30 1234567");
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 15).unwrap()
    }

    fn ym(year: i32, month: u8) -> YearMonth {
        YearMonth {
            year,
            month: Some(month),
        }
    }

    fn year(year: i32) -> YearMonth {
        YearMonth { year, month: None }
    }

    /// Checks that the parse of a sample's text found what the sample holds.
    fn assert_reads_sample(resume: &SampleResume, text: &str) {
        let parsed = parse(text, today());
        let emails: Vec<&str> = parsed.emails.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(emails, [resume.email.as_str()]);
        assert!(
            parsed.phones.iter().any(|f| f.value == resume.phone),
            "{:?} in {text}",
            parsed.phones
        );
        assert_eq!(
            parsed.location.as_ref().map(|f| f.value.as_str()),
            Some(resume.location.as_str()),
            "{text}"
        );
        assert_eq!(parsed.links.len(), 1);
        assert_eq!(parsed.links[0].value.kind, LinkKind::LinkedIn);
        assert_eq!(
            parsed.work.len(),
            resume.jobs.len(),
            "{:#?} in {text}",
            parsed.work
        );
        for (read, job) in parsed.work.iter().map(|f| &f.value).zip(&resume.jobs) {
            assert_eq!(read.employer, job.employer, "{read:?}");
            assert_eq!(read.title, job.title, "{read:?}");
            assert_eq!(read.start.year, job.start.0);
            if let Some(month) = read.start.month {
                assert_eq!(u32::from(month), job.start.1);
            }
            assert_eq!(read.end.map(|end| end.year), job.end.map(|end| end.0));
        }
        assert!(parsed.years_of_experience.unwrap() > 1.0);
        assert_eq!(
            parsed.education.len(),
            resume.education.len(),
            "{:?}",
            parsed.education
        );
    }

    #[test]
    fn sample_texts_are_read_field_by_field() {
        for seed in 0..40 {
            let resume = SampleResume::from_seed(seed);
            assert_reads_sample(&resume, &resume.text());
        }
    }

    #[test]
    fn sample_pdfs_are_read_field_by_field() {
        for seed in 0..8 {
            let resume = SampleResume::from_seed(seed);
            let (text, _) = pdf_text(&resume.pdf()).unwrap();
            assert_reads_sample(&resume, &text);
        }
    }

    #[test]
    fn evidence_points_at_the_value_and_quotes_its_line() {
        let text = "Jane Doe\nMail: jane@example.com | Zürich, Switzerland\n";
        let parsed = parse(text, today());
        let email = &parsed.emails[0].evidence;
        assert_eq!(
            &text[email.offset..email.offset + email.len],
            "jane@example.com"
        );
        assert_eq!(
            email.excerpt,
            "Mail: jane@example.com | Zürich, Switzerland"
        );
        let location = parsed.location.unwrap();
        assert_eq!(location.value, "Zürich, Switzerland");
        assert_eq!(
            &text[location.evidence.offset..][..location.evidence.len],
            "Zürich, Switzerland"
        );
    }

    #[test]
    fn title_comma_employer_dash_month_dates_is_read() {
        let text = "Experience\nSenior Engineer, Acme Corp — Jan 2019 – Present\n• Built things.\n";
        let job = &parse(text, today()).work[0];
        assert_eq!(
            job.value,
            Job {
                employer: "Acme Corp".into(),
                title: "Senior Engineer".into(),
                start: ym(2019, 1),
                end: None
            }
        );
        assert_eq!(
            job.evidence.excerpt,
            "Senior Engineer, Acme Corp — Jan 2019 – Present"
        );
    }

    #[test]
    fn employer_pipe_title_pipe_years_is_read() {
        let text = "Work history:\nAcme Corp | Software Engineer | 2016 – 2019\n";
        let job = &parse(text, today()).work[0].value;
        assert_eq!(
            (job.employer.as_str(), job.title.as_str()),
            ("Acme Corp", "Software Engineer")
        );
        assert_eq!((job.start, job.end), (year(2016), Some(year(2019))));
    }

    #[test]
    fn a_heading_line_over_iso_dates_is_read() {
        let text = "EMPLOYMENT\nData Analyst at Globex\n2016-03 to 2019-08\n";
        let job = &parse(text, today()).work[0];
        assert_eq!(
            job.value,
            Job {
                employer: "Globex".into(),
                title: "Data Analyst".into(),
                start: ym(2016, 3),
                end: Some(ym(2019, 8))
            }
        );
        assert_eq!(
            job.evidence.excerpt,
            "Data Analyst at Globex / 2016-03 to 2019-08"
        );
    }

    #[test]
    fn employer_and_title_lines_over_slash_dates_are_read() {
        let text = "Professional Experience\nInitech\nProduct Manager\n03/2016 - 08/2019\n• Shipped.\nHooli\nStaff Engineer\n09/2019 - Current\n";
        let work = parse(text, today()).work;
        assert_eq!(work.len(), 2);
        assert_eq!(
            (
                work[0].value.employer.as_str(),
                work[0].value.title.as_str()
            ),
            ("Initech", "Product Manager")
        );
        assert_eq!(
            (work[1].value.employer.as_str(), work[1].value.end),
            ("Hooli", None)
        );
    }

    #[test]
    fn dates_first_then_the_heading_is_read() {
        let text = "Experience\nSept 2015 - Dec 2017: Backend Developer at Umbrella\n";
        let job = &parse(text, today()).work[0].value;
        assert_eq!(
            (job.title.as_str(), job.employer.as_str()),
            ("Backend Developer", "Umbrella")
        );
        assert_eq!((job.start, job.end), (ym(2015, 9), Some(ym(2017, 12))));
    }

    #[test]
    fn dated_lines_outside_the_experience_section_are_not_jobs() {
        let text = "Education\nBSc Physics, 2010 – 2014\nProjects\nSide project 2019 – 2020\n";
        assert!(parse(text, today()).work.is_empty());
    }

    #[test]
    fn overlapping_jobs_count_once_in_years_of_experience() {
        let text =
            "Experience\nAcme | Engineer | 2016 – 2019\nEngineer, Globex — Jan 2018 – Dec 2020\n";
        assert_eq!(parse(text, today()).years_of_experience, Some(5.0));
        let current = "Experience\nEngineer, Hooli — Jul 2024 – Present\n";
        assert_eq!(parse(current, today()).years_of_experience, Some(1.6));
        assert_eq!(parse("no jobs here", today()).years_of_experience, None);
    }

    #[test]
    fn phone_numbers_are_found_in_common_formats() {
        let text = "+1 (512) 555-0134 | 030 1234567 | +44 20 7946 0958 | tel. 0171.234.5678";
        let phones: Vec<String> = parse(text, today())
            .phones
            .into_iter()
            .map(|f| f.value)
            .collect();
        assert_eq!(
            phones,
            [
                "+1 (512) 555-0134",
                "030 1234567",
                "+44 20 7946 0958",
                "0171.234.5678"
            ]
        );
    }

    #[test]
    fn dates_years_and_numbers_in_links_are_not_phone_numbers() {
        let text =
            "2016-2019\n2019-08-15\n15.08.2019\ngithub.com/u/12345678\nid 123\nbuild 20190815";
        assert_eq!(parse(text, today()).phones, []);
    }

    #[test]
    fn links_are_told_apart_and_get_a_scheme() {
        let text = "linkedin.com/in/jane-doe, https://github.com/jane/repo. Site: www.jane.dev; mail jane@github.com";
        let links: Vec<Link> = parse(text, today())
            .links
            .into_iter()
            .map(|f| f.value)
            .collect();
        assert_eq!(
            links,
            [
                Link {
                    kind: LinkKind::LinkedIn,
                    url: "https://linkedin.com/in/jane-doe".into()
                },
                Link {
                    kind: LinkKind::GitHub,
                    url: "https://github.com/jane/repo".into()
                },
                Link {
                    kind: LinkKind::Portfolio,
                    url: "https://www.jane.dev".into()
                },
            ]
        );
    }

    #[test]
    fn a_location_label_wins_over_a_city_in_the_header() {
        let text = "Jane\nAustin, TX\nLocation: Berlin, Germany\n";
        assert_eq!(
            parse(text, today()).location.unwrap().value,
            "Berlin, Germany"
        );
        assert_eq!(
            parse("Jane\nSoftware Engineer, Backend\n", today()).location,
            None
        );
    }

    #[test]
    fn education_comes_from_its_section_and_degree_lines() {
        let text = "Summary\nMSc Computer Science, ETH\nExperience\nScrum Master, Acme — 2019 – 2020\nEducation\n• B.A. Economics — Yale (2012)\n2008 – 2012\n";
        let education: Vec<String> = parse(text, today())
            .education
            .into_iter()
            .map(|f| f.value)
            .collect();
        assert_eq!(
            education,
            ["MSc Computer Science, ETH", "B.A. Economics — Yale (2012)"]
        );
    }

    #[test]
    fn multibyte_text_keeps_offsets_on_char_boundaries() {
        let text = "東京 Zürich\nLocation: 東京, Japan\n電話 +81 3 1234 5678 — naïve@例え.jp ü@example.com\nExperience\nエンジニア, Zürich AG — Jan 2019 – Present\n";
        let parsed = parse(text, today());
        assert_eq!(parsed.location.as_ref().unwrap().value, "東京, Japan");
        assert_eq!(parsed.phones[0].value, "+81 3 1234 5678");
        assert_eq!(parsed.work.len(), 1);
        assert_offsets_are_sound(text, &parsed);
    }

    /// Every evidence offset is on a char boundary, in the text, with a short excerpt.
    fn assert_offsets_are_sound(text: &str, parsed: &Parsed) {
        let evidence = parsed
            .emails
            .iter()
            .chain(&parsed.phones)
            .chain(&parsed.education)
            .chain(&parsed.location)
            .map(|f| &f.evidence)
            .chain(parsed.links.iter().map(|f| &f.evidence))
            .chain(parsed.work.iter().map(|f| &f.evidence));
        for e in evidence {
            assert!(
                text.is_char_boundary(e.offset) && text.is_char_boundary(e.offset + e.len),
                "{e:?}"
            );
            assert!(e.excerpt.chars().count() <= EXCERPT_LEN);
        }
    }

    const ALPHABET: &[u8] =
        b"0123456789 +-()./@|,:\nExperience\nEducation\nJan 2019 Present\xc3\xbc\xe6\x9d\xb1";

    #[test]
    fn random_bytes_never_make_it_panic() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for round in 0..300 {
            let bytes: Vec<u8> = (0..(round * 7 % 2000))
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    // Lean towards the bytes the patterns care about, with some of any kind.
                    if state.is_multiple_of(7) {
                        (state >> 8) as u8
                    } else {
                        ALPHABET[(state % ALPHABET.len() as u64) as usize]
                    }
                })
                .collect();
            let text = String::from_utf8_lossy(&bytes);
            assert_offsets_are_sound(&text, &parse(&text, today()));
        }
    }

    #[test]
    fn long_lines_give_short_excerpts() {
        let text = format!(
            "{} jane@example.com {}",
            "word ".repeat(100),
            "東京 ".repeat(100)
        );
        let parsed = parse(&text, today());
        let excerpt = &parsed.emails[0].evidence.excerpt;
        assert!(excerpt.contains("jane@example.com"));
        assert!(excerpt.chars().count() <= EXCERPT_LEN);
    }

    #[test]
    fn parsed_fields_round_trip_through_json() {
        let resume = SampleResume::from_seed(3);
        let parsed = parse(&resume.text(), today());
        let json = serde_json::to_string(&parsed).unwrap();
        assert_eq!(serde_json::from_str::<Parsed>(&json).unwrap(), parsed);
    }
}
