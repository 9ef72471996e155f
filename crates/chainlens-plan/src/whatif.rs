//! Policy what-ifs (DESIGN.md §4.6): a scenario of the workspace run before and after a
//! list of interventions ([`crate::intervention`]) with the same shocks and the same
//! random numbers —
//!
//! * the firm cascade of the scenario's shocks (resolved on the workspace as it is, so a
//!   planned supplier is not itself shocked; capacity support lessens the shocks it
//!   covers): network and per-chain loss area, minimum performance, firms disrupted and
//!   failed;
//! * with `[scenarios.monte_carlo]`: the mean, VaR and expected shortfall of the loss over
//!   the risk register, every trial's shocks drawn over the workspace's own firms with the
//!   scenario's seed (common random numbers; [`chainlens_sim::montecarlo::risk_shocks`]);
//! * where receivables exist: the dated clearing's defaulters and least liquidity
//!   ([`chainlens_network::protection`]), which liquidity injections change.
//!
//! An intervention that cannot matter (a stockpile below what buyers hold, support for a
//! firm no shock reaches, a supplier of a stage no one buys) leaves every figure bit for
//! bit as it was. Cost: two scenario cascades, 2·N Monte Carlo cascades and two dated
//! clearings.

use crate::error::Result;
use crate::intervention::{Applied, Intervention, apply};
use chainlens_model::Dataset;
use chainlens_network::protection::{ProtectionConfig, clear_over_time, dated_from_dataset};
use chainlens_sim::montecarlo::{loss_distribution, risk_shocks, shock_loss};
use chainlens_sim::{CascadeConfig, FirmNetwork, Scenario, simulate_cascade};
use rayon::prelude::*;
use serde::Serialize;

/// The figures compared before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// Days of normal network output lost in the scenario.
    pub loss_area: f64,
    pub minimum: f64,
    pub time_to_recover: Option<usize>,
    pub firms_disrupted: usize,
    pub firms_failed: usize,
    /// (chain, loss area) per chain.
    pub chains: Vec<(String, f64)>,
    /// Mean, VaR and ES of the risk-register loss (with `[scenarios.monte_carlo]`).
    pub risk_mean: Option<f64>,
    pub risk_var: Option<f64>,
    pub risk_expected_shortfall: Option<f64>,
    /// Firms missing a payment in the dated clearing (when there are receivables).
    pub clearing_defaults: Option<Vec<String>>,
    pub clearing_liquidity: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhatIf {
    pub scenario: String,
    pub interventions: Vec<String>,
    pub before: Outcome,
    pub after: Outcome,
    /// before.loss_area − after.loss_area.
    pub loss_avoided: f64,
}

/// Runs `scenario` before and after `interventions` (checked here against `data`).
pub fn what_if(
    data: &Dataset,
    scenario: &Scenario,
    interventions: &[Intervention],
    protection: &ProtectionConfig,
) -> Result<WhatIf> {
    for (k, i) in interventions.iter().enumerate() {
        i.check(data, "what_if", &format!("interventions[{k}]"))?;
    }
    let base_net = FirmNetwork::from_dataset(data)?;
    let shocks = scenario.shocks(data, &base_net)?;
    let config = scenario.config()?;
    let before = outcome(
        &apply(data, &[]),
        scenario,
        &shocks,
        &config,
        protection,
        true,
    )?;
    let chosen: Vec<&Intervention> = interventions.iter().collect();
    let after = outcome(
        &apply(data, &chosen),
        scenario,
        &shocks,
        &config,
        protection,
        true,
    )?;
    Ok(WhatIf {
        scenario: scenario.name.clone(),
        interventions: interventions.iter().map(Intervention::describe).collect(),
        loss_avoided: before.loss_area - after.loss_area,
        before,
        after,
    })
}

