//! Raw tables: a header and rows of text cells, each row knowing where it came from.
//!
//! One reader per container — CSV (with encoding detection), a JSON array of objects, a
//! sheet of an XLSX workbook — all producing the same [`RawTable`], so typed parsing
//! ([`crate::records`]) is written once.
//!
//! Encodings: CSV files saved by Excel on Chinese Windows are usually GB18030/GBK, or
//! UTF-8 with a byte-order mark. [`decode`] accepts UTF-8 (with or without BOM), UTF-16
//! with BOM — or without one, told by its NUL bytes (`Unicode text` saved by some tools) —
//! and GB18030 (a superset of GBK and GB2312), and names the one it found. Other text with
//! NUL bytes is not a table and is refused by name.
//!
//! Every reader applies [`TableLimits`] (crate::limits): the file's size from its metadata
//! before reading, a CSV's line length while reading it in chunks, then the number of
//! columns (at the header, before any row is parsed) and every cell's length. A file that
//! is not a regular file — a folder, a named pipe, a symbolic link loop — is named as
//! such ([`regular_file`]) instead of being read (a FIFO would block forever).

use crate::limits::{LineMeter, TableLimits};
use crate::{Located, Location};
use calamine::{Data, DataRef, Reader};
use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

/// Excel's own sheet limits: 1,048,576 rows × 16,384 columns (A..XFD).
pub const MAX_SHEET_ROWS: u64 = 1_048_576;
pub const MAX_SHEET_COLUMNS: u64 = 16_384;

/// Most cells (rows × columns, empty ones included) a JSON table or a sheet's used range
/// may span. A few bytes can declare a huge table — a wide header followed by many `{}`
/// records, or two far-apart cells of a sheet that the workbook reader fills in densely —
/// and exhaust memory; 2^24 = 16,777,216 cells (about 0.5 GB held densely) is far above
/// any ChainLens table.
pub const MAX_CELLS: u64 = 1 << 24;

/// Text encodings [`decode`] recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Gb18030 => "GB18030",
        }
    }
}

/// Decodes text, detecting the encoding. The error explains what was found.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_owned(), Encoding::Utf8Bom))
            .map_err(|e| invalid_utf8(rest, e, "starts with a UTF-8 byte-order mark but"));
    }
    for (bom, enc, encoding) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE, Encoding::Utf16Le),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE, Encoding::Utf16Be),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, had_errors) = enc.decode_without_bom_handling(rest);
            if had_errors {
                return Err(format!(
                    "starts with a {} byte-order mark but is not valid {}",
                    encoding.name(),
                    encoding.name()
                ));
            }
            return Ok((text.into_owned(), encoding));
        }
    }
    if let Some((enc, encoding)) = utf16_without_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if had_errors {
            return Err(format!(
                "looks like {} without a byte-order mark (NUL bytes between the letters) but \
                 is not valid {0}; save the file as UTF-8",
                encoding.name()
            ));
        }
        return Ok((text.into_owned(), encoding));
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(format!(
            "has a NUL byte at line {line} (byte {at}): not a text file; save it as UTF-8 CSV"
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_owned(), Encoding::Utf8)),
        Err(utf8_error) => {
            let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            if had_errors {
                Err(invalid_utf8(
                    bytes,
                    utf8_error,
                    "is neither GB18030 nor UTF-8:",
                ))
            } else {
                Ok((text.into_owned(), Encoding::Gb18030))
            }
        }
    }
}

/// UTF-16 without a byte-order mark, told by where its NUL bytes are in the first 4 KiB:
/// the letters of tables (ASCII and most of Latin) are one byte and a NUL in UTF-16 — at
/// every odd position in UTF-16LE, every even one in UTF-16BE — while UTF-8 and GB18030
/// text has no NUL at all. Half the positions of one parity NUL and almost none of the
/// other is taken as UTF-16; Chinese text has fewer NULs but a header row of ASCII names
/// is enough. O(4 KiB).
fn utf16_without_bom(bytes: &[u8]) -> Option<(&'static encoding_rs::Encoding, Encoding)> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let nul = |first: usize| {
        sample
            .iter()
            .skip(first)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (nul(0), nul(1));
    let mostly = |n: usize| 2 * n >= pairs;
    let hardly = |n: usize| 10 * n < pairs;
    if mostly(odd) && hardly(even) {
        Some((encoding_rs::UTF_16LE, Encoding::Utf16Le))
    } else if mostly(even) && hardly(odd) {
        Some((encoding_rs::UTF_16BE, Encoding::Utf16Be))
    } else {
        None
    }
}

fn invalid_utf8(bytes: &[u8], e: std::str::Utf8Error, what: &str) -> String {
    let at = e.valid_up_to();
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    format!(
        "{what} invalid byte 0x{:02X} at line {line} (byte {at}); save the file as UTF-8",
        bytes.get(at).copied().unwrap_or(0)
    )
}

/// Where a table came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Container {
    Csv { encoding: Encoding },
    Json,
    Sheet { sheet: String },
}

