//! Budgets for open live streams. Every stream holds an open file (its
//! socket) for as long as it lasts, so one client must not be able to hold
//! them all: each login, each client address (IPv6 by its /64) and the
//! visitors together get a share, and all streams together stay under a
//! ceiling below the process's open-file limit, leaving room for the
//! database, the pages and the health check. A stream over budget is
//! refused at once (429 for one client's share, 503 for a shared one) with
//! a `Retry-After`.
//!
//! The budget also knows which login each stream belongs to, so that the
//! streams of a login that ended (logout, a disabled account, an expired
//! session) are closed: see [`Budget::end_sessions`].

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rocket::tokio::sync::watch;

mod refusal;

pub use refusal::Refusal;

use super::count::{OpenStream, StreamCount};
use crate::auth::SessionUser;
use crate::error::Error;
use crate::ids::SessionId;
use crate::util::unix_now;

/// How many streams each kind of client may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamLimits {
    pub per_session: usize,
    pub per_address: usize,
    pub anonymous: usize,
    pub total: usize,
}

/// One client address as far as budgets go: IPv4 addresses whole, IPv6 by
/// their /64 (one holder has the whole block).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct AddressKey(u128);

impl From<IpAddr> for AddressKey {
    fn from(address: IpAddr) -> AddressKey {
        match address.to_canonical() {
            IpAddr::V4(v4) => AddressKey(u32::from(v4) as u128),
            IpAddr::V6(v6) => AddressKey((u128::from(v6) >> 64) | (1 << 64)),
        }
    }
}

/// The streams of one login.
struct SessionStreams {
    open: usize,
    /// Set to `true` (or dropped) when the login ends: its streams close.
    ended: watch::Sender<bool>,
}

#[derive(Default)]
struct Open {
    anonymous: usize,
    by_address: HashMap<AddressKey, usize>,
    by_session: HashMap<SessionId, SessionStreams>,
}

/// The open streams, counted by everything a budget applies to.
pub struct Budget {
    limits: StreamLimits,
    count: Arc<StreamCount>,
    open: Mutex<Open>,
    refused: [AtomicU64; 4],
    /// When the last refusal happened (Unix seconds): a warning is logged
    /// at the first refusal of a burst, not at every one.
    last_refusal: AtomicI64,
}

/// A refusal burst ends after this many seconds without a refusal.
const BURST_QUIET: i64 = 60;

impl Budget {
    pub fn new(limits: StreamLimits, count: Arc<StreamCount>) -> Budget {
        Budget {
            limits,
            count,
            open: Mutex::default(),
            refused: Default::default(),
            last_refusal: AtomicI64::new(i64::MIN / 2),
        }
    }

    pub fn limits(&self) -> StreamLimits {
        self.limits
    }

    /// Streams refused for `reason` since the start.
    pub fn refused(&self, reason: Refusal) -> u64 {
        self.refused[reason as usize].load(Ordering::Relaxed)
    }

    /// Admits a stream of `reader` (a visitor when `None`) from `address`,
    /// or refuses it with the error that says why and when to try again.
    pub fn admit(
        self: &Arc<Self>,
        reader: Option<&SessionUser>,
        address: Option<IpAddr>,
    ) -> Result<Permit, Error> {
        let address = address.map(AddressKey::from);
        let refusal = {
            let Ok(mut open) = self.open.lock() else {
                return Err(Error::internal("the stream budget is poisoned"));
            };
            match self.refusal(&open, reader, address) {
                Some(refusal) => refusal,
                None => return Ok(self.take(&mut open, reader, address)),
            }
        };
        Err(self.refuse(refusal))
    }

    fn refusal(
        &self,
        open: &Open,
        reader: Option<&SessionUser>,
        address: Option<AddressKey>,
    ) -> Option<Refusal> {
        let limits = &self.limits;
        if self.count.open() >= limits.total {
            return Some(Refusal::Total);
        }
        if let Some(address) = address {
            if open.by_address.get(&address).copied().unwrap_or(0) >= limits.per_address {
                return Some(Refusal::Address);
            }
        }
        match reader {
            None if open.anonymous >= limits.anonymous => Some(Refusal::Anonymous),
            Some(reader) => open
                .by_session
                .get(&reader.session_id)
                .filter(|streams| streams.open >= limits.per_session)
                .map(|_| Refusal::Session),
            None => None,
        }
    }

