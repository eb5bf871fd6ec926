//! Generated résumés for tests, demo data and the benchmark, as text, PDF and DOCX, plus
//! damaged files (a scan, a truncated PDF, a malformed one, a zip bomb) to test the
//! readers' refusals.
//!
//! Everything is built from a `u64` seed with a small xorshift generator, so the same seed
//! always gives the same résumé. The PDF is written by hand (Helvetica, WinAnsiEncoding, one
//! content stream per page) so no PDF library is needed to make one.

use std::io::{Cursor, Write};

/// How many text lines fit on one generated PDF page.
pub const LINES_PER_PAGE: usize = 52;

/// A4 in PDF points.
const PAGE_WIDTH: u32 = 595;
const PAGE_HEIGHT: u32 = 842;
/// The left margin and the first line's baseline, in points.
const MARGIN_LEFT: u32 = 56;
const FIRST_BASELINE: u32 = 790;
/// Font size and line spacing, in points.
const FONT_SIZE: u32 = 11;
const LEADING: u32 = 14;

/// The size `word/document.xml` of [`zip_bomb_docx`] expands to: past the 20 MB limit.
const BOMB_SIZE: usize = 21 * 1024 * 1024;

/// A job in a generated résumé; months are 1–12, `end` is `None` for the current job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleJob {
    /// The employer's name.
    pub employer: String,
    /// The job title.
    pub title: String,
    /// When it started, as (year, month).
    pub start: (i32, u32),
    /// When it ended, as (year, month); `None` while it goes on.
    pub end: Option<(i32, u32)>,
    /// How the heading line is laid out (0–3; see [`SampleResume::text`]).
    pub layout: u8,
    /// What the candidate did there, one sentence each.
    pub bullets: Vec<String>,
}

/// A generated résumé.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleResume {
    /// The candidate's full name.
    pub name: String,
    /// Their email address.
    pub email: String,
    /// Their phone number, as written.
    pub phone: String,
    /// "City, Country" (or "City, ST").
    pub location: String,
    /// Their jobs, newest first.
    pub jobs: Vec<SampleJob>,
    /// Their skills, as listed under "Skills" (each also appears in a bullet).
    pub skills: Vec<String>,
    /// Their degrees, one line each.
    pub education: Vec<String>,
    /// Whether the location is on its own "Location:" line rather than the contact line.
    location_line: bool,
    /// The LinkedIn profile path.
    linkedin: String,
}

