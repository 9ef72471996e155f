//! Folders written by pymrio's `IOSystem.save_all` (Stadler 2021, pymrio 0.7), so that every
//! database pymrio parses (EXIOBASE, OECD ICIO, Eora, GLORIA, WIOD) reaches ChainLens.
//!
//! Layout: `file_parameters.json` lists the files of the system
//! (`{"files": {"Z": {"name": "Z.txt", "nr_index_col": "2", "nr_header": "2"}, …}}`);
//! each matrix is tab-separated text written by pandas: `nr_header` header lines (one per
//! column-index level: region, then sector or category), a line with the index names, then
//! one line per row whose first `nr_index_col` cells are the row labels. Extensions are
//! sub-folders with their own `file_parameters.json` (`"systemtype": "Extension"`) and `F.txt`
//! (stressors × industries). Z and Y are required; `x.txt`, when present, is the published
//! output and is checked against Z·1 + Y·1. Extension rows are named
//! `<folder>: <stressor> / <compartment>`.

use super::{IoReadError, Result, check_identity, load, number, position, text};
use crate::limits::TableLimits;
use crate::table::RawTable;
use chainlens_model::io_table::Extension;
use chainlens_model::{FinalDemandLabel, Industry, IoTable, Matrix};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize)]
struct Parameters {
    files: BTreeMap<String, FileParameters>,
    #[serde(default)]
    systemtype: Option<String>,
}

#[derive(Deserialize)]
struct FileParameters {
    name: String,
    nr_index_col: String,
    nr_header: String,
}

/// A pandas-written matrix: column labels (one Vec per column), row labels, values.
struct Frame {
    raw: RawTable,
    columns: Vec<Vec<String>>,
    rows: Vec<Vec<String>>,
    first_record: usize,
    index_cols: usize,
}

impl Frame {
    fn value(&self, r: usize, c: usize) -> Result<f64> {
        number(
            &self.raw,
            self.first_record + r,
            self.index_cols + c,
            Some(0.0),
        )
    }
}

fn parameters(dir: &Path) -> Result<Parameters> {
    let path = dir.join("file_parameters.json");
    let text = std::fs::read_to_string(&path).map_err(|e| IoReadError::Layout {
        path: path.clone(),
        message: format!("cannot read: {e}"),
    })?;
    serde_json::from_str(&text).map_err(|e| IoReadError::Layout {
        path,
        message: format!("not a pymrio file_parameters.json: {e}"),
    })
}

fn frame(
    dir: &Path,
    params: &Parameters,
    key: &str,
    limits: &TableLimits,
) -> Result<Option<Frame>> {
    let Some(fp) = params.files.get(key) else {
        return Ok(None);
    };
    let bad = |what: &str| IoReadError::Layout {
        path: dir.join("file_parameters.json"),
        message: format!("`{key}`: {what} is not a number"),
    };
    let index_cols: usize = fp.nr_index_col.parse().map_err(|_| bad("nr_index_col"))?;
    let headers: usize = fp.nr_header.parse().map_err(|_| bad("nr_header"))?;
    let path = dir.join(&fp.name);
    if path.extension().and_then(|e| e.to_str()) != Some("txt") {
        return Err(IoReadError::Layout {
            path,
            message: "only the text format of save_all is read (save with format=\"txt\")".into(),
        });
    }
    let raw = load(&path, None, limits)?;
    let width = raw.header.len();
    let mut columns: Vec<Vec<String>> = (index_cols..width)
        .map(|c| vec![raw.header[c].clone()])
        .collect();
    for level in 1..headers {
        for (k, c) in (index_cols..width).enumerate() {
            columns[k].push(text(&raw, level - 1, c));
        }
    }
    let mut first_record = headers.saturating_sub(1);
    // pandas writes the index names on a line of their own, empty under the columns.
    if first_record < raw.rows.len()
        && (index_cols..width).all(|c| raw.rows[first_record].cells[c].is_none())
    {
        first_record += 1;
    }
    let rows = (first_record..raw.rows.len())
        .map(|r| (0..index_cols).map(|c| text(&raw, r, c)).collect())
        .collect();
    Ok(Some(Frame {
        raw,
        columns,
        rows,
        first_record,
        index_cols,
    }))
}

