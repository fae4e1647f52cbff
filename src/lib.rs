//! Folio: a self-hosted story site in one binary.
//!
//! [`rocket`] builds the whole application from a figment; `main.rs` and
//! the tests both call it. The modules form layers, each using only those
//! below it (docs/ARCHITECTURE.md; `tests/api/layers.rs` checks it):
//!
//! 1. foundation: [`util`], [`ids`], [`build_info`], [`error`], [`config`], [`db`]
//! 2. the live engine: [`live`]
//! 3. identity: [`auth`]
//! 4. the page frame: [`web`]
//! 5. resources: [`visits`], [`notifications`], [`images`], [`stories`], [`accounts`],
//!    [`activity`], [`feeds`]
//! 6. the live streams: [`streams`]
//! 7. the admin area: [`admin`]
//! 8. operations: [`ops`]
//! 9. this file, which puts them together.

pub mod util;

pub mod build_info;
pub mod ids;

pub mod error;

pub mod config;
pub mod db;

pub mod live;

pub mod auth;

pub mod web;

pub mod accounts;
pub mod activity;
pub mod feeds;
pub mod images;
pub mod notifications;
pub mod stories;
pub mod visits;

pub mod streams;

pub mod admin;

pub mod ops;

use std::sync::Arc;
use std::time::Duration;

use rocket::fairing::AdHoc;
use rocket::figment::Figment;
use rocket::{Build, Rocket};
use rocket_db_pools::Database;

pub use config::{figment, Settings};
use error::{Error, Result};
use live::{Engine, MemoryEngine, RedisEngine};

/// Builds Folio: the one place that attaches, manages and mounts.
pub fn rocket(figment: Figment) -> Rocket<Build> {
    let figment = config::with_database_default(figment);
    // Ignite fairings all run even after one fails, so refusals that must
    // come before the database is touched are decided here.
    let key_use = match config::check_secret_key(&figment) {
        Ok(key_use) => key_use,
        Err(e) => return refuse_to_start("Secret key", e, figment),
    };
    let settings = match Settings::from_figment(&figment) {
        Ok(settings) => settings,
        Err(e) => return refuse_to_start("Settings", e, figment),
    };
    if let Err(e) = config::check_database_url(&figment) {
        return refuse_to_start("Database URL", e, figment);
    }
    let figment = figment.merge(("template_dir", web::template_dir(&settings.data_dir)));
    let (logging, figment) = config::logging(figment);
    ops::install_logger(logging);

    let mut rocket = rocket::custom(figment);
    if let config::SecretKeyUse::Development = key_use {
        rocket = rocket.attach(config::development_key_warning());
    }
    rocket
        // Ignite fairings run in this order.
        .attach(ops::stage(logging))
        .attach(AdHoc::try_on_ignite("Data directory", db::create_data_dir))
        .attach(db::Db::init())
        .attach(AdHoc::try_on_ignite("Migrations", db::run_migrations))
        .attach(live_engine(&settings))
        .attach(auth::stage(&settings))
        .attach(notifications::stage())
        .attach(stories::stage(settings.sample_stories))
        .attach(visits::stage())
        .attach(admin::stage())
        .attach(admin::stats::now::stage())
        .attach(activity::stage(&settings))
        .attach(streams::stage(&settings))
        .attach(ops::metrics())
        .attach(web::templates())
        .attach(web::shield(settings.secure_cookies))
        .attach(web::ContentSecurityPolicy::new(settings.remote_images))
        .attach(web::WholeBodies)
        .manage(settings)
        .mount("/", accounts::routes())
        .mount("/", stories::routes())
        .mount("/", feeds::routes())
        .mount("/", images::routes())
        .mount("/", web::routes())
        .mount("/", ops::routes())
        .mount("/", streams::routes())
        .mount("/", notifications::routes())
        .mount("/api", stories::api_routes())
        .mount("/api", activity::api_routes())
        .mount("/", admin::routes())
        .register("/", web::catchers())
}

/// The live engine, managed as [`Engine`]: in memory, for one node; in
/// Redis, shared with the other nodes, when `redis_url` is set.
fn live_engine(settings: &Settings) -> AdHoc {
    let ttl = Duration::from_secs(settings.presence_ttl);
    let redis_url = settings.redis_url.clone();
    AdHoc::try_on_ignite("Live engine", move |rocket| async move {
        let engine: Engine = match redis_url {
            None => MemoryEngine::start(ttl),
            Some(url) => match RedisEngine::start(&url, ttl) {
                Ok(engine) => engine,
                Err(e) => {
                    rocket::error!("bad setting redis_url: {e} (use redis://host:6379/)");
                    return Err(rocket);
                }
            },
        };
        Ok(rocket.manage(engine))
    })
}

/// A Rocket that fails to ignite with `error`: for settings so wrong that
/// nothing else can be built.
fn refuse_to_start(what: &'static str, error: Error, figment: Figment) -> Rocket<Build> {
    rocket::custom(figment).attach(AdHoc::try_on_ignite(what, |rocket| async move {
        rocket::error!("{error}");
        Err(rocket)
    }))
}

/// Runs Folio with the configuration from `Rocket.toml` and the environment.
pub async fn serve() -> Result<()> {
    let figment = figment();
    // Rocket's own settings, checked here so that a bad one is named (at
    // launch Rocket says only that its configuration failed); the secret
    // key first, for its advice on setting one.
    config::check_secret_key(&figment)?;
    if let Err(e) = rocket::Config::try_from(&figment) {
        return Err(Error::Config(format!(
            "Folio could not start: bad setting: {e}"
        )));
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
                return Err(Error::internal(format!(
                    "Folio stopped: the server failed: {failure}"
                )));
            }
            _ => return Err(Error::internal(format!("Folio could not start: {e}"))),
        },
    };
    stopped.map_err(|running| {
        Error::internal(format!(
            "Folio stopped with {running} requests still running at the end of the grace \
             period (shutdown.grace + shutdown.mercy seconds)"
        ))
    })
}

/// After the server has stopped accepting: waits (until grace + mercy
/// seconds after shutdown began) for requests still running, writes the
/// views and visitors counted and when logins were last used, then closes
/// the database. `Err` with how many requests were still running.
async fn finish<P: rocket::Phase>(rocket: &Rocket<P>) -> std::result::Result<(), i64> {
    let seconds = |key: &str, default: u64| rocket.figment().extract_inner(key).unwrap_or(default);
    let patience = Duration::from_secs(seconds("shutdown.grace", 2) + seconds("shutdown.mercy", 3));
    let drained = match rocket.state::<Arc<ops::RequestsInFlight>>() {
        Some(in_flight) => in_flight.drained(patience).await,
        None => Ok(()),
    };
    visits::flush_all(rocket).await;
    if let Some(db) = db::Db::fetch(rocket) {
        if let Some(sessions) = rocket.state::<auth::Sessions>() {
            if let Err(e) = sessions.write_last_seen(db.pool()).await {
                rocket::warn!("cannot write when logins were last seen: {e}");
            }
        }
        db.pool().close().await;
    }
    drained
}
