//! Objective weights from data, and the combination of subjective and objective weights.
//!
//! The input is a decision matrix X (m alternatives × n indicators; in the pipeline the
//! alternatives are the pooled region × year observations) that is already normalised and
//! oriented so that larger is better (see [`crate::normalize`]).
//!
//! * **Entropy** (Shannon; e.g. Zeleny 1982): p_ij = x_ij / Σ_i x_ij,
//!   e_j = −(1/ln m)·Σ_i p_ij ln p_ij, d_j = 1 − e_j, w_j = d_j / Σ d_j.
//!   Zeros are handled by the limit 0·ln 0 = 0 (no shift of the data). An indicator whose
//!   column is all zero or constant carries no information (e_j = 1, w_j = 0). Negative
//!   values are an error. Note: pymcdm instead sets e_j = 0 for any column that contains
//!   a zero, which gives such a column the largest weight; the two agree on positive data.
//! * **CRITIC** (Diakoulaki, Mavrotas & Papayannakis 1995): C_j = σ_j·Σ_k (1 − ρ_jk), with
//!   σ_j the sample standard deviation (divisor m − 1, as pymcdm) and ρ the Pearson
//!   correlation; w_j = C_j / Σ C_j. A constant column has σ_j = 0 and weight 0 (its
//!   correlations, undefined, are taken as 0).
//! * **Combination** of subjective weights a (fixed or AHP) with objective weights e
//!   (entropy or CRITIC): `geometric` w_j = √(a_j e_j) / Σ_k √(a_k e_k) — the paper's
//!   "geometric mean method"; `linear` w_j = α a_j + (1 − α) e_j.
//!
//! Cost: O(m·n) for entropy, O(m·n²) for CRITIC.

use crate::correlation::{deviations, pearson};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// How subjective and objective weights are combined.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "rule")]
pub enum Combination {
    /// w ∝ √(a·e) (the paper).
    Geometric,
    /// w = α·a + (1 − α)·e.
    Linear { alpha: f64 },
}

/// Checks a rows = observations matrix against its column `names`; returns the column count.
pub(crate) fn check_matrix(
    matrix: &[Vec<f64>],
    names: &[String],
    nonnegative: bool,
) -> Result<usize> {
    let n = names.len();
    if matrix.len() < 2 {
        return Err(Error::Data(format!(
            "{} rows: at least two alternatives are needed",
            matrix.len()
        )));
    }
    for (i, row) in matrix.iter().enumerate() {
        if row.len() != n {
            return Err(Error::Data(format!(
                "row {} has {} values, expected {}",
                i + 1,
                row.len(),
                n
            )));
        }
        for (j, &x) in row.iter().enumerate() {
            if !x.is_finite() || (nonnegative && x < 0.0) {
                return Err(Error::BadValue {
                    indicator: names[j].clone(),
                    at: format!("row {}", i + 1),
                    value: x,
                    reason: if nonnegative {
                        "entropy needs finite non-negative values".into()
                    } else {
                        "not finite".into()
                    },
                });
            }
        }
    }
    Ok(n)
}

/// Entropy weights of the columns of `matrix` (rows = alternatives).
pub fn entropy_weights(matrix: &[Vec<f64>], names: &[String]) -> Result<Vec<f64>> {
    let n = check_matrix(matrix, names, true)?;
    let m = matrix.len() as f64;
    let mut d = vec![0.0; n];
    for (j, dj) in d.iter_mut().enumerate() {
        let s: f64 = matrix.iter().map(|r| r[j]).sum();
        if s <= 0.0 || matrix.iter().all(|r| r[j] == matrix[0][j]) {
            continue;
        }
        let h: f64 = matrix
            .iter()
            .map(|r| {
                let p = r[j] / s;
                if p > 0.0 { -p * p.ln() } else { 0.0 }
            })
            .sum();
        *dj = (1.0 - h / m.ln()).max(0.0);
    }
    normalise_positive(d, "entropy")
}

