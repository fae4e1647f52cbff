//! Who is viewing which story right now. A viewer is a (story, reader)
//! pair in a moka cache with a time-to-idle; its value is how many of the
//! reader's live streams show the story, so several tabs, or several
//! logins of one account, are one viewer.
//! Per-story counts are kept as viewers arrive and leave: counting never
//! scans the cache.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use moka::notification::RemovalCause;
use moka::ops::compute::Op;
use moka::sync::Cache;

use super::changes::Changes;
use crate::ids::{StoryId, UserId};

type Counts = Arc<Mutex<HashMap<StoryId, usize>>>;

/// The current viewers of every story.
pub struct Presence {
    /// (story, reader) → number of open streams of that reader on that story (from any of their sessions).
    viewers: Cache<(StoryId, UserId), u32>,
    counts: Counts,
    changes: Arc<Changes>,
}

impl Presence {
    /// Viewers that show no sign of life for `ttl` stop counting.
    pub fn new(ttl: Duration, changes: Arc<Changes>) -> Presence {
        let counts: Counts = Arc::default();
        let (on_leave, changed) = (Arc::clone(&counts), Arc::clone(&changes));
        let viewers = Cache::builder()
            .time_to_idle(ttl)
            .eviction_listener(move |key: Arc<(StoryId, UserId)>, _, cause| {
                // Replaced: the viewer is still there, with a new stream count.
                if cause != RemovalCause::Replaced {
                    decrement(&on_leave, key.0);
                    changed.viewers(key.0);
                }
            })
            .build();
        Presence {
            viewers,
            counts,
            changes,
        }
    }

    /// A sign of life from `reader` on `story` (a page load, or a ping from
    /// an open page): counts it as a viewer if it was not, and restarts its
    /// time-to-idle. Returns the story's viewer count.
    pub fn here(&self, story: StoryId, reader: UserId) -> usize {
        if self.viewers.get(&(story, reader)).is_none() {
            self.update(story, reader, |streams| Some(streams.unwrap_or(0)));
        }
        self.count(story)
    }

    /// A live stream of `reader` opened on `story`.
    pub fn enter(&self, story: StoryId, reader: UserId) {
        self.update(story, reader, |streams| Some(streams.unwrap_or(0) + 1));
    }

    /// A live stream of `reader` on `story` closed; the viewer leaves with
    /// its last stream.
    pub fn leave(&self, story: StoryId, reader: UserId) {
        self.update(story, reader, |streams| match streams {
            Some(n) if n > 1 => Some(n - 1),
            _ => None,
        });
    }

    /// The number of readers viewing `story`.
    pub fn count(&self, story: StoryId) -> usize {
        self.counts
            .lock()
            .map(|counts| counts.get(&story).copied().unwrap_or(0))
            .unwrap_or(0)
    }

    /// The number of viewers of all stories together.
    pub fn total(&self) -> usize {
        self.counts
            .lock()
            .map(|counts| counts.values().sum())
            .unwrap_or(0)
    }

    /// Delivers pending expirations. moka evicts only when the cache is
    /// touched, so this runs on a timer.
    pub fn run_pending_tasks(&self) {
        self.viewers.run_pending_tasks();
    }

    /// Sets the stream count of (story, reader) to `next(current)`; `None`
    /// removes the viewer. Runs under the entry's lock, and a new viewer is
    /// counted inside it, so no removal can be counted before the arrival it
    /// undoes.
    fn update(
        &self,
        story: StoryId,
        reader: UserId,
        next: impl FnOnce(Option<u32>) -> Option<u32>,
    ) {
        self.viewers
            .entry((story, reader))
            .and_compute_with(|entry| {
                let current = entry.map(|e| e.into_value());
                match (current, next(current)) {
                    (None, Some(streams)) => {
                        increment(&self.counts, story);
                        self.changes.viewers(story);
                        Op::Put(streams)
                    }
                    (Some(old), Some(streams)) if old == streams => Op::Nop,
                    (Some(_), Some(streams)) => Op::Put(streams),
                    (Some(_), None) => Op::Remove,
                    (None, None) => Op::Nop,
                }
            });
    }
}

fn increment(counts: &Mutex<HashMap<StoryId, usize>>, story: StoryId) {
    if let Ok(mut counts) = counts.lock() {
        *counts.entry(story).or_insert(0) += 1;
    }
}

fn decrement(counts: &Mutex<HashMap<StoryId, usize>>, story: StoryId) {
    if let Ok(mut counts) = counts.lock() {
        if let Some(count) = counts.get_mut(&story) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                // Stories nobody views hold no state.
                counts.remove(&story);
            }
        }
    }
}
