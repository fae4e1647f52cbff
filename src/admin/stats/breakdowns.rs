//! Story views in a range broken down by source, by kind of device and by
//! browser, from the per-day rollups `source_days` and `device_days`.

use serde::Serialize;
use sqlx::AnyPool;

use super::range::Range;
use crate::error::Result;
use crate::visits::{DIRECT, INTERNAL, OTHER};

/// Rows shown of each table.
pub const ROWS: i64 = 10;

/// One row: a name, its views and their share of all views in the range.
#[derive(Debug, Clone, Serialize)]
pub struct Share {
    pub name: String,
    /// The source as stored, for a link ("news.example.com"); none for the
    /// made-up names.
    pub host: Option<String>,
    pub views: i64,
    pub percent: i64,
}

/// A range's source rows: whole weeks from `source_weeks`, the days at its
/// ends from `source_days` (binds: ?1 from, ?2 to, ?3 and ?4 the weeks, ?5
/// the head's last day, ?6 the tail's first).
const SOURCE_ROWS: &str = "SELECT source, views FROM source_weeks WHERE week BETWEEN $3 AND $4
    UNION ALL SELECT source, views FROM source_days WHERE day BETWEEN $1 AND $5
    UNION ALL SELECT source, views FROM source_days WHERE day BETWEEN $6 AND $2";

/// The referring sites of story views, most views first.
pub async fn sources(db: &AnyPool, range: &Range) -> Result<Vec<Share>> {
    let weeks = range.weeks();
    let bind = |sql| {
        sqlx::query_as(sql)
            .bind(range.from)
            .bind(range.to)
            .bind(weeks.first_week)
            .bind(weeks.last_week)
            .bind(weeks.head_end)
            .bind(weeks.tail_start)
    };
    let top = format!(
        "SELECT source, CAST(SUM(views) AS BIGINT) AS views FROM ({SOURCE_ROWS}) AS days
         GROUP BY source ORDER BY views DESC, source LIMIT {ROWS}"
    );
    let rows: Vec<(String, i64)> = bind(&top).fetch_all(db).await?;
    let all =
        format!("SELECT '', CAST(COALESCE(SUM(views), 0) AS BIGINT) FROM ({SOURCE_ROWS}) AS days");
    let (_, total): (String, i64) = bind(&all).fetch_one(db).await?;
    Ok(rows
        .into_iter()
        .map(|(source, views)| {
            let (name, host) = match source.as_str() {
                DIRECT => ("Direct or unknown".to_string(), None),
                INTERNAL => ("Links on this site".to_string(), None),
                OTHER => ("Other sites".to_string(), None),
                _ => (source.clone(), Some(source)),
            };
            Share {
                name,
                host,
                views,
                percent: percent(views, total),
            }
        })
        .collect())
}

/// Story views by kind of device, or by browser (`by` is the column).
pub async fn devices(db: &AnyPool, range: &Range, by: By) -> Result<Vec<Share>> {
    let column = match by {
        By::Device => "device",
        By::Browser => "browser",
    };
    let sql = format!(
        "SELECT {column}, CAST(SUM(views) AS BIGINT) AS views FROM device_days WHERE day BETWEEN $1 AND $2
         GROUP BY {column} ORDER BY views DESC, {column} LIMIT $3"
    );
    let rows: Vec<(String, i64)> = sqlx::query_as(&sql)
        .bind(range.from)
        .bind(range.to)
        .bind(ROWS)
        .fetch_all(db)
        .await?;
    let total = total(db, "device_days", range).await?;
    Ok(rows
        .into_iter()
        .map(|(name, views)| Share {
            name,
            host: None,
            views,
            percent: percent(views, total),
        })
        .collect())
}

/// Which column devices are grouped by.
#[derive(Clone, Copy)]
pub enum By {
    Device,
    Browser,
}

async fn total(db: &AnyPool, table: &str, range: &Range) -> Result<i64> {
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(views), 0) AS BIGINT) FROM {table} WHERE day BETWEEN $1 AND $2"
    );
    Ok(sqlx::query_scalar(&sql)
        .bind(range.from)
        .bind(range.to)
        .fetch_one(db)
        .await?)
}

/// `part` of `whole` in whole percent, rounded.
fn percent(part: i64, whole: i64) -> i64 {
    match whole {
        0 => 0,
        _ => (200 * part + whole) / (2 * whole),
    }
}
