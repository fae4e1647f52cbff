//! One budget of one kind of poster: a keyed GCRA limiter, what it counts
//! (actions or bytes), and what its refusals say.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use rocket::http::Status;

use super::Poster;
use crate::config::PostBudget;
use crate::error::{Error, Result};
use crate::live::SharedBudget;

const DAY: Duration = Duration::from_secs(86_400);

/// What a budget counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Measure {
    ActionsPerSecond,
    ActionsPerDay,
    BytesPerDay,
}

/// One budget of one kind of poster.
pub(super) struct Limit {
    pub(super) measure: Measure,
    /// The setting behind it, as the metrics name it.
    pub(super) setting: String,
    pub(super) limiter: DefaultKeyedRateLimiter<Poster>,
    /// The same budget as shared by every node: one cell back per period,
    /// at most `burst` held.
    period: Duration,
    burst: NonZeroU32,
    /// Bytes per cell: 1, unless the daily bytes are more cells than
    /// governor counts (u32).
    unit: u64,
    /// What it allows, in words.
    allows: String,
    pub(super) refused: AtomicU64,
}

impl Limit {
    /// The budget `measure` of `budget`; none when its setting is 0.
    pub(super) fn new(measure: Measure, budget: &PostBudget) -> Option<Limit> {
        let who = match budget.who {
            "reader" => "a reader",
            _ => "an API token",
        };
        let (key, (quota, period, burst), unit, allows) = match measure {
            Measure::ActionsPerSecond => {
                let rate = NonZeroU32::new(budget.actions_per_second)?;
                let burst = NonZeroU32::new(budget.action_burst)?;
                let allows = format!(
                    "{who} may post {} a second, at most {burst} at once",
                    actions(rate.get())
                );
                let period = Duration::from_secs(1) / rate.get();
                let quota = (Quota::per_second(rate).allow_burst(burst), period, burst);
                ("actions_per_second", quota, 1, allows)
            }
            Measure::ActionsPerDay => {
                let day = NonZeroU32::new(budget.actions_per_day)?;
                let allows = format!("{who} may post {} a day", actions(day.get()));
                ("actions_per_day", daily(day), 1, allows)
            }
            Measure::BytesPerDay => {
                let bytes = budget.bytes_per_day;
                let unit = bytes.div_ceil(u64::from(u32::MAX)).max(1);
                let cells = NonZeroU32::new(u32::try_from(bytes / unit).ok()?)?;
                let allows = format!("{who} may store {bytes} bytes of actions a day");
                ("bytes_per_day", daily(cells), unit, allows)
            }
        };
        Some(Limit {
            measure,
            setting: format!("activity_{}_{key}", budget.who),
            limiter: RateLimiter::keyed(quota),
            period,
            burst,
            unit,
            allows,
            refused: AtomicU64::new(0),
        })
    }

    /// The cells `amount` (actions or bytes) takes from this budget: none
    /// for nothing, refused when more than the budget can ever hold.
    pub(super) fn cells(&self, amount: u64) -> Result<Option<NonZeroU32>> {
        let cells = amount.div_ceil(self.unit);
        if cells == 0 {
            return Ok(None);
        }
        match u32::try_from(cells).ok().and_then(NonZeroU32::new) {
            Some(cells) if cells <= self.burst => Ok(Some(cells)),
            _ => Err(self.refuse_too_large(amount)),
        }
    }

    /// Takes `cells` from `poster`'s budget on this node, or says why not.
    pub(super) fn take_here(&self, poster: &Poster, cells: NonZeroU32) -> Result<()> {
        match self.limiter.check_key_n(poster, cells) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(not_until)) => {
                Err(self.refuse_for(not_until.wait_time_from(self.limiter.clock().now())))
            }
            Err(_) => Err(self.refuse_too_large(u64::from(cells.get()) * self.unit)),
        }
    }

    /// The same budget of `poster`, as every node takes from it.
    pub(super) fn shared(&self, poster: &Poster, cells: NonZeroU32) -> SharedBudget {
        let who = match poster {
            Poster::Reader(id) => format!("reader:{id}"),
            Poster::Token(id) => format!("token:{id}"),
        };
        SharedBudget {
            key: format!("{}:{who}", self.setting),
            period: self.period,
            burst: self.burst.get(),
            cells: cells.get(),
        }
    }

    /// The refusal of a batch this budget has room for in `wait`.
    pub(super) fn refuse_for(&self, wait: Duration) -> Error {
        self.refused.fetch_add(1, Ordering::Relaxed);
        let retry_after = whole_seconds(wait);
        let used_up = match self.measure {
            Measure::ActionsPerSecond => "Too many actions at once",
            Measure::ActionsPerDay | Measure::BytesPerDay => "Daily quota used up",
        };
        let message = format!(
            "{used_up}: {}. Nothing of this batch was stored; try again in {retry_after} seconds.",
            self.allows
        );
        Error::Limited {
            retry_after,
            message,
        }
    }

    fn refuse_too_large(&self, amount: u64) -> Error {
        self.refused.fetch_add(1, Ordering::Relaxed);
        let what = match self.measure {
            Measure::BytesPerDay => "bytes",
            Measure::ActionsPerSecond | Measure::ActionsPerDay => "actions",
        };
        let message = format!(
            "This batch has {amount} {what}, more than can ever pass: {}. Send smaller batches.",
            self.allows
        );
        Error::field_with(Status::PayloadTooLarge, "actions", message)
    }
}

fn actions(n: u32) -> String {
    match n {
        1 => "1 action".to_string(),
        n => format!("{n} actions"),
    }
}

/// `cells` at once, refilled evenly over a day; with its period and burst.
fn daily(cells: NonZeroU32) -> (Quota, Duration, NonZeroU32) {
    let each = (DAY / cells.get()).max(Duration::from_nanos(1));
    let quota = Quota::with_period(each).map_or(Quota::per_second(cells), |q| q.allow_burst(cells));
    (quota, each, cells)
}

/// A wait in whole seconds, rounded up, at least one.
fn whole_seconds(wait: Duration) -> u64 {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    seconds.max(1)
}
