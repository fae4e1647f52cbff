//! A cap on story pages' signs of life. A page pings every third of the
//! presence time-to-live; a login that pings far more often than its open
//! pages could is refused with 429 rather than let it keep the presence
//! table busy.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::error::Error;
use crate::ids::SessionId;

/// Pings allowed per login.
pub struct PingLimits {
    limiter: RateLimiter<SessionId, DefaultKeyedStateStore<SessionId>, DefaultClock>,
}

impl PingLimits {
    /// `per_minute` pings per login, in bursts of up to a quarter of that.
    pub fn new(per_minute: u32) -> PingLimits {
        let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(per_minute.get() / 4).unwrap_or(NonZeroU32::MIN);
        PingLimits {
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(burst)),
        }
    }

    /// Counts a ping of `session`, or refuses it with when to try again.
    pub fn check(&self, session: SessionId) -> Result<(), Error> {
        self.limiter.check_key(&session).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            Error::Limited {
                retry_after: wait.as_secs().max(1),
                message: "This login is pinging faster than its pages do. Slow down.".into(),
            }
        })
    }

    /// Forgets logins whose allowance is full again, so the table does not
    /// grow with every login ever seen.
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

/// How often idle logins are forgotten.
pub const FORGET_IDLE_EVERY: Duration = Duration::from_secs(60);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_gets_its_burst_then_waits_and_others_are_not_held_up() {
        let limits = PingLimits::new(40);
        for _ in 0..10 {
            assert!(limits.check(SessionId(1)).is_ok());
        }
        match limits.check(SessionId(1)) {
            Err(Error::Limited { retry_after, .. }) => assert!((1..=2).contains(&retry_after)),
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert!(limits.check(SessionId(2)).is_ok());
    }
}
