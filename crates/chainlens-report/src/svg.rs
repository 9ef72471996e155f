//! A small SVG layer: escaping, a document builder, linear scales, axes,
//! and a palette that stays readable in black and white (every series also
//! gets its own marker shape and dash pattern).
//!
//! Output is deterministic: numbers are printed with fixed precision.

use std::fmt::Write;

/// Escape text for HTML/SVG content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Estimated width in pixels of `s` at font size `size`: wide (CJK, full-width) characters
/// one em, capitals 0.68 em, other characters 0.58 em — a little wider than common sans
/// fonts, so that estimated boxes contain the drawn text.
pub fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| {
            if c as u32 >= 0x2E80 {
                1.0
            } else if c.is_uppercase() || c == 'm' || c == 'w' {
                0.68
            } else {
                0.58
            }
        })
        .sum::<f64>()
        * size
}

/// `s` cut to fit `width` pixels at `size`, with "…" when cut.
pub fn shorten(s: &str, width: f64, size: f64) -> String {
    if text_width(s, size) <= width {
        return s.to_owned();
    }
    let mut out = String::new();
    for c in s.chars() {
        out.push(c);
        if text_width(&out, size) + size > width {
            out.pop();
            break;
        }
    }
    format!("{}…", out.trim_end())
}

/// Series colours (colour-blind friendly, distinct in grey).
pub const COLORS: [&str; 8] = [
    "#1b4f9c", "#d95f02", "#1a9850", "#7570b3", "#a6761d", "#e7298a", "#444444", "#66a61e",
];
/// Dash patterns per series.
pub const DASHES: [&str; 8] = ["", "6 3", "2 2", "8 3 2 3", "4 4", "1 3", "10 4", "3 3 1 3"];

/// Series style i (cycled).
pub fn color(i: usize) -> &'static str {
    COLORS[i % COLORS.len()]
}

/// Dash pattern attribute for series i ("" for solid).
pub fn dash_attr(i: usize) -> String {
    let d = DASHES[i % DASHES.len()];
    if d.is_empty() {
        String::new()
    } else {
        format!(" stroke-dasharray=\"{d}\"")
    }
}

/// A marker of shape i at (x, y): circle, square, triangle, diamond, cross, ...
pub fn marker(i: usize, x: f64, y: f64, r: f64, fill: &str) -> String {
    match i % 5 {
        0 => format!(
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" fill=\"{fill}\" stroke=\"#000\" stroke-width=\"0.8\"/>"
        ),
        1 => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\" stroke=\"#000\" stroke-width=\"0.8\"/>",
            x - r,
            y - r,
            2.0 * r,
            2.0 * r
        ),
        2 => format!(
            "<polygon points=\"{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\" fill=\"{fill}\" stroke=\"#000\" stroke-width=\"0.8\"/>",
            x,
            y - r * 1.2,
            x - r * 1.1,
            y + r * 0.9,
            x + r * 1.1,
            y + r * 0.9
        ),
        3 => format!(
            "<polygon points=\"{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\" fill=\"{fill}\" stroke=\"#000\" stroke-width=\"0.8\"/>",
            x,
            y - r * 1.3,
            x + r * 1.3,
            y,
            x,
            y + r * 1.3,
            x - r * 1.3,
            y
        ),
        _ => format!(
            "<path d=\"M{:.1},{:.1}L{:.1},{:.1}M{:.1},{:.1}L{:.1},{:.1}\" stroke=\"{fill}\" stroke-width=\"2.2\"/>",
            x - r,
            y - r,
            x + r,
            y + r,
            x - r,
            y + r,
            x + r,
            y - r
        ),
    }
}

/// A linear map from a data interval to a pixel interval.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub d0: f64,
    pub d1: f64,
    pub p0: f64,
    pub p1: f64,
}

impl Scale {
    /// Map a data value to pixels.
    pub fn at(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span.abs() < f64::EPSILON {
            return (self.p0 + self.p1) / 2.0;
        }
        self.p0 + (v - self.d0) / span * (self.p1 - self.p0)
    }
}

/// "Nice" tick values covering [lo, hi] (about five of them).
pub fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).abs().max(1e-9);
    let raw = span / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| span / s <= 6.0)
        .unwrap_or(10.0 * mag);
    let start = (lo / step).ceil() * step;
    (0..)
        .map(|k| start + f64::from(k) * step)
        .take_while(|v| *v <= hi + step * 1e-6)
        .take(20)
        .map(|v| if v.abs() < step * 1e-9 { 0.0 } else { v })
        .collect()
}

/// Padded nice bounds of a set of values.
pub fn bounds(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.into_iter().filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if (hi - lo).abs() < 1e-12 {
        return (lo - 0.5, hi + 0.5);
    }
    let pad = (hi - lo) * 0.08;
    (lo - pad, hi + pad)
}

/// Format a tick label with as few decimals as the step needs.
pub fn fmt_tick(v: f64, step: f64) -> String {
    let dec = if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize
            + usize::from(step * 10f64.powf(-step.log10().floor()) % 1.0 > 1e-6)
    };
    format!("{v:.dec$}")
}

/// An SVG document under construction.
pub struct Svg {
    pub width: f64,
    pub height: f64,
    body: String,
}

