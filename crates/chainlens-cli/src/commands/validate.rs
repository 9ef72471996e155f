//! `chainlens validate WORKSPACE`: every problem in the workspace's files, each as
//! `file:row:column: field: reason`; exit 1 if there is any. The indicators table is also
//! checked against the indicator system (chainlens-pipeline's `panel_check`): unknown
//! codes, values impossible for their unit, and whatever would stop the index; indicators
//! that will be imputed are warnings (printed, exit 0).

use crate::error::{CliError, Result};
use crate::output::{Format, print_json};
use crate::workspace::{located, problem_json, shown};
use chainlens_pipeline::{PanelCheck, Workspace, check_panel};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The workspace folder (holding chainlens.toml).
    pub workspace: PathBuf,
    /// `table` prints problems on stderr; `json` prints {"valid", "problems": [...],
    /// "warnings": [...]} on stdout.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

pub fn run(args: Args) -> Result<()> {
    let dir = &args.workspace;
    let result = Workspace::open(dir);
    let check = match &result {
        Ok(ws) => check_panel(ws),
        Err(_) => PanelCheck::default(),
    };
    let valid = result.is_ok() && check.problems.is_empty();
    if args.format == Format::Json {
        let problems: Vec<serde_json::Value> = match &result {
            Ok(_) => check
                .problems
                .iter()
                .map(|p| problem_json(dir, p))
                .collect(),
            Err(e) => e.problems().iter().map(|p| problem_json(dir, p)).collect(),
        };
        let warnings: Vec<serde_json::Value> = check
            .warnings
            .iter()
            .map(|p| problem_json(dir, p))
            .collect();
        print_json(&serde_json::json!({
            "valid": valid,
            "problems": problems,
            "warnings": warnings,
        }))?;
        return if valid {
            Ok(())
        } else {
            // The problems are in the JSON on stdout.
            Err(CliError::Reported)
        };
    }
    let ws = result.map_err(|e| located(dir, e))?;
    for w in &check.warnings {
        eprintln!("warning: {}", shown(dir, w));
    }
    if !check.problems.is_empty() {
        let problems = check.problems;
        return Err(located(dir, chainlens_data::Error::Invalid { problems }));
    }
    let counts = chainlens_data::store::Counts::of(&ws.dataset);
    println!("{}: valid ({counts})", dir.display());
    Ok(())
}
