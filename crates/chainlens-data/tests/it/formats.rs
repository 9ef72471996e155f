//! The same workspace as CSV, as one XLSX workbook (written by rust_xlsxwriter, a real
//! writer) and as JSON loads to the same data set; workbook problems are located.

use crate::fixtures::{edit, write_workspace};
use chainlens_data::Error;
use chainlens_data::workspace::Workspace;
use rust_xlsxwriter::Workbook;
use std::path::Path;

const TABLES: [&str; 6] = [
    "regions",
    "sectors",
    "enterprises",
    "supply_links",
    "indicators",
    "risks",
];

fn csv_text(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(format!("data/{name}.csv"))).unwrap()
}

fn rows(csv_text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// Writes every CSV table of `dir` as a sheet of `data/workspace.xlsx`; numbers as
/// numbers, as a spreadsheet holds them.
fn write_workbook(dir: &Path, skip_sheet: Option<&str>) {
    let mut wb = Workbook::new();
    for name in TABLES {
        if Some(name) == skip_sheet {
            continue;
        }
        let text = &csv_text(dir, name);
        let sheet = wb.add_worksheet();
        sheet.set_name(name).unwrap();
        let (header, body) = rows(text);
        for (c, h) in header.iter().enumerate() {
            sheet.write_string(0, c as u16, h).unwrap();
        }
        for (r, row) in body.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                if cell.is_empty() {
                    continue;
                }
                match cell.parse::<f64>() {
                    Ok(x) => sheet.write_number(r, c, x).unwrap(),
                    Err(_) => sheet.write_string(r, c, cell).unwrap(),
                };
            }
        }
    }
    wb.save(dir.join("data/workspace.xlsx")).unwrap();
}

fn point_tables_at(dir: &Path, path_of: impl Fn(&str) -> String) {
    for name in TABLES {
        edit(
            dir,
            "chainlens.toml",
            &format!("{name} = \"data/{name}.csv\""),
            &format!("{name} = \"{}\"", path_of(name)),
        );
    }
}

#[test]
fn a_workbook_loads_like_the_csv_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    let from_csv = Workspace::load(&dir).unwrap().dataset;
    write_workbook(&dir, None);
    point_tables_at(&dir, |_| "data/workspace.xlsx".into());
    let from_xlsx = Workspace::load(&dir).unwrap().dataset;
    assert_eq!(from_xlsx, from_csv);
}

#[test]
fn json_tables_load_like_the_csv_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    let from_csv = Workspace::load(&dir).unwrap().dataset;
    for name in TABLES {
        let (header, body) = rows(&csv_text(&dir, name));
        let records: Vec<serde_json::Value> = body
            .iter()
            .map(|row| {
                let mut m = serde_json::Map::new();
                for (h, cell) in header.iter().zip(row) {
                    let v = match cell.parse::<f64>() {
                        _ if cell.is_empty() => serde_json::Value::Null,
                        Ok(x) => serde_json::json!(x),
                        Err(_) => serde_json::json!(cell),
                    };
                    m.insert(h.clone(), v);
                }
                serde_json::Value::Object(m)
            })
            .collect();
        std::fs::write(
            dir.join(format!("data/{name}.json")),
            serde_json::to_string_pretty(&records).unwrap(),
        )
        .unwrap();
    }
    point_tables_at(&dir, |name| format!("data/{name}.json"));
    assert_eq!(Workspace::load(&dir).unwrap().dataset, from_csv);
}

#[test]
fn a_missing_sheet_is_named_with_the_sheets_found() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    write_workbook(&dir, Some("risks"));
    point_tables_at(&dir, |_| "data/workspace.xlsx".into());
    let Err(Error::Invalid { problems }) = Workspace::load(&dir) else {
        panic!("expected problems")
    };
    let got: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        vec![
            "data/workspace.xlsx: the workbook has no sheet `risks` (sheets: regions, sectors, enterprises, supply_links, indicators)"
        ]
    );
}

#[test]
fn workbook_cells_are_located_by_sheet_row_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    edit(
        &dir,
        "data/enterprises.csv",
        "e2,Yangtze Fibre,ningbo",
        "e2,Yangtze Fibre,ningpo",
    );
    write_workbook(&dir, None);
    point_tables_at(&dir, |_| "data/workspace.xlsx".into());
    let Err(Error::Invalid { problems }) = Workspace::load(&dir) else {
        panic!("expected problems")
    };
    assert_eq!(
        problems[0].to_string(),
        "data/workspace.xlsx[enterprises]:3:3: region: unknown region `ningpo` (did you mean `ningbo`?)"
    );
}

#[test]
fn a_corrupt_workbook_is_reported_not_panicked_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    std::fs::write(
        dir.join("data/workspace.xlsx"),
        b"PK\x03\x04 not really a zip",
    )
    .unwrap();
    edit(
        &dir,
        "chainlens.toml",
        "risks = \"data/risks.csv\"",
        "risks = \"data/workspace.xlsx\"",
    );
    let Err(Error::Invalid { problems }) = Workspace::load(&dir) else {
        panic!("expected problems")
    };
    assert!(
        problems[0]
            .to_string()
            .starts_with("data/workspace.xlsx: cannot open workbook"),
        "{problems:?}"
    );
}
