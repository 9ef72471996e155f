//! Global Moran's I and local Moran (LISA), with esda's conventions (Rey & Anselin 2007,
//! esda.Moran and esda.Moran_Local).
//!
//! With z_i = y_i − ȳ and S0 = Σ_ij w_ij:
//! - I = n / S0 · Σ_ij w_ij z_i z_j / Σ_i z_i²; E[I] = −1/(n − 1).
//! - Under normality (Cliff & Ord 1981): Var[I] = (n² S1 − n S2 + 3 S0²) / ((n² − 1) S0²) − E[I]²,
//!   z = (I − E[I]) / √Var[I], two-sided p = 2·P(Z > |z|).
//! - By permutation: I recomputed for `permutations` random permutations of y (seeded
//!   xoshiro256**); with `larger` = #{I_perm ≥ I}, folded to min(larger, P − larger),
//!   p = (larger + 1)/(P + 1) — esda's pseudo p-value.
//! - Local: esda standardises z by the population standard deviation (m2 = Σ z²/n, so
//!   z_i = (y_i − ȳ)/√m2) and computes I_i = (n − 1) z_i Σ_j w_ij z_j / Σ_k z_k².
//!   Inference by conditional permutation: y_i held, its neighbours' weights applied to
//!   |N_i| values drawn without replacement from the other n − 1; the same folded pseudo
//!   p-value. Quadrant: HH (z > 0, lag > 0), LH (z ≤ 0, lag > 0), LL (z ≤ 0, lag ≤ 0),
//!   HL (z > 0, lag ≤ 0), as esda's q = 1, 2, 3, 4; the cluster label is the quadrant
//!   when p ≤ significance and "not significant" otherwise. A region without neighbours
//!   (an isolate) has lag 0 and I_i = 0, and every permutation ties with it; esda then
//!   reports p = 1/(P + 1), which would call it significant — here its p is 1 and it is
//!   never a cluster.
//!
//! Complexity: O(n + L) for I and the LISAs (L links), O(P (n + L)) for P global and
//! O(P L) for the local permutations.

use crate::error::{Error, Result};
use crate::normal;
use crate::weights::Weights;
use chainlens_model::rng::Rng;
use serde::Serialize;

/// Global Moran's I and its inference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moran {
    pub moran_i: f64,
    pub expected_i: f64,
    pub variance_normal: f64,
    pub z_normal: f64,
    pub p_normal: f64,
    /// Permutations run (0: no permutation inference).
    pub permutations: usize,
    /// Folded pseudo p-value from the permutations (None when none ran).
    pub p_permutation: Option<f64>,
}

/// A LISA cluster label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Cluster {
    HH,
    LH,
    LL,
    HL,
    #[serde(rename = "not_significant")]
    NotSignificant,
}

impl Cluster {
    pub fn label(self) -> &'static str {
        match self {
            Cluster::HH => "HH",
            Cluster::LH => "LH",
            Cluster::LL => "LL",
            Cluster::HL => "HL",
            Cluster::NotSignificant => "not significant",
        }
    }
}

/// One region's local Moran.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Local {
    pub id: String,
    pub i: f64,
    /// Quadrant of (z, lag), whatever the significance.
    pub quadrant: Cluster,
    pub p_permutation: f64,
    pub cluster: Cluster,
}

fn centred(w: &Weights, y: &[f64]) -> Result<Vec<f64>> {
    if y.len() != w.len() {
        return Err(Error::Length {
            what: "values",
            got: y.len(),
            expected: w.len(),
        });
    }
    if w.len() < 3 {
        return Err(Error::TooFew {
            what: "spatial autocorrelation",
            needed: 3,
            got: w.len(),
        });
    }
    if let Some((id, &value)) = w.ids.iter().zip(y).find(|(_, v)| !v.is_finite()) {
        return Err(Error::NotFinite {
            id: id.clone(),
            value,
        });
    }
    let mean = y.iter().sum::<f64>() / y.len() as f64;
    let z: Vec<f64> = y.iter().map(|v| v - mean).collect();
    if z.iter().all(|v| v.abs() <= 1e-12 * mean.abs().max(1.0)) {
        return Err(Error::Constant);
    }
    Ok(z)
}

fn statistic(w: &Weights, z: &[f64], s0: f64, ss: f64) -> f64 {
    let cross: f64 = w.lag(z).iter().zip(z).map(|(l, zi)| l * zi).sum();
    z.len() as f64 / s0 * cross / ss
}

