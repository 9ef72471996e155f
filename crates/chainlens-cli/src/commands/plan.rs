//! `chainlens plan KIND WORKSPACE [--chain ID] [--format table|json|csv]`: response planning
//! (DESIGN.md §4.6, Gao 2021's measures) through chainlens-pipeline's `plan` module; each
//! measure carries its action, the firms it concerns, its reason and its numbers.
//!
//! * `protection`: the chain's receivables cleared statically (Eisenberg–Noe) and date by
//!   date as they fall due (`[plan.protection]`: period_days, terms_days), as is, with
//!   reverse factoring by the core firms (bank_rate) and with factoring by the defaulters
//!   (factoring_rate); the least liquidity, and to whom, that stops every default. JSON:
//!   `{"chain","settings","firms","receivables","static":{"owed","paid","defaults",
//!   "contagion","injections","rounds"},"options":[{"name","users","rate","defaults":
//!   [{"id","first_date","first_day","unpaid"}],"least_liquidity":{"ID":x},"liquidity",
//!   "discount","bank":{"advanced","face","collected","loss"},"dates":[{"date","day","due",
//!   "paid","defaults"}]}],"timing_only":[…],"measures":[…]}`.
//!
//! Every kind's `measures` are `[{"kind","action","firms","reason","numbers":{…}}]`; CSV
//! lists them. An unknown chain or a bad `[plan]` value is an error (exit 1).

use super::network::{amount, check_chain};
use crate::error::{CliError, Result};
use crate::output::{Format, csv_cell, print_json, text_table};
use crate::workspace;
use chainlens_plan::{Measure, ProtectionPlan};
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub kind: Kind,
}

#[derive(clap::Subcommand)]
pub enum Kind {
    /// Chain protection over time: receivables falling due, reverse factoring and
    /// factoring, the least liquidity (and for whom) that stops a default cascade.
    Protection(Common),
}

#[derive(clap::Args)]
pub struct Common {
    /// The workspace folder.
    pub workspace: PathBuf,
    /// One chain (default: all chains).
    #[arg(long)]
    pub chain: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

pub fn run(args: Args) -> Result<()> {
    match args.kind {
        Kind::Protection(c) => {
            let ws = workspace::load(&c.workspace)?;
            if let Some(chain) = c.chain.as_deref() {
                check_chain(&ws, chain).map_err(|message| CliError::Problems(vec![message]))?;
            }
            let plan = chainlens_pipeline::plan::protection(&ws, c.chain.as_deref())
                .map_err(|e| CliError::input(format!("{}: {e}", c.workspace.display())))?;
            match c.format {
                Format::Json => print_json(&plan)?,
                Format::Csv => print!("{}", measures_csv(&plan.measures)),
                Format::Table => print!("{}", protection_table(&plan)),
            }
            Ok(())
        }
    }
}

fn money(x: f64) -> String {
    if x != 0.0 && x.abs() < 10.0 {
        format!("{x:.2}")
    } else {
        amount(x)
    }
}

fn protection_table(p: &ProtectionPlan) -> String {
    let mut out = String::new();
    let s = &p.settings;
    let _ = writeln!(
        out,
        "Chain protection over time{}: {} firms, receivables {}; settlement every {} days, current receivables on {}-day terms",
        p.chain
            .as_deref()
            .map(|c| format!(" — chain {c}"))
            .unwrap_or_default(),
        p.firms,
        amount(p.receivables),
        s.period_days,
        s.terms_days
    );
    let st = &p.static_clearing;
    let _ = writeln!(
        out,
        "Static Eisenberg–Noe clearing (everything due at once): {} default(s){}, paid {} of {}",
        st.defaults.len(),
        if st.defaults.is_empty() {
            String::new()
        } else {
            format!(" ({})", st.defaults.join(", "))
        },
        amount(st.paid),
        amount(st.owed)
    );
    let rows: Vec<Vec<String>> = p
        .options
        .iter()
        .map(|o| {
            vec![
                match o.rate {
                    Some(r) => format!("{} at {:.2} %", o.name.replace('_', " "), 100.0 * r),
                    None => "as is".to_owned(),
                },
                if o.users.is_empty() {
                    "-".to_owned()
                } else {
                    o.users.join(", ")
                },
                o.defaults.len().to_string(),
                money(o.liquidity),
                money(o.discount),
                money(o.bank.loss),
            ]
        })
        .collect();
    let _ = writeln!(out, "\nDated clearing:");
    out.push_str(&text_table(
        &[
            "arrangement",
            "used by",
            "defaults",
            "least liquidity",
            "discount",
            "bank loss",
        ],
        &rows,
    ));
    out.push('\n');
    let as_is = &p.options[0];
    if as_is.defaults.is_empty() {
        out.push_str("\nEvery firm pays on every date: no protection measure is needed.\n");
        return out;
    }
    let rows: Vec<Vec<String>> = as_is
        .defaults
        .iter()
        .map(|d| {
            vec![
                d.id.clone(),
                format!("{} (day {})", d.first_date, d.first_day),
                money(d.unpaid),
                as_is
                    .least_liquidity
                    .get(&d.id)
                    .map_or("0 (others pay late)".to_owned(), |x| money(*x)),
                if p.timing_only.contains(&d.id) {
                    "timing".to_owned()
                } else {
                    "solvency".to_owned()
                },
            ]
        })
        .collect();
    let _ = writeln!(out, "\nDefaults as is:");
    out.push_str(&text_table(
        &[
            "firm",
            "first missed date",
            "unpaid at the end",
            "least liquidity",
            "problem",
        ],
        &rows,
    ));
    out.push('\n');
    out.push_str(&measures_text(&p.measures));
    out
}

fn measures_text(measures: &[Measure]) -> String {
    let mut out = String::from("\nMeasures:\n");
    for (k, m) in measures.iter().enumerate() {
        let _ = writeln!(out, "{}. {}\n   why: {}", k + 1, m.action, m.reason);
    }
    out
}

fn measures_csv(measures: &[Measure]) -> String {
    let mut out = String::from("rank,kind,action,firms,reason\n");
    for (k, m) in measures.iter().enumerate() {
        let kind = serde_json::to_value(m.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{},{},{},{},{}",
            k + 1,
            kind,
            csv_cell(&m.action),
            csv_cell(&m.firms.join(";")),
            csv_cell(&m.reason)
        );
    }
    out
}
