//! Aggregation of normalised indicator scores r_j (j = 1…n, larger is better) with
//! weights w_j into one composite value.
//!
//! * **Weighted sum** (the paper, E = W·R): E = Σ_j w_j r_j. A dimension's score uses the
//!   weights of its own indicators rescaled to sum to 1, so that E = Σ_d W_d·E_d with
//!   W_d = Σ_{j∈d} w_j — the identity behind the paper's Table 3-1.
//! * **Fuzzy comprehensive evaluation** (Zadeh; weighted-average operator M(·, ⊕)): each
//!   score gets a membership μ_k(r) in the five grades from triangular functions centred on
//!   the grade intervals' midpoints c_k (0.1, 0.3, 0.5, 0.7, 0.9 with the default
//!   thresholds): full membership at c_k, falling linearly to 0 at the neighbouring centres,
//!   and full membership in the lowest (highest) grade below c_1 (above c_5). The memberships
//!   of one score sum to 1. B = W∘R gives b_k = Σ_j w_j μ_k(r_j); the grade is the one of
//!   maximum membership (ties go to the lower grade) and the grade-weighted score is
//!   S = Σ_k b_k c_k / Σ_k b_k. Because the memberships interpolate linearly between the
//!   centres, S equals the weighted sum of the scores clamped to [c_1, c_5].
//! * **TOPSIS** (Hwang & Yoon 1981): v_ij = w_j r_ij; ideal v_j⁺ = max_i v_ij, anti-ideal
//!   v_j⁻ = min_i v_ij over all alternatives (in the pipeline: the pooled region × year
//!   panel); closeness C_i = d_i⁻/(d_i⁺ + d_i⁻) with Euclidean distances. Applied to min-max
//!   normalised data this is exactly pymcdm's `TOPSIS()` (whose default normalisation is
//!   min-max). An alternative that is at once ideal and anti-ideal (every column constant)
//!   gets C = 1.

use crate::grade::{Grade, GradeThresholds};
use serde::Serialize;

/// Σ w_j r_j.
pub fn weighted_sum(scores: &[f64], weights: &[f64]) -> f64 {
    scores.iter().zip(weights).map(|(r, w)| r * w).sum()
}

/// Memberships of one normalised score in the five grades (low → high).
pub fn memberships(r: f64, centres: &[f64; 5]) -> [f64; 5] {
    let mut mu = [0.0; 5];
    if r <= centres[0] {
        mu[0] = 1.0;
    } else if r >= centres[4] {
        mu[4] = 1.0;
    } else {
        let k = (0..4).find(|&k| r <= centres[k + 1]).unwrap_or(3);
        let upper = (r - centres[k]) / (centres[k + 1] - centres[k]);
        mu[k] = 1.0 - upper;
        mu[k + 1] = upper;
    }
    mu
}

/// The outcome of a fuzzy comprehensive evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fuzzy {
    /// b_k, low → high; sums to Σ w.
    pub membership: [f64; 5],
    /// Grade of maximum membership.
    pub grade: Grade,
    /// Grade-weighted score Σ b_k c_k / Σ b_k.
    pub score: f64,
}

/// Fuzzy comprehensive evaluation of one alternative.
pub fn fuzzy(scores: &[f64], weights: &[f64], thresholds: &GradeThresholds) -> Fuzzy {
    let c = thresholds.centres();
    let mut b = [0.0; 5];
    for (&r, &w) in scores.iter().zip(weights) {
        for (bk, mk) in b.iter_mut().zip(memberships(r, &c)) {
            *bk += w * mk;
        }
    }
    let mut best = 0;
    for k in 1..5 {
        if b[k] > b[best] {
            best = k;
        }
    }
    let total: f64 = b.iter().sum();
    let score = if total > 0.0 {
        b.iter().zip(&c).map(|(x, y)| x * y).sum::<f64>() / total
    } else {
        0.0
    };
    Fuzzy {
        membership: b,
        grade: Grade::ALL[best],
        score,
    }
}

/// TOPSIS closeness of every row of `matrix` (alternatives × criteria, larger is better).
pub fn topsis(matrix: &[Vec<f64>], weights: &[f64]) -> Vec<f64> {
    let n = weights.len();
    let mut best = vec![f64::NEG_INFINITY; n];
    let mut worst = vec![f64::INFINITY; n];
    for row in matrix {
        for j in 0..n {
            let v = row[j] * weights[j];
            best[j] = best[j].max(v);
            worst[j] = worst[j].min(v);
        }
    }
    matrix
        .iter()
        .map(|row| {
            let (mut dp, mut dm) = (0.0, 0.0);
            for j in 0..n {
                let v = row[j] * weights[j];
                dp += (v - best[j]) * (v - best[j]);
                dm += (v - worst[j]) * (v - worst[j]);
            }
            let (dp, dm) = (dp.sqrt(), dm.sqrt());
            if dp + dm > 0.0 { dm / (dp + dm) } else { 1.0 }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memberships_interpolate_between_centres() {
        let c = GradeThresholds::default().centres();
        assert_eq!(memberships(0.05, &c), [1.0, 0.0, 0.0, 0.0, 0.0]);
        let m = memberships(0.8, &c);
        assert!((m[3] - 0.5).abs() < 1e-12 && (m[4] - 0.5).abs() < 1e-12);
        assert_eq!(memberships(0.95, &c), [0.0, 0.0, 0.0, 0.0, 1.0]);
    }

    #[test]
    fn fuzzy_score_is_clamped_weighted_sum() {
        let t = GradeThresholds::default();
        let r = [0.35, 0.62, 0.77];
        let w = [0.2, 0.3, 0.5];
        let f = fuzzy(&r, &w, &t);
        assert!((f.score - weighted_sum(&r, &w)).abs() < 1e-12);
        assert_eq!(f.grade, Grade::Strong);
    }

    #[test]
    fn topsis_extremes() {
        let m = vec![vec![1.0, 1.0], vec![0.0, 0.0], vec![0.5, 0.5]];
        assert_eq!(topsis(&m, &[0.5, 0.5]), vec![1.0, 0.0, 0.5]);
    }
}
