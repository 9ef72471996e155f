//! From analysis results to the report's presentation input ([`chainlens_report`] knows
//! nothing of the analysis crates; this is the one place that translates).
//!
//! The recommended measures follow Gao (2021): chain supplement for gaps, chain
//! protection for single points of failure, chain creation for core stages that depend
//! on outside supply, chain financing for firms that default only because others pay late.

use crate::Workspace;
use crate::analyses::{Analyses, Section};
use chainlens_model::{AlertStatus, Timestamp};
use chainlens_network::{Breakpoint, ChainReport};
use chainlens_report as rp;
use chainlens_warning::matrix::MatrixSpec;
use std::collections::BTreeMap;

/// Share of a core stage's input bought outside the home region from which the report
/// recommends building local capacity (chain creation).
const CREATION_THRESHOLD: f64 = 0.5;

pub fn report_input(
    ws: &Workspace,
    a: &Analyses,
    lang: rp::Lang,
    now: Timestamp,
) -> rp::ReportInput {
    let home = ws.config.workspace.home_region.clone().unwrap_or_default();
    let chains = a
        .networks
        .done()
        .map(|reports| chain_maps(ws, reports, &home))
        .unwrap_or_default();
    let resilience = a.resilience.done().map(resilience_view);
    let alerts = a
        .alerts
        .done()
        .map(|r| alerts_view(r.unresolved().collect(), &r.all, now));
    let mut open = [0u32; 4];
    if let Some(r) = a.alerts.done() {
        for alert in r.unresolved() {
            if (1..=4).contains(&alert.level) {
                open[alert.level as usize - 1] += 1;
            }
        }
    }
    let overview = rp::Overview {
        home_region: home.clone(),
        landmark_chains: ws.dataset.chains.iter().map(|c| c.name.clone()).collect(),
        region_grades: resilience
            .as_ref()
            .map(|r| {
                let last = r.rows.iter().map(|row| row.year).max().unwrap_or_default();
                r.rows
                    .iter()
                    .filter(|row| row.year == last)
                    .map(|row| rp::RegionGrade {
                        region: row.region.clone(),
                        year: row.year,
                        index: row.index,
                        grade: row.grade,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        open_alerts_by_level: open,
    };
    rp::ReportInput {
        meta: rp::ReportMeta {
            title: ws
                .config
                .workspace
                .title
                .clone()
                .unwrap_or_else(|| ws.config.workspace.name.clone()),
            workspace: ws.config.workspace.name.clone(),
            generated_at: now.to_string(),
            input_digest: ws.digest.clone(),
            chainlens_version: env!("CARGO_PKG_VERSION").to_owned(),
        },
        lang,
        overview: Some(overview),
        chains,
        linkage: a.linkage.done().map(linkage_view),
        resilience,
        risks: a.risks.done().map(risk_view),
        alerts,
        scenarios: match &a.scenarios {
            Section::Done(list) => list
                .iter()
                .filter_map(Section::done)
                .map(scenario_view)
                .collect(),
            _ => Vec::new(),
        },
        measures: measures(a, &home),
    }
}

fn chain_maps(ws: &Workspace, reports: &[ChainReport], home: &str) -> Vec<rp::ChainMap> {
    let inside_home = |region: &str| {
        let mut r = ws.dataset.region(region);
        while let Some(x) = r {
            if x.id == home {
                return true;
            }
            r = x.parent.as_deref().and_then(|p| ws.dataset.region(p));
        }
        false
    };
    reports
        .iter()
        .filter_map(|report| {
            let chain = ws.dataset.chain(&report.chain)?;
            let mut enterprises = Vec::new();
            let mut per_region: BTreeMap<&str, usize> = BTreeMap::new();
            for e in &ws.dataset.enterprises {
                for s in e.stages.iter().filter(|s| s.chain == chain.id) {
                    enterprises.push(rp::EnterpriseView {
                        id: e.id.clone(),
                        name: e.name.clone(),
                        stage: s.stage.clone(),
                        region: e.region.clone(),
                        capacity: e.capacity.or(e.output).unwrap_or(0.0),
                    });
                    *per_region.entry(e.region.as_str()).or_default() += 1;
                }
            }
            // Lanes: the home region's cities first (busiest first), then the rest.
            let mut regions: Vec<(&str, usize)> = per_region.into_iter().collect();
            regions.sort_by_key(|&(r, n)| (!inside_home(r), std::cmp::Reverse(n), r));
            // Segments left to right (pre-production → post-production), file order within.
            let mut stages: Vec<&chainlens_model::Stage> = chain.stages.iter().collect();
            stages.sort_by_key(|s| s.segment);
            Some(rp::ChainMap {
                id: chain.id.clone(),
                name: chain.name.clone(),
                stages: stages
                    .into_iter()
                    .map(|s| rp::StageView {
                        id: s.id.clone(),
                        name: s.name.clone(),
                        segment: s.segment,
                        core: s.core,
                    })
                    .collect(),
                regions: regions.into_iter().map(|(r, _)| r.to_owned()).collect(),
                enterprises,
                gaps: report
                    .breakpoints
                    .iter()
                    .filter_map(|b| match b {
                        Breakpoint::StageMissingInRegion { stage, .. }
                        | Breakpoint::StageMissing { stage } => Some(stage.clone()),
                        _ => None,
                    })
                    .collect(),
                single_points: report
                    .single_points
                    .iter()
                    .map(|p| rp::SinglePoint {
                        enterprise: p.id.clone(),
                        dominates: p.dominates.clone(),
                        dominated_output: p.dominated_output,
                    })
                    .collect(),
            })
        })
        .collect()
}

fn linkage_view(r: &chainlens_linkage::LinkageReport) -> rp::LinkageView {
    let (regions, spillover) = match &r.regions {
        Some(s) => {
            let m = &s.matrices;
            let n = m.regions.len();
            // The report wants demand region i → output region j; the linkage matrices
            // have rows = region receiving the effect.
            let t = (0..n)
                .map(|i| (0..n).map(|j| m.multipliers[j][i]).collect())
                .collect();
            (m.regions.clone(), t)
        }
        None => (Vec::new(), Vec::new()),
    };
    rp::LinkageView {
        sectors: r
            .sectors
            .iter()
            .map(|s| rp::SectorLinkage {
                region: s.region.clone(),
                sector: s.sector.clone(),
                output: s.output,
                output_multiplier: s.output_multiplier,
                backward_linkage: s.backward_linkage,
                forward_linkage: s.forward_linkage,
                class: s.class,
            })
            .collect(),
        regions,
        spillover,
    }
}

/// A unit as the report names it: the region's name, and its chain for a regional chain.
fn unit_name(name: &str, chain: Option<&str>) -> String {
    match chain {
        Some(c) => format!("{name} / {c}"),
        None => name.to_owned(),
    }
}

fn resilience_view(e: &chainlens_resilience::Evaluation) -> rp::ResilienceView {
    let dim = |s: &chainlens_resilience::evaluate::Score, k: usize| {
        e.dimensions
            .get(k)
            .and_then(|d| s.dimensions.get(&d.id))
            .copied()
            .unwrap_or(f64::NAN)
    };
    let rows = e
        .scores
        .iter()
        .map(|s| rp::ResilienceRow {
            region: unit_name(&s.name, s.chain.as_deref()),
            year: s.year,
            structural: dim(s, 0),
            functional: dim(s, 1),
            evolutionary: dim(s, 2),
            index: s.index,
            grade: s.grade,
        })
        .collect();
    let name_of = |id: &str, chain: Option<&str>| {
        e.scores
            .iter()
            .find(|s| s.region == id)
            .map_or_else(|| id.to_owned(), |s| unit_name(&s.name, chain))
    };
    let mut trends: BTreeMap<String, Vec<(i32, f64)>> = BTreeMap::new();
    for s in &e.scores {
        trends
            .entry(unit_name(&s.name, s.chain.as_deref()))
            .or_default()
            .push((s.year, s.index));
    }
    let last_year = e.years.last().copied();
    rp::ResilienceView {
        rows,
        trends: trends
            .into_iter()
            .map(|(region, points)| rp::RegionTrend { region, points })
            .collect(),
        gaps: e
            .gaps
            .iter()
            .find(|g| Some(g.year) == last_year)
            .map(|g| rp::GapFigures {
                year: g.year,
                group_means: g
                    .gaps
                    .groups
                    .iter()
                    .map(|x| (x.group.clone(), x.mean))
                    .collect(),
                cv: g.gaps.cv,
                theil: g.gaps.theil.total,
                theil_between: g.gaps.theil.between,
                theil_within: g.gaps.theil.within,
            }),
        obstacles: e
            .obstacles
            .iter()
            .filter(|o| Some(o.year) == last_year)
            .map(|o| rp::ObstacleRow {
                region: name_of(&o.region, o.chain.as_deref()),
                indicators: o
                    .indicators
                    .iter()
                    .take(3)
                    .map(|i| (i.id.clone(), i.degree))
                    .collect(),
            })
            .collect(),
        rank_intervals: e
            .uncertainty
            .as_ref()
            .map(|u| {
                u.ranks
                    .iter()
                    .filter(|r| Some(r.year) == last_year)
                    .map(|r| rp::RankInterval {
                        region: name_of(&r.region, r.chain.as_deref()),
                        min_rank: r.interval.min as u32,
                        median_rank: r.interval.median as f64,
                        max_rank: r.interval.max as u32,
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn risk_view(r: &crate::analyses::Risks) -> rp::RiskView {
    let (probability_bins, impact_bins, cells) = match r.matrix.spec() {
        MatrixSpec::Grid {
            probability,
            impact,
            levels,
        } => (
            probability.iter().map(|b| b.max).collect(),
            impact.iter().map(|b| b.max).collect(),
            levels.iter().map(|row| row.to_vec()).collect(),
        ),
        MatrixSpec::Score { .. } => (Vec::new(), Vec::new(), Vec::new()),
    };
    rp::RiskView {
        risks: r
            .assessments
            .iter()
            .map(|a| rp::RiskItem {
                id: a.id.clone(),
                factor: a.factor.clone(),
                probability: a.probability,
                impact: a.impact,
                level: a.level,
            })
            .collect(),
        probability_bins,
        impact_bins,
        cells,
    }
}

fn alerts_view(
    open: Vec<&chainlens_model::Alert>,
    all: &[chainlens_model::Alert],
    now: Timestamp,
) -> rp::AlertsView {
    let effect = chainlens_warning::response_effect(all, now);
    let mut avg = [0.0; 4];
    let mut limit = [0.0; 4];
    for e in &effect {
        if (1..=4).contains(&e.level) {
            let k = e.level as usize - 1;
            avg[k] = e
                .mean_hours_to_resolve
                .or(e.mean_hours_to_acknowledge)
                .unwrap_or(0.0);
            let of_level: Vec<f64> = all
                .iter()
                .filter(|a| a.level == e.level)
                .map(|a| a.deadline.hours_since(a.raised_at))
                .collect();
            limit[k] = of_level.iter().sum::<f64>() / of_level.len().max(1) as f64;
        }
    }
    let resolved = all
        .iter()
        .filter(|a| a.status == AlertStatus::Resolved)
        .count();
    rp::AlertsView {
        alerts: open
            .iter()
            .map(|a| rp::AlertRow {
                id: a.id.map(|i| i.to_string()).unwrap_or_default(),
                level: a.level,
                subject: a.subject.clone(),
                rule: a.rule.clone(),
                owner: a.owner.clone(),
                deadline: a.deadline.to_string(),
                status: a.status.to_string(),
            })
            .collect(),
        effect: (!all.is_empty()).then(|| rp::ResponseEffect {
            avg_response_hours: avg,
            limit_hours: limit,
            resolution_rate: resolved as f64 / all.len() as f64,
        }),
    }
}

fn scenario_view(r: &chainlens_sim::ScenarioResult) -> rp::ScenarioView {
    let m = &r.run.network;
    let mut failed_firms: Vec<&chainlens_sim::firm::FirmOutcome> = r
        .run
        .firms
        .iter()
        .filter(|f| f.failed_from.is_some())
        .collect();
    failed_firms.sort_by_key(|f| (f.failed_from, f.id.clone()));
    rp::ScenarioView {
        name: r.scenario.clone(),
        curve: m
            .performance
            .iter()
            .enumerate()
            .map(|(d, &p)| (d as f64, p))
            .collect(),
        minimum: m.minimum,
        loss_area: m.loss_area,
        time_to_recover: m.time_to_recover.map(|t| t as f64),
        failed_firms: failed_firms.iter().map(|f| f.id.clone()).collect(),
        failed_chains: r
            .run
            .chains
            .iter()
            .filter(|c| !c.failed_firms.is_empty())
            .map(|c| c.chain.clone())
            .collect(),
        tts_ttr: r
            .exposed
            .iter()
            .take(12)
            .map(|s| rp::TtsTtr {
                node: s.id.clone(),
                tts_days: s.time_to_survive.map_or(r.days as f64, |t| t as f64),
                ttr_days: s.time_to_recover,
            })
            .collect(),
    }
}

fn measures(a: &Analyses, home: &str) -> Vec<rp::Measure> {
    let mut out = Vec::new();
    if let Some(reports) = a.networks.done() {
        for r in reports {
            for b in &r.breakpoints {
                if let Breakpoint::StageMissingInRegion { stage, region } = b {
                    out.push(rp::Measure {
                        kind: rp::MeasureKind::Supplement,
                        text: format!(
                            "{}/{stage}: no enterprise in {region}; recruit or partner with suppliers elsewhere (`chainlens supplement --chain {} --stage {stage}`)",
                            r.chain, r.chain
                        ),
                        evidence: "stage missing in the home region".into(),
                    });
                }
            }
            if let Some(p) = r.single_points.first() {
                out.push(rp::Measure {
                    kind: rp::MeasureKind::Protection,
                    text: format!(
                        "{}: protect {} and qualify a second source — every supply path to {} firms passes through it",
                        r.chain, p.id, p.dominated_count
                    ),
                    evidence: format!("dominates {:.0} of output", p.dominated_output),
                });
            }
            for d in &r.external_dependence {
                if let Some(share) = d.outside_region.filter(|&s| s >= CREATION_THRESHOLD) {
                    out.push(rp::Measure {
                        kind: rp::MeasureKind::Creation,
                        text: format!(
                            "{}/{}: {:.0}% of the core stage's input comes from outside {home}; build local capacity",
                            r.chain,
                            d.stage,
                            share * 100.0
                        ),
                        evidence: format!("external dependence {share:.3}"),
                    });
                }
            }
        }
    }
    if let Some(c) = a.clearing.done() {
        for (firm, amount) in &c.injections {
            if c.contagion.contains(firm) {
                out.push(rp::Measure {
                    kind: rp::MeasureKind::Financing,
                    text: format!(
                        "{firm} defaults only because its customers pay late; a bridge of {amount:.0} (or collecting its overdue receivables) prevents it"
                    ),
                    evidence: format!("Eisenberg–Noe clearing, {} default rounds", c.rounds),
                });
            }
        }
    }
    out
}
