//! Analytic hierarchy process (Saaty 1977, 1980): priority weights from a pairwise
//! judgment matrix, its consistency, and the judgments to revisit when it is inconsistent.
//!
//! A judgment matrix A (n × n) holds a_ij = how much more important item i is than item j
//! (Saaty's 1–9 scale), with a_ii = 1 and a_ji = 1/a_ij.
//!
//! * **Eigenvector method** (Saaty): w is the principal (Perron) eigenvector of A,
//!   A·w = λmax·w, normalised to Σw = 1; found by power iteration, which converges for
//!   every positive matrix, until no weight changes by more than 1e-15.
//!   λmax = Σ_i (A·w)_i.
//! * **Geometric-mean (row) method** (Crawford & Williams 1985): w_i ∝ (Π_j a_ij)^(1/n);
//!   λmax is then estimated as (1/n)·Σ_i (A·w)_i / w_i, the usual convention.
//! * **Consistency**: CI = (λmax − n)/(n − 1), CR = CI/RI(n). A matrix with CR ≥ 0.10 is
//!   reported as inconsistent. Matrices with n ≤ 2 are always consistent (CR = 0).
//! * **Random-index tables** — the peers disagree, so the table is named in every result:
//!   `saaty` (the default: Saaty 1980, *The Analytic Hierarchy Process*, the table most
//!   published studies use: 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49 for n = 3…10),
//!   `saaty2005` (Saaty 2005, the table ahpy calls `saaty`: 0.52, 0.89, 1.11, 1.25, …),
//!   `donegan-dodd` (Donegan & Dodd 1991, ahpy's default, linearly interpolated between
//!   tabulated sizes above 20), `alonso-lamata` (Alonso & Lamata 2006).
//! * **Which judgments cause the inconsistency**: with ε_ij = a_ij·w_j/w_i, summing the rows
//!   of A·w = λw gives the exact identity λmax − n = (1/n)·Σ_{i<j} (ε_ij + 1/ε_ij − 2)
//!   (for the eigenvector; approximately for the geometric mean). Each judgment's term is
//!   its share of the inconsistency; the largest ones are reported with the value the
//!   weights imply, w_i/w_j, as the suggestion.
//! * **Group AHP** (Aczél & Saaty 1983, aggregation of individual judgments): the experts'
//!   matrices are combined element by element by the (weighted) geometric mean, which keeps
//!   the result reciprocal; the weights then come from the combined matrix.
//!
//! Reciprocity is checked with a relative tolerance of 1e-3 (so that 0.333 stands for 1/3);
//! the lower triangle is then replaced by the exact reciprocals of the upper triangle.
//! Cost: O(n²) per power iteration; n is at most a few dozen in practice.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// CR at or above this value is reported as inconsistent (Saaty).
pub const CONSISTENCY_LIMIT: f64 = 0.10;

/// How the priority vector is derived from the judgments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AhpMethod {
    /// Principal eigenvector (Saaty).
    #[default]
    Eigenvector,
    /// Normalised geometric means of the rows.
    GeometricMean,
}

/// A named table of random consistency indices RI(n).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RandomIndex {
    /// Saaty (1980), n ≤ 15.
    #[default]
    Saaty,
    /// Saaty (2005), n ≤ 15 (ahpy's `saaty`).
    Saaty2005,
    /// Donegan & Dodd (1991), n ≤ 100 (ahpy's default `dd`).
    DoneganDodd,
    /// Alonso & Lamata (2006), n ≤ 15.
    AlonsoLamata,
}

