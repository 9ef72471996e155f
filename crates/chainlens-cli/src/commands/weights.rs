//! `chainlens weights ahp MATRIX.csv [--ri saaty] [--method eigenvector|geometric-mean]`
//! and `chainlens weights entropy|critic DATA.csv [--cost COL,...]`: weights for a
//! researcher's own judgment matrix or data (chainlens-resilience's `ahp` and `weights`
//! modules document the formulas and conventions).
//!
//! MATRIX.csv: a header row of item names, then one row per item; an optional first
//! column of row labels (it must repeat the header's names). A file without names (every
//! header cell a number) is read as the first row, and the items are called 1, 2, ….
//! JSON: `{"weights":[...],"lambda_max","ci","cr","ri_table","consistent",
//! "items","method","ri","inconsistencies":[{"row","column","given","implied","share"}]}`.
//!
//! DATA.csv: a header row of indicator names, one row per alternative; a first column
//! that is not numeric (e.g. the region) is taken as labels. Each column is min-max
//! normalised with its direction (`--cost` lists the columns where smaller is better),
//! then weighted. JSON: `{"weights":{"COL":w,...}}`.

use crate::error::{CliError, Result};
use crate::output::{Format, csv_cell, print_json, text_table};
use chainlens_data::table::{RawTable, read_table};
use chainlens_resilience::ahp::{AhpMethod, JudgmentMatrix, RandomIndex, ahp};
use chainlens_resilience::normalize::{Direction, min_max_matrix};
use chainlens_resilience::weights::{critic_weights, entropy_weights};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub method: Method,
}

