//! Every CSV ChainLens writes is safe to open in a spreadsheet (issue 22, OWASP's CSV
//! injection): names planted in the example's data that a spreadsheet would run as
//! formulas come out as text (a leading `'`), numbers stay numbers.

use crate::common::*;
use std::path::Path;

/// Every cell of a CSV document.
fn cells(text: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

fn csv_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            csv_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "csv") {
            found.push(path);
        }
    }
}

#[test]
fn planted_formulas_come_out_as_text_in_every_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let d = dir.to_str().unwrap();
    let planted = [
        (
            "Ningbo Xinneng Special Steel Co.",
            "\"=HYPERLINK(\"\"x\"\")\"",
        ),
        ("Ningbo Ruifeng Special Steel Co.", "@SUM(A1)"),
        ("Raw material supply cut", "+1"),
        ("Regional command", "-cmd"),
    ];
    for (file, (from, to)) in ["enterprises", "enterprises", "risks", "risks"]
        .into_iter()
        .zip(planted)
    {
        let path = dir.join(format!("data/{file}.csv"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
    let o = run(&["run", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut documents: Vec<(String, String)> = Vec::new();
    let mut files = Vec::new();
    csv_files(&dir.join("out"), &mut files);
    assert!(files.len() >= 5, "{files:?}");
    for f in files {
        documents.push((
            f.display().to_string(),
            std::fs::read_to_string(&f).unwrap(),
        ));
    }
    for args in [
        vec!["risk", d, "--format", "csv"],
        vec!["network", d, "--chain", "nev", "--format", "csv"],
        vec!["alert", "list", d, "--format", "csv"],
        vec![
            "simulate",
            d,
            "--scenario",
            "battery_stop",
            "--format",
            "csv",
        ],
    ] {
        let o = run(&args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        documents.push((args.join(" "), String::from_utf8(o.stdout).unwrap()));
    }
    let mut neutralised = 0;
    let mut negative_numbers = 0;
    for (name, text) in &documents {
        for cell in cells(text) {
            assert!(
                !cell.starts_with(['=', '@', '\t', '\r']),
                "{name}: a spreadsheet would run `{cell}`"
            );
            if cell.starts_with(['+', '-']) {
                assert!(
                    cell.parse::<f64>().is_ok(),
                    "{name}: `{cell}` is neither text nor a number"
                );
                negative_numbers += usize::from(cell.starts_with('-'));
            }
            neutralised +=
                usize::from(["'=HYPERLINK(\"x\")", "'@SUM(A1)", "'-cmd"].contains(&cell.as_str()));
        }
    }
    assert!(
        neutralised >= 3,
        "the planted names were written {neutralised} times"
    );
    println!(
        "{neutralised} planted cells neutralised, {negative_numbers} negative numbers kept as numbers"
    );
}
