//! Multi-regional decomposition of multipliers and the region × region linkage matrices.
//!
//! Intra-regional, feedback and spillover effects (Miller 1966; Round 1985; Miller &
//! Blair 2009 §3.4): for sector j of region r, the output multiplier Σ_i l_ij splits into
//!
//! * intra: Σ_i [(I − A_rr)⁻¹]_ij — what region r would generate on its own;
//! * feedback: Σ_{i∈r} l_ij − intra — r's extra output because its purchases from other
//!   regions make them buy from r again (interregional feedback);
//! * spillover: Σ_{i∉r} l_ij — output generated in the other regions.
//!
//! Computed with R transposed solved columns (I − A)ᵀ·M = E (E the n × R region indicator
//! matrix; M_js = Σ_{i∈s} l_ij) plus one LU of each diagonal block I − A_rr: O(n³/3 + Σ n_r³/3 +
//! R·n²), never forming L.
//!
//! Region × region matrices: intermediate flows Σ_{i∈s, j∈r} z_ij; output of s induced by
//! the final demand of r, Σ_{i∈s} (L·Y_r·1)_i (one solved column per region); and the mean
//! multiplier of r's sectors in s.
//!
//! Regional structure of output: location quotient LQ_ir = (x_ir/x_r)/(x_i/x),
//! share of the national (all-region) output of the sector x_ir/x_i, Herfindahl index of a
//! sector across regions H_i = Σ_r (x_ir/x_i)². Sectors are matched across regions by name.

use crate::lu::LuFactors;
use crate::solves::{Batch, Plain, Solved, Transposed};
use crate::system::{Residual, System};
use chainlens_model::IoTable;
use faer::Mat;
use serde::Serialize;

/// Intra/feedback/spillover of one industry's output multiplier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Decomposition {
    pub intra: f64,
    pub feedback: f64,
    pub spillover: f64,
}

/// Region × region matrices, rows = region receiving the effect (supplier), columns =
/// region originating it (buyer or final demand).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionMatrices {
    pub regions: Vec<String>,
    pub flows: Vec<Vec<f64>>,
    pub induced_output: Vec<Vec<f64>>,
    pub multipliers: Vec<Vec<f64>>,
}

/// Location quotient and shares of each industry, Herfindahl of each sector.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionalStructure {
    pub location_quotient: Vec<f64>,
    pub regional_share: Vec<f64>,
    /// (sector, Herfindahl index across regions), in order of first appearance.
    pub herfindahl: Vec<(String, f64)>,
}

/// The index of every industry's region among `table.regions()`.
pub fn region_index(table: &IoTable) -> (Vec<String>, Vec<usize>) {
    let regions: Vec<String> = table.regions().into_iter().map(String::from).collect();
    let idx = table
        .industries
        .iter()
        .map(|ind| {
            regions
                .iter()
                .position(|r| *r == ind.region)
                .expect("listed")
        })
        .collect();
    (regions, idx)
}

/// Decomposition of every industry's output multiplier and the region matrices.
pub fn decompose(table: &IoTable, system: &System) -> (Vec<Decomposition>, RegionMatrices) {
    let mut batch = Batch::default();
    let asked = DecompositionColumns::ask(table, &mut batch);
    let (decomposition, matrices, _) = asked.decompose(table, system, &batch.solve(system));
    (decomposition, matrices)
}

/// The columns [`decompose`] needs, asked of a [`Batch`] shared with other analyses:
/// (I − A)ᵀ·M = E, one column per region, and (I − A)·S = Y_r, one per region's final
/// demand.
pub struct DecompositionColumns {
    regions: Vec<String>,
    /// The region of every industry, an index into `regions`.
    of: Vec<usize>,
    by_region: Vec<Transposed>,
    induced: Vec<Plain>,
}

impl DecompositionColumns {
    pub fn ask(table: &IoTable, batch: &mut Batch) -> DecompositionColumns {
        let (regions, of) = region_index(table);
        let n = of.len();
        let by_region = (0..regions.len())
            .map(|s| batch.transposed(of.iter().map(|&r| f64::from(u8::from(r == s))).collect()))
            .collect();
        let fd_region: Vec<Option<usize>> = table
            .final_demand_labels
            .iter()
            .map(|l| regions.iter().position(|r| *r == l.region))
            .collect();
        let mut yr = vec![vec![0.0; n]; regions.len()];
        for (i, y_row) in table
            .y
            .as_row_major()
            .chunks_exact(fd_region.len().max(1))
            .enumerate()
        {
            for (&y, reg) in y_row.iter().zip(&fd_region) {
                if let Some(r) = reg {
                    yr[*r][i] += y;
                }
            }
        }
        DecompositionColumns {
            regions,
            of,
            by_region,
            induced: yr.into_iter().map(|b| batch.plain(b)).collect(),
        }
    }

