//! Decomposition of a region's index change between two years into its indicators'
//! contributions (Zhang 2024 §4: which indicators moved a region's resilience).
//!
//! The weighted-sum index is linear in the normalised scores, E = Σ_j w_j r_j, so
//! ΔE = E(t₁) − E(t₀) = Σ_j w_j (r_j(t₁) − r_j(t₀)) exactly: contribution
//! c_j = w_j Δr_j, share c_j / ΔE (undefined when ΔE = 0). Scores are normalised over the
//! pooled panel ([`crate::normalize`]), so Δr_j compares like with like across years.
//! For the fuzzy and TOPSIS aggregations, which are not linear, it decomposes the
//! weighted sum that the evaluation reports beside them. `residual` = ΔE − Σ c_j, the
//! rounding left over (|residual| ≲ 1e-15), is reported as the check of the identity.
//!
//! Cost O(k) per region.

use serde::Serialize;

/// One indicator's part of an index change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    pub indicator: String,
    pub weight: f64,
    pub from: f64,
    pub to: f64,
    /// w_j·(to − from).
    pub contribution: f64,
    /// contribution / ΔE (None when ΔE = 0).
    pub share: Option<f64>,
}

/// ΔE of one region between two years and its parts, largest |contribution| first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decomposition {
    pub region: String,
    pub from_year: i32,
    pub to_year: i32,
    pub index_from: f64,
    pub index_to: f64,
    pub change: f64,
    pub contributions: Vec<Contribution>,
    /// change − Σ contributions.
    pub residual: f64,
}

/// Decomposes the change of E = Σ w_j r_j from scores `from` to scores `to`.
pub fn decompose(
    region: &str,
    (from_year, to_year): (i32, i32),
    indicators: &[String],
    weights: &[f64],
    from: &[f64],
    to: &[f64],
) -> Decomposition {
    let index = |r: &[f64]| -> f64 { weights.iter().zip(r).map(|(w, x)| w * x).sum() };
    let (index_from, index_to) = (index(from), index(to));
    let change = index_to - index_from;
    let mut contributions: Vec<Contribution> = indicators
        .iter()
        .enumerate()
        .map(|(j, id)| {
            let c = weights[j] * (to[j] - from[j]);
            Contribution {
                indicator: id.clone(),
                weight: weights[j],
                from: from[j],
                to: to[j],
                contribution: c,
                share: (change != 0.0).then(|| c / change),
            }
        })
        .collect();
    let residual = change - contributions.iter().map(|c| c.contribution).sum::<f64>();
    contributions.sort_by(|a, b| b.contribution.abs().total_cmp(&a.contribution.abs()));
    Decomposition {
        region: region.to_owned(),
        from_year,
        to_year,
        index_from,
        index_to,
        change,
        contributions,
        residual,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_add_up() {
        let names: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let d = decompose(
            "r",
            (2018, 2023),
            &names,
            &[0.5, 0.3, 0.2],
            &[0.2, 0.9, 0.5],
            &[0.6, 0.4, 0.5],
        );
        assert!((d.change - (0.2 - 0.15)).abs() < 1e-15);
        assert_eq!(d.contributions[0].indicator, "a");
        assert!((d.contributions[0].share.unwrap() - 4.0).abs() < 1e-12);
        assert_eq!(d.contributions[2].contribution, 0.0);
        assert!(d.residual.abs() < 1e-15);
        let flat = decompose("r", (1, 2), &names, &[0.5, 0.3, 0.2], &[0.1; 3], &[0.1; 3]);
        assert_eq!(flat.contributions[0].share, None);
    }
}
