//! China's National Bureau of Statistics (NBS) input-output tables, as published.
//!
//! Two layouts (see `../shared/data/io/china_nbs_national_io/README.md`):
//!
//! * **42 sectors, non-competitive imports**: columns `Code, Description,
//!   DescriptionInChinese, Origin, 01..42, TIU, TC, FU201, FU202, EX, TFU, GO`; rows
//!   `Origin = Domestic` (Z_d), `Origin = Imports` (Z_m), then `TII, VA001..VA004, TVA, TI`.
//!   Read as the **domestic Leontief model**: Z = Z_d, final demand = the domestic rows'
//!   TC, FU201, FU202, EX, x = GO; imported intermediate inputs 1ᵀZ_m become a V row
//!   labelled `other primary input: imported intermediate inputs`, so that
//!   1ᵀZ_d + 1ᵀV = x (A_d = Z_d·diag(x)⁻¹ and the import coefficients 1ᵀZ_m·diag(x)⁻¹).
//! * **149/153 sectors, competitive imports**: columns `Code, Description,
//!   DescriptionInChinese, 001.., TIU, FU101, FU102, THC, FU103, TC, FU201, FU202, GCF, EX,
//!   TFU, IM, GO`; imports are a final-use column (positive numbers) and enter Y as the
//!   negative category `IM`, so that Z·1 + Y·1 = TIU + TFU − IM = GO.
//!
//! The published identities are checked, naming the worst row or column: rows
//! Σ_j z_ij = TIU, the final-use components = TFU, GO as above; columns 1ᵀZ (+ 1ᵀZ_m) = TII,
//! Σ VA = TVA, TII + TVA = TI = GO. Codes are read as text (`"01"`, `"001"`).

use super::{
    IoReadError, OTHER_PRIMARY_INPUT, Result, check_identity, column, load, number, position, text,
};
use crate::limits::TableLimits;
use chainlens_model::problem::echo;
use chainlens_model::{FinalDemandLabel, Industry, IoTable, Matrix};
use std::path::Path;

const REGION: &str = "china";

