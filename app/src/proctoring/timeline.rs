//! One timeline per session: an SVG time axis from the start to the end with the events
//! by severity, the snapshots, the answer saves and the monitoring gaps together. It is
//! zoomed to a range and filtered by severity through the page's query string
//! (`from`, `to` in seconds, `severity` repeated), so it works without JavaScript and a
//! zoomed view can be linked to. [`Layout`] is plain arithmetic, tested below; the views
//! draw it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::view::offset_label;
use super::{EventKind, RecordEntry, Severity};

/// The SVG's width in its own units.
pub const WIDTH: f64 = 1000.0;
/// The shortest range a zoom shows.
pub const MIN_RANGE_MS: i64 = 10_000;

/// The part of the session shown, in milliseconds since its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    pub from_ms: i64,
    pub to_ms: i64,
}

impl Range {
    /// The range the query asks for (seconds), kept within the session and at least
    /// [`MIN_RANGE_MS`] wide; the whole session when absent or unreadable.
    pub fn parse(from: Option<&str>, to: Option<&str>, length_ms: i64) -> Self {
        let length_ms = length_ms.max(MIN_RANGE_MS);
        let seconds = |text: Option<&str>| {
            text.and_then(|t| t.trim().parse::<f64>().ok())
                .filter(|s| s.is_finite())
                .map(|s| (s * 1000.0) as i64)
        };
        let from_ms = seconds(from).unwrap_or(0).clamp(0, length_ms);
        let to_ms = seconds(to).unwrap_or(length_ms).clamp(0, length_ms);
        if to_ms - from_ms < MIN_RANGE_MS {
            let from_ms = from_ms.min(length_ms - MIN_RANGE_MS);
            return Self {
                from_ms,
                to_ms: from_ms + MIN_RANGE_MS,
            };
        }
        Self { from_ms, to_ms }
    }

    pub fn contains(&self, offset_ms: i64) -> bool {
        (self.from_ms..=self.to_ms).contains(&offset_ms)
    }

    /// Where `offset_ms` falls on the axis, 0 to [`WIDTH`] (clamped).
    pub fn x(&self, offset_ms: i64) -> f64 {
        let span = (self.to_ms - self.from_ms).max(1) as f64;
        ((offset_ms - self.from_ms) as f64 / span * WIDTH).clamp(0.0, WIDTH)
    }
}

/// The severities shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityFilter {
    pub info: bool,
    pub low: bool,
    pub medium: bool,
    pub high: bool,
}

impl Default for SeverityFilter {
    fn default() -> Self {
        Self {
            info: true,
            low: true,
            medium: true,
            high: true,
        }
    }
}

impl SeverityFilter {
    pub const ALL: [Severity; 4] = [
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    /// The severities named in the query (`info`, `low`, `medium`, `high`); every one
    /// when none is named.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let names: Vec<&str> = names.into_iter().map(str::trim).collect();
        if names.is_empty() {
            return Self::default();
        }
        let has = |name: &str| names.contains(&name);
        Self {
            info: has("info"),
            low: has("low"),
            medium: has("medium"),
            high: has("high"),
        }
    }

    pub fn shows(&self, severity: Severity) -> bool {
        match severity {
            Severity::Info => self.info,
            Severity::Low => self.low,
            Severity::Medium => self.medium,
            Severity::High => self.high,
        }
    }

    /// The query's part for these severities, "" when every one is shown.
    pub fn query(&self) -> String {
        if *self == Self::default() {
            return String::new();
        }
        Self::ALL
            .into_iter()
            .filter(|s| self.shows(*s))
            .map(|s| format!("&severity={}", s.as_str()))
            .collect()
    }
}

/// An answer saved during the session: when (since the start) and which question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerSave {
    pub offset_ms: i64,
    /// The question's number as the candidate saw it, from 1.
    pub number: i32,
}

/// An event drawn on the axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Dot {
    pub x: f64,
    pub y: f64,
    pub severity: Severity,
    pub title: String,
}

/// A monitoring gap drawn across the lanes.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    pub x: f64,
    pub width: f64,
    pub title: String,
}

/// A snapshot's thumbnail on its lane.
#[derive(Debug, Clone, PartialEq)]
pub struct Thumb {
    pub x: f64,
    pub url: String,
    pub title: String,
}

/// What the SVG draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub range: Range,
    pub dots: Vec<Dot>,
    pub gaps: Vec<Gap>,
    pub thumbs: Vec<Thumb>,
    pub saves: Vec<(f64, String)>,
    /// Axis ticks: where, and the time they read.
    pub ticks: Vec<(f64, String)>,
    /// The four quarters of the range, each a zoom target: (x, from seconds, to seconds).
    pub quarters: Vec<(f64, f64, f64)>,
}

