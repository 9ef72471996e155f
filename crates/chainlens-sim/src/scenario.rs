//! Named scenarios of a workspace (`[[scenarios]]` in chainlens.toml) and their run on
//! the firm-level cascade ([`crate::firm`]).
//!
//! ```toml
//! [[scenarios]]
//! name = "battery-stop"
//! description = "The Ningde battery plant stops for a month"
//! days = 120                       # optional, default 120
//! supplier_surge = 1.0             # optional cascade settings (see `CascadeConfig`)
//! restock_days = 10
//! failure_level = 0.5
//! ttr_days = 30                    # time to recover of a node without a `ttr_days` column
//!   [[scenarios.shocks]]
//!   firm = "e042"                  # exactly one of firm | stage ("chain/stage") | region
//!   share = 1.0                    # share of capacity removed, 0–1 (1 = stop / cut off)
//!   start = 5                      # first day
//!   days = 30                      # how long
//!   [scenarios.monte_carlo]        # optional: loss distribution over the risk register
//!   trials = 1000
//!   seed = 42
//!   shock_days = 30
//!   alpha = 0.95
//! ```
//!
//! Besides the cascade, a scenario reports every node's time to survive against its
//! time to recover (the enterprise attribute `ttr_days`, else the scenario's `ttr_days`,
//! default 30) and every firm's ESRI ([`crate::systemic`]).
//!
//! A region shock hits every enterprise in the region or below it (a city of a
//! province); a stage shock every enterprise serving the stage.

use crate::error::{Result, SimError, suggest};
use crate::firm::{
    CascadeConfig, CascadeRun, FirmNetwork, FirmShock, Target, resolve_target, simulate_cascade,
};
use crate::montecarlo::{
    LossDistribution, MonteCarloConfig, RemovalOrder, RobustnessPoint, risk_monte_carlo,
    robustness_curve,
};
use crate::systemic::{Esri, SurvivalTime, esri_all, survival_times};
use chainlens_model::Dataset;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShockSpec {
    pub firm: Option<String>,
    pub stage: Option<String>,
    pub region: Option<String>,
    pub share: f64,
    pub start: i64,
    pub days: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub days: Option<usize>,
    #[serde(default)]
    pub supplier_surge: Option<f64>,
    #[serde(default)]
    pub restock_days: Option<f64>,
    #[serde(default)]
    pub failure_level: Option<f64>,
    /// Time to recover of a node when its enterprise has no `ttr_days` attribute (days).
    #[serde(default)]
    pub ttr_days: Option<f64>,
    pub shocks: Vec<ShockSpec>,
    /// Optional Monte Carlo over the risk register and robustness curves.
    #[serde(default)]
    pub monte_carlo: Option<MonteCarloSpec>,
}

/// `[scenarios.monte_carlo]`: trials over the risk register ([`crate::montecarlo`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonteCarloSpec {
    pub trials: usize,
    #[serde(default)]
    pub seed: u64,
    /// Days an occurring risk keeps its share of a firm's capacity out (default 30).
    #[serde(default)]
    pub shock_days: Option<usize>,
    /// Confidence level of VaR and expected shortfall (default 0.95).
    #[serde(default)]
    pub alpha: Option<f64>,
}

impl ShockSpec {
    pub fn target(&self) -> Result<Target> {
        match (&self.firm, &self.stage, &self.region) {
            (Some(f), None, None) => Ok(Target::Firm(f.clone())),
            (None, Some(s), None) => Ok(Target::Stage(s.clone())),
            (None, None, Some(r)) => Ok(Target::Region(r.clone())),
            _ => Err(SimError::Event(
                "a shock names exactly one of `firm`, `stage` (chain/stage) and `region`".into(),
            )),
        }
    }
}

impl Scenario {
    pub fn config(&self) -> Result<CascadeConfig> {
        let d = CascadeConfig::default();
        let c = CascadeConfig {
            days: self.days.unwrap_or(d.days),
            supplier_surge: self.supplier_surge.unwrap_or(d.supplier_surge),
            restock_days: self.restock_days.unwrap_or(d.restock_days),
            failure_level: self.failure_level.unwrap_or(d.failure_level),
        };
        c.check()?;
        Ok(c)
    }

    /// The shocks bound to the firms of `net`.
    pub fn shocks(&self, data: &Dataset, net: &FirmNetwork) -> Result<Vec<FirmShock>> {
        self.shocks
            .iter()
            .map(|s| {
                if s.start < 0 {
                    return Err(SimError::Event(format!(
                        "start = {}: days count from 0",
                        s.start
                    )));
                }
                if s.days < 0 {
                    return Err(SimError::Event(format!(
                        "days = {}: a shock cannot last a negative time",
                        s.days
                    )));
                }
                let shock = FirmShock {
                    firms: resolve_target(data, net, &s.target()?)?,
                    share: s.share,
                    start: s.start as usize,
                    days: s.days as usize,
                };
                shock.check()?;
                Ok(shock)
            })
            .collect()
    }
}

