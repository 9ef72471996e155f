//! Emergency triggers: predicates on data and analysis results that raise the four
//! response levels of Table 4-8 (Zhang 2024, "1+4" emergency response system).
//!
//! | trigger | predicate | default level, measure |
//! |---|---|---|
//! | `chain_break` | a stage of a chain has no active capacity in the region while a stage there draws on it as an essential input, or it *lost* all its capacity (a simulation reports capacity 0 against a positive baseline); or a single point of failure (a dominator of the supply network) fails | 1, supplement (creation for a core stage) |
//! | `tight_supply` | a buyer's inventory of an essential input covers less than `threshold` × its lead time (default 1.0: the stock runs out before a replacement delivery could arrive); one alert per input stage, naming the buyers short | 2, protection |
//! | `demand` | the latest period-on-period change of the `demand` metric exceeds `threshold` in absolute value (default 0.20 = 20 %) | 3, financing |
//! | `quality` | the latest value of the `quality_incidents` metric (indicator per region, or enterprise column) exceeds `threshold` (default 0) | 4, protection |
//!
//! The region is the workspace's home region with every region below it; with no home
//! region, all enterprises count. [`Facts::from_dataset`] derives stage capacities and
//! inventory cover from the workspace; a simulation or the network analysis adds its
//! own results ([`StageCapacity::baseline`], [`FailedNode`], [`InventoryCover`]).
//! A default trigger whose metric is not in the data is skipped (and said so); a
//! configured one is an error. Cost: O(enterprises × stages + links).

use crate::monitor::Finding;
use crate::response::{Measure, ResponsePlan};
use crate::{Error, Metrics, Result};
use chainlens_model::Dataset;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// One trigger as configured (`[warning.triggers.<name>]`); every field optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerSpec {
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(default)]
    pub level: Option<u8>,
    #[serde(default)]
    pub measure: Option<Measure>,
    #[serde(default)]
    pub response: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    /// The metric watched (`demand`, `quality` only).
    #[serde(default)]
    pub metric: Option<String>,
    /// Cover ratio (`tight_supply`), relative change (`demand`), incidents (`quality`).
    #[serde(default)]
    pub threshold: Option<f64>,
}

/// `[warning.triggers]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggersSpec {
    #[serde(default)]
    pub chain_break: TriggerSpec,
    #[serde(default)]
    pub tight_supply: TriggerSpec,
    #[serde(default)]
    pub demand: TriggerSpec,
    #[serde(default)]
    pub quality: TriggerSpec,
}

/// A validated trigger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trigger {
    pub name: &'static str,
    pub enabled: bool,
    pub level: u8,
    pub measure: Measure,
    pub response: Option<String>,
    pub owner: Option<String>,
    pub metric: Option<String>,
    /// The metric was configured explicitly: its absence is an error.
    pub metric_explicit: bool,
    pub threshold: f64,
}

/// The validated triggers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TriggerSettings {
    pub chain_break: Trigger,
    pub tight_supply: Trigger,
    pub demand: Trigger,
    pub quality: Trigger,
}

impl TriggerSpec {
    fn check(
        self,
        name: &'static str,
        defaults: (u8, Measure, Option<&str>, f64),
        plan: &ResponsePlan,
    ) -> Result<Trigger> {
        let (level, measure, metric, threshold) = defaults;
        let err = |message: String| Error::Rule {
            rule: name.to_owned(),
            message,
        };
        if metric.is_none() && self.metric.is_some() {
            return Err(err("this trigger takes no `metric`".into()));
        }
        if name == "chain_break" && self.threshold.is_some() {
            return Err(err("this trigger takes no `threshold`".into()));
        }
        let threshold = self.threshold.unwrap_or(threshold);
        if !(threshold.is_finite() && threshold >= 0.0) {
            return Err(err(format!(
                "threshold {threshold} must be a non-negative number"
            )));
        }
        let level = self.level.unwrap_or(level);
        plan.require(name, level)?;
        Ok(Trigger {
            name,
            enabled: self.enabled.unwrap_or(true),
            level,
            measure: self.measure.unwrap_or(measure),
            response: self.response,
            owner: self.owner,
            metric_explicit: self.metric.is_some(),
            metric: self.metric.or(metric.map(str::to_owned)),
            threshold,
        })
    }
}