impl Svg {
    /// A new document with a title (accessible name).
    pub fn new(width: f64, height: f64, title: &str) -> Self {
        let mut body = String::new();
        let _ = write!(body, "<title>{}</title>", esc(title));
        Self {
            width,
            height,
            body,
        }
    }

    /// Append raw, already escaped markup.
    pub fn raw(&mut self, s: &str) {
        self.body.push_str(s);
    }

    /// Text at (x, y); `anchor` is start|middle|end.
    pub fn text(&mut self, x: f64, y: f64, s: &str, anchor: &str, size: f64) {
        let _ = write!(
            self.body,
            "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\" font-size=\"{size:.0}\">{}</text>",
            esc(s)
        );
    }

    /// Rotated text (for a y-axis title).
    pub fn vtext(&mut self, x: f64, y: f64, s: &str, size: f64) {
        let _ = write!(
            self.body,
            "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"middle\" font-size=\"{size:.0}\" transform=\"rotate(-90 {x:.1} {y:.1})\">{}</text>",
            esc(s)
        );
    }

    /// A straight line.
    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, extra: &str) {
        let _ = write!(
            self.body,
            "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"{stroke}\"{extra}/>"
        );
    }

    /// A rectangle.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, extra: &str) {
        let _ = write!(
            self.body,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{fill}\"{extra}/>"
        );
    }

    /// Axes with ticks, tick labels and titles; x and y scales in pixels.
    pub fn axes(&mut self, x: &Scale, y: &Scale, x_title: &str, y_title: &str) {
        self.axes_with(x, y, x_title, y_title, false);
    }

    /// [`Svg::axes`]; with `integer_x` the x ticks are whole numbers only (years, days).
    pub fn axes_with(
        &mut self,
        x: &Scale,
        y: &Scale,
        x_title: &str,
        y_title: &str,
        integer_x: bool,
    ) {
        self.x_axis_with(x, y.p0.min(y.p1), y.p0.max(y.p1), x_title, integer_x);
        let (top, bottom) = (y.p1.min(y.p0), y.p1.max(y.p0));
        let (left, right) = (x.p0.min(x.p1), x.p0.max(x.p1));
        let yt = ticks(y.d0, y.d1);
        let ys = if yt.len() > 1 { yt[1] - yt[0] } else { 1.0 };
        for v in &yt {
            let py = y.at(*v);
            self.line(left - 4.0, py, left, py, "#000", "");
            self.line(left, py, right, py, "#ddd", " stroke-width=\"0.6\"");
            self.text(left - 7.0, py + 4.0, &fmt_tick(*v, ys), "end", 11.0);
        }
        self.vtext(left - 44.0, (top + bottom) / 2.0, y_title, 12.0);
    }

    /// A horizontal value axis along the bottom of [top, bottom], with a plain
    /// vertical baseline on the left (for bar charts with category rows).
    pub fn x_axis(&mut self, x: &Scale, top: f64, bottom: f64, x_title: &str) {
        self.x_axis_with(x, top, bottom, x_title, false);
    }

    fn x_axis_with(&mut self, x: &Scale, top: f64, bottom: f64, x_title: &str, integer: bool) {
        let (left, right) = (x.p0.min(x.p1), x.p0.max(x.p1));
        self.line(left, bottom, right, bottom, "#000", "");
        self.line(left, top, left, bottom, "#000", "");
        let mut xt = ticks(x.d0, x.d1);
        if integer {
            xt.retain(|v| v.fract() == 0.0);
            if xt.len() < 2 {
                xt = (x.d0.ceil() as i64..=x.d1.floor() as i64)
                    .map(|v| v as f64)
                    .collect();
            }
        }
        let xs = if xt.len() > 1 { xt[1] - xt[0] } else { 1.0 };
        for v in &xt {
            let px = x.at(*v);
            self.line(px, bottom, px, bottom + 4.0, "#000", "");
            self.line(px, top, px, bottom, "#ddd", " stroke-width=\"0.6\"");
            self.text(px, bottom + 16.0, &fmt_tick(*v, xs), "middle", 11.0);
        }
        self.text((left + right) / 2.0, bottom + 34.0, x_title, "middle", 12.0);
    }

    /// A legend row at (x, y): series i with marker, dash and label.
    pub fn legend_item(&mut self, x: f64, y: f64, i: usize, label: &str, with_line: bool) {
        if with_line {
            self.line(
                x,
                y,
                x + 26.0,
                y,
                color(i),
                &format!(" stroke-width=\"2\"{}", dash_attr(i)),
            );
        }
        let m = marker(i, x + 13.0, y, 4.0, color(i));
        self.raw(&m);
        self.text(x + 32.0, y + 4.0, label, "start", 11.0);
    }

    /// Finish the document.
    pub fn finish(self) -> String {
        format!(
            "<svg viewBox=\"0 0 {w:.0} {h:.0}\" width=\"{w:.0}\" height=\"{h:.0}\" role=\"img\" class=\"chart\">{b}</svg>",
            w = self.width,
            h = self.height,
            b = self.body
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }

    #[test]
    fn ticks_are_nice() {
        let labels: Vec<_> = ticks(0.0, 1.0).iter().map(|v| fmt_tick(*v, 0.2)).collect();
        assert_eq!(labels, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
        assert_eq!(fmt_tick(0.25, 0.25), "0.25");
        assert_eq!(fmt_tick(2020.0, 1.0), "2020");
    }
}
