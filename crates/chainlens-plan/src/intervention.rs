//! Policy interventions (DESIGN.md §4.6 "what-ifs"): what a chain office can do before a
//! disruption, as changes to the workspace's data or to the shocks it meets.
//!
//! * `add_supplier` — a new enterprise `firm` in `region` serving `stage`
//!   (`chain/stage`) with annual `capacity`: it supplies every buyer of the stage, the
//!   capacity spread over them in proportion to what they buy of the stage now, essential
//!   where their present input is, with their present inventory days. Its own output does
//!   not count in the network's performance (size 0), so adding it changes the measured
//!   loss only through the firms it supplies, and a supplier of a stage nobody buys
//!   changes nothing.
//! * `stockpile` — the buyers of `stage` hold at least `days` days of it (the links'
//!   `inventory_days` raised to `days`; never lowered).
//! * `capacity_support` — `share` of any capacity `firm` loses to a shock is made good
//!   (backup lines, subsidised repair): a shock removing s removes s·(1 − share).
//! * `liquidity` — `amount` more cash for `firm` (the clearing's external assets).
//!
//! New firms are appended after the existing ones, so every existing firm keeps its index
//! and random shocks drawn over the first n firms hit the same firms before and after
//! (common random numbers). An intervention that cannot matter leaves every number
//! bit for bit as it was. O(links) per application.

use crate::error::{PlanError, Result};
use chainlens_model::{Dataset, Enterprise, EnterpriseRole, StageRef, SupplyLink};
use chainlens_sim::{FirmNetwork, FirmShock};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Intervention {
    AddSupplier {
        firm: String,
        stage: String,
        region: String,
        capacity: f64,
    },
    Stockpile {
        stage: String,
        days: f64,
    },
    CapacitySupport {
        firm: String,
        share: f64,
    },
    Liquidity {
        firm: String,
        amount: f64,
    },
}

impl Intervention {
    /// One line for tables and measures.
    pub fn describe(&self) -> String {
        match self {
            Intervention::AddSupplier {
                firm,
                stage,
                region,
                capacity,
            } => format!("add supplier {firm} of {stage} in {region} (capacity {capacity})"),
            Intervention::Stockpile { stage, days } => {
                format!("stockpile {days} days of {stage} at its buyers")
            }
            Intervention::CapacitySupport { firm, share } => format!(
                "capacity support for {firm}: {:.0} % of lost capacity made good",
                100.0 * share
            ),
            Intervention::Liquidity { firm, amount } => format!("lend {amount} to {firm}"),
        }
    }

    /// Whether the intervention concerns `chain`: a stage of it, or a firm serving it.
    pub fn touches(&self, data: &Dataset, chain: &str) -> bool {
        match self {
            Intervention::AddSupplier { stage, .. } | Intervention::Stockpile { stage, .. } => {
                StageRef::parse(stage).is_some_and(|s| s.chain == chain)
            }
            Intervention::CapacitySupport { firm, .. } | Intervention::Liquidity { firm, .. } => {
                data.enterprises
                    .iter()
                    .any(|e| &e.id == firm && e.stages.iter().any(|s| s.chain == chain))
            }
        }
    }

    /// Checks names against `data` and values against their ranges; `section` and `what`
    /// name the intervention in errors (`[plan.fund] menu[2].stage: …`).
    pub fn check(&self, data: &Dataset, section: &'static str, what: &str) -> Result<()> {
        let bad = |key: &str, reason: String| PlanError::Setting {
            section,
            key: format!("{what}.{key}"),
            reason,
        };
        let firm_known = |firm: &str| data.enterprises.iter().any(|e| e.id == firm);
        let stage_known = |stage: &str| {
            StageRef::parse(stage).is_some_and(|s| {
                data.chain(&s.chain)
                    .is_some_and(|c| c.stage(&s.stage).is_some())
            })
        };
        let unknown_stage = |stage: &str| {
            bad(
                "stage",
                format!("unknown stage `{stage}` (write chain/stage, e.g. nev/battery)"),
            )
        };
        match self {
            Intervention::AddSupplier {
                firm,
                stage,
                region,
                capacity,
            } => {
                if firm_known(firm) {
                    return Err(bad(
                        "firm",
                        format!("`{firm}` already exists; a new supplier needs a new id"),
                    ));
                }
                if !stage_known(stage) {
                    return Err(unknown_stage(stage));
                }
                if data.region(region).is_none() {
                    return Err(bad("region", format!("unknown region `{region}`")));
                }
                if !(capacity.is_finite() && *capacity > 0.0) {
                    return Err(bad("capacity", format!("{capacity} is not positive")));
                }
            }
            Intervention::Stockpile { stage, days } => {
                if !stage_known(stage) {
                    return Err(unknown_stage(stage));
                }
                if !(days.is_finite() && *days >= 0.0) {
                    return Err(bad("days", format!("{days} is negative")));
                }
            }
            Intervention::CapacitySupport { firm, share } => {
                if !firm_known(firm) {
                    return Err(bad("firm", format!("unknown enterprise `{firm}`")));
                }
                if !(0.0..=1.0).contains(share) {
                    return Err(bad("share", format!("{share} is not in [0, 1]")));
                }
            }
            Intervention::Liquidity { firm, amount } => {
                if !firm_known(firm) {
                    return Err(bad("firm", format!("unknown enterprise `{firm}`")));
                }
                if !(amount.is_finite() && *amount >= 0.0) {
                    return Err(bad("amount", format!("{amount} is negative")));
                }
            }
        }
        Ok(())
    }
}

