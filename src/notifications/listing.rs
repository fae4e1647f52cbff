//! The SQL of the lists of updates: a reader's feed, a story's updates
//! for its admin page, and the stories a reader follows.

use serde::Serialize;
use sqlx::SqlitePool;

use crate::error::Result;
use crate::ids::{StoryId, UserId};

/// An update, as the notifications page, the following page and the
/// admin's story page show it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Item {
    pub id: i64,
    pub story_id: i64,
    pub story_slug: String,
    pub story_title: String,
    /// Whether readers can open the story (it may have been unpublished).
    pub published: bool,
    pub kind: String,
    pub body: String,
    pub created_at: i64,
    /// Whether this reader was notified of it, and has not read it yet.
    pub notified: bool,
    pub unread: bool,
}

const ITEM: &str = "SELECT u.id, s.id AS story_id, COALESCE(s.slug, CAST(s.id AS TEXT)) AS story_slug,
        s.title AS story_title, s.published_at IS NOT NULL AS published, u.kind, u.body,
        u.created_at, n.user_id IS NOT NULL AS notified, n.read_at IS NULL AND n.user_id IS NOT NULL AS unread
    FROM story_updates AS u JOIN stories AS s ON s.id = u.story_id";

/// Which updates a reader's feed shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Those the reader was notified of (the stories they follow).
    Following,
    /// Every update to a published story, marked for the reader.
    All,
}

/// A page of the reader's feed: updates older than `before`, newest first.
pub async fn feed(
    db: &SqlitePool,
    user: UserId,
    view: View,
    before: i64,
    limit: i64,
) -> Result<Vec<Item>> {
    let sql = match view {
        View::Following => format!(
            "{ITEM} JOIN notifications AS n ON n.update_id = u.id AND n.user_id = ?1
             WHERE n.update_id < ?2 ORDER BY n.update_id DESC LIMIT ?3"
        ),
        View::All => format!(
            "{ITEM} LEFT JOIN notifications AS n ON n.update_id = u.id AND n.user_id = ?1
             WHERE u.id < ?2 AND s.published_at IS NOT NULL ORDER BY u.id DESC LIMIT ?3"
        ),
    };
    Ok(sqlx::query_as(&sql)
        .bind(user)
        .bind(before)
        .bind(limit)
        .fetch_all(db)
        .await?)
}

/// A story's updates, newest first, for its admin page.
pub async fn of_story(db: &SqlitePool, story: StoryId, limit: i64) -> Result<Vec<Item>> {
    let sql = format!(
        "{ITEM} LEFT JOIN notifications AS n ON 0
         WHERE u.story_id = ? ORDER BY u.id DESC LIMIT ?"
    );
    Ok(sqlx::query_as(&sql)
        .bind(story)
        .bind(limit)
        .fetch_all(db)
        .await?)
}

/// A story a reader follows, with its latest update.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Followed {
    pub story_id: i64,
    pub story_slug: String,
    pub story_title: String,
    pub published: bool,
    /// The latest update's id, 0 without one: the order of the page.
    pub latest: i64,
    pub kind: Option<String>,
    pub body: Option<String>,
    pub created_at: Option<i64>,
}

/// The stories a reader follows, those with the latest updates first, after
/// the (latest, story id) cursor.
pub async fn followed(
    db: &SqlitePool,
    user: UserId,
    after: (i64, i64),
    limit: i64,
) -> Result<Vec<Followed>> {
    Ok(sqlx::query_as(
        "SELECT f.story_id, f.story_slug, f.story_title, f.published, f.latest,
                u.kind, u.body, u.created_at
         FROM (SELECT s.id AS story_id, COALESCE(s.slug, CAST(s.id AS TEXT)) AS story_slug,
                      s.title AS story_title, s.published_at IS NOT NULL AS published,
                      COALESCE((SELECT MAX(id) FROM story_updates WHERE story_id = s.id), 0) AS latest
               FROM follows JOIN stories AS s ON s.id = follows.story_id
               WHERE follows.user_id = ?1) AS f
         LEFT JOIN story_updates AS u ON u.id = f.latest
         WHERE (f.latest, f.story_id) < (?2, ?3)
         ORDER BY f.latest DESC, f.story_id DESC LIMIT ?4",
    )
    .bind(user)
    .bind(after.0)
    .bind(after.1)
    .bind(limit)
    .fetch_all(db)
    .await?)
}
