//! `chainlens evaluate WORKSPACE [--year Y]` or `chainlens evaluate --panel PANEL.csv
//! [--system SYSTEM.toml]`: the resilience index (DESIGN.md §4.3) — dimension scores,
//! index, grade and rank per region and year, like the paper's Table 3-1, with trends and
//! regional gaps.
//!
//! The system and pipeline come from `[resilience]` in chainlens.toml (or `--system`,
//! which wins; absent: the paper's Table 2-1 and defaults; see chainlens-resilience's
//! `system` module). `--panel` is a long table `region,year,indicator,value[,source,imputed]`
//! (CSV, JSON or XLSX sheet `indicators`). `--format table` prints one year (default the
//! last); `csv` every region and year; `json` everything, including the weights with their
//! method and AHP consistency, densities, transitions, gaps, obstacles, coupling and
//! (with `--uncertainty N`) the rank Monte Carlo. `--research` adds the research checks
//! of `[resilience.research]` (validation, fixed-effects regression, decomposition).

use crate::error::{CliError, Result};
use crate::output::{Format, csv_cell, print_json, text_table};
use crate::workspace;
use chainlens_model::IndicatorValue;
use chainlens_model::{Lang, Vocabulary};
use chainlens_resilience::evaluate::{Evaluation, Score};
use chainlens_resilience::panel::AdjustmentKind;
use chainlens_resilience::panel::DerivedValues;
use chainlens_resilience::research::{Research, research};
use chainlens_resilience::system::UncertaintyConfig;
use chainlens_resilience::{RegionInfo, ResilienceConfig, evaluate};
use std::path::PathBuf;

