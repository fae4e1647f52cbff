//! `folio admin create <username>`, `folio admin promote <username>` and
//! `folio admin reset-link <username>`: run against the configured
//! database without starting the server. The password comes from a prompt
//! on a terminal, or from standard input when it is not one; never from an
//! argument, which other users could see.

use std::io::{BufRead, IsTerminal};

use crate::accounts::reset_links;
use crate::auth::users;
use crate::config::{self, Settings};
use crate::db;
use crate::error::{Error, Result};

/// Creates an admin named `username`.
pub async fn create(username: &str) -> Result<String> {
    let password = read_password()?;
    let pool = db::open_for_command(&config::figment()).await?;
    let created = super::accounts::create(&pool, username, password).await;
    pool.close().await;
    created.map_err(for_the_command_line)?;
    Ok(format!("Created the admin {}.", username.trim()))
}

/// Makes the existing user `username` an admin.
pub async fn promote(username: &str) -> Result<String> {
    let pool = db::open_for_command(&config::figment()).await?;
    let promoted = super::accounts::promote(&pool, username).await;
    pool.close().await;
    promoted.map_err(for_the_command_line)?;
    Ok(format!("{} is now an admin.", username.trim()))
}

/// Issues a password-reset link for the user `username`, as an admin can
/// on the users page: for an account nobody can log in to any more.
pub async fn reset_link(username: &str) -> Result<String> {
    let figment = config::figment();
    let hours = Settings::from_figment(&figment)?.reset_link_hours;
    let pool = db::open_for_command(&figment).await?;
    let issued = match users::credentials(&pool, username.trim()).await {
        Ok(Some((user, _))) => reset_links::issue(&pool, user, None, hours).await,
        Ok(None) => Ok(None),
        Err(e) => Err(e),
    };
    pool.close().await;
    let Some(issued) = issued? else {
        return Err(Error::BadRequest(format!(
            "There is no user named {}.",
            username.trim()
        )));
    };
    Ok(format!(
        "A password-reset link for {}, usable once within {hours} hours (earlier links for the \
         account no longer work). Add it to this site's address and pass it on:\n{}",
        issued.username,
        reset_links::path(&issued.token)
    ))
}

/// A refusal as the user should read it; a failure with its cause.
fn for_the_command_line(error: Error) -> Error {
    match error {
        Error::Database(_) | Error::Internal { .. } | Error::Config(_) => error,
        refused => Error::BadRequest(refused.public_message()),
    }
}

/// The password: typed twice at a prompt that does not echo it, or the
/// first line of standard input.
fn read_password() -> Result<String> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| Error::internal_from("cannot read the password", e))?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    let prompt = |text: &str| {
        rpassword::prompt_password(text)
            .map_err(|e| Error::internal_from("cannot read the password", e))
    };
    let first = prompt("Password: ")?;
    let second = prompt("Password again: ")?;
    if first != second {
        return Err(Error::BadRequest("The two passwords differ.".into()));
    }
    Ok(first)
}
