//! The live engine of one node: presence in a moka cache, changes gathered
//! per story and published by a timer, and tokio channels to open pages.

// The Redis engine reuses the parts that work per node.
pub(super) mod changes;
pub(super) mod hub;
pub(super) mod inboxes;
pub(super) mod presence;

use std::sync::{Arc, Weak};
use std::time::Duration;

use rocket::tokio::sync::broadcast;

use super::StoryWatch;
use super::{Figures, Inbox, InboxWatch, ListMessage, LiveEngine, Notice};
use crate::ids::{StoryId, UserId};
use changes::Changes;
use hub::Hub;
use inboxes::InboxChannels;
use presence::Presence;

/// How often pending changes are published (and expirations delivered).
/// Changes within one interval reach pages as one message.
const PUBLISH_EVERY: Duration = Duration::from_millis(200);

/// Everything live in this process.
pub struct MemoryEngine {
    shared: Arc<Shared>,
}

struct Shared {
    presence: Presence,
    changes: Arc<Changes>,
    hub: Hub,
    inboxes: InboxChannels,
    ttl: Duration,
}

impl MemoryEngine {
    /// An engine whose viewers leave after `ttl` without a sign of life.
    /// Publishing is up to the caller (see [`MemoryEngine::start`]).
    pub fn new(ttl: Duration) -> MemoryEngine {
        let changes = Arc::new(Changes::default());
        MemoryEngine {
            shared: Arc::new(Shared {
                presence: Presence::new(ttl, Arc::clone(&changes)),
                changes,
                hub: Hub::new(),
                inboxes: InboxChannels::new(),
                ttl,
            }),
        }
    }

    /// An engine, with its publisher running on the current tokio runtime:
    /// every `PUBLISH_EVERY` it delivers expirations and publishes pending
    /// changes, until the engine is dropped.
    pub fn start(ttl: Duration) -> Arc<MemoryEngine> {
        let engine = Arc::new(MemoryEngine::new(ttl));
        let weak: Weak<Shared> = Arc::downgrade(&engine.shared);
        rocket::tokio::spawn(async move {
            let mut tick = rocket::tokio::time::interval(PUBLISH_EVERY);
            loop {
                tick.tick().await;
                let Some(shared) = weak.upgrade() else { break };
                shared.presence.run_pending_tasks();
                shared.publish();
            }
        });
        engine
    }
}

impl Shared {
    /// Publishes every change since the last call: one message per changed
    /// story to its pages, and one batch to the story lists.
    fn publish(&self) {
        let changes = self.changes.take();
        self.hub
            .publish_changes(changes, |story| self.presence.count(story));
    }
}

#[rocket::async_trait]
impl LiveEngine for MemoryEngine {
    fn presence_ttl(&self) -> Duration {
        self.shared.ttl
    }

    async fn ping(&self, story: StoryId, reader: UserId) -> usize {
        self.shared.presence.here(story, reader)
    }

    async fn join(&self, story: StoryId, reader: UserId) {
        self.shared.presence.enter(story, reader);
    }

    fn leave(&self, story: StoryId, reader: UserId) {
        self.shared.presence.leave(story, reader);
    }

    async fn viewers(&self, stories: &[StoryId]) -> Vec<usize> {
        let presence = &self.shared.presence;
        stories.iter().map(|story| presence.count(*story)).collect()
    }

    async fn total_viewers(&self) -> usize {
        self.shared.presence.total()
    }

    async fn reads_changed(&self, story: StoryId, count: i64) {
        self.shared.changes.reads(story, count);
    }

    async fn list_changed(&self) {
        self.shared.hub.list_changed();
    }

    async fn publish_pending(&self) {
        self.shared.publish();
    }

    async fn watch_story(&self, story: StoryId, reads: i64) -> Option<(Figures, StoryWatch)> {
        let now = Figures {
            viewers: self.shared.presence.count(story),
            reads,
        };
        hub::subscribe(&self.shared, |shared| &shared.hub, story, now)
    }

    fn watch_lists(&self) -> broadcast::Receiver<ListMessage> {
        self.shared.hub.watch_lists()
    }

    fn watch_inbox(&self, user: UserId, now: Inbox) -> Option<InboxWatch> {
        self.shared.inboxes.watch(user, now)
    }

    async fn publish_inbox(&self, user: UserId, inbox: Inbox) {
        self.shared.inboxes.publish(user, inbox);
    }

    async fn inbox_readers(&self) -> Vec<UserId> {
        self.shared.inboxes.readers()
    }

    async fn update_posted(&self, notice: Arc<Notice>) {
        self.shared.inboxes.posted(notice);
    }

    fn watch_posted(&self) -> broadcast::Receiver<Arc<Notice>> {
        self.shared.inboxes.watch_posted()
    }

    fn open_story_channels(&self) -> usize {
        self.shared.hub.open_story_channels()
    }
}
