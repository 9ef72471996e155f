//! A realistic report input: three chains, ten sectors, six regions × six
//! years (2023 = the paper's Table 3-1), the five risks of Table 4-6, one
//! alert per level of Table 4-8 and one scenario. Shared by the integration
//! tests and the `dump_fixture` example.

use chainlens_report::*;

const REGIONS: [&str; 6] = [
    "Yangtze River Delta",
    "Pearl River Delta",
    "Beijing-Tianjin-Hebei",
    "Middle Yangtze River",
    "Chengdu-Chongqing",
    "Northeast",
];
/// Table 3-1: structural, functional, evolutionary, index.
const T31: [[f64; 4]; 6] = [
    [0.856, 0.892, 0.873, 0.874],
    [0.834, 0.867, 0.845, 0.849],
    [0.812, 0.823, 0.798, 0.811],
    [0.767, 0.745, 0.723, 0.745],
    [0.743, 0.721, 0.698, 0.721],
    [0.654, 0.612, 0.587, 0.618],
];

fn grade_of(e: f64) -> Grade {
    match e {
        e if e >= 0.8 => Grade::High,
        e if e >= 0.6 => Grade::Strong,
        e if e >= 0.4 => Grade::Medium,
        e if e >= 0.2 => Grade::Weaker,
        _ => Grade::Low,
    }
}