/// A header and text cells. `None` is an empty cell.
#[derive(Debug, Clone, PartialEq)]
pub struct RawTable {
    /// The file as the user named it.
    pub file: String,
    pub container: Container,
    pub header: Vec<String>,
    pub rows: Vec<RawRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    /// Spreadsheet row (CSV line, sheet row; header = 1) or JSON record number (1-based).
    pub position: usize,
    pub cells: Vec<Option<String>>,
}

impl RawTable {
    /// Location of `column` (0-based header index) in record `record` (0-based).
    pub fn cell(&self, record: usize, column: Option<usize>) -> Location {
        let position = self.rows[record].position;
        match self.container {
            Container::Json => Location::Record { record: position },
            _ => Location::Cell {
                row: position,
                column: column.map(|c| c + 1),
            },
        }
    }

    /// Location of a header cell (or of the header row, for a missing column).
    pub fn header_cell(&self, column: Option<usize>) -> Location {
        match self.container {
            Container::Json => Location::File,
            _ => Location::Cell {
                row: 1,
                column: column.map(|c| c + 1),
            },
        }
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    pub fn problem(
        &self,
        location: Location,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Located {
        Located {
            file: self.file.clone(),
            location,
            field: field.map(str::to_owned),
            message: message.into(),
            suggestion: None,
        }
    }
}

/// Reads a table from a file; `shown` is how the file is named in messages, `sheet` the
/// sheet to read from a workbook. The container follows the extension.
pub fn read_table(
    path: &Path,
    shown: &str,
    sheet: &str,
    limits: &TableLimits,
) -> Result<RawTable, Located> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "csv" | "txt" | "tsv" => {
            let bytes = read_bytes(path, shown, limits, true)?;
            parse_csv(
                &bytes,
                shown,
                if ext == "tsv" { b'\t' } else { b',' },
                limits,
            )
        }
        "json" => {
            // Minified JSON is one line: only the file's size bounds it.
            let bytes = read_bytes(path, shown, limits, false)?;
            parse_json(&bytes, shown, limits)
        }
        "xlsx" | "xlsm" | "xls" | "ods" => read_sheet(path, shown, sheet, limits),
        _ => Err(Located::whole_file(
            shown,
            format!(
                "unknown file type `.{}`: use .csv, .json or .xlsx",
                chainlens_model::problem::echo(&ext)
            ),
        )),
    }
}

/// The metadata of `path` if it is a regular file (symbolic links followed); otherwise
/// what it is, as a message: `does not exist`, `is a folder, not a file`, `is a named pipe
/// (FIFO), not a regular file`, `is a symbolic link loop`, `is a symbolic link to `x`,
/// which does not exist`.
pub fn regular_file(path: &Path) -> Result<std::fs::Metadata, String> {
    let e = match std::fs::metadata(path) {
        Ok(m) if m.is_file() => return Ok(m),
        Ok(m) if m.is_dir() => return Err("is a folder, not a file".into()),
        Ok(m) => {
            return Err(format!(
                "is {}, not a regular file",
                special(&m.file_type())
            ));
        }
        Err(e) => e,
    };
    if is_link_loop(&e) {
        return Err("is a symbolic link loop (following it leads back to itself)".into());
    }
    match (std::fs::symlink_metadata(path), std::fs::read_link(path)) {
        (Ok(l), Ok(target)) if l.file_type().is_symlink() => Err(format!(
            "is a symbolic link to `{}`, which {}",
            target.display(),
            if e.kind() == std::io::ErrorKind::NotFound {
                "does not exist".to_owned()
            } else {
                format!("cannot be read ({e})")
            }
        )),
        _ if e.kind() == std::io::ErrorKind::NotFound => Err("does not exist".into()),
        _ => Err(format!("cannot be read ({e})")),
    }
}

/// Too many levels of symbolic links (ELOOP).
fn is_link_loop(e: &std::io::Error) -> bool {
    // std's ErrorKind::FilesystemLoop is not stable at our minimum Rust version.
    #[cfg(target_os = "linux")]
    const ELOOP: i32 = 40;
    #[cfg(not(target_os = "linux"))]
    const ELOOP: i32 = 62; // macOS and the BSDs
    cfg!(unix) && e.raw_os_error() == Some(ELOOP)
}

#[cfg(unix)]
fn special(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_block_device() || t.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

/// Bytes read at a time.
const CHUNK: usize = 64 << 10;

/// Reads a file within `limits`: its size checked from its metadata first, and, when
/// `lines`, every line's length while reading, so that an over-long line stops the read
/// after at most `max_line_bytes` + one chunk.
pub(crate) fn read_bytes(
    path: &Path,
    shown: &str,
    limits: &TableLimits,
    lines: bool,
) -> Result<Vec<u8>, Located> {
    let meta = regular_file(path).map_err(|m| Located::whole_file(shown, m))?;
    let size_check = |size: u64| {
        limits
            .file_bytes
            .check(format_args!("the file ({size} bytes)"), size)
            .map_err(|e| Located::whole_file(shown, e.to_string()))
    };
    size_check(meta.len())?;
    let cannot = |e: std::io::Error| Located::whole_file(shown, format!("cannot read: {e}"));
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::with_capacity(meta.len().min(limits.line_bytes.value) as usize);
    let mut meter = lines.then(|| LineMeter::new(limits.line_bytes));
    let mut chunk = vec![0; CHUNK];
    loop {
        let n = match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(cannot(e)),
        };
        if let Some(meter) = &mut meter {
            meter.feed(&chunk[..n]).map_err(|(row, e)| Located {
                file: shown.to_owned(),
                location: Location::Cell { row, column: None },
                field: None,
                message: e.to_string(),
                suggestion: None,
            })?;
        }
        bytes.extend_from_slice(&chunk[..n]);
        size_check(bytes.len() as u64)?; // it may grow while read
    }
    Ok(bytes)
}

