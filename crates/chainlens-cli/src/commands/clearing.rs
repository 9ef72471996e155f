//! `chainlens clearing --liabilities L.csv --assets E.csv` or `chainlens clearing WORKSPACE
//! [--chain C]`: chain protection (DESIGN.md §4.2, Gao 2021) — Eisenberg–Noe clearing of
//! a receivables network with the fictitious-default algorithm (chainlens-network's
//! `clearing` module).
//!
//! Files (chainlens-data's `network_files`): liabilities long (`debtor,creditor,amount`)
//! or as a square matrix (row owes column), assets `id,assets` (or `cash`). A workspace
//! gives the receivables of its supply links (the buyer owes the supplier the link's
//! `receivable`) and the enterprises' `cash` as external assets; `--chain` keeps one chain.
//!
//! JSON (DESIGN.md §5, with additions): `{"payments":{"ID":f,…},"defaults":["ID",…],
//! "rounds":N, "obligations":{"ID":f}, "equity":{"ID":f}, "contagion":["ID",…] (defaults
//! that happen only because debtors pay late), "injections":{"ID":f} (the smallest cash
//! injection that prevents each default), "unique":bool, "note":"…"|null (set when the
//! clearing vector is not unique: the greatest one is returned), "firms":N,
//! "debtors":N}`. CSV: one row per firm. Negative amounts, a firm owing itself and
//! malformed files are errors naming file, row and column (exit 1).

use super::network::{check_chain, clip};
use crate::error::{CliError, Result};
use crate::output::{Format, csv_cell, print_json, text_table};
use crate::workspace;
use chainlens_data::network_files::read_liabilities;
use chainlens_network::clearing::from_dataset;
use chainlens_network::{Clearing, ClearingProblem, clear};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
#[command(group = clap::ArgGroup::new("input").required(true).args(["workspace", "liabilities"]))]
pub struct Args {
    /// The workspace folder: supply links' receivables and enterprises' cash.
    pub workspace: Option<PathBuf>,
    /// With a workspace: only the enterprises and links of this chain.
    #[arg(long, requires = "workspace")]
    pub chain: Option<String>,
    /// Liabilities: debtor,creditor,amount (long) or a square matrix (row owes column).
    #[arg(
        long,
        value_name = "L.csv",
        requires = "assets",
        conflicts_with = "workspace"
    )]
    pub liabilities: Option<PathBuf>,
    /// External assets: id,assets (or id,cash).
    #[arg(long, value_name = "E.csv", requires = "liabilities")]
    pub assets: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

pub fn run(args: Args) -> Result<()> {
    let (problem, names) = if let (Some(l), Some(a)) = (&args.liabilities, &args.assets) {
        (from_files(l, a)?, HashMap::new())
    } else {
        let Some(dir) = &args.workspace else {
            return Err(CliError::usage(
                "give a WORKSPACE or --liabilities L.csv --assets E.csv",
            ));
        };
        let ws = workspace::load(dir)?;
        if let Some(c) = args.chain.as_deref()
            && let Err(message) = check_chain(&ws, c)
        {
            return Err(CliError::Problems(vec![message.to_string()]));
        }
        let problem = match from_dataset(&ws.dataset, args.chain.as_deref()) {
            Ok(p) => p,
            Err(e) => {
                let file = ws
                    .config
                    .tables
                    .get(&chainlens_model::TableKind::SupplyLinks)
                    .map(|f| dir.join(f).display().to_string())
                    .unwrap_or_else(|| dir.display().to_string());
                return Err(CliError::Problems(vec![format!("{file}: {e}")]));
            }
        };
        let names: HashMap<String, String> = ws
            .dataset
            .enterprises
            .iter()
            .map(|e| (e.id.clone(), e.name.clone()))
            .collect();
        (problem, names)
    };
    let result = clear(&problem);
    match args.format {
        Format::Json => print_json(&to_json(&problem, &result))?,
        Format::Csv => print!("{}", firms_csv(&problem, &result)),
        Format::Table => print!("{}", table(&problem, &result, &names)),
    }
    Ok(())
}

fn from_files(liabilities: &Path, assets: &Path) -> Result<ClearingProblem> {
    let limits = workspace::limits_around(liabilities)?;
    let l = read_liabilities(liabilities, assets, &limits)?;
    for w in &l.warnings {
        eprintln!("warning: {w}");
    }
    let entries: Vec<(usize, usize, usize, f64)> = l
        .entries
        .iter()
        .enumerate()
        .map(|(row, &(i, j, a))| (row, i, j, a))
        .collect();
    ClearingProblem::new(l.ids, &entries, l.assets)
        .map_err(|e| CliError::Problems(vec![format!("{}: {e}", liabilities.display())]))
}

fn ids(problem: &ClearingProblem, which: &[usize]) -> Vec<String> {
    which.iter().map(|&i| problem.ids[i].clone()).collect()
}

fn by_id(problem: &ClearingProblem, values: &[f64]) -> Value {
    Value::Object(
        problem
            .ids
            .iter()
            .zip(values)
            .map(|(id, v)| (id.clone(), json!(v)))
            .collect::<Map<_, _>>(),
    )
}

