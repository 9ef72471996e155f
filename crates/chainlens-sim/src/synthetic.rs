//! Synthetic firm networks for benchmarks and scale tests (the one generator; the tiered
//! supply networks of the network crate are `chainlens_network::synthetic`).
//!
//! [`uniform_network`] is the worst case for the cascade and ESRI: `n` firms and `10·n`
//! links, each from a uniformly random supplier to a different uniformly random buyer,
//! three input categories (`c0`–`c2`, by supplier), values uniform in [1, 100) and half
//! of the links essential, drawn from `chainlens_model::rng::Rng` so that a seed gives the
//! same network everywhere. O(n) to draw, plus building the network.

use crate::firm::{FirmNetwork, Link};
use chainlens_model::rng::Rng;

/// A random firm network of `n ≥ 2` firms and `10·n` links (deterministic in `seed`).
pub fn uniform_network(n: usize, seed: u64) -> FirmNetwork {
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
        .expect("a synthetic network is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_in_the_seed() {
        let a = uniform_network(50, 9);
        let b = uniform_network(50, 9);
        assert_eq!(a.len(), 50);
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert_ne!(format!("{a:?}"), format!("{:?}", uniform_network(50, 10)));
    }
}
