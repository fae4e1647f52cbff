//! API tokens, for scripts and tools that post or query actions for any
//! reader. An admin creates one in the admin area and sees it once; Folio
//! keeps only its SHA-256, so a leaked database leaks no token. Revoking
//! takes effect on the next request.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use moka::sync::Cache;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

use crate::error::Result;
use crate::ids::{TokenId, UserId};
use crate::live::{on_forget, Engine, Forget};
use crate::util::{random_token, unix_now};

/// What every token starts with, so one is easy to recognise in a log or
/// a secret scanner.
const PREFIX: &str = "folio_";

type TokenHash = [u8; 32];

/// Token lookups, cached briefly; revoking forgets the cached entry.
#[derive(Clone)]
pub struct ApiTokens {
    valid: Cache<TokenHash, TokenId>,
    /// Bumped by every revocation, so a lookup that read the database
    /// before it does not cache a token that is now revoked.
    generation: Arc<AtomicU64>,
}

impl Default for ApiTokens {
    fn default() -> Self {
        ApiTokens::new()
    }
}

/// A token as the admin area lists it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TokenLine {
    pub id: TokenId,
    pub name: String,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl ApiTokens {
    pub fn new() -> ApiTokens {
        ApiTokens {
            // Also how stale `last_used_at` may be.
            valid: Cache::builder()
                .max_capacity(10_000)
                .time_to_live(Duration::from_secs(60))
                .build(),
            generation: Arc::default(),
        }
    }

    /// The id of the live token `token`, if it is one.
    pub async fn check(&self, db: &AnyPool, token: &str) -> Result<Option<TokenId>> {
        if !token.starts_with(PREFIX) {
            return Ok(None);
        }
        let hash: TokenHash = Sha256::digest(token.as_bytes()).into();
        if let Some(id) = self.valid.get(&hash) {
            return Ok(Some(id));
        }
        let generation = self.generation.load(Ordering::Acquire);
        // Read first: a wrong token must not cost a write.
        let id: Option<TokenId> = sqlx::query_scalar(
            "SELECT id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(&hash[..])
        .fetch_optional(db)
        .await?;
        let Some(id) = id else { return Ok(None) };
        // Once per cache lifetime at most.
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(unix_now())
            .bind(id)
            .execute(db)
            .await?;
        self.valid.insert(hash, id);
        // A revocation meanwhile must not leave it cached.
        if self.generation.load(Ordering::Acquire) != generation {
            self.valid.invalidate(&hash);
            return self.still_live(db, id).await;
        }
        Ok(Some(id))
    }

    async fn still_live(&self, db: &AnyPool, id: TokenId) -> Result<Option<TokenId>> {
        Ok(
            sqlx::query_scalar("SELECT id FROM api_tokens WHERE id = $1 AND revoked_at IS NULL")
                .bind(id)
                .fetch_optional(db)
                .await?,
        )
    }

    /// Creates a token named `name`; returns it, the only time it is seen.
    pub async fn create(&self, db: &AnyPool, name: &str, admin: UserId) -> Result<String> {
        let token = format!("{PREFIX}{}", random_token());
        let hash: TokenHash = Sha256::digest(token.as_bytes()).into();
        sqlx::query(
            "INSERT INTO api_tokens (name, token_hash, created_by, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(name)
        .bind(&hash[..])
        .bind(admin)
        .bind(unix_now())
        .execute(db)
        .await?;
        Ok(token)
    }

    /// Revokes token `id`; false if there is no such live token.
    pub async fn revoke(&self, db: &AnyPool, live: &Engine, id: TokenId) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(unix_now())
        .bind(id)
        .execute(db)
        .await?;
        // Few tokens are cached; forgetting all is simplest and certain.
        self.forget_all();
        live.forget(Forget::Tokens).await;
        Ok(done.rows_affected() == 1)
    }

    /// Forgets every cached token, so the next use of each reads its row.
    pub fn forget_all(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.valid.invalidate_all();
    }

    /// Forgets the cached tokens whenever another node revoked one.
    pub fn hear_other_nodes(&self, live: &Engine) {
        let tokens = self.clone();
        on_forget(live, move |what| {
            if matches!(what, Forget::Tokens | Forget::Everything) {
                tokens.forget_all();
            }
        });
    }

    /// Every token, live ones first, newest first.
    pub async fn all(&self, db: &AnyPool) -> Result<Vec<TokenLine>> {
        Ok(sqlx::query_as(
            "SELECT t.id, t.name, u.username AS created_by, t.created_at, t.last_used_at, t.revoked_at
             FROM api_tokens AS t LEFT JOIN users AS u ON u.id = t.created_by
             ORDER BY t.revoked_at IS NOT NULL, t.id DESC",
        )
        .fetch_all(db)
        .await?)
    }
}
