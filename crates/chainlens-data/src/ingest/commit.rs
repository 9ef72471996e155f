//! Writing an ingest's rows into a workspace without ever half-writing it.
//!
//! 1. Every changed file is computed in memory: the table's CSV with the new rows
//!    appended (new columns added to its header; its other rows and columns kept as they
//!    were, re-written as UTF-8), and `chainlens.toml` with a `[tables]` entry for a table
//!    it did not list yet (`data/<table>.csv`).
//! 2. The changed workspace is staged — chainlens.toml and every table it lists, copied
//!    into a hidden folder beside them — and loaded there with
//!    [`Workspace::load`](crate::workspace::Workspace::load), so that the whole model
//!    validation runs on it. Any problem: the staging folder is removed and the workspace
//!    has not been touched.
//! 3. The changed files are replaced one at a time with [`atomic_write`] (temporary file in
//!    the same folder, fsync, rename): regions and sectors first, then enterprises, then
//!    chainlens.toml. Each rename is atomic and each intermediate state is a valid workspace
//!    (new regions and sectors are unused until the enterprises that refer to them arrive,
//!    new table files are unlisted until chainlens.toml names them), so a kill at any moment
//!    leaves either the old or a valid part-new workspace, never a broken file.
//!
//! A new workspace (a folder that does not exist, or is empty) is built completely in a
//! staging folder beside it, validated, and renamed into place.

use super::plan::{Plan, Row};
use crate::limits::Limits;
use crate::table::{Container, read_table};
use crate::workspace::{CONFIG_FILE, Workspace};
use crate::write::atomic_write;
use crate::{Error, Located, Result};
use chainlens_model::TableKind;
use std::path::{Path, PathBuf};

