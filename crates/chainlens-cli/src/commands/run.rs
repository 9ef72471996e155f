//! `chainlens run WORKSPACE`: the main job. Imports the workspace when the store is not
//! current, runs every configured analysis (see `analyses`), raises or updates alerts,
//! and writes into the output folder (default `WORKSPACE/out`):
//!
//! - `report.en.html`, `report.zh.html` — the self-contained report in both languages;
//! - `report.xlsx` and `tables/*.csv`, `tables/*.json` — every table of the report;
//! - `results.json` — every analysis in full, with its status;
//! - `summary.json` — provenance (input digest, ChainLens version) and counts.
//!
//! It ends with a short summary on the terminal and exit 0, or 1 when an analysis failed.

use crate::error::{CliError, Result};
use crate::output::{Progress, csv_cell};
use crate::workspace;
use chainlens_data::store::{Counts, now};
use chainlens_data::write::atomic_write;
use chainlens_model::Vocabulary;
use chainlens_pipeline::Workspace;
use chainlens_pipeline::report_input;
use chainlens_pipeline::workspace::Import;
use chainlens_pipeline::{Analyses, Section, run_all};
use chainlens_report::tables::Cell;
use chainlens_report::{Lang, ReportInput};
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// The workspace folder (holding chainlens.toml).
    pub workspace: PathBuf,
    /// Where to write the results (default: WORKSPACE/out).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Provenance of a run: enough to reproduce it.
#[derive(Serialize)]
struct Provenance<'a> {
    workspace: &'a str,
    input_digest: &'a str,
    chainlens_version: &'static str,
    imported_at: &'a str,
    generated_at: String,
}

#[derive(Serialize)]
struct Summary<'a> {
    provenance: Provenance<'a>,
    counts: Counts,
    sections: Vec<(&'static str, &'static str)>,
}

#[derive(Serialize)]
struct Results<'a> {
    provenance: &'a Provenance<'a>,
    #[serde(flatten)]
    analyses: &'a Analyses,
}

pub fn run(args: Args) -> Result<()> {
    let ws = workspace::load(&args.workspace)?;
    let out = args.out.clone().unwrap_or_else(|| ws.root.join("out"));
    let progress = Progress::new("importing");
    let import = ws.import_if_stale(|p| progress.update(p.table, p.done, p.total))?;
    progress.finish();
    let record = match import {
        Import::Current(r) => {
            eprintln!("store is current (imported {})", r.imported_at);
            r
        }
        Import::Fresh(r) => {
            eprintln!("imported into {}", ws.store_path().display());
            r
        }
    };
    let now = now();
    let progress = Progress::new("analysing");
    let analyses = run_all(&ws, now, true, |step| progress.step(step))?;
    progress.finish();

    let provenance = Provenance {
        workspace: &ws.config.workspace.name,
        input_digest: &ws.digest,
        chainlens_version: env!("CARGO_PKG_VERSION"),
        imported_at: &record.imported_at,
        generated_at: now.to_string(),
    };
    let sections = section_states(&analyses);
    let mut written = Vec::new();
    for lang in [Lang::En, Lang::Zh] {
        let input = report_input(&ws, &analyses, lang, now);
        let path = out.join(format!("report.{}.html", lang_code(lang)));
        atomic_write(&path, chainlens_report::render_html(&input).as_bytes())?;
        written.push(path);
        if lang == Lang::En {
            written.extend(write_tables(&out, &input)?);
        }
    }
    let results = out.join("results.json");
    atomic_write(
        &results,
        serde_json::to_string_pretty(&Results {
            provenance: &provenance,
            analyses: &analyses,
        })?
        .as_bytes(),
    )?;
    let summary_path = out.join("summary.json");
    let failed = sections.iter().any(|(_, s)| *s == "FAILED");
    atomic_write(
        &summary_path,
        serde_json::to_string_pretty(&Summary {
            provenance,
            counts: record.counts,
            sections: sections.clone(),
        })?
        .as_bytes(),
    )?;
    written.push(results);
    written.push(summary_path);

    print_summary(&ws, &record.counts, &analyses, &sections);
    println!();
    for p in &written {
        println!("wrote {}", p.display());
    }
    if failed {
        // The summary above names each failed analysis and why.
        return Err(CliError::Reported);
    }
    Ok(())
}

pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    }
}

fn section_states(a: &Analyses) -> Vec<(&'static str, &'static str)> {
    vec![
        ("linkage", a.linkage.status()),
        ("supply networks", a.networks.status()),
        ("resilience index", a.resilience.status()),
        ("index research", a.research.status()),
        ("risk register", a.risks.status()),
        ("early warning", a.alerts.status()),
        ("scenarios", a.scenarios.status()),
        ("clearing", a.clearing.status()),
        ("spatial statistics", a.spatial.status()),
    ]
}

