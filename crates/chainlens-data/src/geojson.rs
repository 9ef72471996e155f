//! GeoJSON region outlines (RFC 7946): a FeatureCollection whose features are Polygons or
//! MultiPolygons, each naming its region by a property (`id` unless told otherwise).
//!
//! The result is the model's [`RegionOutline`] list, in the file's order, which the
//! spatial weights (queen/rook contiguity, centroids) and the report's map take. A
//! Polygon becomes a MultiPolygon of one. Positions keep their first two numbers
//! (longitude, latitude; an altitude is dropped); rings need at least three positions and
//! need not repeat their first position at the end.
//!
//! Every problem is collected and returned together, each located by its JSON path:
//! `file:features[3]: properties.id: …` (features count from 0, as in the file's array).
//! A display name is taken from the first of the properties `name`, `name_en`, `name_zh`
//! that is a string. O(size of the file).

use crate::table::{decode, read_bytes};
use crate::{Error, Limits, Located, Location, Result};
use chainlens_model::{Outline, RegionOutline};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// Properties tried, in order, for a region's display name.
pub const NAME_PROPERTIES: [&str; 3] = ["name", "name_en", "name_zh"];

/// Reads `path` (named `shown` in messages) within the record tables' file-size limit
/// (`max_table_bytes`); regions are named by the property `id_property`.
pub fn read_geojson(
    path: &Path,
    shown: &str,
    id_property: &str,
    limits: &Limits,
) -> Result<Vec<RegionOutline>> {
    // Minified GeoJSON is one line: only the file's size bounds it.
    let bytes = read_bytes(path, shown, &limits.records(), false)
        .map_err(|p| Error::Invalid { problems: vec![p] })?;
    parse_geojson(&bytes, shown, id_property)
}

/// Parses GeoJSON bytes; see the module documentation for what is accepted.
pub fn parse_geojson(bytes: &[u8], shown: &str, id_property: &str) -> Result<Vec<RegionOutline>> {
    let invalid = |problems| Error::Invalid { problems };
    let whole = |m: String| invalid(vec![Located::whole_file(shown, m)]);
    let (text, _) = decode(bytes).map_err(whole)?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| {
        invalid(vec![Located {
            file: shown.to_owned(),
            location: Location::Cell {
                row: e.line(),
                column: Some(e.column()),
            },
            field: None,
            message: format!("not valid JSON: {e}"),
            suggestion: None,
        }])
    })?;
    let kind = doc.get("type").and_then(Value::as_str);
    let Some(features) = doc.get("features").and_then(Value::as_array) else {
        return Err(whole(format!(
            "expected a GeoJSON FeatureCollection (an object with \"type\": \"FeatureCollection\" and a \"features\" array), found {}",
            kind.map_or_else(|| describe(&doc).to_owned(), |k| format!("type `{k}`"))
        )));
    };
    if kind != Some("FeatureCollection") {
        return Err(whole(format!(
            "\"type\" is {}, expected \"FeatureCollection\"",
            kind.map_or_else(|| "missing".to_owned(), |k| format!("`{k}`"))
        )));
    }
    if features.is_empty() {
        return Err(whole("the FeatureCollection has no features".into()));
    }
    let mut problems = Vec::new();
    let mut regions = Vec::with_capacity(features.len());
    let mut first_feature: HashMap<String, usize> = HashMap::new();
    for (f, feature) in features.iter().enumerate() {
        let mut problem = |field: &str, message: String| {
            problems.push(Located {
                file: shown.to_owned(),
                location: Location::Key {
                    path: format!("features[{f}]"),
                },
                field: Some(field.to_owned()),
                message,
                suggestion: None,
            })
        };
        let id = match feature.get("properties") {
            Some(Value::Object(properties)) => match properties.get(id_property) {
                Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
                Some(Value::Number(n)) => Some(n.to_string()),
                Some(other) => {
                    problem(
                        &format!("properties.{id_property}"),
                        format!(
                            "the region id must be a non-empty string or a number, found {}",
                            describe(other)
                        ),
                    );
                    None
                }
                None => {
                    let keys: Vec<&str> = properties.keys().map(String::as_str).collect();
                    problem(
                        &format!("properties.{id_property}"),
                        format!(
                            "no property `{id_property}` naming the region; this feature has {}",
                            if keys.is_empty() {
                                "no properties".to_owned()
                            } else {
                                format!("{} (name the id property to use)", keys.join(", "))
                            }
                        ),
                    );
                    None
                }
            },
            other => {
                problem(
                    "properties",
                    format!(
                        "expected an object of properties with `{id_property}`, found {}",
                        other.map_or("nothing", describe)
                    ),
                );
                None
            }
        };
        if let Some(id) = &id {
            if let Some(&earlier) = first_feature.get(id) {
                problem(
                    &format!("properties.{id_property}"),
                    format!("region `{id}` is already the id of features[{earlier}]"),
                );
            } else {
                first_feature.insert(id.clone(), f);
            }
        }
        let outline = match geometry(feature.get("geometry")) {
            Ok(outline) => Some(outline),
            Err((field, message)) => {
                problem(&field, message);
                None
            }
        };
        if let (Some(id), Some(outline)) = (id, outline) {
            let name = feature.get("properties").and_then(|p| {
                NAME_PROPERTIES
                    .iter()
                    .find_map(|k| p.get(*k).and_then(Value::as_str))
                    .map(str::to_owned)
            });
            regions.push(RegionOutline { id, name, outline });
        }
    }
    if problems.is_empty() {
        Ok(regions)
    } else {
        Err(invalid(problems))
    }
}

