//! Live figures: who is viewing what right now, and the channels that push
//! changed figures to open pages within a fraction of a second.

mod changes;
pub mod feeds;
mod hub;
mod presence;
mod streams;

use std::sync::Arc;
use std::time::Duration;

use rocket::fairing::AdHoc;
use rocket::tokio::sync::{broadcast, watch};
use rocket::Route;

use changes::Changes;
use hub::Hub;
pub use hub::{Figures, ListBatch, ListFigures};
pub use presence::Presence;

use crate::config::Settings;

pub type StoryId = i64;
pub type SessionId = i64;

/// How often pending changes are published (and expirations delivered).
/// Changes within one interval reach pages as one message.
const PUBLISH_EVERY: Duration = Duration::from_millis(200);

/// Presence and the channels to open pages, managed by Rocket as `Arc<Live>`.
pub struct Live {
    presence: Presence,
    changes: Arc<Changes>,
    hub: Hub,
    ttl: Duration,
}

impl Live {
    pub fn new(ttl: Duration) -> Arc<Live> {
        let changes = Arc::new(Changes::default());
        Arc::new(Live {
            presence: Presence::new(ttl, Arc::clone(&changes)),
            changes,
            hub: Hub::new(),
            ttl,
        })
    }

    /// The presence time-to-live: pages ping well within it.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// The number of sessions viewing `story`.
    pub fn viewers(&self, story: StoryId) -> usize {
        self.presence.count(story)
    }

    /// The number of viewers of all stories together.
    pub fn total_viewers(&self) -> usize {
        self.presence.total()
    }

    /// A sign of life from `session` on `story`: a page load or a ping.
    /// Returns the story's viewer count.
    pub fn here(&self, story: StoryId, session: SessionId) -> usize {
        self.presence.here(story, session)
    }

    /// Counts `session` as viewing `story` while the returned guard lives.
    pub fn enter(self: &Arc<Self>, story: StoryId, session: SessionId) -> Viewing {
        self.presence.enter(story, session);
        Viewing {
            live: Arc::clone(self),
            story,
            session,
        }
    }

    /// Records that `story`'s read counter rose to `count`.
    pub fn reads_changed(&self, story: StoryId, count: i64) {
        self.changes.reads(story, count);
    }

    /// Follows `story`'s figures, starting from `reads` and the current viewers.
    pub fn watch_story(self: &Arc<Self>, story: StoryId, reads: i64) -> Option<StoryWatch> {
        let now = Figures {
            viewers: self.viewers(story),
            reads,
        };
        let receiver = self.hub.watch_story(story, now)?;
        Some(StoryWatch {
            receiver: Some(receiver),
            live: Arc::clone(self),
            story,
        })
    }

    /// Follows the changes that story lists show.
    pub fn watch_lists(&self) -> broadcast::Receiver<ListBatch> {
        self.hub.watch_lists()
    }

    /// How many stories have an open channel.
    pub fn open_story_channels(&self) -> usize {
        self.hub.open_story_channels()
    }

    /// Publishes every change since the last call: one message per changed
    /// story to its pages, and one batch to the story lists.
    pub fn publish(&self) {
        let changes = self.changes.take();
        let mut batch = Vec::with_capacity(changes.len());
        for (story, change) in changes {
            let viewers = change.viewers.then(|| self.presence.count(story));
            self.hub.publish_story(story, viewers, change.reads);
            batch.push(ListFigures {
                id: story,
                viewers,
                reads: change.reads,
            });
        }
        self.hub.publish_lists(batch);
    }
}

/// A session viewing a story through a live stream; leaving when dropped.
pub struct Viewing {
    live: Arc<Live>,
    story: StoryId,
    session: SessionId,
}

impl Drop for Viewing {
    fn drop(&mut self) {
        self.live.presence.leave(self.story, self.session);
    }
}

/// A live stream's subscription to a story's figures; the story's channel
/// is freed when the last one is dropped.
pub struct StoryWatch {
    receiver: Option<watch::Receiver<Figures>>,
    live: Arc<Live>,
    story: StoryId,
}

impl StoryWatch {
    /// The current figures, marked as seen.
    pub fn current(&mut self) -> Option<Figures> {
        self.receiver.as_mut().map(|r| *r.borrow_and_update())
    }

    /// Waits for the next change; `None` when the channel is gone.
    pub async fn changed(&mut self) -> Option<Figures> {
        let receiver = self.receiver.as_mut()?;
        receiver.changed().await.ok()?;
        let figures = *receiver.borrow_and_update();
        Some(figures)
    }
}

impl Drop for StoryWatch {
    fn drop(&mut self) {
        drop(self.receiver.take());
        self.live.hub.release_story(self.story);
    }
}

pub fn routes() -> Vec<Route> {
    streams::routes()
}

/// Manages `Arc<Live>` and starts the publisher: every `PUBLISH_EVERY` it
/// delivers expirations and publishes pending changes.
pub fn stage(settings: &Settings) -> AdHoc {
    let ttl = Duration::from_secs(settings.presence_ttl);
    AdHoc::on_ignite("Live", move |rocket| async move {
        let live = Live::new(ttl);
        let weak = Arc::downgrade(&live);
        rocket::tokio::spawn(async move {
            let mut tick = rocket::tokio::time::interval(PUBLISH_EVERY);
            loop {
                tick.tick().await;
                // Stops when the Rocket that owns it is gone.
                let Some(live) = weak.upgrade() else { break };
                live.presence.run_pending_tasks();
                live.publish();
            }
        });
        rocket.manage(live)
    })
}
