//! Finding a skill list's skills in a résumé's text, with the sentence each was found in,
//! and scoring a candidate against a requisition's required and nice-to-have skills.
//!
//! Matching is case-insensitive and respects word edges, so "Java" is not found in
//! "JavaScript", "Go" not in "Google" and "C" not in "C++" or "C#", while terms written
//! with punctuation ("C++", ".NET", "Node.js", "CI/CD") match as written. All the terms
//! go into one Aho–Corasick automaton ([`Matcher`]), built once and run over each text
//! once, so a thousand résumés against two hundred skills take milliseconds.

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The longest a [`SkillHit::sentence`] gets, in characters.
pub const SENTENCE_LEN: usize = 240;

/// What a required skill weighs in [`score`].
pub const REQUIRED_WEIGHT: u32 = 2;
/// What a nice-to-have skill weighs in [`score`].
pub const NICE_WEIGHT: u32 = 1;

/// A skill as matching needs it: its id, name and aliases.
#[derive(Debug, Clone, Copy)]
pub struct SkillTerms<'a> {
    /// The skill's id.
    pub id: Uuid,
    /// Its name, as written in the skill list.
    pub name: &'a str,
    /// Other ways of writing it ("Postgres" for "PostgreSQL").
    pub aliases: &'a [String],
}

/// A skill found in a text: its first occurrence, the sentence around it, and how often
/// it occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillHit {
    /// The skill found.
    pub skill_id: Uuid,
    /// Which of its name and aliases matched first, as written in the skill list.
    pub term: String,
    /// Byte offset of the first occurrence in the text.
    pub offset: usize,
    /// Its length in bytes.
    pub len: usize,
    /// The sentence (or line) around it, trimmed, at most [`SENTENCE_LEN`] characters.
    pub sentence: String,
    /// Byte offset in the text where `sentence` starts.
    pub sentence_offset: usize,
    /// How many times any of the skill's terms occurs (overlapping ones counted once).
    pub occurrences: usize,
}

/// Finds `skills` in `text`; one hit per skill found, in the order of `skills`. To search
/// many texts for the same skills, build a [`Matcher`] once instead.
pub fn find(text: &str, skills: &[SkillTerms]) -> Vec<SkillHit> {
    Matcher::new(skills).find(text)
}

/// Which edges of a term are letters or digits, and so need a word edge in the text.
#[derive(Debug, Clone, Copy)]
struct Edges {
    /// The term starts with a letter or digit: the char before must not be one.
    start: bool,
    /// The term ends with a letter or digit: the char after must not be one.
    end: bool,
    /// The term ends with a letter: the char after must not be `+` or `#` either.
    end_letter: bool,
}

/// One distinct (lowercased) term of the automaton and the skills that use it.
#[derive(Debug, Clone)]
struct Pattern {
    edges: Edges,
    /// (skill index, term index within that skill).
    owners: Vec<(usize, usize)>,
}

/// A skill list compiled for searching: build once, then [`Matcher::find`] in each text.
#[derive(Debug, Clone)]
pub struct Matcher {
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
    /// Each skill's id and its terms as written (name first).
    skills: Vec<(Uuid, Vec<String>)>,
}

impl Matcher {
    /// Compiles `skills`' names and aliases (trimmed; blank ones skipped).
    pub fn new(skills: &[SkillTerms]) -> Matcher {
        let mut known: HashMap<String, usize> = HashMap::new();
        let mut lowered_terms: Vec<String> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut compiled = Vec::with_capacity(skills.len());
        for (skill_index, skill) in skills.iter().enumerate() {
            let terms: Vec<String> = std::iter::once(skill.name)
                .chain(skill.aliases.iter().map(String::as_str))
                .map(str::trim)
                .filter(|term| !term.is_empty())
                .map(str::to_owned)
                .collect();
            for (term_index, term) in terms.iter().enumerate() {
                let lowered = lowercase_same_len(term);
                let pattern = *known.entry(lowered.clone()).or_insert_with(|| {
                    patterns.push(Pattern {
                        edges: edges(term),
                        owners: Vec::new(),
                    });
                    lowered_terms.push(lowered);
                    patterns.len() - 1
                });
                patterns[pattern].owners.push((skill_index, term_index));
            }
            compiled.push((skill.id, terms));
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&lowered_terms)
            .expect("skill terms fit an automaton");
        Matcher {
            automaton,
            patterns,
            skills: compiled,
        }
    }

