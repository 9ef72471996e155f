//! `chainlens linkage TABLE|WORKSPACE [--layout auto|matrix|nbs|wiod|pymrio] [--forward ghosh|leontief]
//! [--extraction] [--variation] [--network flows|coefficients|complete --threshold T]
//! [--paths N] [--format table|json|csv] [--out DIR]`: input-output linkage analysis of a
//! table (chainlens-linkage documents the methods; chainlens-data's `io_tables` the layouts).
//!
//! JSON (DESIGN.md §5): `{"table":{name, unit, layout, industries, regions, forward,
//! residuals:{table, output, column_sums, row_sums, row_multipliers, regional},
//! spectral_radius, condition_number, pivoting, …},
//! "sectors":[{"region","sector","output","output_multiplier","backward_linkage",
//! "forward_linkage","class", "extraction_total","extraction_backward","extraction_forward"
//! (with --extraction), "intra","feedback","spillover" (multi-regional), …}],
//! "warnings":[{"kind","sector","message"}]}`, plus `regions`, `network`, `paths` when
//! computed. `--format table` prints the sectors ranked by BL + FL, ready to paste.
//! `--out DIR` writes `report.json`, `sectors.csv` and the matrices A, B, L, G in the
//! `matrix` layout (`region,sector` row labels, `region|sector` headers), plus
//! `regions_*.csv`, `network_nodes.csv`/`network_edges.csv` and `paths.csv` when computed.
//! Exit 1 when the table cannot be read or is not productive.

