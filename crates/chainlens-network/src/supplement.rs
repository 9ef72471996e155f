//! Chain supplement (Gao 2021: "find the breakpoints … search for strategic cooperative
//! enterprises in the region or across regions"): candidates for a stage with a gap, or
//! replacements for an at-risk supplier, ranked with their reasons; optionally the lost
//! volume assigned over the candidates' spare capacity as a minimum-cost flow.
//!
//! Ranking: candidates are the other enterprises serving the stage. Each gets
//! score = 0.40·spare + 0.30·near + 0.20·(1 − risk) + 0.10·related, where
//! spare = spare capacity / the largest spare capacity among candidates (capacity − output),
//! near = 1 − class/4 for the distance class (same city 0 … abroad 4) from where the
//! volume is needed, risk ∈ [0, 1] is the enterprise's `risk` attribute when the data has
//! one (else its utilisation output/capacity: a firm at full load is a risky partner), and
//! related = 1 when the candidate already supplies one of the buyers concerned. Ties break
//! by id. Every factor is reported as a reason.
//!
//! Assignment: successive shortest paths (Bellman–Ford on the residual graph) on
//! source → buyer (capacity: lost volume) → candidate (cost: distance class + 0.5 when
//! there is no existing relation) → sink (capacity: spare capacity). O(F·V·E) in the
//! number of augmentations F ≤ buyers + candidates: instant at chain scale. Volume that no
//! spare capacity can absorb is reported as unmet.

use crate::error::{Error, Result};
use crate::geography::DistanceClass;
use crate::measures::ChainView;
use chainlens_model::{Dataset, Enterprise};
use serde::Serialize;
use std::collections::BTreeSet;

/// What to supplement.
#[derive(Debug, Clone, PartialEq)]
pub enum Target<'a> {
    /// A stage of a chain, needed in `region` (`None`: the home region or anywhere).
    Stage {
        chain: &'a str,
        stage: &'a str,
        region: Option<&'a str>,
    },
    /// Replace an enterprise in a chain: its stage(s), its buyers' volumes.
    Replace { chain: &'a str, enterprise: &'a str },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub id: String,
    pub name: String,
    pub region: String,
    pub stage: String,
    pub score: f64,
    pub spare_capacity: Option<f64>,
    pub distance: DistanceClass,
    pub risk: Option<f64>,
    /// Buyers concerned this candidate already supplies.
    pub existing_relations: Vec<String>,
    pub reasons: Vec<String>,
}

/// Volume moved from the lost supplier to a candidate for one buyer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    pub buyer: String,
    pub supplier: String,
    pub volume: f64,
    pub cost: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Supplement {
    pub chain: String,
    pub stages: Vec<String>,
    pub replaced: Option<String>,
    pub candidates: Vec<Candidate>,
    /// With `Replace`: the lost volume per buyer assigned over spare capacity.
    pub assignment: Vec<Assignment>,
    pub lost_volume: f64,
    pub unmet_volume: f64,
}

/// Volume a buyer needs: (buyer id, buyer region, volume); an empty id marks a place.
type Need = (String, String, f64);

/// The stages concerned, the enterprise replaced, and the volumes needed.
type Plan<'a> = (Vec<usize>, Option<&'a Enterprise>, Vec<Need>);

