//! `folio migrate-data --to postgres://…`: moves a SQLite site's data into
//! an empty PostgreSQL database, for a site outgrowing one machine.
//!
//! The target gets Folio's PostgreSQL migrations first, and must then hold
//! no rows at all. Everything is copied in one PostgreSQL transaction, from
//! one read snapshot of the SQLite file, table by table in batches, with
//! the target's triggers off (the counters and rollups are copied, not
//! counted again). Before the commit every table's row count and every
//! story's read counter are checked against the source; a run that is
//! stopped or fails leaves the target empty, so it can simply be run again.

use std::collections::BTreeMap;
use std::time::Instant;

use rocket::figment::Figment;
use sqlx::{AnyConnection, AnyPool};

use copy::{copy_table, restart_identities};

use crate::db::{self, Backend};
use crate::error::{Error, Result};

mod copy;

/// Folio's tables, each after those it refers to.
const TABLES: &[&str] = &[
    "users",
    "sessions",
    "images",
    "stories",
    "reads",
    "meta",
    "story_days",
    "site_days",
    "story_weeks",
    "visitors",
    "visitor_salts",
    "follows",
    "story_updates",
    "notifications",
    "actions",
    "read_completions",
    "read_halfways",
    "api_tokens",
    "password_resets",
    "story_old_slugs",
    "story_revisions",
    "source_days",
    "source_weeks",
    "device_days",
];

/// Copies the configured SQLite database into the PostgreSQL database at
/// `to`; what was moved, or why nothing was.
pub async fn run(figment: Figment, to: &str) -> Result<String> {
    let started = Instant::now();
    if Backend::of_url(to) != Backend::Postgres {
        return Err(Error::BadRequest(format!(
            "--to must be a PostgreSQL URL such as postgres://folio@db/folio, not {to}"
        )));
    }
    let source = db::open_for_command(&figment).await?;
    if Backend::of(&source) != Backend::Sqlite {
        return Err(Error::BadRequest(
            "this Folio's data is already in PostgreSQL: migrate-data moves a SQLite database"
                .into(),
        ));
    }
    let target = db::connect(to, 1, std::time::Duration::from_secs(30))
        .await
        .map_err(|e| Error::internal_from(format!("cannot open the database {to}"), e))?;
    db::migrator(Backend::Postgres)
        .run(&target)
        .await
        .map_err(|e| Error::internal_from(format!("cannot migrate the database {to}"), e))?;
    let outcome = copy_all(&source, &target).await;
    source.close().await;
    target.close().await;
    let moved = outcome?;
    let rows: i64 = moved.values().sum();
    let tables: Vec<String> = moved
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(table, n)| format!("{table} {n}"))
        .collect();
    Ok(format!(
        "moved {rows} rows in {:.1} s ({}); every table's rows and every story's read count match",
        started.elapsed().as_secs_f64(),
        tables.join(", ")
    ))
}

/// Every table, in one transaction on each side; rows moved per table.
async fn copy_all(source: &AnyPool, target: &AnyPool) -> Result<BTreeMap<&'static str, i64>> {
    let mut from = source.begin().await?;
    let mut to = target.begin().await?;
    for table in TABLES {
        let any: Option<i64> = sqlx::query_scalar(&format!("SELECT 1 FROM {table} LIMIT 1"))
            .fetch_optional(&mut *to)
            .await?;
        if any.is_some() {
            return Err(Error::Conflict(format!(
                "the target database already holds data (in {table}): migrate-data fills an \
                 empty database only, so that nothing there is mixed with this site's"
            )));
        }
        sqlx::query(&format!("ALTER TABLE {table} DISABLE TRIGGER USER"))
            .execute(&mut *to)
            .await?;
    }
    let mut moved = BTreeMap::new();
    for table in TABLES {
        let count = copy_table(&mut from, &mut to, table).await?;
        moved.insert(*table, count);
    }
    for table in TABLES {
        sqlx::query(&format!("ALTER TABLE {table} ENABLE TRIGGER USER"))
            .execute(&mut *to)
            .await?;
    }
    // The search vectors, which the trigger on titles and bodies sets.
    sqlx::query("UPDATE stories SET title = title")
        .execute(&mut *to)
        .await?;
    restart_identities(&mut from, &mut to).await?;
    verify(&mut from, &mut to, &moved).await?;
    to.commit().await?;
    Ok(moved)
}

/// Every table holds as many rows as the source's, and every story the
/// read counter it had (which is also its number of reads).
async fn verify(
    from: &mut AnyConnection,
    to: &mut AnyConnection,
    moved: &BTreeMap<&'static str, i64>,
) -> Result<()> {
    for (table, count) in moved {
        let there: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut *to)
            .await?;
        if there != *count {
            return Err(Error::internal(format!(
                "{table}: {count} rows copied but {there} found; nothing was kept"
            )));
        }
    }
    let counters =
        "SELECT s.id, s.read_count, (SELECT COUNT(*) FROM reads r WHERE r.story_id = s.id)
                    FROM stories s ORDER BY s.id";
    let before: Vec<(i64, i64, i64)> = sqlx::query_as(counters).fetch_all(&mut *from).await?;
    let after: Vec<(i64, i64, i64)> = sqlx::query_as(counters).fetch_all(&mut *to).await?;
    if before != after {
        let differs = before
            .iter()
            .zip(&after)
            .find(|(a, b)| a != b)
            .map_or(0, |(a, _)| a.0);
        return Err(Error::internal(format!(
            "the read counts differ after the copy (story {differs} first); nothing was kept"
        )));
    }
    Ok(())
}
