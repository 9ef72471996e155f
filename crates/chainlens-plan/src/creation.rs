//! Chain creation (Gao 2021: where a key stage has no, or too weak a, local maker,
//! establish a core enterprise by introduction or own innovation and integrate a new
//! supply chain around it — a high-end CNC machine-tool centre in Taizhou supported by
//! firms in Hangzhou, Jiaxing and Shaoxing).
//!
//! **Targets**: the chain's core stages that have no enterprise in the home region
//! (missing), or whose home-region buyers get at least half of the stage's value from
//! outside the region (weak: external dependence ≥ 0.5).
//!
//! **Candidate centres**: the cities of the home region. Reach from a city to an
//! enterprise: 1 in the same city, 0.5 in a neighbouring city, 0.25 elsewhere in the home
//! region, 0 outside (Gao's Taizhou centre draws on the whole province). For a target
//! stage s and city c:
//! * inputs I_c = Σ reach · capacity over the enterprises serving s's input stages;
//! * outputs O_c = Σ reach · capacity over the enterprises serving the stages that buy s;
//! * related R_c = Σ reach over the enterprises whose sector is s's sector;
//!
//! score = 0.4·I_c/max I + 0.4·O_c/max O + 0.2·R_c/max R (a term whose maximum is 0
//! counts 0 for every city), ties by city id. Capacity is the enterprise's capacity,
//! else its output, else 1. The IO table's linkage of the stage's sector is the same for
//! every city of a region, so it does not rank cities.
//!
//! **Supporting chain** of the best city: per input stage, the three enterprises of most
//! reach (then capacity); the buyers, the enterprises of the buying stages in the region
//! by reach and capacity (at most five). **Effect**: the hypothetical core — capacity
//! equal to what the region's buyers buy of s now (else the median capacity of s's
//! makers) — is added with links to every buyer of s and from its supporting suppliers
//! ([`crate::intervention`]); D112, D111, breakpoints and single points of failure are
//! measured before and after, and each configured scenario is run before and after with
//! the same shocks (the scenario's cascade; its Monte Carlo is left to `plan what-if`).
//! O(cities × enterprises) plus the screens and scenario runs.

use crate::error::Result;
use crate::intervention::{Applied, Intervention, apply};
use crate::measure::{Measure, MeasureKind};
use crate::protection::round2;
use crate::whatif::{Outcome, outcome};
use chainlens_model::{Dataset, Enterprise, RegionLevel, StageRef, SupplyLink};
use chainlens_network::protection::ProtectionConfig;
use chainlens_network::{Geography, NetworkConfig, analyse_chain, chain_integrity};
use chainlens_sim::{FirmNetwork, Scenario};
use serde::Serialize;
use std::collections::BTreeMap;

/// External dependence at or above which a core stage counts as weak.
pub const WEAK_DEPENDENCE: f64 = 0.5;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CentreCandidate {
    pub city: String,
    pub score: f64,
    pub inputs: f64,
    pub outputs: f64,
    pub related: f64,
    pub reasons: Vec<String>,
}

