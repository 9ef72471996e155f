//! Measures of one chain in one region (DESIGN.md §4.2; Zhang 2024 Table 2-1; Gao 2021).
//!
//! * Chain coverage rate D112 = |stages with ≥ 1 enterprise in the region| / |stages|.
//! * Local matching rate D111: for the region's leading enterprises of the chain,
//!   |supply links from suppliers inside the region| / |all their supply links| (by count)
//!   and Σ value of local links / Σ value of all their links (by value).
//!   "Inside" follows the region hierarchy: a supplier in Hangzhou is local to Zhejiang.
//! * Supplier concentration of each stage (CR3, HHI of the value each supplier delivers
//!   from that stage) and of each buyer; market concentration of each stage over its buyers.
//! * External dependence of a core stage = input value bought by its enterprises in the
//!   region from outside the region (resp. outside the country) / all their input value.
//! * Length = the longest supplier → customer path in tiers (links); width = enterprises
//!   per stage (in the region and in total).
//! * Capacity balance: capacity, output and utilisation per stage × region; per stage the
//!   ratio to the mean stage capacity (the smallest is the bottleneck) and the Herfindahl
//!   of its capacity across regions.
//!
//! All are O(enterprises + links) per chain.

use crate::concentration::Concentration;
use crate::error::{Error, Result};
use crate::geography::Geography;
use chainlens_model::{Chain, Dataset, Enterprise, EnterpriseRole, SupplyLink};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A chain of a data set with the indices the measures need.
pub(crate) struct ChainView<'a> {
    pub data: &'a Dataset,
    pub chain: &'a Chain,
    pub geo: Geography<'a>,
    /// Enterprise index by id.
    pub firm: HashMap<&'a str, usize>,
    /// Per stage (chain order): enterprises serving it.
    pub stage_firms: Vec<Vec<usize>>,
    /// Links of this chain (or without a chain) between two enterprises of the chain.
    pub links: Vec<&'a SupplyLink>,
}

impl<'a> ChainView<'a> {
    pub fn new(data: &'a Dataset, chain: &str, country: Option<&'a str>) -> Result<Self> {
        let chain = data
            .chain(chain)
            .ok_or_else(|| Error::UnknownChain(chain.to_owned()))?;
        let firm: HashMap<&str, usize> = data
            .enterprises
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect();
        let mut stage_firms = vec![Vec::new(); chain.stages.len()];
        let mut in_chain = vec![false; data.enterprises.len()];
        for (i, e) in data.enterprises.iter().enumerate() {
            for r in e.stages.iter().filter(|r| r.chain == chain.id) {
                if let Some(k) = chain.stages.iter().position(|s| s.id == r.stage) {
                    stage_firms[k].push(i);
                    in_chain[i] = true;
                }
            }
        }
        let links = data
            .supply_links
            .iter()
            .filter(|l| l.chain.as_deref().is_none_or(|c| c == chain.id))
            .filter(|l| {
                let s = firm.get(l.supplier.as_str());
                let b = firm.get(l.buyer.as_str());
                matches!((s, b), (Some(&s), Some(&b)) if in_chain[s] && in_chain[b])
            })
            .collect();
        Ok(ChainView {
            data,
            chain,
            geo: Geography::new(&data.regions, country),
            firm,
            stage_firms,
            links,
        })
    }

    pub fn enterprise(&self, id: &str) -> Option<&'a Enterprise> {
        self.firm.get(id).map(|&i| &self.data.enterprises[i])
    }

    pub fn in_region(&self, firm: usize, region: Option<&str>) -> bool {
        region.is_none_or(|r| self.geo.within(&self.data.enterprises[firm].region, r))
    }

    pub fn check_region(&self, region: Option<&str>) -> Result<()> {
        match region {
            Some(r) if self.geo.region(r).is_none() => Err(Error::UnknownRegion(r.to_owned())),
            _ => Ok(()),
        }
    }

    /// The stage index a link supplies, if it names one of this chain.
    pub fn link_stage(&self, l: &SupplyLink) -> Option<usize> {
        let s = l.stage.as_deref()?;
        self.chain.stages.iter().position(|st| st.id == s)
    }
}

/// D112 with the stages found missing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub stages: usize,
    pub covered: usize,
    pub rate: f64,
    pub missing: Vec<String>,
}

/// D111 by count and by value (`None` when there is nothing to divide by).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LocalMatching {
    pub leading_enterprises: usize,
    pub links: usize,
    pub local_links: usize,
    pub value: f64,
    pub local_value: f64,
    pub rate_by_count: Option<f64>,
    pub rate_by_value: Option<f64>,
}

