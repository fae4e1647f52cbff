//! The SQL of user management. Changes that could leave Folio without an
//! active admin are refused inside the statement itself, so two admins
//! acting at once cannot both step down.

use serde::Serialize;
use sqlx::AnyPool;

use crate::db::lock_for_writing;
use crate::error::Result;
use crate::ids::UserId;
use crate::util::unix_now;

/// Users per page of the list.
pub const PAGE: i64 = 50;

/// A line of the user list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct UserLine {
    pub id: i64,
    pub username: String,
    #[sqlx(try_from = "crate::db::Flag")]
    pub is_admin: bool,
    #[sqlx(try_from = "crate::db::Flag")]
    pub disabled: bool,
    pub created_at: i64,
    pub reads: i64,
}

/// A page of users whose names start with `prefix`, in name order, after
/// the name `after`; one more than a page, to tell whether another follows.
pub async fn page(db: &AnyPool, prefix: &str, after: &str) -> Result<Vec<UserLine>> {
    let pattern = format!("{}%", like_escape(prefix));
    Ok(sqlx::query_as(
        "SELECT id, username, is_admin, CAST(disabled_at IS NOT NULL AS INTEGER) AS disabled, created_at,
                (SELECT COUNT(*) FROM reads WHERE reads.user_id = users.id) AS reads
         FROM users WHERE lower(username) LIKE lower($1) ESCAPE '\\' AND lower(username) > lower($2)
         ORDER BY lower(username) LIMIT $3",
    )
    .bind(pattern)
    .bind(after)
    .bind(PAGE + 1)
    .fetch_all(db)
    .await?)
}

fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The outcome of a change to a user.
#[derive(Debug, PartialEq, Eq)]
pub enum Changed {
    /// Done to the user of this name.
    Done(String),
    NoSuchUser,
    /// It would leave no active admin.
    LastAdmin,
}

/// What an admin can do to a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Promote,
    Demote,
    Disable,
    Enable,
}

/// The name of user `id`, if there is one.
pub async fn username(db: &AnyPool, id: UserId) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT username FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await?,
    )
}

/// Applies `change` to user `id`, unless it would leave no active admin.
pub async fn apply(db: &AnyPool, id: UserId, change: Change) -> Result<Changed> {
    // Demoting or disabling an active admin needs another active admin.
    let other_admin = "EXISTS (SELECT 1 FROM users AS o
        WHERE o.is_admin = 1 AND o.disabled_at IS NULL AND o.id != users.id)
        OR NOT (users.is_admin = 1 AND users.disabled_at IS NULL)";
    let sql = match change {
        Change::Promote => "UPDATE users SET is_admin = 1 WHERE id = $1".to_string(),
        Change::Enable => "UPDATE users SET disabled_at = NULL WHERE id = $1".to_string(),
        Change::Demote => format!("UPDATE users SET is_admin = 0 WHERE id = $1 AND ({other_admin})"),
        Change::Disable => format!(
            "UPDATE users SET disabled_at = COALESCE(disabled_at, {}) WHERE id = $1 AND ({other_admin})",
            unix_now()
        ),
    };
    // Changes to admins take turns: on PostgreSQL two admins demoting each
    // other at once would otherwise each see the other still active.
    let mut tx = db.begin().await?;
    lock_for_writing(&mut tx).await?;
    // Every row is fetched: a statement left unfinished keeps its change
    // uncommitted.
    let updated: Vec<String> = sqlx::query_scalar(&format!("{sql} RETURNING username"))
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
    if let Some(username) = updated.into_iter().next() {
        tx.commit().await?;
        return Ok(Changed::Done(username));
    }
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    Ok(if exists.is_some() {
        Changed::LastAdmin
    } else {
        Changed::NoSuchUser
    })
}
