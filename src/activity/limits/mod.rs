//! Budgets for `POST /api/log`, per reader and per API token: actions a
//! second (with a burst), actions a day and bytes of stored text a day,
//! each a keyed GCRA limiter (governor). A batch is stored only if every
//! budget has room for all of it; otherwise nothing of it is, and the
//! answer says which budget is used up and when to try again. A batch
//! larger than a budget can ever hold is refused as too large.
//!
//! With a shared live engine (Redis) the budgets are every node's together,
//! taken by one script: all of a batch's budgets or none. On one node (or
//! while Redis is away) each node keeps its own with governor, which cannot
//! look without taking: the budgets checked before the one that refuses a
//! batch have counted it. They are checked from the quickest to refill (the
//! rate) to the slowest, the daily action count before the daily bytes
//! (which ordinary actions reach later), so little is lost.

mod limit;
#[cfg(test)]
mod tests;

use std::num::NonZeroU32;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use super::caller::Caller;
use crate::config::PostBudget;
use crate::error::{Error, Result};
use crate::ids::{TokenId, UserId};
use crate::live::{Engine, SharedBudget, Taken};
use limit::{Limit, Measure};

/// Takes each budget's cells on this node, in order (see above: those
/// before a refusing one have counted the batch).
fn take_here(poster: Poster, wanted: &[(&Limit, NonZeroU32)]) -> Result<()> {
    for (limit, cells) in wanted {
        limit.take_here(&poster, *cells)?;
    }
    Ok(())
}

/// How often posters whose budgets are full again are forgotten.
const SWEEP: Duration = Duration::from_secs(60);

/// Whose budget a batch is taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Poster {
    Reader(UserId),
    Token(TokenId),
}

impl From<&Caller> for Poster {
    fn from(caller: &Caller) -> Poster {
        match caller {
            Caller::Token(id) => Poster::Token(*id),
            Caller::Reader(reader) => Poster::Reader(reader.user_id),
        }
    }
}

struct Budgets {
    readers: Vec<Limit>,
    tokens: Vec<Limit>,
}

impl Budgets {
    fn all(&self) -> impl Iterator<Item = &Limit> {
        self.readers.iter().chain(&self.tokens)
    }
}

/// The activity log's budgets for posting, managed by Rocket.
#[derive(Clone)]
pub struct PostLimits(Arc<Budgets>);

impl PostLimits {
    /// Budgets for every reader and every API token.
    pub fn new(readers: &PostBudget, tokens: &PostBudget) -> PostLimits {
        let limits = |budget: &PostBudget| {
            [
                Measure::ActionsPerSecond,
                Measure::ActionsPerDay,
                Measure::BytesPerDay,
            ]
            .into_iter()
            .filter_map(|measure| Limit::new(measure, budget))
            .collect()
        };
        PostLimits(Arc::new(Budgets {
            readers: limits(readers),
            tokens: limits(tokens),
        }))
    }

    /// Takes a batch of `actions` storing `bytes` from `poster`'s budgets,
    /// or refuses it: 429 (with the seconds to wait) when a budget has no
    /// room for it yet, 413 when it never will. With a shared live engine
    /// every node takes from the same budgets, all of them or none; when
    /// it cannot be reached, this node's own budgets stand in.
    pub async fn admit(
        &self,
        live: &Engine,
        poster: Poster,
        actions: usize,
        bytes: u64,
    ) -> Result<()> {
        let wanted = self.cells(poster, actions, bytes)?;
        let shared: Vec<SharedBudget> = wanted
            .iter()
            .map(|(limit, cells)| limit.shared(&poster, *cells))
            .collect();
        match live.take_budgets(&shared).await {
            Some(Taken::All) => Ok(()),
            Some(Taken::Refused { index, wait }) => match wanted.get(index) {
                Some((limit, _)) => Err(limit.refuse_for(wait)),
                None => Err(Error::internal("a shared budget refused out of range")),
            },
            None => take_here(poster, &wanted),
        }
    }

    /// The same on this node's own budgets only.
    pub fn admit_here(&self, poster: Poster, actions: usize, bytes: u64) -> Result<()> {
        take_here(poster, &self.cells(poster, actions, bytes)?)
    }

    /// Each of `poster`'s budgets with the cells the batch takes from it.
    fn cells(
        &self,
        poster: Poster,
        actions: usize,
        bytes: u64,
    ) -> Result<Vec<(&Limit, NonZeroU32)>> {
        let limits = match poster {
            Poster::Reader(_) => &self.0.readers,
            Poster::Token(_) => &self.0.tokens,
        };
        let mut wanted = Vec::with_capacity(limits.len());
        for limit in limits {
            let amount = match limit.measure {
                Measure::BytesPerDay => bytes,
                Measure::ActionsPerSecond | Measure::ActionsPerDay => actions as u64,
            };
            if let Some(cells) = limit.cells(amount)? {
                wanted.push((limit, cells));
            }
        }
        Ok(wanted)
    }

    /// Batches refused since the start, by the setting of the budget that
    /// refused them.
    pub fn refusals(&self) -> Vec<(String, u64)> {
        self.0
            .all()
            .map(|l| (l.setting.clone(), l.refused.load(Ordering::Relaxed)))
            .collect()
    }

    /// Posters remembered, in all budgets together.
    pub fn posters_held(&self) -> usize {
        self.0.all().map(|l| l.limiter.len()).sum()
    }

    /// Forgets the posters whose budgets are full again, so memory follows
    /// the posters of the last day, not of all time.
    pub fn forget_full(&self) {
        for limit in self.0.all() {
            limit.limiter.retain_recent();
            limit.limiter.shrink_to_fit();
        }
    }

    /// Forgets full budgets every minute while these limits are in use.
    pub fn sweep(&self) {
        let budgets = Arc::downgrade(&self.0);
        rocket::tokio::spawn(async move {
            let mut tick = rocket::tokio::time::interval(SWEEP);
            tick.tick().await;
            loop {
                tick.tick().await;
                let Some(budgets) = budgets.upgrade() else {
                    break;
                };
                PostLimits(budgets).forget_full();
            }
        });
    }
}
