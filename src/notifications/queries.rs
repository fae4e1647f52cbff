//! The SQL of readers' inboxes: their state, marking read, preferences.

use sqlx::AnyPool;

use super::inbox::ReaderState;
use super::listing::View;
use crate::db::{Backend, Flag};
use crate::error::Result;
use crate::ids::{StoryId, UpdateId, UserId};
use crate::util::unix_now;

/// A reader's inbox state, read in one statement (one snapshot, so the
/// version matches the rest, and one trip to the database: loading it is
/// what a reader's first page of the day waits for).
pub async fn reader_state(db: &AnyPool, user: UserId) -> Result<ReaderState> {
    let row: Option<(i64, i64, Flag, Option<String>)> = sqlx::query_as(
        "SELECT unread_count, inbox_version, live_notices,
                (SELECT string_agg(CAST(story_id AS TEXT), ',') FROM follows
                 WHERE user_id = users.id)
         FROM users WHERE id = $1",
    )
    .bind(user)
    .fetch_optional(db)
    .await?;
    let (unread, version, Flag(live_notices), follows) = row.unwrap_or((0, 0, Flag(true), None));
    let mut follows: Vec<StoryId> = follows
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .filter_map(|id| id.parse::<i64>().ok())
        .map(StoryId)
        .collect();
    // Looked up by binary search.
    follows.sort_unstable();
    Ok(ReaderState {
        unread,
        version,
        live_notices,
        follows: follows.into_boxed_slice(),
    })
}

/// The inbox states of those of `users` who were notified of `update`
/// (or of all of them, without an update): for their open pages.
pub async fn inbox_states(
    db: &AnyPool,
    users: &[UserId],
    update: Option<UpdateId>,
) -> Result<Vec<(UserId, i64, i64, Flag)>> {
    let ids = serde_json::to_string(users).unwrap_or_else(|_| "[]".into());
    let ids_in = Backend::of(db).ids_in("$1");
    let sql = match update {
        Some(_) => format!(
            "SELECT u.id, u.unread_count, u.inbox_version, u.live_notices
             FROM users AS u JOIN notifications AS n ON n.user_id = u.id AND n.update_id = $2
             WHERE u.id IN ({ids_in})"
        ),
        None => format!(
            "SELECT u.id, u.unread_count, u.inbox_version, u.live_notices
             FROM users AS u WHERE u.id IN ({ids_in})"
        ),
    };
    Ok(sqlx::query_as(&sql)
        .bind(ids)
        .bind(update)
        .fetch_all(db)
        .await?)
}

/// Marks one notification read; false if there is none unread.
pub async fn mark_read(db: &AnyPool, user: UserId, update: UpdateId) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE notifications SET read_at = $1
         WHERE user_id = $2 AND update_id = $3 AND read_at IS NULL",
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
    db: &AnyPool,
    user: UserId,
    view: View,
    from: i64,
    up_to: i64,
) -> Result<u64> {
    // "All updates" leaves out unpublished stories: their notifications in
    // the range were not on the page.
    let done = sqlx::query(
        "UPDATE notifications SET read_at = $1
         WHERE user_id = $2 AND update_id BETWEEN $3 AND $4 AND read_at IS NULL
           AND ($5 OR update_id IN (SELECT u.id FROM story_updates AS u
                JOIN stories AS s ON s.id = u.story_id
                WHERE u.id BETWEEN $3 AND $4 AND s.published_at IS NOT NULL))",
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

pub async fn set_live_notices(db: &AnyPool, user: UserId, on: bool) -> Result<()> {
    sqlx::query(
        "UPDATE users SET live_notices = $1, inbox_version = inbox_version + 1
         WHERE id = $2 AND live_notices != $3",
    )
    .bind(i64::from(on))
    .bind(user)
    .bind(i64::from(on))
    .execute(db)
    .await?;
    Ok(())
}

/// How many readers follow `story`.
pub async fn follower_count(db: &AnyPool, story: StoryId) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM follows WHERE story_id = $1")
            .bind(story)
            .fetch_one(db)
            .await?,
    )
}

/// Whether readers can see `story` now.
pub async fn is_published(db: &AnyPool, story: StoryId) -> Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM stories WHERE id = $1 AND published_at IS NOT NULL")
            .bind(story)
            .fetch_optional(db)
            .await?;
    Ok(found.is_some())
}