/// Refuses more columns than the limit: one problem however many there are.
fn check_width(
    width: usize,
    limits: &TableLimits,
    shown: &str,
    at: Location,
) -> Result<(), Located> {
    limits
        .columns
        .check(
            format_args!("the number of columns ({width})"),
            width as u64,
        )
        .map_err(|e| Located {
            file: shown.to_owned(),
            location: at,
            field: None,
            message: e.to_string(),
            suggestion: None,
        })
}

/// Refuses a cell (or column name) longer than the limit; the message gives its length,
/// not its text.
fn check_cell(
    text: &str,
    limits: &TableLimits,
    shown: &str,
    at: impl FnOnce() -> Location,
) -> Result<(), Located> {
    let len = text.len() as u64;
    if len <= limits.field_bytes.value {
        return Ok(());
    }
    let e = limits
        .field_bytes
        .check(format_args!("the cell ({len} bytes)"), len)
        .unwrap_err();
    Err(Located {
        file: shown.to_owned(),
        location: at(),
        field: None,
        message: e.to_string(),
        suggestion: None,
    })
}

/// Parses CSV bytes in any encoding [`decode`] accepts, within `limits`' columns and cell
/// length (line lengths are checked while the file is read, by [`read_table`]).
pub fn parse_csv(
    bytes: &[u8],
    shown: &str,
    delimiter: u8,
    limits: &TableLimits,
) -> Result<RawTable, Located> {
    let (text, encoding) = decode(bytes).map_err(|m| Located::whole_file(shown, m))?;
    if text.trim().is_empty() {
        return Err(Located::whole_file(
            shown,
            "file is empty: expected a header row",
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Located::whole_file(shown, format!("cannot read the header row: {e}")))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let width = header.len();
    let header_cell = |c: usize| Location::Cell {
        row: 1,
        column: Some(c + 1),
    };
    check_width(
        width,
        limits,
        shown,
        Location::Cell {
            row: 1,
            column: None,
        },
    )?;
    for (c, h) in header.iter().enumerate() {
        check_cell(h, limits, shown, || header_cell(c))?;
    }
    let line_of = line_finder(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = next_record(&mut reader, &mut record, &line_of, shown)? {
        if record.iter().all(|c| c.trim().is_empty()) {
            continue; // blank line, as spreadsheets leave at the end
        }
        if record.len() != width {
            return Err(Located {
                file: shown.to_owned(),
                location: Location::Cell {
                    row: line,
                    column: None,
                },
                field: None,
                message: format!(
                    "has {} cells but the header has {width} columns",
                    record.len()
                ),
                suggestion: None,
            });
        }
        for (c, cell) in record.iter().enumerate() {
            check_cell(cell, limits, shown, || Location::Cell {
                row: line,
                column: Some(c + 1),
            })?;
        }
        rows.push(RawRow {
            position: line,
            cells: record.iter().map(cell_text).collect(),
        });
    }
    Ok(RawTable {
        file: shown.to_owned(),
        container: Container::Csv { encoding },
        header,
        rows,
    })
}

/// The line of a CSV position. The csv crate places a record after the blank lines before
/// it; lines are counted from the record's first byte instead.
/// Reads the next CSV record into `record`: `Some(line)` with its first line (1-based),
/// `None` at the end, or the parse error located at its line.
fn next_record(
    reader: &mut csv::Reader<&[u8]>,
    record: &mut csv::StringRecord,
    line_of: &impl Fn(&csv::Position) -> usize,
    shown: &str,
) -> Result<Option<usize>, Located> {
    let position = line_of(reader.position());
    match reader.read_record(record) {
        Ok(false) => Ok(None),
        Ok(true) => Ok(Some(record.position().map_or(position, line_of))),
        Err(e) => Err(Located {
            file: shown.to_owned(),
            location: Location::Cell {
                row: e.position().map_or(position, line_of),
                column: None,
            },
            field: None,
            message: format!("not valid CSV: {e}"),
            suggestion: None,
        }),
    }
}

fn line_finder(bytes: &[u8]) -> impl Fn(&csv::Position) -> usize + '_ {
    let newlines: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
        .collect();
    move |p: &csv::Position| {
        let mut at = p.byte() as usize;
        while at < bytes.len() && (bytes[at] == b'\n' || bytes[at] == b'\r') {
            at += 1;
        }
        newlines.partition_point(|&n| n < at) + 1
    }
}

/// Rows of text cells with no header assumed: a file as exported by other software, with
/// banner rows above its header and notes below its records, for readers that find the
/// header themselves (crate::ingest). Rows may have different lengths; empty rows are left
/// out, every row keeps its spreadsheet position.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// The file as the user named it (`file[sheet]` for a workbook).
    pub file: String,
    pub container: Container,
    pub rows: Vec<RawRow>,
}

/// Reads a file as a [`Grid`]: CSV in any encoding [`decode`] accepts (`.csv`, `.txt`,
/// `.tsv`), or a sheet of a workbook (`sheet`, or the first sheet when `None`).
pub fn read_grid(
    path: &Path,
    shown: &str,
    sheet: Option<&str>,
    limits: &TableLimits,
) -> Result<Grid, Located> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "csv" | "txt" | "tsv" => {
            let bytes = read_bytes(path, shown, limits, true)?;
            parse_csv_grid(
                &bytes,
                shown,
                if ext == "tsv" { b'\t' } else { b',' },
                limits,
            )
        }
        "xlsx" | "xlsm" | "xls" | "ods" => {
            let meta = regular_file(path).map_err(|m| Located::whole_file(shown, m))?;
            limits
                .file_bytes
                .check(format_args!("the file ({} bytes)", meta.len()), meta.len())
                .map_err(|e| Located::whole_file(shown, e.to_string()))?;
            std::panic::catch_unwind(|| sheet_grid(path, shown, sheet, limits)).unwrap_or_else(
                |_| {
                    Err(Located::whole_file(
                        shown,
                        "cannot read the workbook: it is malformed",
                    ))
                },
            )
        }
        _ => Err(Located::whole_file(
            shown,
            format!(
                "unknown file type `.{}`: use .csv or .xlsx",
                chainlens_model::problem::echo(&ext)
            ),
        )),
    }
}

