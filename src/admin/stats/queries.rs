//! The statistics queries. Every figure comes from the per-day rollups
//! (`site_days`, `story_days`) or from counters on the story: a year of
//! figures is at most a few hundred thousand small rows, never a scan of
//! raw reads or views.

use serde::Serialize;
use sqlx::AnyPool;

use super::range::Range;
use crate::error::Result;
use crate::ids::StoryId;

/// One day's figures.
#[derive(Debug, Clone, Copy, Default, Serialize, sqlx::FromRow)]
pub struct DayFigures {
    pub day: i64,
    pub views: i64,
    pub reads: i64,
    pub visitors: i64,
}

/// The headline numbers.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    pub published: i64,
    pub drafts: i64,
    pub readers: i64,
    pub reads: i64,
    pub views: i64,
    pub visitors_today: i64,
    pub visitors_7: i64,
    pub visitors_30: i64,
}

/// A story's figures over a range.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StoryRank {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub reads: i64,
    pub views: i64,
}

/// The earliest day with any figures.
pub async fn first_day(db: &AnyPool) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT MIN(day) FROM site_days")
        .fetch_one(db)
        .await?)
}

pub async fn totals(db: &AnyPool, today: i64) -> Result<Totals> {
    let (published, drafts, reads, views): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(published_at), COUNT(*) - COUNT(published_at),
                CAST(COALESCE(SUM(read_count), 0) AS BIGINT), CAST(COALESCE(SUM(view_count), 0) AS BIGINT)
         FROM stories",
    )
    .fetch_one(db)
    .await?;
    let readers: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE is_admin = 0 AND disabled_at IS NULL")
            .fetch_one(db)
            .await?;
    let visitors = |days: i64| {
        sqlx::query_scalar::<_, i64>(
            "SELECT CAST(COALESCE(SUM(visitors), 0) AS BIGINT) FROM site_days WHERE day > $1 AND day <= $2",
        )
        .bind(today - days)
        .bind(today)
        .fetch_one(db)
    };
    Ok(Totals {
        published,
        drafts,
        readers,
        reads,
        views,
        visitors_today: visitors(1).await?,
        visitors_7: visitors(7).await?,
        visitors_30: visitors(30).await?,
    })
}

/// The site's figures for every day of `range`, days without any as zeros.
pub async fn site_days(db: &AnyPool, range: &Range) -> Result<Vec<DayFigures>> {
    let rows: Vec<DayFigures> = sqlx::query_as(
        "SELECT day, views, reads, visitors FROM site_days WHERE day BETWEEN $1 AND $2 ORDER BY day",
    )
    .bind(range.from)
    .bind(range.to)
    .fetch_all(db)
    .await?;
    Ok(fill(range, rows))
}

/// One story's figures for every day of `range` (no visitors per story).
pub async fn story_days(db: &AnyPool, story: StoryId, range: &Range) -> Result<Vec<DayFigures>> {
    let rows: Vec<DayFigures> = sqlx::query_as(
        "SELECT day, views, reads, 0 AS visitors FROM story_days
         WHERE story_id = $1 AND day BETWEEN $2 AND $3 ORDER BY day",
    )
    .bind(story)
    .bind(range.from)
    .bind(range.to)
    .fetch_all(db)
    .await?;
    Ok(fill(range, rows))
}

/// The stories with the most new reads in `range` (then the most views).
/// Whole weeks are summed from `story_weeks` and only the days at the
/// range's ends from `story_days`: a year is 52 rows a story, not 365.
pub async fn top_stories(db: &AnyPool, range: &Range, limit: i64) -> Result<Vec<StoryRank>> {
    // All time reads the weeks in story order: no sort, no filter.
    let totals = if range.key == "all" {
        "SELECT story_id, CAST(SUM(reads) AS BIGINT) AS reads, CAST(SUM(views) AS BIGINT) AS views FROM story_weeks
         GROUP BY story_id"
    } else {
        "SELECT story_id, CAST(SUM(reads) AS BIGINT) AS reads, CAST(SUM(views) AS BIGINT) AS views FROM (
             SELECT story_id, reads, views FROM story_weeks WHERE week BETWEEN $4 AND $5
             UNION ALL
             SELECT story_id, reads, views FROM story_days WHERE day BETWEEN $1 AND $6
             UNION ALL
             SELECT story_id, reads, views FROM story_days WHERE day BETWEEN $7 AND $2
         ) AS days GROUP BY story_id"
    };
    let sql = format!(
        "SELECT stories.id, COALESCE(stories.slug, CAST(stories.id AS TEXT)) AS slug,
                stories.title, totals.reads, totals.views
         FROM ({totals}) AS totals JOIN stories ON stories.id = totals.story_id
         ORDER BY totals.reads DESC, totals.views DESC, stories.id LIMIT $3"
    );
    let split = range.weeks();
    Ok(sqlx::query_as(&sql)
        .bind(range.from)
        .bind(range.to)
        .bind(limit)
        .bind(split.first_week)
        .bind(split.last_week)
        .bind(split.head_end)
        .bind(split.tail_start)
        .fetch_all(db)
        .await?)
}

/// Every day of `range`, from `rows` (ordered by day) or zeros.
fn fill(range: &Range, rows: Vec<DayFigures>) -> Vec<DayFigures> {
    let mut rows = rows.into_iter().peekable();
    range
        .days()
        .map(|day| match rows.next_if(|row| row.day == day) {
            Some(row) => row,
            None => DayFigures {
                day,
                ..DayFigures::default()
            },
        })
        .collect()
}

/// Adds up a series.
pub fn sum(days: &[DayFigures]) -> DayFigures {
    days.iter()
        .fold(DayFigures::default(), |acc, d| DayFigures {
            day: acc.day,
            views: acc.views + d.views,
            reads: acc.reads + d.reads,
            visitors: acc.visitors + d.visitors,
        })
}

/// How many of a story's readers reached its end (a READ_COMPLETE action
/// from Folio's own pages, or a client of the activity log).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ReadThrough {
    pub id: i64,
    pub title: String,
    pub readers: i64,
    pub halfway: i64,
    pub finished: i64,
}

impl ReadThrough {
    /// Finished per hundred readers; none without readers.
    pub fn percent(&self) -> Option<i64> {
        (self.readers > 0).then(|| (100 * self.finished.min(self.readers)) / self.readers)
    }

    /// Got halfway per hundred readers; none without readers.
    pub fn halfway_percent(&self) -> Option<i64> {
        (self.readers > 0).then(|| (100 * self.halfway.min(self.readers)) / self.readers)
    }
}

/// The published stories with the most readers, with how many finished.
pub async fn read_through(db: &AnyPool, limit: i64) -> Result<Vec<ReadThrough>> {
    Ok(sqlx::query_as(
        "SELECT id, title, read_count AS readers, halfway_count AS halfway,
                completion_count AS finished FROM stories
         WHERE published_at IS NOT NULL ORDER BY read_count DESC, id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// One story's readers and how many finished it.
pub async fn story_read_through(db: &AnyPool, story: StoryId) -> Result<Option<ReadThrough>> {
    Ok(sqlx::query_as(
        "SELECT id, title, read_count AS readers, halfway_count AS halfway,
                completion_count AS finished FROM stories
         WHERE id = $1",
    )
    .bind(story)
    .fetch_optional(db)
    .await?)
}
