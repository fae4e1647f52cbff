//! The story list a page at a time: newest first and most read straight
//! from an index (keyset pages: `WHERE (key, id) < cursor ORDER BY key DESC,
//! id DESC LIMIT 21`, no per-row subquery), and search results from the
//! full-text index. Reading now is in [`super::reading_now`].
//!
//! Query plans (EXPLAIN QUERY PLAN, SQLite 3.44):
//! - newest: `SEARCH s USING INDEX stories_published (published_at>? AND
//!   published_at<?)` (the first bound is IS NOT NULL), then
//!   `SEARCH u USING INTEGER PRIMARY KEY` for the author; no sort step.
//! - most read: `SEARCH s USING INDEX stories_by_reads (read_count<?)`, the
//!   same author look-up; no sort step.
//! - search: see [`super::search`].

use std::sync::OnceLock;

use sqlx::AnyPool;

use super::cards::{Card, CARD_COLUMNS, CARD_FROM};
use super::list_params::{offset_cursor, Key, Position, Sort};
use super::rows::Lines;
use super::search;
use crate::db::Backend;
use crate::error::Result;
use crate::ids::StoryId;

/// Stories on one page.
pub const PAGE: usize = 20;

/// A link to a neighbouring page: `?<param>=<cursor>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLink {
    pub param: &'static str,
    pub cursor: String,
}

pub(super) fn after(cursor: String) -> Option<PageLink> {
    Some(PageLink {
        param: "after",
        cursor,
    })
}

pub(super) fn before(cursor: String) -> Option<PageLink> {
    Some(PageLink {
        param: "before",
        cursor,
    })
}

/// One page of the list.
pub struct Page {
    pub cards: Vec<Card>,
    /// The page above (newer, more read, more readers, better matches).
    pub newer: Option<PageLink>,
    /// The page below.
    pub older: Option<PageLink>,
    /// The cards' lines, rendered once for a page that is kept.
    pub lines: OnceLock<Vec<Lines>>,
}

impl Page {
    pub(super) fn new(cards: Vec<Card>, newer: Option<PageLink>, older: Option<PageLink>) -> Page {
        Page {
            cards,
            newer,
            older,
            lines: OnceLock::new(),
        }
    }

    /// Notes a committed read of `id`, should it be on this page.
    pub fn note_read_count(&self, id: StoryId, count: i64) {
        if let Some(card) = self.cards.iter().find(|card| card.id == id) {
            card.note_read_count(count);
        }
    }

    /// Reads the counters again: a read committed after the page was read
    /// from the database and before it was cached would be missed.
    pub async fn catch_up_counts(&self, db: &AnyPool) -> Result<()> {
        let ids: Vec<StoryId> = self.cards.iter().map(|card| card.id).collect();
        let counts = super::queries::read_counts(db, Backend::of(db), &ids).await?;
        for (id, count) in counts {
            self.note_read_count(id, count);
        }
        Ok(())
    }
}

/// `ids` as a JSON array, for [`Backend::ids_in`].
pub(super) fn id_list(ids: &[StoryId]) -> String {
    let numbers: Vec<String> = ids.iter().map(|id| id.0.to_string()).collect();
    format!("[{}]", numbers.join(","))
}

/// The orders an index serves.
#[derive(Debug, Clone, Copy)]
pub enum Indexed {
    Newest,
    MostRead,
}

impl Indexed {
    fn sort(self) -> Sort {
        match self {
            Indexed::Newest => Sort::Newest,
            Indexed::MostRead => Sort::MostRead,
        }
    }

    fn key(self, card: &Card) -> Key {
        let value = match self {
            Indexed::Newest => card.published_at,
            Indexed::MostRead => card.read_count(),
        };
        Key {
            value,
            id: card.id.0,
        }
    }

    /// Up to `limit` cards beyond `from`: below it (`down`) or above it,
    /// nearest first.
    async fn cards(self, db: &AnyPool, from: Key, down: bool, limit: usize) -> Result<Vec<Card>> {
        let column = match self {
            Indexed::Newest => "s.published_at",
            Indexed::MostRead => "s.read_count",
        };
        let (beyond, direction) = if down { ("<", "DESC") } else { (">", "ASC") };
        let sql = format!(
            "SELECT {CARD_COLUMNS} FROM {CARD_FROM}
             WHERE s.published_at IS NOT NULL AND ({column}, s.id) {beyond} ($1, $2)
             ORDER BY {column} {direction}, s.id {direction} LIMIT $3"
        );
        let rows: Vec<super::cards::CardRow> = sqlx::query_as(&sql)
            .bind(from.value)
            .bind(from.id)
            .bind(limit as i64)
            .fetch_all(db)
            .await?;
        Ok(rows.into_iter().map(|row| row.card(None)).collect())
    }
}

/// A page of an indexed order. A "newer" link from near the top leads to
/// the first page, which is always full.
pub async fn indexed(db: &AnyPool, order: Indexed, position: Position) -> Result<Page> {
    let sort = order.sort();
    let cursor = |card: &Card| order.key(card).cursor(sort);
    let from = match position {
        Position::First => Key::TOP,
        Position::After(key) => key,
        Position::Before(key) => {
            let mut cards = order.cards(db, key, false, PAGE + 1).await?;
            if cards.len() > PAGE {
                cards.truncate(PAGE);
                cards.reverse();
                let newer = before(cursor(&cards[0]));
                let older = cards.last().and_then(|card| after(cursor(card)));
                return Ok(Page::new(cards, newer, older));
            }
            // Fewer than a page above: that is the first page.
            Key::TOP
        }
    };
    let mut cards = order.cards(db, from, true, PAGE + 1).await?;
    let more = cards.len() > PAGE;
    cards.truncate(PAGE);
    let newer = match cards.first() {
        _ if from == Key::TOP => None,
        Some(first) => before(cursor(first)),
        // Past the last story: back to the stories above the cursor.
        None => before(from.cursor(sort)),
    };
    let older = cards
        .last()
        .filter(|_| more)
        .and_then(|card| after(cursor(card)));
    Ok(Page::new(cards, newer, older))
}

/// A page of search results for `words` (`None`: nothing to look for).
pub async fn found(db: &AnyPool, words: Option<&[String]>, offset: i64) -> Result<Page> {
    let Some(words) = words else {
        return Ok(Page::new(Vec::new(), None, None));
    };
    let mut cards = search::search(db, words, offset, PAGE as i64 + 1).await?;
    let more = cards.len() > PAGE;
    cards.truncate(PAGE);
    let page = PAGE as i64;
    let newer = (offset > 0).then(|| offset_cursor((offset - page).max(0)));
    let older = more.then(|| offset_cursor(offset + page));
    Ok(Page::new(
        cards,
        newer.and_then(after),
        older.and_then(after),
    ))
}
