//! Published stories held in memory with their rendered HTML and their read
//! counter, so a returning reader's page needs no database query.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;

use moka::sync::Cache;
use sqlx::SqlitePool;

use super::summary::Summary;
use super::{markdown, queries};
use crate::error::{Error, Result};
use crate::ids::StoryId;

/// A published story ready to show.
pub struct CachedStory {
    pub id: StoryId,
    pub slug: String,
    pub title: String,
    pub html: String,
    /// The first paragraph in plain text (see [`Summary`]).
    pub excerpt: String,
    /// Unix seconds of the first publication and of the last change.
    pub published_at: i64,
    pub updated_at: i64,
    read_count: AtomicI64,
}

impl CachedStory {
    /// The stored read counter, as of the last committed read.
    pub fn read_count(&self) -> i64 {
        self.read_count.load(Ordering::Acquire)
    }
}

/// The story cache (cheap to clone: clones share the cache). Read counts only move up here (`fetch_max`), so reads
/// committed in any order leave the highest, latest, figure.
#[derive(Clone)]
pub struct StoryCache {
    stories: Cache<StoryId, Arc<CachedStory>>,
    slugs: Cache<String, StoryId>,
    /// Bumped on every invalidation, so a load that read the database
    /// before an edit does not put the old story back.
    generation: Arc<AtomicU64>,
}

impl StoryCache {
    pub fn new() -> StoryCache {
        StoryCache {
            // Edits through Folio invalidate at once; the time-to-live bounds
            // how long a change made behind Folio's back stays unseen.
            stories: Cache::builder()
                .max_capacity(10_000)
                .time_to_live(std::time::Duration::from_secs(60))
                .build(),
            slugs: Cache::builder()
                .max_capacity(10_000)
                .time_to_live(std::time::Duration::from_secs(60))
                .build(),
            generation: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The published story `id`, from memory or else from the database.
    pub async fn get(&self, db: &SqlitePool, id: StoryId) -> Result<Option<Arc<CachedStory>>> {
        if let Some(story) = self.stories.get(&id) {
            return Ok(Some(story));
        }
        let generation = self.generation.load(Ordering::Acquire);
        let Some(row) = queries::published_story(db, id).await? else {
            return Ok(None);
        };
        let story = Arc::new(CachedStory {
            id: row.id,
            slug: row.slug,
            title: row.title,
            html: markdown::render(&row.body),
            excerpt: Summary::of(&row.body).excerpt,
            published_at: row.published_at,
            updated_at: row.updated_at,
            read_count: AtomicI64::new(row.read_count),
        });
        self.stories.insert(id, Arc::clone(&story));
        if self.generation.load(Ordering::Acquire) != generation {
            // Edited, unpublished or deleted meanwhile: serve this answer
            // once, keep nothing.
            self.stories.invalidate(&id);
        }
        // A read committed between the load and the insert would have missed
        // this entry; reading the counter again after the insert catches it.
        if let Some(count) = queries::read_count(db, id).await? {
            story.read_count.fetch_max(count, Ordering::AcqRel);
        }
        Ok(Some(story))
    }

    /// The published story a URL names: its id, or its slug.
    pub async fn find(&self, db: &SqlitePool, key: &str) -> Result<Option<Arc<CachedStory>>> {
        if let Ok(id) = key.parse::<i64>() {
            return self.get(db, StoryId(id)).await;
        }
        let id = match self.slugs.get(key) {
            Some(id) => id,
            None => match queries::published_id_by_slug(db, key).await? {
                Some(id) => {
                    self.slugs.insert(key.to_string(), id);
                    id
                }
                None => return Ok(None),
            },
        };
        self.get(db, id).await
    }

    /// The published story a URL names, or 404.
    pub async fn require(&self, db: &SqlitePool, key: &str) -> Result<Arc<CachedStory>> {
        self.find(db, key).await?.ok_or(Error::NotFound)
    }

    /// Records a story's new read counter after a read was committed.
    pub fn note_read_count(&self, id: StoryId, count: i64) {
        if let Some(story) = self.stories.get(&id) {
            story.read_count.fetch_max(count, Ordering::AcqRel);
        }
    }

    /// Forgets a story, after it was edited, unpublished or deleted.
    pub fn invalidate(&self, id: StoryId) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.stories.invalidate(&id);
        // Slugs change rarely; forgetting them all is simplest.
        self.slugs.invalidate_all();
    }
}

impl Default for StoryCache {
    fn default() -> Self {
        Self::new()
    }
}
