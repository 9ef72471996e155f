//! Heat map: a labelled grid of cells shaded by value, with the value printed
//! in each cell so that it reads in black and white.

use crate::model::{Lang, RiskLevel, Vocabulary};
use crate::svg::{Scale, Svg, esc};

/// Grey-blue ramp for t in 0..1; text turns white on dark cells.
pub fn shade(t: f64) -> (String, &'static str) {
    let t = t.clamp(0.0, 1.0);
    let lerp = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    let fill = format!(
        "#{:02x}{:02x}{:02x}",
        lerp(247.0, 8.0),
        lerp(251.0, 48.0),
        lerp(255.0, 107.0)
    );
    (fill, if t > 0.55 { "#fff" } else { "#000" })
}

/// Draw `values[row][col]` with row and column labels; `fmt` prints a cell.
pub fn heatmap(
    title: &str,
    rows: &[String],
    cols: &[String],
    values: &[Vec<f64>],
    corner: &str,
    fmt: &dyn Fn(f64) -> String,
) -> String {
    let cell_w = 76.0;
    let cell_h = 30.0;
    let left = 140.0;
    let top = 30.0 + 6.0 * cols.iter().map(|c| c.chars().count()).max().unwrap_or(4) as f64;
    let w = left + cell_w * cols.len() as f64 + 120.0;
    let h = top + cell_h * rows.len() as f64 + 20.0;
    let mut svg = Svg::new(w.max(400.0), h, title);
    let flat = values.iter().flatten().copied().filter(|v| v.is_finite());
    let (lo, hi) = flat.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    svg.text(8.0, 20.0, corner, "start", 11.0);
    for (j, c) in cols.iter().enumerate() {
        let (x, y) = (left + cell_w * (j as f64 + 0.5), top - 8.0);
        svg.raw(&format!(
            "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"11\" transform=\"rotate(-30 {x:.1} {y:.1})\">{}</text>",
            esc(c)
        ));
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + cell_h * i as f64;
        svg.text(left - 8.0, y + cell_h / 2.0 + 4.0, r, "end", 11.0);
        for (j, _) in cols.iter().enumerate() {
            let v = values
                .get(i)
                .and_then(|row| row.get(j))
                .copied()
                .unwrap_or(f64::NAN);
            let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
            let (fill, ink) = if v.is_finite() {
                shade(t)
            } else {
                ("#fff".to_string(), "#000")
            };
            let x = left + cell_w * j as f64;
            svg.rect(x, y, cell_w, cell_h, &fill, " stroke=\"#fff\"");
            let label = if v.is_finite() {
                fmt(v)
            } else {
                "–".to_string()
            };
            svg.raw(&format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{ink}\">{}</text>",
                x + cell_w / 2.0,
                y + cell_h / 2.0 + 4.0,
                esc(&label)
            ));
        }
    }
    svg.finish()
}

/// A risk placed on the matrix: label, probability, impact.
pub struct PlacedRisk {
    pub label: String,
    pub probability: f64,
    pub impact: f64,
}

/// Risk matrix: impact on x, probability on y, cells shaded by level
/// (`levels[i][j]` for probability bin i and impact bin j) in the vocabulary's colours,
/// each cell printing its level name; risks drawn as numbered markers; a legend of levels.
pub fn risk_matrix(
    title: &str,
    axis: (&str, &str),
    bins: (&[f64], &[f64]),
    levels: &[Vec<RiskLevel>],
    lang: Lang,
    risks: &[PlacedRisk],
) -> String {
    let (p_bins, i_bins) = bins;
    let (w, h) = (640.0, 440.0);
    let (left, right, top, bottom) = (80.0, 440.0, 20.0, 380.0);
    let mut svg = Svg::new(w, h, title);
    let xs = Scale {
        d0: 0.0,
        d1: 1.0,
        p0: left,
        p1: right,
    };
    let ys = Scale {
        d0: 0.0,
        d1: 1.0,
        p0: bottom,
        p1: top,
    };
    let edges = |b: &[f64]| -> Vec<(f64, f64)> {
        let mut lo = 0.0;
        b.iter()
            .map(|&hi| {
                let e = (lo, hi);
                lo = hi;
                e
            })
            .collect()
    };
    for (i, (p0, p1)) in edges(p_bins).into_iter().enumerate() {
        for (j, (q0, q1)) in edges(i_bins).into_iter().enumerate() {
            let lv = levels
                .get(i)
                .and_then(|r| r.get(j))
                .copied()
                .unwrap_or(RiskLevel::Low);
            let (x, y) = (xs.at(q0), ys.at(p1));
            svg.rect(
                x,
                y,
                xs.at(q1) - x,
                ys.at(p0) - y,
                lv.colour(),
                " stroke=\"#fff\" stroke-width=\"2\"",
            );
            svg.raw(&format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"{}\">{}</text>",
                x + 4.0,
                y + 14.0,
                lv.ink(),
                esc(lv.label(lang))
            ));
        }
    }
    svg.axes(&xs, &ys, axis.0, axis.1);
    for (k, r) in risks.iter().enumerate() {
        let (x, y) = (
            xs.at(r.impact.clamp(0.0, 1.0)),
            ys.at(r.probability.clamp(0.0, 1.0)),
        );
        svg.raw(&format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"9\" fill=\"#fff\" stroke=\"#000\" stroke-width=\"1.5\"/>"));
        svg.text(x, y + 4.0, &(k + 1).to_string(), "middle", 10.0);
        svg.text(
            right + 16.0,
            40.0 + 20.0 * k as f64,
            &format!("{}  {}", k + 1, r.label),
            "start",
            11.0,
        );
    }
    for (k, lv) in RiskLevel::VALUES.iter().rev().enumerate() {
        let y = 60.0 + 20.0 * risks.len() as f64 + 20.0 * k as f64;
        svg.rect(
            right + 16.0,
            y - 10.0,
            16.0,
            12.0,
            lv.colour(),
            " stroke=\"#000\" stroke-width=\"0.5\"",
        );
        svg.text(right + 38.0, y, lv.label(lang), "start", 11.0);
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shade_runs_from_light_to_dark() {
        assert_eq!(shade(0.0).0, "#f7fbff");
        assert_eq!(shade(1.0), ("#08306b".to_string(), "#fff"));
    }
}
