//! The Leontief system of a table, factorised once: coefficients, checks and solves.
//!
//! From an [`IoTable`] with flows Z, final demand Y and output x:
//! direct (technical) coefficients A = Z·diag(x)⁻¹, allocation coefficients
//! B = diag(x)⁻¹·Z (Ghosh 1958), primary inputs v = x − 1ᵀZ (so that xᵀ = vᵀ(I − B)⁻¹).
//! I − A is factorised once by LU with partial pivoting (O(n³/3) flops, faer); every
//! later quantity is a solve (O(n²)) with that factorisation:
//!
//! * (I − A)·x̂ = y: output, and x̂ checks the data (x̂ = x when the table balances);
//! * (I − A)ᵀ·m = 1: column sums of L (output multipliers, backward linkages);
//! * (I − A)·r = 1: row sums of L (forward linkages in the Leontief convention);
//! * (I − A)·w = x: the Ghosh inverse is G = diag(x)⁻¹·L·diag(x), so its row sums are
//!   G·1 = diag(x)⁻¹·L·x — one solve, without forming G.
//!
//! Numerical honesty (Miller & Blair 2009, §2.3): a sector with zero output has no
//! coefficients (error naming it); negative flows and column sums of A at or above one
//! are reported; productivity is decided by the spectral radius ρ(A) < 1 (Hawkins–Simon),
//! bracketed by Collatz–Wielandt bounds min_i (Au)_i/u_i ≤ ρ ≤ max_i (Au)_i/u_i of
//! power iterates (O(n²) per iteration, at most 500). A tiny LU pivot names the
//! singular sector. Every solve records its relative residual ‖M·s − b‖/‖b‖.

use crate::error::{LinkageError, Result, Warning};
use chainlens_model::{Industry, IoTable, Matrix};
use faer::linalg::solvers::{DenseSolveCore, PartialPivLu, Solve};
use faer::{Mat, MatRef};
use serde::Serialize;

/// A table turned into its coefficient matrix and one LU factorisation of I − A.
pub struct System {
    pub industries: Vec<Industry>,
    /// Total output used for the coefficients.
    pub x: Vec<f64>,
    /// Final demand per industry, Y·1.
    pub y: Vec<f64>,
    /// Primary inputs per industry, x − 1ᵀZ (the Ghosh driver).
    pub v: Vec<f64>,
    /// Technical coefficients A = Z·diag(x)⁻¹.
    pub a: Mat<f64>,
    lu: PartialPivLu<f64>,
    /// Column sums of A.
    pub a_col_sums: Vec<f64>,
    /// Bounds on the spectral radius of A.
    pub spectral_radius: SpectralBounds,
    pub warnings: Vec<Warning>,
}

/// Collatz–Wielandt bounds on ρ(A) (exact for a nonnegative irreducible A at convergence).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SpectralBounds {
    pub lower: f64,
    pub upper: f64,
}

/// A solve and its relative residual.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Residual {
    pub relative: f64,
}

