//! One module per chart kind, each a pure function from data to an SVG string.

pub mod bar;
pub mod chainmap;
pub mod heatmap;
pub mod histogram;
pub mod line;
pub mod radar;
pub mod scatter;