/// Folded pseudo p-value: esda's `(min(larger, P − larger) + 1) / (P + 1)`.
pub(crate) fn pseudo_p(larger: usize, permutations: usize) -> f64 {
    (larger.min(permutations - larger) + 1) as f64 / (permutations + 1) as f64
}

/// Fisher–Yates shuffle.
pub(crate) fn shuffle<T>(rng: &mut Rng, x: &mut [T]) {
    for i in (1..x.len()).rev() {
        x.swap(i, rng.below(i + 1));
    }
}

/// Global Moran's I of `y` (in `w.ids` order) under `w`.
pub fn moran(w: &Weights, y: &[f64], permutations: usize, seed: u64) -> Result<Moran> {
    let z = centred(w, y)?;
    let (s0, s1, s2) = w.sums();
    if s0 == 0.0 {
        return Err(Error::NoLinks);
    }
    let n = z.len() as f64;
    let ss: f64 = z.iter().map(|v| v * v).sum();
    let moran_i = statistic(w, &z, s0, ss);
    let expected_i = -1.0 / (n - 1.0);
    let variance_normal = (n * n * s1 - n * s2 + 3.0 * s0 * s0) / ((n - 1.0) * (n + 1.0) * s0 * s0)
        - expected_i * expected_i;
    let z_normal = (moran_i - expected_i) / variance_normal.sqrt();
    let p_normal = 2.0 * normal::sf(z_normal.abs());
    let p_permutation = (permutations > 0).then(|| {
        let mut rng = Rng::new(seed);
        let mut perm = z.clone();
        let larger = (0..permutations)
            .filter(|_| {
                shuffle(&mut rng, &mut perm);
                statistic(w, &perm, s0, ss) >= moran_i
            })
            .count();
        pseudo_p(larger, permutations)
    });
    Ok(Moran {
        moran_i,
        expected_i,
        variance_normal,
        z_normal,
        p_normal,
        permutations,
        p_permutation,
    })
}

/// Local Moran for every region; `permutations` ≥ 1 conditional permutations decide
/// significance at level `significance` (esda: 0.05).
pub fn local_moran(
    w: &Weights,
    y: &[f64],
    permutations: usize,
    seed: u64,
    significance: f64,
) -> Result<Vec<Local>> {
    if permutations == 0 {
        return Err(Error::Parameter(
            "local Moran needs at least one permutation to judge significance".into(),
        ));
    }
    let z = centred(w, y)?;
    let n = z.len();
    let m2 = z.iter().map(|v| v * v).sum::<f64>() / n as f64;
    let z: Vec<f64> = z.iter().map(|v| v / m2.sqrt()).collect();
    let den: f64 = z.iter().map(|v| v * v).sum();
    let scale = (n - 1) as f64 / den;
    let lag = w.lag(&z);
    let mut rng = Rng::new(seed);
    let mut others: Vec<f64> = Vec::with_capacity(n - 1);
    Ok((0..n)
        .map(|i| {
            let local_i = scale * z[i] * lag[i];
            let quadrant = match (z[i] > 0.0, lag[i] > 0.0) {
                (true, true) => Cluster::HH,
                (false, true) => Cluster::LH,
                (false, false) => Cluster::LL,
                (true, false) => Cluster::HL,
            };
            others.clear();
            others.extend(
                z.iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, v)| *v),
            );
            let row = &w.neighbours[i];
            if row.is_empty() {
                return Local {
                    id: w.ids[i].clone(),
                    i: local_i,
                    quadrant,
                    p_permutation: 1.0,
                    cluster: Cluster::NotSignificant,
                };
            }
            let larger = (0..permutations)
                .filter(|_| {
                    // Partial Fisher–Yates: the first |N_i| slots become a random draw.
                    for k in 0..row.len() {
                        let pick = k + rng.below(others.len() - k);
                        others.swap(k, pick);
                    }
                    let sim_lag: f64 = row.iter().zip(&others).map(|(&(_, wij), v)| wij * v).sum();
                    scale * z[i] * sim_lag >= local_i
                })
                .count();
            let p = pseudo_p(larger, permutations);
            Local {
                id: w.ids[i].clone(),
                i: local_i,
                quadrant,
                p_permutation: p,
                cluster: if p <= significance {
                    quadrant
                } else {
                    Cluster::NotSignificant
                },
            }
        })
        .collect())
}