/// The columns a new table file starts with (docs/workspace-format.md).
fn base_header(kind: TableKind) -> &'static [&'static str] {
    match kind {
        TableKind::Regions => &["id", "name", "level", "parent"],
        TableKind::Sectors => &["id", "name", "code", "classification"],
        TableKind::Indicators => &["region", "year", "indicator", "value", "source", "imputed"],
        TableKind::SupplyLinks => &["supplier", "buyer", "chain", "stage", "value"],
        _ => &[
            "id",
            "name",
            "region",
            "role",
            "stages",
            "sector",
            "employees",
        ],
    }
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Written {
    /// Files replaced or created, relative to the workspace.
    pub files: Vec<String>,
    /// The workspace did not exist before.
    pub created: bool,
}

/// A table's new content: the existing file (if any) with `rows` appended.
fn table_bytes(
    existing: Option<(&Path, &str)>,
    kind: TableKind,
    rows: &[Row],
    limits: &Limits,
) -> Result<Vec<u8>> {
    let (mut header, mut cells): (Vec<String>, Vec<Vec<String>>) = match existing {
        Some((path, shown)) => {
            let t = read_table(path, shown, kind.name(), &limits.records())
                .map_err(|p| Error::Invalid { problems: vec![p] })?;
            if !matches!(t.container, Container::Csv { .. }) {
                return Err(Error::Invalid {
                    problems: vec![Located::whole_file(
                        shown,
                        "ingest adds rows to CSV tables only: save this table as CSV (UTF-8) and list it in chainlens.toml",
                    )],
                });
            }
            let rows = t
                .rows
                .into_iter()
                .map(|r| r.cells.into_iter().map(Option::unwrap_or_default).collect())
                .collect();
            (t.header, rows)
        }
        None => (
            base_header(kind).iter().map(|s| s.to_string()).collect(),
            Vec::new(),
        ),
    };
    for row in rows {
        for k in row.keys() {
            if !header.contains(k) {
                header.push(k.clone());
                for c in &mut cells {
                    c.push(String::new());
                }
            }
        }
        cells.push(
            header
                .iter()
                .map(|h| row.get(h).cloned().unwrap_or_default())
                .collect(),
        );
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| Error::Write {
        path: PathBuf::from(kind.name()),
        message: e.to_string(),
    };
    w.write_record(&header).map_err(io)?;
    for c in &cells {
        w.write_record(c).map_err(io)?;
    }
    w.into_inner().map_err(|e| Error::Write {
        path: PathBuf::from(kind.name()),
        message: e.to_string(),
    })
}

/// chainlens.toml with `kind = "rel"` added under `[tables]`.
fn with_table(config: &str, kind: TableKind, rel: &str) -> String {
    let line = format!("{} = \"{rel}\"\n", kind.name());
    match config.find("\n[tables]") {
        Some(i) => {
            let at = config[i + 1..]
                .find('\n')
                .map_or(config.len(), |j| i + 1 + j + 1);
            format!("{}{line}{}", &config[..at], &config[at..])
        }
        None if config.starts_with("[tables]") => {
            let at = config.find('\n').map_or(config.len(), |j| j + 1);
            format!("{}{line}{}", &config[..at], &config[at..])
        }
        None => format!("{}\n\n[tables]\n{line}", config.trim_end()),
    }
}

/// A table path that stays inside the workspace (no `..`, not absolute).
fn inside(rel: &Path) -> bool {
    rel.components().all(|c| {
        matches!(
            c,
            std::path::Component::Normal(_) | std::path::Component::CurDir
        )
    })
}

/// Writes `plan` into the workspace at `root` (created when it does not exist), or only
/// checks it when `dry_run`. Fails, changing nothing, when the changed workspace does not
/// validate.
pub fn commit(root: &Path, plan: &Plan, dry_run: bool) -> Result<Written> {
    let exists = root.join(CONFIG_FILE).is_file();
    let (config_text, tables, limits) = if exists {
        let ws = Workspace::load(root)?;
        let text = std::fs::read_to_string(root.join(CONFIG_FILE))
            .map_err(|e| Error::io(root.join(CONFIG_FILE), e))?;
        (text, ws.config.tables.clone(), ws.config.limits)
    } else {
        if root.exists()
            && std::fs::read_dir(root)
                .map_err(|e| Error::io(root, e))?
                .next()
                .is_some()
        {
            return Err(Error::NotAWorkspace(root.to_owned()));
        }
        let name = root
            .file_name()
            .map_or("workspace".into(), |n| n.to_string_lossy().into_owned());
        (
            format!("[workspace]\nname = {}\n", toml::Value::String(name)),
            Default::default(),
            Limits::default(),
        )
    };
    // Changed files, in the order they are to be written.
    let mut config = config_text.clone();
    let mut tables = tables;
    let mut changed: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for (kind, rows) in [
        (TableKind::Regions, &plan.regions),
        (TableKind::Sectors, &plan.sectors),
        (TableKind::Enterprises, &plan.enterprises),
        (TableKind::Indicators, &plan.indicators),
        (TableKind::SupplyLinks, &plan.supply_links),
    ] {
        if rows.is_empty() && (kind != TableKind::Enterprises || exists) {
            continue;
        }
        let rel = match tables.get(&kind) {
            Some(rel) => rel.clone(),
            None => {
                let rel = PathBuf::from(format!("data/{}.csv", kind.name()));
                config = with_table(&config, kind, &rel.to_string_lossy());
                tables.insert(kind, rel.clone());
                rel
            }
        };
        if !inside(&rel) {
            return Err(Error::Write {
                path: rel,
                message: "ingest writes only tables inside the workspace folder".into(),
            });
        }
        let path = root.join(&rel);
        let shown = rel.to_string_lossy().replace('\\', "/");
        let existing = (exists && path.is_file()).then_some((path.as_path(), shown.as_str()));
        changed.push((rel, table_bytes(existing, kind, rows, &limits)?));
    }
    if config != config_text {
        changed.push((PathBuf::from(CONFIG_FILE), config.into_bytes()));
    }
    // Stage and validate.
    let parent = root
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let stage = if exists {
        root.join(format!(".chainlens-ingest.{}", std::process::id()))
    } else {
        let name = root
            .file_name()
            .map_or("workspace".into(), |n| n.to_string_lossy().into_owned());
        parent.join(format!(".{name}.chainlens-ingest.{}", std::process::id()))
    };
    let staged = stage_and_load(root, &stage, exists, &tables, &changed);
    let keep_stage = staged.is_ok() && !exists && !dry_run;
    if !keep_stage {
        let _ = std::fs::remove_dir_all(&stage);
    }
    staged?;
    let files: Vec<String> = changed
        .iter()
        .map(|(rel, _)| rel.to_string_lossy().replace('\\', "/"))
        .collect();
    if dry_run {
        return Ok(Written {
            files,
            created: !exists,
        });
    }
    if exists {
        for (rel, bytes) in &changed {
            atomic_write(&root.join(rel), bytes)?;
        }
    } else {
        if root.exists() {
            std::fs::remove_dir(root).map_err(|e| Error::io(root, e))?;
        }
        std::fs::rename(&stage, root).map_err(|e| {
            let _ = std::fs::remove_dir_all(&stage);
            Error::io(root, e)
        })?;
    }
    Ok(Written {
        files,
        created: !exists,
    })
}

/// Copies the workspace's config and tables into `stage`, with `changed` files in place
/// of the originals, and loads it.
fn stage_and_load(
    root: &Path,
    stage: &Path,
    exists: bool,
    tables: &std::collections::BTreeMap<TableKind, PathBuf>,
    changed: &[(PathBuf, Vec<u8>)],
) -> Result<()> {
    let _ = std::fs::remove_dir_all(stage);
    let write = |rel: &Path, bytes: &[u8]| -> Result<()> {
        let p = stage.join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
        }
        std::fs::write(&p, bytes).map_err(|e| Error::io(&p, e))
    };
    std::fs::create_dir_all(stage).map_err(|e| Error::io(stage, e))?;
    let mut files: Vec<PathBuf> = tables.values().cloned().collect();
    files.push(PathBuf::from(CONFIG_FILE));
    for rel in files {
        if let Some((_, bytes)) = changed.iter().find(|(r, _)| *r == rel) {
            write(&rel, bytes)?;
        } else if exists && inside(&rel) {
            let from = root.join(&rel);
            if from.is_file() {
                let to = stage.join(&rel);
                if let Some(d) = to.parent() {
                    std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
                }
                std::fs::copy(&from, &to).map_err(|e| Error::io(&from, e))?;
            }
        }
    }
    Workspace::load(stage).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_added_under_the_tables_section() {
        let c = "[workspace]\nname = \"x\"\n\n[tables]\nregions = \"data/regions.csv\"\n\n[io]\n";
        assert_eq!(
            with_table(c, TableKind::Sectors, "data/sectors.csv"),
            "[workspace]\nname = \"x\"\n\n[tables]\nsectors = \"data/sectors.csv\"\nregions = \"data/regions.csv\"\n\n[io]\n"
        );
        assert_eq!(
            with_table(
                "[workspace]\nname = \"x\"\n",
                TableKind::Regions,
                "data/regions.csv"
            ),
            "[workspace]\nname = \"x\"\n\n[tables]\nregions = \"data/regions.csv\"\n"
        );
    }
}
