//! An account's logins as its owner sees and manages them: where each was
//! made, when it was last used, and ending one, or all but this one.

use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::atomic::Ordering;

use rocket::outcome::Outcome;
use rocket::request::{self, FromRequest, Request};
use serde::Serialize;
use sqlx::AnyPool;

use super::sessions::Sessions;
use crate::error::Result;
use crate::ids::{SessionId, UserId};
use crate::live::{forget_soon, Forget};
use crate::util::unix_now;

/// The longest User-Agent kept with a login; longer ones are cut.
const USER_AGENT_MAX: usize = 512;

/// Where a login is made from: the browser's User-Agent and the client's
/// address (as [`super::ClientIp`] sees it).
#[derive(Debug, Clone, Default)]
pub struct LoginPlace {
    pub user_agent: String,
    pub address: Option<IpAddr>,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for LoginPlace {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        let agent = req.headers().get_one("User-Agent").unwrap_or_default();
        let user_agent = match agent.char_indices().nth(USER_AGENT_MAX) {
            Some((end, _)) => &agent[..end],
            None => agent,
        };
        Outcome::Success(LoginPlace {
            user_agent: user_agent.to_string(),
            address: req.client_ip(),
        })
    }
}

/// One of an account's logins, for its sessions page.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Login {
    pub id: SessionId,
    pub user_agent: String,
    pub address: Option<String>,
    pub created_at: i64,
    /// When it was last used; its start when not since.
    pub last_seen_at: i64,
    pub expires_at: i64,
}

impl Sessions {
    /// `user_id`'s logins that have not expired, the latest used first.
    pub async fn logins_of(&self, db: &AnyPool, user_id: UserId) -> Result<Vec<Login>> {
        let mut logins: Vec<Login> = sqlx::query_as(
            "SELECT id, user_agent, address, created_at,
                    COALESCE(last_seen_at, created_at) AS last_seen_at, expires_at
             FROM sessions WHERE user_id = $1 AND expires_at > $2",
        )
        .bind(user_id)
        .bind(unix_now())
        .fetch_all(db)
        .await?;
        for login in &mut logins {
            if let Some(seen) = self.seen.pending(login.id) {
                login.last_seen_at = login.last_seen_at.max(seen);
            }
        }
        logins.sort_by_key(|login| std::cmp::Reverse((login.last_seen_at, login.id)));
        Ok(logins)
    }

    /// Ends `user_id`'s login `id`, on whatever device holds it; `false`
    /// when the account has no such login.
    pub async fn end_one(&self, db: &AnyPool, user_id: UserId, id: SessionId) -> Result<bool> {
        let ended = sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(db)
            .await?;
        self.forget_sessions(user_id, move |session| session.session_id == id);
        Ok(ended.rows_affected() > 0)
    }

    /// Ends every login of `user_id` but `keep` (the one in use), on every
    /// other device; how many ended.
    pub async fn end_others(&self, db: &AnyPool, user_id: UserId, keep: SessionId) -> Result<u64> {
        let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id != $2")
            .bind(user_id)
            .bind(keep)
            .execute(db)
            .await?;
        self.forget_sessions(user_id, move |session| {
            session.user_id == user_id && session.session_id != keep
        });
        Ok(ended.rows_affected())
    }

    /// Writes when logins were last used every minute, while these
    /// sessions exist.
    pub fn keep_writing_last_seen(&self, db: AnyPool) {
        self.seen.keep_writing(db);
    }

    /// Writes when logins were last used, now rather than at the next
    /// minute: before the server stops.
    pub async fn write_last_seen(&self, db: &AnyPool) -> Result<()> {
        self.seen.write(db).await
    }

    /// Forgets what is cached about the sessions `ended`, found ended in
    /// the database (deleted beside the server, expired): the next request
    /// of their browsers reads them afresh and is not let in.
    pub fn forget_ended(&self, ended: &HashSet<SessionId>) {
        if !ended.is_empty() {
            let ended = ended.clone();
            self.forget_where(move |session| ended.contains(&session.session_id));
        }
    }

    /// Forgets the cached sessions of `user` that `ended` picks and closes
    /// their streams, after their rows were deleted; other nodes forget the
    /// user's sessions.
    fn forget_sessions(
        &self,
        user: UserId,
        ended: impl Fn(&super::SessionUser) -> bool + Send + Sync + 'static,
    ) {
        self.forget_where(ended);
        self.ended.notify_one();
        forget_soon(&self.live, Forget::User { user });
    }

    /// Forgets the cached sessions that `which` picks, so the next request
    /// of each reads its row afresh; a lookup that read the database before
    /// does not put its stale answer back (the generation rises).
    pub(super) fn forget_where(
        &self,
        which: impl Fn(&super::SessionUser) -> bool + Send + Sync + 'static,
    ) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Err(e) = self
            .cache
            .invalidate_entries_if(move |_, session| which(session))
        {
            // Without invalidation closures, forget everything instead.
            rocket::warn!("cannot forget some sessions ({e}); forgetting all");
            self.cache.invalidate_all();
        }
    }
}
