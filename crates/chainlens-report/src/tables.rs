//! Every table of the report as plain rows, for the workbook and for the
//! CLI's CSV/JSON files. Table names and headers are stable snake_case keys
//! (the same in both languages), so scripts can rely on them.

use crate::model::{ReportInput, Vocabulary};
use serde::Serialize;

/// One cell: text or a number (numbers keep their type in XLSX/JSON).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Text(String),
    Int(i64),
    Num(f64),
}

impl Cell {
    /// The cell as CSV text.
    pub fn to_text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Num(f) => f.to_string(),
        }
    }
}

/// A named table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn s(v: impl Into<String>) -> Cell {
    Cell::Text(v.into())
}

fn table(name: &str, header: &[&str], rows: Vec<Vec<Cell>>) -> Table {
    Table {
        name: name.to_string(),
        header: header.iter().map(|h| h.to_string()).collect(),
        rows,
    }
}

/// All tables that have data, in report order. Sections that are not
/// configured produce no table.
pub fn tables(input: &ReportInput) -> Vec<Table> {
    let mut out = Vec::new();
    if let Some(o) = &input.overview {
        out.push(table(
            "region_grades",
            &["region", "year", "index", "grade"],
            o.region_grades
                .iter()
                .map(|g| {
                    vec![
                        s(&g.region),
                        Cell::Int(g.year.into()),
                        Cell::Num(g.index),
                        s(g.grade.key()),
                    ]
                })
                .collect(),
        ));
    }
    if !input.chains.is_empty() {
        let mut rows = Vec::new();
        let mut gaps = Vec::new();
        let mut spof = Vec::new();
        for c in &input.chains {
            for e in &c.enterprises {
                let st = c.stages.iter().find(|st| st.id == e.stage);
                rows.push(vec![
                    s(&c.id),
                    s(&e.stage),
                    s(st.map(|st| st.segment.key()).unwrap_or_default()),
                    s(if st.is_some_and(|st| st.core) {
                        "yes"
                    } else {
                        "no"
                    }),
                    s(&e.region),
                    s(&e.id),
                    s(&e.name),
                    Cell::Num(e.capacity),
                ]);
            }
            for g in &c.gaps {
                let name = c
                    .stages
                    .iter()
                    .find(|st| &st.id == g)
                    .map(|st| st.name.clone())
                    .unwrap_or_default();
                gaps.push(vec![s(&c.id), s(g), s(name)]);
            }
            for p in &c.single_points {
                spof.push(vec![
                    s(&c.id),
                    s(&p.enterprise),
                    s(p.dominates.join("; ")),
                    Cell::Num(p.dominated_output),
                ]);
            }
        }
        out.push(table(
            "chain_enterprises",
            &[
                "chain",
                "stage",
                "segment",
                "core",
                "region",
                "enterprise",
                "name",
                "capacity",
            ],
            rows,
        ));
        out.push(table("chain_gaps", &["chain", "stage", "stage_name"], gaps));
        out.push(table(
            "single_points",
            &["chain", "enterprise", "dominates", "dominated_output"],
            spof,
        ));
    }
    if let Some(l) = &input.linkage {
        out.push(table(
            "linkage_sectors",
            &[
                "region",
                "sector",
                "output",
                "output_multiplier",
                "backward_linkage",
                "forward_linkage",
                "class",
            ],
            l.sectors
                .iter()
                .map(|x| {
                    vec![
                        s(&x.region),
                        s(&x.sector),
                        Cell::Num(x.output),
                        Cell::Num(x.output_multiplier),
                        Cell::Num(x.backward_linkage),
                        Cell::Num(x.forward_linkage),
                        s(x.class.key()),
                    ]
                })
                .collect(),
        ));
        if !l.regions.is_empty() {
            let mut header = vec!["region".to_string()];
            header.extend(l.regions.iter().cloned());
            let rows = l
                .regions
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let mut row = vec![s(r)];
                    row.extend((0..l.regions.len()).map(|j| {
                        Cell::Num(
                            l.spillover
                                .get(i)
                                .and_then(|x| x.get(j))
                                .copied()
                                .unwrap_or(f64::NAN),
                        )
                    }));
                    row
                })
                .collect();
            out.push(Table {
                name: "spillover".into(),
                header,
                rows,
            });
        }
    }
    if let Some(r) = &input.resilience {
        out.push(table(
            "resilience",
            &[
                "region",
                "year",
                "structural",
                "functional",
                "evolutionary",
                "index",
                "grade",
            ],
            r.rows
                .iter()
                .map(|x| {
                    vec![
                        s(&x.region),
                        Cell::Int(x.year.into()),
                        Cell::Num(x.structural),
                        Cell::Num(x.functional),
                        Cell::Num(x.evolutionary),
                        Cell::Num(x.index),
                        s(x.grade.key()),
                    ]
                })
                .collect(),
        ));
        if let Some(g) = &r.gaps {
            let y = Cell::Int(g.year.into());
            let mut rows: Vec<_> = g
                .group_means
                .iter()
                .map(|(n, m)| vec![y.clone(), s(format!("mean:{n}")), Cell::Num(*m)])
                .collect();
            for (n, v) in [
                ("cv", g.cv),
                ("theil", g.theil),
                ("theil_between", g.theil_between),
                ("theil_within", g.theil_within),
            ] {
                rows.push(vec![y.clone(), s(n), Cell::Num(v)]);
            }
            out.push(table("regional_gaps", &["year", "measure", "value"], rows));
        }
        if !r.obstacles.is_empty() {
            let rows = r
                .obstacles
                .iter()
                .flat_map(|o| {
                    o.indicators.iter().enumerate().map(|(k, (ind, d))| {
                        vec![s(&o.region), Cell::Int(k as i64 + 1), s(ind), Cell::Num(*d)]
                    })
                })
                .collect();
            out.push(table(
                "obstacles",
                &["region", "rank", "indicator", "obstacle_degree"],
                rows,
            ));
        }
        if !r.rank_intervals.is_empty() {
            out.push(table(
                "rank_intervals",
                &["region", "min_rank", "median_rank", "max_rank"],
                r.rank_intervals
                    .iter()
                    .map(|x| {
                        vec![
                            s(&x.region),
                            Cell::Int(x.min_rank.into()),
                            Cell::Num(x.median_rank),
                            Cell::Int(x.max_rank.into()),
                        ]
                    })
                    .collect(),
            ));
        }
    }
    if let Some(r) = &input.risks {
        out.push(table(
            "risks",
            &["id", "factor", "probability", "impact", "level"],
            r.risks
                .iter()
                .map(|x| {
                    vec![
                        s(&x.id),
                        s(&x.factor),
                        Cell::Num(x.probability),
                        Cell::Num(x.impact),
                        s(x.level.key()),
                    ]
                })
                .collect(),
        ));
    }
    if let Some(a) = &input.alerts {
        out.push(table(
            "alerts",
            &[
                "id", "level", "subject", "rule", "owner", "deadline", "status",
            ],
            a.alerts
                .iter()
                .map(|x| {
                    vec![
                        s(&x.id),
                        Cell::Int(x.level.into()),
                        s(&x.subject),
                        s(&x.rule),
                        s(&x.owner),
                        s(&x.deadline),
                        s(x.status.key()),
                    ]
                })
                .collect(),
        ));
        if let Some(e) = &a.effect {
            let mut rows: Vec<_> = (0..4)
                .map(|k| {
                    vec![
                        s(format!("level_{}", k + 1)),
                        Cell::Num(e.avg_response_hours[k]),
                        Cell::Num(e.limit_hours[k]),
                    ]
                })
                .collect();
            rows.push(vec![
                s("resolution_rate"),
                Cell::Num(e.resolution_rate),
                Cell::Num(f64::NAN),
            ]);
            out.push(table(
                "response_effect",
                &["measure", "value", "limit"],
                rows,
            ));
        }
    }
    if !input.scenarios.is_empty() {
        let sc = &input.scenarios;
        out.push(table(
            "scenarios",
            &[
                "scenario",
                "minimum",
                "loss_area",
                "time_to_recover",
                "failed_firms",
                "failed_chains",
            ],
            sc.iter()
                .map(|x| {
                    vec![
                        s(&x.name),
                        Cell::Num(x.minimum),
                        Cell::Num(x.loss_area),
                        x.time_to_recover.map_or(s(""), Cell::Num),
                        s(x.failed_firms.join("; ")),
                        s(x.failed_chains.join("; ")),
                    ]
                })
                .collect(),
        ));
        out.push(table(
            "scenario_curves",
            &["scenario", "day", "performance"],
            sc.iter()
                .flat_map(|x| {
                    x.curve
                        .iter()
                        .map(|(d, p)| vec![s(&x.name), Cell::Num(*d), Cell::Num(*p)])
                })
                .collect(),
        ));
        out.push(table(
            "tts_ttr",
            &["scenario", "node", "tts_days", "ttr_days"],
            sc.iter()
                .flat_map(|x| {
                    x.tts_ttr.iter().map(|t| {
                        vec![
                            s(&x.name),
                            s(&t.node),
                            Cell::Num(t.tts_days),
                            Cell::Num(t.ttr_days),
                        ]
                    })
                })
                .collect(),
        ));
    }
    if !input.measures.is_empty() {
        out.push(table(
            "measures",
            &["kind", "text", "evidence"],
            input
                .measures
                .iter()
                .map(|m| vec![s(m.kind.key()), s(&m.text), s(&m.evidence)])
                .collect(),
        ));
    }
    out
}
