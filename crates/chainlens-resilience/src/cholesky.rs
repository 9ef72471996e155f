//! Cholesky factorisation A = L·Lᵀ of a small symmetric positive-definite matrix (a
//! correlation matrix for [`crate::validation`], XᵀX for [`crate::regression`]): its log
//! determinant, inverse and solves.
//!
//! Column-by-column (Cholesky–Banachiewicz) in O(k³/3) flops; k is the number of
//! indicators or regressors (tens), so no blocking and no linear-algebra crate. A pivot
//! d_j = a_jj − Σ_{m<j} l_jm² that is not above 1e-12·a_jj (or not finite) means column j is
//! a linear combination of the columns before it (to working precision): the
//! factorisation stops there and reports j, for the caller to name the variable.

/// The lower-triangular factor L of A = L·Lᵀ, row-major k × k.
#[derive(Debug, Clone, PartialEq)]
pub struct Cholesky {
    k: usize,
    l: Vec<f64>,
}

impl Cholesky {
    /// Factorises the symmetric matrix `a` (rows; only the lower triangle is read).
    /// `Err(j)`: column j is (numerically) dependent on columns 0…j−1.
    pub fn new(a: &[Vec<f64>]) -> Result<Cholesky, usize> {
        let k = a.len();
        let mut l = vec![0.0; k * k];
        for i in 0..k {
            for j in 0..=i {
                let s: f64 = (0..j).map(|m| l[i * k + m] * l[j * k + m]).sum();
                if i == j {
                    let d = a[i][i] - s;
                    if d.is_nan() || d <= 1e-12 * a[i][i].abs() || !d.is_finite() {
                        return Err(i);
                    }
                    l[i * k + i] = d.sqrt();
                } else {
                    l[i * k + j] = (a[i][j] - s) / l[j * k + j];
                }
            }
        }
        Ok(Cholesky { k, l })
    }

    /// ln det A = 2 Σ ln l_jj.
    pub fn ln_det(&self) -> f64 {
        2.0 * (0..self.k)
            .map(|j| self.l[j * self.k + j].ln())
            .sum::<f64>()
    }

    /// x with A·x = b (forward then back substitution).
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let k = self.k;
        let mut y = b.to_vec();
        for i in 0..k {
            let s: f64 = (0..i).map(|m| self.l[i * k + m] * y[m]).sum();
            y[i] = (y[i] - s) / self.l[i * k + i];
        }
        for i in (0..k).rev() {
            let s: f64 = (i + 1..k).map(|m| self.l[m * k + i] * y[m]).sum();
            y[i] = (y[i] - s) / self.l[i * k + i];
        }
        y
    }

    /// A⁻¹, column by column.
    pub fn inverse(&self) -> Vec<Vec<f64>> {
        let k = self.k;
        let mut inv = vec![vec![0.0; k]; k];
        let mut e = vec![0.0; k];
        for j in 0..k {
            e[j] = 1.0;
            for (i, x) in self.solve(&e).into_iter().enumerate() {
                inv[i][j] = x;
            }
            e[j] = 0.0;
        }
        inv
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_matrix() {
        // A = L Lᵀ with L = [[2,0,0],[1,3,0],[-1,2,1]].
        let a = vec![
            vec![4.0, 2.0, -2.0],
            vec![2.0, 10.0, 5.0],
            vec![-2.0, 5.0, 6.0],
        ];
        let c = Cholesky::new(&a).unwrap();
        assert!((c.ln_det() - 36f64.ln()).abs() < 1e-14);
        let inv = c.inverse();
        for (i, row) in a.iter().enumerate() {
            for j in 0..3 {
                let p: f64 = row.iter().zip(&inv).map(|(x, r)| x * r[j]).sum();
                assert!((p - f64::from(u8::from(i == j))).abs() < 1e-14, "{i},{j}");
            }
        }
        let dependent = vec![
            vec![1.0, 2.0, 3.0],
            vec![2.0, 4.0, 6.0],
            vec![3.0, 6.0, 10.0],
        ];
        assert_eq!(Cholesky::new(&dependent), Err(1));
    }
}
