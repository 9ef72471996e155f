//! The whole evaluation (the paper's §3 "evaluation process"): panel → outliers and
//! imputation → normalisation → weights → aggregation → grades → analyses.
//!
//! Dimension scores use the dimension's own weights rescaled to sum to 1, so that the
//! weighted-sum index is E = Σ_d W_d·E_d with W_d the sum of the dimension's indicator
//! weights — with the paper's Table 2-1 weights W = (0.340, 0.344, 0.316), which
//! reproduces Table 3-1. Objective weights (entropy, CRITIC) are computed from the pooled
//! min-max normalised panel whatever normalisation the index uses (with
//! `normalization = "none"`, from the scores as given). Coupling coordination is computed
//! between the dimensions, gaps between region groups (regions without a group form the
//! group `other`); both need non-negative scores and are skipped with a warning otherwise
//! (z-scores).
//!
//! The unit is the regional industrial chain where the panel names chains (see
//! [`crate::panel`]): scores, ranks, trends, densities, grade transitions, gaps, obstacles,
//! coupling and rank intervals are per unit, and [`RollUps`] give the index per region and
//! per chain as weighted means of the units' indices (weights by chain output in the
//! region when the caller supplies them through [`roll_up`], else equal; the weighting is
//! named in the output). The grade of a roll-up is the grade of its index.

use crate::aggregate::{Fuzzy, fuzzy, topsis, weighted_sum};
use crate::ahp::{AhpResult, JudgmentMatrix, ahp, combine_experts};
use crate::analysis::{
    Density, Markov, Trend, kernel_density, markov, obstacle_degree, ranks, trend,
};
use crate::coupling::{Coupling, coupling};
use crate::error::{Error, Result};
use crate::gaps::{Gaps, regional_gaps};
use crate::grade::Grade;
use crate::normalize::{ColumnSpec, Direction, Normalization, normalize_column};
use crate::panel::{Adjustment, Derivations, Panel, RegionInfo, ValueOrigin, build_panel};
use crate::system::{
    Aggregation, CombineRule, Objective, ResilienceConfig, Subjective, WeightMethod, WeightSum,
};
use crate::uncertainty::{McConfig, McInput, RankInterval, Sensitivity, rank_uncertainty};
use crate::weights::{Combination, combine, critic_weights, entropy_weights};
use chainlens_model::IndicatorValue;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorWeight {
    pub indicator: String,
    pub name: String,
    pub dimension: String,
    pub direction: Direction,
    pub weight: f64,
    pub subjective: Option<f64>,
    pub objective: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeAhp {
    /// `root` or the dimension / sub-dimension whose children were compared.
    pub node: String,
    pub experts: usize,
    #[serde(flatten)]
    pub result: AhpResult,
}

/// The weights used and how they were obtained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightReport {
    pub method: WeightMethod,
    /// For combined weights: e.g. "ahp × entropy, geometric".
    pub combination: Option<String>,
    pub indicators: Vec<IndicatorWeight>,
    /// Dimension id → W_d (sum of its indicators' weights).
    pub dimensions: BTreeMap<String, f64>,
    pub ahp: Vec<NodeAhp>,
    /// All AHP matrices have CR < 0.10 (true when AHP is not used).
    pub consistent: bool,
}

/// A panel value as the index used it, with where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PanelValue {
    pub value: f64,
    pub origin: ValueOrigin,
}