    /// Finds the skills in `text`: one hit per skill found, in the order they were given.
    pub fn find(&self, text: &str) -> Vec<SkillHit> {
        let lowered = lowercase_same_len(text);
        let mut spans: Vec<Vec<(usize, usize, usize)>> = vec![Vec::new(); self.skills.len()];
        for found in self.automaton.find_overlapping_iter(&lowered) {
            let pattern = &self.patterns[found.pattern().as_usize()];
            if !at_word_edges(text, found.start(), found.end(), pattern.edges) {
                continue;
            }
            for &(skill, term) in &pattern.owners {
                spans[skill].push((found.start(), found.end(), term));
            }
        }
        spans
            .into_iter()
            .enumerate()
            .filter(|(_, spans)| !spans.is_empty())
            .map(|(skill, spans)| self.hit(text, skill, spans))
            .collect()
    }

    /// The hit for one skill from all its matches: the first (longest at that offset), and
    /// the count of matches that do not overlap an earlier one.
    fn hit(&self, text: &str, skill: usize, mut spans: Vec<(usize, usize, usize)>) -> SkillHit {
        spans.sort_unstable_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
        let mut occurrences = 0;
        let mut covered_to = 0;
        for &(start, end, _) in &spans {
            if occurrences == 0 || start >= covered_to {
                occurrences += 1;
                covered_to = end;
            }
        }
        let (start, end, term) = spans[0];
        let (sentence_offset, sentence) = sentence_around(text, start, end);
        let (id, terms) = &self.skills[skill];
        SkillHit {
            skill_id: *id,
            term: terms[term].clone(),
            offset: start,
            len: end - start,
            sentence,
            sentence_offset,
            occurrences,
        }
    }
}

/// `text` lowercased char by char where that keeps the char's byte length (so offsets in
/// it are offsets in `text`); other chars are kept as they are.
fn lowercase_same_len(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) if l.len_utf8() == c.len_utf8() => out.push(l),
            _ => out.push(c),
        }
    }
    out
}

/// Which of a term's edges need a word edge in the text.
fn edges(term: &str) -> Edges {
    let first = term.chars().next();
    let last = term.chars().next_back();
    Edges {
        start: first.is_some_and(char::is_alphanumeric),
        end: last.is_some_and(char::is_alphanumeric),
        end_letter: last.is_some_and(char::is_alphabetic),
    }
}

/// Whether a match at `start..end` of `text` stands on word edges where its term needs
/// them: no letter or digit just before or after, nor `+`/`#` after a final letter.
fn at_word_edges(text: &str, start: usize, end: usize, edges: Edges) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let joined_before = edges.start && before.is_some_and(char::is_alphanumeric);
    let joined_after = edges.end
        && after
            .is_some_and(|c| c.is_alphanumeric() || (edges.end_letter && matches!(c, '+' | '#')));
    !joined_before && !joined_after
}

/// Whether the char at byte `index` of `text` ends a sentence: a line break, or `.`,
/// `!`, `?` or `;` followed by whitespace (so ".NET", "Node.js" and "3.5" do not).
fn ends_sentence(text: &str, index: usize, c: char) -> bool {
    c == '\n'
        || (matches!(c, '.' | '!' | '?' | ';')
            && text[index + 1..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace))
}

