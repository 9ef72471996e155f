//! Single points of failure as dominators (DESIGN.md §4.2).
//!
//! A virtual source feeds every firm that has no supplier; edges run supplier → buyer.
//! Firm d *dominates* v when every supply path from the source to v passes through d: if
//! d stops, v loses all of its supply routes. The immediate dominator idom(v) is the
//! dominator of v closest to it; the idoms form the dominator tree, and the firms d
//! dominates are its subtree. Each firm is scored by the number and the output of the
//! firms it dominates. Post-dominators are the same on the reversed network with a
//! virtual sink fed by every firm without customers: p post-dominates v when every route
//! from v to a final customer passes through p (a distributor bottleneck).
//!
//! Method: semi-NCA (Georgiadis 2005; Georgiadis, Tarjan & Werneck 2006), which computes
//! Lengauer–Tarjan (1979) semidominators with path compression,
//! sdom(w) = min{ pre(v) : v → w, pre(v) < pre(w) } ∪ { sdom(u) : u ancestor-path label },
//! and then each idom as the nearest common ancestor of parent(w) and sdom(w) in the
//! tree built so far. Everything is iterative over the CSR arrays (no recursion: supply
//! chains are deep): O(m log n) for the semidominators, and the NCA climb is near-linear
//! on supply networks (quadratic only on adversarial graphs). Firms the source cannot
//! reach (a supplier cycle without an outside entry) have no dominator.
//!
//! Dominators are the fast screen: with several essential inputs production is AND over
//! input categories and OR over suppliers, which the firm-level cascade tests exactly.

use crate::graph::{NONE, SupplyNetwork};
use serde::Serialize;

/// Direction of the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From a virtual source through suppliers to buyers: dominators.
    Supply,
    /// From a virtual sink back through buyers to suppliers: post-dominators.
    Demand,
}

/// The dominator tree of a network with its virtual root.
#[derive(Debug, Clone, PartialEq)]
pub struct Dominators {
    /// idom of each firm: a firm index, [`Dominators::ROOT`] for the virtual root, or
    /// [`NONE`] when the root cannot reach the firm.
    pub idom: Vec<u32>,
    /// Firms strictly dominated by each firm.
    pub dominated_count: Vec<u32>,
    /// Sum of the output of the firms strictly dominated by each firm.
    pub dominated_output: Vec<f64>,
    pub direction: Direction,
}

impl Dominators {
    /// Marks the virtual source (or sink) in [`Dominators::idom`].
    pub const ROOT: u32 = NONE - 1;

    /// The immediate dominator of `v` when it is a firm (not the virtual root).
    pub fn idom_firm(&self, v: u32) -> Option<u32> {
        let d = self.idom[v as usize];
        (d != Self::ROOT && d != NONE).then_some(d)
    }
}

/// Dominators of every firm with a virtual source feeding every firm without suppliers.
pub fn dominators(net: &SupplyNetwork) -> Dominators {
    compute(net, Direction::Supply)
}

/// Post-dominators of every firm with a virtual sink fed by every firm without customers.
pub fn post_dominators(net: &SupplyNetwork) -> Dominators {
    compute(net, Direction::Demand)
}

fn compute(net: &SupplyNetwork, direction: Direction) -> Dominators {
    let n = net.node_count();
    let forward = direction == Direction::Supply;
    let succ = |v: u32| {
        if forward {
            net.successors(v)
        } else {
            net.predecessors(v)
        }
    };
    let pred = |v: u32| {
        if forward {
            net.predecessors(v)
        } else {
            net.successors(v)
        }
    };
    let root = n as u32;
    let entries: Vec<u32> = (0..n as u32).filter(|&v| pred(v).is_empty()).collect();
    let root_slice = [root];
    let successors = |v: u32| if v == root { &entries[..] } else { succ(v) };
    let predecessors = |v: u32| {
        let p = pred(v);
        if p.is_empty() { &root_slice[..] } else { p }
    };
    let (order, idom_by_pre) = semi_nca(n + 1, root, successors, predecessors);

    let mut idom = vec![NONE; n];
    let mut dominated_count = vec![0u32; n];
    let mut dominated_output = vec![0.0f64; n];
    let mut size = vec![1u32; order.len()];
    let own = |i: usize| {
        if i == 0 {
            0.0
        } else {
            net.attrs(order[i]).output.unwrap_or(0.0)
        }
    };
    let mut out: Vec<f64> = (0..order.len()).map(own).collect();
    // idom(w) precedes w in preorder, so a reverse sweep sees every subtree complete.
    for i in (1..order.len()).rev() {
        let p = idom_by_pre[i] as usize;
        let v = order[i] as usize;
        let d = order[p];
        idom[v] = if d == root { Dominators::ROOT } else { d };
        dominated_count[v] = size[i] - 1;
        dominated_output[v] = out[i] - own(i);
        size[p] += size[i];
        out[p] += out[i];
    }
    Dominators {
        idom,
        dominated_count,
        dominated_output,
        direction,
    }
}