/// The two structural indicators of chain integrity (C11) the resilience index uses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChainIntegrity {
    pub chain: String,
    pub region: String,
    /// D112.
    pub coverage: Coverage,
    /// D111.
    pub local_matching: LocalMatching,
}

/// D111 and D112 of `chain` in `region` (a province counts the firms of its cities).
pub fn chain_integrity(data: &Dataset, chain: &str, region: &str) -> Result<ChainIntegrity> {
    let view = ChainView::new(data, chain, None)?;
    view.check_region(Some(region))?;
    Ok(ChainIntegrity {
        chain: chain.to_owned(),
        region: region.to_owned(),
        coverage: coverage(&view, Some(region)),
        local_matching: local_matching(&view, region),
    })
}

pub(crate) fn coverage(view: &ChainView, region: Option<&str>) -> Coverage {
    let missing: Vec<String> = view
        .chain
        .stages
        .iter()
        .zip(&view.stage_firms)
        .filter(|(_, firms)| !firms.iter().any(|&f| view.in_region(f, region)))
        .map(|(s, _)| s.id.clone())
        .collect();
    let stages = view.chain.stages.len();
    let covered = stages - missing.len();
    Coverage {
        stages,
        covered,
        rate: if stages == 0 {
            0.0
        } else {
            covered as f64 / stages as f64
        },
        missing,
    }
}

pub(crate) fn local_matching(view: &ChainView, region: &str) -> LocalMatching {
    let leaders: Vec<&str> = view
        .stage_firms
        .iter()
        .flatten()
        .map(|&f| &view.data.enterprises[f])
        .filter(|e| e.role == EnterpriseRole::Leading && view.geo.within(&e.region, region))
        .map(|e| e.id.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let (mut links, mut local_links, mut value, mut local_value) = (0, 0, 0.0, 0.0);
    for l in view
        .links
        .iter()
        .filter(|l| leaders.contains(&l.buyer.as_str()))
    {
        let local = view
            .enterprise(&l.supplier)
            .is_some_and(|s| view.geo.within(&s.region, region));
        let v = l.value.unwrap_or(0.0);
        links += 1;
        value += v;
        if local {
            local_links += 1;
            local_value += v;
        }
    }
    LocalMatching {
        leading_enterprises: leaders.len(),
        links,
        local_links,
        value,
        local_value,
        rate_by_count: (links > 0).then(|| local_links as f64 / links as f64),
        rate_by_value: (value > 0.0).then(|| local_value / value),
    }
}

/// Concentration of one stage: its suppliers (who delivers the stage's output) and its
/// market (who buys it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageConcentration {
    pub stage: String,
    pub suppliers: Option<Concentration>,
    pub buyers: Option<Concentration>,
}

/// Supplier concentration of one buyer for one input stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BuyerConcentration {
    pub buyer: String,
    /// The input stage (`None`: links that name no stage).
    pub stage: Option<String>,
    pub suppliers: Concentration,
}

fn grouped(pairs: impl Iterator<Item = (String, Option<f64>)>) -> Option<Concentration> {
    let mut by: BTreeMap<String, Option<f64>> = BTreeMap::new();
    for (k, v) in pairs {
        let e = by.entry(k).or_insert(Some(0.0));
        *e = match (*e, v) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
    }
    Concentration::of(&by.into_values().collect::<Vec<_>>())
}

pub(crate) fn stage_concentration(view: &ChainView) -> Vec<StageConcentration> {
    view.chain
        .stages
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let of_stage = || {
                view.links
                    .iter()
                    .filter(move |l| view.link_stage(l) == Some(k))
            };
            StageConcentration {
                stage: s.id.clone(),
                suppliers: grouped(of_stage().map(|l| (l.supplier.clone(), l.value))),
                buyers: grouped(of_stage().map(|l| (l.buyer.clone(), l.value))),
            }
        })
        .collect()
}

pub(crate) fn buyer_concentration(
    view: &ChainView,
    region: Option<&str>,
) -> Vec<BuyerConcentration> {
    let mut groups: BTreeMap<(&str, Option<&str>), Vec<&SupplyLink>> = BTreeMap::new();
    for l in &view.links {
        groups
            .entry((l.buyer.as_str(), l.stage.as_deref()))
            .or_default()
            .push(l);
    }
    groups
        .into_iter()
        .filter(|((b, _), _)| view.firm.get(b).is_some_and(|&f| view.in_region(f, region)))
        .filter_map(|((buyer, stage), links)| {
            let c = grouped(links.iter().map(|l| (l.supplier.clone(), l.value)))?;
            Some(BuyerConcentration {
                buyer: buyer.to_owned(),
                stage: stage.map(str::to_owned),
                suppliers: c,
            })
        })
        .collect()
}