/// Reads an NBS table (either layout, told apart by the `Origin` column).
pub fn read(path: &Path, limits: &TableLimits) -> Result<IoTable> {
    let raw = load(path, None, limits)?;
    let file = raw.file.clone();
    let code = column(&raw, "Code")?;
    let desc = column(&raw, "Description")?;
    let origin = raw.column("Origin");
    let go = column(&raw, "GO")?;
    let tiu = column(&raw, "TIU")?;
    let tfu = column(&raw, "TFU")?;
    // Product rows: Domestic (42) or before `TII` (competitive).
    let product_rows: Vec<usize> = (0..raw.rows.len())
        .filter(|&r| match origin {
            Some(o) => text(&raw, r, o) == "Domestic",
            None => text(&raw, r, code) != "TII" && !is_total_row(&text(&raw, r, code)),
        })
        .collect();
    let import_rows: Vec<usize> = match origin {
        Some(o) => (0..raw.rows.len())
            .filter(|&r| text(&raw, r, o) == "Imports")
            .collect(),
        None => Vec::new(),
    };
    let n = product_rows.len();
    if n == 0 {
        return Err(IoReadError::Layout {
            path: path.to_path_buf(),
            message: "no product rows found".into(),
        });
    }
    // Sector columns follow the label columns, in the order of the product rows.
    let first = if origin.is_some() { 4 } else { 3 };
    for (k, &r) in product_rows.iter().enumerate() {
        let c = first + k;
        let row_code = text(&raw, r, code);
        if raw.header.get(c).map(String::as_str) != Some(row_code.as_str()) {
            return Err(IoReadError::Located(raw.problem(
                raw.header_cell(Some(c)),
                None,
                format!(
                    "expected the column of sector `{row_code}` here",
                    row_code = echo(&row_code)
                ),
            )));
        }
    }
    if tiu != first + n {
        return Err(IoReadError::Located(raw.problem(
            raw.header_cell(Some(tiu)),
            Some("TIU"),
            format!("expected `TIU` right after the {n} sector columns"),
        )));
    }
    let industries: Vec<Industry> = product_rows
        .iter()
        .map(|&r| Industry {
            region: REGION.into(),
            sector: text(&raw, r, desc),
        })
        .collect();
    let labels: Vec<String> = industries.iter().map(|i| i.sector.clone()).collect();
    let mut z = Matrix::zeros(n, n);
    for (i, &r) in product_rows.iter().enumerate() {
        for j in 0..n {
            z.set(i, j, number(&raw, r, first + j, None)?);
        }
    }
    let x: Vec<f64> = product_rows
        .iter()
        .map(|&r| number(&raw, r, go, None))
        .collect::<Result<_>>()?;

    let (fd_cols, negative): (Vec<&str>, Option<&str>) = if origin.is_some() {
        (vec!["TC", "FU201", "FU202", "EX"], None)
    } else {
        (
            vec!["FU101", "FU102", "FU103", "FU201", "FU202", "EX"],
            Some("IM"),
        )
    };
    let mut fd_idx = Vec::new();
    for name in &fd_cols {
        fd_idx.push(column(&raw, name)?);
    }
    let im = match negative {
        Some(name) => Some(column(&raw, name)?),
        None => None,
    };
    let k = fd_idx.len() + usize::from(im.is_some());
    let mut y = Matrix::zeros(n, k);
    let mut fd_sum = vec![0.0; n];
    for (i, &r) in product_rows.iter().enumerate() {
        for (c, &col) in fd_idx.iter().enumerate() {
            let v = number(&raw, r, col, Some(0.0))?;
            y.set(i, c, v);
            fd_sum[i] += v;
        }
        if let Some(col) = im {
            y.set(i, k - 1, -number(&raw, r, col, Some(0.0))?);
        }
    }
    let mut final_demand_labels: Vec<FinalDemandLabel> = fd_cols
        .iter()
        .map(|c| FinalDemandLabel {
            region: REGION.into(),
            category: (*c).into(),
        })
        .collect();
    if let Some(name) = negative {
        final_demand_labels.push(FinalDemandLabel {
            region: REGION.into(),
            category: name.into(),
        });
    }

    // Row identities.
    let (raw_ref, rows_ref) = (&raw, &product_rows);
    let at = |col: usize| move |i: usize| position(raw_ref, rows_ref[i], col);
    let row_z: Vec<f64> = z.row_sums();
    let pub_tiu: Vec<f64> = product_rows
        .iter()
        .map(|&r| number(&raw, r, tiu, None))
        .collect::<Result<_>>()?;
    let pub_tfu: Vec<f64> = product_rows
        .iter()
        .map(|&r| number(&raw, r, tfu, None))
        .collect::<Result<_>>()?;
    check_identity(
        &file,
        "intermediate use (row sum of Z vs TIU)",
        &labels,
        &row_z,
        &pub_tiu,
        &x,
        at(tiu),
    )?;
    check_identity(
        &file,
        "final use (components vs TFU)",
        &labels,
        &fd_sum,
        &pub_tfu,
        &x,
        at(tfu),
    )?;
    let total: Vec<f64> = row_z.iter().zip(y.row_sums()).map(|(a, b)| a + b).collect();
    check_identity(
        &file,
        "gross output (Z·1 + Y·1 vs GO)",
        &labels,
        &total,
        &x,
        &x,
        at(go),
    )?;

    // Column identities.
    let find_row = |name: &str| -> Result<usize> {
        (0..raw.rows.len())
            .find(|&r| text(&raw, r, code) == name)
            .ok_or_else(|| {
                IoReadError::Located(raw.problem(
                    raw.cell(raw.rows.len() - 1, Some(code)),
                    Some("Code"),
                    format!("missing row `{name}`", name = echo(name)),
                ))
            })
    };
    let tii = find_row("TII")?;
    let tva = find_row("TVA")?;
    let ti = find_row("TI")?;
    let va_rows: Vec<usize> = ["VA001", "VA002", "VA003", "VA004"]
        .iter()
        .map(|c| find_row(c))
        .collect::<Result<_>>()?;
    let row_values = |r: usize| -> Result<Vec<f64>> {
        (0..n).map(|j| number(&raw, r, first + j, None)).collect()
    };
    let mut imports = vec![0.0; n];
    for &r in &import_rows {
        for (j, v) in row_values(r)?.into_iter().enumerate() {
            imports[j] += v;
        }
    }
    let col_z: Vec<f64> = z
        .col_sums()
        .iter()
        .zip(&imports)
        .map(|(a, b)| a + b)
        .collect();
    let col_at = |r: usize| move |j: usize| position(raw_ref, r, first + j);
    check_identity(
        &file,
        "intermediate input (column sum vs TII)",
        &labels,
        &col_z,
        &row_values(tii)?,
        &x,
        col_at(tii),
    )?;
    let mut v_rows = Vec::new();
    let mut v_labels = Vec::new();
    for &r in &va_rows {
        v_rows.push(row_values(r)?);
        v_labels.push(format!("{} {}", text(&raw, r, code), text(&raw, r, desc)));
    }
    let va_sum: Vec<f64> = (0..n).map(|j| v_rows.iter().map(|v| v[j]).sum()).collect();
    check_identity(
        &file,
        "value added (VA001..VA004 vs TVA)",
        &labels,
        &va_sum,
        &row_values(tva)?,
        &x,
        col_at(tva),
    )?;
    let inputs: Vec<f64> = col_z.iter().zip(&va_sum).map(|(a, b)| a + b).collect();
    check_identity(
        &file,
        "total input (TII + TVA vs TI)",
        &labels,
        &inputs,
        &row_values(ti)?,
        &x,
        col_at(ti),
    )?;
    check_identity(
        &file,
        "total input vs gross output (TI vs GO)",
        &labels,
        &row_values(ti)?,
        &x,
        &x,
        col_at(ti),
    )?;
    if !import_rows.is_empty() {
        v_rows.push(imports);
        v_labels.push(format!("{OTHER_PRIMARY_INPUT}imported intermediate inputs"));
    }
    let m = v_rows.len();
    let v = Matrix::from_row_major(m, n, v_rows.concat()).expect("m × n");
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(IoTable {
        name,
        unit: Some("10^4 CNY".into()),
        industries,
        z,
        final_demand_labels,
        y,
        value_added_labels: v_labels,
        v,
        extensions: Vec::new(),
        published_output: Some(x),
    })
}

