//! The self-contained HTML report: inline CSS and inline SVG only, no script,
//! no external resource, a CJK-capable system font stack. Sections follow the
//! papers: overview, chain maps, linkage, resilience, risk and early warning,
//! scenarios, measures. A section without data says so instead of failing.
//! Every piece of user text goes through [`esc`].

use crate::chart::bar::{grouped_bars, rank_intervals};
use crate::chart::chainmap::chain_map;
use crate::chart::heatmap::{PlacedRisk, heatmap, risk_matrix};
use crate::chart::histogram::histogram;
use crate::chart::line::{LineChart, line_chart};
use crate::chart::radar::dimensions_radar;
use crate::chart::scatter::{Point, quadrant};
use crate::format::{datetime, firms, number, percent, with_unit};
use crate::i18n::{alert_level, alert_level_colour, t};
use crate::model::{
    AlertsView, ChainMap, Grade, Lang, LinkageView, LossView, MeasureKind, ReportInput,
    ResilienceView, RiskView, ScenarioView, Vocabulary,
};
use crate::svg::esc;
use std::fmt::Write;

/// Section keys in report order (also the element ids).
pub const SECTIONS: [&str; 7] = [
    "overview",
    "chains",
    "linkage",
    "resilience",
    "risk",
    "scenarios",
    "measures",
];

