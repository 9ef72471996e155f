//! The research checks of an evaluated index (DESIGN.md §4.7, Zhang 2024 §3–§4), run on an
//! [`Evaluation`]: the `[resilience.research]` section.
//!
//! ```toml
//! [resilience.research]
//! validation = true                # α, KMO, Bartlett, correlations between dimensions
//! decomposition = [2018, 2023]     # years of the index change (default: first and last)
//! [resilience.research.regression] # default: the index on its lag (path dependence)
//! dependent = "index"              # index or a dimension id
//! lag = true
//! drivers = ["independent_innovation_rate"]   # indicators-table columns, dimension ids
//! interactions = [["L.index", "independent_innovation_rate"]]
//! correction = { regressors = true, groups = true, effects = false }
//! ```
//!
//! * **Validation** ([`crate::validation`]) on the pooled region × year matrix of the
//!   normalised, direction-aligned indicator scores the index adds up ([`Score::normalized`]);
//!   Pearson and Spearman correlations ([`crate::correlation`]) between the dimension scores
//!   over the same observations.
//! * **Regression** ([`crate::regression`]) on a long panel per unit and year holding
//!   `index`, every dimension id and every raw value of the indicators table (the
//!   evaluation's names win on a clash); the units (regional chains, or regions) are the
//!   entities.
//! * **Decomposition** ([`crate::decomposition`]) of each unit's weighted-sum index between
//!   the two years.
//!
//! A part that cannot be computed (too few observations, a singular correlation matrix, an
//! unknown driver) is left out with a warning naming the reason; the others still run.

