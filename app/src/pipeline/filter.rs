//! The board's filters: a candidate's name, a tag and the band of the latest test result.
//!
//! Plain Rust with nothing of the server in it: the board page filters its cards with it
//! when JavaScript is off, and the board's island (compiled from this crate to WASM)
//! calls the same `BoardFilter::matches_parts` with what a card's `data-name`,
//! `data-tags` and `data-result` say, so both agree on every card.

use std::fmt;

use super::Card;
use crate::results::Verdict;

/// The band of an application's latest test result that the board filters by. Its `key`
/// is what the URL's `result` and a card's `data-result` carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResultFilter {
    Passed,
    Failed,
    /// Finished, with text answers still to grade.
    Pending,
    InProgress,
    /// No test session at all.
    None,
}

impl ResultFilter {
    /// In the order the filter's menu lists them.
    pub const ALL: [ResultFilter; 5] = [
        Self::Passed,
        Self::Failed,
        Self::Pending,
        Self::InProgress,
        Self::None,
    ];

    /// The band of a latest result: its verdict, or `None` without a test session.
    pub fn of(verdict: Option<Verdict>) -> Self {
        match verdict {
            Some(Verdict::Passed) => Self::Passed,
            Some(Verdict::Failed) => Self::Failed,
            Some(Verdict::Pending) => Self::Pending,
            Some(Verdict::InProgress) => Self::InProgress,
            None => Self::None,
        }
    }

    /// The stable short key of the URL and the cards' `data-result`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Failed => "failed",
            Self::Pending => "pending",
            Self::InProgress => "in_progress",
            Self::None => "none",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|band| band.key() == key)
    }

    /// As the filter's menu names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Passed => "Passed",
            Self::Failed => "Failed",
            Self::Pending => "Pending grading",
            Self::InProgress => "In progress",
            Self::None => "No result",
        }
    }
}

/// A `result` in the URL that names no band (a link typed or kept from elsewhere).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownResult(pub String);

impl fmt::Display for UnknownResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "“{}” is not a result to filter by.", self.0)
    }
}

impl std::error::Error for UnknownResult {}

/// What the board's cards are filtered by; `None` filters by nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoardFilter {
    /// Words that must each begin a word of the candidate's name, in any case.
    pub text: Option<String>,
    /// One of the card's tags, in any case.
    pub tag: Option<String>,
    pub result: Option<ResultFilter>,
}

impl BoardFilter {
    /// The filter of the URL's `q`, `tag` and `result` (or the filter form's fields):
    /// values are trimmed and blank ones filter by nothing; a `result` that is no band's
    /// key is an error.
    pub fn parse(
        text: Option<&str>,
        tag: Option<&str>,
        result: Option<&str>,
    ) -> Result<Self, UnknownResult> {
        let given = |value: Option<&str>| {
            value
                .map(str::trim)
                .filter(|value| !value.is_empty())
                .map(str::to_string)
        };
        let result = given(result)
            .map(|key| ResultFilter::from_key(&key).ok_or(UnknownResult(key)))
            .transpose()?;
        Ok(Self {
            text: given(text),
            tag: given(tag).map(|tag| tag.to_lowercase()),
            result,
        })
    }

    /// Whether it filters by anything.
    pub fn is_active(&self) -> bool {
        self.text.is_some() || self.tag.is_some() || self.result.is_some()
    }

    /// Whether a card with this candidate name, these tags and this result band (its
    /// `ResultFilter::key`) passes every part of the filter.
    pub fn matches_parts<'a>(
        &self,
        name: &str,
        tags: impl IntoIterator<Item = &'a str>,
        result_key: &str,
    ) -> bool {
        let text_matches = self.text.as_deref().is_none_or(|text| {
            let name_words: Vec<String> = words(name).collect();
            words(text).all(|word| name_words.iter().any(|n| n.starts_with(&word)))
        });
        let tag_matches = self.tag.as_deref().is_none_or(|wanted| {
            let wanted = wanted.trim().to_lowercase();
            tags.into_iter()
                .any(|tag| tag.trim().to_lowercase() == wanted)
        });
        let result_matches = self.result.is_none_or(|band| band.key() == result_key);
        text_matches && tag_matches && result_matches
    }

    /// Whether the card passes the filter: `matches_parts` of what its markup carries.
    pub fn matches(&self, card: &Card) -> bool {
        self.matches_parts(
            &card.candidate_name,
            card.tags.iter().map(String::as_str),
            card.result_band().key(),
        )
    }
}

