//! Chain fusion (Gao 2021; the English text once says "chain financing" but describes
//! fusion: bring the firms and small chains that are not integrated into the core supply
//! chain — no path to a core enterprise, or a chain that ends abroad — into it).
//!
//! **Core supply chain**: the chain's leading enterprises (the cores) and every firm with
//! a path of the chain's supply links to or from a core. **Outsiders**: the chain's firms
//! off it, and firms whose buyers in the chain are all abroad (their chain ends abroad).
//!
//! **Candidate links** for an outsider f serving stage s: as a supplier, to core-chain
//! firms serving a stage that has s as an input; as a buyer, from core-chain firms serving
//! one of s's input stages. Each candidate is scored
//! 0.4·near + 0.4·headroom + 0.2·core, with near = 1 − distance class/4 (same city 0 …
//! abroad 4), headroom = the supplying side's spare capacity (capacity − output) over the
//! largest spare capacity among f's candidates (0 when unknown), core = 1 when the
//! counterpart is itself a core; ties by id. **Gain** of linking every outsider to its
//! best candidate: the share of the chain's firms in the core supply chain, and D111 (the
//! cores' local purchases), before and after; the new link's value is the supplying
//! side's spare capacity, at most what the buyer buys of the stage now. O(outsiders ×
//! firms) plus two reachability passes O(firms + links).

