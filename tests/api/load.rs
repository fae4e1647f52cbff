//! A load of first reads: readers opening stories they have not read, from
//! many connections at once. Each read that got a 200 is written down, as
//! the client saw it, to compare with the database afterwards.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rand::seq::SliceRandom;
use rocket::tokio::sync::watch;
use rocket::tokio::task::JoinHandle;
use rocket::tokio::time::timeout;
use std::time::Duration;

use crate::process::{get, Population};

/// What the clients saw.
#[derive(Default)]
pub struct Seen {
    /// (story, reader) pairs answered 200.
    pub acknowledged: HashSet<(i64, i64)>,
    /// Answers other than 200, with their status.
    pub refused: Vec<u16>,
    /// Requests that got no answer (the server was gone).
    pub unanswered: usize,
}

pub struct Load {
    seen: Arc<Mutex<Seen>>,
    stop: Arc<AtomicBool>,
    count: watch::Receiver<usize>,
    workers: Vec<JoinHandle<()>>,
}

impl Load {
    /// `clients` connections opening every (story, reader) pair once, in a
    /// random order.
    pub fn start(port: u16, population: &Population, clients: usize) -> Load {
        let mut pairs: Vec<(i64, i64, String)> = population
            .stories
            .iter()
            .flat_map(|story| {
                population
                    .readers
                    .iter()
                    .map(move |(user, cookie)| (*story, *user, cookie.clone()))
            })
            .collect();
        pairs.shuffle(&mut rand::thread_rng());
        let pairs = Arc::new(pairs);
        let next = Arc::new(AtomicUsize::new(0));
        let seen = Arc::new(Mutex::new(Seen::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (count_tx, count) = watch::channel(0);
        let count_tx = Arc::new(count_tx);
        let workers = (0..clients)
            .map(|_| {
                let (pairs, next, seen, stop, count_tx) = (
                    Arc::clone(&pairs),
                    Arc::clone(&next),
                    Arc::clone(&seen),
                    Arc::clone(&stop),
                    Arc::clone(&count_tx),
                );
                rocket::tokio::spawn(async move {
                    while !stop.load(Ordering::SeqCst) {
                        let Some((story, user, cookie)) =
                            pairs.get(next.fetch_add(1, Ordering::SeqCst))
                        else {
                            return;
                        };
                        let answer = get(port, &format!("/stories/{story}"), Some(cookie)).await;
                        let mut seen = seen.lock().expect("the record");
                        match answer {
                            Ok((200, _)) => {
                                seen.acknowledged.insert((*story, *user));
                                count_tx.send_replace(seen.acknowledged.len());
                            }
                            Ok((status, _)) => seen.refused.push(status),
                            Err(_) => seen.unanswered += 1,
                        }
                    }
                })
            })
            .collect();
        Load {
            seen,
            stop,
            count,
            workers,
        }
    }

    /// Waits until `n` reads were acknowledged; fails the test if the load
    /// ends first or stalls for a minute.
    pub async fn wait_for(&mut self, n: usize) -> usize {
        let waited = timeout(
            Duration::from_secs(60),
            self.count.wait_for(|count| *count >= n),
        );
        let reached = waited.await.expect("the load stalled");
        reached.map(|count| *count).expect("the load ended first")
    }

    /// The reads acknowledged so far.
    pub fn acknowledged(&self) -> HashSet<(i64, i64)> {
        self.seen.lock().expect("the record").acknowledged.clone()
    }

    /// Stops the clients and returns what they saw.
    pub async fn stop(self) -> Seen {
        self.stop.store(true, Ordering::SeqCst);
        for worker in self.workers {
            worker.await.expect("a client finishes");
        }
        let mut seen = self.seen.lock().expect("the record");
        std::mem::take(&mut *seen)
    }
}
