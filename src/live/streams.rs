//! The server-sent-event streams that keep open pages fresh. Each page
//! opens one: a story page its story's figures, the story list the figures
//! of every story. Every (re)connect starts with the current figures.

use std::sync::Arc;
use std::time::Duration;

use rocket::http::Status;
use rocket::response::stream::{Event, EventStream};
use rocket::tokio::select;
use rocket::tokio::sync::broadcast::error::RecvError;
use rocket::{get, post, Route, Shutdown, State};
use sqlx::SqlitePool;

use super::{Figures, ListFigures, Live};
use crate::auth::{CsrfHeader, CurrentUser};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::stories::{pages::find, queries, StoryCache};

/// Rocket notices a closed connection only when it next writes to it, so
/// this bounds how long a closed tab keeps counting.
const HEARTBEAT: Duration = Duration::from_secs(2);
/// How long a browser waits before reconnecting a dropped stream.
const RETRY: Duration = Duration::from_secs(2);

fn figures_event(figures: Figures) -> Event {
    Event::json(&figures).event("figures")
}

/// A story page's stream: the reader counts as a viewer while it is open.
#[get("/live/stories/<key>")]
async fn story(
    key: &str,
    reader: CurrentUser,
    db: &Db,
    stories: &State<StoryCache>,
    live: &State<Arc<Live>>,
    mut shutdown: Shutdown,
) -> Result<EventStream![]> {
    let story = find(db, stories, key).await?;
    let viewing = live.enter(story.id, reader.session_id);
    let mut watch = live
        .watch_story(story.id, story.read_count())
        .ok_or_else(|| Error::Internal("the live channels are unavailable".into()))?;
    let first = watch.current();
    Ok(EventStream! {
        // Leaves when the stream is dropped: closed tab, navigation, shutdown.
        let _viewing = viewing;
        if let Some(figures) = first {
            yield figures_event(figures).with_retry(RETRY);
        }
        loop {
            select! {
                figures = watch.changed() => match figures {
                    Some(figures) => yield figures_event(figures),
                    None => break,
                },
                _ = &mut shutdown => break,
            }
        }
    }
    .heartbeat(HEARTBEAT))
}

/// The story list's stream: changed figures of any story. Open to visitors,
/// like the list itself; watching the list does not make anyone a viewer.
#[get("/live/stories")]
async fn list(db: &Db, live: &State<Arc<Live>>, mut shutdown: Shutdown) -> Result<EventStream![]> {
    // Subscribe before the snapshot, so no change falls between the two.
    let mut changes = live.watch_lists();
    let first = snapshot(db.pool(), live).await?;
    let (db, live) = (db.pool().clone(), Arc::clone(live));
    Ok(EventStream! {
        yield Event::json(&first).event("stories").with_retry(RETRY);
        loop {
            select! {
                batch = changes.recv() => match batch {
                    Ok(batch) => yield Event::json(&batch.as_ref()).event("stories"),
                    // Fell behind: skip what was missed and start afresh.
                    Err(RecvError::Lagged(_)) => match snapshot(&db, &live).await {
                        Ok(all) => yield Event::json(&all).event("stories"),
                        Err(_) => break,
                    },
                    Err(RecvError::Closed) => break,
                },
                _ = &mut shutdown => break,
            }
        }
    }
    .heartbeat(HEARTBEAT))
}

/// The figures of every published story.
async fn snapshot(db: &SqlitePool, live: &Live) -> Result<Vec<ListFigures>> {
    Ok(queries::published(db)
        .await?
        .into_iter()
        .map(|story| ListFigures {
            id: story.id,
            viewers: Some(live.viewers(story.id)),
            reads: Some(story.read_count),
        })
        .collect())
}

/// An open story page's sign of life. A stream cannot tell a live reader
/// from a connection that died without closing, so pages ping well within
/// the presence time-to-live; a silent viewer stops counting when it ends.
#[post("/live/stories/<key>/here")]
async fn here(
    key: &str,
    reader: CurrentUser,
    _csrf: CsrfHeader,
    db: &Db,
    stories: &State<StoryCache>,
    live: &State<Arc<Live>>,
) -> Result<Status> {
    let story = find(db, stories, key).await?;
    live.here(story.id, reader.session_id);
    Ok(Status::NoContent)
}

pub fn routes() -> Vec<Route> {
    rocket::routes![story, list, here]
}
