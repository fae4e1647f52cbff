//! Presence shared by every node, in Redis: per story a sorted set of its
//! readers, each scored by when it stops counting (Unix milliseconds), so
//! that a node that dies takes its viewers with it within the time-to-live
//! (Redis 7.0 has no expiry per hash field; a sorted set needs none). The
//! set itself expires when nobody refreshes it, and `folio:viewed` names
//! the stories that may have viewers, for the total.

use std::time::Duration;

use redis::aio::ConnectionManager;
use redis::{RedisResult, Script};

use crate::ids::{StoryId, UserId};
use crate::util::unix_now_ms;

const VIEWED: &str = "folio:viewed";

fn key(story: StoryId) -> String {
    format!("folio:viewers:{story}")
}

/// Per story, how many nodes hold a stream of each reader: a reader whose
/// stream closes on one node stays while another node streams to them.
fn streams_key(story: StoryId) -> String {
    format!("folio:streams:{story}")
}

/// Marks a reader present until ARGV[2] (and counts a stream of theirs
/// opened on a node when ARGV[6] is 1); returns whether they were not
/// counted before (absent, or expired) and the story's count now.
const HERE: &str = r"
local old = redis.call('ZSCORE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('SADD', KEYS[2], ARGV[5])
if ARGV[6] == '1' then
  redis.call('HINCRBY', KEYS[3], ARGV[3], 1)
  redis.call('PEXPIRE', KEYS[3], ARGV[4])
end
local new = 0
if not old or tonumber(old) <= tonumber(ARGV[1]) then new = 1 end
return {new, redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[1], '+inf')}
";

/// A node's last stream of reader ARGV[1] closed: they leave unless
/// another node still streams to them; returns whether they were removed.
const GONE: &str = r"
if redis.call('HINCRBY', KEYS[2], ARGV[1], -1) > 0 then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
return redis.call('ZREM', KEYS[1], ARGV[1])
";

/// The viewers of every story together, dropping expired ones and the
/// stories left with none.
const TOTAL: &str = r"
local total = 0
for _, story in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = 'folio:viewers:' .. story
  redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[1])
  local n = redis.call('ZCARD', key)
  if n == 0 then redis.call('SREM', KEYS[1], story) end
  total = total + n
end
return total
";

/// Presence in Redis, through one multiplexed connection.
#[derive(Clone)]
pub struct SharedPresence {
    ttl_ms: i64,
    here: Script,
    gone: Script,
    total: Script,
}

impl SharedPresence {
    pub fn new(ttl: Duration) -> SharedPresence {
        SharedPresence {
            ttl_ms: ttl.as_millis() as i64,
            here: Script::new(HERE),
            gone: Script::new(GONE),
            total: Script::new(TOTAL),
        }
    }

    /// `reader` is on `story` for another time-to-live (with a stream just
    /// `opened` on this node, or not); whether they were not counted
    /// before, and the story's viewers now.
    pub async fn here(
        &self,
        redis: &mut ConnectionManager,
        story: StoryId,
        reader: UserId,
        opened: bool,
    ) -> RedisResult<(bool, usize)> {
        let now = unix_now_ms();
        let (new, count): (i64, i64) = self
            .here
            .key(key(story))
            .key(VIEWED)
            .key(streams_key(story))
            .arg(now)
            .arg(now + self.ttl_ms)
            .arg(reader.0)
            .arg(self.ttl_ms * 2)
            .arg(story.0)
            .arg(i64::from(opened))
            .invoke_async(redis)
            .await?;
        Ok((new == 1, count.max(0) as usize))
    }

    /// Many signs of life at once, in one round trip: whether each reader
    /// was not counted before.
    pub async fn here_many(
        &self,
        redis: &mut ConnectionManager,
        viewers: &[(StoryId, UserId)],
    ) -> RedisResult<Vec<bool>> {
        if viewers.is_empty() {
            return Ok(Vec::new());
        }
        let now = unix_now_ms();
        let until = now + self.ttl_ms;
        let mut pipe = redis::pipe();
        for (story, reader) in viewers {
            pipe.cmd("ZSCORE").arg(key(*story)).arg(reader.0);
            self.mark(&mut pipe, *story, *reader, until);
        }
        let before: Vec<Option<f64>> = pipe.query_async(redis).await?;
        Ok(before
            .into_iter()
            .map(|score| score.is_none_or(|until| until <= now as f64))
            .collect())
    }

    /// `reader`'s last stream on `story` on this node closed: they leave,
    /// unless another node still streams to them; whether they left.
    pub async fn gone(
        &self,
        redis: &mut ConnectionManager,
        story: StoryId,
        reader: UserId,
    ) -> RedisResult<bool> {
        let removed: i64 = self
            .gone
            .key(key(story))
            .key(streams_key(story))
            .arg(reader.0)
            .invoke_async(redis)
            .await?;
        Ok(removed == 1)
    }

    /// Keeps each (story, reader) present for another time-to-live: this
    /// node's open streams, refreshed well within it.
    pub async fn refresh(
        &self,
        redis: &mut ConnectionManager,
        viewers: &[(StoryId, UserId)],
    ) -> RedisResult<()> {
        if viewers.is_empty() {
            return Ok(());
        }
        let until = unix_now_ms() + self.ttl_ms;
        let mut pipe = redis::pipe();
        for (story, reader) in viewers {
            self.mark(&mut pipe, *story, *reader, until);
        }
        // The open streams' counts last as long as the streams.
        let mut stories: Vec<StoryId> = viewers.iter().map(|(story, _)| *story).collect();
        stories.sort_unstable();
        stories.dedup();
        for story in stories {
            let expiry = self.ttl_ms * 2;
            pipe.cmd("PEXPIRE")
                .arg(streams_key(story))
                .arg(expiry)
                .ignore();
        }
        pipe.query_async::<()>(redis).await
    }

    /// Adds to `pipe`: `reader` counts on `story` until `until` (never
    /// shortening a later expiry), and the story may have viewers.
    fn mark(&self, pipe: &mut redis::Pipeline, story: StoryId, reader: UserId, until: i64) {
        let key = key(story);
        pipe.cmd("ZADD")
            .arg(&key)
            .arg("GT")
            .arg(until)
            .arg(reader.0)
            .ignore();
        pipe.cmd("PEXPIRE").arg(&key).arg(self.ttl_ms * 2).ignore();
        pipe.cmd("SADD").arg(VIEWED).arg(story.0).ignore();
    }

    /// The viewers of each of `stories`, in their order.
    pub async fn counts(
        &self,
        redis: &mut ConnectionManager,
        stories: &[StoryId],
    ) -> RedisResult<Vec<usize>> {
        if stories.is_empty() {
            return Ok(Vec::new());
        }
        let now = unix_now_ms();
        let mut pipe = redis::pipe();
        for story in stories {
            pipe.cmd("ZCOUNT")
                .arg(key(*story))
                .arg(format!("({now}"))
                .arg("+inf");
        }
        let counts: Vec<i64> = pipe.query_async(redis).await?;
        Ok(counts.into_iter().map(|n| n.max(0) as usize).collect())
    }

    /// The viewers of all stories together.
    pub async fn total(&self, redis: &mut ConnectionManager) -> RedisResult<usize> {
        let total: i64 = self
            .total
            .key(VIEWED)
            .arg(unix_now_ms())
            .invoke_async(redis)
            .await?;
        Ok(total.max(0) as usize)
    }
}
