//! Who is viewing which story right now. A viewer is a (story, session)
//! pair in a moka cache with a time-to-idle; per-story counts are kept as
//! viewers arrive and leave, so counting never scans the cache.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use moka::notification::RemovalCause;
use moka::sync::Cache;

pub type StoryId = i64;
pub type SessionId = i64;

/// The current viewers of every story.
pub struct Presence {
    viewers: Cache<(StoryId, SessionId), ()>,
    counts: Arc<Mutex<HashMap<StoryId, usize>>>,
}

impl Presence {
    /// Viewers who show no sign of life for `ttl` stop counting.
    pub fn new(ttl: Duration) -> Presence {
        let counts: Arc<Mutex<HashMap<StoryId, usize>>> = Arc::default();
        let on_leave = Arc::clone(&counts);
        let viewers = Cache::builder()
            .time_to_idle(ttl)
            .eviction_listener(move |key: Arc<(StoryId, SessionId)>, _, cause| {
                // Replaced means the viewer is still there with a fresh entry.
                if cause != RemovalCause::Replaced {
                    decrement(&on_leave, key.0);
                }
            })
            .build();
        Presence { viewers, counts }
    }

    /// Counts `session` as a viewer of `story` (once, however often it
    /// comes back) and returns the story's viewer count.
    pub fn join(&self, story: StoryId, session: SessionId) -> usize {
        // The count rises inside the insert, under the entry's lock, so an
        // expiry can never be counted before the arrival it undoes.
        self.viewers.entry((story, session)).or_insert_with(|| {
            if let Ok(mut counts) = self.counts.lock() {
                *counts.entry(story).or_insert(0) += 1;
            }
        });
        self.count(story)
    }

    /// The number of sessions viewing `story`.
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

    /// Delivers pending expirations. moka only evicts when the cache is
    /// touched, so this runs on a timer.
    pub fn run_pending_tasks(&self) {
        self.viewers.run_pending_tasks();
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