/// The lowercase words of a text: runs of letters and digits ("Jean-Luc O'Neil" is
/// "jean", "luc", "o", "neil").
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(text: &str, tag: &str, result: &str) -> BoardFilter {
        BoardFilter::parse(Some(text), Some(tag), Some(result)).unwrap()
    }

    #[test]
    fn no_filter_matches_every_card() {
        let none = BoardFilter::parse(None, Some("  "), Some("")).unwrap();
        assert_eq!(none, BoardFilter::default());
        assert!(!none.is_active());
        assert!(none.matches_parts("Ada Lovelace", [], "none"));
        assert!(none.matches_parts("", ["x"], "passed"));
    }

    #[test]
    fn every_word_typed_begins_a_word_of_the_name_in_any_case() {
        let ada = |text: &str| filter(text, "", "").matches_parts("Ada Lovelace", [], "none");
        assert!(ada("ada"));
        assert!(ada("LOVE"));
        assert!(ada(" lovelace   ADA "));
        assert!(ada("a l"));
        assert!(!ada("lace"), "a word's middle is not its start");
        assert!(!ada("ada byron"), "every word must match");
        assert!(!ada("adal"));
        let hyphenated = filter("luc o'n", "", "");
        assert!(hyphenated.matches_parts("Jean-Luc O'Neil", [], "none"));
        assert!(filter("élo", "", "").matches_parts("Éloïse Durand", [], "none"));
        assert!(
            !filter("elo", "", "").matches_parts("Éloïse Durand", [], "none"),
            "accents as typed"
        );
    }

    #[test]
    fn a_tag_matches_one_of_the_cards_tags_exactly_in_any_case() {
        let python = filter("", " Python ", "");
        assert_eq!(python.tag.as_deref(), Some("python"));
        assert!(python.matches_parts("Ada", ["remote", "python"], "none"));
        assert!(python.matches_parts("Ada", "remote,PYTHON".split(','), "none"));
        assert!(!python.matches_parts("Ada", ["pythonista"], "none"));
        assert!(!python.matches_parts("Ada", [], "none"));
    }

    #[test]
    fn a_result_matches_the_band_of_the_latest_result() {
        assert_eq!(ResultFilter::of(None), ResultFilter::None);
        assert_eq!(
            ResultFilter::of(Some(Verdict::Pending)),
            ResultFilter::Pending
        );
        let failed = filter("", "", "failed");
        assert_eq!(failed.result, Some(ResultFilter::Failed));
        assert!(failed.matches_parts("Ada", [], ResultFilter::Failed.key()));
        assert!(!failed.matches_parts("Ada", [], "passed"));
        let untested = filter("", "", "none");
        assert!(untested.matches_parts("Ada", [], ResultFilter::of(None).key()));
        assert!(!untested.matches_parts("Ada", [], "in_progress"));
    }

    #[test]
    fn every_part_must_match() {
        let all = filter("ada", "python", "passed");
        assert!(all.is_active());
        assert!(all.matches_parts("Ada Lovelace", ["python"], "passed"));
        assert!(!all.matches_parts("Grace Hopper", ["python"], "passed"));
        assert!(!all.matches_parts("Ada Lovelace", ["cobol"], "passed"));
        assert!(!all.matches_parts("Ada Lovelace", ["python"], "failed"));
    }

    #[test]
    fn result_keys_are_stable_and_read_back() {
        let keys: Vec<&str> = ResultFilter::ALL.iter().map(|band| band.key()).collect();
        assert_eq!(keys, ["passed", "failed", "pending", "in_progress", "none"]);
        for band in ResultFilter::ALL {
            assert_eq!(ResultFilter::from_key(band.key()), Some(band));
        }
        assert_eq!(ResultFilter::from_key("Passed"), None);
    }

    #[test]
    fn an_unknown_result_is_an_error_that_names_it() {
        let error = BoardFilter::parse(None, None, Some(" great ")).unwrap_err();
        assert_eq!(error, UnknownResult("great".into()));
        assert_eq!(error.to_string(), "“great” is not a result to filter by.");
    }
}
