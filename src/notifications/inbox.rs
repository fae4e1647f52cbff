//! What every page needs to know about its reader's inbox (the unread
//! count for the badge, which stories they follow, whether they want live
//! notices), kept in memory so a page costs no query.
//!
//! A cached state is used only while it is current. Each state carries the
//! reader's `inbox_version` (which the database raises with every change),
//! so of two loads the newer always wins, whatever order they finish in.
//! An update to many readers at once raises one generation instead, which
//! retires every state loaded before it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use moka::ops::compute::Op;
use moka::sync::Cache;
use sqlx::AnyPool;

use super::queries;
use crate::error::Result;
use crate::ids::{StoryId, UserId};
use crate::live::{Engine, Forget, Inbox, Notice};

/// A reader's inbox, as of one moment.
#[derive(Debug, Clone)]
pub struct ReaderState {
    pub unread: i64,
    pub version: i64,
    pub live_notices: bool,
    /// The ids of the stories they follow, sorted.
    pub follows: Box<[StoryId]>,
}

impl ReaderState {
    pub fn follows(&self, story: StoryId) -> bool {
        self.follows.binary_search(&story).is_ok()
    }

    /// The state as the reader's open pages receive it.
    pub fn inbox(&self, notice: Option<Arc<Notice>>) -> Inbox {
        Inbox {
            unread: self.unread,
            version: self.version,
            live_notices: self.live_notices,
            notice,
        }
    }
}

struct Entry {
    state: Arc<ReaderState>,
    generation: u64,
}

/// The cache of reader states, managed by Rocket.
#[derive(Clone)]
pub struct Inboxes {
    cache: Cache<UserId, Arc<Entry>>,
    generation: Arc<AtomicU64>,
}

impl Default for Inboxes {
    fn default() -> Self {
        Inboxes::new()
    }
}

impl Inboxes {
    pub fn new() -> Inboxes {
        Inboxes {
            cache: Cache::builder()
                .max_capacity(100_000)
                // Changes are pushed in, so this only bounds how long a
                // state missed by a failed reload can last.
                .time_to_live(Duration::from_secs(5 * 60))
                .build(),
            generation: Arc::new(AtomicU64::new(0)),
        }
    }

    /// `user`'s current state: from memory, or loaded.
    pub async fn get(&self, db: &AnyPool, user: UserId) -> Result<Arc<ReaderState>> {
        let generation = self.generation.load(Ordering::Acquire);
        if let Some(entry) = self.cache.get(&user) {
            if entry.generation == generation {
                return Ok(Arc::clone(&entry.state));
            }
        }
        self.load(db, user, generation).await
    }

    /// `user`'s state if it is in memory and current: for error pages,
    /// which cannot wait for the database.
    pub fn peek(&self, user: UserId) -> Option<Arc<ReaderState>> {
        let entry = self.cache.get(&user)?;
        (entry.generation == self.generation.load(Ordering::Acquire))
            .then(|| Arc::clone(&entry.state))
    }

    /// Loads `user`'s state after a change of theirs was committed, and
    /// sends it to their open pages. The change stands whatever happens
    /// here: if the state cannot be read now, the next page reads it.
    pub async fn changed(&self, db: &AnyPool, live: &Engine, user: UserId) {
        self.cache.invalidate(&user);
        live.forget(Forget::Inbox { user }).await;
        let generation = self.generation.load(Ordering::Acquire);
        match self.load(db, user, generation).await {
            Ok(state) => live.publish_inbox(user, state.inbox(None)).await,
            Err(e) => rocket::error!("the inbox of user {user} changed but was not reloaded: {e}"),
        }
    }

    /// Rises with every change to many readers at once.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Retires every state in memory: after a change to many readers.
    pub fn changed_many(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Forgets `user`'s state, changed on another node (which sent their
    /// pages the new one).
    pub fn forget(&self, user: UserId) {
        self.cache.invalidate(&user);
    }

    async fn load(&self, db: &AnyPool, user: UserId, generation: u64) -> Result<Arc<ReaderState>> {
        let state = Arc::new(queries::reader_state(db, user).await?);
        let fresh = Arc::new(Entry {
            state: Arc::clone(&state),
            generation,
        });
        self.cache
            .entry(user)
            .and_compute_with(|cached| match cached {
                Some(cached) if newer_or_same(cached.value(), &fresh) => Op::Nop,
                _ => Op::Put(fresh),
            });
        Ok(state)
    }
}

fn newer_or_same(cached: &Entry, fresh: &Entry) -> bool {
    (cached.state.version, cached.generation) >= (fresh.state.version, fresh.generation)
}