/// The chain's screens and scenario losses before and after the created core.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Screens {
    pub coverage: f64,
    pub missing_stages: Vec<String>,
    pub local_matching: Option<f64>,
    pub breakpoints: usize,
    pub single_points: usize,
    /// (scenario, outcome).
    pub scenarios: Vec<(String, Outcome)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreationTarget {
    pub stage: String,
    /// `missing` or `weak`.
    pub why: &'static str,
    pub local_makers: usize,
    /// Share of the value the region's buyers get from outside it (None: no such buyers).
    pub external_dependence: Option<f64>,
    pub candidates: Vec<CentreCandidate>,
    /// The new core's id, city and capacity.
    pub core: Option<(String, String, f64)>,
    /// Per input stage: the supporting suppliers of the best city.
    pub suppliers: BTreeMap<String, Vec<String>>,
    /// Region enterprises of the buying stages the new core would serve.
    pub buyers: Vec<String>,
    pub before: Option<Screens>,
    pub after: Option<Screens>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreationPlan {
    pub chain: String,
    pub region: String,
    pub targets: Vec<CreationTarget>,
    pub measures: Vec<Measure>,
}

fn capacity(e: &Enterprise) -> f64 {
    e.capacity.or(e.output).filter(|v| *v > 0.0).unwrap_or(1.0)
}

fn serves(e: &Enterprise, chain: &str, stage: &str) -> bool {
    e.stages
        .iter()
        .any(|s| s.chain == chain && s.stage == stage)
}

/// Reach from `city` to an enterprise in `region`.
fn reach(geo: &Geography, city: &str, region: &str, home: &str) -> f64 {
    if geo.within(region, city) {
        1.0
    } else if geo
        .region(city)
        .is_some_and(|c| c.neighbours.iter().any(|n| geo.within(region, n)))
        || geo
            .region(region)
            .is_some_and(|r| r.neighbours.iter().any(|n| n == city))
    {
        0.5
    } else if geo.within(region, home) {
        0.25
    } else {
        0.0
    }
}

/// The creation plan of `chain` for the home region; `scenarios` are re-run with each
/// created core.
pub fn creation_plan(
    data: &Dataset,
    chain_id: &str,
    home: &str,
    country: Option<&str>,
    scenarios: &[Scenario],
    protection: &ProtectionConfig,
) -> Result<CreationPlan> {
    let chain = data
        .chain(chain_id)
        .ok_or_else(|| chainlens_network::Error::UnknownChain(chain_id.to_owned()))?;
    if data.region(home).is_none() {
        return Err(chainlens_network::Error::UnknownRegion(home.to_owned()).into());
    }
    let geo = Geography::new(&data.regions, country);
    let local = |e: &Enterprise| geo.within(&e.region, home);
    let cities: Vec<&str> = data
        .regions
        .iter()
        .filter(|r| r.level == RegionLevel::City && geo.within(&r.id, home))
        .map(|r| r.id.as_str())
        .collect();
    let mut targets = Vec::new();
    for stage in chain.stages.iter().filter(|s| s.core) {
        let local_makers = data
            .enterprises
            .iter()
            .filter(|e| serves(e, chain_id, &stage.id) && local(e))
            .count();
        let (mut total, mut outside) = (0.0, 0.0);
        for l in data.supply_links.iter().filter(|l| {
            l.chain.as_deref() == Some(chain_id) && l.stage.as_deref() == Some(stage.id.as_str())
        }) {
            let buyer_local = data.enterprises.iter().any(|e| e.id == l.buyer && local(e));
            if buyer_local {
                let v = l.value.unwrap_or(1.0);
                total += v;
                if !data
                    .enterprises
                    .iter()
                    .any(|e| e.id == l.supplier && local(e))
                {
                    outside += v;
                }
            }
        }
        let dependence = (total > 0.0).then(|| outside / total);
        let why = if local_makers == 0 {
            "missing"
        } else if dependence.is_some_and(|d| d >= WEAK_DEPENDENCE) {
            "weak"
        } else {
            continue;
        };
        let inputs: Vec<&str> = stage.inputs.iter().map(|i| i.stage.as_str()).collect();
        let buying: Vec<&str> = chain
            .stages
            .iter()
            .filter(|s| s.inputs.iter().any(|i| i.stage == stage.id))
            .map(|s| s.id.as_str())
            .collect();
        let support = |city: &str, stages: &[&str]| -> f64 {
            data.enterprises
                .iter()
                .filter(|e| stages.iter().any(|s| serves(e, chain_id, s)))
                .map(|e| reach(&geo, city, &e.region, home) * capacity(e))
                .sum()
        };
        let raw: Vec<(&str, f64, f64, f64)> = cities
            .iter()
            .map(|&c| {
                let related = data
                    .enterprises
                    .iter()
                    .filter(|e| e.sector.is_some() && e.sector == stage.sector)
                    .map(|e| reach(&geo, c, &e.region, home))
                    .sum();
                (c, support(c, &inputs), support(c, &buying), related)
            })
            .collect();
        let max = |f: fn(&(&str, f64, f64, f64)) -> f64| raw.iter().map(f).fold(0.0, f64::max);
        let (mi, mo, mr) = (max(|r| r.1), max(|r| r.2), max(|r| r.3));
        let part = |x: f64, m: f64| if m > 0.0 { x / m } else { 0.0 };
        let mut candidates: Vec<CentreCandidate> = raw
            .iter()
            .map(|&(c, i, o, r)| CentreCandidate {
                city: c.to_owned(),
                score: 0.4 * part(i, mi) + 0.4 * part(o, mo) + 0.2 * part(r, mr),
                inputs: i,
                outputs: o,
                related: r,
                reasons: vec![
                    format!("input stages' capacity within reach {}", round2(i)),
                    format!("buying stages' capacity within reach {}", round2(o)),
                    format!("related firms (same sector) within reach {}", round2(r)),
                ],
            })
            .collect();
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.city.cmp(&b.city)));
        let mut target = CreationTarget {
            stage: stage.id.clone(),
            why,
            local_makers,
            external_dependence: dependence,
            candidates,
            core: None,
            suppliers: BTreeMap::new(),
            buyers: Vec::new(),
            before: None,
            after: None,
        };
        if let Some(best) = target.candidates.first().map(|c| c.city.clone()) {
            let ranked = |stages: &[&str], only_local: bool| -> Vec<&Enterprise> {
                let mut v: Vec<&Enterprise> = data
                    .enterprises
                    .iter()
                    .filter(|e| stages.iter().any(|s| serves(e, chain_id, s)))
                    .filter(|e| !only_local || local(e))
                    .collect();
                v.sort_by(|a, b| {
                    reach(&geo, &best, &b.region, home)
                        .total_cmp(&reach(&geo, &best, &a.region, home))
                        .then(capacity(b).total_cmp(&capacity(a)))
                        .then(a.id.cmp(&b.id))
                });
                v
            };
            for &s in &inputs {
                let firms: Vec<String> = ranked(&[s], false)
                    .iter()
                    .take(3)
                    .map(|e| e.id.clone())
                    .collect();
                target.suppliers.insert(s.to_owned(), firms);
            }
            target.buyers = ranked(&buying, true)
                .iter()
                .take(5)
                .map(|e| e.id.clone())
                .collect();
            let makers: Vec<f64> = {
                let mut v: Vec<f64> = data
                    .enterprises
                    .iter()
                    .filter(|e| serves(e, chain_id, &stage.id))
                    .map(capacity)
                    .collect();
                v.sort_by(f64::total_cmp);
                v
            };
            let size = if total > 0.0 {
                total
            } else {
                makers.get(makers.len() / 2).copied().unwrap_or(1.0)
            };
            let id = format!("new_{}_{}", stage.id, best);
            let stage_ref = StageRef {
                chain: chain_id.to_owned(),
                stage: stage.id.clone(),
            };
            let mut applied = apply(
                data,
                &[&Intervention::AddSupplier {
                    firm: id.clone(),
                    stage: stage_ref.to_string(),
                    region: best.clone(),
                    capacity: size,
                }],
            );
            for input in &stage.inputs {
                let firms = &target.suppliers[&input.stage];
                for f in firms {
                    applied.data.supply_links.push(SupplyLink {
                        supplier: f.clone(),
                        buyer: id.clone(),
                        chain: Some(chain_id.to_owned()),
                        stage: Some(input.stage.clone()),
                        value: Some(size / firms.len() as f64),
                        share: None,
                        lead_time_days: None,
                        inventory_days: None,
                        essential: input.essential,
                        receivable: None,
                        overdue_days: None,
                    });
                }
            }
            let base = apply(data, &[]);
            let place = (chain_id, home, country);
            target.before = Some(screens(data, &base, place, scenarios, protection)?);
            target.after = Some(screens(data, &applied, place, scenarios, protection)?);
            target.core = Some((id, best, size));
        }
        targets.push(target);
    }
    let measures = targets.iter().filter_map(measure).collect();
    Ok(CreationPlan {
        chain: chain_id.to_owned(),
        region: home.to_owned(),
        targets,
        measures,
    })
}

