//! The Rasmussen–Hirschman key-sector quadrant: backward linkage (BL) on x,
//! forward linkage (FL) on y, cross lines at 1/1, one marker shape per class.

use crate::svg::{Scale, Svg, bounds, color, marker};

/// A labelled point with a class index (0 key, 1 backward, 2 forward, 3 weak).
pub struct Point {
    pub label: String,
    pub x: f64,
    pub y: f64,
    pub class: usize,
}

/// Draw the quadrant chart; `class_names` label the legend in class order.
pub fn quadrant(
    title: &str,
    x_title: &str,
    y_title: &str,
    points: &[Point],
    class_names: &[&str],
) -> String {
    let (w, h) = (640.0, 460.0);
    let mut svg = Svg::new(w, h, title);
    let (x0, x1) = bounds(points.iter().map(|p| p.x).chain([0.9, 1.1]));
    let (y0, y1) = bounds(points.iter().map(|p| p.y).chain([0.9, 1.1]));
    let xs = Scale {
        d0: x0,
        d1: x1,
        p0: 70.0,
        p1: 470.0,
    };
    let ys = Scale {
        d0: y0,
        d1: y1,
        p0: 400.0,
        p1: 20.0,
    };
    svg.axes(&xs, &ys, x_title, y_title);
    svg.line(
        xs.at(1.0),
        20.0,
        xs.at(1.0),
        400.0,
        "#000",
        " stroke-width=\"1.2\" stroke-dasharray=\"5 3\"",
    );
    svg.line(
        70.0,
        ys.at(1.0),
        470.0,
        ys.at(1.0),
        "#000",
        " stroke-width=\"1.2\" stroke-dasharray=\"5 3\"",
    );
    for p in points {
        let (px, py) = (xs.at(p.x), ys.at(p.y));
        svg.raw(&marker(p.class, px, py, 5.0, color(p.class)));
        svg.text(px + 7.0, py - 5.0, &p.label, "start", 10.0);
    }
    for (i, name) in class_names.iter().enumerate() {
        svg.legend_item(485.0, 40.0 + 22.0 * i as f64, i, name, false);
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_the_unit_cross_and_escapes_labels() {
        let p = [Point {
            label: "<b>".into(),
            x: 1.2,
            y: 0.8,
            class: 1,
        }];
        let svg = quadrant("q", "BL", "FL", &p, &["key", "backward", "forward", "weak"]);
        assert_eq!(svg.matches("stroke-dasharray=\"5 3\"").count(), 2);
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
    }
}