/// One unit (a regional chain, or a region as a whole) in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub region: String,
    /// The chain of a regional chain; `null` for a region as a whole.
    pub chain: Option<String>,
    pub name: String,
    pub group: Option<String>,
    pub year: i32,
    /// Dimension id → score.
    pub dimensions: BTreeMap<String, f64>,
    /// The index by the configured aggregation.
    pub index: f64,
    pub grade: Grade,
    /// Rank within the year (1 = best).
    pub rank: usize,
    pub weighted_sum: f64,
    pub fuzzy: Fuzzy,
    pub topsis: f64,
    /// Indicator id → its normalised, direction-aligned score (what the index adds up).
    pub normalized: BTreeMap<String, f64>,
    /// Indicator id → its value (after outlier treatment and imputation) and origin.
    pub values: BTreeMap<String, PanelValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionTrend {
    pub region: String,
    pub chain: Option<String>,
    #[serde(flatten)]
    pub trend: Trend,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearDensity {
    pub year: i32,
    #[serde(flatten)]
    pub density: Density,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearGaps {
    pub year: i32,
    #[serde(flatten)]
    pub gaps: Gaps,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Obstacle {
    pub id: String,
    pub degree: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionObstacles {
    pub region: String,
    pub chain: Option<String>,
    pub year: i32,
    /// Indicators by decreasing obstacle degree.
    pub indicators: Vec<Obstacle>,
    /// Dimensions by decreasing obstacle degree (sums over their indicators).
    pub dimensions: Vec<Obstacle>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionCoupling {
    pub region: String,
    pub chain: Option<String>,
    pub year: i32,
    #[serde(flatten)]
    pub coupling: Coupling,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionRankInterval {
    pub region: String,
    pub chain: Option<String>,
    pub year: i32,
    #[serde(flatten)]
    pub interval: RankInterval,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Uncertainty {
    pub runs: usize,
    pub seed: u64,
    pub weight_spread: f64,
    pub mean_rank_shift: f64,
    pub sensitivity: Vec<Sensitivity>,
    pub ranks: Vec<RegionRankInterval>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionInfo {
    pub id: String,
    pub name: String,
}

/// Everything an evaluation produces.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub normalization: Normalization,
    pub aggregation: Aggregation,
    pub dimensions: Vec<DimensionInfo>,
    pub weights: WeightReport,
    pub years: Vec<i32>,
    pub scores: Vec<Score>,
    pub trends: Vec<RegionTrend>,
    pub densities: Vec<YearDensity>,
    pub markov: Markov,
    pub gaps: Vec<YearGaps>,
    pub obstacles: Vec<RegionObstacles>,
    pub coupling: Vec<RegionCoupling>,
    pub uncertainty: Option<Uncertainty>,
    /// The index per region and per chain, when the units are regional chains.
    pub rollups: Option<RollUps>,
    pub adjustments: Vec<Adjustment>,
    pub skipped_regions: Vec<String>,
    pub warnings: Vec<String>,
}

/// How the units' indices are weighted in a roll-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RollUpWeighting {
    /// Every unit counts the same.
    Equal,
    /// By the chain's output in the region (equal where a unit's output is unknown).
    Output,
}

/// The index of a region (over its chains) or of a chain (over its regions) in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RollUp {
    /// The region id or the chain id.
    pub id: String,
    pub year: i32,
    pub index: f64,
    pub grade: Grade,
    /// How many units it weighs.
    pub units: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RollUps {
    pub weighting: RollUpWeighting,
    pub regions: Vec<RollUp>,
    pub chains: Vec<RollUp>,
}

/// A regional chain's weight in a roll-up: (region, chain, year) → weight, if known.
pub type UnitWeight<'a> = dyn Fn(&str, &str, i32) -> Option<f64> + 'a;

/// Roll-ups of `scores` per region and per chain: weighted means of the units' indices,
/// weights from `weight(region, chain, year)` (`None`: the weighting is equal, and so is
/// the weight of a unit for which it answers `None` or a non-positive number among units
/// with weights — then every unit of that roll-up counts the same). Units that are regions
/// as a whole count for their region only. O(units × years).
pub fn roll_up(
    scores: &[Score],
    grades: &crate::grade::GradeThresholds,
    weight: Option<&UnitWeight<'_>>,
) -> RollUps {
    type Groups<'a> = BTreeMap<(&'a str, i32), Vec<(f64, Option<f64>)>>;
    let mut regions: Groups = BTreeMap::new();
    let mut chains: Groups = BTreeMap::new();
    for s in scores {
        let w = match (&s.chain, weight) {
            (Some(c), Some(f)) => f(&s.region, c, s.year).filter(|w| *w > 0.0),
            _ => None,
        };
        regions
            .entry((s.region.as_str(), s.year))
            .or_default()
            .push((s.index, w));
        if let Some(c) = &s.chain {
            chains
                .entry((c.as_str(), s.year))
                .or_default()
                .push((s.index, w));
        }
    }
    let mean = |groups: Groups| -> Vec<RollUp> {
        groups
            .into_iter()
            .map(|((id, year), units)| {
                let weighted = units.iter().all(|(_, w)| w.is_some());
                let (num, den) = units.iter().fold((0.0, 0.0), |(n, d), (x, w)| {
                    let w = if weighted { w.unwrap_or(1.0) } else { 1.0 };
                    (n + w * x, d + w)
                });
                let index = num / den;
                RollUp {
                    id: id.to_owned(),
                    year,
                    index,
                    grade: grades.grade(index),
                    units: units.len(),
                }
            })
            .collect()
    };
    RollUps {
        weighting: if weight.is_some() {
            RollUpWeighting::Output
        } else {
            RollUpWeighting::Equal
        },
        regions: mean(regions),
        chains: mean(chains),
    }
}

impl Score {
    /// `region` or `region/chain`: the unit's name in tables and research.
    pub fn unit(&self) -> String {
        match &self.chain {
            Some(c) => format!("{}/{c}", self.region),
            None => self.region.clone(),
        }
    }
}

impl Evaluation {
    /// The index per region and year: the region roll-ups when the units are regional
    /// chains, else the scores themselves. Sorted by region, then year.
    pub fn region_index(&self) -> Vec<(&str, i32, f64)> {
        let mut v: Vec<(&str, i32, f64)> = match &self.rollups {
            Some(r) => r
                .regions
                .iter()
                .map(|r| (r.id.as_str(), r.year, r.index))
                .collect(),
            None => self
                .scores
                .iter()
                .map(|s| (s.region.as_str(), s.year, s.index))
                .collect(),
        };
        v.sort_by(|a, b| a.0.cmp(b.0).then(a.1.cmp(&b.1)));
        v
    }

    /// Scores of one year, best first.
    pub fn year(&self, year: i32) -> Vec<&Score> {
        let mut v: Vec<&Score> = self.scores.iter().filter(|s| s.year == year).collect();
        v.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.region.cmp(&b.region)));
        v
    }
}

/// Runs the configured evaluation over `values`. `regions` supplies names and groups
/// (empty: the regions found in the data); `derived` supplies computed indicators.
pub fn evaluate(
    config: &ResilienceConfig,
    values: &[IndicatorValue],
    regions: &[RegionInfo],
    derived: &dyn Derivations,
) -> Result<Evaluation> {
    config.check()?;
    let panel = build_panel(config, values, regions, derived)?;
    let indicators: Vec<_> = config.indicators().collect();
    let k = indicators.len();
    let (nr, ny) = (panel.regions.len(), panel.years.len());
    let mut warnings = Vec::new();

    // Normalisation of each indicator over the pooled panel.
    let mut normalized = vec![0.0; panel.values.len()];
    let mut min_max = vec![0.0; panel.values.len()];
    for (j, ind) in indicators.iter().enumerate() {
        let col = panel.column(j);
        let spec = ColumnSpec {
            name: &ind.id,
            direction: ind.direction,
            target: ind.target,
            constant_score: config.constant_score,
        };
        let r = normalize_column(&col, config.normalization, spec)?;
        let mm = if config.normalization == Normalization::None {
            r.clone()
        } else {
            normalize_column(&col, Normalization::MinMax, spec)?
        };
        for (c, (x, y)) in r.into_iter().zip(mm).enumerate() {
            normalized[c * k + j] = x;
            min_max[c * k + j] = y;
        }
    }
    let rows = |m: &[f64]| -> Vec<Vec<f64>> { m.chunks_exact(k).map(<[f64]>::to_vec).collect() };
    let weights = weights(config, &rows(&min_max), &mut warnings)?;
    let w: Vec<f64> = weights.indicators.iter().map(|i| i.weight).collect();

    let dim_of = config.dimension_of();
    let nd = config.dimensions.len();
    let dim_weight: Vec<f64> = (0..nd)
        .map(|d| (0..k).filter(|&j| dim_of[j] == d).map(|j| w[j]).sum())
        .collect();
    let normalized_rows = rows(&normalized);
    let topsis_all = topsis(&normalized_rows, &w);

    let mut scores = Vec::with_capacity(nr * ny);
    for (r, region) in panel.regions.iter().enumerate() {
        for (y, &year) in panel.years.iter().enumerate() {
            let c = r * ny + y;
            let row = &normalized_rows[c];
            let mut dimensions = BTreeMap::new();
            for (d, dim) in config.dimensions.iter().enumerate() {
                let s = if dim_weight[d] > 0.0 {
                    (0..k)
                        .filter(|&j| dim_of[j] == d)
                        .map(|j| w[j] * row[j])
                        .sum::<f64>()
                        / dim_weight[d]
                } else {
                    0.0
                };
                dimensions.insert(dim.id.clone(), s);
            }
            let ws = weighted_sum(row, &w);
            let fz = fuzzy(row, &w, &config.grades);
            let (index, grade) = match config.aggregation {
                Aggregation::WeightedSum => (ws, config.grades.grade(ws)),
                Aggregation::Fuzzy => (fz.score, fz.grade),
                Aggregation::Topsis => (topsis_all[c], config.grades.grade(topsis_all[c])),
            };
            scores.push(Score {
                region: region.id.clone(),
                chain: region.chain.clone(),
                name: region.name.clone(),
                group: region.group.clone(),
                year,
                dimensions,
                index,
                grade,
                rank: 0,
                weighted_sum: ws,
                fuzzy: fz,
                topsis: topsis_all[c],
                normalized: indicators
                    .iter()
                    .zip(row)
                    .map(|(i, x)| (i.id.clone(), *x))
                    .collect(),
                values: indicators
                    .iter()
                    .enumerate()
                    .map(|(j, i)| {
                        let at = panel.index(r, y, j);
                        let value = PanelValue {
                            value: panel.values[at],
                            origin: panel.origins[at],
                        };
                        (i.id.clone(), value)
                    })
                    .collect(),
            });
        }
    }
    for y in 0..ny {
        let idx: Vec<f64> = (0..nr).map(|r| scores[r * ny + y].index).collect();
        for (r, rank) in ranks(&idx).into_iter().enumerate() {
            scores[r * ny + y].rank = rank;
        }
    }

    let trends = panel
        .regions
        .iter()
        .enumerate()
        .filter_map(|(r, region)| {
            let series: Vec<(i32, f64)> = (0..ny)
                .map(|y| (panel.years[y], scores[r * ny + y].index))
                .collect();
            trend(&series).map(|t| RegionTrend {
                region: region.id.clone(),
                chain: region.chain.clone(),
                trend: t,
            })
        })
        .collect();

    let all_index: Vec<f64> = scores.iter().map(|s| s.index).collect();
    let (lo, hi) = all_index
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(*x), b.max(*x))
        });
    let pad = 0.1 * (hi - lo).max(0.1);
    let grid: Vec<f64> = (0..=100)
        .map(|i| lo - pad + (hi - lo + 2.0 * pad) * f64::from(i) / 100.0)
        .collect();
    let densities = (0..ny)
        .map(|y| {
            let v: Vec<f64> = (0..nr).map(|r| scores[r * ny + y].index).collect();
            YearDensity {
                year: panel.years[y],
                density: kernel_density(&v, &grid),
            }
        })
        .collect();
    let transitions: Vec<(Grade, Grade)> = (0..nr)
        .flat_map(|r| (1..ny).map(move |y| (r, y)))
        .map(|(r, y)| (scores[r * ny + y - 1].grade, scores[r * ny + y].grade))
        .collect();
    let markov = markov(&transitions);

    let mut gaps = Vec::new();
    if all_index.iter().all(|x| *x >= 0.0) {
        let groups: Vec<String> = panel
            .regions
            .iter()
            .map(|r| r.group.clone().unwrap_or_else(|| "other".into()))
            .collect();
        for y in 0..ny {
            let v: Vec<f64> = (0..nr).map(|r| scores[r * ny + y].index).collect();
            match regional_gaps(&v, &groups) {
                Ok(g) => gaps.push(YearGaps {
                    year: panel.years[y],
                    gaps: g,
                }),
                Err(e) => warnings.push(format!("gaps in {}: {e}", panel.years[y])),
            }
        }
    } else {
        warnings.push("gap measures skipped: the index has negative values (z-scores)".into());
    }

    let mut obstacles = Vec::with_capacity(nr * ny);
    for (r, region) in panel.regions.iter().enumerate() {
        for (y, &year) in panel.years.iter().enumerate() {
            let o = obstacle_degree(&normalized_rows[r * ny + y], &w);
            let mut by_indicator: Vec<Obstacle> = indicators
                .iter()
                .zip(&o)
                .map(|(i, d)| Obstacle {
                    id: i.id.clone(),
                    degree: *d,
                })
                .collect();
            by_indicator.sort_by(|a, b| b.degree.total_cmp(&a.degree));
            let mut by_dimension: Vec<Obstacle> = config
                .dimensions
                .iter()
                .enumerate()
                .map(|(d, dim)| Obstacle {
                    id: dim.id.clone(),
                    degree: (0..k).filter(|&j| dim_of[j] == d).map(|j| o[j]).sum(),
                })
                .collect();
            by_dimension.sort_by(|a, b| b.degree.total_cmp(&a.degree));
            obstacles.push(RegionObstacles {
                region: region.id.clone(),
                chain: region.chain.clone(),
                year,
                indicators: by_indicator,
                dimensions: by_dimension,
            });
        }
    }

    let mut coupling_out = Vec::new();
    if nd >= 2 {
        for s in &scores {
            let u: Vec<f64> = config
                .dimensions
                .iter()
                .map(|d| s.dimensions[&d.id])
                .collect();
            match coupling(&u, None) {
                Ok(c) => coupling_out.push(RegionCoupling {
                    region: s.region.clone(),
                    chain: s.chain.clone(),
                    year: s.year,
                    coupling: c,
                }),
                Err(e) => {
                    warnings.push(format!("coupling coordination skipped: {e}"));
                    coupling_out.clear();
                    break;
                }
            }
        }
    }

    let uncertainty = match &config.uncertainty {
        Some(u) if nr >= 2 => {
            let names: Vec<String> = indicators.iter().map(|i| i.id.clone()).collect();
            let directions: Vec<Direction> = indicators.iter().map(|i| i.direction).collect();
            let input = McInput {
                values: &panel.values,
                regions: nr,
                years: ny,
                indicators: &names,
                directions: &directions,
                weights: &w,
            };
            let report = rank_uncertainty(
                &input,
                &McConfig {
                    replications: u.replications,
                    seed: u.seed,
                    weight_spread: u.weight_spread,
                },
            )?;
            Some(Uncertainty {
                runs: report.runs,
                seed: report.seed,
                weight_spread: report.weight_spread,
                mean_rank_shift: report.mean_rank_shift,
                sensitivity: report.sensitivity,
                ranks: report
                    .ranks
                    .into_iter()
                    .map(|i| RegionRankInterval {
                        region: panel.regions[i.region].id.clone(),
                        chain: panel.regions[i.region].chain.clone(),
                        year: panel.years[i.year],
                        interval: i,
                    })
                    .collect(),
            })
        }
        _ => None,
    };
    if !panel.skipped_regions.is_empty() {
        warnings.push(format!(
            "regions without indicator values left out: {}",
            panel.skipped_regions.join(", ")
        ));
    }
    let rollups = panel
        .regions
        .iter()
        .any(|u| u.chain.is_some())
        .then(|| roll_up(&scores, &config.grades, None));
    let Panel {
        years,
        adjustments,
        skipped_regions,
        ..
    } = panel;
    Ok(Evaluation {
        normalization: config.normalization,
        aggregation: config.aggregation,
        dimensions: config
            .dimensions
            .iter()
            .map(|d| DimensionInfo {
                id: d.id.clone(),
                name: d.name.clone(),
            })
            .collect(),
        weights,
        years,
        scores,
        trends,
        densities,
        markov,
        gaps,
        obstacles,
        coupling: coupling_out,
        uncertainty,
        rollups,
        adjustments,
        skipped_regions,
        warnings,
    })
}