fn chain(
    id: &str,
    name: &str,
    stages: &[(&str, Segment, bool)],
    gap: usize,
    spof: usize,
) -> ChainMap {
    let regions: Vec<String> = ["Hefei", "Wuhu", "Shanghai"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let stages: Vec<StageView> = stages
        .iter()
        .enumerate()
        .map(|(k, (n, seg, core))| StageView {
            id: format!("{id}-s{k}"),
            name: n.to_string(),
            segment: *seg,
            core: *core,
        })
        .collect();
    let mut enterprises = Vec::new();
    for (k, st) in stages.iter().enumerate() {
        for (r, region) in regions.iter().enumerate() {
            if r == 0 && k == gap {
                continue;
            }
            let n = 1 + (k + r) % 3;
            for f in 0..n {
                enterprises.push(EnterpriseView {
                    id: format!("{}-e{k}{r}{f}", id),
                    name: format!(
                        "{}{}",
                        ["Anhui ", "Jianghuai ", "Huaxin "][f],
                        st.name.split(' ').next().unwrap_or("Co")
                    ),
                    stage: st.id.clone(),
                    region: region.clone(),
                    capacity: 20.0 + 37.0 * ((k * 7 + r * 3 + f * 5) % 9) as f64,
                });
            }
        }
    }
    let spof_firm = enterprises
        .iter()
        .find(|e| e.stage == stages[spof].id && e.region == regions[0])
        .map(|e| e.id.clone());
    ChainMap {
        id: id.to_string(),
        name: name.to_string(),
        gaps: vec![stages[gap].id.clone()],
        single_points: spof_firm
            .into_iter()
            .map(|e| SinglePoint {
                enterprise: e,
                dominates: vec![stages[spof + 1].name.clone(), "12 firms".into()],
                dominated_output: 412.5,
            })
            .collect(),
        stages,
        regions,
        enterprises,
    }
}

/// The fixture in the given language; one enterprise is named `<script>…`
/// to check escaping.
pub fn fixture(lang: Lang) -> ReportInput {
    use Segment::*;
    let mut nev = chain(
        "nev",
        "New-energy vehicles",
        &[
            ("Lithium mining", PreProduction, false),
            ("Battery cells", Production, true),
            ("Drive motors", Production, true),
            ("Vehicle assembly", Production, false),
            ("Dealers and logistics", Circulation, false),
            ("Charging and recycling", PostProduction, false),
        ],
        2,
        1,
    );
    nev.enterprises[0].name = "<script>alert(1)</script> Mining".into();
    let ic = chain(
        "ic",
        "Integrated circuits",
        &[
            ("EDA and IP", PreProduction, true),
            ("Wafer fab", Production, true),
            ("Packaging", Production, false),
            ("Distribution", Circulation, false),
            ("Repair", PostProduction, false),
        ],
        0,
        1,
    );
    let pv = chain(
        "pv",
        "Photovoltaics",
        &[
            ("Polysilicon", PreProduction, false),
            ("Wafers and cells", Production, true),
            ("Modules", Production, false),
            ("Installation", Circulation, false),
            ("Operation", PostProduction, false),
        ],
        3,
        0,
    );
    let sectors_n = [
        "Agriculture",
        "Mining",
        "Chemicals",
        "Metals",
        "Machinery",
        "Electronics",
        "Vehicles",
        "Utilities",
        "Construction",
        "Services",
    ];
    let sectors = sectors_n
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let bl = 0.72 + 0.061 * ((k * 7) % 10) as f64;
            let fl = 0.68 + 0.067 * ((k * 3 + 1) % 10) as f64;
            let class = match (bl > 1.0, fl > 1.0) {
                (true, true) => SectorClass::Key,
                (true, false) => SectorClass::Backward,
                (false, true) => SectorClass::Forward,
                _ => SectorClass::Weak,
            };
            SectorLinkage {
                region: "Anhui".into(),
                sector: s.to_string(),
                output: 1000.0 + 350.0 * k as f64,
                output_multiplier: 1.6 + bl,
                backward_linkage: bl,
                forward_linkage: fl,
                class,
            }
        })
        .collect();
    let regions: Vec<String> = REGIONS.iter().map(|s| s.to_string()).collect();
    let spillover = (0..6)
        .map(|i| {
            (0..6)
                .map(|j| {
                    if i == j {
                        1.8 + 0.05 * i as f64
                    } else {
                        0.02 + 0.013 * ((i * 5 + j * 3) % 7) as f64
                    }
                })
                .collect()
        })
        .collect();
    let mut rows = Vec::new();
    let mut trends = Vec::new();
    for (r, name) in REGIONS.iter().enumerate() {
        let mut points = Vec::new();
        for year in 2018..=2023 {
            let f = 1.0 - 0.028 * f64::from(2023 - year) * (1.0 + 0.1 * r as f64);
            let [s, fu, ev, idx] = T31[r].map(|v| v * f);
            rows.push(ResilienceRow {
                region: name.to_string(),
                year,
                structural: s,
                functional: fu,
                evolutionary: ev,
                index: idx,
                grade: grade_of(idx),
            });
            points.push((year, idx));
        }
        trends.push(RegionTrend {
            region: name.to_string(),
            points,
        });
    }
    let risk = |id: &str, f: &str, p: f64, i: f64, l: RiskLevel| RiskItem {
        id: id.into(),
        factor: f.into(),
        probability: p,
        impact: i,
        level: l,
    };
    use RiskLevel::{High as H, Low as L, Medium as M};
    let alert =
        |id: &str, level: u8, subject: &str, rule: &str, owner: &str, deadline: &str| AlertRow {
            id: id.into(),
            level,
            subject: subject.into(),
            rule: rule.into(),
            owner: owner.into(),
            deadline: deadline.into(),
            status: AlertStatus::Open,
        };
    let curve: Vec<(f64, f64)> = (0..=60)
        .map(|d| {
            let d = f64::from(d);
            let p = if d < 5.0 {
                1.0
            } else if d < 12.0 {
                1.0 - 0.06 * (d - 5.0)
            } else {
                (0.58 + 0.018 * (d - 12.0)).min(1.0)
            };
            (d, p)
        })
        .collect();
    ReportInput {
        meta: ReportMeta {
            title: "Anhui landmark chains — resilience report".into(),
            workspace: "examples/anhui".into(),
            generated_at: "2026-11-22T23:00:00Z".into(),
            input_digest: "sha256:3f5a…c2".into(),
            chainlens_version: "0.1.0".into(),
        },
        lang,
        overview: Some(Overview {
            home_region: "Hefei".into(),
            landmark_chains: vec![
                "New-energy vehicles".into(),
                "Integrated circuits".into(),
                "Photovoltaics".into(),
            ],
            region_grades: REGIONS
                .iter()
                .zip(T31)
                .map(|(r, v)| RegionGrade {
                    region: r.to_string(),
                    year: 2023,
                    index: v[3],
                    grade: grade_of(v[3]),
                })
                .collect(),
            open_alerts_by_level: [1, 1, 1, 1],
        }),
        chains: vec![nev, ic, pv],
        linkage: Some(LinkageView {
            sectors,
            regions: regions.clone(),
            spillover,
        }),
        resilience: Some(ResilienceView {
            rows,
            trends,
            gaps: Some(GapFigures {
                year: 2023,
                group_means: vec![
                    ("east".into(), 0.845),
                    ("central/west".into(), 0.733),
                    ("northeast".into(), 0.618),
                ],
                cv: 0.113,
                theil: 0.0061,
                theil_between: 0.0052,
                theil_within: 0.0009,
            }),
            obstacles: REGIONS
                .iter()
                .map(|r| ObstacleRow {
                    region: r.to_string(),
                    indicators: vec![
                        ("D311 R&D intensity".into(), 0.182),
                        ("D111 local matching".into(), 0.141),
                        ("D322 supplier switch".into(), 0.097),
                    ],
                })
                .collect(),
            rank_intervals: REGIONS
                .iter()
                .enumerate()
                .map(|(k, r)| {
                    let k = k as u32;
                    RankInterval {
                        region: r.to_string(),
                        min_rank: (k + 1).saturating_sub(1).max(1),
                        median_rank: f64::from(k + 1),
                        max_rank: (k + 2).min(6),
                    }
                })
                .collect(),
        }),
        risks: Some(RiskView {
            risks: vec![
                risk("R1", "Raw-material supply cut", 0.234, 0.867, H),
                risk("R2", "Technology blockade", 0.345, 0.923, H),
                risk("R3", "Demand fluctuation", 0.456, 0.678, M),
                risk("R4", "Policy change", 0.234, 0.567, L),
                risk("R5", "Carbon-emission constraint", 0.567, 0.789, M),
            ],
            probability_bins: vec![0.3, 0.6, 1.0],
            impact_bins: vec![0.6, 0.8, 1.0],
            cells: vec![vec![L, M, H], vec![L, M, H], vec![M, H, H]],
        }),
        alerts: Some(AlertsView {
            alerts: vec![
                alert(
                    "A1",
                    1,
                    "Battery cells @ Hefei",
                    "chain break",
                    "regional command",
                    "2026-11-23T23:00:00Z",
                ),
                alert(
                    "A2",
                    2,
                    "Lithium carbonate",
                    "inventory cover < 15 d",
                    "industry alliance",
                    "2026-11-24T23:00:00Z",
                ),
                alert(
                    "A3",
                    3,
                    "NEV demand",
                    "demand −12% y/y",
                    "key enterprises",
                    "2026-11-25T23:00:00Z",
                ),
                alert(
                    "A4",
                    4,
                    "Module supplier Q",
                    "defect rate > 2%",
                    "related companies",
                    "2026-11-26T23:00:00Z",
                ),
            ],
            effect: Some(ResponseEffect {
                avg_response_hours: [18.5, 40.0, 66.0, 101.0],
                limit_hours: [24.0, 48.0, 72.0, 96.0],
                resolution_rate: 0.82,
            }),
        }),
        scenarios: vec![ScenarioView {
            name: "Battery-cell plant outage (30 days)".into(),
            minimum: 0.58,
            loss_area: 6.9,
            time_to_recover: Some(35.3),
            failed_firms: vec![
                "Jianghuai Vehicle assembly".into(),
                "Anhui Drive motors".into(),
            ],
            failed_chains: vec!["New-energy vehicles".into()],
            tts_ttr: vec![
                TtsTtr {
                    node: "Battery cells".into(),
                    tts_days: 12.0,
                    ttr_days: 30.0,
                },
                TtsTtr {
                    node: "Drive motors".into(),
                    tts_days: 21.0,
                    ttr_days: 14.0,
                },
                TtsTtr {
                    node: "Lithium".into(),
                    tts_days: 9.0,
                    ttr_days: 45.0,
                },
            ],
            chain_curves: vec![(
                "New-energy vehicles".into(),
                curve
                    .iter()
                    .map(|&(d, q)| (d, 1.0 - (1.0 - q) * 1.6))
                    .collect(),
            )],
            curve,
            description: Some("A 30-day outage of the largest cell plant".into()),
            day_of_minimum: 12.0,
            losses: Some(LossView {
                trials: 2000,
                alpha: 0.95,
                mean: 1.8,
                var: 6.2,
                expected_shortfall: 8.9,
                loss_probability: 0.41,
                histogram: chainlens_report::chart::histogram::bins(
                    &(0..2000)
                        .map(|k| {
                            if k % 5 < 3 {
                                0.0
                            } else {
                                f64::from(k % 97) / 8.0
                            }
                        })
                        .collect::<Vec<_>>(),
                    20,
                ),
            }),
        }],
        measures: vec![
            Measure {
                kind: MeasureKind::Protection,
                text: "Secure a second battery-cell source".into(),
                evidence: "single point of failure in Battery cells; TTS 12 d < TTR 30 d".into(),
            },
            Measure {
                kind: MeasureKind::Supplement,
                text: "Attract a drive-motor maker to Hefei".into(),
                evidence: "gap: Drive motors has no enterprise in Hefei".into(),
            },
            Measure {
                kind: MeasureKind::Creation,
                text: "Build an EDA/IP centre".into(),
                evidence: "gap: EDA and IP; technology blockade risk high".into(),
            },
            Measure {
                kind: MeasureKind::Financing,
                text: "Supply-chain finance for tier-2 suppliers".into(),
                evidence: "receivables contagion in the NEV chain".into(),
            },
        ],
    }
}