use crate::correlation::{Method, Pair, pairwise};
use crate::decomposition::{Decomposition, decompose};
use crate::error::{Error, Result};
use crate::evaluate::{Evaluation, Score};
use crate::regression::{Correction, FixedEffects, LongPanel, Model, design, fixed_effects};
use crate::validation::{Validation, validate};
use chainlens_model::IndicatorValue;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `[resilience.research]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ResearchConfig {
    pub validation: bool,
    /// Regression model (None: no regression).
    pub regression: Option<Model>,
    /// (from, to) years of the decomposition; None: the panel's first and last year.
    pub decomposition: Option<[i32; 2]>,
}

impl Default for ResearchConfig {
    fn default() -> Self {
        ResearchConfig {
            validation: true,
            regression: Some(Model {
                dependent: "index".into(),
                lag: true,
                drivers: Vec::new(),
                interactions: Vec::new(),
                correction: Correction::default(),
            }),
            decomposition: None,
        }
    }
}

/// Correlations between the dimension scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionCorrelations {
    pub pearson: Vec<Pair>,
    pub spearman: Vec<Pair>,
}

/// What [`research`] found; a part is None when it could not be computed (see warnings).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Research {
    pub validation: Option<Validation>,
    pub correlations: Option<DimensionCorrelations>,
    pub regression: Option<FixedEffects>,
    pub decomposition: Vec<Decomposition>,
    pub warnings: Vec<String>,
}

/// Runs the configured checks on `evaluation`; `values` are the raw indicator values the
/// regression may use as drivers.
pub fn research(
    config: &ResearchConfig,
    evaluation: &Evaluation,
    values: &[IndicatorValue],
) -> Research {
    let mut warnings = Vec::new();
    let indicators: Vec<String> = evaluation
        .weights
        .indicators
        .iter()
        .map(|i| i.indicator.clone())
        .collect();
    let (mut validation, mut correlations) = (None, None);
    if config.validation {
        let rows: Vec<Vec<f64>> = evaluation
            .scores
            .iter()
            .map(|s| indicators.iter().map(|i| s.normalized[i]).collect())
            .collect();
        validation = keep(
            &mut warnings,
            "index validation",
            validate(&rows, &indicators),
        );
        let dims: Vec<String> = evaluation.dimensions.iter().map(|d| d.id.clone()).collect();
        let rows: Vec<Vec<f64>> = evaluation
            .scores
            .iter()
            .map(|s| dims.iter().map(|d| s.dimensions[d]).collect())
            .collect();
        correlations = keep(
            &mut warnings,
            "correlations between dimensions",
            pairwise(&rows, &dims, Method::Pearson).and_then(|pearson| {
                Ok(DimensionCorrelations {
                    pearson,
                    spearman: pairwise(&rows, &dims, Method::Spearman)?,
                })
            }),
        );
    }
    let regression = config.regression.as_ref().and_then(|model| {
        keep(
            &mut warnings,
            "panel regression",
            design(model, &long_panel(evaluation, values))
                .and_then(|d| fixed_effects(&d, model.correction)),
        )
    });
    let decomposition = keep(
        &mut warnings,
        "decomposition",
        decompositions(config, evaluation, &indicators),
    )
    .unwrap_or_default();
    Research {
        validation,
        correlations,
        regression,
        decomposition,
        warnings,
    }
}

/// The value of `r`, or None with a warning naming `what`.
fn keep<T>(warnings: &mut Vec<String>, what: &str, r: Result<T>) -> Option<T> {
    r.map_err(|e| warnings.push(format!("{what} skipped: {e}")))
        .ok()
}

/// `index`, the dimension scores and the raw indicator values per (unit, year): a
/// region's values without a chain apply to each of its units, a chain's own over them.
fn long_panel(evaluation: &Evaluation, values: &[IndicatorValue]) -> LongPanel {
    let mut panel = LongPanel::new();
    let mut units: BTreeMap<&str, Vec<(String, Option<&str>)>> = BTreeMap::new();
    for s in &evaluation.scores {
        let list = units.entry(s.region.as_str()).or_default();
        let unit = (s.unit(), s.chain.as_deref());
        if !list.contains(&unit) {
            list.push(unit);
        }
    }
    for specific in [false, true] {
        for v in values.iter().filter(|v| v.chain.is_some() == specific) {
            for (unit, chain) in units.get(v.region.as_str()).into_iter().flatten() {
                if v.chain.is_none() || v.chain.as_deref() == *chain {
                    panel
                        .entry((unit.clone(), v.year))
                        .or_default()
                        .insert(v.indicator.clone(), v.value);
                }
            }
        }
    }
    for s in &evaluation.scores {
        let vars = panel.entry((s.unit(), s.year)).or_default();
        vars.insert("index".into(), s.index);
        for (d, x) in &s.dimensions {
            vars.insert(d.clone(), *x);
        }
    }
    panel
}

fn decompositions(
    config: &ResearchConfig,
    evaluation: &Evaluation,
    indicators: &[String],
) -> Result<Vec<Decomposition>> {
    let (Some(&first), Some(&last)) = (evaluation.years.first(), evaluation.years.last()) else {
        return Ok(Vec::new());
    };
    let [from, to] = config.decomposition.unwrap_or([first, last]);
    for y in [from, to] {
        if !evaluation.years.contains(&y) {
            return Err(Error::UnknownYear(y));
        }
    }
    if from == to {
        return Ok(Vec::new());
    }
    let weights: Vec<f64> = evaluation
        .weights
        .indicators
        .iter()
        .map(|i| i.weight)
        .collect();
    let by_key: BTreeMap<(String, i32), &Score> = evaluation
        .scores
        .iter()
        .map(|s| ((s.unit(), s.year), s))
        .collect();
    let scores = |s: &Score| -> Vec<f64> { indicators.iter().map(|i| s.normalized[i]).collect() };
    let mut units: Vec<String> = evaluation.scores.iter().map(Score::unit).collect();
    units.dedup();
    Ok(units
        .iter()
        .filter_map(|u| {
            Some((
                u,
                by_key.get(&(u.clone(), from))?,
                by_key.get(&(u.clone(), to))?,
            ))
        })
        .map(|(u, a, b)| decompose(u, (from, to), indicators, &weights, &scores(a), &scores(b)))
        .collect())
}
