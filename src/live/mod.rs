//! The live engine: who is reading which story right now, and the channels
//! that carry changed figures and inbox signals to the pages that show
//! them. It knows stories and readers only by their ids: no
//! database, no routes, no HTTP. Everything above holds an [`Engine`] (an
//! `Arc<dyn LiveEngine>`), chosen once in `lib.rs`: [`MemoryEngine`] keeps
//! everything in this process, for one node; [`RedisEngine`] shares
//! presence and changes between several nodes through Redis.

mod budgets;
mod figures;
mod forget;
mod memory;
mod redis_engine;
mod watches;

use std::sync::Arc;
use std::time::Duration;

use rocket::tokio::sync::broadcast;

pub use budgets::{SharedBudget, Taken};
pub use figures::{Figures, Inbox, ListBatch, ListFigures, ListMessage, Notice};
pub use forget::{forget_soon, on_forget, Forget};
pub use memory::MemoryEngine;
pub use redis_engine::RedisEngine;
pub use watches::{InboxWatch, OnDrop, StoryWatch, Viewing};

use crate::ids::{StoryId, UserId};

/// The engine as the rest of Folio holds it.
pub type Engine = Arc<dyn LiveEngine>;

/// Presence, figure changes and inbox signals. Methods that an engine
/// shared between nodes would answer over the network are async; the
/// subscriptions are this node's own channels, fed by the engine.
#[rocket::async_trait]
pub trait LiveEngine: Send + Sync {
    /// How long a viewer counts without a sign of life: pages ping well
    /// within it.
    fn presence_ttl(&self) -> Duration;

    /// A sign of life from `reader` on `story` (a page load or a ping):
    /// it counts as a viewer until `presence_ttl` passes without another.
    /// Returns the story's viewer count.
    async fn ping(&self, story: StoryId, reader: UserId) -> usize;

    /// A live stream of `reader` opened on `story`: the reader counts as
    /// a viewer until its last such stream leaves. Hold a [`Viewing`]
    /// rather than call this directly.
    async fn join(&self, story: StoryId, reader: UserId);

    /// One of those streams closed. Called when a [`Viewing`] is dropped,
    /// so it must not wait.
    fn leave(&self, story: StoryId, reader: UserId);

    /// The number of readers viewing each of `stories`, in their order.
    async fn viewers(&self, stories: &[StoryId]) -> Vec<usize>;

    /// The number of readers viewing `story`.
    async fn viewers_of(&self, story: StoryId) -> usize {
        self.viewers(&[story]).await.first().copied().unwrap_or(0)
    }

    /// The viewers of all stories together.
    async fn total_viewers(&self) -> usize;

    /// `story`'s read counter rose to `count`.
    async fn reads_changed(&self, story: StoryId, count: i64);

    /// Stories were published, unpublished, renamed or deleted: open story
    /// lists fetch the list again.
    async fn list_changed(&self);

    /// Publishes the changes gathered since the last tick now (the engine
    /// does so by itself, a few times a second): one message per changed
    /// story, however many changes it had.
    async fn publish_pending(&self);

    /// Follows `story`'s figures: those as of now (from `reads`, the
    /// counter as the caller read it, and the current viewers) and the
    /// subscription for what follows. `None` if the engine has stopped.
    async fn watch_story(&self, story: StoryId, reads: i64) -> Option<(Figures, StoryWatch)>;

    /// Follows the changes that story lists show.
    fn watch_lists(&self) -> broadcast::Receiver<ListMessage>;

    /// Follows `user`'s inbox, starting from `now` (as read from the
    /// database) or from a newer state already published.
    fn watch_inbox(&self, user: UserId, now: Inbox) -> Option<InboxWatch>;

    /// Sends `user`'s new inbox state to their open pages, if they have any
    /// and it is newer than what those pages have.
    async fn publish_inbox(&self, user: UserId, inbox: Inbox);

    /// The readers who have a page open now.
    async fn inbox_readers(&self) -> Vec<UserId>;

    /// Tells pages that list every update that one was posted.
    async fn update_posted(&self, notice: Arc<Notice>);

    /// Follows every update posted from now on.
    fn watch_posted(&self) -> broadcast::Receiver<Arc<Notice>>;

    /// How many stories have a channel open on this node.
    fn open_story_channels(&self) -> usize;

    /// Why the figures are not what they should be, while they are not
    /// (a shared engine that cannot reach its store).
    fn problem(&self) -> Option<String> {
        None
    }

    /// Tells the other nodes to forget `what` from their caches (this node
    /// has done so itself); returns once it is sent.
    async fn forget(&self, what: Forget) {
        let _ = what;
    }

    /// Failed attempts counted under each throttle key by every node, with
    /// the milliseconds left in each key's window; `None` when attempts are
    /// not shared (one node counts its own).
    async fn attempts(&self, keys: &[String]) -> Option<Vec<(u32, u64)>> {
        let _ = keys;
        None
    }

    /// Counts one more failed attempt under each key, for every node; a
    /// key's window of `window` starts with its first failure.
    async fn count_attempt(&self, keys: &[String], window: Duration) {
        let _ = (keys, window);
    }

    /// Forgets the attempts under `key` (a login that succeeded).
    async fn clear_attempts(&self, key: &str) {
        let _ = key;
    }

    /// Takes from every budget in `budgets` or from none, for every node;
    /// `None` when budgets are not shared (each node keeps its own) or
    /// cannot be reached now.
    async fn take_budgets(&self, budgets: &[SharedBudget]) -> Option<Taken> {
        let _ = budgets;
        None
    }

    /// What the other nodes say to forget (see [`on_forget`]); on one node
    /// the channel is closed at once.
    fn watch_forgets(&self) -> broadcast::Receiver<Forget> {
        broadcast::channel(1).1
    }
}