    /// The decomposition, the region matrices and the largest relative residual of the
    /// columns they were computed from.
    pub fn decompose(
        &self,
        table: &IoTable,
        system: &System,
        solved: &Solved,
    ) -> (Vec<Decomposition>, RegionMatrices, f64) {
        let mut residuals = Vec::new();
        let mut column = |(values, residual)| {
            residuals.push(residual);
            values
        };
        // m[s][j] = Σ_{i∈s} l_ij; induced[r][i] = (L·Y_r)_i.
        let m: Vec<&[f64]> = self
            .by_region
            .iter()
            .map(|&c| column(solved.transposed(c)))
            .collect();
        let induced: Vec<&[f64]> = self
            .induced
            .iter()
            .map(|&c| column(solved.plain(c)))
            .collect();
        let (decomposition, matrices) = assemble(self, table, system, &m, &induced);
        (
            decomposition,
            matrices,
            Residual::worst(&residuals).relative,
        )
    }
}

/// Intra/feedback/spillover of every industry and the region matrices from the solved
/// columns `m` (by region) and `induced` (by region's final demand).
fn assemble(
    asked: &DecompositionColumns,
    table: &IoTable,
    system: &System,
    m: &[&[f64]],
    induced: &[&[f64]],
) -> (Vec<Decomposition>, RegionMatrices) {
    let n = system.len();
    let (regions, of) = (asked.regions.clone(), &asked.of);
    let nr = regions.len();
    let mut intra = vec![0.0; n];
    for r in 0..nr {
        let members: Vec<usize> = (0..n).filter(|&i| of[i] == r).collect();
        let k = members.len();
        // (I − A_rr)ᵀ, filled along rows of A (contiguous in the system's storage); its
        // solve with 1 gives the column sums of (I − A_rr)⁻¹.
        let block_t = Mat::from_fn(k, k, |q, p| {
            let v = system.coefficient(members[p], members[q]);
            if p == q { 1.0 - v } else { -v }
        });
        let ones = Mat::from_fn(k, 1, |_, _| 1.0);
        let sol = LuFactors::new(block_t).solve(&ones);
        for (p, &i) in members.iter().enumerate() {
            intra[i] = sol[(p, 0)];
        }
    }
    let decomposition = (0..n)
        .map(|j| {
            let r = of[j];
            let own = m[r][j];
            let total: f64 = (0..nr).map(|s| m[s][j]).sum();
            Decomposition {
                intra: intra[j],
                feedback: own - intra[j],
                spillover: total - own,
            }
        })
        .collect();

    // Industries come in runs of one region (usually one run per region): sum each run of a
    // row of Z as a slice.
    let mut runs: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
    for (j, &r) in of.iter().enumerate() {
        match runs.last_mut() {
            Some((last, range)) if *last == r => range.end = j + 1,
            _ => runs.push((r, j..j + 1)),
        }
    }
    let mut flows = vec![vec![0.0; nr]; nr];
    for (i, row) in table.z.as_row_major().chunks_exact(n).enumerate() {
        let into = &mut flows[of[i]];
        for (r, range) in &runs {
            into[*r] += row[range.clone()].iter().sum::<f64>();
        }
    }
    let mut induced_output = vec![vec![0.0; nr]; nr];
    for i in 0..n {
        for r in 0..nr {
            induced_output[of[i]][r] += induced[r][i];
        }
    }
    let mut multipliers = vec![vec![0.0; nr]; nr];
    let mut count = vec![0usize; nr];
    for j in 0..n {
        count[of[j]] += 1;
        for s in 0..nr {
            multipliers[s][of[j]] += m[s][j];
        }
    }
    for row in &mut multipliers {
        for (r, v) in row.iter_mut().enumerate() {
            *v /= count[r].max(1) as f64;
        }
    }
    (
        decomposition,
        RegionMatrices {
            regions,
            flows,
            induced_output,
            multipliers,
        },
    )
}

