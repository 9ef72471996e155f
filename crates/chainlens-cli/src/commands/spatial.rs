//! `chainlens spatial --values FILE (--neighbours FILE | --geojson FILE [--contiguity
//! queen|rook] | --knn K (--geojson FILE | --coordinates FILE)) [--permutations N --seed
//! S] --format table|json|csv`: global Moran's I, Geary's C and local Moran (LISA) of one
//! variable per region (issue 19 item 1). chainlens-pipeline's `spatial` module reads the
//! files and runs the statistics; this module parses the options and prints.
//!
//! Files: values `id,value`; neighbours `id,neighbour`, one row per direction (an
//! asymmetric pair is refused at its row); coordinates `id,x,y`. The GeoJSON is a
//! FeatureCollection of Polygons/MultiPolygons whose property `id` (or `--id-property`)
//! names the region. Weights are row-standardised. Islands (no neighbour) are linked
//! both ways to their nearest region by point (GeoJSON area centroid or coordinates) when
//! there are points, else kept isolated; `--islands` chooses; the output says which.
//!
//! JSON: `{"regions", "weights":{"kind","source","points","links","row_standardised"},
//! "islands":[id…], "island_rule":"nearest"|"isolate", "moran_i", "expected_i",
//! "variance_normal", "z_normal", "p_normal" (two-sided), "permutations", "seed",
//! "p_permutation", "geary_c", "geary_expected_c", "geary_variance_normal",
//! "geary_z_normal", "geary_p_normal" (one-sided), "geary_p_permutation", "significance",
//! "local":{ID:{"value","i","quadrant","cluster","p"}}}` with `cluster` one of HH, LL,
//! HL, LH, not_significant. CSV: one row per region (id,value,i,quadrant,cluster,p).
//!
//! `chainlens spatial WORKSPACE`: the same statistics on the resilience index of every
//! year, on the map `[spatial]` of chainlens.toml names (`geojson`, and optionally
//! `id_property`, `contiguity`, `knn`, `islands`, `permutations`, `seed`,
//! `significance`). JSON `{"variable","unmapped":[ids without an outline],"years":[{"year",
//! …the fields above…}]}`; CSV adds a `year` column; the table shows one line per year.

use crate::error::{CliError, Result};
use crate::output::{Format, csv_table, print_json, text_table};
use crate::workspace;
use chainlens_pipeline::Section;
use chainlens_pipeline::analyses::{resilience, spatial};
use chainlens_pipeline::spatial::{
    SpatialError, SpatialOptions, SpatialReport, WeightsFrom, spatial_from_files,
};
use chainlens_spatial::moran::Cluster;
use chainlens_spatial::{Contiguity, IslandRule};
use std::path::PathBuf;