/// The scenario named `name` among `scenarios`.
pub fn find_scenario<'a>(scenarios: &'a [Scenario], name: &str) -> Result<&'a Scenario> {
    scenarios
        .iter()
        .find(|s| s.name == name)
        .ok_or_else(|| SimError::Unknown {
            what: "scenario",
            name: name.to_owned(),
            suggestion: suggest(name, scenarios.iter().map(|s| s.name.as_str())),
        })
}

#[derive(Debug, Clone, Serialize)]
pub struct ScenarioResult {
    pub scenario: String,
    pub description: Option<String>,
    pub days: usize,
    pub firms_shocked: usize,
    pub firms_disrupted: usize,
    pub firms_failed: usize,
    pub run: CascadeRun,
    /// Nodes whose time to recover exceeds their time to survive, most exposed first.
    pub exposed: Vec<SurvivalTime>,
    /// Every node's TTS and TTR.
    pub survival: Vec<SurvivalTime>,
    /// Economic Systemic Risk Index of every firm, highest first.
    pub esri: Vec<Esri>,
    /// Loss distribution over the risk register (days of normal network output lost).
    pub monte_carlo: Option<LossDistribution>,
    /// Output left as firms are removed at random and by decreasing ESRI.
    pub robustness_random: Option<Vec<RobustnessPoint>>,
    pub robustness_targeted: Option<Vec<RobustnessPoint>>,
}

/// Runs `scenario` on the workspace data.
pub fn run_scenario(data: &Dataset, scenario: &Scenario) -> Result<ScenarioResult> {
    run_scenario_with_progress(data, scenario, |_| {})
}

/// The step a scenario run has reached, for progress bars and the server's run status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScenarioStep {
    /// What is being computed now.
    pub step: &'static str,
    /// Steps finished before this one.
    pub done: usize,
    /// Steps in the whole run (with or without the Monte Carlo part).
    pub total: usize,
}