/// Location quotients, regional shares and Herfindahl indices from output x.
pub fn structure(table: &IoTable, x: &[f64]) -> RegionalStructure {
    let (regions, of) = region_index(table);
    let total: f64 = x.iter().sum();
    let mut region_total = vec![0.0; regions.len()];
    let mut sectors: Vec<(String, f64)> = Vec::new();
    for (i, ind) in table.industries.iter().enumerate() {
        region_total[of[i]] += x[i];
        match sectors.iter_mut().find(|(s, _)| *s == ind.sector) {
            Some((_, t)) => *t += x[i],
            None => sectors.push((ind.sector.clone(), x[i])),
        }
    }
    let sector_total = |name: &str| sectors.iter().find(|(s, _)| s == name).expect("seen").1;
    let mut location_quotient = Vec::with_capacity(x.len());
    let mut regional_share = Vec::with_capacity(x.len());
    let mut herfindahl: Vec<(String, f64)> =
        sectors.iter().map(|(s, _)| (s.clone(), 0.0)).collect();
    for (i, ind) in table.industries.iter().enumerate() {
        let xs = sector_total(&ind.sector);
        let share = if xs > 0.0 { x[i] / xs } else { 0.0 };
        let xr = region_total[of[i]];
        let lq = if xr > 0.0 && xs > 0.0 {
            (x[i] / xr) / (xs / total)
        } else {
            0.0
        };
        location_quotient.push(lq);
        regional_share.push(share);
        if let Some((_, h)) = herfindahl.iter_mut().find(|(s, _)| *s == ind.sector) {
            *h += share * share;
        }
    }
    RegionalStructure {
        location_quotient,
        regional_share,
        herfindahl,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chainlens_model::{FinalDemandLabel, Industry, Matrix};

    fn two_region() -> IoTable {
        let ind = |r: &str, s: &str| Industry {
            region: r.into(),
            sector: s.into(),
        };
        let z = vec![
            10., 20., 5., 2., //
            15., 5., 1., 8., //
            4., 3., 12., 25., //
            2., 9., 10., 6.,
        ];
        let fd = |r: &str| FinalDemandLabel {
            region: r.into(),
            category: "hh".into(),
        };
        IoTable {
            name: "two".into(),
            unit: None,
            industries: vec![
                ind("n", "agr"),
                ind("n", "man"),
                ind("s", "agr"),
                ind("s", "man"),
            ],
            z: Matrix::from_row_major(4, 4, z).unwrap(),
            final_demand_labels: vec![fd("n"), fd("s")],
            y: Matrix::from_row_major(4, 2, vec![50., 10., 60., 20., 5., 70., 3., 90.]).unwrap(),
            value_added_labels: vec![],
            v: Matrix::zeros(0, 4),
            extensions: vec![],
            published_output: None,
        }
    }

    #[test]
    fn parts_add_up_and_match_the_inverse() {
        let t = two_region();
        let s = System::new(&t).unwrap();
        let l = s.leontief_inverse();
        let (d, m) = decompose(&t, &s);
        for (j, dj) in d.iter().enumerate() {
            let total: f64 = l.col(j).iter().sum();
            let sum = dj.intra + dj.feedback + dj.spillover;
            assert!((total - sum).abs() < 1e-12);
            assert!(dj.feedback >= 0.0 && dj.spillover > 0.0);
        }
        // Intra of sector 0 by hand: inverse of the 2 × 2 block of region n.
        let x = t.total_output();
        let a = |i: usize, j: usize| t.z.get(i, j) / x[j];
        let det = (1.0 - a(0, 0)) * (1.0 - a(1, 1)) - a(0, 1) * a(1, 0);
        let intra0 = ((1.0 - a(1, 1)) + a(1, 0)) / det;
        assert!((d[0].intra - intra0).abs() < 1e-12);
        // Induced output sums to the solved output.
        let total: f64 = m.induced_output.iter().flatten().sum();
        assert!((total - x.iter().sum::<f64>()).abs() < 1e-9);
        assert_eq!(m.flows[0][1], 5. + 2. + 1. + 8.);
    }

    #[test]
    fn location_quotients_and_herfindahl() {
        let t = two_region();
        let x = vec![10., 30., 30., 30.];
        let st = structure(&t, &x);
        // agr: national 40 of 100; region n: 10 of 40 -> LQ = 0.25/0.4.
        assert!((st.location_quotient[0] - 0.625).abs() < 1e-12);
        assert!((st.regional_share[0] - 0.25).abs() < 1e-12);
        assert!((st.herfindahl[0].1 - (0.25f64.powi(2) + 0.75f64.powi(2))).abs() < 1e-12);
    }
}
