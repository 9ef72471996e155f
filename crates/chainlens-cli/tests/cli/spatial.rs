//! `chainlens spatial` on Zhejiang's real outlines against esda 2.8.2 / libpysal 4.14.1:
//! the expected values come from crates/chainlens-spatial/tests/reference/generate.py
//! (expected.json, case `zhejiang`). Deterministic statistics agree to 1e-10; permutation
//! p-values are checked statistically (9,999 permutations each: esda draws with numpy's
//! generator, ChainLens with its seeded xoshiro256**) — the global ones within 0.02 of
//! esda's, the local ones against the exact conditional distribution enumerated here — and
//! for determinism by seed.

use crate::common::{copy_example, run, stderr};
use serde_json::Value;
use std::path::{Path, PathBuf};

const TOL: f64 = 1e-10;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn geojson() -> String {
    root()
        .join("examples/zhejiang/geo/zhejiang_cities.geojson")
        .to_string_lossy()
        .into_owned()
}

fn esda() -> Value {
    let path = root().join("crates/chainlens-spatial/tests/reference/expected.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["zhejiang"].clone()
}

fn ids(z: &Value) -> Vec<String> {
    z["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// The reference's values as `id,value`, in reverse order (the output is keyed by id).
fn values_file(dir: &Path, z: &Value) -> String {
    let mut text = String::from("id,value\n");
    for (id, v) in ids(z).iter().zip(z["values"].as_array().unwrap()).rev() {
        text.push_str(&format!("{id},{v}\n"));
    }
    let path = dir.join("values.csv");
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn json(args: &[&str]) -> Value {
    let mut all = vec!["spatial"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let o = run(&all);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn close(got: &Value, want: &Value, what: &str) {
    let (g, w) = (got.as_f64().unwrap(), want.as_f64().unwrap());
    assert!(
        (g - w).abs() <= TOL * w.abs().max(1.0),
        "{what}: chainlens {g}, esda {w}"
    );
}

/// Every deterministic figure of `out` against esda's `stats`.
fn same_as_esda(out: &Value, stats: &Value, z: &Value) {
    for key in [
        "moran_i",
        "expected_i",
        "variance_normal",
        "z_normal",
        "p_normal",
        "geary_z_normal",
        "geary_p_normal",
        "geary_variance_normal",
    ] {
        close(&out[key], &stats[key], key);
    }
    close(&out["geary_c"], &stats["geary_c"], "geary_c");
    let quadrants = ["", "HH", "LH", "LL", "HL"];
    for (k, id) in ids(z).iter().enumerate() {
        let local = &out["local"][id];
        close(
            &local["i"],
            &stats["local_i"][k],
            &format!("local I of {id}"),
        );
        let q = stats["local_q"][k].as_u64().unwrap() as usize;
        assert_eq!(local["quadrant"], quadrants[q], "quadrant of {id}");
        close(&local["value"], &z["values"][k], "value");
    }
}

/// The exact folded conditional-permutation p of each region's local Moran under the
/// reference's row-standardised `queen_attached` weights: every set of |N_i| other regions
/// is a draw (equal weights, so order does not matter). Returns, per region, the range of
/// min(P, 1 − P) between P = share of draws with I ≥ observed counting ties (the observed
/// arrangement, or any with the same mean) and P not counting them.
fn exact_local_p(z: &Value) -> Vec<(f64, f64)> {
    let ids = ids(z);
    let y: Vec<f64> = z["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let n = y.len();
    let mean = y.iter().sum::<f64>() / n as f64;
    let zs: Vec<f64> = y.iter().map(|v| v - mean).collect();
    let index = |id: &str| ids.iter().position(|x| x == id).unwrap();
    let fold = |p: f64| p.min(1.0 - p);
    (0..n)
        .map(|i| {
            let neighbours: Vec<usize> = z["queen_attached"][&ids[i]]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| index(v.as_str().unwrap()))
                .collect();
            let k = neighbours.len();
            let observed = zs[i] * neighbours.iter().map(|&j| zs[j]).sum::<f64>() / k as f64;
            let tie = 1e-9 * observed.abs().max(1e-12);
            let others: Vec<usize> = (0..n).filter(|&j| j != i).collect();
            let (mut draws, mut at_least, mut above) = (0u64, 0u64, 0u64);
            // Every k-subset of the others, as a bit mask.
            for mask in 0u32..(1 << others.len()) {
                if mask.count_ones() as usize != k {
                    continue;
                }
                let sum: f64 = (0..others.len())
                    .filter(|b| mask >> b & 1 == 1)
                    .map(|b| zs[others[b]])
                    .sum();
                let sim = zs[i] * sum / k as f64;
                draws += 1;
                at_least += (sim >= observed - tie) as u64;
                above += (sim > observed + tie) as u64;
            }
            let half = draws as f64 / 2.0;
            let (a, b) = (
                fold(at_least as f64 / draws as f64),
                fold(above as f64 / draws as f64),
            );
            // min(P, 1 − P) peaks at P = ½: if ½ lies between the two, so does the top.
            let top = if (above as f64) < half && (at_least as f64) > half {
                0.5
            } else {
                a.max(b)
            };
            (a.min(b), top)
        })
        .collect()
}

#[test]
fn queen_contiguity_with_the_island_attached_matches_esda() {
    let dir = tempfile::tempdir().unwrap();
    let z = esda();
    let values = values_file(dir.path(), &z);
    let g = geojson();
    let out = json(&[
        "--values",
        &values,
        "--geojson",
        &g,
        "--permutations",
        "9999",
        "--seed",
        "1",
    ]);
    same_as_esda(&out, &z["stats_queen_attached"], &z);
    assert_eq!(out["islands"], serde_json::json!(["zhoushan"]));
    assert_eq!(out["island_rule"], "nearest");
    assert_eq!(out["weights"]["kind"], "queen contiguity");
    assert_eq!(out["regions"], 11);
    // 19 pairs of README's table plus zhoushan–ningbo, both ways.
    assert_eq!(out["weights"]["links"], 40);
    let perms = &z["permutations_queen_attached"];
    let within = |got: &Value, want: &Value, what: &str| {
        let (g, w) = (got.as_f64().unwrap(), want.as_f64().unwrap());
        assert!((g - w).abs() <= 0.02, "{what}: chainlens {g}, esda {w}");
    };
    within(&out["p_permutation"], &perms["p_permutation"], "Moran p");
    within(
        &out["geary_p_permutation"],
        &perms["geary_p_permutation"],
        "Geary p",
    );
    let exact = exact_local_p(&z);
    for (k, id) in ids(&z).iter().enumerate() {
        let local = &out["local"][id];
        // Local p-values against the exact conditional distribution (every draw of the
        // neighbours enumerated): 5 standard errors of a 9,999-permutation estimate
        // (≤ 0.025) around the exact range. The range is an interval, not a number, because
        // the observed arrangement is itself a draw: a region with two neighbours among ten
        // has 45 draws, and whether the observed one counts as "at least as large" (ChainLens
        // counts it, as Davison & Hinkley do) or falls below it by rounding (as it can in
        // esda) moves p by 1/45. esda's p must lie in the same band.
        let (lo, hi) = exact[k];
        for (who, p) in [("chainlens", &local["p"]), ("esda", &perms["local_p"][k])] {
            let p = p.as_f64().unwrap();
            assert!(
                p >= lo - 0.025 && p <= hi + 0.025,
                "local p of {id} by {who}: {p}, exact {lo}..{hi}"
            );
        }
        let p = local["p"].as_f64().unwrap();
        let expected = if p <= 0.05 {
            local["quadrant"].clone()
        } else {
            Value::from("not_significant")
        };
        assert_eq!(local["cluster"], expected, "cluster of {id}");
    }
}

#[test]
fn rook_and_knn_and_isolated_island_match_esda() {
    let dir = tempfile::tempdir().unwrap();
    let z = esda();
    let values = values_file(dir.path(), &z);
    let g = geojson();
    let rook = json(&["--values", &values, "--geojson", &g, "--contiguity", "rook"]);
    same_as_esda(&rook, &z["stats_rook_attached"], &z);
    assert_eq!(rook["weights"]["kind"], "rook contiguity");
    let knn = json(&["--values", &values, "--geojson", &g, "--knn", "3"]);
    same_as_esda(&knn, &z["stats_knn3"], &z);
    assert_eq!(knn["islands"], serde_json::json!([]));
    assert_eq!(knn["weights"]["links"], 33);
    let isolated = json(&["--values", &values, "--geojson", &g, "--islands", "isolate"]);
    same_as_esda(&isolated, &z["stats_queen_isolated"], &z);
    assert_eq!(isolated["island_rule"], "isolate");
    // Without neighbours a region has no local association (esda would say p = 1/(P+1)).
    assert_eq!(isolated["local"]["zhoushan"]["p"], 1.0);
    assert_eq!(isolated["local"]["zhoushan"]["cluster"], "not_significant");
}

#[test]
fn neighbour_pairs_and_coordinates_give_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let z = esda();
    let values = values_file(dir.path(), &z);
    let mut pairs = String::from("id,neighbour\n");
    for (id, list) in z["queen_attached"].as_object().unwrap() {
        for n in list.as_array().unwrap() {
            pairs.push_str(&format!("{id},{}\n", n.as_str().unwrap()));
        }
    }
    let neighbours = dir.path().join("neighbours.csv");
    std::fs::write(&neighbours, &pairs).unwrap();
    let n = neighbours.to_string_lossy();
    let out = json(&["--values", &values, "--neighbours", &n]);
    same_as_esda(&out, &z["stats_queen_attached"], &z);
    assert_eq!(out["islands"], serde_json::json!([]));

    let mut points = String::from("id,x,y\n");
    for (id, c) in ids(&z).iter().zip(z["centroids"].as_array().unwrap()) {
        points.push_str(&format!("{id},{},{}\n", c[0], c[1]));
    }
    let coordinates = dir.path().join("points.csv");
    std::fs::write(&coordinates, points).unwrap();
    let c = coordinates.to_string_lossy();
    let knn = json(&["--values", &values, "--knn", "3", "--coordinates", &c]);
    same_as_esda(&knn, &z["stats_knn3"], &z);
}

#[test]
fn the_seed_decides_the_permutation_p_values() {
    let dir = tempfile::tempdir().unwrap();
    let z = esda();
    let values = values_file(dir.path(), &z);
    let g = geojson();
    let run = |seed: &str| json(&["--values", &values, "--geojson", &g, "--seed", seed]);
    let (a, b, c) = (run("7"), run("7"), run("8"));
    assert_eq!(a, b);
    assert_eq!(a["permutations"], 999);
    let ps = |v: &Value| {
        ids(&z)
            .iter()
            .map(|id| v["local"][id]["p"].as_f64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_ne!(ps(&a), ps(&c));
}

#[test]
fn bad_spatial_input_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let z = esda();
    let values = values_file(dir.path(), &z);
    let g = geojson();
    let neighbours = dir.path().join("neighbours.csv");
    std::fs::write(
        &neighbours,
        "id,neighbour\nhangzhou,huzhou\nhuzhou,hangzhou\nningbo,zhoushan\n",
    )
    .unwrap();
    let n = neighbours.to_string_lossy().into_owned();
    let o = run(&["spatial", "--values", &values, "--neighbours", &n]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains(&format!(
            "{n}:4:2: neighbour: `ningbo` → `zhoushan` is listed but `zhoushan` → `ningbo` is not"
        )),
        "{e}"
    );
    std::fs::write(&neighbours, "id,neighbour\nhangzhou,huzhuo\n").unwrap();
    let e = stderr(&run(&["spatial", "--values", &values, "--neighbours", &n]));
    assert!(
        e.contains(&format!(
            "{n}:2:2: neighbour: region `huzhuo` has no value in the values file (did you mean `huzhou`?)"
        )),
        "{e}"
    );

    // A region of the map without a value is named in the map, at its feature.
    let short = dir.path().join("short.csv");
    let text = std::fs::read_to_string(&values).unwrap();
    std::fs::write(
        &short,
        text.lines()
            .filter(|l| !l.starts_with("zhoushan"))
            .collect::<Vec<_>>()
            .join("\n"),
    )
    .unwrap();
    let s = short.to_string_lossy().into_owned();
    let o = run(&["spatial", "--values", &s, "--geojson", &g]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(":features[10]: properties.id: region `zhoushan` has no row in"),
        "{}",
        stderr(&o)
    );

    // Constant values, and k-nearest without points.
    let constant = dir.path().join("constant.csv");
    std::fs::write(&constant, "id,value\na,1\nb,1\nc,1\n").unwrap();
    let c = constant.to_string_lossy().into_owned();
    let o = run(&["spatial", "--values", &c, "--knn", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("k-nearest weights need points"),
        "{}",
        stderr(&o)
    );
    let pairs = dir.path().join("abc.csv");
    std::fs::write(&pairs, "id,neighbour\na,b\nb,a\nb,c\nc,b\n").unwrap();
    let p = pairs.to_string_lossy().into_owned();
    let o = run(&["spatial", "--values", &c, "--neighbours", &p]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("all values are equal"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_workspace_form_is_the_file_form_on_each_years_index() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let d = dir.to_str().unwrap();
    let o = run(&["spatial", d, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let ws: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(ws["variable"], "resilience index");
    assert_eq!(ws["unmapped"], serde_json::json!([]));
    // The index as CSV: Rust's shortest round-trip text, read back bit for bit.
    let o = run(&["evaluate", d, "--format", "csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let evaluation = String::from_utf8(o.stdout).unwrap();
    let header: Vec<&str> = evaluation.lines().next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (region, year_column, index) = (column("region"), column("year"), column("index"));
    let years = ws["years"].as_array().unwrap();
    assert_eq!(years.len(), 6);
    let g = dir.join("geo/zhejiang_cities.geojson");
    for year in years {
        // The workspace form takes the regions in id order.
        let mut rows: Vec<String> = evaluation
            .lines()
            .skip(1)
            .map(|l| l.split(',').collect::<Vec<_>>())
            .filter(|c| c[year_column].parse::<i64>().ok() == year["year"].as_i64())
            .map(|c| format!("{},{}\n", c[region], c[index]))
            .collect();
        rows.sort();
        let text = format!("id,value\n{}", rows.concat());
        let values = tmp.path().join("index.csv");
        std::fs::write(&values, text).unwrap();
        let mut file_form = json(&[
            "--values",
            values.to_str().unwrap(),
            "--geojson",
            g.to_str().unwrap(),
            "--permutations",
            "999",
            "--seed",
            "2024",
        ]);
        let mut year = year.clone();
        let map = year.as_object_mut().unwrap();
        map.remove("year");
        for v in [&mut year, &mut file_form] {
            let w = v["weights"].as_object_mut().unwrap();
            w.remove("source");
            w.remove("points");
        }
        nearly_equal(&year, &file_form, "");
    }
}

/// Equal JSON, numbers to 1e-12 relative (serde_json's float parsing is not exactly
/// round-trip); the p-values, counts of permutations, exactly.
fn nearly_equal(a: &Value, b: &Value, at: &str) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!(
                (x - y).abs() <= 1e-12 * x.abs().max(1.0),
                "{at}: {x} vs {y}"
            );
        }
        (Value::Object(x), Value::Object(y)) => {
            assert_eq!(
                x.keys().collect::<Vec<_>>(),
                y.keys().collect::<Vec<_>>(),
                "{at}"
            );
            for (k, v) in x {
                nearly_equal(v, &y[k], &format!("{at}.{k}"));
            }
        }
        _ => assert_eq!(a, b, "{at}"),
    }
}
