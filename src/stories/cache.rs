//! Published stories held in memory with their rendered HTML, what the page
//! says about them (author, dates, reading time) and their read counter, so
//! a returning reader's page needs no database query. Beside them: the
//! catalogue of published stories (for previous and next links) and the
//! first page of the story list, forgotten whenever a story changes.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use moka::sync::Cache;
use sqlx::AnyPool;

use super::cards::{excerpt_of, NO_AUTHOR};
use super::catalogue::Catalogue;
use super::list_params::Position;
use super::listing::{self, Indexed, Page};
use super::summary::Summary;
use super::{markdown, queries};
use crate::error::{Error, Result};
use crate::ids::StoryId;
use crate::images::Picture;
use crate::web::times;

/// How long a change made behind Folio's back (straight in the database)
/// can stay unseen; Folio's own edits take effect at once.
const TIME_TO_LIVE: Duration = Duration::from_secs(60);

/// A published story ready to show.
pub struct CachedStory {
    pub id: StoryId,
    pub slug: String,
    pub title: String,
    pub html: String,
    /// Its author's name, or "Folio".
    pub author: String,
    /// The summary, or the first paragraph in plain text.
    pub excerpt: String,
    pub reading_minutes: usize,
    /// RFC 3339.
    pub published_at: String,
    pub published_exact: String,
    /// The last change to what readers read, RFC 3339; the publishing time
    /// when it was revised before it was published.
    pub updated_at: String,
    pub updated_exact: String,
    /// The same two times in Unix seconds, for feeds.
    pub published_unix: i64,
    pub updated_unix: i64,
    /// Its cover image, if it has one.
    pub cover: Option<Picture>,
    read_count: AtomicI64,
}

impl CachedStory {
    fn of(row: queries::StoryRow) -> CachedStory {
        let summary = Summary::of(&row.body);
        let updated = row.revised_at.max(row.published_at);
        CachedStory {
            id: row.id,
            slug: row.slug,
            title: row.title,
            html: markdown::render(&row.body),
            author: row.author.unwrap_or_else(|| NO_AUTHOR.to_string()),
            excerpt: excerpt_of(row.summary.as_deref(), &summary.excerpt),
            reading_minutes: summary.reading_minutes,
            published_at: times::rfc3339(row.published_at),
            published_exact: times::exact(row.published_at),
            updated_at: times::rfc3339(updated),
            updated_exact: times::exact(updated),
            published_unix: row.published_at,
            updated_unix: updated,
            cover: Picture::of(
                row.cover_hash,
                row.cover_kind,
                row.cover_width,
                row.cover_height,
            ),
            read_count: AtomicI64::new(row.read_count),
        }
    }
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
    catalogue: Cache<(), Arc<Catalogue>>,
    /// The first page of the list, newest first: the page most visitors
    /// see first. Its read counters follow committed reads.
    front_page: Cache<(), Arc<Page>>,
    /// Bumped on every invalidation, so a load that read the database
    /// before an edit does not put the old story back.
    generation: Arc<AtomicU64>,
}

impl StoryCache {
    pub fn new() -> StoryCache {
        StoryCache {
            stories: Cache::builder()
                .max_capacity(10_000)
                .time_to_live(TIME_TO_LIVE)
                .build(),
            slugs: Cache::builder()
                .max_capacity(10_000)
                .time_to_live(TIME_TO_LIVE)
                .build(),
            catalogue: Cache::builder().time_to_live(TIME_TO_LIVE).build(),
            front_page: Cache::builder().time_to_live(TIME_TO_LIVE).build(),
            generation: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The published story `id`, from memory or else from the database.
    pub async fn get(&self, db: &AnyPool, id: StoryId) -> Result<Option<Arc<CachedStory>>> {
        if let Some(story) = self.stories.get(&id) {
            return Ok(Some(story));
        }
        let generation = self.generation.load(Ordering::Acquire);
        let Some(row) = queries::published_story(db, id).await? else {
            return Ok(None);
        };
        let story = Arc::new(CachedStory::of(row));
        self.keep(&self.stories, id, Arc::clone(&story), generation);
        // A read committed between the load and the insert would have missed
        // this entry; reading the counter again after the insert catches it.
        if let Some(count) = queries::read_count(db, id).await? {
            story.read_count.fetch_max(count, Ordering::AcqRel);
        }
        Ok(Some(story))
    }

    /// The published story a URL names: its id, or its slug.
    pub async fn find(&self, db: &AnyPool, key: &str) -> Result<Option<Arc<CachedStory>>> {
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
    pub async fn require(&self, db: &AnyPool, key: &str) -> Result<Arc<CachedStory>> {
        self.find(db, key).await?.ok_or(Error::NotFound)
    }

    /// The published stories in publishing order.
    pub async fn catalogue(&self, db: &AnyPool) -> Result<Arc<Catalogue>> {
        if let Some(catalogue) = self.catalogue.get(&()) {
            return Ok(catalogue);
        }
        let generation = self.generation.load(Ordering::Acquire);
        let catalogue = Arc::new(Catalogue::load(db).await?);
        self.keep(&self.catalogue, (), Arc::clone(&catalogue), generation);
        Ok(catalogue)
    }

    /// The first page of the list, newest first.
    pub async fn front_page(&self, db: &AnyPool) -> Result<Arc<Page>> {
        if let Some(page) = self.front_page.get(&()) {
            return Ok(page);
        }
        let generation = self.generation.load(Ordering::Acquire);
        let page = Arc::new(listing::indexed(db, Indexed::Newest, Position::First).await?);
        self.keep(&self.front_page, (), Arc::clone(&page), generation);
        page.catch_up_counts(db).await?;
        Ok(page)
    }

    /// Keeps `value`, unless a story changed since `generation` was read
    /// (before the database was): then the value may be from before the
    /// change, and it is served once and not kept.
    fn keep<K, V>(&self, cache: &Cache<K, V>, key: K, value: V, generation: u64)
    where
        K: std::hash::Hash + Eq + Clone + Send + Sync + 'static,
        V: Clone + Send + Sync + 'static,
    {
        cache.insert(key.clone(), value);
        if self.generation.load(Ordering::Acquire) != generation {
            cache.invalidate(&key);
        }
    }

    /// Records a story's new read counter after a read was committed.
    pub fn note_read_count(&self, id: StoryId, count: i64) {
        if let Some(story) = self.stories.get(&id) {
            story.read_count.fetch_max(count, Ordering::AcqRel);
        }
        if let Some(page) = self.front_page.get(&()) {
            page.note_read_count(id, count);
        }
    }

    /// Forgets a story, after it was published, edited, unpublished or
    /// deleted, with the catalogue and the list's first page.
    pub fn invalidate(&self, id: StoryId) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.stories.invalidate(&id);
        self.catalogue.invalidate(&());
        self.front_page.invalidate(&());
        // Slugs change rarely; forgetting them all is simplest.
        self.slugs.invalidate_all();
    }

    /// Forgets every story: after messages from other nodes were missed.
    pub fn invalidate_all(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.stories.invalidate_all();
        self.catalogue.invalidate_all();
        self.front_page.invalidate_all();
        self.slugs.invalidate_all();
    }
}

impl Default for StoryCache {
    fn default() -> Self {
        Self::new()
    }
}
