//! Firm-level disruption cascades on the supply network, day by day, with inventory
//! buffers (DESIGN.md §4.2/§4.5; in the spirit of Inoue & Todo 2019 and of the
//! essential/non-essential production functions of Diem et al. 2022).
//!
//! # Network
//! Each buyer groups its supply links into **input categories**: the supplied stage
//! (`chain/stage`) when the link names one, else the supplier itself. A category is
//! essential when any of its links is. Within a category, supplier k has the share
//! s_k = v_kb / Σ v (link values; equal shares when values are missing). The buyer holds
//! an inventory of each category of `inventory_days` days of normal use (the
//! value-weighted mean over the category's links; missing = 0).
//!
//! # One day t
//! Output levels q ∈ [0, 1] are relative to normal; deliveries take one day.
//! 1. capacity c_i(t) = 1 − (largest share removed by a shock active on day t);
//! 2. supply of category c: a_c(t) = min(1, surge · Σ_k s_k q_k(t−1)) — OR across the
//!    suppliers of a category: with `supplier_surge` ≥ 1/s_k any one working supplier
//!    can cover the category, with 1 each supplies only its usual share;
//! 3. output q_b(t) = min(c_b(t), min over essential c of (a_c(t) + S_c(t−1)), 1) —
//!    AND across essential categories, inventories S (days of use) bridge shortfalls;
//!    non-essential categories never limit output;
//! 4. inventory S_c(t) = clamp(S_c(t−1) + a_c(t) − q_b(t), 0, target_c), plus, on days
//!    the category is fully supplied, a refill of (target_c − S_c)/`restock_days` (the
//!    suppliers' spare capacity that restocking needs is assumed, not modelled).
//!
//! With zero inventories, every input essential and single-sourced categories, a full
//! removal of a set of firms stops exactly the firms reachable from it downstream (the
//! reachability test in tests/). Cost: O(days × links).

use crate::error::{Result, SimError, suggest};
use crate::resilience::{ResilienceMetrics, resilience_metrics};
use chainlens_model::Dataset;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One supply link in plain form, for networks that do not come from a workspace.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub supplier: usize,
    pub buyer: usize,
    /// What is supplied; links of a buyer with the same category substitute each other.
    pub category: Option<String>,
    pub value: Option<f64>,
    pub inventory_days: Option<f64>,
    pub essential: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Category {
    pub essential: bool,
    pub inventory_days: f64,
    /// (supplier, share of the category).
    pub suppliers: Vec<(usize, f64)>,
}

/// Firms, their input categories and sizes.
#[derive(Debug, Clone)]
pub struct FirmNetwork {
    pub ids: Vec<String>,
    /// Weight of each firm in aggregates (output, else capacity, else sales, else 1).
    pub size: Vec<f64>,
    /// Chains each firm serves.
    pub chains: Vec<Vec<String>>,
    pub(crate) inputs: Vec<Vec<Category>>,
    /// (buyer, link value) per supplier.
    pub(crate) customers: Vec<Vec<(usize, f64)>>,
}

