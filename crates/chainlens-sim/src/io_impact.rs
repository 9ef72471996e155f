//! IO-level shock impacts and the inoperability input-output model.
//!
//! All solves go through `chainlens_linkage::System` (one LU factorisation of I − A).
//!
//! * **Demand-driven** (Leontief): Δx = L·Δy, L = (I − A)⁻¹ — a solve (I − A)·Δx = Δy.
//! * **Supply-driven** (Ghosh 1958): Δxᵀ = Δvᵀ·G, G = (I − B)⁻¹, B = diag(x)⁻¹·Z. Since
//!   I − B = diag(x)⁻¹(I − A)diag(x), Δx = x ∘ s with (I − A)ᵀ·s = Δv ⊘ x.
//! * **Static demand-reduction IIM** (Haimes & Jiang 2001; Santos & Haimes 2004):
//!   inoperability q = A*·q + c*, A* = diag(x)⁻¹·A·diag(x) (the interdependency matrix),
//!   c* = diag(x)⁻¹·Δy (demand perturbation); q = (I − A*)⁻¹c* = diag(x)⁻¹·L·Δy, and the
//!   economic loss is xᵀq = 1ᵀΔx.
//! * **Dynamic IIM** (Lian & Haimes 2006): q(t+1) = q(t) + K[A*q(t) + c*(t) − q(t)], with
//!   sector resilience k_i = ln(q_i(0)/q_i(T_i)) / (T_i (1 − a*_ii)), where sector i is
//!   back to q_i(T_i) = `residual_share`·q_i(0) after T_i days (its recovery time), and
//!   the loss Σ_t xᵀq(t)/365 (x yearly, steps in days).
//!
//! Cost: one O(n³) factorisation, then O(n²) per solve; the dynamic model O(n²) per day.

use crate::error::{Result, SimError};
use chainlens_linkage::System;
use chainlens_linkage::system::column;
use chainlens_model::IoTable;
use serde::Serialize;

fn system(table: &IoTable) -> Result<System<'_>> {
    System::new(table).map_err(|e| SimError::NotProductive(e.to_string()))
}

fn check_len(what: &'static str, v: &[f64], n: usize) -> Result<()> {
    if v.len() == n {
        Ok(())
    } else {
        Err(SimError::Event(format!(
            "{what} has {} values for {n} industries",
            v.len()
        )))
    }
}

/// Δx = L·Δy (table units).
pub fn demand_driven(table: &IoTable, delta_y: &[f64]) -> Result<Vec<f64>> {
    let sys = system(table)?;
    check_len("the final-demand change", delta_y, sys.len())?;
    let (s, _) = sys.solve(&column(delta_y));
    Ok((0..sys.len()).map(|i| s[(i, 0)]).collect())
}

/// Δxᵀ = Δvᵀ·G (table units).
pub fn supply_driven(table: &IoTable, delta_v: &[f64]) -> Result<Vec<f64>> {
    let sys = system(table)?;
    check_len("the primary-input change", delta_v, sys.len())?;
    let rhs: Vec<f64> = delta_v.iter().zip(&sys.x).map(|(v, x)| v / x).collect();
    let (s, _) = sys.solve_transpose(&column(&rhs));
    Ok((0..sys.len()).map(|i| sys.x[i] * s[(i, 0)]).collect())
}

#[derive(Debug, Clone, Serialize)]
pub struct Inoperability {
    /// q per industry (0 = fully operable, 1 = stopped).
    pub inoperability: Vec<f64>,
    /// Output lost, xᵀq (table units per year).
    pub economic_loss: f64,
}

