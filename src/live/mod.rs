//! Live figures: who is viewing what right now, and the channels that push
//! changed figures to open pages within a fraction of a second.

mod changes;
pub mod feeds;
mod http;
mod hub;
mod inbox;
mod inbox_feed;
mod listener;
mod memory;
mod presence;
mod streams;

use std::sync::Arc;
use std::time::Duration;

use rocket::fairing::AdHoc;
use rocket::tokio::sync::{broadcast, watch};
use rocket::Route;

use changes::Changes;
use hub::Hub;
pub use hub::{Figures, ListBatch, ListFigures, ListMessage};
use inbox::InboxChannels;
pub use inbox::{Inbox, InboxWatch, Notice, UserId};
pub use inbox_feed::{InboxFeed, PostedFeed};
pub use listener::LiveListener;
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
    inboxes: InboxChannels,
    ttl: Duration,
    streams: memory::StreamCount,
}

impl Live {
    pub fn new(ttl: Duration) -> Arc<Live> {
        let changes = Arc::new(Changes::default());
        Arc::new(Live {
            presence: Presence::new(ttl, Arc::clone(&changes)),
            changes,
            hub: Hub::new(),
            inboxes: InboxChannels::new(),
            ttl,
            streams: memory::StreamCount::default(),
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

    /// Follows `story`'s figures. Returns the figures as of now, from
    /// `reads` and the current viewers, and the subscription for what follows.
    pub fn watch_story(
        self: &Arc<Self>,
        story: StoryId,
        reads: i64,
    ) -> Option<(Figures, StoryWatch)> {
        let now = Figures {
            viewers: self.viewers(story),
            reads,
        };
        let mut receiver = self.hub.watch_story(story, now)?;
        let published = *receiver.borrow_and_update();
        let now = Figures {
            reads: now.reads.max(published.reads),
            ..now
        };
        let watch = StoryWatch {
            receiver: Some(receiver),
            live: Arc::clone(self),
            story,
        };
        Some((now, watch))
    }

    /// Follows the changes that story lists show.
    pub fn watch_lists(&self) -> broadcast::Receiver<ListMessage> {
        self.hub.watch_lists()
    }

    /// Tells open story lists that stories were published, unpublished,
    /// renamed or deleted, so they fetch the list again.
    pub fn list_changed(&self) {
        self.hub.list_changed();
    }

    /// How many live streams are open.
    pub fn open_streams(&self) -> usize {
        self.streams.open()
    }

    /// Counts a live stream as open while the returned guard lives.
    pub fn stream_opened(self: &Arc<Self>) -> OpenStream {
        self.streams.opened();
        OpenStream(Arc::clone(self))
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

/// An open live stream, counted until dropped.
pub struct OpenStream(Arc<Live>);

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.0.streams.closed();
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

/// The dedicated live listener, when `live_port` is set.
pub fn listener(settings: &Settings) -> AdHoc {
    listener::stage(settings.live_port)
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
                live.streams.release_if_shrunk();
            }
        });
        rocket.manage(live)
    })
}
