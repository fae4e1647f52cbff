//! Times in the activity log. Actions carry RFC 3339 times with any offset,
//! kept exactly as sent; each is also stored as its instant (milliseconds
//! since the epoch, for ordering) and as its wall-clock time where it was
//! sent (`YYYY-MM-DDTHH:MM:SS`, for the `date` and range queries of the
//! original API, which compare times without an offset that way).

use time::format_description::well_known::Rfc3339;
use time::format_description::FormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

/// How far a wall-clock time can be from its instant: offsets go up to
/// ±25:59:59 in the parser, so ±26 hours covers every one.
pub const WIDEST_OFFSET_MS: i64 = 26 * 3600 * 1000;

/// A time as written without an offset: `2018-10-18T21:37:30`.
const WALL_CLOCK: &[FormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");

/// `time` as a wall clock reading, in the form above.
fn wall_clock(time: PrimitiveDateTime) -> String {
    // Every field of the description is in range for any date Folio
    // parsed: formatting cannot fail.
    time.format(WALL_CLOCK).unwrap_or_default()
}

/// A wall clock reading in exactly the form above.
fn parse_wall_clock(text: &str) -> Option<PrimitiveDateTime> {
    // Exactly 19 characters: no sign, no extra digits, nothing after.
    if text.len() != 19 {
        return None;
    }
    PrimitiveDateTime::parse(text, WALL_CLOCK).ok()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionTime {
    /// Milliseconds since the Unix epoch.
    pub instant_ms: i64,
    /// The wall-clock time as sent, to the second.
    pub wall_clock: String,
}

/// Parses an action's time: RFC 3339, with any offset.
pub fn parse_action_time(text: &str) -> Option<ActionTime> {
    let time = OffsetDateTime::parse(text, &Rfc3339).ok()?;
    let instant_ms = i64::try_from(time.unix_timestamp_nanos().div_euclid(1_000_000)).ok()?;
    Some(ActionTime {
        instant_ms,
        wall_clock: wall_clock(PrimitiveDateTime::new(time.date(), time.time())),
    })
}

/// A time in a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryTime {
    /// `%Y-%m-%dT%H:%M:%S`, no offset: compared with the actions'
    /// wall-clock times, as the original API did.
    WallClock(String),
    /// RFC 3339 with an offset: compared with the actions' instants.
    Instant(i64),
}

impl QueryTime {
    /// Parses a query time in either form.
    pub fn parse(text: &str) -> Option<QueryTime> {
        if let Some(wall) = parse_wall_clock(text) {
            return Some(QueryTime::WallClock(wall_clock(wall)));
        }
        parse_action_time(text).map(|t| QueryTime::Instant(t.instant_ms))
    }

    /// The instants this time can stand for, widest first: a wall-clock
    /// time is within a day or so of its instant, whatever its offset.
    pub fn instant_bounds(&self) -> (i64, i64) {
        match self {
            QueryTime::Instant(ms) => (*ms, *ms),
            QueryTime::WallClock(wall) => {
                let as_utc = parse_wall_clock(wall)
                    .map(|t| t.assume_utc().unix_timestamp() * 1000)
                    .unwrap_or(0);
                (as_utc - WIDEST_OFFSET_MS, as_utc + WIDEST_OFFSET_MS + 999)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_time_keeps_its_wall_clock_and_finds_its_instant() {
        let time = parse_action_time("2018-10-18T21:37:30-06:00").expect("a time");
        assert_eq!(time.wall_clock, "2018-10-18T21:37:30");
        assert_eq!(time.instant_ms, 1_539_920_250_000);
        let utc = parse_action_time("2018-10-19T03:37:30.250Z").expect("a time");
        assert_eq!(utc.instant_ms, 1_539_920_250_250);
    }

    #[test]
    fn query_times_come_in_two_forms() {
        assert_eq!(
            QueryTime::parse("2018-10-18T21:37:25"),
            Some(QueryTime::WallClock("2018-10-18T21:37:25".into()))
        );
        assert_eq!(
            QueryTime::parse("2018-10-19T03:37:30Z"),
            Some(QueryTime::Instant(1_539_920_250_000))
        );
        for bad in [
            "",
            "yesterday",
            "2018-10-18",
            "2018-13-18T21:37:25",
            "2018-10-18 21:37:25",
        ] {
            assert_eq!(QueryTime::parse(bad), None, "{bad}");
        }
    }
}
