//! The activity log: what readers do while reading (NAVIGATE, SCROLL,
//! READ_COMPLETE, or any type a client names), posted in batches and read
//! back with filters, in the JSON shapes of the original OpenHouse API.

pub mod api;
mod caller;
pub mod input;
pub mod namespace;
pub mod openapi;
pub mod query;
pub mod store;
pub mod times;
pub mod tokens;

use rocket::fairing::AdHoc;
use rocket::Route;
use rocket_db_pools::Database;

pub use caller::Caller;
pub use store::ActionLog;
pub use tokens::ApiTokens;

use crate::db::Db;

pub fn api_routes() -> Vec<Route> {
    rocket::routes![api::post, api::list, api::get, openapi::document]
}

/// Starts the activity writer and the token checker.
pub fn stage() -> AdHoc {
    AdHoc::try_on_ignite("Activity log", |rocket| async move {
        let Some(db) = Db::fetch(&rocket) else {
            return Err(rocket);
        };
        let log = ActionLog::start(db.pool().clone());
        Ok(rocket.manage(log).manage(ApiTokens::new()))
    })
}
