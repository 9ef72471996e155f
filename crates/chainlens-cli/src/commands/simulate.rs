//! `chainlens simulate`: disruption simulation (DESIGN.md §4.5).
//!
//! * `chainlens simulate ario --table TABLE --event EVENT.toml [--days N] --out DIR`:
//!   the ARIO model (BoARIO's ARIOPsiModel semantics) on an input-output table; writes
//!   `production.csv`, `production_capacity.csv`, `overproduction.csv` (α) and
//!   `final_demand_unmet.csv` (column `day` from 0, then one column per `region|sector`,
//!   table units per day = yearly / 365) and `summary.json`; prints the summary.
//! * `chainlens simulate WORKSPACE --scenario NAME`: a `[[scenarios]]` entry of
//!   chainlens.toml on the firm-level cascade: which firms and chains fail, when, and how
//!   fast they recover, with the resilience-curve metrics.

use crate::error::{CliError, Result};
use crate::output::{Format, Progress, csv_cell, print_json, text_table};
use crate::workspace;
use anyhow::Context;
use chainlens_data::io_tables::{self, Layout};
use chainlens_pipeline::analyses::run_scenario;
use chainlens_sim::{ArioRun, EventSpec, ScenarioResult, simulate_ario};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub mode: Option<Mode>,
    /// The workspace folder (holding chainlens.toml), with --scenario.
    pub workspace: Option<PathBuf>,
    /// Name of a `[[scenarios]]` entry of chainlens.toml.
    #[arg(long)]
    pub scenario: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(clap::Subcommand)]
pub enum Mode {
    /// ARIO on an input-output table (matches BoARIO 0.7.2's ARIOPsiModel).
    Ario(ArioArgs),
}

#[derive(clap::Args)]
pub struct ArioArgs {
    /// The input-output table (file or folder).
    #[arg(long)]
    pub table: PathBuf,
    /// Layout of the table: matrix | nbs | wiod | pymrio (detected when omitted).
    #[arg(long)]
    pub layout: Option<Layout>,
    /// The event file (TOML: kind, industries, impact, timing, [model]).
    #[arg(long)]
    pub event: PathBuf,
    /// Days to simulate.
    #[arg(long, default_value_t = 365)]
    pub days: usize,
    /// Folder for the daily series.
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

pub fn run(args: Args) -> Result<()> {
    match (args.mode, args.workspace, args.scenario) {
        (Some(Mode::Ario(a)), _, _) => ario(a),
        (None, Some(ws), Some(name)) => scenario(&ws, &name, args.format),
        (None, Some(_), None) => Err(CliError::usage(
            "give the scenario to run with --scenario NAME",
        )),
        (None, None, _) => Err(CliError::usage(
            "`chainlens simulate ario --table … --event …` or `chainlens simulate WORKSPACE --scenario NAME`",
        )),
    }
}

fn ario(args: ArioArgs) -> Result<()> {
    let limits = workspace::limits_around(&args.table)?;
    if let Err(e) = limits
        .days()
        .check(format_args!("--days {}", args.days), args.days as u64)
    {
        return Err(CliError::usage(e));
    }
    let (table, _) = match io_tables::read(&args.table, args.layout, &limits.io_tables()) {
        Ok(t) => t,
        Err(e) => {
            return Err(CliError::Problems(vec![e.to_string()]));
        }
    };
    let text = std::fs::read_to_string(&args.event)
        .with_context(|| format!("reading {}", args.event.display()))?;
    let run =
        EventSpec::from_toml_str(&text).and_then(|event| simulate_ario(&table, &event, args.days));
    let run = match run {
        Ok(r) => r,
        Err(e) => {
            return Err(CliError::Problems(vec![format!(
                "{}: {e}",
                args.event.display()
            )]));
        }
    };
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    write_series(
        &args.out.join("production.csv"),
        &run.industries,
        &run.production,
    )?;
    write_series(
        &args.out.join("production_capacity.csv"),
        &run.industries,
        &run.production_capacity,
    )?;
    write_series(
        &args.out.join("overproduction.csv"),
        &run.industries,
        &run.overproduction,
    )?;
    write_series(
        &args.out.join("final_demand_unmet.csv"),
        &run.final_demand_unmet_labels,
        &run.final_demand_unmet,
    )?;
    write_atomic(
        &args.out.join("summary.json"),
        serde_json::to_string_pretty(&run.summary)?,
    )?;
    match args.format {
        Format::Json => print_json(&run.summary)?,
        Format::Table | Format::Csv => print!("{}", ario_text(&run, &args.out)),
    }
    Ok(())
}

fn ario_text(run: &ArioRun, out: &Path) -> String {
    let s = &run.summary;
    let mut text = String::new();
    let r = &s.resilience;
    let _ = writeln!(text, "days simulated      {}", s.days_simulated);
    let _ = writeln!(
        text,
        "lowest total output {:.4} % of normal on day {}",
        r.minimum * 100.0,
        r.day_of_minimum
    );
    let _ = writeln!(
        text,
        "output lost         {:.6e} table units",
        s.output_loss
    );
    let _ = writeln!(
        text,
        "final demand unmet  {:.6e} table units",
        s.final_demand_unmet_total
    );
    let _ = writeln!(
        text,
        "time to recover     {}",
        r.time_to_recover
            .map_or("not recovered".into(), |d| format!("{d} days"))
    );
    let _ = writeln!(
        text,
        "loss area           {:.4} days of normal output",
        r.loss_area
    );
    if !s.industries_below_half.is_empty() {
        let _ = writeln!(
            text,
            "below half output   {}",
            s.industries_below_half.join(", ")
        );
    }
    match &s.collapse_reason {
        Some(reason) => {
            let _ = writeln!(text, "COLLAPSE: {reason}");
        }
        None => {
            let _ = writeln!(text, "no collapse");
        }
    }
    let _ = writeln!(text, "series written to   {}", out.display());
    text
}

/// `day` then one column per label; written to a temporary file and renamed. The
/// whole file is formatted into one buffer and written at once; numbers are shortest
/// round-trip decimals (serde_json's formatter: `0.1`, `5.0`, `1e-7`), which parse back
/// to the same f64 and cost a fraction of `Display`'s.
fn write_series(path: &Path, labels: &[String], rows: &[Vec<f64>]) -> anyhow::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(64 + rows.len() * (8 + 24 * labels.len()));
    buf.extend_from_slice(b"day");
    for l in labels {
        buf.push(b',');
        buf.extend_from_slice(csv_cell(l).as_bytes());
    }
    buf.push(b'\n');
    for (day, row) in rows.iter().enumerate() {
        push_usize(&mut buf, day);
        for &v in row {
            buf.push(b',');
            push_f64(&mut buf, v);
        }
        buf.push(b'\n');
    }
    write_atomic(path, &buf)
}

