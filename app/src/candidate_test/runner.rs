//! What the test page says about the test under way: the clock, the warnings, the save
//! status, the navigator's marks and the confirmation. The server renders the page with
//! these and the test island updates it with the same words, so both always agree.

/// What the save indicator says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Saved,
    Saving,
    Offline,
    /// A save the server refused for good (the message says why); others go on.
    Failed(String),
    /// The session is over (time is up, or submitted elsewhere).
    Closed(String),
}

impl Status {
    pub fn text(&self) -> &str {
        match self {
            Status::Saved => "Saved",
            Status::Saving => "Saving…",
            Status::Offline => "Offline — your answers are kept on this device and will be sent",
            Status::Failed(message) | Status::Closed(message) => message,
        }
    }

    pub fn class(&self) -> &'static str {
        match self {
            Status::Saved => "save-status saved",
            Status::Saving => "save-status saving",
            Status::Offline => "save-status offline",
            Status::Failed(_) | Status::Closed(_) => "save-status failed",
        }
    }
}

/// Whole seconds left before `deadline_ms`, never negative (both by the server's clock).
pub fn seconds_left(deadline_ms: f64, now_ms: f64) -> i64 {
    ((deadline_ms - now_ms) / 1000.0).ceil().max(0.0) as i64
}

/// The countdown as minutes and seconds ("29:05"; an hour and more shows as "75:00").
pub fn clock(seconds: i64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// The warning shown with this much time left, if any (at 5 and at 1 minute).
pub fn warning(seconds: i64) -> Option<&'static str> {
    match seconds {
        0 => Some("Time is up. Your answers are being handed in."),
        1..=60 => {
            Some("Less than 1 minute left. The test is handed in automatically when time runs out.")
        }
        61..=300 => Some("Less than 5 minutes left."),
        _ => None,
    }
}

/// How question `index` (from 0) stands in the navigator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub current: bool,
    pub answered: bool,
    pub flagged: bool,
}

impl Mark {
    pub fn class(self) -> String {
        let mut class = String::from("nav-item");
        if self.current {
            class.push_str(" current");
        }
        if self.answered {
            class.push_str(" answered");
        }
        if self.flagged {
            class.push_str(" flagged");
        }
        class
    }

    /// The navigator button's accessible name.
    pub fn label(self, index: usize) -> String {
        format!(
            "Question {}, {}{}",
            index + 1,
            if self.answered {
                "answered"
            } else {
                "unanswered"
            },
            if self.flagged { ", flagged" } else { "" }
        )
    }
}

/// The flag button's label.
pub fn flag_label(flagged: bool) -> &'static str {
    if flagged {
        "Unflag"
    } else {
        "Flag for review"
    }
}

/// The confirmation's line about unanswered questions (numbered from 1).
pub fn unanswered_message(numbers: &[usize]) -> String {
    match numbers {
        [] => "You have answered every question.".into(),
        [one] => format!("Not answered yet: question {one}."),
        many => {
            let list: Vec<String> = many.iter().map(ToString::to_string).collect();
            format!("Not answered yet: questions {}.", list.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_counts_whole_seconds_up() {
        assert_eq!(seconds_left(10_000.0, 0.0), 10);
        assert_eq!(seconds_left(10_000.0, 9_001.0), 1);
        assert_eq!(seconds_left(10_000.0, 12_000.0), 0);
        assert_eq!(clock(1_805), "30:05");
        assert_eq!(clock(4_500), "75:00");
        assert_eq!(clock(0), "0:00");
    }

    #[test]
    fn warnings_come_at_five_and_one_minute() {
        assert_eq!(warning(301), None);
        assert_eq!(warning(300), Some("Less than 5 minutes left."));
        assert!(warning(60).unwrap().starts_with("Less than 1 minute"));
        assert!(warning(0).unwrap().starts_with("Time is up"));
    }

    #[test]
    fn the_navigator_names_each_state() {
        let mark = Mark {
            current: true,
            answered: true,
            flagged: true,
        };
        assert_eq!(mark.class(), "nav-item current answered flagged");
        assert_eq!(mark.label(2), "Question 3, answered, flagged");
        let plain = Mark {
            current: false,
            answered: false,
            flagged: false,
        };
        assert_eq!(plain.class(), "nav-item");
        assert_eq!(plain.label(0), "Question 1, unanswered");
    }

    #[test]
    fn the_confirmation_lists_unanswered_questions() {
        assert_eq!(unanswered_message(&[]), "You have answered every question.");
        assert_eq!(unanswered_message(&[7]), "Not answered yet: question 7.");
        assert_eq!(
            unanswered_message(&[2, 5]),
            "Not answered yet: questions 2, 5."
        );
    }
}
