//! Graph screens at national scale: a synthetic network of 1,000,000 firms and 5,000,000
//! links in 12 tiers (chainlens_network::synthetic). Goal (issue 5): dominators,
//! articulation points and concentration together under 10 s on the 2-core machine.
//! Few samples: each iteration takes about a second.

use chainlens_network::synthetic::tiered_links;
use chainlens_network::{
    SupplyNetwork, articulation_points, dominators, post_dominators, supplier_concentration,
};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

fn screens(c: &mut Criterion) {
    let mut group = c.benchmark_group("screens");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    for (firms, links) in [(100_000u32, 500_000usize), (1_000_000, 5_000_000)] {
        let net =
            SupplyNetwork::from_index_edges(firms as usize, &tiered_links(firms, links, 12, 1))
                .unwrap();
        group.bench_with_input(BenchmarkId::new("dominators", firms), &net, |b, n| {
            b.iter(|| black_box(dominators(n)))
        });
        group.bench_with_input(BenchmarkId::new("post_dominators", firms), &net, |b, n| {
            b.iter(|| black_box(post_dominators(n)))
        });
        group.bench_with_input(
            BenchmarkId::new("articulation_points", firms),
            &net,
            |b, n| b.iter(|| black_box(articulation_points(n))),
        );
        group.bench_with_input(
            BenchmarkId::new("supplier_concentration", firms),
            &net,
            |b, n| b.iter(|| black_box(supplier_concentration(n))),
        );
    }
    group.finish();
}

criterion_group!(benches, screens);
criterion_main!(benches);