/// The lane of each severity, top to bottom, then the answers and the snapshots.
pub fn lane_y(severity: Severity) -> f64 {
    match severity {
        Severity::High => 30.0,
        Severity::Medium => 55.0,
        Severity::Low => 80.0,
        Severity::Info => 105.0,
    }
}
pub const SAVES_Y: f64 = 130.0;
pub const THUMBS_Y: f64 = 145.0;
pub const AXIS_Y: f64 = 190.0;
pub const HEIGHT: f64 = 215.0;

/// Lays out the entries within `range` that `filter` shows, with the answer saves.
pub fn layout(
    entries: &[RecordEntry],
    saves: &[AnswerSave],
    range: Range,
    filter: SeverityFilter,
) -> Layout {
    let mut dots = Vec::new();
    let mut gaps = Vec::new();
    let mut thumbs = Vec::new();
    for entry in entries {
        let title = format!("{} {}", offset_label(entry.offset_ms), entry.text);
        if entry.kind == EventKind::MonitoringGap {
            // A gap is drawn wherever it overlaps the range, whatever the filter: it says
            // what could not be seen.
            let end = entry.offset_ms + entry.duration_ms.unwrap_or(0);
            if end >= range.from_ms && entry.offset_ms <= range.to_ms {
                let x = range.x(entry.offset_ms);
                gaps.push(Gap {
                    x,
                    width: (range.x(end) - x).max(2.0),
                    title,
                });
            }
            continue;
        }
        if !range.contains(entry.offset_ms) || !filter.shows(entry.severity) {
            continue;
        }
        let x = range.x(entry.offset_ms);
        match &entry.snapshot_url {
            Some(url) => thumbs.push(Thumb {
                x,
                url: url.clone(),
                title,
            }),
            None => dots.push(Dot {
                x,
                y: lane_y(entry.severity),
                severity: entry.severity,
                title,
            }),
        }
    }
    let saves = saves
        .iter()
        .filter(|s| range.contains(s.offset_ms))
        .map(|s| {
            (
                range.x(s.offset_ms),
                format!(
                    "{} Answer to question {} saved",
                    offset_label(s.offset_ms),
                    s.number
                ),
            )
        })
        .collect();
    let step = tick_step(range.to_ms - range.from_ms);
    let first = (range.from_ms + step - 1) / step * step;
    let ticks = (0..)
        .map(|i| first + i * step)
        .take_while(|&t| t <= range.to_ms)
        .map(|t| (range.x(t), offset_label(t)))
        .collect();
    let quarter = (range.to_ms - range.from_ms) as f64 / 4.0;
    let quarters = (0..4)
        .map(|i| {
            let from = range.from_ms as f64 + quarter * f64::from(i);
            (
                WIDTH / 4.0 * f64::from(i),
                (from / 1000.0).floor(),
                ((from + quarter) / 1000.0).ceil(),
            )
        })
        .collect();
    Layout {
        range,
        dots,
        gaps,
        thumbs,
        saves,
        ticks,
        quarters,
    }
}

/// A round tick interval giving four to ten ticks over `span_ms`.
fn tick_step(span_ms: i64) -> i64 {
    const STEPS: [i64; 12] = [
        1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000,
        1_800_000,
    ];
    STEPS
        .into_iter()
        .find(|step| span_ms / step <= 10)
        .unwrap_or(3_600_000)
}

