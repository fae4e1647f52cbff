//! The figures at the top of a statistics page, each with its change from
//! the period before, and the choice of which one the main chart shows.

use serde::Serialize;

use super::chart::group_digits;
use super::queries::DayFigures;

/// What the main chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    Visitors,
    Views,
    Reads,
    Now,
}

impl Metric {
    /// The metric a query names (none: `default`); Err: what was wrong.
    pub fn parse(name: Option<&str>, default: Metric) -> Result<Metric, String> {
        match name.map(str::trim) {
            None | Some("") => Ok(default),
            Some("visitors") => Ok(Metric::Visitors),
            Some("views") => Ok(Metric::Views),
            Some("reads") => Ok(Metric::Reads),
            Some("now") => Ok(Metric::Now),
            Some(other) => Err(format!(
                "\"{other}\" is not a figure to chart: choose visitors, views, reads or now."
            )),
        }
    }

    /// What one unit is called on the chart ("views").
    pub fn unit(self) -> &'static str {
        match self {
            Metric::Visitors => "unique visitors",
            Metric::Views => "views",
            Metric::Reads => "new reads",
            Metric::Now => "reading",
        }
    }

    /// This metric's figure of one day.
    pub fn of(self, day: &DayFigures) -> i64 {
        match self {
            Metric::Visitors => day.visitors,
            Metric::Views => day.views,
            Metric::Reads => day.reads,
            Metric::Now => 0,
        }
    }
}

/// One headline figure.
#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    pub metric: Metric,
    pub label: &'static str,
    /// The figure for the element's id (a plain number) and as read.
    pub value: i64,
    pub shown: String,
    pub change: Option<Change>,
}

/// How a figure compares with the period before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// "+12%", "−5%", "no change", "new".
    pub text: String,
    /// "up", "down" or "same".
    pub direction: &'static str,
    /// The figure of the period before.
    pub before: String,
}

impl Headline {
    pub fn new(metric: Metric, label: &'static str, value: i64, before: Option<i64>) -> Headline {
        Headline {
            metric,
            label,
            value,
            shown: group_digits(value),
            change: before.map(|before| change(value, before)),
        }
    }
}

/// `now` against `before`, in whole percent rounded towards zero.
pub fn change(now: i64, before: i64) -> Change {
    let (text, direction) = match (now, before) {
        (n, b) if n == b => ("no change".to_string(), "same"),
        (_, 0) => ("new".to_string(), "up"),
        (n, b) => {
            let percent = (n - b) * 100 / b;
            match percent {
                0 if n > b => ("+<1%".to_string(), "up"),
                0 => ("−<1%".to_string(), "down"),
                p if p > 0 => (format!("+{p}%"), "up"),
                p => (format!("−{}%", -p), "down"),
            }
        }
    };
    Change {
        text,
        direction,
        before: group_digits(before),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_read_as_a_person_would_say_them() {
        assert_eq!(change(150, 100).text, "+50%");
        assert_eq!(change(50, 100).text, "−50%");
        assert_eq!(change(7, 7).text, "no change");
        assert_eq!(change(3, 0).text, "new");
        assert_eq!(change(1001, 1000).text, "+<1%");
        assert_eq!(change(0, 9).text, "−100%");
        assert!(Metric::parse(Some("bogus"), Metric::Views).is_err());
    }
}