/// Parses CSV bytes as a [`Grid`], within `limits`' columns and cell length.
pub fn parse_csv_grid(
    bytes: &[u8],
    shown: &str,
    delimiter: u8,
    limits: &TableLimits,
) -> Result<Grid, Located> {
    let (text, encoding) = decode(bytes).map_err(|m| Located::whole_file(shown, m))?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let line_of = line_finder(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = next_record(&mut reader, &mut record, &line_of, shown)? {
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        check_width(
            record.len(),
            limits,
            shown,
            Location::Cell {
                row: line,
                column: None,
            },
        )?;
        for (c, cell) in record.iter().enumerate() {
            check_cell(cell, limits, shown, || Location::Cell {
                row: line,
                column: Some(c + 1),
            })?;
        }
        rows.push(RawRow {
            position: line,
            cells: record.iter().map(cell_text).collect(),
        });
    }
    Ok(Grid {
        file: shown.to_owned(),
        container: Container::Csv { encoding },
        rows,
    })
}

fn sheet_grid(
    path: &Path,
    shown: &str,
    sheet: Option<&str>,
    limits: &TableLimits,
) -> Result<Grid, Located> {
    let mut workbook = calamine::open_workbook_auto(path)
        .map_err(|e| Located::whole_file(shown, format!("cannot open workbook: {e}")))?;
    let names = workbook.sheet_names();
    let sheet = match sheet {
        Some(s) if names.iter().any(|n| n == s) => s.to_owned(),
        Some(s) => {
            return Err(Located {
                file: shown.to_owned(),
                location: Location::File,
                field: None,
                message: format!(
                    "the workbook has no sheet `{s}` (sheets: {})",
                    names.join(", ")
                ),
                suggestion: chainlens_model::problem::suggest(s, names.iter().map(String::as_str)),
            });
        }
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Located::whole_file(shown, "the workbook has no sheet"))?,
    };
    let shown_sheet = format!("{shown}[{sheet}]");
    if let calamine::Sheets::Xlsx(xlsx) = &mut workbook {
        check_used_range(xlsx, &sheet).map_err(|m| Located::whole_file(&shown_sheet, m))?;
    }
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| Located::whole_file(&shown_sheet, format!("cannot read sheet: {e}")))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    check_width(
        first_col + range.width(),
        limits,
        &shown_sheet,
        Location::File,
    )?;
    let mut rows = Vec::new();
    for (i, r) in range.rows().enumerate() {
        if r.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        let position = first_row + i + 1;
        let mut cells = vec![None; first_col];
        cells.extend(r.iter().map(sheet_cell));
        for (c, cell) in cells.iter().enumerate() {
            if let Some(text) = cell {
                check_cell(text, limits, &shown_sheet, || Location::Cell {
                    row: position,
                    column: Some(c + 1),
                })?;
            }
        }
        rows.push(RawRow { position, cells });
    }
    Ok(Grid {
        file: shown_sheet,
        container: Container::Sheet { sheet },
        rows,
    })
}