/// The screens of `applied`; scenario shocks resolved on `original`, so that they hit the
/// same firms before and after (a created core is not itself shocked).
fn screens(
    original: &Dataset,
    applied: &Applied,
    (chain, home, country): (&str, &str, Option<&str>),
    scenarios: &[Scenario],
    protection: &ProtectionConfig,
) -> Result<Screens> {
    let data = &applied.data;
    let integrity = chain_integrity(data, chain, home)?;
    let report = analyse_chain(data, chain, Some(home), country, &NetworkConfig::default())?;
    let base_net = FirmNetwork::from_dataset(original)?;
    let mut runs = Vec::new();
    for s in scenarios {
        let shocks = s.shocks(original, &base_net)?;
        let o = outcome(applied, s, &shocks, &s.config()?, protection, false)?;
        runs.push((s.name.clone(), o));
    }
    Ok(Screens {
        coverage: integrity.coverage.rate,
        missing_stages: integrity.coverage.missing,
        local_matching: integrity
            .local_matching
            .rate_by_value
            .or(integrity.local_matching.rate_by_count),
        breakpoints: report.breakpoints.len(),
        single_points: report.single_points.len(),
        scenarios: runs,
    })
}

fn measure(t: &CreationTarget) -> Option<Measure> {
    let (id, city, size) = t.core.as_ref()?;
    let (b, a) = (t.before.as_ref()?, t.after.as_ref()?);
    let best = t.candidates.first()?;
    let mut numbers = BTreeMap::from([
        ("score".to_owned(), best.score),
        ("capacity".to_owned(), *size),
        ("coverage_before".to_owned(), b.coverage),
        ("coverage_after".to_owned(), a.coverage),
        ("breakpoints_before".to_owned(), b.breakpoints as f64),
        ("breakpoints_after".to_owned(), a.breakpoints as f64),
        ("single_points_before".to_owned(), b.single_points as f64),
        ("single_points_after".to_owned(), a.single_points as f64),
    ]);
    if let (Some(x), Some(y)) = (b.local_matching, a.local_matching) {
        numbers.insert("local_matching_before".into(), x);
        numbers.insert("local_matching_after".into(), y);
    }
    let mut losses = String::new();
    for ((name, o0), (_, o1)) in b.scenarios.iter().zip(&a.scenarios) {
        numbers.insert(format!("loss_{name}_before"), o0.loss_area);
        numbers.insert(format!("loss_{name}_after"), o1.loss_area);
        losses.push_str(&format!(
            "; scenario {name}: loss {} → {} days",
            round2(o0.loss_area),
            round2(o1.loss_area)
        ));
    }
    let mut firms = vec![id.clone()];
    firms.extend(t.suppliers.values().flatten().cloned());
    firms.extend(t.buyers.iter().cloned());
    Some(Measure {
        kind: MeasureKind::Creation,
        action: format!(
            "create a core enterprise for `{}` in {city} (capacity {}), supplied by {} and serving {}",
            t.stage,
            round2(*size),
            if t.suppliers.is_empty() {
                "no input stage".to_owned()
            } else {
                t.suppliers
                    .iter()
                    .map(|(s, f)| format!("{s}: {}", f.join(", ")))
                    .collect::<Vec<_>>()
                    .join("; ")
            },
            if t.buyers.is_empty() {
                "the stage's present buyers".to_owned()
            } else {
                t.buyers.join(", ")
            }
        ),
        firms,
        reason: format!(
            "the core stage `{}` is {} in the region ({} local maker(s){}); {city} ranks first of {} cities \
             (score {:.3}: {}); coverage D112 {:.3} → {:.3}, breakpoints {} → {}, single points of failure {} → {}{}",
            t.stage,
            t.why,
            t.local_makers,
            t.external_dependence
                .map(|d| format!(", {:.1} % of its value from outside", 100.0 * d))
                .unwrap_or_default(),
            t.candidates.len(),
            best.score,
            best.reasons.join(", "),
            b.coverage,
            a.coverage,
            b.breakpoints,
            a.breakpoints,
            b.single_points,
            a.single_points,
            losses
        ),
        numbers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::whatif::tests::{small, stop};

    #[test]
    fn a_cell_centre_for_the_small_chain_by_hand() {
        let d = small();
        let plan = creation_plan(
            &d,
            "ev",
            "p",
            Some("cn"),
            &[stop("C2")],
            &ProtectionConfig::default(),
        )
        .unwrap();
        assert_eq!(plan.targets.len(), 1);
        let t = &plan.targets[0];
        // `cell` (the only core stage) has no maker in p; p's buyers K and B1 get all 100
        // of their cells from C2 abroad.
        assert_eq!(
            (t.stage.as_str(), t.why, t.local_makers),
            ("cell", "missing", 0)
        );
        assert_eq!(t.external_dependence, Some(1.0));
        // Inputs (lithium: L2 in a, 100; L1 abroad, reach 0) and buyers (car: K in a,
        // B1 in b, 100 each); no related firm in p (R = 0 everywhere):
        //   a: I = 100, O = 100 + 0.5·100 = 150 → 0.4·1 + 0.4·1 = 0.8
        //   b: I = 0.5·100 = 50, O = 0.5·100 + 100 = 150 → 0.4·0.5 + 0.4·1 = 0.6
        //   c: I = 0.25·100 = 25, O = 0.25·200 = 50 → 0.4·0.25 + 0.4·(1/3) = 7/30
        let got: Vec<(&str, f64, f64, f64)> = t
            .candidates
            .iter()
            .map(|c| (c.city.as_str(), c.score, c.inputs, c.outputs))
            .collect();
        let expected = [
            ("a", 0.8, 100.0, 150.0),
            ("b", 0.6, 50.0, 150.0),
            ("c", 7.0 / 30.0, 25.0, 50.0),
        ];
        for (g, e) in got.iter().zip(expected) {
            assert_eq!((g.0, g.2, g.3), (e.0, e.2, e.3));
            assert!((g.1 - e.1).abs() < 1e-15, "{g:?}");
        }
        // Supporting chain from a: lithium L2 (same city) before L1 (abroad); buyers K, B1.
        assert_eq!(t.suppliers["lithium"], ["L2", "L1"]);
        assert_eq!(t.buyers, ["K", "B1"]);
        // The core's capacity is what p's buyers buy of cells now: 50 + 50.
        assert_eq!(
            t.core,
            Some(("new_cell_a".to_owned(), "a".to_owned(), 100.0))
        );
        let (b, a) = (t.before.as_ref().unwrap(), t.after.as_ref().unwrap());
        // Coverage D112: lithium and car covered, cell and recycling not (2/4); after: 3/4.
        assert_eq!((b.coverage, a.coverage), (0.5, 0.75));
        assert_eq!(a.missing_stages, ["recycling"]);
        // D111: K buys 50 of cells from abroad (0); after, 50 more from the core in a: 1/2.
        assert_eq!((b.local_matching, a.local_matching), (Some(0.0), Some(0.5)));
        // C2 stopping hurts less with a second cell supplier.
        assert!(a.scenarios[0].1.loss_area < b.scenarios[0].1.loss_area);
        assert_eq!(plan.measures.len(), 1);
        assert!(
            plan.measures[0].action.contains("`cell` in a"),
            "{}",
            plan.measures[0].action
        );
    }
}