/// The sentence around `start..end`: from after the previous sentence end to the next
/// one (its `.` kept), trimmed of spaces and bullets, cut to a window of
/// [`SENTENCE_LEN`] characters around the match when longer. Returns where it starts.
fn sentence_around(text: &str, start: usize, end: usize) -> (usize, String) {
    let from = text[..start]
        .char_indices()
        .rev()
        .find(|&(i, c)| ends_sentence(text, i, c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let to = text[end..]
        .char_indices()
        .find(|&(i, c)| ends_sentence(text, end + i, c))
        .map_or(text.len(), |(i, c)| {
            if c == '\n' {
                end + i
            } else {
                end + i + c.len_utf8()
            }
        });
    let mut from = from + leading_filler(&text[from..start]);
    if text[from..to].chars().count() > SENTENCE_LEN {
        let mut window = start.saturating_sub(SENTENCE_LEN / 3).max(from);
        while !text.is_char_boundary(window) {
            window -= 1;
        }
        from = window;
    }
    let sentence: String = text[from..to].chars().take(SENTENCE_LEN).collect();
    (from, sentence.trim_end().to_owned())
}

/// How many bytes of spaces and bullet marks start `text`.
fn leading_filler(text: &str) -> usize {
    text.len()
        - text
            .trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, '•' | '·' | '*' | '-' | '–')
            })
            .len()
}

/// A requisition's skill: whether it is required or nice to have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    /// The skill.
    pub skill_id: Uuid,
    /// Its name, for the explanation.
    pub name: String,
    /// Required (weighs [`REQUIRED_WEIGHT`]) or nice to have (weighs [`NICE_WEIGHT`]).
    pub required: bool,
}

/// How well a résumé covers a requisition's skills, with the names on each side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchScore {
    /// Required skills found in the résumé.
    pub required_found: Vec<String>,
    /// Required skills not found.
    pub required_missing: Vec<String>,
    /// Nice-to-have skills found.
    pub nice_found: Vec<String>,
    /// Nice-to-have skills not found.
    pub nice_missing: Vec<String>,
    /// Points found over points possible, as a rounded percentage (0 with no skills).
    pub percent: u8,
}

/// Scores hits against requirements: a required skill is worth [`REQUIRED_WEIGHT`] points,
/// a nice-to-have one [`NICE_WEIGHT`]; the percentage is the points found over the points
/// possible, rounded half up. No requirements score 0.
pub fn score(requirements: &[Requirement], hits: &[SkillHit]) -> MatchScore {
    let found: HashSet<Uuid> = hits.iter().map(|hit| hit.skill_id).collect();
    score_found(requirements, &found)
}

/// [`score`] from the skills found (by id), wherever they were found.
pub fn score_found(requirements: &[Requirement], found: &HashSet<Uuid>) -> MatchScore {
    let mut score = MatchScore {
        required_found: Vec::new(),
        required_missing: Vec::new(),
        nice_found: Vec::new(),
        nice_missing: Vec::new(),
        percent: 0,
    };
    for requirement in requirements {
        let list = match (requirement.required, found.contains(&requirement.skill_id)) {
            (true, true) => &mut score.required_found,
            (true, false) => &mut score.required_missing,
            (false, true) => &mut score.nice_found,
            (false, false) => &mut score.nice_missing,
        };
        list.push(requirement.name.clone());
    }
    let (points, possible) = score.points();
    score.percent = (points * 100 + possible / 2)
        .checked_div(possible)
        .map_or(0, |percent| u8::try_from(percent).unwrap_or(100));
    score
}

impl MatchScore {
    /// (points found, points possible).
    fn points(&self) -> (u32, u32) {
        let count = |list: &Vec<String>| list.len() as u32;
        let found =
            count(&self.required_found) * REQUIRED_WEIGHT + count(&self.nice_found) * NICE_WEIGHT;
        let missing = count(&self.required_missing) * REQUIRED_WEIGHT
            + count(&self.nice_missing) * NICE_WEIGHT;
        (found, found + missing)
    }

