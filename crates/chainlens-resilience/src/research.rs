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
//! * **Regression** ([`crate::regression`]) on a long panel per region and year holding
//!   `index`, every dimension id and every raw value of the indicators table (the
//!   evaluation's names win on a clash); regions are the entities.
//! * **Decomposition** ([`crate::decomposition`]) of each region's weighted-sum index between
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

/// `index`, the dimension scores and the raw indicator values per (region, year).
fn long_panel(evaluation: &Evaluation, values: &[IndicatorValue]) -> LongPanel {
    let mut panel = LongPanel::new();
    for v in values {
        panel
            .entry((v.region.clone(), v.year))
            .or_default()
            .insert(v.indicator.clone(), v.value);
    }
    let evaluated: std::collections::BTreeSet<&str> = evaluation
        .scores
        .iter()
        .map(|s| s.region.as_str())
        .collect();
    panel.retain(|(region, _), _| evaluated.contains(region.as_str()));
    for s in &evaluation.scores {
        let vars = panel.entry((s.region.clone(), s.year)).or_default();
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
    let by_key: BTreeMap<(&str, i32), &Score> = evaluation
        .scores
        .iter()
        .map(|s| ((s.region.as_str(), s.year), s))
        .collect();
    let scores = |s: &Score| -> Vec<f64> { indicators.iter().map(|i| s.normalized[i]).collect() };
    let mut regions: Vec<&str> = evaluation
        .scores
        .iter()
        .map(|s| s.region.as_str())
        .collect();
    regions.dedup();
    Ok(regions
        .into_iter()
        .filter_map(|r| Some((r, by_key.get(&(r, from))?, by_key.get(&(r, to))?)))
        .map(|(r, a, b)| decompose(r, (from, to), indicators, &weights, &scores(a), &scores(b)))
        .collect())
}
