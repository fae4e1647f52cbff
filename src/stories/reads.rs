//! Unique reads: (story, reader) recorded once, ever, with the story's read
//! counter raised in the same transaction.
//!
//! SQLite allows one writer at a time, and with `synchronous = FULL` every
//! commit waits for the disk. So first reads go through one writer task that
//! commits every read waiting in its queue in one short transaction: many
//! reads share one sync, and writers never contend. A request waits for the
//! commit, so a page never shows a read that is not on disk.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use moka::sync::Cache;
use rocket::tokio::sync::{mpsc, oneshot};
use sqlx::{AnyConnection, AnyPool};

use crate::db::{Backend, Sql};

use super::cache::{CachedStory, StoryCache};
use super::queries;
use crate::error::{Error, Result};
use crate::ids::{StoryId, UserId};
use crate::live::Engine;
use crate::util::unix_now;

/// Most reads committed in one transaction.
const BATCH: usize = 512;
/// Reads waiting for the writer before new ones wait to be queued.
const QUEUE: usize = 8_192;

struct PendingRead {
    story: StoryId,
    user: UserId,
    done: oneshot::Sender<Result<i64, Error>>,
}

/// Records reads. Cheap to share: the writer task runs on its own.
pub struct Reads {
    queue: mpsc::Sender<PendingRead>,
    live: Engine,
    // Pairs known to be on disk: a returning reader costs no query at all.
    seen: Cache<(StoryId, UserId), ()>,
    // First reads committed since the start, for the metrics.
    recorded: Arc<AtomicU64>,
}

impl Reads {
    /// Starts the writer task on `db`.
    pub fn start(db: AnyPool, live: Engine) -> Reads {
        let (queue, pending) = mpsc::channel(QUEUE);
        let recorded = Arc::new(AtomicU64::new(0));
        rocket::tokio::spawn(write_reads(db, pending, Arc::clone(&recorded)));
        Reads {
            queue,
            live,
            recorded,
            seen: Cache::builder()
                .max_capacity(500_000)
                .time_to_idle(Duration::from_secs(3600))
                .build(),
        }
    }

    /// Records that `user` opened `story` and returns the story's read
    /// counter to show them: it includes their read, which is on disk.
    pub async fn record(
        &self,
        db: &AnyPool,
        stories: &StoryCache,
        story: &CachedStory,
        user: UserId,
    ) -> Result<i64> {
        let key = (story.id, user);
        // `seen` is filled only after the story's counter was raised, so a
        // reader found here is already in the counter.
        if self.seen.contains_key(&key) {
            return Ok(story.read_count());
        }
        let count = match queries::read_count_if_read(db, story.id, user).await? {
            Some(count) => count,
            None => {
                let count = self.write(story.id, user).await?;
                self.live.reads_changed(story.id, count).await;
                count
            }
        };
        stories.note_read_count(story.id, count);
        self.seen.insert(key, ());
        Ok(count.max(story.read_count()))
    }

    /// How many first reads were committed since the start, for the
    /// metrics.
    pub fn recorded_counter(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.recorded)
    }

    /// Hands a read to the writer and waits until it is committed.
    async fn write(&self, story: StoryId, user: UserId) -> Result<i64> {
        let (done, committed) = oneshot::channel();
        let read = PendingRead { story, user, done };
        self.queue
            .send(read)
            .await
            .map_err(|_| Error::internal("the read writer has stopped"))?;
        committed
            .await
            .map_err(|_| Error::internal("the read writer has stopped"))?
    }
}

/// The writer: waits for a read, takes every other read already queued, and
/// commits them together.
async fn write_reads(
    db: AnyPool,
    mut pending: mpsc::Receiver<PendingRead>,
    recorded: Arc<AtomicU64>,
) {
    let mut batch = Vec::with_capacity(BATCH);
    while pending.recv_many(&mut batch, BATCH).await > 0 {
        let outcome = commit(&db, &batch).await;
        match outcome {
            Ok((counts, new)) => {
                recorded.fetch_add(new, Ordering::Relaxed);
                for (read, count) in batch.drain(..).zip(counts) {
                    let _ = read.done.send(Ok(count));
                }
            }
            Err(e) => {
                // One bad read (a story deleted meanwhile) must not fail the
                // others: retry each alone.
                rocket::warn!(
                    "committing {} reads together failed ({e}); retrying one by one",
                    batch.len()
                );
                for read in batch.drain(..) {
                    let result = commit(&db, std::slice::from_ref(&read))
                        .await
                        .map(|(counts, new)| {
                            recorded.fetch_add(new, Ordering::Relaxed);
                            counts.first().copied().unwrap_or(0)
                        })
                        .map_err(story_gone_or);
                    let _ = read.done.send(result);
                }
            }
        }
    }
}

