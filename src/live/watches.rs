//! Subscriptions to the live engine, as the streams hold them: each tells
//! its engine when it ends, so channels nobody listens to are freed, and a
//! viewer's stream leaves the story when it closes.

use std::sync::Arc;

use rocket::tokio::sync::watch;

use super::{Figures, Inbox, LiveEngine};
use crate::ids::{StoryId, UserId};

/// Runs its closure once, when dropped: how a subscription tells its
/// engine that it ended, whatever the engine.
pub struct OnDrop(Option<Box<dyn FnOnce() + Send + Sync>>);

impl OnDrop {
    pub fn new(action: impl FnOnce() + Send + Sync + 'static) -> OnDrop {
        OnDrop(Some(Box::new(action)))
    }
}

impl Drop for OnDrop {
    fn drop(&mut self) {
        if let Some(action) = self.0.take() {
            action();
        }
    }
}

/// A live stream's subscription to one story's figures.
pub struct StoryWatch {
    receiver: Option<watch::Receiver<Figures>>,
    _ended: OnDrop,
}

impl StoryWatch {
    pub fn new(receiver: watch::Receiver<Figures>, ended: OnDrop) -> StoryWatch {
        StoryWatch {
            receiver: Some(receiver),
            _ended: ended,
        }
    }

    /// Waits for the next change; `None` when the channel is gone.
    pub async fn changed(&mut self) -> Option<Figures> {
        let receiver = self.receiver.as_mut()?;
        receiver.changed().await.ok()?;
        let figures = *receiver.borrow_and_update();
        Some(figures)
    }
}

impl Drop for StoryWatch {
    fn drop(&mut self) {
        // The receiver goes first, so the engine sees it gone when `ended`
        // runs (fields drop after this).
        drop(self.receiver.take());
    }
}

/// A page's subscription to its reader's inbox, shared by all their tabs.
pub struct InboxWatch {
    receiver: Option<watch::Receiver<Inbox>>,
    _ended: OnDrop,
}

impl InboxWatch {
    pub fn new(receiver: watch::Receiver<Inbox>, ended: OnDrop) -> InboxWatch {
        InboxWatch {
            receiver: Some(receiver),
            _ended: ended,
        }
    }

    /// The state now, without its notice (that arrived before the page).
    pub fn current(&mut self) -> Option<Inbox> {
        let receiver = self.receiver.as_mut()?;
        let inbox = receiver.borrow_and_update().clone();
        Some(inbox.without_notice())
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
    }
}

/// A reader viewing a story through a live stream: a viewer from
/// [`Viewing::start`] until dropped.
pub struct Viewing {
    engine: Arc<dyn LiveEngine>,
    story: StoryId,
    reader: UserId,
}

impl Viewing {
    pub async fn start(engine: &Arc<dyn LiveEngine>, story: StoryId, reader: UserId) -> Viewing {
        // The guard exists before the join, so a caller dropped while
        // joining still leaves (leaving without having joined is nothing).
        let viewing = Viewing {
            engine: Arc::clone(engine),
            story,
            reader,
        };
        engine.join(story, reader).await;
        viewing
    }
}

impl Drop for Viewing {
    fn drop(&mut self) {
        self.engine.leave(self.story, self.reader);
    }
}
