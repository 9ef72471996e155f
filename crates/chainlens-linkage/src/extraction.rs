//! Hypothetical extraction of every sector by low-rank updates of one inverse.
//!
//! Method (Dietzenbacher, van der Linden & Steenge 1993; Miller & Lahr 2001; Miller &
//! Blair 2009 §12.2.5): the linkage of sector j is the output the economy loses when j's
//! intermediate trade is removed, with final demand y (or primary inputs v) unchanged.
//! Convention used here: the n × n system is kept and the entries are set to zero, so
//! the extracted sector still serves its own final demand (x̄_j = y_j in the total case).
//!
//! * backward: column j of A removed, Ā = A − a_j e_jᵀ, loss 1ᵀ(L − L̄)y;
//! * forward (supply side): row j of B removed, B̄ = B − e_j b_jᵀ, loss (vᵀG − vᵀḠ)·1;
//! * total: row and column j of A removed, Ā = A − a_j e_jᵀ − e_j r_jᵀ (r_j = row j with
//!   r_jj = 0), loss 1ᵀ(L − L̄)y.
//!
//! Each removal is a rank-1 or rank-2 change of I − A (or I − B), so the
//! Sherman–Morrison–Woodbury identity gives L̄ from L; since A·L = L·A = L − I
//! (and B·G = G − I) every product it needs is an entry, row sum or column sum of L:
//!
//! * backward: L̄ = L − (l_·j − e_j)·l_j· / l_jj, loss_j = (Σ_i l_ij − 1)·x̂_j / l_jj;
//! * forward: Ḡ = G − g_·j·(g_j· − e_jᵀ) / g_jj with g_jj = l_jj and vᵀg_·j = x_j,
//!   loss_j = x_j·(Σ_k g_jk − 1) / l_jj;
//! * total: with U = [a_j, e_j], V = [e_j, r_j], K = I₂ + VᵀLU = [[l_jj, l_jj], [c, 1 + c]],
//!   c = l_jj − 1 − a_jj·l_jj, det K = l_jj, w = K⁻¹·[x̂_j, Σ_{k≠j} a_jk x̂_k]ᵀ,
//!   loss_j = (Σ_i l_ij − 1)·w₁ + (Σ_i l_ij)·w₂.
//!
//! Cost: one inverse (O(n³)) and O(n²) for all n sectors together, against n fresh
//! inversions (O(n⁴)) for brute force, which [`extract_brute_force`] implements for
//! checking on small tables.

use crate::system::{System, column};
use faer::Mat;
use faer::linalg::solvers::Solve;
use serde::Serialize;

/// Output lost when a sector's linkages are removed (in the table's unit).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Extraction {
    pub total: f64,
    pub backward: f64,
    pub forward: f64,
}

/// Extraction measures of all sectors from the formed Leontief inverse `l`.
pub fn extract_all(system: &System, l: &Mat<f64>) -> Vec<Extraction> {
    let n = system.len();
    let xh = l * column(&system.y);
    let xh: Vec<f64> = (0..n).map(|i| xh[(i, 0)]).collect();
    let col_sums: Vec<f64> = (0..n).map(|j| l.col(j).iter().sum()).collect();
    // L·x (for the Ghosh row sums) and A·x̂, both O(n²).
    let lx = l * column(&system.x);
    let axh = system.a_times(column(&xh).as_ref());
    (0..n)
        .map(|j| {
            let ljj = l[(j, j)];
            let ajj = system.coefficient(j, j);
            let backward = (col_sums[j] - 1.0) * xh[j] / ljj;
            let ghosh_row_sum = lx[(j, 0)] / system.x[j];
            let forward = system.x[j] * (ghosh_row_sum - 1.0) / ljj;
            let c = ljj - 1.0 - ajj * ljj;
            let s = axh[(j, 0)] - ajj * xh[j];
            let w1 = ((1.0 + c) * xh[j] - ljj * s) / ljj;
            let w2 = (-c * xh[j] + ljj * s) / ljj;
            let total = (col_sums[j] - 1.0) * w1 + col_sums[j] * w2;
            Extraction {
                total,
                backward,
                forward,
            }
        })
        .collect()
}

