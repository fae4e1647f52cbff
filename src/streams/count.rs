//! Open live streams: counted for the metrics, and memory given back after
//! a crowd leaves. glibc's allocator keeps freed memory for reuse, so a
//! process that held 10,000 streams would keep their memory for good; once
//! the number of open streams has fallen well below its peak, the free
//! memory is returned to the system.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Open live streams, and the peak since memory was last returned.
#[derive(Default)]
pub struct StreamCount {
    open: AtomicUsize,
    peak: AtomicUsize,
}

/// Below this many streams freed since the peak, trimming is not worth it.
const WORTH_TRIMMING: usize = 500;

impl StreamCount {
    /// Counts a stream as open while the returned guard lives.
    pub fn opened(self: &Arc<Self>) -> OpenStream {
        let open = self.open.fetch_add(1, Ordering::AcqRel) + 1;
        self.peak.fetch_max(open, Ordering::AcqRel);
        OpenStream(Arc::clone(self))
    }

    pub fn open(&self) -> usize {
        self.open.load(Ordering::Acquire)
    }

    /// Returns free memory to the system if at least half of the streams,
    /// and enough of them, closed since the peak.
    pub fn release_if_shrunk(&self) {
        let open = self.open();
        let peak = self.peak.load(Ordering::Acquire);
        if peak - open.min(peak) >= WORTH_TRIMMING && open <= peak / 2 {
            self.peak.store(open, Ordering::Release);
            release_free_memory();
        }
    }
}

/// An open live stream, counted until dropped.
pub struct OpenStream(Arc<StreamCount>);

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn release_free_memory() {
    // SAFETY: malloc_trim only walks the allocator's own free lists; it is
    // safe to call at any time from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release_free_memory() {}
