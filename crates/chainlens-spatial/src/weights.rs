//! Spatial weights: who is whose neighbour, and with what weight.
//!
//! Built from (id, neighbour) pairs, from polygon outlines by contiguity, or from point
//! coordinates, with libpysal's conventions:
//! - **queen** contiguity: two regions are neighbours when their outlines share at least
//!   one vertex; **rook**: when they share an edge (two consecutive vertices, either
//!   direction). Vertices are compared exactly, as libpysal does (outlines drawn on one
//!   grid share their borders' vertices). O(V log V) for V vertices (a sort of the
//!   vertex or edge keys), then O(L) for the L links.
//! - **k-nearest** (`KNN`): the k nearest other points by Euclidean distance, ties broken
//!   by the lower index; not symmetric in general. O(n² log n).
//! - **inverse distance**: w_ij = d_ij^-α for d_ij ≤ threshold; **distance band**: binary
//!   w_ij = 1 for d_ij ≤ threshold. O(n²).
//! - **row standardisation** (libpysal's transform "r"): w_ij / Σ_j w_ij; an island's
//!   empty row stays empty.
//!
//! An island is a region without neighbours. [`IslandRule`] says what to do with it:
//! keep it as an isolate (its spatial lag is 0, as in libpysal) or link it, both ways,
//! to its nearest region by the given points (centroids). The rule and the islands are
//! kept in [`Weights`] so that the output can report them.

use crate::error::{Error, Result};
pub use chainlens_model::Outline;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// What to do with regions that have no neighbour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IslandRule {
    /// Leave the region without neighbours (spatial lag 0, as libpysal).
    Isolate,
    /// Link the region, both ways with weight 1, to the nearest other region by its point.
    Nearest,
}

/// Polygon contiguity: shared vertex (queen) or shared edge (rook).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Contiguity {
    Queen,
    Rook,
}

/// A vertex (queen) or an undirected edge (rook) as the bits of its coordinates.
type ShapeKey = ((u64, u64), (u64, u64));

/// Spatial weights over `ids`: for each region, its neighbours (index, weight) in
/// ascending index order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Weights {
    pub ids: Vec<String>,
    pub neighbours: Vec<Vec<(usize, f64)>>,
    /// Regions that had no neighbour when the weights were built (before any rule).
    pub islands: Vec<String>,
    /// The rule applied to `islands`.
    pub island_rule: IslandRule,
    /// True after [`Weights::row_standardised`].
    pub row_standardised: bool,
}

fn index_of(ids: &[String]) -> Result<HashMap<&str, usize>> {
    let mut map = HashMap::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        if map.insert(id.as_str(), i).is_some() {
            return Err(Error::DuplicateId(id.clone()));
        }
    }
    Ok(map)
}

fn known(ids: &[String]) -> String {
    let mut s = ids.iter().take(12).cloned().collect::<Vec<_>>().join(", ");
    if ids.len() > 12 {
        s.push_str(", …");
    }
    s
}

impl Weights {
    fn from_sets(ids: Vec<String>, sets: Vec<BTreeMap<usize, f64>>) -> Weights {
        let islands = sets
            .iter()
            .enumerate()
            .filter(|(_, s)| s.is_empty())
            .map(|(i, _)| ids[i].clone())
            .collect();
        Weights {
            ids,
            neighbours: sets.into_iter().map(|s| s.into_iter().collect()).collect(),
            islands,
            island_rule: IslandRule::Isolate,
            row_standardised: false,
        }
    }

    /// Binary weights from (id, neighbour) pairs; every pair must be listed both ways.
    pub fn from_pairs(ids: Vec<String>, pairs: &[(String, String)]) -> Result<Weights> {
        let index = index_of(&ids)?;
        let lookup = |id: &str| {
            index.get(id).copied().ok_or_else(|| Error::UnknownId {
                id: id.to_string(),
                context: "neighbour pairs",
                known: known(&ids),
            })
        };
        let mut sets = vec![BTreeMap::new(); ids.len()];
        for (a, b) in pairs {
            let (i, j) = (lookup(a)?, lookup(b)?);
            if i != j {
                sets[i].insert(j, 1.0);
            }
        }
        for (i, set) in sets.iter().enumerate() {
            for &j in set.keys() {
                if !sets[j].contains_key(&i) {
                    return Err(Error::Asymmetric {
                        id: ids[i].clone(),
                        neighbour: ids[j].clone(),
                    });
                }
            }
        }
        Ok(Weights::from_sets(ids, sets))
    }

