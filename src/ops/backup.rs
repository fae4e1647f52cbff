//! `folio backup PATH`: a consistent copy of the database, taken while Folio
//! serves. SQLite's `VACUUM INTO` copies one read snapshot — the database as
//! of the moment the copy began — without stopping writers. A PostgreSQL
//! database is backed up with PostgreSQL's own tools, and this says so.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rocket::figment::Figment;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::Connection;

use crate::config;
use crate::error::{Error, Result};

/// Copies the configured database to `target`, which must not exist yet.
/// The copy is written next to it under a temporary name and given its name
/// when complete and checked, so `target` is either whole or absent.
pub async fn run(figment: Figment, target: &Path) -> Result<String> {
    let started = Instant::now();
    let figment = config::with_database_default(figment);
    config::check_database_url(&figment)?;
    let url = config::database_url(&figment)?;
    if crate::db::Backend::of_url(&url) == crate::db::Backend::Postgres {
        return Err(Error::BadRequest(
            "this Folio keeps its data in PostgreSQL: back it up with PostgreSQL's own tools, \
             such as `pg_dump --format=custom --file=folio.dump <database URL>` (restore with \
             `pg_restore`), or the continuous archiving your PostgreSQL host offers"
                .into(),
        ));
    }
    if target.exists() {
        return Err(Error::Conflict(format!(
            "{} already exists: choose a new file name (backups never overwrite)",
            target.display()
        )));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::internal_from(format!("cannot create the directory {}", dir.display()), e)
        })?;
    }
    let partial = partial_name(target);
    let copied = copy(&url, &partial).await;
    let checked = match copied {
        Ok(()) => check(&partial).await,
        Err(e) => Err(e),
    };
    // A hard link, unlike a rename, fails if the target appeared meanwhile.
    let linked = checked.and_then(|()| {
        std::fs::hard_link(&partial, target).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::Conflict(format!(
                "{} appeared while the copy was made; the copy is not kept",
                target.display()
            )),
            _ => Error::internal_from(format!("cannot name the copy {}", target.display()), e),
        })
    });
    let _ = std::fs::remove_file(&partial);
    if let Err(e) = linked {
        return Err(Error::internal(format!("backup failed: {e}")));
    }
    sync_directory(target);
    let size = std::fs::metadata(target).map(|m| m.len()).unwrap_or(0);
    Ok(format!(
        "backed up {url} to {} ({size} bytes in {:.1} s)",
        target.display(),
        started.elapsed().as_secs_f64()
    ))
}

/// `folio.db` → `.folio.db.<pid>.partial`, in the same directory (so the
/// final link stays on one file system); two backups never share one.
fn partial_name(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "backup".into());
    target.with_file_name(format!(".{name}.{}.partial", std::process::id()))
}

async fn copy(url: &str, partial: &Path) -> Result<()> {
    let options = crate::db::sqlite_options(url)
        .map_err(|e| Error::Config(format!("bad database URL {url}: {e}")))?
        .create_if_missing(false);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|e| Error::internal_from(format!("cannot open the database {url}"), e))?;
    // A leftover from a backup (of this pid) killed part-way.
    let _ = std::fs::remove_file(partial);
    let text = partial
        .to_str()
        .ok_or_else(|| Error::BadRequest(format!("{} is not valid UTF-8", partial.display())))?;
    let copied = sqlx::query("VACUUM INTO $1")
        .bind(text)
        .execute(&pool)
        .await;
    pool.close().await;
    copied
        .map(|_| ())
        .map_err(|e| Error::internal_from(format!("copying into {} failed", partial.display()), e))
}

/// Opens the copy, checks it, and makes sure it is on disk.
async fn check(partial: &Path) -> Result<()> {
    let mut conn = sqlx::SqliteConnection::connect_with(
        &SqliteConnectOptions::new()
            .filename(partial)
            .create_if_missing(false),
    )
    .await
    .map_err(|e| Error::internal_from("cannot open the copy", e))?;
    let verdict: String = sqlx::query_scalar("PRAGMA quick_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| Error::internal_from("cannot check the copy", e))?;
    let _ = conn.close().await;
    if verdict != "ok" {
        return Err(Error::internal(format!("the copy is damaged: {verdict}")));
    }
    std::fs::File::open(partial)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::internal_from("cannot sync the copy to disk", e))
}

/// Makes the rename durable too.
fn sync_directory(target: &Path) {
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if let Ok(dir) = std::fs::File::open(dir) {
        let _ = dir.sync_all();
    }
}
