//! ARIO against BoARIO 0.7.2's ARIOPsiModel: every day and industry within 1e-6
//! relative, for the cases in tests/reference/cases (expected series written by
//! tests/reference/boario_reference.py).

use crate::support::{matrix_table, read_series, shared_data};
use chainlens_sim::{EventSpec, simulate_ario};
use std::path::PathBuf;

const REL_TOL: f64 = 1e-6;

fn reference() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference"))
}

/// Compares `got` with BoARIO's series, relative to max(|expected|, `scale`[industry]).
fn compare(case: &str, what: &str, got: &[Vec<f64>], labels: &[String], scale: &[f64]) {
    let (expected_labels, expected) = read_series(
        &reference()
            .join("expected")
            .join(case)
            .join(format!("{what}.csv")),
    );
    assert_eq!(labels, expected_labels.as_slice(), "{case}/{what}: columns");
    assert_eq!(got.len(), expected.len(), "{case}/{what}: days");
    let mut worst = (0.0f64, 0, 0);
    for (day, (g, e)) in got.iter().zip(&expected).enumerate() {
        for (j, (a, b)) in g.iter().zip(e).enumerate() {
            let rel = (a - b).abs() / scale[j].max(b.abs()).max(1e-300);
            if rel > worst.0 {
                worst = (rel, day, j);
            }
        }
    }
    let (rel, day, j) = worst;
    assert!(
        rel <= REL_TOL,
        "{case}/{what}: day {day}, {}: ChainLens {} vs BoARIO {} (relative {rel:e})",
        labels[j],
        got[day][j],
        expected[day][j]
    );
}

fn check_case(case: &str) {
    let Some(data) = shared_data() else { return };
    let table = matrix_table(&data.join("io/pymrio_test_mrio"));
    let text =
        std::fs::read_to_string(reference().join("cases").join(format!("{case}.toml"))).unwrap();
    let event = EventSpec::from_toml_str(&text).unwrap();
    let run = simulate_ario(&table, &event, 240).unwrap();
    // Series relative to the industry's initial output; unmet final demand (zero in the
    // steady state, where both tools carry rounding noise) relative to the region's
    // daily final demand for the product.
    let x0: Vec<f64> = table.total_output().iter().map(|x| x / 365.0).collect();
    let fd_scale: Vec<f64> = run
        .final_demand_unmet_labels
        .iter()
        .map(|label| {
            let (region, sector) = label.split_once('|').unwrap();
            let mut total = 0.0;
            for (i, ind) in table.industries.iter().enumerate() {
                for (c, fd) in table.final_demand_labels.iter().enumerate() {
                    if ind.sector == sector && fd.region == region {
                        total += table.y.get(i, c) / 365.0;
                    }
                }
            }
            total
        })
        .collect();
    compare(case, "production", &run.production, &run.industries, &x0);
    compare(
        case,
        "production_capacity",
        &run.production_capacity,
        &run.industries,
        &x0,
    );
    compare(
        case,
        "overproduction",
        &run.overproduction,
        &run.industries,
        &vec![1.0; x0.len()],
    );
    compare(
        case,
        "final_demand_unmet",
        &run.final_demand_unmet,
        &run.final_demand_unmet_labels,
        &fd_scale,
    );
    assert!(run.summary.crashed_at.is_none());
}

#[test]
fn recover_linear_matches_boario() {
    check_case("recover_linear");
}

#[test]
fn recover_concave_matches_boario() {
    check_case("recover_concave");
}

#[test]
fn rebuild_matches_boario() {
    check_case("rebuild");
}
