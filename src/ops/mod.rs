//! Running Folio: health checks, version, metrics, the request log, and
//! the `healthcheck` and `backup` commands.

pub mod backup;
mod health;
pub mod healthcheck;
pub mod in_flight;
mod logger;
mod metrics;
pub mod migrate_data;
mod requests;
mod scrapers;

use std::sync::Arc;

use rocket::fairing::AdHoc;
use rocket::Route;

use crate::activity::PostLimits;
use crate::config::Logging;
use crate::stories::Reads;
use crate::streams::Feeds;

pub use health::readiness;
pub use in_flight::RequestsInFlight;
pub use metrics::Metrics;

/// Installs Folio's logger when `logging` asks for it. Must come before
/// `rocket::custom`, which installs Rocket's own when there is none.
pub fn install_logger(logging: Logging) {
    if matches!(logging, Logging::Requests | Logging::Critical) {
        logger::install();
    }
}

/// Counts every request in flight (for shutdown), and logs it at `normal`
/// and `debug`.
pub fn stage(logging: Logging) -> AdHoc {
    let log = matches!(logging, Logging::Requests | Logging::Debug);
    AdHoc::on_ignite("Operations", move |rocket| async move {
        rocket
            .manage(Arc::new(RequestsInFlight::default()))
            .attach(requests::Requests { log })
    })
}

/// The metrics registry; after the stories, whose read writer it reads,
/// and the live streams and the activity log, whose refusals it counts.
pub fn metrics() -> AdHoc {
    AdHoc::try_on_ignite("Metrics", |rocket| async move {
        let reads = rocket.state::<Reads>().map(Reads::recorded_counter);
        let budget = rocket
            .state::<Feeds>()
            .map(|feeds| Arc::clone(&feeds.budget));
        let (Some(reads), Some(budget)) = (reads, budget) else {
            rocket::error!("the metrics need the stories and the live streams set up first");
            return Err(rocket);
        };
        let Some(limits) = rocket.state::<PostLimits>().cloned() else {
            rocket::error!("the metrics need the activity log set up first");
            return Err(rocket);
        };
        Ok(rocket.manage(Metrics::new(reads, budget, limits)))
    })
}

pub fn routes() -> Vec<Route> {
    rocket::routes![
        health::health,
        health::ready,
        health::version,
        metrics::metrics
    ]
}