/// [`run_scenario`], announcing each step before it starts and a final step with
/// `done == total` when the run is complete.
pub fn run_scenario_with_progress(
    data: &Dataset,
    scenario: &Scenario,
    progress: impl Fn(ScenarioStep),
) -> Result<ScenarioResult> {
    let total = if scenario.monte_carlo.is_some() { 6 } else { 4 };
    let mut done = 0;
    let mut announce = |step: &'static str| {
        progress(ScenarioStep { step, done, total });
        done += 1;
    };
    announce("network");
    let net = FirmNetwork::from_dataset(data)?;
    let config = scenario.config()?;
    let shocks = scenario.shocks(data, &net)?;
    let mut shocked: Vec<usize> = shocks
        .iter()
        .flat_map(|s| s.firms.iter().copied())
        .collect();
    shocked.sort_unstable();
    shocked.dedup();
    announce("cascade");
    let run = simulate_cascade(&net, &shocks, &config)?;
    let default_ttr = scenario.ttr_days.unwrap_or(30.0);
    let ttr: Vec<f64> = data
        .enterprises
        .iter()
        .map(|e| e.attributes.get("ttr_days").copied().unwrap_or(default_ttr))
        .collect();
    announce("time to survive and recover");
    let survival = survival_times(&net, &ttr, &config)?;
    let mut exposed: Vec<SurvivalTime> = survival.iter().filter(|s| s.exposed).cloned().collect();
    exposed.sort_by(|a, b| {
        let slack = |s: &SurvivalTime| {
            s.time_to_survive.map_or(f64::INFINITY, |t| t as f64) - s.time_to_recover
        };
        slack(a).total_cmp(&slack(b))
    });
    announce("systemic risk (ESRI)");
    let mut esri = esri_all(&net, 1e-6)?;
    let scores: Vec<f64> = esri.iter().map(|e| e.esri).collect();
    esri.sort_by(|a, b| b.esri.total_cmp(&a.esri));
    let (monte_carlo, robustness_random, robustness_targeted) = match &scenario.monte_carlo {
        None => (None, None, None),
        Some(mc) => {
            let cfg = MonteCarloConfig {
                trials: mc.trials,
                seed: mc.seed,
                shock_days: mc.shock_days.unwrap_or(30),
                alpha: mc.alpha.unwrap_or(0.95),
                cascade: config.clone(),
            };
            announce("Monte Carlo of the risk register");
            let losses = risk_monte_carlo(&net, &data.risks, &cfg)?;
            announce("robustness curves");
            (
                Some(losses),
                Some(robustness_curve(
                    &net,
                    RemovalOrder::Random,
                    None,
                    20,
                    mc.seed,
                )?),
                Some(robustness_curve(
                    &net,
                    RemovalOrder::Score,
                    Some(&scores),
                    20,
                    mc.seed,
                )?),
            )
        }
    };
    progress(ScenarioStep {
        step: "done",
        done: total,
        total,
    });
    Ok(ScenarioResult {
        scenario: scenario.name.clone(),
        description: scenario.description.clone(),
        days: config.days,
        firms_shocked: shocked.len(),
        firms_disrupted: run
            .firms
            .iter()
            .filter(|f| f.disrupted_from.is_some())
            .count(),
        firms_failed: run.firms.iter().filter(|f| f.failed_from.is_some()).count(),
        run,
        exposed,
        survival,
        esri,
        monte_carlo,
        robustness_random,
        robustness_targeted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chainlens_model::{Enterprise, EnterpriseRole, Region, RegionLevel, SupplyLink};
    use std::collections::BTreeMap;

    fn data() -> Dataset {
        let firm = |id: &str, region: &str| Enterprise {
            id: id.into(),
            name: id.into(),
            region: region.into(),
            sector: None,
            stages: vec![],
            role: EnterpriseRole::Supporting,
            capacity: None,
            output: Some(100.0),
            employees: None,
            total_assets: None,
            operating_income: None,
            rd_expenditure: None,
            invention_patents: None,
            cash: None,
            attributes: BTreeMap::new(),
        };
        let region = |id: &str, level, parent: Option<&str>| Region {
            id: id.into(),
            name: id.into(),
            level,
            parent: parent.map(Into::into),
            group: None,
            neighbours: vec![],
            latitude: None,
            longitude: None,
        };
        let link = |s: &str, b: &str| SupplyLink {
            supplier: s.into(),
            buyer: b.into(),
            chain: None,
            stage: None,
            value: Some(10.0),
            share: None,
            lead_time_days: None,
            inventory_days: Some(2.0),
            essential: true,
            receivable: None,
            overdue_days: None,
        };
        Dataset {
            regions: vec![
                region("zj", RegionLevel::Province, None),
                region("nb", RegionLevel::City, Some("zj")),
                region("hz", RegionLevel::City, Some("zj")),
            ],
            enterprises: vec![firm("a", "nb"), firm("b", "hz"), firm("c", "hz")],
            supply_links: vec![link("a", "b"), link("b", "c")],
            ..Default::default()
        }
    }

    #[test]
    fn a_city_cut_off_reaches_its_customers_after_their_stock() {
        let s = Scenario {
            name: "nb".into(),
            description: None,
            days: Some(20),
            supplier_surge: None,
            restock_days: None,
            failure_level: None,
            ttr_days: Some(10.0),
            shocks: vec![ShockSpec {
                firm: None,
                stage: None,
                region: Some("nb".into()),
                share: 1.0,
                start: 2,
                days: 5,
            }],
            monte_carlo: None,
        };
        let r = run_scenario(&data(), &s).unwrap();
        assert_eq!(r.firms_shocked, 1);
        // b: one day in transit and two days of stock, then stopped from day 5 until a's
        // output of day 7 arrives; c bridges days 6-7 from its own two days of stock.
        assert_eq!(r.run.firms[1].failed_from, Some(5));
        assert_eq!(r.run.firms[1].time_to_recover, Some(3));
        assert_eq!(r.run.firms[2].failed_from, Some(8));
        // Everything ends recovered; a, b and c are exposed (TTR 10 > TTS).
        assert!(r.run.network.recovered);
        assert_eq!(r.exposed.len(), 2);
        let whole = Scenario {
            shocks: vec![ShockSpec {
                region: Some("zj".into()),
                ..s.shocks[0].clone()
            }],
            ..s.clone()
        };
        assert_eq!(run_scenario(&data(), &whole).unwrap().firms_shocked, 3);
        let steps = std::cell::RefCell::new(Vec::new());
        run_scenario_with_progress(&data(), &s, |p| steps.borrow_mut().push(p)).unwrap();
        let steps = steps.into_inner();
        assert_eq!(steps.len(), 5, "{steps:?}");
        assert!(
            steps
                .iter()
                .enumerate()
                .all(|(i, p)| p.done == i && p.total == 4)
        );
        assert_eq!(steps.last().unwrap().step, "done");
        let typo = Scenario {
            shocks: vec![ShockSpec {
                region: Some("ningb".into()),
                ..s.shocks[0].clone()
            }],
            ..s
        };
        assert!(run_scenario(&data(), &typo).is_err());
    }

    #[test]
    fn scenarios_parse_and_reject_bad_shocks() {
        let text = r#"
            [[scenarios]]
            name = "stop"
            days = 30
              [[scenarios.shocks]]
              firm = "a"
              share = 1.0
              start = 2
              days = 5
        "#;
        #[derive(Deserialize)]
        struct Doc {
            scenarios: Vec<Scenario>,
        }
        let doc: Doc = toml::from_str(text).unwrap();
        let s = find_scenario(&doc.scenarios, "stop").unwrap();
        assert_eq!(s.config().unwrap().days, 30);
        assert!(matches!(s.shocks[0].target().unwrap(), Target::Firm(ref f) if f == "a"));
        let err = find_scenario(&doc.scenarios, "stpo")
            .unwrap_err()
            .to_string();
        assert!(err.contains("did you mean `stop`"), "{err}");
        let mut bad = s.shocks[0].clone();
        bad.region = Some("x".into());
        assert!(bad.target().is_err());
    }
}