impl System {
    /// Builds A, checks the table and factorises I − A.
    pub fn new(table: &IoTable) -> Result<System> {
        table.check()?;
        let n = table.len();
        if n == 0 {
            return Err(LinkageError::Empty);
        }
        let x = table.total_output();
        let mut warnings = Vec::new();
        for (i, &xi) in x.iter().enumerate() {
            if xi <= 0.0 || !xi.is_finite() {
                return Err(LinkageError::ZeroOutput {
                    sector: table.industries[i].label(),
                    output: xi,
                });
            }
        }
        // Z is row-major: view it as such and let faer copy it into column-major storage
        // (a strided element-by-element copy costs more than the LU at n in the thousands).
        let mut a = MatRef::from_row_major_slice(table.z.as_row_major(), n, n).to_owned();
        let mut negatives = vec![0usize; n];
        for (j, count) in negatives.iter_mut().enumerate() {
            let inv = 1.0 / x[j];
            for v in a.col_mut(j).iter_mut() {
                if *v < 0.0 {
                    *count += 1;
                }
                *v *= inv;
            }
        }
        for (j, &count) in negatives.iter().enumerate() {
            if count > 0 {
                warnings.push(Warning {
                    kind: "negative_flow",
                    sector: Some(table.industries[j].label()),
                    message: format!(
                        "{count} negative intermediate flow(s) into `{}`",
                        table.industries[j].label()
                    ),
                });
            }
        }
        let a_col_sums: Vec<f64> = (0..n).map(|j| a.col(j).iter().sum()).collect();
        for (j, &s) in a_col_sums.iter().enumerate() {
            if s >= 1.0 {
                warnings.push(Warning {
                    kind: "column_sum_at_least_one",
                    sector: Some(table.industries[j].label()),
                    message: format!(
                        "intermediate inputs of `{}` are {s:.6} of its output (≥ 1)",
                        table.industries[j].label()
                    ),
                });
            }
        }
        let spectral_radius = spectral_bounds(a.as_ref(), &a_col_sums);
        if spectral_radius.lower >= 1.0 {
            let worst = argmax(&a_col_sums);
            return Err(LinkageError::NotProductive {
                reason: format!(
                    "spectral radius of A is at least {:.6} (≥ 1); largest column sum {:.6} at `{}`",
                    spectral_radius.lower,
                    a_col_sums[worst],
                    table.industries[worst].label()
                ),
            });
        }
        if spectral_radius.upper >= 1.0 {
            warnings.push(Warning {
                kind: "spectral_radius_uncertain",
                sector: None,
                message: format!(
                    "spectral radius of A lies in [{:.6}, {:.6}]: productivity not proven",
                    spectral_radius.lower, spectral_radius.upper
                ),
            });
        }
        let y = table.y.row_sums();
        let colsum_z = table.z.col_sums();
        let v: Vec<f64> = x.iter().zip(&colsum_z).map(|(x, z)| x - z).collect();
        let mut ima = Mat::<f64>::identity(n, n);
        ima -= &a;
        let lu = ima.partial_piv_lu();
        let u = lu.U();
        let scale = (0..n).map(|k| u[(k, k)].abs()).fold(0.0f64, f64::max);
        for k in 0..n {
            let pivot = u[(k, k)];
            if pivot.abs() <= scale * f64::EPSILON * n as f64 {
                return Err(LinkageError::Singular {
                    sector: table.industries[k].label(),
                    pivot,
                });
            }
        }
        Ok(System {
            industries: table.industries.clone(),
            x,
            y,
            v,
            a,
            lu,
            a_col_sums,
            spectral_radius,
            warnings,
        })
    }

    pub fn len(&self) -> usize {
        self.x.len()
    }

    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// Solves (I − A)·S = RHS for every column of `rhs` (n × k).
    pub fn solve(&self, rhs: &Mat<f64>) -> (Mat<f64>, Residual) {
        let s = self.lu.solve(rhs);
        let r = self.residual(s.as_ref(), rhs.as_ref(), false);
        (s, r)
    }

    /// Solves (I − A)ᵀ·S = RHS for every column of `rhs` (n × k).
    pub fn solve_transpose(&self, rhs: &Mat<f64>) -> (Mat<f64>, Residual) {
        let s = self.lu.solve_transpose(rhs);
        let r = self.residual(s.as_ref(), rhs.as_ref(), true);
        (s, r)
    }

    /// The Leontief inverse L = (I − A)⁻¹, formed explicitly (O(n³)).
    pub fn leontief_inverse(&self) -> Mat<f64> {
        self.lu.inverse()
    }

    /// ‖M·S − RHS‖_F / ‖RHS‖_F with M = I − A (or its transpose).
    fn residual(&self, s: MatRef<f64>, rhs: MatRef<f64>, transpose: bool) -> Residual {
        let as_ = if transpose {
            self.a.transpose() * s
        } else {
            &self.a * s
        };
        let mut num = 0.0;
        let mut den = 0.0;
        for j in 0..s.ncols() {
            for i in 0..s.nrows() {
                let r = s[(i, j)] - as_[(i, j)] - rhs[(i, j)];
                num += r * r;
                den += rhs[(i, j)] * rhs[(i, j)];
            }
        }
        Residual {
            relative: if den > 0.0 {
                (num / den).sqrt()
            } else {
                num.sqrt()
            },
        }
    }

