//! Figures that changed since they were last published. Changes are merged
//! per story until the publisher's next tick, so a burst of a thousand
//! arrivals becomes one message per open page.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::ids::StoryId;

/// What changed about one story.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    /// Its viewer count moved (the publisher reads the current count).
    pub viewers: bool,
    /// Its read counter, if it rose.
    pub reads: Option<i64>,
}

/// The pending changes, by story.
#[derive(Default)]
pub struct Changes {
    pending: Mutex<HashMap<StoryId, Change>>,
}

impl Changes {
    pub fn viewers(&self, story: StoryId) {
        if let Ok(mut pending) = self.pending.lock() {
            pending.entry(story).or_default().viewers = true;
        }
    }

    pub fn reads(&self, story: StoryId, count: i64) {
        if let Ok(mut pending) = self.pending.lock() {
            let reads = &mut pending.entry(story).or_default().reads;
            *reads = Some(reads.map_or(count, |known| known.max(count)));
        }
    }

    /// Everything pending, leaving nothing behind.
    pub fn take(&self) -> HashMap<StoryId, Change> {
        self.pending
            .lock()
            .map(|mut pending| std::mem::take(&mut *pending))
            .unwrap_or_default()
    }
}
