//! The live streams served by Rocket: each page opens one, a story page for
//! its story's figures, the story list for every story's. Every (re)connect
//! starts with the current figures.

use std::sync::Arc;
use std::time::Duration;

use rocket::http::Status;
use rocket::response::stream::{Event, EventStream};
use rocket::tokio::select;
use rocket::{get, post, Route, Shutdown, State};

use super::feeds::{Feed, ListFeed, Main, Outgoing, StoryFeed};
use super::Live;
use super::{InboxFeed, PostedFeed};
use crate::auth::{CsrfHeader, CurrentUser};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::notifications::Inboxes;
use crate::stories::{pages::find, StoryCache};

/// Rocket notices a closed connection only when it next writes to it, so
/// this bounds how long a closed tab keeps counting.
pub const HEARTBEAT: Duration = Duration::from_secs(2);

fn event(out: Outgoing) -> Event {
    let event = Event::data(out.data).event(out.name);
    match out.retry {
        Some(retry) => event.with_retry(retry),
        None => event,
    }
}

fn stream(mut feed: Feed, mut shutdown: Shutdown) -> EventStream![] {
    EventStream! {
        loop {
            let next = select! {
                next = feed.next() => next,
                _ = &mut shutdown => None,
            };
            match next {
                Some(out) => yield event(out),
                None => break,
            }
        }
    }
    .heartbeat(HEARTBEAT)
}

/// A story page's stream: the reader counts as a viewer while it is open.
#[allow(clippy::too_many_arguments)]
#[get("/live/stories/<key>")]
async fn story(
    key: &str,
    reader: CurrentUser,
    db: &Db,
    stories: &State<StoryCache>,
    live: &State<Arc<Live>>,
    inboxes: &State<Inboxes>,
    shutdown: Shutdown,
) -> Result<EventStream![]> {
    let story = find(db.pool(), stories, key).await?;
    let feed = StoryFeed::open(live, &story, reader.session_id)
        .ok_or_else(|| Error::Internal("the live channels are unavailable".into()))?;
    let inbox = InboxFeed::of_reader(db.pool(), inboxes, live, reader.user_id).await?;
    Ok(stream(Feed::new(Main::Story(feed), Some(inbox)), shutdown))
}

/// The story list's stream. Open to visitors, like the list itself;
/// watching the list does not make anyone a viewer.
#[get("/live/stories")]
async fn list(
    reader: Option<CurrentUser>,
    db: &Db,
    live: &State<Arc<Live>>,
    inboxes: &State<Inboxes>,
    shutdown: Shutdown,
) -> Result<EventStream![]> {
    let feed = ListFeed::open(db.pool(), live).await?;
    let inbox = match reader {
        Some(reader) => Some(InboxFeed::of_reader(db.pool(), inboxes, live, reader.user_id).await?),
        None => None,
    };
    Ok(stream(Feed::new(Main::List(feed), inbox), shutdown))
}

/// The stream of every other page of a logged-in reader: their inbox, and
/// a signal when any update is posted (for the notifications page).
#[get("/live/inbox")]
async fn inbox(
    reader: CurrentUser,
    db: &Db,
    live: &State<Arc<Live>>,
    inboxes: &State<Inboxes>,
    shutdown: Shutdown,
) -> Result<EventStream![]> {
    let inbox = InboxFeed::of_reader(db.pool(), inboxes, live, reader.user_id).await?;
    let posted = PostedFeed::open(live);
    Ok(stream(
        Feed::new(Main::Posted(posted), Some(inbox)),
        shutdown,
    ))
}

/// An open story page's sign of life. A stream cannot tell a live reader
/// from a connection that died without closing, so pages ping well within
/// the presence time-to-live; a silent viewer stops counting when it ends.
#[post("/api/stories/<key>/here")]
async fn here(
    key: &str,
    reader: CurrentUser,
    _csrf: CsrfHeader,
    db: &Db,
    stories: &State<StoryCache>,
    live: &State<Arc<Live>>,
) -> Result<Status> {
    let story = find(db.pool(), stories, key).await?;
    live.here(story.id, reader.session_id);
    Ok(Status::NoContent)
}

pub fn routes() -> Vec<Route> {
    rocket::routes![story, list, inbox, here]
}