    /// A as a model matrix.
    pub fn technical_coefficients(&self) -> Matrix {
        to_matrix(self.a.as_ref())
    }

    /// B = diag(x)⁻¹·Z.
    pub fn allocation_coefficients(&self) -> Matrix {
        let n = self.len();
        let b = Mat::from_fn(n, n, |i, j| self.a[(i, j)] * self.x[j] / self.x[i]);
        to_matrix(b.as_ref())
    }
}

/// The Ghosh inverse G = diag(x)⁻¹·L·diag(x) from a formed L.
pub fn ghosh_from_leontief(l: &Mat<f64>, x: &[f64]) -> Mat<f64> {
    let n = x.len();
    Mat::from_fn(n, n, |i, j| l[(i, j)] * x[j] / x[i])
}

/// A faer matrix as a row-major model matrix.
pub fn to_matrix(m: MatRef<f64>) -> Matrix {
    let mut data = Vec::with_capacity(m.nrows() * m.ncols());
    for i in 0..m.nrows() {
        for j in 0..m.ncols() {
            data.push(m[(i, j)]);
        }
    }
    Matrix::from_row_major(m.nrows(), m.ncols(), data).expect("length is rows × cols")
}

/// A column vector (n × 1) from a slice.
pub fn column(v: &[f64]) -> Mat<f64> {
    Mat::from_fn(v.len(), 1, |i, _| v[i])
}

pub(crate) fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for (i, &value) in v.iter().enumerate() {
        if value > v[best] {
            best = i;
        }
    }
    best
}

/// Collatz–Wielandt bounds on ρ(A) by power iteration from u = 1 on |A|.
fn spectral_bounds(a: MatRef<f64>, col_sums: &[f64]) -> SpectralBounds {
    let n = a.nrows();
    // ρ(A) ≤ ‖A‖₁ = max column sum of |A|.
    let norm1 = (0..n)
        .map(|j| a.col(j).iter().map(|v| v.abs()).sum::<f64>())
        .fold(0.0f64, f64::max);
    let mut bounds = SpectralBounds {
        lower: 0.0,
        upper: norm1,
    };
    if norm1 < 1.0 || col_sums.is_empty() {
        // Power iteration is only needed when the cheap bound does not decide.
        bounds.lower = power_bounds(a, 3).lower;
        return bounds;
    }
    let pb = power_bounds(a, 500);
    bounds.lower = pb.lower;
    bounds.upper = bounds.upper.min(pb.upper);
    bounds
}

