//! `chainlens validate WORKSPACE`: every problem in the workspace's files, each as
//! `file:row:column: field: reason`; exit 1 if there is any.

use crate::output::{Format, print_json};
use crate::workspace::{problem_json, report};
use chainlens_data::workspace::Workspace;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The workspace folder (holding chainlens.toml).
    pub workspace: PathBuf,
    /// `table` prints problems on stderr; `json` prints {"valid", "problems": [...]} on stdout.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dir = &args.workspace;
    let result = Workspace::load(dir);
    if args.format == Format::Json {
        let problems: Vec<serde_json::Value> = match &result {
            Ok(_) => Vec::new(),
            Err(e) => e.problems().iter().map(|p| problem_json(dir, p)).collect(),
        };
        print_json(&serde_json::json!({ "valid": problems.is_empty(), "problems": problems }))?;
        return Ok(if result.is_ok() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    match result {
        Ok(ws) => {
            let counts = chainlens_data::store::Counts::of(&ws.dataset);
            println!("{}: valid ({counts})", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Ok(report(dir, &e)),
    }
}