    /// Binary contiguity weights from outlines (queen: shared vertex, rook: shared edge).
    pub fn contiguity(ids: Vec<String>, outlines: &[Outline], rule: Contiguity) -> Result<Weights> {
        index_of(&ids)?;
        if outlines.len() != ids.len() {
            return Err(Error::Length {
                what: "outlines",
                got: outlines.len(),
                expected: ids.len(),
            });
        }
        let key = |p: &[f64; 2]| (p[0].to_bits(), p[1].to_bits());
        // (shape key, region) for every vertex or edge, sorted so equal keys are adjacent.
        let mut keys: Vec<(ShapeKey, usize)> = Vec::new();
        for (r, outline) in outlines.iter().enumerate() {
            for ring in outline.iter().flatten() {
                for (k, p) in ring.iter().enumerate() {
                    match rule {
                        Contiguity::Queen => keys.push(((key(p), (0, 0)), r)),
                        Contiguity::Rook => {
                            let q = &ring[(k + 1) % ring.len()];
                            let (a, b) = (key(p), key(q));
                            if a != b {
                                keys.push(((a.min(b), a.max(b)), r));
                            }
                        }
                    }
                }
            }
        }
        keys.sort_unstable();
        keys.dedup();
        let mut sets = vec![BTreeMap::new(); ids.len()];
        for group in keys.chunk_by(|a, b| a.0 == b.0) {
            for (x, &(_, i)) in group.iter().enumerate() {
                for &(_, j) in &group[x + 1..] {
                    sets[i].insert(j, 1.0);
                    sets[j].insert(i, 1.0);
                }
            }
        }
        Ok(Weights::from_sets(ids, sets))
    }

    /// The k nearest other points (Euclidean), weight 1; ties go to the lower index.
    pub fn knn(ids: Vec<String>, points: &[[f64; 2]], k: usize) -> Result<Weights> {
        check_points(&ids, points)?;
        if k == 0 || k >= ids.len() {
            return Err(Error::Parameter(format!(
                "k = {k} must be between 1 and the number of regions − 1 ({})",
                ids.len().saturating_sub(1)
            )));
        }
        let sets = (0..ids.len())
            .map(|i| {
                let mut order: Vec<(f64, usize)> = (0..ids.len())
                    .filter(|&j| j != i)
                    .map(|j| (distance(&points[i], &points[j]), j))
                    .collect();
                order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                order.iter().take(k).map(|&(_, j)| (j, 1.0)).collect()
            })
            .collect();
        Ok(Weights::from_sets(ids, sets))
    }

    /// Pairs within `threshold` (Euclidean): weight d^-alpha (`alpha` Some) or 1 (None,
    /// the binary distance band).
    pub fn distance_band(
        ids: Vec<String>,
        points: &[[f64; 2]],
        threshold: f64,
        alpha: Option<f64>,
    ) -> Result<Weights> {
        check_points(&ids, points)?;
        if threshold.is_nan() || threshold <= 0.0 {
            return Err(Error::Parameter(format!(
                "distance threshold {threshold} must be positive"
            )));
        }
        let sets = (0..ids.len())
            .map(|i| {
                (0..ids.len())
                    .filter(|&j| j != i)
                    .filter_map(|j| {
                        let d = distance(&points[i], &points[j]);
                        (d <= threshold).then(|| (j, alpha.map_or(1.0, |a| d.powf(-a))))
                    })
                    .collect()
            })
            .collect();
        Ok(Weights::from_sets(ids, sets))
    }

    /// Applies `rule` to the islands; `points` (one per region, e.g. centroids) are needed
    /// for [`IslandRule::Nearest`].
    pub fn with_island_rule(
        mut self,
        rule: IslandRule,
        points: Option<&[[f64; 2]]>,
    ) -> Result<Weights> {
        self.island_rule = rule;
        if rule == IslandRule::Isolate || self.islands.is_empty() {
            return Ok(self);
        }
        let points = points.ok_or_else(|| {
            Error::Parameter(
                "linking islands to their nearest region needs a point per region".into(),
            )
        })?;
        check_points(&self.ids, points)?;
        if self.ids.len() < 2 {
            return Err(Error::TooFew {
                what: "linking an island",
                needed: 2,
                got: self.ids.len(),
            });
        }
        let index = index_of(&self.ids)?;
        for island in self.islands.clone() {
            let i = index[island.as_str()];
            let nearest = (0..self.ids.len())
                .filter(|&j| j != i)
                .min_by(|&a, &b| {
                    distance(&points[i], &points[a]).total_cmp(&distance(&points[i], &points[b]))
                })
                .expect("at least two regions");
            for (from, to) in [(i, nearest), (nearest, i)] {
                let row = &mut self.neighbours[from];
                if let Err(pos) = row.binary_search_by_key(&to, |&(j, _)| j) {
                    row.insert(pos, (to, 1.0));
                }
            }
        }
        Ok(self)
    }

