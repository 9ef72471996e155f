//! `chainlens ingest KIND FILE… --workspace WS`: files as analysts hold them into a
//! workspace (created when missing), printing what was matched, merged and not matched,
//! each unmatched row with its line and reason. Nothing is written while a row is
//! unmatched unless `--skip-unmatched`; a failed ingest leaves the workspace as it was
//! (chainlens_data::ingest). Exit 0 when written (or, with --dry-run, when it would be),
//! 1 when rows are unmatched or the workspace would not validate.

use crate::error::{CliError, Result};
use crate::output::{Format, print_json};
use crate::workspace::{located, problem_json, shown};
use chainlens_data::ingest::{self, MapFile, Options, Outcome};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub kind: Kind,
}

#[derive(clap::Subcommand)]
pub enum Kind {
    /// Enterprise registry exports (CSV in UTF-8/GBK/GB18030, or XLSX) → enterprises, with
    /// their regions (GB/T 2260) and sectors (GB/T 4754-2017).
    Enterprises(EnterprisesArgs),
    /// Statistical-yearbook tables (wide, units in headers, merged headers, footnotes) →
    /// the indicator panel, converted to the units of the mapping file's [indicators].
    Indicators(TableArgs),
    /// Tables of purchases (buyer, supplier, amount, product, date; an ERP or invoice
    /// export) → yearly supply links between the workspace's enterprises.
    SupplyLinks(TableArgs),
}

#[derive(clap::Args)]
pub struct TableArgs {
    /// The tables (.csv, .tsv, .txt, .xlsx).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The workspace to add to (indicators: created when the folder does not exist).
    #[arg(long)]
    pub workspace: PathBuf,
    /// Mapping file: [indicators] and [yearbook] (required for indicators); [columns],
    /// [products] and [purchases] for supply links; [regions], sheet (docs/import.md).
    #[arg(long)]
    pub map: Option<PathBuf>,
    /// Check everything and report, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write the values that were read even when some cells were not.
    #[arg(long)]
    pub skip_unmatched: bool,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(clap::Args)]
