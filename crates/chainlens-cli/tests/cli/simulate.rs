//! `chainlens simulate`: ARIO through the command line against BoARIO 0.7.2's series
//! (the expected files of chainlens-sim's tests, written by
//! crates/chainlens-sim/tests/reference/boario_reference.py), and a workspace scenario
//! checked against what its definition and the example's tables imply.

use crate::common::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn sim_reference() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../chainlens-sim/tests/reference")
}

fn shared_data() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: ../shared/data not found");
        None
    }
}

/// A numeric CSV with a header: the header's labels after the first column, and the rows'
/// numbers after the first column.
fn series(path: &Path) -> (Vec<String>, Vec<Vec<f64>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let labels = lines
        .next()
        .unwrap()
        .split(',')
        .skip(1)
        .map(str::to_owned)
        .collect();
    let rows = lines
        .map(|l| l.split(',').skip(1).map(|v| v.parse().unwrap()).collect())
        .collect();
    (labels, rows)
}

#[test]
fn ario_on_the_command_line_reproduces_boario() {
    let Some(data) = shared_data() else { return };
    let tmp = tempfile::tempdir().unwrap();
    for case in ["recover_linear", "rebuild"] {
        let out = tmp.path().join(case);
        let event = sim_reference().join(format!("cases/{case}.toml"));
        let expected_dir = sim_reference().join(format!("expected/{case}"));
        let (labels, expected) = series(&expected_dir.join("production.csv"));
        let days = expected.len().to_string();
        let o = run(&[
            "simulate",
            "ario",
            "--table",
            data.join("io/pymrio_test_mrio").to_str().unwrap(),
            "--event",
            event.to_str().unwrap(),
            "--days",
            &days,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{case}: {}", stderr(&o));
        let (got_labels, got) = series(&out.join("production.csv"));
        assert_eq!(got_labels, labels, "{case}: columns");
        assert_eq!(got.len(), expected.len(), "{case}: days");
        for (day, (g, e)) in got.iter().zip(&expected).enumerate() {
            for (j, (a, b)) in g.iter().zip(e).enumerate() {
                let rel = (a - b).abs() / b.abs().max(1e-300);
                assert!(
                    rel <= 1e-6,
                    "{case}: day {day}, {}: ChainLens {a} vs BoARIO {b}",
                    labels[j]
                );
            }
        }
    }
}

#[test]
fn an_ario_event_on_an_unknown_industry_is_refused() {
    let Some(data) = shared_data() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let event = tmp.path().join("event.toml");
    std::fs::write(
        &event,
        "kind = \"recover\"\nindustries = [\"reg2|manufacturing\"]\ncapital_destroyed_share = 0.3\n\
         occurrence = 5\nduration = 1\nrecovery_tau = 90\n",
    )
    .unwrap();
    let o = run(&[
        "simulate",
        "ario",
        "--table",
        data.join("io/pymrio_test_mrio").to_str().unwrap(),
        "--event",
        event.to_str().unwrap(),
        "--out",
        tmp.path().join("out").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("reg2|manufacturing"), "{err}");
    assert!(!tmp.path().join("out/production.csv").exists());
}

#[test]
fn the_battery_stop_scenario_stops_exactly_the_battery_stage_for_thirty_days() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    // The scenario (chainlens.toml): stage nev/battery loses all capacity from day 5 for
    // 30 days. Its members are the enterprises listing that stage in enterprises.csv.
    let table = std::fs::read_to_string(dir.join("data/enterprises.csv")).unwrap();
    let mut rows = table.lines();
    let header: Vec<&str> = rows.next().unwrap().split(',').collect();
    let stages_col = header.iter().position(|h| *h == "stages").unwrap();
    let battery: BTreeSet<String> = rows
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|r| r[stages_col].split(';').any(|s| s == "nev/battery"))
        .map(|r| r[0].to_owned())
        .collect();
    assert!(!battery.is_empty());

    let o = run(&[
        "simulate",
        dir.to_str().unwrap(),
        "--scenario",
        "battery_stop",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["firms_shocked"], battery.len());
    let firms = r["run"]["firms"].as_array().unwrap();
    let stopped: BTreeSet<String> = firms
        .iter()
        .filter(|f| f["disrupted_from"] == 5 && f["minimum"] == 0.0)
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(battery.is_subset(&stopped), "{battery:?} ⊄ {stopped:?}");
    for f in firms
        .iter()
        .filter(|f| battery.contains(f["id"].as_str().unwrap()))
    {
        assert_eq!(f["time_to_recover"], 30, "{f}");
    }
    // Firms downstream are disrupted later than the shock, never earlier.
    let disrupted: Vec<u64> = firms
        .iter()
        .filter_map(|f| f["disrupted_from"].as_u64())
        .collect();
    assert_eq!(
        disrupted.len() as u64,
        r["firms_disrupted"].as_u64().unwrap()
    );
    assert!(disrupted.iter().all(|&d| d >= 5), "{disrupted:?}");
    let perf: Vec<f64> = r["run"]["network"]["performance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(perf.len(), 120);
    assert!(perf[..5].iter().all(|&p| p == 1.0), "{:?}", &perf[..5]);
    assert!(perf[5] < 1.0);
    assert_eq!(
        *perf.last().unwrap(),
        1.0,
        "the network recovers by day 120"
    );
    // Only the NEV chain is touched: the other chains keep full output.
    for c in r["run"]["chains"].as_array().unwrap() {
        let touched = c["resilience"]["performance"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p.as_f64().unwrap() < 1.0);
        assert_eq!(touched, c["chain"] == "nev", "{}", c["chain"]);
    }
}

#[test]
fn an_unknown_scenario_is_named_with_a_suggestion() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let o = run(&[
        "simulate",
        dir.to_str().unwrap(),
        "--scenario",
        "battery_stp",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("battery_stp") && err.contains("battery_stop"),
        "{err}"
    );
}

#[test]
fn ario_days_beyond_the_horizon_limit_are_refused_at_once_naming_days() {
    let tmp = tempfile::tempdir().unwrap();
    let args = |days: &str| {
        let table = tmp.path().join("table");
        let event = tmp.path().join("event.toml");
        let out = tmp.path().join("out");
        let argv: Vec<String> = [
            "simulate",
            "ario",
            "--table",
            table.to_str().unwrap(),
            "--event",
            event.to_str().unwrap(),
            "--days",
            days,
            "--out",
            out.to_str().unwrap(),
        ]
        .map(str::to_owned)
        .to_vec();
        argv
    };
    let start = std::time::Instant::now();
    let o = chainlens().args(args("10000000")).output().unwrap();
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: --days 10000000 is more than the limit max_days = 36525; \
         raise it in chainlens.toml: [limits] max_days = …\n"
    );
    assert!(!tmp.path().join("out").exists());
    // The [limits] of a workspace holding the table raise it: the table is read next.
    std::fs::write(
        tmp.path().join("chainlens.toml"),
        "[limits]\nmax_days = 20000000\n",
    )
    .unwrap();
    let o = chainlens().args(args("10000000")).output().unwrap();
    let err = stderr(&o);
    assert!(!err.contains("max_days"), "{err}");
    assert!(err.contains("table"), "{err}");
}

#[test]
fn a_scenario_beyond_the_horizon_limit_is_refused_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let config = dir.join("chainlens.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}\n[limits]\nmax_days = 100\n")).unwrap();
    let o = run(&[
        "simulate",
        dir.to_str().unwrap(),
        "--scenario",
        "battery_stop",
    ]);
    assert_eq!(o.status.code(), Some(1));
    // Opening the workspace checks every scenario, located by its key.
    let err = stderr(&o);
    assert!(
        err.contains(
            "chainlens.toml:scenarios[0].days: scenario `battery_stop`: days = 120 is more \
             than the limit max_days = 100; raise it in chainlens.toml: [limits] max_days = …\n"
        ),
        "{err}"
    );
    assert!(err.ends_with("4 problems found\n"), "{err}");
}
