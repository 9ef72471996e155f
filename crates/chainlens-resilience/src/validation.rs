//! Reliability and validity of an indicator system (Zhang 2024 §3 reports Cronbach's
//! α = 0.892 and KMO = 0.867): internal consistency, sampling adequacy for factor
//! analysis, and sphericity, on an observation × indicator matrix (in the pipeline the
//! pooled regional chain × year observations).
//!
//! * **Cronbach's α** (Cronbach 1951): α = k/(k − 1)·(1 − Σ_j s_j² / s_T²), s_j² the
//!   variance of indicator j and s_T² that of the row sums (divisor n − 1; the ratio does
//!   not depend on it) — pingouin's `cronbach_alpha`, computed on the values as given.
//!   **Which values**: the pipeline passes the direction-aligned normalised scores the
//!   index adds up, not the raw indicators: raw values mix units (yuan per worker beside
//!   rates), so α would measure the indicator with the largest variance, and cost
//!   indicators would count against consistency. The **standardised α** =
//!   k·r̄/(1 + (k − 1)·r̄) (r̄ the mean correlation between different indicators; equal to
//!   α of the z-scores) is reported beside it. **If item deleted**: α of the other k − 1
//!   indicators (k ≥ 3); **item–rest correlation**: Pearson's r between an indicator and
//!   the sum of the others.
//! * **KMO** (Kaiser 1970; Kaiser & Rice 1974): with R the correlation matrix and the
//!   partial correlations q_ij = −(R⁻¹)_ij / √((R⁻¹)_ii (R⁻¹)_jj) (the anti-image),
//!   KMO_j = Σ_{i≠j} r_ij² / (Σ_{i≠j} r_ij² + Σ_{i≠j} q_ij²) and the overall KMO the same
//!   ratio summed over all i ≠ j (factor_analyzer's `calculate_kmo`). Kaiser's reading:
//!   ≥ 0.9 marvelous, ≥ 0.8 meritorious, ≥ 0.7 middling, ≥ 0.6 mediocre, ≥ 0.5 miserable.
//! * **Bartlett's test of sphericity** (Bartlett 1951), H₀: R = I:
//!   χ² = −(n − 1 − (2p + 5)/6)·ln|R| with p(p − 1)/2 degrees of freedom, p-value from the
//!   χ² upper tail ([`crate::special::chi2_sf`]) — factor_analyzer's
//!   `calculate_bartlett_sphericity`.
//!
//! R is factorised by Cholesky ([`crate::cholesky`]): an indicator that is a linear
//! combination of others, or fewer observations than indicators, makes R singular, and
//! KMO and Bartlett then fail naming the indicator. Cost O(n·k² + k³).

use crate::cholesky::Cholesky;
use crate::correlation::correlation_matrix;
use crate::error::{Error, Result};
use crate::special::chi2_sf;
use crate::weights::check_matrix;
use serde::Serialize;

/// Cronbach's α of the whole system.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reliability {
    pub alpha: f64,
    pub standardized_alpha: f64,
    pub items: Vec<ItemReliability>,
}

/// What one indicator does to the consistency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemReliability {
    pub indicator: String,
    /// α of the other indicators (None with fewer than three indicators).
    pub alpha_if_deleted: Option<f64>,
    /// Pearson's r with the sum of the other indicators.
    pub item_rest_correlation: f64,
}

/// Kaiser–Meyer–Olkin measure of sampling adequacy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kmo {
    pub overall: f64,
    pub indicators: Vec<IndicatorKmo>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorKmo {
    pub indicator: String,
    pub kmo: f64,
}

/// Bartlett's test of sphericity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bartlett {
    pub chi2: f64,
    pub df: usize,
    pub p_value: f64,
}

/// The three checks of one matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Validation {
    pub observations: usize,
    pub reliability: Reliability,
    pub kmo: Kmo,
    pub bartlett: Bartlett,
}

/// Cronbach's α, KMO and Bartlett's test of `matrix` (rows = observations, columns =
/// the indicators `names`).
pub fn validate(matrix: &[Vec<f64>], names: &[String]) -> Result<Validation> {
    let r = correlation_matrix(matrix, names)?;
    Ok(Validation {
        observations: matrix.len(),
        reliability: cronbach_alpha(matrix, names)?,
        kmo: kmo(&r, names)?,
        bartlett: bartlett(&r, matrix.len(), names)?,
    })
}

/// α = k/(k − 1)·(1 − Σ s_j² / s_T²) of the columns `columns` of `matrix`.
fn alpha_of(matrix: &[Vec<f64>], columns: &[usize]) -> Option<f64> {
    let k = columns.len() as f64;
    let item_var: f64 = columns
        .iter()
        .map(|&j| variance(matrix.iter().map(|r| r[j])))
        .sum();
    let total_var = variance(matrix.iter().map(|r| columns.iter().map(|&j| r[j]).sum()));
    (total_var > 0.0).then(|| k / (k - 1.0) * (1.0 - item_var / total_var))
}

/// Sum of squared deviations (a variance up to the divisor, which cancels in α).
fn variance(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let (sum, n) = values
        .clone()
        .fold((0.0, 0.0), |(s, n), x| (s + x, n + 1.0));
    let mean = sum / n;
    values.map(|x| (x - mean) * (x - mean)).sum()
}

