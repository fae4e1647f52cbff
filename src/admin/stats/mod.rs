//! Read statistics: the dashboard at /admin, each story's statistics page,
//! and their data as CSV.

pub use site_page::{dashboard, now_chart, TOP};
pub use story_page::story;

mod breakdowns;
pub mod chart;
mod csv;
mod headlines;
pub mod now;
pub mod queries;
pub mod range;
mod series;
mod site_page;
mod story_page;

use rocket::get;
use rocket::http::Status;
use sqlx::AnyPool;

use self::csv::Csv;
use self::range::{date_of, Range, RangeQuery};
use super::Admin;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::ids::StoryId;

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

async fn resolve(db: &AnyPool, q: &RangeQuery) -> Result<Range> {
    let first = queries::first_day(db).await?;
    q.resolve(first).map_err(Error::BadRequest)
}

/// The range asked for, or the last 30 days with what was wrong (and 400).
async fn resolve_or_default(
    db: &AnyPool,
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
