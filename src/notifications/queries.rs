//! The SQL of follows, updates and notifications.

use serde::Serialize;
use sqlx::SqlitePool;

use super::inbox::ReaderState;
use crate::db::unix_now;
use crate::error::Result;

/// A reader's inbox state, read in one transaction so the version matches
/// the rest.
pub async fn reader_state(db: &SqlitePool, user: i64) -> Result<ReaderState> {
    let mut tx = db.begin().await?;
    let row: Option<(i64, i64, bool)> =
        sqlx::query_as("SELECT unread_count, inbox_version, live_notices FROM users WHERE id = ?")
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?;
    let follows: Vec<i64> =
        sqlx::query_scalar("SELECT story_id FROM follows WHERE user_id = ? ORDER BY story_id")
            .bind(user)
            .fetch_all(&mut *tx)
            .await?;
    tx.commit().await?;
    let (unread, version, live_notices) = row.unwrap_or((0, 0, true));
    Ok(ReaderState {
        unread,
        version,
        live_notices,
        follows: follows.into_boxed_slice(),
    })
}

/// Follows a story; true if the reader did not follow it already.
pub async fn follow(db: &SqlitePool, user: i64, story: i64) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO follows (story_id, user_id, created_at) VALUES (?, ?, ?)
         ON CONFLICT DO NOTHING",
    )
    .bind(story)
    .bind(user)
    .bind(unix_now())
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stops following a story; true if the reader followed it.
pub async fn unfollow(db: &SqlitePool, user: i64, story: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM follows WHERE story_id = ? AND user_id = ?")
        .bind(story)
        .bind(user)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The id of any story, published or not, by id or slug: readers may stop
/// following a story that has been unpublished.
pub async fn any_story_id(db: &SqlitePool, key: &str) -> Result<Option<i64>> {
    // A number is an id (slugs of digits only never match a story's id
    // first: the numeric link always names the story with that id).
    let found = match key.parse::<i64>() {
        Ok(id) => sqlx::query_scalar("SELECT id FROM stories WHERE id = ?").bind(id),
        Err(_) => sqlx::query_scalar("SELECT id FROM stories WHERE slug = ?").bind(key),
    };
    Ok(found.fetch_optional(db).await?)
}

/// The inbox states of those of `users` who were notified of `update`
/// (or of all of them, without an update): for their open pages.
pub async fn inbox_states(
    db: &SqlitePool,
    users: &[i64],
    update: Option<i64>,
) -> Result<Vec<(i64, i64, i64, bool)>> {
    let ids = serde_json::to_string(users).unwrap_or_else(|_| "[]".into());
    let sql = match update {
        Some(_) => {
            "SELECT u.id, u.unread_count, u.inbox_version, u.live_notices
             FROM json_each(?1) AS j
             JOIN notifications AS n ON n.user_id = j.value AND n.update_id = ?2
             JOIN users AS u ON u.id = j.value"
        }
        None => {
            "SELECT u.id, u.unread_count, u.inbox_version, u.live_notices
             FROM json_each(?1) AS j JOIN users AS u ON u.id = j.value"
        }
    };
    Ok(sqlx::query_as(sql)
        .bind(ids)
        .bind(update)
        .fetch_all(db)
        .await?)
}

/// Marks one notification read; false if there is none unread.
pub async fn mark_read(db: &SqlitePool, user: i64, update: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE notifications SET read_at = ?
         WHERE user_id = ? AND update_id = ? AND read_at IS NULL",
    )
    .bind(unix_now())
    .bind(user)
    .bind(update)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks read every unread notification with an update id in
/// `from..=up_to` that `view` shows; how many it marked.
pub async fn mark_range(
    db: &SqlitePool,
    user: i64,
    view: View,
    from: i64,
    up_to: i64,
) -> Result<u64> {
    // "All updates" leaves out unpublished stories: their notifications in
    // the range were not on the page.
    let done = sqlx::query(
        "UPDATE notifications SET read_at = ?1
         WHERE user_id = ?2 AND update_id BETWEEN ?3 AND ?4 AND read_at IS NULL
           AND (?5 OR update_id IN (SELECT u.id FROM story_updates AS u
                JOIN stories AS s ON s.id = u.story_id
                WHERE u.id BETWEEN ?3 AND ?4 AND s.published_at IS NOT NULL))",
    )
    .bind(unix_now())
    .bind(user)
    .bind(from)
    .bind(up_to)
    .bind(view == View::Following)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

pub async fn set_live_notices(db: &SqlitePool, user: i64, on: bool) -> Result<()> {
    sqlx::query(
        "UPDATE users SET live_notices = ?, inbox_version = inbox_version + 1
         WHERE id = ? AND live_notices != ?",
    )
    .bind(on)
    .bind(user)
    .bind(on)
    .execute(db)
    .await?;
    Ok(())
}

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
    user: i64,
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
pub async fn of_story(db: &SqlitePool, story: i64, limit: i64) -> Result<Vec<Item>> {
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

pub async fn follower_count(db: &SqlitePool, story: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM follows WHERE story_id = ?")
            .bind(story)
            .fetch_one(db)
            .await?,
    )
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
    user: i64,
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
