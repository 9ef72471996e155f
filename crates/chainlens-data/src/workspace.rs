//! A workspace on disk: `chainlens.toml` plus its tables, loaded into a validated
//! [`Dataset`] (docs/workspace-format.md).
//!
//! Loading reads every table it can, parses every row it can, runs
//! [`chainlens_model::validate`] on what was parsed and maps its problems back to
//! `file:row:column`; it fails with all problems at once ([`Error::Invalid`]).

use crate::records::{self, Origin, Parsed};
use crate::table::{Container, Encoding, RawTable, read_table, regular_file};
use crate::{Error, Limits, Located, Location, Result};
use chainlens_model::Vocabulary;
use chainlens_model::problem::{echo, suggest};
use chainlens_model::{Chain, Dataset, Position, Segment, Stage, TableKind, validate};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};

/// Cells that already had a problem, per table.
type Failed = BTreeMap<TableKind, HashSet<(usize, String)>>;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "chainlens.toml";
pub const STORE_FILE: &str = "chainlens.db";

/// Top-level sections of chainlens.toml: the four the data layer reads to load the tables,
/// then those of the analyses (typed and checked by chainlens-pipeline's `Settings`). A
/// misspelt section would otherwise be silently ignored.
pub const KNOWN_SECTIONS: [&str; 11] = [
    "workspace",
    "tables",
    "chains",
    "limits",
    "io",
    "network",
    "resilience",
    "warning",
    "scenarios",
    "spatial",
    "plan",
];

/// The `[workspace]` section.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceSection {
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
    /// The region under study: enterprises inside it are "local".
    #[serde(default)]
    pub home_region: Option<String>,
    /// The home country: regions outside it are "abroad".
    #[serde(default)]
    pub country: Option<String>,
    /// Indicator years allowed, inclusive.
    #[serde(default)]
    pub years: Option<(i32, i32)>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct StageToml {
    id: String,
    name: String,
    segment: String,
    position: String,
    #[serde(default)]
    core: bool,
    #[serde(default)]
    sector: Option<String>,
    #[serde(default)]
    inputs: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChainToml {
    id: String,
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    stages: Vec<StageToml>,
}

/// The sections of chainlens.toml the data layer reads, and the file's text, from which
/// chainlens-pipeline's `Settings` reads the analyses' sections (located by line and
/// column).
#[derive(Debug, Clone)]
pub struct Config {
    pub workspace: WorkspaceSection,
    /// Table → file, relative to the workspace root.
    pub tables: BTreeMap<TableKind, PathBuf>,
    /// `[limits]`, the defaults filled in (crate::limits).
    pub limits: Limits,
    /// chainlens.toml as read (the same bytes as the digest covers).
    pub text: String,
}

impl Config {
    pub fn years(&self) -> (i32, i32) {
        self.workspace
            .years
            .unwrap_or(chainlens_model::dataset::DEFAULT_YEARS)
    }
}

/// What was read from one table file.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SourceFile {
    pub table: TableKind,
    pub file: String,
    /// For CSV files: the encoding detected.
    pub encoding: Option<Encoding>,
    pub records: usize,
}

/// A loaded, validated workspace.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub config: Config,
    pub dataset: Dataset,
    pub sources: Vec<SourceFile>,
    /// SHA-256 over chainlens.toml and every table file: the input's identity for
    /// provenance and for deciding whether the store is current.
    pub digest: String,
    /// Where each table's records came from, to locate problems found after loading
    /// (the indicator panel against the indicator system).
    pub origins: BTreeMap<TableKind, Origin>,
}

