//! Breakpoints of a chain (Gao 2021, "find the breakpoints in the supply chain") and the
//! whole chain analysis that `chainlens network` shows.
//!
//! Breakpoints, each with its kind:
//! * `stage_missing_in_region`: no enterprise of the stage in the region (anywhere else: yes);
//! * `stage_missing`: no enterprise of the stage anywhere in the data;
//! * `single_enterprise_stage`: an essential input stage served by one enterprise only;
//! * `single_supplier`: a buyer gets an essential input stage from exactly one supplier
//!   (essential per the chain's stage inputs, or per the link's own `essential` flag).
//!
//! Single points of failure come from [`crate::dominators`] (firms dominating others,
//! scored by dominated output, then count), post-dominators and articulation points of
//! the chain's firm network. Concentration hot spots are stages and buyers whose supplier
//! HHI reaches the threshold (default 0.25, "highly concentrated" in antitrust practice).

use crate::articulation::articulation_points;
use crate::dominators::{Dominators, dominators, post_dominators};
use crate::error::Result;
use crate::graph::{Scope, SupplyNetwork, Warning};
use crate::measures::{
    BuyerConcentration, CapacityBalance, ChainIntegrity, ChainView, Coverage, ExternalDependence,
    Shape, StageConcentration, buyer_concentration, capacity_balance, coverage,
    external_dependence, local_matching, shape, stage_concentration,
};
use chainlens_model::Dataset;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One breakpoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Breakpoint {
    StageMissingInRegion {
        stage: String,
        region: String,
    },
    StageMissing {
        stage: String,
    },
    SingleEnterpriseStage {
        stage: String,
        enterprise: String,
        used_by: Vec<String>,
    },
    SingleSupplier {
        buyer: String,
        input: String,
        supplier: String,
    },
}

impl Breakpoint {
    pub fn describe(&self) -> String {
        match self {
            Breakpoint::StageMissingInRegion { stage, region } => {
                format!("stage `{stage}` has no enterprise in {region}")
            }
            Breakpoint::StageMissing { stage } => {
                format!("stage `{stage}` has no enterprise anywhere")
            }
            Breakpoint::SingleEnterpriseStage {
                stage,
                enterprise,
                used_by,
            } => format!(
                "stage `{stage}` is served by `{enterprise}` alone (essential input of {})",
                used_by.join(", ")
            ),
            Breakpoint::SingleSupplier {
                buyer,
                input,
                supplier,
            } => {
                format!("`{buyer}` buys essential `{input}` from `{supplier}` only")
            }
        }
    }
}

/// Settings of the `[network]` section of chainlens.toml.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NetworkConfig {
    /// Supplier HHI from which a stage or buyer is a concentration hot spot.
    pub hot_spot_hhi: f64,
    /// How many single points of failure to list.
    pub top: usize,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        NetworkConfig {
            hot_spot_hhi: 0.25,
            top: 10,
        }
    }
}

/// Per-firm result of the graph screens.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeReport {
    pub id: String,
    /// Immediate dominator (`None`: only the virtual source, or unreachable).
    pub idom: Option<String>,
    pub dominated_count: u32,
    pub dominated_output: f64,
    /// Immediate post-dominator towards final customers.
    pub post_idom: Option<String>,
    pub post_dominated_count: u32,
    pub articulation: bool,
}

/// A firm whose failure cuts others off.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SinglePoint {
    pub id: String,
    pub region: Option<String>,
    pub dominated_count: u32,
    pub dominated_output: f64,
    /// The first dominated firms (by output), for the terminal map.
    pub dominates: Vec<String>,
    pub articulation: bool,
}

