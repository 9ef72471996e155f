//! Output conventions shared by every command: `--format table|json|csv`, problems on
//! stderr one per line, progress on stderr only when it is a terminal (or when
//! `CHAINLENS_PROGRESS=plain` asks for plain lines, as logs and tests want).

use std::io::IsTerminal;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text for people.
    Table,
    /// One JSON document (stable keys; see README).
    Json,
    /// Comma-separated values with a header row.
    Csv,
}

/// Prints `value` as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// How long-running work reports progress on stderr.
pub enum Progress {
    Bar(indicatif::ProgressBar),
    Plain,
    Hidden,
}

impl Progress {
    /// A bar on a terminal, plain lines when `CHAINLENS_PROGRESS=plain`, else nothing.
    pub fn new(message: &str) -> Progress {
        if std::env::var("CHAINLENS_PROGRESS").is_ok_and(|v| v == "plain") {
            eprintln!("{message}");
            Progress::Plain
        } else if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{msg:24} [{bar:30}] {pos}/{len}")
                    .expect("valid template")
                    .progress_chars("=> "),
            );
            bar.set_message(message.to_owned());
            Progress::Bar(bar)
        } else {
            Progress::Hidden
        }
    }

    pub fn update(&self, stage: &str, done: usize, total: usize) {
        match self {
            Progress::Bar(bar) => {
                bar.set_message(stage.to_owned());
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            }
            Progress::Plain => eprintln!("{stage}: {done}/{total}"),
            Progress::Hidden => {}
        }
    }

    /// Announces the next step of work whose length is not known in advance.
    pub fn step(&self, stage: &str) {
        match self {
            Progress::Bar(bar) => {
                bar.set_message(stage.to_owned());
                bar.tick();
            }
            Progress::Plain => eprintln!("{stage}"),
            Progress::Hidden => {}
        }
    }

    pub fn finish(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

/// A text cell as every CSV file ChainLens writes has it: safe to open in a spreadsheet,
/// then quoted when it needs it (RFC 4180).
///
/// A spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` as a formula (tab and
/// carriage return also start one in some), so a firm named `=HYPERLINK("…")` in the
/// user's data would become a link, or worse, in whoever opens `out/tables/*.csv`. As
/// OWASP's "CSV injection" advice says, such a cell gets a leading `'`, which spreadsheets
/// show as text. A plain decimal number (`-3.5`, `+1`, `1e-7`) is not a formula and
/// stays as it is: numbers stay numbers. Writers pass numbers they format themselves
/// straight through and text through here.
pub fn csv_cell(s: &str) -> String {
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_decimal(s);
    let s = if formula {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A finite decimal number as Rust and spreadsheets write them (`-3.5`, `+1`, `2e-7`):
/// digits, one sign in front or after the exponent, a point and an exponent. Not `-inf`
/// or `-nan`, which a spreadsheet reads as formulas.
fn is_decimal(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        && s.parse::<f64>().is_ok_and(f64::is_finite)
}

/// A CSV document: the header row, then one row per record, each cell through
/// [`csv_cell`] (the rows' numbers are formatted decimals, which it leaves alone).
pub fn csv_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = header.join(",");
    out.push('\n');
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// Left-aligned text table with a header rule.
pub fn text_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    let mut out = line(header.to_vec());
    out.push('\n');
    out.push_str(&line(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    ));
    for row in rows {
        out.push('\n');
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_a_spreadsheet_would_run_is_neutralised_numbers_are_not() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-cmd"), "'-cmd");
        assert_eq!(csv_cell("+1+1"), "'+1+1");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("\rx"), "\"'\rx\"");
        assert_eq!(csv_cell("-inf"), "'-inf");
        // Numbers stay numbers; ordinary text is untouched.
        for n in ["-3.5", "+1", "-2e-7", "0.234", "12"] {
            assert_eq!(csv_cell(n), n);
        }
        assert_eq!(csv_cell("Ningbo, 宁波"), "\"Ningbo, 宁波\"");
        assert_eq!(csv_cell("a-b"), "a-b");
    }

    #[test]
    fn aligns_columns() {
        let t = text_table(
            &["region", "n"],
            &[
                vec!["hangzhou".into(), "12".into()],
                vec!["lishui".into(), "3".into()],
            ],
        );
        assert_eq!(t, "region    n\n--------  --\nhangzhou  12\nlishui    3");
    }
}
