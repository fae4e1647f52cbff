//! What monitoring asks: `/health` says the process serves requests;
//! `/health/ready` that it can also use its database, with every migration
//! it knows applied; `/version` which build this is.

use std::time::Duration;

use rocket::http::Status;
use rocket::serde::json::{json, Json, Value};
use rocket::{get, State};
use sqlx::AnyPool;

use crate::build_info::{Build, BUILD};
use crate::db::{self, Db, Flag};
use crate::error::{Error, Result};
use crate::live::Engine;

/// How long readiness waits for the database before calling it unavailable.
const PATIENCE: Duration = Duration::from_secs(2);

/// Liveness: answers as long as the process serves requests. Touches
/// nothing, so it stays cheap enough to poll often.
#[get("/health")]
pub fn health() -> &'static str {
    "ok"
}

/// Readiness: 200 `{"status": "ready", "migrations": n}`, or 503
/// `{"status": "unavailable", "reason": "..."}`. A live engine that cannot
/// reach what it shares with other nodes adds `"live": "<why>"` to a 200:
/// the node serves, with the figures it sees itself.
#[get("/health/ready")]
pub async fn ready(db: &State<Db>, live: &State<Engine>) -> (Status, Json<Value>) {
    let checked = rocket::tokio::time::timeout(PATIENCE, readiness(db.pool())).await;
    let outcome = checked.unwrap_or_else(|_| {
        Err(Error::internal(format!(
            "the database did not answer within {} s",
            PATIENCE.as_secs()
        )))
    });
    match outcome {
        Ok(migrations) => (
            Status::Ok,
            Json(match live.problem() {
                None => json!({ "status": "ready", "migrations": migrations }),
                Some(live) => json!({ "status": "ready", "migrations": migrations, "live": live }),
            }),
        ),
        Err(reason) => {
            let reason = reason.to_string();
            rocket::warn!("not ready: {reason}");
            (
                Status::ServiceUnavailable,
                Json(json!({ "status": "unavailable", "reason": reason })),
            )
        }
    }
}

/// How many migrations are applied, or why the database is not usable:
/// it does not answer, or a migration this binary knows is missing or failed.
pub async fn readiness(pool: &AnyPool) -> Result<usize> {
    let applied: Vec<(i64, Flag)> = sqlx::query_as(
        "SELECT version, CAST(success AS INTEGER) FROM _sqlx_migrations ORDER BY version",
    )
    .fetch_all(pool)
    .await
    .map_err(|e| Error::internal_from("the database cannot be read", e))?;
    for migration in db::migrator(db::Backend::of(pool))
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
    {
        match applied
            .iter()
            .find(|(version, _)| *version == migration.version)
        {
            Some((_, Flag(true))) => {}
            Some((_, Flag(false))) => {
                return Err(Error::internal(format!(
                    "migration {} ({}) failed part-way",
                    migration.version, migration.description
                )))
            }
            None => {
                return Err(Error::internal(format!(
                    "migration {} ({}) is not applied",
                    migration.version, migration.description
                )))
            }
        }
    }
    Ok(applied.len())
}

/// `{"version", "build", "commit"}` ([`crate::build_info`]).
#[get("/version")]
pub fn version() -> Json<Build> {
    Json(BUILD)
}