/// Ranks candidates for `target`. `home` is where a stage gap is to be filled when the
/// target names no region; `country` the home country.
pub fn supplement(
    data: &Dataset,
    target: &Target,
    home: Option<&str>,
    country: Option<&str>,
) -> Result<Supplement> {
    let chain_id = match target {
        Target::Stage { chain, .. } | Target::Replace { chain, .. } => *chain,
    };
    let view = ChainView::new(data, chain_id, country)?;
    let (stages, replaced, needs): Plan = match target {
        Target::Stage { stage, region, .. } => {
            let k = view
                .chain
                .stages
                .iter()
                .position(|s| s.id == *stage)
                .ok_or_else(|| Error::UnknownStage {
                    chain: chain_id.to_owned(),
                    stage: (*stage).to_owned(),
                })?;
            let place = region.or(home);
            view.check_region(place)?;
            (
                vec![k],
                None,
                place
                    .map(|p| vec![(String::new(), p.to_owned(), 0.0)])
                    .unwrap_or_default(),
            )
        }
        Target::Replace { enterprise, .. } => {
            let e = view
                .enterprise(enterprise)
                .ok_or_else(|| Error::UnknownEnterprise((*enterprise).to_owned()))?;
            let ks: Vec<usize> = e
                .stages
                .iter()
                .filter(|r| r.chain == chain_id)
                .filter_map(|r| view.chain.stages.iter().position(|s| s.id == r.stage))
                .collect();
            if ks.is_empty() {
                return Err(Error::UnknownStage {
                    chain: chain_id.to_owned(),
                    stage: format!("(any stage served by `{enterprise}`)"),
                });
            }
            let needs = view
                .links
                .iter()
                .filter(|l| l.supplier == e.id)
                .filter_map(|l| {
                    let b = view.enterprise(&l.buyer)?;
                    Some((b.id.clone(), b.region.clone(), l.value.unwrap_or(0.0)))
                })
                .collect();
            (ks, Some(e), needs)
        }
    };
    let buyers: BTreeSet<&str> = needs
        .iter()
        .filter(|n| !n.0.is_empty())
        .map(|n| n.0.as_str())
        .collect();
    let mut pool: BTreeSet<usize> = BTreeSet::new();
    for &k in &stages {
        pool.extend(view.stage_firms[k].iter().copied());
    }
    let pool: Vec<&Enterprise> = pool
        .into_iter()
        .map(|f| &view.data.enterprises[f])
        .filter(|e| replaced.is_none_or(|r| r.id != e.id))
        .collect();
    let spare = |e: &Enterprise| e.capacity.map(|c| (c - e.output.unwrap_or(0.0)).max(0.0));
    let max_spare = pool.iter().filter_map(|e| spare(e)).fold(0.0f64, f64::max);
    let mut candidates: Vec<Candidate> = pool
        .iter()
        .map(|e| {
            let distance = needs
                .iter()
                .map(|n| view.geo.distance(&e.region, &n.1))
                .min()
                .unwrap_or(DistanceClass::Country);
            let risk = e
                .attributes
                .get("risk")
                .copied()
                .or_else(|| match (e.output, e.capacity) {
                    (Some(o), Some(c)) if c > 0.0 => Some((o / c).min(1.0)),
                    _ => None,
                });
            let related: Vec<String> = view
                .links
                .iter()
                .filter(|l| l.supplier == e.id && buyers.contains(l.buyer.as_str()))
                .map(|l| l.buyer.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let sp = spare(e);
            let spare_score = match sp {
                Some(s) if max_spare > 0.0 => s / max_spare,
                _ => 0.0,
            };
            let near = 1.0 - distance.rank() as f64 / 4.0;
            let score = 0.40 * spare_score
                + 0.30 * near
                + 0.20 * (1.0 - risk.unwrap_or(0.5))
                + 0.10 * if related.is_empty() { 0.0 } else { 1.0 };
            let mut reasons = vec![match sp {
                Some(s) => format!("spare capacity {}", trim(s)),
                None => "capacity unknown".to_owned(),
            }];
            reasons.push(distance.as_str().to_owned());
            reasons.push(match (risk, e.attributes.contains_key("risk")) {
                (Some(r), true) => format!("own risk {r:.2}"),
                (Some(r), false) => format!("utilisation {:.0}%", r * 100.0),
                (None, _) => "own risk unknown".to_owned(),
            });
            if !related.is_empty() {
                reasons.push(format!("already supplies {}", related.join(", ")));
            }
            let stage = stages
                .iter()
                .map(|&k| &view.chain.stages[k].id)
                .find(|s| {
                    e.stages
                        .iter()
                        .any(|r| r.chain == chain_id && &&r.stage == s)
                })
                .cloned()
                .unwrap_or_default();
            Candidate {
                id: e.id.clone(),
                name: e.name.clone(),
                region: e.region.clone(),
                stage,
                score,
                spare_capacity: sp,
                distance,
                risk,
                existing_relations: related,
                reasons,
            }
        })
        .collect();
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));

    let (assignment, lost_volume, unmet_volume) = if replaced.is_some() {
        assign(&view, &needs, &candidates)
    } else {
        (Vec::new(), 0.0, 0.0)
    };
    Ok(Supplement {
        chain: chain_id.to_owned(),
        stages: stages
            .iter()
            .map(|&k| view.chain.stages[k].id.clone())
            .collect(),
        replaced: replaced.map(|e| e.id.clone()),
        candidates,
        assignment,
        lost_volume,
        unmet_volume,
    })
}

