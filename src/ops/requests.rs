//! Every answered request: counted for the metrics and, when the log level
//! asks for it, logged on one line.

use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Data, Request, Response};
use time::format_description::FormatItem;
use time::macros::format_description;
use time::OffsetDateTime;

use super::in_flight::{InFlight, RequestsInFlight};
use super::metrics::Metrics;

/// When a request was answered, as the log shows it (UTC).
const LOG_TIME: &[FormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

/// When the request arrived, and its place among those in flight.
struct Arrived {
    at: Instant,
    _in_flight: Option<InFlight>,
}

/// Times requests, counts them in the [`Metrics`] and logs them.
pub struct Requests {
    /// Print `<time> <method> <path> <status> <ms>ms` per request.
    pub log: bool,
}

#[rocket::async_trait]
impl Fairing for Requests {
    fn info(&self) -> Info {
        Info {
            name: "Request metrics and log",
            kind: Kind::Request | Kind::Response | Kind::Shutdown,
        }
    }

    async fn on_shutdown(&self, rocket: &rocket::Rocket<rocket::Orbit>) {
        if let Some(in_flight) = rocket.state::<Arc<RequestsInFlight>>() {
            in_flight.stopping();
        }
    }

    async fn on_request(&self, req: &mut Request<'_>, _: &mut Data<'_>) {
        let in_flight = req
            .rocket()
            .state::<Arc<RequestsInFlight>>()
            .map(|r| r.arrived());
        req.local_cache(|| Arrived {
            at: Instant::now(),
            _in_flight: in_flight,
        });
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        let elapsed = req
            .local_cache(|| Arrived {
                at: Instant::now(),
                _in_flight: None,
            })
            .at
            .elapsed();
        let route = req.route().map_or("unmatched", |r| r.uri.path());
        let status = res.status().code;
        if let Some(metrics) = req.rocket().state::<Metrics>() {
            metrics.observe(route, req.method(), status, elapsed.as_secs_f64());
        }
        if self.log {
            let now = OffsetDateTime::now_utc()
                .format(LOG_TIME)
                .unwrap_or_default();
            // The path only: query strings may carry what readers typed.
            let line = format!(
                "{now} {} {} {} {:.1}ms\n",
                req.method(),
                req.uri().path(),
                status,
                elapsed.as_secs_f64() * 1000.0
            );
            let _ = std::io::stdout().lock().write_all(line.as_bytes());
        }
    }
}
