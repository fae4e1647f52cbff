//! The published stories in publishing order, newest first, held in memory
//! by the story cache: a story page's previous and next links need no
//! query, and the "reading now" order sorts these ids by their viewers.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::AnyPool;

use crate::error::Result;
use crate::ids::StoryId;

/// A published story as a link shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Entry {
    pub id: StoryId,
    pub slug: String,
    pub title: String,
}

pub struct Catalogue {
    newest_first: Vec<Entry>,
    position: HashMap<StoryId, usize>,
}

/// A story's neighbours in publishing order.
#[derive(Debug, Default, Serialize)]
pub struct Neighbours<'a> {
    /// Published just before it.
    pub previous: Option<&'a Entry>,
    /// Published just after it.
    pub next: Option<&'a Entry>,
}

impl Catalogue {
    pub async fn load(db: &AnyPool) -> Result<Catalogue> {
        let newest_first: Vec<Entry> = sqlx::query_as(
            "SELECT id, COALESCE(slug, CAST(id AS TEXT)) AS slug, title FROM stories
             WHERE published_at IS NOT NULL ORDER BY published_at DESC, id DESC",
        )
        .fetch_all(db)
        .await?;
        Ok(Catalogue::of(newest_first))
    }

    fn of(newest_first: Vec<Entry>) -> Catalogue {
        let position = newest_first
            .iter()
            .enumerate()
            .map(|(i, entry)| (entry.id, i))
            .collect();
        Catalogue {
            newest_first,
            position,
        }
    }

    /// Every published story's id, newest first.
    pub fn ids(&self) -> Vec<StoryId> {
        self.newest_first.iter().map(|entry| entry.id).collect()
    }

    /// The stories published just before and just after `id`; none for a
    /// story not (or no longer) in the catalogue.
    pub fn neighbours(&self, id: StoryId) -> Neighbours<'_> {
        let Some(&at) = self.position.get(&id) else {
            return Neighbours::default();
        };
        Neighbours {
            previous: self.newest_first.get(at + 1),
            next: at.checked_sub(1).and_then(|i| self.newest_first.get(i)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64) -> Entry {
        Entry {
            id: StoryId(id),
            slug: format!("s{id}"),
            title: format!("Story {id}"),
        }
    }

    #[test]
    fn neighbours_follow_the_publishing_order() {
        let catalogue = Catalogue::of(vec![entry(3), entry(1), entry(2)]);
        let ids = |n: Neighbours<'_>| (n.previous.map(|e| e.id.0), n.next.map(|e| e.id.0));
        assert_eq!(ids(catalogue.neighbours(StoryId(3))), (Some(1), None));
        assert_eq!(ids(catalogue.neighbours(StoryId(1))), (Some(2), Some(3)));
        assert_eq!(ids(catalogue.neighbours(StoryId(2))), (None, Some(1)));
        assert_eq!(ids(catalogue.neighbours(StoryId(9))), (None, None));
        assert_eq!(catalogue.ids(), [StoryId(3), StoryId(1), StoryId(2)]);
    }
}
