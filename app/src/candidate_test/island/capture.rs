//! Proctoring capture's bookkeeping: the events recorded on this page load, which batch
//! goes next, what an acknowledgement removes, and how long each absence lasted. Plain
//! Rust like the save queue: the island tells it the time (the browser's clock, in
//! milliseconds) and what the server answered, and does the sending.
//!
//! Rules:
//! - every event gets this page load's next id; it stays until the server acknowledged
//!   that id (a resent batch is stored once, so resending is always safe);
//! - a batch goes every [`HEARTBEAT_MS`] (also when empty: it is the heartbeat), or as
//!   soon as [`BATCH_EVENTS`] events wait; one at a time;
//! - when the server could not be reached the events wait (in the browser's storage too)
//!   and the next try is [`RETRY_MS`] later, or when the connection returns; answering
//!   never waits for any of it;
//! - events an earlier page load of this session left unsent go first, under that load's
//!   instance id, marked as resent so they do not count as its heartbeat.

use uuid::Uuid;

use crate::proctoring::{ClientEvent, EventDetails, EventKind, HEARTBEAT_MS, MAX_BATCH_EVENTS};

/// Events that make a batch go before the heartbeat is due.
pub const BATCH_EVENTS: usize = 20;
/// How soon a batch that could not reach the server is tried again.
pub const RETRY_MS: f64 = 3_000.0;

/// Something that lasts: its start is kept until it ends, and the event that ends it
/// carries its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absence {
    /// The tab was hidden (`visibilitychange`).
    Tab,
    /// The window lost focus.
    Focus,
    /// Out of full screen.
    Fullscreen,
    /// The connection was lost.
    Network,
}

impl Absence {
    fn index(self) -> usize {
        match self {
            Self::Tab => 0,
            Self::Focus => 1,
            Self::Fullscreen => 2,
            Self::Network => 3,
        }
    }

    /// The events that begin and end it.
    fn kinds(self) -> (EventKind, EventKind) {
        match self {
            Self::Tab => (EventKind::TabHidden, EventKind::TabVisible),
            Self::Focus => (EventKind::WindowBlur, EventKind::WindowFocus),
            Self::Fullscreen => (EventKind::FullscreenExited, EventKind::FullscreenEntered),
            Self::Network => (EventKind::Offline, EventKind::Online),
        }
    }
}

/// A batch to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub instance: Uuid,
    pub events: Vec<ClientEvent>,
    /// Left by an earlier page load: not that load's heartbeat.
    pub resent: bool,
}

#[derive(Debug)]
pub struct Capture {
    pub instance: Uuid,
    next_id: i64,
    /// Not yet acknowledged, oldest first.
    pending: Vec<ClientEvent>,
    /// Earlier page loads' unsent events, sent first.
    left_over: Vec<(Uuid, Vec<ClientEvent>)>,
    in_flight: bool,
    last_sent: f64,
    wait_until: f64,
    since: [Option<f64>; 4],
}

impl Capture {
    /// A page load's capture, starting at `now`; its first batch (with `PageLoaded`)
    /// goes at once.
    pub fn new(instance: Uuid, now: f64) -> Self {
        let mut capture = Self {
            instance,
            next_id: 0,
            pending: Vec::new(),
            left_over: Vec::new(),
            in_flight: false,
            last_sent: f64::NEG_INFINITY,
            wait_until: 0.0,
            since: [None; 4],
        };
        capture.record(EventKind::PageLoaded, now, None, EventDetails::default());
        capture
    }

    /// Events an earlier page load of this session could not send.
    pub fn take_over(&mut self, instance: Uuid, events: Vec<ClientEvent>) {
        if instance != self.instance && !events.is_empty() {
            self.left_over.push((instance, events));
        }
    }

    /// Records an event that has no length.
    pub fn record(
        &mut self,
        kind: EventKind,
        at: f64,
        question_id: Option<Uuid>,
        details: EventDetails,
    ) -> i64 {
        self.push(kind, at, None, question_id, details)
    }

