//! Histogram of a distribution (the Monte Carlo losses of the risk register) with
//! vertical marks at stated quantities (VaR and expected shortfall).
//!
//! [`bins`] follows `numpy.histogram(values, bins=n)`: n equal-width bins spanning
//! [min, max], each half-open [a, b) except the last, which is closed; a constant sample
//! gets the range [v − 0.5, v + 0.5]. O(len + n).

use crate::svg::{Scale, Svg, color, esc};

/// Equal-width bins of `values` (non-finite values skipped): (lower, upper, count).
pub fn bins(values: &[f64], n: usize) -> Vec<(f64, f64, u32)> {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() || n == 0 {
        return Vec::new();
    }
    let lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 0.5, hi + 0.5)
    };
    let width = (hi - lo) / n as f64;
    let edge = |k: usize| if k == n { hi } else { lo + width * k as f64 };
    let mut counts = vec![0u32; n];
    for v in finite {
        let k = (((v - lo) / width) as usize).min(n - 1);
        // numpy compares with the computed edges, not the quotient.
        let k = if k + 1 < n && v >= edge(k + 1) {
            k + 1
        } else if v < edge(k) {
            k - 1
        } else {
            k
        };
        counts[k] += 1;
    }
    (0..n).map(|k| (edge(k), edge(k + 1), counts[k])).collect()
}

/// Draw `bins` as bars; each mark (label, value) is a dashed vertical line.
pub fn histogram(
    title: &str,
    x_title: &str,
    y_title: &str,
    bins: &[(f64, f64, u32)],
    marks: &[(String, f64)],
) -> String {
    let (w, h) = (780.0, 360.0);
    let mut svg = Svg::new(w, h, title);
    let x0 = bins.first().map_or(0.0, |b| b.0);
    let x1 = bins.last().map_or(1.0, |b| b.1);
    let x1 = marks.iter().map(|m| m.1).fold(x1, f64::max);
    let top = bins.iter().map(|b| b.2).max().unwrap_or(1).max(1);
    let xs = Scale {
        d0: x0,
        d1: x1,
        p0: 70.0,
        p1: 560.0,
    };
    let ys = Scale {
        d0: 0.0,
        d1: f64::from(top) * 1.1,
        p0: 300.0,
        p1: 20.0,
    };
    svg.axes(&xs, &ys, x_title, y_title);
    for &(a, b, c) in bins {
        let (px, py) = (xs.at(a), ys.at(f64::from(c)));
        svg.raw(&format!(
            "<rect x=\"{px:.1}\" y=\"{py:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\" fill-opacity=\"0.6\" stroke=\"#000\" stroke-width=\"0.5\"><title>{a:.2}–{b:.2}: {c}</title></rect>",
            (xs.at(b) - px).max(0.5),
            (300.0 - py).max(0.0),
            color(0)
        ));
    }
    for (i, (label, v)) in marks.iter().enumerate() {
        let px = xs.at(*v);
        let c = color(i + 1);
        svg.line(
            px,
            20.0,
            px,
            300.0,
            c,
            " stroke-width=\"2\" stroke-dasharray=\"6 3\"",
        );
        let y = 36.0 + 20.0 * i as f64;
        svg.line(
            575.0,
            y - 4.0,
            601.0,
            y - 4.0,
            c,
            " stroke-width=\"2\" stroke-dasharray=\"6 3\"",
        );
        svg.raw(&format!(
            "<text x=\"607.0\" y=\"{y:.1}\" font-size=\"11\">{}</text>",
            esc(label)
        ));
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_and_bars_are_drawn() {
        let b = bins(&[0.0, 1.0, 1.0, 2.0, 5.0], 5);
        let svg = histogram("h", "x", "n", &b, &[("VaR 95 %".into(), 4.0)]);
        assert_eq!(svg.matches("<rect").count(), 5);
        assert!(svg.contains("VaR 95 %") && svg.contains("stroke-dasharray=\"6 3\""));
    }

    #[test]
    fn a_constant_sample_spans_one_unit() {
        assert_eq!(bins(&[2.0, 2.0], 2), vec![(1.5, 2.0, 0), (2.0, 2.5, 2)]);
        assert!(bins(&[], 3).is_empty());
    }
}