pub struct EnterprisesArgs {
    /// Registry export files (.csv, .tsv, .txt, .xlsx).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The workspace to add to; created when the folder does not exist or is empty.
    #[arg(long)]
    pub workspace: PathBuf,
    /// Mapping file: [columns], [regions], [industries], [defaults], sheet (docs/import.md).
    #[arg(long)]
    pub map: Option<PathBuf>,
    /// Column layout: registry-cn | registry-en (default: the mapping file's, then each preset).
    #[arg(long)]
    pub preset: Option<String>,
    /// Check everything and report, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write the firms that were placed even when some rows were not.
    #[arg(long)]
    pub skip_unmatched: bool,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

pub fn run(args: Args) -> Result<()> {
    match args.kind {
        Kind::Enterprises(a) => enterprises(a),
        Kind::Indicators(a) => indicators(a),
        Kind::SupplyLinks(a) => supply_links(a),
    }
}

/// Reads the mapping file, or says why not.
fn read_map(path: Option<&Path>) -> Result<MapFile> {
    match path {
        Some(path) => MapFile::read(path, &path.to_string_lossy())
            .map_err(|p| CliError::Problems(vec![p.to_string()])),
        None => Ok(MapFile::default()),
    }
}

/// The input files with the names to show.
fn inputs(files: &[PathBuf]) -> Vec<(PathBuf, String)> {
    files
        .iter()
        .map(|f| (f.clone(), f.to_string_lossy().into_owned()))
        .collect()
}

/// An ingest's failure: problems of the input files with their paths as given, those of
/// the workspace relative to it.
fn failed(ws: &Path, files: &[(PathBuf, String)], e: chainlens_data::Error) -> CliError {
    match e {
        chainlens_data::Error::Invalid { problems }
            if problems
                .iter()
                .any(|p| files.iter().any(|(_, s)| p.file.starts_with(s.as_str()))) =>
        {
            CliError::problems(&problems)
        }
        e => located(ws, e),
    }
}

fn indicators(a: TableArgs) -> Result<()> {
    if a.map.is_none() {
        return Err(CliError::usage(
            "--map is required: its [indicators] name the indicator codes and units (docs/import.md)",
        ));
    }
    let map = read_map(a.map.as_deref())?;
    let files = inputs(&a.files);
    let options = Options {
        preset: None,
        dry_run: a.dry_run,
        skip_unmatched: a.skip_unmatched,
    };
    let o = ingest::indicators(&a.workspace, &files, &map, &options)
        .map_err(|e| failed(&a.workspace, &files, e))?;
    match a.format {
        Format::Json => print_json(&serde_json::json!({
            "workspace": a.workspace.to_string_lossy(),
            "dry_run": a.dry_run,
            "tables": o.tables.iter().map(|(f, c)| serde_json::json!({"file": f, "columns": c})).collect::<Vec<_>>(),
            "values": o.values,
            "existing": o.existing,
            "note_rows": o.note_rows,
            "unmatched": o.unmatched.len(),
            "added": {"regions": o.added_regions},
            "problems": o.unmatched.iter().map(|p| problem_json(Path::new(""), p)).collect::<Vec<_>>(),
            "written": o.written,
        }))?,
        _ => {
            for (f, c) in &o.tables {
                println!("{f}: {c} across");
            }
            println!(
                "read {} values ({} already in the workspace), unmatched {} cells; skipped {} title and note rows",
                o.values,
                o.existing,
                o.unmatched.len(),
                o.note_rows
            );
            for r in &o.added_regions {
                println!("  new region {r}");
            }
            for p in &o.unmatched {
                eprintln!("{p}");
            }
            written_line(
                &a.workspace,
                o.written.as_ref(),
                a.dry_run,
                o.unmatched.len(),
                a.skip_unmatched,
            );
        }
    }
    unmatched_outcome(o.unmatched.is_empty() || a.skip_unmatched)
}

fn supply_links(a: TableArgs) -> Result<()> {
    let map = read_map(a.map.as_deref())?;
    let files = inputs(&a.files);
    let options = Options {
        preset: None,
        dry_run: a.dry_run,
        skip_unmatched: a.skip_unmatched,
    };
    let o = ingest::supply_links(&a.workspace, &files, &map, &options)
        .map_err(|e| failed(&a.workspace, &files, e))?;
    match a.format {
        Format::Json => print_json(&serde_json::json!({
            "workspace": a.workspace.to_string_lossy(),
            "dry_run": a.dry_run,
            "tables": o.tables.iter().map(|(f, y)| serde_json::json!({"file": f, "year": y})).collect::<Vec<_>>(),
            "rows": o.rows,
            "other_years": o.other_years,
            "links": o.links,
            "existing": o.existing,
            "note_rows": o.note_rows,
            "unmatched": o.unmatched.len(),
            "problems": o.unmatched.iter().map(|p| problem_json(Path::new(""), p)).collect::<Vec<_>>(),
            "written": o.written,
        }))?,
        _ => {
            for (f, y) in &o.tables {
                match y {
                    Some(y) => println!("{f}: purchases of {y}"),
                    None => println!("{f}: no year column, all rows"),
                }
            }
            println!(
                "{} purchase rows into {} links ({} already in the workspace); {} rows of other years left out, unmatched {} rows; skipped {} note rows",
                o.rows,
                o.links,
                o.existing,
                o.other_years,
                o.unmatched.len(),
                o.note_rows
            );
            for p in &o.unmatched {
                eprintln!("{p}");
            }
            written_line(
                &a.workspace,
                o.written.as_ref(),
                a.dry_run,
                o.unmatched.len(),
                a.skip_unmatched,
            );
        }
    }
    unmatched_outcome(o.unmatched.is_empty() || a.skip_unmatched)
}

/// The last line of a report: what was written, or why nothing was.
fn written_line(
    ws: &Path,
    written: Option<&chainlens_data::ingest::commit::Written>,
    dry_run: bool,
    unmatched: usize,
    skip: bool,
) {
    match written {
        Some(w) => println!(
            "{} {}: {}",
            if w.created { "created" } else { "wrote" },
            ws.display(),
            w.files.join(", ")
        ),
        None if dry_run => println!("dry run: nothing written"),
        None if unmatched > 0 && !skip => println!(
            "nothing written: {unmatched} unmatched (fix them, or --skip-unmatched to add the others)"
        ),
        None => {}
    }
}

fn enterprises(a: EnterprisesArgs) -> Result<()> {
    if let Some(p) = &a.preset
        && !ingest::registry::PRESETS.iter().any(|x| x.name == p)
    {
        let names: Vec<&str> = ingest::registry::PRESETS.iter().map(|x| x.name).collect();
        return Err(CliError::usage(format!(
            "unknown preset `{p}` (presets: {})",
            names.join(", ")
        )));
    }
    let map = read_map(a.map.as_deref())?;
    let files = inputs(&a.files);
    let options = Options {
        preset: a.preset.clone(),
        dry_run: a.dry_run,
        skip_unmatched: a.skip_unmatched,
    };
    let outcome = ingest::enterprises(&a.workspace, &files, &map, &options)
        .map_err(|e| failed(&a.workspace, &files, e))?;
    let done = outcome.unmatched.is_empty() || a.skip_unmatched;
    match a.format {
        Format::Json => print_json(&json(&a.workspace, &outcome, a.dry_run))?,
        _ => print_table(&a.workspace, &outcome, a.dry_run, a.skip_unmatched),
    }
    unmatched_outcome(done)
}

/// Success, or exit 1 when unmatched rows were left out of the workspace (they are
/// listed above; `--skip-unmatched` accepts the rest).
fn unmatched_outcome(done: bool) -> Result<()> {
    if done {
        Ok(())
    } else {
        Err(CliError::Reported)
    }
}

fn json(ws: &Path, o: &Outcome, dry_run: bool) -> serde_json::Value {
    // Problems and notes are about the input files, shown as the user named them.
    let located = |list: &[chainlens_data::Located]| -> Vec<serde_json::Value> {
        list.iter()
            .map(|p| problem_json(Path::new(""), p))
            .collect()
    };
    serde_json::json!({
        "workspace": ws.to_string_lossy(),
        "dry_run": dry_run,
        "files": o.headers.iter().map(|(f, h)| serde_json::json!({
            "file": f, "header_row": h.row, "layout": h.layout,
            "columns": h.columns.iter().map(|(f, c)| (f.key(), c + 1)).collect::<std::collections::BTreeMap<_, _>>(),
        })).collect::<Vec<_>>(),
        "matched": o.matched,
        "merged": o.merged,
        "unmatched": o.unmatched.len(),
        "banner_rows": o.banner_rows,
        "note_rows": o.note_rows,
        "existing": o.existing.len(),
        "added": {
            "enterprises": o.added_enterprises,
            "regions": o.added_regions,
            "sectors": o.added_sectors,
        },
        "problems": located(&o.unmatched),
        "notes": located(&o.notes),
        "written": o.written,
    })
}

fn print_table(ws: &Path, o: &Outcome, dry_run: bool, skip: bool) {
    for (f, h) in &o.headers {
        println!("{f}: header at row {} ({})", h.row, h.layout);
    }
    println!(
        "matched {} firms, merged {} duplicate rows, unmatched {} rows; skipped {} banner and {} note rows",
        o.matched,
        o.merged,
        o.unmatched.len(),
        o.banner_rows,
        o.note_rows
    );
    println!(
        "{} already in the workspace; to add: {} enterprises, {} regions, {} sectors",
        o.existing.len(),
        o.added_enterprises,
        o.added_regions.len(),
        o.added_sectors.len()
    );
    for r in &o.added_regions {
        println!("  new region {r}");
    }
    for s in &o.added_sectors {
        println!("  new sector {s}");
    }
    for p in &o.unmatched {
        eprintln!("{}", shown(Path::new(""), p));
    }
    for p in &o.notes {
        eprintln!("note: {p}");
    }
    written_line(ws, o.written.as_ref(), dry_run, o.unmatched.len(), skip);
}
