//! Readers of published input-output table layouts into [`chainlens_model::IoTable`].
//!
//! | layout | what | reader |
//! |---|---|---|
//! | `matrix` | folder with `Z.csv`, `Y.csv`, optional `value_added.csv` and `<name>_F.csv` extensions; first columns `region,sector`, other headers `region\|sector` (or a workbook with sheets `Z`, `Y`, `value_added`) | [`matrix`] |
//! | `nbs` | China NBS tables: 42-sector non-competitive (domestic + import blocks, read as the domestic Leontief model) and 149/153-sector competitive | [`nbs`] |
//! | `wiod` | WIOD world table (`IndustryCode…, Country, …, CCC_IND…, xTOT_xGO`) | [`wiod`] |
//! | `pymrio` | a folder written by pymrio's `save_all` (`file_parameters.json`, tab-separated `Z.txt`, `Y.txt`, extension folders) | [`pymrio`] |
//!
//! [`detect`] picks the layout from the folder's files or the table's header. Every
//! number is parsed with its position: a bad cell is `file:row:column: reason`, row 1 being
//! the header as a spreadsheet shows it. Where the publisher prints totals, the reader
//! checks the accounting identities against them and reports the worst row or column
//! with the size of its gap ([`IoReadError::Imbalance`]) instead of fixing anything.
//!
//! Value-added rows that are primary inputs but not value added (imported intermediate
//! inputs, taxes on products, …) are kept in V so that columns balance, with labels
//! starting with [`OTHER_PRIMARY_INPUT`] (the convention `chainlens-linkage` reads).

pub mod matrix;
pub mod nbs;
pub mod pymrio;
pub mod wiod;

use crate::Located;
use crate::limits::TableLimits;
use crate::table::{RawTable, parse_csv, read_bytes, read_sheet};
use chainlens_model::problem::echo;
use chainlens_model::{IoTable, IoTableError};
use std::path::{Path, PathBuf};

/// Label prefix of a V row that is not value added (see the module docs).
pub const OTHER_PRIMARY_INPUT: &str = "other primary input: ";

/// Relative tolerance of the published identities.
pub const BALANCE_TOLERANCE: f64 = 1e-6;

/// The supported layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    Matrix,
    Nbs,
    Wiod,
    Pymrio,
}

impl Layout {
    pub fn name(self) -> &'static str {
        match self {
            Layout::Matrix => "matrix",
            Layout::Nbs => "nbs",
            Layout::Wiod => "wiod",
            Layout::Pymrio => "pymrio",
        }
    }
}

impl std::str::FromStr for Layout {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "matrix" => Ok(Layout::Matrix),
            "nbs" => Ok(Layout::Nbs),
            "wiod" => Ok(Layout::Wiod),
            "pymrio" => Ok(Layout::Pymrio),
            other => Err(format!(
                "unknown layout `{other}` (matrix, nbs, wiod or pymrio)"
            )),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IoReadError {
    /// A file that cannot be read or parsed, or a bad cell, with its place.
    #[error("{0}")]
    Located(Located),
    #[error("{}: {message}", path.display())]
    Layout { path: PathBuf, message: String },
    /// A published identity fails: the worst row or column and its gap.
    #[error(
        "{file}:{row}:{column}: the table does not balance: {what} of `{label}` is off by {gap:.6e} ({relative:.3e} of {total:.6e})"
    )]
    Imbalance {
        file: String,
        what: String,
        label: String,
        row: usize,
        column: usize,
        gap: f64,
        relative: f64,
        total: f64,
    },
    #[error("{file}: {source}")]
    Table {
        file: String,
        #[source]
        source: IoTableError,
    },
}

impl From<Located> for IoReadError {
    fn from(l: Located) -> Self {
        IoReadError::Located(l)
    }
}

pub type Result<T, E = IoReadError> = std::result::Result<T, E>;

/// Reads a table in the given layout, or in the detected one when `layout` is `None`.
pub fn read(
    path: &Path,
    layout: Option<Layout>,
    limits: &TableLimits,
) -> Result<(IoTable, Layout)> {
    let layout = match layout {
        Some(l) => l,
        None => detect(path, limits)?,
    };
    let table = match layout {
        Layout::Matrix => matrix::read(path, limits)?,
        Layout::Nbs => nbs::read(path, limits)?,
        Layout::Wiod => wiod::read(path, limits)?,
        Layout::Pymrio => pymrio::read(path, limits)?,
    };
    table.check().map_err(|source| IoReadError::Table {
        file: path.display().to_string(),
        source,
    })?;
    Ok((table, layout))
}

