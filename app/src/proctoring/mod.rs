//! Proctoring (seed ProctoringEvent): what the test page records while a candidate
//! answers, how the server stores it, and what it concludes from it.
//!
//! The test page's island (`candidate_test::island::capture`) records signals as events
//! with its own id per page load (the instance) and sends them in batches, each batch
//! also a heartbeat. The server (`service.rs`) refuses writes for a session that is not
//! running (409) or a token that is not that session's (404), stores each client event
//! once however often its batch is resent, and adds its own: a monitoring gap when
//! heartbeats stopped, a second instance when two page loads heartbeat at once.
//!
//! Signals are not proof: a gap is shown as a gap, never as a violation by itself, and a
//! person decides what the record means.

mod api;
pub mod band;
#[cfg(feature = "ssr")]
pub mod conclude;
#[cfg(feature = "ssr")]
pub mod data;
pub mod disposition;
#[cfg(feature = "ssr")]
pub mod export;
pub mod queue;
#[cfg(feature = "ssr")]
pub mod retention;
#[cfg(feature = "ssr")]
pub mod review;
#[cfg(feature = "ssr")]
pub mod service;
pub mod settings;
pub mod timeline;
pub mod view;
pub mod viewer;

pub use api::*;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The review page of a session (`pages::session_review`).
pub fn review_url(session_id: Uuid) -> String {
    format!("/proctoring/sessions/{session_id}")
}

/// The route of a session's exported record (`export.rs`).
pub fn review_export_url(session_id: Uuid) -> String {
    format!("{}/export", review_url(session_id))
}

/// How often the test page sends a heartbeat (with or without events).
pub const HEARTBEAT_MS: i64 = 5_000;
/// Heartbeats missing for this long make a monitoring gap.
pub const GAP_AFTER_MS: i64 = 15_000;
/// Days after a session ends that its snapshots and events' particulars are kept, for an
/// organization that set nothing else.
pub const DEFAULT_RETENTION_DAYS: i32 = 90;
/// The most events one batch may carry.
pub const MAX_BATCH_EVENTS: usize = 200;
/// The longest text in an event's details (a window size, a reason).
pub const MAX_DETAIL_CHARS: usize = 200;

/// How much an event weighs for a reviewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
}

impl Severity {
    /// Its name in JSON, the database, the page's query and its styles.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "Info",
            Severity::Low => "Low",
            Severity::Medium => "Medium",
            Severity::High => "High",
        }
    }
}

/// What happened. The test page sends the kinds [`EventKind::from_client`] accepts; the
/// server adds the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    TabHidden,
    TabVisible,
    WindowBlur,
    WindowFocus,
    FullscreenEntered,
    FullscreenExited,
    /// The browser refused to enter full screen.
    FullscreenRefused,
    Copy,
    Cut,
    Paste,
    ContextMenu,
    /// The window became very small (a test squeezed beside something else).
    WindowSmall,
    /// The browser reports a second screen.
    SecondScreen,
    Offline,
    Online,
    /// The test page was loaded (the first, or a reload).
    PageLoaded,
    CameraStarted,
    CameraDenied,
    /// The camera stopped or was unplugged.
    CameraStopped,
    Snapshot,
    /// Server: another page load of this session heartbeats at the same time.
    SecondInstance,
    /// Server: no heartbeat for a while; monitoring was unavailable.
    MonitoringGap,
}

impl EventKind {
    /// Every kind the test page may send.
    pub const CLIENT: [EventKind; 19] = [
        Self::TabHidden,
        Self::TabVisible,
        Self::WindowBlur,
        Self::WindowFocus,
        Self::FullscreenEntered,
        Self::FullscreenExited,
        Self::FullscreenRefused,
        Self::Copy,
        Self::Cut,
        Self::Paste,
        Self::ContextMenu,
        Self::WindowSmall,
        Self::SecondScreen,
        Self::Offline,
        Self::Online,
        Self::PageLoaded,
        Self::CameraStarted,
        Self::CameraDenied,
        Self::CameraStopped,
    ];

    pub fn from_client(self) -> bool {
        Self::CLIENT.contains(&self)
    }