/// Semi-NCA on a graph of `n` vertices given by closures. Returns the vertices in DFS
/// preorder from `root` and the preorder number of each one's immediate dominator
/// (the root's is 0, itself).
pub fn semi_nca<'g, S, P>(
    n: usize,
    root: u32,
    successors: S,
    predecessors: P,
) -> (Vec<u32>, Vec<u32>)
where
    S: Fn(u32) -> &'g [u32],
    P: Fn(u32) -> &'g [u32],
{
    // Iterative DFS: preorder numbers and DFS-tree parents.
    let mut num = vec![NONE; n];
    let mut order: Vec<u32> = Vec::new();
    let mut parent: Vec<u32> = Vec::new();
    let mut stack: Vec<(u32, u32)> = vec![(root, 0)];
    num[root as usize] = 0;
    order.push(root);
    parent.push(0);
    while let Some(top) = stack.last_mut() {
        let (v, pos) = *top;
        let succ = successors(v);
        if (pos as usize) < succ.len() {
            top.1 += 1;
            let w = succ[pos as usize];
            if num[w as usize] == NONE {
                num[w as usize] = order.len() as u32;
                parent.push(num[v as usize]);
                order.push(w);
                stack.push((w, 0));
            }
        } else {
            stack.pop();
        }
    }
    let k = order.len();
    let mut semi: Vec<u32> = (0..k as u32).collect();
    let mut label: Vec<u32> = (0..k as u32).collect();
    let mut ancestor = vec![NONE; k];
    let mut path: Vec<u32> = Vec::new();
    for w in (1..k).rev() {
        for &v in predecessors(order[w]) {
            let j = num[v as usize];
            if j == NONE {
                continue;
            }
            let u = eval(j, &mut ancestor, &mut label, &semi, &mut path);
            if semi[u as usize] < semi[w] {
                semi[w] = semi[u as usize];
            }
        }
        ancestor[w] = parent[w];
    }
    let mut idom = parent;
    for w in 1..k {
        let mut d = idom[w];
        while d > semi[w] {
            d = idom[d as usize];
        }
        idom[w] = d;
    }
    (order, idom)
}