/// The figures of `scenario` on `applied`; the risk-register Monte Carlo only when
/// `with_risk` (and the scenario has one).
pub(crate) fn outcome(
    applied: &Applied,
    scenario: &Scenario,
    shocks: &[chainlens_sim::FirmShock],
    config: &CascadeConfig,
    protection: &ProtectionConfig,
    with_risk: bool,
) -> Result<Outcome> {
    let net = applied.network()?;
    let run = simulate_cascade(&net, &applied.supported(&net, shocks), config)?;
    let (risk_mean, risk_var, risk_es) = match scenario.monte_carlo.as_ref().filter(|_| with_risk) {
        None => (None, None, None),
        Some(mc) => {
            let losses: Vec<f64> = (0..mc.trials)
                .into_par_iter()
                .map(|t| {
                    let s = risk_shocks(
                        &applied.data.risks,
                        applied.base_firms,
                        mc.seed,
                        t,
                        mc.shock_days.unwrap_or(30),
                    );
                    shock_loss(&net, &applied.supported(&net, &s), config)
                })
                .collect();
            let d = loss_distribution(losses, mc.alpha.unwrap_or(0.95), mc.seed)?;
            (Some(d.mean), Some(d.var), Some(d.expected_shortfall))
        }
    };
    let has_receivables = applied
        .data
        .supply_links
        .iter()
        .any(|l| l.receivable.is_some_and(|r| r > 0.0));
    let (clearing_defaults, clearing_liquidity) = if has_receivables {
        let p = dated_from_dataset(&applied.data, None, protection)?;
        let c = clear_over_time(&p, &[]);
        (
            Some(
                c.defaults
                    .iter()
                    .map(|&i| p.undated.ids[i].clone())
                    .collect(),
            ),
            Some(c.least_liquidity.iter().sum()),
        )
    } else {
        (None, None)
    };
    Ok(Outcome {
        loss_area: run.network.loss_area,
        minimum: run.network.minimum,
        time_to_recover: run.network.time_to_recover,
        firms_disrupted: run
            .firms
            .iter()
            .filter(|f| f.disrupted_from.is_some())
            .count(),
        firms_failed: run.firms.iter().filter(|f| f.failed_from.is_some()).count(),
        chains: run
            .chains
            .iter()
            .map(|c| (c.chain.clone(), c.resilience.loss_area))
            .collect(),
        risk_mean,
        risk_var,
        risk_expected_shortfall: risk_es,
        clearing_defaults,
        clearing_liquidity,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chainlens_model::{
        Chain, Enterprise, EnterpriseRole, Position, Region, RegionLevel, Risk, Segment, Stage,
        StageInput, StageRef, SupplyLink,
    };
    use chainlens_sim::ShockSpec;

    fn stage(id: &str, inputs: &[&str]) -> Stage {
        Stage {
            id: id.into(),
            name: id.into(),
            segment: Segment::PreProduction,
            position: Position::Upstream,
            core: id == "cell",
            sector: Some(format!("{id}_sector")),
            inputs: inputs
                .iter()
                .map(|s| StageInput {
                    stage: (*s).into(),
                    essential: true,
                })
                .collect(),
        }
    }

    fn firm(id: &str, region: &str, stage: &str, role: EnterpriseRole) -> Enterprise {
        Enterprise {
            id: id.into(),
            name: id.into(),
            region: region.into(),
            sector: Some(format!("{stage}_sector")),
            stages: vec![StageRef {
                chain: "ev".into(),
                stage: stage.into(),
            }],
            role,
            capacity: Some(100.0),
            output: Some(80.0),
            employees: None,
            total_assets: None,
            operating_income: None,
            rd_expenditure: None,
            invention_patents: None,
            cash: Some(10.0),
            attributes: Default::default(),
        }
    }

    fn link(s: &str, b: &str, stage: &str, inventory: f64) -> SupplyLink {
        SupplyLink {
            supplier: s.into(),
            buyer: b.into(),
            chain: Some("ev".into()),
            stage: Some(stage.into()),
            value: Some(50.0),
            share: None,
            lead_time_days: None,
            inventory_days: Some(inventory),
            essential: true,
            receivable: None,
            overdue_days: None,
        }
    }

    fn region(id: &str, level: RegionLevel, parent: Option<&str>, neighbours: &[&str]) -> Region {
        Region {
            id: id.into(),
            name: id.into(),
            level,
            parent: parent.map(Into::into),
            group: None,
            neighbours: neighbours.iter().map(|s| (*s).into()).collect(),
            latitude: None,
            longitude: None,
        }
    }

    /// Chain ev: lithium (L1 abroad, L2 in a) → cell (C1 in x, abroad maker C2) → car
    /// (K in a, leading). Regions: province p with cities a, b (neighbours) and c; abroad.
    pub(crate) fn small() -> Dataset {
        Dataset {
            regions: vec![
                region("cn", RegionLevel::Country, None, &[]),
                region("abroad", RegionLevel::Country, None, &[]),
                region("p", RegionLevel::Province, Some("cn"), &[]),
                region("a", RegionLevel::City, Some("p"), &["b"]),
                region("b", RegionLevel::City, Some("p"), &["a"]),
                region("c", RegionLevel::City, Some("p"), &[]),
            ],
            chains: vec![Chain {
                id: "ev".into(),
                name: "ev".into(),
                description: None,
                stages: vec![
                    stage("lithium", &[]),
                    stage("cell", &["lithium"]),
                    stage("car", &["cell"]),
                    stage("recycling", &[]),
                ],
            }],
            enterprises: vec![
                firm("L1", "abroad", "lithium", EnterpriseRole::Supporting),
                firm("L2", "a", "lithium", EnterpriseRole::Supporting),
                firm("C2", "abroad", "cell", EnterpriseRole::Supporting),
                firm("K", "a", "car", EnterpriseRole::Leading),
                firm("B1", "b", "car", EnterpriseRole::Supporting),
            ],
            supply_links: vec![
                link("L1", "C2", "lithium", 5.0),
                link("L2", "C2", "lithium", 5.0),
                link("C2", "K", "cell", 10.0),
                link("C2", "B1", "cell", 10.0),
            ],
            risks: vec![Risk {
                id: "r1".into(),
                risk_type: "supply".into(),
                factor: "cut".into(),
                probability: 0.5,
                impact: 1.0,
                owner: None,
                measures: None,
            }],
            ..Dataset::default()
        }
    }

    pub(crate) fn stop(firm: &str) -> Scenario {
        Scenario {
            name: "stop".into(),
            description: None,
            days: Some(60),
            supplier_surge: Some(1.0),
            restock_days: None,
            failure_level: None,
            ttr_days: None,
            shocks: vec![ShockSpec {
                firm: Some(firm.into()),
                stage: None,
                region: None,
                share: 1.0,
                start: 0,
                days: 20,
            }],
            monte_carlo: Some(chainlens_sim::scenario::MonteCarloSpec {
                trials: 40,
                seed: 3,
                shock_days: Some(20),
                alpha: None,
            }),
        }
    }

    #[test]
    fn interventions_that_cannot_matter_change_nothing_bit_for_bit() {
        let d = small();
        let s = stop("C2");
        let none = what_if(&d, &s, &[], &ProtectionConfig::default()).unwrap();
        let idle = [
            // Buyers of cells already hold 10 days.
            Intervention::Stockpile {
                stage: "ev/cell".into(),
                days: 4.0,
            },
            // Nobody buys recycling.
            Intervention::AddSupplier {
                firm: "R".into(),
                stage: "ev/recycling".into(),
                region: "c".into(),
                capacity: 50.0,
            },
            // No receivables: cash changes no figure.
            Intervention::Liquidity {
                firm: "K".into(),
                amount: 5.0,
            },
        ];
        let w = what_if(&d, &s, &idle, &ProtectionConfig::default()).unwrap();
        assert_eq!(w.before, none.before);
        assert_eq!(w.after, w.before, "bit for bit, Monte Carlo included");
        assert!(w.before.risk_mean.is_some_and(|m| m > 0.0));
        assert_eq!(w.loss_avoided, 0.0);
        // Capacity support for a firm the scenario does not shock changes the scenario
        // run not at all (the Monte Carlo may hit it, so only the run is compared).
        let support = [Intervention::CapacitySupport {
            firm: "L1".into(),
            share: 1.0,
        }];
        let w = what_if(&d, &stop("C2"), &support, &ProtectionConfig::default()).unwrap();
        assert_eq!(w.after.loss_area, w.before.loss_area);
        assert_eq!(w.after.chains, w.before.chains);
    }

    #[test]
    fn a_second_cell_supplier_and_a_stockpile_lower_the_loss() {
        let d = small();
        // C2 stops for 20 days; K and B1 hold 10 days of cells: they stop from day 10 to
        // day 20 (plus a day of delivery). A 30-day stockpile bridges the stop.
        let s = stop("C2");
        let w = what_if(
            &d,
            &s,
            &[Intervention::Stockpile {
                stage: "ev/cell".into(),
                days: 30.0,
            }],
            &ProtectionConfig::default(),
        )
        .unwrap();
        assert!(w.before.firms_disrupted > w.after.firms_disrupted, "{w:?}");
        assert!(w.loss_avoided > 0.0);
        // Full capacity support of C2 cancels the shock: nothing is lost.
        let w = what_if(
            &d,
            &s,
            &[Intervention::CapacitySupport {
                firm: "C2".into(),
                share: 1.0,
            }],
            &ProtectionConfig::default(),
        )
        .unwrap();
        assert_eq!(w.after.loss_area, 0.0);
        assert_eq!(w.after.firms_disrupted, 0);
    }

    #[test]
    fn bad_interventions_are_named() {
        let d = small();
        let e = what_if(
            &d,
            &stop("C2"),
            &[Intervention::Stockpile {
                stage: "ev/cels".into(),
                days: 3.0,
            }],
            &ProtectionConfig::default(),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("interventions[0].stage: unknown stage `ev/cels`"),
            "{e}"
        );
    }
}
