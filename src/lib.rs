//! Folio: a self-hosted story site in one binary.
//!
//! [`rocket`] builds the whole application from a figment; `main.rs` and
//! the tests both call it.

pub mod activity;
pub mod admin;
pub mod assets;
pub mod auth;
pub mod config;
pub mod db;
pub mod error;
pub mod forms;
pub mod live;
pub mod notifications;
pub mod ops;
mod security;
pub mod stories;
pub mod visits;

use rocket::fairing::AdHoc;
use rocket::figment::Figment;
use rocket::{Build, Rocket};
use rocket_db_pools::Database;

pub use config::{figment, Settings};

/// Builds Folio: the one place that attaches, manages and mounts.
pub fn rocket(figment: Figment) -> Rocket<Build> {
    let figment = config::with_database_default(figment);
    // Ignite fairings all run even after one fails, so refusals that must
    // come before the database is touched are decided here.
    let key_use = match security::check_secret_key(&figment) {
        Ok(key_use) => key_use,
        Err(message) => return refuse_to_start("Secret key", message, figment),
    };
    let settings = match Settings::from_figment(&figment) {
        Ok(settings) => settings,
        Err(message) => return refuse_to_start("Settings", message, figment),
    };
    if let Err(message) = config::check_database_url(&figment) {
        return refuse_to_start("Database URL", message, figment);
    }
    let figment = figment.merge(("template_dir", assets::template_dir(&settings.data_dir)));
    let (logging, figment) = config::logging(figment);
    ops::install_logger(logging);

    let mut rocket = rocket::custom(figment);
    if let security::SecretKeyUse::Development = key_use {
        rocket = rocket.attach(security::development_key_warning());
    }
    rocket
        // Ignite fairings run in this order.
        .attach(ops::stage(logging))
        .attach(AdHoc::try_on_ignite("Data directory", db::create_data_dir))
        .attach(db::Db::init())
        .attach(AdHoc::try_on_ignite("Migrations", db::run_migrations))
        .attach(auth::stage(&settings))
        .attach(live::stage(&settings))
        .attach(stories::stage(settings.sample_stories))
        .attach(visits::stage())
        .attach(admin::stage())
        .attach(activity::stage())
        .attach(live::listener(&settings))
        .attach(assets::templates())
        .attach(security::shield())
        .attach(security::ContentSecurityPolicy)
        .manage(settings)
        .manage(notifications::Inboxes::new())
        .mount("/", auth::routes())
        .mount("/", stories::routes())
        .mount("/", assets::routes())
        .mount("/", ops::routes())
        .mount("/", live::routes())
        .mount("/", notifications::routes())
        .mount("/api", stories::api_routes())
        .mount("/api", activity::api_routes())
        .mount("/", admin::routes())
        .register("/", error::catchers())
}

/// A Rocket that fails to ignite with `message`: for settings so wrong that
/// nothing else can be built.
fn refuse_to_start(what: &'static str, message: String, figment: Figment) -> Rocket<Build> {
    rocket::custom(figment).attach(AdHoc::try_on_ignite(what, |rocket| async move {
        rocket::error!("{message}");
        Err(rocket)
    }))
}

/// Runs Folio with the configuration from `Rocket.toml` and the environment.
pub async fn serve() -> Result<(), String> {
    let figment = figment();
    // Rocket's own settings, checked here so that a bad one is named (at
    // launch Rocket says only that its configuration failed); the secret
    // key first, for its advice on setting one.
    security::check_secret_key(&figment)?;
    if let Err(e) = rocket::Config::try_from(&figment) {
        return Err(format!("Folio could not start: bad setting: {e}"));
    }
    let stopped = match rocket(figment).launch().await {
        Ok(rocket) => finish(&rocket).await,
        // Rocket may report a shutdown as failed while requests are still
        // running, sometimes at once rather than after the grace period:
        // let them finish, then write what was counted.
        Err(e) => match e.kind() {
            rocket::error::ErrorKind::Shutdown(rocket, None) => finish(rocket).await,
            // The server itself failed, with or without a shutdown asked for.
            rocket::error::ErrorKind::Shutdown(rocket, Some(failure)) => {
                let _ = finish(rocket).await;
                return Err(format!("Folio stopped: the server failed: {failure}"));
            }
            _ => return Err(format!("Folio could not start: {e}")),
        },
    };
    stopped.map_err(|running| {
        format!(
            "Folio stopped with {running} requests still running at the end of the grace \
             period (shutdown.grace + shutdown.mercy seconds)"
        )
    })
}

/// After the server has stopped accepting: waits (until grace + mercy
/// seconds after shutdown began) for requests still running, writes the views and visitors counted, then
/// closes the database. `Err` with how many requests were still running.
async fn finish<P: rocket::Phase>(rocket: &Rocket<P>) -> Result<(), i64> {
    let seconds = |key: &str, default: u64| rocket.figment().extract_inner(key).unwrap_or(default);
    let patience =
        std::time::Duration::from_secs(seconds("shutdown.grace", 2) + seconds("shutdown.mercy", 3));
    let drained = match rocket.state::<ops::Registry>() {
        Some(registry) => registry.in_flight.drained(patience).await,
        None => Ok(()),
    };
    visits::flush_all(rocket).await;
    if let Some(db) = db::Db::fetch(rocket) {
        db.pool().close().await;
    }
    drained
}
