//! The WIOD world input-output table layout (Timmer et al. 2015; long-run WIOD,
//! Woltjer, Gouma & Timmer 2021).
//!
//! Columns: label columns `IndustryCode…`, `IndustryDescription`, `Country`, `Year`, then
//! one intermediate-use column `CCC_IND` per industry (same order as the rows), final
//! demand columns `CCC_<category>` per region, and memo columns `xTOT_…` (exports,
//! imports, margins, `xTOT_xGO` gross output) that are not part of the row identity.
//! Rows: one per industry (`Country` = economy), then `Country = xTOT` rows `xII`
//! (intermediate inputs), `xVA` (value added) and the other primary inputs (`xTXSP` taxes
//! less subsidies on products, `xSD`, `xPURNR`, `xPURR`, `xMRG_int`), and `xGO`.
//!
//! Read as Z, Y (all final-demand columns), x = `xTOT_xGO`, V = `xVA` plus the other
//! primary-input rows labelled `other primary input: …` (so the value-added multiplier is
//! value added proper). Checked: Z·1 + Y·1 = xGO per row, 1ᵀZ = xII and
//! xII + Σ primary inputs = xGO per column, the xGO row equal to the xGO column.

use super::{
    IoReadError, OTHER_PRIMARY_INPUT, Result, check_identity, column, load, number, position, text,
};
use crate::limits::TableLimits;
use chainlens_model::{FinalDemandLabel, Industry, IoTable, Matrix};
use std::path::Path;

