//! Linkage benchmarks over a grid of table sizes (criterion, short runs).
//!
//! Groups: `lu` (`System::new`: the table's checks, spectral bounds and the
//! factorisation of (I − A)ᵀ), `factorisation` (ChainLens' LU of (I − A)ᵀ alone, in place
//! on a copy made outside the timing: the figure to set against the machine's dgemm
//! GFLOP/s), `partial_pivoting` (faer's partial-pivoting LU of the same matrix, for
//! comparison), `report` (the default report: one LU, one plain and one transposed
//! multi-column solve), `report_one_region` (synthetic sizes only: the same report of a
//! one-region table, the indicators numpy computes),
//! `inverse` (L formed explicitly), `extraction` (L plus the
//! O(n²) low-rank extraction of every sector). Tables: synthetic productive tables of
//! n = 500, 2000 and 4000 (`chainlens_linkage::synthetic`), and, when `../shared/data`
//! is present, the WIOD 2000 world table (598) and the China 2018 table (153).
//! `benches/compare_numpy.py` runs numpy/pymrio on the same tables and prints ratios.

use chainlens_linkage::extraction::extract_all;
use chainlens_linkage::lu::LuFactors;
use chainlens_linkage::synthetic::synthetic_table;
use chainlens_linkage::{Config, System, analyse};
use chainlens_model::IoTable;
use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use faer::Mat;
use std::time::Duration;

fn tables() -> Vec<(String, IoTable)> {
    let mut out = Vec::new();
    let io = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/io"
    ));
    if io.is_dir() {
        for (name, path) in [
            ("wiod598", io.join("wiod_longrun_2000/WIODlr_WIOT_2000.csv")),
            (
                "china153",
                io.join("china_nbs_national_io/china_2018_153.csv"),
            ),
        ] {
            let (t, _) = chainlens_data::io_tables::read(
                &path,
                None,
                &chainlens_data::Limits::default().io_tables(),
            )
            .expect("shared table reads");
            out.push((name.to_string(), t));
        }
    } else {
        println!("skipped: ../shared/data not found");
    }
    let sizes: Vec<usize> = std::env::var("LINKAGE_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|v| v.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![500, 2000, 4000]);
    for n in sizes {
        out.push((format!("synthetic{n}"), synthetic_table(n, 10, 42)));
    }
    out
}

fn bench(c: &mut Criterion) {
    for (name, table) in tables() {
        let n = table.len();
        let mut group = c.benchmark_group(format!("linkage/{name}"));
        group.sample_size(10);
        group.warm_up_time(Duration::from_millis(500));
        group.measurement_time(Duration::from_secs(if n > 1000 { 8 } else { 3 }));
        group.bench_with_input(BenchmarkId::new("lu", n), &table, |b, t| {
            b.iter(|| System::new(t).expect("productive"))
        });
        group.bench_with_input(BenchmarkId::new("report", n), &table, |b, t| {
            b.iter(|| analyse(t, &Config::default()).expect("productive"))
        });
        if name.starts_with("synthetic") {
            // The same size in one region: the indicators numpy computes and no more.
            let national = synthetic_table(n, 1, 42);
            group.bench_with_input(
                BenchmarkId::new("report_one_region", n),
                &national,
                |b, t| b.iter(|| analyse(t, &Config::default()).expect("productive")),
            );
        }
        let system = System::new(&table).expect("productive");
        // (I − A)ᵀ, the matrix System factorises.
        let i_minus_a = Mat::<f64>::identity(n, n) - system.a().transpose();
        group.bench_with_input(BenchmarkId::new("factorisation", n), &i_minus_a, |b, m| {
            b.iter_batched(|| m.clone(), LuFactors::new, BatchSize::LargeInput)
        });
        group.bench_with_input(
            BenchmarkId::new("partial_pivoting", n),
            &i_minus_a,
            |b, m| b.iter(|| m.partial_piv_lu()),
        );
        group.bench_with_input(BenchmarkId::new("inverse", n), &system, |b, s| {
            b.iter(|| s.leontief_inverse())
        });
        if n <= 2000 {
            group.bench_with_input(BenchmarkId::new("extraction", n), &system, |b, s| {
                b.iter(|| extract_all(s, &s.leontief_inverse()))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
