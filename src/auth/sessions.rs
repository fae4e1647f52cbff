//! Logins as database rows. The browser holds a random token in a private
//! (encrypted) cookie; the database holds the token's SHA-256. Deleting the
//! row ends the login everywhere, so logout and revocation are immediate.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use moka::sync::Cache;
use rocket::http::{Cookie, CookieJar, SameSite};
use rocket::time;
use rocket::tokio::sync::Notify;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

use super::last_seen::LastSeen;
use super::logins::LoginPlace;
use super::tickets::Tickets;
use crate::error::Result;
use crate::ids::{SessionId, UserId};
use crate::live::{forget_soon, Engine, Forget};
use crate::util::{random_token, unix_now};

pub const COOKIE: &str = "session";

/// The logged-in user behind a session.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SessionUser {
    pub session_id: SessionId,
    /// The SHA-256 of the session's token: what stream tickets are bound to.
    #[serde(skip)]
    pub token_hash: Vec<u8>,
    pub user_id: UserId,
    pub username: String,
    #[sqlx(try_from = "crate::db::Flag")]
    pub is_admin: bool,
    /// When the session ends (Unix seconds).
    pub expires_at: i64,
}

pub(super) type TokenHash = [u8; 32];

/// Session lookups, cached for a short while so that a page view does not
/// query the database for its session. Revoking through this type removes
/// the cached entry too.
#[derive(Clone)]
pub struct Sessions {
    pub(super) cache: Cache<TokenHash, SessionUser>,
    /// Bumped whenever cached sessions are forgotten, so a lookup that read
    /// the database before that does not put its stale answer back.
    pub(super) generation: Arc<AtomicU64>,
    lifetime_days: u64,
    /// Logins an account may have at once; a new one ends the oldest.
    per_account: u64,
    secure: bool,
    tickets: Tickets,
    /// Signalled whenever logins end here, so that their open streams are
    /// closed at once rather than at the next periodic check.
    pub(super) ended: Arc<Notify>,
    /// When logins were last used, not yet written.
    pub(super) seen: LastSeen,
    /// The engine that tells other nodes what ended here.
    pub(super) live: Engine,
}

/// How a store of sessions is set up.
pub struct SessionSettings {
    pub lifetime_days: u64,
    pub per_account: u64,
    pub secure: bool,
}

impl Sessions {
    pub fn new(settings: SessionSettings, tickets: Tickets, live: Engine) -> Sessions {
        Sessions {
            cache: Cache::builder()
                .max_capacity(100_000)
                .time_to_live(Duration::from_secs(60))
                .support_invalidation_closures()
                .build(),
            generation: Arc::new(AtomicU64::new(0)),
            lifetime_days: settings.lifetime_days,
            per_account: settings.per_account,
            secure: settings.secure,
            tickets,
            ended: Arc::default(),
            seen: LastSeen::default(),
            live,
        }
    }

    /// The stream tickets that go with these sessions.
    pub fn tickets(&self) -> &Tickets {
        &self.tickets
    }

