//! The activity-log endpoints: `POST /api/log` stores a batch of actions;
//! `GET /api/log` (and `/api/log/get`, the original API's path) reads them.

use rocket::data::{Data, Limits, ToByteUnit};
use rocket::http::{ContentType, Status};
use rocket::serde::json::Json;
use rocket::{get, post, State};
use serde::Serialize;

use super::caller::Caller;
use super::input;
use super::limits::{PostLimits, Poster};
use super::namespace::Kind;
use super::query::{self, Filter, LogPage, LogQuery, Scope};
use super::store::ActionLog;
use crate::auth::SessionUser;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::live::Engine;

/// What a stored batch answers.
#[derive(Debug, Serialize)]
pub struct Stored {
    /// How many actions were stored.
    pub stored: usize,
}

fn refuse(status: Status, field: &str, error: impl Into<String>) -> Error {
    Error::field_with(status, field, error)
}

/// Stores a batch of actions, all or none; 201 once they are on disk, 429
/// or 413 when the caller's budgets have no room for it.
#[post("/log", data = "<body>")]
pub async fn post(
    caller: Caller,
    content_type: Option<&ContentType>,
    limits: &Limits,
    body: Data<'_>,
    log: &State<ActionLog>,
    budgets: &State<PostLimits>,
    live: &State<Engine>,
) -> Result<(Status, Json<Stored>)> {
    // A page's own script sends JSON; a form on another site cannot, so a
    // logged-in reader's browser cannot be made to post for them.
    if matches!(caller, Caller::Reader(_)) && !content_type.is_some_and(|c| c.is_json()) {
        return Err(refuse(
            Status::UnsupportedMediaType,
            "",
            "Send the body as application/json.",
        ));
    }
    let limit = limits.get("json").unwrap_or(1.mebibytes());
    let body = body
        .open(limit)
        .into_bytes()
        .await
        .map_err(|e| Error::BadRequest(format!("The body could not be read: {e}")))?;
    if !body.is_complete() {
        return Err(refuse(
            Status::PayloadTooLarge,
            "",
            format!("The body is larger than {limit}."),
        ));
    }
    let value: serde_json::Value = serde_json::from_slice(&body).map_err(|e| {
        refuse(
            Status::BadRequest,
            "",
            format!("The body is not valid JSON: {e}."),
        )
    })?;
    let batch = input::check(&value)?;
    if let Caller::Reader(reader) = &caller {
        if batch.user != reader.username {
            return Err(refuse(
                Status::Forbidden,
                "userId",
                "A reader may post actions only for themself: userId must be your username.",
            ));
        }
    }
    let stored = batch.actions.len();
    // Every budget, before anything is stored.
    let poster = Poster::from(&caller);
    budgets
        .admit(live, poster, stored, batch.stored_bytes())
        .await?;
    log.store(caller.namespace(), batch).await?;
    Ok((Status::Created, Json(Stored { stored })))
}

/// The log, filtered, a page at a time.
#[get("/log?<query..>")]
pub async fn list(caller: Caller, query: LogQuery, db: &Db) -> Result<Json<LogPage>> {
    read(caller, query, db).await
}

/// The original API's path for the same.
#[get("/log/get?<query..>")]
pub async fn get(caller: Caller, query: LogQuery, db: &Db) -> Result<Json<LogPage>> {
    read(caller, query, db).await
}

async fn read(caller: Caller, query: LogQuery, db: &Db) -> Result<Json<LogPage>> {
    let mut filter = query.check()?;
    if let Caller::Reader(reader) = &caller {
        if !reader.is_admin {
            own_log_only(&mut filter, reader)?;
        }
    }
    Ok(Json(query::page(db.pool(), &filter).await?))
}

/// Narrows a reader's query to their own account: by its id, so actions
/// that a token posted for an id spelled like their name stay out.
fn own_log_only(filter: &mut Filter, reader: &SessionUser) -> Result<()> {
    if filter.user.as_ref().is_some_and(|u| *u != reader.username) {
        return Err(refuse(
            Status::Forbidden,
            "userId",
            "A reader may read only their own log.",
        ));
    }
    if filter.scope == Scope::Only(Kind::Outside) {
        return Err(refuse(
            Status::Forbidden,
            "namespace",
            "A reader may read only their own log, in the account namespace.",
        ));
    }
    filter.user = None;
    filter.scope = Scope::Account(reader.user_id);
    Ok(())
}