const FIRST_NAMES: &[&str] = &[
    "Jane", "Amir", "Sofia", "Lukas", "Mei", "Olu", "Chloé", "Mateo", "Priya", "Jonas", "Zoë",
    "Kenji", "Ana", "Noah", "Fatima", "Erik",
];
const LAST_NAMES: &[&str] = &[
    "Doe", "Haddad", "Rossi", "Müller", "Chen", "Adeyemi", "Dubois", "García", "Sharma", "Berg",
    "Novak", "Tanaka", "Silva", "Keller", "Okafor", "Larsen",
];
const LOCATIONS: &[&str] = &[
    "Berlin, Germany",
    "Zürich, Switzerland",
    "Austin, TX",
    "London, United Kingdom",
    "Lisbon, Portugal",
    "Toronto, Canada",
    "São Paulo, Brazil",
    "Kraków, Poland",
];
const TITLES: &[&str] = &[
    "Software Engineer",
    "Senior Software Engineer",
    "Backend Developer",
    "Data Engineer",
    "Platform Engineer",
    "Engineering Manager",
    "DevOps Engineer",
    "Frontend Developer",
    "Site Reliability Engineer",
    "Staff Engineer",
];
const EMPLOYERS: &[&str] = &[
    "Acme Corp",
    "Globex GmbH",
    "Initech",
    "Umbrella Labs",
    "Hooli",
    "Stark Industries",
    "Wayne Enterprises",
    "Vandelay Industries",
    "Soylent Ltd",
    "Cyberdyne Systems",
    "Tyrell Corporation",
    "Massive Dynamic",
];
const SKILLS: &[&str] = &[
    "Rust",
    "PostgreSQL",
    "Docker",
    "Kubernetes",
    "TypeScript",
    "React",
    "Python",
    "Go",
    "Java",
    "C++",
    "C#",
    ".NET",
    "Node.js",
    "AWS",
    "Terraform",
    "Kafka",
    "Redis",
    "GraphQL",
    "CI/CD",
    "Linux",
];
const VERBS: &[&str] = &[
    "Built",
    "Designed",
    "Migrated",
    "Maintained",
    "Rewrote",
    "Led the move of",
    "Automated",
    "Scaled",
];
const THINGS: &[&str] = &[
    "the billing service",
    "an internal search API",
    "the payments pipeline",
    "our deployment tooling",
    "a reporting dashboard",
    "the customer data platform",
    "the notification system",
    "a fraud detection job",
];
const OUTCOMES: &[&str] = &[
    "cutting latency by {n}%",
    "saving {n} hours a week",
    "serving {n}k requests a minute",
    "reducing incidents by {n}%",
    "for {n} teams",
];
const DEGREES: &[&str] = &[
    "MSc Computer Science",
    "BSc Mathematics",
    "Bachelor of Engineering, Software",
    "Master of Science in Data Science",
    "PhD Physics",
    "B.A. Economics",
];
const SCHOOLS: &[&str] = &[
    "Technical University of Munich",
    "University of Lisbon",
    "ETH Zürich",
    "University of Texas at Austin",
    "University of Toronto",
    "Jagiellonian University",
];
const MONTHS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A small deterministic generator (xorshift64*), seeded through splitmix64 so that
/// neighbouring seeds give unrelated résumés.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// `n` digits as a string.
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

impl SampleResume {
    /// The résumé for `seed`: 1 to 3 pages (`1 + seed % 3`), 2 to 5 jobs in varied layouts.
    pub fn from_seed(seed: u64) -> SampleResume {
        let mut rng = Rng::new(seed);
        let first = rng.pick(FIRST_NAMES);
        let last = rng.pick(LAST_NAMES);
        let slug = format!("{}.{}", ascii_slug(first), ascii_slug(last));
        let skill_count = 5 + rng.below(4);
        let skills = pick_distinct(&mut rng, SKILLS, skill_count);
        let target_pages = 1 + (seed % 3) as usize;
        let job_count = 1 + target_pages + rng.below(2);
        let mut resume = SampleResume {
            name: format!("{first} {last}"),
            email: format!("{slug}@example.{}", rng.pick(&["com", "org", "net"])),
            phone: phone(&mut rng),
            location: rng.pick(LOCATIONS).to_owned(),
            jobs: jobs(&mut rng, seed, job_count, &skills),
            skills,
            education: education(&mut rng),
            location_line: rng.below(2) == 0,
            linkedin: slug.replace('.', "-"),
        };
        resume.fit_to_pages(target_pages);
        resume
    }

    /// Drops bullets until the text fits `pages` pages (every job keeps at least one).
    fn fit_to_pages(&mut self, pages: usize) {
        while self.pages() > pages {
            let Some(job) = self
                .jobs
                .iter_mut()
                .filter(|job| job.bullets.len() > 1)
                .max_by_key(|job| job.bullets.len())
            else {
                return;
            };
            job.bullets.pop();
        }
    }

    /// How many pages the PDF has.
    pub fn pages(&self) -> usize {
        self.text().lines().count().div_ceil(LINES_PER_PAGE).max(1)
    }

