//! Monte Carlo of the ranking: 10,000 replications over 31 regions × 6 years × 12
//! indicators (weights, normalisation and aggregation varied). Goal: < 1 s on the 2-core
//! machine. `benches/monte_carlo_numpy.py` runs the same replications in numpy on the
//! same synthetic panel and prints the ratio against this benchmark's estimate.

use chainlens_model::rng::Rng;
use chainlens_resilience::normalize::Direction;
use chainlens_resilience::uncertainty::{McConfig, McInput, rank_uncertainty};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;

/// The synthetic panel the numpy script rebuilds: value(r, y, j) from xoshiro256** seed 2024.
fn panel(regions: usize, years: usize, k: usize) -> Vec<f64> {
    let mut rng = Rng::new(2024);
    (0..regions * years * k)
        .map(|_| 1.0 + 9.0 * rng.uniform())
        .collect()
}

fn bench(c: &mut Criterion) {
    let (n, t, k) = (31, 6, 12);
    let values = panel(n, t, k);
    let names: Vec<String> = (0..k).map(|j| format!("D{j}")).collect();
    let mut directions = vec![Direction::Benefit; k];
    directions[10] = Direction::Cost;
    directions[11] = Direction::Cost;
    let weights = [
        0.086, 0.092, 0.078, 0.084, 0.095, 0.088, 0.082, 0.079, 0.093, 0.087, 0.071, 0.065,
    ];
    let input = McInput {
        values: &values,
        regions: n,
        years: t,
        indicators: &names,
        directions: &directions,
        weights: &weights,
    };
    let mut group = c.benchmark_group("rank_uncertainty");
    group.sample_size(10);
    for replications in [1_000, 10_000] {
        let config = McConfig {
            replications,
            seed: 42,
            weight_spread: 0.5,
        };
        group.bench_with_input(
            BenchmarkId::new("31x6x12", replications),
            &config,
            |b, cfg| b.iter(|| rank_uncertainty(black_box(&input), cfg).expect("valid input")),
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
