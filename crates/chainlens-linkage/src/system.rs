//! The Leontief system of a table, factorised once: coefficients, checks and solves.
//!
//! From an [`IoTable`] with flows Z, final demand Y and output x:
//! direct (technical) coefficients A = Z·diag(x)⁻¹, allocation coefficients
//! B = diag(x)⁻¹·Z (Ghosh 1958), primary inputs v = x − 1ᵀZ (so that xᵀ = vᵀ(I − B)⁻¹).
//! A is not stored: the system borrows the table's Z (row by row) and applies
//! A·s = Z·(diag(x)⁻¹·s) on demand, so that the only n × n matrix it allocates is the one
//! it factorises. That matrix is (I − A)ᵀ, because in faer's column-major storage it is
//! Z's rows scaled, one contiguous pass (a transposition would cost a fifth of the LU at n
//! in the thousands). It is factorised once by LU (2n³/3 flops; without pivoting when
//! I − A is diagonally dominant by columns, as for every table whose columns of A sum to
//! less than one, see [`crate::lu`]), and every later quantity is a solve (O(n²)) with
//! that factorisation, (I − A)·s = b being (I − A)ᵀ's transposed solve:
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
//! power iterates (O(n²) per iteration: about 10⁷ multiply-adds' worth, more while
//! productivity is undecided, at most 500; the lower bound needs A ≥ 0). A tiny LU pivot
//! names the singular sector. Every solve records its relative residual ‖M·s − b‖/‖b‖,
//! and the report the condition number κ₁(I − A) = ‖I − A‖₁·‖L‖₁ (Higham 2002, §7.2;
//! ‖L‖₁ is the largest output multiplier when A ≥ 0, since L ≥ 0 then).

use crate::error::{LinkageError, Result, Warning};
use crate::lu::LuFactors;
use chainlens_model::{Industry, IoTable, Matrix};
use faer::{Mat, MatRef};
use serde::Serialize;

/// A table turned into its coefficients and one LU factorisation of I − A; borrows the
/// table's flows.
pub struct System<'t> {
    pub industries: Vec<Industry>,
    /// Total output used for the coefficients.
    pub x: Vec<f64>,
    /// Final demand per industry, Y·1.
    pub y: Vec<f64>,
    /// Primary inputs per industry, x − 1ᵀZ (the Ghosh driver).
    pub v: Vec<f64>,
    /// Z, row-major (n × n).
    z: &'t [f64],
    /// 1/x, the column scaling of A = Z·diag(x)⁻¹.
    inv_x: Vec<f64>,
    /// LU factors of (I − A)ᵀ.
    lu_t: LuFactors,
    /// Column sums of A.
    pub a_col_sums: Vec<f64>,
    /// ‖I − A‖₁, the largest column sum of |I − A| (for the condition number).
    pub i_minus_a_norm1: f64,
    /// Whether A has a negative entry (then L may too).
    pub has_negative_flows: bool,
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

impl Residual {
    /// The largest of several columns' relative residuals.
    pub fn worst(columns: &[f64]) -> Residual {
        Residual {
            // A NaN column stays NaN.
            relative: columns
                .iter()
                .fold(0.0, |m, &r| if r > m || r.is_nan() { r } else { m }),
        }
    }
}