#[derive(clap::Subcommand)]
pub enum Method {
    /// AHP weights and consistency of a pairwise judgment matrix.
    Ahp(AhpArgs),
    /// Entropy weights of the columns of a data table.
    Entropy(DataArgs),
    /// CRITIC weights of the columns of a data table.
    Critic(DataArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AhpMethodArg {
    Eigenvector,
    GeometricMean,
}

#[derive(clap::Args)]
pub struct AhpArgs {
    /// The judgment matrix (CSV, JSON or XLSX).
    pub matrix: PathBuf,
    /// Random-index table: saaty (1980, default), saaty2005, donegan-dodd, alonso-lamata.
    #[arg(long, default_value = "saaty")]
    pub ri: String,
    #[arg(long, value_enum, default_value = "eigenvector")]
    pub method: AhpMethodArg,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(clap::Args)]
pub struct DataArgs {
    /// The data table (CSV, JSON or XLSX).
    pub data: PathBuf,
    /// Columns where smaller is better, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub cost: Vec<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

pub fn run(args: Args) -> Result<()> {
    match args.method {
        Method::Ahp(a) => run_ahp(a),
        Method::Entropy(a) => run_data(a, "entropy"),
        Method::Critic(a) => run_data(a, "critic"),
    }
}

fn load(path: &Path, sheet: &str) -> Result<RawTable> {
    let limits = crate::workspace::limits_around(path)?;
    read_table(path, &path.to_string_lossy(), sheet, &limits.records())
        .map_err(|p| CliError::Problems(vec![p.to_string()]))
}

fn number(table: &RawTable, record: usize, column: usize) -> Result<f64, String> {
    let cell = table.rows[record].cells.get(column).cloned().flatten();
    let at = table.cell(record, Some(column));
    let field = table.header.get(column).map(String::as_str);
    match cell.as_deref().map(str::trim) {
        None | Some("") => Err(table.problem(at, field, "empty cell").to_string()),
        Some(text) => parse_number(text).ok_or_else(|| {
            table
                .problem(at, field, format!("`{text}` is not a number"))
                .to_string()
        }),
    }
}

/// A number or a fraction such as `1/3`.
fn parse_number(text: &str) -> Option<f64> {
    match text.split_once('/') {
        Some((a, b)) => Some(a.trim().parse::<f64>().ok()? / b.trim().parse::<f64>().ok()?),
        None => text.parse().ok(),
    }
}

fn run_ahp(args: AhpArgs) -> Result<()> {
    let ri = match RandomIndex::parse(&args.ri) {
        Ok(r) => r,
        Err(e) => {
            return Err(CliError::usage(e));
        }
    };
    let table = load(&args.matrix, "matrix")?;
    let header_numeric = table
        .header
        .iter()
        .all(|h| parse_number(h.trim()).is_some());
    let row_labels = !header_numeric && table.header.len() == table.rows.len() + 1;
    let first = usize::from(row_labels);
    let mut rows: Vec<Vec<f64>> = Vec::new();
    let labels = if header_numeric {
        rows.push(
            table
                .header
                .iter()
                .map(|h| parse_number(h.trim()).unwrap_or(f64::NAN))
                .collect(),
        );
        None
    } else {
        Some(
            table.header[first..]
                .iter()
                .map(|h| h.trim().to_owned())
                .collect::<Vec<_>>(),
        )
    };
    let mut problems = Vec::new();
    for record in 0..table.rows.len() {
        let width = table.header.len();
        let mut row = Vec::new();
        for column in first..width {
            match number(&table, record, column) {
                Ok(x) => row.push(x),
                Err(p) => problems.push(p),
            }
        }
        rows.push(row);
    }
    if !problems.is_empty() {
        return Err(CliError::problems(&problems));
    }
    let m = match JudgmentMatrix::new(labels, &rows) {
        Ok(m) => m,
        Err(e) => {
            return Err(CliError::Problems(vec![format!(
                "{}: {e}",
                args.matrix.display()
            )]));
        }
    };
    let method = match args.method {
        AhpMethodArg::Eigenvector => AhpMethod::Eigenvector,
        AhpMethodArg::GeometricMean => AhpMethod::GeometricMean,
    };
    let r = match ahp(&m, method, ri) {
        Ok(r) => r,
        Err(e) => {
            return Err(CliError::Problems(vec![format!(
                "{}: {e}",
                args.matrix.display()
            )]));
        }
    };
    match args.format {
        Format::Json => print_json(&r)?,
        Format::Csv => {
            println!("item,weight");
            for (i, w) in r.items.iter().zip(&r.weights) {
                println!("{},{w}", csv_cell(i));
            }
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = r
                .items
                .iter()
                .zip(&r.weights)
                .map(|(i, w)| vec![i.clone(), format!("{w:.4}")])
                .collect();
            println!("{}", text_table(&["item", "weight"], &rows));
            println!(
                "λmax {:.4}, CI {:.4}, CR {:.4} (RI {} = {}) — {}",
                r.lambda_max,
                r.ci,
                r.cr,
                r.ri_table,
                r.ri,
                if r.consistent {
                    "consistent (CR < 0.10)"
                } else {
                    "INCONSISTENT (CR ≥ 0.10)"
                }
            );
            for j in &r.inconsistencies {
                println!(
                    "  revisit {} vs {}: given {}, the weights imply {:.3} ({:.0}% of the inconsistency)",
                    j.row,
                    j.column,
                    j.given,
                    j.implied,
                    100.0 * j.share
                );
            }
        }
    }
    Ok(())
}

fn run_data(args: DataArgs, method: &str) -> Result<()> {
    let table = load(&args.data, "data")?;
    let width = table.header.len();
    let labelled = (0..table.rows.len()).any(|r| number(&table, r, 0).is_err()) && width > 1;
    let first = usize::from(labelled);
    let names: Vec<String> = table.header[first..]
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    for c in &args.cost {
        if !names.contains(c) {
            return Err(CliError::input(format!(
                "--cost names `{c}`, which is not a column of {} (columns: {})",
                args.data.display(),
                names.join(", ")
            )));
        }
    }
    let mut problems = Vec::new();
    let mut matrix = Vec::new();
    for record in 0..table.rows.len() {
        let mut row = Vec::new();
        for column in first..width {
            match number(&table, record, column) {
                Ok(x) => row.push(x),
                Err(p) => problems.push(p),
            }
        }
        matrix.push(row);
    }
    if !problems.is_empty() {
        return Err(CliError::problems(&problems));
    }
    let directions: Vec<Direction> = names
        .iter()
        .map(|n| {
            if args.cost.contains(n) {
                Direction::Cost
            } else {
                Direction::Benefit
            }
        })
        .collect();
    let result = min_max_matrix(&matrix, &names, &directions).and_then(|r| match method {
        "entropy" => entropy_weights(&r, &names),
        _ => critic_weights(&r, &names),
    });
    let weights = match result {
        Ok(w) => w,
        Err(e) => {
            return Err(CliError::Problems(vec![format!(
                "{}: {e}",
                args.data.display()
            )]));
        }
    };
    match args.format {
        Format::Json => {
            let map: serde_json::Map<String, serde_json::Value> = names
                .iter()
                .zip(&weights)
                .map(|(n, w)| (n.clone(), serde_json::json!(w)))
                .collect();
            print_json(&serde_json::json!({ "weights": map }))?;
        }
        Format::Csv => {
            println!("column,weight");
            for (n, w) in names.iter().zip(&weights) {
                println!("{},{w}", csv_cell(n));
            }
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = names
                .iter()
                .zip(&weights)
                .map(|(n, w)| vec![n.clone(), format!("{w:.4}")])
                .collect();
            println!(
                "{}",
                text_table(&["column", &format!("{method} weight")], &rows)
            );
        }
    }
    Ok(())
}