/// Equal split of `total` among `n`, or the given local weights rescaled to `total`.
fn split(total: f64, given: &[Option<f64>]) -> Vec<f64> {
    let raw: Vec<f64> = given.iter().map(|g| g.unwrap_or(1.0)).collect();
    let s: f64 = raw.iter().sum();
    raw.iter()
        .map(|x| {
            if s > 0.0 {
                total * x / s
            } else {
                total / given.len() as f64
            }
        })
        .collect()
}

fn fixed_weights(config: &ResilienceConfig, warnings: &mut Vec<String>) -> Result<Vec<f64>> {
    let given: Vec<Option<f64>> = config.indicators().map(|i| i.weight).collect();
    if given.iter().all(Option::is_some) {
        let w: Vec<f64> = given.into_iter().flatten().collect();
        let sum: f64 = w.iter().sum();
        if (sum - 1.0).abs() > 1e-6 {
            match config.weights.sum {
                WeightSum::Refuse => return Err(Error::WeightSum { sum }),
                WeightSum::Normalize if sum > 0.0 => {
                    warnings.push(format!("fixed weights sum to {sum}; rescaled to 1"));
                    return Ok(w.into_iter().map(|x| x / sum).collect());
                }
                WeightSum::Normalize => return Err(Error::WeightSum { sum }),
            }
        }
        return Ok(w);
    }
    let mut out = Vec::new();
    let dims = split(
        1.0,
        &config
            .dimensions
            .iter()
            .map(|d| d.weight)
            .collect::<Vec<_>>(),
    );
    for (d, wd) in config.dimensions.iter().zip(dims) {
        let subs = split(
            wd,
            &d.subdimensions.iter().map(|s| s.weight).collect::<Vec<_>>(),
        );
        for (s, ws) in d.subdimensions.iter().zip(subs) {
            out.extend(split(ws, &vec![None; s.indicators.len()]));
        }
    }
    Ok(out)
}