/// CRITIC weights of the columns of `matrix` (rows = alternatives).
pub fn critic_weights(matrix: &[Vec<f64>], names: &[String]) -> Result<Vec<f64>> {
    let n = check_matrix(matrix, names, false)?;
    let m = matrix.len() as f64;
    let (devs, norm) = deviations(matrix, n);
    let mut c = vec![0.0; n];
    for j in 0..n {
        if norm[j] <= 0.0 {
            continue;
        }
        let sd = norm[j] / (m - 1.0).sqrt();
        let conflict: f64 = (0..n)
            .map(|k| {
                let rho = if norm[k] > 0.0 {
                    pearson(&devs[j], &devs[k], norm[j], norm[k])
                } else {
                    0.0
                };
                1.0 - rho
            })
            .sum();
        c[j] = sd * conflict;
    }
    normalise_positive(c, "CRITIC")
}

fn normalise_positive(v: Vec<f64>, what: &'static str) -> Result<Vec<f64>> {
    let s: f64 = v.iter().sum();
    if !(s > 0.0 && s.is_finite()) {
        return Err(Error::NoInformation(what));
    }
    Ok(v.into_iter().map(|x| x / s).collect())
}

/// Combines subjective weights `a` with objective weights `e`.
pub fn combine(a: &[f64], e: &[f64], rule: Combination) -> Result<Vec<f64>> {
    if a.len() != e.len() {
        return Err(Error::Weights(format!(
            "{} subjective and {} objective weights",
            a.len(),
            e.len()
        )));
    }
    match rule {
        Combination::Geometric => normalise_positive(
            a.iter().zip(e).map(|(x, y)| (x * y).sqrt()).collect(),
            "combined",
        ),
        Combination::Linear { alpha } => {
            if !(0.0..=1.0).contains(&alpha) {
                return Err(Error::Weights(format!("alpha = {alpha} is outside [0, 1]")));
            }
            normalise_positive(
                a.iter()
                    .zip(e)
                    .map(|(x, y)| alpha * x + (1.0 - alpha) * y)
                    .collect(),
                "combined",
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|j| format!("c{j}")).collect()
    }

    #[test]
    fn entropy_ignores_constant_and_handles_zeros() {
        let m = vec![
            vec![1.0, 0.0, 5.0],
            vec![1.0, 1.0, 5.0],
            vec![1.0, 0.5, 5.0],
        ];
        let w = entropy_weights(&m, &names(3)).unwrap();
        assert_eq!(w, vec![0.0, 1.0, 0.0]);
        let e = entropy_weights(&[vec![1.0], vec![1.0]], &names(1)).unwrap_err();
        assert_eq!(e, Error::NoInformation("entropy"));
        let e = entropy_weights(&[vec![1.0, -1.0], vec![1.0, 2.0]], &names(2)).unwrap_err();
        assert!(e.to_string().contains("c1"), "{e}");
    }

    #[test]
    fn critic_of_two_opposed_columns_is_even() {
        let m = vec![vec![0.0, 1.0], vec![0.5, 0.5], vec![1.0, 0.0]];
        let w = critic_weights(&m, &names(2)).unwrap();
        assert!((w[0] - 0.5).abs() < 1e-15 && (w[1] - 0.5).abs() < 1e-15);
    }

    #[test]
    fn combinations() {
        let w = combine(&[0.5, 0.5], &[0.8, 0.2], Combination::Geometric).unwrap();
        assert!((w[0] - (0.4f64.sqrt() / (0.4f64.sqrt() + 0.1f64.sqrt()))).abs() < 1e-15);
        let w = combine(&[0.5, 0.5], &[0.8, 0.2], Combination::Linear { alpha: 0.5 }).unwrap();
        assert!((w[0] - 0.65).abs() < 1e-15);
        assert!(combine(&[1.0], &[1.0], Combination::Linear { alpha: 2.0 }).is_err());
    }
}