use crate::error::{CliError, Result};
use crate::output::{Format, csv_cell, print_json, text_table};
use crate::workspace;
use chainlens_data::io_tables::{Layout, read};
use chainlens_data::workspace::CONFIG_FILE;
use chainlens_linkage::report::SectorRow;
use chainlens_linkage::system::SpectralBounds;
use chainlens_linkage::{
    Config, EdgeStrength, ForwardConvention, LinkageReport, NetworkConfig, SpaConfig, analyse,
};
use chainlens_model::Vocabulary;
use chainlens_model::{Industry, IoTable, Matrix};
use chainlens_pipeline::Workspace;
use chainlens_pipeline::analyses::io_table;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LayoutArg {
    Auto,
    Matrix,
    Nbs,
    Wiod,
    Pymrio,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ForwardArg {
    Ghosh,
    Leontief,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StrengthArg {
    Flows,
    Coefficients,
    Complete,
}

#[derive(clap::Args)]
pub struct Args {
    /// The table: a file (NBS, WIOD; CSV or XLSX), a folder (matrix layout, pymrio save_all),
    /// or a workspace folder, whose `[io]` table is read.
    pub table: PathBuf,
    #[arg(long, value_enum, default_value = "auto")]
    pub layout: LayoutArg,
    /// Forward linkage from the Ghosh inverse (default) or from row sums of L.
    #[arg(long, value_enum, default_value = "ghosh")]
    pub forward: ForwardArg,
    /// Hypothetical extraction (total, backward, forward) of every sector.
    #[arg(long)]
    pub extraction: bool,
    /// Hirschman's coefficients of variation of BL and FL (forms L).
    #[arg(long)]
    pub variation: bool,
    /// Build the linkage network with this edge strength.
    #[arg(long, value_enum)]
    pub network: Option<StrengthArg>,
    /// Smallest edge strength kept in the network.
    #[arg(long, default_value_t = 0.01)]
    pub threshold: f64,
    /// Structural path analysis: the N largest supply paths.
    #[arg(long, value_name = "N")]
    pub paths: Option<usize>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write the report, the sector table and the matrices A, B, L, G into DIR.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// The `[io]` table of the workspace in `dir`.
fn workspace_table(dir: &Path, layout: Option<Layout>) -> Result<(IoTable, Layout), String> {
    let ws = Workspace::open(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    io_table(&ws, layout)?.ok_or_else(|| {
        format!(
            "{}: the workspace has no [io] table in {CONFIG_FILE}",
            dir.display()
        )
    })
}

pub fn run(args: Args) -> Result<()> {
    let layout = match args.layout {
        LayoutArg::Auto => None,
        LayoutArg::Matrix => Some(Layout::Matrix),
        LayoutArg::Nbs => Some(Layout::Nbs),
        LayoutArg::Wiod => Some(Layout::Wiod),
        LayoutArg::Pymrio => Some(Layout::Pymrio),
    };
    let read = if args.table.join(CONFIG_FILE).is_file() {
        workspace_table(&args.table, layout)
    } else {
        let limits = workspace::limits_around(&args.table)?;
        read(&args.table, layout, &limits.io_tables()).map_err(|e| e.to_string())
    };
    let (table, layout) = match read {
        Ok(t) => t,
        Err(e) => {
            return Err(CliError::Problems(vec![e.to_string()]));
        }
    };
    let total_output: f64 = table.total_output().iter().sum();
    let config = Config {
        forward: match args.forward {
            ForwardArg::Ghosh => ForwardConvention::Ghosh,
            ForwardArg::Leontief => ForwardConvention::Leontief,
        },
        extraction: args.extraction,
        variation: args.variation,
        matrices: args.out.is_some(),
        network: args.network.map(|s| NetworkConfig {
            strength: match s {
                StrengthArg::Flows => EdgeStrength::Flows,
                StrengthArg::Coefficients => EdgeStrength::Coefficients,
                StrengthArg::Complete => EdgeStrength::Complete,
            },
            threshold: args.threshold,
        }),
        paths: args.paths.map(|n| SpaConfig {
            threshold: total_output * 1e-6,
            max_depth: 12,
            max_paths: n,
            max_visits: 20_000_000,
        }),
    };
    let report = match analyse(&table, &config) {
        Ok(r) => r,
        Err(e) => {
            return Err(CliError::Problems(vec![format!(
                "{}: {e}",
                args.table.display()
            )]));
        }
    };
    for w in &report.warnings {
        eprintln!("warning: {}", w.message);
    }
    let mut json = serde_json::to_value(&report)?;
    json["table"]["layout"] = layout.name().into();
    if let Some(dir) = &args.out {
        write_out(dir, &report, &table.industries, &json)?;
    }
    match args.format {
        Format::Json => print_json(&json)?,
        Format::Csv => print!("{}", sectors_csv(&report)),
        Format::Table => println!("{}", ranked_table(&report, layout)),
    }
    Ok(())
}

fn fmt(v: f64) -> String {
    format!("{v:.4}")
}

/// Sectors ranked by BL + FL, with the summary a paper needs above them.
/// ρ(A) to four decimals when the bounds agree that far, else its bracket.
fn spectral_radius(b: SpectralBounds) -> String {
    if b.upper - b.lower < 5e-5 {
        format!("{:.4}", b.upper)
    } else {
        format!("in [{:.4}, {:.4}]", b.lower, b.upper)
    }
}

fn ranked_table(r: &LinkageReport, layout: Layout) -> String {
    let t = &r.table;
    let multi = t.regions.len() > 1;
    let mut order: Vec<usize> = (0..r.sectors.len()).collect();
    let score = |s: &SectorRow| s.backward_linkage + s.forward_linkage;
    order.sort_by(|&a, &b| score(&r.sectors[b]).total_cmp(&score(&r.sectors[a])));
    let mut header = vec!["rank"];
    if multi {
        header.push("region");
    }
    header.extend(["sector", "output", "multiplier", "BL", "FL", "class"]);
    let ext = r
        .sectors
        .first()
        .is_some_and(|s| s.extraction_total.is_some());
    if ext {
        header.extend(["extr. total", "extr. backward", "extr. forward"]);
    }
    if multi {
        header.extend(["intra", "feedback", "spillover"]);
    }
    let rows: Vec<Vec<String>> = order
        .iter()
        .enumerate()
        .map(|(rank, &i)| {
            let s = &r.sectors[i];
            let mut row = vec![(rank + 1).to_string()];
            if multi {
                row.push(s.region.clone());
            }
            row.extend([
                s.sector.clone(),
                format!("{:.1}", s.output),
                fmt(s.output_multiplier),
                fmt(s.backward_linkage),
                fmt(s.forward_linkage),
                s.class.key().to_owned(),
            ]);
            if ext {
                for v in [
                    s.extraction_total,
                    s.extraction_backward,
                    s.extraction_forward,
                ] {
                    row.push(format!("{:.1}", v.unwrap_or(f64::NAN)));
                }
            }
            if multi {
                for v in [s.intra, s.feedback, s.spillover] {
                    row.push(fmt(v.unwrap_or(f64::NAN)));
                }
            }
            row
        })
        .collect();
    let count = |c: &str| r.sectors.iter().filter(|s| s.class.key() == c).count();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({} layout): {} industries in {} region(s){}; forward linkage: {:?}",
        t.name,
        layout.name(),
        t.industries,
        t.regions.len(),
        t.unit
            .as_ref()
            .map(|u| format!(", {u}"))
            .unwrap_or_default(),
        t.forward
    );
    let _ = writeln!(
        out,
        "key {} · backward-oriented {} · forward-oriented {} · weak {}; spectral radius {}; condition number κ₁(I − A) {:.3}; solve residual {:.1e}",
        count("key"),
        count("backward"),
        count("forward"),
        count("weak"),
        spectral_radius(t.spectral_radius),
        t.condition_number,
        t.residuals.output.max(t.residuals.column_sums)
    );
    out.push('\n');
    out.push_str(&text_table(&header, &rows));
    out
}

fn opt(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn sectors_csv(r: &LinkageReport) -> String {
    let mut out = String::from(
        "region,sector,output,output_multiplier,value_added_multiplier,backward_linkage,forward_linkage,class,backward_variation,forward_variation,extraction_total,extraction_backward,extraction_forward,intra,feedback,spillover,location_quotient,regional_share\n",
    );
    for s in &r.sectors {
        let cells = [
            csv_cell(&s.region),
            csv_cell(&s.sector),
            s.output.to_string(),
            s.output_multiplier.to_string(),
            opt(s.value_added_multiplier),
            s.backward_linkage.to_string(),
            s.forward_linkage.to_string(),
            s.class.key().to_owned(),
            opt(s.backward_variation),
            opt(s.forward_variation),
            opt(s.extraction_total),
            opt(s.extraction_backward),
            opt(s.extraction_forward),
            opt(s.intra),
            opt(s.feedback),
            opt(s.spillover),
            opt(s.location_quotient),
            opt(s.regional_share),
        ];
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// A matrix in the `matrix` layout: `region,sector`, then one `region|sector` column each.
fn matrix_csv(m: &Matrix, industries: &[Industry]) -> String {
    let mut out = String::from("region,sector");
    for ind in industries {
        out.push(',');
        out.push_str(&csv_cell(&ind.label()));
    }
    out.push('\n');
    for (i, ind) in industries.iter().enumerate() {
        out.push_str(&csv_cell(&ind.region));
        out.push(',');
        out.push_str(&csv_cell(&ind.sector));
        for v in m.row(i) {
            let _ = write!(out, ",{v}");
        }
        out.push('\n');
    }
    out
}

fn square_csv(labels: &[String], m: &[Vec<f64>]) -> String {
    let mut out = String::from("region");
    for l in labels {
        out.push(',');
        out.push_str(&csv_cell(l));
    }
    out.push('\n');
    for (l, row) in labels.iter().zip(m) {
        out.push_str(&csv_cell(l));
        for v in row {
            let _ = write!(out, ",{v}");
        }
        out.push('\n');
    }
    out
}

fn write_out(
    dir: &Path,
    r: &LinkageReport,
    industries: &[Industry],
    json: &serde_json::Value,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let put = |name: &str, text: String| -> anyhow::Result<()> {
        let path = dir.join(name);
        let tmp = dir.join(format!(".{name}.tmp"));
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, &path)?;
        Ok(())
    };
    put("report.json", serde_json::to_string_pretty(json)?)?;
    put("sectors.csv", sectors_csv(r))?;
    if let Some(m) = &r.matrices {
        put("A.csv", matrix_csv(&m.a, industries))?;
        put("B.csv", matrix_csv(&m.b, industries))?;
        put("L.csv", matrix_csv(&m.l, industries))?;
        put("G.csv", matrix_csv(&m.g, industries))?;
    }
    if let Some(reg) = &r.regions {
        let m = &reg.matrices;
        put("regions_flows.csv", square_csv(&m.regions, &m.flows))?;
        put(
            "regions_induced_output.csv",
            square_csv(&m.regions, &m.induced_output),
        )?;
        put(
            "regions_multipliers.csv",
            square_csv(&m.regions, &m.multipliers),
        )?;
    }
    if let Some(net) = &r.network {
        let mut nodes = String::from(
            "id,region,sector,output,in_strength,out_strength,pagerank,betweenness,cluster,intra_region_share\n",
        );
        for (i, n) in net.nodes.iter().enumerate() {
            let _ = writeln!(
                nodes,
                "{i},{},{},{},{},{},{},{},{},{}",
                csv_cell(&n.region),
                csv_cell(&n.sector),
                n.output,
                n.in_strength,
                n.out_strength,
                n.pagerank,
                n.betweenness,
                n.cluster,
                n.intra_region_share
            );
        }
        put("network_nodes.csv", nodes)?;
        let mut edges = String::from("src,dst,strength\n");
        for e in &net.edges {
            let _ = writeln!(edges, "{},{},{}", e.from, e.to, e.strength);
        }
        put("network_edges.csv", edges)?;
    }
    if let Some(p) = &r.paths {
        let mut out = String::from("rank,value,path\n");
        for (k, path) in p.paths.iter().enumerate() {
            let labels: Vec<String> = path
                .sectors
                .iter()
                .map(|&i| industries[i].label())
                .collect();
            let _ = writeln!(
                out,
                "{},{},{}",
                k + 1,
                path.value,
                csv_cell(&labels.join(" -> "))
            );
        }
        put("paths.csv", out)?;
    }
    Ok(())
}
