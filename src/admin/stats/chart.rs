//! Bar charts as SVG, drawn on the server: readable without JavaScript,
//! each bar with its date and value on hover (an SVG `<title>`).

use std::fmt::Write;

use super::range::date_of;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 180.0;
const LEFT: f64 = 48.0;
const BOTTOM: f64 = 22.0;
const TOP: f64 = 10.0;

/// One series to draw: a value per day, from `first_day` on.
pub struct Series<'a> {
    /// What is counted, as the hover text says it: "views", "new reads".
    pub label: &'a str,
    pub first_day: i64,
    pub values: Vec<i64>,
}

/// The chart of `series` as an `<svg>` element.
pub fn bars(series: &Series<'_>) -> String {
    let n = series.values.len().max(1);
    let max = series.values.iter().copied().max().unwrap_or(0).max(1);
    let plot_w = WIDTH - LEFT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let step = plot_w / n as f64;
    let bar_w = (step * 0.8).max(0.5);
    let mut svg = String::with_capacity(200 + 160 * n);
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label} per day" preserveAspectRatio="none">"#,
        label = series.label
    );
    // Axis: the top value and zero.
    let _ = write!(
        svg,
        r#"<line x1="{LEFT}" y1="{y0}" x2="{WIDTH}" y2="{y0}" stroke="currentColor" stroke-opacity=".3"/><text x="{lx}" y="{ty}" text-anchor="end" font-size="11" fill="currentColor">{max}</text><text x="{lx}" y="{y0}" text-anchor="end" font-size="11" fill="currentColor">0</text>"#,
        y0 = TOP + plot_h,
        lx = LEFT - 6.0,
        ty = TOP + 9.0,
    );
    for (i, &value) in series.values.iter().enumerate() {
        let h = plot_h * value as f64 / max as f64;
        let slot = LEFT + i as f64 * step;
        let x = slot + (step - bar_w) / 2.0;
        let y = TOP + plot_h - h;
        let date = date_of(series.first_day + i as i64);
        // A full-height transparent slot makes even a zero day hoverable.
        let _ = write!(
            svg,
            r#"<g><title>{date}: {value} {label}</title><rect x="{slot:.2}" y="{TOP}" width="{step:.2}" height="{plot_h}" fill="transparent"/><rect class="bar" x="{x:.2}" y="{y:.2}" width="{bar_w:.2}" height="{h:.2}"/></g>"#,
            label = series.label,
        );
    }
    let first = date_of(series.first_day);
    let last = date_of(series.first_day + n as i64 - 1);
    let _ = write!(
        svg,
        r#"<text x="{LEFT}" y="{HEIGHT}" font-size="11" fill="currentColor">{first}</text><text x="{WIDTH}" y="{HEIGHT}" text-anchor="end" font-size="11" fill="currentColor">{last}</text></svg>"#
    );
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_bar_per_day_with_its_value_on_hover() {
        let svg = bars(&Series {
            label: "views",
            first_day: 0,
            values: vec![3, 0, 7],
        });
        assert_eq!(svg.matches("<title>").count(), 3);
        assert!(svg.contains("<title>1970-01-03: 7 views</title>"));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }
}
