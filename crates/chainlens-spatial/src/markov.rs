//! The spatial Markov chain (Rey 2001; giddy.markov.Spatial_Markov with fixed cutoffs).
//!
//! Each region's value in each year is put in a class by `cutoffs` (class = number of
//! cutoffs strictly below the value, so a value equal to a cutoff takes the lower class,
//! as mapclassify's UserDefined), and its spatial lag Σ_j w_ij y_j in that year by
//! `lag_cutoffs`. For every lag class l, T_l[a][b] counts the regions whose lag was in
//! class l in year t and which moved from class a in year t to class b in year t + 1;
//! P_l is T_l with each row divided by its sum (a row never observed stays zero). The
//! plain (aspatial) chain T, P pools all lag classes. O(T (n + L) + T n) for T years.

use crate::error::{Error, Result};
use crate::weights::Weights;
use serde::Serialize;

/// Transition counts and probabilities, plain and conditioned on the neighbours' class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpatialMarkov {
    /// `classes[i][t]`: region i's class in year t.
    pub classes: Vec<Vec<usize>>,
    /// `lag_classes[i][t]`: the class of region i's spatial lag in year t.
    pub lag_classes: Vec<Vec<usize>>,
    /// Aspatial transition counts and probabilities (k × k).
    pub transitions: Vec<Vec<f64>>,
    pub probabilities: Vec<Vec<f64>>,
    /// One k × k table per lag class.
    pub conditional_transitions: Vec<Vec<Vec<f64>>>,
    pub conditional_probabilities: Vec<Vec<Vec<f64>>>,
}

fn class_of(value: f64, cutoffs: &[f64]) -> usize {
    cutoffs.iter().filter(|&&c| c < value).count()
}

fn check_cutoffs(name: &str, cutoffs: &[f64]) -> Result<()> {
    if cutoffs.is_empty()
        || cutoffs.windows(2).any(|p| p[0] >= p[1])
        || cutoffs.iter().any(|c| !c.is_finite())
    {
        return Err(Error::Parameter(format!(
            "{name} must be one or more finite, strictly increasing numbers, got {cutoffs:?}"
        )));
    }
    Ok(())
}

fn probabilities(t: &[Vec<f64>]) -> Vec<Vec<f64>> {
    t.iter()
        .map(|row| {
            let sum: f64 = row.iter().sum();
            row.iter()
                .map(|v| if sum > 0.0 { v / sum } else { 0.0 })
                .collect()
        })
        .collect()
}

/// Spatial Markov chain of `y[i][t]` (regions in `w.ids` order, years in columns).
pub fn spatial_markov(
    w: &Weights,
    y: &[Vec<f64>],
    cutoffs: &[f64],
    lag_cutoffs: &[f64],
) -> Result<SpatialMarkov> {
    check_cutoffs("cutoffs", cutoffs)?;
    check_cutoffs("lag cutoffs", lag_cutoffs)?;
    if y.len() != w.len() {
        return Err(Error::Length {
            what: "value rows",
            got: y.len(),
            expected: w.len(),
        });
    }
    let years = y.first().map_or(0, Vec::len);
    if years < 2 {
        return Err(Error::TooFew {
            what: "a Markov chain (years)",
            needed: 2,
            got: years,
        });
    }
    for (id, row) in w.ids.iter().zip(y) {
        if row.len() != years {
            return Err(Error::Length {
                what: "years of a region",
                got: row.len(),
                expected: years,
            });
        }
        if let Some(&value) = row.iter().find(|v| !v.is_finite()) {
            return Err(Error::NotFinite {
                id: id.clone(),
                value,
            });
        }
    }
    let n = w.len();
    let (k, m) = (cutoffs.len() + 1, lag_cutoffs.len() + 1);
    let classes: Vec<Vec<usize>> = y
        .iter()
        .map(|row| row.iter().map(|&v| class_of(v, cutoffs)).collect())
        .collect();
    let mut lag_classes = vec![vec![0; years]; n];
    for t in 0..years {
        let column: Vec<f64> = y.iter().map(|row| row[t]).collect();
        for (i, l) in w.lag(&column).into_iter().enumerate() {
            lag_classes[i][t] = class_of(l, lag_cutoffs);
        }
    }
    let mut transitions = vec![vec![0.0; k]; k];
    let mut conditional_transitions = vec![vec![vec![0.0; k]; k]; m];
    for i in 0..n {
        for t in 0..years - 1 {
            let (a, b) = (classes[i][t], classes[i][t + 1]);
            transitions[a][b] += 1.0;
            conditional_transitions[lag_classes[i][t]][a][b] += 1.0;
        }
    }
    Ok(SpatialMarkov {
        probabilities: probabilities(&transitions),
        conditional_probabilities: conditional_transitions
            .iter()
            .map(|t| probabilities(t))
            .collect(),
        classes,
        lag_classes,
        transitions,
        conditional_transitions,
    })
}