impl FirmNetwork {
    /// A network from plain links; `size` defaults to each firm's sales (or 1).
    pub fn from_links(ids: Vec<String>, links: &[Link]) -> Result<Self> {
        let n = ids.len();
        let mut grouped: Vec<Vec<(String, &Link)>> = vec![Vec::new(); n];
        let mut customers = vec![Vec::new(); n];
        let mut sales = vec![0.0; n];
        for l in links {
            if l.supplier >= n || l.buyer >= n {
                return Err(SimError::Event(format!(
                    "link {} -> {} refers to a firm beyond the {n} given",
                    l.supplier, l.buyer
                )));
            }
            let key = l
                .category
                .clone()
                .unwrap_or_else(|| format!("supplier:{}", ids[l.supplier]));
            grouped[l.buyer].push((key, l));
            let v = l.value.unwrap_or(1.0);
            customers[l.supplier].push((l.buyer, v));
            sales[l.supplier] += v;
        }
        let inputs = grouped
            .into_iter()
            .map(|mut g| {
                g.sort_by(|a, b| a.0.cmp(&b.0));
                let mut cats: Vec<Category> = Vec::new();
                let mut start = 0;
                while start < g.len() {
                    let end = start
                        + g[start..]
                            .iter()
                            .take_while(|(k, _)| *k == g[start].0)
                            .count();
                    let part = &g[start..end];
                    let all_valued = part.iter().all(|(_, l)| l.value.is_some_and(|v| v > 0.0));
                    let weight = |l: &Link| {
                        if all_valued {
                            l.value.unwrap_or(1.0)
                        } else {
                            1.0
                        }
                    };
                    let total: f64 = part.iter().map(|(_, l)| weight(l)).sum();
                    cats.push(Category {
                        essential: part.iter().any(|(_, l)| l.essential),
                        inventory_days: part
                            .iter()
                            .map(|(_, l)| weight(l) * l.inventory_days.unwrap_or(0.0))
                            .sum::<f64>()
                            / total,
                        suppliers: part
                            .iter()
                            .map(|(_, l)| (l.supplier, weight(l) / total))
                            .collect(),
                    });
                    start = end;
                }
                cats
            })
            .collect();
        let size = sales
            .iter()
            .map(|&s| if s > 0.0 { s } else { 1.0 })
            .collect();
        Ok(FirmNetwork {
            chains: vec![Vec::new(); n],
            ids,
            size,
            inputs,
            customers,
        })
    }

    /// The network of a workspace's enterprises and supply links.
    pub fn from_dataset(data: &Dataset) -> Result<Self> {
        let ids: Vec<String> = data.enterprises.iter().map(|e| e.id.clone()).collect();
        let index: HashMap<&str, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        let find = |id: &str| {
            index.get(id).copied().ok_or_else(|| SimError::Unknown {
                what: "enterprise",
                name: id.to_owned(),
                suggestion: suggest(id, ids.iter().map(String::as_str)),
            })
        };
        let mut links = Vec::with_capacity(data.supply_links.len());
        for l in &data.supply_links {
            links.push(Link {
                supplier: find(&l.supplier)?,
                buyer: find(&l.buyer)?,
                category: match (&l.chain, &l.stage) {
                    (Some(c), Some(s)) => Some(format!("{c}/{s}")),
                    _ => None,
                },
                value: l.value,
                inventory_days: l.inventory_days,
                essential: l.essential,
            });
        }
        let mut net = FirmNetwork::from_links(ids.clone(), &links)?;
        for (i, e) in data.enterprises.iter().enumerate() {
            if let Some(s) = e.output.or(e.capacity).filter(|v| *v > 0.0) {
                net.size[i] = s;
            }
            let mut chains: Vec<String> = e.stages.iter().map(|s| s.chain.clone()).collect();
            chains.dedup();
            net.chains[i] = chains;
        }
        Ok(net)
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn index(&self, id: &str) -> Result<usize> {
        self.ids
            .iter()
            .position(|i| i == id)
            .ok_or_else(|| SimError::Unknown {
                what: "enterprise",
                name: id.to_owned(),
                suggestion: suggest(id, self.ids.iter().map(String::as_str)),
            })
    }

    /// Number of supply links.
    pub fn link_count(&self) -> usize {
        self.customers.iter().map(Vec::len).sum()
    }
}

/// What a shock hits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Firm(String),
    /// `chain/stage`: every enterprise serving the stage.
    Stage(String),
    /// A region and every region below it.
    Region(String),
}

/// A share of capacity removed from `start` for `days` days.
#[derive(Debug, Clone, PartialEq)]
pub struct FirmShock {
    pub firms: Vec<usize>,
    pub share: f64,
    pub start: usize,
    pub days: usize,
}

impl FirmShock {
    pub fn check(&self) -> Result<()> {
        if !(0.0..=1.0).contains(&self.share) {
            return Err(SimError::Parameter {
                name: "share",
                value: self.share,
                reason: "a shock removes a share of capacity in [0, 1]",
            });
        }
        Ok(())
    }
}