const SAATY_1980: [f64; 15] = [
    0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
];
const SAATY_2005: [f64; 15] = [
    0.0, 0.0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59,
];
const ALONSO_LAMATA: [f64; 15] = [
    0.0, 0.0, 0.5245, 0.8815, 1.1086, 1.2479, 1.3417, 1.4056, 1.4499, 1.4854, 1.5141, 1.5365,
    1.5551, 1.5713, 1.5838,
];
const DONEGAN_DODD: [(usize, f64); 27] = [
    (3, 0.4914),
    (4, 0.8286),
    (5, 1.0591),
    (6, 1.1797),
    (7, 1.2519),
    (8, 1.3171),
    (9, 1.3733),
    (10, 1.4055),
    (11, 1.4213),
    (12, 1.4497),
    (13, 1.4643),
    (14, 1.4822),
    (15, 1.4969),
    (16, 1.5078),
    (17, 1.5153),
    (18, 1.5262),
    (19, 1.5313),
    (20, 1.5371),
    (25, 1.5619),
    (30, 1.5772),
    (40, 1.5976),
    (50, 1.6102),
    (60, 1.6178),
    (70, 1.6237),
    (80, 1.6277),
    (90, 1.6213),
    (100, 1.6339),
];

impl RandomIndex {
    pub const NAMES: [&'static str; 4] = ["saaty", "saaty2005", "donegan-dodd", "alonso-lamata"];

    pub fn parse(name: &str) -> Result<RandomIndex> {
        Ok(match name {
            "saaty" => RandomIndex::Saaty,
            "saaty2005" => RandomIndex::Saaty2005,
            "donegan-dodd" | "dd" => RandomIndex::DoneganDodd,
            "alonso-lamata" => RandomIndex::AlonsoLamata,
            other => return Err(Error::UnknownRandomIndex(other.to_owned())),
        })
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// RI(n); 0 for n ≤ 2.
    pub fn value(self, n: usize) -> Result<f64> {
        if n <= 2 {
            return Ok(0.0);
        }
        let table = match self {
            RandomIndex::Saaty => &SAATY_1980,
            RandomIndex::Saaty2005 => &SAATY_2005,
            RandomIndex::AlonsoLamata => &ALONSO_LAMATA,
            RandomIndex::DoneganDodd => {
                return match DONEGAN_DODD.iter().position(|&(k, _)| k >= n) {
                    Some(p) if DONEGAN_DODD[p].0 == n => Ok(DONEGAN_DODD[p].1),
                    Some(p) => {
                        let (n0, r0) = DONEGAN_DODD[p - 1];
                        let (n1, r1) = DONEGAN_DODD[p];
                        Ok(r0 + (r1 - r0) * (n - n0) as f64 / (n1 - n0) as f64)
                    }
                    None => Err(Error::RandomIndexSize {
                        table: self.name().to_owned(),
                        n,
                        max: 100,
                    }),
                };
            }
        };
        table
            .get(n - 1)
            .copied()
            .ok_or_else(|| Error::RandomIndexSize {
                table: self.name().to_owned(),
                n,
                max: table.len(),
            })
    }
}

/// A validated, exactly reciprocal judgment matrix with item labels.
#[derive(Debug, Clone, PartialEq)]
pub struct JudgmentMatrix {
    labels: Vec<String>,
    n: usize,
    /// Row-major n × n.
    a: Vec<f64>,
}

impl JudgmentMatrix {
    /// Checks that `rows` is square, positive, finite, with a unit diagonal and reciprocal
    /// (relative tolerance 1e-3), and makes it exactly reciprocal from the upper triangle.
    /// Items without labels are called `1`, `2`, ….
    pub fn new(labels: Option<Vec<String>>, rows: &[Vec<f64>]) -> Result<JudgmentMatrix> {
        let n = rows.len();
        if n == 0 {
            return Err(Error::EmptyMatrix);
        }
        let labels = labels.unwrap_or_else(|| (1..=n).map(|i| i.to_string()).collect());
        if labels.len() != n {
            return Err(Error::NotSquare {
                row: 0,
                expected: n,
                found: labels.len(),
            });
        }
        let mut a = Vec::with_capacity(n * n);
        for (i, row) in rows.iter().enumerate() {
            if row.len() != n {
                return Err(Error::NotSquare {
                    row: i + 1,
                    expected: n,
                    found: row.len(),
                });
            }
            for (j, &x) in row.iter().enumerate() {
                if !(x.is_finite() && x > 0.0) {
                    return Err(Error::NotPositive {
                        row: labels[i].clone(),
                        column: labels[j].clone(),
                        value: x,
                    });
                }
            }
            a.extend_from_slice(row);
        }
        for i in 0..n {
            let d = a[i * n + i];
            if (d - 1.0).abs() > 1e-9 {
                return Err(Error::Diagonal {
                    item: labels[i].clone(),
                    value: d,
                });
            }
            for j in i + 1..n {
                let (x, y) = (a[i * n + j], a[j * n + i]);
                if (x * y - 1.0).abs() > 1e-3 {
                    return Err(Error::NotReciprocal {
                        row: labels[i].clone(),
                        column: labels[j].clone(),
                        value: x,
                        mirror: y,
                        expected: 1.0 / x,
                    });
                }
                a[j * n + i] = 1.0 / x;
            }
        }
        Ok(JudgmentMatrix { labels, n, a })
    }

    /// Builds the matrix from its upper triangle, row by row (a_12, a_13, …, a_23, …).
    pub fn from_upper(labels: Vec<String>, upper: &[f64]) -> Result<JudgmentMatrix> {
        let n = labels.len();
        if upper.len() != n * (n.saturating_sub(1)) / 2 {
            return Err(Error::Data(format!(
                "{} items need {} judgments above the diagonal, got {}",
                n,
                n * n.saturating_sub(1) / 2,
                upper.len()
            )));
        }
        let mut rows = vec![vec![1.0; n]; n];
        let pairs = (0..n).flat_map(|i| (i + 1..n).map(move |j| (i, j)));
        for ((i, j), &x) in pairs.zip(upper) {
            rows[i][j] = x;
            rows[j][i] = 1.0 / x;
        }
        JudgmentMatrix::new(Some(labels), &rows)
    }

    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.a[i * self.n + j]
    }

    fn times(&self, w: &[f64]) -> Vec<f64> {
        (0..self.n)
            .map(|i| (0..self.n).map(|j| self.get(i, j) * w[j]).sum())
            .collect()
    }
}

/// One judgment's part in the inconsistency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InconsistentJudgment {
    pub row: String,
    pub column: String,
    /// The judgment a_ij as given.
    pub given: f64,
    /// The value the weights imply, w_i/w_j: the suggestion.
    pub implied: f64,
    /// Share of λmax − n this judgment accounts for (the shares of all judgments sum to 1).
    pub share: f64,
}

