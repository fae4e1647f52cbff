//! Every answered request: counted for the metrics and, when the log level
//! asks for it, logged on one line.

use std::io::Write;
use std::time::Instant;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::time::OffsetDateTime;
use rocket::{Data, Request, Response};

use super::in_flight::InFlight;
use super::metrics::Registry;

/// When the request arrived, and its place among those in flight.
struct Arrived {
    at: Instant,
    _in_flight: Option<InFlight>,
}

/// Times requests, counts them in the [`Registry`] and logs them.
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
        if let Some(registry) = rocket.state::<Registry>() {
            registry.in_flight.stopping();
        }
    }

    async fn on_request(&self, req: &mut Request<'_>, _: &mut Data<'_>) {
        let in_flight = req
            .rocket()
            .state::<Registry>()
            .map(|r| r.in_flight.arrived());
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
        if let Some(registry) = req.rocket().state::<Registry>() {
            registry.observe(route, req.method(), status, elapsed.as_secs_f64());
        }
        if self.log {
            let now = OffsetDateTime::now_utc();
            // The path only: query strings may carry what readers typed.
            let line = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z {} {} {} {:.1}ms\n",
                now.year(),
                u8::from(now.month()),
                now.day(),
                now.hour(),
                now.minute(),
                now.second(),
                req.method(),
                req.uri().path(),
                status,
                elapsed.as_secs_f64() * 1000.0
            );
            let _ = std::io::stdout().lock().write_all(line.as_bytes());
        }
    }
}
