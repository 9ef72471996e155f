//! Geary's C (Geary 1954) with esda's conventions (esda.Geary).
//!
//! C = (n − 1) Σ_ij w_ij (y_i − y_j)² / (2 S0 Σ_i z_i²), E[C] = 1; under normality
//! Var[C] = ((2 S1 + S2)(n − 1) − 4 S0²) / (2 (n + 1) S0²), z = (C − 1)/√Var[C],
//! one-sided p = P(Z > |z|) as esda reports it. Permutation: the folded pseudo p-value of
//! [`crate::moran`]. O(n + L), O(P (n + L)) with P permutations.

use crate::error::{Error, Result};
use crate::moran::{pseudo_p, shuffle};
use crate::normal;
use crate::weights::Weights;
use chainlens_model::rng::Rng;
use serde::Serialize;

/// Geary's C and its inference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Geary {
    pub c: f64,
    pub expected_c: f64,
    pub variance_normal: f64,
    pub z_normal: f64,
    pub p_normal: f64,
    pub permutations: usize,
    pub p_permutation: Option<f64>,
}

fn statistic(w: &Weights, y: &[f64], s0: f64, ss: f64) -> f64 {
    let n = y.len() as f64;
    let sum: f64 = w
        .neighbours
        .iter()
        .enumerate()
        .flat_map(|(i, row)| row.iter().map(move |&(j, wij)| wij * (y[i] - y[j]).powi(2)))
        .sum();
    (n - 1.0) * sum / (2.0 * s0 * ss)
}

/// Geary's C of `y` (in `w.ids` order) under `w`.
pub fn geary(w: &Weights, y: &[f64], permutations: usize, seed: u64) -> Result<Geary> {
    if y.len() != w.len() {
        return Err(Error::Length {
            what: "values",
            got: y.len(),
            expected: w.len(),
        });
    }
    let (s0, s1, s2) = w.sums();
    if s0 == 0.0 {
        return Err(Error::NoLinks);
    }
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let ss: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
    if ss == 0.0 {
        return Err(Error::Constant);
    }
    let c = statistic(w, y, s0, ss);
    let variance_normal =
        ((2.0 * s1 + s2) * (n - 1.0) - 4.0 * s0 * s0) / (2.0 * (n + 1.0) * s0 * s0);
    let z_normal = (c - 1.0) / variance_normal.sqrt();
    let p_normal = normal::sf(z_normal.abs());
    let p_permutation = (permutations > 0).then(|| {
        let mut rng = Rng::new(seed);
        let mut perm = y.to_vec();
        let larger = (0..permutations)
            .filter(|_| {
                shuffle(&mut rng, &mut perm);
                statistic(w, &perm, s0, ss) >= c
            })
            .count();
        pseudo_p(larger, permutations)
    });
    Ok(Geary {
        c,
        expected_c: 1.0,
        variance_normal,
        z_normal,
        p_normal,
        permutations,
        p_permutation,
    })
}