/// Weights and consistency of one judgment matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AhpResult {
    pub items: Vec<String>,
    pub weights: Vec<f64>,
    pub method: AhpMethod,
    pub lambda_max: f64,
    pub ci: f64,
    pub cr: f64,
    pub ri: f64,
    pub ri_table: &'static str,
    /// CR < 0.10.
    pub consistent: bool,
    /// The judgments contributing most to the inconsistency, largest first (at most 5;
    /// empty when the matrix is consistent).
    pub inconsistencies: Vec<InconsistentJudgment>,
}

/// Priority weights, λmax, CI and CR of a judgment matrix.
pub fn ahp(m: &JudgmentMatrix, method: AhpMethod, ri_table: RandomIndex) -> Result<AhpResult> {
    let n = m.n;
    let ri = ri_table.value(n)?;
    let (weights, lambda_max) = match method {
        AhpMethod::Eigenvector => {
            let w = principal_eigenvector(m);
            let lambda = m.times(&w).iter().sum::<f64>();
            (w, lambda)
        }
        AhpMethod::GeometricMean => {
            let g: Vec<f64> = (0..n)
                .map(|i| ((0..n).map(|j| m.get(i, j).ln()).sum::<f64>() / n as f64).exp())
                .collect();
            let s: f64 = g.iter().sum();
            let w: Vec<f64> = g.iter().map(|x| x / s).collect();
            let aw = m.times(&w);
            let lambda = aw.iter().zip(&w).map(|(x, y)| x / y).sum::<f64>() / n as f64;
            (w, lambda)
        }
    };
    let (ci, cr) = if n <= 2 {
        (0.0, 0.0)
    } else {
        let ci = ((lambda_max - n as f64) / (n as f64 - 1.0)).max(0.0);
        (ci, ci / ri)
    };
    let consistent = cr < CONSISTENCY_LIMIT;
    let inconsistencies = if consistent {
        Vec::new()
    } else {
        contributions(m, &weights)
    };
    Ok(AhpResult {
        items: m.labels.clone(),
        weights,
        method,
        lambda_max,
        ci,
        cr,
        ri,
        ri_table: ri_table.name(),
        consistent,
        inconsistencies,
    })
}

