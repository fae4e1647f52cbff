//! Running Folio: health checks, version, metrics, the request log, and
//! the `healthcheck` and `backup` commands.

pub mod backup;
mod health;
pub mod healthcheck;
pub mod in_flight;
mod logger;
mod metrics;
mod requests;
mod version;

use rocket::fairing::AdHoc;
use rocket::Route;

use crate::config::Logging;

pub use health::readiness;
pub use metrics::Registry;
pub use version::{Build, BUILD};

/// Installs Folio's logger when `logging` asks for it. Must come before
/// `rocket::custom`, which installs Rocket's own when there is none.
pub fn install_logger(logging: Logging) {
    if matches!(logging, Logging::Requests | Logging::Critical) {
        logger::install();
    }
}

/// Counts every request, and logs it at `normal` and `debug`.
pub fn stage(logging: Logging) -> AdHoc {
    let log = matches!(logging, Logging::Requests | Logging::Debug);
    AdHoc::on_ignite("Operations", move |rocket| async move {
        rocket
            .manage(Registry::new())
            .attach(requests::Requests { log })
    })
}

pub fn routes() -> Vec<Route> {
    rocket::routes![
        health::health,
        health::ready,
        version::version,
        metrics::metrics
    ]
}
