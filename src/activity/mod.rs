//! The activity log: what readers do while reading (NAVIGATE, SCROLL,
//! READ_COMPLETE, or any type a client names), posted in batches and read
//! back with filters, in the JSON shapes of the original OpenHouse API.

pub mod api;
mod caller;
pub mod input;
pub mod limits;
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
pub use limits::PostLimits;
pub use store::ActionLog;
pub use tokens::ApiTokens;

use crate::config::Settings;
use crate::db::Db;

pub fn api_routes() -> Vec<Route> {
    rocket::routes![api::post, api::list, api::get, openapi::document]
}

/// Starts the activity writer, the token checker and the posting budgets.
pub fn stage(settings: &Settings) -> AdHoc {
    let limits = PostLimits::new(
        &settings.reader_post_budget(),
        &settings.token_post_budget(),
    );
    AdHoc::try_on_ignite("Activity log", |rocket| async move {
        let Some(db) = Db::fetch(&rocket) else {
            return Err(rocket);
        };
        let log = ActionLog::start(db.pool().clone());
        limits.sweep();
        let tokens = ApiTokens::new();
        if let Some(live) = rocket.state::<crate::live::Engine>() {
            tokens.hear_other_nodes(live);
        }
        Ok(rocket.manage(log).manage(tokens).manage(limits))
    })
}
