//! Concentration of supply and of sales (Zhang 2024: "CR3 of suppliers of important raw
//! materials"; Table 4-7 targets supplier concentration < 0.300, market concentration
//! < 0.400).
//!
//! With shares s_i = w_i / Σ w (w = annual value of the link, or 1 per supplier when
//! values are missing for any of them):
//! CR3 = s_(1) + s_(2) + s_(3) (the three largest), HHI = Σ s_i² ∈ (0, 1]; 1/HHI is the
//! "equivalent number" of suppliers. Supplier concentration is taken over a buyer's
//! suppliers (in-links) or over the suppliers of a stage; market (sales-side)
//! concentration over a supplier's customers (out-links) or over the buyers of a stage.
//! Over the CSR this is one pass over the links: O(n + m) plus a partial sort of each
//! firm's links for CR3.

use crate::graph::SupplyNetwork;
use serde::Serialize;

/// What the shares were computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareBasis {
    /// Annual values of the links.
    Value,
    /// Every counterpart weighs the same (some values were missing).
    Count,
}

/// CR3 and Herfindahl of one set of counterparts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Concentration {
    pub counterparts: usize,
    pub cr3: f64,
    pub hhi: f64,
    pub basis: ShareBasis,
}

impl Concentration {
    /// From the weights of the counterparts (`None` = value unknown). `None` when there
    /// are no counterparts. A zero total falls back to counting.
    pub fn of(weights: &[Option<f64>]) -> Option<Concentration> {
        if weights.is_empty() {
            return None;
        }
        let all_known = weights.iter().all(Option::is_some);
        let total: f64 = weights.iter().map(|w| w.unwrap_or(0.0)).sum();
        let (basis, mut shares): (ShareBasis, Vec<f64>) = if all_known && total > 0.0 {
            (
                ShareBasis::Value,
                weights.iter().map(|w| w.unwrap_or(0.0) / total).collect(),
            )
        } else {
            let k = weights.len() as f64;
            (ShareBasis::Count, vec![1.0 / k; weights.len()])
        };
        let hhi = shares.iter().map(|s| s * s).sum();
        let top = shares.len().min(3);
        if shares.len() > 3 {
            shares.select_nth_unstable_by(2, |a, b| b.total_cmp(a));
        }
        let cr3 = shares[..top].iter().sum();
        Some(Concentration {
            counterparts: weights.len(),
            cr3,
            hhi,
            basis,
        })
    }
}

/// Supplier concentration of every buyer (over its in-links; `None` for firms without
/// suppliers).
pub fn supplier_concentration(net: &SupplyNetwork) -> Vec<Option<Concentration>> {
    let mut buf = Vec::new();
    (0..net.node_count() as u32)
        .map(|v| {
            buf.clear();
            buf.extend(net.in_edges(v).iter().map(|&e| net.edge_value(e)));
            Concentration::of(&buf)
        })
        .collect()
}

/// Market (sales-side) concentration of every supplier over its customers.
pub fn customer_concentration(net: &SupplyNetwork) -> Vec<Option<Concentration>> {
    let mut buf = Vec::new();
    (0..net.node_count() as u32)
        .map(|v| {
            buf.clear();
            buf.extend(net.out_edges(v).map(|e| net.edge_value(e)));
            Concentration::of(&buf)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_cr3_and_hhi() {
        // Shares 0.4, 0.3, 0.2, 0.1: CR3 = 0.9, HHI = 0.16 + 0.09 + 0.04 + 0.01 = 0.30.
        let c = Concentration::of(&[Some(10.0), Some(40.0), Some(20.0), Some(30.0)]).unwrap();
        assert!((c.cr3 - 0.9).abs() < 1e-12);
        assert!((c.hhi - 0.30).abs() < 1e-12);
        assert_eq!(c.basis, ShareBasis::Value);
        // A missing value: four equal shares, CR3 = 0.75, HHI = 0.25.
        let c = Concentration::of(&[Some(10.0), None, Some(20.0), Some(30.0)]).unwrap();
        assert_eq!((c.cr3, c.hhi, c.basis), (0.75, 0.25, ShareBasis::Count));
        assert_eq!(Concentration::of(&[]), None);
        let single = Concentration::of(&[Some(5.0)]).unwrap();
        assert_eq!((single.cr3, single.hhi), (1.0, 1.0));
    }

    #[test]
    fn per_buyer_and_per_supplier() {
        let g = SupplyNetwork::from_index_edges(4, &[(0, 3), (1, 3), (2, 3), (0, 1)]).unwrap();
        let s = supplier_concentration(&g);
        assert!(s[0].is_none());
        assert!((s[3].unwrap().hhi - 1.0 / 3.0).abs() < 1e-12);
        let c = customer_concentration(&g);
        assert_eq!(c[0].unwrap().counterparts, 2);
        assert_eq!(c[0].unwrap().hhi, 0.5);
    }
}
