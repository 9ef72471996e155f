//! `chainlens import WORKSPACE`: validate, then replace the store's content in one
//! transaction (a failed or killed import leaves the previous content intact).

use crate::error::Result;
use crate::output::Progress;
use crate::workspace;
use chainlens_data::store::{ImportRecord, Store, now};
use chainlens_pipeline::Workspace;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The workspace folder (holding chainlens.toml).
    pub workspace: PathBuf,
}

pub fn run(args: Args) -> Result<()> {
    let ws = workspace::load(&args.workspace)?;
    let record = import(&ws)?;
    println!(
        "imported into {}: {}",
        ws.store_path().display(),
        record.counts
    );
    Ok(())
}

/// Imports a loaded workspace into its store, showing progress.
fn import(ws: &Workspace) -> anyhow::Result<ImportRecord> {
    let mut store = Store::open(&ws.store_path())?;
    let progress = Progress::new("importing");
    let record = store.import(&ws.dataset, &ws.digest, &now().to_string(), |p| {
        progress.update(p.table, p.done, p.total)
    })?;
    progress.finish();
    Ok(record)
}