/// Commits `reads`; returns each one's story counter and how many were new.
async fn commit(db: &AnyPool, reads: &[PendingRead]) -> Result<(Vec<i64>, u64), sqlx::Error> {
    let mut conn = db.acquire().await?;
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    let now = unix_now();
    let (counts, new) = match Backend::of(db) {
        Backend::Sqlite => {
            let mut counts = Vec::with_capacity(reads.len());
            let mut new = 0;
            for read in reads {
                let (count, inserted) = record_one(&mut tx, read.story, read.user, now).await?;
                counts.push(count);
                new += u64::from(inserted);
            }
            (counts, new)
        }
        Backend::Postgres => record_together(&mut tx, reads, now).await?,
    };
    tx.commit().await?;
    Ok((counts, new))
}

/// The batch in one statement, for PostgreSQL: its statement-level trigger
/// then adds each story's and day's new reads once, rather than making a
/// new version of the same counter rows for every read. Each read gets its
/// story's counter as the batch left it.
async fn record_together(
    conn: &mut AnyConnection,
    reads: &[PendingRead],
    now: i64,
) -> Result<(Vec<i64>, u64), sqlx::Error> {
    // Rows in one order on every node: two batches inserting the same pairs
    // in different orders could each wait for the other's unique key.
    let mut rows: Vec<&PendingRead> = reads.iter().collect();
    rows.sort_unstable_by_key(|read| (read.story, read.user));
    let mut insert = Sql::new("INSERT INTO reads (story_id, user_id, read_at) VALUES ");
    for read in rows {
        insert.row().bind(read.story).push(", ").bind(read.user);
        insert.push(", ").bind(now).push(")");
    }
    insert.push(" ON CONFLICT (story_id, user_id) DO NOTHING RETURNING story_id");
    let (text, args) = insert.into_parts();
    let new = sqlx::query_with(&text, args)
        .fetch_all(&mut *conn)
        .await?
        .len() as u64;
    let mut stories: Vec<StoryId> = reads.iter().map(|read| read.story).collect();
    stories.sort_unstable();
    stories.dedup();
    let found: HashMap<StoryId, i64> =
        queries::read_counts(&mut *conn, Backend::Postgres, &stories)
            .await?
            .into_iter()
            .collect();
    let counts = reads
        .iter()
        .map(|read| {
            found
                .get(&read.story)
                .copied()
                .ok_or(sqlx::Error::RowNotFound)
        })
        .collect::<Result<Vec<i64>, sqlx::Error>>()?;
    Ok((counts, new))
}

/// Inserts the read (the counter rises by trigger, only if it is new) and
/// returns the story's read counter and whether the read was new.
async fn record_one(
    conn: &mut AnyConnection,
    story: StoryId,
    user: UserId,
    now: i64,
) -> Result<(i64, bool), sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO reads (story_id, user_id, read_at) VALUES ($1, $2, $3)
         ON CONFLICT (story_id, user_id) DO NOTHING",
    )
    .bind(story)
    .bind(user)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    let count = sqlx::query_scalar("SELECT read_count FROM stories WHERE id = $1")
        .bind(story)
        .fetch_one(&mut *conn)
        .await?;
    Ok((count, inserted))
}

/// A read of a story deleted meanwhile is a 404; anything else is logged.
fn story_gone_or(error: sqlx::Error) -> Error {
    let gone = match &error {
        sqlx::Error::RowNotFound => true,
        sqlx::Error::Database(e) => e.kind() == sqlx::error::ErrorKind::ForeignKeyViolation,
        _ => false,
    };
    if gone {
        Error::NotFound
    } else {
        Error::Database(error)
    }
}