/// The workbook and every table as CSV and JSON under `out/tables/`: text cells through
/// [`csv_cell`] (neutralised against spreadsheet formulas), numbers as numbers. The
/// workbook stores text as string cells, which a spreadsheet never runs.
fn write_tables(out: &Path, input: &ReportInput) -> anyhow::Result<Vec<PathBuf>> {
    let workbook = out.join("report.xlsx");
    atomic_write(
        &workbook,
        &chainlens_report::workbook::write_workbook(input)?,
    )?;
    let tables = chainlens_report::tables::tables(input);
    for t in &tables {
        let mut csv = t
            .header
            .iter()
            .map(|h| csv_cell(h))
            .collect::<Vec<_>>()
            .join(",");
        csv.push('\n');
        for row in &t.rows {
            csv.push_str(
                &row.iter()
                    .map(|c| match c {
                        Cell::Text(s) => csv_cell(s),
                        number => number.to_text(),
                    })
                    .collect::<Vec<_>>()
                    .join(","),
            );
            csv.push('\n');
        }
        atomic_write(
            &out.join("tables").join(format!("{}.csv", t.name)),
            csv.as_bytes(),
        )?;
        atomic_write(
            &out.join("tables").join(format!("{}.json", t.name)),
            serde_json::to_string_pretty(t)?.as_bytes(),
        )?;
    }
    Ok(vec![workbook, out.join("tables")])
}

fn print_summary(ws: &Workspace, c: &Counts, a: &Analyses, sections: &[(&str, &str)]) {
    println!(
        "{}: {c}",
        ws.config
            .workspace
            .title
            .as_deref()
            .unwrap_or(&ws.config.workspace.name)
    );
    println!();
    for (name, state) in sections {
        println!("  {name:<18} {state}");
    }
    for (name, why) in failures(a) {
        eprintln!("{name} failed: {why}");
    }
    if let Some(l) = a.linkage.done() {
        let key = l
            .sectors
            .iter()
            .filter(|s| s.class == chainlens_linkage::SectorClass::Key)
            .count();
        println!(
            "\n  linkage: {} industries, {key} key sectors (BL > 1 and FL > 1)",
            l.sectors.len()
        );
    }
    if let Some(reports) = a.networks.done() {
        for r in reports {
            let top = r
                .single_points
                .first()
                .map(|p| {
                    let firms = if p.dominated_count == 1 {
                        "firm depends"
                    } else {
                        "firms depend"
                    };
                    format!(
                        "; top single point of failure {} ({} {firms} on it)",
                        p.id, p.dominated_count
                    )
                })
                .unwrap_or_default();
            println!(
                "  chain {}: {} firms, {} breakpoints{top}",
                r.chain,
                r.firms,
                r.breakpoints.len()
            );
        }
    }
    if let Some(e) = a.resilience.done()
        && let Some(&year) = e.years.last()
    {
        let mut scores = e.year(year);
        scores.sort_by(|x, y| y.index.total_cmp(&x.index));
        if let (Some(best), Some(worst)) = (scores.first(), scores.last()) {
            println!(
                "  resilience {year}: highest {} {:.3} ({}), lowest {} {:.3} ({})",
                best.name,
                best.index,
                best.grade.key(),
                worst.name,
                worst.index,
                worst.grade.key()
            );
        }
    }
    if let Some(r) = a.research.done() {
        if let Some(v) = &r.validation {
            println!(
                "  index validation: Cronbach's α {:.3}, KMO {:.3}, Bartlett χ² {:.1} (df {}, p {:.3e})",
                v.reliability.alpha,
                v.kmo.overall,
                v.bartlett.chi2,
                v.bartlett.df,
                v.bartlett.p_value
            );
        }
        if let Some(f) = &r.regression {
            let terms: Vec<String> = f
                .coefficients
                .iter()
                .map(|c| format!("{} {:.3} (p {:.3})", c.name, c.estimate, c.p_value))
                .collect();
            println!(
                "  fixed effects ({} obs., {} regions): {}",
                f.observations,
                f.entities,
                terms.join(", ")
            );
        }
    }
    if let Some(r) = a.alerts.done() {
        let mut by_level = [0usize; 4];
        for alert in r.unresolved() {
            if (1..=4).contains(&alert.level) {
                by_level[alert.level as usize - 1] += 1;
            }
        }
        println!(
            "  alerts: {} unresolved (level 1: {}, 2: {}, 3: {}, 4: {}); {} raised, {} updated now",
            by_level.iter().sum::<usize>(),
            by_level[0],
            by_level[1],
            by_level[2],
            by_level[3],
            r.raised,
            r.updated
        );
    }
    if let Section::Done(list) = &a.scenarios {
        for s in list.iter().filter_map(Section::done) {
            println!(
                "  scenario {}: {} firms failed, minimum performance {:.3}, loss area {:.2}",
                s.scenario, s.firms_failed, s.run.network.minimum, s.run.network.loss_area
            );
        }
    }
    if let Some(c) = a.clearing.done() {
        println!(
            "  clearing: {} defaults in {} rounds",
            c.defaults.len(),
            c.rounds
        );
    }
}

fn failures(a: &Analyses) -> Vec<(&'static str, String)> {
    fn why<T>(name: &'static str, s: &Section<T>) -> Option<(&'static str, String)> {
        match s {
            Section::Failed(m) => Some((name, m.clone())),
            _ => None,
        }
    }
    let mut out: Vec<_> = [
        why("linkage", &a.linkage),
        why("supply networks", &a.networks),
        why("resilience index", &a.resilience),
        why("index research", &a.research),
        why("risk register", &a.risks),
        why("early warning", &a.alerts),
        why("scenarios", &a.scenarios),
        why("clearing", &a.clearing),
        why("spatial statistics", &a.spatial),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Section::Done(list) = &a.scenarios {
        out.extend(list.iter().filter_map(|s| why("a scenario", s)));
    }
    out
}
