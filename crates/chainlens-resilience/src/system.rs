//! The indicator system and every pipeline choice, as configuration: the `[resilience]`
//! section of chainlens.toml, or a file given with `--system`. Absent fields take the
//! paper's choices (Zhang 2024, Table 2-1 and §3).
//!
//! ```toml
//! [resilience]
//! normalization = "min-max"        # none | min-max | z-score | target
//! # constant_score = 0.5           # score of a constant indicator (default: it is an error)
//! aggregation = "weighted-sum"     # weighted-sum | fuzzy | topsis: which one gives the index
//! outliers = { method = "iqr", k = 3.0 }           # none | iqr (clip to Q1 − k·IQR, Q3 + k·IQR)
//!                                                   # | winsorize (lower = 0.05, upper = 0.95)
//! imputation = { method = "interpolate", max_missing = 0.5 }   # none | interpolate
//! given_overrides_derived = false  # true: a value of the indicators table replaces a
//!                                  # derived one (default: derived values are used)
//! grades = { weaker = 0.2, medium = 0.4, strong = 0.6, high = 0.8 }
//!
//! [resilience.weights]
//! method = "fixed"                 # fixed | ahp | entropy | critic | combined
//! subjective = "ahp"               # for combined: fixed | ahp
//! objective = "entropy"            # for combined: entropy | critic
//! combine = "geometric"            # geometric (the paper) | linear (then alpha = 0.5)
//! sum = "normalize"                # fixed weights not summing to 1: normalize (warn) | refuse
//! ahp_method = "eigenvector"       # eigenvector | geometric-mean
//! random_index = "saaty"           # saaty | saaty2005 | donegan-dodd | alonso-lamata
//! [[resilience.weights.judgments]]
//! node = "root"                    # root (dimensions) or a dimension / sub-dimension id
//! matrix = [[1, 1, 2], [1, 1, 2], [0.5, 0.5, 1]]   # or experts = [[[…]], [[…]]]
//!
//! [resilience.uncertainty]
//! replications = 1000
//! seed = 42
//!
//! [resilience.research]            # validation, panel regression, decomposition:
//! validation = true                # see the `research` module
//!
//! [[resilience.dimensions]]
//! id = "B1"
//! name = "structural"
//!   [[resilience.dimensions.subdimensions]]
//!   id = "C11"
//!   name = "chain integrity"
//!     [[resilience.dimensions.subdimensions.indicators]]
//!     id = "D111"
//!     name = "local matching rate"
//!     direction = "benefit"        # benefit | cost
//!     weight = 0.086               # global weight (optional)
//!     derive = "local-matching-rate"   # or column = "name in the indicators table"
//!     unit = "share"               # share | ratio | per-employee | per-enterprise | days | any
//!                                  # (default: the registry's for a Table 2-1 code, else any)
//! ```
//!
//! The default system is built from the model's indicator registry
//! (`chainlens_model::indicator::TABLE_2_1`, documented in docs/indicators.md).
//!
//! Weights: with `method = "fixed"` either every indicator has a (global) `weight`, or none
//! has, and then the global weight is the product of the `weight`s of its dimension and
//! sub-dimension (each equal among siblings when not given) and an equal share within the
//! sub-dimension. With `method = "ahp"` each node's children are weighted from the node's
//! judgment matrix (equal when the node has none) and global weights are the products.
//! An indicator's values come from its `derive` hook when the caller supplies them
//! (see [`crate::panel::Derivations`]), else from its `column` (default: its id).

use crate::ahp::{AhpMethod, RandomIndex};
use crate::error::{Error, Result};
use crate::grade::GradeThresholds;
use crate::normalize::{Direction, Normalization};
use crate::research::ResearchConfig;
use chainlens_model::indicator::{TABLE_2_1, Unit};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// How an indicator is derived: the model's registry type (chainlens_model::Derivation).
pub use chainlens_model::indicator::Derivation;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub direction: Direction,
    pub weight: Option<f64>,
    pub column: Option<String>,
    pub derive: Option<Derivation>,
    /// Target value for `normalization = "target"`.
    pub target: Option<f64>,
    /// The unit (what values are possible). Default: the registry's for a Table 2-1 code,
    /// else any number.
    #[serde(default)]
    pub unit: Option<Unit>,
}

impl Indicator {
    /// The panel column holding this indicator's values.
    pub fn column(&self) -> &str {
        self.column.as_deref().unwrap_or(&self.id)
    }