#[derive(clap::Args)]
#[command(group = clap::ArgGroup::new("input").required(true).args(["workspace", "panel"]))]
pub struct Args {
    /// The workspace folder (its indicators table, regions and `[resilience]`).
    pub workspace: Option<PathBuf>,
    /// An indicator panel instead of a workspace: region,year,indicator,value[,source,imputed].
    #[arg(long, value_name = "PANEL")]
    pub panel: Option<PathBuf>,
    /// With --panel: a regions table (id,name,level[,group,…]) giving names and the groups
    /// of the gap analysis.
    #[arg(long, value_name = "REGIONS", requires = "panel")]
    pub regions: Option<PathBuf>,
    /// Indicator system and pipeline (TOML: a `[resilience]` table or its body).
    #[arg(long, value_name = "SYSTEM.toml")]
    pub system: Option<PathBuf>,
    /// The year the table shows (default: the last year of the panel).
    #[arg(long)]
    pub year: Option<i32>,
    /// Monte Carlo replications of the ranking (overrides `[resilience.uncertainty]`).
    #[arg(long, value_name = "N")]
    pub uncertainty: Option<usize>,
    /// Seed of the Monte Carlo.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Also the research checks of `[resilience.research]`: Cronbach's α, KMO, Bartlett,
    /// correlations between dimensions, the fixed-effects regression and the decomposition
    /// (json: a `research` key beside the evaluation; table: tables after the index).
    #[arg(long)]
    pub research: bool,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

pub fn run(args: Args) -> Result<()> {
    let mut workspace_loaded = None;
    let (config, values, regions): (ResilienceConfig, Vec<IndicatorValue>, Vec<RegionInfo>) =
        match &args.workspace {
            Some(dir) => {
                let ws = workspace::load(dir)?;
                let config = ws.settings.resilience.clone();
                let regions = ws.dataset.regions.iter().map(RegionInfo::from).collect();
                let values = ws.dataset.indicators.clone();
                workspace_loaded = Some(ws);
                (config, values, regions)
            }
            None => (ResilienceConfig::default(), Vec::new(), Vec::new()),
        };
    if let Some(file) = &args.panel {
        let shown = file.to_string_lossy();
        let limits = workspace::limits_around(file)?.records();
        let table = match chainlens_data::table::read_table(file, &shown, "indicators", &limits) {
            Ok(t) => t,
            Err(p) => {
                return Err(CliError::Problems(vec![p.to_string()]));
            }
        };
        let parsed = chainlens_data::records::indicators(&table);
        if !parsed.problems.is_empty() {
            return Err(CliError::problems(&parsed.problems));
        }
        let mut values = parsed.records;
        let mut regions = regions;
        if let Some(file) = &args.regions {
            let shown = file.to_string_lossy();
            let table = match chainlens_data::table::read_table(file, &shown, "regions", &limits) {
                Ok(t) => t,
                Err(p) => {
                    return Err(CliError::Problems(vec![p.to_string()]));
                }
            };
            let parsed = chainlens_data::records::regions(&table);
            if !parsed.problems.is_empty() {
                return Err(CliError::problems(&parsed.problems));
            }
            regions = parsed.records.iter().map(RegionInfo::from).collect();
        }
        if args.workspace.is_some() {
            eprintln!("note: --panel replaces the workspace's indicators table");
        }
        values.sort_by(|a, b| {
            (a.region.as_str(), a.year, a.indicator.as_str()).cmp(&(
                b.region.as_str(),
                b.year,
                b.indicator.as_str(),
            ))
        });
        // The panel replaces the workspace's indicators: nothing is derived for it.
        return finish(args, config, values, regions, None);
    }
    finish(args, config, values, regions, workspace_loaded.as_ref())
}

fn finish(
    args: Args,
    mut config: ResilienceConfig,
    values: Vec<IndicatorValue>,
    regions: Vec<RegionInfo>,
    workspace: Option<&chainlens_pipeline::Workspace>,
) -> Result<()> {
    if let Some(file) = &args.system {
        let text = std::fs::read_to_string(file)
            .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", file.display()))?;
        config = match ResilienceConfig::from_toml(&text) {
            Ok(c) => c,
            Err(e) => {
                return Err(CliError::Problems(vec![format!("{}: {e}", file.display())]));
            }
        };
    }
    if let Some(n) = args.uncertainty {
        let mut u = config.uncertainty.take().unwrap_or_default();
        u.replications = n;
        config.uncertainty = Some(u);
    }
    if let Some(seed) = args.seed {
        let u = config
            .uncertainty
            .get_or_insert_with(UncertaintyConfig::default);
        u.seed = seed;
    }
    // D111/D112 from the supply network, the rest from the enterprises' yearly figures.
    let derived = workspace.map_or_else(DerivedValues::default, |ws| {
        chainlens_pipeline::analyses::derivations(ws, &config)
    });
    let evaluation = match evaluate(&config, &values, &regions, &derived) {
        Ok(mut e) => {
            if let Some(ws) = workspace {
                chainlens_pipeline::analyses::roll_up_by_output(ws, &config, &mut e);
            }
            e
        }
        Err(e) => {
            return Err(CliError::input(e));
        }
    };
    let year = match args.year {
        Some(y) if evaluation.years.contains(&y) => y,
        Some(y) => {
            return Err(CliError::input(format!(
                "year {y} is not in the panel (years: {})",
                join(&evaluation.years)
            )));
        }
        None => *evaluation.years.last().unwrap_or(&0),
    };
    for w in &evaluation.warnings {
        eprintln!("warning: {w}");
    }
    let research = args
        .research
        .then(|| research(&config.research, &evaluation, &values));
    for w in research.iter().flat_map(|r| &r.warnings) {
        eprintln!("warning: {w}");
    }
    match (args.format, &research) {
        (Format::Json, None) => print_json(&evaluation)?,
        (Format::Json, Some(research)) => print_json(&WithResearch {
            evaluation: &evaluation,
            research,
        })?,
        (Format::Csv, _) => {
            if research.is_some() {
                eprintln!(
                    "note: --format csv has the index only; use json or table for --research"
                );
            }
            print!("{}", csv(&evaluation))
        }
        (Format::Table, _) => {
            println!("{}", table(&evaluation, year));
            if let Some(r) = &research {
                println!("\n{}", research_table(r));
            }
        }
    }
    Ok(())
}

/// `--format json --research`: the evaluation's keys and `research`.
#[derive(serde::Serialize)]
struct WithResearch<'a> {
    #[serde(flatten)]
    evaluation: &'a Evaluation,
    research: &'a Research,
}

fn p_text(p: f64) -> String {
    if p == 0.0 {
        "< 1e-300".into()
    } else if p < 1e-4 {
        format!("{p:.2e}")
    } else {
        format!("{p:.4}")
    }
}