/// Detects the layout: a folder with `file_parameters.json` is pymrio, one with `Z.csv`
/// (or a workbook with a sheet `Z`) is matrix; a single table is WIOD when its header
/// has `IndustryCode`/`Country` and a `…_xGO` column, NBS when it has `Code` and `GO`.
pub fn detect(path: &Path, limits: &TableLimits) -> Result<Layout> {
    let layout_err = |message: String| IoReadError::Layout {
        path: path.to_path_buf(),
        message,
    };
    if path.is_dir() {
        if path.join("file_parameters.json").is_file() {
            return Ok(Layout::Pymrio);
        }
        if matrix::find(path, "Z").is_some() {
            return Ok(Layout::Matrix);
        }
        return Err(layout_err(
            "folder holds neither Z.csv (matrix layout) nor file_parameters.json (pymrio save_all)"
                .into(),
        ));
    }
    if !path.is_file() {
        return Err(layout_err("no such file or folder".into()));
    }
    if is_workbook(path) {
        let wb = calamine::open_workbook_auto(path)
            .map_err(|e| layout_err(format!("cannot open workbook: {e}")))?;
        use calamine::Reader;
        if wb.sheet_names().iter().any(|s| s == "Z") {
            return Ok(Layout::Matrix);
        }
    }
    let raw = load(path, None, limits).map_err(|e| {
        layout_err(format!(
            "cannot tell the layout ({e}): give --layout matrix|nbs|wiod|pymrio"
        ))
    })?;
    let has = |name: &str| raw.header.iter().any(|h| h == name);
    if has("Country") && raw.header.iter().any(|h| h.ends_with("_xGO")) {
        return Ok(Layout::Wiod);
    }
    if has("Code") && has("GO") {
        return Ok(Layout::Nbs);
    }
    Err(layout_err(
        "cannot tell the layout from the header: give --layout matrix|nbs|wiod|pymrio".into(),
    ))
}

pub(crate) fn is_workbook(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("xlsx" | "xlsm" | "xls" | "ods")
    )
}

/// Reads a CSV/TSV file (any encoding `table::decode` accepts) or a workbook's sheet
/// (the first sheet when `sheet` is `None`) as a raw table.
pub(crate) fn load(path: &Path, sheet: Option<&str>, limits: &TableLimits) -> Result<RawTable> {
    let shown = path.display().to_string();
    if is_workbook(path) {
        let sheet = match sheet {
            Some(s) => s.to_owned(),
            None => {
                use calamine::Reader;
                let wb = calamine::open_workbook_auto(path).map_err(|e| {
                    Located::whole_file(&shown, format!("cannot open workbook: {e}"))
                })?;
                wb.sheet_names()
                    .first()
                    .cloned()
                    .ok_or_else(|| Located::whole_file(&shown, "workbook has no sheet"))?
            }
        };
        return Ok(read_sheet(path, &shown, &sheet, limits)?);
    }
    let bytes = read_bytes(path, &shown, limits, true)?;
    let tab = path.extension().and_then(|e| e.to_str()) == Some("txt");
    Ok(parse_csv(
        &bytes,
        &shown,
        if tab { b'\t' } else { b',' },
        limits,
    )?)
}

/// Parses cell (record, column) of a raw table as a number; an empty cell is an error
/// unless `empty` gives its value.
pub(crate) fn number(
    raw: &RawTable,
    record: usize,
    column: usize,
    empty: Option<f64>,
) -> Result<f64> {
    let cell = raw.rows[record]
        .cells
        .get(column)
        .and_then(|c| c.as_deref());
    let bad = |message: String| {
        IoReadError::Located(raw.problem(
            raw.cell(record, Some(column)),
            raw.header.get(column).map(String::as_str),
            message,
        ))
    };
    match cell {
        None => empty.ok_or_else(|| bad("empty cell: expected a number".into())),
        Some(text) => match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            Ok(v) => Err(bad(format!("`{v}` is not a finite number"))),
            Err(_) if text.eq_ignore_ascii_case("nan") || text == "NA" => {
                empty.ok_or_else(|| bad(format!("`{text}`: expected a number", text = echo(text))))
            }
            Err(_) => Err(bad(format!("`{text}` is not a number", text = echo(text)))),
        },
    }
}