    /// Whether cookies are marked `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.secure
    }

    /// Starts a session for `user_id`, made from `place`, and puts its
    /// token, and a stream ticket for it, in the cookie jar.
    pub async fn start(
        &self,
        db: &AnyPool,
        jar: &CookieJar<'_>,
        user_id: UserId,
        place: &LoginPlace,
    ) -> Result<()> {
        let token = random_token();
        let hash = token_hash(&token);
        let now = unix_now();
        let expires_at = now + self.lifetime_days as i64 * 86_400;
        // Expired sessions are useless; drop this user's on each login.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2")
            .bind(user_id)
            .bind(now)
            .execute(db)
            .await?;
        // Every row is fetched: a statement read only up to its first row can
        // keep its write uncommitted (SQLite) until the connection is used again.
        let session: Vec<i64> = sqlx::query_scalar(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, user_agent, address)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&hash[..])
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .bind(&place.user_agent)
        .bind(place.address.map(|a| a.to_string()))
        .fetch_all(db)
        .await?;
        let session = session.into_iter().next().ok_or(sqlx::Error::RowNotFound)?;
        // Beyond the allowance, the oldest logins of this account end.
        let capped = sqlx::query(
            "DELETE FROM sessions WHERE user_id = $1 AND id NOT IN
                (SELECT id FROM sessions WHERE user_id = $2 ORDER BY id DESC LIMIT $3)",
        )
        .bind(user_id)
        .bind(user_id)
        .bind(self.per_account as i64)
        .execute(db)
        .await?;
        if capped.rows_affected() > 0 {
            self.forget_user(user_id);
            self.ended.notify_one();
        }
        jar.add_private(
            Cookie::build((COOKIE, token))
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(self.secure)
                .max_age(time::Duration::days(self.lifetime_days as i64)),
        );
        (self.tickets).give(jar, SessionId(session), expires_at, &hash, self.secure);
        Ok(())
    }

    /// The user whose session token is in the cookie jar, if it is still valid.
    pub async fn current(&self, db: &AnyPool, jar: &CookieJar<'_>) -> Result<Option<SessionUser>> {
        match jar.get_private(COOKIE) {
            Some(cookie) => self.by_token(db, cookie.value()).await,
            None => Ok(None),
        }
    }

    /// The user whose session `token` is, if it is still valid.
    pub async fn by_token(&self, db: &AnyPool, token: &str) -> Result<Option<SessionUser>> {
        let hash = token_hash(token);
        let now = unix_now();
        if let Some(user) = self.cache.get(&hash) {
            return Ok((user.expires_at > now).then_some(user));
        }
        let generation = self.generation.load(Ordering::Acquire);
        let user: Option<SessionUser> =
            sqlx::query_as(&format!("{SESSION_USER} sessions.token_hash = $2"))
                .bind(now)
                .bind(&hash[..])
                .fetch_optional(db)
                .await?;
        if let Some(user) = &user {
            self.seen.note(user.session_id);
            self.cache.insert(hash, user.clone());
            // Forgotten meanwhile: what was read may be stale already.
            if self.generation.load(Ordering::Acquire) != generation {
                self.cache.invalidate(&hash);
            }
        }
        Ok(user)
    }

    /// The user of session `id`, if it is still valid: for the live
    /// listener, which knows the session from its stream ticket.
    pub async fn by_id(&self, db: &AnyPool, id: SessionId) -> Result<Option<SessionUser>> {
        Ok(sqlx::query_as(&format!("{SESSION_USER} sessions.id = $2"))
            .bind(unix_now())
            .bind(id)
            .fetch_optional(db)
            .await?)
    }

    /// Ends the session in the cookie jar, if any, and removes the cookie.
    pub async fn end(&self, db: &AnyPool, jar: &CookieJar<'_>) -> Result<()> {
        if let Some(cookie) = jar.get_private(COOKIE) {
            let hash = token_hash(cookie.value());
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(&hash[..])
                .execute(db)
                .await?;
            self.cache.invalidate(&hash);
            self.ended.notify_one();
            let login = Forget::Login {
                hash: hex::encode(hash),
            };
            self.live.forget(login).await;
        }
        jar.remove_private(Cookie::build(COOKIE).path("/"));
        Tickets::take_back(jar);
        Ok(())
    }
}

impl Sessions {
    /// Forgets what is cached about `user_id`'s sessions, so the next request
    /// reads them afresh: after their rights changed or they were disabled.
    pub fn forget_user(&self, user_id: UserId) {
        self.forget_where(move |session| session.user_id == user_id);
        forget_soon(&self.live, Forget::User { user: user_id });
    }

    /// Ends every session of `user_id`, on every device.
    pub async fn end_all(&self, db: &AnyPool, user_id: UserId) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(db)
            .await?;
        self.forget_user(user_id);
        self.ended.notify_one();
        Ok(())
    }

    /// Waits until logins end in this process (a logout, a disabled
    /// account, a login over the account's allowance).
    pub async fn some_ended(&self) {
        self.ended.notified().await;
    }

    /// Which of `ids` are still valid logins: not ended, not expired, of an
    /// account that is not disabled.
    pub async fn still_valid(&self, db: &AnyPool, ids: &[SessionId]) -> Result<HashSet<SessionId>> {
        let mut valid = HashSet::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let marks = (2..chunk.len() + 2)
                .map(|n| format!("${n}"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "SELECT sessions.id FROM sessions JOIN users ON users.id = sessions.user_id
                 WHERE sessions.expires_at > $1 AND users.disabled_at IS NULL
                   AND sessions.id IN ({marks})"
            );
            let mut query = sqlx::query_scalar::<_, SessionId>(&sql).bind(unix_now());
            for id in chunk {
                query = query.bind(*id);
            }
            valid.extend(query.fetch_all(db).await?);
        }
        Ok(valid)
    }
}

/// A valid session and its user; the caller adds the session's condition
/// and binds the current time first.
const SESSION_USER: &str = "SELECT sessions.id AS session_id, sessions.token_hash,
        users.id AS user_id, users.username, users.is_admin, sessions.expires_at
     FROM sessions JOIN users ON users.id = sessions.user_id
     WHERE sessions.expires_at > $1 AND users.disabled_at IS NULL AND";

fn token_hash(token: &str) -> TokenHash {
    Sha256::digest(token.as_bytes()).into()
}
