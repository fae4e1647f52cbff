//! The SQL the reader pages use. Only published stories are visible.

use serde::Serialize;
use sqlx::{AnyConnection, AnyPool};

use super::slugs;
use super::summary::Summary;
use crate::db::Backend;
use crate::error::Result;
use crate::ids::{StoryId, UserId};
use crate::util::unix_now;

/// A line of the story list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StorySummary {
    pub id: StoryId,
    pub slug: String,
    pub title: String,
    pub read_count: i64,
}

/// A published story, as stored, with its author's name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoryRow {
    pub id: StoryId,
    pub slug: String,
    pub title: String,
    pub body: String,
    pub summary: Option<String>,
    pub author: Option<String>,
    pub published_at: i64,
    /// The last change to what readers read.
    pub revised_at: i64,
    pub read_count: i64,
    pub cover_hash: Option<String>,
    pub cover_kind: Option<crate::images::Kind>,
    pub cover_width: i64,
    pub cover_height: i64,
}

/// Every published story, newest first.
pub async fn published(db: &AnyPool) -> Result<Vec<StorySummary>> {
    Ok(sqlx::query_as(
        "SELECT id, COALESCE(slug, CAST(id AS TEXT)) AS slug, title, read_count FROM stories
         WHERE published_at IS NOT NULL ORDER BY published_at DESC, id DESC",
    )
    .fetch_all(db)
    .await?)
}

/// A published story by id.
pub async fn published_story(db: &AnyPool, id: StoryId) -> Result<Option<StoryRow>> {
    Ok(sqlx::query_as(
        "SELECT s.id, COALESCE(s.slug, CAST(s.id AS TEXT)) AS slug, s.title, s.body, s.summary,
             u.username AS author, s.published_at,
             COALESCE(s.revised_at, s.updated_at) AS revised_at, s.read_count,
             i.hash AS cover_hash, i.kind AS cover_kind,
             COALESCE(i.width, 0) AS cover_width, COALESCE(i.height, 0) AS cover_height
         FROM stories s LEFT JOIN users u ON u.id = s.author_id
         LEFT JOIN images i ON i.id = s.cover_image_id
         WHERE s.id = $1 AND s.published_at IS NOT NULL",
    )
    .bind(id)
    .fetch_optional(db)
    .await?)
}

/// The id of the published story with this slug.
pub async fn published_id_by_slug(db: &AnyPool, slug: &str) -> Result<Option<StoryId>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM stories WHERE slug = $1 AND published_at IS NOT NULL")
            .bind(slug)
            .fetch_optional(db)
            .await?,
    )
}

/// The current URL name of the published story that `slug` named before
/// it was renamed.
pub async fn renamed_slug(db: &AnyPool, slug: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT stories.slug FROM story_old_slugs JOIN stories ON stories.id = story_old_slugs.story_id
         WHERE story_old_slugs.slug = $1 AND stories.published_at IS NOT NULL
           AND stories.slug IS NOT NULL",
    )
    .bind(slug)
    .fetch_optional(db)
    .await?)
}

/// The stored read counter of a story.
pub async fn read_count(db: &AnyPool, id: StoryId) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT read_count FROM stories WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await?,
    )
}

/// The story's read counter if `user` has read `story` before, else `None`.
pub async fn read_count_if_read(db: &AnyPool, story: StoryId, user: UserId) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT stories.read_count FROM reads JOIN stories ON stories.id = reads.story_id
         WHERE reads.story_id = $1 AND reads.user_id = $2",
    )
    .bind(story)
    .bind(user)
    .fetch_optional(db)
    .await?)
}

/// Adds a published story; used for the sample stories.
pub async fn insert_published(db: &mut AnyConnection, title: &str, body: &str) -> Result<StoryId> {
    let now = unix_now();
    let slug = slugs::unique(db, &slugs::slugify(title), None).await?;
    let summary = Summary::of(body);
    Ok(sqlx::query_scalar(
        "INSERT INTO stories (slug, title, body, excerpt, words, published_at, created_at,
             updated_at, revised_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $6, $6) RETURNING id",
    )
    .bind(slug)
    .bind(title)
    .bind(body)
    .bind(summary.excerpt)
    .bind(summary.words as i64)
    .bind(now)
    .fetch_one(db)
    .await?)
}

/// Works out the excerpt and word count of stories saved without them (by
/// a Folio from before they were kept, or behind its back), a few at a time.
pub async fn fill_missing_summaries(db: &AnyPool) -> Result<()> {
    loop {
        let missing: Vec<(StoryId, String)> = sqlx::query_as(
            "SELECT id, body FROM stories WHERE excerpt IS NULL OR words IS NULL LIMIT 100",
        )
        .fetch_all(db)
        .await?;
        if missing.is_empty() {
            return Ok(());
        }
        let mut tx = db.begin().await?;
        for (id, body) in missing {
            let summary = Summary::of(&body);
            sqlx::query("UPDATE stories SET excerpt = $1, words = $2 WHERE id = $3")
                .bind(summary.excerpt)
                .bind(summary.words as i64)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
}

/// The id of any story, published or not, by id or slug: readers may stop
/// following a story that has been unpublished.
pub async fn any_story_id(db: &AnyPool, key: &str) -> Result<Option<StoryId>> {
    // A number is an id (slugs of digits only never match a story's id
    // first: the numeric link always names the story with that id).
    let found = match key.parse::<i64>() {
        Ok(id) => sqlx::query_scalar("SELECT id FROM stories WHERE id = $1").bind(id),
        Err(_) => sqlx::query_scalar("SELECT id FROM stories WHERE slug = $1").bind(key),
    };
    Ok(found.fetch_optional(db).await?)
}

/// The read counters of `ids` (those that exist), as `(id, count)`.
pub async fn read_counts<'c>(
    db: impl sqlx::Executor<'c, Database = sqlx::Any>,
    backend: Backend,
    ids: &[StoryId],
) -> std::result::Result<Vec<(StoryId, i64)>, sqlx::Error> {
    let sql = format!(
        "SELECT id, read_count FROM stories WHERE id IN ({})",
        backend.ids_in("$1")
    );
    sqlx::query_as(&sql)
        .bind(super::listing::id_list(ids))
        .fetch_all(db)
        .await
}
