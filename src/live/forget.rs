//! What one node tells the others to forget from their caches when it
//! changed the rows behind them: logins ended, rights changed, stories
//! edited, tokens revoked, inboxes changed. On one node there is nobody to
//! tell; with a shared engine, every other node hears it at once, so a
//! logout or a revocation holds everywhere, not after a cache's lifetime.

use rocket::tokio::sync::broadcast::error::RecvError;
use serde::{Deserialize, Serialize};

use super::Engine;
use crate::ids::{StoryId, UserId};

/// A cache entry (or a kind of them) to read afresh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum Forget {
    /// The login whose token has this SHA-256 (hex) ended.
    Login { hash: String },
    /// Some or all of a user's logins ended, or their rights changed.
    User { user: UserId },
    /// A story changed as readers see it.
    Story { story: StoryId },
    /// An API token was revoked.
    Tokens,
    /// A reader's inbox changed.
    Inbox { user: UserId },
    /// Many readers' inboxes changed.
    Inboxes,
    /// Messages were missed: forget everything of the kind.
    Everything,
}

/// Tells the other nodes to forget `what`, without waiting: for callers
/// that cannot.
pub fn forget_soon(engine: &Engine, what: Forget) {
    let engine = engine.clone();
    if let Ok(runtime) = rocket::tokio::runtime::Handle::try_current() {
        runtime.spawn(async move { engine.forget(what).await });
    }
}

/// Runs `forget` for each thing another node says to forget, for as long
/// as the engine lives; a listener that fell behind forgets everything.
pub fn on_forget(engine: &Engine, forget: impl Fn(Forget) + Send + Sync + 'static) {
    let mut heard = engine.watch_forgets();
    rocket::tokio::spawn(async move {
        loop {
            match heard.recv().await {
                Ok(what) => forget(what),
                Err(RecvError::Lagged(_)) => forget(Forget::Everything),
                Err(RecvError::Closed) => break,
            }
        }
    });
}