const CSS: &str = r#"
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC","Hiragino Sans GB","WenQuanYi Micro Hei",sans-serif;margin:0;color:#111;background:#fff;line-height:1.45}
main{max-width:1180px;margin:0 auto;padding:16px 28px 48px}
header{border-bottom:3px solid #1b4f9c;margin-bottom:8px}
h1{font-size:26px;margin:12px 0 4px}
h2{font-size:21px;border-bottom:1px solid #999;padding-bottom:3px;margin-top:34px}
h3{font-size:16px;margin:20px 0 6px}
h4{font-size:14px;margin:14px 0 4px}
nav a{margin-right:14px;color:#1b4f9c;text-decoration:none}
table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}
th,td{border:1px solid #bbb;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#eef2f8}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.meta td,.meta th{border:none;padding:1px 10px 1px 0;font-size:12px;background:none}
.none{color:#555;font-style:italic}
figure{margin:8px 0 18px;break-inside:avoid}
figcaption{font-size:13px;color:#333;margin-top:2px}
svg.chart{max-width:100%;height:auto;font-family:inherit}
.scroll{overflow-x:auto}.scroll svg.chart{max-width:none}
td:first-child{white-space:nowrap}
.badge{display:inline-block;padding:0 6px;border:1px solid #333;border-radius:3px;font-size:12px}
.grid{display:flex;flex-wrap:wrap;gap:18px}
.legend .badge{margin-right:4px}
@media print{nav{display:none}h2{break-before:page}}
"#;

/// Render the whole report as one HTML document.
pub fn render_html(input: &ReportInput) -> String {
    let lang = input.lang;
    let mut h = String::new();
    let html_lang = lang.tag();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{html_lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{CSS}</style></head><body><main>",
        esc(&input.meta.title)
    );
    let m = &input.meta;
    let _ = write!(
        h,
        "<header><h1>{}</h1><table class=\"meta\">",
        esc(&m.title)
    );
    for (k, v) in [
        ("workspace", &m.workspace),
        ("generated", &datetime(&m.generated_at)),
        ("digest", &m.input_digest),
        ("version", &m.chainlens_version),
    ] {
        let _ = write!(h, "<tr><th>{}</th><td>{}</td></tr>", t(lang, k), esc(v));
    }
    h.push_str("</table><nav>");
    for s in SECTIONS {
        let _ = write!(h, "<a href=\"#{s}\">{}</a>", t(lang, s));
    }
    h.push_str("</nav></header>");
    for s in SECTIONS {
        let _ = write!(h, "<section id=\"{s}\"><h2>{}</h2>", t(lang, s));
        let body = match s {
            "overview" => overview(input),
            "chains" => chains(&input.chains, lang),
            "linkage" => input.linkage.as_ref().map(|l| linkage(l, lang)),
            "resilience" => input.resilience.as_ref().map(|r| resilience(r, lang)),
            "risk" => risk(input.risks.as_ref(), input.alerts.as_ref(), lang),
            "scenarios" => scenarios(&input.scenarios, lang),
            _ => measures(input, lang),
        };
        match body {
            Some(b) => h.push_str(&b),
            None => {
                let _ = write!(h, "<p class=\"none\">{}</p>", t(lang, "not_configured"));
            }
        }
        h.push_str("</section>");
    }
    h.push_str("</main></body></html>\n");
    h
}

/// A table with escaped header and cells; cells starting with a digit or
/// minus sign are right-aligned.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut h = String::from("<table><thead><tr>");
    for c in header {
        let _ = write!(h, "<th>{}</th>", esc(c));
    }
    h.push_str("</tr></thead><tbody>");
    for r in rows {
        h.push_str("<tr>");
        for c in r {
            let numeric = c.starts_with(|ch: char| ch.is_ascii_digit() || ch == '-')
                && c.parse::<f64>().is_ok();
            let _ = write!(
                h,
                "<td{}>{}</td>",
                if numeric { " class=\"n\"" } else { "" },
                esc(c)
            );
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>");
    h
}

/// A value of a vocabulary as a badge in its colour, with its word in `lang`.
fn badge<V: Vocabulary>(v: V, lang: Lang) -> String {
    format!(
        "<span class=\"badge\" style=\"background:{};color:{}\">{}</span>",
        v.colour(),
        v.ink(),
        esc(v.label(lang))
    )
}

/// An emergency level as a badge in its colour, followed by `suffix`.
fn level_badge(level: u8, suffix: &str, lang: Lang) -> String {
    let colour = alert_level_colour(level);
    format!(
        "<span class=\"badge\" style=\"background:{colour};color:{}\">{}{}</span>",
        chainlens_model::vocabulary::ink_on(colour),
        esc(&alert_level(lang, level)),
        esc(suffix)
    )
}

/// The legend of a vocabulary: every value's badge, in the type's order.
fn legend<V: Vocabulary>(lang: Lang) -> String {
    let mut h = String::from("<p class=\"legend\">");
    for &v in V::VALUES {
        h.push_str(&badge(v, lang));
        h.push(' ');
    }
    h.push_str("</p>");
    h
}

/// A figure around an inline SVG with an escaped caption.
fn figure(svg: String, caption: &str) -> String {
    format!(
        "<figure>{svg}<figcaption>{}</figcaption></figure>",
        esc(caption)
    )
}

fn f3(v: f64) -> String {
    format!("{v:.3}")
}

fn overview(input: &ReportInput) -> Option<String> {
    let lang = input.lang;
    let o = input.overview.as_ref()?;
    let mut h = String::new();
    let _ = write!(
        h,
        "<p><b>{}:</b> {}</p>",
        t(lang, "home_region"),
        esc(&o.home_region)
    );
    let chains = if o.landmark_chains.is_empty() {
        t(lang, "none").to_string()
    } else {
        o.landmark_chains.join(", ")
    };
    let _ = write!(h, "<p><b>{}:</b> {}</p>", t(lang, "landmark"), esc(&chains));
    let mut ranked: Vec<_> = o.region_grades.iter().collect();
    ranked.sort_by(|a, b| {
        b.grade
            .cmp(&a.grade)
            .then(b.index.total_cmp(&a.index))
            .then(a.region.cmp(&b.region))
    });
    h.push_str("<table><thead><tr>");
    for k in ["region", "year", "index", "grade"] {
        let _ = write!(h, "<th>{}</th>", t(lang, k));
    }
    h.push_str("</tr></thead><tbody>");
    for g in ranked {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&g.region),
            g.year,
            f3(g.index),
            badge(g.grade, lang)
        );
    }
    h.push_str("</tbody></table>");
    h.push_str(&legend::<Grade>(lang));
    let _ = write!(h, "<p><b>{}:</b> ", t(lang, "open_alerts"));
    for (k, n) in o.open_alerts_by_level.iter().enumerate() {
        let _ = write!(h, "{} ", level_badge(k as u8 + 1, &format!(": {n}"), lang));
    }
    h.push_str("</p>");
    Some(h)
}

fn chains(list: &[ChainMap], lang: Lang) -> Option<String> {
    if list.is_empty() {
        return None;
    }
    let mut h = String::new();
    for c in list {
        let _ = write!(h, "<h3>{}</h3>", esc(&c.name));
        // Drawn at full size (labels stay ≥ 11 px), scrolled sideways when wider than the page.
        h.push_str(&figure(
            format!("<div class=\"scroll\">{}</div>", chain_map(c, lang)),
            &format!("{}: {}", t(lang, "chain"), c.name),
        ));
        let gap_names: Vec<_> = c
            .gaps
            .iter()
            .map(|g| {
                c.stages
                    .iter()
                    .find(|s| &s.id == g)
                    .map_or(g.clone(), |s| s.name.clone())
            })
            .collect();
        let gaps = if gap_names.is_empty() {
            t(lang, "none").to_string()
        } else {
            gap_names.join(", ")
        };
        let _ = write!(h, "<p><b>{}:</b> {}</p>", t(lang, "gap"), esc(&gaps));
        if !c.single_points.is_empty() {
            let rows: Vec<_> = c
                .single_points
                .iter()
                .map(|p| {
                    let name = c
                        .enterprises
                        .iter()
                        .find(|e| e.id == p.enterprise)
                        .map_or(p.enterprise.clone(), |e| e.name.clone());
                    vec![
                        name,
                        p.dominates.join(", "),
                        format!("{:.1}", p.dominated_output),
                    ]
                })
                .collect();
            h.push_str(&table(
                &[
                    t(lang, "spof"),
                    t(lang, "dominates"),
                    t(lang, "dominated_output"),
                ],
                &rows,
            ));
        }
    }
    Some(h)
}

/// How many sectors of the key-sector quadrant carry a printed label.
const QUADRANT_LABELS: usize = 10;

fn linkage(l: &LinkageView, lang: Lang) -> String {
    let mut h = String::new();
    let multi_region = l.sectors.iter().any(|s| s.region != l.sectors[0].region);
    let label = |s: &crate::model::SectorLinkage| {
        if multi_region {
            format!("{}·{}", s.region, s.sector)
        } else {
            s.sector.clone()
        }
    };
    // Labels for the ten largest multipliers; the rest name themselves on hover.
    let mut by_multiplier: Vec<usize> = (0..l.sectors.len()).collect();
    by_multiplier.sort_by(|&a, &b| {
        l.sectors[b]
            .output_multiplier
            .total_cmp(&l.sectors[a].output_multiplier)
    });
    by_multiplier.truncate(QUADRANT_LABELS);
    let points: Vec<_> = l
        .sectors
        .iter()
        .enumerate()
        .map(|(k, s)| Point {
            label: label(s),
            x: s.backward_linkage,
            y: s.forward_linkage,
            class: s.class,
            labelled: by_multiplier.contains(&k),
        })
        .collect();
    let _ = write!(h, "<h3>{}</h3>", t(lang, "quadrant"));
    h.push_str(&figure(
        quadrant(
            t(lang, "quadrant"),
            t(lang, "bl"),
            t(lang, "fl"),
            &points,
            lang,
        ),
        t(lang, "quadrant"),
    ));
    let mut top: Vec<_> = l.sectors.iter().collect();
    top.sort_by(|a, b| b.output_multiplier.total_cmp(&a.output_multiplier));
    let rows: Vec<_> = top
        .iter()
        .take(10)
        .map(|s| {
            vec![
                s.region.clone(),
                s.sector.clone(),
                format!("{:.1}", s.output),
                f3(s.output_multiplier),
                f3(s.backward_linkage),
                f3(s.forward_linkage),
                s.class.label(lang).to_string(),
            ]
        })
        .collect();
    let _ = write!(h, "<h3>{}</h3>", t(lang, "top_sectors"));
    h.push_str(&table(
        &[
            t(lang, "region"),
            t(lang, "sector"),
            t(lang, "output"),
            t(lang, "multiplier"),
            t(lang, "bl"),
            t(lang, "fl"),
            t(lang, "class"),
        ],
        &rows,
    ));
    let _ = write!(h, "<h3>{}</h3>", t(lang, "spillover"));
    if l.regions.is_empty() {
        let _ = write!(h, "<p class=\"none\">{}</p>", t(lang, "not_configured"));
    } else {
        let svg = heatmap(
            t(lang, "spillover"),
            &l.regions,
            &l.regions,
            &l.spillover,
            t(lang, "from_region"),
            &|v| f3(v),
        );
        h.push_str(&figure(svg, t(lang, "from_region")));
    }
    h
}

fn resilience(r: &ResilienceView, lang: Lang) -> String {
    let mut h = String::new();
    let latest = r.rows.iter().map(|x| x.year).max();
    let rows: Vec<_> = r.rows.iter().filter(|x| Some(x.year) == latest).collect();
    let _ = write!(
        h,
        "<h3>{} ({})</h3>",
        t(lang, "res_table"),
        latest.map_or(String::new(), |y| y.to_string())
    );
    h.push_str("<table><thead><tr>");
    for k in [
        "region",
        "structural",
        "functional",
        "evolutionary",
        "index",
        "grade",
    ] {
        let _ = write!(h, "<th>{}</th>", t(lang, k));
    }
    h.push_str("</tr></thead><tbody>");
    for x in &rows {
        let _ = write!(h, "<tr><td>{}</td>", esc(&x.region));
        for v in [x.structural, x.functional, x.evolutionary, x.index] {
            let _ = write!(h, "<td class=\"n\">{}</td>", f3(v));
        }
        let _ = write!(h, "<td>{}</td></tr>", badge(x.grade, lang));
    }
    h.push_str("</tbody></table>");
    h.push_str(&legend::<Grade>(lang));
    if let Some(svg) = dimensions_radar(rows.iter().copied(), lang) {
        let _ = write!(h, "<h3>{}</h3>", t(lang, "radar"));
        h.push_str(&figure(svg, t(lang, "radar")));
    }
    if !r.trends.is_empty() {
        let _ = write!(h, "<h3>{}</h3>", t(lang, "trend"));
        let series: Vec<_> = r
            .trends
            .iter()
            .map(|tr| {
                (
                    tr.region.clone(),
                    tr.points.iter().map(|(y, v)| (f64::from(*y), *v)).collect(),
                )
            })
            .collect();
        let opt = LineChart {
            title: t(lang, "trend"),
            x_title: t(lang, "year"),
            y_title: t(lang, "index"),
            y_range: None,
            markers: true,
            loss_to: None,
            id: "trend",
            integer_x: true,
        };
        h.push_str(&figure(line_chart(&opt, &series), t(lang, "trend")));
    }
    let _ = write!(h, "<h3>{}</h3>", t(lang, "gaps"));
    match &r.gaps {
        Some(g) => {
            let mut body: Vec<_> = g
                .group_means
                .iter()
                .map(|(n, m)| vec![format!("{} · {n}", t(lang, "group_mean")), f3(*m)])
                .collect();
            for (k, v) in [
                ("cv", g.cv),
                ("theil", g.theil),
                ("theil_between", g.theil_between),
                ("theil_within", g.theil_within),
            ] {
                body.push(vec![t(lang, k).to_string(), format!("{v:.4}")]);
            }
            let _ = write!(h, "<p>{} {}</p>", t(lang, "year"), g.year);
            h.push_str(&table(&[t(lang, "item"), t(lang, "value")], &body));
        }
        None => {
            let _ = write!(h, "<p class=\"none\">{}</p>", t(lang, "not_configured"));
        }
    }
    let _ = write!(h, "<h3>{}</h3>", t(lang, "obstacles"));
    if r.obstacles.is_empty() {
        let _ = write!(h, "<p class=\"none\">{}</p>", t(lang, "not_configured"));
    } else {
        let body: Vec<_> = r
            .obstacles
            .iter()
            .map(|o| {
                let top: Vec<_> = o
                    .indicators
                    .iter()
                    .take(3)
                    .map(|(i, d)| format!("{i} ({:.1}%)", d * 100.0))
                    .collect();
                vec![o.region.clone(), top.join("; ")]
            })
            .collect();
        h.push_str(&table(
            &[t(lang, "region"), t(lang, "obstacle_degree")],
            &body,
        ));
    }
    let _ = write!(h, "<h3>{}</h3>", t(lang, "rank_intervals"));
    if r.rank_intervals.is_empty() {
        let _ = write!(h, "<p class=\"none\">{}</p>", t(lang, "not_configured"));
    } else {
        let rows: Vec<_> = r
            .rank_intervals
            .iter()
            .map(|x| {
                (
                    x.region.clone(),
                    f64::from(x.min_rank),
                    x.median_rank,
                    f64::from(x.max_rank),
                )
            })
            .collect();
        let caption = format!(
            "{} — {} / {} / {}",
            t(lang, "rank_intervals"),
            t(lang, "min_rank"),
            t(lang, "median_rank"),
            t(lang, "max_rank")
        );
        h.push_str(&figure(
            rank_intervals(t(lang, "rank_intervals"), t(lang, "rank"), &rows),
            &caption,
        ));
    }
    h
}

fn risk(risks: Option<&RiskView>, alerts: Option<&AlertsView>, lang: Lang) -> Option<String> {
    if risks.is_none() && alerts.is_none() {
        return None;
    }
    let mut h = String::new();
    let _ = write!(h, "<h3>{}</h3>", t(lang, "risk_matrix"));
    match risks {
        Some(r) => {
            let levels = &r.cells;
            let placed: Vec<_> = r
                .risks
                .iter()
                .map(|x| PlacedRisk {
                    label: x.factor.clone(),
                    probability: x.probability,
                    impact: x.impact,
                })
                .collect();
            let svg = risk_matrix(
                t(lang, "risk_matrix"),
                (t(lang, "impact"), t(lang, "probability")),
                (&r.probability_bins, &r.impact_bins),
                levels,
                lang,
                &placed,
            );
            h.push_str(&figure(svg, t(lang, "risk_matrix")));
            let rows: Vec<_> = r
                .risks
                .iter()
                .enumerate()
                .map(|(k, x)| {
                    vec![
                        format!("{} ({})", k + 1, x.id),
                        x.factor.clone(),
                        f3(x.probability),
                        f3(x.impact),
                        x.level.label(lang).to_string(),
                    ]
                })
                .collect();
            h.push_str(&table(
                &[
                    t(lang, "id"),
                    t(lang, "factor"),
                    t(lang, "probability"),
                    t(lang, "impact"),
                    t(lang, "level"),
                ],
                &rows,
            ));
        }
        None => {
            let _ = write!(h, "<p class=\"none\">{}</p>", t(lang, "not_configured"));
        }
    }
    let _ = write!(h, "<h3>{}</h3>", t(lang, "alerts"));
    match alerts {
        Some(a) => {
            if a.alerts.is_empty() {
                let _ = write!(h, "<p>{}</p>", t(lang, "none"));
            } else {
                h.push_str("<table><thead><tr>");
                for k in [
                    "id", "level", "subject", "rule", "owner", "deadline", "status",
                ] {
                    let _ = write!(h, "<th>{}</th>", t(lang, k));
                }
                h.push_str("</tr></thead><tbody>");
                for x in &a.alerts {
                    let _ = write!(
                        h,
                        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        esc(&x.id),
                        level_badge(x.level, "", lang),
                        esc(&x.subject),
                        esc(&x.rule),
                        esc(&x.owner),
                        esc(&datetime(&x.deadline)),
                        badge(x.status, lang)
                    );
                }
                h.push_str("</tbody></table>");
            }
            let _ = write!(h, "<h3>{}</h3>", t(lang, "response_effect"));
            match &a.effect {
                // No chart of zeros: until an alert is acknowledged or resolved, say so.
                Some(e) if e.avg_response_hours.iter().all(|&v| v <= 0.0) => {
                    let _ = write!(h, "<p class=\"none\">{}</p>", t(lang, "no_response_yet"));
                }
                Some(e) => {
                    let cats: Vec<_> = (1..=4).map(|l| alert_level(lang, l)).collect();
                    let series = vec![
                        (
                            t(lang, "avg_response").to_string(),
                            e.avg_response_hours.to_vec(),
                        ),
                        (t(lang, "limit").to_string(), e.limit_hours.to_vec()),
                    ];
                    let unit = format!("{} ({})", t(lang, "avg_response"), t(lang, "hours"));
                    h.push_str(&figure(
                        grouped_bars(t(lang, "response_effect"), &unit, &cats, &series),
                        t(lang, "response_effect"),
                    ));
                    let _ = write!(
                        h,
                        "<p><b>{}:</b> {:.1}%</p>",
                        t(lang, "resolution_rate"),
                        e.resolution_rate * 100.0
                    );
                }
                None => {
                    let _ = write!(h, "<p class=\"none\">{}</p>", t(lang, "not_configured"));
                }
            }
        }
        None => {
            let _ = write!(h, "<p class=\"none\">{}</p>", t(lang, "not_configured"));
        }
    }
    Some(h)
}

/// How many failed firms a scenario names before "and N more".
const FAILED_NAMED: usize = 12;

fn scenarios(list: &[ScenarioView], lang: Lang) -> Option<String> {
    if list.is_empty() {
        return None;
    }
    let mut h = String::new();
    for (k, s) in list.iter().enumerate() {
        let id = format!("s{k}");
        let _ = write!(h, "<h3>{}</h3>", esc(&s.name));
        if let Some(d) = &s.description {
            let _ = write!(h, "<p>{}</p>", esc(d));
        }
        // The network's curve first (its loss area hatched), then each chain's.
        let mut series = vec![(t(lang, "network").to_owned(), s.curve.clone())];
        series.extend(s.chain_curves.iter().cloned());
        let lowest = series
            .iter()
            .flat_map(|(_, p)| p.iter().map(|q| q.1))
            .fold(1.0, f64::min);
        if lowest < 1.0 - 1e-9 {
            let opt = LineChart {
                title: t(lang, "curve"),
                x_title: t(lang, "day"),
                y_title: t(lang, "performance"),
                y_range: Some(((lowest - 0.05).clamp(0.0, 0.9), 1.02)),
                markers: true,
                loss_to: Some(1.0),
                id: &id,
                integer_x: true,
            };
            h.push_str(&figure(line_chart(&opt, &series), t(lang, "curve")));
        } else {
            let _ = write!(
                h,
                "<p class=\"none\">{}: {}</p>",
                t(lang, "curve"),
                t(lang, "no_disruption")
            );
        }
        let days = t(lang, "days");
        let ttr = s
            .time_to_recover
            .map_or(t(lang, "not_recovered").to_string(), |d| {
                with_unit(d, 0, days)
            });
        let none = t(lang, "none");
        let named = |v: &[String], count: String| {
            if v.is_empty() {
                return none.to_string();
            }
            let mut list = v
                .iter()
                .take(FAILED_NAMED)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            if v.len() > FAILED_NAMED {
                list.push_str(&format!(" … (+{})", v.len() - FAILED_NAMED));
            }
            format!("{count}: {list}")
        };
        let rows = vec![
            vec![
                t(lang, "minimum").to_string(),
                format!(
                    "{} ({} {})",
                    number(s.minimum, 3),
                    t(lang, "day"),
                    number(s.day_of_minimum, 0)
                ),
            ],
            vec![
                t(lang, "loss_area").to_string(),
                with_unit(s.loss_area, 2, days),
            ],
            vec![t(lang, "ttr").to_string(), ttr],
            vec![
                t(lang, "failed_firms").to_string(),
                named(&s.failed_firms, firms(lang, s.failed_firms.len())),
            ],
            vec![
                t(lang, "failed_chains").to_string(),
                named(&s.failed_chains, number(s.failed_chains.len() as f64, 0)),
            ],
        ];
        h.push_str(&table(&[t(lang, "item"), t(lang, "value")], &rows));
        if let Some(l) = &s.losses {
            h.push_str(&losses(l, lang));
        }
        let informative = s
            .tts_ttr
            .iter()
            .any(|x| x.tts_days > 0.0 || x.ttr_days > 0.0);
        if informative {
            let cats: Vec<_> = s.tts_ttr.iter().map(|x| x.node.clone()).collect();
            let series = vec![
                (
                    t(lang, "tts_days").to_string(),
                    s.tts_ttr.iter().map(|x| x.tts_days).collect(),
                ),
                (
                    t(lang, "ttr_days").to_string(),
                    s.tts_ttr.iter().map(|x| x.ttr_days).collect(),
                ),
            ];
            h.push_str(&figure(
                grouped_bars(t(lang, "tts_ttr"), t(lang, "days"), &cats, &series),
                t(lang, "tts_ttr"),
            ));
        }
    }
    Some(h)
}

/// The Monte Carlo loss distribution: histogram with VaR and ES marked, and the figures.
fn losses(l: &LossView, lang: Lang) -> String {
    let mut h = String::new();
    let level = percent(l.alpha);
    let days = t(lang, "days");
    let var = format!("{} ({level})", t(lang, "var"));
    let es = format!("{} ({level})", t(lang, "es"));
    let _ = write!(h, "<h4>{}</h4>", t(lang, "monte_carlo"));
    if l.histogram.iter().any(|b| b.2 > 0) && l.var > 0.0 {
        h.push_str(&figure(
            histogram(
                t(lang, "loss_hist"),
                t(lang, "lost_days"),
                t(lang, "trials"),
                &l.histogram,
                &[
                    (format!("{var} {}", number(l.var, 2)), l.var),
                    (
                        format!("{es} {}", number(l.expected_shortfall, 2)),
                        l.expected_shortfall,
                    ),
                ],
            ),
            t(lang, "loss_hist"),
        ));
    }
    let rows = vec![
        vec![t(lang, "trials").to_string(), number(l.trials as f64, 0)],
        vec![t(lang, "mean_loss").to_string(), with_unit(l.mean, 2, days)],
        vec![var, with_unit(l.var, 2, days)],
        vec![es, with_unit(l.expected_shortfall, 2, days)],
        vec![
            t(lang, "loss_probability").to_string(),
            percent(l.loss_probability),
        ],
    ];
    h.push_str(&table(&[t(lang, "item"), t(lang, "value")], &rows));
    h
}

fn measures(input: &ReportInput, lang: Lang) -> Option<String> {
    if input.measures.is_empty() {
        return None;
    }
    let mut rows = Vec::new();
    for &kind in MeasureKind::VALUES {
        for m in input.measures.iter().filter(|m| m.kind == kind) {
            rows.push(vec![
                kind.label(lang).to_string(),
                m.text.clone(),
                m.evidence.clone(),
            ]);
        }
    }
    Some(table(
        &[t(lang, "kind"), t(lang, "measure"), t(lang, "evidence")],
        &rows,
    ))
}
