//! Calendar invitations as iCalendar text (RFC 5545): CRLF line ends, lines folded within
//! 75 octets, text values escaped. The UID stays the same for an interview's whole life and
//! the SEQUENCE grows with each change, so calendars update the event they already have.

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A new or changed event.
    Request,
    /// The event is called off.
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }

    /// The attachment's MIME type, which tells mail programs what to offer.
    pub fn content_type(self) -> String {
        format!("text/calendar; method={}; charset=UTF-8", self.as_str())
    }

    pub fn filename(self) -> &'static str {
        match self {
            Method::Request => "invite.ics",
            Method::Cancel => "cancel.ics",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub method: Method,
    pub uid: String,
    pub sequence: i32,
    pub stamp: DateTime<Utc>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub summary: String,
    pub description: String,
    pub location: String,
    pub url: Option<String>,
    pub organizer: Person,
    pub attendees: Vec<Person>,
}

/// The UID of an interview's event: the same for every update of it.
pub fn interview_uid(interview_id: uuid::Uuid, public_url: &str) -> String {
    let authority = public_url
        .split("://")
        .nth(1)
        .unwrap_or(public_url)
        .split('/')
        .next()
        .unwrap_or_default();
    // "[::1]:8080" is the host ::1; "example.com:8080" the host example.com.
    let host = match authority.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next(),
        None => authority.split(':').next(),
    }
    .filter(|host| !host.is_empty())
    .unwrap_or("are.localhost");
    format!("interview-{interview_id}@{host}")
}

pub fn to_ics(event: &Event) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "PRODID:-//ARE//Interviews//EN".to_string(),
        "VERSION:2.0".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        format!("METHOD:{}", event.method.as_str()),
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}", escape_text(&event.uid)),
        format!("SEQUENCE:{}", event.sequence),
        format!("DTSTAMP:{}", utc(&event.stamp)),
        format!("DTSTART:{}", utc(&event.start)),
        format!("DTEND:{}", utc(&event.end)),
        format!("SUMMARY:{}", escape_text(&event.summary)),
    ];
    if !event.description.is_empty() {
        lines.push(format!("DESCRIPTION:{}", escape_text(&event.description)));
    }
    if !event.location.is_empty() {
        lines.push(format!("LOCATION:{}", escape_text(&event.location)));
    }
    if let Some(url) = &event.url {
        lines.push(format!("URL:{url}"));
    }
    lines.push(format!(
        "ORGANIZER;CN={}:mailto:{}",
        param(&event.organizer.name),
        event.organizer.email
    ));
    for attendee in &event.attendees {
        lines.push(format!(
            "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{}",
            param(&attendee.name),
            attendee.email
        ));
    }
    lines.push(
        match event.method {
            Method::Request => "STATUS:CONFIRMED",
            Method::Cancel => "STATUS:CANCELLED",
        }
        .to_string(),
    );
    lines.push("END:VEVENT".to_string());
    lines.push("END:VCALENDAR".to_string());
    lines.iter().map(|line| fold(line) + "\r\n").collect()
}

fn utc(at: &DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value: backslash, semicolon, comma and line breaks escaped.
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value (a name): quoted, as names hold commas and colons; a double quote
/// cannot appear inside, so it is dropped, as are control characters.
fn param(value: &str) -> String {
    let clean: String = value
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    format!("\"{clean}\"")
}

/// The longest line written, in octets. RFC 5545 allows 75; two fewer keep every line
/// with its CRLF under the 76 octets up to which the mail library sends text as it is
/// (7bit), so the `.ics` inside a message stays readable and byte-identical.
pub const MAX_LINE_OCTETS: usize = 73;

/// Splits a content line into lines of at most `MAX_LINE_OCTETS`, each continuation
/// starting with one space, never inside a UTF-8 character.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn event(method: Method, sequence: i32) -> Event {
        Event {
            method,
            uid: "interview-1@are.example".into(),
            sequence,
            stamp: Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap(),
            start: Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap(),
            summary: "Interview: Ada Lovelace, Technical".into(),
            description: "Ask about engines; bring notes\nRoom 4".into(),
            location: "Paris office".into(),
            url: Some("https://meet.example/abc".into()),
            organizer: Person {
                name: "Rita Recruiter".into(),
                email: "rita@acme.example".into(),
            },
            attendees: vec![Person {
                name: "Iris \"I\" Interviewer".into(),
                email: "iris@acme.example".into(),
            }],
        }
    }

    #[test]
    fn a_request_has_the_event_in_utc_with_crlf_lines() {
        let text = to_ics(&event(Method::Request, 0));
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'));
        for line in [
            "METHOD:REQUEST",
            "BEGIN:VEVENT",
            "UID:interview-1@are.example",
            "SEQUENCE:0",
            "DTSTAMP:20261122T080000Z",
            "DTSTART:20261123T090000Z",
            "DTEND:20261123T100000Z",
            "SUMMARY:Interview: Ada Lovelace\\, Technical",
            "DESCRIPTION:Ask about engines\\; bring notes\\nRoom 4",
            "LOCATION:Paris office",
            "ORGANIZER;CN=\"Rita Recruiter\":mailto:rita@acme.example",
            "STATUS:CONFIRMED",
            "END:VEVENT",
        ] {
            assert!(
                text.contains(&format!("\r\n{line}\r\n")),
                "missing {line} in {text}"
            );
        }
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(
            "ATTENDEE;CN=\"Iris I Interviewer\";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:iris@acme.example"
        ));
    }

    #[test]
    fn a_cancellation_says_so_with_a_higher_sequence() {
        let text = to_ics(&event(Method::Cancel, 2));
        assert!(text.contains("\r\nMETHOD:CANCEL\r\n"));
        assert!(text.contains("\r\nSTATUS:CANCELLED\r\n"));
        assert!(text.contains("\r\nSEQUENCE:2\r\n"));
        assert!(text.contains("\r\nUID:interview-1@are.example\r\n"));
        assert_eq!(
            Method::Cancel.content_type(),
            "text/calendar; method=CANCEL; charset=UTF-8"
        );
    }

    #[test]
    fn long_lines_fold_within_75_octets_without_splitting_characters() {
        let line = format!("DESCRIPTION:{}", "é".repeat(100));
        let folded = fold(&line);
        for part in folded.split("\r\n") {
            assert!(part.len() <= 75, "{} octets: {part}", part.len());
        }
        assert!(folded
            .split("\r\n")
            .skip(1)
            .all(|part| part.starts_with(' ')));
        assert_eq!(folded.replace("\r\n ", ""), line);
        assert_eq!(fold("SHORT:line"), "SHORT:line");
        let exactly = "X".repeat(MAX_LINE_OCTETS);
        assert_eq!(fold(&exactly), exactly);
        assert_eq!(
            fold(&"X".repeat(MAX_LINE_OCTETS + 1)),
            format!("{exactly}\r\n X")
        );
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(escape_text("a\\b;c,d\r\ne\nf"), "a\\\\b\\;c\\,d\\ne\\nf");
    }

    #[test]
    fn the_uid_names_the_interview_and_the_site() {
        let id = uuid::Uuid::from_u128(7);
        assert_eq!(
            interview_uid(id, "https://are.example.com:8443/x"),
            format!("interview-{id}@are.example.com")
        );
        assert_eq!(
            interview_uid(id, "http://localhost:3000"),
            format!("interview-{id}@localhost")
        );
        assert_eq!(
            interview_uid(id, "http://[::1]:8080"),
            format!("interview-{id}@::1")
        );
    }
}