    fn push(
        &mut self,
        kind: EventKind,
        at: f64,
        duration_ms: Option<i64>,
        question_id: Option<Uuid>,
        details: EventDetails,
    ) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.pending.push(ClientEvent {
            id,
            kind,
            at_ms: at as i64,
            duration_ms,
            question_id,
            details,
        });
        id
    }

    /// An id for an event sent on its own (a snapshot), from the same sequence.
    pub fn next_id(&mut self) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// The absence began (a second start before it ended is ignored).
    pub fn began(&mut self, absence: Absence, at: f64, question_id: Option<Uuid>) {
        if self.since[absence.index()].is_some() {
            return;
        }
        self.since[absence.index()] = Some(at);
        self.push(
            absence.kinds().0,
            at,
            None,
            question_id,
            EventDetails::default(),
        );
    }

    /// The absence ended; the event carries how long it lasted. Nothing when it had not
    /// begun (a focus event at load).
    pub fn ended(&mut self, absence: Absence, at: f64, question_id: Option<Uuid>) -> Option<i64> {
        let since = self.since[absence.index()].take()?;
        let duration = (at - since).max(0.0) as i64;
        self.push(
            absence.kinds().1,
            at,
            Some(duration),
            question_id,
            EventDetails::default(),
        );
        Some(duration)
    }

    /// Events waiting, for the browser's storage.
    pub fn pending(&self) -> &[ClientEvent] {
        &self.pending
    }

    /// The batch to send now, if one is due.
    pub fn next(&mut self, now: f64) -> Option<Batch> {
        if self.in_flight || now < self.wait_until {
            return None;
        }
        if let Some((instance, events)) = self.left_over.first() {
            self.in_flight = true;
            return Some(Batch {
                instance: *instance,
                events: events.iter().take(MAX_BATCH_EVENTS).cloned().collect(),
                resent: true,
            });
        }
        let due = self.pending.len() >= BATCH_EVENTS || now - self.last_sent >= HEARTBEAT_MS as f64;
        if !due {
            return None;
        }
        self.in_flight = true;
        self.last_sent = now;
        Some(Batch {
            instance: self.instance,
            events: self
                .pending
                .iter()
                .take(MAX_BATCH_EVENTS)
                .cloned()
                .collect(),
            resent: false,
        })
    }

    /// The server stored every event of `instance` up to `through`.
    pub fn acknowledged(&mut self, instance: Uuid, through: i64) {
        self.in_flight = false;
        if instance == self.instance {
            self.pending.retain(|e| e.id > through);
        } else if let Some(index) = self.left_over.iter().position(|(i, _)| *i == instance) {
            let events = &mut self.left_over[index].1;
            events.retain(|e| e.id > through);
            if events.is_empty() {
                self.left_over.remove(index);
            }
        }
    }

    /// The server refused the batch for good (the test is over): nothing more goes.
    pub fn closed(&mut self) {
        self.pending.clear();
        self.left_over.clear();
        self.in_flight = true;
        self.wait_until = f64::INFINITY;
    }

    /// The batch did not reach the server: try again later (then at once, heartbeat or
    /// not).
    pub fn failed(&mut self, now: f64) {
        self.in_flight = false;
        self.wait_until = now + RETRY_MS;
        self.last_sent = f64::NEG_INFINITY;
    }

    /// The connection is back: no more waiting.
    pub fn wake(&mut self) {
        if self.wait_until.is_finite() {
            self.wait_until = 0.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn the_first_batch_goes_at_once_then_one_every_heartbeat() {
        let mut capture = Capture::new(instance(1), 1_000.0);
        let first = capture.next(1_000.0).unwrap();
        assert_eq!(first.events[0].kind, EventKind::PageLoaded);
        assert!(capture.next(1_001.0).is_none(), "one batch at a time");
        capture.acknowledged(instance(1), 0);
        assert!(capture.pending().is_empty());
        assert!(capture.next(3_000.0).is_none(), "not due yet");
        let beat = capture.next(6_000.0).unwrap();
        assert!(beat.events.is_empty(), "a heartbeat with nothing to report");
        assert!(!beat.resent);
    }

    #[test]
    fn twenty_events_go_before_the_heartbeat() {
        let mut capture = Capture::new(instance(1), 0.0);
        capture.next(0.0);
        capture.acknowledged(instance(1), 0);
        for n in 0..BATCH_EVENTS {
            capture.record(
                EventKind::Copy,
                10.0 + n as f64,
                None,
                EventDetails::default(),
            );
        }
        let batch = capture.next(100.0).unwrap();
        assert_eq!(batch.events.len(), BATCH_EVENTS);
    }

    #[test]
    fn events_stay_until_acknowledged_and_a_failure_waits() {
        let mut capture = Capture::new(instance(1), 0.0);
        capture.record(
            EventKind::Paste,
            5.0,
            None,
            EventDetails {
                length: Some(12),
                ..Default::default()
            },
        );
        let batch = capture.next(10.0).unwrap();
        assert_eq!(batch.events.len(), 2);
        capture.failed(10.0);
        assert!(capture.next(100.0).is_none(), "waits before retrying");
        capture.record(EventKind::Cut, 200.0, None, EventDetails::default());
        let retry = capture.next(10.0 + RETRY_MS).unwrap();
        assert_eq!(retry.events.len(), 3, "nothing was dropped");
        // Acknowledged up to the paste: the cut recorded meanwhile stays.
        capture.acknowledged(instance(1), 1);
        assert_eq!(capture.pending().len(), 1);
        assert_eq!(capture.pending()[0].kind, EventKind::Cut);
    }

    #[test]
    fn the_connection_coming_back_ends_the_wait() {
        let mut capture = Capture::new(instance(1), 0.0);
        capture.next(0.0);
        capture.failed(0.0);
        assert!(capture.next(1.0).is_none());
        capture.wake();
        assert!(capture.next(1.0).is_some());
    }

    #[test]
    fn an_absence_ends_with_its_length() {
        let mut capture = Capture::new(instance(1), 0.0);
        capture.began(Absence::Tab, 1_000.0, None);
        capture.began(Absence::Tab, 2_000.0, None);
        assert_eq!(capture.ended(Absence::Tab, 191_000.0, None), Some(190_000));
        assert_eq!(capture.ended(Absence::Focus, 191_000.0, None), None);
        let kinds: Vec<_> = capture
            .pending()
            .iter()
            .map(|e| (e.kind, e.duration_ms))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (EventKind::PageLoaded, None),
                (EventKind::TabHidden, None),
                (EventKind::TabVisible, Some(190_000)),
            ]
        );
        assert_eq!(
            capture.ended(Absence::Tab, 192_000.0, None),
            None,
            "ended once"
        );
    }

    #[test]
    fn an_earlier_page_loads_events_go_first_as_resent() {
        let mut capture = Capture::new(instance(2), 0.0);
        let old = ClientEvent {
            id: 7,
            kind: EventKind::TabHidden,
            at_ms: -5,
            duration_ms: None,
            question_id: None,
            details: EventDetails::default(),
        };
        capture.take_over(instance(1), vec![old.clone()]);
        capture.take_over(instance(2), vec![old.clone()]);
        let first = capture.next(0.0).unwrap();
        assert_eq!(
            (first.instance, first.resent, first.events.len()),
            (instance(1), true, 1)
        );
        capture.acknowledged(instance(1), 7);
        let own = capture.next(1.0).unwrap();
        assert_eq!((own.instance, own.resent), (instance(2), false));
    }

    #[test]
    fn every_absence_has_its_own_events_and_snapshots_share_the_ids() {
        let mut capture = Capture::new(instance(1), 0.0);
        capture.began(Absence::Fullscreen, 10.0, None);
        capture.began(Absence::Network, 20.0, None);
        assert_eq!(
            capture.ended(Absence::Network, 17_020.0, None),
            Some(17_000)
        );
        assert_eq!(
            capture.ended(Absence::Fullscreen, 30_010.0, None),
            Some(30_000)
        );
        let snapshot = capture.next_id();
        capture.record(EventKind::Copy, 40_000.0, None, EventDetails::default());
        let kinds: Vec<_> = capture.pending().iter().map(|e| (e.id, e.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                (0, EventKind::PageLoaded),
                (1, EventKind::FullscreenExited),
                (2, EventKind::Offline),
                (3, EventKind::Online),
                (4, EventKind::FullscreenEntered),
                (6, EventKind::Copy),
            ]
        );
        assert_eq!(snapshot, 5);
    }

    #[test]
    fn after_the_test_closes_nothing_more_goes() {
        let mut capture = Capture::new(instance(1), 0.0);
        capture.closed();
        capture.record(EventKind::Copy, 1.0, None, EventDetails::default());
        capture.wake();
        assert!(capture.next(1e9).is_none());
    }
}