impl Workspace {
    /// Loads and validates the workspace in `dir`; every problem is reported at once.
    pub fn load(dir: &Path) -> Result<Workspace> {
        let config_path = dir.join(CONFIG_FILE);
        if !config_path.is_file() {
            return Err(Error::NotAWorkspace(dir.to_owned()));
        }
        let config_text =
            std::fs::read_to_string(&config_path).map_err(|e| Error::io(&config_path, e))?;
        let mut problems = Vec::new();
        let (config, toml_chains) = parse_config(&config_text, &mut problems)?;
        let mut hasher = Sha256::new();
        hasher.update(config_text.as_bytes());

        let mut dataset = Dataset::default();
        let mut origins: BTreeMap<TableKind, Origin> = BTreeMap::new();
        let mut sources = Vec::new();
        let mut tables: BTreeMap<TableKind, RawTable> = BTreeMap::new();
        for (&kind, rel) in &config.tables {
            let path = dir.join(rel);
            let shown = rel.to_string_lossy().replace('\\', "/");
            if let Err(what) = regular_file(&path) {
                problems.push(Located {
                    file: CONFIG_FILE.into(),
                    location: Location::Key {
                        path: format!("tables.{}", kind.name()),
                    },
                    field: None,
                    message: format!("file `{}` {what}", echo(&shown)),
                    suggestion: None,
                });
                continue;
            }
            match read_table(&path, &shown, kind.name(), &config.limits.records()) {
                Ok(t) => {
                    // Within the limits: stream it into the digest rather than hold it.
                    hasher.update(kind.name().as_bytes());
                    let mut file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
                    std::io::copy(&mut file, &mut hasher).map_err(|e| Error::io(&path, e))?;
                    sources.push(SourceFile {
                        table: kind,
                        file: t.file.clone(),
                        encoding: match t.container {
                            Container::Csv { encoding } => Some(encoding),
                            _ => None,
                        },
                        records: t.rows.len(),
                    });
                    tables.insert(kind, t);
                }
                Err(p) => problems.push(p),
            }
        }

        let mut failed: Failed = BTreeMap::new();
        // A table that could not be read at all makes every reference into it dangle:
        // model validation waits until all tables are readable.
        let mut complete = tables.len() == config.tables.len();
        let mut sink = Sink {
            problems: &mut problems,
            origins: &mut origins,
            failed: &mut failed,
            complete: &mut complete,
        };
        struct Sink<'a> {
            problems: &'a mut Vec<Located>,
            origins: &'a mut BTreeMap<TableKind, Origin>,
            failed: &'a mut Failed,
            complete: &'a mut bool,
        }
        fn take<T>(p: Parsed<T>, kind: TableKind, sink: &mut Sink) -> Vec<T> {
            *sink.complete &= p.complete;
            sink.problems.extend(p.problems);
            sink.origins.insert(kind, p.origin);
            sink.failed.insert(kind, p.failed);
            p.records
        }
        for (kind, table) in &tables {
            match kind {
                TableKind::Regions => {
                    dataset.regions = take(records::regions(table), *kind, &mut sink)
                }
                TableKind::Sectors => {
                    dataset.sectors = take(records::sectors(table), *kind, &mut sink)
                }
                TableKind::Chains => {
                    dataset.chains = take(records::chains(table), *kind, &mut sink)
                }
                TableKind::Stages => {} // attached to their chains below
                TableKind::Enterprises => {
                    dataset.enterprises = take(records::enterprises(table), *kind, &mut sink)
                }
                TableKind::EnterpriseYears => {
                    dataset.enterprise_years =
                        take(records::enterprise_years(table), *kind, &mut sink)
                }
                TableKind::SupplyLinks => {
                    dataset.supply_links = take(records::supply_links(table), *kind, &mut sink)
                }
                TableKind::Indicators => {
                    dataset.indicators = take(records::indicators(table), *kind, &mut sink)
                }
                TableKind::Risks => dataset.risks = take(records::risks(table), *kind, &mut sink),
            }
        }
        // Chains and stages come either from tables or from [[chains]] in chainlens.toml.
        if tables.contains_key(&TableKind::Chains) {
            if !toml_chains.is_empty() {
                problems.push(toml_problem(
                    "chains are given both as [[chains]] and as a table: keep one",
                    "chains",
                ));
            }
            let mut order: Vec<Vec<usize>> = vec![Vec::new(); dataset.chains.len()];
            if let Some(t) = tables.get(&TableKind::Stages) {
                let parsed = records::stages(t);
                complete &= parsed.complete;
                problems.extend(parsed.problems);
                for (k, (chain_id, stage)) in parsed.records.into_iter().enumerate() {
                    match dataset.chains.iter().position(|c| c.id == chain_id) {
                        Some(ci) => {
                            dataset.chains[ci].stages.push(stage);
                            order[ci].push(k);
                        }
                        None => {
                            let p = chainlens_model::Problem::new(
                                TableKind::Stages,
                                k,
                                "chain",
                                format!("unknown chain `{chain_id}`", chain_id = echo(&chain_id)),
                            )
                            .with_suggestion(suggest(
                                &chain_id,
                                dataset.chains.iter().map(|c| c.id.as_str()),
                            ));
                            problems.push(parsed.origin.locate(&p));
                        }
                    }
                }
                origins.insert(TableKind::Stages, parsed.origin.reorder(&order.concat()));
            }
        } else {
            if let Some(t) = tables.get(&TableKind::Stages) {
                problems.push(Located::whole_file(t.file.clone(), "a stages table needs a chains table (or put the stages under [[chains]] in chainlens.toml)"));
            }
            let mut chain_paths = Vec::new();
            let mut stage_paths = Vec::new();
            for (ci, c) in toml_chains.into_iter().enumerate() {
                chain_paths.push(format!("chains[{ci}]"));
                stage_paths
                    .extend((0..c.stages.len()).map(|si| format!("chains[{ci}].stages[{si}]")));
                dataset.chains.push(c);
            }
            origins.insert(
                TableKind::Chains,
                Origin::Toml {
                    file: CONFIG_FILE.into(),
                    paths: chain_paths,
                },
            );
            origins.insert(
                TableKind::Stages,
                Origin::Toml {
                    file: CONFIG_FILE.into(),
                    paths: stage_paths,
                },
            );
        }

