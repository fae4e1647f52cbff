//! RequestsInFlight in flight, so that shutdown can wait for them: each request
//! holds an [`InFlight`] from its arrival until Rocket drops it (after its
//! body was sent, or when its client went away).

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rocket::tokio::sync::Notify;
use rocket::tokio::time::{timeout_at, Instant};

/// How many requests are in flight, and when shutdown began.
#[derive(Default)]
pub struct RequestsInFlight {
    count: AtomicI64,
    /// Told when the count drops to zero.
    idle: Notify,
    stopping: Mutex<Option<Instant>>,
}

/// One request in flight, until dropped.
pub struct InFlight(Arc<RequestsInFlight>);

impl Drop for InFlight {
    fn drop(&mut self) {
        if self.0.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

impl RequestsInFlight {
    /// Counts a request as in flight until the returned value is dropped.
    pub fn arrived(self: &Arc<Self>) -> InFlight {
        self.count.fetch_add(1, Ordering::SeqCst);
        InFlight(Arc::clone(self))
    }

    pub fn count(&self) -> i64 {
        self.count.load(Ordering::SeqCst).max(0)
    }

    /// Notes that shutdown began.
    pub fn stopping(&self) {
        let mut stopping = self.stopping.lock().unwrap_or_else(|e| e.into_inner());
        stopping.get_or_insert_with(Instant::now);
    }

    /// Waits until no request is in flight, for at most `patience` after
    /// shutdown began; `Err` with how many still are.
    pub async fn drained(&self, patience: Duration) -> Result<(), i64> {
        let began = *self.stopping.lock().unwrap_or_else(|e| e.into_inner());
        let deadline = began.unwrap_or_else(Instant::now) + patience;
        loop {
            // Registered before the count is read, so a drop to zero in
            // between is not missed.
            let idle = self.idle.notified();
            let running = self.count();
            if running == 0 {
                return Ok(());
            }
            if timeout_at(deadline, idle).await.is_err() {
                return Err(self.count());
            }
        }
    }
}
