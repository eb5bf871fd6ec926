//! What a skill match rests on: the term found, how often, and the sentence around its
//! first occurrence, shown with the term highlighted.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A skill found in a document, with where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Evidence {
    pub skill: String,
    pub term: String,
    pub occurrences: i32,
    pub match_offset: i32,
    pub match_len: i32,
    pub sentence: String,
    pub sentence_offset: i32,
}

impl Evidence {
    /// The sentence split around the match: (before, match, after), for highlighting.
    /// The whole sentence as "before" when the stored offsets do not fall inside it.
    pub fn split(&self) -> (String, String, String) {
        let start = (self.match_offset - self.sentence_offset).max(0) as usize;
        let end = start + self.match_len.max(0) as usize;
        match (
            self.sentence.get(..start),
            self.sentence.get(start..end),
            self.sentence.get(end..),
        ) {
            (Some(before), Some(hit), Some(after)) if !hit.is_empty() => {
                (before.into(), hit.into(), after.into())
            }
            _ => (self.sentence.clone(), String::new(), String::new()),
        }
    }

    /// "as “JS”, 3 times": the alias when it is not the skill's name, and the count.
    pub fn how(&self) -> String {
        let times = if self.occurrences == 1 {
            "once".to_string()
        } else {
            format!("{} times", self.occurrences)
        };
        if self.term.to_lowercase() == self.skill.to_lowercase() {
            times
        } else {
            format!("as “{}”, {times}", self.term)
        }
    }
}

/// The skills found, each with its sentence and the term highlighted.
#[component]
pub fn EvidenceList(evidence: Vec<Evidence>) -> impl IntoView {
    view! {
        <ul class="evidence">
            {evidence.into_iter().map(|found| {
                let (before, hit, after) = found.split();
                let how = found.how();
                view! {
                    <li>
                        <strong>{found.skill.clone()}</strong>{format!(" ({how}): ")}
                        <q>{before}<mark>{hit}</mark>{after}</q>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rust() -> Evidence {
        Evidence {
            skill: "Rust".into(),
            term: "Rust".into(),
            occurrences: 2,
            match_offset: 110,
            match_len: 4,
            sentence: "I write Rust daily.".into(),
            sentence_offset: 102,
        }
    }

    #[test]
    fn the_evidence_splits_around_the_match() {
        assert_eq!(
            rust().split(),
            ("I write ".into(), "Rust".into(), " daily.".into())
        );
        let off = Evidence {
            match_offset: 500,
            ..rust()
        };
        assert_eq!(off.split().0, "I write Rust daily.");
    }

    #[test]
    fn an_alias_and_the_count_are_said() {
        assert_eq!(rust().how(), "2 times");
        let alias = Evidence {
            term: "JS".into(),
            skill: "JavaScript".into(),
            occurrences: 1,
            ..rust()
        };
        assert_eq!(alias.how(), "as “JS”, once");
    }
}
