//! The test as the island holds it: the questions with their sequence numbers and marks,
//! which one is shown, the clock, the save status and the queue. Plain Rust: the time
//! (milliseconds, the browser's clock) comes in as a value; `dom.rs` shows the result.

use super::queue::{Queue, Save};
use crate::candidate_test::runner::{self, Mark, Status};
use crate::questions::model::{QuestionKind, Response};

pub struct Question {
    pub id: String,
    pub kind: QuestionKind,
    pub seq: i64,
    pub answered: bool,
    pub flagged: bool,
    pub spent_ms: i64,
}

pub struct Test {
    pub token: String,
    /// Where the browser's storage keeps the queue.
    pub storage_key: String,
    pub questions: Vec<Question>,
    pub current: usize,
    /// When the current question was shown.
    pub shown_since: f64,
    pub queue: Queue,
    pub status: Status,
    /// The server's clock minus the browser's, in ms.
    pub offset_ms: f64,
    /// By the server's clock, in ms since the epoch.
    pub deadline_ms: f64,
    /// Handing in has begun (or the session closed): no second start, no Submit button.
    pub finishing: bool,
    /// What the clock and the warning show, to touch the page only when they change.
    pub shown_clock: String,
    pub shown_warning: Option<&'static str>,
}

/// What the clock shows after a tick, where it changed.
pub struct Tick {
    pub clock: Option<String>,
    pub warning: Option<Option<&'static str>>,
    /// Time is up and handing in has not begun.
    pub due: bool,
}

impl Test {
    pub fn new(
        token: String,
        session: &str,
        questions: Vec<Question>,
        server_now_ms: f64,
        deadline_ms: f64,
        now: f64,
    ) -> Test {
        Test {
            token,
            storage_key: format!("are-test:{session}"),
            questions,
            current: 0,
            shown_since: now,
            queue: Queue::default(),
            status: Status::Saved,
            offset_ms: server_now_ms - now,
            deadline_ms,
            finishing: false,
            shown_clock: String::new(),
            shown_warning: None,
        }
    }

    pub fn mark(&self, index: usize) -> Mark {
        let question = &self.questions[index];
        Mark {
            current: index == self.current,
            answered: question.answered,
            flagged: question.flagged,
        }
    }

    fn time_on(&self, index: usize, now: f64) -> i64 {
        let mut spent = self.questions[index].spent_ms;
        if index == self.current {
            spent += (now - self.shown_since).max(0.0) as i64;
        }
        spent
    }

    /// Takes a save left on this device by an earlier visit when it is newer than the
    /// answer the page came with: it wins, is queued, and its question's index returned.
    pub fn restore(&mut self, save: Save, now: f64) -> Option<usize> {
        let index = self
            .questions
            .iter()
            .position(|q| q.id == save.question_id)?;
        let question = &mut self.questions[index];
        if save.seq <= question.seq {
            return None;
        }
        question.seq = save.seq;
        question.flagged = save.flagged;
        question.answered = save.response.as_ref().is_some_and(Response::is_answered);
        self.queue.push(save, now);
        Some(index)
    }

    /// The kind of question `index`, when a change of it may still be recorded.
    pub fn changeable(&self, index: usize) -> Option<QuestionKind> {
        if matches!(self.status, Status::Closed(_)) {
            return None;
        }
        self.questions.get(index).map(|q| q.kind)
    }

    /// Records a change of question `index` (its answer, as its inputs hold it now, or its
    /// flag): the next sequence number, into the queue.
    pub fn change(&mut self, index: usize, response: Option<Response>, now: f64) {
        let time_spent_ms = self.time_on(index, now);
        let question = &mut self.questions[index];
        question.seq += 1;
        question.answered = response.as_ref().is_some_and(Response::is_answered);
        let save = Save {
            question_id: question.id.clone(),
            response,
            seq: question.seq,
            flagged: question.flagged,
            time_spent_ms,
        };
        self.queue.push(save, now);
    }

    /// Shows question `index`; the one shown before, or `None` when nothing changes.
    pub fn go_to(&mut self, index: usize, now: f64) -> Option<usize> {
        let from = self.current;
        if from == index || index >= self.questions.len() {
            return None;
        }
        self.questions[from].spent_ms = self.time_on(from, now);
        self.shown_since = now;
        self.current = index;
        Some(from)
    }

    /// The questions not answered yet, numbered from 1.
    pub fn unanswered(&self) -> Vec<usize> {
        (0..self.questions.len())
            .filter(|i| !self.questions[*i].answered)
            .map(|i| i + 1)
            .collect()
    }

    /// The clock and its warning at `now`.
    pub fn tick(&mut self, now: f64) -> Tick {
        let left = runner::seconds_left(self.deadline_ms, now + self.offset_ms);
        let clock = runner::clock(left);
        let warning = runner::warning(left);
        let clock = (clock != self.shown_clock).then(|| {
            self.shown_clock = clock.clone();
            clock
        });
        let warning = (warning != self.shown_warning).then(|| {
            self.shown_warning = warning;
            warning
        });
        Tick {
            clock,
            warning,
            due: left == 0 && !self.finishing,
        }
    }
}
