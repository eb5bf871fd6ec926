//! The page URL's query string: reading the filters a list page was opened with, and
//! building links (the next page) that keep them.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UrlQuery(Vec<(&'static str, String)>);

impl UrlQuery {
    /// The current page's values of `keys`, trimmed; empty ones are left out.
    pub fn current(keys: &[&'static str]) -> Self {
        use_query_map()
            .with_untracked(|q| Self::from_pairs(keys.iter().map(|key| (*key, q.get(key)))))
    }

    fn from_pairs(pairs: impl Iterator<Item = (&'static str, Option<String>)>) -> Self {
        Self(
            pairs
                .filter_map(|(key, value)| Some((key, value?.trim().to_string())))
                .filter(|(_, value)| !value.is_empty())
                .collect(),
        )
    }

    pub fn get(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    }

    /// `path` with this query's values of `keys` (the filters without the cursor, say).
    pub fn link(&self, path: &str, keys: &[&str]) -> String {
        let query: Vec<String> = self
            .0
            .iter()
            .filter(|(k, _)| keys.contains(k))
            .map(|(k, v)| format!("{k}={}", encode_query_value(v)))
            .collect();
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", query.join("&"))
        }
    }

    /// `path` with this query, `key` set to `value` (a page cursor, say).
    pub fn link_with(&self, path: &str, key: &str, value: &str) -> String {
        let pairs = self
            .0
            .iter()
            .filter(|(k, _)| *k != key)
            .map(|(k, v)| (*k, v.as_str()))
            .chain(std::iter::once((key, value)));
        let query: Vec<String> = pairs
            .map(|(k, v)| format!("{k}={}", encode_query_value(v)))
            .collect();
        format!("{path}?{}", query.join("&"))
    }
}

/// Percent-encodes a value for a URL query string.
pub fn encode_query_value(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                encoded.push(byte as char)
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::{encode_query_value, UrlQuery};

    #[test]
    fn links_keep_the_filters_and_replace_the_cursor() {
        let query = UrlQuery::from_pairs(
            [
                ("q", Some(" ada lo ".to_string())),
                ("tags", Some("  ".to_string())),
                ("after", Some("old".to_string())),
                ("sort", None),
            ]
            .into_iter(),
        );
        assert_eq!(query.get("q").as_deref(), Some("ada lo"));
        assert_eq!(query.get("tags"), None);
        assert_eq!(
            query.link_with("/candidates", "after", "t1_x"),
            "/candidates?q=ada%20lo&after=t1_x"
        );
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            encode_query_value("/admin/audit?action=a b&x=1"),
            "/admin/audit%3Faction%3Da%20b%26x%3D1"
        );
    }
}
