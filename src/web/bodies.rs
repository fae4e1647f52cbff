//! Bodies whose size is known are sent in one piece. Rocket hands a body
//! to the connection in chunks of 4 KiB by default, each its own frame and
//! often its own write: a 20 KiB story list took six writes, and the
//! kernel's share of serving it was a third of the page's CPU. Streams
//! (live figures) keep Rocket's chunks: their size is not known.

use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Request, Response};

/// The largest piece: bigger bodies (exports, backups) go in pieces of
/// this size, so that no response holds a second copy of itself.
const LARGEST_PIECE: usize = 256 * 1024;

/// Sets the chunk size of sized bodies to their size.
pub struct WholeBodies;

#[rocket::async_trait]
impl Fairing for WholeBodies {
    fn info(&self) -> Info {
        Info {
            name: "Whole bodies",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, _req: &'r Request<'_>, res: &mut Response<'r>) {
        if let Some(size) = res.body().preset_size() {
            res.set_max_chunk_size(size.clamp(1, LARGEST_PIECE));
        }
    }
}