fn is_total_row(code: &str) -> bool {
    matches!(code, "TII" | "TVA" | "TI") || code.starts_with("VA")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io_tables::tests::shared_io;

    #[test]
    fn reads_every_nbs_table_with_its_identities() {
        let Some(io) = shared_io() else { return };
        let dir = io.join("china_nbs_national_io");
        for (file, n, k) in [
            ("china_2017_42.csv", 42, 4),
            ("china_2018_42.csv", 42, 4),
            ("china_2020_42.csv", 42, 4),
            ("china_2017_149.csv", 149, 7),
            ("china_2018_153.csv", 153, 7),
            ("china_2020_153.csv", 153, 7),
        ] {
            let t = read(&dir.join(file), &crate::Limits::default().io_tables()).unwrap();
            t.check().unwrap();
            assert_eq!((t.len(), t.y.cols()), (n, k), "{file}");
            let b = t.balance();
            assert!(b.max_relative_gap < 1e-9, "{file}: {b:?}");
        }
        let t = read(
            &dir.join("china_2017_42.csv"),
            &crate::Limits::default().io_tables(),
        )
        .unwrap();
        let x: f64 = t.total_output().iter().sum();
        assert!((x / 2.258e10 - 1.0).abs() < 1e-3, "{x}");
        assert_eq!(t.value_added_labels.len(), 5);
        assert!(t.value_added_labels[4].starts_with(OTHER_PRIMARY_INPUT));
        // Net taxes on production are negative for agriculture.
        assert!(t.v.get(1, 0) < 0.0);
    }

    #[test]
    fn a_broken_total_is_named_with_its_cell() {
        let Some(io) = shared_io() else { return };
        let src =
            std::fs::read_to_string(io.join("china_nbs_national_io/china_2018_153.csv")).unwrap();
        let mut lines: Vec<String> = src.lines().map(String::from).collect();
        // Raise GO of product 002 (row 3 of the file) by 10 %.
        let mut cells: Vec<String> = lines[2].split(',').map(String::from).collect();
        let last = cells.len() - 1;
        let go: f64 = cells[last].parse().unwrap();
        cells[last] = format!("{}", go * 1.1);
        lines[2] = cells.join(",");
        let path = std::env::temp_dir().join(format!("cl-nbs-{}.csv", std::process::id()));
        std::fs::write(&path, lines.join("\n")).unwrap();
        let e = read(&path, &crate::Limits::default().io_tables()).unwrap_err();
        std::fs::remove_file(&path).unwrap();
        let msg = e.to_string();
        assert!(matches!(e, IoReadError::Imbalance { row: 3, .. }), "{msg}");
        assert!(msg.contains("does not balance"), "{msg}");
    }
}
