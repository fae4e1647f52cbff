//! `/metrics` in Prometheus' text format: requests by route and status, a
//! latency histogram per route, and gauges read at scrape time.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};

use rocket::http::{ContentType, Method, Status};
use rocket::request::{FromRequest, Outcome};
use rocket::{get, Request, State};
use sha2::{Digest, Sha256};

use super::in_flight::Requests;
use super::version::BUILD;
use crate::config::Settings;
use crate::db::{unix_now, Db};
use crate::live::Live;
use crate::stories::Reads;

/// Upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// What was counted for one route.
#[derive(Default)]
struct RouteStats {
    /// (method, status, requests): a route answers with few of each.
    answers: Vec<(Method, u16, u64)>,
    /// Requests at or under each bucket's bound (not yet cumulative).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    seconds: f64,
}

/// Request counts and latencies since the start.
pub struct Registry {
    routes: Mutex<HashMap<String, RouteStats>>,
    started: i64,
    /// Requests in flight, for the gauge and for shutdown.
    pub in_flight: Arc<Requests>,
}

impl Registry {
    pub fn new() -> Registry {
        Registry {
            routes: Mutex::new(HashMap::new()),
            started: unix_now(),
            in_flight: Arc::default(),
        }
    }

    /// Counts one answered request. `route` is the matched route's pattern.
    pub fn observe(&self, route: &str, method: Method, status: u16, seconds: f64) {
        let mut routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        let stats = match routes.get_mut(route) {
            Some(stats) => stats,
            None => routes.entry(route.to_string()).or_default(),
        };
        match stats
            .answers
            .iter_mut()
            .find(|(m, s, _)| *m == method && *s == status)
        {
            Some((_, _, n)) => *n += 1,
            None => stats.answers.push((method, status, 1)),
        }
        if let Some(bucket) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            stats.buckets[bucket] += 1;
        }
        stats.count += 1;
        stats.seconds += seconds;
    }

    /// The request counters and histograms, in Prometheus' text format.
    fn render_requests(&self, out: &mut String) {
        let routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        let mut names: Vec<&String> = routes.keys().collect();
        names.sort();
        out.push_str("# HELP folio_http_requests_total HTTP requests answered, by route pattern, method and status.\n");
        out.push_str("# TYPE folio_http_requests_total counter\n");
        for name in &names {
            let mut answers = routes[*name].answers.clone();
            answers.sort_by(|a, b| (a.0.as_str(), a.1).cmp(&(b.0.as_str(), b.1)));
            for (method, status, n) in answers {
                let route = label(name);
                let _ = writeln!(
                    out,
                    "folio_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}"
                );
            }
        }
        out.push_str("# HELP folio_http_request_duration_seconds Time to the response head, by route pattern.\n");
        out.push_str("# TYPE folio_http_request_duration_seconds histogram\n");
        for name in &names {
            let stats = &routes[*name];
            let route = label(name);
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(stats.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "folio_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "folio_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}\n\
                 folio_http_request_duration_seconds_sum{{route=\"{route}\"}} {}\n\
                 folio_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                stats.count, stats.seconds, stats.count
            );
        }
    }
}

impl Default for Registry {
    fn default() -> Self {
        Registry::new()
    }
}

/// A label value with `\`, `"` and newlines escaped.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// One gauge or counter with its help and type lines.
fn single(out: &mut String, name: &str, kind: &str, help: &str, value: impl std::fmt::Display) {
    let _ = writeln!(
        out,
        "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
    );
}

/// Whether a scrape may see the metrics: always when no `metrics_token` is
/// set, otherwise only with `Authorization: Bearer <metrics_token>`.
pub struct Scraper(bool);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Scraper {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let Some(expected) = req
            .rocket()
            .state::<Settings>()
            .and_then(|s| s.metrics_token.as_deref())
        else {
            return Outcome::Success(Scraper(true));
        };
        let given = req
            .headers()
            .get_one("Authorization")
            .and_then(|value| value.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .unwrap_or_default();
        // Digests compared, so the time taken says nothing about the token.
        let allowed =
            Sha256::digest(given.as_bytes()) == Sha256::digest(expected.trim().as_bytes());
        Outcome::Success(Scraper(allowed))
    }
}

#[get("/metrics")]
pub fn metrics(
    scraper: Scraper,
    registry: &State<Registry>,
    live: &State<Arc<Live>>,
    reads: &State<Reads>,
    db: &State<Db>,
) -> Result<(ContentType, String), (Status, &'static str)> {
    if !scraper.0 {
        return Err((
            Status::Unauthorized,
            "the metrics need the header Authorization: Bearer <metrics_token>\n",
        ));
    }
    let mut out = String::with_capacity(16 * 1024);
    registry.render_requests(&mut out);
    let pool = db.pool();
    let in_use = (pool.size() as usize).saturating_sub(pool.num_idle());
    let gauges = [
        (
            "folio_http_requests_in_flight",
            "gauge",
            "Requests being handled or answered, open live streams included.",
            registry.in_flight.count() as u64,
        ),
        (
            "folio_current_viewers",
            "gauge",
            "People reading a story now.",
            live.total_viewers() as u64,
        ),
        (
            "folio_live_streams_open",
            "gauge",
            "Open live streams (server-sent events).",
            live.open_streams() as u64,
        ),
        (
            "folio_reads_recorded_total",
            "counter",
            "First reads committed since the start.",
            reads.recorded(),
        ),
        (
            "folio_db_pool_connections_in_use",
            "gauge",
            "Database connections lent out.",
            in_use as u64,
        ),
        (
            "folio_db_pool_connections",
            "gauge",
            "Database connections open.",
            u64::from(pool.size()),
        ),
    ];
    for (name, kind, help, value) in gauges {
        single(&mut out, name, kind, help, value);
    }
    single(
        &mut out,
        "folio_start_time_seconds",
        "gauge",
        "When this process started, in seconds since the Unix epoch.",
        registry.started,
    );
    let _ = writeln!(
        out,
        "# HELP folio_build_info The running build.\n# TYPE folio_build_info gauge\n\
         folio_build_info{{version=\"{}\",build=\"{}\",commit=\"{}\"}} 1",
        label(BUILD.version),
        label(BUILD.build),
        label(BUILD.commit)
    );
    let kind =
        ContentType::new("text", "plain").with_params([("version", "0.0.4"), ("charset", "utf-8")]);
    Ok((kind, out))
}