fn cell_text(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Parses a JSON array of flat objects. Keys become columns in order of first appearance;
/// more distinct keys than `limits` allow columns is not a table but a map keyed by data,
/// and refusing it keeps header building and the rows × keys cells bounded.
pub fn parse_json(bytes: &[u8], shown: &str, limits: &TableLimits) -> Result<RawTable, Located> {
    let (text, _) = decode(bytes).map_err(|m| Located::whole_file(shown, m))?;
    if text.trim().is_empty() {
        return Err(Located::whole_file(
            shown,
            "file is empty: expected a JSON array of records",
        ));
    }
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| Located {
        file: shown.to_owned(),
        location: Location::Cell {
            row: e.line(),
            column: Some(e.column()),
        },
        field: None,
        message: format!("not valid JSON: {e}"),
        suggestion: None,
    })?;
    let serde_json::Value::Array(items) = value else {
        return Err(Located::whole_file(
            shown,
            "expected a JSON array of records",
        ));
    };
    let mut header: Vec<String> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for item in &items {
        if let serde_json::Value::Object(map) = item {
            for k in map.keys() {
                if seen.insert(k.as_str()) {
                    header.push(k.clone());
                    check_width(header.len(), limits, shown, Location::File).map_err(|p| {
                        Located {
                            message: format!("{} (a table has one key per column)", p.message),
                            ..p
                        }
                    })?;
                    check_cell(k, limits, shown, || Location::File)?;
                }
            }
        }
    }
    let cells = (items.len() as u64).saturating_mul(header.len() as u64);
    if cells > MAX_CELLS {
        return Err(Located::whole_file(
            shown,
            format!(
                "{} records × {} keys is {cells} cells, more than the {MAX_CELLS} a table may have",
                items.len(),
                header.len()
            ),
        ));
    }
    let mut rows = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let serde_json::Value::Object(map) = item else {
            return Err(Located {
                file: shown.to_owned(),
                location: Location::Record { record: i + 1 },
                field: None,
                message: "expected an object".into(),
                suggestion: None,
            });
        };
        let mut cells = Vec::with_capacity(header.len());
        for h in &header {
            cells.push(match map.get(h) {
                None | Some(serde_json::Value::Null) => None,
                Some(serde_json::Value::String(s)) => {
                    check_cell(s, limits, shown, || Location::Record { record: i + 1 })?;
                    cell_text(s)
                }
                Some(serde_json::Value::Array(list)) => Some(
                    list.iter()
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                        .collect::<Vec<_>>()
                        .join(";"),
                ),
                Some(serde_json::Value::Object(_)) => {
                    return Err(Located {
                        file: shown.to_owned(),
                        location: Location::Record { record: i + 1 },
                        field: Some(h.clone()),
                        message: "nested objects are not allowed in a table".into(),
                        suggestion: None,
                    });
                }
                Some(other) => Some(other.to_string()),
            });
        }
        rows.push(RawRow {
            position: i + 1,
            cells,
        });
    }
    Ok(RawTable {
        file: shown.to_owned(),
        container: Container::Json,
        header,
        rows,
    })
}

/// Reads one sheet of a workbook. The first non-empty row is the header.
pub fn read_sheet(
    path: &Path,
    shown: &str,
    sheet: &str,
    limits: &TableLimits,
) -> Result<RawTable, Located> {
    let meta = regular_file(path).map_err(|m| Located::whole_file(shown, m))?;
    limits
        .file_bytes
        .check(format_args!("the file ({} bytes)", meta.len()), meta.len())
        .map_err(|e| Located::whole_file(shown, e.to_string()))?;
    // calamine can panic on a malformed workbook: calamine 0.31 subtracts the corners of a
    // reversed `<dimension ref="A9:C3"/>` and multiplies out over-long cell references
    // without checking, which panics wherever overflow checks are on (debug builds, tests,
    // the fuzzer — whose panic hook aborts before this can catch it). Report a bad file.
    std::panic::catch_unwind(|| read_sheet_unguarded(path, shown, sheet, limits)).unwrap_or_else(
        |_| {
            Err(Located::whole_file(
                shown,
                format!("cannot read sheet `{sheet}`: the workbook is malformed"),
            ))
        },
    )
}

fn read_sheet_unguarded(
    path: &Path,
    shown: &str,
    sheet: &str,
    limits: &TableLimits,
) -> Result<RawTable, Located> {
    let mut workbook = calamine::open_workbook_auto(path)
        .map_err(|e| Located::whole_file(shown, format!("cannot open workbook: {e}")))?;
    let names = workbook.sheet_names();
    if !names.iter().any(|n| n == sheet) {
        return Err(Located {
            file: shown.to_owned(),
            location: Location::File,
            field: None,
            message: format!(
                "the workbook has no sheet `{sheet}` (sheets: {})",
                names.join(", ")
            ),
            suggestion: chainlens_model::problem::suggest(sheet, names.iter().map(String::as_str)),
        });
    }
    let shown_sheet = format!("{shown}[{sheet}]");
    if let calamine::Sheets::Xlsx(xlsx) = &mut workbook {
        // calamine fills the used range in densely: check its size before it does.
        check_used_range(xlsx, sheet).map_err(|m| Located::whole_file(&shown_sheet, m))?;
    }
    let range = workbook
        .worksheet_range(sheet)
        .map_err(|e| Located::whole_file(&shown_sheet, format!("cannot read sheet: {e}")))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let mut lines = range
        .rows()
        .enumerate()
        .map(|(i, r)| (first_row + i + 1, r))
        .filter(|(_, r)| r.iter().any(|c| !matches!(c, Data::Empty)));
    let Some((_, header_row)) = lines.next() else {
        return Err(Located::whole_file(
            &shown_sheet,
            "sheet is empty: expected a header row",
        ));
    };
    if first_col != 0 {
        return Err(Located::whole_file(
            &shown_sheet,
            "the table must start in column A",
        ));
    }
    let header: Vec<String> = header_row
        .iter()
        .map(|c| sheet_cell(c).unwrap_or_default())
        .collect();
    let width = header
        .iter()
        .rposition(|h| !h.is_empty())
        .map_or(0, |p| p + 1);
    let header = header[..width].to_vec();
    check_width(
        width,
        limits,
        &shown_sheet,
        Location::Cell {
            row: 1,
            column: None,
        },
    )?;
    let mut rows = Vec::new();
    for (position, r) in lines {
        if r.iter().skip(width).any(|c| !matches!(c, Data::Empty)) {
            return Err(Located {
                file: shown_sheet.clone(),
                location: Location::Cell {
                    row: position,
                    column: Some(width + 1),
                },
                field: None,
                message: "value beyond the last header column".into(),
                suggestion: None,
            });
        }
        let cells: Vec<Option<String>> =
            (0..width).map(|c| r.get(c).and_then(sheet_cell)).collect();
        for (c, cell) in cells.iter().enumerate() {
            if let Some(text) = cell {
                check_cell(text, limits, &shown_sheet, || Location::Cell {
                    row: position,
                    column: Some(c + 1),
                })?;
            }
        }
        rows.push(RawRow { position, cells });
    }
    Ok(RawTable {
        file: shown_sheet,
        container: Container::Sheet {
            sheet: sheet.to_owned(),
        },
        header,
        rows,
    })
}

