//! The story page (the list is in [`super::list_page`]).

use std::sync::Arc;

use rocket::outcome::{try_outcome, Outcome};
use rocket::request::{self, FromRequest, Request};
use rocket::response::content::RawHtml;
use rocket::response::Redirect;
use rocket::{get, Responder, State};
use rocket_dyn_templates::{context, Metadata, Template};

use super::reads::Reads;
use super::share::{story_path, Share};
use super::shells::{Filling, KeptPages, Kind};
use super::StoryCache;
use crate::auth::CurrentUser;
use crate::db::Db;
use crate::error::{managed, Result};
use crate::live::Engine;
use crate::notifications::Inboxes;
use crate::util::unix_now;
use crate::visits::{Person, ViewFrom, Visits};
use crate::web::{query_encode, times, Layout, PublicOrigin};

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
) -> Result<StoryPage> {
    let Some(story) = stories.find(db.pool(), key).await? else {
        // A story renamed since the link was made: to its new address.
        return Ok(StoryPage::Moved(Box::new(
            super::moved(db.pool(), key, "").await?,
        )));
    };
    let Some(reader) = reader else {
        let share = Share::of(&origin, &story);
        // Back to the address asked for, as a redirect to log in would.
        let next = query_encode(&story_path(key));
        return Ok(StoryPage::Preview(Box::new(Template::render(
            "stories/preview.html",
            context! {
                layout, share, next,
                story: context! {
                    slug: &story.slug, title: &story.title, excerpt: &story.excerpt, cover: &story.cover,
                },
            },
        ))));
    };
    if seen.person.0 {
        seen.visits.view(story.id, &seen.from);
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
    let kind = Kind {
        admin: layout.user.as_ref().is_some_and(|user| user.is_admin),
        following,
    };
    let now = unix_now();
    let filling = Filling {
        layout: &layout,
        viewers,
        read_count,
        published_ago: &times::ago(story.published_unix, now),
        updated_ago: &times::ago(story.updated_unix, now),
    };
    let page = seen.kept.story(
        &seen.templates,
        kind,
        (&story, &catalogue, &origin),
        &filling,
    )?;
    Ok(StoryPage::Page(RawHtml(page)))
}

/// A story page, a visitor's preview of it, or where it moved.
#[derive(Responder)]
pub enum StoryPage {
    Preview(Box<Template>),
    Page(RawHtml<String>),
    /// 301 from a former URL name.
    Moved(Box<Redirect>),
}

/// Who sees a story page open, besides the reader: the views statistics,
/// the reads, the live engine, and the reader's follows.
pub struct Seen<'r> {
    person: Person,
    from: ViewFrom<'r>,
    visits: &'r Arc<Visits>,
    reads: &'r Reads,
    live: &'r Engine,
    inboxes: &'r Inboxes,
    kept: &'r KeptPages,
    templates: Metadata<'r>,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Seen<'r> {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        let person = try_outcome!(req.guard::<Person>().await.map_error(|(s, _)| (s, ())));
        let from = try_outcome!(req
            .guard::<ViewFrom<'r>>()
            .await
            .map_error(|(s, _)| (s, ())));
        Outcome::Success(Seen {
            person,
            from,
            visits: try_outcome!(managed::<Arc<Visits>>(req)),
            reads: try_outcome!(managed::<Reads>(req)),
            live: try_outcome!(managed::<Engine>(req)),
            inboxes: try_outcome!(managed::<Inboxes>(req)),
            kept: try_outcome!(managed::<KeptPages>(req)),
            templates: try_outcome!(req.guard::<Metadata<'r>>().await),
        })
    }
}