fn push_usize(buf: &mut Vec<u8>, mut v: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

fn push_f64(buf: &mut Vec<u8>, v: f64) {
    if v.is_finite() {
        serde_json::to_writer(&mut *buf, &v).expect("writing to memory cannot fail");
    } else {
        // NaN, inf, -inf as Rust (and pandas) write them.
        buf.extend_from_slice(v.to_string().as_bytes());
    }
}

fn write_atomic(path: &Path, text: impl AsRef<[u8]>) -> anyhow::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn scenario(dir: &Path, name: &str, format: Format) -> Result<()> {
    let ws = workspace::load(dir)?;
    let scenarios = &ws.settings.scenarios;
    if scenarios.is_empty() {
        return Err(CliError::input(format!(
            "{}: chainlens.toml has no [[scenarios]]",
            dir.display()
        )));
    }
    let progress = Progress::new(&format!("scenario {name}"));
    let result = ws
        .settings
        .scenario(name)
        .and_then(|s| run_scenario(&ws, s, |p| progress.update(p.step, p.done, p.total)));
    progress.finish();
    let result = match result {
        Ok(r) => r,
        Err(e) => {
            return Err(CliError::Problems(vec![format!(
                "chainlens.toml: scenarios: {e}"
            )]));
        }
    };
    match format {
        Format::Json => print_json(&result)?,
        Format::Csv => print!("{}", scenario_csv(&result)),
        Format::Table => print!("{}", scenario_text(&result)),
    }
    Ok(())
}

/// Appends a text table, ending it with a newline.
fn push_table(text: &mut String, header: &[&str], rows: &[Vec<String>]) {
    text.push_str(&text_table(header, rows));
    if !text.ends_with('\n') {
        text.push('\n');
    }
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "-".into(), |v| v.to_string())
}