fn debtors(c: &Clearing) -> usize {
    c.obligations.iter().filter(|&&o| o > 0.0).count()
}

fn to_json(problem: &ClearingProblem, c: &Clearing) -> Value {
    let injections: Map<String, Value> = c
        .injections
        .iter()
        .map(|&(i, x)| (problem.ids[i].clone(), json!(x)))
        .collect();
    json!({
        "payments": by_id(problem, &c.payments),
        "defaults": ids(problem, &c.defaults),
        "rounds": c.rounds,
        "obligations": by_id(problem, &c.obligations),
        "equity": by_id(problem, &c.equity),
        "contagion": ids(problem, &c.contagion),
        "injections": injections,
        "unique": c.note.is_none(),
        "note": c.note,
        "firms": problem.ids.len(),
        "debtors": debtors(c),
    })
}

fn firms_csv(problem: &ClearingProblem, c: &Clearing) -> String {
    let owed = problem.receivables();
    let received = problem.inflows(&c.payments, &c.obligations);
    let mut out = String::from(
        "id,assets,obligation,payment,ratio,default,contagion,injection,receivable,received,equity\n",
    );
    for (i, id) in problem.ids.iter().enumerate() {
        let injection = c
            .injections
            .iter()
            .find(|x| x.0 == i)
            .map(|x| x.1.to_string())
            .unwrap_or_default();
        let ratio = if c.obligations[i] > 0.0 {
            (c.payments[i] / c.obligations[i]).to_string()
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{}",
            csv_cell(id),
            problem.assets[i],
            c.obligations[i],
            c.payments[i],
            ratio,
            c.defaults.contains(&i),
            c.contagion.contains(&i),
            injection,
            owed[i],
            received[i],
            c.equity[i]
        );
    }
    out
}

/// 8875.0 → "8,875"; 2.5 → "2.5"; at most two decimals.
fn money(x: f64) -> String {
    let s = format!("{:.2}", x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    let frac = frac.trim_end_matches('0');
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    if x < 0.0 && out != "0" {
        out.insert(0, '-');
    }
    out
}

fn table(problem: &ClearingProblem, c: &Clearing, names: &HashMap<String, String>) -> String {
    let mut out = String::new();
    let total: f64 = c.obligations.iter().sum();
    let paid: f64 = c.payments.iter().sum();
    let _ = writeln!(
        out,
        "Eisenberg–Noe clearing (fictitious-default algorithm): {} firms, {} of them owing, obligations {}, paid {}; {} default(s) in {} round(s)",
        problem.ids.len(),
        debtors(c),
        money(total),
        money(paid),
        c.defaults.len(),
        c.rounds
    );
    if let Some(note) = &c.note {
        let _ = writeln!(out, "note: {note}");
    }
    let name = |i: usize| clip(names.get(&problem.ids[i]).map_or("", String::as_str), 40);
    if c.defaults.is_empty() {
        out.push_str("\nEvery firm pays its obligations in full.\n");
        return out;
    }
    let with_names = !names.is_empty();
    let mut header = vec!["firm"];
    if with_names {
        header.push("name");
    }
    header.extend([
        "owes",
        "pays",
        "ratio",
        "cause",
        "smallest injection preventing it",
    ]);
    let rows: Vec<Vec<String>> = c
        .defaults
        .iter()
        .map(|&i| {
            let mut row = vec![problem.ids[i].clone()];
            if with_names {
                row.push(name(i));
            }
            let injection = c
                .injections
                .iter()
                .find(|x| x.0 == i)
                .map_or(String::new(), |x| money(x.1));
            row.extend([
                money(c.obligations[i]),
                money(c.payments[i]),
                format!("{:.2} %", 100.0 * c.payments[i] / c.obligations[i]),
                if c.contagion.contains(&i) {
                    "only because its debtors pay late".to_owned()
                } else {
                    "own shortfall".to_owned()
                },
                injection,
            ]);
            row
        })
        .collect();
    let _ = writeln!(out, "\nDefaults:");
    out.push_str(&text_table(&header, &rows));
    out.push('\n');
    let owed = problem.receivables();
    let received = problem.inflows(&c.payments, &c.obligations);
    let short: Vec<usize> = (0..problem.ids.len())
        .filter(|&i| owed[i] - received[i] > 1e-9 * owed[i].max(1.0))
        .collect();
    if !short.is_empty() {
        let mut header = vec!["firm"];
        if with_names {
            header.push("name");
        }
        header.extend(["owed to it", "received", "shortfall", "status"]);
        let rows: Vec<Vec<String>> = short
            .iter()
            .map(|&i| {
                let mut row = vec![problem.ids[i].clone()];
                if with_names {
                    row.push(name(i));
                }
                row.extend([
                    money(owed[i]),
                    money(received[i]),
                    money(owed[i] - received[i]),
                    if c.defaults.contains(&i) {
                        "defaults".to_owned()
                    } else {
                        "absorbs the loss".to_owned()
                    },
                ]);
                row
            })
            .collect();
        let _ = writeln!(out, "\nCreditors paid less than they are owed:");
        out.push_str(&text_table(&header, &rows));
        out.push('\n');
    }
    out
}
