//! The dashboard at /admin: the range's headline figures against the
//! period before, one main chart of the chosen figure (with its table),
//! who is reading now and over the last half hour, top stories, sources,
//! devices, browsers and read-through.

use std::sync::Arc;

use rocket::http::Status;
use rocket::response::content::RawHtml;
use rocket::tokio::try_join;
use rocket::{get, State};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

use super::breakdowns::{self, By};
use super::chart::{self, Point};
use super::headlines::{Headline, Metric};
use super::now::ReadingHistory;
use super::range::{RangeQuery, PRESETS};
use super::{queries, resolve_or_default, series};
use crate::admin::Admin;
use crate::db::Db;
use crate::error::Result;
use crate::ids::StoryId;
use crate::live::Engine;
use crate::stories::figures_of;
use crate::util::{today, unix_now};
use crate::web::Layout;

/// Stories in the "top stories" table and its CSV.
pub const TOP: i64 = 20;
/// Stories in the read-through table.
const READ_THROUGH: i64 = 50;

/// A published story with its readers now: shown only while someone is.
#[derive(Serialize)]
struct Reading {
    id: StoryId,
    title: String,
    viewers: usize,
}

#[get("/admin?<q..>")]
pub async fn dashboard(
    q: RangeQuery,
    _admin: Admin,
    layout: Layout,
    db: &Db,
    live: &State<Engine>,
    history: &State<Arc<ReadingHistory>>,
) -> Result<(Status, Template)> {
    let pool = db.pool();
    let (range, mut error, mut status) = resolve_or_default(pool, &q).await?;
    let metric = Metric::parse(q.metric.as_deref(), Metric::Visitors).unwrap_or_else(|problem| {
        error = Some(problem);
        status = Status::BadRequest;
        Metric::Visitors
    });
    // Every figure at once: each query takes its own connection, so the
    // page waits for the slowest rather than for them all in turn.
    let previous = async {
        match range.previous() {
            Some(previous) => Ok(Some(queries::sum(
                &queries::site_days(pool, &previous).await?,
            ))),
            None => Ok(None),
        }
    };
    let (days, before, published, read_through, totals, top, sources, devices, browsers) = try_join!(
        queries::site_days(pool, &range),
        previous,
        crate::stories::queries::published(pool),
        queries::read_through(pool, READ_THROUGH),
        queries::totals(pool, today()),
        queries::top_stories(pool, &range, TOP),
        breakdowns::sources(pool, &range),
        breakdowns::devices(pool, &range, By::Device),
        breakdowns::devices(pool, &range, By::Browser),
    )?;
    let sum = queries::sum(&days);
    let mut reading: Vec<Reading> = figures_of(published, live)
        .await
        .into_iter()
        .map(|s| Reading {
            viewers: s.current_viewers,
            id: s.id,
            title: s.title,
        })
        .collect();
    reading.sort_by_key(|r| std::cmp::Reverse(r.viewers));
    let reading_total: usize = reading.iter().map(|r| r.viewers).sum();
    history.record(unix_now(), reading_total);
    let headlines = [
        Headline::new(
            Metric::Visitors,
            "unique visitors",
            sum.visitors,
            before.map(|b| b.visitors),
        ),
        Headline::new(Metric::Views, "views", sum.views, before.map(|b| b.views)),
        Headline::new(
            Metric::Reads,
            "new reads",
            sum.reads,
            before.map(|b| b.reads),
        ),
        Headline::new(Metric::Now, "reading now", reading_total as i64, None),
    ];
    let now_points = history.points(unix_now());
    let (interval, points) = match metric {
        Metric::Now => (None, now_points.clone()),
        _ => {
            let values: Vec<i64> = days.iter().map(|d| metric.of(d)).collect();
            let (interval, points) = series::points(range.from, &values);
            (Some(interval), points)
        }
    };
    let main = context! {
        svg: chart::bars(metric.unit(), &points),
        empty: points.iter().all(|p| p.value.unwrap_or(0) == 0),
        rows: table(&points), interval,
    };
    let now_chart = chart::bars("reading", &now_points);
    let read_through: Vec<_> = read_through
        .into_iter()
        .map(|story| context! { percent: story.percent(), halfway: story.halfway_percent(), story })
        .collect();
    let page = Template::render(
        "admin/dashboard.html",
        context! {
            layout, range, presets: PRESETS, error, q, metric, headlines, main, now_chart,
            reading, reading_total, read_through, sum, totals, top, sources, devices, browsers,
        },
    );
    Ok((status, page))
}

/// The last half hour's chart alone, for the dashboard to refresh itself.
#[get("/admin/stats/now")]
pub async fn now_chart(
    _admin: Admin,
    live: &State<Engine>,
    history: &State<Arc<ReadingHistory>>,
) -> RawHtml<String> {
    history.record(unix_now(), live.total_viewers().await);
    RawHtml(chart::bars("reading", &history.points(unix_now())))
}

/// A chart's bars as rows of its table: what each stands for and its value.
pub fn table(points: &[Point]) -> Vec<(String, String)> {
    points
        .iter()
        .map(|p| {
            let value = p
                .value
                .map_or_else(|| "not known".into(), chart::group_digits);
            (p.name.clone(), value)
        })
        .collect()
}
