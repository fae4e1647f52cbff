//! The date range a dashboard shows: the last 7, 30, 90 or 365 days, all
//! time, or custom dates. Days are UTC.

use rocket::form::FromForm;
use rocket::time::{Date, Month};
use serde::Serialize;

use crate::util::today;

/// The Julian day of 1970-01-01, day 0 in the database.
const EPOCH_JULIAN_DAY: i64 = 2_440_588;
/// The longest custom range: ten years.
const MAX_DAYS: i64 = 3_660;

/// The range as the query string gives it.
#[derive(Debug, Default, Clone, FromForm, Serialize)]
pub struct RangeQuery {
    /// 7, 30, 90, 365 or "all"; ignored when `from` or `to` is given.
    pub range: Option<String>,
    /// Custom range, as YYYY-MM-DD.
    pub from: Option<String>,
    pub to: Option<String>,
    /// What the main chart shows (see [`super::headlines::Metric`]).
    pub metric: Option<String>,
}

/// A resolved range of days, both ends included.
#[derive(Debug, Clone, Serialize)]
pub struct Range {
    pub from: i64,
    pub to: i64,
    /// Which choice it was: "7", "30", "90", "365", "all" or "custom".
    pub key: String,
    /// The ends as dates, for the form and the captions.
    pub from_date: String,
    pub to_date: String,
    /// The query string that selects this range again.
    pub query: String,
}

pub const PRESETS: [&str; 5] = ["7", "30", "90", "365", "all"];

impl RangeQuery {
    /// The range asked for; `first_day` is the earliest day with figures,
    /// where "all time" starts. Err: what is wrong, in words.
    pub fn resolve(&self, first_day: Option<i64>) -> Result<Range, String> {
        let today = today();
        let custom = [&self.from, &self.to]
            .iter()
            .any(|end| end.as_deref().is_some_and(|s| !s.trim().is_empty()));
        if custom {
            let from = parse_end("start", self.from.as_deref())?;
            let to = parse_end("end", self.to.as_deref())?;
            if from > to {
                return Err("The start date must not be after the end date.".into());
            }
            if to - from >= MAX_DAYS {
                return Err(format!("A custom range spans at most {MAX_DAYS} days."));
            }
            return Ok(Range::new(from, to, "custom"));
        }
        match self.range.as_deref().unwrap_or("30") {
            "all" => Ok(Range::new(
                first_day.unwrap_or(today).min(today),
                today,
                "all",
            )),
            key @ ("7" | "30" | "90" | "365") => {
                let days: i64 = key.parse().unwrap_or(30);
                Ok(Range::new(today - days + 1, today, key))
            }
            other => Err(format!(
                "\"{other}\" is not a range: choose 7, 30, 90 or 365 days, all time, or dates."
            )),
        }
    }
}

fn parse_end(which: &str, value: Option<&str>) -> Result<i64, String> {
    let value = value.map(str::trim).unwrap_or("");
    if value.is_empty() {
        let article = if which == "end" { "an" } else { "a" };
        return Err(format!("A custom range needs {article} {which} date."));
    }
    parse_date(value)
        .map(day_of)
        .ok_or_else(|| format!("The {which} date must be a date like 2026-11-01, not \"{value}\"."))
}

/// A YYYY-MM-DD date.
fn parse_date(value: &str) -> Option<Date> {
    let mut parts = value.splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    if !(1..=9999).contains(&year) {
        return None;
    }
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

impl Range {
    /// Its whole weeks and the days at its ends.
    pub fn weeks(&self) -> WeekSplit {
        WeekSplit::of(self.from, self.to)
    }

    fn new(from: i64, to: i64, key: &str) -> Range {
        let query = if key == "custom" {
            format!("from={}&to={}", date_of(from), date_of(to))
        } else {
            format!("range={key}")
        };
        Range {
            from,
            to,
            key: key.to_string(),
            from_date: date_of(from),
            to_date: date_of(to),
            query,
        }
    }

    /// The range of as many days just before this one, to compare with;
    /// none for all time.
    pub fn previous(&self) -> Option<Range> {
        let days = self.to - self.from + 1;
        (self.key != "all").then(|| Range::new(self.from - days, self.from - 1, "previous"))
    }

    /// Every day of the range, in order.
    pub fn days(&self) -> impl Iterator<Item = i64> {
        self.from..=self.to
    }
}

/// The day number of a date.
pub fn day_of(date: Date) -> i64 {
    i64::from(date.to_julian_day()) - EPOCH_JULIAN_DAY
}

/// A day number as YYYY-MM-DD.
pub fn date_of(day: i64) -> String {
    calendar(day)
        .map(|date| date.to_string())
        .unwrap_or_else(|| day.to_string())
}

/// A day number as a calendar date.
pub fn calendar(day: i64) -> Option<Date> {
    i32::try_from(day + EPOCH_JULIAN_DAY)
        .ok()
        .and_then(|julian| Date::from_julian_day(julian).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_dates_agree() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(20_417), "2025-11-25");
        let query = RangeQuery {
            from: Some("2025-11-01".into()),
            to: Some("2025-11-25".into()),
            ..<RangeQuery as Default>::default()
        };
        let range = query.resolve(None).expect("a valid range");
        assert_eq!(
            (range.from_date.as_str(), range.to - range.from),
            ("2025-11-01", 24)
        );
        let reversed = RangeQuery {
            from: Some("2025-11-25".into()),
            to: Some("2025-11-01".into()),
            ..<RangeQuery as Default>::default()
        };
        assert!(reversed.resolve(None).is_err());
        let junk = RangeQuery {
            range: Some("x".into()),
            ..<RangeQuery as Default>::default()
        };
        assert!(junk.resolve(None).is_err());
    }
}

/// A range of days as the whole weeks (`day / 7`) inside it and the days
/// before and after them: `from..=head_end` and `tail_start..=to`. A range
/// with no whole week is all head.
#[derive(Debug, PartialEq, Eq)]
pub struct WeekSplit {
    pub first_week: i64,
    pub last_week: i64,
    pub head_end: i64,
    pub tail_start: i64,
}

impl WeekSplit {
    pub fn of(from: i64, to: i64) -> WeekSplit {
        let first_week = (from + 6).div_euclid(7);
        let last_week = (to + 1).div_euclid(7) - 1;
        if first_week > last_week {
            return WeekSplit {
                first_week: 1,
                last_week: 0,
                head_end: to,
                tail_start: to + 1,
            };
        }
        WeekSplit {
            first_week,
            last_week,
            head_end: first_week * 7 - 1,
            tail_start: (last_week + 1) * 7,
        }
    }
}

#[cfg(test)]
mod week_tests {
    use super::WeekSplit;

    /// Every day of the range is counted once: in a whole week or at an end.
    #[test]
    fn weeks_and_ends_cover_a_range_once() {
        for from in 20_000..20_016 {
            for to in from..from + 40 {
                let split = WeekSplit::of(from, to);
                for day in from - 10..to + 10 {
                    let in_week = (split.first_week..=split.last_week).contains(&(day / 7));
                    let at_end = (from..=split.head_end).contains(&day)
                        || (split.tail_start..=to).contains(&day);
                    let wanted = (from..=to).contains(&day);
                    assert_eq!(
                        u8::from(in_week) + u8::from(at_end),
                        u8::from(wanted),
                        "day {day} of {from}..={to}: {split:?}"
                    );
                }
            }
        }
    }
}
