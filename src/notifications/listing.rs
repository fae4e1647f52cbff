//! The SQL of the lists of updates: a reader's feed, a story's updates
//! for its admin page, and the stories a reader follows.

use serde::Serialize;
use sqlx::AnyPool;

use crate::error::Result;
use crate::ids::{StoryId, UserId};

/// An update, as the notifications page, the following page and the
/// admin's story page show it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Item {
    pub id: i64,
    pub story_id: i64,
    /// The story's URL name; for readers, its id once it is unpublished.
    pub story_slug: String,
    /// The story's title; for readers, none once it is unpublished.
    pub story_title: Option<String>,
    /// Whether readers can open the story (it may have been unpublished).
    #[sqlx(try_from = "crate::db::Flag")]
    pub published: bool,
    pub kind: String,
    pub body: String,
    pub created_at: i64,
    /// Whether this reader was notified of it, and has not read it yet.
    #[sqlx(try_from = "crate::db::Flag")]
    pub notified: bool,
    #[sqlx(try_from = "crate::db::Flag")]
    pub unread: bool,
}

/// How a story `s` is named to readers: by its title and URL name while
/// it is published; once it is not, by its id alone (it may have been
/// renamed since, and what it is now is the admin's secret).
const READER_NAMING: &str = "CASE WHEN s.published_at IS NOT NULL
            THEN COALESCE(s.slug, CAST(s.id AS TEXT)) ELSE CAST(s.id AS TEXT) END AS story_slug,
        CASE WHEN s.published_at IS NOT NULL THEN s.title END AS story_title";

/// How a story `s` is named to its admin: always by title and URL name.
const ADMIN_NAMING: &str =
    "COALESCE(s.slug, CAST(s.id AS TEXT)) AS story_slug, s.title AS story_title";

/// The updates `u` of stories `s`, marked from the notifications `n`, with
/// the stories named by `naming`.
fn items(naming: &str) -> String {
    format!(
        "SELECT u.id, s.id AS story_id, {naming}, CAST(s.published_at IS NOT NULL AS INTEGER) AS published,
            u.kind, u.body, u.created_at, CAST(n.user_id IS NOT NULL AS INTEGER) AS notified,
            CAST(n.read_at IS NULL AND n.user_id IS NOT NULL AS INTEGER) AS unread
        FROM story_updates AS u JOIN stories AS s ON s.id = u.story_id"
    )
}

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
    db: &AnyPool,
    user: UserId,
    view: View,
    before: i64,
    limit: i64,
) -> Result<Vec<Item>> {
    let items = items(READER_NAMING);
    let sql = match view {
        View::Following => format!(
            "{items} JOIN notifications AS n ON n.update_id = u.id AND n.user_id = $1
             WHERE n.update_id < $2 ORDER BY n.update_id DESC LIMIT $3"
        ),
        View::All => format!(
            "{items} LEFT JOIN notifications AS n ON n.update_id = u.id AND n.user_id = $1
             WHERE u.id < $2 AND s.published_at IS NOT NULL ORDER BY u.id DESC LIMIT $3"
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
pub async fn of_story(db: &AnyPool, story: StoryId, limit: i64) -> Result<Vec<Item>> {
    let items = items(ADMIN_NAMING);
    let sql = format!(
        "{items} LEFT JOIN notifications AS n ON FALSE
         WHERE u.story_id = $1 ORDER BY u.id DESC LIMIT $2"
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
    /// The story's URL name, or its id once it is unpublished.
    pub story_slug: String,
    /// The story's title, none once it is unpublished.
    pub story_title: Option<String>,
    #[sqlx(try_from = "crate::db::Flag")]
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
    db: &AnyPool,
    user: UserId,
    after: (i64, i64),
    limit: i64,
) -> Result<Vec<Followed>> {
    let sql = format!(
        "SELECT f.story_id, f.story_slug, f.story_title, f.published, f.latest,
                u.kind, u.body, u.created_at
         FROM (SELECT s.id AS story_id, {READER_NAMING}, CAST(s.published_at IS NOT NULL AS INTEGER) AS published,
                      COALESCE((SELECT MAX(id) FROM story_updates WHERE story_id = s.id), 0) AS latest
               FROM follows JOIN stories AS s ON s.id = follows.story_id
               WHERE follows.user_id = $1) AS f
         LEFT JOIN story_updates AS u ON u.id = f.latest
         WHERE (f.latest, f.story_id) < ($2, $3)
         ORDER BY f.latest DESC, f.story_id DESC LIMIT $4"
    );
    Ok(sqlx::query_as(&sql)
        .bind(user)
        .bind(after.0)
        .bind(after.1)
        .bind(limit)
        .fetch_all(db)
        .await?)
}
