//! Failed attempts (logins, signups, wrong passwords) counted by every
//! node together: one Redis counter per throttle key, in a fixed window
//! that starts with its first failure, so that failures spread over the
//! nodes meet the same limit as on one.

use redis::aio::ConnectionManager;
use redis::RedisResult;

fn key(throttle_key: &str) -> String {
    format!("folio:attempts:{throttle_key}")
}

/// Each key's failures and the milliseconds left in its window.
pub async fn read(redis: &mut ConnectionManager, keys: &[String]) -> RedisResult<Vec<(u32, u64)>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut pipe = redis::pipe();
    for throttle_key in keys {
        let key = key(throttle_key);
        pipe.cmd("GET").arg(&key).cmd("PTTL").arg(&key);
    }
    let answers: Vec<(Option<u32>, i64)> = pipe.query_async(redis).await?;
    Ok(answers
        .into_iter()
        .map(|(count, ttl)| (count.unwrap_or(0), ttl.max(0) as u64))
        .collect())
}

/// One more failure under each key; a new key's window starts now.
pub async fn add(
    redis: &mut ConnectionManager,
    keys: &[String],
    window_ms: u64,
) -> RedisResult<()> {
    let mut pipe = redis::pipe();
    for throttle_key in keys {
        let key = key(throttle_key);
        pipe.cmd("INCR").arg(&key).ignore();
        pipe.cmd("PEXPIRE")
            .arg(&key)
            .arg(window_ms)
            .arg("NX")
            .ignore();
    }
    pipe.query_async::<()>(redis).await
}

/// Forgets the failures under `throttle_key`.
pub async fn clear(redis: &mut ConnectionManager, throttle_key: &str) -> RedisResult<()> {
    redis::cmd("DEL")
        .arg(key(throttle_key))
        .query_async::<()>(redis)
        .await
}
