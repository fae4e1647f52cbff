//! One-time password-reset links, which an admin issues for a reader who
//! is locked out and passes on by hand (Folio sends no mail). The link
//! holds a random token; the database holds its SHA-256, when it expires,
//! and whether it was used. Issuing a new link for an account ends the
//! ones issued before.

use sha2::{Digest, Sha256};
use sqlx::AnyPool;

use crate::error::Result;
use crate::ids::UserId;
use crate::util::{random_token, unix_now};

/// How long the rows of links that ended are kept (to say "used" or
/// "expired" rather than "unknown" to whoever follows one late).
const KEPT_AFTER_END: i64 = 30 * 86_400;

/// A link just issued: its token, shown this once, when it expires, and
/// whose password it resets.
pub struct IssuedLink {
    pub token: String,
    pub expires_at: i64,
    pub username: String,
}

/// Where the link with a token stands.
#[derive(Debug, PartialEq, Eq)]
pub enum LinkState {
    /// It may be used, to set `username`'s password.
    Valid {
        user_id: UserId,
        username: String,
    },
    Used,
    /// It expired, or a newer link for the account replaced it.
    Expired,
    /// No link has this token (or it ended long ago).
    Unknown,
}

/// The page path of the link with `token`.
pub fn path(token: &str) -> String {
    format!("/reset/{token}")
}

/// Issues a link for `user_id`, valid for `hours`, by the admin `by`
/// (none from the command line); `None` when there is no such account.
pub async fn issue(
    db: &AnyPool,
    user_id: UserId,
    by: Option<UserId>,
    hours: u64,
) -> Result<Option<IssuedLink>> {
    let now = unix_now();
    let token = random_token();
    let expires_at = now + hours as i64 * 3_600;
    let mut tx = db.begin().await?;
    let username: Option<String> = sqlx::query_scalar("SELECT username FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(username) = username else {
        return Ok(None);
    };
    sqlx::query("DELETE FROM password_resets WHERE expires_at < $1")
        .bind(now - KEPT_AFTER_END)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE password_resets SET expires_at = $1
         WHERE user_id = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(now)
    .bind(user_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO password_resets (token_hash, user_id, created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&token_hash(&token)[..])
    .bind(user_id)
    .bind(by)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(IssuedLink {
        token,
        expires_at,
        username,
    }))
}

/// Where the link with `token` stands.
pub async fn state(db: &AnyPool, token: &str) -> Result<LinkState> {
    if !is_token_shaped(token) {
        return Ok(LinkState::Unknown);
    }
    let row: Option<(UserId, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT users.id, users.username, password_resets.expires_at, password_resets.used_at
         FROM password_resets JOIN users ON users.id = password_resets.user_id
         WHERE password_resets.token_hash = $1",
    )
    .bind(&token_hash(token)[..])
    .fetch_optional(db)
    .await?;
    Ok(match row {
        None => LinkState::Unknown,
        Some((_, _, _, Some(_))) => LinkState::Used,
        Some((_, _, expires_at, None)) if expires_at <= unix_now() => LinkState::Expired,
        Some((user_id, username, _, None)) => LinkState::Valid { user_id, username },
    })
}

/// Uses the link with `token` to give its account the password hash
/// `password_hash`, in one transaction; the account, or `None` when the
/// link was used, expired or unknown by then.
pub async fn redeem(db: &AnyPool, token: &str, password_hash: &str) -> Result<Option<UserId>> {
    let hash = token_hash(token);
    let now = unix_now();
    let mut tx = db.begin().await?;
    // Marked used first: the write lock is taken before anything is read,
    // and of two uses at once only one finds it unused.
    let used = sqlx::query(
        "UPDATE password_resets SET used_at = $1
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(now)
    .bind(&hash[..])
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if used.rows_affected() != 1 {
        return Ok(None);
    }
    let user_id: UserId =
        sqlx::query_scalar("SELECT user_id FROM password_resets WHERE token_hash = $1")
            .bind(&hash[..])
            .fetch_one(&mut *tx)
            .await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some(user_id))
}

/// Tokens are 64 hexadecimal digits; anything else is not looked up.
fn is_token_shaped(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}
