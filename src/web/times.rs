//! Times as pages show them: RFC 3339 for `<time datetime>`, the exact UTC
//! time for its title, and a relative text ("3 days ago") rendered by the
//! server so that pages read well without JavaScript (which keeps the
//! relative texts of `time[data-relative]` fresh).

use std::collections::HashMap;

use rocket_dyn_templates::tera::{self, Tera, Value};
use time::format_description::FormatItem;
use time::macros::format_description;
use time::OffsetDateTime;

use crate::util::unix_now;

const EXACT: &[FormatItem<'static>] =
    format_description!("[day padding:none] [month repr:long] [year], [hour]:[minute] UTC");

/// `unix` (seconds) as RFC 3339 in UTC: `2026-12-05T14:03:00Z`.
pub fn rfc3339(unix: i64) -> String {
    let time = utc(unix);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        time.year(),
        u8::from(time.month()),
        time.day(),
        time.hour(),
        time.minute(),
        time.second()
    )
}

/// `unix` as a person reads it exactly: `5 December 2026, 14:03 UTC`.
pub fn exact(unix: i64) -> String {
    utc(unix).format(EXACT).unwrap_or_else(|_| rfc3339(unix))
}

fn utc(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// How long before `now` `then` was, in words: "just now", "5 minutes ago",
/// "3 days ago", "2 years ago". A time in the future (a clock ahead) is
/// "just now".
pub fn ago(then: i64, now: i64) -> String {
    let seconds = now.saturating_sub(then);
    let (count, unit) = match seconds {
        ..=44 => return "just now".into(),
        45..=3_599 => ((seconds + 30) / 60, "minute"),
        3_600..=86_399 => (seconds / 3_600, "hour"),
        86_400..=2_591_999 => (seconds / 86_400, "day"),
        2_592_000..=31_535_999 => (seconds / 2_592_000, "month"),
        _ => (seconds / 31_536_000, "year"),
    };
    let count = count.max(1);
    format!("{count} {unit}{} ago", if count == 1 { "" } else { "s" })
}

/// The `ago` filter: `{{ story.published_at | ago }}` for a time given in
/// seconds or in RFC 3339.
fn ago_filter(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let then = match value {
        Value::Number(n) => n.as_i64(),
        Value::String(text) => {
            OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .ok()
                .map(OffsetDateTime::unix_timestamp)
        }
        _ => None,
    };
    match then {
        Some(then) => Ok(Value::String(ago(then, unix_now()))),
        None => Err(tera::Error::msg(format!(
            "`ago` needs a time in seconds or RFC 3339, not {value}"
        ))),
    }
}

/// Adds the time filters to `tera`.
pub fn register(tera: &mut Tera) {
    tera.register_filter("ago", ago_filter);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_for_machines_and_for_people() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_796_483_000), "2026-12-05T15:03:20Z");
        assert_eq!(exact(1_796_483_000), "5 December 2026, 15:03 UTC");
    }

    #[test]
    fn relative_times_round_to_the_largest_unit() {
        let now = 1_000_000_000;
        assert_eq!(ago(now, now), "just now");
        assert_eq!(ago(now + 500, now), "just now");
        assert_eq!(ago(now - 50, now), "1 minute ago");
        assert_eq!(ago(now - 5 * 60, now), "5 minutes ago");
        assert_eq!(ago(now - 3_600, now), "1 hour ago");
        assert_eq!(ago(now - 3 * 86_400, now), "3 days ago");
        assert_eq!(ago(now - 65 * 86_400, now), "2 months ago");
        assert_eq!(ago(now - 800 * 86_400, now), "2 years ago");
    }

    #[test]
    fn the_filter_reads_seconds_and_rfc_3339() {
        let args = HashMap::new();
        let long_ago = Value::String("2001-02-03T04:05:06Z".into());
        let text = ago_filter(&long_ago, &args).unwrap();
        assert!(text.as_str().unwrap().ends_with("years ago"), "{text}");
        assert_eq!(
            ago_filter(&Value::from(unix_now()), &args).unwrap(),
            Value::String("just now".into())
        );
        assert!(ago_filter(&Value::String("soon".into()), &args).is_err());
    }
}
