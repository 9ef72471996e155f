//! `chainlens validate WORKSPACE`: every problem in the workspace's files, each as
//! `file:row:column: field: reason`; exit 1 if there is any. The indicators table is also
//! checked against the indicator system (chainlens-pipeline's `panel_check`): unknown
//! codes, values impossible for their unit, and whatever would stop the index; indicators
//! that will be imputed are warnings (printed, exit 0).

use crate::output::{Format, print_json};
use crate::workspace::{problem_json, report, shown};
use chainlens_data::workspace::Workspace;
use chainlens_pipeline::{PanelCheck, check_panel};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The workspace folder (holding chainlens.toml).
    pub workspace: PathBuf,
    /// `table` prints problems on stderr; `json` prints {"valid", "problems": [...],
    /// "warnings": [...]} on stdout.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dir = &args.workspace;
    let result = Workspace::load(dir);
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
        return Ok(if valid {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let ws = match result {
        Ok(ws) => ws,
        Err(e) => return Ok(report(dir, &e)),
    };
    for w in &check.warnings {
        eprintln!("warning: {}", shown(dir, w));
    }
    if !check.problems.is_empty() {
        let problems = check.problems;
        return Ok(report(dir, &chainlens_data::Error::Invalid { problems }));
    }
    let counts = chainlens_data::store::Counts::of(&ws.dataset);
    println!("{}: valid ({counts})", dir.display());
    Ok(ExitCode::SUCCESS)
}