/// Reads a pymrio `save_all` folder.
pub fn read(dir: &Path, limits: &TableLimits) -> Result<IoTable> {
    let params = parameters(dir)?;
    if params
        .systemtype
        .as_deref()
        .is_some_and(|s| s != "IOSystem")
    {
        return Err(IoReadError::Layout {
            path: dir.to_path_buf(),
            message: "this is a pymrio extension folder, not an IO system".into(),
        });
    }
    let need = |key: &str| -> Result<Frame> {
        frame(dir, &params, key, limits)?.ok_or_else(|| IoReadError::Layout {
            path: dir.to_path_buf(),
            message: format!("pymrio folder without `{key}` (save the system with Z and Y)"),
        })
    };
    let z = need("Z")?;
    let y = need("Y")?;
    let industries: Vec<Industry> = z
        .rows
        .iter()
        .map(|l| Industry {
            region: l.first().cloned().unwrap_or_default(),
            sector: l.get(1).cloned().unwrap_or_default(),
        })
        .collect();
    let n = industries.len();
    for (k, c) in z.columns.iter().enumerate() {
        let ind = industries.get(k);
        if ind.is_none_or(|i| c.first() != Some(&i.region) || c.get(1) != Some(&i.sector)) {
            return Err(IoReadError::Located(z.raw.problem(
                z.raw.header_cell(Some(z.index_cols + k)),
                None,
                format!("column `{}` does not match the row order of Z", c.join("|")),
            )));
        }
    }
    if z.columns.len() != n || y.rows.len() != n {
        return Err(IoReadError::Layout {
            path: dir.to_path_buf(),
            message: format!(
                "Z is {n} × {} and Y has {} rows",
                z.columns.len(),
                y.rows.len()
            ),
        });
    }
    let mut zm = Matrix::zeros(n, n);
    for i in 0..n {
        for j in 0..n {
            zm.set(i, j, z.value(i, j)?);
        }
    }
    let k = y.columns.len();
    let mut ym = Matrix::zeros(n, k);
    for i in 0..n {
        for c in 0..k {
            ym.set(i, c, y.value(i, c)?);
        }
    }
    let final_demand_labels = y
        .columns
        .iter()
        .map(|c| FinalDemandLabel {
            region: c.first().cloned().unwrap_or_default(),
            category: c.get(1).cloned().unwrap_or_default(),
        })
        .collect();
    let published_output = match frame(dir, &params, "x", limits)? {
        Some(x) => {
            let values: Vec<f64> = (0..n).map(|i| x.value(i, 0)).collect::<Result<_>>()?;
            let total: Vec<f64> = zm
                .row_sums()
                .iter()
                .zip(ym.row_sums())
                .map(|(a, b)| a + b)
                .collect();
            let labels: Vec<String> = industries.iter().map(Industry::label).collect();
            let file = x.raw.file.clone();
            check_identity(
                &file,
                "output (Z·1 + Y·1 vs x)",
                &labels,
                &total,
                &values,
                &values,
                |i| position(&x.raw, x.first_record + i, x.index_cols),
            )?;
            Some(values)
        }
        None => None,
    };
    let mut extensions = Vec::new();
    let mut subdirs: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| IoReadError::Layout {
            path: dir.to_path_buf(),
            message: format!("cannot list: {e}"),
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && p.join("file_parameters.json").is_file())
        .collect();
    subdirs.sort();
    for sub in subdirs {
        let p = parameters(&sub)?;
        let Some(f) = frame(&sub, &p, "F", limits)? else {
            continue;
        };
        let stem = sub
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let cols: Vec<usize> = industries
            .iter()
            .map(|ind| {
                f.columns
                    .iter()
                    .position(|c| c.first() == Some(&ind.region) && c.get(1) == Some(&ind.sector))
                    .ok_or_else(|| {
                        IoReadError::Located(f.raw.problem(
                            f.raw.header_cell(None),
                            None,
                            format!("no column for industry `{}`", ind.label()),
                        ))
                    })
            })
            .collect::<Result<_>>()?;
        for (r, label) in f.rows.iter().enumerate() {
            let values = cols
                .iter()
                .map(|&c| f.value(r, c))
                .collect::<Result<Vec<f64>>>()?;
            extensions.push(Extension {
                name: format!("{stem}: {}", label.join(" / ")),
                unit: None,
                values,
            });
        }
    }
    let name = dir
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(IoTable {
        name,
        unit: None,
        industries,
        z: zm,
        final_demand_labels,
        y: ym,
        value_added_labels: Vec::new(),
        v: Matrix::zeros(0, n),
        extensions,
        published_output,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pymrio test system saved by `save_all` (fixture of chainlens-linkage).
    fn fixture() -> std::path::PathBuf {
        std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../chainlens-linkage/tests/fixtures/pymrio_test_saved"
        ))
    }

    #[test]
    fn reads_a_save_all_folder() {
        let t = read(&fixture(), &crate::Limits::default().io_tables()).unwrap();
        t.check().unwrap();
        assert_eq!(t.len(), 48);
        assert_eq!(t.y.cols(), 42);
        assert_eq!(t.industries[8].label(), "reg2|food");
        assert!(
            t.extensions
                .iter()
                .any(|e| e.name == "emissions: emission_type1 / air")
        );
        assert!(
            t.extensions
                .iter()
                .any(|e| e.name == "factor_inputs: Value Added")
        );
    }
}
