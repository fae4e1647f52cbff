//! Bar charts as SVG, drawn on the server: readable without JavaScript.
//! Both axes carry ticks (round values up the side, dates at the steps
//! [`super::series`] chose along the bottom); every bar is focusable, so
//! its exact value shows on hover, on keyboard focus and on touch, and
//! the same figures come as a table beside the chart.

use std::fmt::Write;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 230.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 8.0;
const BOTTOM: f64 = 24.0;
const TOP: f64 = 30.0;
/// About how many value ticks the side carries.
const VALUE_TICKS: f64 = 4.0;

/// One bar: what it stands for in full ("Fri 4 Dec 2026"), its label on
/// the axis if it carries one, and its value (none: not known, no bar).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Point {
    pub name: String,
    pub tick: Option<String>,
    pub value: Option<i64>,
}

/// The chart of `points`, counting `label` ("views"), as an `<svg>`.
pub fn bars(label: &str, points: &[Point]) -> String {
    let n = points.len().max(1);
    let max = points.iter().filter_map(|p| p.value).max().unwrap_or(0);
    let (step, top) = value_step(max);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let base = TOP + plot_h;
    let slot = plot_w / n as f64;
    let bar_w = (slot * 0.8).max(0.6);
    let mut svg = String::with_capacity(600 + 420 * n);
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" aria-label="{label}, one bar each">"#
    );
    // Value ticks with their grid lines.
    let mut value = 0;
    while value <= top {
        let y = base - plot_h * value as f64 / top as f64;
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{LEFT}" y1="{y:.1}" x2="{x2}" y2="{y:.1}"/><text class="tick" x="{lx}" y="{ty:.1}" text-anchor="end">{v}</text>"#,
            x2 = WIDTH - RIGHT,
            lx = LEFT - 6.0,
            ty = y + 4.0,
            v = compact(value),
        );
        value += step;
    }
    for (i, point) in points.iter().enumerate() {
        let x = LEFT + i as f64 * slot;
        if let Some(tick) = &point.tick {
            let _ = write!(
                svg,
                r#"<line class="axis" x1="{cx:.1}" y1="{base}" x2="{cx:.1}" y2="{b2}"/><text class="tick" x="{cx:.1}" y="{ty}" text-anchor="{anchor}">{tick}</text>"#,
                cx = x + slot / 2.0,
                b2 = base + 4.0,
                ty = HEIGHT - 6.0,
                anchor = if i == 0 { "start" } else { "middle" },
            );
        }
        let shown = match point.value {
            Some(v) => format!("{}: {} {label}", point.name, group_digits(v)),
            None => format!("{}: not known", point.name),
        };
        let h = plot_h * point.value.unwrap_or(0) as f64 / top as f64;
        let tip_w = 7.0 * shown.chars().count() as f64 + 12.0;
        let tip_x = (x + slot / 2.0 - tip_w / 2.0).clamp(0.0, WIDTH - tip_w);
        // A full-height slot makes even a zero day easy to point at.
        let _ = write!(
            svg,
            r#"<g class="point" tabindex="0" aria-label="{shown}"><title>{shown}</title><rect class="slot" x="{x:.2}" y="{TOP}" width="{slot:.2}" height="{plot_h}"/><rect class="bar" x="{bx:.2}" y="{by:.2}" width="{bar_w:.2}" height="{h:.2}"/><g class="tip" aria-hidden="true"><rect x="{tip_x:.1}" y="2" width="{tip_w:.1}" height="22" rx="4"/><text x="{tx:.1}" y="17" text-anchor="middle">{shown}</text></g></g>"#,
            bx = x + (slot - bar_w) / 2.0,
            by = base - h,
            tx = tip_x + tip_w / 2.0,
        );
    }
    let _ = write!(
        svg,
        r#"<line class="axis" x1="{LEFT}" y1="{base}" x2="{x2}" y2="{base}"/></svg>"#,
        x2 = WIDTH - RIGHT
    );
    svg
}

/// A round step for the value axis and the top it reaches (at least 1).
pub fn value_step(max: i64) -> (i64, i64) {
    let raw = (max.max(1) as f64 / VALUE_TICKS).max(1.0);
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude) as i64;
    let step = step.max(1);
    let top = ((max.max(1) + step - 1) / step * step).max(step);
    (step, top)
}

/// 1234 as "1.2k", 2000000 as "2M".
fn compact(value: i64) -> String {
    let (div, suffix) = match value.abs() {
        v if v >= 1_000_000 => (1_000_000.0, "M"),
        v if v >= 1_000 => (1_000.0, "k"),
        _ => return value.to_string(),
    };
    let scaled = value as f64 / div;
    if (scaled - scaled.round()).abs() < 0.05 {
        format!("{}{suffix}", scaled.round())
    } else {
        format!("{scaled:.1}{suffix}")
    }
}

/// 1234567 as "1,234,567".
pub fn group_digits(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_steps_cover_the_largest_value() {
        assert_eq!(value_step(0), (1, 1));
        assert_eq!(value_step(7), (2, 8));
        assert_eq!(value_step(100), (50, 100));
        assert_eq!(value_step(1234), (500, 1500));
        assert_eq!(compact(1500), "1.5k");
        assert_eq!(compact(2_000_000), "2M");
        assert_eq!(group_digits(1234567), "1,234,567");
    }

    #[test]
    fn one_focusable_bar_per_point_with_its_value() {
        let point = |name: &str, value| Point {
            name: name.into(),
            tick: Some(name.into()),
            value,
        };
        let svg = bars(
            "views",
            &[
                point("1 Dec", Some(3)),
                point("2 Dec", None),
                point("3 Dec", Some(7)),
            ],
        );
        assert_eq!(svg.matches(r#"tabindex="0""#).count(), 3);
        assert!(svg.contains("<title>3 Dec: 7 views</title>"));
        assert!(svg.contains("2 Dec: not known"));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }
}
