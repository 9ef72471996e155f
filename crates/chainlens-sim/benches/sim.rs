//! Benchmarks of chainlens-sim (criterion; `cargo bench -p chainlens-sim`):
//! * ARIO, 365 days, on the pymrio test MRIO (48 industries) and the long-run WIOD 2000
//!   table (598 industries) — compare with BoARIO by tests/reference/bench_boario.py;
//! * ESRI of every firm of synthetic networks over a grid of sizes (10 links per firm,
//!   tolerance 1e-4). The grid stays small: on these random networks every failure
//!   drains the whole network (ESRI ≈ 1, see benches/esri_scale.rs) and the cost grows
//!   about as n^2.5.
//!
//! Tables come from ../shared/data; a missing table skips its benchmark.

use chainlens_data::io_tables;
use chainlens_sim::synthetic::uniform_network;
use chainlens_sim::{EventSpec, esri_all, simulate_ario};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::path::PathBuf;
use std::time::Duration;

fn data(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data")).join(rel);
    p.exists().then_some(p)
}

fn event(industry: &str) -> EventSpec {
    EventSpec::from_toml_str(&format!(
        "kind = \"recover\"\nindustries = [\"{industry}\"]\ncapital_destroyed_share = 0.3\noccurrence = 5\nduration = 1\nrecovery_tau = 90\n"
    ))
    .expect("valid event")
}

fn ario(c: &mut Criterion) {
    let mut group = c.benchmark_group("ario_365_days");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    for (name, rel) in [
        ("pymrio_test_mrio", "io/pymrio_test_mrio"),
        ("wiod_2000", "io/wiod_longrun_2000/WIODlr_WIOT_2000.csv"),
    ] {
        let Some(path) = data(rel) else {
            println!("skipped {name}: ../shared/data not found");
            continue;
        };
        let (table, _) =
            io_tables::read(&path, None, &chainlens_data::Limits::default().io_tables())
                .expect("table reads");
        let ev = event(&table.industries[2].label());
        group.bench_with_input(BenchmarkId::new(name, table.len()), &table, |b, t| {
            b.iter(|| simulate_ario(t, &ev, 365).expect("runs"))
        });
    }
    group.finish();
}

fn esri(c: &mut Criterion) {
    let mut group = c.benchmark_group("esri_all_firms");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    for n in [100usize, 200, 300] {
        let net = uniform_network(n, 1);
        group.bench_with_input(BenchmarkId::new("links_10n", n), &net, |b, net| {
            b.iter(|| esri_all(net, 1e-4).expect("runs"))
        });
    }
    group.finish();
}

criterion_group!(benches, ario, esri);
criterion_main!(benches);
