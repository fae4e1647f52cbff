//! The live engine of several nodes: presence kept in Redis, shared by
//! every node, so a page's ping may reach another node than its stream;
//! changes told to every node over one Redis channel, each node forwarding
//! them to its own open pages (merged per story there, as on one node).
//! When Redis cannot be reached, each node goes on with what it sees
//! itself, says so in its log and in `/health/ready`, and comes back to
//! the shared figures when Redis does.

mod attempts;
mod budgets;
mod bus;
mod link;
mod node;
mod pings;
mod presence;

use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use rocket::tokio::sync::broadcast;

use super::memory::changes::Changes;
use super::memory::hub::subscribe;
use super::memory::hub::Hub;
use super::memory::inboxes::InboxChannels;
use super::memory::presence::Presence;
use super::{
    Figures, Forget, Inbox, InboxWatch, ListMessage, LiveEngine, Notice, SharedBudget, StoryWatch,
    Taken,
};
use crate::ids::{StoryId, UserId};
use bus::{Message, WireInbox, WireNotice};
use link::Link;
use node::Shared;
use pings::Pings;
use presence::SharedPresence;

/// How often pending changes are published to this node's pages.
const PUBLISH_EVERY: Duration = Duration::from_millis(200);
/// How often the stories this node shows are counted again, for viewers
/// that expired elsewhere (a node that died, a page that went quiet).
const RECOUNT_EVERY: Duration = Duration::from_secs(1);
/// The longest wait between two refreshes of this node's streams.
const REFRESH_AT_LEAST: Duration = Duration::from_secs(5);

/// Presence and fan-out through Redis.
pub struct RedisEngine {
    shared: Arc<Shared>,
}

impl RedisEngine {
    /// An engine on the Redis at `url`, with its tasks running on the
    /// current tokio runtime; it connects (and reconnects) by itself, and
    /// works on this node's own figures meanwhile. Fails only on a URL that
    /// is not one.
    pub fn start(url: &str, ttl: Duration) -> redis::RedisResult<Arc<RedisEngine>> {
        let changes = Arc::new(Changes::default());
        let shared = Arc::new(Shared {
            link: Link::new(url)?,
            presence: SharedPresence::new(ttl),
            local: Presence::new(ttl, Arc::clone(&changes)),
            changes,
            hub: Hub::new(),
            inboxes: InboxChannels::new(),
            streams: Mutex::default(),
            published: Mutex::default(),
            ttl,
            forgets: broadcast::channel(256).0,
            pings: Pings::new(ttl),
        });
        let weak = Arc::downgrade(&shared);
        link::listen(
            shared.link.clone(),
            weak.clone(),
            |shared: &Shared, message| shared.heard(message),
        );
        rocket::tokio::spawn(publisher(weak.clone()));
        rocket::tokio::spawn(refresher(weak));
        Ok(Arc::new(RedisEngine { shared }))
    }
}

/// Publishes pending changes to this node's pages, and counts again the
/// stories they show.
async fn publisher(shared: Weak<Shared>) {
    let mut tick = rocket::tokio::time::interval(PUBLISH_EVERY);
    let mut recount = rocket::tokio::time::Instant::now();
    loop {
        tick.tick().await;
        let Some(shared) = shared.upgrade() else {
            break;
        };
        shared.local.run_pending_tasks();
        if recount.elapsed() >= RECOUNT_EVERY {
            recount = rocket::tokio::time::Instant::now();
            shared.recount().await;
        }
        shared.write_pings().await;
        shared.publish().await;
    }
}

/// Keeps this node's open streams present in Redis, refreshing them three
/// times per time-to-live, and at least every few seconds, so that streams
/// whose arrival Redis missed (it was away) count again soon.
async fn refresher(shared: Weak<Shared>) {
    let every = shared.upgrade().map_or(REFRESH_AT_LEAST, |shared| {
        (shared.ttl / 3).min(REFRESH_AT_LEAST)
    });
    let mut tick = rocket::tokio::time::interval(every.max(Duration::from_millis(100)));
    loop {
        tick.tick().await;
        let Some(shared) = shared.upgrade() else {
            break;
        };
        let open: Vec<(StoryId, UserId)> = shared
            .streams
            .lock()
            .map(|streams| streams.keys().copied().collect())
            .unwrap_or_default();
        if open.is_empty() {
            continue;
        }
        if let Some(mut redis) = shared.link.connection() {
            let refreshed = shared.presence.refresh(&mut redis, &open).await;
            shared.link.outcome(&refreshed);
        }
    }
}

#[rocket::async_trait]
impl LiveEngine for RedisEngine {
    fn presence_ttl(&self) -> Duration {
        self.shared.ttl
    }

    async fn ping(&self, story: StoryId, reader: UserId) -> usize {
        let local = self.shared.local.here(story, reader);
        if self.shared.link.answers() {
            // Written with the next batch; counted as Redis said lately.
            if let Some(count) = self.shared.pings.answer(story, reader) {
                return count.max(local);
            }
        }
        self.shared
            .here(story, reader, false)
            .await
            .unwrap_or(local)
    }