/// The research checks as text tables.
fn research_table(r: &Research) -> String {
    let mut out = String::new();
    if let Some(v) = &r.validation {
        out.push_str(&format!(
            "Index validation ({} observations, normalised scores): Cronbach's α {:.3} (standardised {:.3}), KMO {:.3}, Bartlett χ² {:.2}, df {}, p {}\n\n",
            v.observations,
            v.reliability.alpha,
            v.reliability.standardized_alpha,
            v.kmo.overall,
            v.bartlett.chi2,
            v.bartlett.df,
            p_text(v.bartlett.p_value)
        ));
        let rows: Vec<Vec<String>> = v
            .reliability
            .items
            .iter()
            .zip(&v.kmo.indicators)
            .map(|(i, k)| {
                vec![
                    i.indicator.clone(),
                    i.alpha_if_deleted.map_or("-".into(), |a| format!("{a:.3}")),
                    format!("{:.3}", i.item_rest_correlation),
                    format!("{:.3}", k.kmo),
                ]
            })
            .collect();
        out.push_str(&text_table(
            &["indicator", "α if deleted", "item-rest r", "KMO"],
            &rows,
        ));
    }
    if let Some(c) = &r.correlations {
        let rows: Vec<Vec<String>> = c
            .pearson
            .iter()
            .zip(&c.spearman)
            .map(|(p, s)| {
                vec![
                    format!("{} – {}", p.a, p.b),
                    format!("{:.3}", p.correlation.r),
                    p.correlation.p_value.map_or("-".into(), p_text),
                    format!("{:.3}", s.correlation.r),
                    s.correlation.p_value.map_or("-".into(), p_text),
                ]
            })
            .collect();
        out.push_str("\n\nCorrelations between dimensions\n\n");
        out.push_str(&text_table(
            &["dimensions", "Pearson r", "p", "Spearman ρ", "p"],
            &rows,
        ));
    }
    if let Some(f) = &r.regression {
        out.push_str(&format!(
            "\n\nFixed effects ({} observations, {} regions, {} dropped; clustered by region; R² within {:.3})\n\n",
            f.observations, f.entities, f.dropped, f.r2_within
        ));
        let rows: Vec<Vec<String>> = f
            .coefficients
            .iter()
            .map(|c| {
                vec![
                    c.name.clone(),
                    format!("{:.4}", c.estimate),
                    format!("{:.4}", c.std_error),
                    format!("{:.2}", c.t),
                    p_text(c.p_value),
                ]
            })
            .collect();
        out.push_str(&text_table(
            &["term", "estimate", "std. error", "t", "p"],
            &rows,
        ));
    }
    if let Some(first) = r.decomposition.first() {
        out.push_str(&format!(
            "\n\nIndex change {}–{} by indicator (largest contributions)\n\n",
            first.from_year, first.to_year
        ));
        let rows: Vec<Vec<String>> = r
            .decomposition
            .iter()
            .map(|d| {
                let top: Vec<String> = d
                    .contributions
                    .iter()
                    .take(3)
                    .map(|c| format!("{} {:+.3}", c.indicator, c.contribution))
                    .collect();
                vec![
                    d.region.clone(),
                    format!("{:.3}", d.index_from),
                    format!("{:.3}", d.index_to),
                    format!("{:+.3}", d.change),
                    top.join(", "),
                ]
            })
            .collect();
        out.push_str(&text_table(
            &["region", "from", "to", "change", "largest contributions"],
            &rows,
        ));
    }
    out
}

