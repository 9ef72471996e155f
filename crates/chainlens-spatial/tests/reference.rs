//! chainlens-spatial against PySAL: expected.json made by tests/reference/generate.py
//! (esda 2.8.2, libpysal 4.14.1, giddy 2.3.8), and the contiguity of Zhejiang's cities
//! exactly as examples/zhejiang/geo/README.md lists it.

use chainlens_spatial::moran::{Cluster, local_moran, moran};
use chainlens_spatial::weights::{Outline, centroid};
use chainlens_spatial::{Contiguity, IslandRule, Weights, geary::geary, markov::spatial_markov};
use serde_json::Value;
use std::collections::BTreeMap;

const TOL: f64 = 1e-10;

fn expected() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/expected.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(f).collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= TOL * want.abs().max(1.0),
        "{what}: got {got}, esda {want}"
    );
}

fn neighbour_map(v: &Value) -> BTreeMap<String, Vec<String>> {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), strings(v)))
        .collect()
}

fn outlines() -> (Vec<String>, Vec<Outline>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/zhejiang/geo/zhejiang_cities.geojson"
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|feature| {
            let id = feature["properties"]["id"].as_str().unwrap().to_string();
            let outline: Outline =
                serde_json::from_value(feature["geometry"]["coordinates"].clone()).unwrap();
            (id, outline)
        })
        .unzip()
}

/// The table of examples/zhejiang/geo/README.md.
fn readme_contiguity() -> BTreeMap<String, Vec<String>> {
    let table = [
        ("hangzhou", "huzhou jiaxing jinhua quzhou shaoxing"),
        ("huzhou", "hangzhou jiaxing"),
        ("jiaxing", "hangzhou huzhou ningbo shaoxing"),
        ("jinhua", "hangzhou lishui quzhou shaoxing taizhou"),
        ("lishui", "jinhua quzhou taizhou wenzhou"),
        ("ningbo", "jiaxing shaoxing taizhou"),
        ("quzhou", "hangzhou jinhua lishui"),
        ("shaoxing", "hangzhou jiaxing jinhua ningbo taizhou"),
        ("taizhou", "jinhua lishui ningbo shaoxing wenzhou"),
        ("wenzhou", "lishui taizhou"),
        ("zhoushan", ""),
    ];
    table
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                v.split_whitespace().map(String::from).collect(),
            )
        })
        .collect()
}

fn check_stats(w: &Weights, y: &[f64], e: &Value) {
    let w = w.row_standardised();
    let m = moran(&w, y, 0, 1).unwrap();
    close(m.moran_i, f(&e["moran_i"]), "I");
    close(m.expected_i, f(&e["expected_i"]), "E[I]");
    close(m.variance_normal, f(&e["variance_normal"]), "Var[I]");
    close(m.z_normal, f(&e["z_normal"]), "z");
    close(m.p_normal, f(&e["p_normal"]), "p");
    let g = geary(&w, y, 0, 1).unwrap();
    close(g.c, f(&e["geary_c"]), "C");
    close(g.variance_normal, f(&e["geary_variance_normal"]), "Var[C]");
    close(g.z_normal, f(&e["geary_z_normal"]), "z(C)");
    close(g.p_normal, f(&e["geary_p_normal"]), "p(C)");
    let local = local_moran(&w, y, 99, 1, 0.05).unwrap();
    let quadrants = [Cluster::HH, Cluster::LH, Cluster::LL, Cluster::HL];
    for ((l, want), q) in local
        .iter()
        .zip(floats(&e["local_i"]))
        .zip(e["local_q"].as_array().unwrap())
    {
        close(l.i, want, &format!("I_{}", l.id));
        assert_eq!(
            l.quadrant,
            quadrants[q.as_u64().unwrap() as usize - 1],
            "quadrant of {}",
            l.id
        );
    }
}

#[test]
fn zhejiang_contiguity_as_the_readme_and_libpysal() {
    let e = expected();
    let (ids, shapes) = outlines();
    assert_eq!(ids, strings(&e["zhejiang"]["ids"]));
    let queen = Weights::contiguity(ids.clone(), &shapes, Contiguity::Queen).unwrap();
    let rook = Weights::contiguity(ids.clone(), &shapes, Contiguity::Rook).unwrap();
    assert_eq!(queen.neighbour_ids(), readme_contiguity());
    assert_eq!(
        queen.neighbour_ids(),
        neighbour_map(&e["zhejiang"]["queen"])
    );
    assert_eq!(rook.neighbour_ids(), neighbour_map(&e["zhejiang"]["rook"]));
    assert_eq!(queen.islands, vec!["zhoushan".to_string()]);
    assert_eq!(queen.islands, strings(&e["zhejiang"]["islands"]));
}

