//! Each logged-in reader's inbox as their open pages show it: the unread
//! count, and the update that just arrived. One `watch` channel per reader
//! with a page open, shared by all their tabs; a slow tab simply sees the
//! newest state. Updates posted anywhere also go to one broadcast, for the
//! pages that list every update.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rocket::tokio::sync::{broadcast, watch};
use serde::Serialize;

use super::{Live, StoryId};

pub type UserId = i64;

/// An update as an in-page notice shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    /// The update's id.
    pub id: i64,
    pub story_id: StoryId,
    pub story: String,
    pub url: String,
    pub kind: &'static str,
    pub text: String,
}

/// What a reader's open pages show about their inbox.
#[derive(Debug, Clone, Default)]
pub struct Inbox {
    pub unread: i64,
    /// Rises with every change; of two states the higher version is newer.
    pub version: i64,
    /// Whether pages show notices as updates arrive.
    pub live_notices: bool,
    /// The update that brought this change, if one did.
    pub notice: Option<Arc<Notice>>,
}

/// The inbox channels of readers with pages open.
pub struct InboxChannels {
    readers: Mutex<HashMap<UserId, watch::Sender<Inbox>>>,
    posted: broadcast::Sender<Arc<Notice>>,
}

impl InboxChannels {
    pub fn new() -> InboxChannels {
        InboxChannels {
            readers: Mutex::new(HashMap::new()),
            posted: broadcast::channel(64).0,
        }
    }
}

impl Default for InboxChannels {
    fn default() -> Self {
        InboxChannels::new()
    }
}

/// Replaces `current` with `newer` if it is newer, or the same state with
/// the notice that brought it (a page that caught up on opening may get
/// the state before the push that carries its notice); true if it did.
fn advance(current: &mut Inbox, newer: Inbox) -> bool {
    let adds_notice =
        newer.version == current.version && newer.notice.is_some() && current.notice.is_none();
    if newer.version <= current.version && !adds_notice {
        return false;
    }
    *current = newer;
    true
}

impl Live {
    /// Follows `user`'s inbox, starting from `now` (as read from the
    /// database) or from a newer state already published.
    pub fn watch_inbox(self: &Arc<Self>, user: UserId, now: Inbox) -> Option<InboxWatch> {
        let now = Inbox {
            notice: None,
            ..now
        };
        let mut readers = self.inboxes.readers.lock().ok()?;
        match readers.get(&user) {
            Some(sender) => {
                sender.send_if_modified(|current| advance(current, now));
            }
            None => {
                readers.insert(user, watch::channel(now).0);
            }
        }
        let sender = readers.get(&user)?;
        let mut receiver = sender.subscribe();
        receiver.mark_unchanged();
        Some(InboxWatch {
            receiver: Some(receiver),
            live: Arc::clone(self),
            user,
        })
    }

    /// Sends `user`'s new inbox state to their open pages, if they have any
    /// and it is newer than what those pages have.
    pub fn publish_inbox(&self, user: UserId, inbox: Inbox) {
        let Ok(readers) = self.inboxes.readers.lock() else {
            return;
        };
        if let Some(sender) = readers.get(&user) {
            sender.send_if_modified(|current| advance(current, inbox));
        }
    }

    /// The readers who have a page open now.
    pub fn inbox_readers(&self) -> Vec<UserId> {
        self.inboxes
            .readers
            .lock()
            .map(|readers| readers.keys().copied().collect())
            .unwrap_or_default()
    }

    /// Tells pages that list every update that one was posted.
    pub fn update_posted(&self, notice: Arc<Notice>) {
        if self.inboxes.posted.receiver_count() > 0 {
            let _ = self.inboxes.posted.send(notice);
        }
    }

    /// Follows every update posted from now on.
    pub fn watch_posted(&self) -> broadcast::Receiver<Arc<Notice>> {
        self.inboxes.posted.subscribe()
    }

    fn release_inbox(&self, user: UserId) {
        if let Ok(mut readers) = self.inboxes.readers.lock() {
            if readers.get(&user).is_some_and(|s| s.receiver_count() == 0) {
                readers.remove(&user);
            }
        }
    }
}

/// A page's subscription to its reader's inbox; the reader's channel is
/// freed when their last page closes.
pub struct InboxWatch {
    receiver: Option<watch::Receiver<Inbox>>,
    live: Arc<Live>,
    user: UserId,
}

impl InboxWatch {
    /// The state now, without its notice (that arrived before the page).
    pub fn current(&mut self) -> Option<Inbox> {
        let receiver = self.receiver.as_mut()?;
        let inbox = receiver.borrow_and_update().clone();
        Some(Inbox {
            notice: None,
            ..inbox
        })
    }

    /// Waits for the next change; `None` when the channel is gone.
    pub async fn changed(&mut self) -> Option<Inbox> {
        let receiver = self.receiver.as_mut()?;
        receiver.changed().await.ok()?;
        let inbox = receiver.borrow_and_update().clone();
        Some(inbox)
    }
}

impl Drop for InboxWatch {
    fn drop(&mut self) {
        drop(self.receiver.take());
        self.live.release_inbox(self.user);
    }
}
