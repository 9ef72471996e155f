//! Write the test fixture's report (HTML in both languages and the workbook)
//! into a directory, for looking at it in a browser:
//! `cargo run -p chainlens-report --example dump_fixture -- /tmp/report`.

#[path = "../tests/it/fixture.rs"]
mod fixture;

use chainlens_report::{Lang, render_html, write_workbook};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "report-fixture".into()),
    );
    std::fs::create_dir_all(&dir)?;
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        std::fs::write(
            dir.join(format!("report-{tag}.html")),
            render_html(&fixture::fixture(lang)),
        )?;
    }
    std::fs::write(
        dir.join("report.xlsx"),
        write_workbook(&fixture::fixture(Lang::En))?,
    )?;
    println!("{}", dir.display());
    Ok(())
}
