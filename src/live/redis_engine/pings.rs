//! Signs of life from story pages, written to Redis in batches: a page view
//! answers from this node's figures and the story's count as Redis gave it
//! within the last second, and the reader's presence is written with the
//! next batch (a few times a second). A reader already written within a
//! third of the time-to-live is not written again. So a page view costs no
//! round trip to Redis, unless this node has had no count of the story
//! within the last second.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use moka::sync::Cache;

use crate::ids::{StoryId, UserId};

/// How long a story's count from Redis answers page views.
const COUNT_KEPT: Duration = Duration::from_secs(1);

/// Pings waiting for the next batch, and what saves them a round trip.
pub struct Pings {
    /// Readers written to Redis less than a third of the time-to-live ago.
    fresh: Cache<(StoryId, UserId), ()>,
    /// Readers to write with the next batch.
    pending: Mutex<HashSet<(StoryId, UserId)>>,
    /// Each story's viewers as Redis last said.
    counts: Cache<StoryId, usize>,
}

impl Pings {
    pub fn new(ttl: Duration) -> Pings {
        Pings {
            fresh: Cache::builder()
                .max_capacity(1_000_000)
                .time_to_live(ttl / 3)
                .build(),
            pending: Mutex::default(),
            counts: Cache::builder()
                .max_capacity(100_000)
                .time_to_live(COUNT_KEPT)
                .build(),
        }
    }

    /// The story's count, if Redis gave it within the last second; the
    /// reader then goes with the next batch (unless written recently).
    pub fn answer(&self, story: StoryId, reader: UserId) -> Option<usize> {
        let count = self.counts.get(&story)?;
        if !self.fresh.contains_key(&(story, reader)) {
            if let Ok(mut pending) = self.pending.lock() {
                pending.insert((story, reader));
            }
        }
        Some(count)
    }

    /// What Redis said: `reader` is written, and `story` has `count`.
    pub fn written(&self, story: StoryId, reader: UserId) {
        self.fresh.insert((story, reader), ());
    }

    pub fn counted(&self, story: StoryId, count: usize) {
        self.counts.insert(story, count);
    }

    /// The readers waiting, leaving none.
    pub fn take(&self) -> Vec<(StoryId, UserId)> {
        self.pending
            .lock()
            .map(|mut pending| pending.drain().collect())
            .unwrap_or_default()
    }
}
