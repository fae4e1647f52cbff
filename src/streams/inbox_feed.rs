//! The inbox part of a logged-in reader's stream: their unread count now,
//! then every change, with a notice when an update arrives (unless they
//! turned live notices off). And, for pages that list every update, a
//! signal when one is posted.

use std::sync::Arc;

use rocket::tokio::sync::broadcast::{self, error::RecvError};
use serde::Serialize;
use sqlx::AnyPool;

use super::feeds::Outgoing;
use crate::error::{Error, Result};
use crate::ids::UserId;
use crate::live::{Engine, Inbox, InboxWatch, Notice};
use crate::notifications::Inboxes;

/// What the page receives as an `inbox` event.
#[derive(Serialize)]
struct InboxEvent<'a> {
    unread: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    notice: Option<&'a Notice>,
}

pub struct InboxFeed {
    watch: InboxWatch,
    first: Option<Inbox>,
}

impl InboxFeed {
    /// Opens `user`'s inbox feed from `now`, their state as read from the
    /// database.
    pub fn open(live: &Engine, user: UserId, now: Inbox) -> Option<InboxFeed> {
        let mut watch = live.watch_inbox(user, now)?;
        let first = watch.current();
        Some(InboxFeed { watch, first })
    }

    /// Opens `user`'s inbox feed from their state now.
    pub async fn of_reader(
        db: &AnyPool,
        inboxes: &Inboxes,
        live: &Engine,
        user: UserId,
    ) -> Result<InboxFeed> {
        let generation = inboxes.generation();
        let state = inboxes.get(db, user).await?;
        let feed = InboxFeed::open(live, user, state.inbox(None))
            .ok_or_else(|| Error::internal("the live channels are unavailable"))?;
        // A change committed while the stream was opening was pushed before
        // it listened: catch up. After an update to many readers, from the
        // database; after one of this reader's own, from memory (the push
        // keeps only a newer state).
        if inboxes.generation() != generation {
            inboxes.changed(db, live, user).await;
        } else if let Some(now) = inboxes.peek(user) {
            live.publish_inbox(user, now.inbox(None)).await;
        }
        Ok(feed)
    }

    pub async fn next(&mut self) -> Option<Outgoing> {
        if let Some(first) = self.first.take() {
            return Some(event(&first));
        }
        let inbox = self.watch.changed().await?;
        Some(event(&inbox))
    }
}

fn event(inbox: &Inbox) -> Outgoing {
    let notice = inbox.notice.as_deref().filter(|_| inbox.live_notices);
    Outgoing::json(
        "inbox",
        &InboxEvent {
            unread: inbox.unread,
            notice,
        },
    )
}

/// Every update posted while the page is open, as `posted` events.
pub struct PostedFeed {
    posted: broadcast::Receiver<Arc<Notice>>,
}

impl PostedFeed {
    pub fn open(live: &Engine) -> PostedFeed {
        PostedFeed {
            posted: live.watch_posted(),
        }
    }

    pub async fn next(&mut self) -> Option<Outgoing> {
        match self.posted.recv().await {
            Ok(notice) => Some(Outgoing::json("posted", &notice.id)),
            // Some were missed: the page fetches the list anew anyway.
            Err(RecvError::Lagged(_)) => Some(Outgoing::json("posted", &0)),
            Err(RecvError::Closed) => None,
        }
    }
}
