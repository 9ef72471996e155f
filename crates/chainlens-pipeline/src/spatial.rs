//! Spatial autocorrelation of one variable from files (`chainlens spatial --values …`,
//! issue 19 item 1): the door between the files (chainlens-data's `spatial_files` and
//! `geojson` readers) and the pure statistics of chainlens-spatial.
//!
//! Steps: the values (`id,value`, file order = region order); the weights from one of
//! - neighbour pairs (`id,neighbour`, both directions listed; an asymmetric pair is
//!   refused at its row),
//! - a GeoJSON's outlines by queen or rook contiguity,
//! - the k nearest regions by point: the outlines' area centroids (with a GeoJSON) or an
//!   `id,x,y` file (distances are Euclidean in the given units — lon/lat degrees are not
//!   metres, but for k-nearest only the order matters within a province);
//!
//! then the island rule (regions without a neighbour: linked both ways to the nearest
//! region by point when points exist, kept as isolates otherwise, or as asked), row
//! standardisation, global Moran's I (normal and permutation inference), Geary's C and
//! local Moran with cluster labels. The regions of the values and of the weights' file
//! must be the same set; every mismatch is located in its file. Cost: reading the files,
//! O(V log V) contiguity for V vertices, then O(P (n + L)) for P permutations and L links.
//!
//! The workspace form ([`workspace_spatial`], `[spatial]` of chainlens.toml, issue 19
//! item 1's "on the index per year") runs the same statistics on the resilience index of
//! each year, over the regions that have an index and an outline.

