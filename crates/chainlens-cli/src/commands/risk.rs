//! `chainlens risk WORKSPACE | --register FILE`: the risk register graded by the risk
//! matrix (Zhang 2024, Table 4-6; the matrix is `[warning.matrix]` of chainlens.toml,
//! documented in chainlens-warning's `matrix` and `config` modules).
//!
//! JSON: `[{"id","type","factor","probability","impact","level","cell"|"score","owner","measures"}]`.

use crate::error::{CliError, Result};
use crate::output::{Format, csv_table, print_json, text_table};
use crate::workspace;
use anyhow::Context;
use chainlens_model::Vocabulary;
use chainlens_warning::{RiskMatrix, WarningConfig, assess};
use std::path::PathBuf;

#[derive(clap::Args)]
#[command(group = clap::ArgGroup::new("input").required(true).multiple(true).args(["workspace", "register"]))]
pub struct Args {
    /// The workspace folder: its risks table, graded by its `[warning.matrix]`.
    pub workspace: Option<PathBuf>,
    /// A risk register file (CSV, JSON or XLSX sheet `risks`): columns
    /// id,type,factor,probability,impact[,owner,measures]. With a WORKSPACE, graded by its
    /// matrix; alone, by the default matrix.
    #[arg(long, value_name = "FILE")]
    pub register: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

pub fn run(args: Args) -> Result<()> {
    let (mut risks, config) = match &args.workspace {
        Some(dir) => {
            let ws = workspace::load(dir)?;
            let config = ws.settings.warning_config.clone();
            (ws.dataset.risks.clone(), config)
        }
        None => (Vec::new(), WarningConfig::default()),
    };
    let matrix: RiskMatrix = match config.matrix.unwrap_or_default().check() {
        Ok(m) => m,
        Err(e) => {
            return Err(CliError::Problems(vec![format!(
                "chainlens.toml: [warning.matrix]: {e}"
            )]));
        }
    };
    if let Some(file) = &args.register {
        let shown = file.to_string_lossy();
        let limits = workspace::limits_around(file)?.records();
        let table = match chainlens_data::table::read_table(file, &shown, "risks", &limits) {
            Ok(t) => t,
            Err(p) => {
                return Err(CliError::Problems(vec![p.to_string()]));
            }
        };
        let parsed = chainlens_data::records::risks(&table);
        if !parsed.problems.is_empty() {
            return Err(CliError::problems(&parsed.problems));
        }
        risks = parsed.records;
    }
    let graded = match assess(&risks, &matrix) {
        Ok(g) => g,
        Err(e) => {
            let source = args
                .register
                .as_ref()
                .or(args.workspace.as_ref())
                .context("an input is required")?;
            return Err(CliError::Problems(vec![format!(
                "{}: {e}",
                source.display()
            )]));
        }
    };
    match args.format {
        Format::Json => print_json(&graded)?,
        Format::Table | Format::Csv => {
            let rows: Vec<Vec<String>> = graded
                .iter()
                .map(|a| {
                    vec![
                        a.id.clone(),
                        a.factor.clone(),
                        a.probability.to_string(),
                        a.impact.to_string(),
                        a.level.key().to_owned(),
                        a.cell
                            .clone()
                            .or(a.score.map(|s| format!("{s:.4}")))
                            .unwrap_or_default(),
                    ]
                })
                .collect();
            let header = ["id", "factor", "probability", "impact", "level", "cell"];
            if args.format == Format::Csv {
                print!("{}", csv_table(&header, &rows));
            } else {
                println!("{}", text_table(&header, &rows));
            }
        }
    }
    Ok(())
}