fn node_weights(
    config: &ResilienceConfig,
    node: &str,
    labels: Vec<String>,
    report: &mut Vec<NodeAhp>,
) -> Result<Vec<f64>> {
    let n = labels.len();
    let Some(j) = config.weights.judgments.iter().find(|j| j.node == node) else {
        return Ok(vec![1.0 / n as f64; n]);
    };
    let context = |e: Error| Error::Weights(format!("judgments for `{node}`: {e}"));
    let matrices: Vec<Vec<Vec<f64>>> = match (&j.matrix, &j.experts) {
        (Some(m), _) => vec![m.clone()],
        (None, Some(e)) => e.clone(),
        (None, None) => Vec::new(),
    };
    let parsed = matrices
        .iter()
        .map(|m| {
            if m.len() != n {
                return Err(Error::Weights(format!(
                    "judgments for `{node}`: {} rows for {} items ({})",
                    m.len(),
                    n,
                    labels.join(", ")
                )));
            }
            JudgmentMatrix::new(Some(labels.clone()), m).map_err(context)
        })
        .collect::<Result<Vec<_>>>()?;
    let combined = if parsed.len() == 1 {
        parsed[0].clone()
    } else {
        combine_experts(&parsed, j.expert_weights.as_deref()).map_err(context)?
    };
    let result = ahp(
        &combined,
        config.weights.ahp_method,
        config.weights.random_index,
    )
    .map_err(context)?;
    let w = result.weights.clone();
    report.push(NodeAhp {
        node: node.to_owned(),
        experts: parsed.len(),
        result,
    });
    Ok(w)
}

