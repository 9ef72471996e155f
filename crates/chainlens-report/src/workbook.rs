//! The XLSX workbook: one sheet per table, bold frozen header row, numbers
//! written as numbers with a three-decimal format (integers without).

use crate::error::Result;
use crate::model::ReportInput;
use crate::tables::{Cell, tables};
use rust_xlsxwriter::{Format, Workbook};

/// Write every table of the report into one workbook and return its bytes.
pub fn write_workbook(input: &ReportInput) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let num = Format::new().set_num_format("0.000");
    let int = Format::new().set_num_format("0");
    for t in tables(input) {
        let ws = wb.add_worksheet();
        ws.set_name(&t.name)?;
        for (c, h) in t.header.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            ws.write_string_with_format(0, c, h, &bold)?;
            ws.set_column_width(c, (h.chars().count() as f64 + 2.0).max(12.0))?;
        }
        ws.set_freeze_panes(1, 0)?;
        for (r, row) in t.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                match cell {
                    Cell::Text(s) => {
                        ws.write_string(r, c, s)?;
                    }
                    Cell::Int(i) => {
                        ws.write_number_with_format(r, c, *i as f64, &int)?;
                    }
                    Cell::Num(f) if f.is_finite() => {
                        ws.write_number_with_format(r, c, *f, &num)?;
                    }
                    Cell::Num(_) => {}
                }
            }
        }
    }
    if wb.worksheets().is_empty() {
        wb.add_worksheet()
            .set_name("empty")?
            .write_string(0, 0, "no tables configured")?;
    }
    Ok(wb.save_to_buffer()?)
}