/// External dependence of one core stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExternalDependence {
    pub stage: String,
    pub input_value: f64,
    pub outside_region: Option<f64>,
    pub outside_country: Option<f64>,
    /// Count-based shares when no input value is known.
    pub by_count: bool,
}

pub(crate) fn external_dependence(view: &ChainView, region: &str) -> Vec<ExternalDependence> {
    view.chain
        .stages
        .iter()
        .zip(&view.stage_firms)
        .filter(|(s, _)| s.core)
        .map(|(s, firms)| {
            let buyers: Vec<&str> = firms
                .iter()
                .filter(|&&f| view.in_region(f, Some(region)))
                .map(|&f| view.data.enterprises[f].id.as_str())
                .collect();
            let inputs: Vec<&&SupplyLink> = view
                .links
                .iter()
                .filter(|l| buyers.contains(&l.buyer.as_str()))
                .collect();
            let total: f64 = inputs.iter().map(|l| l.value.unwrap_or(0.0)).sum();
            let by_count = total <= 0.0;
            let weight = |l: &SupplyLink| {
                if by_count {
                    1.0
                } else {
                    l.value.unwrap_or(0.0)
                }
            };
            let denominator: f64 = inputs.iter().map(|l| weight(l)).sum();
            let share = |outside: &dyn Fn(&str) -> bool| {
                (denominator > 0.0).then(|| {
                    inputs
                        .iter()
                        .filter(|l| {
                            view.enterprise(&l.supplier)
                                .is_some_and(|e| outside(&e.region))
                        })
                        .map(|l| weight(l))
                        .sum::<f64>()
                        / denominator
                })
            };
            ExternalDependence {
                stage: s.id.clone(),
                input_value: total,
                outside_region: share(&|r| !view.geo.within(r, region)),
                outside_country: share(&|r| !view.geo.domestic(r, region)),
                by_count,
            }
        })
        .collect()
}

/// Length and width of the chain's firm network.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shape {
    /// Longest supplier → customer path, in tiers (links).
    pub length: usize,
    /// Firms on supplier cycles (left out of the length).
    pub on_cycles: usize,
    /// Enterprises per stage: (stage, in region, in total).
    pub width: Vec<StageWidth>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageWidth {
    pub stage: String,
    pub in_region: usize,
    pub total: usize,
}

pub(crate) fn shape(view: &ChainView, region: Option<&str>) -> Shape {
    let n = view.data.enterprises.len();
    let mut indegree = vec![0usize; n];
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut members = vec![false; n];
    for l in &view.links {
        let (s, b) = (view.firm[l.supplier.as_str()], view.firm[l.buyer.as_str()]);
        if view.in_region(s, region) && view.in_region(b, region) {
            succ[s].push(b);
            indegree[b] += 1;
            members[s] = true;
            members[b] = true;
        }
    }
    let mut depth = vec![0usize; n];
    let mut ready: Vec<usize> = (0..n).filter(|&i| members[i] && indegree[i] == 0).collect();
    let mut seen = 0;
    while let Some(v) = ready.pop() {
        seen += 1;
        for &w in &succ[v] {
            depth[w] = depth[w].max(depth[v] + 1);
            indegree[w] -= 1;
            if indegree[w] == 0 {
                ready.push(w);
            }
        }
    }
    let width = view
        .chain
        .stages
        .iter()
        .zip(&view.stage_firms)
        .map(|(s, firms)| StageWidth {
            stage: s.id.clone(),
            in_region: firms.iter().filter(|&&f| view.in_region(f, region)).count(),
            total: firms.len(),
        })
        .collect();
    Shape {
        length: depth.into_iter().max().unwrap_or(0),
        on_cycles: members.iter().filter(|&&m| m).count() - seen,
        width,
    }
}

/// Capacity of one stage in one region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapacityCell {
    pub stage: String,
    pub region: String,
    pub enterprises: usize,
    pub capacity: f64,
    pub output: f64,
    /// output / capacity where capacity is known.
    pub utilisation: Option<f64>,
}

/// Balance of one stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageBalance {
    pub stage: String,
    pub capacity: f64,
    /// Capacity / mean capacity over the chain's stages (below 1: thinner than average).
    pub relative: Option<f64>,
    /// Herfindahl of the stage's capacity across regions (1 = all in one region).
    pub regional_hhi: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapacityBalance {
    pub cells: Vec<CapacityCell>,
    pub stages: Vec<StageBalance>,
    /// The stage with the least capacity (the chain's bottleneck).
    pub bottleneck: Option<String>,
}

