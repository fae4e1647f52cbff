//! Accounts: the rules for usernames and passwords, and the queries on `users`.

use sqlx::AnyPool;

use crate::db::{Backend, Flag};
use crate::error::Result;
use crate::ids::UserId;
use crate::util::unix_now;

pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 32;
pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_BYTES: usize = 1024;

/// Why a username is refused, in words for the form.
pub fn username_problem(username: &str) -> Option<String> {
    let length = username.chars().count();
    if !(USERNAME_MIN..=USERNAME_MAX).contains(&length) {
        return Some(format!(
            "A username has {USERNAME_MIN} to {USERNAME_MAX} characters."
        ));
    }
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Some("A username may only use letters, digits, '_' and '-'.".into());
    }
    None
}

/// Why a password for the account `username` is refused, by the rules
/// that cost nothing to check, in words for the form. (How easy it is to
/// guess is [`super::Passwords::weakness`].)
pub fn password_problem(password: &str, username: &str) -> Option<String> {
    if password.chars().count() < PASSWORD_MIN_CHARS {
        return Some(format!(
            "A password needs at least {PASSWORD_MIN_CHARS} characters."
        ));
    }
    if password.len() > PASSWORD_MAX_BYTES {
        return Some(format!(
            "A password may be at most {PASSWORD_MAX_BYTES} bytes long."
        ));
    }
    if password.trim().eq_ignore_ascii_case(username.trim()) {
        return Some("The password must not be the username.".into());
    }
    None
}

/// Creates a reader; `None` when the username is taken (in any case).
pub async fn create(db: &AnyPool, username: &str, password_hash: &str) -> Result<Option<UserId>> {
    insert(db, username, password_hash, false).await
}

/// Inserts an account; `None` when the username is taken (in any case).
/// Every row is fetched: a statement read only up to its first row can
/// keep its write uncommitted until the connection is used again.
pub async fn insert(
    db: &AnyPool,
    username: &str,
    password_hash: &str,
    is_admin: bool,
) -> Result<Option<UserId>> {
    // ON CONFLICT DO NOTHING: a taken name is an answer for the form, not an error.
    let ids: Vec<UserId> = sqlx::query_scalar(
        "INSERT INTO users (username, password_hash, is_admin, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(username)
    .bind(password_hash)
    .bind(i64::from(is_admin))
    .bind(unix_now())
    .fetch_all(db)
    .await?;
    Ok(ids.into_iter().next())
}

/// The id and password hash of the user with this name, in any case.
pub async fn credentials(db: &AnyPool, username: &str) -> Result<Option<(UserId, String)>> {
    // SQLite's column compares without case; PostgreSQL's index is on lower().
    let sql = Backend::of(db).pick(
        "SELECT id, password_hash FROM users WHERE username = $1",
        "SELECT id, password_hash FROM users WHERE lower(username) = lower($1)",
    );
    Ok(sqlx::query_as(sql)
        .bind(username)
        .fetch_optional(db)
        .await?)
}

/// What an account may do.
pub struct Standing {
    /// Disabled by an admin (or gone).
    pub disabled: bool,
    pub admin: bool,
}

/// The standing of account `user_id`; an account that is gone is disabled.
pub async fn standing(db: &AnyPool, user_id: UserId) -> Result<Standing> {
    let row: Option<(Flag, Flag)> = sqlx::query_as(
        "SELECT CAST(disabled_at IS NOT NULL AS INTEGER), is_admin FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    let (disabled, admin) = row.map_or((true, false), |(d, a)| (d.0, a.0));
    Ok(Standing { disabled, admin })
}

/// Whether the account has been disabled by an admin.
pub async fn is_disabled(db: &AnyPool, user_id: UserId) -> Result<bool> {
    Ok(standing(db, user_id).await?.disabled)
}

/// The password hash of account `user_id`, if it exists.
pub async fn password_hash(db: &AnyPool, user_id: UserId) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(db)
            .await?,
    )
}

/// Gives account `user_id` a new password hash; `false` when it does not exist.
pub async fn set_password(db: &AnyPool, user_id: UserId, password_hash: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}
