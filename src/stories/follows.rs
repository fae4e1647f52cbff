//! Following a story: the follow and unfollow buttons on the story page and
//! the story list. What a reader follows decides the notifications they get
//! ([`crate::notifications`]).

use rocket::{post, State};
use sqlx::AnyPool;

use super::queries;
use super::StoryCache;
use crate::auth::CsrfForm;
use crate::error::{Error, Result};
use crate::ids::{StoryId, UserId};
use crate::notifications::ReaderInbox;
use crate::util::unix_now;
use crate::web::{Back, Done};

/// Follows a published story; following it again changes nothing.
#[post("/stories/<key>/follow", data = "<form>")]
pub async fn follow(
    key: &str,
    me: ReaderInbox<'_>,
    form: CsrfForm<Back>,
    stories: &State<StoryCache>,
) -> Result<Done> {
    let story = stories.require(me.pool(), key).await?;
    me.changed_if(add(me.pool(), me.user(), story.id).await?)
        .await;
    Ok(form.0.done())
}

/// Stops following a story. Its followers may stop following one that is
/// no longer published; to anyone else such a story is missing, with the
/// same 404 as one that never existed, so drafts cannot be probed.
#[post("/stories/<key>/unfollow", data = "<form>")]
pub async fn unfollow(
    key: &str,
    me: ReaderInbox<'_>,
    form: CsrfForm<Back>,
    stories: &State<StoryCache>,
) -> Result<Done> {
    let story = queries::any_story_id(me.pool(), key)
        .await?
        .ok_or(Error::NotFound)?;
    let removed = remove(me.pool(), me.user(), story).await?;
    if !removed {
        // Unfollowing twice is harmless, where the story is public.
        stories.require(me.pool(), key).await?;
    }
    me.changed_if(removed).await;
    Ok(form.0.done())
}

/// Follows a story; true if the reader did not follow it already.
pub(super) async fn add(db: &AnyPool, user: UserId, story: StoryId) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO follows (story_id, user_id, created_at) VALUES ($1, $2, $3)
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
pub(super) async fn remove(db: &AnyPool, user: UserId, story: StoryId) -> Result<bool> {
    let done = sqlx::query("DELETE FROM follows WHERE story_id = $1 AND user_id = $2")
        .bind(story)
        .bind(user)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}