    /// Its name in JSON and in the database (serde's; a test holds them equal).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TabHidden => "tab_hidden",
            Self::TabVisible => "tab_visible",
            Self::WindowBlur => "window_blur",
            Self::WindowFocus => "window_focus",
            Self::FullscreenEntered => "fullscreen_entered",
            Self::FullscreenExited => "fullscreen_exited",
            Self::FullscreenRefused => "fullscreen_refused",
            Self::Copy => "copy",
            Self::Cut => "cut",
            Self::Paste => "paste",
            Self::ContextMenu => "context_menu",
            Self::WindowSmall => "window_small",
            Self::SecondScreen => "second_screen",
            Self::Offline => "offline",
            Self::Online => "online",
            Self::PageLoaded => "page_loaded",
            Self::CameraStarted => "camera_started",
            Self::CameraDenied => "camera_denied",
            Self::CameraStopped => "camera_stopped",
            Self::Snapshot => "snapshot",
            Self::SecondInstance => "second_instance",
            Self::MonitoringGap => "monitoring_gap",
        }
    }

    /// The kind a client may send, by its name.
    pub fn parse_client(name: &str) -> Option<Self> {
        Self::CLIENT.into_iter().find(|kind| kind.as_str() == name)
    }

    /// The weight an event of this kind has, with its length where it has one (time
    /// away, time out of full screen).
    pub fn severity(self, duration_ms: Option<i64>) -> Severity {
        let long = duration_ms.is_some_and(|ms| ms >= 30_000);
        match self {
            Self::TabVisible | Self::WindowFocus | Self::FullscreenEntered | Self::Online => {
                if long {
                    Severity::Medium
                } else {
                    Severity::Low
                }
            }
            Self::TabHidden
            | Self::WindowBlur
            | Self::FullscreenExited
            | Self::Copy
            | Self::Cut => Severity::Low,
            Self::Paste | Self::SecondScreen | Self::CameraStopped | Self::CameraDenied => {
                Severity::Medium
            }
            Self::SecondInstance => Severity::High,
            Self::ContextMenu
            | Self::WindowSmall
            | Self::FullscreenRefused
            | Self::Offline
            | Self::PageLoaded
            | Self::CameraStarted
            | Self::Snapshot
            | Self::MonitoringGap => Severity::Info,
        }
    }

    /// The event in words, for the timeline and the exported record.
    pub fn describe(self, duration_ms: Option<i64>, details: &EventDetails) -> String {
        let took = duration_ms.map(duration_words);
        match (self, took) {
            (Self::TabHidden, _) => "Left the test's tab".into(),
            (Self::TabVisible, Some(away)) => format!("Came back to the test's tab after {away}"),
            (Self::TabVisible, None) => "Came back to the test's tab".into(),
            (Self::WindowBlur, _) => "The test's window lost focus".into(),
            (Self::WindowFocus, Some(away)) => {
                format!("The test's window had focus again after {away}")
            }
            (Self::WindowFocus, None) => "The test's window had focus again".into(),
            (Self::FullscreenEntered, Some(out)) => format!("Back in full screen after {out}"),
            (Self::FullscreenEntered, None) => "Entered full screen".into(),
            (Self::FullscreenExited, _) => "Left full screen".into(),
            (Self::FullscreenRefused, _) => "The browser did not allow full screen".into(),
            (Self::Copy, _) => format!("Copied {}", characters(details.length)),
            (Self::Cut, _) => format!("Cut {}", characters(details.length)),
            (Self::Paste, _) => format!("Pasted {}", characters(details.length)),
            (Self::ContextMenu, _) => "Opened the context menu".into(),
            (Self::WindowSmall, _) => match (details.width, details.height) {
                (Some(w), Some(h)) => format!("The window was made very small ({w} × {h})"),
                _ => "The window was made very small".into(),
            },
            (Self::SecondScreen, _) => "The browser reports a second screen".into(),
            (Self::Offline, _) => "The connection was lost".into(),
            (Self::Online, Some(off)) => format!("The connection came back after {off}"),
            (Self::Online, None) => "The connection came back".into(),
            (Self::PageLoaded, _) => "The test page was loaded".into(),
            (Self::CameraStarted, _) => "The camera started".into(),
            (Self::CameraDenied, _) => "Camera access was refused".into(),
            (Self::CameraStopped, _) => "The camera stopped".into(),
            (Self::Snapshot, _) => "Webcam snapshot".into(),
            (Self::SecondInstance, _) => {
                "The test was open in a second browser or tab at the same time".into()
            }
            (Self::MonitoringGap, Some(gap)) => {
                format!("Monitoring unavailable for {gap} (no signal from the test page)")
            }
            (Self::MonitoringGap, None) => {
                "Monitoring unavailable (no signal from the test page)".into()
            }
        }
    }
}

