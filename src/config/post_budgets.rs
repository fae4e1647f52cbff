//! How much the activity log takes from one poster: a reader's own pages,
//! or one API token. Each budget is a setting; 0 turns that limit off.

use crate::error::{Error, Result};

/// What one poster may send to `POST /api/log`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostBudget {
    /// `reader` or `token`: the settings are `activity_<who>_…`.
    pub who: &'static str,
    /// Actions a second, sustained.
    pub actions_per_second: u32,
    /// Actions at once, beyond the rate: the largest batch that can pass.
    pub action_burst: u32,
    /// Actions a day: that many at once, refilled over 24 hours.
    pub actions_per_day: u32,
    /// Bytes of stored text a day, likewise.
    pub bytes_per_day: u64,
}

impl PostBudget {
    /// The budget's settings, checked: a rate needs a burst of at least one.
    pub fn check(self) -> Result<PostBudget> {
        if self.actions_per_second > 0 && self.action_burst == 0 {
            let who = self.who;
            return Err(Error::Config(format!(
                "bad setting: activity_{who}_action_burst is 0; with \
                 activity_{who}_actions_per_second set it must be at least 1 \
                 (set activity_{who}_actions_per_second to 0 for no rate limit)"
            )));
        }
        Ok(self)
    }
}

/// A reader's own pages send a handful of actions per page (NAVIGATE, a few
/// SCROLLs, READ_COMPLETE), at most 50 at once.
pub const READER: PostBudget = PostBudget {
    who: "reader",
    actions_per_second: 20,
    action_burst: 200,
    actions_per_day: 20_000,
    bytes_per_day: 10_000_000,
};

/// A token is a script on a server: batches of up to 1,000 actions, many
/// of them, for many outside ids.
pub const TOKEN: PostBudget = PostBudget {
    who: "token",
    actions_per_second: 2_000,
    action_burst: 20_000,
    actions_per_day: 2_000_000,
    bytes_per_day: 2 * 1024 * 1024 * 1024,
};
