//! The SQL of a story's revisions: every saved text, with who saved it and
//! when. A save records one when the text (title, story or summary)
//! differs from the latest; the page is in [`super::revisions`].

use serde::Serialize;
use sqlx::{AnyConnection, AnyPool};

use crate::error::Result;
use crate::ids::{StoryId, UserId};

/// How many revisions the history page lists.
const LISTED: i64 = 200;

/// A line of a story's history.
#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct RevisionLine {
    pub id: i64,
    pub title: String,
    /// Characters of the story's text.
    pub chars: i64,
    pub author: Option<String>,
    pub created_at: i64,
}

/// One revision, whole.
#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Revision {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub summary: Option<String>,
    pub author: Option<String>,
    pub created_at: i64,
}

/// Records story `id`'s text as saved by `by` at `now`, unless it is the
/// latest revision's already. Runs in the save's transaction.
pub async fn record(conn: &mut AnyConnection, id: StoryId, by: UserId, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO story_revisions (story_id, title, body, summary, author_id, created_at)
         SELECT s.id, s.title, s.body, s.summary, $1, $2 FROM stories AS s
         WHERE s.id = $3 AND NOT EXISTS (
             SELECT 1 FROM story_revisions AS r
             WHERE r.id = (SELECT MAX(id) FROM story_revisions WHERE story_id = s.id)
               AND r.title = s.title AND r.body = s.body AND r.summary IS NOT DISTINCT FROM s.summary)",
    )
    .bind(by)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Story `id`'s latest revisions, newest first.
pub async fn list(db: &AnyPool, id: StoryId) -> Result<Vec<RevisionLine>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.title, length(r.body) AS chars, u.username AS author, r.created_at
         FROM story_revisions AS r LEFT JOIN users AS u ON u.id = r.author_id
         WHERE r.story_id = $1 ORDER BY r.id DESC LIMIT $2",
    )
    .bind(id)
    .bind(LISTED)
    .fetch_all(db)
    .await?)
}

/// Revision `revision` of story `id`.
pub async fn get(db: &AnyPool, id: StoryId, revision: i64) -> Result<Option<Revision>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.title, r.body, r.summary, u.username AS author, r.created_at
         FROM story_revisions AS r LEFT JOIN users AS u ON u.id = r.author_id
         WHERE r.story_id = $1 AND r.id = $2",
    )
    .bind(id)
    .bind(revision)
    .fetch_optional(db)
    .await?)
}
