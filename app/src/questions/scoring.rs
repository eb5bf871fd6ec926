//! How an answer is scored. These are the documented rules (README, "Scoring"):
//!
//! - single choice and true/false: all the points for the correct option, none otherwise;
//! - multiple choice, partial credit: each correct option chosen earns an equal share of
//!   the points, each wrong option chosen takes one share away, and the total never goes
//!   below zero (all correct and nothing wrong is full points);
//! - numeric: all the points when the typed number is within the tolerance of the answer
//!   (bounds included), none otherwise, none for text that is not a number;
//! - short text, essay and code: scored by a person (`None` here);
//! - an unanswered question scores zero, whatever its kind, and needs no grader.

use super::model::{parse_number, QuestionBody, Response};

/// The automatic score of one answer, or `None` when a person must grade it.
pub fn auto_score(body: &QuestionBody, response: Option<&Response>, points: i32) -> Option<f64> {
    let points = f64::from(points);
    let response = match response {
        Some(response) if response.is_answered() => response,
        _ => return Some(0.0),
    };
    match (body, response) {
        (QuestionBody::SingleChoice { options }, Response::Choices(ids)) => {
            let right = ids.len() == 1 && options.iter().any(|o| o.correct && o.id == ids[0]);
            Some(if right { points } else { 0.0 })
        }
        (QuestionBody::MultipleChoice { options }, Response::Choices(ids)) => {
            let correct = options.iter().filter(|o| o.correct).count().max(1) as f64;
            let share = points / correct;
            let mut chosen = ids.clone();
            chosen.sort_unstable();
            chosen.dedup();
            let earned: f64 = chosen
                .iter()
                .filter_map(|id| options.iter().find(|o| o.id == *id))
                .map(|o| if o.correct { share } else { -share })
                .sum();
            Some(round2(earned.clamp(0.0, points)))
        }
        (QuestionBody::TrueFalse { correct }, Response::Boolean(given)) => {
            Some(if given == correct { points } else { 0.0 })
        }
        (QuestionBody::Numeric { answer, tolerance }, Response::Number(text)) => {
            let right = parse_number(text)
                .map(|n| (n - answer).abs() <= tolerance.abs() + 1e-9 * answer.abs().max(1.0))
                .unwrap_or(false);
            Some(if right { points } else { 0.0 })
        }
        (
            QuestionBody::ShortText { .. }
            | QuestionBody::LongText { .. }
            | QuestionBody::Code { .. },
            _,
        ) => None,
        // A response of the wrong shape (cannot be saved, but be safe): no points.
        _ => Some(0.0),
    }
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// The percentage of `score` in `max`, rounded to one decimal; 0 when nothing could be scored.
pub fn percent(score: f64, max: f64) -> f64 {
    if max <= 0.0 {
        0.0
    } else {
        (score / max * 1000.0).round() / 10.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questions::model::Choice;

    fn options(correct: &[u32]) -> Vec<Choice> {
        (1..=4)
            .map(|id| Choice {
                id,
                text: format!("Option {id}"),
                correct: correct.contains(&id),
            })
            .collect()
    }

    #[test]
    fn single_choice_is_all_or_nothing() {
        let body = QuestionBody::SingleChoice {
            options: options(&[2]),
        };
        assert_eq!(
            auto_score(&body, Some(&Response::Choices(vec![2])), 3),
            Some(3.0)
        );
        assert_eq!(
            auto_score(&body, Some(&Response::Choices(vec![1])), 3),
            Some(0.0)
        );
        assert_eq!(
            auto_score(&body, Some(&Response::Choices(vec![1, 2])), 3),
            Some(0.0)
        );
    }

    #[test]
    fn multiple_choice_gives_partial_credit_and_never_goes_negative() {
        let body = QuestionBody::MultipleChoice {
            options: options(&[1, 2, 3]),
        };
        let score = |ids: Vec<u32>| auto_score(&body, Some(&Response::Choices(ids)), 6);
        assert_eq!(score(vec![1, 2, 3]), Some(6.0));
        assert_eq!(score(vec![1, 2]), Some(4.0));
        assert_eq!(
            score(vec![1, 2, 3, 4]),
            Some(4.0),
            "a wrong option takes a share away"
        );
        assert_eq!(score(vec![4]), Some(0.0), "never below zero");
        assert_eq!(score(vec![1, 1, 1]), Some(2.0), "a repeated id counts once");
    }

    #[test]
    fn numeric_accepts_within_tolerance_including_bounds_and_decimal_commas() {
        let body = QuestionBody::Numeric {
            answer: 1.25,
            tolerance: 0.01,
        };
        let score = |text: &str| auto_score(&body, Some(&Response::Number(text.into())), 2);
        assert_eq!(score("1.25"), Some(2.0));
        assert_eq!(score("1.26"), Some(2.0));
        assert_eq!(score(" 1,24 "), Some(2.0));
        assert_eq!(score("1.27"), Some(0.0));
        assert_eq!(score("pi"), Some(0.0));
        assert_eq!(parse_number("1,234.5"), Some(1234.5));
    }

    #[test]
    fn people_grade_text_and_code_but_blank_answers_score_zero() {
        let essay = QuestionBody::LongText {
            model_answer: String::new(),
        };
        assert_eq!(
            auto_score(&essay, Some(&Response::Text("An answer".into())), 5),
            None
        );
        assert_eq!(
            auto_score(&essay, Some(&Response::Text("   ".into())), 5),
            Some(0.0)
        );
        assert_eq!(auto_score(&essay, None, 5), Some(0.0));
        let tf = QuestionBody::TrueFalse { correct: false };
        assert_eq!(
            auto_score(&tf, Some(&Response::Boolean(false)), 1),
            Some(1.0)
        );
        assert_eq!(percent(7.0, 9.0), 77.8);
    }

    #[test]
    fn bodies_are_validated_with_a_message_to_fix() {
        let no_correct = QuestionBody::SingleChoice {
            options: options(&[]),
        };
        assert_eq!(
            no_correct.validate().unwrap_err(),
            "Mark exactly one option as correct."
        );
        let ok = QuestionBody::MultipleChoice {
            options: options(&[1, 4]),
        };
        assert!(ok.validate().is_ok());
        let bad = QuestionBody::Numeric {
            answer: 1.0,
            tolerance: -1.0,
        };
        assert!(bad.validate().is_err());
        let json = serde_json::to_string(&ok).unwrap();
        assert!(json.starts_with(r#"{"kind":"multiple_choice","options":"#));
        assert_eq!(
            serde_json::to_string(&Response::Choices(vec![2])).unwrap(),
            r#"{"choices":[2]}"#
        );
    }
}
