//! `chainlens supplement WORKSPACE --chain C --stage S [--region R]` or `chainlens
//! supplement WORKSPACE --chain C --replace ENTERPRISE`: chain supplement (DESIGN.md §4.2,
//! Gao 2021) — candidate enterprises for a stage with a gap, or replacements for an
//! at-risk supplier, ranked by spare capacity, distance class, their own risk and existing
//! relations, each with its reasons (chainlens-network's `supplement` module has the
//! score). With `--replace`, the supplier's lost volume per buyer is assigned over the
//! candidates' spare capacity as a minimum-cost flow, and what cannot be placed is unmet.
//!
//! `--region` is where a gap is to be filled (default: the workspace's `home_region`).
//! JSON: `{"chain","stages":[…],"replaced","candidates":[{"id","name","region","stage",
//! "score","spare_capacity","distance","risk","existing_relations","reasons"}],
//! "assignment":[{"buyer","supplier","volume","cost"}],"lost_volume","unmet_volume"}`.
//! CSV: the candidates. Unknown chains, stages, regions and enterprises are errors (exit 1)
//! with the closest known id.

use super::network::{amount, check_chain, check_enterprise, check_region, check_stage, clip};
use crate::error::{CliError, Result};
use crate::output::{Format, csv_cell, print_json, text_table};
use crate::workspace;
use chainlens_network::{Supplement, Target, supplement};
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(clap::Args)]
#[command(group = clap::ArgGroup::new("target").required(true).args(["stage", "replace"]))]
pub struct Args {
    /// The workspace folder.
    pub workspace: PathBuf,
    /// The chain.
    #[arg(long)]
    pub chain: String,
    /// A stage with a gap: rank the enterprises that could serve it.
    #[arg(long)]
    pub stage: Option<String>,
    /// Where the stage is needed (default: the workspace's home_region).
    #[arg(long, requires = "stage")]
    pub region: Option<String>,
    /// An at-risk enterprise: rank replacements and reassign its buyers' volumes.
    #[arg(long, value_name = "ENTERPRISE")]
    pub replace: Option<String>,
    /// How many candidates the table shows (JSON and CSV list all).
    #[arg(long, default_value_t = 15)]
    pub top: usize,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

pub fn run(args: Args) -> Result<()> {
    let ws = workspace::load(&args.workspace)?;
    let chain = args.chain.as_str();
    let home = ws.config.workspace.home_region.as_deref();
    let checked = check_chain(&ws, chain).and_then(|()| match (&args.stage, &args.replace) {
        (Some(stage), _) => check_stage(&ws, chain, stage)
            .and_then(|()| check_region(&ws, args.region.as_deref().or(home))),
        (None, Some(e)) => check_enterprise(&ws, e),
        (None, None) => Ok(()),
    });
    if let Err(message) = checked {
        return Err(CliError::Problems(vec![message.to_string()]));
    }
    let target = match (&args.stage, &args.replace) {
        (Some(stage), _) => Target::Stage {
            chain,
            stage,
            region: args.region.as_deref(),
        },
        (None, Some(enterprise)) => Target::Replace { chain, enterprise },
        (None, None) => unreachable!("clap requires --stage or --replace"),
    };
    let country = ws.config.workspace.country.as_deref();
    let result = match supplement(&ws.dataset, &target, home, country) {
        Ok(s) => s,
        Err(e) => {
            let what = match &target {
                Target::Replace { enterprise, .. } => format!("--replace {enterprise}"),
                Target::Stage { stage, .. } => format!("--stage {stage}"),
            };
            return Err(CliError::input(format!("{what}: {e}")));
        }
    };
    match args.format {
        Format::Json => print_json(&result)?,
        Format::Csv => print!("{}", candidates_csv(&result)),
        Format::Table => {
            let place = args.region.as_deref().or(home);
            print!("{}", table(&ws, &result, place, args.top));
        }
    }
    Ok(())
}

fn table(
    ws: &chainlens_pipeline::Workspace,
    s: &Supplement,
    place: Option<&str>,
    top: usize,
) -> String {
    let mut out = String::new();
    let name = |id: &str| {
        ws.dataset
            .enterprises
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.name.clone())
            .unwrap_or_default()
    };
    match &s.replaced {
        Some(r) => {
            let e = ws.dataset.enterprises.iter().find(|e| &e.id == r);
            let buyers = s
                .assignment
                .iter()
                .map(|a| a.buyer.as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            let _ = writeln!(
                out,
                "Replacing {r} ({}, {}) in chain {}: stage(s) {}; its buyers lose {}{}",
                e.map_or("", |e| e.name.as_str()),
                e.map_or("", |e| e.region.as_str()),
                s.chain,
                s.stages.join(", "),
                amount(s.lost_volume),
                if buyers > 0 {
                    format!(", reassigned to {buyers} buyer(s) below")
                } else {
                    String::new()
                }
            );
        }
        None => {
            let _ = writeln!(
                out,
                "Candidates for stage `{}` of chain {}{}",
                s.stages.join(", "),
                s.chain,
                place
                    .map(|p| format!(", needed in {p}"))
                    .unwrap_or_default()
            );
        }
    }
    let _ = writeln!(
        out,
        "score = 0.40·spare capacity (relative to the largest) + 0.30·nearness + 0.20·(1 − own risk) + 0.10·existing relation\n"
    );
    if s.candidates.is_empty() {
        out.push_str("No other enterprise serves the stage anywhere in the data.\n");
    } else {
        let rows: Vec<Vec<String>> = s
            .candidates
            .iter()
            .take(top)
            .enumerate()
            .map(|(k, c)| {
                vec![
                    (k + 1).to_string(),
                    c.id.clone(),
                    clip(&c.name, 38),
                    c.region.clone(),
                    c.stage.clone(),
                    format!("{:.3}", c.score),
                    c.reasons.join("; "),
                ]
            })
            .collect();
        out.push_str(&text_table(
            &["#", "id", "name", "region", "stage", "score", "reasons"],
            &rows,
        ));
        out.push('\n');
        if s.candidates.len() > top {
            let _ = writeln!(
                out,
                "… {} more candidates (--format json or csv lists all)",
                s.candidates.len() - top
            );
        }
    }
    if s.replaced.is_some() {
        out.push_str(
            "\nReassignment of the lost volume (minimum-cost flow; cost per unit = distance class 0 same city … 4 abroad, +0.5 without an existing relation):\n",
        );
        if s.assignment.is_empty() {
            out.push_str("  nothing can be reassigned\n");
        } else {
            let rows: Vec<Vec<String>> = s
                .assignment
                .iter()
                .map(|a| {
                    vec![
                        a.buyer.clone(),
                        clip(&name(&a.buyer), 30),
                        a.supplier.clone(),
                        clip(&name(&a.supplier), 30),
                        amount(a.volume),
                        amount(a.cost),
                    ]
                })
                .collect();
            out.push_str(&text_table(
                &["buyer", "", "new supplier", "", "volume", "cost"],
                &rows,
            ));
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "Lost volume {}; reassigned {}; unmet {}",
            amount(s.lost_volume),
            amount(s.lost_volume - s.unmet_volume),
            amount(s.unmet_volume)
        );
    }
    out
}

fn opt(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn candidates_csv(s: &Supplement) -> String {
    let mut out = String::from(
        "rank,id,name,region,stage,score,spare_capacity,distance,risk,existing_relations,reasons\n",
    );
    for (k, c) in s.candidates.iter().enumerate() {
        let distance = serde_json::to_value(c.distance)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{}",
            k + 1,
            csv_cell(&c.id),
            csv_cell(&c.name),
            csv_cell(&c.region),
            csv_cell(&c.stage),
            c.score,
            opt(c.spare_capacity),
            distance,
            opt(c.risk),
            csv_cell(&c.existing_relations.join(";")),
            csv_cell(&c.reasons.join("; "))
        );
    }
    out
}
