//! The SQL of story management: every story, drafts included.

use serde::Serialize;
use sqlx::AnyPool;

use super::history;
use crate::db::lock_for_writing;
use crate::error::Result;
use crate::ids::{StoryId, UserId};
use crate::images::{Kind, Picture};
use crate::stories::slugs;
use crate::stories::summary::Summary;
use crate::util::unix_now;

/// A line of the admin story list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StoryLine {
    pub id: StoryId,
    pub slug: String,
    pub title: String,
    pub published_at: Option<i64>,
    pub scheduled_at: Option<i64>,
    pub read_count: i64,
    pub view_count: i64,
    pub updated_at: i64,
}

/// A story as the editor shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StoryText {
    pub id: StoryId,
    pub slug: String,
    pub title: String,
    pub body: String,
    pub summary: Option<String>,
    pub published_at: Option<i64>,
    pub scheduled_at: Option<i64>,
    pub read_count: i64,
    pub view_count: i64,
    pub cover_image_id: Option<i64>,
    pub cover_hash: Option<String>,
    pub cover_kind: Option<Kind>,
    pub cover_width: i64,
    pub cover_height: i64,
}

impl StoryText {
    /// Its cover, if it has one.
    pub fn cover(&self) -> Option<Picture> {
        Picture::of(
            self.cover_hash.clone(),
            self.cover_kind,
            self.cover_width,
            self.cover_height,
        )
    }
}

/// What an admin saves.
pub struct Edit<'a> {
    pub title: &'a str,
    pub body: &'a str,
    /// The hand-written excerpt; empty: none.
    pub summary: &'a str,
    /// The cover image; none: no cover.
    pub cover: Option<i64>,
    /// The URL name asked for; empty: made from the title.
    pub slug: &'a str,
    /// Publish (true), unpublish (false) or leave as it is (None).
    pub publish: Option<bool>,
    /// Who saves it: the author of the revision it makes.
    pub by: UserId,
}

/// Why a save did not happen.
pub enum Refused {
    SlugTaken,
    Missing,
}

/// Every story, most recently changed first.
pub async fn all(db: &AnyPool) -> Result<Vec<StoryLine>> {
    Ok(sqlx::query_as(
        "SELECT id, COALESCE(slug, CAST(id AS TEXT)) AS slug, title, published_at, scheduled_at, read_count,
             view_count, updated_at
         FROM stories ORDER BY updated_at DESC, id DESC",
    )
    .fetch_all(db)
    .await?)
}

/// One story, published or not.
pub async fn get(db: &AnyPool, id: StoryId) -> Result<Option<StoryText>> {
    Ok(sqlx::query_as(
        "SELECT s.id, COALESCE(s.slug, CAST(s.id AS TEXT)) AS slug, s.title, s.body, s.summary,
             s.published_at, s.scheduled_at, s.read_count, s.view_count,
             s.cover_image_id, i.hash AS cover_hash, i.kind AS cover_kind,
             COALESCE(i.width, 0) AS cover_width, COALESCE(i.height, 0) AS cover_height
         FROM stories s LEFT JOIN images i ON i.id = s.cover_image_id WHERE s.id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?)
}

/// Creates a story by `edit.by`; its id, or why not.
pub async fn create(db: &AnyPool, edit: &Edit<'_>) -> Result<Result<StoryId, Refused>> {
    slug_race(insert(db, edit).await)
}

async fn insert(db: &AnyPool, edit: &Edit<'_>) -> Result<Result<StoryId, Refused>> {
    let mut tx = db.begin().await?;
    lock_for_writing(&mut tx).await?;
    let Some(slug) = choose_slug(&mut tx, edit, None).await? else {
        return Ok(Err(Refused::SlugTaken));
    };
    let now = unix_now();
    let derived = Summary::of(edit.body);
    let id = sqlx::query_scalar(
        "INSERT INTO stories (slug, title, body, summary, cover_image_id, excerpt, words, author_id,
             published_at, created_at, updated_at, revised_at)
         VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6, $7, $8, $9, $10, $11, $12)
         RETURNING id",
    )
    .bind(slug)
    .bind(edit.title)
    .bind(edit.body)
    .bind(edit.summary)
    .bind(edit.cover)
    .bind(derived.excerpt)
    .bind(derived.words as i64)
    .bind(edit.by)
    .bind(edit.publish.unwrap_or(false).then_some(now))
    .bind(now)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    history::record(&mut tx, id, edit.by, now).await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Saves a story's text and, if asked, its published state.
