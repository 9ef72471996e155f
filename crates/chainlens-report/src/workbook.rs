//! The XLSX workbook: one sheet per table (named by its stable key), headers in the
//! report's language with units, a bold frozen header row with filters, numbers written
//! as numbers rounded to what the format shows (three decimals, thousands grouped;
//! integers without decimals), RFC 3339 times as Excel dates.

use crate::error::Result;
use crate::i18n::header;
use crate::model::ReportInput;
use crate::tables::{Cell, tables};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// Decimals the workbook shows (and rounds to).
const DECIMALS: i32 = 3;

/// `v` rounded to [`DECIMALS`] places, so that no float noise (`0.30000000000000004`)
/// reaches the sheet.
fn rounded(v: f64) -> f64 {
    let k = 10f64.powi(DECIMALS);
    let r = (v * k).round() / k;
    if r == 0.0 { 0.0 } else { r }
}

/// An RFC 3339 UTC time (`2026-11-26T23:00:00Z`) as an Excel date-time.
fn excel_time(s: &str) -> Option<ExcelDateTime> {
    let b = s.as_bytes();
    if b.len() != 20 || b[10] != b'T' || b[19] != b'Z' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<u16>().ok();
    let date = ExcelDateTime::from_ymd(n(0..4)?, n(5..7)? as u8, n(8..10)? as u8).ok()?;
    date.and_hms(n(11..13)?, n(14..16)? as u8, n(17..19)?).ok()
}

/// Write every table of the report into one workbook and return its bytes.
pub fn write_workbook(input: &ReportInput) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let num = Format::new().set_num_format("#,##0.000");
    let int = Format::new().set_num_format("#,##0");
    let when = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    for t in tables(input) {
        let ws = wb.add_worksheet();
        ws.set_name(&t.name)?;
        for (c, key) in t.header.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            let h = header(input.lang, key);
            ws.write_string_with_format(0, c, &h, &bold)?;
            let width = crate::svg::text_width(&h, 11.0) / 7.0 + 2.0;
            ws.set_column_width(c, width.clamp(12.0, 40.0))?;
        }
        ws.set_freeze_panes(1, 0)?;
        for (r, row) in t.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                match cell {
                    Cell::Text(s) => match excel_time(s) {
                        Some(d) => {
                            ws.write_datetime_with_format(r, c, &d, &when)?;
                        }
                        None => {
                            ws.write_string(r, c, s)?;
                        }
                    },
                    Cell::Int(i) => {
                        ws.write_number_with_format(r, c, *i as f64, &int)?;
                    }
                    Cell::Num(f) if f.is_finite() => {
                        ws.write_number_with_format(r, c, rounded(*f), &num)?;
                    }
                    Cell::Num(_) => {}
                }
            }
        }
        if !t.header.is_empty() {
            let last_col = u16::try_from(t.header.len() - 1).unwrap_or(u16::MAX);
            let last_row = u32::try_from(t.rows.len()).unwrap_or(u32::MAX);
            ws.autofilter(0, 0, last_row, last_col)?;
        }
    }
    if wb.worksheets().is_empty() {
        wb.add_worksheet()
            .set_name("empty")?
            .write_string(0, 0, "no tables configured")?;
    }
    Ok(wb.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_removes_float_noise_and_times_become_dates() {
        assert_eq!(rounded(0.1 + 0.2), 0.3);
        assert_eq!(rounded(-0.0001), 0.0);
        assert_eq!(rounded(2.0005), 2.001);
        assert!(excel_time("2026-11-26T23:00:00Z").is_some());
        assert!(excel_time("2026-11-26").is_none());
        assert!(excel_time("not a time at all!!!").is_none());
    }
}