    /// Row-standardised copy: each non-empty row sums to 1.
    pub fn row_standardised(&self) -> Weights {
        let mut w = self.clone();
        for row in &mut w.neighbours {
            let sum: f64 = row.iter().map(|&(_, x)| x).sum();
            if sum != 0.0 {
                row.iter_mut().for_each(|(_, x)| *x /= sum);
            }
        }
        w.row_standardised = true;
        w
    }

    /// Number of regions.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Spatial lag Σ_j w_ij x_j for every i.
    pub fn lag(&self, x: &[f64]) -> Vec<f64> {
        self.neighbours
            .iter()
            .map(|row| row.iter().map(|&(j, w)| w * x[j]).sum())
            .collect()
    }

    /// (S0, S1, S2) of Cliff & Ord: S0 = Σ w_ij, S1 = ½ Σ (w_ij + w_ji)², S2 = Σ_i (w_i. + w_.i)².
    /// O(L log L) for L links.
    pub fn sums(&self) -> (f64, f64, f64) {
        let n = self.len();
        let mut s0 = 0.0;
        let mut row = vec![0.0; n];
        let mut col = vec![0.0; n];
        // Ordered, so that S1 is summed in the same order on every run (a hash map's order
        // changes the last bits, and with them the p-values, from run to run).
        let mut pairs: BTreeMap<(usize, usize), f64> = BTreeMap::new();
        for (i, r) in self.neighbours.iter().enumerate() {
            for &(j, w) in r {
                s0 += w;
                row[i] += w;
                col[j] += w;
                *pairs.entry((i.min(j), i.max(j))).or_default() += w;
            }
        }
        // Each unordered pair {i, j} contributes (w_ij + w_ji)² twice to the full sum.
        let s1 = pairs.values().map(|v| v * v).sum::<f64>();
        let s2 = row.iter().zip(&col).map(|(r, c)| (r + c) * (r + c)).sum();
        (s0, s1, s2)
    }

    /// The links as (id, neighbour) names, for reports and tests.
    pub fn neighbour_ids(&self) -> BTreeMap<String, Vec<String>> {
        self.ids
            .iter()
            .zip(&self.neighbours)
            .map(|(id, row)| {
                let mut names: Vec<String> =
                    row.iter().map(|&(j, _)| self.ids[j].clone()).collect();
                names.sort();
                (id.clone(), names)
            })
            .collect()
    }
}

fn check_points(ids: &[String], points: &[[f64; 2]]) -> Result<()> {
    if points.len() != ids.len() {
        return Err(Error::Length {
            what: "points",
            got: points.len(),
            expected: ids.len(),
        });
    }
    index_of(ids)?;
    Ok(())
}

fn distance(a: &[f64; 2], b: &[f64; 2]) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

/// Area-weighted centroid of an outline (shoelace formula over every ring, holes
/// subtracting by their orientation); the vertex mean when the area is zero. O(V).
pub fn centroid(outline: &Outline) -> [f64; 2] {
    let (mut a, mut cx, mut cy, mut count, mut sx, mut sy) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for polygon in outline {
        for (r, ring) in polygon.iter().enumerate() {
            // Exterior ring counts positive, holes negative, whatever their orientation.
            let mut ra = 0.0;
            let (mut rx, mut ry) = (0.0, 0.0);
            for k in 0..ring.len() {
                let (p, q) = (ring[k], ring[(k + 1) % ring.len()]);
                let cross = p[0] * q[1] - q[0] * p[1];
                ra += cross;
                rx += (p[0] + q[0]) * cross;
                ry += (p[1] + q[1]) * cross;
                count += 1.0;
                sx += p[0];
                sy += p[1];
            }
            let sign = if (ra >= 0.0) == (r == 0) { 1.0 } else { -1.0 };
            a += sign * ra / 2.0;
            cx += sign * rx / 6.0;
            cy += sign * ry / 6.0;
        }
    }
    if a.abs() > 0.0 {
        [cx / a, cy / a]
    } else {
        [sx / count, sy / count]
    }
}
