//! The board page's cards, rendered once and kept in memory.
//!
//! Rendering a board of a few hundred cards is most of what its page costs, and a board
//! is looked at far more often than it changes. An entry is used only while
//!
//! - the requisition's `board_version` is the one it was rendered at: database triggers
//!   bump it on every change a board shows, made by any code in any server process
//!   (migration `board_cache_and_search`), and every view reads it afresh with the requisition,
//!   in the query that checks the viewer may work on it;
//! - no card's "days in stage" has ticked over since, and no interview on it has ended
//!   (its feedback is due from then on);
//! - it belongs to the viewer's organization, and to their kind of viewer (whether
//!   cards link to candidate profiles, and whether they show the candidates' tags).
//!
//! The cards are read after the version, so an entry never holds data older than its
//! version says.
//!
//! Only the whole board is kept: a filtered view (`BoardFilter`) reads and renders the
//! cards it shows for itself, in as many queries as an unfiltered view that misses.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use leptos::tachys::view::RenderHtml;
use uuid::Uuid;

use super::{
    days_in_stage_change_at, BoardFilter, Column, PipelineBoard, RenderedCards, StageKind,
};
use crate::access::guard::require_role;
use crate::error::AppError;
use crate::requisitions::find_for;

/// Boards kept at most; past it, outdated entries go first, then the soonest to expire.
pub const CAPACITY: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BoardKey {
    pub requisition_id: Uuid,
    /// Cards link to candidate profiles for those who may open them (hiring managers: a
    /// limited profile); an interviewer's board would have none.
    pub can_open_candidates: bool,
    /// Cards show tags to those who see the whole candidate record (`super::shows_tags`).
    pub shows_tags: bool,
}

#[derive(Debug, Default)]
pub struct BoardCache {
    entries: Mutex<HashMap<BoardKey, Arc<RenderedCards>>>,
}

impl BoardCache {
    /// The cards rendered at `version` for the organization, unless stale at `now`.
    pub fn get(
        &self,
        key: BoardKey,
        org_id: Uuid,
        version: i64,
        now: DateTime<Utc>,
    ) -> Option<Arc<RenderedCards>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(&key)
            .filter(|cards| cards.org_id == org_id && cards.version == version)
            .filter(|cards| now < cards.valid_until)
            .cloned()
    }

    /// Keeps `cards` for `key`, unless a newer version is kept already.
    pub fn put(&self, key: BoardKey, cards: Arc<RenderedCards>, now: DateTime<Utc>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(kept) = entries.get(&key) {
            if kept.version > cards.version && now < kept.valid_until {
                return;
            }
        }
        if entries.len() >= CAPACITY && !entries.contains_key(&key) {
            entries.retain(|_, kept| now < kept.valid_until);
            if entries.len() >= CAPACITY {
                if let Some(first) = entries
                    .iter()
                    .min_by_key(|(_, kept)| kept.valid_until)
                    .map(|(key, _)| *key)
                {
                    entries.remove(&first);
                }
            }
        }
        entries.insert(key, cards);
    }
}

/// The process's rendered boards, which the server puts in every request's context.
pub fn boards() -> Result<Arc<BoardCache>, AppError> {
    crate::state::context("BoardCache")
}

/// The board page's data: the requisition (which also checks the viewer may work on it)
/// and its cards, those `filter` keeps: without a filter from the cache when they are
/// current, else read and rendered now (and kept, unfiltered).
pub async fn pipeline_board(
    requisition_id: Uuid,
    mut filter: BoardFilter,
) -> Result<PipelineBoard, AppError> {
    let user = require_role(crate::access::REQUISITION_ROLES).await?;
    let pool = crate::state::pool()?;
    let boards = boards()?;
    let requisition = find_for(&user, &pool, requisition_id).await?;
    let key = BoardKey {
        requisition_id,
        can_open_candidates: crate::access::CANDIDATE_PROFILE_ROLES.contains(&user.role),
        shows_tags: super::shows_tags(user.role),
    };
    // Those who do not see tags do not filter by them either: that would tell them.
    if !key.shows_tags {
        filter.tag = None;
    }
    let now = Utc::now();
    let version = requisition.board_version;
    let kept = if filter.is_active() {
        None
    } else {
        boards.get(key, user.org_id, version, now)
    };
    let cards = match kept {
        Some(cards) => cards,
        None => {
            let (columns, config) =
                super::columns(&pool, user.org_id, requisition_id, key.shows_tags).await?;
            let cards = Arc::new(render(
                user.org_id,
                version,
                columns,
                config,
                &filter,
                key.can_open_candidates,
                now,
            ));
            if !filter.is_active() {
                boards.put(key, cards.clone(), now);
            }
            cards
        }
    };
    Ok(PipelineBoard {
        requisition_id,
        status: requisition.status,
        title: requisition.title,
        openings: requisition.openings,
        filter,
        shows_tags: key.shows_tags,
        cards,
        can_invite: crate::access::ASSESSMENT_MANAGE_ROLES.contains(&user.role),
    })
}

