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

/// Quotes a CSV cell when it needs it (RFC 4180).
pub fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// A CSV document: the header row, then one row per record, cells quoted as needed.
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