pub async fn update(db: &AnyPool, id: StoryId, edit: &Edit<'_>) -> Result<Result<(), Refused>> {
    slug_race(save(db, id, edit).await)
}

async fn save(db: &AnyPool, id: StoryId, edit: &Edit<'_>) -> Result<Result<(), Refused>> {
    let mut tx = db.begin().await?;
    lock_for_writing(&mut tx).await?;
    let Some(slug) = choose_slug(&mut tx, edit, Some(id)).await? else {
        return Ok(Err(Refused::SlugTaken));
    };
    let now = unix_now();
    let derived = Summary::of(edit.body);
    // revised_at moves only when what readers read changed; the expressions
    // see the row as it was.
    let updated = sqlx::query(
        "UPDATE stories SET slug = $1, title = $2, body = $3, summary = NULLIF($4, ''),
             cover_image_id = $5, excerpt = $6, words = $7, updated_at = $8,
             revised_at = CASE WHEN title IS DISTINCT FROM $9 OR body IS DISTINCT FROM $10
                                   OR COALESCE(summary, '') IS DISTINCT FROM $11
                               THEN $12 ELSE revised_at END,
             published_at = CASE $13 WHEN 1 THEN COALESCE(published_at, $14) WHEN 0 THEN NULL
                                   ELSE published_at END,
             scheduled_at = CASE $15 WHEN 1 THEN NULL ELSE scheduled_at END
         WHERE id = $16",
    )
    .bind(slug)
    .bind(edit.title)
    .bind(edit.body)
    .bind(edit.summary)
    .bind(edit.cover)
    .bind(derived.excerpt)
    .bind(derived.words as i64)
    .bind(now)
    .bind(edit.title)
    .bind(edit.body)
    .bind(edit.summary)
    .bind(now)
    .bind(edit.publish.map(i64::from))
    .bind(now)
    .bind(edit.publish.map(i64::from))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(Err(Refused::Missing));
    }
    history::record(&mut tx, id, edit.by, now).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// The slug is chosen and saved under the write lock, so no other save can
/// take it meanwhile; should a writer behind Folio's back do so, the admin
/// is told the URL name is taken rather than shown an error.
fn slug_race<T>(outcome: Result<Result<T, Refused>>) -> Result<Result<T, Refused>> {
    match outcome {
        Err(e) if e.is_unique_violation() => Ok(Err(Refused::SlugTaken)),
        other => other,
    }
}

/// Publishes or unpublishes a story; false when there is no such story.
pub async fn set_published(db: &AnyPool, id: StoryId, publish: bool) -> Result<bool> {
    let now = unix_now();
    let updated = sqlx::query(
        "UPDATE stories SET updated_at = $1, scheduled_at = NULL,
             published_at = CASE WHEN $2 THEN COALESCE(published_at, $3) ELSE NULL END
         WHERE id = $4",
    )
    .bind(now)
    .bind(publish)
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Sets (or with `None` clears) when the draft `id` publishes itself;
/// false when there is no such draft (a published story has no schedule).
pub async fn set_schedule(db: &AnyPool, id: StoryId, at: Option<i64>) -> Result<bool> {
    let updated =
        sqlx::query("UPDATE stories SET scheduled_at = $1 WHERE id = $2 AND published_at IS NULL")
            .bind(at)
            .bind(id)
            .execute(db)
            .await?;
    Ok(updated.rows_affected() == 1)
}

/// Deletes a story with its reads and its daily figures; false when there
/// is no such story.
pub async fn delete(db: &AnyPool, id: StoryId) -> Result<bool> {
    let deleted = sqlx::query("DELETE FROM stories WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(deleted.rows_affected() == 1)
}

/// The slug to save: the one asked for if no other story has it, or one
/// made from the title. `None`: the one asked for is taken.
async fn choose_slug(
    tx: &mut sqlx::AnyConnection,
    edit: &Edit<'_>,
    id: Option<StoryId>,
) -> Result<Option<String>> {
    if edit.slug.is_empty() {
        let base = slugs::slugify(edit.title);
        return Ok(Some(slugs::unique(tx, &base, id).await?));
    }
    let free = slugs::unique(tx, edit.slug, id).await?;
    Ok((free == edit.slug).then_some(free))
}
