//! init, validate, import, info and run on the bundled example and on broken copies of it.

use crate::common::*;
use chainlens_data::store::Store;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

#[test]
fn the_example_validates_and_reports_its_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let d = dir.to_str().unwrap();
    let o = run(&["validate", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["info", d, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let info: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // Counts as examples/zhejiang/README.md states them (written by its generator).
    for (key, expected) in [
        ("regions", 18),
        ("sectors", 21),
        ("chains", 3),
        ("stages", 26),
        ("enterprises", 258),
        ("supply_links", 848),
        ("indicator_values", 1188),
        ("risks", 5),
    ] {
        assert_eq!(info[key], expected, "{key}");
    }
    assert_eq!(info["store"]["imported"], false);
}

#[test]
fn validate_names_file_row_and_column_of_every_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let enterprises = dir.join("data/enterprises.csv");
    let links = dir.join("data/supply_links.csv");
    // Row 5 of enterprises: region misspelt. Row 7: capacity not a number.
    let row5 = line(&enterprises, 5);
    let region = row5.split(',').nth(2).unwrap().to_owned();
    let misspelt = format!("{}x", region);
    set_line(
        &enterprises,
        5,
        &row5.replacen(&format!(",{region},"), &format!(",{misspelt},"), 1),
    );
    let header = line(&enterprises, 1);
    let capacity_col = header.split(',').position(|h| h == "capacity").unwrap() + 1;
    let row7 = line(&enterprises, 7);
    let mut cells: Vec<String> = row7.split(',').map(str::to_owned).collect();
    cells[capacity_col - 1] = "many".into();
    set_line(&enterprises, 7, &cells.join(","));
    // Row 3 of supply_links: a buyer that does not exist.
    let row3 = line(&links, 3);
    let mut cells: Vec<String> = row3.split(',').map(str::to_owned).collect();
    cells[1] = "e999".into();
    set_line(&links, 3, &cells.join(","));

    let o = run(&["validate", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let shown = |f: &str| dir.join(f).to_string_lossy().into_owned();
    assert!(
        err.contains(&format!(
            "{}:5:3: region: unknown region `{misspelt}` (did you mean `{region}`?)",
            shown("data/enterprises.csv")
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}:7:{capacity_col}: capacity: `many` is not a number",
            shown("data/enterprises.csv")
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}:3:2: buyer: unknown enterprise `e999`",
            shown("data/supply_links.csv")
        )),
        "{err}"
    );
    assert!(err.trim_end().ends_with("3 problems found"), "{err}");

    let o = run(&["validate", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["problems"].as_array().unwrap().len(), 3);
    // Cell problems come first, then what cross-reference validation finds.
    assert_eq!(
        (
            v["problems"][0]["row"].as_u64(),
            v["problems"][0]["field"].as_str()
        ),
        (Some(7), Some("capacity"))
    );
    assert_eq!(
        (
            v["problems"][1]["row"].as_u64(),
            v["problems"][1]["column"].as_u64()
        ),
        (Some(5), Some(3))
    );
    assert_eq!(
        v["problems"][1]["suggestion"].as_str(),
        Some(region.as_str())
    );
}

#[test]
fn usage_errors_exit_with_2() {
    assert_eq!(run(&["validate"]).status.code(), Some(2));
    assert_eq!(run(&["no-such-command"]).status.code(), Some(2));
}

#[test]
fn init_scaffolds_a_valid_empty_workspace_and_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my-province");
    let d = dir.to_str().unwrap();
    assert!(run(&["init", d]).status.success());
    let o = run(&["validate", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["init", d]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already exists"));
}

#[test]
fn run_imports_once_and_writes_a_summary_with_provenance() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let d = dir.to_str().unwrap();
    let o = run(&["run", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("imported into"));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("out/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["counts"]["enterprises"], 258);
    assert_eq!(
        summary["provenance"]["input_digest"]
            .as_str()
            .unwrap()
            .len(),
        64
    );
    // Unchanged files: the store is current and is not rewritten.
    let o = run(&["run", d]);
    assert!(stderr(&o).contains("store is current"), "{}", stderr(&o));
    let info: serde_json::Value =
        serde_json::from_slice(&run(&["info", d, "--format", "json"]).stdout).unwrap();
    assert_eq!(info["store"]["current"], true);
}

#[test]
fn a_failed_import_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let d = dir.to_str().unwrap();
    assert!(run(&["import", d]).status.success());
    let before = Store::open(&dir.join("chainlens.db"))
        .unwrap()
        .load_dataset()
        .unwrap();
    set_line(&dir.join("data/risks.csv"), 2, "r1,supply,cut,2.5,0.8,,");
    let o = run(&["import", d]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("probability: 2.5 is outside [0, 1]"),
        "{}",
        stderr(&o)
    );
    let after = Store::open(&dir.join("chainlens.db"))
        .unwrap()
        .load_dataset()
        .unwrap();
    assert_eq!(after, before);
}

/// Kills `chainlens import` with SIGKILL while it is writing, inside its transaction:
/// the store must hold exactly the previous import, intact.
#[test]
fn an_import_killed_mid_way_leaves_the_previous_content() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let d = dir.to_str().unwrap();
    assert!(run(&["import", d]).status.success());
    let store_path = dir.join("chainlens.db");
    let before = Store::open(&store_path).unwrap().load_dataset().unwrap();

    // Enough indicator values (11 cities × 6 years × 3,000 indicators) that writing them
    // takes a while.
    let cities = [
        "hangzhou", "ningbo", "wenzhou", "jiaxing", "huzhou", "shaoxing", "jinhua", "quzhou",
        "zhoushan", "taizhou", "lishui",
    ];
    let mut big = String::from("region,year,indicator,value,source,imputed\n");
    for c in cities {
        for y in 2018..=2023 {
            for k in 0..3000 {
                big.push_str(&format!("{c},{y},X{k},{}.5,synthetic,false\n", k % 97));
            }
        }
    }
    std::fs::write(dir.join("data/indicators.csv"), big).unwrap();

    let mut child = chainlens()
        .args(["import", d])
        .env("CHAINLENS_PROGRESS", "plain")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut killed_at = None;
    for line in stderr.lines() {
        let line = line.unwrap();
        // Progress lines read `indicators: done/total`; kill once a good part is written.
        if let Some(rest) = line.strip_prefix("indicators: ") {
            let done: usize = rest.split('/').next().unwrap().parse().unwrap();
            if done >= 20_000 {
                child.kill().unwrap();
                killed_at = Some(done);
                break;
            }
        }
    }
    let status = child.wait().unwrap();
    assert!(
        killed_at.is_some() && !status.success(),
        "the import finished before it could be killed"
    );

    let store = Store::open(&store_path).unwrap();
    assert!(store.is_intact().unwrap());
    assert_eq!(store.load_dataset().unwrap(), before);

    // And the next import completes normally.
    assert!(run(&["import", d]).status.success());
    let store = Store::open(&store_path).unwrap();
    assert_eq!(
        store.load_dataset().unwrap().indicators.len(),
        11 * 6 * 3000
    );
}