/// The vertex of minimum semidominator on the forest path above `v` (excluding the tree
/// root), compressing the path on the way (iteratively).
fn eval(v: u32, ancestor: &mut [u32], label: &mut [u32], semi: &[u32], path: &mut Vec<u32>) -> u32 {
    if ancestor[v as usize] == NONE {
        return v;
    }
    path.clear();
    let mut u = v;
    while ancestor[ancestor[u as usize] as usize] != NONE {
        path.push(u);
        u = ancestor[u as usize];
    }
    while let Some(u) = path.pop() {
        let a = ancestor[u as usize] as usize;
        if semi[label[a] as usize] < semi[label[u as usize] as usize] {
            label[u as usize] = label[a];
        }
        ancestor[u as usize] = ancestor[a];
    }
    label[v as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{EdgeAttrs, NetworkBuilder, NodeAttrs};

    fn net(ids: &[(&str, f64)], edges: &[(&str, &str)]) -> SupplyNetwork {
        let mut b = NetworkBuilder::new();
        for &(id, out) in ids {
            b.add_node(
                id,
                NodeAttrs {
                    output: Some(out),
                    capacity: None,
                },
            )
            .unwrap();
        }
        for &(s, d) in edges {
            b.add_edge(s, d, EdgeAttrs::default()).unwrap();
        }
        b.build().unwrap().0
    }

    #[test]
    fn a_single_preform_maker_dominates_the_chain() {
        // preform → fibre1, fibre2 → cable; ore is a second raw material of fibre2 only.
        let g = net(
            &[
                ("preform", 5.0),
                ("fibre1", 3.0),
                ("fibre2", 3.0),
                ("cable", 10.0),
                ("ore", 1.0),
            ],
            &[
                ("preform", "fibre1"),
                ("preform", "fibre2"),
                ("fibre1", "cable"),
                ("fibre2", "cable"),
                ("ore", "fibre2"),
            ],
        );
        let d = dominators(&g);
        let idx = |s| g.index_of(s).unwrap();
        assert_eq!(d.idom[idx("preform") as usize], Dominators::ROOT);
        assert_eq!(d.idom_firm(idx("fibre1")), Some(idx("preform")));
        assert_eq!(d.idom[idx("fibre2") as usize], Dominators::ROOT);
        assert_eq!(d.idom[idx("cable") as usize], Dominators::ROOT);
        assert_eq!(d.dominated_count[idx("preform") as usize], 1);
        assert_eq!(d.dominated_output[idx("preform") as usize], 3.0);

        let p = post_dominators(&g);
        assert_eq!(p.idom_firm(idx("fibre1")), Some(idx("cable")));
        assert_eq!(p.idom_firm(idx("preform")), Some(idx("cable")));
        assert_eq!(p.idom_firm(idx("ore")), Some(idx("fibre2")));
        assert_eq!(p.dominated_count[idx("cable") as usize], 4);
        assert_eq!(p.dominated_output[idx("cable") as usize], 12.0);
    }

    #[test]
    fn unreachable_cycles_have_no_dominator() {
        let g = net(
            &[("a", 1.0), ("b", 1.0), ("c", 1.0)],
            &[("a", "b"), ("b", "a")],
        );
        let d = dominators(&g);
        assert_eq!(d.idom, vec![NONE, NONE, Dominators::ROOT]);
    }

    #[test]
    fn matches_the_classic_lengauer_tarjan_example() {
        // Lengauer & Tarjan (1979), Fig. 1: root R.
        let edges = [
            ("R", "A"),
            ("R", "B"),
            ("R", "C"),
            ("A", "D"),
            ("B", "A"),
            ("B", "D"),
            ("B", "E"),
            ("C", "F"),
            ("C", "G"),
            ("D", "L"),
            ("E", "H"),
            ("F", "I"),
            ("G", "I"),
            ("G", "J"),
            ("H", "E"),
            ("H", "K"),
            ("I", "K"),
            ("J", "I"),
            ("K", "I"),
            ("K", "R"),
            ("L", "H"),
        ];
        let names = [
            "R", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L",
        ];
        let index = |s: &str| names.iter().position(|n| *n == s).unwrap() as u32;
        let mut succ = vec![Vec::new(); names.len()];
        let mut pred = vec![Vec::new(); names.len()];
        for (s, d) in edges {
            succ[index(s) as usize].push(index(d));
            pred[index(d) as usize].push(index(s));
        }
        let (order, idom) = semi_nca(names.len(), 0, |v| &succ[v as usize], |v| &pred[v as usize]);
        let mut got: Vec<(&str, &str)> = (1..order.len())
            .map(|i| {
                (
                    names[order[i] as usize],
                    names[order[idom[i] as usize] as usize],
                )
            })
            .collect();
        got.sort();
        let expected = [
            ("A", "R"),
            ("B", "R"),
            ("C", "R"),
            ("D", "R"),
            ("E", "R"),
            ("F", "C"),
            ("G", "C"),
            ("H", "R"),
            ("I", "R"),
            ("J", "G"),
            ("K", "R"),
            ("L", "D"),
        ];
        assert_eq!(got, expected);
    }
}