fn power_bounds(a: MatRef<f64>, iterations: usize) -> SpectralBounds {
    let n = a.nrows();
    // |A| is A itself for the usual table without negative flows: copy only otherwise.
    let copy;
    let abs = if (0..n).all(|j| a.col(j).iter().all(|v| *v >= 0.0)) {
        a
    } else {
        copy = Mat::from_fn(n, n, |i, j| a[(i, j)].abs());
        copy.as_ref()
    };
    let mut u = Mat::<f64>::from_fn(n, 1, |_, _| 1.0);
    let mut bounds = SpectralBounds {
        lower: 0.0,
        upper: f64::INFINITY,
    };
    for _ in 0..iterations {
        let w = abs * &u;
        let mut lo = f64::INFINITY;
        let mut hi = 0.0f64;
        for i in 0..n {
            if u[(i, 0)] > 0.0 {
                let r = w[(i, 0)] / u[(i, 0)];
                lo = lo.min(r);
                hi = hi.max(r);
            } else if w[(i, 0)] > 0.0 {
                hi = f64::INFINITY;
            }
        }
        if lo.is_finite() {
            bounds.lower = bounds.lower.max(lo);
        }
        bounds.upper = bounds.upper.min(hi);
        if bounds.upper < 1.0 || bounds.lower >= 1.0 || bounds.upper - bounds.lower < 1e-12 {
            break;
        }
        let norm = w.col(0).iter().fold(0.0f64, |m, v| m.max(*v));
        if norm == 0.0 {
            bounds.lower = 0.0;
            bounds.upper = 0.0;
            break;
        }
        u = Mat::from_fn(n, 1, |i, _| w[(i, 0)] / norm);
    }
    bounds
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chainlens_model::FinalDemandLabel;

    /// Miller & Blair (2009), Table 2.3: the two-sector example economy.
    pub(crate) fn miller_blair_2x2() -> IoTable {
        let ind = |s: &str| Industry {
            region: "r".into(),
            sector: s.into(),
        };
        IoTable {
            name: "Miller-Blair 2.3".into(),
            unit: Some("$ million".into()),
            industries: vec![ind("agriculture"), ind("manufacturing")],
            z: Matrix::from_row_major(2, 2, vec![150., 500., 200., 100.]).unwrap(),
            final_demand_labels: vec![FinalDemandLabel {
                region: "r".into(),
                category: "final".into(),
            }],
            y: Matrix::from_row_major(2, 1, vec![350., 1700.]).unwrap(),
            value_added_labels: vec!["va".into()],
            v: Matrix::from_row_major(1, 2, vec![650., 1400.]).unwrap(),
            extensions: vec![],
            published_output: Some(vec![1000., 2000.]),
        }
    }

    #[test]
    fn textbook_leontief_inverse() {
        let s = System::new(&miller_blair_2x2()).unwrap();
        // A = [[0.15, 0.25], [0.20, 0.05]] (Miller & Blair eq. 2.12).
        let a = s.technical_coefficients();
        assert_eq!(a.as_row_major(), &[0.15, 0.25, 0.2, 0.05]);
        let l = s.leontief_inverse();
        // Published: L = [[1.254, 0.330], [0.264, 1.122]] (eq. 2.14, three decimals).
        let published = [[1.254, 0.330], [0.264, 1.122]];
        for i in 0..2 {
            for j in 0..2 {
                assert!((l[(i, j)] - published[i][j]).abs() < 5e-4, "{i},{j}");
            }
        }
        let (xs, r) = s.solve(&column(&s.y));
        assert!((xs[(0, 0)] - 1000.0).abs() < 1e-9 && (xs[(1, 0)] - 2000.0).abs() < 1e-9);
        assert!(r.relative < 1e-14);
        assert!(s.spectral_radius.upper < 1.0);
        assert!(s.warnings.is_empty());
    }

    #[test]
    fn names_zero_output_and_non_productive_sectors() {
        let mut t = miller_blair_2x2();
        t.published_output = Some(vec![1000., 0.]);
        let e = System::new(&t).err().unwrap();
        assert!(e.to_string().contains("r|manufacturing"), "{e}");

        let mut t = miller_blair_2x2();
        t.z = Matrix::from_row_major(2, 2, vec![900., 500., 200., 1900.]).unwrap();
        let e = System::new(&t).err().unwrap();
        assert!(matches!(e, LinkageError::NotProductive { .. }), "{e}");
        assert!(e.to_string().contains("r|manufacturing"), "{e}");
    }

    #[test]
    fn reports_negative_flows_and_large_column_sums() {
        let mut t = miller_blair_2x2();
        t.z = Matrix::from_row_major(2, 2, vec![150., -10., 900., 100.]).unwrap();
        let s = System::new(&t).unwrap();
        let kinds: Vec<_> = s
            .warnings
            .iter()
            .map(|w| (w.kind, w.sector.clone()))
            .collect();
        assert!(kinds.contains(&("negative_flow", Some("r|manufacturing".into()))));
        assert!(kinds.contains(&("column_sum_at_least_one", Some("r|agriculture".into()))));
    }
}
