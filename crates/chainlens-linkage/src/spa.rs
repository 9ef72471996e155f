//! Structural path analysis: the largest supply chains inside the table.
//!
//! Method (Defourny & Thorbecke 1984; Lenzen 2003): the power series
//! L·y = y + A·y + A²·y + … splits the output of every sector into the contributions of
//! individual paths. The path i₀ → i₁ → … → i_k (i₀ supplies i₁, …, i_k sells to final
//! demand) carries a_{i₀i₁}·a_{i₁i₂}·…·a_{i_{k−1}i_k}·y_{i_k} of i₀'s output; the path of
//! length 0 is the direct output y_i. The search starts at each final-demand sector and
//! walks upstream through suppliers sorted by coefficient, pruning a branch as soon as
//! its value falls below the threshold (children are never larger than their parent when
//! every a_ij ≤ 1). The best `max_paths` are kept in a heap; `max_depth` bounds the length,
//! and at most `max_visits` tree nodes are visited (the result says whether the search
//! was cut short).

use faer::MatRef;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Limits of the search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpaConfig {
    /// Smallest path value kept, in the table's unit.
    pub threshold: f64,
    pub max_depth: usize,
    pub max_paths: usize,
    pub max_visits: usize,
}

/// One supply path, from the first supplier to the sector that meets final demand.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Path {
    pub sectors: Vec<usize>,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathReport {
    pub paths: Vec<Path>,
    pub visited: usize,
    pub truncated: bool,
}

struct Ranked(Path);
impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl Ord for Ranked {
    // Reversed: the heap's top is the smallest kept path.
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.value.total_cmp(&self.0.value)
    }
}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The largest paths of A and final demand y, best first.
pub fn structural_paths(a: MatRef<'_, f64>, y: &[f64], config: SpaConfig) -> PathReport {
    let n = y.len();
    let suppliers: Vec<Vec<(usize, f64)>> = (0..n)
        .map(|j| {
            let mut s: Vec<(usize, f64)> = (0..n)
                .map(|i| (i, a[(i, j)]))
                .filter(|(_, v)| *v > 0.0)
                .collect();
            s.sort_by(|p, q| q.1.total_cmp(&p.1));
            s
        })
        .collect();
    let mut heap: BinaryHeap<Ranked> = BinaryHeap::new();
    let mut visited = 0usize;
    let mut truncated = false;
    let mut stack: Vec<(Vec<usize>, f64)> = Vec::new();
    for (j, &yj) in y.iter().enumerate() {
        if yj >= config.threshold && yj > 0.0 {
            stack.push((vec![j], yj));
        }
    }
    while let Some((path, value)) = stack.pop() {
        visited += 1;
        if visited > config.max_visits {
            truncated = true;
            break;
        }
        let floor = if heap.len() >= config.max_paths {
            heap.peek().map_or(config.threshold, |r| r.0.value)
        } else {
            config.threshold
        };
        if value < floor {
            continue;
        }
        heap.push(Ranked(Path {
            sectors: path.clone(),
            value,
        }));
        if heap.len() > config.max_paths {
            heap.pop();
        }
        if path.len() > config.max_depth {
            continue;
        }
        let head = path[0];
        for &(i, aij) in &suppliers[head] {
            let v = aij * value;
            if v < config.threshold {
                break;
            }
            let mut p = Vec::with_capacity(path.len() + 1);
            p.push(i);
            p.extend_from_slice(&path);
            stack.push((p, v));
        }
    }
    let mut paths: Vec<Path> = heap.into_iter().map(|r| r.0).collect();
    paths.sort_by(|p, q| q.value.total_cmp(&p.value));
    PathReport {
        paths,
        visited,
        truncated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_a_two_sector_economy() {
        let a = faer::Mat::from_fn(2, 2, |i, j| [[0.15, 0.25], [0.20, 0.05]][i][j]);
        let y = [350.0, 1700.0];
        let cfg = SpaConfig {
            threshold: 1e-9,
            max_depth: 60,
            max_paths: 1_000_000,
            max_visits: 10_000_000,
        };
        let r = structural_paths(a.as_ref(), &y, cfg);
        assert_eq!(r.paths[0].sectors, vec![1]);
        assert_eq!(r.paths[0].value, 1700.0);
        assert_eq!(r.paths[1].sectors, vec![0, 1]);
        assert!((r.paths[1].value - 0.25 * 1700.0).abs() < 1e-12);
        // The paths ending anywhere and starting at sector 0 add up to x_0 = 1000.
        let x0: f64 = r
            .paths
            .iter()
            .filter(|p| p.sectors[0] == 0)
            .map(|p| p.value)
            .sum();
        assert!((x0 - 1000.0).abs() < 1e-4, "{x0}");
        assert!(!r.truncated);
        let top = structural_paths(
            a.as_ref(),
            &y,
            SpaConfig {
                max_paths: 3,
                ..cfg
            },
        );
        assert_eq!(top.paths.len(), 3);
        assert_eq!(top.paths[..], r.paths[..3]);
    }
}
