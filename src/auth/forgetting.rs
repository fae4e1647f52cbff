//! Logins ended on another node: what this node has cached about them goes,
//! and their open streams here close, at once.

use std::sync::atomic::Ordering;

use super::sessions::{Sessions, TokenHash};
use crate::live::{on_forget, Forget};

impl Sessions {
    /// Listens, for as long as the live engine runs, to what other nodes
    /// say ended, and forgets it here.
    pub fn hear_other_nodes(&self) {
        let cache = self.cache.clone();
        let generation = self.generation.clone();
        let ended = self.ended.clone();
        on_forget(&self.live, move |what| {
            if !matches!(
                what,
                Forget::Login { .. } | Forget::User { .. } | Forget::Everything
            ) {
                return;
            }
            // First, so that a lookup that read the database before this
            // does not put what it read back in the cache.
            generation.fetch_add(1, Ordering::AcqRel);
            let forgotten = match what {
                Forget::Login { hash } => {
                    let hash: Option<TokenHash> =
                        hex::decode(hash).ok().and_then(|h| h.try_into().ok());
                    if let Some(hash) = hash {
                        cache.invalidate(&hash);
                    }
                    Ok(())
                }
                Forget::User { user } => cache
                    .invalidate_entries_if(move |_, session| session.user_id == user)
                    .map(drop),
                Forget::Everything => {
                    cache.invalidate_all();
                    Ok(())
                }
                _ => return,
            };
            if forgotten.is_err() {
                cache.invalidate_all();
            }
            // Streams of logins that ended close now, not at the next check.
            ended.notify_one();
        });
    }
}
