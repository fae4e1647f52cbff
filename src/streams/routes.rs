//! The live streams served by Rocket: each page opens one, a story page for
//! its story's figures, the story list for every story's, other pages for
//! their reader's inbox. Every (re)connect starts with the current figures.

use std::sync::Arc;
use std::time::Duration;

use rocket::http::{CookieJar, Status};
use rocket::response::stream::{Event, EventStream};
use rocket::tokio::select;
use rocket::{get, post, Shutdown, State};

use super::feeds::{Feed, Outgoing};
use super::pings::PingLimits;
use super::source::Feeds;
use crate::auth::{ClientIp, CsrfHeader, CurrentUser, Sessions};
use crate::error::Result;

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
        // Its presence and its place in the budgets go now, not when the
        // server gets round to dropping the finished response.
        drop(feed);
    }
    .heartbeat(HEARTBEAT)
}

/// A story page's stream: the reader counts as a viewer while it is open.
#[get("/live/stories/<key>")]
pub async fn story(
    key: &str,
    reader: CurrentUser,
    client: ClientIp,
    feeds: &State<Feeds>,
    shutdown: Shutdown,
) -> Result<EventStream![]> {
    Ok(stream(feeds.story(key, &reader, client.0).await?, shutdown))
}

/// The story list's stream. Open to visitors, like the list itself;
/// watching the list does not make anyone a viewer.
#[get("/live/stories")]
pub async fn list(
    reader: Option<CurrentUser>,
    client: ClientIp,
    feeds: &State<Feeds>,
    shutdown: Shutdown,
) -> Result<EventStream![]> {
    let reader = reader.as_ref().map(|r| &r.0);
    Ok(stream(feeds.list(reader, client.0).await?, shutdown))
}

/// The stream of every other page of a logged-in reader.
#[get("/live/inbox")]
pub async fn inbox(
    reader: CurrentUser,
    client: ClientIp,
    feeds: &State<Feeds>,
    shutdown: Shutdown,
) -> Result<EventStream![]> {
    Ok(stream(feeds.inbox(&reader, client.0).await?, shutdown))
}

/// An open story page's sign of life. A stream cannot tell a live reader
/// from a connection that died without closing, so pages ping well within
/// the presence time-to-live; a silent viewer stops counting when it ends.
/// The answer also renews the page's stream ticket if it lacks one (a page
/// opened before the ticket existed), so its stream to the live listener
/// recovers without a reload.
#[post("/api/stories/<key>/here")]
pub async fn here(
    key: &str,
    reader: CurrentUser,
    _csrf: CsrfHeader,
    feeds: &State<Feeds>,
    sessions: &State<Sessions>,
    pings: &State<Arc<PingLimits>>,
    jar: &CookieJar<'_>,
) -> Result<Status> {
    pings.check(reader.session_id)?;
    let story = feeds.stories.require(&feeds.db, key).await?;
    feeds.live.ping(story.id, reader.user_id).await;
    (sessions.tickets()).ensure(jar, &reader, sessions.secure_cookies());
    Ok(Status::NoContent)
}