fn principal_eigenvector(m: &JudgmentMatrix) -> Vec<f64> {
    let n = m.n;
    let mut w = vec![1.0 / n as f64; n];
    for _ in 0..100_000 {
        let mut next = m.times(&w);
        let s: f64 = next.iter().sum();
        next.iter_mut().for_each(|x| *x /= s);
        let change = next
            .iter()
            .zip(&w)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        w = next;
        if change <= 1e-15 {
            break;
        }
    }
    w
}

fn contributions(m: &JudgmentMatrix, w: &[f64]) -> Vec<InconsistentJudgment> {
    let n = m.n;
    let mut terms = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            let e = m.get(i, j) * w[j] / w[i];
            terms.push((i, j, e + 1.0 / e - 2.0));
        }
    }
    let total: f64 = terms.iter().map(|t| t.2).sum();
    terms.sort_by(|a, b| b.2.total_cmp(&a.2));
    terms
        .into_iter()
        .take(5)
        .map(|(i, j, t)| InconsistentJudgment {
            row: m.labels[i].clone(),
            column: m.labels[j].clone(),
            given: m.get(i, j),
            implied: w[i] / w[j],
            share: if total > 0.0 { t / total } else { 0.0 },
        })
        .collect()
}

/// Combines several experts' judgment matrices by the element-wise (weighted) geometric
/// mean. `expert_weights` default to equal; they are rescaled to sum to 1.
pub fn combine_experts(
    matrices: &[JudgmentMatrix],
    expert_weights: Option<&[f64]>,
) -> Result<JudgmentMatrix> {
    let first = matrices.first().ok_or(Error::EmptyMatrix)?;
    let k = matrices.len();
    let lambda: Vec<f64> = match expert_weights {
        None => vec![1.0 / k as f64; k],
        Some(w) => {
            if w.len() != k || w.iter().any(|x| !(x.is_finite() && *x > 0.0)) {
                return Err(Error::Weights(format!(
                    "{} positive expert weights needed, got {:?}",
                    k, w
                )));
            }
            let s: f64 = w.iter().sum();
            w.iter().map(|x| x / s).collect()
        }
    };
    let n = first.n;
    let mut rows = vec![vec![0.0; n]; n];
    for (m, l) in matrices.iter().zip(&lambda) {
        if m.n != n {
            return Err(Error::ExpertSizes {
                first: n,
                other: m.n,
            });
        }
        for (i, row) in rows.iter_mut().enumerate() {
            for (j, x) in row.iter_mut().enumerate() {
                *x += l * m.get(i, j).ln();
            }
        }
    }
    for row in rows.iter_mut() {
        for x in row.iter_mut() {
            *x = x.exp();
        }
    }
    JudgmentMatrix::new(Some(first.labels.clone()), &rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consistent3() -> JudgmentMatrix {
        // Weights 4:2:1 exactly.
        JudgmentMatrix::new(
            None,
            &[
                vec![1.0, 2.0, 4.0],
                vec![0.5, 1.0, 2.0],
                vec![0.25, 0.5, 1.0],
            ],
        )
        .unwrap()
    }

    #[test]
    fn consistent_matrix_has_lambda_n() {
        for method in [AhpMethod::Eigenvector, AhpMethod::GeometricMean] {
            let r = ahp(&consistent3(), method, RandomIndex::Saaty).unwrap();
            for (w, e) in r.weights.iter().zip([4.0 / 7.0, 2.0 / 7.0, 1.0 / 7.0]) {
                assert!((w - e).abs() < 1e-14);
            }
            assert!((r.lambda_max - 3.0).abs() < 1e-12);
            assert!(r.cr.abs() < 1e-12 && r.consistent);
        }
    }

    #[test]
    fn rejects_bad_judgments() {
        let e = JudgmentMatrix::new(None, &[vec![1.0, 3.0], vec![3.0, 1.0]]).unwrap_err();
        assert!(matches!(e, Error::NotReciprocal { .. }), "{e}");
        let e = JudgmentMatrix::new(None, &[vec![1.0, -3.0], vec![-1.0 / 3.0, 1.0]]).unwrap_err();
        assert!(matches!(e, Error::NotPositive { .. }));
        let e = JudgmentMatrix::new(None, &[vec![2.0, 3.0], vec![1.0 / 3.0, 1.0]]).unwrap_err();
        assert!(matches!(e, Error::Diagonal { .. }));
        let e = JudgmentMatrix::new(None, &[vec![1.0, 3.0], vec![1.0 / 3.0]]).unwrap_err();
        assert!(matches!(e, Error::NotSquare { row: 2, .. }));
    }

    #[test]
    fn inconsistency_identity_and_culprit() {
        // Consistent 4:2:1:1 except a_14, which should be 4 and is given as 1/4.
        let m = JudgmentMatrix::new(
            None,
            &[
                vec![1.0, 2.0, 4.0, 0.25],
                vec![0.5, 1.0, 2.0, 2.0],
                vec![0.25, 0.5, 1.0, 1.0],
                vec![4.0, 0.5, 1.0, 1.0],
            ],
        )
        .unwrap();
        let r = ahp(&m, AhpMethod::Eigenvector, RandomIndex::Saaty).unwrap();
        assert!(!r.consistent);
        assert_eq!(
            (
                r.inconsistencies[0].row.as_str(),
                r.inconsistencies[0].column.as_str()
            ),
            ("1", "4")
        );
        let mut sum = 0.0;
        for i in 0..4 {
            for j in i + 1..4 {
                let e = m.get(i, j) * r.weights[j] / r.weights[i];
                sum += e + 1.0 / e - 2.0;
            }
        }
        assert!((r.lambda_max - 4.0 - sum / 4.0).abs() < 1e-10);
    }

    #[test]
    fn group_geometric_mean_is_reciprocal() {
        let a = JudgmentMatrix::from_upper(vec!["x".into(), "y".into()], &[2.0]).unwrap();
        let b = JudgmentMatrix::from_upper(vec!["x".into(), "y".into()], &[8.0]).unwrap();
        let g = combine_experts(&[a, b], None).unwrap();
        assert!((g.get(0, 1) - 4.0).abs() < 1e-12 && (g.get(1, 0) - 0.25).abs() < 1e-12);
    }

    #[test]
    fn random_index_tables() {
        assert_eq!(RandomIndex::Saaty.value(3).unwrap(), 0.58);
        assert_eq!(RandomIndex::Saaty2005.value(3).unwrap(), 0.52);
        assert!(
            (RandomIndex::DoneganDodd.value(22).unwrap()
                - (1.5371 + 2.0 * (1.5619 - 1.5371) / 5.0))
                .abs()
                < 1e-15
        );
        assert!(RandomIndex::Saaty.value(16).is_err());
        assert_eq!(
            RandomIndex::parse("alonso-lamata").unwrap(),
            RandomIndex::AlonsoLamata
        );
    }
}
