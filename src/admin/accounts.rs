//! Making admins outside the web pages: `folio admin create`, `folio admin
//! promote`, and the first admin of a container from its environment.

use sqlx::AnyPool;

use crate::auth::{users, Passwords};
use crate::error::{Error, Result};
use crate::ids::UserId;

/// Whether any active admin exists.
pub async fn has_active_admin(db: &AnyPool) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM users WHERE is_admin = 1 AND disabled_at IS NULL LIMIT 1",
    )
    .fetch_optional(db)
    .await?;
    Ok(found.is_some())
}

/// Creates an admin account. Err: what is wrong with the name or the
/// password, or that the name is taken.
pub async fn create(db: &AnyPool, username: &str, password: String) -> Result<UserId> {
    let username = username.trim();
    if let Some(problem) =
        users::username_problem(username).or_else(|| users::password_problem(&password, username))
    {
        return Err(Error::BadRequest(problem));
    }
    let passwords = Passwords::new().await?;
    if let Some(weakness) = passwords.weakness(&password, username).await? {
        return Err(Error::BadRequest(weakness));
    }
    let hash = passwords.hash(password).await?;
    let id = users::insert(db, username, &hash, true).await?;
    let id = id.ok_or_else(|| Error::Conflict(format!("The username {username} is taken.")))?;
    Ok(id)
}

/// Makes an existing user an admin (and enables them if disabled).
pub async fn promote(db: &AnyPool, username: &str) -> Result<()> {
    let updated = sqlx::query(
        "UPDATE users SET is_admin = 1, disabled_at = NULL WHERE lower(username) = lower($1)",
    )
    .bind(username.trim())
    .execute(db)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(Error::BadRequest(format!(
            "There is no user named {username}."
        )));
    }
    Ok(())
}

/// The first admin from FOLIO_ADMIN_USERNAME and FOLIO_ADMIN_PASSWORD (in
/// the figment as `first_admin_username` and `first_admin_password`), on a
/// start where no active admin exists; ignored once one does.
pub async fn first_admin(db: &AnyPool, username: String, password: String) -> Result<()> {
    if username.trim().is_empty() && password.is_empty() {
        return Ok(());
    }
    if has_active_admin(db).await? {
        rocket::info!("an admin exists; FOLIO_ADMIN_USERNAME and FOLIO_ADMIN_PASSWORD are ignored");
        return Ok(());
    }
    if username.trim().is_empty() || password.is_empty() {
        return Err(Error::Config(
            "FOLIO_ADMIN_USERNAME and FOLIO_ADMIN_PASSWORD must be set together".into(),
        ));
    }
    match create(db, &username, password).await {
        Ok(_) => {
            rocket::info!("created the first admin, {}", username.trim());
            Ok(())
        }
        Err(e) => Err(Error::Config(format!(
            "cannot create the first admin from FOLIO_ADMIN_USERNAME and FOLIO_ADMIN_PASSWORD: {}",
            e.public_message()
        ))),
    }
}
