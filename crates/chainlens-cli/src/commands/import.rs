//! `chainlens import WORKSPACE`: validate, then replace the store's content in one
//! transaction (a failed or killed import leaves the previous content intact).

use crate::output::Progress;
use crate::workspace;
use chainlens_data::store::{ImportRecord, Store, now};
use chainlens_data::workspace::Workspace;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The workspace folder (holding chainlens.toml).
    pub workspace: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let ws = match workspace::load(&args.workspace) {
        Ok(ws) => ws,
        Err(code) => return Ok(code),
    };
    let record = import(&ws)?;
    println!(
        "imported into {}: {}",
        ws.store_path().display(),
        record.counts
    );
    Ok(ExitCode::SUCCESS)
}

/// Imports a loaded workspace into its store, showing progress.
pub fn import(ws: &Workspace) -> anyhow::Result<ImportRecord> {
    let mut store = Store::open(&ws.store_path())?;
    let progress = Progress::new("importing");
    let record = store.import(&ws.dataset, &ws.digest, &now().to_string(), |p| {
        progress.update(p.table, p.done, p.total)
    })?;
    progress.finish();
    Ok(record)
}
