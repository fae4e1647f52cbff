//! Reading the activity log: filters as the original API takes them
//! (`userId`, `type`, and `date` or `start` and `end`, and Folio's
//! `namespace`), a page at a time in the order the actions happened.

use rocket::form::FromForm;
use serde::Serialize;
use serde_json::Value;
use sqlx::AnyPool;

use crate::db::Sql;

use super::namespace::Kind;
use super::times::QueryTime;
use crate::error::{Error, Result};
use crate::ids::UserId;

/// Actions on a page unless `limit` says otherwise, and at most.
pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 1_000;

/// The query string, as sent.
#[derive(Debug, Default, FromForm)]
pub struct LogQuery {
    #[field(name = "userId")]
    pub user: Option<String>,
    #[field(name = "type")]
    pub kind: Option<String>,
    pub date: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
    pub namespace: Option<String>,
}

/// Which actions a query may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every namespace: admins and API tokens.
    All,
    /// Every account's, or only outside actions, as `namespace` asks.
    Only(Kind),
    /// One reader's own.
    Account(UserId),
}

/// A checked query.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub user: Option<String>,
    pub kind: Option<String>,
    pub from: Option<QueryTime>,
    pub to: Option<QueryTime>,
    pub limit: i64,
    /// After this (instant, id).
    pub after: Option<(i64, i64)>,
    pub scope: Scope,
}

fn bad(field: &str, error: impl Into<String>) -> Error {
    Error::field(field, error)
}

fn time(field: &str, text: &str) -> Result<QueryTime> {
    QueryTime::parse(text).ok_or_else(|| {
        bad(
            field,
            format!(
                "{field} is not a time such as 2018-10-18T21:37:28 (or RFC 3339, with an offset)."
            ),
        )
    })
}

impl LogQuery {
    /// Checks the query, naming the parameter at fault.
    pub fn check(self) -> Result<Filter> {
        let some = |value: Option<String>| value.filter(|v| !v.is_empty());
        let (date, start, end) = (some(self.date), some(self.start), some(self.end));
        let (from, to) = match (date, start, end) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                return Err(bad("date", "Give either date, or start and end; not both."))
            }
            (Some(date), None, None) => {
                let date = time("date", &date)?;
                (Some(date.clone()), Some(date))
            }
            (None, Some(_), None) => return Err(bad("end", "start needs end: give both.")),
            (None, None, Some(_)) => return Err(bad("start", "end needs start: give both.")),
            (None, Some(start), Some(end)) => {
                let (start, end) = (time("start", &start)?, time("end", &end)?);
                if reversed(&start, &end) {
                    return Err(bad("end", "end is before start."));
                }
                (Some(start), Some(end))
            }
            (None, None, None) => (None, None),
        };
        let limit = match some(self.limit) {
            None => DEFAULT_LIMIT,
            Some(limit) => limit
                .parse()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or_else(|| bad("limit", format!("limit is a number from 1 to {MAX_LIMIT}.")))?,
        };
        let after = match some(self.cursor) {
            None => None,
            Some(cursor) => Some(parse_cursor(&cursor).ok_or_else(|| {
                bad(
                    "cursor",
                    "cursor is not one this API gave; start again without it.",
                )
            })?),
        };
        let scope = match some(self.namespace) {
            None => Scope::All,
            Some(name) => Scope::Only(
                Kind::parse(&name)
                    .ok_or_else(|| bad("namespace", "namespace is account or outside."))?,
            ),
        };
        Ok(Filter {
            user: some(self.user),
            kind: some(self.kind),
            from,
            to,
            limit,
            after,
            scope,
        })
    }
}

fn reversed(start: &QueryTime, end: &QueryTime) -> bool {
    match (start, end) {
        (QueryTime::WallClock(a), QueryTime::WallClock(b)) => a > b,
        (QueryTime::Instant(a), QueryTime::Instant(b)) => a > b,
        // A wall-clock time and an instant: reversed if even the widest
        // offsets cannot bring them in order.
        _ => start.instant_bounds().0 > end.instant_bounds().1,
    }
}