/// A workspace with interventions applied: the changed data, how many firms it had
/// before, and the capacity support per firm id.
#[derive(Debug, Clone)]
pub struct Applied {
    pub data: Dataset,
    /// Firms before the interventions (the new ones follow them).
    pub base_firms: usize,
    pub support: HashMap<String, f64>,
}

/// `data` with `interventions` applied in order (checked beforehand with [`Intervention::check`]).
pub fn apply(data: &Dataset, interventions: &[&Intervention]) -> Applied {
    let mut out = data.clone();
    let mut support = HashMap::new();
    for i in interventions {
        match i {
            Intervention::AddSupplier {
                firm,
                stage,
                region,
                capacity,
            } => add_supplier(&mut out, firm, stage, region, *capacity),
            Intervention::Stockpile { stage, days } => {
                for l in &mut out.supply_links {
                    if link_stage(l).as_deref() == Some(stage.as_str())
                        && l.inventory_days.unwrap_or(0.0) < *days
                    {
                        l.inventory_days = Some(*days);
                    }
                }
            }
            Intervention::CapacitySupport { firm, share } => {
                let s: &mut f64 = support.entry(firm.clone()).or_insert(0.0);
                *s = 1.0 - (1.0 - *s) * (1.0 - share);
            }
            Intervention::Liquidity { firm, amount } => {
                if let Some(e) = out.enterprises.iter_mut().find(|e| &e.id == firm) {
                    e.cash = Some(e.cash.unwrap_or(0.0) + amount);
                }
            }
        }
    }
    Applied {
        data: out,
        base_firms: data.enterprises.len(),
        support,
    }
}

fn link_stage(l: &SupplyLink) -> Option<String> {
    match (&l.chain, &l.stage) {
        (Some(c), Some(s)) => Some(format!("{c}/{s}")),
        _ => None,
    }
}

fn add_supplier(data: &mut Dataset, firm: &str, stage: &str, region: &str, capacity: f64) {
    let Some(stage_ref) = StageRef::parse(stage) else {
        return;
    };
    // Per buyer: its purchases of the stage and its largest link (the template).
    let mut buyers: Vec<(String, f64, SupplyLink)> = Vec::new();
    for l in &data.supply_links {
        if link_stage(l).as_deref() != Some(stage) {
            continue;
        }
        let v = l.value.unwrap_or(1.0);
        match buyers.iter_mut().find(|b| b.0 == l.buyer) {
            Some(b) => {
                b.1 += v;
                if v > b.2.value.unwrap_or(1.0) {
                    b.2 = l.clone();
                }
            }
            None => buyers.push((l.buyer.clone(), v, l.clone())),
        }
    }
    let total: f64 = buyers.iter().map(|b| b.1).sum();
    data.enterprises.push(Enterprise {
        id: firm.to_owned(),
        name: format!("{firm} (planned)"),
        region: region.to_owned(),
        sector: data
            .chain(&stage_ref.chain)
            .and_then(|c| c.stage(&stage_ref.stage))
            .and_then(|s| s.sector.clone()),
        stages: vec![stage_ref],
        role: EnterpriseRole::Supporting,
        capacity: Some(capacity),
        output: None,
        employees: None,
        total_assets: None,
        operating_income: None,
        rd_expenditure: None,
        invention_patents: None,
        cash: None,
        attributes: Default::default(),
    });
    for (buyer, bought, template) in buyers {
        data.supply_links.push(SupplyLink {
            supplier: firm.to_owned(),
            buyer,
            value: Some(capacity * bought / total),
            share: None,
            receivable: None,
            overdue_days: None,
            ..template
        });
    }
}

impl Applied {
    /// The firm network of the changed data, new firms weighing 0 in performance.
    pub fn network(&self) -> Result<FirmNetwork> {
        let mut net = FirmNetwork::from_dataset(&self.data)?;
        for s in net.size.iter_mut().skip(self.base_firms) {
            *s = 0.0;
        }
        Ok(net)
    }

    /// `shocks` (over the first `base_firms` firms) lessened by the capacity support.
    pub fn supported(&self, net: &FirmNetwork, shocks: &[FirmShock]) -> Vec<FirmShock> {
        if self.support.is_empty() {
            return shocks.to_vec();
        }
        let mut out = Vec::new();
        for s in shocks {
            let (helped, plain): (Vec<usize>, Vec<usize>) = s
                .firms
                .iter()
                .partition(|&&f| self.support.contains_key(&net.ids[f]));
            if !plain.is_empty() {
                out.push(FirmShock {
                    firms: plain,
                    ..s.clone()
                });
            }
            for f in helped {
                out.push(FirmShock {
                    firms: vec![f],
                    share: s.share * (1.0 - self.support[&net.ids[f]]),
                    ..s.clone()
                });
            }
        }
        out
    }
}