/// The firms a target names in `data` (indices into `net`).
pub fn resolve_target(data: &Dataset, net: &FirmNetwork, target: &Target) -> Result<Vec<usize>> {
    let firms: Vec<usize> = match target {
        Target::Firm(id) => vec![net.index(id)?],
        Target::Stage(name) => {
            let (chain, stage) = name.split_once('/').ok_or_else(|| {
                SimError::Event(format!("stage `{name}` is not written `chain/stage`"))
            })?;
            let Some(c) = data.chain(chain) else {
                return Err(SimError::Unknown {
                    what: "chain",
                    name: chain.to_owned(),
                    suggestion: suggest(chain, data.chains.iter().map(|c| c.id.as_str())),
                });
            };
            if c.stage(stage).is_none() {
                return Err(SimError::Unknown {
                    what: "stage",
                    name: name.clone(),
                    suggestion: suggest(stage, c.stages.iter().map(|s| s.id.as_str()))
                        .map(|s| format!("{chain}/{s}")),
                });
            }
            data.enterprises
                .iter()
                .filter(|e| {
                    e.stages
                        .iter()
                        .any(|s| s.chain == chain && s.stage == stage)
                })
                .map(|e| net.index(&e.id))
                .collect::<Result<_>>()?
        }
        Target::Region(region) => {
            if data.region(region).is_none() {
                return Err(SimError::Unknown {
                    what: "region",
                    name: region.clone(),
                    suggestion: suggest(region, data.regions.iter().map(|r| r.id.as_str())),
                });
            }
            data.enterprises
                .iter()
                .filter(|e| region_within(data, &e.region, region))
                .map(|e| net.index(&e.id))
                .collect::<Result<_>>()?
        }
    };
    Ok(firms)
}

