//! One story's statistics: its figures in the range against the period
//! before, a chart of views or new reads (with its table), who is reading
//! it now, and its read-through funnel: opened, halfway, finished.

use rocket::http::Status;
use rocket::{get, State};
use rocket_dyn_templates::{context, Template};

use super::chart;
use super::headlines::{Headline, Metric};
use super::range::{RangeQuery, PRESETS};
use super::site_page::table;
use super::{queries, resolve_or_default, series};
use crate::admin::Admin;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::ids::StoryId;
use crate::live::Engine;
use crate::web::Layout;

#[get("/admin/stories/<id>/stats?<q..>")]
pub async fn story(
    id: StoryId,
    q: RangeQuery,
    _admin: Admin,
    layout: Layout,
    db: &Db,
    live: &State<Engine>,
) -> Result<(Status, Template)> {
    let pool = db.pool();
    let story = crate::admin::stories::queries::get(pool, id)
        .await?
        .ok_or(Error::NotFound)?;
    let (range, mut error, mut status) = resolve_or_default(pool, &q).await?;
    let metric = match Metric::parse(q.metric.as_deref(), Metric::Views) {
        Ok(metric @ (Metric::Views | Metric::Reads)) => metric,
        Ok(_) | Err(_) => {
            error = Some("A story's chart shows views or reads: choose one of them.".into());
            status = Status::BadRequest;
            Metric::Views
        }
    };
    let days = queries::story_days(pool, id, &range).await?;
    let sum = queries::sum(&days);
    let before = match range.previous() {
        Some(previous) => Some(queries::sum(
            &queries::story_days(pool, id, &previous).await?,
        )),
        None => None,
    };
    let headlines = [
        Headline::new(Metric::Views, "views", sum.views, before.map(|b| b.views)),
        Headline::new(
            Metric::Reads,
            "new reads",
            sum.reads,
            before.map(|b| b.reads),
        ),
    ];
    let values: Vec<i64> = days.iter().map(|d| metric.of(d)).collect();
    let (interval, points) = series::points(range.from, &values);
    let main = context! {
        svg: chart::bars(metric.unit(), &points),
        empty: points.iter().all(|p| p.value.unwrap_or(0) == 0),
        rows: table(&points), interval,
    };
    let viewers = live.viewers_of(id).await;
    let funnel = queries::story_read_through(pool, id).await?.map(|story| {
        context! {
            percent: story.percent(), halfway_percent: story.halfway_percent(),
            readers: story.readers, halfway: story.halfway, finished: story.finished,
        }
    });
    let page = Template::render(
        "admin/story_stats.html",
        context! {
            layout, story, range, presets: PRESETS, error, q, metric, headlines, main, viewers,
            funnel, sum,
        },
    );
    Ok((status, page))
}
