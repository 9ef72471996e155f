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
        home_region: ws
            .dataset
            .region(&home)
            .map_or_else(|| home.clone(), |r| r.name.clone()),
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
        linkage: a.linkage.done().map(|l| linkage_view(ws, l)),
        resilience,
        risks: a.risks.done().map(risk_view),
        alerts,
        scenarios: match &a.scenarios {
            Section::Done(list) => list
                .iter()
                .filter_map(Section::done)
                .map(|r| scenario_view(ws, r))
                .collect(),
            _ => Vec::new(),
        },
        measures: measures(ws, a, &home, lang),
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
    let region_name = |id: &str| {
        ws.dataset
            .region(id)
            .map_or_else(|| id.to_owned(), |r| r.name.clone())
    };
    let firm_name = |id: &str| {
        ws.dataset
            .enterprises
            .iter()
            .find(|e| e.id == id)
            .map_or_else(|| id.to_owned(), |e| e.name.clone())
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
                        region: region_name(&e.region),
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
                // Regions by name: what the map prints and what its enterprises carry.
                regions: regions.into_iter().map(|(r, _)| region_name(r)).collect(),
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
                        dominates: p.dominates.iter().map(|d| firm_name(d)).collect(),
                        dominated_output: p.dominated_output,
                    })
                    .collect(),
            })
        })
        .collect()
}

/// The linkage results with regions and sectors by name where the workspace names them
/// (an IO table's own labels otherwise).
fn linkage_view(ws: &Workspace, r: &chainlens_linkage::LinkageReport) -> rp::LinkageView {
    let region = |id: &str| {
        ws.dataset
            .region(id)
            .map_or_else(|| id.to_owned(), |r| r.name.clone())
    };
    let sector = |id: &str| {
        ws.dataset
            .sectors
            .iter()
            .find(|s| s.id == id)
            .map_or_else(|| id.to_owned(), |s| s.name.clone())
    };
    let (regions, spillover) = match &r.regions {
        Some(s) => {
            let m = &s.matrices;
            let n = m.regions.len();
            // The report wants demand region i → output region j; the linkage matrices
            // have rows = region receiving the effect.
            let t = (0..n)
                .map(|i| (0..n).map(|j| m.multipliers[j][i]).collect())
                .collect();
            (m.regions.iter().map(|r| region(r)).collect(), t)
        }
        None => (Vec::new(), Vec::new()),
    };
    rp::LinkageView {
        sectors: r
            .sectors
            .iter()
            .map(|s| rp::SectorLinkage {
                region: region(&s.region),
                sector: sector(&s.sector),
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
                status: a.status,
            })
            .collect(),
        effect: (!all.is_empty()).then(|| rp::ResponseEffect {
            avg_response_hours: avg,
            limit_hours: limit,
            resolution_rate: resolved as f64 / all.len() as f64,
        }),
    }
}

/// How many firms the time-to-survive chart of a scenario shows.
const TTS_TTR_FIRMS: usize = 12;
/// Bins of the Monte Carlo loss histogram.
const LOSS_BINS: usize = 20;

fn scenario_view(ws: &Workspace, r: &chainlens_sim::ScenarioResult) -> rp::ScenarioView {
    let data = &ws.dataset;
    let firm_name = |id: &str| {
        data.enterprises
            .iter()
            .find(|e| e.id == id)
            .map_or_else(|| id.to_owned(), |e| e.name.clone())
    };
    let chain_name = |id: &str| {
        data.chain(id)
            .map_or_else(|| id.to_owned(), |c| c.name.clone())
    };
    let days = |p: &[f64]| -> Vec<(f64, f64)> {
        p.iter().enumerate().map(|(d, &q)| (d as f64, q)).collect()
    };
    let m = &r.run.network;
    let mut failed_firms: Vec<&chainlens_sim::firm::FirmOutcome> = r
        .run
        .firms
        .iter()
        .filter(|f| f.failed_from.is_some())
        .collect();
    failed_firms.sort_by_key(|f| (f.failed_from, f.id.clone()));
    // The firms this scenario disrupts, shortest time to survive first, then longest
    // time to recover: which outage the network can bear least, in this scenario.
    let disrupted: std::collections::HashSet<&str> = r
        .run
        .firms
        .iter()
        .filter(|f| f.disrupted_from.is_some())
        .map(|f| f.id.as_str())
        .collect();
    let mut exposed: Vec<&chainlens_sim::SurvivalTime> = r
        .survival
        .iter()
        .filter(|s| disrupted.contains(s.id.as_str()))
        .collect();
    exposed.sort_by(|a, b| {
        let tts = |s: &chainlens_sim::SurvivalTime| s.time_to_survive.unwrap_or(usize::MAX);
        tts(a)
            .cmp(&tts(b))
            .then(b.time_to_recover.total_cmp(&a.time_to_recover))
            .then(a.id.cmp(&b.id))
    });
    rp::ScenarioView {
        name: r.scenario.clone(),
        description: r.description.clone(),
        curve: days(&m.performance),
        chain_curves: r
            .run
            .chains
            .iter()
            .map(|c| (chain_name(&c.chain), days(&c.resilience.performance)))
            .collect(),
        minimum: m.minimum,
        day_of_minimum: m.day_of_minimum as f64,
        loss_area: m.loss_area,
        time_to_recover: m.time_to_recover.map(|t| t as f64),
        failed_firms: failed_firms.iter().map(|f| firm_name(&f.id)).collect(),
        failed_chains: r
            .run
            .chains
            .iter()
            .filter(|c| !c.failed_firms.is_empty())
            .map(|c| chain_name(&c.chain))
            .collect(),
        tts_ttr: exposed
            .iter()
            .take(TTS_TTR_FIRMS)
            .map(|s| rp::TtsTtr {
                node: firm_name(&s.id),
                tts_days: s.time_to_survive.map_or(r.days as f64, |t| t as f64),
                ttr_days: s.time_to_recover,
            })
            .collect(),
        losses: r.monte_carlo.as_ref().map(|l| rp::LossView {
            trials: l.trials,
            alpha: l.alpha,
            mean: l.mean,
            var: l.var,
            expected_shortfall: l.expected_shortfall,
            loss_probability: l.loss_probability,
            histogram: rp::chart::histogram::bins(&l.losses, LOSS_BINS),
        }),
    }
}

