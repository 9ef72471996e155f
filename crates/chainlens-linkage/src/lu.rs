//! LU factors of a Leontief matrix K (I − A or its transpose), with the solves and the
//! inverse they give.
//!
//! P·K = L·U with L unit lower and U upper triangular, stored packed in one matrix.
//! The factorisation is chosen by the matrix:
//!
//! * K strictly diagonally dominant by rows or by columns — I − A of every table whose
//!   columns of A sum to less than one is dominant by columns, its transpose by rows:
//!   Gaussian elimination *without* pivoting. Every Schur complement stays dominant the
//!   same way and the growth factor is at most 2, so elimination without pivoting is
//!   backward stable (Wilkinson 1961; Higham 2002, *Accuracy and Stability of Numerical
//!   Algorithms*, Thm 9.9); on a column-dominant matrix partial pivoting would not
//!   interchange a single row. It is done recursively (Toledo 1997: factor the left half,
//!   a triangular solve for the top-right block, one matrix product for the Schur
//!   complement, recurse on it), so nearly all of its 2n³/3 flops are in large matrix
//!   products; with no row swaps to apply it runs close to the machine's matrix-multiply
//!   rate.
//! * Otherwise (a column of A summing to one or more, large negative flows): faer's LU
//!   with partial pivoting.
//!
//! Solves and the inverse are faer's for a given permutation (the identity for the
//! unpivoted case).

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::lu::partial_pivoting::{factor, inverse, solve};
use faer::linalg::matmul::matmul;
use faer::linalg::triangular_solve::solve_unit_lower_triangular_in_place;
use faer::perm::PermRef;
use faer::{Accum, Mat, MatMut, Par, get_global_parallelism};

/// Below this width a diagonal block is eliminated column by column.
const RECURSION_THRESHOLD: usize = 16;

/// P·M = L·U, packed: L strictly below the diagonal (unit diagonal implied), U on and
/// above it; `perm` is P as faer's forward and inverse index arrays.
pub struct LuFactors {
    packed: Mat<f64>,
    perm: Vec<usize>,
    perm_inv: Vec<usize>,
    pivoted: bool,
}

impl LuFactors {
    /// Factorises `m` in place, without pivoting when it is strictly diagonally dominant by
    /// rows or by columns and with partial pivoting otherwise.
    pub fn new(mut m: Mat<f64>) -> LuFactors {
        let n = m.nrows();
        assert_eq!(n, m.ncols(), "M is square");
        let par = get_global_parallelism();
        let identity: Vec<usize> = (0..n).collect();
        if diagonally_dominant(&m) {
            eliminate_without_pivoting(m.as_mut(), par);
            return LuFactors {
                packed: m,
                perm: identity.clone(),
                perm_inv: identity,
                pivoted: false,
            };
        }
        let mut perm = identity.clone();
        let mut perm_inv = identity;
        let params = Default::default();
        let mut buffer =
            MemBuffer::new(factor::lu_in_place_scratch::<usize, f64>(n, n, par, params));
        factor::lu_in_place(
            m.as_mut(),
            &mut perm,
            &mut perm_inv,
            par,
            MemStack::new(&mut buffer),
            params,
        );
        LuFactors {
            packed: m,
            perm,
            perm_inv,
            pivoted: true,
        }
    }

    /// Whether partial pivoting was used (the matrix was not diagonally dominant).
    pub fn pivoted(&self) -> bool {
        self.pivoted
    }

