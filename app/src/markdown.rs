//! Markdown written by staff (job descriptions, question prompts, later notes), rendered to
//! HTML that is safe to put in a page: raw HTML in the source is shown as text, and links
//! keep only http(s), mailto and same-site targets; images become links. Also the first
//! line of such a text as plain text (`headline`), for lists and pickers.

use pulldown_cmark::{html, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || (lower.starts_with('/') && !lower.starts_with("//"))
        || lower.starts_with('#')
}

/// The Markdown staff may write: CommonMark with tables, strikethrough and task lists.
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

pub fn to_safe_html(source: &str) -> String {
    let events = Parser::new_ext(source, options()).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: if safe_url(&dest_url) {
                dest_url
            } else {
                CowStr::Borrowed("")
            },
            title,
            id,
        }),
        Event::Start(Tag::Image {
            dest_url,
            title,
            id,
            ..
        }) => Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url: if safe_url(&dest_url) {
                dest_url
            } else {
                CowStr::Borrowed("")
            },
            title,
            id,
        }),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        other => other,
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// How long a headline may be, its ellipsis included: enough to tell questions apart, and
/// short enough for an assessment's question picker, whose options also name the set, the
/// kind and the points, and for one line of a question list.
pub const HEADLINE_CHARS: usize = 90;

/// The first line of a Markdown text (a question's prompt) as plain text, for lists and
/// pickers: the words a reader of the rendered text sees on its first line, without the
/// marks (a heading's `#`, emphasis, code ticks; a link or an image becomes its text),
/// shortened at a word with an ellipsis to at most [`HEADLINE_CHARS`] characters. Raw HTML
/// stays as text, as `to_safe_html` shows it.
pub fn headline(source: &str) -> String {
    let mut line = String::new();
    for event in Parser::new_ext(source, options()) {
        let text = match event {
            Event::Text(text) | Event::Code(text) | Event::Html(text) | Event::InlineHtml(text) => {
                text
            }
            // A new line ends the first one once it holds words.
            Event::SoftBreak | Event::HardBreak => CowStr::Borrowed("\n"),
            // Cells of a table's row are apart, not run together.
            Event::End(TagEnd::TableCell) => CowStr::Borrowed(" "),
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image,
            ) => continue,
            // The end of any other block (paragraph, heading, item, code block…).
            Event::End(_) => CowStr::Borrowed("\n"),
            _ => continue,
        };
        let mut parts = text.splitn(2, '\n');
        line.push_str(parts.next().unwrap_or_default());
        let line_ended = parts.next().is_some();
        if line_ended {
            if !line.trim().is_empty() {
                break;
            }
            line.clear();
        }
    }
    shorten(
        &line.split_whitespace().collect::<Vec<_>>().join(" "),
        HEADLINE_CHARS,
    )
}

/// `text` when it has at most `max` characters, else its start with an ellipsis, `max`
/// characters in all: cut after a whole word when one ends in the last third.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max - 1).collect();
    let next_is_space = text.chars().nth(max - 1).is_some_and(char::is_whitespace);
    let cut = match kept.rfind(' ') {
        Some(space) if !next_is_space && kept[..space].chars().count() >= max * 2 / 3 => {
            &kept[..space]
        }
        _ => kept.as_str(),
    };
    let cut = cut.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':'));
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::{headline, to_safe_html, HEADLINE_CHARS};

    #[test]
    fn markdown_renders_headings_lists_and_emphasis() {
        let html = to_safe_html("## About\n\n- **Rust**\n- *SQL*\n");
        assert!(html.contains("<h2>About</h2>"), "{html}");
        assert!(html.contains("<li><strong>Rust</strong></li>"), "{html}");
    }

    #[test]
    fn raw_html_and_script_urls_do_not_survive() {
        let html = to_safe_html("<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> [x](javascript:alert(1)) ![t](https://t.example/p.png)");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(
            html.contains("<a href=\"https://t.example/p.png\">t</a>"),
            "{html}"
        );
    }

    #[test]
    fn a_headline_is_the_first_line_as_plain_text() {
        assert_eq!(
            headline("\n## What does `count(*)` do **here**?\n\nmore"),
            "What does count(*) do here?"
        );
        assert_eq!(headline("> - quoted *item*"), "quoted item");
        assert_eq!(
            headline("Read [the RFC](https://example.com/rfc) and ![a diagram](/d.png) first"),
            "Read the RFC and a diagram first"
        );
        assert_eq!(
            headline("Which is __bold__ and ~~gone~~?"),
            "Which is bold and gone?"
        );
        // The first line, not the paragraph: a soft break ends it.
        assert_eq!(
            headline("What is 2 + 2?\nShow your work."),
            "What is 2 + 2?"
        );
        assert_eq!(headline("1. First step\n2. Second"), "First step");
        // Escapes and entities as the reader sees them.
        assert_eq!(
            headline(r"Is 3 \* 4 &lt; 13 &amp; true?"),
            "Is 3 * 4 < 13 & true?"
        );
        // A code block's first line; raw HTML shown as text, as the prompt shows it.
        assert_eq!(
            headline("```rust\nfn main() {}\n```\nWhat prints?"),
            "fn main() {}"
        );
        assert_eq!(headline("Use <b>tags</b>"), "Use <b>tags</b>");
        assert_eq!(headline("| A | B |\n|---|---|\n| 1 | 2 |"), "A B");
        assert_eq!(headline("  \n\n"), "");
        assert_eq!(headline(""), "");
    }

    #[test]
    fn a_long_headline_ends_at_a_word_with_an_ellipsis_within_the_limit() {
        let exact = "x".repeat(HEADLINE_CHARS);
        assert_eq!(headline(&exact), exact);
        let word = headline(&"x".repeat(HEADLINE_CHARS + 40));
        assert_eq!(word.chars().count(), HEADLINE_CHARS);
        assert!(word.ends_with('…'));
        let words = "Explain, with an example from your own work, how you would find out why a nightly report arrives late";
        let short = headline(&format!("# {words}"));
        assert!(short.chars().count() <= HEADLINE_CHARS, "{short}");
        assert_eq!(
            short,
            "Explain, with an example from your own work, how you would find out why a nightly report…"
        );
        assert!(words.starts_with(short.trim_end_matches('…')));
    }
}
