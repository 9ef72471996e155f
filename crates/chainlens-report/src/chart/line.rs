//! Line chart: several (x, y) series, each with its own colour, dash pattern and marker
//! shape (markers thinned to about a dozen per series on long daily curves), and a
//! legend. Integer axes (years, days) get integer ticks only.

use crate::svg::{Scale, Svg, bounds, color, dash_attr, marker};
use std::fmt::Write;

/// Options of a line chart.
pub struct LineChart<'a> {
    pub title: &'a str,
    pub x_title: &'a str,
    pub y_title: &'a str,
    /// Fixed y range, or None to fit the data.
    pub y_range: Option<(f64, f64)>,
    /// Draw markers (about a dozen per series on long curves).
    pub markers: bool,
    /// Hatch the area between the first series and this level (the
    /// resilience triangle below full performance), if given.
    pub loss_to: Option<f64>,
    /// Suffix that keeps this chart's pattern id unique in the document.
    pub id: &'a str,
    /// The x values are whole numbers (years, days): no tick between them.
    pub integer_x: bool,
}

/// Most markers drawn on one series.
const MARKERS_PER_SERIES: usize = 12;

/// Draw the series (label, points).
pub fn line_chart(opt: &LineChart<'_>, series: &[(String, Vec<(f64, f64)>)]) -> String {
    let (w, h) = (780.0, 380.0);
    let mut svg = Svg::new(w, h, opt.title);
    let all = || series.iter().flat_map(|(_, p)| p.iter());
    let (x0, x1) = {
        let lo = all().map(|p| p.0).fold(f64::INFINITY, f64::min);
        let hi = all().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
        if lo.is_finite() && hi > lo {
            (lo, hi)
        } else {
            bounds(all().map(|p| p.0))
        }
    };
    let (y0, y1) = opt.y_range.unwrap_or_else(|| bounds(all().map(|p| p.1)));
    let xs = Scale {
        d0: x0,
        d1: x1,
        p0: 70.0,
        p1: 470.0,
    };
    let ys = Scale {
        d0: y0,
        d1: y1,
        p0: 320.0,
        p1: 20.0,
    };
    svg.axes_with(&xs, &ys, opt.x_title, opt.y_title, opt.integer_x);
    if let (Some(level), Some((_, pts))) = (opt.loss_to, series.first())
        && pts.len() > 1
    {
        let mut d = format!("M{:.1},{:.1}", xs.at(pts[0].0), ys.at(level));
        for (x, y) in pts {
            let _ = write!(d, "L{:.1},{:.1}", xs.at(*x), ys.at(*y));
        }
        let _ = write!(
            d,
            "L{:.1},{:.1}Z",
            xs.at(pts[pts.len() - 1].0),
            ys.at(level)
        );
        svg.raw(&format!(
            "<defs><pattern id=\"loss-{id}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#d95f02\" stroke-width=\"1.5\"/></pattern></defs><path d=\"{d}\" fill=\"url(#loss-{id})\" stroke=\"none\"/>",
            id = opt.id
        ));
    }
    for (i, (label, pts)) in series.iter().enumerate() {
        let mut d = String::new();
        for (k, (x, y)) in pts.iter().enumerate() {
            let _ = write!(
                d,
                "{}{:.1},{:.1}",
                if k == 0 { "M" } else { "L" },
                xs.at(*x),
                ys.at(*y)
            );
        }
        svg.raw(&format!(
            "<path d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}/>",
            color(i),
            dash_attr(i)
        ));
        if opt.markers {
            // Every series starts its markers at another offset so they do not hide
            // each other where curves coincide.
            let every = pts.len().div_ceil(MARKERS_PER_SERIES).max(1);
            let offset = (i * every / (series.len().max(1))) % every;
            for (x, y) in pts.iter().skip(offset).step_by(every) {
                svg.raw(&marker(i, xs.at(*x), ys.at(*y), 3.5, color(i)));
            }
        }
        svg.legend_item(485.0, 30.0 + 22.0 * i as f64, i, label, true);
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_one_path_per_series_and_the_loss_area() {
        let opt = LineChart {
            title: "t",
            x_title: "day",
            y_title: "p",
            y_range: Some((0.0, 1.0)),
            markers: false,
            loss_to: Some(1.0),
            id: "s0",
            integer_x: false,
        };
        let svg = line_chart(
            &opt,
            &[
                ("a".into(), vec![(0.0, 1.0), (1.0, 0.5), (2.0, 1.0)]),
                ("b".into(), vec![(0.0, 0.9)]),
            ],
        );
        assert_eq!(svg.matches("<path d=\"M").count(), 3);
        assert!(svg.contains("fill=\"url(#loss-s0)\"") && svg.contains("stroke-dasharray=\"6 3\""));
    }

    #[test]
    fn integer_axes_have_no_half_years_and_long_curves_few_markers() {
        let opt = LineChart {
            title: "t",
            x_title: "year",
            y_title: "i",
            y_range: None,
            markers: true,
            loss_to: None,
            id: "y",
            integer_x: true,
        };
        let svg = line_chart(&opt, &[("a".into(), vec![(2020.0, 0.5), (2021.0, 0.6)])]);
        assert!(svg.contains(">2020<") && svg.contains(">2021<"));
        assert!(!svg.contains("2020.5"), "{svg}");
        let long: Vec<_> = (0..360).map(|d| (f64::from(d), 1.0)).collect();
        let svg = line_chart(&opt, &[("a".into(), long)]);
        // Twelve on the curve, one in the legend.
        assert!(svg.matches("<circle").count() <= 13);
    }
}