    /// The diagonal of U, the pivots.
    pub fn pivots(&self) -> impl Iterator<Item = f64> + '_ {
        (0..self.packed.nrows()).map(|k| self.packed[(k, k)])
    }

    fn perm(&self) -> PermRef<'_, usize> {
        PermRef::new_checked(&self.perm, &self.perm_inv, self.perm.len())
    }

    /// M⁻¹·B for every column of `rhs`.
    pub fn solve(&self, rhs: &Mat<f64>) -> Mat<f64> {
        self.solve_impl(rhs, false)
    }

    /// M⁻ᵀ·B for every column of `rhs`.
    pub fn solve_transpose(&self, rhs: &Mat<f64>) -> Mat<f64> {
        self.solve_impl(rhs, true)
    }

    fn solve_impl(&self, rhs: &Mat<f64>, transpose: bool) -> Mat<f64> {
        let n = self.packed.nrows();
        let par = get_global_parallelism();
        let mut out = rhs.clone();
        let lu = self.packed.as_ref();
        let scratch = if transpose {
            solve::solve_transpose_in_place_scratch::<usize, f64>(n, rhs.ncols(), par)
        } else {
            solve::solve_in_place_scratch::<usize, f64>(n, rhs.ncols(), par)
        };
        let mut buffer = MemBuffer::new(scratch);
        let stack = MemStack::new(&mut buffer);
        if transpose {
            solve::solve_transpose_in_place(lu, lu, self.perm(), out.as_mut(), par, stack);
        } else {
            solve::solve_in_place(lu, lu, self.perm(), out.as_mut(), par, stack);
        }
        out
    }

    /// M⁻¹, formed explicitly (U⁻¹·L⁻¹·P, O(n³)).
    pub fn inverse(&self) -> Mat<f64> {
        let n = self.packed.nrows();
        let par = get_global_parallelism();
        let mut out = Mat::<f64>::zeros(n, n);
        let mut buffer = MemBuffer::new(inverse::inverse_scratch::<usize, f64>(n, par));
        let lu = self.packed.as_ref();
        inverse::inverse(
            out.as_mut(),
            lu,
            lu,
            self.perm(),
            par,
            MemStack::new(&mut buffer),
        );
        out
    }
}

/// |m_jj| > Σ_{i≠j} |m_ij| for every column j, or |m_ii| > Σ_{j≠i} |m_ij| for every row i.
fn diagonally_dominant(m: &Mat<f64>) -> bool {
    let n = m.nrows();
    // Absolute sums of every row and column, diagonal included.
    let mut row_sums = vec![0.0; n];
    let mut col_sums = vec![0.0; n];
    for (j, col_sum) in col_sums.iter_mut().enumerate() {
        for (row_sum, v) in row_sums.iter_mut().zip(m.col(j).iter()) {
            *row_sum += v.abs();
            *col_sum += v.abs();
        }
    }
    let dominant = |sums: &[f64]| (0..n).all(|k| 2.0 * m[(k, k)].abs() > sums[k]);
    dominant(&col_sums) || dominant(&row_sums)
}

/// Recursive LU without pivoting, in place (Toledo 1997): with m = [M₀₀ M₀₁; M₁₀ M₁₁]
/// split at half the width, factor [M₀₀; M₁₀] (giving L₀₀, U₀₀ and L₁₀), solve
/// U₀₁ = L₀₀⁻¹·M₀₁, form the Schur complement M₁₁ − L₁₀·U₀₁ and factor it.
fn eliminate_without_pivoting(mut m: MatMut<'_, f64>, par: Par) {
    let n = m.ncols();
    if n <= RECURSION_THRESHOLD {
        for k in 0..n {
            let inv = m[(k, k)].recip();
            for i in k + 1..m.nrows() {
                m[(i, k)] *= inv;
            }
            let (_, top_right, bottom_left, bottom_right) = m.as_mut().split_at_mut(k + 1, k + 1);
            matmul(
                bottom_right,
                Accum::Add,
                bottom_left.col(k).as_mat(),
                top_right.row(k).as_mat(),
                -1.0,
                Par::Seq,
            );
        }
        return;
    }
    // Half the width, rounded up to a multiple of 16 for the matrix-product kernels.
    let half = n / 2;
    let half = half.next_multiple_of(16.min(half.next_power_of_two()));
    eliminate_without_pivoting(m.as_mut().get_mut(.., ..half), par);
    let (l00, mut m01, l10, m11) = m.as_mut().split_at_mut(half, half);
    solve_unit_lower_triangular_in_place(l00.as_ref(), m01.as_mut(), par);
    matmul(m11, Accum::Add, l10.as_ref(), m01.as_ref(), -1.0, par);
    let (_, _, _, schur) = m.as_mut().split_at_mut(half, half);
    eliminate_without_pivoting(schur, par);
}

#[cfg(test)]
mod tests {
    use super::*;
    use faer::linalg::solvers::{DenseSolveCore, Solve};