/// Refuses an XLSX sheet whose used range (the box around its non-empty cells) exceeds
/// Excel's limits or [`MAX_CELLS`], streaming the cells without materialising them.
fn check_used_range<RS: std::io::Read + std::io::Seek>(
    xlsx: &mut calamine::Xlsx<RS>,
    sheet: &str,
) -> Result<(), String> {
    // Errors opening the sheet are reported by `worksheet_range`, which reads it next.
    let Ok(mut cells) = xlsx.worksheet_cells_reader(sheet) else {
        return Ok(());
    };
    let (mut first, mut last) = ((u32::MAX, u32::MAX), (0u32, 0u32));
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| format!("cannot read sheet: {e}"))?
    {
        if matches!(cell.get_value(), DataRef::Empty) {
            continue; // as calamine's worksheet_range, which skips them
        }
        let (r, c) = cell.get_position();
        first = (first.0.min(r), first.1.min(c));
        last = (last.0.max(r), last.1.max(c));
    }
    if first.0 == u32::MAX {
        return Ok(());
    }
    let rows = u64::from(last.0 - first.0) + 1;
    let columns = u64::from(last.1 - first.1) + 1;
    if rows > MAX_SHEET_ROWS || columns > MAX_SHEET_COLUMNS || rows * columns > MAX_CELLS {
        return Err(format!(
            "the used range {}:{} ({rows} rows × {columns} columns) is larger than a sheet may be \
             ({MAX_SHEET_ROWS} rows × {MAX_SHEET_COLUMNS} columns, {MAX_CELLS} cells)",
            cell_name(first),
            cell_name(last),
        ));
    }
    Ok(())
}

/// `A1`-style name of a 0-based (row, column).
fn cell_name((row, column): (u32, u32)) -> String {
    let mut letters = Vec::new();
    let mut c = u64::from(column) + 1;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!(
        "{}{}",
        String::from_utf8_lossy(&letters),
        u64::from(row) + 1
    )
}

fn sheet_cell(c: &Data) -> Option<String> {
    match c {
        Data::Empty => None,
        Data::String(s) => cell_text(s),
        Data::Float(f) => Some(format_number(*f)),
        Data::Int(i) => Some(i.to_string()),
        Data::Bool(b) => Some(b.to_string()),
        Data::Error(e) => Some(format!("#ERROR {e:?}")),
        other => Some(other.to_string()),
    }
}

