//! Copying one table's rows from SQLite into PostgreSQL, in batches that
//! stay well under PostgreSQL's limits, and the ids new rows get after.

use std::collections::HashMap;
use std::io::Write;

use rocket::futures::TryStreamExt;
use sqlx::{AnyConnection, Row};

use crate::db::Sql;
use crate::error::{Error, Result};

/// Values bound in one INSERT, well under PostgreSQL's 65,535.
const VALUES_PER_INSERT: usize = 8_000;
/// Bytes of text and blobs in one INSERT: images (up to 8 MiB) and story
/// bodies (up to 1 MB) would otherwise make messages past PostgreSQL's
/// 1 GB and hold as much in memory.
const BYTES_PER_INSERT: usize = 32 << 20;

/// How a column's values are read and written.
#[derive(Clone, Copy)]
enum Kind {
    Int,
    Text,
    Bytes,
}

/// One value read from SQLite.
enum Value {
    Int(Option<i64>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
}

impl Value {
    fn read(row: &sqlx::any::AnyRow, i: usize, kind: Kind) -> Result<Value> {
        Ok(match kind {
            Kind::Int => Value::Int(row.try_get(i)?),
            Kind::Text => Value::Text(row.try_get(i)?),
            Kind::Bytes => Value::Bytes(row.try_get(i)?),
        })
    }

    fn size(&self) -> usize {
        match self {
            Value::Int(_) => 8,
            Value::Text(text) => text.as_ref().map_or(0, String::len),
            Value::Bytes(bytes) => bytes.as_ref().map_or(0, Vec::len),
        }
    }
}

/// The target's columns of `table`, but for what PostgreSQL derives itself
/// (the search vector).
async fn columns(to: &mut AnyConnection, table: &str) -> Result<Vec<(String, Kind)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT) FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'
           AND data_type <> 'tsvector'
         ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut *to)
    .await?;
    rows.into_iter()
        .map(|(name, kind)| match kind.as_str() {
            "bigint" | "integer" | "smallint" => Ok((name, Kind::Int)),
            "text" => Ok((name, Kind::Text)),
            "bytea" => Ok((name, Kind::Bytes)),
            other => Err(Error::internal(format!(
                "{table}.{name} has a type ({other}) not copied"
            ))),
        })
        .collect()
}

/// Copies `table` in batches, showing its progress; how many rows.
pub async fn copy_table(
    from: &mut AnyConnection,
    to: &mut AnyConnection,
    table: &str,
) -> Result<i64> {
    let columns = columns(to, table).await?;
    let names: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
    let list = names.join(", ");
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&mut *from)
        .await?;
    let per_insert = (VALUES_PER_INSERT / columns.len().max(1)).max(1);
    let select = format!("SELECT {list} FROM {table}");
    let mut rows = sqlx::query(&select).fetch(&mut *from);
    let mut batch: Vec<Vec<Value>> = Vec::with_capacity(per_insert);
    let (mut bytes, mut done) = (0_usize, 0_i64);
    progress(table, done, total);
    // Read a batch from SQLite, then write it: one connection is busy at a time.
    loop {
        let row = rows.try_next().await?;
        let end = row.is_none();
        if let Some(row) = row {
            let values = (columns.iter().enumerate())
                .map(|(i, (_, kind))| Value::read(&row, i, *kind))
                .collect::<Result<Vec<Value>>>()?;
            bytes += values.iter().map(Value::size).sum::<usize>();
            batch.push(values);
        }
        let full = batch.len() == per_insert || bytes >= BYTES_PER_INSERT;
        if full || (end && !batch.is_empty()) {
            insert(to, table, &list, &batch).await?;
            done += batch.len() as i64;
            (batch, bytes) = (Vec::with_capacity(per_insert), 0);
            progress(table, done, total);
        }
        if end {
            break;
        }
    }
    eprintln!();
    Ok(done)
}

/// One multi-row INSERT of `rows` into `table`.
async fn insert(
    to: &mut AnyConnection,
    table: &str,
    list: &str,
    rows: &[Vec<Value>],
) -> Result<()> {
    let mut sql = Sql::new(&format!("INSERT INTO {table} ({list}) VALUES "));
    for row in rows {
        sql.row();
        for (i, value) in row.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            match value {
                Value::Int(v) => sql.bind(*v),
                Value::Text(v) => sql.bind(v.clone()),
                Value::Bytes(v) => sql.bind(v.clone()),
            };
        }
        sql.push(")");
    }
    let (text, args) = sql.into_parts();
    sqlx::query_with(&text, args).execute(&mut *to).await?;
    Ok(())
}

fn progress(table: &str, done: i64, total: i64) {
    let percent = if total > 0 { done * 100 / total } else { 100 };
    eprint!("\r{table:<18} {done:>10} of {total:<10} {percent:>3} %");
    let _ = std::io::stderr().flush();
}

/// New rows get ids after the copied ones, and after any id SQLite ever
/// gave (its AUTOINCREMENT never gives an id twice, even a deleted row's:
/// an old link to a deleted story must not open a new one).
pub async fn restart_identities(from: &mut AnyConnection, to: &mut AnyConnection) -> Result<()> {
    // SQLite keeps the highest id given per table in sqlite_sequence.
    let given: HashMap<String, i64> =
        sqlx::query_as::<_, (String, i64)>("SELECT name, seq FROM sqlite_sequence")
            .fetch_all(&mut *from)
            .await?
            .into_iter()
            .collect();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT CAST(table_name AS TEXT) FROM information_schema.columns
         WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'",
    )
    .fetch_all(&mut *to)
    .await?;
    for table in tables {
        let highest = given.get(&table).copied().unwrap_or(0);
        sqlx::query(&format!(
            "SELECT CAST(setval(pg_get_serial_sequence('{table}', 'id'),
                    GREATEST(COALESCE(MAX(id), 0), $1, 1),
                    GREATEST(COALESCE(MAX(id), 0), $1) > 0) AS BIGINT) FROM {table}"
        ))
        .bind(highest)
        .fetch_one(&mut *to)
        .await?;
    }
    Ok(())
}
