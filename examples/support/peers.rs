//! Several client processes holding one story's viewers together (a
//! process may hold only so many open files): they meet through files in a
//! shared directory. Each signal is a file written whole, then renamed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rocket::tokio::time::sleep;

/// The shared directory.
pub struct Peers {
    dir: PathBuf,
}

impl Peers {
    pub fn new(dir: &Path) -> Peers {
        Peers {
            dir: dir.to_path_buf(),
        }
    }

    /// Leaves `text` under `name` for the other processes.
    pub fn signal(&self, name: &str, text: &str) -> std::io::Result<()> {
        let part = self.dir.join(format!(".{name}.part"));
        std::fs::write(&part, text)?;
        std::fs::rename(part, self.dir.join(name))
    }

    /// Waits up to `within` for the signal `name` and returns its text.
    pub async fn wait(&self, name: &str, within: Duration) -> Result<String, String> {
        let deadline = Instant::now() + within;
        loop {
            if let Ok(text) = std::fs::read_to_string(self.dir.join(name)) {
                return Ok(text);
            }
            if Instant::now() > deadline {
                return Err(format!("no {name} from the other client within {within:?}"));
            }
            sleep(Duration::from_millis(5)).await;
        }
    }
}

/// The wall clock in nanoseconds since the epoch: the one clock the
/// processes share.
pub fn wall_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}