/// A JSON value's kind, for messages.
fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// (field, message) of a geometry problem, located by the caller.
type FieldProblem = (String, String);

/// A Polygon or MultiPolygon geometry as an outline; the error is (field, message).
fn geometry(g: Option<&Value>) -> std::result::Result<Outline, FieldProblem> {
    let err = |field: &str, message: String| Err((field.to_owned(), message));
    let Some(Value::Object(g)) = g else {
        return err(
            "geometry",
            format!(
                "expected a Polygon or MultiPolygon geometry, found {}",
                g.map_or("nothing", describe)
            ),
        );
    };
    let coordinates = g.get("coordinates");
    match g.get("type").and_then(Value::as_str) {
        Some("Polygon") => Ok(vec![polygon(coordinates, "geometry.coordinates")?]),
        Some("MultiPolygon") => {
            let Some(Value::Array(polygons)) = coordinates else {
                return err(
                    "geometry.coordinates",
                    "expected an array of polygons".into(),
                );
            };
            if polygons.is_empty() {
                return err("geometry.coordinates", "the MultiPolygon is empty".into());
            }
            polygons
                .iter()
                .enumerate()
                .map(|(p, v)| polygon(Some(v), &format!("geometry.coordinates[{p}]")))
                .collect()
        }
        Some(other) => err(
            "geometry.type",
            format!("`{other}` is not an area: regions need a Polygon or MultiPolygon"),
        ),
        None => err(
            "geometry.type",
            "missing: expected \"Polygon\" or \"MultiPolygon\"".into(),
        ),
    }
}