fn scenario_text(r: &ScenarioResult) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "scenario {}: {} days; {} firms shocked, {} disrupted, {} failed",
        r.scenario, r.days, r.firms_shocked, r.firms_disrupted, r.firms_failed
    );
    if let Some(d) = &r.description {
        let _ = writeln!(text, "{d}");
    }
    let metrics = |m: &chainlens_sim::ResilienceMetrics| {
        vec![
            format!("{:.4}", m.minimum),
            m.day_of_minimum.to_string(),
            format!("{:.3}", m.loss_area),
            opt(m.time_to_recover),
            format!("{:.4}", m.resilience_index),
        ]
    };
    let mut rows = Vec::new();
    let mut row = vec!["(network)".to_owned(), String::new()];
    row.extend(metrics(&r.run.network));
    rows.push(row);
    for c in &r.run.chains {
        let mut row = vec![c.chain.clone(), c.failed_firms.len().to_string()];
        row.extend(metrics(&c.resilience));
        rows.push(row);
    }
    let _ = writeln!(text, "\nresilience curves (output relative to normal)");
    push_table(
        &mut text,
        &[
            "chain",
            "failed",
            "minimum",
            "day",
            "loss_area",
            "recover_days",
            "index",
        ],
        &rows,
    );
    let mut firms: Vec<_> = r
        .run
        .firms
        .iter()
        .filter(|f| f.disrupted_from.is_some())
        .collect();
    firms.sort_by_key(|f| (f.failed_from.unwrap_or(usize::MAX), f.disrupted_from));
    let rows: Vec<Vec<String>> = firms
        .iter()
        .map(|f| {
            vec![
                f.id.clone(),
                opt(f.disrupted_from),
                opt(f.failed_from),
                format!("{:.4}", f.minimum),
                opt(f.time_to_recover),
                format!("{:.3}", f.lost_days),
            ]
        })
        .collect();
    let _ = writeln!(text, "\nfirms disrupted ({}), failed first", rows.len());
    push_table(
        &mut text,
        &[
            "firm",
            "disrupted_day",
            "failed_day",
            "minimum",
            "recover_days",
            "lost_days",
        ],
        &rows,
    );
    let rows: Vec<Vec<String>> = r
        .exposed
        .iter()
        .map(|s| {
            vec![
                s.id.clone(),
                opt(s.time_to_survive),
                format!("{}", s.time_to_recover),
            ]
        })
        .collect();
    let _ = writeln!(
        text,
        "\nnodes whose time to recover exceeds their time to survive ({})",
        rows.len()
    );
    push_table(&mut text, &["firm", "tts_days", "ttr_days"], &rows);
    let rows: Vec<Vec<String>> = r
        .esri
        .iter()
        .take(10)
        .map(|e| {
            vec![
                e.id.clone(),
                format!("{:.4}", e.esri),
                e.firms_affected.to_string(),
            ]
        })
        .collect();
    if let Some(mc) = &r.monte_carlo {
        let _ = writeln!(
            text,
            "\nMonte Carlo over the risk register: {} trials (seed {}): loss in days of normal network output: mean {:.4}, VaR{:.0} {:.4}, ES{:.0} {:.4}, max {:.4}, P(loss) {:.3}",
            mc.trials,
            mc.seed,
            mc.mean,
            mc.alpha * 100.0,
            mc.var,
            mc.alpha * 100.0,
            mc.expected_shortfall,
            mc.max,
            mc.loss_probability
        );
    }
    if let (Some(random), Some(targeted)) = (&r.robustness_random, &r.robustness_targeted) {
        let rows: Vec<Vec<String>> = random
            .iter()
            .zip(targeted)
            .map(|(a, b)| {
                vec![
                    format!("{:.2}", a.removed_share),
                    format!("{:.4}", a.output),
                    format!("{:.4}", b.output),
                ]
            })
            .collect();
        let _ = writeln!(
            text,
            "\nrobustness: network output left as firms are removed"
        );
        push_table(&mut text, &["removed_share", "random", "by_esri"], &rows);
    }
    let _ = writeln!(text, "\nhighest systemic risk (ESRI, Diem et al. 2022)");
    push_table(&mut text, &["firm", "esri", "firms_halved"], &rows);
    text
}

fn scenario_csv(r: &ScenarioResult) -> String {
    let mut text = String::from("firm,disrupted_day,failed_day,minimum,recover_days,lost_days\n");
    for f in &r.run.firms {
        let _ = writeln!(
            text,
            "{},{},{},{},{},{}",
            csv_cell(&f.id),
            f.disrupted_from.map_or(String::new(), |d| d.to_string()),
            f.failed_from.map_or(String::new(), |d| d.to_string()),
            f.minimum,
            f.time_to_recover.map_or(String::new(), |d| d.to_string()),
            f.lost_days
        );
    }
    text
}