/// Per-firm screens of any network (workspace or plain files).
pub fn node_reports(net: &SupplyNetwork) -> (Vec<NodeReport>, Dominators) {
    let dom = dominators(net);
    let post = post_dominators(net);
    let cut = articulation_points(net);
    let name = |d: Option<u32>| d.map(|v| net.id(v).to_owned());
    let nodes = (0..net.node_count() as u32)
        .map(|v| {
            let i = v as usize;
            NodeReport {
                id: net.id(v).to_owned(),
                idom: name(dom.idom_firm(v)),
                dominated_count: dom.dominated_count[i],
                dominated_output: dom.dominated_output[i],
                post_idom: name(post.idom_firm(v)),
                post_dominated_count: post.dominated_count[i],
                articulation: cut[i],
            }
        })
        .collect();
    (nodes, dom)
}

/// Firms dominating at least one other, by dominated output then count, first `top`.
pub fn single_points(
    net: &SupplyNetwork,
    dom: &Dominators,
    cut: &[bool],
    top: usize,
) -> Vec<SinglePoint> {
    let mut children: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for v in 0..net.node_count() as u32 {
        if let Some(d) = dom.idom_firm(v) {
            children.entry(d).or_default().push(v);
        }
    }
    let mut points: Vec<u32> = children.keys().copied().collect();
    points.sort_by(|&a, &b| {
        dom.dominated_output[b as usize]
            .total_cmp(&dom.dominated_output[a as usize])
            .then(dom.dominated_count[b as usize].cmp(&dom.dominated_count[a as usize]))
            .then(net.id(a).cmp(net.id(b)))
    });
    points.truncate(top);
    points
        .into_iter()
        .map(|d| {
            // Everything d dominates: walk its dominator subtree.
            let mut all = Vec::new();
            let mut stack = children[&d].clone();
            while let Some(v) = stack.pop() {
                all.push(v);
                if let Some(c) = children.get(&v) {
                    stack.extend(c);
                }
            }
            all.sort_by(|&a, &b| {
                let o = |v: u32| net.attrs(v).output.unwrap_or(0.0);
                o(b).total_cmp(&o(a)).then(net.id(a).cmp(net.id(b)))
            });
            SinglePoint {
                id: net.id(d).to_owned(),
                region: None,
                dominated_count: dom.dominated_count[d as usize],
                dominated_output: dom.dominated_output[d as usize],
                dominates: all.iter().take(5).map(|&v| net.id(v).to_owned()).collect(),
                articulation: cut[d as usize],
            }
        })
        .collect()
}

/// Breakpoints of a plain network (no chain definition): buyers whose essential in-links
/// of one category (links without a category form one group) come from a single supplier.
pub fn single_suppliers(net: &SupplyNetwork) -> Vec<Breakpoint> {
    let mut out = Vec::new();
    for v in 0..net.node_count() as u32 {
        let mut groups: BTreeMap<Option<&str>, Vec<u32>> = BTreeMap::new();
        for (&s, &e) in net.predecessors(v).iter().zip(net.in_edges(v)) {
            if net.edge_essential(e) {
                groups.entry(net.edge_category(e)).or_default().push(s);
            }
        }
        for (category, suppliers) in groups {
            if let [only] = suppliers[..] {
                out.push(Breakpoint::SingleSupplier {
                    buyer: net.id(v).to_owned(),
                    input: category.unwrap_or("-").to_owned(),
                    supplier: net.id(only).to_owned(),
                });
            }
        }
    }
    out
}

/// Everything `chainlens network WORKSPACE --chain C` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChainReport {
    pub chain: String,
    pub region: Option<String>,
    pub firms: usize,
    pub links: usize,
    pub nodes: Vec<NodeReport>,
    pub breakpoints: Vec<Breakpoint>,
    pub single_points: Vec<SinglePoint>,
    pub hot_spots: Vec<HotSpot>,
    pub coverage: Option<Coverage>,
    pub integrity: Option<ChainIntegrity>,
    pub stage_concentration: Vec<StageConcentration>,
    pub buyer_concentration: Vec<BuyerConcentration>,
    pub external_dependence: Vec<ExternalDependence>,
    pub shape: Shape,
    pub capacity: CapacityBalance,
    pub warnings: Vec<Warning>,
}

/// A concentrated stage or buyer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HotSpot {
    /// `stage` or `buyer`.
    pub subject: String,
    pub id: String,
    pub input: Option<String>,
    pub cr3: f64,
    pub hhi: f64,
    pub counterparts: usize,
}