fn polygon(
    v: Option<&Value>,
    field: &str,
) -> std::result::Result<Vec<Vec<[f64; 2]>>, FieldProblem> {
    let Some(Value::Array(rings)) = v else {
        return Err((field.to_owned(), "expected an array of rings".into()));
    };
    if rings.is_empty() {
        return Err((
            field.to_owned(),
            "a polygon needs at least its exterior ring".into(),
        ));
    }
    rings
        .iter()
        .enumerate()
        .map(|(r, ring)| {
            let field = format!("{field}[{r}]");
            let Value::Array(positions) = ring else {
                return Err((field, "expected an array of positions".into()));
            };
            if positions.len() < 3 {
                return Err((
                    field,
                    format!(
                        "a ring needs at least 3 positions, found {}",
                        positions.len()
                    ),
                ));
            }
            positions
                .iter()
                .enumerate()
                .map(|(k, p)| {
                    let xy = p.as_array().and_then(|a| {
                        let x = a.first()?.as_f64()?;
                        let y = a.get(1)?.as_f64()?;
                        (x.is_finite() && y.is_finite()).then_some([x, y])
                    });
                    xy.ok_or_else(|| {
                        (
                            format!("{field}[{k}]"),
                            format!(
                                "expected a position [x, y] of two finite numbers, found {}",
                                describe(p)
                            ),
                        )
                    })
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<RegionOutline>> {
        parse_geojson(text.as_bytes(), "map.geojson", "id")
    }

    fn messages(e: Error) -> Vec<String> {
        e.problems().iter().map(ToString::to_string).collect()
    }

    const SQUARE: &str = "[[[0,0],[1,0],[1,1],[0,1],[0,0]]]";

    #[test]
    fn polygon_and_multipolygon_become_outlines() {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[
            {{"type":"Feature","properties":{{"id":"a","name_en":"A"}},"geometry":{{"type":"Polygon","coordinates":{SQUARE}}}}},
            {{"type":"Feature","properties":{{"id":7}},"geometry":{{"type":"MultiPolygon","coordinates":[{SQUARE},[[[2,2,9],[3,2,9],[3,3,9]]]]}}}}]}}"#
        );
        let regions = parse(&text).unwrap();
        assert_eq!(regions.len(), 2);
        assert_eq!(regions[0].id, "a");
        assert_eq!(regions[0].name.as_deref(), Some("A"));
        assert_eq!(regions[0].outline.len(), 1);
        assert_eq!(regions[0].outline[0][0].len(), 5);
        assert_eq!(regions[1].id, "7");
        assert_eq!(regions[1].name, None);
        assert_eq!(regions[1].outline.len(), 2);
        assert_eq!(regions[1].outline[1][0][2], [3.0, 3.0]);
    }

    #[test]
    fn every_problem_is_located_by_feature_and_field() {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[
            {{"properties":{{"code":"a"}},"geometry":{{"type":"Polygon","coordinates":{SQUARE}}}}},
            {{"properties":{{"id":"b"}},"geometry":{{"type":"Point","coordinates":[0,0]}}}},
            {{"properties":{{"id":"b"}},"geometry":{{"type":"Polygon","coordinates":[[[0,0],[1,"x"],[1,1]]]}}}},
            {{"properties":{{"id":"c"}},"geometry":null}}]}}"#
        );
        let m = messages(parse(&text).unwrap_err());
        assert_eq!(m.len(), 5, "{m:#?}");
        assert!(m[0].starts_with("map.geojson:features[0]: properties.id: no property `id`"));
        assert!(m[0].contains("code"), "{}", m[0]);
        assert!(m[1].starts_with("map.geojson:features[1]: geometry.type: `Point` is not an area"));
        assert!(
            m[2].contains(
                "features[2]: properties.id: region `b` is already the id of features[1]"
            )
        );
        assert!(m[3].starts_with(
            "map.geojson:features[2]: geometry.coordinates[0][1]: expected a position"
        ));
        assert!(m[4].starts_with("map.geojson:features[3]: geometry: expected a Polygon"));
    }

    #[test]
    fn not_a_feature_collection_is_refused() {
        for (text, says) in [
            ("", "not valid JSON"),
            ("[1,2]", "expected a GeoJSON FeatureCollection"),
            (
                r#"{"type":"Feature","geometry":null}"#,
                "found type `Feature`",
            ),
            (
                r#"{"type":"Topology","features":[]}"#,
                "expected \"FeatureCollection\"",
            ),
            (
                r#"{"type":"FeatureCollection","features":[]}"#,
                "no features",
            ),
        ] {
            let m = messages(parse(text).unwrap_err());
            assert!(m[0].contains(says), "{text}: {m:?}");
        }
    }

    #[test]
    fn every_prefix_and_byte_flip_is_an_error_or_outlines_never_a_panic() {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{{"properties":{{"id":"a"}},"geometry":{{"type":"MultiPolygon","coordinates":[{SQUARE}]}}}}]}}"#
        );
        let bytes = text.as_bytes();
        for end in 0..bytes.len() {
            assert!(
                parse_geojson(&bytes[..end], "m", "id").is_err(),
                "prefix {end}"
            );
        }
        for k in 0..bytes.len() {
            for flip in [b'0', b'[', b']', b'"', b'-', 0xff] {
                let mut b = bytes.to_vec();
                b[k] = flip;
                let _ = parse_geojson(&b, "m", "id");
            }
        }
    }

    #[test]
    fn the_id_property_is_chosen_by_the_caller() {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{{"properties":{{"code":" z1 "}},"geometry":{{"type":"Polygon","coordinates":{SQUARE}}}}}]}}"#
        );
        let regions = parse_geojson(text.as_bytes(), "m", "code").unwrap();
        assert_eq!(regions[0].id, "z1");
    }
}
