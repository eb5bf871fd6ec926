//! Trust bands: how much of what proctoring recorded deserves a reviewer's attention,
//! from a documented formula, with every reason in words. A band is a prompt to look,
//! never a verdict: signals are not proof, and a person decides.
//!
//! The formula. From the session's events:
//! - **time away**: the union of the intervals the tab was hidden or the window lost
//!   focus, as a share of the session's length, and how many visits away;
//! - **full-screen exits** (when the assessment requires full screen);
//! - **pastes** and the characters pasted;
//! - **camera off**: refused, or stopped, until the end;
//! - **a second instance**: the test open twice at once.
//!
//! Each signal is at "some" or "major" level by the organization's thresholds
//! ([`Thresholds`], defaults below); the band is the highest level reached: none gives
//! "no concerns". Monitoring gaps are listed separately and never raise the band: a gap
//! says we could not see, not that something happened.

use serde::{Deserialize, Serialize};

use super::{duration_words, EventKind};

pub use crate::results::Band;

/// The organization's thresholds: at or above `some_*` a signal is of some concern, at
/// or above `major_*` of major concern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Thresholds {
    pub some_away_percent: u32,
    pub major_away_percent: u32,
    pub some_exits: u32,
    pub major_exits: u32,
    pub some_paste_chars: u32,
    pub major_paste_chars: u32,
    pub some_camera_off_percent: u32,
    pub major_camera_off_percent: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            some_away_percent: 3,
            major_away_percent: 15,
            some_exits: 2,
            major_exits: 6,
            some_paste_chars: 40,
            major_paste_chars: 400,
            some_camera_off_percent: 5,
            major_camera_off_percent: 30,
        }
    }
}

/// One event, as the band reads it: when it happened since the start, and how long it
/// lasted when it has a length.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Signal {
    pub kind: EventKind,
    pub offset_ms: i64,
    pub duration_ms: Option<i64>,
    /// Characters, for a paste.
    pub length: Option<u32>,
}

impl Signal {
    /// An event that happened `at` in a session that started at `started_at`.
    pub fn at(
        kind: EventKind,
        at: chrono::DateTime<chrono::Utc>,
        started_at: chrono::DateTime<chrono::Utc>,
        duration_ms: Option<i64>,
        length: Option<u32>,
    ) -> Self {
        Self {
            kind,
            offset_ms: (at - started_at).num_milliseconds().max(0),
            duration_ms,
            length,
        }
    }
}

/// What the formula found, in numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub session_ms: i64,
    pub away_ms: i64,
    pub away_visits: u32,
    pub fullscreen_exits: u32,
    pub pastes: u32,
    pub pasted_chars: u32,
    pub camera_off_ms: i64,
    pub camera_refused: bool,
    pub second_instance: bool,
    pub gap_ms: i64,
    pub gaps: u32,
}

/// The band with its reasons, and the monitoring gaps said apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub band: Band,
    pub reasons: Vec<String>,
    /// "Monitoring unavailable for …", when there were gaps.
    pub gaps: Option<String>,
    pub tally: Tally,
}

