//! Synthetic supply networks for benchmarks and scale tests: `firms` firms in `tiers`
//! tiers (raw materials first), each link from a random firm of the tier just above (or,
//! one time in five, two tiers above) to a random firm of the next tier, drawn with
//! SplitMix64 (`chainlens_model::rng`) so that a seed gives the same network on every
//! machine. Repeated pairs are merged when the network is built, so the link count comes
//! out slightly below `links`.

use chainlens_model::rng::SplitMix64;

/// Links `(supplier, buyer)` of a tiered synthetic network.
pub fn tiered_links(firms: u32, links: usize, tiers: u32, seed: u64) -> Vec<(u32, u32)> {
    let tiers = tiers.clamp(2, firms.max(2));
    let start = |t: u32| (firms as u64 * t as u64 / tiers as u64) as u32;
    let mut rng = SplitMix64::new(seed);
    (0..links)
        .map(|_| {
            let t = 1 + rng.below(tiers as usize - 1) as u32;
            let up = if t >= 2 && rng.below(5) == 0 { 2 } else { 1 };
            let buyer = start(t) + rng.below((start(t + 1) - start(t)).max(1) as usize) as u32;
            let s = t - up;
            let supplier = start(s) + rng.below((start(s + 1) - start(s)).max(1) as usize) as u32;
            (supplier, buyer)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_downstream() {
        let a = tiered_links(1000, 5000, 8, 7);
        assert_eq!(a, tiered_links(1000, 5000, 8, 7));
        assert!(a.iter().all(|&(s, b)| s < b && b < 1000));
    }
}
