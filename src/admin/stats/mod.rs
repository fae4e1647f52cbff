//! Read statistics: the dashboard at /admin, each story's statistics page,
//! and their data as CSV.

pub mod chart;
mod csv;
pub mod queries;
pub mod range;

use rocket::http::Status;
use rocket::{get, State};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;
use sqlx::SqlitePool;

use self::chart::Series;
use self::csv::Csv;
use self::queries::DayFigures;
use self::range::{date_of, Range, RangeQuery, PRESETS};
use super::Admin;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::ids::StoryId;
use crate::live::Engine;
use crate::stories::figures_of;
use crate::util::today;
use crate::web::Layout;

/// Stories in the "top stories" table and its CSV.
pub const TOP: i64 = 20;
/// Stories in the read-through table.
const READ_THROUGH: i64 = 50;

/// A published story with its viewers now.
#[derive(Serialize)]
struct Reading {
    id: StoryId,
    slug: String,
    title: String,
    viewers: usize,
}

/// The dashboard: totals, who is reading now, charts and top stories.
#[get("/admin?<q..>")]
pub async fn dashboard(
    q: RangeQuery,
    _admin: Admin,
    layout: Layout,
    db: &Db,
    live: &State<Engine>,
) -> Result<(Status, Template)> {
    let pool = db.pool();
    let (range, error, status) = resolve_or_default(pool, &q).await?;
    let days = queries::site_days(pool, &range).await?;
    let top = queries::top_stories(pool, &range, TOP).await?;
    let totals = queries::totals(pool, today()).await?;
    let published = crate::stories::queries::published(pool).await?;
    let mut reading: Vec<Reading> = figures_of(published, live)
        .await
        .into_iter()
        .map(|s| Reading {
            viewers: s.current_viewers,
            id: s.id,
            slug: s.slug,
            title: s.title,
        })
        .collect();
    reading.sort_by_key(|r| std::cmp::Reverse(r.viewers));
    let reading_total: usize = reading.iter().map(|r| r.viewers).sum();
    let read_through: Vec<_> = queries::read_through(pool, READ_THROUGH)
        .await?
        .into_iter()
        .map(|story| context! { percent: story.percent(), story })
        .collect();
    let charts = context! {
        views: chart::bars(&series(&range, &days, "views", |d| d.views)),
        reads: chart::bars(&series(&range, &days, "new reads", |d| d.reads)),
        visitors: chart::bars(&series(&range, &days, "unique visitors", |d| d.visitors)),
    };
    let page = Template::render(
        "admin/dashboard.html",
        context! {
            layout, totals, range, presets: PRESETS, error, q, charts, top, reading, reading_total,
            read_through, sum: queries::sum(&days),
        },
    );
    Ok((status, page))
}

/// One story's statistics page.
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
    let story = super::stories::queries::get(pool, id)
        .await?
        .ok_or(Error::NotFound)?;
    let (range, error, status) = resolve_or_default(pool, &q).await?;
    let days = queries::story_days(pool, id, &range).await?;
    let charts = context! {
        views: chart::bars(&series(&range, &days, "views", |d| d.views)),
        reads: chart::bars(&series(&range, &days, "new reads", |d| d.reads)),
    };
    let viewers = live.viewers_of(id).await;
    let read_through = queries::story_read_through(pool, id)
        .await?
        .map(|story| context! { percent: story.percent(), finished: story.finished });
    let page = Template::render(
        "admin/story_stats.html",
        context! {
            layout, story, range, presets: PRESETS, error, q, charts, viewers, read_through,
            sum: queries::sum(&days),
        },
    );
    Ok((status, page))
}

/// The dashboard's figures per day, as CSV.
#[get("/admin/stats/daily.csv?<q..>")]
pub async fn daily_csv(q: RangeQuery, _admin: Admin, db: &Db) -> Result<Csv> {
    let range = resolve(db.pool(), &q).await?;
    let days = queries::site_days(db.pool(), &range).await?;
    let rows = days.iter().map(|d| {
        vec![
            date_of(d.day),
            d.views.to_string(),
            d.reads.to_string(),
            d.visitors.to_string(),
        ]
    });
    let name = format!("folio-daily-{}-{}.csv", range.from_date, range.to_date);
    Ok(Csv::new(
        &name,
        &["date", "views", "new_reads", "unique_visitors"],
        rows,
    ))
}

/// The top stories table, as CSV.
#[get("/admin/stats/top.csv?<q..>")]
pub async fn top_csv(q: RangeQuery, _admin: Admin, db: &Db) -> Result<Csv> {
    let range = resolve(db.pool(), &q).await?;
    let top = queries::top_stories(db.pool(), &range, TOP).await?;
    let rows = top.into_iter().enumerate().map(|(i, s)| {
        vec![
            (i + 1).to_string(),
            s.id.to_string(),
            s.title,
            s.reads.to_string(),
            s.views.to_string(),
        ]
    });
    let name = format!(
        "folio-top-stories-{}-{}.csv",
        range.from_date, range.to_date
    );
    Ok(Csv::new(
        &name,
        &["rank", "story_id", "title", "new_reads", "views"],
        rows,
    ))
}

/// One story's figures per day, as CSV.
#[get("/admin/stories/<id>/stats.csv?<q..>")]
pub async fn story_csv(id: StoryId, q: RangeQuery, _admin: Admin, db: &Db) -> Result<Csv> {
    super::stories::queries::get(db.pool(), id)
        .await?
        .ok_or(Error::NotFound)?;
    let range = resolve(db.pool(), &q).await?;
    let days = queries::story_days(db.pool(), id, &range).await?;
    let rows = days
        .iter()
        .map(|d| vec![date_of(d.day), d.views.to_string(), d.reads.to_string()]);
    let name = format!("folio-story-{id}-{}-{}.csv", range.from_date, range.to_date);
    Ok(Csv::new(&name, &["date", "views", "new_reads"], rows))
}

async fn resolve(db: &SqlitePool, q: &RangeQuery) -> Result<Range> {
    let first = queries::first_day(db).await?;
    q.resolve(first).map_err(Error::BadRequest)
}

/// The range asked for, or the last 30 days with what was wrong (and 400).
async fn resolve_or_default(
    db: &SqlitePool,
    q: &RangeQuery,
) -> Result<(Range, Option<String>, Status)> {
    let first = queries::first_day(db).await?;
    Ok(match q.resolve(first) {
        Ok(range) => (range, None, Status::Ok),
        Err(problem) => {
            let fallback = <RangeQuery as Default>::default()
                .resolve(first)
                .map_err(Error::BadRequest)?;
            (fallback, Some(problem), Status::BadRequest)
        }
    })
}

fn series<'a>(
    range: &Range,
    days: &[DayFigures],
    label: &'a str,
    value: impl Fn(&DayFigures) -> i64,
) -> Series<'a> {
    Series {
        label,
        first_day: range.from,
        values: days.iter().map(value).collect(),
    }
}