/// The SVG of a layout. `zoom_href` makes a range's link (from, to in seconds); none
/// draws no zoom targets (the exported record).
#[component]
pub fn TimelineSvg(
    layout: Layout,
    #[prop(optional)] zoom_href: Option<Callback<(f64, f64), String>>,
) -> impl IntoView {
    let lanes = SeverityFilter::ALL.map(|s| (lane_y(s), s.label()));
    let view_box = format!("0 0 {WIDTH} {HEIGHT}");
    view! {
        <svg class="timeline" viewBox=view_box role="group" aria-label="Timeline of the session: events by severity, snapshots, answer saves and monitoring gaps" preserveAspectRatio="none">
            {lanes.into_iter().map(|(y, label)| view! {
                <line class="lane" x1="0" x2=WIDTH y1=y y2=y/>
                <text class="lane-label" x="4" y=y - 4.0>{label}</text>
            }).collect_view()}
            <line class="lane" x1="0" x2=WIDTH y1=SAVES_Y y2=SAVES_Y/>
            <text class="lane-label" x="4" y=SAVES_Y - 4.0>"Answers"</text>
            {layout.gaps.into_iter().map(|gap| view! {
                <rect class="gap" x=gap.x y="12" width=gap.width height=AXIS_Y - 12.0>
                    <title>{gap.title}</title>
                </rect>
            }).collect_view()}
            {layout.saves.into_iter().map(|(x, title)| view! {
                <line class="save" x1=x x2=x y1=SAVES_Y - 6.0 y2=SAVES_Y + 6.0><title>{title}</title></line>
            }).collect_view()}
            {layout.dots.into_iter().map(|dot| view! {
                <circle class=format!("dot {}", dot.severity.as_str()) cx=dot.x cy=dot.y r="5"><title>{dot.title}</title></circle>
            }).collect_view()}
            {layout.thumbs.into_iter().map(|thumb| view! {
                <image class="thumb" href=thumb.url x=(thumb.x - 16.0).max(0.0) y=THUMBS_Y width="32" height="24">
                    <title>{thumb.title}</title>
                </image>
            }).collect_view()}
            <line class="axis" x1="0" x2=WIDTH y1=AXIS_Y y2=AXIS_Y/>
            {layout.ticks.into_iter().map(|(x, label)| view! {
                <line class="tick" x1=x x2=x y1=AXIS_Y y2=AXIS_Y + 5.0/>
                <text class="tick-label" x=x y=AXIS_Y + 17.0>{label}</text>
            }).collect_view()}
            {zoom_href.map(|href| layout.quarters.into_iter().map(|(x, from, to)| {
                let label = format!("Zoom in to {} – {}", offset_label((from * 1000.0) as i64), offset_label((to * 1000.0) as i64));
                let title = label.clone();
                view! {
                    <a class="zoom" href=href.run((from, to)) aria-label=label>
                        <rect x=x y="0" width=WIDTH / 4.0 height="12"><title>{title}</title></rect>
                    </a>
                }
            }).collect_view())}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(offset_ms: i64, kind: EventKind, duration_ms: Option<i64>) -> RecordEntry {
        RecordEntry {
            offset_ms,
            kind,
            severity: kind.severity(duration_ms),
            text: kind.describe(duration_ms, &Default::default()),
            snapshot_url: (kind == EventKind::Snapshot).then(|| "/s/1".to_string()),
            file_id: None,
            duration_ms,
        }
    }

    #[test]
    fn a_range_stays_within_the_session_and_wide_enough() {
        assert_eq!(
            Range::parse(None, None, 600_000),
            Range {
                from_ms: 0,
                to_ms: 600_000
            }
        );
        assert_eq!(
            Range::parse(Some("60"), Some("120"), 600_000),
            Range {
                from_ms: 60_000,
                to_ms: 120_000
            }
        );
        assert_eq!(
            Range::parse(Some("-5"), Some("9999"), 600_000).to_ms,
            600_000
        );
        let narrow = Range::parse(Some("599"), Some("599"), 600_000);
        assert_eq!(narrow.to_ms - narrow.from_ms, MIN_RANGE_MS);
        assert_eq!(narrow.to_ms, 600_000);
        assert_eq!(Range::parse(Some("x"), None, 600_000).from_ms, 0);
        assert_eq!(narrow.x(595_000), 500.0);
    }

    #[test]
    fn the_filter_reads_the_query_and_writes_it_back() {
        assert_eq!(SeverityFilter::parse([]), SeverityFilter::default());
        let high = SeverityFilter::parse(["high", "medium"]);
        assert!(high.shows(Severity::High) && !high.shows(Severity::Low));
        assert_eq!(high.query(), "&severity=high&severity=medium");
        assert_eq!(SeverityFilter::default().query(), "");
    }

    #[test]
    fn the_layout_puts_each_thing_on_its_lane_and_gaps_across() {
        let entries = [
            entry(10_000, EventKind::TabHidden, None),
            entry(40_000, EventKind::TabVisible, Some(30_000)),
            entry(50_000, EventKind::Snapshot, None),
            entry(60_000, EventKind::MonitoringGap, Some(20_000)),
            entry(90_000, EventKind::SecondInstance, None),
        ];
        let saves = [AnswerSave {
            offset_ms: 20_000,
            number: 1,
        }];
        let range = Range::parse(None, None, 100_000);
        let all = layout(&entries, &saves, range, SeverityFilter::default());
        assert_eq!(all.dots.len(), 3);
        assert_eq!(all.dots[2].y, lane_y(Severity::High));
        assert_eq!(all.thumbs.len(), 1);
        assert_eq!(all.gaps.len(), 1);
        assert_eq!((all.gaps[0].x, all.gaps[0].width), (600.0, 200.0));
        assert!(all.gaps[0]
            .title
            .contains("Monitoring unavailable for 20 s"));
        assert_eq!(all.saves.len(), 1);
        assert!(all.saves[0].1.contains("question 1"));
        assert!(all.ticks.len() >= 4 && all.ticks.len() <= 11);
        assert_eq!(all.quarters[1], (250.0, 25.0, 50.0));

        let zoomed = layout(
            &entries,
            &saves,
            Range::parse(Some("30"), Some("70"), 100_000),
            SeverityFilter::parse(["medium"]),
        );
        // In range: the medium return at 40 s; the low hide at 10 s is out, and so is the
        // snapshot (info); the gap overlaps and is drawn whatever the filter.
        assert_eq!(zoomed.dots.len(), 1);
        assert_eq!(zoomed.dots[0].severity, Severity::Medium);
        assert!(zoomed.thumbs.is_empty());
        assert_eq!(zoomed.gaps.len(), 1);
        assert!(zoomed.saves.is_empty());
    }
}