fn join(years: &[i32]) -> String {
    years
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn dims(e: &Evaluation, s: &Score) -> Vec<String> {
    e.dimensions
        .iter()
        .map(|d| format!("{:.3}", s.dimensions[&d.id]))
        .collect()
}

fn dim_names(e: &Evaluation) -> Vec<String> {
    e.dimensions
        .iter()
        .map(|d| {
            if d.name.is_empty() {
                d.id.clone()
            } else {
                d.name.clone()
            }
        })
        .collect()
}

fn csv(e: &Evaluation) -> String {
    let chains = e.scores.iter().any(|s| s.chain.is_some());
    let mut out = String::from(if chains {
        "region,chain,year"
    } else {
        "region,year"
    });
    for d in &e.dimensions {
        out.push(',');
        out.push_str(&csv_cell(&d.id));
    }
    out.push_str(",index,grade,rank\n");
    for s in &e.scores {
        out.push_str(&csv_cell(&s.region));
        if chains {
            out.push(',');
            out.push_str(&csv_cell(s.chain.as_deref().unwrap_or("")));
        }
        out.push_str(&format!(",{}", s.year));
        for d in &e.dimensions {
            out.push_str(&format!(",{}", s.dimensions[&d.id]));
        }
        out.push_str(&format!(",{},{},{}\n", s.index, s.grade.key(), s.rank));
    }
    out
}

fn table(e: &Evaluation, year: i32) -> String {
    let names = dim_names(e);
    let mut header: Vec<&str> = vec!["rank", "region"];
    header.extend(names.iter().map(String::as_str));
    header.extend(["index", "grade"]);
    let rows: Vec<Vec<String>> = e
        .year(year)
        .into_iter()
        .map(|s| {
            let name = match &s.chain {
                Some(c) => format!("{} / {c}", s.name),
                None => s.name.clone(),
            };
            let mut row = vec![s.rank.to_string(), name];
            row.extend(dims(e, s));
            row.extend([
                format!("{:.3}", s.index),
                s.grade.label(Lang::En).to_owned(),
            ]);
            row
        })
        .collect();
    let mut out = format!(
        "Resilience index {year} ({} normalisation, {} aggregation, {} weights{})\n\n",
        e.normalization.name(),
        e.aggregation.name(),
        serde_json::to_value(e.weights.method)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        e.weights
            .combination
            .as_ref()
            .map(|c| format!(": {c}"))
            .unwrap_or_default()
    );
    out.push_str(&text_table(&header, &rows));
    for n in &e.weights.ahp {
        out.push_str(&format!(
            "\nAHP `{}`: λmax {:.4}, CI {:.4}, CR {:.4} (RI {}) — {}",
            n.node,
            n.result.lambda_max,
            n.result.ci,
            n.result.cr,
            n.result.ri_table,
            if n.result.consistent {
                "consistent"
            } else {
                "INCONSISTENT"
            }
        ));
    }
    let rank_of = |region: &str| {
        e.scores
            .iter()
            .find(|s| s.region == region && s.year == year)
            .map_or(usize::MAX, |s| s.rank)
    };
    if !e.adjustments.is_empty() {
        let clipped = e
            .adjustments
            .iter()
            .filter(|a| a.kind == AdjustmentKind::Clipped)
            .count();
        out.push_str(&format!(
            "\n{} values imputed, {clipped} outliers clipped (listed under `adjustments` in --format json)",
            e.adjustments.len() - clipped
        ));
    }
    if e.years.len() > 1 {
        let mut trends: Vec<_> = e.trends.iter().collect();
        trends.sort_by_key(|t| (rank_of(&t.region), t.region.clone()));
        let rows: Vec<Vec<String>> = trends
            .into_iter()
            .map(|t| {
                let s = e
                    .scores
                    .iter()
                    .find(|s| s.region == t.region && s.year == year);
                let last = t.trend.year_on_year.iter().find(|c| c.year == year);
                vec![
                    s.map_or(t.region.clone(), |s| s.name.clone()),
                    format!("{}–{}", t.trend.first_year, t.trend.last_year),
                    t.trend
                        .average_growth
                        .map_or("–".into(), |g| format!("{:+.2}%", 100.0 * g)),
                    last.map_or("–".into(), |c| format!("{:+.3}", c.change)),
                ]
            })
            .collect();
        out.push_str("\n\nTrends\n");
        out.push_str(&text_table(
            &[
                "region",
                "years",
                "average growth",
                &format!("change {year}"),
            ],
            &rows,
        ));
    }
    if let Some(g) = e.gaps.iter().find(|g| g.year == year) {
        let g = &g.gaps;
        let rows: Vec<Vec<String>> = g
            .groups
            .iter()
            .map(|x| {
                vec![
                    x.group.clone(),
                    x.regions.to_string(),
                    format!("{:.3}", x.mean),
                    format!("{:.3}", x.cv),
                    format!("{:.4}", x.gini),
                ]
            })
            .collect();
        out.push_str(&format!("\n\nRegional gaps {year}\n"));
        out.push_str(&text_table(
            &["group", "regions", "mean", "CV", "Gini within"],
            &rows,
        ));
        out.push_str(&format!(
            "\nall: mean {:.3}, CV {:.3}; Theil {:.4} = within {:.4} + between {:.4}; Dagum Gini {:.4} = within {:.4} + between {:.4} + transvariation {:.4}",
            g.mean, g.cv, g.theil.total, g.theil.within, g.theil.between, g.dagum.total, g.dagum.within, g.dagum.between_net, g.dagum.transvariation
        ));
    }
    if let Some(u) = &e.uncertainty {
        let mut ranks: Vec<_> = u.ranks.iter().filter(|r| r.year == year).collect();
        ranks.sort_by_key(|r| (r.interval.reference, r.region.clone()));
        let rows: Vec<Vec<String>> = ranks
            .into_iter()
            .map(|r| {
                let i = &r.interval;
                vec![
                    r.region.clone(),
                    i.reference.to_string(),
                    i.median.to_string(),
                    format!("{}–{}", i.p05, i.p95),
                ]
            })
            .collect();
        out.push_str(&format!(
            "\n\nRank uncertainty {year} ({} runs, seed {})\n",
            u.runs, u.seed
        ));
        out.push_str(&text_table(
            &["region", "rank", "median", "90% interval"],
            &rows,
        ));
        for s in &u.sensitivity {
            out.push_str(&format!(
                "\n{}: first-order {:.3}, total {:.3}",
                s.factor, s.first_order, s.total
            ));
        }
    }
    out
}
