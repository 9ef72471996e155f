//! `chainlens info WORKSPACE`: what the workspace holds (counts per table), where each
//! table came from (file, encoding) and whether the store is current.

use crate::error::Result;
use crate::output::{Format, print_json, text_table};
use crate::workspace;
use chainlens_data::store::{Counts, Store};
use serde::Serialize;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The workspace folder (holding chainlens.toml).
    pub workspace: PathBuf,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Serialize)]
struct Info<'a> {
    name: &'a str,
    #[serde(flatten)]
    counts: Counts,
    digest: &'a str,
    sources: &'a [chainlens_data::workspace::SourceFile],
    store: StoreState,
}

#[derive(Serialize)]
struct StoreState {
    path: String,
    imported: bool,
    imported_at: Option<String>,
    /// The store holds exactly the current files.
    current: bool,
}

pub fn run(args: Args) -> Result<()> {
    let ws = workspace::load(&args.workspace)?;
    let store_path = ws.store_path();
    let last = if store_path.exists() {
        Store::open_read_only(&store_path)?.last_import()?
    } else {
        None
    };
    let info = Info {
        name: &ws.config.workspace.name,
        counts: Counts::of(&ws.dataset),
        digest: &ws.digest,
        sources: &ws.sources,
        store: StoreState {
            path: store_path.to_string_lossy().into_owned(),
            imported: last.is_some(),
            imported_at: last.as_ref().map(|r| r.imported_at.clone()),
            current: last.as_ref().is_some_and(|r| r.digest == ws.digest),
        },
    };
    match args.format {
        Format::Json => print_json(&info)?,
        Format::Table | Format::Csv => {
            let c = info.counts;
            let rows: Vec<Vec<String>> = [
                ("regions", c.regions),
                ("sectors", c.sectors),
                ("chains", c.chains),
                ("stages", c.stages),
                ("enterprises", c.enterprises),
                ("supply_links", c.supply_links),
                ("indicator_values", c.indicator_values),
                ("risks", c.risks),
            ]
            .iter()
            .map(|(k, v)| vec![(*k).to_owned(), v.to_string()])
            .collect();
            if args.format == Format::Csv {
                println!("table,records");
                for r in rows {
                    println!("{},{}", r[0], r[1]);
                }
            } else {
                println!("{}\n", info.name);
                println!("{}\n", text_table(&["table", "records"], &rows));
                for s in &ws.sources {
                    let enc = s
                        .encoding
                        .map(|e| format!(" ({})", e.name()))
                        .unwrap_or_default();
                    println!("{:<14} {}{enc}", s.table.name(), s.file);
                }
                let state = match (&info.store.imported_at, info.store.current) {
                    (None, _) => "not imported".to_owned(),
                    (Some(at), true) => format!("current (imported {at})"),
                    (Some(at), false) => {
                        format!("out of date: files changed since the import of {at}")
                    }
                };
                println!("\nstore {}: {state}", info.store.path);
            }
        }
    }
    Ok(())
}