fn parse_cursor(cursor: &str) -> Option<(i64, i64)> {
    let (at, id) = cursor.split_once('.')?;
    Some((at.parse().ok()?, id.parse().ok()?))
}

/// An action as the API returns it: the original API's fields, plus who,
/// in which session, and in which namespace.
#[derive(Debug, Clone, Serialize)]
pub struct ActionOut {
    pub time: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub properties: Value,
    #[serde(rename = "userId")]
    pub user: String,
    #[serde(rename = "sessionId")]
    pub session: String,
    pub namespace: Kind,
}

/// A page of the log.
#[derive(Debug, Clone, Serialize)]
pub struct LogPage {
    pub actions: Vec<ActionOut>,
    /// Pass as `cursor` for the next page; null on the last one.
    pub next: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    user_key: String,
    session_key: String,
    #[sqlx(rename = "type")]
    kind: String,
    time: String,
    at_ms: i64,
    properties: String,
    account_id: Option<i64>,
}

/// The page of actions `filter` asks for.
pub async fn page(db: &AnyPool, filter: &Filter) -> Result<LogPage> {
    let mut sql = Sql::new(
        "SELECT id, user_key, session_key, type, time, at_ms, properties, account_id
         FROM actions WHERE TRUE",
    );
    match filter.scope {
        Scope::All => {}
        Scope::Only(Kind::Account) => {
            sql.push(" AND account_id IS NOT NULL");
        }
        Scope::Only(Kind::Outside) => {
            sql.push(" AND account_id IS NULL");
        }
        Scope::Account(id) => {
            sql.push(" AND account_id = ").bind(id);
        }
    }
    if let Some(user) = &filter.user {
        sql.push(" AND user_key = ").bind(user);
    }
    if let Some(kind) = &filter.kind {
        sql.push(" AND type = ").bind(kind);
    }
    if let Some(from) = &filter.from {
        match from {
            QueryTime::Instant(ms) => {
                // A date in RFC 3339 matches its whole second.
                let ms = if filter.from == filter.to {
                    ms - ms.rem_euclid(1000)
                } else {
                    *ms
                };
                sql.push(" AND at_ms >= ").bind(ms);
            }
            QueryTime::WallClock(wall) => {
                let (lowest, _) = from.instant_bounds();
                sql.push(" AND at_ms >= ").bind(lowest);
                sql.push(" AND wall_clock >= ").bind(wall.clone());
            }
        }
    }
    if let Some(to) = &filter.to {
        match to {
            QueryTime::Instant(ms) => {
                let ms = if filter.from == filter.to {
                    ms - ms.rem_euclid(1000) + 999
                } else {
                    *ms
                };
                sql.push(" AND at_ms <= ").bind(ms);
            }
            QueryTime::WallClock(wall) => {
                let (_, highest) = to.instant_bounds();
                sql.push(" AND at_ms <= ").bind(highest);
                sql.push(" AND wall_clock <= ").bind(wall.clone());
            }
        }
    }
    if let Some((at, id)) = filter.after {
        // The plain bound lets the index start at the cursor.
        sql.push(" AND at_ms >= ").bind(at);
        sql.push(" AND (at_ms, id) > (")
            .bind(at)
            .push(", ")
            .bind(id)
            .push(")");
    }
    sql.push(" ORDER BY at_ms, id LIMIT ")
        .bind(filter.limit + 1);
    let (text, args) = sql.into_parts();
    let mut rows: Vec<Row> = sqlx::query_as_with(&text, args).fetch_all(db).await?;
    let more = rows.len() as i64 > filter.limit;
    rows.truncate(filter.limit as usize);
    let next = match (more, rows.last()) {
        (true, Some(last)) => Some(format!("{}.{}", last.at_ms, last.id)),
        _ => None,
    };
    let actions = rows
        .into_iter()
        .map(|row| ActionOut {
            time: row.time,
            kind: row.kind,
            properties: serde_json::from_str(&row.properties).unwrap_or(Value::Null),
            user: row.user_key,
            session: row.session_key,
            namespace: match row.account_id {
                Some(_) => Kind::Account,
                None => Kind::Outside,
            },
        })
        .collect();
    Ok(LogPage { actions, next })
}