const HEADER: [&str; 6] = ["id", "value", "i", "quadrant", "cluster", "p"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ContiguityArg {
    /// Neighbours share at least one vertex.
    Queen,
    /// Neighbours share at least one edge.
    Rook,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum IslandArg {
    /// Link each island both ways to its nearest region by point.
    Nearest,
    /// Keep islands without neighbours (spatial lag 0).
    Isolate,
}

#[derive(clap::Args)]
#[command(group = clap::ArgGroup::new("input").required(true).args(["workspace", "values"]))]
pub struct Args {
    /// A workspace: the resilience index per year on the map of its `[spatial]` section.
    pub workspace: Option<PathBuf>,
    /// The variable: id,value (one row per region).
    #[arg(long, value_name = "FILE.csv", conflicts_with = "workspace")]
    pub values: Option<PathBuf>,
    /// Neighbour pairs: id,neighbour, each pair listed both ways.
    #[arg(long, value_name = "FILE.csv", conflicts_with_all = ["geojson", "knn", "contiguity"])]
    pub neighbours: Option<PathBuf>,
    /// Region outlines (GeoJSON FeatureCollection): contiguity, or centroids for --knn.
    #[arg(long, value_name = "FILE", conflicts_with = "coordinates")]
    pub geojson: Option<PathBuf>,
    /// Contiguity of the GeoJSON outlines (default queen).
    #[arg(long, value_enum, requires = "geojson", conflicts_with = "knn")]
    pub contiguity: Option<ContiguityArg>,
    /// The K nearest regions by point (GeoJSON centroids or --coordinates).
    #[arg(long, value_name = "K")]
    pub knn: Option<usize>,
    /// Points id,x,y for --knn, and for linking islands to their nearest region.
    #[arg(long, value_name = "FILE.csv")]
    pub coordinates: Option<PathBuf>,
    /// The GeoJSON feature property that holds the region id.
    #[arg(long, default_value = "id")]
    pub id_property: String,
    /// What to do with regions without neighbours (default: nearest when there are points, else isolate).
    #[arg(long, value_enum)]
    pub islands: Option<IslandArg>,
    /// Random permutations for the pseudo p-values (global and local).
    #[arg(long, default_value_t = 999)]
    pub permutations: usize,
    /// Seed of the permutations (same seed, same p-values).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Local Moran's significance level for the cluster labels.
    #[arg(long, default_value_t = 0.05)]
    pub significance: f64,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

pub fn run(args: Args) -> Result<()> {
    let Some(values) = args.values.clone() else {
        return run_workspace(&args);
    };
    let weights = if let Some(path) = &args.neighbours {
        WeightsFrom::Neighbours(path.clone())
    } else if let Some(k) = args.knn {
        WeightsFrom::Knn(k)
    } else if args.geojson.is_none() {
        return Err(CliError::usage(
            "give the weights: --neighbours FILE, --geojson FILE or --knn K",
        ));
    } else {
        WeightsFrom::Contiguity(match args.contiguity {
            Some(ContiguityArg::Rook) => Contiguity::Rook,
            Some(ContiguityArg::Queen) | None => Contiguity::Queen,
        })
    };
    let options = SpatialOptions {
        values,
        weights,
        geojson: args.geojson.clone(),
        id_property: args.id_property.clone(),
        coordinates: args.coordinates.clone(),
        islands: args.islands.map(|i| match i {
            IslandArg::Nearest => IslandRule::Nearest,
            IslandArg::Isolate => IslandRule::Isolate,
        }),
        permutations: args.permutations,
        seed: args.seed,
        significance: args.significance,
    };
    let report = match spatial_from_files(&options) {
        Ok(r) => r,
        Err(SpatialError::Data(e)) => return Err(e.into()),
        Err(e @ SpatialError::Options(_)) => {
            return Err(CliError::usage(e));
        }
        Err(e @ SpatialError::Statistic(_)) => {
            return Err(CliError::Problems(vec![format!(
                "{}: {e}",
                options.values.display()
            )]));
        }
    };
    match args.format {
        Format::Json => print_json(&report)?,
        Format::Csv => print!("{}", csv_table(&HEADER, &local_rows(&report, true))),
        Format::Table => {
            let w = &report.weights;
            println!(
                "{} regions; weights: {} from {}{}, {} links, row-standardised",
                report.regions,
                w.kind,
                w.source,
                w.points
                    .as_deref()
                    .map(|p| format!(" (points: {p})"))
                    .unwrap_or_default(),
                w.links
            );
            if report.islands.is_empty() {
                println!("islands: none");
            } else {
                let rule = match report.island_rule {
                    IslandRule::Nearest => "linked to the nearest region by point",
                    IslandRule::Isolate => "kept without neighbours",
                };
                println!("islands: {} ({rule})", report.islands.join(", "));
            }
            println!(
                "Moran's I {:.6}  E[I] {:.6}  z {:.4}  p (normal, two-sided) {:.4}  p ({} permutations, seed {}) {:.4}",
                report.moran_i,
                report.expected_i,
                report.z_normal,
                report.p_normal,
                report.permutations,
                report.seed,
                report.p_permutation
            );
            println!(
                "Geary's C {:.6}  E[C] 1  z {:.4}  p (normal, one-sided) {:.4}  p (permutations) {:.4}",
                report.geary_c,
                report.geary_z_normal,
                report.geary_p_normal,
                report.geary_p_permutation
            );
            println!(
                "local Moran (clusters at p ≤ {}):\n{}",
                report.significance,
                text_table(&HEADER, &local_rows(&report, false))
            );
        }
    }
    Ok(())
}

/// One row per region: full precision for CSV, rounded for people.
fn local_rows(report: &SpatialReport, full: bool) -> Vec<Vec<String>> {
    report
        .local
        .iter()
        .map(|(id, l)| {
            let (i, p) = if full {
                (l.i.to_string(), l.p.to_string())
            } else {
                (format!("{:.6}", l.i), format!("{:.4}", l.p))
            };
            vec![
                id.clone(),
                l.value.to_string(),
                i,
                l.quadrant.label().to_owned(),
                l.cluster.label().to_owned(),
                p,
            ]
        })
        .collect()
}

/// `chainlens spatial WS`: the workspace's resilience index per year (`[spatial]` says
/// which map and weights; the file options do not apply).
fn run_workspace(args: &Args) -> Result<()> {
    let Some(dir) = &args.workspace else {
        return Err(CliError::usage("give a WORKSPACE or --values FILE"));
    };
    let ws = workspace::load(dir)?;
    let result = match spatial(&ws, &resilience(&ws)) {
        Section::Done(s) => s,
        Section::NotConfigured(why) | Section::Failed(why) => {
            return Err(CliError::Problems(vec![format!(
                "{}: {why}",
                dir.join("chainlens.toml").display()
            )]));
        }
    };
    match args.format {
        Format::Json => print_json(&result)?,
        Format::Csv => {
            let rows: Vec<Vec<String>> = result
                .years
                .iter()
                .flat_map(|y| {
                    local_rows(&y.report, true).into_iter().map(move |mut row| {
                        row.insert(0, y.year.to_string());
                        row
                    })
                })
                .collect();
            let mut header = vec!["year"];
            header.extend(HEADER);
            print!("{}", csv_table(&header, &rows));
        }
        Format::Table => {
            if !result.unmapped.is_empty() {
                println!("not on the map (left out): {}", result.unmapped.join(", "));
            }
            let rows: Vec<Vec<String>> = result
                .years
                .iter()
                .map(|y| {
                    let r = &y.report;
                    let clusters = r
                        .local
                        .iter()
                        .filter(|(_, l)| l.cluster != Cluster::NotSignificant)
                        .map(|(id, l)| format!("{id} {}", l.cluster.label()))
                        .collect::<Vec<_>>()
                        .join(", ");
                    vec![
                        y.year.to_string(),
                        r.regions.to_string(),
                        format!("{:.4}", r.moran_i),
                        format!("{:.4}", r.p_normal),
                        format!("{:.4}", r.p_permutation),
                        format!("{:.4}", r.geary_c),
                        clusters,
                    ]
                })
                .collect();
            if let Some(first) = result.years.first() {
                let w = &first.report.weights;
                println!(
                    "Moran's I, Geary's C and LISA clusters of the {} by {} from {}, row-standardised; islands: {}",
                    result.variable,
                    w.kind,
                    w.source,
                    if first.report.islands.is_empty() {
                        "none".to_owned()
                    } else {
                        let rule = match first.report.island_rule {
                            IslandRule::Nearest => "linked to the nearest region",
                            IslandRule::Isolate => "kept without neighbours",
                        };
                        format!("{} ({rule})", first.report.islands.join(", "))
                    }
                );
            }
            println!(
                "{}",
                text_table(
                    &[
                        "year",
                        "regions",
                        "moran_i",
                        "p_normal",
                        "p_permutation",
                        "geary_c",
                        "clusters"
                    ],
                    &rows
                )
            );
        }
    }
    Ok(())
}