/// Analyses one chain (optionally one region: region-level measures, breakpoints and
/// gaps use it; the firm network is the whole chain so that cross-region supply counts).
/// `country` is the home country for "outside the country".
pub fn analyse_chain(
    data: &Dataset,
    chain: &str,
    region: Option<&str>,
    country: Option<&str>,
    config: &NetworkConfig,
) -> Result<ChainReport> {
    let view = ChainView::new(data, chain, country)?;
    view.check_region(region)?;
    let (net, warnings) = SupplyNetwork::from_dataset(
        data,
        Scope {
            chain: Some(chain),
            region: None,
        },
    )?;
    let (nodes, dom) = node_reports(&net);
    let cut: Vec<bool> = nodes.iter().map(|n| n.articulation).collect();
    let mut single = single_points(&net, &dom, &cut, config.top);
    for p in &mut single {
        p.region = view.enterprise(&p.id).map(|e| e.region.clone());
    }
    let stage_conc = stage_concentration(&view);
    let buyer_conc = buyer_concentration(&view, region);
    let mut hot_spots: Vec<HotSpot> = stage_conc
        .iter()
        .filter_map(|s| s.suppliers.map(|c| (s, c)))
        .filter(|(_, c)| c.hhi >= config.hot_spot_hhi)
        .map(|(s, c)| HotSpot {
            subject: "stage".into(),
            id: s.stage.clone(),
            input: None,
            cr3: c.cr3,
            hhi: c.hhi,
            counterparts: c.counterparts,
        })
        .collect();
    hot_spots.extend(
        buyer_conc
            .iter()
            .filter(|b| b.suppliers.hhi >= config.hot_spot_hhi)
            .map(|b| HotSpot {
                subject: "buyer".into(),
                id: b.buyer.clone(),
                input: b.stage.clone(),
                cr3: b.suppliers.cr3,
                hhi: b.suppliers.hhi,
                counterparts: b.suppliers.counterparts,
            }),
    );
    hot_spots.sort_by(|a, b| b.hhi.total_cmp(&a.hhi).then(a.id.cmp(&b.id)));
    Ok(ChainReport {
        chain: chain.to_owned(),
        region: region.map(str::to_owned),
        firms: net.node_count(),
        links: net.edge_count(),
        breakpoints: breakpoints(&view, region),
        nodes,
        single_points: single,
        hot_spots,
        coverage: Some(coverage(&view, region)),
        integrity: region.map(|r| ChainIntegrity {
            chain: chain.to_owned(),
            region: r.to_owned(),
            coverage: coverage(&view, Some(r)),
            local_matching: local_matching(&view, r),
        }),
        stage_concentration: stage_conc,
        buyer_concentration: buyer_conc,
        external_dependence: region
            .map(|r| external_dependence(&view, r))
            .unwrap_or_default(),
        shape: shape(&view, region),
        capacity: capacity_balance(&view),
        warnings,
    })
}