/// Counts the signals of a session `session_ms` long (events in time order).
pub fn tally(signals: &[Signal], session_ms: i64) -> Tally {
    let mut tally = Tally {
        session_ms: session_ms.max(0),
        ..Tally::default()
    };
    let mut away: Vec<(i64, i64)> = Vec::new();
    let mut camera_stopped_at: Option<i64> = None;
    for s in signals {
        match s.kind {
            EventKind::TabVisible | EventKind::WindowFocus => {
                if let Some(ms) = s.duration_ms {
                    away.push(((s.offset_ms - ms).max(0), s.offset_ms));
                }
            }
            EventKind::FullscreenExited => tally.fullscreen_exits += 1,
            EventKind::Paste => {
                tally.pastes += 1;
                tally.pasted_chars = tally.pasted_chars.saturating_add(s.length.unwrap_or(0));
            }
            EventKind::CameraDenied => tally.camera_refused = true,
            EventKind::CameraStopped => {
                camera_stopped_at.get_or_insert(s.offset_ms);
            }
            EventKind::CameraStarted => {
                if let Some(at) = camera_stopped_at.take() {
                    tally.camera_off_ms += (s.offset_ms - at).max(0);
                }
            }
            EventKind::SecondInstance => tally.second_instance = true,
            EventKind::MonitoringGap => {
                tally.gaps += 1;
                tally.gap_ms += s.duration_ms.unwrap_or(0);
            }
            _ => {}
        }
    }
    if let Some(at) = camera_stopped_at {
        tally.camera_off_ms += (tally.session_ms - at).max(0);
    }
    away.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::new();
    for (start, end) in away {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    tally.away_visits = merged.len() as u32;
    tally.away_ms = merged.iter().map(|(s, e)| e - s).sum();
    tally
}

fn percent(part: i64, whole: i64) -> u32 {
    if whole <= 0 {
        return 0;
    }
    ((part as f64 / whole as f64) * 100.0)
        .round()
        .clamp(0.0, 100.0) as u32
}

fn level(value: u32, some: u32, major: u32) -> Band {
    if value >= major {
        Band::MajorConcerns
    } else if value >= some && value > 0 {
        Band::SomeConcerns
    } else {
        Band::NoConcerns
    }
}

fn times(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The band of a tally, by `thresholds`, with a reason for every signal found.
pub fn assess(tally: Tally, thresholds: &Thresholds) -> Assessment {
    let t = thresholds;
    let mut band = Band::NoConcerns;
    let mut reasons = Vec::new();
    if tally.away_ms > 0 {
        let share = percent(tally.away_ms, tally.session_ms);
        band = band.max(level(share, t.some_away_percent, t.major_away_percent));
        reasons.push(format!(
            "away from the test for {}, {share}% of the time, in {}",
            duration_words(tally.away_ms),
            times(tally.away_visits, "visit", "visits")
        ));
    }
    if tally.fullscreen_exits > 0 {
        band = band.max(level(tally.fullscreen_exits, t.some_exits, t.major_exits));
        reasons.push(format!(
            "left full screen {}",
            times(tally.fullscreen_exits, "time", "times")
        ));
    }
    if tally.pastes > 0 {
        band = band.max(level(
            tally.pasted_chars,
            t.some_paste_chars,
            t.major_paste_chars,
        ));
        reasons.push(format!(
            "pasted {} ({} in all)",
            times(tally.pastes, "time", "times"),
            times(tally.pasted_chars, "character", "characters")
        ));
    }
    if tally.camera_refused {
        band = band.max(Band::SomeConcerns);
        reasons.push("refused camera access".into());
    }
    if tally.camera_off_ms > 0 {
        let share = percent(tally.camera_off_ms, tally.session_ms);
        band = band.max(level(
            share,
            t.some_camera_off_percent,
            t.major_camera_off_percent,
        ));
        reasons.push(format!(
            "camera off for {}, {share}% of the time",
            duration_words(tally.camera_off_ms)
        ));
    }
    if tally.second_instance {
        band = Band::MajorConcerns;
        reasons.push("the test was open in two browsers or tabs at the same time".into());
    }
    let gaps = (tally.gaps > 0).then(|| {
        format!(
            "Monitoring unavailable for {} in {} (not a concern by itself)",
            duration_words(tally.gap_ms),
            times(tally.gaps, "gap", "gaps")
        )
    });
    Assessment {
        band,
        reasons,
        gaps,
        tally,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(kind: EventKind, offset_ms: i64, duration_ms: Option<i64>) -> Signal {
        Signal {
            kind,
            offset_ms,
            duration_ms,
            length: None,
        }
    }

    const MINUTE: i64 = 60_000;

    #[test]
    fn a_quiet_session_has_no_concerns() {
        let a = assess(
            tally(&[s(EventKind::PageLoaded, 0, None)], 45 * MINUTE),
            &Thresholds::default(),
        );
        assert_eq!(a.band, Band::NoConcerns);
        assert!(a.reasons.is_empty());
        assert_eq!(a.gaps, None);
    }

    #[test]
    fn time_away_is_the_union_of_hidden_and_unfocused_time() {
        // Hidden for 100 s (also unfocused for the same 100 s), then 90 s more, in a
        // 45-minute test: 190 s, 7%, in 2 visits.
        let events = [
            s(EventKind::WindowFocus, 200_000, Some(100_000)),
            s(EventKind::TabVisible, 200_000, Some(100_000)),
            s(EventKind::TabVisible, 600_000, Some(90_000)),
        ];
        let a = assess(tally(&events, 45 * MINUTE), &Thresholds::default());
        assert_eq!(
            a.reasons,
            ["away from the test for 3 min 10 s, 7% of the time, in 2 visits"]
        );
        assert_eq!(a.band, Band::SomeConcerns);
    }

    #[test]
    fn pastes_weigh_by_their_length() {
        let paste = |n| Signal {
            length: Some(n),
            ..s(EventKind::Paste, 1_000, None)
        };
        let small = assess(tally(&[paste(12)], 30 * MINUTE), &Thresholds::default());
        assert_eq!(small.band, Band::NoConcerns);
        assert_eq!(small.reasons, ["pasted 1 time (12 characters in all)"]);
        let large = assess(
            tally(&[paste(300), paste(200)], 30 * MINUTE),
            &Thresholds::default(),
        );
        assert_eq!(large.band, Band::MajorConcerns);
    }

    #[test]
    fn a_second_instance_is_a_major_concern_and_gaps_are_not_a_concern() {
        let events = [
            s(EventKind::MonitoringGap, 1_000, Some(70_000)),
            s(EventKind::MonitoringGap, 500_000, Some(20_000)),
        ];
        let gaps = assess(tally(&events, 30 * MINUTE), &Thresholds::default());
        assert_eq!(gaps.band, Band::NoConcerns);
        assert_eq!(
            gaps.gaps.as_deref(),
            Some("Monitoring unavailable for 1 min 30 s in 2 gaps (not a concern by itself)")
        );
        let twice = assess(
            tally(&[s(EventKind::SecondInstance, 5, None)], MINUTE),
            &Thresholds::default(),
        );
        assert_eq!(twice.band, Band::MajorConcerns);
    }

    #[test]
    fn the_camera_off_counts_until_it_is_back_or_the_end() {
        let events = [
            s(EventKind::CameraStopped, 10 * MINUTE, None),
            s(EventKind::CameraStarted, 12 * MINUTE, None),
            s(EventKind::CameraStopped, 20 * MINUTE, None),
        ];
        let t = tally(&events, 30 * MINUTE);
        assert_eq!(t.camera_off_ms, 12 * MINUTE);
        let a = assess(t, &Thresholds::default());
        assert_eq!(a.band, Band::MajorConcerns);
        assert_eq!(a.reasons, ["camera off for 12 min, 40% of the time"]);
    }

    #[test]
    fn thresholds_are_the_organizations() {
        let exits = [
            s(EventKind::FullscreenExited, 1, None),
            s(EventKind::FullscreenExited, 2, None),
        ];
        let strict = Thresholds {
            major_exits: 2,
            ..Thresholds::default()
        };
        assert_eq!(
            assess(tally(&exits, MINUTE), &Thresholds::default()).band,
            Band::SomeConcerns
        );
        assert_eq!(
            assess(tally(&exits, MINUTE), &strict).band,
            Band::MajorConcerns
        );
    }
}
