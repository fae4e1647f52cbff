//! Failed-login throttling, per username and per client address, so that
//! guessing passwords is slow whether an attacker tries many passwords for
//! one name or one password for many names.

use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use moka::sync::Cache;

/// Counts failed logins in fixed windows and refuses further attempts once a
/// key has used up its allowance.
pub struct LoginThrottle {
    failures: Cache<String, Arc<Mutex<Window>>>,
    per_username: u32,
    per_address: u32,
    window: Duration,
}

struct Window {
    started: Instant,
    failures: u32,
}

impl LoginThrottle {
    pub fn new(per_username: u32, per_address: u32, window: Duration) -> LoginThrottle {
        LoginThrottle {
            failures: Cache::builder()
                .max_capacity(100_000)
                .time_to_live(window)
                .build(),
            per_username,
            per_address,
            window,
        }
    }

    /// `Err(seconds)` when this username or address must wait before trying again.
    pub fn check(&self, username: &str, address: Option<IpAddr>) -> Result<(), u64> {
        let waits = self
            .keys(username, address)
            .filter_map(|(key, limit)| self.wait(&key, limit));
        match waits.max() {
            Some(wait) => Err(wait.as_millis().div_ceil(1000).max(1) as u64),
            None => Ok(()),
        }
    }

    /// Counts one failed login for this username and address.
    pub fn record_failure(&self, username: &str, address: Option<IpAddr>) {
        let now = Instant::now();
        for (key, _) in self.keys(username, address) {
            let entry = self.failures.get_with(key, || {
                Arc::new(Mutex::new(Window {
                    started: now,
                    failures: 0,
                }))
            });
            let locked = entry.lock();
            if let Ok(mut window) = locked {
                if now.duration_since(window.started) >= self.window {
                    *window = Window {
                        started: now,
                        failures: 0,
                    };
                }
                window.failures += 1;
            }
        }
    }

    /// Forgets the failures of a username after its owner logs in.
    pub fn clear(&self, username: &str) {
        self.failures.invalidate(&username_key(username));
    }

    fn wait(&self, key: &str, limit: u32) -> Option<Duration> {
        let window = self.failures.get(key)?;
        let window = window.lock().ok()?;
        let elapsed = window.started.elapsed();
        (window.failures >= limit && elapsed < self.window).then(|| self.window - elapsed)
    }

    fn keys(&self, username: &str, address: Option<IpAddr>) -> impl Iterator<Item = (String, u32)> {
        let user = (username_key(username), self.per_username);
        let addr = address.map(|ip| (format!("address:{ip}"), self.per_address));
        std::iter::once(user).chain(addr)
    }
}

fn username_key(username: &str) -> String {
    format!("username:{}", username.to_ascii_lowercase())
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
