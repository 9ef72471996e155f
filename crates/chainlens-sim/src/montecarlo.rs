//! Monte Carlo over risk-register shocks, and random or targeted removal sequences.
//!
//! * **Risk-register Monte Carlo**: in each trial every risk occurs independently with
//!   its probability p; an occurring risk removes the share `impact` of the capacity of
//!   one firm drawn uniformly (or of the firms it names) for `shock_days` days from day 0.
//!   The trial's loss is the loss area of the network's resilience curve (days of normal
//!   network output lost, [`crate::resilience`]) from the firm-level cascade. The loss
//!   distribution is summarised by its mean, value at risk VaR_α (the α-quantile, by the
//!   order statistic ⌈α·N⌉) and expected shortfall ES_α (the mean of the losses at or
//!   above VaR_α).
//! * **Robustness curves**: firms are removed for good one after another, in random
//!   order or by decreasing size / ESRI; after each step the network's size-weighted
//!   output is the fixed point of the ESRI propagation ([`crate::systemic`]).
//!
//! Both are deterministic for a given seed (`chainlens_model::rng`: xoshiro256** seeded by
//! SplitMix64, Blackman & Vigna 2018), trials run in parallel (each trial has its own stream).

use crate::error::{Result, SimError};
use crate::firm::{CascadeConfig, FirmNetwork, FirmShock, cascade_levels};
use crate::resilience::resilience_metrics;
use crate::systemic::Precomputed;
use chainlens_model::Risk;
use chainlens_model::rng::Rng;
use rayon::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LossDistribution {
    pub trials: usize,
    pub seed: u64,
    pub alpha: f64,
    pub mean: f64,
    pub var: f64,
    pub expected_shortfall: f64,
    pub max: f64,
    /// Share of trials with any loss.
    pub loss_probability: f64,
    /// Sorted losses.
    pub losses: Vec<f64>,
}

/// Mean, VaR_α and ES_α of `losses`.
pub fn loss_distribution(mut losses: Vec<f64>, alpha: f64, seed: u64) -> Result<LossDistribution> {
    if losses.is_empty() {
        return Err(SimError::Event("no trials".into()));
    }
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(SimError::Parameter {
            name: "alpha",
            value: alpha,
            reason: "must be in (0, 1)",
        });
    }
    losses.sort_by(f64::total_cmp);
    let n = losses.len();
    let k = ((alpha * n as f64).ceil() as usize).clamp(1, n) - 1;
    let tail = &losses[k..];
    Ok(LossDistribution {
        trials: n,
        seed,
        alpha,
        mean: losses.iter().sum::<f64>() / n as f64,
        var: losses[k],
        expected_shortfall: tail.iter().sum::<f64>() / tail.len() as f64,
        max: losses[n - 1],
        loss_probability: losses.iter().filter(|&&l| l > 0.0).count() as f64 / n as f64,
        losses,
    })
}

#[derive(Debug, Clone, PartialEq)]
pub struct MonteCarloConfig {
    pub trials: usize,
    pub seed: u64,
    pub shock_days: usize,
    pub alpha: f64,
    pub cascade: CascadeConfig,
}

/// Loss distribution of the network under the risks of the register.
pub fn risk_monte_carlo(
    net: &FirmNetwork,
    risks: &[Risk],
    config: &MonteCarloConfig,
) -> Result<LossDistribution> {
    config.cascade.check()?;
    if net.is_empty() {
        return Err(SimError::Event("the network has no firm".into()));
    }
    for r in risks {
        if !(0.0..=1.0).contains(&r.probability) || !(0.0..=1.0).contains(&r.impact) {
            return Err(SimError::Event(format!(
                "risk `{}`: probability and impact must lie in [0, 1]",
                r.id
            )));
        }
    }
    let losses: Vec<f64> = (0..config.trials)
        .into_par_iter()
        .map(|trial| {
            let shocks = risk_shocks(risks, net.len(), config.seed, trial, config.shock_days);
            shock_loss(net, &shocks, &config.cascade)
        })
        .collect();
    loss_distribution(losses, config.alpha, config.seed)
}

/// The shocks of trial `trial`: each risk occurs with its probability and hits one of the
/// first `firms` firms, drawn uniformly, from day 0 for `shock_days` days. Two draws per
/// risk whatever happens, so a trial's shocks depend only on the seed, the trial and
/// `firms` — common random numbers for comparing networks that share their first firms.
pub fn risk_shocks(
    risks: &[Risk],
    firms: usize,
    seed: u64,
    trial: usize,
    shock_days: usize,
) -> Vec<FirmShock> {
    let mut rng = Rng::new(seed ^ (trial as u64).wrapping_mul(0xA076_1D64_78BD_642F));
    risks
        .iter()
        .filter_map(|r| {
            let hit = rng.uniform() < r.probability;
            let firm = rng.below(firms);
            hit.then(|| FirmShock {
                firms: vec![firm],
                share: r.impact,
                start: 0,
                days: shock_days,
            })
        })
        .collect()
}