fn ahp_weights(config: &ResilienceConfig, report: &mut Vec<NodeAhp>) -> Result<Vec<f64>> {
    let root = node_weights(
        config,
        "root",
        config.dimensions.iter().map(|d| d.id.clone()).collect(),
        report,
    )?;
    let mut out = Vec::new();
    for (d, wd) in config.dimensions.iter().zip(root) {
        let subs = node_weights(
            config,
            &d.id,
            d.subdimensions.iter().map(|s| s.id.clone()).collect(),
            report,
        )?;
        for (s, ws) in d.subdimensions.iter().zip(subs) {
            let local = node_weights(
                config,
                &s.id,
                s.indicators.iter().map(|i| i.id.clone()).collect(),
                report,
            )?;
            out.extend(local.into_iter().map(|x| x * wd * ws));
        }
    }
    Ok(out)
}

fn weights(
    config: &ResilienceConfig,
    min_max_rows: &[Vec<f64>],
    warnings: &mut Vec<String>,
) -> Result<WeightReport> {
    let names: Vec<String> = config.indicators().map(|i| i.id.clone()).collect();
    let wc = &config.weights;
    let mut ahp_report = Vec::new();
    let objective = |o: Objective| match o {
        Objective::Entropy => entropy_weights(min_max_rows, &names),
        Objective::Critic => critic_weights(min_max_rows, &names),
    };
    let (w, subjective, objective_w, combination) = match wc.method {
        WeightMethod::Fixed => (fixed_weights(config, warnings)?, None, None, None),
        WeightMethod::Ahp => (ahp_weights(config, &mut ahp_report)?, None, None, None),
        WeightMethod::Entropy => (objective(Objective::Entropy)?, None, None, None),
        WeightMethod::Critic => (objective(Objective::Critic)?, None, None, None),
        WeightMethod::Combined => {
            let a = match wc.subjective {
                Subjective::Fixed => fixed_weights(config, warnings)?,
                Subjective::Ahp => ahp_weights(config, &mut ahp_report)?,
            };
            let e = objective(wc.objective)?;
            let rule = match wc.combine {
                CombineRule::Geometric => Combination::Geometric,
                CombineRule::Linear => Combination::Linear { alpha: wc.alpha },
            };
            let w = combine(&a, &e, rule)?;
            let label = format!(
                "{} × {}, {}",
                if wc.subjective == Subjective::Ahp {
                    "ahp"
                } else {
                    "fixed"
                },
                if wc.objective == Objective::Entropy {
                    "entropy"
                } else {
                    "critic"
                },
                match rule {
                    Combination::Geometric => "geometric mean".to_owned(),
                    Combination::Linear { alpha } => format!("linear (alpha = {alpha})"),
                }
            );
            (w, Some(a), Some(e), Some(label))
        }
    };
    for n in &ahp_report {
        if !n.result.consistent {
            warnings.push(format!(
                "judgments for `{}` are inconsistent: CR = {:.4} ≥ 0.10 (RI table {}); revisit {}",
                n.node,
                n.result.cr,
                n.result.ri_table,
                n.result
                    .inconsistencies
                    .iter()
                    .take(3)
                    .map(|j| format!(
                        "{} vs {} (given {}, implied {:.3})",
                        j.row, j.column, j.given, j.implied
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
    }
    let dim_of = config.dimension_of();
    let mut dimensions = BTreeMap::new();
    for (d, dim) in config.dimensions.iter().enumerate() {
        dimensions.insert(
            dim.id.clone(),
            (0..w.len()).filter(|&j| dim_of[j] == d).map(|j| w[j]).sum(),
        );
    }
    let indicators = config
        .indicators()
        .enumerate()
        .map(|(j, i)| IndicatorWeight {
            indicator: i.id.clone(),
            name: i.name.clone(),
            dimension: config.dimensions[dim_of[j]].id.clone(),
            direction: i.direction,
            weight: w[j],
            subjective: subjective.as_ref().map(|s| s[j]),
            objective: objective_w.as_ref().map(|o| o[j]),
        })
        .collect();
    Ok(WeightReport {
        method: wc.method,
        combination,
        indicators,
        dimensions,
        consistent: ahp_report.iter().all(|n| n.result.consistent),
        ahp: ahp_report,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panel::NoDerivations;
    use crate::system::{Judgments, UncertaintyConfig};

    fn synthetic() -> (Vec<IndicatorValue>, Vec<RegionInfo>) {
        let config = ResilienceConfig::default();
        let mut values = Vec::new();
        let mut regions = Vec::new();
        for r in 0..8 {
            regions.push(RegionInfo {
                id: format!("r{r}"),
                name: format!("Region {r}"),
                group: Some(if r < 4 { "east" } else { "west" }.into()),
                chain: None,
            });
            for year in 2019..=2022 {
                for (j, ind) in config.indicators().enumerate() {
                    let x = 1.0
                        + r as f64 * (1.0 + j as f64 * 0.1)
                        + f64::from(year - 2019) * 0.3
                        + ((r * 7 + j * 3) % 5) as f64;
                    values.push(IndicatorValue {
                        region: format!("r{r}"),
                        chain: None,
                        year,
                        indicator: ind.id.clone(),
                        value: x,
                        source: None,
                        imputed: false,
                    });
                }
            }
        }
        (values, regions)
    }

    #[test]
    fn default_pipeline_runs_end_to_end() {
        let (values, regions) = synthetic();
        let config = ResilienceConfig {
            uncertainty: Some(UncertaintyConfig {
                replications: 100,
                ..Default::default()
            }),
            ..ResilienceConfig::default()
        };
        let e = evaluate(&config, &values, &regions, &NoDerivations).unwrap();
        assert_eq!(e.scores.len(), 32);
        assert_eq!(e.gaps.len(), 4);
        assert_eq!(e.trends.len(), 8);
        for s in &e.scores {
            let total: f64 = e
                .dimensions
                .iter()
                .map(|d| e.weights.dimensions[&d.id] * s.dimensions[&d.id])
                .sum();
            assert!((total - s.index).abs() < 1e-12);
        }
        assert_eq!(e.year(2022).len(), 8);
        assert_eq!(e.uncertainty.as_ref().unwrap().ranks.len(), 32);
    }

    /// Two regions, one with two chains: units, ranks and roll-ups (equal and by output),
    /// each roll-up written out by hand from the units' indices.
    #[test]
    fn regional_chains_are_ranked_and_rolled_up() {
        let (mut values, regions) = synthetic();
        // r0's values for nev: D111 and D211 of its own (the rest from the region).
        for year in 2019..=2022 {
            for (ind, x) in [("D111", 9.0), ("D211", 0.5)] {
                values.push(IndicatorValue {
                    region: "r0".into(),
                    chain: Some("nev".into()),
                    year,
                    indicator: ind.into(),
                    value: x,
                    source: None,
                    imputed: false,
                });
            }
            values.push(IndicatorValue {
                region: "r0".into(),
                chain: Some("optical".into()),
                year,
                indicator: "D312".into(),
                value: 1.0,
                source: None,
                imputed: false,
            });
        }
        let config = ResilienceConfig::default();
        let e = evaluate(&config, &values, &regions, &NoDerivations).unwrap();
        assert_eq!(e.scores.len(), 9 * 4);
        let unit = |chain: &str, year: i32| {
            e.scores
                .iter()
                .find(|s| s.region == "r0" && s.chain.as_deref() == Some(chain) && s.year == year)
                .unwrap()
        };
        let (nev, optical) = (unit("nev", 2022), unit("optical", 2022));
        assert_eq!(nev.values["D111"].value, 9.0);
        assert_eq!(nev.values["D111"].origin, ValueOrigin::Given);
        assert_eq!(optical.values["D312"].value, 1.0);
        assert_eq!(e.year(2022).len(), 9);
        let rollups = e.rollups.as_ref().unwrap();
        assert_eq!(rollups.weighting, RollUpWeighting::Equal);
        let r0 = rollups
            .regions
            .iter()
            .find(|r| r.id == "r0" && r.year == 2022)
            .unwrap();
        assert_eq!(r0.units, 2);
        assert!((r0.index - (nev.index + optical.index) / 2.0).abs() < 1e-15);
        let r1 = rollups
            .regions
            .iter()
            .find(|r| r.id == "r1" && r.year == 2022)
            .unwrap();
        let r1_score = e
            .scores
            .iter()
            .find(|s| s.region == "r1" && s.year == 2022)
            .unwrap();
        assert_eq!(r1.index, r1_score.index);
        assert_eq!(rollups.chains.len(), 2 * 4);
        // By output: nev 3, optical 1 → (3·nev + 1·optical) / 4.
        let output = |_: &str, chain: &str, _: i32| Some(if chain == "nev" { 3.0 } else { 1.0 });
        let by_output = roll_up(&e.scores, &config.grades, Some(&output));
        assert_eq!(by_output.weighting, RollUpWeighting::Output);
        let r0 = by_output
            .regions
            .iter()
            .find(|r| r.id == "r0" && r.year == 2022)
            .unwrap();
        assert!((r0.index - (3.0 * nev.index + optical.index) / 4.0).abs() < 1e-15);
        assert_eq!(r0.grade, config.grades.grade(r0.index));
    }

    #[test]
    fn combined_ahp_entropy_weights() {
        let (values, regions) = synthetic();
        let mut config = ResilienceConfig::default();
        config.weights.method = WeightMethod::Combined;
        config.weights.judgments.push(Judgments {
            node: "root".into(),
            matrix: Some(vec![
                vec![1.0, 2.0, 9.0],
                vec![0.5, 1.0, 0.2],
                vec![1.0 / 9.0, 5.0, 1.0],
            ]),
            experts: None,
            expert_weights: None,
        });
        let e = evaluate(&config, &values, &regions, &NoDerivations).unwrap();
        assert_eq!(e.weights.ahp.len(), 1);
        assert!(!e.weights.consistent);
        assert!(e.warnings.iter().any(|w| w.contains("inconsistent")));
        let s: f64 = e.weights.indicators.iter().map(|i| i.weight).sum();
        assert!((s - 1.0).abs() < 1e-12);
        assert!(
            e.weights
                .indicators
                .iter()
                .all(|i| i.subjective.is_some() && i.objective.is_some())
        );
    }

    #[test]
    fn weights_not_summing_to_one() {
        let (values, regions) = synthetic();
        let mut config = ResilienceConfig::default();
        config.dimensions[0].subdimensions[0].indicators[0].weight = Some(0.5);
        let e = evaluate(&config, &values, &regions, &NoDerivations).unwrap();
        assert!(e.warnings.iter().any(|w| w.contains("rescaled")));
        config.weights.sum = WeightSum::Refuse;
        assert!(matches!(
            evaluate(&config, &values, &regions, &NoDerivations),
            Err(Error::WeightSum { .. })
        ));
    }

    #[test]
    fn constant_indicator_is_named() {
        let (mut values, regions) = synthetic();
        values
            .iter_mut()
            .filter(|v| v.indicator == "D222")
            .for_each(|v| v.value = 0.9);
        let e = evaluate(
            &ResilienceConfig::default(),
            &values,
            &regions,
            &NoDerivations,
        )
        .unwrap_err();
        assert!(e.to_string().contains("D222"), "{e}");
    }
}
