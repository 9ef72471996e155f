//! Region outlines: the polygons of a map as GeoJSON gives them, which the spatial
//! weights (contiguity, centroids) and the report's map read. Coordinates are kept as the
//! file has them (longitude, latitude for GeoJSON); nothing here projects.

use serde::Serialize;

/// A region's outline: polygons, each a list of rings (the exterior first, then holes),
/// each a list of [x, y] vertices — GeoJSON's MultiPolygon coordinates (a Polygon is a
/// MultiPolygon of one).
pub type Outline = Vec<Vec<Vec<[f64; 2]>>>;

/// One region of a map: its id (as the data tables name it), an optional display name and
/// its outline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionOutline {
    pub id: String,
    pub name: Option<String>,
    pub outline: Outline,
}