    /// The résumé as plain text, one line per printed line.
    ///
    /// Job headings come in four layouts: 0 "Title, Employer — Mon YYYY – Mon YYYY",
    /// 1 "Employer | Title | YYYY – YYYY", 2 "Title at Employer" over "YYYY-MM to YYYY-MM",
    /// 3 "Employer" over "Title" over "MM/YYYY - MM/YYYY".
    pub fn text(&self) -> String {
        let mut lines = vec![self.name.clone()];
        if self.location_line {
            lines.push(format!("{} | {}", self.email, self.phone));
            lines.push(format!("Location: {}", self.location));
        } else {
            lines.push(format!(
                "{} | {} | {}",
                self.email, self.phone, self.location
            ));
        }
        lines.push(format!("linkedin.com/in/{}", self.linkedin));
        lines.push(String::new());
        lines.push("Summary".into());
        lines.push(format!(
            "{} with {} jobs behind them, most recently at {}.",
            self.jobs[0].title,
            self.jobs.len(),
            self.jobs[0].employer
        ));
        lines.push(String::new());
        lines.push("Experience".into());
        for job in &self.jobs {
            lines.extend(job_heading(job));
            lines.extend(job.bullets.iter().map(|bullet| format!("• {bullet}")));
            lines.push(String::new());
        }
        lines.push("Skills".into());
        lines.push(self.skills.join(", "));
        lines.push(String::new());
        lines.push("Education".into());
        lines.extend(self.education.iter().cloned());
        let mut text = lines.join("\n");
        text.push('\n');
        text
    }

    /// The résumé as a PDF with a text layer.
    pub fn pdf(&self) -> Vec<u8> {
        let text = self.text();
        let lines: Vec<&str> = text.lines().collect();
        let pages: Vec<Vec<u8>> = lines.chunks(LINES_PER_PAGE).map(page_content).collect();
        text_pdf(&pages)
    }

    /// The résumé as a DOCX: a paragraph per line, except that the name and contact lines
    /// share one paragraph split by a `w:br`, and the first job heading has a tab stop.
    pub fn docx(&self) -> Vec<u8> {
        let text = self.text();
        let mut lines = text.lines();
        let mut body = String::new();
        let name = lines.next().unwrap_or_default();
        let contact = lines.next().unwrap_or_default();
        body.push_str(&format!(
            "<w:p><w:r><w:t>{}</w:t><w:br/><w:t>{}</w:t></w:r></w:p>",
            xml_escape(name),
            xml_escape(contact)
        ));
        for line in lines {
            if line.is_empty() {
                body.push_str("<w:p/>");
            } else {
                body.push_str(&format!(
                    "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                    xml_escape(line)
                ));
            }
        }
        docx_package(&format!("<w:body>{body}</w:body>"))
    }
}

/// A job's heading lines in its layout.
fn job_heading(job: &SampleJob) -> Vec<String> {
    let (title, employer) = (&job.title, &job.employer);
    match job.layout {
        0 => {
            let month =
                |(year, month): (i32, u32)| format!("{} {year}", MONTHS[month as usize - 1]);
            let end = job.end.map_or("Present".to_owned(), month);
            vec![format!(
                "{title}, {employer} — {} – {end}",
                month(job.start)
            )]
        }
        1 => {
            let end = job
                .end
                .map_or("Present".to_owned(), |(year, _)| year.to_string());
            vec![format!("{employer} | {title} | {} – {end}", job.start.0)]
        }
        2 => {
            let iso = |(year, month): (i32, u32)| format!("{year}-{month:02}");
            let end = job.end.map_or("present".to_owned(), iso);
            vec![
                format!("{title} at {employer}"),
                format!("{} to {end}", iso(job.start)),
            ]
        }
        _ => {
            let slash = |(year, month): (i32, u32)| format!("{month:02}/{year}");
            let end = job.end.map_or("Current".to_owned(), slash);
            vec![
                employer.clone(),
                title.clone(),
                format!("{} - {end}", slash(job.start)),
            ]
        }
    }
}

/// `count` different items from `items`, in the order picked.
fn pick_distinct(rng: &mut Rng, items: &[&str], count: usize) -> Vec<String> {
    let mut picked: Vec<String> = Vec::with_capacity(count);
    while picked.len() < count.min(items.len()) {
        let item = rng.pick(items);
        if !picked.iter().any(|p| p == item) {
            picked.push(item.to_owned());
        }
    }
    picked
}

