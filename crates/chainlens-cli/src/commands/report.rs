//! `chainlens report WORKSPACE --out FILE.html [--lang en|zh]`: the self-contained report
//! alone. Runs the analyses like `chainlens run`, but only reads the store's alerts (it
//! raises none) and writes nothing else.

use crate::error::Result;
use crate::output::Progress;
use crate::workspace;
use chainlens_data::store::now;
use chainlens_data::write::atomic_write;
use chainlens_pipeline::report_input;
use chainlens_pipeline::run_all;
use chainlens_report::Lang;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    En,
    Zh,
}

#[derive(clap::Args)]
pub struct Args {
    /// The workspace folder (holding chainlens.toml).
    pub workspace: PathBuf,
    /// The HTML file to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Language of labels and headings.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: LangArg,
}

pub fn run(args: Args) -> Result<()> {
    let ws = workspace::load(&args.workspace)?;
    let now = now();
    let progress = Progress::new("analysing");
    let analyses = run_all(&ws, now, false, |step| progress.step(step))?;
    progress.finish();
    let lang = match args.lang {
        LangArg::En => Lang::En,
        LangArg::Zh => Lang::Zh,
    };
    let html = chainlens_report::render_html(&report_input(&ws, &analyses, lang, now));
    atomic_write(&args.out, html.as_bytes())?;
    println!("wrote {}", args.out.display());
    Ok(())
}
