//! Synthetic productive tables for benchmarks and scale tests.
//!
//! A deterministic generator (`chainlens_model::rng::SplitMix64`) fills Z with dense
//! nonnegative flows whose column sums are a chosen share of output: draw u_ij ∈ [0, 1)
//! with a few heavy entries per column, scale column j so that Σ_i a_ij = s_j with
//! s_j ∈ [0.3, 0.7], fix x_j ∈ [1, 101), set z_ij = a_ij·x_j and final demand
//! y_i = x_i − Σ_j z_ij (positive because row sums of A·diag(x) stay below x when
//! outputs are comparable; rows that would go negative get their x raised first). The table
//! is therefore productive (max column sum < 1) and balanced by construction.

use chainlens_model::rng::SplitMix64;
use chainlens_model::{FinalDemandLabel, Industry, IoTable, Matrix};

/// A balanced, productive n-sector table in `regions` equal regions (deterministic in `seed`).
pub fn synthetic_table(n: usize, regions: usize, seed: u64) -> IoTable {
    let mut rng = SplitMix64::new(seed);
    let regions = regions.clamp(1, n.max(1));
    let per = n.div_ceil(regions);
    let mut a = vec![0.0; n * n];
    for j in 0..n {
        let share = 0.3 + 0.4 * rng.uniform();
        let mut col = vec![0.0; n];
        let mut sum = 0.0;
        for (i, c) in col.iter_mut().enumerate() {
            let u = rng.uniform();
            // Heavier own-region and diagonal inputs, a long thin tail elsewhere.
            let weight = if i / per == j / per { 4.0 } else { 1.0 };
            *c = weight * u * u * u;
            sum += *c;
        }
        for (i, c) in col.iter().enumerate() {
            a[i * n + j] = share * c / sum;
        }
    }
    let mut x: Vec<f64> = (0..n).map(|_| 1.0 + 100.0 * rng.uniform()).collect();
    // Raise x until every final demand is positive: y = (I − A)x > 0.
    for _ in 0..100 {
        let mut ok = true;
        let ax: Vec<f64> = (0..n)
            .map(|i| (0..n).map(|j| a[i * n + j] * x[j]).sum())
            .collect();
        for i in 0..n {
            if x[i] - ax[i] < 0.05 * x[i] {
                x[i] = ax[i] * 1.2;
                ok = false;
            }
        }
        if ok {
            break;
        }
    }
    let mut z = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            z[i * n + j] = a[i * n + j] * x[j];
        }
    }
    let y: Vec<f64> = (0..n)
        .map(|i| x[i] - (0..n).map(|j| z[i * n + j]).sum::<f64>())
        .collect();
    let industries = (0..n)
        .map(|i| Industry {
            region: format!("r{}", i / per),
            sector: format!("s{}", i % per),
        })
        .collect();
    IoTable {
        name: format!("synthetic n={n}"),
        unit: None,
        industries,
        z: Matrix::from_row_major(n, n, z).expect("n × n"),
        final_demand_labels: vec![FinalDemandLabel {
            region: "r0".into(),
            category: "final demand".into(),
        }],
        y: Matrix::from_row_major(n, 1, y).expect("n × 1"),
        value_added_labels: Vec::new(),
        v: Matrix::zeros(0, n),
        extensions: Vec::new(),
        published_output: Some(x),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_tables_are_balanced_and_productive() {
        let t = synthetic_table(60, 3, 7);
        t.check().unwrap();
        assert!(t.balance().max_relative_gap < 1e-12);
        assert!(t.y.as_row_major().iter().all(|&y| y > 0.0));
        assert_eq!(t.regions().len(), 3);
        let s = crate::System::new(&t).unwrap();
        assert!(s.spectral_radius.upper < 1.0);
        assert_eq!(t, synthetic_table(60, 3, 7));
    }
}
