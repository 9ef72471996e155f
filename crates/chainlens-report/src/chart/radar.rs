//! Radar chart: one polygon per series over shared axes with values in 0..1;
//! the radial axis runs from a round floor below the smallest value to 1.

use crate::Lang;
use crate::i18n::t;
use crate::model::ResilienceRow;
use crate::svg::{Svg, color, dash_attr, marker};
use std::fmt::Write;

/// The radar of the three resilience dimensions (structural, functional, evolutionary),
/// one polygon per row (region); `None` without rows. The report and the dashboard draw
/// the latest year's rows with it.
pub fn dimensions_radar<'a>(
    rows: impl IntoIterator<Item = &'a ResilienceRow>,
    lang: Lang,
) -> Option<String> {
    let series: Vec<(String, Vec<f64>)> = rows
        .into_iter()
        .map(|x| {
            (
                x.region.clone(),
                vec![x.structural, x.functional, x.evolutionary],
            )
        })
        .collect();
    let axes = [
        t(lang, "structural"),
        t(lang, "functional"),
        t(lang, "evolutionary"),
    ];
    (!series.is_empty()).then(|| radar(t(lang, "radar"), &axes, &series))
}

/// Draw a radar chart of `series` (label, values per axis in 0..1).
pub fn radar(title: &str, axes: &[&str], series: &[(String, Vec<f64>)]) -> String {
    let (w, h) = (640.0, 310.0);
    let (cx, cy, r) = (220.0, 195.0, 150.0);
    let mut svg = Svg::new(w, h, title);
    let n = axes.len().max(3);
    // The radial axis starts at a round floor below the smallest value, so
    // that regions with similar scores stay apart; the ring labels say where.
    let min = series
        .iter()
        .flat_map(|s| s.1.iter())
        .copied()
        .filter(|v| v.is_finite())
        .fold(1.0, f64::min);
    let lo = (((min - 0.05) * 10.0).floor() / 10.0).clamp(0.0, 0.8);
    let unit = |v: f64| ((v - lo) / (1.0 - lo)).clamp(0.0, 1.0);
    let angle =
        |k: usize| -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * k as f64 / n as f64;
    for ring in 1..=5 {
        let f = f64::from(ring) / 5.0;
        let mut pts = String::new();
        for k in 0..n {
            let _ = write!(
                pts,
                "{:.1},{:.1} ",
                cx + r * f * angle(k).cos(),
                cy + r * f * angle(k).sin()
            );
        }
        svg.raw(&format!(
            "<polygon points=\"{}\" fill=\"none\" stroke=\"#bbb\" stroke-width=\"0.7\"/>",
            pts.trim_end()
        ));
        svg.text(
            cx + 3.0,
            cy - r * f + 4.0,
            &format!("{:.2}", lo + f * (1.0 - lo)),
            "start",
            9.0,
        );
    }
    for (k, a) in axes.iter().enumerate() {
        let (ex, ey) = (cx + r * angle(k).cos(), cy + r * angle(k).sin());
        svg.line(cx, cy, ex, ey, "#888", "");
        let anchor = if angle(k).cos().abs() < 0.2 {
            "middle"
        } else if angle(k).cos() > 0.0 {
            "start"
        } else {
            "end"
        };
        svg.text(
            cx + (r + 14.0) * angle(k).cos(),
            cy + (r + 14.0) * angle(k).sin() + 4.0,
            a,
            anchor,
            12.0,
        );
    }
    for (i, (label, vals)) in series.iter().enumerate() {
        let mut pts = String::new();
        let mut marks = String::new();
        for (k, v) in vals.iter().enumerate().take(n) {
            let v = unit(*v);
            let (x, y) = (cx + r * v * angle(k).cos(), cy + r * v * angle(k).sin());
            let _ = write!(pts, "{x:.1},{y:.1} ");
            marks.push_str(&marker(i, x, y, 3.5, color(i)));
        }
        svg.raw(&format!(
            "<polygon points=\"{}\" fill=\"{}\" fill-opacity=\"0.08\" stroke=\"{}\" stroke-width=\"1.8\"{}/>",
            pts.trim_end(),
            color(i),
            color(i),
            dash_attr(i)
        ));
        svg.raw(&marks);
        svg.legend_item(430.0, 40.0 + 22.0 * i as f64, i, label, true);
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_polygon_per_series_plus_five_rings() {
        let svg = radar(
            "r",
            &["a", "b", "c"],
            &[
                ("x".into(), vec![0.5, 0.6, 0.7]),
                ("y".into(), vec![1.2, 0.0, 0.3]),
            ],
        );
        // Series 0 and 1 have circle and square markers: the other polygons are the series.
        let rings = svg.matches("fill=\"none\" stroke=\"#bbb\"").count();
        assert_eq!(rings, 5);
        assert_eq!(svg.matches("<polygon points").count() - rings, 2);
    }
}
