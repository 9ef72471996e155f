//! Bar charts: grouped horizontal bars (series told apart by fill style, not
//! only colour) and rank intervals (best–median–worst).

use crate::svg::{Scale, Svg, color, esc, shorten};

/// Fill and stroke attributes of bar series i: solid, outlined-dashed, light.
fn bar_style(i: usize) -> String {
    match i % 3 {
        0 => format!("fill=\"{}\" stroke=\"#000\" stroke-width=\"0.6\"", color(i)),
        1 => format!(
            "fill=\"#fff\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"4 2\"",
            color(i)
        ),
        _ => format!(
            "fill=\"{}\" fill-opacity=\"0.35\" stroke=\"#000\" stroke-width=\"0.6\"",
            color(i)
        ),
    }
}

/// Grouped horizontal bars: one group per category, one bar per series.
pub fn grouped_bars(
    title: &str,
    value_title: &str,
    categories: &[String],
    series: &[(String, Vec<f64>)],
) -> String {
    let bar_h = 14.0;
    let group_h = bar_h * series.len().max(1) as f64 + 10.0;
    let top = 20.0 + 22.0 * series.len() as f64;
    let plot_h = group_h * categories.len().max(1) as f64;
    let (w, h) = (640.0, top + plot_h + 50.0);
    let mut svg = Svg::new(w, h, title);
    let max = series
        .iter()
        .flat_map(|s| s.1.iter())
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let xs = Scale {
        d0: 0.0,
        d1: if max > 0.0 { max * 1.1 } else { 1.0 },
        p0: 180.0,
        p1: 580.0,
    };
    svg.x_axis(&xs, top, top + plot_h, value_title);
    for (c, cat) in categories.iter().enumerate() {
        let gy = top + group_h * c as f64 + 5.0;
        // Long names are cut to the label column; the full name shows on hover.
        svg.raw(&format!(
            "<g><title>{}</title><text x=\"174.0\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\">{}</text></g>",
            esc(cat),
            gy + group_h / 2.0,
            esc(&shorten(cat, 166.0, 11.0))
        ));
        for (i, (_, vals)) in series.iter().enumerate() {
            let v = vals.get(c).copied().unwrap_or(0.0);
            let y = gy + bar_h * i as f64;
            let wpx = (xs.at(v) - 180.0).max(0.0);
            svg.raw(&format!(
                "<rect x=\"180.0\" y=\"{y:.1}\" width=\"{wpx:.1}\" height=\"{:.1}\" {}/>",
                bar_h - 2.0,
                bar_style(i)
            ));
            svg.text(
                183.0 + wpx,
                y + bar_h - 4.0,
                &format!("{v:.2}"),
                "start",
                10.0,
            );
        }
    }
    for (i, (label, _)) in series.iter().enumerate() {
        let y = 8.0 + 22.0 * i as f64;
        svg.raw(&format!(
            "<rect x=\"180.0\" y=\"{y:.1}\" width=\"22\" height=\"12\" {}/>",
            bar_style(i)
        ));
        svg.text(208.0, y + 10.0, label, "start", 11.0);
    }
    svg.finish()
}

/// Rank intervals: a line from best to worst rank with a dot at the median.
pub fn rank_intervals(title: &str, rank_title: &str, rows: &[(String, f64, f64, f64)]) -> String {
    let row_h = 28.0;
    let top = 20.0;
    let (w, h) = (640.0, top + row_h * rows.len().max(1) as f64 + 50.0);
    let mut svg = Svg::new(w, h, title);
    let worst = rows.iter().map(|r| r.3).fold(1.0, f64::max);
    let xs = Scale {
        d0: 0.5,
        d1: worst + 0.5,
        p0: 180.0,
        p1: 580.0,
    };
    svg.x_axis(&xs, top, top + row_h * rows.len().max(1) as f64, rank_title);
    for (i, (label, lo, med, hi)) in rows.iter().enumerate() {
        let y = top + row_h * (i as f64 + 0.5);
        svg.text(174.0, y + 4.0, label, "end", 11.0);
        svg.line(xs.at(*lo), y, xs.at(*hi), y, "#000", " stroke-width=\"2\"");
        svg.line(
            xs.at(*lo),
            y - 6.0,
            xs.at(*lo),
            y + 6.0,
            "#000",
            " stroke-width=\"2\"",
        );
        svg.line(
            xs.at(*hi),
            y - 6.0,
            xs.at(*hi),
            y + 6.0,
            "#000",
            " stroke-width=\"2\"",
        );
        svg.raw(&format!(
            "<circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"{}\" stroke=\"#000\"/>",
            xs.at(*med),
            color(0)
        ));
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_bars_draw_every_value() {
        let svg = grouped_bars(
            "b",
            "h",
            &["L1".into(), "L2".into()],
            &[
                ("avg".into(), vec![1.0, 2.0]),
                ("limit".into(), vec![3.0, 4.0]),
            ],
        );
        assert_eq!(svg.matches("<rect").count(), 4 + 2);
        assert!(svg.contains(">4.00<"));
    }

    #[test]
    fn rank_intervals_mark_the_median() {
        let svg = rank_intervals("r", "rank", &[("a".into(), 1.0, 2.0, 3.0)]);
        assert_eq!(svg.matches("<circle").count(), 1);
    }
}