/// Reads a WIOD table (CSV or the first sheet of a workbook).
pub fn read(path: &Path, limits: &TableLimits) -> Result<IoTable> {
    let raw = load(path, None, limits)?;
    let file = raw.file.clone();
    let code = raw
        .header
        .iter()
        .position(|h| h.starts_with("IndustryCode"))
        .ok_or_else(|| {
            IoReadError::Located(raw.problem(
                raw.header_cell(None),
                None,
                "missing column `IndustryCode…`",
            ))
        })?;
    let desc = column(&raw, "IndustryDescription")?;
    let country = column(&raw, "Country")?;
    let go_col = raw
        .header
        .iter()
        .position(|h| h.ends_with("_xGO"))
        .ok_or_else(|| {
            IoReadError::Located(raw.problem(
                raw.header_cell(None),
                None,
                "missing gross-output column `xTOT_xGO`",
            ))
        })?;
    let rows: Vec<usize> = (0..raw.rows.len())
        .filter(|&r| text(&raw, r, country) != "xTOT")
        .collect();
    let n = rows.len();
    let first = raw
        .header
        .iter()
        .position(|h| h.contains('_') && !h.starts_with("IndustryCode"))
        .unwrap_or(4);
    let industries: Vec<Industry> = rows
        .iter()
        .map(|&r| Industry {
            region: text(&raw, r, country),
            sector: text(&raw, r, code),
        })
        .collect();
    for (j, ind) in industries.iter().enumerate() {
        let want = format!("{}_{}", ind.region, ind.sector);
        if raw.header.get(first + j) != Some(&want) {
            return Err(IoReadError::Located(raw.problem(
                raw.header_cell(Some(first + j)),
                None,
                format!("expected column `{want}` (the industry of row {})", j + 2),
            )));
        }
    }
    let fd_cols: Vec<usize> = (first + n..raw.header.len())
        .filter(|&c| !raw.header[c].starts_with("xTOT_"))
        .collect();
    let mut z = Matrix::zeros(n, n);
    let mut y = Matrix::zeros(n, fd_cols.len());
    let mut x = Vec::with_capacity(n);
    for (i, &r) in rows.iter().enumerate() {
        for j in 0..n {
            z.set(i, j, number(&raw, r, first + j, None)?);
        }
        for (c, &col) in fd_cols.iter().enumerate() {
            y.set(i, c, number(&raw, r, col, None)?);
        }
        x.push(number(&raw, r, go_col, None)?);
    }
    let final_demand_labels = fd_cols
        .iter()
        .map(|&c| {
            let h = &raw.header[c];
            let (region, category) = h.split_once('_').unwrap_or(("", h));
            FinalDemandLabel {
                region: region.into(),
                category: category.into(),
            }
        })
        .collect();
    let labels: Vec<String> = industries.iter().map(Industry::label).collect();
    let total: Vec<f64> = z
        .row_sums()
        .iter()
        .zip(y.row_sums())
        .map(|(a, b)| a + b)
        .collect();
    check_identity(
        &file,
        "row total (Z·1 + Y·1 vs xGO)",
        &labels,
        &total,
        &x,
        &x,
        |i| position(&raw, rows[i], go_col),
    )?;

    let totals: Vec<usize> = (0..raw.rows.len())
        .filter(|&r| text(&raw, r, country) == "xTOT")
        .collect();
    let row_of = |name: &str| {
        totals
            .iter()
            .copied()
            .find(|&r| text(&raw, r, code) == name)
    };
    let values = |r: usize| -> Result<Vec<f64>> {
        (0..n).map(|j| number(&raw, r, first + j, None)).collect()
    };
    let raw_ref = &raw;
    let at = |r: usize| move |j: usize| position(raw_ref, r, first + j);
    let mut v_rows = Vec::new();
    let mut v_labels = Vec::new();
    let mut ii = None;
    let mut go_row = None;
    for &r in &totals {
        let c = text(&raw, r, code);
        match c.as_str() {
            "xII" => ii = Some(r),
            "xGO" => go_row = Some(r),
            _ => {
                v_rows.push(values(r)?);
                let label = format!("{c} {}", text(&raw, r, desc));
                v_labels.push(if c == "xVA" {
                    label
                } else {
                    format!("{OTHER_PRIMARY_INPUT}{label}")
                });
            }
        }
    }
    if let Some(r) = ii {
        check_identity(
            &file,
            "intermediate inputs (1ᵀZ vs xII)",
            &labels,
            &z.col_sums(),
            &values(r)?,
            &x,
            at(r),
        )?;
    }
    if let Some(r) = go_row.or_else(|| row_of("xGO")) {
        let go = values(r)?;
        check_identity(
            &file,
            "gross output (xGO row vs xGO column)",
            &labels,
            &x,
            &go,
            &x,
            at(r),
        )?;
        if let Some(iir) = ii {
            let ii = values(iir)?;
            let inputs: Vec<f64> = (0..n)
                .map(|j| ii[j] + v_rows.iter().map(|v| v[j]).sum::<f64>())
                .collect();
            check_identity(
                &file,
                "total input (xII + primary inputs vs xGO)",
                &labels,
                &inputs,
                &go,
                &x,
                at(r),
            )?;
        }
    }
    let m = v_rows.len();
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(IoTable {
        name,
        unit: Some("million USD".into()),
        industries,
        z,
        final_demand_labels,
        y,
        value_added_labels: v_labels,
        v: Matrix::from_row_major(m, n, v_rows.concat()).expect("m × n"),
        extensions: Vec::new(),
        published_output: Some(x),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io_tables::tests::shared_io;

    #[test]
    fn reads_the_long_run_wiod_table() {
        let Some(io) = shared_io() else { return };
        let t = read(
            &io.join("wiod_longrun_2000/WIODlr_WIOT_2000.csv"),
            &crate::Limits::default().io_tables(),
        )
        .unwrap();
        t.check().unwrap();
        assert_eq!(t.len(), 598);
        assert_eq!(t.regions().len(), 26);
        assert_eq!(t.y.cols(), 104);
        assert_eq!(t.industries[5 * 23].label(), "CHN|AtB");
        let world: f64 = t.total_output().iter().sum();
        assert!((world / 6.18e7 - 1.0).abs() < 1e-2, "{world}");
        let b = t.balance();
        assert!(b.max_relative_gap < 1e-6, "{b:?}");
        assert_eq!(t.value_added_labels.len(), 6);
        assert!(t.value_added_labels[0].starts_with("xVA"));
    }
}
