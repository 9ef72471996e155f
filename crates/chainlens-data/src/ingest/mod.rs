//! Real data in: files as analysts hold them → additions to a workspace's tables
//! (docs/import.md).
//!
//! - [`registry`]: enterprise registry exports → firms (credit code checked, duplicates
//!   merged, region from GB/T 2260, industry to the workspace's sectors).
//! - [`yearbook`]: statistical-yearbook tables → indicator values, units converted.
//! - [`purchases`]: tables of purchases → yearly supply links between known firms.
//! - [`plan`]: firms → the rows to add to the workspace's regions, sectors and enterprises
//!   tables, with every firm that could not be placed and why.
//! - [`commit`]: the new tables written into the workspace so that a failed ingest leaves
//!   it exactly as it was: the changed workspace is loaded and validated from a staging
//!   copy first, then each changed file is replaced atomically (crate::write), regions and
//!   sectors before the enterprises that refer to them.
//!
//! Readers take a [`Grid`](crate::table::Grid) (crate::table::read_grid): rows of cells
//! with their spreadsheet positions and no header assumed, so that banner rows above the
//! header and notes below the records can be told apart.

pub mod commit;
pub mod plan;
pub mod purchases;
pub mod registry;
pub mod yearbook;

use crate::text::fold_width;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A mapping file (`--map MAP.toml`) for layouts the presets do not know, and the
/// concordances from the file's names to the workspace's ids:
///
/// ```toml
/// sheet = "企业名单"                 # the sheet of a workbook (default: the first)
/// [columns]                         # field = header text, or a list of them
/// name = "单位名称"
/// credit_code = ["信用代码", "统一代码"]
/// [regions]                         # GB/T 2260 code or Chinese name → workspace region id
/// "330100" = "hangzhou"
/// [industries]                      # industry text or GB/T 4754 code → workspace sector id
/// "汽车制造业" = "auto"
/// [defaults]
/// role = "supporting"               # for rows without a role column
/// stages = "nev/battery"            # `;`-list of chain/stage for rows without a stages column
/// [indicators]                      # yearbook label → indicator code and unit kept
/// "地区生产总值" = { code = "gdp", unit = "万元" }
/// [yearbook]                        # source, year, indicator (module yearbook)
/// source = "浙江统计年鉴2023"
/// [products]                        # purchases: product → chain/stage of the link
/// "电芯" = "nev/battery"
/// [purchases]                       # year kept, amount unit (module purchases)
/// year = 2023
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapFile {
    #[serde(default)]
    pub sheet: Option<String>,
    #[serde(default)]
    pub columns: BTreeMap<String, OneOrMany>,
    #[serde(default)]
    pub regions: BTreeMap<String, String>,
    #[serde(default)]
    pub industries: BTreeMap<String, String>,
    #[serde(default)]
    pub defaults: Defaults,
    /// Yearbook tables: indicator names (as in headers or titles) → code and unit.
    #[serde(default)]
    pub indicators: BTreeMap<String, yearbook::Target>,
    #[serde(default)]
    pub yearbook: yearbook::Section,
    /// Tables of purchases: product text → `chain/stage` of the link.
    #[serde(default)]
    pub products: BTreeMap<String, String>,
    #[serde(default)]
    pub purchases: purchases::Section,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub stages: Option<String>,
}

/// One header text or several.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn list(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

impl MapFile {
    /// Reads and checks a mapping file: unknown keys and unknown fields in `[columns]`
    /// are errors naming the key.
    pub fn read(path: &Path, shown: &str) -> Result<MapFile, crate::Located> {
        use crate::{Located, Location};
        let text = std::fs::read_to_string(path)
            .map_err(|e| Located::whole_file(shown, format!("cannot read: {e}")))?;
        let map: MapFile = toml::from_str(&text).map_err(|e| Located {
            file: shown.to_owned(),
            location: e.span().map_or(Location::File, |s| Location::Cell {
                row: text[..s.start].matches('\n').count() + 1,
                column: None,
            }),
            field: None,
            message: e.message().to_owned(),
            suggestion: None,
        })?;
        // Registry fields, then purchase fields.
        let keys: Vec<&str> = registry::Field::ALL
            .map(registry::Field::key)
            .into_iter()
            .chain(purchases::COLUMNS.iter().map(|(_, k, _)| *k))
            .collect();
        for key in map.columns.keys() {
            if !keys.contains(&key.as_str()) {
                return Err(Located {
                    file: shown.to_owned(),
                    location: Location::Key {
                        path: format!("columns.{key}"),
                    },
                    field: None,
                    message: format!("unknown field `{key}` (fields: {})", keys.join(", ")),
                    suggestion: chainlens_model::problem::suggest(key, keys.iter().copied()),
                });
            }
        }
        Ok(map)
    }
}

