//! Multipliers and Rasmussen–Hirschman linkages from two solves.
//!
//! * Output multiplier (type I) of j: m_j = Σ_i l_ij, the column sums of L = (I − A)⁻¹,
//!   from one transposed solve (I − A)ᵀ·m = 1.
//! * Value-added and extension multipliers: kᵀ·L with coefficient row k_j = f_j / x_j
//!   (pymrio's M = S·L), one transposed solve per row (all in one multi-column solve).
//! * Backward linkage (power of dispersion, Rasmussen 1956; Hirschman 1958):
//!   BL_j = n·Σ_i l_ij / Σ_ij l_ij.
//! * Forward linkage (sensitivity of dispersion): by default from the Ghosh inverse
//!   G = (I − B)⁻¹ = diag(x)⁻¹·L·diag(x) (Beyers 1976; Jones 1976; Miller & Blair 2009
//!   §12.2): FL_i = n·Σ_j g_ij / Σ_ij g_ij with G·1 = diag(x)⁻¹·(L·x), one solve; or, in
//!   the older convention many published tables use, from the row sums of L (one solve of
//!   (I − A)·r = 1).
//! * Key-sector classes: key (BL > 1 and FL > 1), backward-oriented (BL > 1 only),
//!   forward-oriented (FL > 1 only), weak (neither).
//! * Coefficients of variation (Hirschman 1958): V_j = s_j / l̄_j with l̄_j the mean and s_j
//!   the sample standard deviation (n − 1) of column j of L (backward) or row i of G or L
//!   (forward). A low V means the sector draws evenly on (or supplies evenly to) the whole
//!   economy. These need every entry of L, so they are computed only when L is formed.
//!
//! Cost: one LU (2n³/3 flops, in [`crate::System`]) and a few solved columns, O(n²)
//! each, asked of a [`Batch`] that the report shares among its analyses; the inverse is
//! formed (2n³ more flops) only for variations, extraction or matrix output.

use crate::solves::{Batch, Plain, Solved, Transposed};
use crate::system::{Residual, System};
pub use chainlens_model::SectorClass;
use faer::Mat;
use serde::{Deserialize, Serialize};

/// Which inverse the forward linkage reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForwardConvention {
    /// Row sums of the Ghosh inverse G (supply-side model); the default.
    #[default]
    Ghosh,
    /// Row sums of the Leontief inverse L.
    Leontief,
}

/// Multipliers and linkage indices of every industry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Linkages {
    pub forward_convention: ForwardConvention,
    /// Column sums of L.
    pub output_multiplier: Vec<f64>,
    /// Row sums of L (r = L·1).
    pub leontief_row_sums: Vec<f64>,
    /// Row sums of G (G·1).
    pub ghosh_row_sums: Vec<f64>,
    pub backward: Vec<f64>,
    pub forward: Vec<f64>,
    pub class: Vec<SectorClass>,
    /// ‖(I−A)ᵀm − 1‖/‖1‖ and the residual of the forward solve.
    pub residual_column_sums: f64,
    pub residual_row_sums: f64,
    pub residual_ghosh: f64,
}

/// Multipliers, BL, FL and classes from the factorised system: three solved columns, no
/// inverse.
pub fn linkages(system: &System, forward: ForwardConvention) -> Linkages {
    let mut batch = Batch::default();
    let asked = LinkageColumns::ask(system, &mut batch);
    asked.linkages(system, &batch.solve(system), forward)
}

/// The columns [`linkages`] needs, asked of a [`Batch`] shared with other analyses.
pub struct LinkageColumns {
    /// (I − A)ᵀ·m = 1.
    column_sums: Transposed,
    /// (I − A)·r = 1.
    row_sums: Plain,
    /// (I − A)·w = x.
    l_times_x: Plain,
}

impl LinkageColumns {
    pub fn ask(system: &System, batch: &mut Batch) -> LinkageColumns {
        let ones = vec![1.0; system.len()];
        LinkageColumns {
            column_sums: batch.transposed(ones.clone()),
            row_sums: batch.plain(ones),
            l_times_x: batch.plain(system.x.clone()),
        }
    }

    pub fn linkages(
        &self,
        system: &System,
        solved: &Solved,
        forward: ForwardConvention,
    ) -> Linkages {
        let (m, res_m) = solved.transposed(self.column_sums);
        let (r, res_r) = solved.plain(self.row_sums);
        let (w, res_w) = solved.plain(self.l_times_x);
        let output_multiplier = m.to_vec();
        let leontief_row_sums = r.to_vec();
        let ghosh_row_sums: Vec<f64> = w.iter().zip(&system.x).map(|(w, x)| w / x).collect();
        let backward = dispersion(&output_multiplier);
        let forward_sums = match forward {
            ForwardConvention::Ghosh => &ghosh_row_sums,
            ForwardConvention::Leontief => &leontief_row_sums,
        };
        let forward_index = dispersion(forward_sums);
        let class = backward
            .iter()
            .zip(&forward_index)
            .map(|(&b, &f)| SectorClass::of(b, f))
            .collect();
        Linkages {
            forward_convention: forward,
            output_multiplier,
            leontief_row_sums,
            ghosh_row_sums,
            backward,
            forward: forward_index,
            class,
            residual_column_sums: res_m,
            residual_row_sums: res_r,
            residual_ghosh: res_w,
        }
    }
}