        let model_problems = if complete {
            validate(&dataset, config.years())
        } else {
            Vec::new()
        };
        for p in model_problems {
            if failed
                .get(&p.table)
                .is_some_and(|f| f.contains(&(p.record, p.field.clone())))
            {
                continue; // already reported as a cell problem
            }
            let located = match origins.get(&p.table) {
                Some(o) => o.locate(&p),
                None => Located::whole_file(CONFIG_FILE, p.to_string()),
            };
            problems.push(located);
        }
        if let Some(home) = &config.workspace.home_region
            && !dataset.regions.is_empty()
            && dataset.region(home).is_none()
        {
            problems.push(Located {
                file: CONFIG_FILE.into(),
                location: Location::Key {
                    path: "workspace.home_region".into(),
                },
                field: None,
                message: format!("unknown region `{home}`", home = echo(home)),
                suggestion: suggest(home, dataset.regions.iter().map(|r| r.id.as_str())),
            });
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { problems });
        }
        let digest = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Workspace {
            root: dir.to_owned(),
            config,
            dataset,
            sources,
            digest,
            origins,
        })
    }

    pub fn store_path(&self) -> PathBuf {
        self.root.join(STORE_FILE)
    }
}

fn toml_problem(message: impl Into<String>, path: &str) -> Located {
    Located {
        file: CONFIG_FILE.into(),
        location: if path.is_empty() {
            Location::File
        } else {
            Location::Key { path: path.into() }
        },
        field: None,
        message: message.into(),
        suggestion: None,
    }
}