/// Rows searched for a header.
pub const HEADER_SEARCH_ROWS: usize = 50;

/// A label's text and the unit in brackets at its end (`注册资本（万元）` → `注册资本`,
/// `万元`), width folded and spaces dropped.
pub(crate) fn split_unit(label: &str) -> (String, Option<String>) {
    let k = fold_key(label);
    if let Some(open) = k.rfind('(')
        && k.ends_with(')')
        && open > 0
    {
        return (
            k[..open].to_owned(),
            Some(k[open + 1..k.len() - 1].to_owned()),
        );
    }
    (k, None)
}

/// A header cell as compared: [`split_unit`], the name in lower case.
pub(crate) fn header_key(cell: &str) -> (String, Option<String>) {
    let (name, unit) = split_unit(cell);
    (name.to_lowercase(), unit)
}

/// A field found in a header row: its 0-based column and the unit of its header.
pub(crate) type Found<F> = (F, usize, Option<String>);

/// The first of the first [`HEADER_SEARCH_ROWS`] rows of `grid` in which, under `names`
/// (header key → field), one field of each group of `required` is found: its index and
/// every field found there with its 0-based column and the unit of its header.
pub(crate) fn find_header_row<F: Copy + Eq>(
    grid: &crate::table::Grid,
    names: &std::collections::HashMap<String, F>,
    required: &[&[F]],
) -> Option<(usize, Vec<Found<F>>)> {
    grid.rows
        .iter()
        .enumerate()
        .take(HEADER_SEARCH_ROWS)
        .find_map(|(index, row)| {
            let mut found: Vec<Found<F>> = Vec::new();
            for (c, cell) in row.cells.iter().enumerate() {
                let Some(cell) = cell else { continue };
                let (k, unit) = header_key(cell);
                if let Some(&f) = names.get(&k)
                    && !found.iter().any(|(g, _, _)| *g == f)
                {
                    found.push((f, c, unit));
                }
            }
            required
                .iter()
                .all(|group| group.iter().any(|f| found.iter().any(|(g, _, _)| g == f)))
                .then_some((index, found))
        })
}

/// A row that is no record: at most one filled cell (a note such as `注：…` or
/// `数据来源：…`, a merged title, a section label), or a total (`合计`, `总计`, `小计` first).
pub(crate) fn is_note(row: &crate::table::RawRow) -> bool {
    let mut filled = row.cells.iter().flatten();
    match (filled.next(), filled.next()) {
        (None, _) | (Some(_), None) => true,
        (Some(first), Some(_)) => {
            let k = fold_key(first);
            ["合计", "总计", "小计"].iter().any(|t| k.starts_with(t))
        }
    }
}

/// A decimal number times 10^`exp`, parsed from its digits with the exponent shifted
/// (`3.86` and −2 → the f64 nearest 0.0386), so that unit conversions by powers of ten
/// are exact to the last bit (3.86 / 100 in floating point is not).
pub(crate) fn decimal_scaled(number: &str, exp: i32) -> Option<f64> {
    let ok = !number.is_empty()
        && number
            .char_indices()
            .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && c == '-'));
    ok.then(|| format!("{number}e{exp}").parse().ok()).flatten()
}

/// Text as compared: width folded, all whitespace dropped.
pub(crate) fn fold_key(s: &str) -> String {
    fold_width(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// How an ingest runs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A layout of [`registry::PRESETS`]; `None` tries each (after the mapping file's).
    pub preset: Option<String>,
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// Write the rows that were placed even when others were not (default: write nothing
    /// while any row is unmatched).
    pub skip_unmatched: bool,
}

/// What an ingest of registry files found and did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Outcome {
    /// Per file: its header row and layout.
    pub headers: Vec<(String, registry::Header)>,
    /// Firms read (after merging duplicates).
    pub matched: usize,
    /// Rows merged into an earlier row with the same credit code.
    pub merged: usize,
    pub banner_rows: usize,
    pub note_rows: usize,
    /// Rows and firms refused, each with its line and reason.
    pub unmatched: Vec<Located>,
    pub notes: Vec<Located>,
    /// Firms already in the workspace: (credit code, enterprise id).
    pub existing: Vec<(String, String)>,
    pub added_regions: Vec<String>,
    pub added_sectors: Vec<String>,
    pub added_enterprises: usize,
    /// Files written; `None` when nothing was written (dry run, or unmatched rows
    /// without `skip_unmatched`).
    pub written: Option<commit::Written>,
}