/// n·s_j / Σ s: the Rasmussen normalisation (mean 1 over sectors).
pub fn dispersion(sums: &[f64]) -> Vec<f64> {
    let n = sums.len() as f64;
    let total: f64 = sums.iter().sum();
    sums.iter().map(|s| n * s / total).collect()
}

/// Coefficient-row multipliers kᵀ·L (each `rows[r]` holds f_j, divided by x here):
/// value-added and extension multipliers, one transposed column each, asked of `batch`.
pub fn ask_row_multipliers(
    system: &System,
    rows: &[Vec<f64>],
    batch: &mut Batch,
) -> Vec<Transposed> {
    rows.iter()
        .map(|f| batch.transposed(f.iter().zip(&system.x).map(|(f, x)| f / x).collect()))
        .collect()
}

/// The multipliers asked by [`ask_row_multipliers`] and the largest of their residuals.
pub fn row_multipliers(asked: &[Transposed], solved: &Solved) -> (Vec<Vec<f64>>, f64) {
    let mut worst = Vec::with_capacity(asked.len());
    let multipliers = asked
        .iter()
        .map(|&c| {
            let (m, res) = solved.transposed(c);
            worst.push(res);
            m.to_vec()
        })
        .collect();
    (multipliers, Residual::worst(&worst).relative)
}

/// Hirschman's coefficients of variation of the columns of L (backward) and of the rows of
/// G or L (forward), from a formed L.
pub fn variation(l: &Mat<f64>, x: &[f64], forward: ForwardConvention) -> (Vec<f64>, Vec<f64>) {
    let n = x.len();
    let nf = n as f64;
    let cv = |sum: f64, sum_sq: f64| {
        let mean = sum / nf;
        let var = ((sum_sq - nf * mean * mean) / (nf - 1.0)).max(0.0);
        if n < 2 { 0.0 } else { var.sqrt() / mean }
    };
    let mut backward = Vec::with_capacity(n);
    for j in 0..n {
        let col = l.col(j);
        let (s, q) = col.iter().fold((0.0, 0.0), |(s, q), v| (s + v, q + v * v));
        backward.push(cv(s, q));
    }
    let mut rs = vec![0.0; n];
    let mut rq = vec![0.0; n];
    for j in 0..n {
        for i in 0..n {
            let v = match forward {
                ForwardConvention::Ghosh => l[(i, j)] * x[j] / x[i],
                ForwardConvention::Leontief => l[(i, j)],
            };
            rs[i] += v;
            rq[i] += v * v;
        }
    }
    let forward = rs.iter().zip(&rq).map(|(&s, &q)| cv(s, q)).collect();
    (backward, forward)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::system::ghosh_from_leontief;
    use crate::system::tests::miller_blair_2x2;

    #[test]
    fn two_solves_match_the_formed_inverses() {
        let table = miller_blair_2x2();
        let s = System::new(&table).unwrap();
        let l = s.leontief_inverse();
        let g = ghosh_from_leontief(&l, &s.x);
        let k = linkages(&s, ForwardConvention::Ghosh);
        for j in 0..2 {
            let cs: f64 = l.col(j).iter().sum();
            assert!((k.output_multiplier[j] - cs).abs() < 1e-12);
            let rs: f64 = (0..2).map(|c| l[(j, c)]).sum();
            assert!((k.leontief_row_sums[j] - rs).abs() < 1e-12);
            let gs: f64 = (0..2).map(|c| g[(j, c)]).sum();
            assert!((k.ghosh_row_sums[j] - gs).abs() < 1e-12);
        }
        // Published output multipliers (Miller & Blair §6.2.1): 1.518 and 1.452.
        assert!((k.output_multiplier[0] - 1.518).abs() < 5e-4);
        assert!((k.output_multiplier[1] - 1.452).abs() < 5e-4);
        let mean: f64 = k.backward.iter().sum::<f64>() / 2.0;
        assert!((mean - 1.0).abs() < 1e-12);
        assert!(k.residual_column_sums < 1e-14 && k.residual_row_sums < 1e-14);
    }

    #[test]
    fn classes_follow_the_quadrants() {
        assert_eq!(SectorClass::of(1.2, 1.1), SectorClass::Key);
        assert_eq!(SectorClass::of(1.2, 0.9), SectorClass::Backward);
        assert_eq!(SectorClass::of(0.8, 1.1), SectorClass::Forward);
        assert_eq!(SectorClass::of(1.0, 1.0), SectorClass::Weak);
    }

    #[test]
    fn value_added_multipliers_sum_to_one_in_a_balanced_table() {
        // With every primary input counted, vᵀL = 1ᵀ (each unit of final demand is
        // fully paid to primary factors).
        let t = miller_blair_2x2();
        let s = System::new(&t).unwrap();
        let mut batch = Batch::default();
        let asked = ask_row_multipliers(&s, &[t.value_added()], &mut batch);
        let (m, res) = row_multipliers(&asked, &batch.solve(&s));
        assert!((m[0][0] - 1.0).abs() < 1e-12 && (m[0][1] - 1.0).abs() < 1e-12);
        assert!(res < 1e-14);
    }
}