/// Cronbach's α (raw and standardised), α if item deleted and item–rest correlations.
pub fn cronbach_alpha(matrix: &[Vec<f64>], names: &[String]) -> Result<Reliability> {
    let k = check_matrix(matrix, names, false)?;
    if k < 2 {
        return Err(Error::Data(format!(
            "Cronbach's α needs at least two indicators, got {k}"
        )));
    }
    let r = correlation_matrix(matrix, names)?;
    let all: Vec<usize> = (0..k).collect();
    let alpha = alpha_of(matrix, &all).ok_or_else(|| {
        Error::Data("the indicators' sum is constant: Cronbach's α is undefined".into())
    })?;
    let pairs = (k * (k - 1)) as f64;
    let mean_r = (0..k)
        .flat_map(|i| (0..k).filter(move |&j| j != i).map(move |j| (i, j)))
        .map(|(i, j)| r[i][j])
        .sum::<f64>()
        / pairs;
    let standardized_alpha = k as f64 * mean_r / (1.0 + (k as f64 - 1.0) * mean_r);
    let mut items = Vec::with_capacity(k);
    for (j, name) in names.iter().enumerate() {
        let rest: Vec<usize> = (0..k).filter(|&i| i != j).collect();
        let pair: Vec<Vec<f64>> = matrix
            .iter()
            .map(|row| vec![row[j], rest.iter().map(|&i| row[i]).sum()])
            .collect();
        let labels = [name.clone(), format!("sum of indicators other than {name}")];
        items.push(ItemReliability {
            indicator: name.clone(),
            alpha_if_deleted: if k >= 3 {
                alpha_of(matrix, &rest)
            } else {
                None
            },
            item_rest_correlation: correlation_matrix(&pair, &labels)?[0][1],
        });
    }
    Ok(Reliability {
        alpha,
        standardized_alpha,
        items,
    })
}

fn factor(r: &[Vec<f64>], names: &[String], what: &'static str) -> Result<Cholesky> {
    Cholesky::new(r).map_err(|j| Error::Singular {
        what,
        variable: names[j].clone(),
    })
}

/// KMO overall and per indicator from the correlation matrix `r`.
pub fn kmo(r: &[Vec<f64>], names: &[String]) -> Result<Kmo> {
    let k = r.len();
    let inv = factor(r, names, "KMO")?.inverse();
    let mut corr = vec![0.0; k];
    let mut partial = vec![0.0; k];
    for j in 0..k {
        for i in (0..k).filter(|&i| i != j) {
            corr[j] += r[i][j] * r[i][j];
            let q = inv[i][j] / (inv[i][i] * inv[j][j]).sqrt();
            partial[j] += q * q;
        }
    }
    let (c, p): (f64, f64) = (corr.iter().sum(), partial.iter().sum());
    Ok(Kmo {
        overall: c / (c + p),
        indicators: names
            .iter()
            .enumerate()
            .map(|(j, name)| IndicatorKmo {
                indicator: name.clone(),
                kmo: corr[j] / (corr[j] + partial[j]),
            })
            .collect(),
    })
}

/// Bartlett's test of sphericity of the correlation matrix `r` of `n` observations.
pub fn bartlett(r: &[Vec<f64>], n: usize, names: &[String]) -> Result<Bartlett> {
    let p = r.len();
    let factor_n = n as f64 - 1.0 - (2.0 * p as f64 + 5.0) / 6.0;
    if factor_n <= 0.0 {
        return Err(Error::Data(format!(
            "Bartlett's test of {p} indicators needs more than {:.1} observations, got {n}",
            1.0 + (2.0 * p as f64 + 5.0) / 6.0
        )));
    }
    let ln_det = factor(r, names, "Bartlett's test")?.ln_det();
    let chi2 = -factor_n * ln_det;
    let df = p * (p - 1) / 2;
    Ok(Bartlett {
        chi2,
        df,
        p_value: chi2_sf(chi2, df as f64),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(k: usize) -> Vec<String> {
        (0..k).map(|j| format!("D{j}")).collect()
    }

    #[test]
    fn parallel_items_are_perfectly_consistent() {
        // Three identical items: α = 1, α if deleted = 1, item–rest r = 1.
        let m: Vec<Vec<f64>> = [1.0, 3.0, 2.0, 5.0].iter().map(|&x| vec![x; 3]).collect();
        let a = cronbach_alpha(&m, &names(3)).unwrap();
        assert!((a.alpha - 1.0).abs() < 1e-15 && (a.standardized_alpha - 1.0).abs() < 1e-15);
        assert!((a.items[0].alpha_if_deleted.unwrap() - 1.0).abs() < 1e-15);
        assert!((a.items[2].item_rest_correlation - 1.0).abs() < 1e-15);
        // But R is singular: KMO names the dependent indicator.
        let e = validate(&m, &names(3)).unwrap_err();
        assert!(e.to_string().contains("`D1`"), "{e}");
    }

    #[test]
    fn two_items_have_no_alpha_if_deleted() {
        let m = vec![vec![1.0, 2.0], vec![2.0, 1.0], vec![3.0, 5.0]];
        let a = cronbach_alpha(&m, &names(2)).unwrap();
        assert_eq!(a.items[0].alpha_if_deleted, None);
    }

    #[test]
    fn too_few_observations_for_bartlett() {
        let r = vec![vec![1.0, 0.5], vec![0.5, 1.0]];
        let e = bartlett(&r, 2, &names(2)).unwrap_err();
        assert!(e.to_string().contains("got 2"), "{e}");
        let b = bartlett(&r, 30, &names(2)).unwrap();
        let chi2 = -(29.0 - 1.5) * 0.75f64.ln();
        assert!((b.chi2 - chi2).abs() < 1e-12 && b.df == 1);
    }
}
