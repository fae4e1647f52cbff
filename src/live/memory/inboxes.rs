//! Each logged-in reader's inbox as their open pages show it: the unread
//! count, and the update that just arrived. One `watch` channel per reader
//! with a page open, shared by all their tabs; a slow tab simply sees the
//! newest state. Updates posted anywhere also go to one broadcast, for the
//! pages that list every update.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use rocket::tokio::sync::{broadcast, watch};

use crate::ids::UserId;
use crate::live::{Inbox, InboxWatch, Notice, OnDrop};

type Readers = Mutex<HashMap<UserId, watch::Sender<Inbox>>>;

/// The inbox channels of readers with pages open.
pub struct InboxChannels {
    readers: Arc<Readers>,
    posted: broadcast::Sender<Arc<Notice>>,
}

impl InboxChannels {
    pub fn new() -> InboxChannels {
        InboxChannels {
            readers: Arc::default(),
            posted: broadcast::channel(64).0,
        }
    }

    pub fn watch(&self, user: UserId, now: Inbox) -> Option<InboxWatch> {
        let now = now.without_notice();
        let mut readers = self.readers.lock().ok()?;
        match readers.get(&user) {
            Some(sender) => {
                sender.send_if_modified(|current| current.advance(now));
            }
            None => {
                readers.insert(user, watch::channel(now).0);
            }
        }
        let mut receiver = readers.get(&user)?.subscribe();
        receiver.mark_unchanged();
        let readers = Arc::downgrade(&self.readers);
        Some(InboxWatch::new(
            receiver,
            OnDrop::new(move || release(&readers, user)),
        ))
    }

    pub fn publish(&self, user: UserId, inbox: Inbox) {
        let Ok(readers) = self.readers.lock() else {
            return;
        };
        if let Some(sender) = readers.get(&user) {
            sender.send_if_modified(|current| current.advance(inbox));
        }
    }

    pub fn readers(&self) -> Vec<UserId> {
        self.readers
            .lock()
            .map(|readers| readers.keys().copied().collect())
            .unwrap_or_default()
    }

    pub fn posted(&self, notice: Arc<Notice>) {
        if self.posted.receiver_count() > 0 {
            let _ = self.posted.send(notice);
        }
    }

    pub fn watch_posted(&self) -> broadcast::Receiver<Arc<Notice>> {
        self.posted.subscribe()
    }
}

/// Forgets `user`'s channel once no page of theirs listens to it.
fn release(readers: &Weak<Readers>, user: UserId) {
    let Some(readers) = readers.upgrade() else {
        return;
    };
    let Ok(mut readers) = readers.lock() else {
        return;
    };
    if readers.get(&user).is_some_and(|s| s.receiver_count() == 0) {
        readers.remove(&user);
    }
}
