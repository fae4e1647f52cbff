//! The reader's pages: the story list and the story page.

use std::sync::Arc;

use rocket::{get, State};
use rocket_dyn_templates::{context, Template};
use sqlx::SqlitePool;

use super::cache::{CachedStory, StoryCache};
use super::queries;
use super::reads::Reads;
use super::StoryFigures;
use crate::auth::{CurrentUser, Layout};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::live::Live;
use crate::notifications::Inboxes;
use crate::visits::{Person, Visits};

/// The story list: every published story with its figures. Open to visitors,
/// so they can see what there is before signing up.
#[get("/")]
pub async fn index(
    reader: Option<CurrentUser>,
    db: &Db,
    layout: Layout,
    live: &State<Arc<Live>>,
    inboxes: &State<Inboxes>,
) -> Result<Template> {
    let stories: Vec<StoryFigures> = queries::published(db.pool())
        .await?
        .into_iter()
        .map(|story| StoryFigures::of(story, live))
        .collect();
    let follows = match (&layout.inbox, reader) {
        (Some(state), _) => state.follows.to_vec(),
        (None, Some(reader)) => inboxes
            .get(db.pool(), reader.user_id)
            .await?
            .follows
            .to_vec(),
        (None, None) => Vec::new(),
    };
    Ok(Template::render(
        "stories/index.html",
        context! { layout, stories, follows },
    ))
}

/// A story. Opening it records the reader's read (once, ever, and on disk
/// before the page is sent) and counts them as a current viewer.
#[allow(clippy::too_many_arguments)]
#[get("/stories/<key>")]
pub async fn show(
    key: &str,
    reader: CurrentUser,
    layout: Layout,
    db: &Db,
    stories: &State<StoryCache>,
    reads: &State<Reads>,
    live: &State<Arc<Live>>,
    person: Person,
    visits: &State<Arc<Visits>>,
    inboxes: &State<Inboxes>,
) -> Result<Template> {
    let story = find(db.pool(), stories, key).await?;
    if person.0 {
        visits.view(story.id);
    }
    let read_count = reads
        .record(db.pool(), stories, &story, reader.user_id)
        .await?;
    let viewers = live.here(story.id, reader.session_id);
    // The layout read the reader's state for the badge already.
    let following = match &layout.inbox {
        Some(state) => state.follows(story.id),
        None => inboxes
            .get(db.pool(), reader.user_id)
            .await?
            .follows(story.id),
    };
    Ok(Template::render(
        "stories/show.html",
        context! {
            layout,
            story: context! {
                id: story.id, slug: &story.slug, title: &story.title, html: &story.html,
            },
            read_count,
            viewers,
            following,
            presence_ttl: live.ttl().as_secs(),
        },
    ))
}

/// The published story a URL names, or 404.
pub async fn find(db: &SqlitePool, stories: &StoryCache, key: &str) -> Result<Arc<CachedStory>> {
    stories.find(db, key).await?.ok_or(Error::NotFound)
}