/// Whether region `r` is `region` or lies below it in the hierarchy.
fn region_within(data: &Dataset, r: &str, region: &str) -> bool {
    let mut current = r;
    for _ in 0..=data.regions.len() {
        if current == region {
            return true;
        }
        match data.region(current).and_then(|x| x.parent.as_deref()) {
            Some(p) => current = p,
            None => return false,
        }
    }
    false
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CascadeConfig {
    pub days: usize,
    /// How far the other suppliers of a category can cover a lost one (1 = not at all).
    pub supplier_surge: f64,
    /// Days to refill an inventory gap once supply is back.
    pub restock_days: f64,
    /// A firm whose output falls below this level counts as failed.
    pub failure_level: f64,
}

impl Default for CascadeConfig {
    fn default() -> Self {
        CascadeConfig {
            days: 120,
            supplier_surge: 1.0,
            restock_days: 10.0,
            failure_level: 0.5,
        }
    }
}

impl CascadeConfig {
    pub fn check(&self) -> Result<()> {
        for (name, v) in [
            ("supplier_surge", self.supplier_surge),
            ("restock_days", self.restock_days),
        ] {
            if !(v.is_finite() && v > 0.0) {
                return Err(SimError::Parameter {
                    name,
                    value: v,
                    reason: "must be a positive number",
                });
            }
        }
        if self.supplier_surge < 1.0 {
            return Err(SimError::Parameter {
                name: "supplier_surge",
                value: self.supplier_surge,
                reason: "must be at least 1",
            });
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FirmOutcome {
    pub id: String,
    pub minimum: f64,
    /// First day below normal.
    pub disrupted_from: Option<usize>,
    /// First day below `failure_level`.
    pub failed_from: Option<usize>,
    /// Days from disruption to lasting recovery (`None`: not recovered by the end).
    pub time_to_recover: Option<usize>,
    /// Σ (1 − q(t)): days of normal output lost.
    pub lost_days: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChainOutcome {
    pub chain: String,
    /// Firms of the chain that failed, with the first day.
    pub failed_firms: Vec<(String, usize)>,
    pub resilience: ResilienceMetrics,
}

#[derive(Debug, Clone, Serialize)]
pub struct CascadeRun {
    /// Output level of every firm, day × firm.
    #[serde(skip)]
    pub levels: Vec<Vec<f64>>,
    pub firms: Vec<FirmOutcome>,
    pub chains: Vec<ChainOutcome>,
    /// Size-weighted output of the whole network.
    pub network: ResilienceMetrics,
}

const TOL: f64 = 1e-9;

/// Day-by-day cascade of `shocks` on `net`.
pub fn simulate_cascade(
    net: &FirmNetwork,
    shocks: &[FirmShock],
    config: &CascadeConfig,
) -> Result<CascadeRun> {
    config.check()?;
    for s in shocks {
        s.check()?;
        if let Some(&f) = s.firms.iter().find(|&&f| f >= net.len()) {
            return Err(SimError::Event(format!(
                "shock names firm index {f} of {}",
                net.len()
            )));
        }
    }
    let levels = cascade_levels(net, shocks, config);
    Ok(summarise(net, levels, config))
}

/// The daily output levels only (the kernel of every firm-level analysis).
pub(crate) fn cascade_levels(
    net: &FirmNetwork,
    shocks: &[FirmShock],
    config: &CascadeConfig,
) -> Vec<Vec<f64>> {
    let n = net.len();
    let mut stock: Vec<Vec<f64>> = net
        .inputs
        .iter()
        .map(|cats| cats.iter().map(|c| c.inventory_days).collect())
        .collect();
    let mut prev = vec![1.0; n];
    let mut out = Vec::with_capacity(config.days);
    let mut removed = vec![0.0f64; n];
    for t in 0..config.days {
        removed.iter_mut().for_each(|r| *r = 0.0);
        for s in shocks {
            if t >= s.start && t < s.start + s.days {
                for &f in &s.firms {
                    removed[f] = removed[f].max(s.share);
                }
            }
        }
        let mut q = vec![0.0; n];
        for b in 0..n {
            let cats = &net.inputs[b];
            let mut level = (1.0 - removed[b]).min(1.0);
            let mut supply = Vec::with_capacity(cats.len());
            for (c, cat) in cats.iter().enumerate() {
                let delivered: f64 = cat.suppliers.iter().map(|&(k, s)| s * prev[k]).sum();
                let a = (config.supplier_surge * delivered).min(1.0);
                supply.push(a);
                if cat.essential {
                    level = level.min(a + stock[b][c]);
                }
            }
            let level = level.max(0.0);
            for (c, cat) in cats.iter().enumerate() {
                let a = supply[c];
                let mut s = (stock[b][c] + a - level).clamp(0.0, cat.inventory_days);
                if a >= 1.0 - TOL && s < cat.inventory_days {
                    s = (s + (cat.inventory_days - s) / config.restock_days)
                        .min(cat.inventory_days);
                }
                stock[b][c] = s;
            }
            q[b] = level;
        }
        out.push(q.clone());
        prev = q;
    }
    out
}

fn summarise(net: &FirmNetwork, levels: Vec<Vec<f64>>, config: &CascadeConfig) -> CascadeRun {
    let n = net.len();
    let firms: Vec<FirmOutcome> = (0..n)
        .map(|i| {
            let series: Vec<f64> = levels.iter().map(|row| row[i]).collect();
            let m = resilience_metrics(&series, 1.0, 1e-6);
            FirmOutcome {
                id: net.ids[i].clone(),
                minimum: m.minimum,
                disrupted_from: m.disrupted_from,
                failed_from: series.iter().position(|&q| q < config.failure_level),
                time_to_recover: m.time_to_recover,
                lost_days: m.loss_area,
            }
        })
        .collect();
    let weighted = |members: &[usize]| -> Vec<f64> {
        let total: f64 = members.iter().map(|&i| net.size[i]).sum();
        levels
            .iter()
            .map(|row| {
                if total > 0.0 {
                    members.iter().map(|&i| net.size[i] * row[i]).sum::<f64>() / total
                } else {
                    1.0
                }
            })
            .collect()
    };
    let mut chain_ids: Vec<&str> = net.chains.iter().flatten().map(String::as_str).collect();
    chain_ids.sort_unstable();
    chain_ids.dedup();
    let chains = chain_ids
        .iter()
        .map(|&c| {
            let members: Vec<usize> = (0..n)
                .filter(|&i| net.chains[i].iter().any(|x| x == c))
                .collect();
            ChainOutcome {
                chain: c.to_owned(),
                failed_firms: members
                    .iter()
                    .filter_map(|&i| firms[i].failed_from.map(|d| (net.ids[i].clone(), d)))
                    .collect(),
                resilience: resilience_metrics(&weighted(&members), 1.0, 1e-6),
            }
        })
        .collect();
    let all: Vec<usize> = (0..n).collect();
    CascadeRun {
        network: resilience_metrics(&weighted(&all), 1.0, 1e-6),
        firms,
        chains,
        levels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain_abc(inventory_b: f64, inventory_c: f64) -> FirmNetwork {
        let link = |s, b, inv| Link {
            supplier: s,
            buyer: b,
            category: None,
            value: Some(10.0),
            inventory_days: Some(inv),
            essential: true,
        };
        FirmNetwork::from_links(
            vec!["a".into(), "b".into(), "c".into()],
            &[link(0, 1, inventory_b), link(1, 2, inventory_c)],
        )
        .unwrap()
    }

    fn stop_a(start: usize, days: usize) -> Vec<FirmShock> {
        vec![FirmShock {
            firms: vec![0],
            share: 1.0,
            start,
            days,
        }]
    }

    #[test]
    fn one_day_of_inventory_by_hand() {
        // a stops on days 5–9. b sees a's output with one day's delay and holds one day
        // of stock: day 5 still delivered, day 6 from stock, days 7–10 stopped, day 11
        // back (stock refills by 1/10 of the gap per fully-supplied day).
        let net = chain_abc(1.0, 0.0);
        let cfg = CascadeConfig {
            days: 15,
            ..Default::default()
        };
        let run = simulate_cascade(&net, &stop_a(5, 5), &cfg).unwrap();
        let b: Vec<f64> = run.levels.iter().map(|r| r[1]).collect();
        let c: Vec<f64> = run.levels.iter().map(|r| r[2]).collect();
        assert_eq!(
            b,
            [1., 1., 1., 1., 1., 1., 1., 0., 0., 0., 0., 1., 1., 1., 1.]
        );
        assert_eq!(
            c,
            [1., 1., 1., 1., 1., 1., 1., 1., 0., 0., 0., 0., 1., 1., 1.]
        );
        assert_eq!(run.firms[1].failed_from, Some(7));
        assert_eq!(run.firms[1].time_to_recover, Some(4));
        assert_eq!(run.firms[2].lost_days, 4.0);
    }

    #[test]
    fn thirty_days_of_inventory_bridge_a_short_stop() {
        let net = chain_abc(30.0, 0.0);
        let cfg = CascadeConfig {
            days: 60,
            ..Default::default()
        };
        // Ten days of stop: 30 days of stock cover them; nothing downstream moves.
        let run = simulate_cascade(&net, &stop_a(5, 10), &cfg).unwrap();
        assert!(run.levels.iter().all(|r| r[1] == 1.0 && r[2] == 1.0));
        // Forty days: b runs 30 days on stock (days 6–35), stops on days 36–45 and is
        // back on day 46 when a's output of day 45 arrives.
        let run = simulate_cascade(&net, &stop_a(5, 40), &cfg).unwrap();
        let b: Vec<f64> = run.levels.iter().map(|r| r[1]).collect();
        assert!(b[..36].iter().all(|&q| q == 1.0));
        assert!(b[36..46].iter().all(|&q| q == 0.0), "{b:?}");
        assert!(b[46..].iter().all(|&q| q == 1.0));
        assert_eq!(run.firms[2].failed_from, Some(37));
    }

    #[test]
    fn or_within_a_category_and_partial_shocks() {
        // d buys the same input from a and b (category "x"): losing a halves the input
        // without surge, and changes nothing when b can double its deliveries.
        let link = |s, b| Link {
            supplier: s,
            buyer: b,
            category: Some("x".into()),
            value: Some(5.0),
            inventory_days: Some(0.0),
            essential: true,
        };
        let net = FirmNetwork::from_links(
            vec!["a".into(), "b".into(), "d".into()],
            &[link(0, 2), link(1, 2)],
        )
        .unwrap();
        let shock = stop_a(1, 100);
        let cfg = CascadeConfig {
            days: 5,
            ..Default::default()
        };
        let run = simulate_cascade(&net, &shock, &cfg).unwrap();
        assert_eq!(run.levels[4][2], 0.5);
        let cfg = CascadeConfig {
            supplier_surge: 2.0,
            ..cfg
        };
        let run = simulate_cascade(&net, &shock, &cfg).unwrap();
        assert_eq!(run.levels[4][2], 1.0);
        let bad = FirmShock {
            firms: vec![0],
            share: 1.5,
            start: 0,
            days: 1,
        };
        assert!(simulate_cascade(&net, &[bad], &cfg).is_err());
    }
}