/// An event's particulars. Never what was copied or pasted: only how long it was.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDetails {
    /// Characters copied, cut or pasted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<u32>,
    /// The window's size, for `WindowSmall`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
}

impl EventDetails {
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

/// One event as the test page sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientEvent {
    /// The page's own number for it, increasing within one page load.
    pub id: i64,
    pub kind: EventKind,
    /// When it happened, milliseconds since the epoch by the browser's clock.
    pub at_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<i64>,
    /// The question on screen (its id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question_id: Option<Uuid>,
    #[serde(default)]
    pub details: EventDetails,
}

/// What the test page sends every few seconds: its events since the last
/// acknowledgement (possibly none: then it is only a heartbeat).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventBatch {
    /// This page load's id.
    pub instance: Uuid,
    /// When the batch left, by the browser's clock: with the server's time of arrival it
    /// gives the difference between the two clocks.
    pub sent_ms: i64,
    pub events: Vec<ClientEvent>,
    /// Events an earlier page load left unsent, sent by a later one: stored, but not a
    /// heartbeat of that earlier load.
    #[serde(default)]
    pub resent: bool,
}

/// The server's answer to a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchAck {
    /// Every event up to this id (of this instance) is stored.
    pub through: i64,
    pub server_now_ms: i64,
}

impl EventBatch {
    /// Refuses a batch the page could not have sent: a kind only the server records, a
    /// duration out of range, too many events.
    pub fn validate(&self) -> Result<(), String> {
        if self.events.len() > MAX_BATCH_EVENTS {
            return Err(format!(
                "A batch holds at most {MAX_BATCH_EVENTS} events; this one has {}.",
                self.events.len()
            ));
        }
        for event in &self.events {
            if !event.kind.from_client() {
                return Err("The batch holds an event the test page does not send.".into());
            }
            if event.id < 0 {
                return Err("An event's id cannot be negative.".into());
            }
            if event
                .duration_ms
                .is_some_and(|ms| !(0..=7 * 86_400_000).contains(&ms))
            {
                return Err("An event's duration is out of range.".into());
            }
            let d = &event.details;
            if d.length.is_some_and(|n| n > 10_000_000)
                || d.width.is_some_and(|n| n > 100_000)
                || d.height.is_some_and(|n| n > 100_000)
            {
                return Err("An event's details are out of range.".into());
            }
        }
        Ok(())
    }
}

/// A session's record as a reviewer reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// The trust band and its reasons.
    pub assessment: band::Assessment,
    pub entries: Vec<RecordEntry>,
    /// When retention deleted the snapshots and the events' particulars, if it has.
    pub purged_on: Option<String>,
    /// A reviewer's disposition, once made.
    pub decision: Option<DecisionView>,
}

/// A session as its review page shows it: who took what, the record, the answer saves
/// for the timeline, and the decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionReview {
    pub session_id: Uuid,
    pub candidate_name: String,
    pub assessment_title: String,
    pub requisition_title: String,
    pub status: crate::results::SessionStatus,
    /// In the viewer's time zone.
    pub started: String,
    /// From start to end (to now while running).
    pub length_ms: i64,
    pub accommodation: crate::results::Accommodation,
    pub record: SessionRecord,
    pub saves: Vec<timeline::AnswerSave>,
    /// Whether the viewer may offer a retake (it sends an invite).
    pub can_offer_retake: bool,
}

