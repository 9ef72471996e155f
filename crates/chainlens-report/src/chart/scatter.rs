//! The Rasmussen–Hirschman key-sector quadrant: backward linkage (BL) on x,
//! forward linkage (FL) on y, cross lines at 1/1, one marker shape and the vocabulary's
//! colour per class. Only the points marked `labelled` (the top sectors) carry a printed
//! label; every point names itself on hover (`<title>`), so 42 sectors do not pile up.

use crate::model::{Lang, SectorClass, Vocabulary};
use crate::svg::{Scale, Svg, bounds, esc, marker, text_width};

/// A point of one class; its label is printed when `labelled`, else shown on hover.
pub struct Point {
    pub label: String,
    pub x: f64,
    pub y: f64,
    pub class: SectorClass,
    pub labelled: bool,
}

/// The marker shape of a class: its place in the vocabulary.
fn shape(c: SectorClass) -> usize {
    SectorClass::VALUES
        .iter()
        .position(|v| *v == c)
        .unwrap_or(0)
}

/// Draw the quadrant chart with a legend of the classes in `lang`.
pub fn quadrant(title: &str, x_title: &str, y_title: &str, points: &[Point], lang: Lang) -> String {
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
        svg.raw(&format!(
            "<g><title>{} ({:.3}, {:.3})</title>{}</g>",
            esc(&p.label),
            p.x,
            p.y,
            marker(shape(p.class), px, py, 5.0, p.class.colour())
        ));
    }
    // Labels placed greedily: right-above, right-below, left-above, left-below of the
    // point, the first spot that overlaps no label already placed and stays in the plot;
    // a label with no free spot is left to the hover title.
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    for p in points.iter().filter(|p| p.labelled) {
        let (px, py) = (xs.at(p.x), ys.at(p.y));
        let w = text_width(&p.label, 11.0);
        let spots = [
            (px + 7.0, py - 5.0),
            (px + 7.0, py + 14.0),
            (px - 7.0 - w, py - 5.0),
            (px - 7.0 - w, py + 14.0),
        ];
        let free = spots.into_iter().find(|&(x, y)| {
            let b = (x, y - 10.0, x + w, y + 3.0);
            b.0 >= 70.0
                && b.2 <= 480.0
                && b.1 >= 10.0
                && b.3 <= 400.0
                && placed
                    .iter()
                    .all(|o| b.2 <= o.0 || o.2 <= b.0 || b.3 <= o.1 || o.3 <= b.1)
        });
        if let Some((x, y)) = free {
            placed.push((x, y - 10.0, x + w, y + 3.0));
            svg.text(x, y, &p.label, "start", 11.0);
        }
    }
    for (i, &c) in SectorClass::VALUES.iter().enumerate() {
        let (x, y) = (485.0, 40.0 + 22.0 * i as f64);
        svg.raw(&marker(shape(c), x + 13.0, y, 4.0, c.colour()));
        svg.text(x + 32.0, y + 4.0, c.label(lang), "start", 11.0);
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_the_unit_cross_and_escapes_labels() {
        let p = [
            Point {
                label: "<b>".into(),
                x: 1.2,
                y: 0.8,
                class: SectorClass::Backward,
                labelled: true,
            },
            Point {
                label: "quiet".into(),
                x: 0.8,
                y: 0.8,
                class: SectorClass::Weak,
                labelled: false,
            },
        ];
        let svg = quadrant("q", "BL", "FL", &p, Lang::Zh);
        assert_eq!(svg.matches("stroke-dasharray=\"5 3\"").count(), 2);
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
        // The unlabelled point names itself on hover only.
        assert!(svg.contains("<title>quiet (0.800, 0.800)</title>"));
        assert!(!svg.contains(">quiet</text>"));
        assert!(svg.contains("后向型") && svg.contains(SectorClass::Key.colour()));
    }
}
