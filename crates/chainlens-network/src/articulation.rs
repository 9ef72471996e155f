//! Articulation points of the undirected supply network: firms whose removal splits the
//! network into more pieces (a broker between two otherwise separate clusters).
//!
//! Method: Hopcroft & Tarjan (1973). A depth-first search assigns discovery times
//! disc(v) and low(v) = min(disc(v), disc(w) for back edges from v's subtree); a non-root
//! v is an articulation point when some child c has low(c) ≥ disc(v); the root when it has
//! two or more children. Direction and parallel links are ignored (a → b and b → a are one
//! undirected edge). The search keeps an explicit stack — supply networks of millions of
//! firms are far deeper than a thread's call stack — and runs in O(n + m).

use crate::graph::{NONE, SupplyNetwork};

/// Whether each firm is an articulation point.
pub fn articulation_points(net: &SupplyNetwork) -> Vec<bool> {
    let n = net.node_count();
    let mut disc = vec![NONE; n];
    let mut low = vec![0u32; n];
    let mut parent = vec![NONE; n];
    let mut pos = vec![0u32; n];
    let mut is_cut = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut time = 0u32;
    let neighbour = |v: u32, i: u32| {
        let out = net.successors(v);
        if (i as usize) < out.len() {
            out[i as usize]
        } else {
            net.predecessors(v)[i as usize - out.len()]
        }
    };
    for s in 0..n as u32 {
        if disc[s as usize] != NONE {
            continue;
        }
        disc[s as usize] = time;
        low[s as usize] = time;
        time += 1;
        let mut root_children = 0;
        stack.push(s);
        while let Some(&v) = stack.last() {
            let vi = v as usize;
            let degree = (net.successors(v).len() + net.predecessors(v).len()) as u32;
            if pos[vi] < degree {
                let w = neighbour(v, pos[vi]);
                pos[vi] += 1;
                let wi = w as usize;
                if disc[wi] == NONE {
                    parent[wi] = v;
                    disc[wi] = time;
                    low[wi] = time;
                    time += 1;
                    if v == s {
                        root_children += 1;
                    }
                    stack.push(w);
                } else if w != parent[vi] {
                    low[vi] = low[vi].min(disc[wi]);
                }
            } else {
                stack.pop();
                let p = parent[vi];
                if p != NONE {
                    let pi = p as usize;
                    low[pi] = low[pi].min(low[vi]);
                    if p != s && low[vi] >= disc[pi] {
                        is_cut[pi] = true;
                    }
                }
            }
        }
        if root_children >= 2 {
            is_cut[s as usize] = true;
        }
    }
    is_cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_brokers_between_clusters() {
        // Two triangles joined through c – d; e hangs off d.
        let edges = [
            (0, 1),
            (1, 2),
            (2, 0),
            (2, 3),
            (3, 4),
            (4, 5),
            (5, 3),
            (3, 6),
        ];
        let g = SupplyNetwork::from_index_edges(7, &edges).unwrap();
        let cut: Vec<usize> = articulation_points(&g)
            .iter()
            .enumerate()
            .filter_map(|(i, &c)| c.then_some(i))
            .collect();
        assert_eq!(cut, vec![2, 3]);
    }

    #[test]
    fn a_path_cuts_at_every_inner_node_and_parallel_links_do_not_matter() {
        let g = SupplyNetwork::from_index_edges(4, &[(0, 1), (1, 0), (1, 2), (2, 3)]).unwrap();
        assert_eq!(articulation_points(&g), vec![false, true, true, false]);
    }
}