/// A disposition as the record shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionView {
    pub disposition: crate::results::Disposition,
    pub reason: String,
    pub decided_by: String,
    /// In the viewer's time zone.
    pub decided_at: String,
}

/// One event of the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordEntry {
    /// Since the session started.
    pub offset_ms: i64,
    pub kind: EventKind,
    pub severity: Severity,
    /// How long it lasted, when it has a length (a gap, time away).
    pub duration_ms: Option<i64>,
    /// The event in words.
    pub text: String,
    /// Where the reviewer's browser loads the snapshot from, for a snapshot.
    pub snapshot_url: Option<String>,
    /// The snapshot's file, while retention has not deleted it.
    pub file_id: Option<Uuid>,
}

/// "3 min 10 s", "45 s", "1 h 2 min".
pub fn duration_words(ms: i64) -> String {
    let seconds = (ms.max(0) + 500) / 1000;
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    match (h, m, s) {
        (0, 0, s) => format!("{s} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, 0, _) => format!("{h} h"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

fn characters(length: Option<u32>) -> String {
    match length {
        Some(1) => "1 character".into(),
        Some(n) => format!("{n} characters"),
        None => "text".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: EventKind) -> ClientEvent {
        ClientEvent {
            id: 1,
            kind,
            at_ms: 0,
            duration_ms: None,
            question_id: None,
            details: EventDetails::default(),
        }
    }

    #[test]
    fn a_batch_may_not_carry_what_only_the_server_records() {
        let batch = |kinds: &[EventKind]| EventBatch {
            instance: Uuid::nil(),
            sent_ms: 0,
            resent: false,
            events: kinds.iter().map(|k| event(*k)).collect(),
        };
        assert!(batch(&[EventKind::Paste, EventKind::TabHidden])
            .validate()
            .is_ok());
        assert!(batch(&[EventKind::MonitoringGap]).validate().is_err());
        assert!(batch(&[EventKind::SecondInstance]).validate().is_err());
        assert!(batch(&[EventKind::Snapshot]).validate().is_err());
        let many = vec![EventKind::Copy; MAX_BATCH_EVENTS + 1];
        assert!(batch(&many).validate().unwrap_err().contains("at most 200"));
        let mut negative = batch(&[EventKind::Copy]);
        negative.events[0].duration_ms = Some(-1);
        assert!(negative.validate().is_err());
    }

    #[test]
    fn kinds_are_named_as_serde_names_them() {
        for kind in EventKind::CLIENT.into_iter().chain([
            EventKind::Snapshot,
            EventKind::SecondInstance,
            EventKind::MonitoringGap,
        ]) {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
        assert_eq!(EventKind::parse_client("paste"), Some(EventKind::Paste));
        assert_eq!(EventKind::parse_client("monitoring_gap"), None);
    }

    #[test]
    fn a_paste_is_described_by_its_length_only() {
        let details = EventDetails {
            length: Some(42),
            ..Default::default()
        };
        assert_eq!(
            EventKind::Paste.describe(None, &details),
            "Pasted 42 characters"
        );
        assert_eq!(EventKind::Paste.severity(None), Severity::Medium);
        let json = serde_json::to_string(&details).unwrap();
        assert_eq!(json, r#"{"length":42}"#);
    }

    #[test]
    fn time_away_is_said_in_words_and_weighs_more_when_long() {
        assert_eq!(duration_words(190_000), "3 min 10 s");
        assert_eq!(duration_words(45_000), "45 s");
        assert_eq!(duration_words(120_000), "2 min");
        assert_eq!(duration_words(3_720_000), "1 h 2 min");
        assert_eq!(
            EventKind::TabVisible.describe(Some(190_000), &EventDetails::default()),
            "Came back to the test's tab after 3 min 10 s"
        );
        assert_eq!(EventKind::TabVisible.severity(Some(5_000)), Severity::Low);
        assert_eq!(
            EventKind::TabVisible.severity(Some(60_000)),
            Severity::Medium
        );
        assert_eq!(
            EventKind::MonitoringGap.severity(Some(600_000)),
            Severity::Info
        );
    }
}