impl TriggersSpec {
    pub fn check(self, plan: &ResponsePlan) -> Result<TriggerSettings> {
        Ok(TriggerSettings {
            chain_break: self.chain_break.check(
                "chain_break",
                (1, Measure::Supplement, None, 0.0),
                plan,
            )?,
            tight_supply: self.tight_supply.check(
                "tight_supply",
                (2, Measure::Protection, None, 1.0),
                plan,
            )?,
            demand: self.demand.check(
                "demand",
                (3, Measure::Financing, Some("demand"), 0.2),
                plan,
            )?,
            quality: self.quality.check(
                "quality",
                (4, Measure::Protection, Some("quality_incidents"), 0.0),
                plan,
            )?,
        })
    }
}

/// Capacity of one stage of a chain in a region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageCapacity {
    pub chain: String,
    pub stage: String,
    pub core: bool,
    pub region: String,
    /// Known capacity of the active enterprises (capacity, else output).
    pub capacity: f64,
    /// Capacity before a shock (from a simulation); `None` for observed data.
    pub baseline: Option<f64>,
    /// Enterprises in the region serving the stage with capacity (or unknown capacity).
    pub active: Vec<String>,
    /// Stages of the chain in the region that draw on this one as an essential input.
    pub needed_by: Vec<String>,
    /// Enterprises outside the region serving the stage, most spare capacity first.
    pub candidates: Vec<String>,
}

/// A single point of failure that failed (from the network analysis or a simulation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailedNode {
    pub enterprise: String,
    /// Enterprises it dominates (cut off with it).
    pub dominated: usize,
    pub dominated_output: f64,
}

/// How long a buyer's stock of one input lasts, against how long it needs to last.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InventoryCover {
    pub buyer: String,
    pub chain: Option<String>,
    pub stage: Option<String>,
    pub days: f64,
    /// Days it should cover (the lead time of a replacement delivery).
    pub needed_days: f64,
}

/// The data and results the emergency triggers look at.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Facts {
    pub region: String,
    pub stage_capacity: Vec<StageCapacity>,
    pub failed_nodes: Vec<FailedNode>,
    pub inventory_cover: Vec<InventoryCover>,
}

/// The region and every region below it.
fn region_scope(data: &Dataset, home: &str) -> HashSet<String> {
    let mut scope: HashSet<String> = HashSet::from([home.to_owned()]);
    loop {
        let before = scope.len();
        for r in &data.regions {
            if r.parent.as_ref().is_some_and(|p| scope.contains(p)) {
                scope.insert(r.id.clone());
            }
        }
        if scope.len() == before {
            return scope;
        }
    }
}

/// Per stage: local capacity, local enterprises serving it, and (spare capacity, id) of
/// the enterprises outside the region that serve it.
type StageTally = (f64, Vec<String>, Vec<(f64, String)>);
/// A buyer's input category: buyer, chain, stage.
type BuyerInput = (String, Option<String>, Option<String>);
/// Buyers of an input category, and the covers below the threshold.
type InputCovers<'a> = (usize, Vec<&'a InventoryCover>);

