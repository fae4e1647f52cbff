//! Where open pages listen. Each story that someone is watching has a
//! `watch` channel holding its latest figures: a slow page simply sees the
//! newest value when it gets to it, and never holds anyone up. Story lists
//! share one broadcast of changed figures; a list that falls behind is sent
//! a fresh snapshot instead.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rocket::tokio::sync::{broadcast, watch};

use super::changes::Change;
use crate::ids::StoryId;
use crate::live::{Figures, ListFigures, ListMessage, OnDrop, StoryWatch};

/// One story's channel.
struct StoryChannel {
    sender: watch::Sender<Figures>,
    /// A page joined with figures newer than the channel's: the next
    /// publication goes out even if it leaves the channel's value as it
    /// was, since that page showed something else.
    behind: bool,
}

/// The channels of open pages.
pub struct Hub {
    stories: Mutex<HashMap<StoryId, StoryChannel>>,
    lists: broadcast::Sender<ListMessage>,
}

impl Hub {
    pub fn new() -> Hub {
        Hub {
            stories: Mutex::new(HashMap::new()),
            lists: broadcast::channel(64).0,
        }
    }

    /// A receiver of `story`'s figures; a new channel starts from `now`.
    /// Joining an existing channel leaves its value alone: waking every
    /// page for each arrival would cost a crowd quadratic work, and the
    /// publisher's next tick brings them the new count anyway.
    pub fn watch_story(&self, story: StoryId, now: Figures) -> Option<watch::Receiver<Figures>> {
        let mut stories = self.stories.lock().ok()?;
        let channel = stories.entry(story).or_insert_with(|| StoryChannel {
            sender: watch::channel(now).0,
            behind: false,
        });
        if *channel.sender.borrow() != now {
            channel.behind = true;
        }
        Some(channel.sender.subscribe())
    }

    /// Forgets `story`'s channel once no page listens to it any more.
    pub fn release_story(&self, story: StoryId) {
        if let Ok(mut stories) = self.stories.lock() {
            if (stories.get(&story)).is_some_and(|s| s.sender.receiver_count() == 0) {
                stories.remove(&story);
            }
        }
    }

    /// A receiver of every change that story lists show.
    pub fn watch_lists(&self) -> broadcast::Receiver<ListMessage> {
        self.lists.subscribe()
    }

    /// Sends one story's changed figures to the pages showing that story.
    pub fn publish_story(&self, story: StoryId, viewers: Option<usize>, reads: Option<i64>) {
        let Ok(mut stories) = self.stories.lock() else {
            return;
        };
        if let Some(channel) = stories.get_mut(&story) {
            let behind = std::mem::take(&mut channel.behind);
            channel.sender.send_if_modified(|figures| {
                let before = *figures;
                if let Some(viewers) = viewers {
                    figures.viewers = viewers;
                }
                if let Some(reads) = reads {
                    figures.reads = figures.reads.max(reads);
                }
                behind || before != *figures
            });
        }
    }

    /// Sends every change gathered since the last publication: one message
    /// per changed story to its pages, and one batch to the story lists.
    /// `viewers` gives the count of each story whose viewers changed.
    pub fn publish_changes(
        &self,
        changes: HashMap<StoryId, Change>,
        viewers: impl Fn(StoryId) -> usize,
    ) {
        let mut batch = Vec::with_capacity(changes.len());
        for (story, change) in changes {
            let viewers = change.viewers.then(|| viewers(story));
            self.publish_story(story, viewers, change.reads);
            batch.push(ListFigures {
                id: story,
                viewers,
                reads: change.reads,
            });
        }
        self.publish_lists(batch);
    }

    /// Sends a batch of changes to every open story list.
    pub fn publish_lists(&self, batch: Vec<ListFigures>) {
        if !batch.is_empty() && self.lists.receiver_count() > 0 {
            let _ = self.lists.send(ListMessage::Figures(batch.into()));
        }
    }

    /// Tells every open story list that the list itself changed.
    pub fn list_changed(&self) {
        if self.lists.receiver_count() > 0 {
            let _ = self.lists.send(ListMessage::Changed);
        }
    }

    /// The stories with a channel open.
    pub fn open_stories(&self) -> Vec<StoryId> {
        self.stories
            .lock()
            .map(|s| s.keys().copied().collect())
            .unwrap_or_default()
    }

    /// How many stories have a channel: for tests of cleanup and for metrics.
    pub fn open_story_channels(&self) -> usize {
        self.stories.lock().map(|s| s.len()).unwrap_or(0)
    }
}

/// A page's subscription to `story` in `owner`'s hub, with the figures to
/// start from: `now`, with the channel's read count if it is higher. The
/// channel is released from the hub when the subscription is dropped.
pub fn subscribe<T: Send + Sync + 'static>(
    owner: &Arc<T>,
    hub: fn(&T) -> &Hub,
    story: StoryId,
    now: Figures,
) -> Option<(Figures, StoryWatch)> {
    let mut receiver = hub(owner).watch_story(story, now)?;
    let published = *receiver.borrow_and_update();
    let now = Figures {
        reads: now.reads.max(published.reads),
        ..now
    };
    let owner = Arc::downgrade(owner);
    let ended = OnDrop::new(move || {
        if let Some(owner) = owner.upgrade() {
            hub(&owner).release_story(story);
        }
    });
    Some((now, StoryWatch::new(receiver, ended)))
}

impl Default for Hub {
    fn default() -> Self {
        Hub::new()
    }
}
