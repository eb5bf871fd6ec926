//! The save queue: which save goes to the server next, what an acknowledgement removes,
//! and when to try again. Plain Rust: the island tells it the time (milliseconds, the
//! browser's clock) and what the server answered, and does the sending.
//!
//! Rules:
//! - a change waits in the queue, at most one save per answer: a newer sequence number for
//!   the same answer replaces an older one, an older one is ignored;
//! - one send at a time, once typing has paused ([`DEBOUNCE_MS`]);
//! - a save leaves the queue only when the server acknowledged its sequence number or a
//!   newer one, so a newer change made while it travelled is still sent;
//! - when the server could not be reached the queue waits ([`RETRY_MS`], or until the
//!   connection returns) and keeps everything; a change never cuts that wait short;
//! - handing in sends everything queued at once (no more debounce), then the submission.

use crate::questions::model::Response;

/// How long typing may pause before a save goes out.
pub const DEBOUNCE_MS: f64 = 400.0;
/// How soon a send that could not reach the server is tried again.
pub const RETRY_MS: f64 = 3_000.0;

/// A save as it waits in the queue and travels: `AnswerSave`, with the question id kept
/// as the page gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct Save {
    pub question_id: String,
    pub response: Option<Response>,
    pub seq: i64,
    pub flagged: bool,
    pub time_spent_ms: i64,
}

/// What to send now.
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    Save(Save),
    /// Every save is through and the test is being handed in.
    Submit,
}

/// The saves waiting for the server, and when the next send may go.
#[derive(Debug, Default)]
pub struct Queue {
    /// Saves not yet acknowledged, in the order their answers last changed; the one
    /// travelling stays here until acknowledged.
    pending: Vec<Save>,
    /// A send is under way (a save or the submission).
    in_flight: bool,
    /// Nothing is sent before this time (after a change, or after a failure).
    wait_until: f64,
    /// The submission follows once the queue is empty.
    handing_in: bool,
}

