//! One node's side of the Redis engine: its own pages' channels and
//! pending changes, its open streams, the figures it published last, and
//! how it counts viewers (in Redis, or by itself while Redis is away).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::bus::Message;
use super::link::Link;
use super::pings::Pings;
use super::presence::SharedPresence;
use crate::ids::{StoryId, UserId};
use crate::live::memory::changes::Changes;
use crate::live::memory::hub::Hub;
use crate::live::memory::inboxes::InboxChannels;
use crate::live::memory::presence::Presence;
use crate::live::Forget;
use rocket::tokio::sync::broadcast;

/// Everything the engine and its tasks share.
pub(super) struct Shared {
    pub(super) link: Link,
    pub(super) presence: SharedPresence,
    /// What this node sees itself: the figures while Redis is away.
    pub(super) local: Presence,
    pub(super) changes: Arc<Changes>,
    pub(super) hub: Hub,
    pub(super) inboxes: InboxChannels,
    /// This node's open streams per (story, reader): kept present in
    /// Redis while they are open.
    pub(super) streams: Mutex<HashMap<(StoryId, UserId), u32>>,
    /// The viewer counts last published to this node's pages.
    pub(super) published: Mutex<HashMap<StoryId, usize>>,
    pub(super) ttl: Duration,
    /// What the other nodes said to forget, for this node's caches.
    pub(super) forgets: broadcast::Sender<Forget>,
    /// Page views' signs of life, written in batches.
    pub(super) pings: Pings,
}

impl Shared {
    /// A message from another node.
    pub(super) fn heard(&self, message: Message) {
        match message {
            Message::Viewers { story } => self.changes.viewers(story),
            Message::Reads { story, count } => self.changes.reads(story, count),
            Message::List => self.hub.list_changed(),
            Message::Inbox { user, inbox } => self.inboxes.publish(user, inbox.into()),
            Message::Posted { notice } => self.inboxes.posted(Arc::new(notice.into())),
            Message::Forget { forget } => {
                let _ = self.forgets.send(forget);
            }
        }
    }

    /// The viewers of `stories`: from Redis, or this node's own.
    pub(super) async fn counts(&self, stories: &[StoryId]) -> Vec<usize> {
        // Nothing to ask: no connection taken, as a command that is not
        // sent cannot tell whether Redis is back.
        if stories.is_empty() {
            return Vec::new();
        }
        if let Some(mut redis) = self.link.connection() {
            let counted = self.presence.counts(&mut redis, stories).await;
            if let Some(counts) = self.link.outcome(&counted) {
                for (story, count) in stories.iter().zip(counts) {
                    self.pings.counted(*story, *count);
                }
                return counts.clone();
            }
        }
        stories
            .iter()
            .map(|story| self.local.count(*story))
            .collect()
    }

    /// A viewer arrived or left: this node's pages, and the others', count
    /// the story again.
    pub(super) async fn viewers_changed(&self, story: StoryId) {
        self.changes.viewers(story);
        self.link.publish(&Message::Viewers { story }).await;
    }

    /// Marks as changed the stories shown here whose count moved since it
    /// was last published: viewers that expired anywhere.
    pub(super) async fn recount(&self) {
        let mut shown: Vec<StoryId> = self.hub.open_stories();
        if let Ok(published) = self.published.lock() {
            shown.extend(published.keys().copied());
        }
        shown.sort_unstable();
        shown.dedup();
        let counts = self.counts(&shown).await;
        let Ok(mut published) = self.published.lock() else {
            return;
        };
        for (story, count) in shown.into_iter().zip(counts) {
            if published.get(&story).copied().unwrap_or(0) != count {
                self.changes.viewers(story);
            } else if count == 0 {
                published.remove(&story);
            }
        }
    }

    /// Publishes every pending change to this node's pages.
    pub(super) async fn publish(&self) {
        let changes = self.changes.take();
        if changes.is_empty() {
            return;
        }
        let recounted: Vec<StoryId> = changes
            .iter()
            .filter(|(_, change)| change.viewers)
            .map(|(story, _)| *story)
            .collect();
        let counts: HashMap<StoryId, usize> = recounted
            .iter()
            .copied()
            .zip(self.counts(&recounted).await)
            .collect();
        if let Ok(mut published) = self.published.lock() {
            published.extend(counts.iter().map(|(story, count)| (*story, *count)));
        }
        let counted = |story| counts.get(&story).copied().unwrap_or(0);
        self.hub.publish_changes(changes, counted);
    }

    /// Counts one more of this node's streams of `reader` on `story`;
    /// whether it is the first.
    pub(super) fn open_stream(&self, story: StoryId, reader: UserId) -> bool {
        let Ok(mut streams) = self.streams.lock() else {
            return false;
        };
        let open = streams.entry((story, reader)).or_insert(0);
        *open += 1;
        *open == 1
    }

    /// Counts one fewer; whether it was the last.
    pub(super) fn close_stream(&self, story: StoryId, reader: UserId) -> bool {
        let Ok(mut streams) = self.streams.lock() else {
            return false;
        };
        match streams.get_mut(&(story, reader)) {
            Some(open) if *open > 1 => {
                *open -= 1;
                false
            }
            Some(_) => {
                streams.remove(&(story, reader));
                true
            }
            None => false,
        }
    }

    /// Writes the page views' signs of life gathered since the last batch,
    /// in one round trip; the stories with new viewers are counted again,
    /// here and on the other nodes.
    pub(super) async fn write_pings(&self) {
        let waiting = self.pings.take();
        if waiting.is_empty() {
            return;
        }
        let Some(mut redis) = self.link.connection() else {
            return;
        };
        let written = self.presence.here_many(&mut redis, &waiting).await;
        let Some(new) = self.link.outcome(&written) else {
            return;
        };
        let mut arrived: Vec<StoryId> = Vec::new();
        for ((story, reader), new) in waiting.into_iter().zip(new) {
            self.pings.written(story, reader);
            if *new {
                arrived.push(story);
            }
        }
        arrived.sort_unstable();
        arrived.dedup();
        for story in arrived {
            self.viewers_changed(story).await;
        }
    }

    /// A sign of life in Redis (with a stream just `opened` here, or not);
    /// the count, or `None` without Redis.
    pub(super) async fn here(&self, story: StoryId, reader: UserId, opened: bool) -> Option<usize> {
        let mut redis = self.link.connection()?;
        let marked = self.presence.here(&mut redis, story, reader, opened).await;
        let (new, count) = *self.link.outcome(&marked)?;
        self.pings.written(story, reader);
        self.pings.counted(story, count);
        if new {
            self.viewers_changed(story).await;
        }
        Some(count)
    }
}