/// Static demand-reduction IIM for a final-demand reduction `delta_y` (table units, ≥ 0
/// for a reduction).
pub fn static_iim(table: &IoTable, delta_y: &[f64]) -> Result<Inoperability> {
    let sys = system(table)?;
    check_len("the demand perturbation", delta_y, sys.len())?;
    let (s, _) = sys.solve(&column(delta_y));
    let q: Vec<f64> = (0..sys.len()).map(|i| s[(i, 0)] / sys.x[i]).collect();
    Ok(Inoperability {
        economic_loss: q.iter().zip(&sys.x).map(|(q, x)| q * x).sum(),
        inoperability: q,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct DynamicInoperability {
    /// q(t), day × industry.
    pub inoperability: Vec<Vec<f64>>,
    /// Σ_t xᵀq(t)/365 (table units).
    pub economic_loss: f64,
    /// k_i used.
    pub resilience: Vec<f64>,
}

/// Dynamic IIM from an initial inoperability `q0` with constant perturbation `c_star`
/// (share of output), sector recovery times `recovery_days` (T_i), over `days`.
pub fn dynamic_iim(
    table: &IoTable,
    q0: &[f64],
    c_star: &[f64],
    recovery_days: &[f64],
    residual_share: f64,
    days: usize,
) -> Result<DynamicInoperability> {
    table.check()?;
    let n = table.len();
    check_len("the initial inoperability", q0, n)?;
    check_len("the perturbation", c_star, n)?;
    check_len("the recovery times", recovery_days, n)?;
    if !(residual_share > 0.0 && residual_share < 1.0) {
        return Err(SimError::Parameter {
            name: "residual_share",
            value: residual_share,
            reason: "must be in (0, 1)",
        });
    }
    let x = table.total_output();
    if let Some(i) = x.iter().position(|&v| v <= 0.0) {
        return Err(SimError::NotProductive(format!(
            "`{}` has no output",
            table.industries[i].label()
        )));
    }
    // A* = diag(x)⁻¹ A diag(x): a*_ij = z_ij / x_i.
    let a_star: Vec<f64> = (0..n * n)
        .map(|ij| table.z.get(ij / n, ij % n) / x[ij / n])
        .collect();
    let mut k = Vec::with_capacity(n);
    for i in 0..n {
        let t = recovery_days[i];
        if !(t > 0.0 && t.is_finite()) {
            return Err(SimError::Parameter {
                name: "recovery_days",
                value: t,
                reason: "must be a positive number of days",
            });
        }
        let ki = (1.0 / residual_share).ln() / (t * (1.0 - a_star[i * n + i]));
        k.push(ki.min(1.0));
    }
    let mut q = q0.to_vec();
    let mut out = Vec::with_capacity(days);
    let mut loss = 0.0;
    for _ in 0..days {
        out.push(q.clone());
        loss += q.iter().zip(&x).map(|(q, x)| q * x).sum::<f64>() / 365.0;
        let next: Vec<f64> = (0..n)
            .map(|i| {
                let aq: f64 = (0..n).map(|j| a_star[i * n + j] * q[j]).sum();
                (q[i] + k[i] * (aq + c_star[i] - q[i])).clamp(0.0, 1.0)
            })
            .collect();
        q = next;
    }
    Ok(DynamicInoperability {
        inoperability: out,
        economic_loss: loss,
        resilience: k,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chainlens_model::{FinalDemandLabel, Industry, Matrix};

    /// Miller & Blair (2009), Table 2.3.
    fn table() -> IoTable {
        let ind = |s: &str| Industry {
            region: "r".into(),
            sector: s.into(),
        };
        IoTable {
            name: "mb".into(),
            unit: None,
            industries: vec![ind("agriculture"), ind("manufacturing")],
            z: Matrix::from_row_major(2, 2, vec![150., 500., 200., 100.]).unwrap(),
            final_demand_labels: vec![FinalDemandLabel {
                region: "r".into(),
                category: "final".into(),
            }],
            y: Matrix::from_row_major(2, 1, vec![350., 1700.]).unwrap(),
            value_added_labels: vec![],
            v: Matrix::zeros(0, 2),
            extensions: vec![],
            published_output: None,
        }
    }

    /// Gaussian elimination with partial pivoting: the independent reference.
    fn direct_solve(mut m: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
        let n = b.len();
        for c in 0..n {
            let p = (c..n)
                .max_by(|&i, &j| m[i][c].abs().total_cmp(&m[j][c].abs()))
                .unwrap();
            m.swap(c, p);
            b.swap(c, p);
            for r in c + 1..n {
                let f = m[r][c] / m[c][c];
                let pivot_row = m[c].clone();
                for (v, p) in m[r].iter_mut().zip(&pivot_row).skip(c) {
                    *v -= f * p;
                }
                b[r] -= f * b[c];
            }
        }
        let mut x = vec![0.0; n];
        for r in (0..n).rev() {
            let s: f64 = (r + 1..n).map(|k| m[r][k] * x[k]).sum();
            x[r] = (b[r] - s) / m[r][r];
        }
        x
    }

    #[test]
    fn static_iim_equals_a_direct_solve_of_i_minus_a_star() {
        let t = table();
        let dy = [35.0, 170.0];
        let iim = static_iim(&t, &dy).unwrap();
        let x = t.total_output();
        let m: Vec<Vec<f64>> = (0..2)
            .map(|i| {
                (0..2)
                    .map(|j| f64::from(u8::from(i == j)) - t.z.get(i, j) / x[i])
                    .collect()
            })
            .collect();
        let c: Vec<f64> = dy.iter().zip(&x).map(|(d, x)| d / x).collect();
        let q = direct_solve(m, c);
        for (a, b) in iim.inoperability.iter().zip(&q) {
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        }
        // A 10 % demand drop in both sectors makes each 10 % inoperable (x = L·y).
        assert!((iim.inoperability[0] - 0.1).abs() < 1e-12);
        assert!((iim.economic_loss - 300.0).abs() < 1e-9);
    }

    #[test]
    fn demand_and_supply_driven_by_hand() {
        let t = table();
        // L = (I − A)⁻¹ for A = [[.15, .25], [.2, .05]]: Δy = (1, 0) → first column of L.
        let dx = demand_driven(&t, &[1.0, 0.0]).unwrap();
        let det = 0.85 * 0.95 - 0.25 * 0.2;
        assert!((dx[0] - 0.95 / det).abs() < 1e-12);
        assert!((dx[1] - 0.2 / det).abs() < 1e-12);
        // Ghosh: Δxᵀ = Δvᵀ(I − B)⁻¹, B = diag(x)⁻¹Z = [[.15, .5], [.1, .05]].
        let sx = supply_driven(&t, &[1.0, 0.0]).unwrap();
        let detb = 0.85 * 0.95 - 0.5 * 0.1;
        assert!((sx[0] - 0.95 / detb).abs() < 1e-12);
        assert!((sx[1] - 0.5 / detb).abs() < 1e-12);
    }

    #[test]
    fn dynamic_iim_recovers_to_the_residual_share() {
        let t = table();
        let d = dynamic_iim(&t, &[0.5, 0.0], &[0.0, 0.0], &[30.0, 30.0], 0.01, 400).unwrap();
        assert_eq!(d.inoperability[0], vec![0.5, 0.0]);
        let last = d.inoperability.last().unwrap();
        assert!(last[0] < 1e-6 && last[1] < 1e-6, "{last:?}");
        assert!(d.inoperability[1][1] > 0.0);
        assert!(d.economic_loss > 0.0);
    }
}