/// Shortest text that reads back to the same f64 (integers without `.0`).
pub fn format_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    fn limits() -> TableLimits {
        Limits::default().records()
    }

    #[test]
    fn decodes_the_encodings_excel_writes() {
        let text = "id,name\nhz,杭州\n";
        assert_eq!(
            decode(text.as_bytes()).unwrap(),
            (text.to_owned(), Encoding::Utf8)
        );
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(decode(&bom).unwrap().1, Encoding::Utf8Bom);
        let (gbk, _, _) = encoding_rs::GB18030.encode(text);
        assert_eq!(decode(&gbk).unwrap(), (text.to_owned(), Encoding::Gb18030));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(
            decode(&utf16).unwrap(),
            (text.to_owned(), Encoding::Utf16Le)
        );
    }

    // Issue 22: a UTF-16 file without a BOM was read as UTF-8 with NULs and reported as
    // "has 1 cells but the header has …".
    #[test]
    fn utf16_without_a_byte_order_mark_is_detected_and_nul_bytes_are_refused() {
        let text = "id,name\nhz,杭州\nnb,Ningbo\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&le).unwrap(), (text.to_owned(), Encoding::Utf16Le));
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&be).unwrap(), (text.to_owned(), Encoding::Utf16Be));
        let t = parse_csv(&le, "t.csv", b',', &limits()).unwrap();
        assert_eq!(t.rows[0].cells[1].as_deref(), Some("杭州"));
        // An unpaired surrogate: UTF-16 by its NULs, but not valid UTF-16.
        let mut bad = le.clone();
        bad.extend_from_slice(&[0x00, 0xD8, b'a', 0]);
        assert_eq!(
            decode(&bad).unwrap_err(),
            "looks like UTF-16LE without a byte-order mark (NUL bytes between the letters) \
             but is not valid UTF-16LE; save the file as UTF-8"
        );
        assert_eq!(
            decode(b"id,name\nhz,a\0b\n").unwrap_err(),
            "has a NUL byte at line 2 (byte 12): not a text file; save it as UTF-8 CSV"
        );
    }

    #[test]
    fn names_the_bad_byte_of_undecodable_text() {
        let err = decode(b"id,name\nhz,\xFF\xFF\n").unwrap_err();
        assert!(err.contains("0xFF at line 2"), "{err}");
    }

    #[test]
    fn csv_rows_know_their_lines() {
        let t = parse_csv(
            b"id,name\n\na,\"multi\nline\"\nb,B\n\n",
            "t.csv",
            b',',
            &limits(),
        )
        .unwrap();
        assert_eq!(t.header, vec!["id", "name"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].position, 3);
        assert_eq!(t.rows[1].position, 5);
        assert_eq!(t.rows[0].cells[1].as_deref(), Some("multi\nline"));
    }

    #[test]
    fn csv_ragged_and_empty_files_are_errors() {
        let e = parse_csv(b"id,name\na,b,c\n", "t.csv", b',', &limits()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.csv:2: has 3 cells but the header has 2 columns"
        );
        let e = parse_csv(b"  \n", "t.csv", b',', &limits()).unwrap_err();
        assert_eq!(e.to_string(), "t.csv: file is empty: expected a header row");
    }

    #[test]
    fn json_records_become_rows() {
        let t = parse_json(
            br#"[{"id":"a","v":1.5,"l":["x","y"]},{"id":"b","w":true}]"#,
            "t.json",
            &limits(),
        )
        .unwrap();
        assert_eq!(t.header, vec!["id", "l", "v", "w"]);
        assert_eq!(
            t.rows[0].cells,
            vec![
                Some("a".into()),
                Some("x;y".into()),
                Some("1.5".into()),
                None
            ]
        );
        assert_eq!(t.rows[1].cells[3].as_deref(), Some("true"));
        let e = parse_json(b"[{\"id\":\n}", "t.json", &limits()).unwrap_err();
        assert!(
            e.to_string().starts_with("t.json:2:1: not valid JSON"),
            "{e}"
        );
    }

    // Regression (crafted input through fuzz/json): a record with many distinct keys built the header with a
    // linear `contains` per key (quadratic) and then materialised rows × keys cells, so a
    // few hundred KB timed out or exhausted memory. More keys than columns are refused.
    #[test]
    fn json_with_too_many_distinct_keys_is_refused() {
        let max = Limits::default().max_columns as usize;
        let keys: Vec<String> = (0..=max).map(|i| format!("\"k{i}\":1")).collect();
        let json = format!("[{{{}}}]", keys.join(","));
        let e = parse_json(json.as_bytes(), "t.json", &limits()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.json: the number of columns (1001) is more than the limit max_columns = 1000; \
             raise it in chainlens.toml: [limits] max_columns = … (a table has one key per column)"
        );
        // Exactly the limit is still a table.
        let json = format!("[{{{}}}]", keys[..max].join(","));
        let t = parse_json(json.as_bytes(), "t.json", &limits()).unwrap();
        assert_eq!(t.header.len(), max);
    }

    // Regression (crafted input through fuzz/json): 5,000 keys followed by many `{}` records is a small file but
    // rows × keys empty cells; refused before materialising them.
    #[test]
    fn json_with_too_many_cells_is_refused() {
        let keys: Vec<String> = (0..5000).map(|i| format!("\"k{i}\":1")).collect();
        let json = format!("[{{{}}}{}]", keys.join(","), ",{}".repeat(3400));
        let wide = Limits {
            max_columns: 10_000,
            ..Limits::default()
        };
        let e = parse_json(json.as_bytes(), "t.json", &wide.records()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.json: 3401 records × 5000 keys is 17005000 cells, more than the 16777216 a table may have"
        );
    }

    // Regression (crafted input through fuzz/xlsx): a cell at A1 and one at XFD1048576 made calamine allocate
    // the whole 1,048,576 × 16,384 range (512 GiB); the used range is now checked first.
    #[test]
    fn sheet_with_a_huge_used_range_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet().set_name("regions").unwrap();
        sheet.write_string(0, 0, "id").unwrap();
        sheet.write_number(1_048_575, 16_383, 1.0).unwrap();
        book.save(&path).unwrap();
        let e = read_sheet(&path, "huge.xlsx", "regions", &limits()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "huge.xlsx[regions]: the used range A1:XFD1048576 (1048576 rows × 16384 columns) \
             is larger than a sheet may be (1048576 rows × 16384 columns, 16777216 cells)"
        );
        // A normal sheet still reads.
        let path = dir.path().join("ok.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet().set_name("regions").unwrap();
        sheet.write_string(0, 0, "id").unwrap();
        sheet.write_string(1, 0, "hz").unwrap();
        book.save(&path).unwrap();
        let t = read_sheet(&path, "ok.xlsx", "regions", &limits()).unwrap();
        assert_eq!(t.rows[0].cells, vec![Some("hz".to_owned())]);
    }

    #[test]
    fn cell_names_are_a1_style() {
        assert_eq!(cell_name((0, 0)), "A1");
        assert_eq!(cell_name((9, 25)), "Z10");
        assert_eq!(cell_name((0, 26)), "AA1");
        assert_eq!(cell_name((1_048_575, 16_383)), "XFD1048576");
    }

    // Regression (fuzz/xlsx, crash-87c375e6…, minimised by hand): a sheet whose declared
    // dimension is reversed (`A9:C3`) made calamine panic with "attempt to subtract with
    // overflow" (in builds with overflow checks, as these tests are).
    #[test]
    fn malformed_sheet_references_are_errors_not_panics() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reversed.xlsx");
        std::fs::write(&path, minimal_xlsx(r#"<dimension ref="A9:C3"/>"#)).unwrap();
        let e = read_sheet(&path, "reversed.xlsx", "regions", &limits()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "reversed.xlsx: cannot read sheet `regions`: the workbook is malformed"
        );
        // Regression (fuzz/xlsx, crash-59137cbc…): a cell reference too long for a u32
        // panicked with "attempt to multiply with overflow" in calamine's reference parser.
        std::fs::write(&path, minimal_xlsx(r#"<dimension ref="A1:AAAAAAAAAA1"/>"#)).unwrap();
        let e = read_sheet(&path, "reversed.xlsx", "regions", &limits()).unwrap_err();
        assert!(e.to_string().ends_with("the workbook is malformed"), "{e}");
        // The same workbook with a sane dimension reads.
        std::fs::write(&path, minimal_xlsx(r#"<dimension ref="A1:A2"/>"#)).unwrap();
        let t = read_sheet(&path, "reversed.xlsx", "regions", &limits()).unwrap();
        assert_eq!(t.header, vec!["id"]);
        assert_eq!(t.rows[0].cells, vec![Some("hz".to_owned())]);
    }

    /// The smallest workbook calamine reads: one sheet `regions` with `id` / `hz` in A1:A2,
    /// its `<dimension>` element given, zipped without compression.
    fn minimal_xlsx(dimension: &str) -> Vec<u8> {
        const NS: &str = "http://schemas.openxmlformats.org";
        let sheet = format!(
            r#"<worksheet xmlns="{NS}/spreadsheetml/2006/main">{dimension}<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>hz</t></is></c></row></sheetData></worksheet>"#
        );
        stored_zip(&[
            (
                "[Content_Types].xml",
                format!(
                    r#"<Types xmlns="{NS}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#
                ),
            ),
            (
                "_rels/.rels",
                format!(
                    r#"<Relationships xmlns="{NS}/package/2006/relationships"><Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
                ),
            ),
            (
                "xl/workbook.xml",
                format!(
                    r#"<workbook xmlns:r="{NS}/officeDocument/2006/relationships" xmlns="{NS}/spreadsheetml/2006/main"><sheets><sheet name="regions" sheetId="1" r:id="rId1"/></sheets></workbook>"#
                ),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                format!(
                    r#"<Relationships xmlns="{NS}/package/2006/relationships"><Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
                ),
            ),
            ("xl/worksheets/sheet1.xml", sheet),
        ])
    }

    /// A zip archive of `files`, stored uncompressed.
    fn stored_zip(files: &[(&str, String)]) -> Vec<u8> {
        fn crc32(data: &[u8]) -> u32 {
            let mut crc = !0u32;
            for &b in data {
                crc ^= u32::from(b);
                for _ in 0..8 {
                    crc = if crc & 1 != 0 {
                        (crc >> 1) ^ 0xEDB8_8320
                    } else {
                        crc >> 1
                    };
                }
            }
            !crc
        }
        let (mut out, mut central) = (Vec::new(), Vec::new());
        for (name, text) in files {
            let (name, data) = (name.as_bytes(), text.as_bytes());
            let offset = out.len() as u32;
            let (crc, size, name_len) = (crc32(data), data.len() as u32, name.len() as u16);
            out.extend_from_slice(&0x0403_4b50u32.to_le_bytes()); // local file header
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // version, flags, stored, time, date
            out.extend_from_slice(&crc.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&name_len.to_le_bytes());
            out.extend_from_slice(&[0, 0]); // extra field length
            out.extend_from_slice(name);
            out.extend_from_slice(data);
            central.extend_from_slice(&0x0201_4b50u32.to_le_bytes()); // central directory entry
            central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            central.extend_from_slice(&crc.to_le_bytes());
            central.extend_from_slice(&size.to_le_bytes());
            central.extend_from_slice(&size.to_le_bytes());
            central.extend_from_slice(&name_len.to_le_bytes());
            central.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name);
        }
        let central_offset = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(&0x0605_4b50u32.to_le_bytes()); // end of central directory
        out.extend_from_slice(&[0, 0, 0, 0]);
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&central_offset.to_le_bytes());
        out.extend_from_slice(&[0, 0]); // comment length
        out
    }
}