/// The recommended measures in `lang`, naming chains, stages, regions and firms by name.
fn measures(ws: &Workspace, a: &Analyses, home: &str, lang: rp::Lang) -> Vec<rp::Measure> {
    use rp::format::{firms, number, percent};
    let data = &ws.dataset;
    let zh = lang == rp::Lang::Zh;
    let chain_name = |id: &str| {
        data.chain(id)
            .map_or_else(|| id.to_owned(), |c| c.name.clone())
    };
    let stage_name = |chain: &str, stage: &str| {
        data.chain(chain)
            .and_then(|c| c.stages.iter().find(|s| s.id == stage))
            .map_or_else(|| stage.to_owned(), |s| s.name.clone())
    };
    let region_name = |id: &str| {
        data.region(id)
            .map_or_else(|| id.to_owned(), |r| r.name.clone())
    };
    let firm_name = |id: &str| {
        data.enterprises
            .iter()
            .find(|e| e.id == id)
            .map_or_else(|| id.to_owned(), |e| e.name.clone())
    };
    let home = region_name(home);
    let mut out = Vec::new();
    if let Some(reports) = a.networks.done() {
        for r in reports {
            let chain = chain_name(&r.chain);
            for b in &r.breakpoints {
                if let Breakpoint::StageMissingInRegion { stage, region } = b {
                    let (stage, region) = (stage_name(&r.chain, stage), region_name(region));
                    out.push(rp::Measure {
                        kind: rp::MeasureKind::Supplement,
                        text: if zh {
                            format!("{chain}·{stage}：{region}无企业；引进企业或与外地供应商合作补链")
                        } else {
                            format!("{chain} · {stage}: no enterprise in {region}; recruit one or partner with suppliers elsewhere")
                        },
                        evidence: lang
                            .pick("stage missing in the home region", "本地区缺失该环节")
                            .to_owned(),
                    });
                }
            }
            if let Some(p) = r.single_points.first() {
                let (firm, n) = (firm_name(&p.id), firms(lang, p.dominated_count as usize));
                out.push(rp::Measure {
                    kind: rp::MeasureKind::Protection,
                    text: if zh {
                        format!("{chain}：保护{firm}并培育第二来源——{n}的全部供应路径都经过它")
                    } else {
                        format!("{chain}: protect {firm} and qualify a second source — every supply path to {n} passes through it")
                    },
                    evidence: if zh {
                        format!("支配产出 {}", number(p.dominated_output, 0))
                    } else {
                        format!("dominates an output of {}", number(p.dominated_output, 0))
                    },
                });
            }
            for d in &r.external_dependence {
                if let Some(share) = d.outside_region.filter(|&s| s >= CREATION_THRESHOLD) {
                    let stage = stage_name(&r.chain, &d.stage);
                    out.push(rp::Measure {
                        kind: rp::MeasureKind::Creation,
                        text: if zh {
                            format!("{chain}·{stage}：核心环节 {} 的投入来自{home}以外；建设本地产能", percent(share))
                        } else {
                            format!("{chain} · {stage}: {} of the core stage's input comes from outside {home}; build local capacity", percent(share))
                        },
                        evidence: format!("{} {}", lang.pick("external dependence", "外部依赖度"), number(share, 3)),
                    });
                }
            }
        }
    }
    if let Some(c) = a.clearing.done() {
        for (firm, amount) in &c.injections {
            if c.contagion.contains(firm) {
                let (firm, amount) = (firm_name(firm), number(*amount, 0));
                out.push(rp::Measure {
                    kind: rp::MeasureKind::Financing,
                    text: if zh {
                        format!("{firm}仅因下游拖欠货款而违约；{amount} 的过桥资金（或催收逾期应收款）即可避免")
                    } else {
                        format!("{firm} defaults only because its customers pay late; a bridge of {amount}, or collecting its overdue receivables, prevents it")
                    },
                    evidence: if zh {
                        format!("Eisenberg–Noe 清算，{} 轮违约", c.rounds)
                    } else {
                        format!("Eisenberg–Noe clearing, {} default rounds", c.rounds)
                    },
                });
            }
        }
    }
    out
}
