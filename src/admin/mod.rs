//! The admin area, all under /admin and all behind the [`Admin`] guard:
//! story management, user management and the read-statistics dashboards.

pub mod accounts;
pub mod cli;
mod confirm;
mod guard;
mod images;
pub mod stats;
pub mod stories;
pub mod tokens;
pub mod users;

use rocket::fairing::AdHoc;
use rocket::Route;
use rocket_db_pools::Database;

pub use guard::Admin;

use crate::db::Db;

pub fn routes() -> Vec<Route> {
    rocket::routes![
        stats::dashboard,
        stats::story,
        stats::daily_csv,
        stats::top_csv,
        stats::story_csv,
        stats::now_chart,
        images::list,
        images::upload,
        stories::list,
        stories::new,
        stories::edit,
        stories::create,
        stories::update,
        stories::publish,
        stories::unpublish,
        stories::unschedule,
        stories::preview::preview,
        confirm::unpublish,
        confirm::disable,
        confirm::revoke,
        stories::revisions::list,
        stories::revisions::show,
        stories::revisions::restore,
        stories::confirm_delete,
        stories::delete,
        stories::updates::page,
        stories::updates::post,
        users::list,
        users::change,
        users::reset_links::issue,
        tokens::list,
        tokens::create,
        tokens::revoke,
    ]
}

/// Creates the first admin from the environment, when asked and none exists.
pub fn stage() -> AdHoc {
    AdHoc::try_on_ignite("First admin", |rocket| async move {
        let Some(db) = Db::fetch(&rocket) else {
            return Err(rocket);
        };
        let figment = rocket.figment();
        let setting = |key: &str| figment.extract_inner::<String>(key).unwrap_or_default();
        let username = setting("first_admin_username");
        let password = setting("first_admin_password");
        match accounts::first_admin(db.pool(), username, password).await {
            Ok(()) => Ok(rocket),
            Err(e) => {
                rocket::error!("{e}");
                Err(rocket)
            }
        }
    })
}
