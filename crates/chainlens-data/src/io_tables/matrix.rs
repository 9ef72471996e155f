//! The `matrix` layout: one file per matrix, labelled rows and columns.
//!
//! A folder with `Z.csv` (n × n intermediate flows), `Y.csv` (n × k final demand) and
//! optionally `value_added.csv` (one row per industry, one column per value-added
//! category, read as the m × n matrix V) and extension files `<name>_F.csv` (one row per
//! stressor, label columns first, then one column per industry). Row labels are the first
//! two columns `region,sector`; column headers are `region|sector` (`region|category` for
//! final demand) and must list the industries in the row order. The same tables may be
//! sheets `Z`, `Y`, `value_added` of one workbook. This is the layout of
//! `../shared/data/io/pymrio_test_mrio`.
//!
//! Total output is not published in this layout: x = Z·1 + Y·1 (as pymrio defines it); the
//! column identity is left to the analysis to report.

use super::{IoReadError, Result, is_workbook, load, number, text};
use crate::limits::TableLimits;
use crate::table::RawTable;
use chainlens_model::io_table::Extension;
use chainlens_model::{FinalDemandLabel, Industry, IoTable, Matrix};
use std::path::{Path, PathBuf};

/// The file of table `name` (`Z`, `Y`, `value_added`) in a matrix folder, if present.
pub fn find(dir: &Path, name: &str) -> Option<PathBuf> {
    ["csv", "CSV", "tsv"]
        .iter()
        .map(|ext| dir.join(format!("{name}.{ext}")))
        .find(|p| p.is_file())
}

/// Reads a matrix folder (or workbook).
pub fn read(path: &Path, limits: &TableLimits) -> Result<IoTable> {
    let (z, y, va) = if is_workbook(path) {
        use calamine::Reader;
        let wb = calamine::open_workbook_auto(path).map_err(|e| IoReadError::Layout {
            path: path.to_path_buf(),
            message: format!("cannot open workbook: {e}"),
        })?;
        let has_va = wb.sheet_names().iter().any(|s| s == "value_added");
        (
            load(path, Some("Z"), limits)?,
            load(path, Some("Y"), limits)?,
            if has_va {
                Some(load(path, Some("value_added"), limits)?)
            } else {
                None
            },
        )
    } else {
        let need = |name: &str| {
            find(path, name).ok_or_else(|| IoReadError::Layout {
                path: path.to_path_buf(),
                message: format!("matrix layout: `{name}.csv` is missing"),
            })
        };
        let z = load(&need("Z")?, None, limits)?;
        let y = load(&need("Y")?, None, limits)?;
        let va = match find(path, "value_added") {
            Some(p) => Some(load(&p, None, limits)?),
            None => None,
        };
        (z, y, va)
    };
    let industries = row_labels(&z)?;
    let n = industries.len();
    let zcols = column_labels(&z)?;
    for (c, label) in zcols.iter().enumerate() {
        let expected = industries.get(c).map(Industry::label);
        if expected.as_deref() != Some(label.as_str()) {
            return Err(IoReadError::Located(z.problem(
                z.header_cell(Some(c + 2)),
                None,
                format!(
                    "column `{label}` does not match row {} (`{}`): Z must list the industries in the same order",
                    c + 1,
                    expected.unwrap_or_default()
                ),
            )));
        }
    }
    if zcols.len() != n {
        return Err(IoReadError::Located(z.problem(
            z.header_cell(None),
            None,
            format!("Z has {n} rows but {} industry columns", zcols.len()),
        )));
    }
    let zm = block(&z, n, n)?;
    check_rows(&y, &industries)?;
    let fd: Vec<FinalDemandLabel> = column_labels(&y)?
        .into_iter()
        .map(|h| match h.split_once('|') {
            Some((r, c)) => FinalDemandLabel {
                region: r.to_owned(),
                category: c.to_owned(),
            },
            None => FinalDemandLabel {
                region: String::new(),
                category: h,
            },
        })
        .collect();
    let ym = block(&y, n, fd.len())?;
    let (va_labels, v) = match va {
        Some(va) => {
            check_rows(&va, &industries)?;
            let labels: Vec<String> = va.header[2..].to_vec();
            let t = block(&va, n, labels.len())?;
            let mut v = Matrix::zeros(labels.len(), n);
            for i in 0..n {
                for r in 0..labels.len() {
                    v.set(r, i, t.get(i, r));
                }
            }
            (labels, v)
        }
        None => (Vec::new(), Matrix::zeros(0, n)),
    };
    let extensions = if path.is_dir() {
        read_extensions(path, &industries, limits)?
    } else {
        Vec::new()
    };
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(IoTable {
        name,
        unit: None,
        industries,
        z: zm,
        final_demand_labels: fd,
        y: ym,
        value_added_labels: va_labels,
        v,
        extensions,
        published_output: None,
    })
}

/// `region,sector` of every row.
fn row_labels(raw: &RawTable) -> Result<Vec<Industry>> {
    if raw.header.len() < 2 || raw.header[0] != "region" || raw.header[1] != "sector" {
        return Err(IoReadError::Located(raw.problem(
            raw.header_cell(Some(0)),
            None,
            "the first two columns must be `region,sector`",
        )));
    }
    Ok((0..raw.rows.len())
        .map(|r| Industry {
            region: text(raw, r, 0),
            sector: text(raw, r, 1),
        })
        .collect())
}