/// Brute force for one sector: zero the entries, factorise again, solve (O(n³)).
pub fn extract_brute_force(system: &System, j: usize) -> Extraction {
    let n = system.len();
    let x = &system.x;
    let base: f64 = {
        let (xh, _) = system.solve(&column(&system.y));
        xh.col(0).iter().sum()
    };
    let output_with = |keep: &dyn Fn(usize, usize) -> bool| -> f64 {
        let m = Mat::from_fn(n, n, |r, c| {
            let a = if keep(r, c) {
                system.coefficient(r, c)
            } else {
                0.0
            };
            if r == c { 1.0 - a } else { -a }
        });
        let xb = m.partial_piv_lu().solve(column(&system.y));
        xb.col(0).iter().sum()
    };
    let total = base - output_with(&|r, c| r != j && c != j);
    let backward = base - output_with(&|_, c| c != j);
    // Supply side: xᵀ = vᵀ(I − B)⁻¹, i.e. (I − B)ᵀ x = v.
    let b = |r: usize, c: usize| system.coefficient(r, c) * x[c] / x[r];
    let mt = Mat::from_fn(n, n, |r, c| {
        // (I − B̄)ᵀ[r, c] = δ_rc − b̄_cr, with row j of B removed.
        let bcr = if c == j { 0.0 } else { b(c, r) };
        if r == c { 1.0 - bcr } else { -bcr }
    });
    let xf = mt.partial_piv_lu().solve(column(&system.v));
    let forward = x.iter().sum::<f64>() - xf.col(0).iter().sum::<f64>();
    Extraction {
        total,
        backward,
        forward,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::system::tests::miller_blair_2x2;
    use chainlens_model::{FinalDemandLabel, Industry, IoTable, Matrix};

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    /// A dense 5-sector table with an unbalanced published output (x̂ ≠ x).
    fn five() -> IoTable {
        let n = 5;
        let mut z = Vec::new();
        for i in 0..n {
            for j in 0..n {
                z.push(((i * 7 + j * 3) % 11) as f64 * 10.0 + if i == j { 5.0 } else { 1.0 });
            }
        }
        let y: Vec<f64> = (0..n).map(|i| 300.0 + 40.0 * i as f64).collect();
        IoTable {
            name: "five".into(),
            unit: None,
            industries: (0..n)
                .map(|i| Industry {
                    region: if i < 3 { "a" } else { "b" }.into(),
                    sector: format!("s{i}"),
                })
                .collect(),
            z: Matrix::from_row_major(n, n, z).unwrap(),
            final_demand_labels: vec![FinalDemandLabel {
                region: "a".into(),
                category: "fd".into(),
            }],
            y: Matrix::from_row_major(n, 1, y).unwrap(),
            value_added_labels: vec![],
            v: Matrix::zeros(0, n),
            extensions: vec![],
            published_output: None,
        }
    }

    #[test]
    fn low_rank_updates_match_brute_force() {
        for table in [miller_blair_2x2(), five()] {
            let s = System::new(&table).unwrap();
            let l = s.leontief_inverse();
            let fast = extract_all(&s, &l);
            for (j, f) in fast.iter().enumerate() {
                let slow = extract_brute_force(&s, j);
                assert!(close(f.total, slow.total), "total {j}: {f:?} {slow:?}");
                assert!(
                    close(f.backward, slow.backward),
                    "backward {j}: {f:?} {slow:?}"
                );
                assert!(
                    close(f.forward, slow.forward),
                    "forward {j}: {f:?} {slow:?}"
                );
                assert!(f.total >= f.backward.max(f.forward) - 1e-9);
            }
        }
    }
}
