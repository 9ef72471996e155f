//! Integration tests of chainlens-linkage, one binary: independent references
//! (pymrio/numpy values committed under `tests/reference/`), real tables from
//! `../shared/data/io`, and error handling.

mod pymrio_reference;
mod real_tables;

use serde_json::Value;
use std::path::PathBuf;

pub fn reference(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

pub fn vector(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

pub fn matrix(v: &Value) -> Vec<Vec<f64>> {
    v.as_array().unwrap().iter().map(vector).collect()
}

/// |a − b| ≤ tol·max(|b|, floor): relative agreement, with an absolute floor for
/// entries that are zero in exact arithmetic.
#[track_caller]
pub fn assert_close(what: &str, got: &[f64], want: &[f64], tol: f64, floor: f64) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= tol * w.abs().max(floor),
            "{what}[{i}]: got {g}, want {w} (rel {:e})",
            (g - w).abs() / w.abs()
        );
    }
}

pub fn shared_io() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/io"
    ));
    if p.is_dir() {
        Some(p)
    } else {
        println!("skipped: ../shared/data not found");
        None
    }
}
