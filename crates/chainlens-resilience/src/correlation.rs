//! Correlation between variables, with two-sided p-values: e.g. between the three
//! dimension scores of the index (Zhang 2024 reports 0.834, p < 0.01).
//!
//! * **Pearson** r = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² Σ(y − ȳ)²).
//! * **Spearman** ρ = Pearson's r of the ranks, ties given their average rank
//!   (scipy's `rankdata(method="average")`).
//! * **p-value** under H₀: no correlation, for both by the t approximation scipy uses:
//!   t = r·√((n − 2)/(1 − r²)) with n − 2 degrees of freedom, so
//!   p = P(|T_{n−2}| > |t|) = I_{1−r²}((n − 2)/2, 1/2) ([`crate::special`]). For Pearson's r
//!   this is exact under bivariate normality (scipy's `pearsonr` writes it as a beta
//!   distribution of r; the two are the same function); for Spearman it is the large-sample
//!   approximation of `spearmanr`. |r| = 1 gives p = 0; n = 2 gives no p-value.
//!
//! Cost: O(n·k²) for the k × k matrix of n observations, O(n log n) per ranking.

use crate::error::{Error, Result};
use crate::special::beta_i;
use serde::{Deserialize, Serialize};

/// Pearson's product-moment or Spearman's rank correlation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    Pearson,
    Spearman,
}

/// One correlation coefficient and its test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correlation {
    pub method: Method,
    pub r: f64,
    pub n: usize,
    /// Two-sided p-value of H₀: no correlation (None for n = 2).
    pub p_value: Option<f64>,
}

/// The correlation of one pair of named variables.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    pub a: String,
    pub b: String,
    #[serde(flatten)]
    pub correlation: Correlation,
}

/// Deviations from the mean of each column of `matrix` (rows = observations, k columns)
/// and their Euclidean norms √Σ(x − x̄)² (0 for a constant column).
pub(crate) fn deviations(matrix: &[Vec<f64>], k: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
    let n = matrix.len() as f64;
    let dev: Vec<Vec<f64>> = (0..k)
        .map(|j| {
            let mean = matrix.iter().map(|r| r[j]).sum::<f64>() / n;
            matrix.iter().map(|r| r[j] - mean).collect()
        })
        .collect();
    let norm = dev
        .iter()
        .map(|d| d.iter().map(|x| x * x).sum::<f64>().sqrt())
        .collect();
    (dev, norm)
}

/// Pearson's r of two columns from their [`deviations`] and norms (both non-zero).
pub(crate) fn pearson(a: &[f64], b: &[f64], norm_a: f64, norm_b: f64) -> f64 {
    let r = a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>() / (norm_a * norm_b);
    r.clamp(-1.0, 1.0)
}

/// Pearson correlation matrix of the columns of `matrix` (rows = observations). A
/// constant column is an error naming it (its correlation is undefined).
pub fn correlation_matrix(matrix: &[Vec<f64>], names: &[String]) -> Result<Vec<Vec<f64>>> {
    let k = crate::weights::check_matrix(matrix, names, false)?;
    let (dev, norm) = deviations(matrix, k);
    if let Some(j) = norm.iter().position(|s| *s == 0.0) {
        return Err(Error::ConstantColumn {
            variable: names[j].clone(),
            value: matrix[0][j],
        });
    }
    let mut r = vec![vec![1.0; k]; k];
    for i in 0..k {
        for j in i + 1..k {
            let c = pearson(&dev[i], &dev[j], norm[i], norm[j]);
            r[i][j] = c;
            r[j][i] = c;
        }
    }
    Ok(r)
}

/// Ranks 1…n of `values`, ties sharing their average rank.
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end (0-based) hold ranks start+1 … end: their mean.
        let rank = (start + end + 1) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

/// Two-sided p-value of a correlation r from n observations (t approximation).
pub fn p_value(r: f64, n: usize) -> Option<f64> {
    if n <= 2 {
        return None;
    }
    let df = (n - 2) as f64;
    Some(if r.abs() >= 1.0 {
        0.0
    } else {
        beta_i(df / 2.0, 0.5, (1.0 - r) * (1.0 + r))
    })
}

/// Correlations of every pair of the columns of `matrix` (rows = observations), in the
/// order (0,1), (0,2), …, (1,2), ….
pub fn pairwise(matrix: &[Vec<f64>], names: &[String], method: Method) -> Result<Vec<Pair>> {
    let k = crate::weights::check_matrix(matrix, names, false)?;
    let ranked;
    let data = match method {
        Method::Pearson => matrix,
        Method::Spearman => {
            let columns: Vec<Vec<f64>> = (0..k)
                .map(|j| average_ranks(&matrix.iter().map(|r| r[j]).collect::<Vec<_>>()))
                .collect();
            ranked = (0..matrix.len())
                .map(|i| columns.iter().map(|c| c[i]).collect())
                .collect::<Vec<Vec<f64>>>();
            &ranked
        }
    };
    let r = correlation_matrix(data, names)?;
    let n = matrix.len();
    let mut out = Vec::with_capacity(k * k.saturating_sub(1) / 2);
    for i in 0..k {
        for j in i + 1..k {
            out.push(Pair {
                a: names[i].clone(),
                b: names[j].clone(),
                correlation: Correlation {
                    method,
                    r: r[i][j],
                    n,
                    p_value: p_value(r[i][j], n),
                },
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(k: usize) -> Vec<String> {
        (0..k).map(|j| format!("v{j}")).collect()
    }

    #[test]
    fn ranks_average_ties() {
        assert_eq!(
            average_ranks(&[3.0, 1.0, 3.0, 2.0, 3.0]),
            vec![4.0, 1.0, 4.0, 2.0, 4.0]
        );
    }

    #[test]
    fn perfect_and_monotone() {
        let m: Vec<Vec<f64>> = (0..6)
            .map(|i| {
                let x = f64::from(i);
                vec![x, -2.0 * x + 1.0, x.powi(3)]
            })
            .collect();
        let p = pairwise(&m, &names(3), Method::Spearman).unwrap();
        assert_eq!(
            p.iter().map(|c| c.correlation.r).collect::<Vec<_>>(),
            vec![-1.0, 1.0, -1.0]
        );
        assert_eq!(p[0].correlation.p_value, Some(0.0));
        let q = pairwise(&m, &names(3), Method::Pearson).unwrap();
        assert!(q[1].correlation.r < 1.0 && q[1].correlation.p_value.unwrap() > 0.0);
        assert_eq!(p_value(0.5, 2), None);
    }

    #[test]
    fn constant_column_named() {
        let m = vec![vec![1.0, 2.0], vec![2.0, 2.0], vec![3.0, 2.0]];
        let e = correlation_matrix(&m, &names(2)).unwrap_err();
        assert!(e.to_string().contains("`v1`"), "{e}");
    }
}