/// A phone number in one of several national and international formats.
fn phone(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => format!("+49 30 {} {}", rng.digits(4), rng.digits(4)),
        1 => format!("+1 (512) 555-{}", rng.digits(4)),
        2 => format!("+44 20 {} {}", rng.digits(4), rng.digits(4)),
        _ => format!("030 {}", rng.digits(7)),
    }
}

/// `count` jobs, newest first, ending in the present and going back with gaps and
/// occasional overlaps; each has a pool of bullets naming the résumé's skills.
fn jobs(rng: &mut Rng, seed: u64, count: usize, skills: &[String]) -> Vec<SampleJob> {
    let mut jobs = Vec::with_capacity(count);
    // Months since year 0, the newest job starting two to five years before 2025.
    let mut start = 2025 * 12 - 24 - rng.below(36) as i32;
    let mut end: Option<i32> = None;
    for index in 0..count {
        let bullets = (0..30)
            .map(|n| bullet(rng, &skills[(index + n) % skills.len()]))
            .collect();
        jobs.push(SampleJob {
            employer: EMPLOYERS[(seed as usize + index * 5) % EMPLOYERS.len()].to_owned(),
            title: rng.pick(TITLES).to_owned(),
            start: year_month(start),
            end: end.map(year_month),
            layout: ((seed as usize + index) % 4) as u8,
            bullets,
        });
        end = Some(start - 1 - rng.below(4) as i32 + 2 * (rng.below(5) == 0) as i32);
        start -= 12 + rng.below(48) as i32;
    }
    jobs
}

/// Months since year 0 as (year, month 1–12).
fn year_month(months: i32) -> (i32, u32) {
    (months.div_euclid(12), months.rem_euclid(12) as u32 + 1)
}

/// One achievement sentence that names `skill`.
fn bullet(rng: &mut Rng, skill: &str) -> String {
    let outcome = rng
        .pick(OUTCOMES)
        .replace("{n}", &(5 + rng.below(60)).to_string());
    format!(
        "{} {} with {skill}, {outcome}.",
        rng.pick(VERBS),
        rng.pick(THINGS)
    )
}

/// One or two degrees, one line each, in varied layouts.
fn education(rng: &mut Rng) -> Vec<String> {
    let count = 1 + rng.below(2);
    (0..count)
        .map(|n| {
            let year = 2008 + rng.below(8) + 2 * n;
            let (degree, school) = (rng.pick(DEGREES), rng.pick(SCHOOLS));
            if rng.below(2) == 0 {
                format!("{degree}, {school}, {year}")
            } else {
                format!("{degree} — {school} ({year})")
            }
        })
        .collect()
}

/// A name in lowercase ASCII for an email address ("Müller" → "mueller").
fn ascii_slug(name: &str) -> String {
    name.chars()
        .flat_map(|c| match c {
            'ä' | 'ö' | 'ü' => vec![
                match c {
                    'ä' => 'a',
                    'ö' => 'o',
                    _ => 'u',
                },
                'e',
            ],
            'é' | 'ë' => vec!['e'],
            'í' => vec!['i'],
            'ã' | 'á' => vec!['a'],
            _ => c.to_lowercase().collect(),
        })
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// `text` with XML's special characters escaped.
fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A page's content stream: one `BT … Tj ET` per line, top to bottom.
fn page_content(lines: &[&str]) -> Vec<u8> {
    let mut content = Vec::new();
    let mut y = FIRST_BASELINE;
    for line in lines {
        if !line.is_empty() {
            content.extend_from_slice(
                format!("BT /F1 {FONT_SIZE} Tf {MARGIN_LEFT} {y} Td (").as_bytes(),
            );
            content.extend(pdf_string(line));
            content.extend_from_slice(b") Tj ET\n");
        }
        y -= LEADING;
    }
    content
}

/// `text` in WinAnsiEncoding as the inside of a PDF literal string: `(`, `)` and `\`
/// escaped, bytes past ASCII as octal escapes; characters WinAnsi lacks become `?`.
fn pdf_string(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let byte = match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '’' => 0x92,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            _ => b'?',
        };
        match byte {
            b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', byte]),
            0x80.. => out.extend_from_slice(format!("\\{byte:03o}").as_bytes()),
            _ => out.push(byte),
        }
    }
    out
}