use crate::Workspace;
use chainlens_data::geojson::read_geojson;
use chainlens_data::spatial_files::{SpatialTable, read_coordinates, read_neighbours, read_values};
use chainlens_data::{Limits, Located, Location};
use chainlens_model::RegionOutline;
use chainlens_model::problem::suggest;
use chainlens_resilience::Evaluation;
use chainlens_spatial::geary::geary;
use chainlens_spatial::moran::{Cluster, local_moran, moran};
use chainlens_spatial::weights::centroid;
use chainlens_spatial::{Contiguity, IslandRule, Weights};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Why a spatial run did not produce a result.
#[derive(Debug, thiserror::Error)]
pub enum SpatialError {
    /// Problems in the files, each located (file, row/feature, field).
    #[error(transparent)]
    Data(#[from] chainlens_data::Error),
    /// Options that do not fit together.
    #[error("{0}")]
    Options(String),
    /// The statistics refused the input (constant values, too few regions, …).
    #[error("{0}")]
    Statistic(#[from] chainlens_spatial::Error),
}

/// Where the weights come from.
#[derive(Debug, Clone, PartialEq)]
pub enum WeightsFrom {
    /// `id,neighbour` pairs, each listed both ways.
    Neighbours(PathBuf),
    /// Contiguity of a GeoJSON's outlines.
    Contiguity(Contiguity),
    /// The k nearest regions by point (GeoJSON centroids or `--coordinates`).
    Knn(usize),
}

/// Everything `chainlens spatial` is asked, files as paths.
#[derive(Debug, Clone, PartialEq)]
pub struct SpatialOptions {
    pub values: PathBuf,
    pub weights: WeightsFrom,
    /// Outlines: the contiguity's polygons, the centroids for k-nearest and the island rule.
    pub geojson: Option<PathBuf>,
    /// The GeoJSON property naming the region id.
    pub id_property: String,
    /// `id,x,y` points, for k-nearest and the island rule when there is no GeoJSON.
    pub coordinates: Option<PathBuf>,
    /// None: link islands to their nearest region when there are points, else isolate.
    pub islands: Option<IslandRule>,
    pub permutations: usize,
    pub seed: u64,
    /// Local Moran's significance level for the cluster labels.
    pub significance: f64,
}

/// How the weights were built, for the output.
#[derive(Debug, Clone, Serialize)]
pub struct WeightsSummary {
    /// `neighbour pairs`, `queen contiguity`, `rook contiguity` or `k-nearest (k = K)`.
    pub kind: String,
    /// The file the links came from.
    pub source: String,
    /// Where the points came from (centroids of a GeoJSON, a coordinates file), if any.
    pub points: Option<String>,
    /// Directed links after the island rule (each pair counts twice when symmetric).
    pub links: usize,
    pub row_standardised: bool,
}

/// One region's local Moran.
#[derive(Debug, Clone, Serialize)]
pub struct LocalResult {
    pub value: f64,
    pub i: f64,
    /// Quadrant of (value, spatial lag) whatever the significance.
    pub quadrant: Cluster,
    /// The quadrant when p ≤ significance, else `not_significant`.
    pub cluster: Cluster,
    /// Conditional-permutation pseudo p-value.
    pub p: f64,
}

/// Global and local autocorrelation of one variable under one set of weights.
#[derive(Debug, Clone, Serialize)]
pub struct SpatialReport {
    pub regions: usize,
    pub weights: WeightsSummary,
    /// Regions that had no neighbour before the island rule.
    pub islands: Vec<String>,
    pub island_rule: IslandRule,
    pub moran_i: f64,
    pub expected_i: f64,
    pub variance_normal: f64,
    pub z_normal: f64,
    /// Two-sided, under normality.
    pub p_normal: f64,
    pub permutations: usize,
    pub seed: u64,
    /// Folded pseudo p-value of the permutations.
    pub p_permutation: f64,
    pub geary_c: f64,
    pub geary_expected_c: f64,
    pub geary_variance_normal: f64,
    pub geary_z_normal: f64,
    /// One-sided, under normality (as esda reports it).
    pub geary_p_normal: f64,
    pub geary_p_permutation: f64,
    pub significance: f64,
    /// Per region id.
    pub local: BTreeMap<String, LocalResult>,
}

fn shown(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn invalid(problems: Vec<Located>) -> SpatialError {
    SpatialError::Data(chainlens_data::Error::Invalid { problems })
}

/// Puts `items` (id, item) from another file in the order of the values' ids. Every id on
/// one side only is a problem: in the values file at its row, in the other file where
/// `locate` says (item k).
fn align<T>(
    values: &SpatialTable<(String, f64)>,
    items: Vec<(String, T)>,
    other: &str,
    locate: impl Fn(usize, String, Option<String>) -> Located,
) -> Result<Vec<T>, SpatialError> {
    let index: HashMap<&str, usize> = values
        .records
        .iter()
        .enumerate()
        .map(|(k, (id, _))| (id.as_str(), k))
        .collect();
    let mut slots: Vec<Option<T>> = values.records.iter().map(|_| None).collect();
    let mut problems = Vec::new();
    let other_ids: Vec<String> = items.iter().map(|(id, _)| id.clone()).collect();
    for (k, (id, item)) in items.into_iter().enumerate() {
        match index.get(id.as_str()) {
            Some(&slot) => slots[slot] = Some(item),
            None => problems.push(locate(
                k,
                format!("region `{id}` has no row in {}", values.table.file),
                suggest(&id, index.keys().copied()),
            )),
        }
    }
    for (k, slot) in slots.iter().enumerate() {
        if slot.is_none() {
            let id = &values.records[k].0;
            problems.push(values.problem(
                k,
                "id",
                format!("region `{id}` is not in {other}"),
                suggest(id, other_ids.iter().map(String::as_str)),
            ));
        }
    }
    if problems.is_empty() {
        Ok(slots.into_iter().flatten().collect())
    } else {
        Err(invalid(problems))
    }
}

/// The outlines of `path` in the values' order.
fn outlines(
    values: &SpatialTable<(String, f64)>,
    path: &Path,
    id_property: &str,
    limits: &Limits,
) -> Result<Vec<RegionOutline>, SpatialError> {
    let file = shown(path);
    let regions = read_geojson(path, &file, id_property, limits)?;
    let items = regions.into_iter().map(|r| (r.id.clone(), r)).collect();
    align(values, items, &file, |k, message, suggestion| Located {
        file: file.clone(),
        location: Location::Key {
            path: format!("features[{k}]"),
        },
        field: Some(format!("properties.{id_property}")),
        message,
        suggestion,
    })
}

/// The points of an `id,x,y` file in the values' order.
fn coordinates(
    values: &SpatialTable<(String, f64)>,
    path: &Path,
    limits: &Limits,
) -> Result<Vec<[f64; 2]>, SpatialError> {
    let file = shown(path);
    let t = read_coordinates(path, &file, limits)?;
    align(
        values,
        t.records.clone(),
        &file,
        |k, message, suggestion| t.problem(k, "id", message, suggestion),
    )
}

/// Permutation inference settings.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Inference {
    permutations: usize,
    seed: u64,
    significance: f64,
}

impl Inference {
    fn check(self) -> Result<Self, SpatialError> {
        if self.permutations == 0 {
            return Err(SpatialError::Options(
                "permutations must be at least 1: the local clusters are judged by permutation"
                    .into(),
            ));
        }
        if !(self.significance > 0.0 && self.significance < 1.0) {
            return Err(SpatialError::Options(format!(
                "the significance level {} must lie strictly between 0 and 1",
                self.significance
            )));
        }
        Ok(self)
    }
}

/// Contiguity of `outlines` or k-nearest of `points`, with the weights' kind.
fn geometric(
    ids: Vec<String>,
    outlines: Option<&[RegionOutline]>,
    points: Option<&[[f64; 2]]>,
    from: &WeightsFrom,
) -> Result<(Weights, String), SpatialError> {
    match from {
        WeightsFrom::Neighbours(_) => unreachable!("neighbour pairs are read, not derived"),
        WeightsFrom::Contiguity(rule) => {
            let Some(outlines) = outlines else {
                return Err(SpatialError::Options(
                    "contiguity weights need a GeoJSON with the regions' outlines".into(),
                ));
            };
            let shapes: Vec<_> = outlines.iter().map(|r| r.outline.clone()).collect();
            let kind = match rule {
                Contiguity::Queen => "queen contiguity",
                Contiguity::Rook => "rook contiguity",
            };
            Ok((Weights::contiguity(ids, &shapes, *rule)?, kind.to_owned()))
        }
        WeightsFrom::Knn(k) => {
            let Some(points) = points else {
                return Err(SpatialError::Options(
                    "k-nearest weights need points: --geojson (area centroids) or --coordinates FILE (id,x,y)"
                        .into(),
                ));
            };
            Ok((
                Weights::knn(ids, points, *k)?,
                format!("k-nearest (k = {k})"),
            ))
        }
    }
}

/// The island rule (default: nearest when there are points), row standardisation, and
/// every statistic of `y` under the result.
fn report(
    weights: Weights,
    points: Option<&[[f64; 2]]>,
    islands: Option<IslandRule>,
    summary: (String, String, Option<String>),
    y: &[f64],
    inference: Inference,
) -> Result<SpatialReport, SpatialError> {
    let rule = islands.unwrap_or(if points.is_some() {
        IslandRule::Nearest
    } else {
        IslandRule::Isolate
    });
    if rule == IslandRule::Nearest && points.is_none() && !weights.islands.is_empty() {
        return Err(SpatialError::Options(format!(
            "linking the islands ({}) to their nearest region needs points: --geojson or --coordinates FILE (id,x,y); or keep them isolated with --islands isolate",
            weights.islands.join(", ")
        )));
    }
    let w = weights.with_island_rule(rule, points)?.row_standardised();
    let Inference {
        permutations,
        seed,
        significance,
    } = inference;
    let global = moran(&w, y, permutations, seed)?;
    let c = geary(&w, y, permutations, seed)?;
    let local = local_moran(&w, y, permutations, seed, significance)?;
    let (kind, source, points_from) = summary;
    Ok(SpatialReport {
        regions: w.len(),
        weights: WeightsSummary {
            kind,
            source,
            points: points_from,
            links: w.neighbours.iter().map(Vec::len).sum(),
            row_standardised: w.row_standardised,
        },
        islands: w.islands.clone(),
        island_rule: w.island_rule,
        moran_i: global.moran_i,
        expected_i: global.expected_i,
        variance_normal: global.variance_normal,
        z_normal: global.z_normal,
        p_normal: global.p_normal,
        permutations,
        seed,
        p_permutation: global.p_permutation.expect("permutations ≥ 1"),
        geary_c: c.c,
        geary_expected_c: c.expected_c,
        geary_variance_normal: c.variance_normal,
        geary_z_normal: c.z_normal,
        geary_p_normal: c.p_normal,
        geary_p_permutation: c.p_permutation.expect("permutations ≥ 1"),
        significance,
        local: local
            .into_iter()
            .zip(y)
            .map(|(l, &value)| {
                (
                    l.id,
                    LocalResult {
                        value,
                        i: l.i,
                        quadrant: l.quadrant,
                        cluster: l.cluster,
                        p: l.p_permutation,
                    },
                )
            })
            .collect(),
    })
}

/// Runs the spatial statistics `options` describe.
pub fn spatial_from_files(options: &SpatialOptions) -> Result<SpatialReport, SpatialError> {
    let o = options;
    let inference = Inference {
        permutations: o.permutations,
        seed: o.seed,
        significance: o.significance,
    }
    .check()?;
    // The `[limits]` of a workspace holding the values file, else the defaults.
    let limits = Limits::around(&o.values)?;
    let values = read_values(&o.values, &shown(&o.values), &limits)?;
    let ids: Vec<String> = values.records.iter().map(|(id, _)| id.clone()).collect();
    let y: Vec<f64> = values.records.iter().map(|&(_, v)| v).collect();
    let outlines = match &o.geojson {
        Some(path) => Some(outlines(&values, path, &o.id_property, &limits)?),
        None => None,
    };
    let (points, points_from) = match (&outlines, &o.coordinates) {
        (Some(_), Some(_)) => {
            return Err(SpatialError::Options(
                "give either --geojson (centroids) or --coordinates, not both".into(),
            ));
        }
        (Some(outlines), None) => (
            Some(
                outlines
                    .iter()
                    .map(|r| centroid(&r.outline))
                    .collect::<Vec<_>>(),
            ),
            o.geojson
                .as_deref()
                .map(|p| format!("area centroids of {}", shown(p))),
        ),
        (None, Some(path)) => (
            Some(coordinates(&values, path, &limits)?),
            Some(shown(path)),
        ),
        (None, None) => (None, None),
    };
    let (weights, kind, source) = match &o.weights {
        WeightsFrom::Neighbours(path) => {
            let file = shown(path);
            let pairs = read_neighbours(path, &file, &ids, &limits)?;
            let weights = Weights::from_pairs(ids, &pairs.records).map_err(|e| match e {
                chainlens_spatial::Error::Asymmetric { id, neighbour } => {
                    let k = pairs
                        .records
                        .iter()
                        .position(|(a, b)| *a == id && *b == neighbour)
                        .unwrap_or(0);
                    invalid(vec![pairs.problem(
                        k,
                        "neighbour",
                        format!(
                            "`{id}` → `{neighbour}` is listed but `{neighbour}` → `{id}` is not: \
                             the pairs must be symmetric (add a row `{neighbour},{id}`)"
                        ),
                        None,
                    )])
                }
                other => SpatialError::Statistic(other),
            })?;
            (weights, "neighbour pairs".to_owned(), file)
        }
        from => {
            let (weights, kind) = geometric(ids, outlines.as_deref(), points.as_deref(), from)?;
            let source = match from {
                WeightsFrom::Knn(_) => points_from.clone().unwrap_or_default(),
                _ => o.geojson.as_deref().map(shown).unwrap_or_default(),
            };
            (weights, kind, source)
        }
    };
    report(
        weights,
        points.as_deref(),
        o.islands,
        (kind, source, points_from),
        &y,
        inference,
    )
}

fn default_id_property() -> String {
    "id".into()
}

fn default_permutations() -> usize {
    999
}

fn default_significance() -> f64 {
    0.05
}

/// `[spatial]` of chainlens.toml: the map of the workspace's regions and how to weigh
/// them. Queen contiguity unless `contiguity` or `knn` says otherwise.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpatialSection {
    /// GeoJSON of the regions' outlines, relative to the workspace.
    pub geojson: PathBuf,
    #[serde(default = "default_id_property")]
    pub id_property: String,
    #[serde(default)]
    pub contiguity: Option<Contiguity>,
    #[serde(default)]
    pub knn: Option<usize>,
    #[serde(default)]
    pub islands: Option<IslandRule>,
    #[serde(default = "default_permutations")]
    pub permutations: usize,
    #[serde(default)]
    pub seed: u64,
    #[serde(default = "default_significance")]
    pub significance: f64,
}

impl SpatialSection {
    /// The section's own consistency (what `chainlens validate` checks).
    pub fn check(&self) -> Result<(), String> {
        self.inference()
            .and_then(|_| self.weights_from())
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    fn inference(&self) -> Result<Inference, SpatialError> {
        Inference {
            permutations: self.permutations,
            seed: self.seed,
            significance: self.significance,
        }
        .check()
    }

    fn weights_from(&self) -> Result<WeightsFrom, SpatialError> {
        match (self.knn, self.contiguity) {
            (Some(_), Some(_)) => Err(SpatialError::Options(
                "[spatial]: give either `contiguity` or `knn`, not both".into(),
            )),
            (Some(k), None) => Ok(WeightsFrom::Knn(k)),
            (None, rule) => Ok(WeightsFrom::Contiguity(rule.unwrap_or(Contiguity::Queen))),
        }
    }
}

/// One year's autocorrelation of the resilience index.
#[derive(Debug, Clone, Serialize)]
pub struct YearSpatial {
    pub year: i32,
    #[serde(flatten)]
    pub report: SpatialReport,
}

/// The resilience index's spatial autocorrelation per year, on the workspace's map.
#[derive(Debug, Clone, Serialize)]
pub struct WorkspaceSpatial {
    /// What is measured: `resilience index`.
    pub variable: String,
    /// Regions with an index but no outline on the map: left out.
    pub unmapped: Vec<String>,
    pub years: Vec<YearSpatial>,
}

/// Moran's I, Geary's C and LISA of the resilience index per year, with the weights of
/// `[spatial]` built over the regions that have both an index that year and an outline
/// (outlines of other regions are ignored). `Ok(None)` when there is no `[spatial]`.
pub fn workspace_spatial(
    ws: &Workspace,
    evaluation: &Evaluation,
) -> Result<Option<WorkspaceSpatial>, SpatialError> {
    let Some(section) = &ws.settings.spatial else {
        return Ok(None);
    };
    let inference = section.inference()?;
    let from = section.weights_from()?;
    let path = ws.root.join(&section.geojson);
    let file = section.geojson.to_string_lossy().into_owned();
    let limits = Limits::around(&path)?;
    let all = read_geojson(&path, &file, &section.id_property, &limits)?;
    let mapped: HashMap<&str, &RegionOutline> = all.iter().map(|r| (r.id.as_str(), r)).collect();
    // Per region: the roll-up over its chains when the units are regional chains.
    let index = evaluation.region_index();
    let mut unmapped: Vec<String> = index
        .iter()
        .filter(|(region, _, _)| !mapped.contains_key(region))
        .map(|(region, _, _)| (*region).to_owned())
        .collect();
    unmapped.dedup();
    let mut years = Vec::with_capacity(evaluation.years.len());
    for &year in &evaluation.years {
        // Regions in id order: the same order, the same bits and permutations whatever
        // order the evaluation lists them in.
        let scores: Vec<_> = index
            .iter()
            .filter(|(region, y, _)| *y == year && mapped.contains_key(region))
            .collect();
        let outlines: Vec<RegionOutline> = scores
            .iter()
            .map(|(region, _, _)| mapped[region].clone())
            .collect();
        let points: Vec<[f64; 2]> = outlines.iter().map(|r| centroid(&r.outline)).collect();
        let ids = scores
            .iter()
            .map(|(region, _, _)| (*region).to_owned())
            .collect();
        let y: Vec<f64> = scores.iter().map(|(_, _, x)| *x).collect();
        let (weights, kind) = geometric(ids, Some(&outlines), Some(&points), &from)?;
        let summary = (
            kind,
            file.clone(),
            Some(format!("area centroids of {file}")),
        );
        let report = report(
            weights,
            Some(&points),
            section.islands,
            summary,
            &y,
            inference,
        )?;
        years.push(YearSpatial { year, report });
    }
    Ok(Some(WorkspaceSpatial {
        variable: "resilience index".into(),
        unmapped,
        years,
    }))
}