use crate::Located;

/// The workspace at `root` when there is one (an ingest may create it), and the limits
/// its files are read within (the defaults for a new workspace).
fn existing_workspace(
    root: &Path,
) -> crate::Result<(Option<crate::workspace::Workspace>, crate::Limits)> {
    if !root.join(crate::workspace::CONFIG_FILE).is_file() {
        return Ok((None, crate::Limits::default()));
    }
    let ws = crate::workspace::Workspace::load(root)?;
    let limits = ws.config.limits.clone();
    Ok((Some(ws), limits))
}

/// `chainlens ingest enterprises`: reads registry exports (`files`: path and the name to
/// show), places their firms in the workspace at `root` and writes them (module docs).
pub fn enterprises(
    root: &Path,
    files: &[(std::path::PathBuf, String)],
    map: &MapFile,
    options: &Options,
) -> crate::Result<Outcome> {
    let (ws, limits) = existing_workspace(root)?;
    let mut read = registry::RegistryRead::default();
    let mut headers = Vec::new();
    let mut problems = Vec::new();
    for (path, shown) in files {
        let grid =
            match crate::table::read_grid(path, shown, map.sheet.as_deref(), &limits.records()) {
                Ok(g) => g,
                Err(p) => {
                    problems.push(p);
                    continue;
                }
            };
        read.header = None;
        match registry::read_registry(&grid, map, options.preset.as_deref(), &mut read) {
            Ok(()) => headers.extend(read.header.clone().map(|h| (grid.file.clone(), h))),
            Err(p) => problems.push(p),
        }
    }
    if !problems.is_empty() {
        return Err(crate::Error::Invalid { problems });
    }
    let empty = chainlens_model::Dataset::default();
    let dataset = ws.as_ref().map_or(&empty, |w| &w.dataset);
    let country = ws
        .as_ref()
        .and_then(|w| w.config.workspace.country.as_deref());
    let plan = plan::plan(&read.firms, dataset, map, country);
    let mut unmatched = read.unmatched;
    unmatched.extend(plan.unmatched.iter().cloned());
    let write = unmatched.is_empty() || options.skip_unmatched;
    let written = if write {
        Some(commit::commit(root, &plan, options.dry_run)?).filter(|_| !options.dry_run)
    } else {
        None
    };
    Ok(Outcome {
        headers,
        matched: read.firms.len(),
        merged: read.merged,
        banner_rows: read.banner_rows,
        note_rows: read.note_rows,
        unmatched,
        notes: read.notes,
        existing: plan.existing,
        added_regions: plan
            .regions
            .iter()
            .map(|r| format!("{} {}", r["id"], r["name"]))
            .collect(),
        added_sectors: plan
            .sectors
            .iter()
            .map(|r| format!("{} {}", r["id"], r["name"]))
            .collect(),
        added_enterprises: plan.enterprises.len(),
        written,
    })
}

/// What an ingest of yearbook tables found and did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PanelOutcome {
    /// Per table: the file and what its columns are (`years`, `regions`, `indicators`).
    pub tables: Vec<(String, String)>,
    /// Values read (to add).
    pub values: usize,
    /// Values the workspace already has, equal.
    pub existing: usize,
    pub note_rows: usize,
    pub unmatched: Vec<Located>,
    pub added_regions: Vec<String>,
    pub written: Option<commit::Written>,
}