/// Text of cell (record, column), empty string when missing.
pub(crate) fn text(raw: &RawTable, record: usize, column: usize) -> String {
    raw.rows[record]
        .cells
        .get(column)
        .and_then(|c| c.clone())
        .unwrap_or_default()
}

/// Column index of a required header, or an error naming the file.
pub(crate) fn column(raw: &RawTable, name: &str) -> Result<usize> {
    raw.column(name).ok_or_else(|| {
        IoReadError::Located(raw.problem(
            raw.header_cell(None),
            None,
            format!("missing column `{name}`", name = echo(name)),
        ))
    })
}

/// The spreadsheet row and column of a record/column pair (row 1 = header).
pub(crate) fn position(raw: &RawTable, record: usize, column: usize) -> (usize, usize) {
    (raw.rows.get(record).map_or(1, |r| r.position), column + 1)
}

/// Checks `computed` against `published` (one value per row or column), relative to
/// `scale` (usually the sector's gross output), returning the worst gap when it exceeds
/// the tolerance.
pub(crate) fn check_identity(
    file: &str,
    what: &str,
    labels: &[String],
    computed: &[f64],
    published: &[f64],
    scale: &[f64],
    place: impl Fn(usize) -> (usize, usize),
) -> Result<()> {
    let mut worst: Option<(usize, f64, f64)> = None;
    for i in 0..computed.len() {
        let gap = published[i] - computed[i];
        let scale = scale[i].abs().max(published[i].abs()).max(1.0);
        let rel = gap.abs() / scale;
        if worst.is_none_or(|(_, _, r)| rel > r) {
            worst = Some((i, gap, rel));
        }
    }
    if let Some((i, gap, relative)) = worst
        && relative > BALANCE_TOLERANCE
    {
        let (row, column) = place(i);
        return Err(IoReadError::Imbalance {
            file: file.to_owned(),
            what: what.to_owned(),
            label: labels[i].clone(),
            row,
            column,
            gap,
            relative,
            total: published[i],
        });
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The shared data folder, or `None` (and a note) when it is not there.
    pub(crate) fn shared_io() -> Option<PathBuf> {
        let p = PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/io"
        ));
        if p.is_dir() {
            Some(p)
        } else {
            println!("skipped: ../shared/data not found");
            None
        }
    }

    #[test]
    fn detects_every_shared_table() {
        let Some(io) = shared_io() else { return };
        assert_eq!(
            detect(
                &io.join("pymrio_test_mrio"),
                &crate::Limits::default().io_tables()
            )
            .unwrap(),
            Layout::Matrix
        );
        assert_eq!(
            detect(
                &io.join("china_nbs_national_io/china_2017_42.csv"),
                &crate::Limits::default().io_tables()
            )
            .unwrap(),
            Layout::Nbs
        );
        assert_eq!(
            detect(
                &io.join("china_nbs_national_io/china_2018_153.csv"),
                &crate::Limits::default().io_tables()
            )
            .unwrap(),
            Layout::Nbs
        );
        assert_eq!(
            detect(
                &io.join("wiod_longrun_2000/WIODlr_WIOT_2000.csv"),
                &crate::Limits::default().io_tables()
            )
            .unwrap(),
            Layout::Wiod
        );
        let e = detect(&io.join("README.md"), &crate::Limits::default().io_tables()).unwrap_err();
        assert!(e.to_string().contains("--layout"), "{e}");
    }

    #[test]
    fn bad_cells_name_file_row_and_column() {
        let raw = parse_csv(
            b"a,b\n1,x\n",
            "t.csv",
            b',',
            &crate::Limits::default().io_tables(),
        )
        .unwrap();
        let e = number(&raw, 0, 1, None).unwrap_err();
        assert_eq!(e.to_string(), "t.csv:2:2: b: `x` is not a number");
        let raw = parse_csv(
            b"a,b\n1,\n",
            "t.csv",
            b',',
            &crate::Limits::default().io_tables(),
        )
        .unwrap();
        assert!(
            number(&raw, 0, 1, None)
                .unwrap_err()
                .to_string()
                .contains("t.csv:2:2")
        );
        assert_eq!(number(&raw, 0, 1, Some(0.0)).unwrap(), 0.0);
    }
}
