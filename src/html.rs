//! The pages' HTML as the server sends it, made valid where the framework writes markup
//! the HTML standard does not allow, with the same document as a browser builds it:
//!
//! - `<!>`, the empty comments Leptos puts between adjacent text parts (a browser reads
//!   each as an empty comment, through a parse error), is written `<!---->`, the same
//!   empty comment, validly;
//! - what leptos_axum writes after `</html>` (its resources' scripts) goes before
//!   `</body>`, where a browser puts it anyway;
//! - `crossorigin` on the head's links, which `HydrationScripts` sets to the CSP nonce (an
//!   invalid value, which a browser reads as `anonymous`; leptos-rs/leptos#4843), is
//!   written `anonymous`.
//!
//! The Nu HTML Checker in the browser tests checks every page without ignoring either.

/// `html` with all three mended; a page with none of them comes back as it was.
pub fn normalize(html: &str) -> std::borrow::Cow<'_, str> {
    let trailing = html
        .rfind("</html>")
        .map(|end| (end, &html[end + "</html>".len()..]))
        .filter(|(_, after)| !after.trim().is_empty());
    let head_end = html.find("</head>").unwrap_or(0);
    let bad_crossorigin =
        crossorigin_values(&html[..head_end]).any(|value| !valid_crossorigin(value));
    if !html.contains("<!>") && trailing.is_none() && !bad_crossorigin {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = match trailing {
        Some((end, after)) => {
            let document = &html[..end];
            match document.rfind("</body>") {
                Some(body_end) => format!(
                    "{}{}{}</html>",
                    &document[..body_end],
                    after.trim(),
                    &document[body_end..]
                ),
                None => html.to_string(),
            }
        }
        None => html.to_string(),
    };
    if bad_crossorigin {
        let head_end = out.find("</head>").unwrap_or(0);
        let mut head = String::with_capacity(head_end);
        let mut rest = &out[..head_end];
        while let Some(at) = rest.find(CROSSORIGIN) {
            let value_start = at + CROSSORIGIN.len();
            let Some(len) = rest[value_start..].find('"') else {
                break;
            };
            let value = &rest[value_start..value_start + len];
            head.push_str(&rest[..value_start]);
            head.push_str(if valid_crossorigin(value) {
                value
            } else {
                "anonymous"
            });
            rest = &rest[value_start + len..];
        }
        head.push_str(rest);
        out = head + &out[head_end..];
    }
    if out.contains("<!>") {
        out = out.replace("<!>", "<!---->");
    }
    std::borrow::Cow::Owned(out)
}

const CROSSORIGIN: &str = " crossorigin=\"";

fn crossorigin_values(head: &str) -> impl Iterator<Item = &str> {
    head.match_indices(CROSSORIGIN).filter_map(move |(at, _)| {
        let start = at + CROSSORIGIN.len();
        head[start..].find('"').map(|len| &head[start..start + len])
    })
}

fn valid_crossorigin(value: &str) -> bool {
    matches!(value, "" | "anonymous" | "use-credentials")
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn empty_comments_are_written_validly_and_a_trailing_script_moves_into_the_body() {
        let page = "<!DOCTYPE html><html><head></head><body><p>a<!>b</p></body></html><script>x()</script>";
        assert_eq!(
            normalize(page),
            "<!DOCTYPE html><html><head></head><body><p>a<!---->b</p><script>x()</script></body></html>"
        );
    }

    #[test]
    fn a_links_crossorigin_that_is_no_keyword_is_written_anonymous() {
        let page = "<html><head><link rel=\"modulepreload\" href=\"/a.js\" crossorigin=\"n0nce\"><link crossorigin=\"use-credentials\"></head><body></body></html>";
        assert_eq!(
            normalize(page),
            "<html><head><link rel=\"modulepreload\" href=\"/a.js\" crossorigin=\"anonymous\"><link crossorigin=\"use-credentials\"></head><body></body></html>"
        );
    }

    #[test]
    fn a_valid_page_is_left_as_it_is() {
        let page = "<!DOCTYPE html><html><head><link crossorigin=\"anonymous\"></head><body><p>&lt;!&gt; <!-- a --></p></body></html>\n";
        assert!(matches!(normalize(page), std::borrow::Cow::Borrowed(_)));
    }
}