use crate::error::Result;
use crate::measure::{Measure, MeasureKind};
use crate::protection::round2;
use chainlens_model::{Dataset, Enterprise, EnterpriseRole, SupplyLink};
use chainlens_network::{DistanceClass, Geography, chain_integrity};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FusionLink {
    pub supplier: String,
    pub buyer: String,
    pub stage: String,
    pub score: f64,
    pub distance: DistanceClass,
    pub spare_capacity: Option<f64>,
    pub value: Option<f64>,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outsider {
    pub id: String,
    /// `not_integrated` or `ends_abroad`.
    pub why: &'static str,
    pub stages: Vec<String>,
    /// Best first.
    pub candidates: Vec<FusionLink>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FusionPlan {
    pub chain: String,
    pub region: String,
    pub cores: Vec<String>,
    pub firms: usize,
    pub outsiders: Vec<Outsider>,
    /// Share of the chain's firms in the core supply chain, before and after.
    pub integrated_before: f64,
    pub integrated_after: f64,
    pub local_matching_before: Option<f64>,
    pub local_matching_after: Option<f64>,
    pub measures: Vec<Measure>,
}

fn spare(e: &Enterprise) -> Option<f64> {
    match (e.capacity, e.output) {
        (Some(c), Some(o)) => Some((c - o).max(0.0)),
        _ => None,
    }
}

/// Firms of `members` (indices into `data.enterprises`) linked to a core by a path of
/// `links` in either direction.
fn integrated(data: &Dataset, members: &[usize], links: &[&SupplyLink]) -> Vec<bool> {
    let index: HashMap<&str, usize> = members
        .iter()
        .enumerate()
        .map(|(k, &i)| (data.enterprises[i].id.as_str(), k))
        .collect();
    let n = members.len();
    let mut up = vec![Vec::new(); n];
    let mut down = vec![Vec::new(); n];
    for l in links {
        if let (Some(&s), Some(&b)) = (index.get(l.supplier.as_str()), index.get(l.buyer.as_str()))
        {
            down[s].push(b);
            up[b].push(s);
        }
    }
    let mut seen = vec![false; n];
    for adjacency in [&up, &down] {
        let mut reached: Vec<bool> = members
            .iter()
            .map(|&i| data.enterprises[i].role == EnterpriseRole::Leading)
            .collect();
        let mut stack: Vec<usize> = (0..n).filter(|&k| reached[k]).collect();
        while let Some(v) = stack.pop() {
            for &w in &adjacency[v] {
                if !reached[w] {
                    reached[w] = true;
                    stack.push(w);
                }
            }
        }
        for k in 0..n {
            seen[k] |= reached[k];
        }
    }
    seen
}

/// The fusion plan of `chain` seen from `home` (distances, D111).
pub fn fusion_plan(
    data: &Dataset,
    chain_id: &str,
    home: &str,
    country: Option<&str>,
) -> Result<FusionPlan> {
    let chain = data
        .chain(chain_id)
        .ok_or_else(|| chainlens_network::Error::UnknownChain(chain_id.to_owned()))?;
    let geo = Geography::new(&data.regions, country);
    let members: Vec<usize> = (0..data.enterprises.len())
        .filter(|&i| {
            data.enterprises[i]
                .stages
                .iter()
                .any(|s| s.chain == chain_id)
        })
        .collect();
    let links: Vec<&SupplyLink> = data
        .supply_links
        .iter()
        .filter(|l| l.chain.as_deref() == Some(chain_id))
        .collect();
    let by_id: HashMap<&str, &Enterprise> = data
        .enterprises
        .iter()
        .map(|e| (e.id.as_str(), e))
        .collect();
    let inside = integrated(data, &members, &links);
    let stages_of = |e: &Enterprise| -> Vec<String> {
        e.stages
            .iter()
            .filter(|s| s.chain == chain_id)
            .map(|s| s.stage.clone())
            .collect()
    };
    let abroad = |e: &Enterprise| geo.distance(home, &e.region) == DistanceClass::Abroad;
    let mut outsiders = Vec::new();
    for (k, &i) in members.iter().enumerate() {
        let f = &data.enterprises[i];
        let buyers: Vec<&Enterprise> = links
            .iter()
            .filter(|l| l.supplier == f.id)
            .filter_map(|l| by_id.get(l.buyer.as_str()).copied())
            .collect();
        let why = if !inside[k] {
            "not_integrated"
        } else if !buyers.is_empty() && !abroad(f) && buyers.iter().all(|b| abroad(b)) {
            "ends_abroad"
        } else {
            continue;
        };
        let stages = stages_of(f);
        let mut candidates = Vec::new();
        for (kk, &j) in members.iter().enumerate() {
            let other = &data.enterprises[j];
            if j == i || !inside[kk] || abroad(other) {
                continue;
            }
            let other_stages = stages_of(other);
            for s in &stages {
                // f supplies `other` when other's stage takes s as input; f buys from
                // `other` when s takes other's stage as input.
                for os in &other_stages {
                    let takes = |buyer: &str, input: &str| {
                        chain
                            .stage(buyer)
                            .is_some_and(|st| st.inputs.iter().any(|x| x.stage == input))
                    };
                    let (supplier, buyer, stage) = if takes(os, s) {
                        (f, other, s.clone())
                    } else if takes(s, os) {
                        (other, f, os.clone())
                    } else {
                        continue;
                    };
                    if links
                        .iter()
                        .any(|l| l.supplier == supplier.id && l.buyer == buyer.id)
                    {
                        continue;
                    }
                    let bought: f64 = links
                        .iter()
                        .filter(|l| {
                            l.buyer == buyer.id && l.stage.as_deref() == Some(stage.as_str())
                        })
                        .filter_map(|l| l.value)
                        .sum();
                    let room = spare(supplier);
                    let value = room.map(|r| if bought > 0.0 { r.min(bought) } else { r });
                    candidates.push(FusionLink {
                        supplier: supplier.id.clone(),
                        buyer: buyer.id.clone(),
                        stage,
                        score: 0.0,
                        distance: geo.distance(&f.region, &other.region),
                        spare_capacity: room,
                        value,
                        reasons: Vec::new(),
                    });
                }
            }
        }
        let most = candidates
            .iter()
            .filter_map(|c| c.spare_capacity)
            .fold(0.0, f64::max);
        for c in &mut candidates {
            let near = 1.0 - c.distance.rank() as f64 / 4.0;
            let headroom = match c.spare_capacity {
                Some(s) if most > 0.0 => s / most,
                _ => 0.0,
            };
            let counterpart = if c.supplier == f.id {
                &c.buyer
            } else {
                &c.supplier
            };
            let core = by_id
                .get(counterpart.as_str())
                .is_some_and(|e| e.role == EnterpriseRole::Leading);
            c.score = 0.4 * near + 0.4 * headroom + 0.2 * f64::from(u8::from(core));
            c.reasons = vec![
                format!("{} ({near:.2})", c.distance.as_str()),
                match c.spare_capacity {
                    Some(s) => format!("spare capacity {} ({headroom:.2})", round2(s)),
                    None => "spare capacity unknown (0)".to_owned(),
                },
                if core {
                    format!("{counterpart} is a core enterprise")
                } else {
                    format!("{counterpart} is in the core supply chain")
                },
            ];
        }
        candidates.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.supplier.cmp(&b.supplier))
                .then(a.buyer.cmp(&b.buyer))
        });
        outsiders.push(Outsider {
            id: f.id.clone(),
            why,
            stages,
            candidates,
        });
    }
    let share = |v: &[bool]| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().filter(|&&x| x).count() as f64 / v.len() as f64
        }
    };
    let mut fused = data.clone();
    for o in &outsiders {
        if let Some(c) = o.candidates.first() {
            fused.supply_links.push(SupplyLink {
                supplier: c.supplier.clone(),
                buyer: c.buyer.clone(),
                chain: Some(chain_id.to_owned()),
                stage: Some(c.stage.clone()),
                value: c.value,
                share: None,
                lead_time_days: None,
                inventory_days: None,
                essential: true,
                receivable: None,
                overdue_days: None,
            });
        }
    }
    let fused_links: Vec<&SupplyLink> = fused
        .supply_links
        .iter()
        .filter(|l| l.chain.as_deref() == Some(chain_id))
        .collect();
    let after = integrated(&fused, &members, &fused_links);
    let d111 = |d: &Dataset| -> Result<Option<f64>> {
        let i = chain_integrity(d, chain_id, home)?;
        Ok(i.local_matching
            .rate_by_value
            .or(i.local_matching.rate_by_count))
    };
    let cores: Vec<String> = members
        .iter()
        .map(|&i| &data.enterprises[i])
        .filter(|e| e.role == EnterpriseRole::Leading)
        .map(|e| e.id.clone())
        .collect();
    let mut plan = FusionPlan {
        chain: chain.id.clone(),
        region: home.to_owned(),
        cores,
        firms: members.len(),
        integrated_before: share(&inside),
        integrated_after: share(&after),
        local_matching_before: d111(data)?,
        local_matching_after: d111(&fused)?,
        outsiders,
        measures: Vec::new(),
    };
    plan.measures = measures(&plan);
    Ok(plan)
}

