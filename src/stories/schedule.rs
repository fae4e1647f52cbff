//! Publishing on time: drafts with a `scheduled_at` are published when it
//! comes, by a task that sleeps until the next one is due (or a minute, or
//! until told a schedule changed). A time that passed while Folio was
//! stopped is caught up at start. A story published on time carries its
//! scheduled time as its publishing date.

use std::sync::Arc;
use std::time::Duration;

use rocket::tokio::{self, sync::Notify};
use sqlx::AnyPool;

use super::StoryCache;
use crate::error::Result;
use crate::ids::StoryId;
use crate::live::{Engine, Forget};
use crate::util::unix_now;

/// The longest the task sleeps without looking.
const LONGEST_WAIT: Duration = Duration::from_secs(60);

/// Tells the publishing task that a schedule was set, moved or cleared
/// (cheap to clone).
#[derive(Clone, Default)]
pub struct Schedule(Arc<Notify>);

impl Schedule {
    pub fn changed(&self) {
        self.0.notify_one();
    }

    /// Starts the task that publishes scheduled stories.
    pub fn start(&self, db: AnyPool, stories: StoryCache, live: Engine) {
        let woken = self.0.clone();
        tokio::spawn(async move {
            loop {
                let wait = match publish_due(&db, &stories, &live).await {
                    Ok(next) => next.map_or(LONGEST_WAIT, |at| {
                        let seconds = at.saturating_sub(unix_now()).max(0) as u64;
                        LONGEST_WAIT.min(Duration::from_secs(seconds))
                    }),
                    Err(e) => {
                        rocket::error!("publishing scheduled stories failed: {e}");
                        LONGEST_WAIT
                    }
                };
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = woken.notified() => {}
                }
            }
        });
    }
}

/// Publishes every story whose time has come; the time of the next one.
async fn publish_due(db: &AnyPool, stories: &StoryCache, live: &Engine) -> Result<Option<i64>> {
    let now = unix_now();
    let published: Vec<StoryId> = sqlx::query_scalar(
        "UPDATE stories SET published_at = scheduled_at, updated_at = $1, scheduled_at = NULL
         WHERE scheduled_at <= $2 AND published_at IS NULL RETURNING id",
    )
    .bind(now)
    .bind(now)
    .fetch_all(db)
    .await?;
    for id in &published {
        rocket::info!("story {id} published as scheduled");
        stories.invalidate(*id);
        live.forget(Forget::Story { story: *id }).await;
    }
    if !published.is_empty() {
        live.list_changed().await;
    }
    Ok(
        sqlx::query_scalar("SELECT MIN(scheduled_at) FROM stories WHERE published_at IS NULL")
            .fetch_one(db)
            .await?,
    )
}
