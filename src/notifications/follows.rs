//! Following stories: the follow and unfollow buttons (on the story page
//! and the story list), and the "Following" page.

use std::sync::Arc;

use rocket::{get, post, State};
use rocket_dyn_templates::{context, Template};

use super::inbox::Inboxes;
use super::{back, queries, Back, Done};
use crate::auth::{CsrfForm, CurrentUser, Layout};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::live::Live;
use crate::stories::{pages::find, StoryCache};

/// Stories on one page of "Following".
const PAGE: i64 = 30;

/// Follows a published story; following it again changes nothing.
#[post("/stories/<key>/follow", data = "<form>")]
pub async fn follow(
    key: &str,
    reader: CurrentUser,
    form: CsrfForm<Back>,
    db: &Db,
    stories: &State<StoryCache>,
    live: &State<Arc<Live>>,
    inboxes: &State<Inboxes>,
) -> Result<Done> {
    let story = find(db.pool(), stories, key).await?;
    if queries::follow(db.pool(), reader.user_id, story.id).await? {
        inboxes.changed(db.pool(), live, reader.user_id).await;
    }
    Ok(back(form.0))
}

/// Stops following a story, even one that is no longer published.
#[post("/stories/<key>/unfollow", data = "<form>")]
pub async fn unfollow(
    key: &str,
    reader: CurrentUser,
    form: CsrfForm<Back>,
    db: &Db,
    live: &State<Arc<Live>>,
    inboxes: &State<Inboxes>,
) -> Result<Done> {
    let story = queries::any_story_id(db.pool(), key)
        .await?
        .ok_or(Error::NotFound)?;
    if queries::unfollow(db.pool(), reader.user_id, story).await? {
        inboxes.changed(db.pool(), live, reader.user_id).await;
    }
    Ok(back(form.0))
}

/// The stories the reader follows, those updated last first, each with its
/// latest update.
#[get("/following?<after>")]
pub async fn following(
    after: Option<&str>,
    reader: CurrentUser,
    layout: Layout,
    db: &Db,
) -> Result<Template> {
    let cursor = match after {
        None | Some("") => (i64::MAX, i64::MAX),
        Some(after) => parse_cursor(after)?,
    };
    let mut stories = queries::followed(db.pool(), reader.user_id, cursor, PAGE + 1).await?;
    let next = (stories.len() as i64 > PAGE).then(|| {
        stories.truncate(PAGE as usize);
        stories
            .last()
            .map(|s| format!("{}.{}", s.latest, s.story_id))
    });
    Ok(Template::render(
        "notifications/following.html",
        context! { layout, stories, after, next: next.flatten(), first_page: after.is_none() },
    ))
}

fn parse_cursor(after: &str) -> Result<(i64, i64)> {
    let parsed = after
        .split_once('.')
        .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)));
    parsed.ok_or_else(|| Error::BadRequest("That page link is not valid.".into()))
}