    /// I − A for a random nonnegative A with column sums in [0.3, 0.7] (diagonally
    /// dominant by columns) of size n, from a fixed xorshift stream.
    fn leontief_matrix(n: usize, seed: u64) -> Mat<f64> {
        let mut s = seed;
        let mut rnd = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut a = Mat::<f64>::from_fn(n, n, |_, _| rnd().powi(3));
        for j in 0..n {
            let scale = (0.3 + 0.4 * rnd()) / a.col(j).iter().sum::<f64>();
            a.col_mut(j).iter_mut().for_each(|v| *v *= scale);
        }
        Mat::<f64>::identity(n, n) - &a
    }

    /// Unpivoted elimination equals faer's partial pivoting (which, on these matrices,
    /// makes no interchange), across the recursion threshold and odd sizes.
    #[test]
    fn unpivoted_elimination_matches_partial_pivoting() {
        for n in [1, 2, 15, 16, 17, 63, 200, 333] {
            let m = leontief_matrix(n, 7 + n as u64);
            let f = LuFactors::new(m.clone());
            assert!(!f.pivoted());
            let reference = m.partial_piv_lu();
            let u = reference.U();
            let l = reference.L();
            for j in 0..n {
                for i in 0..n {
                    let expected = if i <= j { u[(i, j)] } else { l[(i, j)] };
                    assert!(
                        (f.packed[(i, j)] - expected).abs() < 1e-13,
                        "n={n} ({i},{j})"
                    );
                }
            }
            let b = Mat::<f64>::from_fn(n, 2, |i, k| (i + k) as f64 + 1.0);
            let s = f.solve(&b);
            let st = f.solve_transpose(&b);
            let rs = reference.solve(&b);
            let rst = reference.solve_transpose(&b);
            let inv = f.inverse();
            let rinv = reference.inverse();
            for i in 0..n {
                for k in 0..2 {
                    assert!((s[(i, k)] - rs[(i, k)]).abs() < 1e-12 * rs[(i, k)].abs());
                    assert!((st[(i, k)] - rst[(i, k)]).abs() < 1e-12 * rst[(i, k)].abs());
                }
                for j in 0..n {
                    assert!((inv[(i, j)] - rinv[(i, j)]).abs() < 1e-12);
                }
            }
        }
    }

    /// The transpose (dominant by rows, as System factorises it) is not pivoted either and
    /// solves like faer's partial pivoting.
    #[test]
    fn row_dominant_matrices_are_not_pivoted() {
        let m = leontief_matrix(150, 3).transpose().to_owned();
        let f = LuFactors::new(m.clone());
        assert!(!f.pivoted());
        let b = Mat::<f64>::from_fn(150, 1, |i, _| 1.0 + i as f64);
        let s = f.solve(&b);
        let reference = m.partial_piv_lu().solve(&b);
        for i in 0..150 {
            assert!((s[(i, 0)] - reference[(i, 0)]).abs() < 1e-12 * reference[(i, 0)].abs());
        }
    }

    /// A matrix dominant neither way goes through partial pivoting and still solves.
    #[test]
    fn pivots_when_not_dominant() {
        // Rows swapped: [[0.2, 1], [1, 0.3]] needs an interchange at the first step.
        let m = Mat::<f64>::from_fn(2, 2, |i, j| [[0.2, 1.0], [1.0, 0.3]][i][j]);
        let f = LuFactors::new(m.clone());
        assert!(f.pivoted());
        let b = Mat::<f64>::from_fn(2, 1, |i, _| [1.0, 2.0][i]);
        let s = f.solve(&b);
        // By hand: det = 0.06 − 1 = −0.94; s = [(0.3 − 2)/−0.94, (0.4 − 1)/−0.94].
        assert!((s[(0, 0)] - 1.7 / 0.94).abs() < 1e-15);
        assert!((s[(1, 0)] - 0.6 / 0.94).abs() < 1e-15);
        let st = f.solve_transpose(&b);
        // Mᵀ = [[0.2, 1], [1, 0.3]] as well (symmetric).
        assert!((st[(0, 0)] - s[(0, 0)]).abs() < 1e-15);
        let inv = f.inverse();
        assert!((inv[(0, 0)] - 0.3 / -0.94).abs() < 1e-15);
        assert!((inv[(0, 1)] - 1.0 / 0.94).abs() < 1e-15);
    }
}
