//! The list by its readers now, most first: an order that is the live
//! engine's at this request, so it is worked out in memory over every
//! published story (from the catalogue), then the page's cards are read by
//! id (`SEARCH s USING INTEGER PRIMARY KEY` each).

use std::collections::HashMap;

use sqlx::AnyPool;

use super::cards::{Card, CardRow, CARD_COLUMNS, CARD_FROM};
use super::catalogue::Catalogue;
use super::list_params::{Key, Position, Sort};
use super::listing::{after, before, id_list, Page, PAGE};
use crate::db::Backend;
use crate::error::Result;
use crate::ids::StoryId;
use crate::live::Engine;

/// A page of the stories by their readers now, most first (ties: the
/// later written first). Pages are keyed by (viewers, id) rather than kept
/// as snapshots: a story whose viewers changed between two pages may show
/// on both or on neither, as a moving crowd would have it; with the figures
/// still, pages neither repeat nor skip.
pub async fn page(
    db: &AnyPool,
    catalogue: &Catalogue,
    live: &Engine,
    position: Position,
) -> Result<Page> {
    let ids = catalogue.ids();
    let viewers = live.viewers(&ids).await;
    let mut keys: Vec<Key> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| Key {
            value: viewers.get(i).copied().unwrap_or(0) as i64,
            id: id.0,
        })
        .collect();
    keys.sort_unstable_by(|a, b| b.cmp(a));
    let (start, end) = window(&keys, position);
    let shown = &keys[start..end];
    let cards = cards_in_order(db, shown.iter().map(|key| StoryId(key.id)).collect()).await?;
    let cursor = |key: &Key| key.cursor(Sort::ReadingNow);
    // Past the last story: back to the stories above the cursor.
    let top = match (keys.get(start), position) {
        (Some(key), _) => Some(*key),
        (None, Position::After(key)) => Some(key),
        _ => None,
    };
    let newer = top.filter(|_| start > 0).and_then(|k| before(cursor(&k)));
    let older = shown.last().filter(|_| end < keys.len());
    Ok(Page::new(
        cards,
        newer,
        older.and_then(|k| after(cursor(k))),
    ))
}

/// Which of `keys` (highest first) a page shows, as a range.
fn window(keys: &[Key], position: Position) -> (usize, usize) {
    let first = (0, PAGE.min(keys.len()));
    match position {
        Position::First => first,
        Position::After(key) => {
            let start = keys.partition_point(|k| *k >= key);
            (start, (start + PAGE).min(keys.len()))
        }
        Position::Before(key) => match keys.partition_point(|k| *k > key) {
            end if end <= PAGE => first,
            end => (end - PAGE, end),
        },
    }
}

/// The published stories among `ids`, in that order.
async fn cards_in_order(db: &AnyPool, ids: Vec<StoryId>) -> Result<Vec<Card>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = id_list(&ids);
    let ids_in = Backend::of(db).ids_in("$1");
    let sql = format!(
        "SELECT {CARD_COLUMNS} FROM {CARD_FROM}
         WHERE s.id IN ({ids_in}) AND s.published_at IS NOT NULL"
    );
    let rows: Vec<CardRow> = sqlx::query_as(&sql).bind(list).fetch_all(db).await?;
    let mut found: HashMap<StoryId, Card> = rows
        .into_iter()
        .map(|row| (row.id, row.card(None)))
        .collect();
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(n: i64) -> Vec<Key> {
        (0..n).rev().map(|id| Key { value: id % 3, id }).collect()
    }

    #[test]
    fn windows_walk_the_order_both_ways_without_gaps() {
        let mut keys = keys(45);
        keys.sort_unstable_by(|a, b| b.cmp(a));
        let mut seen = Vec::new();
        let (mut start, mut end) = window(&keys, Position::First);
        loop {
            seen.extend_from_slice(&keys[start..end]);
            if end == keys.len() {
                break;
            }
            (start, end) = window(&keys, Position::After(keys[end - 1]));
        }
        assert_eq!(seen, keys);
        // Back up from the last page: the page above it, then the first.
        assert_eq!(window(&keys, Position::Before(keys[40])), (20, 40));
        assert_eq!(window(&keys, Position::Before(keys[20])), (0, 20));
        assert_eq!(window(&keys, Position::Before(keys[5])), (0, 20));
        assert_eq!(window(&[], Position::After(Key::TOP)), (0, 0));
    }
}