/// Capacity per stage × region. An enterprise serving several stages counts in each.
/// Regions are the enterprises' own regions (cities, where the data has them).
pub(crate) fn capacity_balance(view: &ChainView) -> CapacityBalance {
    let mut cells = Vec::new();
    let mut stages = Vec::new();
    for (s, firms) in view.chain.stages.iter().zip(&view.stage_firms) {
        let mut by_region: BTreeMap<&str, (usize, f64, f64, f64)> = BTreeMap::new();
        for &f in firms {
            let e = &view.data.enterprises[f];
            let c = by_region.entry(e.region.as_str()).or_default();
            c.0 += 1;
            c.1 += e.capacity.unwrap_or(0.0);
            c.2 += e.output.unwrap_or(0.0);
            if e.capacity.is_some() {
                c.3 += e.output.unwrap_or(0.0);
            }
        }
        let total: f64 = by_region.values().map(|c| c.1).sum();
        for (r, (k, cap, out, out_with_cap)) in &by_region {
            cells.push(CapacityCell {
                stage: s.id.clone(),
                region: (*r).to_owned(),
                enterprises: *k,
                capacity: *cap,
                output: *out,
                utilisation: (*cap > 0.0).then(|| out_with_cap / cap),
            });
        }
        stages.push(StageBalance {
            stage: s.id.clone(),
            capacity: total,
            relative: None,
            regional_hhi: (total > 0.0)
                .then(|| by_region.values().map(|c| (c.1 / total).powi(2)).sum()),
        });
    }
    let mean = stages.iter().map(|s| s.capacity).sum::<f64>() / stages.len().max(1) as f64;
    for s in &mut stages {
        s.relative = (mean > 0.0).then(|| s.capacity / mean);
    }
    let bottleneck = stages
        .iter()
        .filter(|_| mean > 0.0)
        .min_by(|a, b| a.capacity.total_cmp(&b.capacity))
        .map(|s| s.stage.clone());
    CapacityBalance {
        cells,
        stages,
        bottleneck,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::geography::tests::regions;
    use chainlens_model::{Position, Segment, Stage, StageInput, StageRef};

    pub(crate) fn firm(
        id: &str,
        region: &str,
        stages: &[&str],
        role: EnterpriseRole,
        capacity: f64,
        output: f64,
    ) -> Enterprise {
        Enterprise {
            id: id.into(),
            name: id.into(),
            region: region.into(),
            sector: None,
            stages: stages
                .iter()
                .map(|s| StageRef {
                    chain: "fibre".into(),
                    stage: (*s).into(),
                })
                .collect(),
            role,
            capacity: Some(capacity),
            output: Some(output),
            employees: None,
            total_assets: None,
            operating_income: None,
            rd_expenditure: None,
            invention_patents: None,
            cash: None,
            attributes: BTreeMap::new(),
        }
    }

    pub(crate) fn link(s: &str, b: &str, stage: &str, value: f64) -> SupplyLink {
        SupplyLink {
            supplier: s.into(),
            buyer: b.into(),
            chain: Some("fibre".into()),
            stage: Some(stage.into()),
            value: Some(value),
            share: None,
            lead_time_days: None,
            inventory_days: None,
            essential: true,
            receivable: None,
            overdue_days: None,
        }
    }

    fn stage(id: &str, core: bool, inputs: &[(&str, bool)]) -> Stage {
        Stage {
            id: id.into(),
            name: id.into(),
            segment: Segment::Production,
            position: Position::Midstream,
            core,
            sector: None,
            inputs: inputs
                .iter()
                .map(|&(s, essential)| StageInput {
                    stage: s.into(),
                    essential,
                })
                .collect(),
        }
    }

    /// The optical-fibre chain of Gao (2021), hand-sized: preform → fibre → cable, plus
    /// devices (no enterprise anywhere) and switches (only abroad).
    pub(crate) fn fibre() -> Dataset {
        use EnterpriseRole::*;
        Dataset {
            regions: regions(),
            chains: vec![Chain {
                id: "fibre".into(),
                name: "Optical fibre".into(),
                description: None,
                stages: vec![
                    stage("preform", true, &[]),
                    stage("fibre", true, &[("preform", true)]),
                    stage("cable", false, &[("fibre", true), ("devices", false)]),
                    stage("devices", false, &[]),
                    stage("switch", false, &[("cable", true)]),
                ],
            }],
            enterprise_years: vec![],
            enterprises: vec![
                firm("p1", "hangzhou", &["preform"], Supporting, 100.0, 90.0),
                firm("p2", "suzhou", &["preform"], Specialised, 50.0, 20.0),
                firm("f1", "hangzhou", &["fibre"], Supporting, 80.0, 70.0),
                firm("f2", "germany", &["fibre"], Supporting, 60.0, 30.0),
                firm("c1", "hangzhou", &["cable"], Leading, 200.0, 150.0),
                firm("c2", "ningbo", &["cable"], Specialised, 40.0, 10.0),
                firm("s1", "germany", &["switch"], Supporting, 30.0, 30.0),
            ],
            supply_links: vec![
                link("p1", "f1", "preform", 60.0),
                link("p2", "f1", "preform", 20.0),
                link("p1", "f2", "preform", 20.0),
                link("f1", "c1", "fibre", 50.0),
                link("f2", "c1", "fibre", 30.0),
                link("f1", "c2", "fibre", 10.0),
                link("c1", "s1", "cable", 100.0),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn coverage_and_local_matching_by_hand() {
        let d = fibre();
        let zj = chain_integrity(&d, "fibre", "zhejiang").unwrap();
        // Zhejiang has preform, fibre, cable; not devices nor switch: 3/5.
        assert_eq!(zj.coverage.rate, 0.6);
        assert_eq!(zj.coverage.missing, vec!["devices", "switch"]);
        // Leader c1 (Hangzhou) buys from f1 (local, 50) and f2 (Germany, 30).
        let m = &zj.local_matching;
        assert_eq!((m.leading_enterprises, m.links, m.local_links), (1, 2, 1));
        assert_eq!(m.rate_by_count, Some(0.5));
        assert_eq!(m.rate_by_value, Some(50.0 / 80.0));
        // Jiangsu has no leader: D111 undefined; coverage 1/5.
        let js = chain_integrity(&d, "fibre", "jiangsu").unwrap();
        assert_eq!(js.local_matching.rate_by_count, None);
        assert_eq!(js.coverage.rate, 0.2);
        assert!(matches!(
            chain_integrity(&d, "fibre", "mars"),
            Err(Error::UnknownRegion(_))
        ));
    }

    #[test]
    fn stage_concentration_external_dependence_shape_and_balance() {
        let d = fibre();
        let view = ChainView::new(&d, "fibre", Some("china")).unwrap();
        let sc = stage_concentration(&view);
        // Preform suppliers: p1 80, p2 20 → CR3 1, HHI 0.64 + 0.04.
        let pre = sc[0].suppliers.unwrap();
        assert!((pre.hhi - 0.68).abs() < 1e-12);
        assert_eq!(pre.cr3, 1.0);
        // Preform buyers: f1 80, f2 20.
        assert!((sc[0].buyers.unwrap().hhi - 0.68).abs() < 1e-12);
        let ext = external_dependence(&view, "zhejiang");
        assert_eq!(
            ext.iter().map(|e| e.stage.as_str()).collect::<Vec<_>>(),
            ["preform", "fibre"]
        );
        // Fibre maker f1 (Zhejiang) buys 60 from Hangzhou, 20 from Suzhou (Jiangsu).
        assert_eq!(ext[1].outside_region, Some(0.25));
        assert_eq!(ext[1].outside_country, Some(0.0));
        assert_eq!(ext[0].outside_region, None);
        let sh = shape(&view, None);
        assert_eq!((sh.length, sh.on_cycles), (3, 0));
        assert_eq!(
            sh.width[1],
            StageWidth {
                stage: "fibre".into(),
                in_region: 2,
                total: 2
            }
        );
        let b = capacity_balance(&view);
        assert_eq!(b.bottleneck.as_deref(), Some("devices"));
        let cable = b.stages.iter().find(|s| s.stage == "cable").unwrap();
        assert!((cable.relative.unwrap() - 240.0 / 112.0).abs() < 1e-12);
        assert!(
            (cable.regional_hhi.unwrap()
                - ((200.0f64 / 240.0).powi(2) + (40.0f64 / 240.0).powi(2)))
            .abs()
                < 1e-12
        );
        let bc = buyer_concentration(&view, Some("zhejiang"));
        let c1 = bc.iter().find(|c| c.buyer == "c1").unwrap();
        assert!((c1.suppliers.hhi - (0.625f64.powi(2) + 0.375f64.powi(2))).abs() < 1e-12);
    }
}