/// The columns' counts and tags, and the markup of the cards `filter` keeps.
fn render(
    org_id: Uuid,
    version: i64,
    mut columns: Vec<Column>,
    config: super::data::BoardConfig,
    filter: &BoardFilter,
    can_open_candidates: bool,
    now: DateTime<Utc>,
) -> RenderedCards {
    let cards = || columns.iter().flat_map(|column| &column.cards);
    let valid_until = cards()
        .flat_map(|card| {
            std::iter::once(days_in_stage_change_at(card.stage_entered_at, now))
                .chain(card.interviews.next_end)
        })
        .min()
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let total = cards().count();
    let hired = columns
        .iter()
        .filter(|column| column.stage.kind == StageKind::Hired)
        .map(|column| column.cards.len())
        .sum();
    let mut tags: Vec<String> = cards()
        .flat_map(|card| &card.tags)
        .map(|tag| tag.to_lowercase())
        .collect();
    tags.sort();
    tags.dedup();
    let stages = columns.iter().map(|column| column.stage.clone()).collect();
    if filter.is_active() {
        for column in &mut columns {
            column.cards.retain(|card| filter.matches(card));
        }
    }
    let shown = columns.iter().map(|column| column.cards.len()).sum();
    let html = super::board::columns_view(columns, can_open_candidates, now)
        .to_html()
        .into();
    RenderedCards {
        org_id,
        version,
        valid_until,
        html,
        total,
        hired,
        shown,
        tags,
        stages,
        reasons: config.reasons,
        assessments: config.assessments,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{Card, CardInterviews, Stage};
    use crate::results::{ResultBadge, Verdict};

    fn cards(org_id: Uuid, version: i64, valid_until: DateTime<Utc>) -> Arc<RenderedCards> {
        Arc::new(RenderedCards {
            org_id,
            version,
            valid_until,
            html: format!("v{version}").into(),
            total: 0,
            hired: 0,
            shown: 0,
            tags: Vec::new(),
            stages: Vec::new(),
            reasons: Vec::new(),
            assessments: Vec::new(),
        })
    }

    fn key(n: u128) -> BoardKey {
        BoardKey {
            requisition_id: Uuid::from_u128(n),
            can_open_candidates: true,
            shows_tags: true,
        }
    }

    #[test]
    fn an_entry_serves_only_its_version_its_organization_and_its_viewers() {
        let cache = BoardCache::default();
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let later = now + chrono::Duration::hours(1);
        let org = Uuid::from_u128(7);
        cache.put(key(1), cards(org, 3, later), now);
        assert_eq!(cache.get(key(1), org, 3, now).unwrap().html.as_ref(), "v3");
        assert!(cache.get(key(1), org, 4, now).is_none(), "changed since");
        assert!(cache.get(key(1), Uuid::from_u128(8), 3, now).is_none());
        let without_profiles = BoardKey {
            can_open_candidates: false,
            ..key(1)
        };
        assert!(cache.get(without_profiles, org, 3, now).is_none());
        let without_tags = BoardKey {
            shows_tags: false,
            ..key(1)
        };
        assert!(cache.get(without_tags, org, 3, now).is_none());
        assert!(cache.get(key(2), org, 3, now).is_none());
    }

    #[test]
    fn an_entry_expires_when_a_day_count_changes() {
        let cache = BoardCache::default();
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let org = Uuid::from_u128(7);
        cache.put(
            key(1),
            cards(org, 1, now + chrono::Duration::seconds(10)),
            now,
        );
        assert!(cache
            .get(key(1), org, 1, now + chrono::Duration::seconds(9))
            .is_some());
        assert!(cache
            .get(key(1), org, 1, now + chrono::Duration::seconds(10))
            .is_none());
    }

    #[test]
    fn a_slow_render_of_an_older_version_does_not_replace_a_newer_one() {
        let cache = BoardCache::default();
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let later = now + chrono::Duration::hours(1);
        let org = Uuid::from_u128(7);
        cache.put(key(1), cards(org, 5, later), now);
        cache.put(key(1), cards(org, 4, later), now);
        assert_eq!(cache.get(key(1), org, 5, now).unwrap().html.as_ref(), "v5");
        cache.put(key(1), cards(org, 6, later), now);
        assert_eq!(cache.get(key(1), org, 6, now).unwrap().html.as_ref(), "v6");
    }

    fn card(n: u128, name: &str, tags: &[&str], verdict: Option<Verdict>) -> Card {
        Card {
            application_id: Uuid::from_u128(n),
            candidate_id: Uuid::from_u128(100 + n),
            candidate_name: name.to_string(),
            tags: tags.iter().map(|tag| tag.to_string()).collect(),
            stage_entered_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            rejection_reason: None,
            result: verdict.map(|verdict| ResultBadge {
                percent: 80.0,
                verdict,
            }),
            proctoring: None,
            interviews: CardInterviews::default(),
            skills: None,
        }
    }

    fn board() -> Vec<Column> {
        let column = |n: u128, name: &str, kind: StageKind, cards: Vec<Card>| Column {
            stage: Stage {
                id: Uuid::from_u128(n),
                name: name.to_string(),
                kind,
            },
            cards,
        };
        vec![
            column(
                1,
                "Applied",
                StageKind::Active,
                vec![
                    card(
                        1,
                        "Ada Lovelace",
                        &["python", "remote"],
                        Some(Verdict::Passed),
                    ),
                    card(2, "Grace Hopper", &[], None),
                ],
            ),
            column(
                2,
                "Hired",
                StageKind::Hired,
                vec![card(
                    3,
                    "Linus Torvalds",
                    &["Remote"],
                    Some(Verdict::Pending),
                )],
            ),
        ]
    }

    fn rendered(filter: &BoardFilter) -> RenderedCards {
        let config = crate::pipeline::data::BoardConfig {
            stages: Vec::new(),
            reasons: Vec::new(),
            assessments: Vec::new(),
        };
        let now = DateTime::from_timestamp(1_700_100_000, 0).unwrap();
        render(Uuid::from_u128(7), 1, board(), config, filter, true, now)
    }

    /// A `data-…` attribute's value in a card's markup.
    fn attribute<'a>(card: &'a str, name: &str) -> &'a str {
        let start = card.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        &card[start..start + card[start..].find('"').unwrap()]
    }

    #[test]
    fn cards_and_columns_carry_what_the_island_filters_and_moves_by() {
        let all = rendered(&BoardFilter::default());
        assert_eq!((all.total, all.hired, all.shown), (3, 1, 3));
        assert_eq!(all.tags, ["python", "remote"]);
        let html = all.html.as_ref();
        assert!(html.contains(&format!(
            "data-stage=\"{}\" data-kind=\"active\"",
            Uuid::from_u128(1)
        )));
        assert!(html.contains("data-kind=\"hired\""));
        assert!(html.contains("Tags: python, remote"));
        assert!(
            !html.contains("draggable"),
            "the island makes cards draggable"
        );
        let cards: Vec<&str> = html.split("<li").skip(1).collect();
        assert_eq!(
            attribute(cards[0], "data-app"),
            Uuid::from_u128(1).to_string()
        );
        assert_eq!(attribute(cards[0], "data-name"), "Ada Lovelace");
        assert_eq!(attribute(cards[0], "data-tags"), "python,remote");
        assert_eq!(attribute(cards[0], "data-result"), "passed");
        assert_eq!(attribute(cards[1], "data-tags"), "");
        assert_eq!(attribute(cards[1], "data-result"), "none");
        assert_eq!(attribute(cards[2], "data-result"), "pending");

        // What the island reads from a card decides as the server does.
        let filters = [
            ("ada", "", ""),
            ("", "remote", ""),
            ("", "", "none"),
            ("l", "REMOTE", "pending"),
        ];
        for (text, tag, result) in filters {
            let filter = BoardFilter::parse(Some(text), Some(tag), Some(result)).unwrap();
            let by_markup: Vec<&str> = cards
                .iter()
                .filter(|card| {
                    filter.matches_parts(
                        attribute(card, "data-name"),
                        attribute(card, "data-tags").split(','),
                        attribute(card, "data-result"),
                    )
                })
                .map(|card| attribute(card, "data-app"))
                .collect();
            let filtered = rendered(&filter);
            let by_server: Vec<&str> = filtered
                .html
                .split("<li")
                .skip(1)
                .map(|card| attribute(card, "data-app"))
                .collect();
            assert_eq!(by_markup, by_server, "{text:?} {tag:?} {result:?}");
            assert_eq!(filtered.shown, by_server.len());
            assert_eq!(
                (filtered.total, filtered.hired),
                (3, 1),
                "the whole board's"
            );
            assert_eq!(filtered.tags, all.tags, "the whole board's");
        }
    }

    #[test]
    fn the_cache_keeps_at_most_its_capacity() {
        let cache = BoardCache::default();
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let org = Uuid::from_u128(7);
        for n in 0..(CAPACITY as u128 + 10) {
            let until = now + chrono::Duration::seconds(n as i64 + 1);
            cache.put(key(n), cards(org, 1, until), now);
        }
        assert_eq!(cache.entries.lock().unwrap().len(), CAPACITY);
        let newest = CAPACITY as u128 + 9;
        assert!(cache.get(key(newest), org, 1, now).is_some());
        assert!(
            cache.get(key(0), org, 1, now).is_none(),
            "soonest to expire went first"
        );
    }
}