fn measures(p: &FusionPlan) -> Vec<Measure> {
    p.outsiders
        .iter()
        .filter_map(|o| {
            let c = o.candidates.first()?;
            let why = match o.why {
                "not_integrated" => "has no path of supply links to or from a core enterprise",
                _ => "sells only abroad: its chain ends outside the country",
            };
            let mut numbers = BTreeMap::from([
                ("score".to_owned(), c.score),
                ("integrated_before".to_owned(), p.integrated_before),
                ("integrated_after".to_owned(), p.integrated_after),
            ]);
            if let Some(v) = c.value {
                numbers.insert("value".into(), v);
            }
            if let (Some(b), Some(a)) = (p.local_matching_before, p.local_matching_after) {
                numbers.insert("local_matching_before".into(), b);
                numbers.insert("local_matching_after".into(), a);
            }
            Some(Measure {
                kind: MeasureKind::Fusion,
                action: format!(
                    "link {} → {} for `{}`{}",
                    c.supplier,
                    c.buyer,
                    c.stage,
                    c.value.map(|v| format!(" (up to {})", round2(v))).unwrap_or_default()
                ),
                firms: vec![c.supplier.clone(), c.buyer.clone()],
                reason: format!(
                    "{} {why}; best of {} candidate link(s), score {:.3} ({}); with every outsider linked, the core \
                     supply chain holds {:.1} % of the chain's firms instead of {:.1} %",
                    o.id,
                    o.candidates.len(),
                    c.score,
                    c.reasons.join(", "),
                    100.0 * p.integrated_after,
                    100.0 * p.integrated_before
                ),
                numbers,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::whatif::tests::small;

    #[test]
    fn a_stray_cell_maker_is_linked_to_the_core_by_hand() {
        // The small chain plus C1, a cell maker in city b (capacity 100, output 40) that
        // buys lithium from L2 but sells to no one.
        let mut d = small();
        let mut c1 = d.enterprises[2].clone();
        c1.id = "C1".into();
        c1.region = "b".into();
        c1.output = Some(40.0);
        d.enterprises.push(c1);
        let mut l = d.supply_links[1].clone();
        l.buyer = "C1".into();
        d.supply_links.push(l);
        let p = fusion_plan(&d, "ev", "p", Some("cn")).unwrap();
        assert_eq!(p.cores, ["K"]);
        // Paths to K: L1, L2 → C2 → K. B1 (buys from C2) and C1 have no path to or from K.
        let out: Vec<(&str, &str)> = p.outsiders.iter().map(|o| (o.id.as_str(), o.why)).collect();
        assert_eq!(out, [("B1", "not_integrated"), ("C1", "not_integrated")]);
        assert!(
            p.outsiders[0].candidates.is_empty(),
            "no domestic stage buys or sells cars"
        );
        // C1 → K for cells: same province (near 0.75), spare 60 of the most 60 (1), K is
        // a core (1): 0.4·0.75 + 0.4 + 0.2 = 0.9; value min(spare 60, K's cells 50) = 50.
        let c = &p.outsiders[1].candidates[0];
        assert_eq!(
            (c.supplier.as_str(), c.buyer.as_str(), c.stage.as_str()),
            ("C1", "K", "cell")
        );
        assert!((c.score - 0.9).abs() < 1e-15);
        assert_eq!(c.value, Some(50.0));
        assert_eq!(p.outsiders[1].candidates.len(), 1, "L2 → C1 exists already");
        // Integrated 4 of 6 before, 5 of 6 after; D111 0/50 → 50/100.
        assert_eq!(
            (p.integrated_before, p.integrated_after),
            (4.0 / 6.0, 5.0 / 6.0)
        );
        assert_eq!(
            (p.local_matching_before, p.local_matching_after),
            (Some(0.0), Some(0.5))
        );
        assert_eq!(p.measures.len(), 1);
        assert_eq!(p.measures[0].firms, ["C1", "K"]);
    }

    #[test]
    fn a_supplier_selling_only_abroad_ends_abroad() {
        // In the small chain L2 (city a) sells lithium only to C2 abroad.
        let p = fusion_plan(&small(), "ev", "p", Some("cn")).unwrap();
        assert!(
            p.outsiders
                .iter()
                .any(|o| o.id == "L2" && o.why == "ends_abroad")
        );
    }
}