#[test]
fn zhejiang_centroids_island_rule_knn_and_statistics() {
    let e = &expected()["zhejiang"];
    let (ids, shapes) = outlines();
    let points: Vec<[f64; 2]> = shapes.iter().map(centroid).collect();
    for (p, want) in points.iter().zip(e["centroids"].as_array().unwrap()) {
        let want = floats(want);
        close(p[0], want[0], "centroid x (shapely)");
        close(p[1], want[1], "centroid y (shapely)");
    }
    let queen = Weights::contiguity(ids.clone(), &shapes, Contiguity::Queen).unwrap();
    let isolated = queen
        .clone()
        .with_island_rule(IslandRule::Isolate, None)
        .unwrap();
    assert_eq!(isolated.neighbours, queen.neighbours);
    let attached = queen
        .with_island_rule(IslandRule::Nearest, Some(&points))
        .unwrap();
    assert_eq!(attached.island_rule, IslandRule::Nearest);
    assert_eq!(
        attached.islands,
        vec!["zhoushan".to_string()],
        "the island is still reported"
    );
    assert_eq!(
        attached.neighbour_ids(),
        neighbour_map(&e["queen_attached"])
    );
    let knn = Weights::knn(ids.clone(), &points, 3).unwrap();
    assert_eq!(knn.neighbour_ids(), neighbour_map(&e["knn3"]));
    let y = floats(&e["values"]);
    check_stats(&attached, &y, &e["stats_queen_attached"]);
    check_stats(&knn, &y, &e["stats_knn3"]);
}

#[test]
fn lattice_pairs_distance_weights_and_statistics() {
    let e = &expected()["lattice"];
    let ids = strings(&e["ids"]);
    let pairs: Vec<(String, String)> = e["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let w = Weights::from_pairs(ids.clone(), &pairs).unwrap();
    assert!(w.islands.is_empty());
    check_stats(&w, &floats(&e["values"]), &e["stats"]);
    let coords: Vec<[f64; 2]> = e["coords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| [f(&c[0]), f(&c[1])])
        .collect();
    let band = Weights::distance_band(ids.clone(), &coords, 1.5, None).unwrap();
    assert_eq!(band.neighbour_ids(), neighbour_map(&e["band_1_5"]));
    let inverse = Weights::distance_band(ids.clone(), &coords, 2.0, Some(1.0)).unwrap();
    for (i, row) in inverse.neighbours.iter().enumerate() {
        let want = e["inverse_2"][&ids[i]].as_object().unwrap();
        assert_eq!(row.len(), want.len(), "neighbours of {}", ids[i]);
        for &(j, wij) in row {
            close(
                wij,
                f(&want[&ids[j]]),
                &format!("w({}, {})", ids[i], ids[j]),
            );
        }
    }
}

#[test]
fn spatial_markov_matches_giddy() {
    let e = &expected()["markov"];
    let ids: Vec<String> = (0..25).map(|i| format!("r{i}")).collect();
    let pairs: Vec<(String, String)> = (0..25usize)
        .flat_map(|i| {
            let (r, c) = (i / 5, i % 5);
            let mut v = Vec::new();
            if c + 1 < 5 {
                v.push((i, i + 1));
            }
            if r + 1 < 5 {
                v.push((i, i + 5));
            }
            v
        })
        .flat_map(|(a, b)| {
            [
                (format!("r{a}"), format!("r{b}")),
                (format!("r{b}"), format!("r{a}")),
            ]
        })
        .collect();
    let w = Weights::from_pairs(ids, &pairs).unwrap().row_standardised();
    let y: Vec<Vec<f64>> = e["values"].as_array().unwrap().iter().map(floats).collect();
    let sm = spatial_markov(&w, &y, &floats(&e["cutoffs"]), &floats(&e["lag_cutoffs"])).unwrap();
    let usizes = |v: &Value| -> Vec<Vec<usize>> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_u64().unwrap() as usize)
                    .collect()
            })
            .collect()
    };
    assert_eq!(sm.classes, usizes(&e["classes"]));
    assert_eq!(sm.lag_classes, usizes(&e["lag_classes"]));
    let matrix =
        |v: &Value| -> Vec<Vec<f64>> { v.as_array().unwrap().iter().map(floats).collect() };
    assert_eq!(sm.transitions, matrix(&e["plain_transitions"]));
    for (got, want) in sm
        .probabilities
        .iter()
        .flatten()
        .zip(matrix(&e["plain_probabilities"]).iter().flatten())
    {
        close(*got, *want, "P");
    }
    for (l, (t, p)) in sm
        .conditional_transitions
        .iter()
        .zip(&sm.conditional_probabilities)
        .enumerate()
    {
        assert_eq!(*t, matrix(&e["transitions"][l]), "T for lag class {l}");
        for (got, want) in p
            .iter()
            .flatten()
            .zip(matrix(&e["probabilities"][l]).iter().flatten())
        {
            close(*got, *want, &format!("P for lag class {l}"));
        }
    }
}
