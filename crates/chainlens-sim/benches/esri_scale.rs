//! ESRI of every firm of a 10,000-firm / 100,000-link synthetic network, timed once on
//! 1 and on all cores (`cargo bench -p chainlens-sim --bench esri_scale`). Too long for
//! criterion's repeated samples; prints the wall times and the speed-up.

use chainlens_sim::{FirmNetwork, Link, Rng, esri_all};
use std::time::Instant;

fn synthetic(n: usize, seed: u64) -> FirmNetwork {
    let mut rng = Rng::new(seed);
    let links: Vec<Link> = (0..10 * n)
        .map(|_| {
            let supplier = rng.below(n);
            let mut buyer = rng.below(n);
            if buyer == supplier {
                buyer = (buyer + 1) % n;
            }
            Link {
                supplier,
                buyer,
                category: Some(format!("c{}", supplier % 3)),
                value: Some(1.0 + 99.0 * rng.uniform()),
                inventory_days: Some(0.0),
                essential: rng.uniform() < 0.5,
            }
        })
        .collect();
    FirmNetwork::from_links((0..n).map(|i| format!("f{i}")).collect(), &links)
        .expect("valid network")
}

fn main() {
    let n: usize = std::env::var("ESRI_FIRMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let net = synthetic(n, 1);
    println!("ESRI: {} firms, {} links", net.len(), net.link_count());
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let mut times = Vec::new();
    for threads in [1, cores] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        let start = Instant::now();
        let scores = pool.install(|| esri_all(&net, 1e-4)).expect("runs");
        let secs = start.elapsed().as_secs_f64();
        let top = scores.iter().map(|e| e.esri).fold(0.0f64, f64::max);
        println!("  {threads} thread(s): {secs:.2} s (largest ESRI {top:.4})");
        times.push(secs);
    }
    if times.len() == 2 {
        println!("  speed-up on {cores} cores: {:.2}x", times[0] / times[1]);
    }
}