/// Parses chainlens.toml. Syntax errors end loading at once; problems within sections
/// are collected.
fn parse_config(text: &str, problems: &mut Vec<Located>) -> Result<(Config, Vec<Chain>)> {
    let raw: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let location = match e.span() {
            Some(span) => {
                let line = text[..span.start].matches('\n').count() + 1;
                let column = span.start - text[..span.start].rfind('\n').map_or(0, |p| p + 1) + 1;
                Location::Cell {
                    row: line,
                    column: Some(column),
                }
            }
            None => Location::File,
        };
        Error::Invalid {
            problems: vec![Located {
                file: CONFIG_FILE.into(),
                location,
                field: None,
                message: format!("not valid TOML: {}", e.message()),
                suggestion: None,
            }],
        }
    })?;
    for key in raw.keys() {
        if !KNOWN_SECTIONS.contains(&key.as_str()) {
            problems.push(Located {
                suggestion: suggest(key, KNOWN_SECTIONS),
                ..toml_problem(
                    format!("unknown section (known: {})", KNOWN_SECTIONS.join(", ")),
                    key,
                )
            });
        }
    }
    let workspace = match raw.get("workspace") {
        None => {
            problems.push(toml_problem(
                "the [workspace] section with at least `name` is missing",
                "",
            ));
            WorkspaceSection {
                name: String::new(),
                title: None,
                home_region: None,
                country: None,
                years: None,
            }
        }
        Some(v) => match v.clone().try_into::<WorkspaceSection>() {
            Ok(w) => w,
            Err(e) => {
                problems.push(toml_problem(e.message().to_owned(), "workspace"));
                WorkspaceSection {
                    name: String::new(),
                    title: None,
                    home_region: None,
                    country: None,
                    years: None,
                }
            }
        },
    };
    let mut tables = BTreeMap::new();
    if let Some(v) = raw.get("tables") {
        match v.as_table() {
            None => problems.push(toml_problem(
                "must be a table of `name = \"path\"`",
                "tables",
            )),
            Some(t) => {
                for (k, v) in t {
                    match (TableKind::from_name(k), v.as_str()) {
                        (Some(kind), Some(path)) => {
                            tables.insert(kind, PathBuf::from(path));
                        }
                        (None, _) => problems.push(Located {
                            suggestion: suggest(k, TableKind::ALL.iter().map(|t| t.name())),
                            ..toml_problem("unknown table", &format!("tables.{k}"))
                        }),
                        (_, None) => problems.push(toml_problem(
                            "must be a file path (a string)",
                            &format!("tables.{k}"),
                        )),
                    }
                }
            }
        }
    }
    let limits = Limits::from_section(raw.get("limits")).unwrap_or_else(|message| {
        problems.push(toml_problem(message, "limits"));
        Limits::default()
    });
    let mut chains = Vec::new();
    if let Some(v) = raw.get("chains") {
        match v.clone().try_into::<Vec<ChainToml>>() {
            Err(e) => problems.push(toml_problem(e.message().to_owned(), "chains")),
            Ok(list) => {
                for (ci, c) in list.into_iter().enumerate() {
                    let mut stages = Vec::new();
                    for (si, s) in c.stages.into_iter().enumerate() {
                        let at = |f: &str| format!("chains[{ci}].stages[{si}].{f}");
                        let segment = Segment::parse(&s.segment).unwrap_or_else(|| {
                            problems.push(Located {
                                suggestion: suggest(&s.segment, Segment::keys()),
                                ..toml_problem(
                                    format!(
                                        "`{}` is not one of {}",
                                        echo(&s.segment),
                                        Segment::keys().join(", ")
                                    ),
                                    &at("segment"),
                                )
                            });
                            Segment::Production
                        });
                        let position = Position::parse(&s.position).unwrap_or_else(|| {
                            problems.push(Located {
                                suggestion: suggest(&s.position, Position::keys()),
                                ..toml_problem(
                                    format!(
                                        "`{}` is not one of {}",
                                        echo(&s.position),
                                        Position::keys().join(", ")
                                    ),
                                    &at("position"),
                                )
                            });
                            Position::Midstream
                        });
                        stages.push(Stage {
                            id: s.id,
                            name: s.name,
                            segment,
                            position,
                            core: s.core,
                            sector: s.sector,
                            inputs: s.inputs.iter().map(|i| records::stage_input(i)).collect(),
                        });
                    }
                    chains.push(Chain {
                        id: c.id,
                        name: c.name,
                        description: c.description,
                        stages,
                    });
                }
            }
        }
    }
    Ok((
        Config {
            workspace,
            tables,
            limits,
            text: text.to_owned(),
        },
        chains,
    ))
}
