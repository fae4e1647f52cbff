//! When each login was last used, gathered in memory and written in one
//! transaction a minute: a page view must not cost a write. A login is
//! noted when its session is read from the database, which the session
//! cache (a minute's time-to-live) lets happen about once a minute per
//! login in use.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use sqlx::AnyPool;

use crate::error::Result;
use crate::ids::SessionId;
use crate::util::unix_now;

/// How often the times gathered are written.
pub const WRITE_EVERY: Duration = Duration::from_secs(60);

/// Logins seen since the last write, with when (Unix seconds).
#[derive(Clone, Default)]
pub struct LastSeen {
    pending: Arc<Mutex<HashMap<SessionId, i64>>>,
}

impl LastSeen {
    /// Notes that login `id` is in use now.
    pub fn note(&self, id: SessionId) {
        if let Ok(mut pending) = self.pending.lock() {
            pending.insert(id, unix_now());
        }
    }

    /// When login `id` was seen, if that is not written yet.
    pub fn pending(&self, id: SessionId) -> Option<i64> {
        self.pending.lock().ok()?.get(&id).copied()
    }

    /// Writes the times gathered; those that cannot be written are kept
    /// for the next time.
    pub async fn write(&self, db: &AnyPool) -> Result<()> {
        let seen: Vec<(SessionId, i64)> = match self.pending.lock() {
            Ok(mut pending) => pending.drain().collect(),
            Err(_) => return Ok(()),
        };
        if seen.is_empty() {
            return Ok(());
        }
        let written = write_all(db, &seen).await;
        if written.is_err() {
            if let Ok(mut pending) = self.pending.lock() {
                for (id, at) in seen {
                    pending.entry(id).or_insert(at);
                }
            }
        }
        written
    }

    /// Writes the gathered times every [`WRITE_EVERY`], until these
    /// sessions are gone (looked at every second, so a Folio that stopped
    /// does not keep its database open long).
    pub fn keep_writing(&self, db: AnyPool) {
        let pending: Weak<_> = Arc::downgrade(&self.pending);
        rocket::tokio::spawn(async move {
            let mut tick = rocket::tokio::time::interval(Duration::from_secs(1));
            let mut written = Instant::now();
            loop {
                tick.tick().await;
                let Some(pending) = pending.upgrade() else {
                    break;
                };
                if written.elapsed() < WRITE_EVERY {
                    continue;
                }
                written = Instant::now();
                if let Err(e) = (LastSeen { pending }).write(&db).await {
                    rocket::warn!("cannot write when logins were last seen: {e}");
                }
            }
        });
    }
}

async fn write_all(db: &AnyPool, seen: &[(SessionId, i64)]) -> Result<()> {
    let mut tx = db.begin().await?;
    for (id, at) in seen {
        // A time written by another process is not moved back.
        sqlx::query(
            "UPDATE sessions SET last_seen_at = $1
             WHERE id = $2 AND (last_seen_at IS NULL OR last_seen_at < $1)",
        )
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
