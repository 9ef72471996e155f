//! Test-only helpers: locate the shared data, read tables and expected series.

use chainlens_data::io_tables;
use chainlens_model::IoTable;
use std::path::{Path, PathBuf};

/// `../shared/data`, or `None` (after printing why) when it is not there.
pub fn shared_data() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: ../shared/data not found");
        None
    }
}

/// The matrix-layout table in `dir`, read by chainlens-data (x from the rows, as pymrio
/// does).
pub fn matrix_table(dir: &Path) -> IoTable {
    io_tables::read(
        dir,
        Some(io_tables::Layout::Matrix),
        &chainlens_data::Limits::default().io_tables(),
    )
    .expect("the table reads")
    .0
}

/// A CSV written with a `day` column then one column per label.
pub fn read_series(path: &Path) -> (Vec<String>, Vec<Vec<f64>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let labels: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .skip(1)
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            r.unwrap()
                .iter()
                .skip(1)
                .map(|v| v.parse::<f64>().unwrap())
                .collect()
        })
        .collect();
    (labels, rows)
}