/// A stream object's body: its dictionary (with `/Length`) and its data.
fn stream(dictionary: &str, data: &[u8]) -> Vec<u8> {
    let mut object = format!("<< {dictionary} /Length {} >>\nstream\n", data.len()).into_bytes();
    object.extend_from_slice(data);
    object.extend_from_slice(b"\nendstream");
    object
}

/// A PDF whose pages show the given content streams in Helvetica.
fn text_pdf(contents: &[Vec<u8>]) -> Vec<u8> {
    let first_page = 4;
    let kids: Vec<String> = (0..contents.len())
        .map(|n| format!("{} 0 R", first_page + 2 * n))
        .collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            contents.len()
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    ];
    for (n, content) in contents.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                first_page + 2 * n + 1
            )
            .into_bytes(),
        );
        objects.push(stream("", content));
    }
    pdf_file(&objects)
}

/// A one-page PDF with no text layer: a grey rectangle and, stretched over the page, an
/// 8-bit greyscale image of `width` × `height` (`pixels`, row by row, top first).
pub fn image_pdf(width: u32, height: u32, pixels: &[u8]) -> Vec<u8> {
    let image = format!(
        "/Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceGray /BitsPerComponent 8"
    );
    let content =
        format!("0.8 g 60 60 120 40 re f q {PAGE_WIDTH} 0 0 {PAGE_HEIGHT} 0 0 cm /Im1 Do Q");
    pdf_file(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] /Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>").into_bytes(),
        stream(&image, pixels),
        stream("", content.as_bytes()),
    ])
}

/// A PDF file from its objects' bodies (object `n` is `objects[n - 1]`), with a correct
/// cross-reference table and trailer.
fn pdf_file(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (n, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", n + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// A valid one-page PDF with no text layer, as a scanner makes (a drawn rectangle and a
/// tiny image).
pub fn scanned_pdf() -> Vec<u8> {
    let checker: Vec<u8> = (0..64u8)
        .map(|n| if (n / 8 + n % 8) % 2 == 0 { 0 } else { 255 })
        .collect();
    image_pdf(8, 8, &checker)
}

/// A sample résumé's PDF cut off in its first page's content, before the cross-reference
/// table: a download that stopped half-way.
pub fn truncated_pdf() -> Vec<u8> {
    let mut pdf = SampleResume::from_seed(1).pdf();
    pdf.truncate(pdf.len() / 3);
    pdf
}

/// A file with a PDF header and random bytes after it.
pub fn malformed_pdf() -> Vec<u8> {
    let mut rng = Rng::new(0xbad);
    let mut pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    pdf.extend((0..4096).map(|_| rng.next() as u8));
    pdf.extend_from_slice(b"\n%%EOF\n");
    pdf
}

/// A DOCX whose `word/document.xml` inflates to more than 20 MB of spaces while the file
/// is a few tens of kilobytes: it is written in chunks, never held in memory whole.
pub fn zip_bomb_docx() -> Vec<u8> {
    let mut zip = docx_writer();
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    zip.start_file("word/document.xml", options)
        .expect("a zip entry in memory");
    zip.write_all(document_xml_start().as_bytes())
        .expect("writing to memory");
    let spaces = vec![b' '; 64 * 1024];
    for _ in 0..BOMB_SIZE / spaces.len() + 1 {
        zip.write_all(&spaces).expect("writing to memory");
    }
    zip.write_all(b"</w:t></w:r></w:p></w:body></w:document>")
        .expect("writing to memory");
    zip.finish().expect("a zip in memory").into_inner()
}

/// The opening of a `word/document.xml` up to an open `w:t`, for [`zip_bomb_docx`].
fn document_xml_start() -> String {
    format!("{}<w:body><w:p><w:r><w:t>", document_xml_prologue())
}

/// The XML declaration and the `w:document` start tag.
fn document_xml_prologue() -> &'static str {
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#
}

/// A zip writer that already holds a DOCX's content types and package relationships.
fn docx_writer() -> zip::ZipWriter<Cursor<Vec<u8>>> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
        ),
    ];
    for (name, xml) in parts {
        zip.start_file(name, options)
            .expect("a zip entry in memory");
        zip.write_all(xml.as_bytes()).expect("writing to memory");
    }
    zip
}