    async fn join(&self, story: StoryId, reader: UserId) {
        self.shared.local.enter(story, reader);
        if self.shared.open_stream(story, reader) {
            self.shared.here(story, reader, true).await;
        }
    }

    fn leave(&self, story: StoryId, reader: UserId) {
        self.shared.local.leave(story, reader);
        if !self.shared.close_stream(story, reader) {
            return;
        }
        // Called as a stream is dropped: Redis is told on the side.
        let shared = Arc::downgrade(&self.shared);
        if let Ok(runtime) = rocket::tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let Some(shared) = shared.upgrade() else {
                    return;
                };
                let Some(mut redis) = shared.link.connection() else {
                    return;
                };
                let gone = shared.presence.gone(&mut redis, story, reader).await;
                if shared.link.outcome(&gone) == Some(&true) {
                    shared.viewers_changed(story).await;
                }
            });
        }
    }

    async fn viewers(&self, stories: &[StoryId]) -> Vec<usize> {
        self.shared.counts(stories).await
    }

    async fn total_viewers(&self) -> usize {
        if let Some(mut redis) = self.shared.link.connection() {
            let total = self.shared.presence.total(&mut redis).await;
            if let Some(total) = self.shared.link.outcome(&total) {
                return *total;
            }
        }
        self.shared.local.total()
    }

    async fn reads_changed(&self, story: StoryId, count: i64) {
        self.shared.changes.reads(story, count);
        let message = Message::Reads { story, count };
        self.shared.link.publish(&message).await;
    }

    async fn list_changed(&self) {
        self.shared.hub.list_changed();
        self.shared.link.publish(&Message::List).await;
    }

    async fn publish_pending(&self) {
        self.shared.publish().await;
    }

    async fn watch_story(&self, story: StoryId, reads: i64) -> Option<(Figures, StoryWatch)> {
        let viewers = self.shared.counts(&[story]).await.first().copied()?;
        subscribe(
            &self.shared,
            |shared| &shared.hub,
            story,
            Figures { viewers, reads },
        )
    }

    fn watch_lists(&self) -> broadcast::Receiver<ListMessage> {
        self.shared.hub.watch_lists()
    }

    fn watch_inbox(&self, user: UserId, now: Inbox) -> Option<InboxWatch> {
        self.shared.inboxes.watch(user, now)
    }

    async fn publish_inbox(&self, user: UserId, inbox: Inbox) {
        let message = Message::Inbox {
            user,
            inbox: WireInbox::from(&inbox),
        };
        self.shared.inboxes.publish(user, inbox);
        self.shared.link.publish(&message).await;
    }

    async fn inbox_readers(&self) -> Vec<UserId> {
        self.shared.inboxes.readers()
    }

    async fn update_posted(&self, notice: Arc<Notice>) {
        let message = Message::Posted {
            notice: WireNotice::from(notice.as_ref()),
        };
        self.shared.inboxes.posted(notice);
        self.shared.link.publish(&message).await;
    }

    fn watch_posted(&self) -> broadcast::Receiver<Arc<Notice>> {
        self.shared.inboxes.watch_posted()
    }

    fn open_story_channels(&self) -> usize {
        self.shared.hub.open_story_channels()
    }

    fn problem(&self) -> Option<String> {
        self.shared.link.problem()
    }

    async fn forget(&self, what: Forget) {
        let message = Message::Forget { forget: what };
        self.shared.link.publish(&message).await;
    }

    async fn attempts(&self, keys: &[String]) -> Option<Vec<(u32, u64)>> {
        let mut redis = self.shared.link.connection()?;
        let read = attempts::read(&mut redis, keys).await;
        self.shared.link.outcome(&read).cloned()
    }

    async fn count_attempt(&self, keys: &[String], window: Duration) {
        if let Some(mut redis) = self.shared.link.connection() {
            let window_ms = window.as_millis() as u64;
            let added = attempts::add(&mut redis, keys, window_ms).await;
            self.shared.link.outcome(&added);
        }
    }

    async fn clear_attempts(&self, key: &str) {
        if let Some(mut redis) = self.shared.link.connection() {
            let cleared = attempts::clear(&mut redis, key).await;
            self.shared.link.outcome(&cleared);
        }
    }

    async fn take_budgets(&self, budgets: &[SharedBudget]) -> Option<Taken> {
        let mut redis = self.shared.link.connection()?;
        match budgets::take(&mut redis, budgets).await {
            // Redis answered, but not as the script should (a key holding
            // something else): Redis itself is not away.
            Err(e) if !budgets::unreachable(&e) => {
                rocket::warn!("shared posting budgets failed ({e}); this node's own stand in");
                None
            }
            taken => self.shared.link.outcome(&taken).copied(),
        }
    }

    fn watch_forgets(&self) -> broadcast::Receiver<Forget> {
        self.shared.forgets.subscribe()
    }
}
