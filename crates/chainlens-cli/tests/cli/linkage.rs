//! `chainlens linkage`: a table folder, a workspace's `[io]` table, the three formats,
//! `--out` matrices against Miller & Blair's published example, and refusals.

use crate::common::{example, run, stderr};
use serde_json::Value;
use std::path::Path;

/// A two-sector `matrix` layout folder (Miller & Blair 2009, Table 2.3, with the textbook
/// flows and final demand).
fn write_two_sectors(dir: &Path, z: [[f64; 2]; 2], y: [f64; 2]) {
    std::fs::create_dir_all(dir).unwrap();
    let header = "region,sector,r|agriculture,r|manufacturing\n";
    let rows = |m: [[f64; 2]; 2]| {
        format!(
            "{header}r,agriculture,{},{}\nr,manufacturing,{},{}\n",
            m[0][0], m[0][1], m[1][0], m[1][1]
        )
    };
    std::fs::write(dir.join("Z.csv"), rows(z)).unwrap();
    std::fs::write(
        dir.join("Y.csv"),
        format!(
            "region,sector,r|final\nr,agriculture,{}\nr,manufacturing,{}\n",
            y[0], y[1]
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("value_added.csv"),
        "region,sector,va\nr,agriculture,650\nr,manufacturing,1400\n",
    )
    .unwrap();
}

fn json_of(args: &[&str]) -> Value {
    let o = run(args);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("JSON on stdout")
}

/// The cells of a matrix CSV written by `--out` (row labels in two columns).
fn read_matrix(path: &Path) -> Vec<Vec<f64>> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .skip(1)
        .map(|l| l.split(',').skip(2).map(|v| v.parse().unwrap()).collect())
        .collect()
}

#[test]
fn the_textbook_example_gives_the_published_inverse_and_multipliers() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("mb");
    write_two_sectors(&table, [[150., 500.], [200., 100.]], [350., 1700.]);
    let out = dir.path().join("out");
    let t = table.to_str().unwrap();
    let json = json_of(&[
        "linkage",
        t,
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(json["table"]["layout"], "matrix");
    assert_eq!(json["table"]["pivoting"], false);
    // Published (eq. 2.14, three decimals): L = [[1.254, 0.330], [0.264, 1.122]];
    // output multipliers are its column sums, 1.518 and 1.452.
    let l = read_matrix(&out.join("L.csv"));
    let published = [[1.254, 0.330], [0.264, 1.122]];
    for i in 0..2 {
        for j in 0..2 {
            assert!(
                (l[i][j] - published[i][j]).abs() < 5e-4,
                "L[{i}][{j}] = {}",
                l[i][j]
            );
        }
    }
    let sectors = json["sectors"].as_array().unwrap();
    let multiplier = |s: &str| {
        sectors.iter().find(|r| r["sector"] == s).unwrap()["output_multiplier"]
            .as_f64()
            .unwrap()
    };
    assert!((multiplier("agriculture") - 1.518).abs() < 5e-4);
    assert!((multiplier("manufacturing") - 1.452).abs() < 5e-4);
    // A is eq. 2.12 exactly; the files written are the layout read back.
    assert_eq!(
        read_matrix(&out.join("A.csv")),
        vec![vec![0.15, 0.25], vec![0.2, 0.05]]
    );
    for f in ["B.csv", "G.csv", "report.json", "sectors.csv"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let csv = run(&["linkage", t, "--format", "csv"]);
    let header = String::from_utf8_lossy(&csv.stdout)
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(header.starts_with("region,sector,output"), "{header}");
    let table_out = run(&["linkage", t]);
    let text = String::from_utf8_lossy(&table_out.stdout);
    assert!(
        text.contains("rank") && text.contains("agriculture"),
        "{text}"
    );
    // κ₁(I − A) = 1.2 · 1.15/0.7575 (see the linkage crate's report test); ρ(A) of
    // [[0.15, 0.25], [0.2, 0.05]] is 0.1 + √(0.1² + 0.0425) = 0.3291 (trace 0.2, det −0.0425).
    assert!(text.contains("κ₁(I − A) 1.822"), "{text}");
    assert!(text.contains("spectral radius 0.3291;"), "{text}");
}

#[test]
fn a_workspace_is_read_through_its_io_table() {
    let ws = example();
    let io = ws.join("data/io");
    let from_workspace = json_of(&["linkage", ws.to_str().unwrap(), "--format", "json"]);
    let from_table = json_of(&["linkage", io.to_str().unwrap(), "--format", "json"]);
    assert_eq!(from_workspace["sectors"], from_table["sectors"]);
    assert_eq!(from_workspace["table"]["industries"], 20);
    assert!(
        from_workspace["table"]["residuals"]["output"]
            .as_f64()
            .unwrap()
            < 1e-12
    );

    let empty = tempfile::tempdir().unwrap();
    let o = run(&["init", empty.path().join("ws").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["linkage", empty.path().join("ws").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no [io] table"), "{}", stderr(&o));
}

#[test]
fn a_non_productive_table_is_refused_naming_the_sector() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("bad");
    // Output is Z·1 + y; with final demand of manufacturing −1,700 (net imports) its output
    // is 400 against inputs of 2,400: a column of A sums to 6 and ρ(A) > 1.
    write_two_sectors(&table, [[900., 500.], [200., 1900.]], [350., -1700.]);
    let o = run(&["linkage", table.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("r|manufacturing") && e.contains("spectral radius"),
        "{e}"
    );
    assert!(o.stdout.is_empty());

    let o = run(&["linkage", dir.path().join("missing").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no such file or folder"),
        "{}",
        stderr(&o)
    );
}
