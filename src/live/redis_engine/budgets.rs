//! Rate budgets shared by every node: each a GCRA cell kept in Redis (its
//! theoretical arrival time, in microseconds of Redis's clock), taken by
//! one script for all the budgets of a request, so that either every
//! budget has room and all are taken, or none is.

use std::sync::LazyLock;
use std::time::Duration;

use redis::aio::ConnectionManager;
use redis::{RedisError, RedisResult, Script};

use crate::live::{SharedBudget, Taken};

/// KEYS: one per budget. ARGV: for each, its period (µs, may be a
/// fraction), its burst and the cells to take. Returns {0, 0} when taken,
/// else {the refusing budget's position from 1, the µs until it has room}.
static TAKE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local next = {}
for i, key in ipairs(KEYS) do
  local period = tonumber(ARGV[3 * i - 2])
  local burst = tonumber(ARGV[3 * i - 1])
  local cells = tonumber(ARGV[3 * i])
  local tat = math.max(tonumber(redis.call('GET', key) or now), now)
  local after = tat + cells * period
  local room_at = after - burst * period
  if room_at > now then
    return {i, math.ceil(room_at - now)}
  end
  next[i] = after
end
for i, key in ipairs(KEYS) do
  redis.call('SET', key, string.format('%.3f', next[i]), 'PX', math.ceil((next[i] - now) / 1000) + 1)
end
return {0, 0}
",
    )
});

fn key(budget: &SharedBudget) -> String {
    format!("folio:budget:{}", budget.key)
}

/// Takes from every budget in `budgets`, or from none.
pub async fn take(redis: &mut ConnectionManager, budgets: &[SharedBudget]) -> RedisResult<Taken> {
    if budgets.is_empty() {
        return Ok(Taken::All);
    }
    let mut invocation = TAKE.prepare_invoke();
    for budget in budgets {
        invocation
            .key(key(budget))
            .arg(budget.period.as_secs_f64() * 1e6)
            .arg(budget.burst)
            .arg(budget.cells);
    }
    let (refused, wait_us): (usize, u64) = invocation.invoke_async(redis).await?;
    Ok(match refused {
        0 => Taken::All,
        position => Taken::Refused {
            index: position - 1,
            wait: Duration::from_micros(wait_us),
        },
    })
}

/// Whether `error` means Redis is out of reach (rather than a reply the
/// script did not expect).
pub fn unreachable(error: &RedisError) -> bool {
    error.is_io_error()
        || error.is_connection_dropped()
        || error.is_connection_refusal()
        || error.is_timeout()
}