    /// How the percentage came about, for a recruiter: "3 of 4 required skills (×2) and
    /// 1 of 2 nice-to-have found: 7 of 10 points = 70%."
    pub fn explanation(&self) -> String {
        let (points, possible) = self.points();
        if possible == 0 {
            return "The requisition lists no skills, so there is nothing to match: 0%.".into();
        }
        let required = self.required_found.len() + self.required_missing.len();
        let nice = self.nice_found.len() + self.nice_missing.len();
        let plural = |n: usize| if n == 1 { "skill" } else { "skills" };
        let required_part = format!(
            "{} of {required} required {} (×{REQUIRED_WEIGHT})",
            self.required_found.len(),
            plural(required)
        );
        let parts = match (required > 0, nice > 0) {
            (true, true) => format!(
                "{required_part} and {} of {nice} nice-to-have",
                self.nice_found.len()
            ),
            (true, false) => required_part,
            _ => format!(
                "{} of {nice} nice-to-have {}",
                self.nice_found.len(),
                plural(nice)
            ),
        };
        format!(
            "{parts} found: {points} of {possible} points = {}%.",
            self.percent
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A skill list from (name, aliases), with ids 1, 2, 3, …
    fn skill_list(entries: &[(&str, &[&str])]) -> Vec<(Uuid, String, Vec<String>)> {
        entries
            .iter()
            .enumerate()
            .map(|(n, (name, aliases))| {
                (
                    Uuid::from_u128(n as u128 + 1),
                    name.to_string(),
                    aliases.iter().map(|a| a.to_string()).collect(),
                )
            })
            .collect()
    }

    fn terms(list: &[(Uuid, String, Vec<String>)]) -> Vec<SkillTerms<'_>> {
        list.iter()
            .map(|(id, name, aliases)| SkillTerms {
                id: *id,
                name,
                aliases,
            })
            .collect()
    }

    /// The names (as matched) of the skills found in `text` among skills named `names`.
    fn found_in(text: &str, names: &[&str]) -> Vec<String> {
        let entries: Vec<(&str, &[&str])> = names.iter().map(|name| (*name, &[][..])).collect();
        let list = skill_list(&entries);
        find(text, &terms(&list))
            .into_iter()
            .map(|hit| hit.term)
            .collect()
    }

    #[test]
    fn java_is_not_found_in_javascript() {
        assert_eq!(
            found_in("Wrote JavaScript daily.", &["Java", "JavaScript"]),
            ["JavaScript"]
        );
        assert_eq!(
            found_in("Java and JavaScript.", &["Java", "JavaScript"]),
            ["Java", "JavaScript"]
        );
    }

    #[test]
    fn c_is_not_found_in_cpp_or_csharp_but_they_are() {
        assert_eq!(
            found_in("C++ and C# for years", &["C", "C++", "C#"]),
            ["C++", "C#"]
        );
        assert_eq!(
            found_in("Embedded C, some C++", &["C", "C++"]),
            ["C", "C++"]
        );
        assert_eq!(found_in("c++17", &["C++"]), ["C++"]);
    }

    #[test]
    fn go_is_not_found_in_google_but_is_alone() {
        assert_eq!(
            found_in("Worked at Google on Gopher tools", &["Go"]),
            Vec::<String>::new()
        );
        assert_eq!(found_in("Services in Go, (Go) and go.", &["Go"]), ["Go"]);
    }

    #[test]
    fn punctuated_terms_match_as_written_at_the_ends_of_the_text() {
        assert_eq!(
            found_in(".NET and Node.js", &[".NET", "Node.js"]),
            [".NET", "Node.js"]
        );
        assert_eq!(found_in("Built CI/CD", &["CI/CD"]), ["CI/CD"]);
        assert_eq!(found_in("Rust.", &["Rust"]), ["Rust"]);
        assert_eq!(found_in("(Rust)", &["Rust"]), ["Rust"]);
        assert_eq!(found_in("Trust me", &["Rust"]), Vec::<String>::new());
    }

    #[test]
    fn matching_ignores_case_and_reports_the_term_as_listed() {
        let list = skill_list(&[
            ("PostgreSQL", &["Postgres", "psql"]),
            ("Kubernetes", &["K8s"]),
        ]);
        let hits = find(
            "Ran POSTGRES on k8s; later PostgreSQL 16 and more postgres.",
            &terms(&list),
        );
        assert_eq!(hits.len(), 2);
        assert_eq!(
            (
                hits[0].term.as_str(),
                hits[0].offset,
                hits[0].len,
                hits[0].occurrences
            ),
            ("Postgres", 4, 8, 3)
        );
        assert_eq!((hits[1].term.as_str(), hits[1].occurrences), ("K8s", 1));
    }

    #[test]
    fn offsets_count_bytes_in_multibyte_text() {
        let list = skill_list(&[("Rust", &[]), ("Straße", &[])]);
        let text = "Zürich 東京: RUST und STRASSE, straße.";
        let hits = find(text, &terms(&list));
        assert_eq!(hits.len(), 2);
        assert_eq!(&text[hits[0].offset..hits[0].offset + hits[0].len], "RUST");
        assert_eq!(
            &text[hits[1].offset..hits[1].offset + hits[1].len],
            "straße"
        );
    }

    #[test]
    fn the_sentence_around_a_hit_is_trimmed_and_located() {
        let list = skill_list(&[("Rust", &[]), ("Node.js", &[])]);
        let text =
            "Summary. I like tea.\n• Built the API in Rust, with Node.js tooling. Then left.";
        let hits = find(text, &terms(&list));
        assert_eq!(
            hits[0].sentence,
            "Built the API in Rust, with Node.js tooling."
        );
        assert_eq!(
            &text[hits[0].sentence_offset..][..hits[0].sentence.len()],
            hits[0].sentence
        );
        assert_eq!(hits[1].sentence, hits[0].sentence);
    }

    #[test]
    fn long_sentences_are_cut_around_the_hit() {
        let list = skill_list(&[("Kafka", &[])]);
        let text = format!("{} Kafka {}", "東京 word ".repeat(80), "more ".repeat(80));
        let hit = &find(&text, &terms(&list))[0];
        assert!(hit.sentence.chars().count() <= SENTENCE_LEN);
        assert!(hit.sentence.contains("Kafka"));
        assert!(text[hit.sentence_offset..].starts_with(&hit.sentence));
    }

    #[test]
    fn two_skills_may_share_a_term_and_blank_terms_are_ignored() {
        let list = skill_list(&[("JS", &["JavaScript", " "]), ("JavaScript", &[])]);
        let hits = find("JavaScript", &terms(&list));
        assert_eq!(
            hits.iter().map(|h| h.term.as_str()).collect::<Vec<_>>(),
            ["JavaScript", "JavaScript"]
        );
    }

    fn requirement(n: u128, name: &str, required: bool) -> Requirement {
        Requirement {
            skill_id: Uuid::from_u128(n),
            name: name.into(),
            required,
        }
    }

    fn hit(n: u128) -> SkillHit {
        SkillHit {
            skill_id: Uuid::from_u128(n),
            term: String::new(),
            offset: 0,
            len: 0,
            sentence: String::new(),
            sentence_offset: 0,
            occurrences: 1,
        }
    }

    #[test]
    fn required_skills_weigh_double_in_the_score() {
        let requirements = [
            requirement(1, "Rust", true),
            requirement(2, "SQL", true),
            requirement(3, "Go", true),
            requirement(4, "Kafka", true),
            requirement(5, "Docker", false),
            requirement(6, "AWS", false),
        ];
        let score = score(&requirements, &[hit(1), hit(2), hit(3), hit(5)]);
        assert_eq!(score.percent, 70);
        assert_eq!(score.required_missing, ["Kafka"]);
        assert_eq!(score.nice_found, ["Docker"]);
        assert_eq!(
            score.explanation(),
            "3 of 4 required skills (×2) and 1 of 2 nice-to-have found: 7 of 10 points = 70%."
        );
    }

    #[test]
    fn scores_with_one_kind_of_skill_explain_only_that_kind() {
        let required = score(&[requirement(1, "Rust", true)], &[]);
        assert_eq!(
            required.explanation(),
            "0 of 1 required skill (×2) found: 0 of 2 points = 0%."
        );
        let nice = score(
            &[
                requirement(1, "Rust", false),
                requirement(2, "Go", false),
                requirement(3, "C", false),
            ],
            &[hit(1)],
        );
        assert_eq!(nice.percent, 33);
        assert_eq!(
            nice.explanation(),
            "1 of 3 nice-to-have skills found: 1 of 3 points = 33%."
        );
    }

    #[test]
    fn no_requirements_score_zero_and_say_why() {
        let score = score(&[], &[hit(1)]);
        assert_eq!(score.percent, 0);
        assert_eq!(
            score.explanation(),
            "The requisition lists no skills, so there is nothing to match: 0%."
        );
    }
}