impl Facts {
    /// Stage capacities of every chain in `home_region` (all regions when `None`) and the
    /// inventory cover of every local buyer's essential inputs (links with both
    /// inventory and lead time; the buyer's cover is its largest over the suppliers of
    /// the input, the need the longest lead time).
    pub fn from_dataset(data: &Dataset, home_region: Option<&str>) -> Facts {
        let scope = home_region.map(|h| region_scope(data, h));
        let local = |region: &str| scope.as_ref().is_none_or(|s| s.contains(region));
        let mut stage_capacity = Vec::new();
        for chain in &data.chains {
            let mut per_stage: Vec<StageTally> = vec![(0.0, vec![], vec![]); chain.stages.len()];
            for e in &data.enterprises {
                for r in e.stages.iter().filter(|r| r.chain == chain.id) {
                    let Some(k) = chain.stages.iter().position(|s| s.id == r.stage) else {
                        continue;
                    };
                    let cap = e.capacity.or(e.output);
                    if local(&e.region) {
                        if cap.is_none_or(|c| c > 0.0) {
                            per_stage[k].0 += cap.unwrap_or(0.0);
                            per_stage[k].1.push(e.id.clone());
                        }
                    } else {
                        let spare = match (e.capacity, e.output) {
                            (Some(c), Some(o)) => c - o,
                            (Some(c), None) => c,
                            _ => 0.0,
                        };
                        per_stage[k].2.push((spare, e.id.clone()));
                    }
                }
            }
            for (k, stage) in chain.stages.iter().enumerate() {
                let needed_by = chain
                    .stages
                    .iter()
                    .enumerate()
                    .filter(|(j, s)| {
                        !per_stage[*j].1.is_empty()
                            && s.inputs.iter().any(|i| i.essential && i.stage == stage.id)
                    })
                    .map(|(_, s)| s.id.clone())
                    .collect();
                let (capacity, active, mut outside) = per_stage[k].clone();
                outside.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
                stage_capacity.push(StageCapacity {
                    chain: chain.id.clone(),
                    stage: stage.id.clone(),
                    core: stage.core,
                    region: home_region.unwrap_or("all").to_owned(),
                    capacity,
                    baseline: None,
                    active,
                    needed_by,
                    candidates: outside.into_iter().take(5).map(|(_, id)| id).collect(),
                });
            }
        }
        let region_of: HashMap<&str, &str> = data
            .enterprises
            .iter()
            .map(|e| (e.id.as_str(), e.region.as_str()))
            .collect();
        let mut cover: BTreeMap<BuyerInput, (f64, f64)> = BTreeMap::new();
        for l in &data.supply_links {
            let (Some(days), Some(lead)) = (l.inventory_days, l.lead_time_days) else {
                continue;
            };
            if !l.essential || !region_of.get(l.buyer.as_str()).is_some_and(|r| local(r)) {
                continue;
            }
            let entry = cover
                .entry((l.buyer.clone(), l.chain.clone(), l.stage.clone()))
                .or_insert((days, lead));
            entry.0 = entry.0.max(days);
            entry.1 = entry.1.max(lead);
        }
        Facts {
            region: home_region.unwrap_or("all").to_owned(),
            stage_capacity,
            failed_nodes: Vec::new(),
            inventory_cover: cover
                .into_iter()
                .map(
                    |((buyer, chain, stage), (days, needed_days))| InventoryCover {
                        buyer,
                        chain,
                        stage,
                        days,
                        needed_days,
                    },
                )
                .collect(),
        }
    }
}

fn finding(
    t: &Trigger,
    plan: &ResponsePlan,
    subject: String,
    evidence: BTreeMap<String, f64>,
    message: String,
) -> Finding {
    let lv = plan
        .get(t.level)
        .expect("trigger levels are checked against the plan");
    Finding {
        rule: t.name.to_owned(),
        subject,
        level: t.level,
        evidence,
        message,
        response: t.response.clone().unwrap_or_else(|| lv.response.clone()),
        measure: Some(t.measure),
        owner: t.owner.clone().unwrap_or_else(|| lv.owner.clone()),
        candidates: Vec::new(),
    }
}