fn trim(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Min-cost assignment of each buyer's lost volume over the candidates' spare capacity.
fn assign(
    view: &ChainView,
    needs: &[(String, String, f64)],
    candidates: &[Candidate],
) -> (Vec<Assignment>, f64, f64) {
    let mut demand: Vec<Need> = Vec::new();
    for (b, r, v) in needs {
        match demand.iter_mut().find(|d| &d.0 == b) {
            Some(d) => d.2 += v,
            None => demand.push((b.clone(), r.clone(), *v)),
        }
    }
    let lost: f64 = demand.iter().map(|d| d.2).sum();
    let usable: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| c.spare_capacity.is_some_and(|s| s > 0.0))
        .collect();
    let (nb, nc) = (demand.len(), usable.len());
    let (source, sink) = (nb + nc, nb + nc + 1);
    let mut f = MinCostFlow::new(nb + nc + 2);
    for (i, d) in demand.iter().enumerate() {
        f.add_edge(source, i, d.2, 0.0);
        for (j, c) in usable.iter().enumerate() {
            let class = view.geo.distance(&c.region, &d.1).rank() as f64;
            let related = if c.existing_relations.contains(&d.0) {
                0.0
            } else {
                0.5
            };
            f.add_edge(i, nb + j, f64::INFINITY, class + related);
        }
    }
    for (j, c) in usable.iter().enumerate() {
        f.add_edge(nb + j, sink, c.spare_capacity.unwrap_or(0.0), 0.0);
    }
    let moved = f.run(source, sink);
    let mut out = Vec::new();
    for (i, d) in demand.iter().enumerate() {
        for &e in &f.adjacency[i] {
            let edge = &f.edges[e];
            if edge.to >= nb && edge.to < nb + nc && edge.flow > 1e-12 {
                out.push(Assignment {
                    buyer: d.0.clone(),
                    supplier: usable[edge.to - nb].id.clone(),
                    volume: edge.flow,
                    cost: edge.cost * edge.flow,
                });
            }
        }
    }
    (out, lost, (lost - moved).max(0.0))
}

struct FlowEdge {
    to: usize,
    capacity: f64,
    flow: f64,
    cost: f64,
}

/// Successive shortest paths with Bellman–Ford (costs are small, graphs are small).
struct MinCostFlow {
    edges: Vec<FlowEdge>,
    adjacency: Vec<Vec<usize>>,
}

impl MinCostFlow {
    fn new(n: usize) -> Self {
        MinCostFlow {
            edges: Vec::new(),
            adjacency: vec![Vec::new(); n],
        }
    }

    fn add_edge(&mut self, from: usize, to: usize, capacity: f64, cost: f64) {
        self.adjacency[from].push(self.edges.len());
        self.edges.push(FlowEdge {
            to,
            capacity,
            flow: 0.0,
            cost,
        });
        self.adjacency[to].push(self.edges.len());
        self.edges.push(FlowEdge {
            to: from,
            capacity: 0.0,
            flow: 0.0,
            cost: -cost,
        });
    }

    fn residual(&self, e: usize) -> f64 {
        self.edges[e].capacity - self.edges[e].flow
    }

