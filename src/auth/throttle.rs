//! Throttling of costly attempts: failed logins per username and per client
//! address, signups per address, and wrong passwords per account. An
//! attempt reserves its place before the password hash runs, so requests
//! sent in parallel cannot slip past the limit while earlier ones are still
//! being checked. With a shared live engine (Redis), failures are also
//! counted for every node together, so that spreading them over the nodes
//! gains nothing; attempts in flight are each node's own.

use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use moka::sync::Cache;

use crate::ids::UserId;
use crate::live::Engine;

/// Attempts per key within fixed windows.
pub struct Throttle {
    windows: Cache<String, Arc<Mutex<Window>>>,
    window: Duration,
    /// Where failures are counted for every node, if anywhere.
    live: Engine,
}

struct Window {
    started: Instant,
    counted: u32,
    in_flight: u32,
}

/// A key and how many attempts it may make per window.
pub struct Limit {
    key: String,
    allowed: u32,
}

impl Limit {
    /// Attempts for one username. Names that cannot exist are not keys: they
    /// would only fill the table (the address limit still applies).
    pub fn username(username: &str, allowed: u32) -> Option<Limit> {
        super::users::username_problem(username)
            .is_none()
            .then(|| Limit {
                key: format!("username:{}", username.to_ascii_lowercase()),
                allowed,
            })
    }

    /// Attempts of one kind on one account, by its id: wrong passwords
    /// typed by someone already logged in to it (changing the password,
    /// deleting the account), which a stolen login must not turn into
    /// unlimited guesses.
    pub fn account(kind: &str, user_id: UserId, allowed: u32) -> Limit {
        Limit {
            key: format!("{kind}:{user_id}"),
            allowed,
        }
    }

    /// Failed logins from one known browser (see [`super::KnownDevice`]).
    pub fn device(device: &super::KnownDevice, allowed: u32) -> Limit {
        Limit {
            key: format!("device:{}", device.nonce),
            allowed,
        }
    }

    /// Attempts of one kind from one client address; IPv6 clients by their
    /// /64, since one holder has the whole block.
    pub fn address(kind: &str, address: IpAddr, allowed: u32) -> Limit {
        let address = match address {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        };
        Limit {
            key: format!("{kind}:{address}"),
            allowed,
        }
    }
}

impl Throttle {
    pub fn new(window: Duration, live: Engine) -> Throttle {
        Throttle {
            windows: Cache::builder()
                .max_capacity(100_000)
                .time_to_live(window)
                .build(),
            window,
            live,
        }
    }

    /// Reserves an attempt under every limit, or says how many seconds to
    /// wait when one of them is used up.
    pub async fn begin(&self, limits: impl IntoIterator<Item = Limit>) -> Result<Attempt<'_>, u64> {
        let limits: Vec<Limit> = limits.into_iter().collect();
        let keys: Vec<String> = limits.iter().map(|limit| limit.key.clone()).collect();
        // Failures on every node: each key's count and the time left.
        let shared = self.live.attempts(&keys).await.unwrap_or_default();
        let now = Instant::now();
        let mut reserved = Vec::new();
        for (i, limit) in limits.into_iter().enumerate() {
            let (elsewhere, left_ms) = shared.get(i).copied().unwrap_or((0, 0));
            if elsewhere >= limit.allowed {
                drop(Attempt {
                    throttle: self,
                    reserved,
                    settled: false,
                });
                return Err(left_ms.div_ceil(1000).max(1));
            }
            let window = self.windows.get_with(limit.key.clone(), || {
                Arc::new(Mutex::new(Window {
                    started: now,
                    counted: 0,
                    in_flight: 0,
                }))
            });
            let wait = {
                let Ok(mut w) = window.lock() else { continue };
                if now.duration_since(w.started) >= self.window {
                    *w = Window {
                        started: now,
                        counted: 0,
                        in_flight: w.in_flight,
                    };
                }
                if w.counted >= limit.allowed {
                    Some(self.window.saturating_sub(now.duration_since(w.started)))
                } else if w.counted + w.in_flight >= limit.allowed {
                    // Full of attempts still being checked: try again shortly.
                    Some(Duration::from_secs(1))
                } else {
                    w.in_flight += 1;
                    None
                }
            };
            match wait {
                Some(wait) => {
                    drop(Attempt {
                        throttle: self,
                        reserved,
                        settled: false,
                    });
                    return Err(wait.as_millis().div_ceil(1000).max(1) as u64);
                }
                None => reserved.push((limit.key, window)),
            }
        }
        Ok(Attempt {
            throttle: self,
            reserved,
            settled: false,
        })
    }
}

/// A reserved attempt. It counts against its limits once `count`ed; an
/// attempt dropped without that (it succeeded, or failed on our side) is
/// released without counting.
pub struct Attempt<'t> {
    throttle: &'t Throttle,
    reserved: Vec<(String, Arc<Mutex<Window>>)>,
    settled: bool,
}

impl Attempt<'_> {
    /// The attempt failed (or, for signups, happened): it counts, here and
    /// for every node.
    pub async fn count(mut self) {
        self.settle(1);
        let keys: Vec<String> = self.reserved.iter().map(|(key, _)| key.clone()).collect();
        let throttle = self.throttle;
        throttle.live.count_attempt(&keys, throttle.window).await;
    }

    /// The login succeeded: release it, and forget the username's failures.
    pub async fn succeed(mut self) {
        self.settle(0);
        for (key, _) in &self.reserved {
            if key.starts_with("username:") {
                self.throttle.windows.invalidate(key);
                self.throttle.live.clear_attempts(key).await;
            }
        }
    }

    fn settle(&mut self, counted: u32) {
        if std::mem::replace(&mut self.settled, true) {
            return;
        }
        for (_, window) in &self.reserved {
            if let Ok(mut w) = window.lock() {
                w.in_flight = w.in_flight.saturating_sub(1);
                w.counted += counted;
            }
        }
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        self.settle(0);
    }
}

/// The client's address as Rocket sees it (the socket peer, or the
/// configured `ip_header` when behind a proxy); `None` when unknown.
pub struct ClientIp(pub Option<IpAddr>);

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for ClientIp {
    type Error = std::convert::Infallible;

    async fn from_request(
        req: &'r rocket::Request<'_>,
    ) -> rocket::request::Outcome<Self, Self::Error> {
        rocket::outcome::Outcome::Success(ClientIp(req.client_ip()))
    }
}