/// `chainlens ingest indicators`: yearbook tables into the workspace's indicator panel
/// (module [`yearbook`]).
pub fn indicators(
    root: &Path,
    files: &[(std::path::PathBuf, String)],
    map: &MapFile,
    options: &Options,
) -> crate::Result<PanelOutcome> {
    let (ws, limits) = existing_workspace(root)?;
    let empty = chainlens_model::Dataset::default();
    let mut dataset = ws.as_ref().map_or(empty, |w| w.dataset.clone());
    let country = ws.as_ref().and_then(|w| w.config.workspace.country.clone());
    let mut plan = plan::Plan::default();
    let mut out = PanelOutcome {
        tables: Vec::new(),
        values: 0,
        existing: 0,
        note_rows: 0,
        unmatched: Vec::new(),
        added_regions: Vec::new(),
        written: None,
    };
    let mut problems = Vec::new();
    for (path, shown) in files {
        let read = crate::table::read_grid(path, shown, map.sheet.as_deref(), &limits.records())
            .and_then(|g| {
                yearbook::read_yearbook(&g, map, &dataset, country.as_deref()).map(|r| (g.file, r))
            });
        match read {
            Ok((file, r)) => {
                out.tables.push((file, r.columns.clone()));
                out.values += r.values.len();
                out.existing += r.existing;
                out.note_rows += r.note_rows;
                out.unmatched.extend(r.unmatched);
                // Later tables see the regions and values of earlier ones.
                for row in &r.regions {
                    out.added_regions
                        .push(format!("{} {}", row["id"], row["name"]));
                    dataset.regions.push(chainlens_model::Region {
                        id: row["id"].clone(),
                        name: row["name"].clone(),
                        level: chainlens_model::RegionLevel::parse(&row["level"])
                            .unwrap_or(chainlens_model::RegionLevel::City),
                        parent: None,
                        group: None,
                        neighbours: Vec::new(),
                        latitude: None,
                        longitude: None,
                    });
                }
                for v in &r.values {
                    dataset.indicators.push(chainlens_model::IndicatorValue {
                        region: v["region"].clone(),
                        chain: None,
                        year: v["year"].parse().unwrap_or_default(),
                        indicator: v["indicator"].clone(),
                        value: v["value"].parse().unwrap_or_default(),
                        source: None,
                        imputed: false,
                    });
                }
                plan.regions.extend(r.regions);
                plan.indicators.extend(r.values);
            }
            Err(p) => problems.push(p),
        }
    }
    if !problems.is_empty() {
        return Err(crate::Error::Invalid { problems });
    }
    if out.unmatched.is_empty() || options.skip_unmatched {
        out.written =
            Some(commit::commit(root, &plan, options.dry_run)?).filter(|_| !options.dry_run);
    }
    Ok(out)
}

/// What an ingest of tables of purchases found and did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LinksOutcome {
    /// Per table: the file and the year kept.
    pub tables: Vec<(String, Option<i32>)>,
    /// Purchase rows summed, and rows of other years left out.
    pub rows: usize,
    pub other_years: usize,
    /// Links to add, and links the workspace already has.
    pub links: usize,
    pub existing: usize,
    pub note_rows: usize,
    pub unmatched: Vec<Located>,
    pub written: Option<commit::Written>,
}

/// `chainlens ingest supply-links`: tables of purchases into the workspace's supply links
/// (module [`purchases`]). The workspace must exist: links join its enterprises.
pub fn supply_links(
    root: &Path,
    files: &[(std::path::PathBuf, String)],
    map: &MapFile,
    options: &Options,
) -> crate::Result<LinksOutcome> {
    let ws = crate::workspace::Workspace::load(root)?;
    let mut dataset = ws.dataset.clone();
    let mut plan = plan::Plan::default();
    let mut out = LinksOutcome {
        tables: Vec::new(),
        rows: 0,
        other_years: 0,
        links: 0,
        existing: 0,
        note_rows: 0,
        unmatched: Vec::new(),
        written: None,
    };
    let mut problems = Vec::new();
    for (path, shown) in files {
        let read = crate::table::read_grid(
            path,
            shown,
            map.sheet.as_deref(),
            &ws.config.limits.records(),
        )
        .and_then(|g| purchases::read_purchases(&g, map, &dataset).map(|r| (g.file, r)));
        match read {
            Ok((file, r)) => {
                out.tables.push((file, r.year));
                out.rows += r.rows;
                out.other_years += r.other_years;
                out.links += r.links.len();
                out.existing += r.existing;
                out.note_rows += r.note_rows;
                out.unmatched.extend(r.unmatched);
                // A later table's link between the same firms is existing, not a duplicate.
                for l in &r.links {
                    dataset.supply_links.push(chainlens_model::SupplyLink {
                        supplier: l["supplier"].clone(),
                        buyer: l["buyer"].clone(),
                        chain: l.get("chain").cloned(),
                        stage: l.get("stage").cloned(),
                        value: None,
                        share: None,
                        lead_time_days: None,
                        inventory_days: None,
                        essential: false,
                        receivable: None,
                        overdue_days: None,
                    });
                }
                plan.supply_links.extend(r.links);
            }
            Err(p) => problems.push(p),
        }
    }
    if !problems.is_empty() {
        return Err(crate::Error::Invalid { problems });
    }
    if out.unmatched.is_empty() || options.skip_unmatched {
        out.written =
            Some(commit::commit(root, &plan, options.dry_run)?).filter(|_| !options.dry_run);
    }
    Ok(out)
}