impl<'t> System<'t> {
    /// Checks the table, bounds the spectral radius of A and factorises I − A.
    pub fn new(table: &'t IoTable) -> Result<System<'t>> {
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
        let z = table.z.as_row_major();
        let inv_x: Vec<f64> = x.iter().map(|v| v.recip()).collect();
        let mut negatives = vec![0usize; n];
        let mut z_col_sums = vec![0.0; n];
        let mut abs_col_sums = vec![0.0; n];
        for row in z.chunks_exact(n) {
            for (j, &v) in row.iter().enumerate() {
                z_col_sums[j] += v;
                abs_col_sums[j] += v.abs();
                negatives[j] += usize::from(v < 0.0);
            }
        }
        let a_col_sums: Vec<f64> = z_col_sums.iter().zip(&inv_x).map(|(s, i)| s * i).collect();
        let abs_col_sums: Vec<f64> = abs_col_sums
            .iter()
            .zip(&inv_x)
            .map(|(s, i)| s * i)
            .collect();
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
        let has_negative_flows = negatives.iter().any(|&c| c > 0);
        let apply_abs = |u: &Mat<f64>| -> Mat<f64> {
            // |A| is A itself for the usual table without negative flows.
            let scaled = Mat::from_fn(n, 1, |i, _| u[(i, 0)] * inv_x[i]);
            if !has_negative_flows {
                MatRef::from_row_major_slice(z, n, n) * scaled
            } else {
                Mat::from_fn(n, 1, |i, _| {
                    let row = &z[i * n..(i + 1) * n];
                    row.iter()
                        .zip(scaled.col(0).iter())
                        .map(|(z, s)| z.abs() * s)
                        .sum()
                })
            }
        };
        let spectral_radius = spectral_bounds(&apply_abs, &abs_col_sums, !has_negative_flows);
        let i_minus_a_norm1 = (0..n)
            .map(|j| {
                let a_jj = z[j * n + j] * inv_x[j];
                abs_col_sums[j] - a_jj.abs() + (1.0 - a_jj).abs()
            })
            .fold(0.0f64, f64::max);
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
        let v: Vec<f64> = x.iter().zip(&z_col_sums).map(|(x, z)| x - z).collect();
        // (I − A)ᵀ in column-major storage: column i is δ_i − row i of Z scaled by 1/x.
        let ima_t = Mat::from_fn(n, n, |j, i| {
            f64::from(u8::from(i == j)) - z[i * n + j] * inv_x[j]
        });
        let lu_t = LuFactors::new(ima_t);
        // A zero pivot turns the later ones into inf/NaN: the first tiny or non-finite
        // pivot names the sector.
        let scale = lu_t
            .pivots()
            .filter(|p| p.is_finite())
            .map(f64::abs)
            .fold(0.0f64, f64::max);
        for (k, pivot) in lu_t.pivots().enumerate() {
            if !pivot.is_finite() || pivot.abs() <= scale * f64::EPSILON * n as f64 {
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
            z,
            inv_x,
            lu_t,
            a_col_sums,
            i_minus_a_norm1,
            has_negative_flows,
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

    /// Whether the factorisation needed partial pivoting (I − A not diagonally dominant).
    pub fn pivoted(&self) -> bool {
        self.lu_t.pivoted()
    }

    /// The technical coefficient a_ij = z_ij / x_j.
    pub fn coefficient(&self, i: usize, j: usize) -> f64 {
        self.z[i * self.len() + j] * self.inv_x[j]
    }

    /// A·S = Z·(diag(x)⁻¹·S), without forming A.
    pub fn a_times(&self, s: MatRef<f64>) -> Mat<f64> {
        let n = self.len();
        let scaled = Mat::from_fn(n, s.ncols(), |i, c| s[(i, c)] * self.inv_x[i]);
        MatRef::from_row_major_slice(self.z, n, n) * scaled
    }

    /// Aᵀ·S = diag(x)⁻¹·(Zᵀ·S), without forming A.
    pub fn a_transpose_times(&self, s: MatRef<f64>) -> Mat<f64> {
        let n = self.len();
        let mut out = MatRef::from_row_major_slice(self.z, n, n).transpose() * s;
        for c in 0..out.ncols() {
            for (v, inv) in out.col_mut(c).iter_mut().zip(&self.inv_x) {
                *v *= inv;
            }
        }
        out
    }

    /// A formed, column-major (n² memory): for the network and structural paths.
    pub fn a(&self) -> Mat<f64> {
        let n = self.len();
        Mat::from_fn(n, n, |i, j| self.coefficient(i, j))
    }

    /// Solves (I − A)·S = RHS for every column of `rhs` (n × k); the residual is the
    /// largest of the columns'.
    pub fn solve(&self, rhs: &Mat<f64>) -> (Mat<f64>, Residual) {
        let (s, r) = self.solve_columns(rhs, false);
        (s, Residual::worst(&r))
    }

    /// Solves (I − A)ᵀ·S = RHS for every column of `rhs` (n × k).
    pub fn solve_transpose(&self, rhs: &Mat<f64>) -> (Mat<f64>, Residual) {
        let (s, r) = self.solve_columns(rhs, true);
        (s, Residual::worst(&r))
    }

    /// Solves M·S = RHS with M = I − A or (`transpose`) its transpose, with the relative
    /// residual of every column ([`System::relative_residuals`]).
    pub fn solve_columns(&self, rhs: &Mat<f64>, transpose: bool) -> (Mat<f64>, Vec<f64>) {
        // The factors are of (I − A)ᵀ: the plain system is their transposed solve.
        let s = if transpose {
            self.lu_t.solve(rhs)
        } else {
            self.lu_t.solve_transpose(rhs)
        };
        let residuals = self.relative_residuals(s.as_ref(), rhs.as_ref(), transpose);
        (s, residuals)
    }

    /// ‖M·s − b‖/‖b‖ (‖M·s‖ for b = 0) of every column s of `s` against the same column of
    /// `rhs`, with M = I − A or (`transpose`) its transpose.
    pub fn relative_residuals(
        &self,
        s: MatRef<f64>,
        rhs: MatRef<f64>,
        transpose: bool,
    ) -> Vec<f64> {
        let a_s = if transpose {
            self.a_transpose_times(s)
        } else {
            self.a_times(s)
        };
        (0..s.ncols())
            .map(|c| {
                let (mut num, mut den) = (0.0, 0.0);
                for i in 0..s.nrows() {
                    let r = s[(i, c)] - a_s[(i, c)] - rhs[(i, c)];
                    num += r * r;
                    den += rhs[(i, c)] * rhs[(i, c)];
                }
                if den > 0.0 {
                    (num / den).sqrt()
                } else {
                    num.sqrt()
                }
            })
            .collect()
    }

    /// The Leontief inverse L = (I − A)⁻¹, formed explicitly (O(n³)).
    pub fn leontief_inverse(&self) -> Mat<f64> {
        self.lu_t.inverse().transpose().to_owned()
    }

    /// A as a model matrix.
    pub fn technical_coefficients(&self) -> Matrix {
        let n = self.len();
        let data = self
            .z
            .iter()
            .enumerate()
            .map(|(k, z)| z * self.inv_x[k % n])
            .collect();
        Matrix::from_row_major(n, n, data).expect("length is n × n")
    }

    /// B = diag(x)⁻¹·Z.
    pub fn allocation_coefficients(&self) -> Matrix {
        let n = self.len();
        let b = Mat::from_fn(n, n, |i, j| self.coefficient(i, j) * self.x[j] / self.x[i]);
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

/// Collatz–Wielandt bounds on ρ(A) by power iteration from u = 1 on |A| (applied by
/// `apply_abs`, with column sums `abs_col_sums`). The upper bound holds for ρ(|A|) ≥ ρ(A);
/// the lower bound only bounds ρ(A) when A = |A|, so with negative flows there is none.
fn spectral_bounds(
    apply_abs: &dyn Fn(&Mat<f64>) -> Mat<f64>,
    abs_col_sums: &[f64],
    nonnegative: bool,
) -> SpectralBounds {
    // ρ(A) ≤ ‖A‖₁ = max column sum of |A|. Power iteration tightens the bounds for about
    // 10⁷ multiply-adds (100 iterations at n = 300, 3 at n = 2,000 and above) and runs on,
    // up to 500 iterations, while it has not decided productivity.
    let n = abs_col_sums.len();
    let norm1 = abs_col_sums.iter().copied().fold(0.0f64, f64::max);
    let budget = ((1e7 / (n * n) as f64) as usize).clamp(3, 100);
    let pb = power_bounds(apply_abs, n, budget, if norm1 < 1.0 { budget } else { 500 });
    SpectralBounds {
        lower: if nonnegative { pb.lower } else { 0.0 },
        upper: norm1.min(pb.upper),
    }
}

/// At least `budget` iterations unless the bounds agree to six digits, at most
/// `max_iterations`; past the budget only until productivity is decided (upper < 1 or
/// lower ≥ 1).
fn power_bounds(
    apply_abs: &dyn Fn(&Mat<f64>) -> Mat<f64>,
    n: usize,
    budget: usize,
    max_iterations: usize,
) -> SpectralBounds {
    // min_i (Au)_i/u_i over the i with u_i > 0, for a u ≥ 0.
    let lowest_ratio = |u: &Mat<f64>, w: &Mat<f64>| {
        (0..n)
            .filter(|&i| u[(i, 0)] > 0.0)
            .map(|i| w[(i, 0)] / u[(i, 0)])
            .fold(f64::INFINITY, f64::min)
    };
    let mut u = Mat::<f64>::from_fn(n, 1, |_, _| 1.0);
    let mut bounds = SpectralBounds {
        lower: 0.0,
        upper: f64::INFINITY,
    };
    let mut last = None;
    for iteration in 1..=max_iterations {
        let w = apply_abs(&u);
        let mut hi = 0.0f64;
        for i in 0..n {
            if u[(i, 0)] > 0.0 {
                hi = hi.max(w[(i, 0)] / u[(i, 0)]);
            } else if w[(i, 0)] > 0.0 {
                hi = f64::INFINITY;
            }
        }
        let lo = lowest_ratio(&u, &w);
        if lo.is_finite() {
            bounds.lower = bounds.lower.max(lo);
        }
        bounds.upper = bounds.upper.min(hi);
        let norm = w.col(0).iter().fold(0.0f64, |m, v| m.max(*v));
        if norm == 0.0 {
            return SpectralBounds {
                lower: 0.0,
                upper: 0.0,
            };
        }
        let next = Mat::from_fn(n, 1, |i, _| w[(i, 0)] / norm);
        last = Some((u, w, hi));
        let decided = bounds.upper < 1.0 || bounds.lower >= 1.0;
        if (decided && iteration >= budget) || bounds.upper - bounds.lower < 1e-6 * bounds.upper {
            break;
        }
        u = next;
    }
    // A sector that sells (almost) nothing to the others holds the lowest ratio near zero
    // although ρ comes from the rest (a reducible A). The bound holds for any u ≥ 0, u ≠ 0
    // (Collatz–Wielandt), so keep in u only the sectors whose ratio is near the top and
    // take the lowest ratio again: one product each, tried only when the gap is wide.
    if let Some((u, w, hi)) = last
        && bounds.lower < 0.9 * bounds.upper
    {
        for share in [0.5, 0.9] {
            let kept = Mat::from_fn(n, 1, |i, _| {
                let ui = u[(i, 0)];
                if ui > 0.0 && w[(i, 0)] / ui >= share * hi {
                    ui
                } else {
                    0.0
                }
            });
            let lo = lowest_ratio(&kept, &apply_abs(&kept));
            if lo.is_finite() {
                bounds.lower = bounds.lower.max(lo);
            }
        }
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
        let table = miller_blair_2x2();
        let s = System::new(&table).unwrap();
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

    /// A productive table whose I − A is dominant neither by rows nor by columns goes
    /// through partial pivoting. A = [[0.1, 0.9], [0.6, 0.1]] (ρ = 0.1 + √0.54 ≈ 0.835),
    /// L = [[0.9, 0.9], [0.6, 0.9]] / 0.27 by the 2 × 2 inverse formula.
    #[test]
    fn pivots_when_i_minus_a_is_not_dominant() {
        let mut table = miller_blair_2x2();
        table.z = Matrix::from_row_major(2, 2, vec![10., 90., 60., 10.]).unwrap();
        table.y = Matrix::from_row_major(2, 1, vec![0., 30.]).unwrap();
        table.published_output = Some(vec![100., 100.]);
        let s = System::new(&table).unwrap();
        assert!(s.pivoted());
        let l = s.leontief_inverse();
        let expected = [[10. / 3., 10. / 3.], [20. / 9., 10. / 3.]];
        for i in 0..2 {
            for j in 0..2 {
                assert!((l[(i, j)] - expected[i][j]).abs() < 1e-14, "{i},{j}");
            }
        }
        let (xs, r) = s.solve(&column(&s.y));
        assert!((xs[(0, 0)] - 100.0).abs() < 1e-12 && (xs[(1, 0)] - 100.0).abs() < 1e-12);
        assert!(r.relative < 1e-15);
        let (m, _) = s.solve_transpose(&column(&[1.0, 1.0]));
        // Column sums of L: 50/9 and 20/3.
        assert!((m[(0, 0)] - 50. / 9.).abs() < 1e-14 && (m[(1, 0)] - 20. / 3.).abs() < 1e-14);
        assert!(s.spectral_radius.lower <= 0.835 && s.spectral_radius.upper >= 0.834);
    }

    /// A = [[0, 2], [0.5, 0]] has ρ = 1 (eigenvalues ±1), so I − A is singular, but
    /// power iteration cannot prove it (the iterates alternate: bounds [0.5, 2]); the LU
    /// finds the zero pivot and names its sector.
    #[test]
    fn names_the_sector_of_a_zero_pivot() {
        let mut table = miller_blair_2x2();
        table.z = Matrix::from_row_major(2, 2, vec![0., 2., 0.5, 0.]).unwrap();
        table.y = Matrix::from_row_major(2, 1, vec![-1., 0.5]).unwrap();
        table.published_output = Some(vec![1., 1.]);
        let e = System::new(&table).err().unwrap();
        assert!(
            matches!(e, LinkageError::Singular { pivot, .. } if pivot == 0.0),
            "{e}"
        );
        assert!(e.to_string().contains("r|manufacturing"), "{e}");
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
        // Collatz–Wielandt's lower bound is for |A|: with a negative flow there is none.
        assert_eq!(s.spectral_radius.lower, 0.0);
        assert!(s.has_negative_flows);
    }

    /// A = [[0.5, 0.2], [0, 0]]: agriculture sells to itself and manufacturing, which
    /// sells nothing, so ρ = 0.5 while min_i (A·1)_i = 0. Keeping only the sectors with the
    /// larger ratios in u gives the lower bound 0.5 exactly.
    #[test]
    fn the_lower_bound_sees_past_a_sector_that_sells_nothing() {
        let mut table = miller_blair_2x2();
        table.z = Matrix::from_row_major(2, 2, vec![0.5, 0.2, 0., 0.]).unwrap();
        table.y = Matrix::from_row_major(2, 1, vec![0.3, 1.]).unwrap();
        table.published_output = Some(vec![1., 1.]);
        let s = System::new(&table).unwrap();
        assert_eq!(s.spectral_radius.lower, 0.5);
        assert!(s.spectral_radius.upper >= 0.5 && s.spectral_radius.upper < 1.0);
    }
}
