//! `/metrics` in the OpenMetrics text format (which Prometheus reads):
//! requests by route and status, a latency histogram per route, and gauges
//! read at scrape time. The metrics live in one registry per Folio, in
//! Rocket's managed state.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::Registry;
use rocket::http::{ContentType, Method};
use rocket::{get, State};

use super::in_flight::RequestsInFlight;
use super::scrapers::{Refusal, Scraper};
use crate::activity::PostLimits;
use crate::build_info::BUILD;
use crate::db::Db;
use crate::live::Engine;
use crate::streams::{Budget, Feeds, Refusal as StreamRefusal};
use crate::util::unix_now;

/// Upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Answer {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Route {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct BuildLabels {
    version: &'static str,
    build: &'static str,
    commit: &'static str,
}

/// Folio's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<Answer, Counter>,
    durations: Family<Route, Histogram>,
    in_flight_gauge: Gauge,
    viewers: Gauge,
    streams: Gauge,
    pool_in_use: Gauge,
    pool_open: Gauge,
}

impl Metrics {
    /// The registry, with `reads` (first reads committed since the start)
    /// and the refusals of the stream `budget` and of the activity log's
    /// `limits` read at every scrape.
    pub fn new(reads: Arc<AtomicU64>, budget: Arc<Budget>, limits: PostLimits) -> Metrics {
        let mut registry = Registry::default();
        let requests = Family::<Answer, Counter>::default();
        registry.register(
            "folio_http_requests",
            "HTTP requests answered, by route pattern, method and status",
            requests.clone(),
        );
        let durations = Family::<Route, Histogram>::new_with_constructor(
            (|| Histogram::new(BUCKETS)) as fn() -> Histogram,
        );
        registry.register(
            "folio_http_request_duration_seconds",
            "Time to the response head, by route pattern",
            durations.clone(),
        );
        let gauge = |registry: &mut Registry, name: &str, help: &str| {
            let gauge = Gauge::default();
            registry.register(name, help, gauge.clone());
            gauge
        };
        let in_flight_gauge = gauge(
            &mut registry,
            "folio_http_requests_in_flight",
            "Requests being handled or answered, open live streams included",
        );
        let viewers = gauge(
            &mut registry,
            "folio_current_viewers",
            "People reading a story now",
        );
        let streams = gauge(
            &mut registry,
            "folio_live_streams_open",
            "Open live streams (server-sent events)",
        );
        let pool_in_use = gauge(
            &mut registry,
            "folio_db_pool_connections_in_use",
            "Database connections lent out",
        );
        let pool_open = gauge(
            &mut registry,
            "folio_db_pool_connections",
            "Database connections open",
        );
        let started = gauge(
            &mut registry,
            "folio_start_time_seconds",
            "When this process started, in seconds since the Unix epoch",
        );
        started.set(unix_now());
        registry.register_collector(Box::new(ReadsRecorded(reads)));
        registry.register_collector(Box::new(StreamRefusals(budget)));
        registry.register_collector(Box::new(LimitRefusals(limits)));
        let build = BuildLabels {
            version: BUILD.version,
            build: BUILD.build,
            commit: BUILD.commit,
        };
        registry.register("folio_build", "The running build", Info::new(build));
        Metrics {
            registry,
            requests,
            durations,
            in_flight_gauge,
            viewers,
            streams,
            pool_in_use,
            pool_open,
        }
    }

    /// Counts one answered request. `route` is the matched route's pattern.
    pub fn observe(&self, route: &str, method: Method, status: u16, seconds: f64) {
        let answer = Answer {
            method: method.as_str(),
            route: route.to_string(),
            status,
        };
        self.requests.get_or_create(&answer).inc();
        let route = Route {
            route: answer.route,
        };
        self.durations.get_or_create(&route).observe(seconds);
    }
}

/// First reads committed since the start: the read writer's own counter.
#[derive(Debug)]
struct ReadsRecorded(Arc<AtomicU64>);

impl Collector for ReadsRecorded {
    fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> Result<(), std::fmt::Error> {
        let counter = ConstCounter::new(self.0.load(Ordering::Relaxed));
        let metric = encoder.encode_descriptor(
            "folio_reads_recorded",
            "First reads committed since the start",
            None,
            counter.metric_type(),
        )?;
        counter.encode(metric)
    }
}

/// Live streams refused for being over a budget, by the budget.
struct StreamRefusals(Arc<Budget>);

impl std::fmt::Debug for StreamRefusals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StreamRefusals")
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RefusalLabels {
    budget: &'static str,
}

impl Collector for StreamRefusals {
    fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> Result<(), std::fmt::Error> {
        let mut family = encoder.encode_descriptor(
            "folio_live_stream_refusals",
            "Live streams refused because a budget was full, by budget",
            None,
            prometheus_client::metrics::MetricType::Counter,
        )?;
        for refusal in StreamRefusal::ALL {
            let labels = RefusalLabels {
                budget: refusal.label(),
            };
            let counter = ConstCounter::new(self.0.refused(refusal));
            counter.encode(family.encode_family(&labels)?)?;
        }
        Ok(())
    }
}

/// Batches refused by the activity log's budgets, by the setting of the
/// budget that refused them.
struct LimitRefusals(PostLimits);

impl std::fmt::Debug for LimitRefusals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LimitRefusals")
    }
}

impl Collector for LimitRefusals {
    fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> Result<(), std::fmt::Error> {
        let mut metric = encoder.encode_descriptor(
            "folio_limit_refusals",
            "Batches refused by an activity-log budget (429 or 413), by the budget's setting",
            None,
            prometheus_client::metrics::MetricType::Counter,
        )?;
        for (limit, refused) in self.0.refusals() {
            let labels = [("limit", limit)];
            ConstCounter::new(refused).encode(metric.encode_family(&labels)?)?;
        }
        Ok(())
    }
}

#[get("/metrics")]
pub async fn metrics(
    scraper: Scraper,
    metrics: &State<Metrics>,
    in_flight: &State<Arc<RequestsInFlight>>,
    live: &State<Engine>,
    feeds: &State<Feeds>,
    db: &State<Db>,
) -> Result<(ContentType, String), Refusal> {
    scraper.admitted()?;
    let pool = db.pool();
    let in_use = (pool.size() as usize).saturating_sub(pool.num_idle());
    metrics.in_flight_gauge.set(in_flight.count());
    metrics.viewers.set(live.total_viewers().await as i64);
    metrics.streams.set(feeds.count.open() as i64);
    metrics.pool_in_use.set(in_use as i64);
    metrics.pool_open.set(i64::from(pool.size()));
    let mut out = String::with_capacity(16 * 1024);
    if prometheus_client::encoding::text::encode(&mut out, &metrics.registry).is_err() {
        return Err(Refusal::failed());
    }
    let kind = ContentType::new("application", "openmetrics-text")
        .with_params([("version", "1.0.0"), ("charset", "utf-8")]);
    Ok((kind, out))
}