/// A complete DOCX whose `word/document.xml` holds `body` (a `w:body` element).
fn docx_package(body: &str) -> Vec<u8> {
    let mut zip = docx_writer();
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options)
        .expect("a zip entry in memory");
    let xml = format!("{}{body}</w:document>", document_xml_prologue());
    zip.write_all(xml.as_bytes()).expect("writing to memory");
    zip.finish().expect("a zip in memory").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_resume() {
        assert_eq!(SampleResume::from_seed(9), SampleResume::from_seed(9));
        assert_ne!(
            SampleResume::from_seed(9).name,
            SampleResume::from_seed(10).name
        );
        assert_eq!(
            SampleResume::from_seed(9).pdf(),
            SampleResume::from_seed(9).pdf()
        );
    }

    #[test]
    fn resumes_run_one_to_three_pages_by_seed() {
        for seed in 0..30 {
            assert_eq!(
                SampleResume::from_seed(seed).pages(),
                1 + (seed % 3) as usize,
                "seed {seed}"
            );
        }
    }

    #[test]
    fn jobs_are_newest_first_and_only_the_first_is_current() {
        for seed in 0..30 {
            let jobs = SampleResume::from_seed(seed).jobs;
            assert_eq!(jobs[0].end, None);
            assert!(jobs[1..].iter().all(|job| job.end.is_some()));
            assert!(jobs.windows(2).all(|pair| pair[0].start > pair[1].start));
            assert!(jobs
                .iter()
                .all(|job| job.end.is_none_or(|end| end >= job.start)));
        }
    }

    #[test]
    fn every_skill_appears_in_a_bullet() {
        let resume = SampleResume::from_seed(12);
        for skill in &resume.skills {
            let named = resume
                .jobs
                .iter()
                .flat_map(|job| &job.bullets)
                .any(|b| b.contains(skill.as_str()));
            assert!(named, "{skill}");
        }
    }

    #[test]
    fn the_pdf_cross_reference_table_points_at_each_object() {
        let pdf = SampleResume::from_seed(2).pdf();
        let text = String::from_utf8_lossy(&pdf);
        let startxref: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(pdf[startxref..].starts_with(b"xref\n"));
        let entries = text[startxref..]
            .lines()
            .skip(3)
            .take_while(|line| line.ends_with(" n "));
        for (n, entry) in entries.enumerate() {
            let offset: usize = entry[..10].parse().unwrap();
            assert!(pdf[offset..].starts_with(format!("{} 0 obj", n + 1).as_bytes()));
        }
    }

    #[test]
    fn pdf_strings_escape_delimiters_and_encode_win_ansi() {
        assert_eq!(pdf_string("(a\\b)"), b"\\(a\\\\b\\)".to_vec());
        assert_eq!(pdf_string("Zü–東"), b"Z\\374\\226?".to_vec());
    }

    #[test]
    fn the_zip_bomb_is_small() {
        assert!(zip_bomb_docx().len() < 1024 * 1024);
    }

    #[test]
    fn names_become_ascii_for_email_addresses() {
        assert_eq!(ascii_slug("Müller"), "mueller");
        assert_eq!(ascii_slug("Chloé"), "chloe");
        assert_eq!(ascii_slug("García"), "garcia");
    }
}
