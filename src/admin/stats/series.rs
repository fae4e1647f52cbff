//! A range's figures as the bars of a chart: one bar per day up to three
//! months, per week up to two years, per month beyond; dates on the axis
//! at steps that keep them apart (every day, every few days or weeks, or
//! every one, two, three or six months).

use rocket::time::{Date, Month, Weekday};

use super::chart::Point;
use super::range::calendar;

/// Longest range drawn by day, and by week.
const DAILY_UP_TO: usize = 92;
const WEEKLY_UP_TO: usize = 731;
/// Most dates along the axis.
const MAX_TICKS: usize = 8;

/// How long one bar is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    Day,
    Week,
    Month,
}

/// The interval a range of `days` days is drawn by.
pub fn interval_for(days: usize) -> Interval {
    match days {
        d if d <= DAILY_UP_TO => Interval::Day,
        d if d <= WEEKLY_UP_TO => Interval::Week,
        _ => Interval::Month,
    }
}

/// The bars for `values`, one per day from `first_day` on.
pub fn points(first_day: i64, values: &[i64]) -> (Interval, Vec<Point>) {
    let interval = interval_for(values.len());
    let mut buckets: Vec<(Date, i64)> = Vec::new();
    for (i, &value) in values.iter().enumerate() {
        let Some(date) = calendar(first_day + i as i64) else {
            continue;
        };
        let starts = match interval {
            Interval::Day => true,
            Interval::Week => date.weekday() == Weekday::Monday,
            Interval::Month => date.day() == 1,
        };
        match buckets.last_mut() {
            Some((_, sum)) if !starts => *sum += value,
            _ => buckets.push((date, value)),
        }
    }
    let ticks = tick_marks(interval, &buckets);
    let points = buckets
        .iter()
        .zip(ticks)
        .map(|(&(date, value), tick)| Point {
            name: name(interval, date),
            tick,
            value: Some(value),
        })
        .collect();
    (interval, points)
}

/// The label under each bar that carries one.
fn tick_marks(interval: Interval, buckets: &[(Date, i64)]) -> Vec<Option<String>> {
    let n = buckets.len();
    if interval == Interval::Day {
        let step = [1, 2, 7, 14, 28]
            .into_iter()
            .find(|s| n.div_ceil(*s) <= MAX_TICKS)
            .unwrap_or(28);
        return buckets
            .iter()
            .enumerate()
            .map(|(i, (date, _))| i.is_multiple_of(step).then(|| day_label(*date)))
            .collect();
    }
    // Weeks and months: a label where a month begins, every few months.
    let begins = |i: usize, date: &Date| i == 0 || date.month() != buckets[i - 1].0.month();
    let months = buckets
        .iter()
        .enumerate()
        .filter(|(i, (d, _))| begins(*i, d))
        .count();
    let step = [1, 2, 3, 6, 12]
        .into_iter()
        .find(|s| months.div_ceil(*s) <= MAX_TICKS)
        .unwrap_or(12);
    let mut first = true;
    buckets
        .iter()
        .enumerate()
        .map(|(i, (date, _))| {
            let month = date.month() as usize - 1;
            let show = begins(i, date) && i > 0 && month.is_multiple_of(step);
            let label = show.then(|| month_label(*date, first || date.month() == Month::January));
            first &= !show;
            label
        })
        .collect()
}

fn day_label(date: Date) -> String {
    format!("{} {}", date.day(), short_month(date.month()))
}

fn month_label(date: Date, with_year: bool) -> String {
    match with_year {
        true => format!("{} {}", short_month(date.month()), date.year()),
        false => short_month(date.month()).to_string(),
    }
}

/// What a bar stands for, in full.
fn name(interval: Interval, date: Date) -> String {
    let day = || {
        format!(
            "{} {} {}",
            date.day(),
            short_month(date.month()),
            date.year()
        )
    };
    match interval {
        Interval::Day => format!("{} {}", &date.weekday().to_string()[..3], day()),
        Interval::Week => format!("Week of {}", day()),
        Interval::Month => format!("{} {}", date.month(), date.year()),
    }
}

fn short_month(month: Month) -> &'static str {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    NAMES[month as usize - 1]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::stats::range::day_of;
    use rocket::time::macros::date;

    #[test]
    fn thirty_days_by_day_with_dates_every_few_days() {
        let first = day_of(date!(2026 - 11 - 01));
        let (interval, points) = points(first, &[1; 30]);
        assert_eq!((interval, points.len()), (Interval::Day, 30));
        let ticks: Vec<_> = points.iter().filter_map(|p| p.tick.clone()).collect();
        assert_eq!(ticks, ["1 Nov", "8 Nov", "15 Nov", "22 Nov", "29 Nov"]);
        assert_eq!(points[0].name, "Sun 1 Nov 2026");
    }

    #[test]
    fn a_year_by_week_with_months_on_the_axis() {
        let first = day_of(date!(2025 - 12 - 05));
        let (interval, points) = points(first, &[2; 365]);
        assert_eq!(interval, Interval::Week);
        // A partial week first, then Mondays: every day counted once.
        assert_eq!(points.iter().filter_map(|p| p.value).sum::<i64>(), 730);
        let ticks: Vec<_> = points.iter().filter_map(|p| p.tick.clone()).collect();
        assert!((4..=MAX_TICKS).contains(&ticks.len()), "{ticks:?}");
        assert!(ticks.contains(&"Jan 2026".to_string()), "{ticks:?}");
    }

    #[test]
    fn years_by_month() {
        let first = day_of(date!(2023 - 01 - 01));
        let (interval, points) = points(first, &[1; 1096]);
        assert_eq!((interval, points.len()), (Interval::Month, 36));
        assert_eq!(points[1].name, "February 2023");
        assert_eq!(points[1].value, Some(28));
    }
}