    fn take(
        self: &Arc<Self>,
        open: &mut Open,
        reader: Option<&SessionUser>,
        address: Option<AddressKey>,
    ) -> Permit {
        if let Some(address) = address {
            *open.by_address.entry(address).or_insert(0) += 1;
        }
        let login = match reader {
            None => {
                open.anonymous += 1;
                None
            }
            Some(reader) => {
                let streams = (open.by_session)
                    .entry(reader.session_id)
                    .or_insert_with(|| SessionStreams {
                        open: 0,
                        ended: watch::channel(false).0,
                    });
                streams.open += 1;
                Some(Login {
                    session: reader.session_id,
                    ended: streams.ended.subscribe(),
                    expires_at: reader.expires_at,
                })
            }
        };
        Permit {
            budget: Arc::clone(self),
            _open: self.count.opened(),
            address,
            login,
        }
    }

    fn refuse(&self, refusal: Refusal) -> Error {
        self.refused[refusal as usize].fetch_add(1, Ordering::Relaxed);
        let now = unix_now();
        let last = self.last_refusal.swap(now, Ordering::AcqRel);
        if now - last > BURST_QUIET {
            rocket::warn!(
                "refusing live streams: the {} budget is full ({:?}); further refusals \
                 are counted in folio_live_stream_refusals_total",
                refusal.label(),
                self.limits
            );
        }
        refusal.error(&self.limits)
    }

    /// The logins that have streams open now.
    pub fn sessions(&self) -> Vec<SessionId> {
        match self.open.lock() {
            Ok(open) => open.by_session.keys().copied().collect(),
            Err(_) => Vec::new(),
        }
    }

    /// Closes every stream of these logins, which have ended.
    pub fn end_sessions(&self, ended: impl IntoIterator<Item = SessionId>) {
        let Ok(mut open) = self.open.lock() else {
            return;
        };
        for session in ended {
            if let Some(streams) = open.by_session.remove(&session) {
                streams.ended.send_replace(true);
            }
        }
    }

    fn release(&self, address: Option<AddressKey>, session: Option<SessionId>) {
        let Ok(mut open) = self.open.lock() else {
            return;
        };
        if let Some(address) = address {
            if let Some(n) = open.by_address.get_mut(&address) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    open.by_address.remove(&address);
                }
            }
        }
        match session {
            None => open.anonymous = open.anonymous.saturating_sub(1),
            Some(session) => {
                if let Some(streams) = open.by_session.get_mut(&session) {
                    streams.open = streams.open.saturating_sub(1);
                    if streams.open == 0 {
                        open.by_session.remove(&session);
                    }
                }
            }
        }
    }
}

/// The login a stream belongs to.
struct Login {
    session: SessionId,
    ended: watch::Receiver<bool>,
    expires_at: i64,
}

/// An admitted stream: counted against its budgets until dropped.
pub struct Permit {
    budget: Arc<Budget>,
    _open: OpenStream,
    address: Option<AddressKey>,
    login: Option<Login>,
}

impl Permit {
    /// Resolves when the stream's login ends: logged out, disabled,
    /// expired. Never, for a visitor's stream. Safe to cut short.
    pub async fn ended(&mut self) {
        let Some(login) = &mut self.login else {
            return std::future::pending().await;
        };
        let left = (login.expires_at - unix_now()).max(0) as u64;
        let expiry = rocket::tokio::time::sleep(std::time::Duration::from_secs(left));
        rocket::tokio::select! {
            _ = login.ended.wait_for(|ended| *ended) => {}
            _ = expiry => {}
        }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let session = self.login.as_ref().map(|login| login.session);
        self.budget.release(self.address, session);
    }
}

#[cfg(test)]
mod tests;
