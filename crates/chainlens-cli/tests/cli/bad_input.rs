//! Every kind of malformed input issue 2 lists, on a copy of the example: each gets a
//! precise, located message and exit code 1 — never a panic.

use crate::common::*;
use std::path::Path;

type Breakage = fn(&Path);

fn rewrite(dir: &Path, file: &str, f: impl Fn(String) -> String) {
    let p = dir.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, f(text)).unwrap();
}

const CASES: &[(&str, Breakage, &str)] = &[
    (
        "misspelt settings key",
        |d| {
            rewrite(d, "chainlens.toml", |t| {
                t.replacen("[spatial]\n", "[spatial]\npermutation = 99\n", 1)
            })
        },
        "chainlens.toml:37:1: [spatial]: unknown field `permutation`",
    ),
    (
        "misspelt section",
        |d| {
            rewrite(d, "chainlens.toml", |t| {
                format!("{t}\n[simulation]\ndays = 3\n")
            })
        },
        "chainlens.toml:simulation: unknown section",
    ),
    (
        "scenario naming an unknown firm",
        |d| {
            rewrite(d, "chainlens.toml", |t| {
                t.replacen("firm = \"e154\"", "firm = \"e154x\"", 1)
            })
        },
        "chainlens.toml:scenarios[2].shocks[0].firm: unknown firm `e154x` (did you mean `e154`?)",
    ),
    (
        "missing file",
        |d| std::fs::remove_file(d.join("data/risks.csv")).unwrap(),
        "chainlens.toml:tables.risks: file `data/risks.csv` does not exist",
    ),
    (
        "missing column",
        |d| {
            rewrite(d, "data/risks.csv", |t| {
                t.replacen("probability,", "chance,", 1)
            })
        },
        "data/risks.csv:1: probability: required column is missing",
    ),
    (
        "extra column",
        |d| {
            rewrite(d, "data/sectors.csv", |t| {
                t.lines()
                    .enumerate()
                    .map(|(i, l)| format!("{l},{}\n", if i == 0 { "colour" } else { "red" }))
                    .collect()
            })
        },
        "data/sectors.csv:1:5: colour: unknown column",
    ),
    (
        "wrong type",
        |d| {
            rewrite(d, "data/indicators.csv", |t| {
                let mut lines: Vec<String> = t.lines().map(str::to_owned).collect();
                let mut cells: Vec<String> = lines[3].split(',').map(str::to_owned).collect();
                cells[3] = "n/a".into();
                lines[3] = cells.join(",");
                lines.join("\n") + "\n"
            })
        },
        "data/indicators.csv:4:4: value: `n/a` is not a number",
    ),
    (
        "empty file",
        |d| std::fs::write(d.join("data/sectors.csv"), "").unwrap(),
        "data/sectors.csv: file is empty: expected a header row",
    ),
    (
        "wrong encoding",
        |d| {
            std::fs::write(
                d.join("data/risks.csv"),
                b"id,type,factor,probability,impact\nr1,x,\xff\xfe\xff,0.1,0.2\n",
            )
            .unwrap()
        },
        "data/risks.csv: is neither GB18030 nor UTF-8: invalid byte 0xFF at line 2",
    ),
    (
        "duplicate id",
        |d| {
            rewrite(d, "data/sectors.csv", |t| {
                let second = t.lines().nth(1).unwrap().to_owned();
                format!("{t}{second}\n")
            })
        },
        ": id: duplicate id",
    ),
    (
        "dangling reference",
        |d| {
            rewrite(d, "data/supply_links.csv", |t| {
                let mut lines: Vec<String> = t.lines().map(str::to_owned).collect();
                let mut cells: Vec<String> = lines[1].split(',').map(str::to_owned).collect();
                cells[0] = "e0000".into();
                lines[1] = cells.join(",");
                lines.join("\n") + "\n"
            })
        },
        "data/supply_links.csv:2:1: supplier: unknown enterprise `e0000`",
    ),
    (
        "ragged row",
        |d| {
            rewrite(d, "data/regions.csv", |t| {
                t.replacen("\n", "\nextra,cell\n", 1)
            })
        },
        "data/regions.csv:2: has 2 cells but the header has",
    ),
    (
        "invalid TOML",
        |d| {
            rewrite(d, "chainlens.toml", |t| {
                t.replacen("[workspace]", "[workspace", 1)
            })
        },
        "chainlens.toml:",
    ),
    (
        "workbook without the expected sheet",
        |d| {
            std::fs::write(d.join("data/book.xlsx"), minimal_workbook_without_risks()).unwrap();
            rewrite(d, "chainlens.toml", |t| {
                t.replacen("data/risks.csv", "data/book.xlsx", 1)
            });
        },
        "data/book.xlsx: the workbook has no sheet `risks` (sheets: other)",
    ),
];

/// A real XLSX file with a single sheet named `other`.
fn minimal_workbook_without_risks() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet()
        .set_name("other")
        .unwrap()
        .write_string(0, 0, "id")
        .unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn each_malformation_is_located_and_exits_1() {
    for (name, breakage, expected) in CASES {
        let tmp = tempfile::tempdir().unwrap();
        let dir = copy_example(tmp.path());
        breakage(&dir);
        let o = run(&["validate", dir.to_str().unwrap()]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(
            err.contains(expected),
            "{name}: expected {expected:?} in\n{err}"
        );
        // Import refuses the same input and creates no store.
        let o = run(&["import", dir.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{name}");
        assert!(
            !dir.join("chainlens.db").exists(),
            "{name}: a store was created"
        );
    }
}