    /// The configured unit, else the registry's for this code, else [`Unit::Any`].
    pub fn unit(&self) -> Unit {
        self.unit
            .or_else(|| chainlens_model::indicator::spec(&self.id).map(|s| s.unit))
            .unwrap_or(Unit::Any)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubDimension {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub weight: Option<f64>,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub weight: Option<f64>,
    pub subdimensions: Vec<SubDimension>,
}

/// Outlier treatment, per indicator over the pooled panel.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "method", deny_unknown_fields)]
pub enum Outliers {
    None,
    /// Clip to the Tukey fences Q1 − k·IQR and Q3 + k·IQR.
    Iqr {
        #[serde(default = "default_k")]
        k: f64,
    },
    /// Clip to the `lower` and `upper` quantiles.
    Winsorize {
        #[serde(default = "default_lower")]
        lower: f64,
        #[serde(default = "default_upper")]
        upper: f64,
    },
}

fn default_k() -> f64 {
    3.0
}
fn default_lower() -> f64 {
    0.05
}
fn default_upper() -> f64 {
    0.95
}

impl Default for Outliers {
    /// The paper removes outliers without naming a rule: ChainLens clips only extreme
    /// outliers (Tukey's "far out", k = 3), each flagged.
    fn default() -> Self {
        Outliers::Iqr { k: 3.0 }
    }
}

/// Missing-value treatment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "method", deny_unknown_fields)]
pub enum Imputation {
    /// A missing value is an error naming indicator, region and year.
    None,
    /// Linear interpolation inside a region's series; otherwise (at the ends) the median of
    /// the region's group in that year, else of all regions in that year. A region may miss
    /// at most `max_missing` (share) of the years of an indicator.
    Interpolate {
        #[serde(default = "default_max_missing")]
        max_missing: f64,
    },
}

fn default_max_missing() -> f64 {
    0.5
}

impl Default for Imputation {
    fn default() -> Self {
        Imputation::Interpolate { max_missing: 0.5 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WeightMethod {
    #[default]
    Fixed,
    Ahp,
    Entropy,
    Critic,
    Combined,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Subjective {
    Fixed,
    #[default]
    Ahp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Objective {
    #[default]
    Entropy,
    Critic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CombineRule {
    #[default]
    Geometric,
    Linear,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WeightSum {
    /// Rescale to 1 and warn.
    #[default]
    Normalize,
    /// Refuse with an error.
    Refuse,
}

/// One node's pairwise judgments: one matrix, or one per expert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Judgments {
    /// `root` (compares the dimensions) or the id of a dimension or sub-dimension.
    pub node: String,
    pub matrix: Option<Vec<Vec<f64>>>,
    pub experts: Option<Vec<Vec<Vec<f64>>>>,
    pub expert_weights: Option<Vec<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WeightConfig {
    pub method: WeightMethod,
    pub subjective: Subjective,
    pub objective: Objective,
    pub combine: CombineRule,
    pub alpha: f64,
    pub sum: WeightSum,
    pub ahp_method: AhpMethod,
    pub random_index: RandomIndex,
    pub judgments: Vec<Judgments>,
}

impl Default for WeightConfig {
    fn default() -> Self {
        WeightConfig {
            method: WeightMethod::Fixed,
            subjective: Subjective::Ahp,
            objective: Objective::Entropy,
            combine: CombineRule::Geometric,
            alpha: 0.5,
            sum: WeightSum::Normalize,
            ahp_method: AhpMethod::Eigenvector,
            random_index: RandomIndex::Saaty,
            judgments: Vec::new(),
        }
    }
}

/// Which aggregation gives the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aggregation {
    #[default]
    WeightedSum,
    Fuzzy,
    Topsis,
}

impl Aggregation {
    pub fn name(self) -> &'static str {
        match self {
            Aggregation::WeightedSum => "weighted-sum",
            Aggregation::Fuzzy => "fuzzy",
            Aggregation::Topsis => "topsis",
        }
    }
}

/// Monte Carlo of the ranking (see [`crate::uncertainty`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UncertaintyConfig {
    pub replications: usize,
    pub seed: u64,
    /// Each weight is multiplied by a factor drawn uniformly from [1 − s, 1 + s].
    pub weight_spread: f64,
}

impl Default for UncertaintyConfig {
    fn default() -> Self {
        UncertaintyConfig {
            replications: 1000,
            seed: 42,
            weight_spread: 0.5,
        }
    }
}

/// The `[resilience]` section: indicator system and pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ResilienceConfig {
    pub normalization: Normalization,
    pub constant_score: Option<f64>,
    pub outliers: Outliers,
    pub imputation: Imputation,
    /// A value of the indicators table replaces a derived one (see [`crate::panel`]);
    /// default false: derived values are used, given ones fill what is not derived.
    pub given_overrides_derived: bool,
    pub weights: WeightConfig,
    pub aggregation: Aggregation,
    pub grades: GradeThresholds,
    pub uncertainty: Option<UncertaintyConfig>,
    pub dimensions: Vec<Dimension>,
    /// `[resilience.research]`: validation, regression, decomposition.
    pub research: ResearchConfig,
}

impl Default for ResilienceConfig {
    fn default() -> Self {
        ResilienceConfig {
            normalization: Normalization::MinMax,
            constant_score: None,
            outliers: Outliers::default(),
            imputation: Imputation::default(),
            given_overrides_derived: false,
            weights: WeightConfig::default(),
            aggregation: Aggregation::WeightedSum,
            grades: GradeThresholds::default(),
            uncertainty: None,
            dimensions: paper_dimensions(),
            research: ResearchConfig::default(),
        }
    }
}

/// The paper's Table 2-1 (3 dimensions, 6 sub-dimensions, 12 indicators and their
/// weights), built from the model's registry [`chainlens_model::indicator::TABLE_2_1`].
pub fn paper_dimensions() -> Vec<Dimension> {
    let mut dimensions: Vec<Dimension> = Vec::new();
    for spec in &TABLE_2_1 {
        if dimensions
            .last()
            .is_none_or(|d| d.id != spec.dimension.code)
        {
            dimensions.push(Dimension {
                id: spec.dimension.code.into(),
                name: spec.dimension.en.into(),
                weight: None,
                subdimensions: Vec::new(),
            });
        }
        let subdimensions = &mut dimensions.last_mut().expect("pushed above").subdimensions;
        if subdimensions
            .last()
            .is_none_or(|s| s.id != spec.subdimension.code)
        {
            subdimensions.push(SubDimension {
                id: spec.subdimension.code.into(),
                name: spec.subdimension.en.into(),
                weight: None,
                indicators: Vec::new(),
            });
        }
        let sub = subdimensions.last_mut().expect("pushed above");
        sub.indicators.push(Indicator {
            id: spec.code.into(),
            name: spec.en.into(),
            direction: spec.direction,
            weight: Some(spec.weight),
            column: None,
            derive: spec.derivation,
            target: None,
            unit: None,
        });
    }
    dimensions
}

impl ResilienceConfig {
    /// Parses a `--system` file: either a bare `[resilience]` body or a file with a
    /// `[resilience]` table (such as chainlens.toml).
    pub fn from_toml(text: &str) -> Result<ResilienceConfig> {
        let table: toml::Table =
            toml::from_str(text).map_err(|e| Error::Config(e.message().to_owned()))?;
        let value = match table.get("resilience") {
            Some(v) => v.clone(),
            None => toml::Value::Table(table),
        };
        let config: ResilienceConfig = value
            .try_into()
            .map_err(|e: toml::de::Error| Error::Config(e.message().to_owned()))?;
        config.check()?;
        Ok(config)
    }

    /// All indicators in system order.
    pub fn indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.dimensions
            .iter()
            .flat_map(|d| d.subdimensions.iter().flat_map(|s| s.indicators.iter()))
    }

    /// Index of the dimension of each indicator, in system order.
    pub fn dimension_of(&self) -> Vec<usize> {
        self.dimensions
            .iter()
            .enumerate()
            .flat_map(|(k, d)| {
                d.subdimensions
                    .iter()
                    .flat_map(move |s| s.indicators.iter().map(move |_| k))
            })
            .collect()
    }

    /// Checks the system: unique ids, at least one indicator per node, valid weights,
    /// grade thresholds, judgments attached to existing nodes.
    pub fn check(&self) -> Result<()> {
        let mut ids = HashSet::new();
        if self.dimensions.is_empty() {
            return Err(Error::System("no dimensions".into()));
        }
        let weight_ok = |w: Option<f64>| w.is_none_or(|w| w.is_finite() && w >= 0.0);
        for d in &self.dimensions {
            if !ids.insert(d.id.as_str()) {
                return Err(Error::System(format!("id `{}` is used twice", d.id)));
            }
            if d.subdimensions.is_empty() {
                return Err(Error::System(format!(
                    "dimension `{}` has no sub-dimensions",
                    d.id
                )));
            }
            if !weight_ok(d.weight) {
                return Err(Error::System(format!(
                    "dimension `{}`: weight must be a non-negative number",
                    d.id
                )));
            }
            for s in &d.subdimensions {
                if !ids.insert(s.id.as_str()) {
                    return Err(Error::System(format!("id `{}` is used twice", s.id)));
                }
                if s.indicators.is_empty() {
                    return Err(Error::System(format!(
                        "sub-dimension `{}` has no indicators",
                        s.id
                    )));
                }
                if !weight_ok(s.weight) {
                    return Err(Error::System(format!(
                        "sub-dimension `{}`: weight must be a non-negative number",
                        s.id
                    )));
                }
                for i in &s.indicators {
                    if !ids.insert(i.id.as_str()) {
                        return Err(Error::System(format!("id `{}` is used twice", i.id)));
                    }
                    if !weight_ok(i.weight) {
                        return Err(Error::System(format!(
                            "indicator `{}`: weight must be a non-negative number",
                            i.id
                        )));
                    }
                    if self.normalization == Normalization::Target && i.target.is_none() {
                        return Err(Error::System(format!(
                            "indicator `{}` is normalised to a target but has no `target`",
                            i.id
                        )));
                    }
                }
            }
        }
        let given = self.indicators().filter(|i| i.weight.is_some()).count();
        let total = self.indicators().count();
        if self.weights.method == WeightMethod::Fixed && given != 0 && given != total {
            let missing: Vec<&str> = self
                .indicators()
                .filter(|i| i.weight.is_none())
                .map(|i| i.id.as_str())
                .collect();
            return Err(Error::System(format!(
                "fixed weights: either every indicator has a weight or none has; missing for {}",
                missing.join(", ")
            )));
        }
        for j in &self.weights.judgments {
            if j.node != "root"
                && !self
                    .dimensions
                    .iter()
                    .any(|d| d.id == j.node || d.subdimensions.iter().any(|s| s.id == j.node))
            {
                return Err(Error::System(format!(
                    "judgments for unknown node `{}` (use `root` or a dimension / sub-dimension id)",
                    j.node
                )));
            }
            if j.matrix.is_some() == j.experts.is_some() {
                return Err(Error::System(format!(
                    "judgments for `{}`: give either `matrix` or `experts`",
                    j.node
                )));
            }
        }
        if !(0.0..=1.0).contains(&self.weights.alpha) {
            return Err(Error::Config(format!(
                "weights.alpha = {} is outside [0, 1]",
                self.weights.alpha
            )));
        }
        if let Some(s) = self.constant_score
            && !s.is_finite()
        {
            return Err(Error::Config(
                "constant_score must be a finite number".into(),
            ));
        }
        match self.outliers {
            Outliers::Iqr { k } if k.is_nan() || k <= 0.0 => {
                return Err(Error::Config(format!("outliers.k = {k} must be positive")));
            }
            Outliers::Winsorize { lower, upper }
                if !(0.0 <= lower && lower < upper && upper <= 1.0) =>
            {
                return Err(Error::Config(format!(
                    "winsorising needs 0 ≤ lower < upper ≤ 1, got {lower} and {upper}"
                )));
            }
            _ => {}
        }
        if let Imputation::Interpolate { max_missing } = self.imputation
            && !(0.0..=1.0).contains(&max_missing)
        {
            return Err(Error::Config(format!(
                "imputation.max_missing = {max_missing} is outside [0, 1]"
            )));
        }
        if let Some(u) = &self.uncertainty
            && !(0.0..1.0).contains(&u.weight_spread)
        {
            return Err(Error::Config(format!(
                "uncertainty.weight_spread = {} must be in [0, 1)",
                u.weight_spread
            )));
        }
        self.grades.check()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_system_weights_sum_to_one() {
        let c = ResilienceConfig::default();
        c.check().unwrap();
        assert_eq!(c.indicators().count(), 12);
        let sum: f64 = c.indicators().map(|i| i.weight.unwrap()).sum();
        assert!((sum - 1.0).abs() < 1e-12);
        let dims = c.dimension_of();
        let b: Vec<f64> = (0..3)
            .map(|k| {
                c.indicators()
                    .zip(&dims)
                    .filter(|(_, d)| **d == k)
                    .map(|(i, _)| i.weight.unwrap())
                    .sum()
            })
            .collect();
        assert!(
            (b[0] - 0.340).abs() < 1e-12
                && (b[1] - 0.344).abs() < 1e-12
                && (b[2] - 0.316).abs() < 1e-12
        );
    }

    #[test]
    fn parses_partial_section_with_defaults() {
        let c = ResilienceConfig::from_toml(
            "[resilience]\nnormalization = \"none\"\noutliers = { method = \"none\" }\n",
        )
        .unwrap();
        assert_eq!(c.normalization, Normalization::None);
        assert_eq!(c.dimensions, paper_dimensions());
        let e = ResilienceConfig::from_toml("normalisation = \"none\"").unwrap_err();
        assert!(e.to_string().contains("normalisation"), "{e}");
        let e =
            ResilienceConfig::from_toml("[[weights.judgments]]\nnode = \"B9\"\nmatrix = [[1.0]]\n")
                .unwrap_err();
        assert!(e.to_string().contains("B9"), "{e}");
    }
}