impl Queue {
    /// Saves not yet acknowledged, as the browser's storage keeps them.
    pub fn pending(&self) -> &[Save] {
        &self.pending
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Queues a change made at `now`; `false` when a newer one of the same answer is
    /// already queued (and this one is ignored).
    pub fn push(&mut self, save: Save, now: f64) -> bool {
        if let Some(index) = self
            .pending
            .iter()
            .position(|p| p.question_id == save.question_id)
        {
            if self.pending[index].seq >= save.seq {
                return false;
            }
            self.pending.remove(index);
        }
        self.pending.push(save);
        if !self.handing_in {
            self.wait_until = self.wait_until.max(now + DEBOUNCE_MS);
        }
        true
    }

    /// What to send at `now`, if anything; the caller sends it and reports the outcome
    /// ([`acknowledged`](Self::acknowledged), [`failed`](Self::failed),
    /// [`refused`](Self::refused) or [`handed_in`](Self::handed_in)).
    pub fn next(&mut self, now: f64) -> Option<Next> {
        if self.in_flight || now < self.wait_until {
            return None;
        }
        let next = match self.pending.first() {
            Some(save) => Next::Save(save.clone()),
            None if self.handing_in => Next::Submit,
            None => return None,
        };
        self.in_flight = true;
        Some(next)
    }

    /// When [`next`](Self::next) will have something to send, if it is only waiting; `None`
    /// when there is nothing to send or a send is under way (its outcome moves things on).
    pub fn wake_at(&self) -> Option<f64> {
        let waiting = !self.in_flight && (!self.pending.is_empty() || self.handing_in);
        waiting.then_some(self.wait_until)
    }

    /// The server holds sequence number `seq` for the answer of the save that was sent:
    /// that save and any older one of the answer leave the queue.
    pub fn acknowledged(&mut self, question_id: &str, seq: i64) {
        self.in_flight = false;
        self.pending
            .retain(|save| !(save.question_id == question_id && save.seq <= seq));
    }

    /// The send did not reach the server (or the server failed): everything stays, and
    /// the next try is after [`RETRY_MS`].
    pub fn failed(&mut self, now: f64) {
        self.in_flight = false;
        self.wait_until = now + RETRY_MS;
    }

    /// The server refused a save for good: that answer's saves leave the queue, the rest
    /// go on.
    pub fn refused(&mut self, question_id: &str) {
        self.in_flight = false;
        self.pending.retain(|save| save.question_id != question_id);
    }

    /// Ends any wait: the connection is back, or the page opened with saves left over.
    pub fn wake(&mut self, now: f64) {
        self.wait_until = self.wait_until.min(now);
    }

    /// Hands the test in: everything queued goes out at once, then the submission.
    pub fn hand_in(&mut self, now: f64) {
        self.handing_in = true;
        self.wake(now);
    }

    /// The session is over (handed in, or closed by the server): nothing more is sent
    /// except a submission already asked for.
    pub fn clear(&mut self) {
        self.in_flight = false;
        self.pending.clear();
    }

    /// The submission reached the server: nothing is left to send.
    pub fn handed_in(&mut self) {
        self.clear();
        self.handing_in = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn save(question: &str, seq: i64) -> Save {
        Save {
            question_id: question.into(),
            response: Some(Response::Text(format!("answer {seq}"))),
            seq,
            flagged: false,
            time_spent_ms: 0,
        }
    }

    fn sent(queue: &mut Queue, now: f64) -> Option<(String, i64)> {
        match queue.next(now)? {
            Next::Save(save) => Some((save.question_id, save.seq)),
            Next::Submit => None,
        }
    }

    fn seqs(queue: &Queue) -> Vec<(&str, i64)> {
        queue
            .pending()
            .iter()
            .map(|s| (s.question_id.as_str(), s.seq))
            .collect()
    }

    #[test]
    fn a_save_goes_out_once_typing_pauses_and_one_at_a_time() {
        let mut queue = Queue::default();
        assert_eq!(queue.next(0.0), None);
        assert_eq!(queue.wake_at(), None);
        queue.push(save("a", 1), 1_000.0);
        queue.push(save("b", 1), 1_100.0);
        assert_eq!(queue.wake_at(), Some(1_500.0));
        assert_eq!(queue.next(1_499.0), None);
        assert_eq!(sent(&mut queue, 1_500.0), Some(("a".into(), 1)));
        assert_eq!(queue.next(1_600.0), None, "one send at a time");
        assert_eq!(queue.wake_at(), None, "the outcome moves the queue on");
    }

    #[test]
    fn an_acknowledgement_removes_the_save_and_older_ones_only() {
        let mut queue = Queue::default();
        queue.push(save("a", 1), 0.0);
        queue.push(save("b", 4), 0.0);
        assert_eq!(sent(&mut queue, 400.0), Some(("a".into(), 1)));
        // A newer change of the same answer while the save travels.
        queue.push(save("a", 2), 500.0);
        queue.acknowledged("a", 1);
        assert_eq!(seqs(&queue), [("b", 4), ("a", 2)]);
        assert_eq!(sent(&mut queue, 900.0), Some(("b".into(), 4)));
        // The server already held a newer one of "b" (sent from another tab).
        queue.acknowledged("b", 9);
        assert_eq!(seqs(&queue), [("a", 2)]);
        assert_eq!(sent(&mut queue, 900.0), Some(("a".into(), 2)));
        queue.acknowledged("a", 2);
        assert!(queue.is_empty());
        assert_eq!(queue.next(900.0), None);
        assert_eq!(queue.wake_at(), None);
    }

    #[test]
    fn the_newer_seq_of_an_answer_wins() {
        let mut queue = Queue::default();
        assert!(queue.push(save("a", 3), 0.0));
        assert!(!queue.push(save("a", 2), 0.0), "an older save is ignored");
        assert!(!queue.push(save("a", 3), 0.0), "so is the same one again");
        assert!(queue.push(save("b", 1), 0.0));
        assert_eq!(seqs(&queue), [("a", 3), ("b", 1)]);
        assert!(queue.push(save("a", 4), 0.0));
        assert_eq!(
            seqs(&queue),
            [("b", 1), ("a", 4)],
            "replaced, and last in line"
        );
        assert_eq!(queue.pending()[1], save("a", 4));
    }

    #[test]
    fn a_failed_send_is_retried_later_with_everything_kept() {
        let mut queue = Queue::default();
        queue.push(save("a", 1), 0.0);
        assert_eq!(sent(&mut queue, 400.0), Some(("a".into(), 1)));
        queue.failed(500.0);
        assert_eq!(seqs(&queue), [("a", 1)]);
        assert_eq!(queue.wake_at(), Some(500.0 + RETRY_MS));
        assert_eq!(queue.next(500.0 + RETRY_MS - 1.0), None);
        assert_eq!(sent(&mut queue, 500.0 + RETRY_MS), Some(("a".into(), 1)));
        queue.acknowledged("a", 1);
        assert!(queue.is_empty());
    }

    #[test]
    fn a_refused_save_is_dropped_and_the_others_go_on() {
        let mut queue = Queue::default();
        queue.push(save("a", 1), 0.0);
        queue.push(save("b", 1), 0.0);
        assert_eq!(sent(&mut queue, 400.0), Some(("a".into(), 1)));
        queue.refused("a");
        assert_eq!(seqs(&queue), [("b", 1)]);
        assert_eq!(sent(&mut queue, 400.0), Some(("b".into(), 1)));
    }

    #[test]
    fn offline_the_queue_waits_keeps_changes_and_sends_when_online() {
        let mut queue = Queue::default();
        queue.push(save("a", 1), 0.0);
        assert_eq!(sent(&mut queue, 400.0), Some(("a".into(), 1)));
        queue.failed(400.0);
        // Changes made offline are kept, newest per answer, and do not end the wait.
        queue.push(save("a", 2), 1_000.0);
        queue.push(save("b", 1), 1_100.0);
        assert_eq!(seqs(&queue), [("a", 2), ("b", 1)]);
        assert_eq!(queue.next(1_500.0), None);
        assert_eq!(queue.wake_at(), Some(400.0 + RETRY_MS));
        // The connection returns.
        queue.wake(2_000.0);
        assert_eq!(sent(&mut queue, 2_000.0), Some(("a".into(), 2)));
        queue.acknowledged("a", 2);
        assert_eq!(sent(&mut queue, 2_000.0), Some(("b".into(), 1)));
    }

    #[test]
    fn saves_left_from_an_earlier_visit_go_out_at_once() {
        let mut queue = Queue::default();
        queue.push(save("a", 5), 10_000.0);
        queue.wake(10_000.0);
        assert_eq!(sent(&mut queue, 10_000.0), Some(("a".into(), 5)));
    }

    #[test]
    fn handing_in_follows_the_last_save_and_is_retried() {
        let mut queue = Queue::default();
        queue.push(save("a", 1), 0.0);
        queue.hand_in(100.0);
        assert_eq!(
            sent(&mut queue, 100.0),
            Some(("a".into(), 1)),
            "no debounce"
        );
        assert_eq!(queue.next(100.0), None);
        queue.push(save("a", 2), 150.0);
        queue.acknowledged("a", 1);
        assert_eq!(
            sent(&mut queue, 150.0),
            Some(("a".into(), 2)),
            "no debounce"
        );
        queue.acknowledged("a", 2);
        assert_eq!(queue.next(200.0), Some(Next::Submit));
        queue.failed(200.0);
        assert_eq!(queue.wake_at(), Some(200.0 + RETRY_MS));
        assert_eq!(queue.next(200.0 + RETRY_MS), Some(Next::Submit));
        queue.handed_in();
        assert_eq!(queue.next(10_000.0), None);
        assert_eq!(queue.wake_at(), None);
    }

    #[test]
    fn a_closed_session_sends_nothing_more_but_a_submission_asked_for() {
        let mut queue = Queue::default();
        queue.push(save("a", 1), 0.0);
        queue.push(save("b", 1), 0.0);
        assert!(queue.next(400.0).is_some());
        queue.clear();
        assert!(queue.is_empty());
        assert_eq!(queue.next(400.0), None);
        queue.hand_in(500.0);
        assert_eq!(queue.next(500.0), Some(Next::Submit));
    }
}