fn column_labels(raw: &RawTable) -> Result<Vec<String>> {
    Ok(raw.header.iter().skip(2).cloned().collect())
}

fn check_rows(raw: &RawTable, industries: &[Industry]) -> Result<()> {
    let rows = row_labels(raw)?;
    if rows.len() != industries.len() {
        return Err(IoReadError::Located(raw.problem(
            raw.header_cell(None),
            None,
            format!("{} rows, but Z has {}", rows.len(), industries.len()),
        )));
    }
    for (r, (got, want)) in rows.iter().zip(industries).enumerate() {
        if got != want {
            return Err(IoReadError::Located(raw.problem(
                raw.cell(r, Some(0)),
                Some("region"),
                format!("row `{}` where Z has `{}`", got.label(), want.label()),
            )));
        }
    }
    Ok(())
}

/// The numeric block right of the two label columns.
fn block(raw: &RawTable, rows: usize, cols: usize) -> Result<Matrix> {
    let mut m = Matrix::zeros(rows, cols);
    for r in 0..rows {
        for c in 0..cols {
            m.set(r, c, number(raw, r, c + 2, None)?);
        }
    }
    Ok(m)
}

/// `<name>_F.csv` files: one extension per row.
fn read_extensions(
    dir: &Path,
    industries: &[Industry],
    limits: &TableLimits,
) -> Result<Vec<Extension>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| IoReadError::Layout {
            path: dir.to_path_buf(),
            message: format!("cannot list: {e}"),
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|f| f.to_str())
                .is_some_and(|f| f.ends_with("_F.csv"))
        })
        .collect();
    files.sort();
    let labels: Vec<String> = industries.iter().map(Industry::label).collect();
    let mut out = Vec::new();
    for file in files {
        let stem = file
            .file_name()
            .and_then(|f| f.to_str())
            .map(|f| f.trim_end_matches("_F.csv").to_owned())
            .unwrap_or_default();
        let raw = load(&file, None, limits)?;
        let first = raw
            .header
            .iter()
            .position(|h| h.contains('|'))
            .unwrap_or(raw.header.len());
        let cols: Vec<usize> = labels
            .iter()
            .map(|l| {
                raw.column(l).ok_or_else(|| {
                    IoReadError::Located(raw.problem(
                        raw.header_cell(None),
                        None,
                        format!("no column for industry `{l}`"),
                    ))
                })
            })
            .collect::<Result<_>>()?;
        for r in 0..raw.rows.len() {
            let name: Vec<String> = (0..first).map(|c| text(&raw, r, c)).collect();
            let values = cols
                .iter()
                .map(|&c| number(&raw, r, c, None))
                .collect::<Result<Vec<f64>>>()?;
            out.push(Extension {
                name: format!("{stem}: {}", name.join(" / ")),
                unit: None,
                values,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io_tables::tests::shared_io;

    #[test]
    fn reads_the_pymrio_test_system() {
        let Some(io) = shared_io() else { return };
        let t = read(
            &io.join("pymrio_test_mrio"),
            &crate::Limits::default().io_tables(),
        )
        .unwrap();
        assert_eq!(t.len(), 48);
        assert_eq!(t.regions().len(), 6);
        assert_eq!(t.industries[2].sector, "manufactoring");
        assert_eq!(t.y.cols(), 42);
        assert_eq!(t.final_demand_labels[0].region, "reg1");
        assert_eq!(
            t.value_added_labels,
            vec!["va_factor_inputs", "va_residual"]
        );
        let names: Vec<&str> = t.extensions.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "emissions: emission_type1 / air",
                "emissions: emission_type2 / water",
                "factor_inputs: Value Added"
            ]
        );
        // x = Z·1 + Y·1; va_residual = x − 1ᵀZ.
        let x = t.total_output();
        let cz = t.z.col_sums();
        for j in 0..48 {
            let resid = t.v.get(1, j);
            assert!((x[j] - cz[j] - resid).abs() <= 1e-6 * x[j], "{j}");
        }
    }

    #[test]
    fn mismatched_labels_are_located() {
        let dir = std::env::temp_dir().join(format!("cl-matrix-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("Z.csv"),
            "region,sector,r|a,r|c\nr,a,1,2\nr,b,3,4\n",
        )
        .unwrap();
        std::fs::write(dir.join("Y.csv"), "region,sector,r|hh\nr,a,5\nr,b,x\n").unwrap();
        let e = read(&dir, &crate::Limits::default().io_tables())
            .unwrap_err()
            .to_string();
        assert!(e.contains("Z.csv:1:4") && e.contains("`r|c`"), "{e}");
        std::fs::write(
            dir.join("Z.csv"),
            "region,sector,r|a,r|b\nr,a,1,2\nr,b,3,4\n",
        )
        .unwrap();
        let e = read(&dir, &crate::Limits::default().io_tables())
            .unwrap_err()
            .to_string();
        assert!(e.contains("Y.csv:3:3"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
