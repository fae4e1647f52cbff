//! `folio admin create <username>` and `folio admin promote <username>`:
//! run against the configured database without starting the server. The
//! password comes from a prompt on a terminal, or from standard input when
//! it is not one; never from an argument, which other users could see.

use std::io::{BufRead, IsTerminal, Write};

use sqlx::sqlite::SqlitePoolOptions;
use sqlx::SqlitePool;

use crate::config::{self, Settings};
use crate::db;

/// Opens the configured database and applies the migrations.
async fn open() -> Result<SqlitePool, String> {
    let figment = config::with_database_default(config::figment());
    let settings = Settings::from_figment(&figment)?;
    let url: String = figment
        .extract_inner("databases.folio.url")
        .unwrap_or_else(|_| settings.default_database_url());
    db::ensure_data_dir(&url).map_err(|e| format!("cannot create the directory for {url}: {e}"))?;
    let options = db::connect_options(&url).map_err(|e| format!("bad database URL {url}: {e}"))?;
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|e| format!("cannot open the database {url}: {e}"))?;
    db::MIGRATOR
        .run(&pool)
        .await
        .map_err(|e| format!("cannot migrate the database {url}: {e}"))?;
    Ok(pool)
}

/// Creates an admin named `username`.
pub async fn create(username: &str) -> Result<String, String> {
    let password = read_password()?;
    let pool = open().await?;
    super::accounts::create(&pool, username, password)
        .await
        .map_err(|e| e.public_message())?;
    pool.close().await;
    Ok(format!("Created the admin {}.", username.trim()))
}

/// Makes the existing user `username` an admin.
pub async fn promote(username: &str) -> Result<String, String> {
    let pool = open().await?;
    super::accounts::promote(&pool, username)
        .await
        .map_err(|e| e.public_message())?;
    pool.close().await;
    Ok(format!("{} is now an admin.", username.trim()))
}

/// The password: typed twice at a prompt that does not echo it, or the
/// first line of standard input.
fn read_password() -> Result<String, String> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the password: {e}"))?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    let first = prompt("Password: ")?;
    let second = prompt("Password again: ")?;
    if first != second {
        return Err("The two passwords differ.".into());
    }
    Ok(first)
}

/// Reads a line from the terminal with echo turned off.
fn prompt(text: &str) -> Result<String, String> {
    eprint!("{text}");
    let _ = std::io::stderr().flush();
    let echo = NoEcho::start();
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line);
    drop(echo);
    eprintln!();
    read.map_err(|e| format!("cannot read the password: {e}"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Terminal echo off while alive.
struct NoEcho(Option<libc::termios>);

impl NoEcho {
    fn start() -> NoEcho {
        // SAFETY: tcgetattr/tcsetattr on stdin with a zeroed, then filled,
        // termios struct; failures leave echo on.
        unsafe {
            let mut term: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(libc::STDIN_FILENO, &mut term) != 0 {
                return NoEcho(None);
            }
            let saved = term;
            term.c_lflag &= !libc::ECHO;
            term.c_lflag |= libc::ECHONL;
            if libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &term) != 0 {
                return NoEcho(None);
            }
            NoEcho(Some(saved))
        }
    }
}

impl Drop for NoEcho {
    fn drop(&mut self) {
        if let Some(saved) = self.0 {
            // SAFETY: restores the settings read in `start`.
            unsafe {
                libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &saved);
            }
        }
    }
}