pub(crate) fn breakpoints(view: &ChainView, region: Option<&str>) -> Vec<Breakpoint> {
    let chain = view.chain;
    let mut out = Vec::new();
    for (s, firms) in chain.stages.iter().zip(&view.stage_firms) {
        if firms.is_empty() {
            out.push(Breakpoint::StageMissing {
                stage: s.id.clone(),
            });
        } else if let Some(r) = region
            && !firms.iter().any(|&f| view.in_region(f, Some(r)))
        {
            out.push(Breakpoint::StageMissingInRegion {
                stage: s.id.clone(),
                region: r.to_owned(),
            });
        }
    }
    for (k, firms) in view.stage_firms.iter().enumerate() {
        if firms.len() != 1 {
            continue;
        }
        let used_by: Vec<String> = chain
            .stages
            .iter()
            .filter(|t| {
                t.inputs
                    .iter()
                    .any(|i| i.essential && i.stage == chain.stages[k].id)
            })
            .map(|t| t.id.clone())
            .collect();
        if !used_by.is_empty() {
            out.push(Breakpoint::SingleEnterpriseStage {
                stage: chain.stages[k].id.clone(),
                enterprise: view.data.enterprises[firms[0]].id.clone(),
                used_by,
            });
        }
    }
    // Buyers' essential inputs: per (buyer, input stage), the distinct suppliers.
    let mut suppliers: BTreeMap<(&str, &str), (Vec<&str>, bool)> = BTreeMap::new();
    for l in &view.links {
        let Some(k) = view.link_stage(l) else {
            continue;
        };
        let input = chain.stages[k].id.as_str();
        let essential_by_chain = view.enterprise(&l.buyer).is_some_and(|b| {
            b.stages.iter().filter(|r| r.chain == chain.id).any(|r| {
                chain
                    .stage(&r.stage)
                    .is_some_and(|t| t.inputs.iter().any(|i| i.essential && i.stage == input))
            })
        });
        let e = suppliers.entry((l.buyer.as_str(), input)).or_default();
        if !e.0.contains(&l.supplier.as_str()) {
            e.0.push(l.supplier.as_str());
        }
        e.1 |= l.essential || essential_by_chain;
    }
    for ((buyer, input), (sup, essential)) in suppliers {
        let buyer_in = view
            .firm
            .get(buyer)
            .is_some_and(|&f| view.in_region(f, region));
        if essential && sup.len() == 1 && buyer_in {
            out.push(Breakpoint::SingleSupplier {
                buyer: buyer.to_owned(),
                input: input.to_owned(),
                supplier: sup[0].to_owned(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measures::tests::fibre;

    #[test]
    fn single_suppliers_of_a_plain_network() {
        use crate::graph::{EdgeAttrs, NetworkBuilder, NodeAttrs};
        let mut b = NetworkBuilder::new();
        for id in ["a", "b", "c"] {
            b.add_node(id, NodeAttrs::default()).unwrap();
        }
        let e = |c: &str| EdgeAttrs {
            value: None,
            essential: true,
            category: Some(c.to_owned()),
        };
        b.add_edge("a", "c", e("steel")).unwrap();
        b.add_edge("b", "c", e("chips")).unwrap();
        b.add_edge("a", "b", EdgeAttrs::default()).unwrap();
        let got: Vec<String> = single_suppliers(&b.build().unwrap().0)
            .iter()
            .map(Breakpoint::describe)
            .collect();
        assert_eq!(
            got,
            [
                "`c` buys essential `chips` from `b` only",
                "`c` buys essential `steel` from `a` only"
            ]
        );
    }

    #[test]
    fn breakpoints_of_the_fibre_chain() {
        let d = fibre();
        let r = analyse_chain(
            &d,
            "fibre",
            Some("zhejiang"),
            Some("china"),
            &NetworkConfig::default(),
        )
        .unwrap();
        let got: Vec<String> = r.breakpoints.iter().map(Breakpoint::describe).collect();
        assert_eq!(
            got,
            [
                "stage `devices` has no enterprise anywhere",
                "stage `switch` has no enterprise in zhejiang",
                "`c2` buys essential `fibre` from `f1` only",
            ]
        );
        // f1 dominates c2 (its only supplier); c1 has two fibre suppliers.
        let f1 = r.single_points.iter().find(|p| p.id == "f1").unwrap();
        assert_eq!((f1.dominated_count, f1.dominated_output), (1, 10.0));
        assert_eq!(f1.dominates, ["c2"]);
        let c1 = r.single_points.iter().find(|p| p.id == "c1").unwrap();
        assert_eq!(c1.dominates, ["s1"]);
        assert_eq!(r.single_points[0].id, "c1");
        assert!(r.nodes.iter().find(|n| n.id == "c1").unwrap().articulation);
        assert!(
            r.hot_spots
                .iter()
                .any(|h| h.subject == "stage" && h.id == "preform")
        );
        assert_eq!(r.integrity.as_ref().unwrap().coverage.rate, 0.6);
    }
}