/// The loss area (days of normal network output lost) of the cascade after `shocks`;
/// 0 without shocks.
pub fn shock_loss(net: &FirmNetwork, shocks: &[FirmShock], cascade: &CascadeConfig) -> f64 {
    if shocks.is_empty() {
        return 0.0;
    }
    let total: f64 = net.size.iter().sum();
    let levels = cascade_levels(net, shocks, cascade);
    let perf: Vec<f64> = levels
        .iter()
        .map(|row| row.iter().zip(&net.size).map(|(q, s)| q * s).sum::<f64>() / total)
        .collect();
    resilience_metrics(&perf, 1.0, 1e-9).loss_area
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RemovalOrder {
    Random,
    /// Largest firms first.
    Size,
    /// Highest ESRI first (the scores are given).
    Score,
}

#[derive(Debug, Clone, Serialize)]
pub struct RobustnessPoint {
    pub removed: usize,
    pub removed_share: f64,
    /// Size-weighted network output left, relative to normal.
    pub output: f64,
}

/// Output left as firms are removed in `order` (`scores` for [`RemovalOrder::Score`]),
/// at `steps` evenly spaced removal counts up to all firms.
pub fn robustness_curve(
    net: &FirmNetwork,
    order: RemovalOrder,
    scores: Option<&[f64]>,
    steps: usize,
    seed: u64,
) -> Result<Vec<RobustnessPoint>> {
    let n = net.len();
    let mut sequence: Vec<usize> = (0..n).collect();
    match order {
        RemovalOrder::Random => {
            let mut rng = Rng::new(seed);
            for i in (1..n).rev() {
                sequence.swap(i, rng.below(i + 1));
            }
        }
        RemovalOrder::Size => sequence.sort_by(|&a, &b| net.size[b].total_cmp(&net.size[a])),
        RemovalOrder::Score => {
            let s = scores.filter(|s| s.len() == n).ok_or_else(|| {
                SimError::Event("a score-ordered removal needs one score per firm".into())
            })?;
            sequence.sort_by(|&a, &b| s[b].total_cmp(&s[a]));
        }
    }
    let pre = Precomputed::new(net);
    let total: f64 = net.size.iter().sum();
    let steps = steps.clamp(1, n.max(1));
    Ok((0..=steps)
        .into_par_iter()
        .map(|k| {
            let removed = k * n / steps;
            let h = pre.fixed_point(&sequence[..removed], 1e-6);
            RobustnessPoint {
                removed,
                removed_share: removed as f64 / n.max(1) as f64,
                output: h.iter().zip(&net.size).map(|(h, s)| h * s).sum::<f64>() / total,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::firm::Link;

    #[test]
    fn var_and_es_by_hand() {
        let d = loss_distribution((1..=10).map(f64::from).collect(), 0.8, 1).unwrap();
        assert_eq!(d.mean, 5.5);
        assert_eq!(d.var, 8.0);
        assert_eq!(d.expected_shortfall, 9.0);
        assert_eq!(d.max, 10.0);
    }

    #[test]
    fn the_generator_is_deterministic_and_uniform() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let xs: Vec<f64> = (0..10_000).map(|_| a.uniform()).collect();
        assert!(
            xs.iter()
                .zip((0..10_000).map(|_| b.uniform()))
                .all(|(x, y)| *x == y)
        );
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!((mean - 0.5).abs() < 0.01);
    }

    fn line() -> FirmNetwork {
        let link = |s, b| Link {
            supplier: s,
            buyer: b,
            category: None,
            value: Some(1.0),
            inventory_days: Some(0.0),
            essential: true,
        };
        FirmNetwork::from_links(
            vec!["a".into(), "b".into(), "c".into()],
            &[link(0, 1), link(1, 2)],
        )
        .unwrap()
    }

    #[test]
    fn monte_carlo_is_reproducible_and_certain_risks_always_hit() {
        let net = line();
        let risk = |p: f64| Risk {
            id: "r".into(),
            risk_type: "supply".into(),
            factor: "cut".into(),
            probability: p,
            impact: 1.0,
            owner: None,
            measures: None,
        };
        let cfg = MonteCarloConfig {
            trials: 64,
            seed: 7,
            shock_days: 3,
            alpha: 0.95,
            cascade: CascadeConfig {
                days: 10,
                ..Default::default()
            },
        };
        let a = risk_monte_carlo(&net, &[risk(0.5)], &cfg).unwrap();
        let b = risk_monte_carlo(&net, &[risk(0.5)], &cfg).unwrap();
        assert_eq!(a, b);
        assert!(a.loss_probability > 0.2 && a.loss_probability < 0.8);
        let c = risk_monte_carlo(&net, &[risk(1.0)], &cfg).unwrap();
        assert_eq!(c.loss_probability, 1.0);
        assert_eq!(risk_monte_carlo(&net, &[risk(0.0)], &cfg).unwrap().max, 0.0);
    }

    #[test]
    fn removing_everything_leaves_nothing() {
        let net = line();
        let curve = robustness_curve(&net, RemovalOrder::Random, None, 3, 1).unwrap();
        assert_eq!(curve[0].output, 1.0);
        assert_eq!(curve.last().unwrap().output, 0.0);
        // Removing any one firm of an essential line stops it all.
        assert_eq!(curve[1].output, 0.0);
    }
}
