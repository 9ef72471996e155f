//! `chainlens run WORKSPACE`: the main job. Imports the workspace when the store is not
//! current, then runs every configured analysis and writes the results to the output
//! folder (default `WORKSPACE/out`), ending with a short summary on the terminal.

use crate::commands::import::import;
use crate::workspace;
use chainlens_data::store::{Counts, Store};
use chainlens_data::write::atomic_write;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The workspace folder (holding chainlens.toml).
    pub workspace: PathBuf,
    /// Where to write the results (default: WORKSPACE/out).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Provenance of a run: enough to reproduce it.
#[derive(Serialize)]
struct Provenance<'a> {
    workspace: &'a str,
    input_digest: &'a str,
    chainlens_version: &'static str,
    imported_at: &'a str,
}

#[derive(Serialize)]
struct Summary<'a> {
    provenance: Provenance<'a>,
    counts: Counts,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let ws = match workspace::load(&args.workspace) {
        Ok(ws) => ws,
        Err(code) => return Ok(code),
    };
    let out = args.out.clone().unwrap_or_else(|| ws.root.join("out"));
    let store_path = ws.store_path();
    let last = if store_path.exists() {
        Store::open(&store_path)?.last_import()?
    } else {
        None
    };
    let record = match last {
        Some(r) if r.digest == ws.digest => {
            eprintln!("store is current (imported {})", r.imported_at);
            r
        }
        _ => {
            let r = import(&ws)?;
            eprintln!("imported into {}", store_path.display());
            r
        }
    };
    let summary = Summary {
        provenance: Provenance {
            workspace: &ws.config.workspace.name,
            input_digest: &ws.digest,
            chainlens_version: env!("CARGO_PKG_VERSION"),
            imported_at: &record.imported_at,
        },
        counts: record.counts,
    };
    let path = out.join("summary.json");
    atomic_write(&path, serde_json::to_string_pretty(&summary)?.as_bytes())?;
    let c = record.counts;
    println!(
        "{}: {} regions, {} chains ({} stages), {} enterprises, {} supply links, {} indicator values, {} risks",
        ws.config
            .workspace
            .title
            .as_deref()
            .unwrap_or(&ws.config.workspace.name),
        c.regions,
        c.chains,
        c.stages,
        c.enterprises,
        c.supply_links,
        c.indicator_values,
        c.risks
    );
    println!("wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}
