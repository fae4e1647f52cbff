//! Storing actions durably and fast. Every batch is committed before its
//! request is answered, and one writer task commits all the batches waiting
//! in its queue in one transaction: thousands of actions share one disk
//! sync, and writers never contend for SQLite's lock.

use rocket::tokio::sync::{mpsc, oneshot};
use sqlx::AnyPool;

use crate::db::Sql;

use super::input::{Batch, NewAction};
use super::namespace::Namespace;
use crate::error::{Error, Result};
use crate::ids::UserId;
use crate::util::unix_now;

/// Actions committed together at most (several batches' worth).
const ACTIONS_PER_COMMIT: usize = 8_000;
/// Rows per INSERT statement: 9 columns each, well within SQLite's limit
/// on bound values.
const ROWS_PER_INSERT: usize = 100;
/// Batches waiting for the writer before new ones wait to be queued.
const QUEUE: usize = 1_024;

struct Pending {
    owner: Namespace,
    batch: Batch,
    done: oneshot::Sender<Result<()>>,
}

/// The activity log's writer, managed by Rocket.
pub struct ActionLog {
    queue: mpsc::Sender<Pending>,
}

impl ActionLog {
    /// Starts the writer task on `db`.
    pub fn start(db: AnyPool) -> ActionLog {
        let (queue, pending) = mpsc::channel(QUEUE);
        rocket::tokio::spawn(write_batches(db, pending));
        ActionLog { queue }
    }

    /// Stores a batch in namespace `owner`; returns once it is on disk.
    pub async fn store(&self, owner: Namespace, batch: Batch) -> Result<()> {
        let stopped = || Error::internal("the activity writer has stopped");
        let (done, committed) = oneshot::channel();
        self.queue
            .send(Pending { owner, batch, done })
            .await
            .map_err(|_| stopped())?;
        committed.await.map_err(|_| stopped())?
    }
}

async fn write_batches(db: AnyPool, mut pending: mpsc::Receiver<Pending>) {
    while let Some(first) = pending.recv().await {
        let mut group = vec![first];
        let mut actions = group[0].batch.actions.len();
        while actions < ACTIONS_PER_COMMIT {
            match pending.try_recv() {
                Ok(next) => {
                    actions += next.batch.actions.len();
                    group.push(next);
                }
                Err(_) => break,
            }
        }
        if let Err(e) = commit(&db, &group).await {
            // One failing batch must not fail the others: retry each alone.
            rocket::warn!(
                "storing {actions} actions together failed ({e}); retrying batch by batch"
            );
            for batch in group {
                let outcome = commit(&db, std::slice::from_ref(&batch)).await;
                let _ = batch.done.send(outcome.map_err(stored_not));
            }
            continue;
        }
        for batch in group {
            let _ = batch.done.send(Ok(()));
        }
    }
}

/// The error a request gets when its batch could not be stored.
fn stored_not(error: sqlx::Error) -> Error {
    match Error::from(error) {
        Error::Database(e) => {
            rocket::error!("storing a batch of actions failed: {e}");
            Error::Database(e)
        }
        other => other,
    }
}

async fn commit(db: &AnyPool, group: &[Pending]) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let now = unix_now();
    let mut steps = Vec::new();
    for pending in group {
        let (batch, account) = (&pending.batch, pending.owner.account());
        for rows in batch.actions.chunks(ROWS_PER_INSERT) {
            insert_rows(&mut tx, batch, account, rows, now).await?;
        }
        // Outside ids are not Folio's readers: only a reader's own pages
        // count them as having finished a story.
        let Some(reader) = account else { continue };
        for action in &batch.actions {
            steps.extend(action.halfway.map(|story| (story, Step::Halfway, reader)));
            steps.extend(
                action
                    .completes
                    .map(|story| (story, Step::Finished, reader)),
            );
        }
    }
    // Story counters are locked in id order, as every writer of counters
    // does (see the `db` module).
    steps.sort_unstable_by_key(|&(story, step, reader)| (story, step, reader));
    for (story, step, reader) in steps {
        record_step(&mut tx, step, reader, story, now).await?;
    }
    tx.commit().await
}

async fn insert_rows(
    conn: &mut sqlx::AnyConnection,
    batch: &Batch,
    account: Option<UserId>,
    rows: &[NewAction],
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut insert = Sql::new(
        "INSERT INTO actions (user_key, account_id, session_key, type, time, at_ms, wall_clock, properties, received_at) VALUES ",
    );
    for action in rows {
        insert
            .row()
            .bind(batch.user.as_str())
            .push(", ")
            .bind(account)
            .push(", ")
            .bind(batch.session.as_str())
            .push(", ")
            .bind(action.kind.as_str())
            .push(", ")
            .bind(action.time.as_str())
            .push(", ")
            .bind(action.instant_ms)
            .push(", ")
            .bind(action.wall_clock.as_str())
            .push(", ")
            .bind(action.properties.as_str())
            .push(", ")
            .bind(now)
            .push(")");
    }
    let (text, args) = insert.into_parts();
    sqlx::query_with(&text, args).execute(conn).await?;
    Ok(())
}

/// How far through a story a reader got.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Halfway,
    Finished,
}

/// A reader who got halfway through a story or reached its end: counted
/// once per (story, reader) for its read-through funnel, if they read it
/// (opened its page).
async fn record_step(
    conn: &mut sqlx::AnyConnection,
    step: Step,
    reader: UserId,
    story: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = match step {
        Step::Halfway => {
            "INSERT INTO read_halfways (story_id, user_id, reached_at)
             SELECT story_id, user_id, $1 FROM reads WHERE story_id = $2 AND user_id = $3
             ON CONFLICT DO NOTHING"
        }
        Step::Finished => {
            "INSERT INTO read_completions (story_id, user_id, completed_at)
             SELECT story_id, user_id, $1 FROM reads WHERE story_id = $2 AND user_id = $3
             ON CONFLICT DO NOTHING"
        }
    };
    sqlx::query(sql)
        .bind(now)
        .bind(story)
        .bind(reader)
        .execute(conn)
        .await?;
    Ok(())
}