    fn run(&mut self, s: usize, t: usize) -> f64 {
        let n = self.adjacency.len();
        let mut total = 0.0;
        loop {
            let mut dist = vec![f64::INFINITY; n];
            let mut via = vec![usize::MAX; n];
            dist[s] = 0.0;
            for _ in 0..n {
                let mut changed = false;
                for u in 0..n {
                    if dist[u].is_infinite() {
                        continue;
                    }
                    for &e in &self.adjacency[u] {
                        let to = self.edges[e].to;
                        if self.residual(e) > 1e-12
                            && dist[u] + self.edges[e].cost < dist[to] - 1e-12
                        {
                            dist[to] = dist[u] + self.edges[e].cost;
                            via[to] = e;
                            changed = true;
                        }
                    }
                }
                if !changed {
                    break;
                }
            }
            if dist[t].is_infinite() {
                return total;
            }
            let mut push = f64::INFINITY;
            let mut v = t;
            while v != s {
                let e = via[v];
                push = push.min(self.residual(e));
                v = self.edges[e ^ 1].to;
            }
            let mut v = t;
            while v != s {
                let e = via[v];
                self.edges[e].flow += push;
                self.edges[e ^ 1].flow -= push;
                v = self.edges[e ^ 1].to;
            }
            total += push;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measures::tests::{fibre, firm, link};
    use chainlens_model::EnterpriseRole;

    #[test]
    fn ranks_replacements_and_assigns_lost_volume() {
        let mut d = fibre();
        // A third fibre maker in Ningbo with lots of spare capacity, and f2's risk known.
        d.enterprises.push(firm(
            "f3",
            "ningbo",
            &["fibre"],
            EnterpriseRole::Supporting,
            100.0,
            40.0,
        ));
        d.enterprises[3].attributes.insert("risk".into(), 0.9);
        let s = supplement(
            &d,
            &Target::Replace {
                chain: "fibre",
                enterprise: "f1",
            },
            None,
            Some("china"),
        )
        .unwrap();
        assert_eq!(s.stages, ["fibre"]);
        let ids: Vec<&str> = s.candidates.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["f3", "f2"]);
        let f2 = &s.candidates[1];
        assert_eq!(f2.distance, DistanceClass::Abroad);
        assert_eq!(f2.existing_relations, ["c1"]);
        assert!(f2.reasons.contains(&"own risk 0.90".to_owned()));
        // f3: spare 60 (max) → 0.4; same city as c2 (Ningbo) → 0.3; utilisation 0.4 → 0.12.
        assert!((s.candidates[0].score - (0.4 + 0.3 + 0.2 * 0.6)).abs() < 1e-12);
        // Lost: c1 50, c2 10 = 60. f3 has 60 spare at cost 1.5 (c1, same province) and
        // 0.5 (c2, same city); f2 has 30 spare at cost 4 (abroad, related: 0 extra).
        assert_eq!(s.lost_volume, 60.0);
        assert_eq!(s.unmet_volume, 0.0);
        let total_cost: f64 = s.assignment.iter().map(|a| a.cost).sum();
        assert!(
            (total_cost - (50.0 * 1.5 + 10.0 * 0.5)).abs() < 1e-9,
            "{:?}",
            s.assignment
        );
    }

    #[test]
    fn candidates_for_a_stage_gap_and_unmet_volume() {
        let mut d = fibre();
        let s = supplement(
            &d,
            &Target::Stage {
                chain: "fibre",
                stage: "preform",
                region: Some("ningbo"),
            },
            None,
            None,
        )
        .unwrap();
        assert_eq!(s.candidates.len(), 2);
        // p2 (Suzhou, 30 spare) before p1 (Hangzhou, 10 spare, 90 % utilised).
        assert_eq!(s.candidates[0].id, "p2");
        assert_eq!(
            s.candidates[0].distance,
            DistanceClass::NeighbouringProvince
        );
        assert_eq!(s.candidates[1].distance, DistanceClass::SameProvince);
        assert!(s.assignment.is_empty());
        d.supply_links.push(link("p2", "f2", "preform", 500.0));
        let r = supplement(
            &d,
            &Target::Replace {
                chain: "fibre",
                enterprise: "p2",
            },
            None,
            None,
        )
        .unwrap();
        // p1 has 10 spare; p2 lost 520.
        assert_eq!(r.lost_volume, 520.0);
        assert!((r.unmet_volume - 510.0).abs() < 1e-9);
        assert!(matches!(
            supplement(
                &d,
                &Target::Stage {
                    chain: "fibre",
                    stage: "x",
                    region: None
                },
                None,
                None
            ),
            Err(Error::UnknownStage { .. })
        ));
    }
}
