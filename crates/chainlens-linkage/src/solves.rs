//! Right-hand sides gathered from several analyses and solved together.
//!
//! A solve with the LU factors reads all n² of them however many columns it has, and so
//! does its residual product with Z: at n = 4,000 one column costs about 12 ms and ten
//! cost about 25 ms. So the report first asks each analysis for the right-hand sides it
//! needs ([`Batch::plain`] for (I − A)·s = b, [`Batch::transposed`] for (I − A)ᵀ·s = b),
//! solves them all in one plain and one transposed multi-column solve, and hands each
//! analysis its columns back ([`Solved`]), every column with its own relative residual
//! ‖M·s − b‖/‖b‖.

use crate::system::System;
use faer::Mat;

/// A column asked of the plain solve (I − A)·s = b.
#[derive(Debug, Clone, Copy)]
pub struct Plain(usize);

/// A column asked of the transposed solve (I − A)ᵀ·s = b.
#[derive(Debug, Clone, Copy)]
pub struct Transposed(usize);

/// Right-hand sides waiting to be solved.
#[derive(Debug, Default)]
pub struct Batch {
    plain: Vec<Vec<f64>>,
    transposed: Vec<Vec<f64>>,
}

impl Batch {
    /// Asks for (I − A)⁻¹·b.
    pub fn plain(&mut self, b: Vec<f64>) -> Plain {
        self.plain.push(b);
        Plain(self.plain.len() - 1)
    }

    /// Asks for (I − A)⁻ᵀ·b.
    pub fn transposed(&mut self, b: Vec<f64>) -> Transposed {
        self.transposed.push(b);
        Transposed(self.transposed.len() - 1)
    }

    /// Both solves, each over all its columns at once.
    pub fn solve(self, system: &System) -> Solved {
        let n = system.len();
        let side = |columns: &[Vec<f64>], transpose: bool| {
            if columns.is_empty() {
                return (Mat::zeros(n, 0), Vec::new());
            }
            let rhs = Mat::from_fn(n, columns.len(), |i, c| columns[c][i]);
            system.solve_columns(&rhs, transpose)
        };
        let (plain, plain_residuals) = side(&self.plain, false);
        let (transposed, transposed_residuals) = side(&self.transposed, true);
        Solved {
            plain,
            plain_residuals,
            transposed,
            transposed_residuals,
        }
    }
}

/// The solutions of a [`Batch`], by the handles it gave out.
pub struct Solved {
    plain: Mat<f64>,
    plain_residuals: Vec<f64>,
    transposed: Mat<f64>,
    transposed_residuals: Vec<f64>,
}

impl Solved {
    /// (I − A)⁻¹·b and its relative residual.
    pub fn plain(&self, c: Plain) -> (&[f64], f64) {
        (self.plain.col_as_slice(c.0), self.plain_residuals[c.0])
    }

    /// (I − A)⁻ᵀ·b and its relative residual.
    pub fn transposed(&self, c: Transposed) -> (&[f64], f64) {
        (
            self.transposed.col_as_slice(c.0),
            self.transposed_residuals[c.0],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::system::tests::miller_blair_2x2;

    /// Columns come back by their handles, each with its own residual, equal to the
    /// published figures of Miller & Blair's example (x = L·y = (1000, 2000); column sums
    /// of L 1.518 and 1.452).
    #[test]
    fn columns_come_back_by_handle_with_their_residuals() {
        let table = miller_blair_2x2();
        let system = System::new(&table).unwrap();
        let mut batch = Batch::default();
        let ones = batch.transposed(vec![1.0, 1.0]);
        let output = batch.plain(system.y.clone());
        let zero = batch.plain(vec![0.0, 0.0]);
        let solved = batch.solve(&system);
        let (x, residual) = solved.plain(output);
        assert!((x[0] - 1000.0).abs() < 1e-9 && (x[1] - 2000.0).abs() < 1e-9);
        assert!(residual < 1e-15);
        let (m, residual) = solved.transposed(ones);
        assert!((m[0] - 1.518).abs() < 5e-4 && (m[1] - 1.452).abs() < 5e-4);
        assert!(residual < 1e-15);
        assert_eq!(solved.plain(zero), (&[0.0, 0.0][..], 0.0));
    }
}
