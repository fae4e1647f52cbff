//! The story page (the list is in [`super::list_page`]).

use std::sync::Arc;

use rocket::outcome::{try_outcome, Outcome};
use rocket::request::{self, FromRequest, Request};
use rocket::{get, State};
use rocket_dyn_templates::{context, Template};

use super::reads::Reads;
use super::share::{story_path, Share};
use super::StoryCache;
use crate::auth::CurrentUser;
use crate::db::Db;
use crate::error::{managed, Result};
use crate::live::Engine;
use crate::notifications::Inboxes;
use crate::visits::{Person, Visits};
use crate::web::{query_encode, Layout, PublicOrigin};

/// A story. Opening it records the reader's read (once, ever, and on disk
/// before the page is sent) and counts them as a current viewer. A visitor
/// who is not logged in gets its preview instead: the title, the first
/// paragraph and the sharing tags (for link previews and search engines),
/// with a way to log in and read on; nothing is counted for them.
#[get("/stories/<key>")]
pub async fn show(
    key: &str,
    reader: Option<CurrentUser>,
    layout: Layout,
    origin: PublicOrigin,
    db: &Db,
    stories: &State<StoryCache>,
    seen: Seen<'_>,
) -> Result<Template> {
    let story = stories.require(db.pool(), key).await?;
    let share = Share::of(&origin, &story);
    let Some(reader) = reader else {
        // Back to the address asked for, as a redirect to log in would.
        let next = query_encode(&story_path(key));
        return Ok(Template::render(
            "stories/preview.html",
            context! {
                layout, share, next,
                story: context! { slug: &story.slug, title: &story.title, excerpt: &story.excerpt },
            },
        ));
    };
    if seen.person.0 {
        seen.visits.view(story.id);
    }
    let read_count = seen
        .reads
        .record(db.pool(), stories, &story, reader.user_id)
        .await?;
    let viewers = seen.live.ping(story.id, reader.user_id).await;
    let following = seen
        .inboxes
        .get(db.pool(), reader.user_id)
        .await?
        .follows(story.id);
    let catalogue = stories.catalogue(db.pool()).await?;
    let around = catalogue.neighbours(story.id);
    Ok(Template::render(
        "stories/show.html",
        context! {
            layout,
            story: context! {
                id: story.id, slug: &story.slug, title: &story.title, html: &story.html,
                author: &story.author, excerpt: &story.excerpt,
                reading_minutes: story.reading_minutes,
                published_at: &story.published_at, published_exact: &story.published_exact,
                updated_at: &story.updated_at, updated_exact: &story.updated_exact,
            },
            share,
            previous: around.previous,
            next: around.next,
            read_count,
            viewers,
            following,
            presence_ttl: seen.live.presence_ttl().as_secs(),
        },
    ))
}

/// Who sees a story page open, besides the reader: the views statistics,
/// the reads, the live engine, and the reader's follows.
pub struct Seen<'r> {
    person: Person,
    visits: &'r Arc<Visits>,
    reads: &'r Reads,
    live: &'r Engine,
    inboxes: &'r Inboxes,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Seen<'r> {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        let person = try_outcome!(req.guard::<Person>().await.map_error(|(s, _)| (s, ())));
        Outcome::Success(Seen {
            person,
            visits: try_outcome!(managed::<Arc<Visits>>(req)),
            reads: try_outcome!(managed::<Reads>(req)),
            live: try_outcome!(managed::<Engine>(req)),
            inboxes: try_outcome!(managed::<Inboxes>(req)),
        })
    }
}