/// Evaluates the enabled triggers; skipped default metrics are added to `skipped`.
pub fn evaluate(
    settings: &TriggerSettings,
    metrics: &Metrics,
    facts: &Facts,
    plan: &ResponsePlan,
    skipped: &mut Vec<String>,
) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    let t = &settings.chain_break;
    if t.enabled {
        for s in &facts.stage_capacity {
            let lost = s.baseline.is_some_and(|b| b > 0.0) && s.capacity <= 0.0;
            let gap = s.active.is_empty() && !s.needed_by.is_empty();
            if !(lost || gap) {
                continue;
            }
            let mut evidence = BTreeMap::from([
                ("capacity".to_owned(), s.capacity),
                ("active_enterprises".to_owned(), s.active.len() as f64),
                ("dependent_stages".to_owned(), s.needed_by.len() as f64),
                ("outside_candidates".to_owned(), s.candidates.len() as f64),
            ]);
            if let Some(b) = s.baseline {
                evidence.insert("baseline".into(), b);
            }
            let what = if lost {
                "lost all its capacity"
            } else {
                "has no capacity"
            };
            let mut message = format!("stage {}/{} {what} in {}", s.chain, s.stage, s.region);
            if !s.needed_by.is_empty() {
                message += &format!(", an essential input of {}", s.needed_by.join(", "));
            }
            let mut f = finding(
                t,
                plan,
                format!("{}/{}@{}", s.chain, s.stage, s.region),
                evidence,
                message,
            );
            if s.core && t.measure == Measure::Supplement {
                // A missing core component is a key technology to create, not only to buy in.
                f.measure = Some(Measure::Creation);
            }
            f.candidates = s.candidates.clone();
            out.push(f);
        }
        for n in &facts.failed_nodes {
            let evidence = BTreeMap::from([
                ("dominated".to_owned(), n.dominated as f64),
                ("dominated_output".to_owned(), n.dominated_output),
            ]);
            let message = format!(
                "single point of failure {} failed, cutting off {} enterprises (output {})",
                n.enterprise, n.dominated, n.dominated_output
            );
            out.push(finding(t, plan, n.enterprise.clone(), evidence, message));
        }
    }
    let t = &settings.tight_supply;
    if t.enabled {
        let mut by_input: BTreeMap<(Option<&str>, Option<&str>), InputCovers> = BTreeMap::new();
        for c in &facts.inventory_cover {
            let entry = by_input
                .entry((c.chain.as_deref(), c.stage.as_deref()))
                .or_default();
            entry.0 += 1;
            if c.days < t.threshold * c.needed_days {
                entry.1.push(c);
            }
        }
        for ((chain, stage), (buyers, short)) in by_input {
            let Some(worst) = short.iter().min_by(|a, b| {
                (a.days / a.needed_days)
                    .total_cmp(&(b.days / b.needed_days))
                    .then_with(|| a.buyer.cmp(&b.buyer))
            }) else {
                continue;
            };
            let input = match (chain, stage) {
                (Some(c), Some(s)) => format!("{c}/{s}"),
                (Some(c), None) => c.to_owned(),
                _ => "unspecified input".to_owned(),
            };
            let evidence = BTreeMap::from([
                ("buyers_short".to_owned(), short.len() as f64),
                ("buyers".to_owned(), buyers as f64),
                ("min_cover_days".to_owned(), worst.days),
                ("lead_time_days".to_owned(), worst.needed_days),
                ("cover_threshold".to_owned(), t.threshold),
            ]);
            let message = format!(
                "{} of {buyers} buyers of {input} in {} hold less stock than {} × the lead time (lowest: {} holds {} d against {} d)",
                short.len(),
                facts.region,
                t.threshold,
                worst.buyer,
                worst.days,
                worst.needed_days
            );
            let mut f = finding(
                t,
                plan,
                format!("{input}@{}", facts.region),
                evidence,
                message,
            );
            f.candidates = short.iter().map(|c| c.buyer.clone()).collect();
            out.push(f);
        }
    }
    for t in [&settings.demand, &settings.quality] {
        if !t.enabled {
            continue;
        }
        let metric = t.metric.as_deref().expect("metric triggers have a metric");
        if !metrics.contains(metric) {
            if t.metric_explicit {
                return Err(metrics.unknown(t.name, metric));
            }
            skipped.push(format!(
                "trigger `{}`: metric `{metric}` is not in the data",
                t.name
            ));
            continue;
        }
        for (subject, obs) in metrics.subjects(metric) {
            let Some(last) = obs.last() else { continue };
            let period = last.period.map(|p| format!(" in {p}")).unwrap_or_default();
            let mut evidence = BTreeMap::from([
                ("value".to_owned(), last.value),
                ("threshold".to_owned(), t.threshold),
            ]);
            if let Some(p) = last.period {
                evidence.insert("period".into(), f64::from(p));
            }
            let message = if t.name == "demand" {
                let [.., prev, _] = obs else { continue };
                if prev.value == 0.0 {
                    continue;
                }
                let change = (last.value - prev.value) / prev.value.abs();
                if change.abs() <= t.threshold {
                    continue;
                }
                evidence.insert("previous".into(), prev.value);
                evidence.insert("change".into(), change);
                format!(
                    "{metric} of {subject} changed by {:+.1} %{period} (bound ±{:.1} %)",
                    100.0 * change,
                    100.0 * t.threshold
                )
            } else {
                if last.value <= t.threshold {
                    continue;
                }
                format!("{} {metric} recorded for {subject}{period}", last.value)
            };
            out.push(finding(t, plan, subject.to_owned(), evidence, message));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> TriggerSettings {
        TriggersSpec::default()
            .check(&ResponsePlan::default())
            .unwrap()
    }

    #[test]
    fn lost_capacity_and_failed_nodes_are_level_one() {
        let facts = Facts {
            region: "zj".into(),
            stage_capacity: vec![StageCapacity {
                chain: "fibre".into(),
                stage: "preform".into(),
                core: false,
                region: "zj".into(),
                capacity: 0.0,
                baseline: Some(120.0),
                active: vec![],
                needed_by: vec![],
                candidates: vec!["x".into()],
            }],
            failed_nodes: vec![FailedNode {
                enterprise: "e9".into(),
                dominated: 4,
                dominated_output: 50.0,
            }],
            inventory_cover: vec![],
        };
        let f = evaluate(
            &settings(),
            &Metrics::new(),
            &facts,
            &ResponsePlan::default(),
            &mut vec![],
        )
        .unwrap();
        assert_eq!(f.len(), 2);
        assert!(f.iter().all(|f| f.level == 1
            && f.owner == "regional command"
            && f.response == "start alternatives"));
        assert_eq!(f[0].subject, "fibre/preform@zj");
        assert_eq!(f[0].evidence["baseline"], 120.0);
        assert_eq!(f[0].candidates, vec!["x".to_owned()]);
        assert_eq!(f[1].evidence["dominated"], 4.0);
    }

    #[test]
    fn demand_and_quality_fire_beyond_their_bounds() {
        let mut m = Metrics::new();
        m.insert_series("demand", "hz", [(2022, 100.0), (2023, 75.0)]);
        m.insert_series("demand", "nb", [(2022, 100.0), (2023, 85.0)]);
        m.insert("quality_incidents", "e1", None, 2.0);
        m.insert("quality_incidents", "e2", None, 0.0);
        let mut skipped = vec![];
        let f = evaluate(
            &settings(),
            &m,
            &Facts::default(),
            &ResponsePlan::default(),
            &mut skipped,
        )
        .unwrap();
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(
            (f[0].level, f[0].subject.as_str(), f[0].evidence["change"]),
            (3, "hz", -0.25)
        );
        assert_eq!(
            (f[1].level, f[1].subject.as_str(), f[1].response.as_str()),
            (4, "e1", "source control")
        );
        assert!(skipped.is_empty());
    }

    #[test]
    fn missing_default_metrics_are_skipped_and_configured_ones_refused() {
        let mut skipped = vec![];
        let f = evaluate(
            &settings(),
            &Metrics::new(),
            &Facts::default(),
            &ResponsePlan::default(),
            &mut skipped,
        )
        .unwrap();
        assert!(f.is_empty());
        assert_eq!(skipped.len(), 2);
        let spec = TriggersSpec {
            demand: TriggerSpec {
                metric: Some("orders".into()),
                ..TriggerSpec::default()
            },
            ..TriggersSpec::default()
        };
        let s = spec.check(&ResponsePlan::default()).unwrap();
        let err = evaluate(
            &s,
            &Metrics::new(),
            &Facts::default(),
            &ResponsePlan::default(),
            &mut vec![],
        )
        .unwrap_err();
        assert!(matches!(err, Error::UnknownMetric { .. }));
        let bad = TriggersSpec {
            chain_break: TriggerSpec {
                metric: Some("x".into()),
                ..TriggerSpec::default()
            },
            ..TriggersSpec::default()
        };
        assert!(bad.check(&ResponsePlan::default()).is_err());
    }
}
