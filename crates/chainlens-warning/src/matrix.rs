//! The risk assessment model: a risk register graded by a risk matrix (Zhang 2024,
//! Table 4-6 "Industry chain risk identification and assessment matrix").
//!
//! Two kinds of matrix are configurable:
//!
//! - **Grid**: bins on probability and on impact, each bin half-open `[min, max)` (the
//!   last one closed at 1); the bins of an axis must tile [0, 1] without gaps or
//!   overlaps, and a cell's level may not be lower than that of a cell with lower
//!   probability or lower impact (monotone matrix).
//! - **Score**: `s = p·i` (`product`) or `s = w·p + (1 − w)·i` (`weighted`), graded high
//!   when `s ≥ high`, medium when `s ≥ medium`, low otherwise.
//!
//! # The default and why
//!
//! The paper gives five graded risks and no rule. The product `p·i`, the usual score,
//! contradicts it: it would rank carbon-emission constraint (0.567 × 0.789 = 0.447)
//! above technology blockade (0.318), demand fluctuation (0.309) and raw-material supply
//! cut (0.203), yet the paper grades supply cut *high* and carbon constraint *medium*.
//! A weighted score reproduces the table only with a probability weight below 0.19
//! (from 0.234w + 0.867(1 − w) > 0.567w + 0.789(1 − w)). What the table does follow is
//! the impact: ≥ 0.8 high (0.867, 0.923), 0.6–0.8 medium (0.678, 0.789), < 0.6 low
//! (0.567) — a severity-led grading, as for chain-break risks whose consequence matters
//! more than their odds.
//!
//! The default is therefore a 3 × 3 grid on impact bins `[0, 0.6) [0.6, 0.8) [0.8, 1]`
//! and probability bins `[0, 0.3) [0.3, 0.6) [0.6, 1]`:
//!
//! | probability \ impact | low | medium | high |
//! |---|---|---|---|
//! | low  (< 0.3)         | low    | medium | high |
//! | medium (0.3–0.6)     | low    | medium | high |
//! | high (≥ 0.6)         | medium | high   | high |
//!
//! that is, *the impact sets the grade and a likely risk (p ≥ 0.6) moves up one grade*;
//! equivalently the cell score `rank(p) + 2·rank(i)` (ranks 0, 1, 2) graded high ≥ 4,
//! medium ≥ 2. It reproduces all five rows of Table 4-6 (none of them has p ≥ 0.6) and
//! stays monotone for any other input. Cost: O(bins) per risk.

use crate::{Error, Result};
use chainlens_model::Risk;
pub use chainlens_model::RiskLevel;
use chainlens_model::Vocabulary;
use serde::{Deserialize, Serialize};

/// One bin of an axis, `[min, max)`; the last bin of an axis includes 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bin {
    pub name: String,
    pub min: f64,
    pub max: f64,
}

/// A risk matrix as configured (`[warning.matrix]`), before [`MatrixSpec::check`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum MatrixSpec {
    Grid {
        probability: Vec<Bin>,
        impact: Vec<Bin>,
        /// One row per probability bin (low to high), one column per impact bin.
        levels: Vec<Vec<RiskLevel>>,
    },
    Score {
        formula: ScoreFormula,
        /// Weight of the probability in the `weighted` formula, in [0, 1].
        #[serde(default)]
        probability_weight: Option<f64>,
        high: f64,
        medium: f64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreFormula {
    Product,
    Weighted,
}

/// A validated risk matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskMatrix {
    spec: MatrixSpec,
}

impl Default for MatrixSpec {
    /// The grid that reproduces Table 4-6 (see the module documentation).
    fn default() -> Self {
        let bin = |name: &str, min, max| Bin {
            name: name.into(),
            min,
            max,
        };
        use RiskLevel::{High, Low, Medium};
        MatrixSpec::Grid {
            probability: vec![
                bin("low", 0.0, 0.3),
                bin("medium", 0.3, 0.6),
                bin("high", 0.6, 1.0),
            ],
            impact: vec![
                bin("low", 0.0, 0.6),
                bin("medium", 0.6, 0.8),
                bin("high", 0.8, 1.0),
            ],
            levels: vec![
                vec![Low, Medium, High],
                vec![Low, Medium, High],
                vec![Medium, High, High],
            ],
        }
    }
}

impl Default for RiskMatrix {
    fn default() -> Self {
        MatrixSpec::default()
            .check()
            .expect("the default matrix is valid")
    }
}

fn check_bins(axis: &'static str, bins: &[Bin]) -> Result<()> {
    let err = |message: String| Err(Error::Bins { axis, message });
    let Some(first) = bins.first() else {
        return err("no bins".into());
    };
    for b in bins {
        if !(b.min.is_finite() && b.max.is_finite() && b.min < b.max) {
            return err(format!(
                "bin `{}` [{}, {}) is empty or not a range",
                b.name, b.min, b.max
            ));
        }
    }
    if first.min != 0.0 {
        return err(format!(
            "the first bin `{}` starts at {}, not 0",
            first.name, first.min
        ));
    }
    for w in bins.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if a.max < b.min {
            return err(format!(
                "gap between `{}` (ends at {}) and `{}` (starts at {})",
                a.name, a.max, b.name, b.min
            ));
        }
        if a.max > b.min {
            return err(format!(
                "`{}` (ends at {}) overlaps `{}` (starts at {})",
                a.name, a.max, b.name, b.min
            ));
        }
    }
    let last = &bins[bins.len() - 1];
    if last.max != 1.0 {
        return err(format!(
            "the last bin `{}` ends at {}, not 1",
            last.name, last.max
        ));
    }
    Ok(())
}

/// The bin of `x` (already checked to lie in [0, 1]).
fn bin_of(bins: &[Bin], x: f64) -> usize {
    bins.iter()
        .position(|b| x < b.max)
        .unwrap_or(bins.len() - 1)
}

impl MatrixSpec {
    /// Validates the matrix: bins tile [0, 1], the grid has one level per cell and is
    /// monotone, score thresholds are ordered within (0, 1].
    pub fn check(self) -> Result<RiskMatrix> {
        match &self {
            MatrixSpec::Grid {
                probability,
                impact,
                levels,
            } => {
                check_bins("probability", probability)?;
                check_bins("impact", impact)?;
                if levels.len() != probability.len()
                    || levels.iter().any(|row| row.len() != impact.len())
                {
                    return Err(Error::Matrix(format!(
                        "levels must have {} rows (probability bins) of {} cells (impact bins)",
                        probability.len(),
                        impact.len()
                    )));
                }
                for (r, row) in levels.iter().enumerate() {
                    for (c, &level) in row.iter().enumerate() {
                        let below = r > 0 && levels[r - 1][c] > level;
                        let left = c > 0 && row[c - 1] > level;
                        if below || left {
                            return Err(Error::Matrix(format!(
                                "cell (probability `{}`, impact `{}`) is {} but a less risky neighbour is higher: the grid must be monotone",
                                probability[r].name,
                                impact[c].name,
                                level.key()
                            )));
                        }
                    }
                }
            }
            MatrixSpec::Score {
                formula,
                probability_weight,
                high,
                medium,
            } => {
                match (formula, probability_weight) {
                    (ScoreFormula::Weighted, None) => {
                        return Err(Error::Matrix(
                            "the weighted score needs `probability_weight`".into(),
                        ));
                    }
                    (ScoreFormula::Weighted, Some(w)) if !(0.0..=1.0).contains(w) => {
                        return Err(Error::Matrix(format!(
                            "probability_weight {w} is outside [0, 1]"
                        )));
                    }
                    (ScoreFormula::Product, Some(_)) => {
                        return Err(Error::Matrix(
                            "`probability_weight` applies only to the weighted score".into(),
                        ));
                    }
                    _ => {}
                }
                if !(*medium > 0.0 && medium < high && *high <= 1.0) {
                    return Err(Error::Matrix(format!(
                        "thresholds must satisfy 0 < medium < high <= 1 (medium {medium}, high {high})"
                    )));
                }
            }
        }
        Ok(RiskMatrix { spec: self })
    }
}

/// A graded risk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskAssessment {
    pub id: String,
    #[serde(rename = "type")]
    pub risk_type: String,
    pub factor: String,
    pub probability: f64,
    pub impact: f64,
    pub level: RiskLevel,
    /// The grid cell (`probability bin/impact bin`) or the score, whichever graded it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    pub owner: Option<String>,
    pub measures: Option<String>,
}

impl RiskMatrix {
    pub fn spec(&self) -> &MatrixSpec {
        &self.spec
    }

    /// Grades one (probability, impact) pair, both checked to lie in [0, 1].
    pub fn grade(&self, probability: f64, impact: f64) -> (RiskLevel, Option<String>, Option<f64>) {
        match &self.spec {
            MatrixSpec::Grid {
                probability: pb,
                impact: ib,
                levels,
            } => {
                let (r, c) = (bin_of(pb, probability), bin_of(ib, impact));
                (
                    levels[r][c],
                    Some(format!("{}/{}", pb[r].name, ib[c].name)),
                    None,
                )
            }
            MatrixSpec::Score {
                formula,
                probability_weight,
                high,
                medium,
            } => {
                let s = match formula {
                    ScoreFormula::Product => probability * impact,
                    ScoreFormula::Weighted => {
                        let w = probability_weight.unwrap_or(0.5);
                        w * probability + (1.0 - w) * impact
                    }
                };
                let level = if s >= *high {
                    RiskLevel::High
                } else if s >= *medium {
                    RiskLevel::Medium
                } else {
                    RiskLevel::Low
                };
                (level, None, Some(s))
            }
        }
    }
}

/// Grades every risk of the register; a probability or impact outside [0, 1] is an error.
pub fn assess(register: &[Risk], matrix: &RiskMatrix) -> Result<Vec<RiskAssessment>> {
    register
        .iter()
        .map(|r| {
            for (field, value) in [("probability", r.probability), ("impact", r.impact)] {
                if !(0.0..=1.0).contains(&value) {
                    return Err(Error::OutOfUnitInterval {
                        id: r.id.clone(),
                        field,
                        value,
                    });
                }
            }
            let (level, cell, score) = matrix.grade(r.probability, r.impact);
            Ok(RiskAssessment {
                id: r.id.clone(),
                risk_type: r.risk_type.clone(),
                factor: r.factor.clone(),
                probability: r.probability,
                impact: r.impact,
                level,
                cell,
                score,
                owner: r.owner.clone(),
                measures: r.measures.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use RiskLevel::{High, Low, Medium};

    fn grid(probability: Vec<Bin>) -> MatrixSpec {
        let MatrixSpec::Grid { impact, levels, .. } = MatrixSpec::default() else {
            unreachable!()
        };
        MatrixSpec::Grid {
            probability,
            impact,
            levels,
        }
    }

    fn bin(name: &str, min: f64, max: f64) -> Bin {
        Bin {
            name: name.into(),
            min,
            max,
        }
    }

    #[test]
    fn default_grid_is_impact_led_and_raises_likely_risks() {
        let m = RiskMatrix::default();
        assert_eq!(m.grade(0.01, 0.95).0, High);
        assert_eq!(m.grade(0.59, 0.79).0, Medium);
        assert_eq!(m.grade(0.6, 0.79).0, High);
        assert_eq!(m.grade(0.9, 0.1).0, Medium);
        assert_eq!(m.grade(0.0, 0.0).0, Low);
        assert_eq!(m.grade(1.0, 1.0), (High, Some("high/high".into()), None));
        // Bin edges belong to the upper bin.
        assert_eq!(m.grade(0.3, 0.8).1.as_deref(), Some("medium/high"));
    }

    #[test]
    fn gaps_overlaps_and_bad_grids_are_refused() {
        let gap = grid(vec![
            bin("low", 0.0, 0.3),
            bin("medium", 0.35, 0.6),
            bin("high", 0.6, 1.0),
        ]);
        assert!(
            matches!(gap.check(), Err(Error::Bins { axis: "probability", message }) if message.contains("gap"))
        );
        let overlap = grid(vec![
            bin("low", 0.0, 0.4),
            bin("medium", 0.3, 0.6),
            bin("high", 0.6, 1.0),
        ]);
        assert!(
            matches!(overlap.check(), Err(Error::Bins { message, .. }) if message.contains("overlaps"))
        );
        let short = grid(vec![
            bin("low", 0.0, 0.3),
            bin("medium", 0.3, 0.6),
            bin("high", 0.6, 0.9),
        ]);
        assert!(
            matches!(short.check(), Err(Error::Bins { message, .. }) if message.contains("not 1"))
        );
        let two = grid(vec![bin("low", 0.0, 0.5), bin("high", 0.5, 1.0)]);
        assert!(matches!(two.check(), Err(Error::Matrix(m)) if m.contains("2 rows")));
        let MatrixSpec::Grid {
            probability,
            impact,
            ..
        } = MatrixSpec::default()
        else {
            unreachable!()
        };
        let inverted = MatrixSpec::Grid {
            probability,
            impact,
            levels: vec![
                vec![High, Medium, High],
                vec![Low, Medium, High],
                vec![Medium, High, High],
            ],
        };
        assert!(matches!(inverted.check(), Err(Error::Matrix(m)) if m.contains("monotone")));
    }

    #[test]
    fn score_matrices_grade_by_thresholds() {
        let product = MatrixSpec::Score {
            formula: ScoreFormula::Product,
            probability_weight: None,
            high: 0.4,
            medium: 0.2,
        }
        .check()
        .unwrap();
        assert_eq!(product.grade(0.567, 0.789).0, High);
        assert_eq!(product.grade(0.234, 0.867).0, Medium);
        assert_eq!(product.grade(0.234, 0.567).0, Low);
        let bad = MatrixSpec::Score {
            formula: ScoreFormula::Weighted,
            probability_weight: None,
            high: 0.4,
            medium: 0.2,
        };
        assert!(bad.check().is_err());
        let disordered = MatrixSpec::Score {
            formula: ScoreFormula::Product,
            probability_weight: None,
            high: 0.2,
            medium: 0.4,
        };
        assert!(disordered.check().is_err());
    }

    #[test]
    fn out_of_range_inputs_are_errors() {
        let risk = Risk {
            id: "r1".into(),
            risk_type: "supply".into(),
            factor: "cut".into(),
            probability: 1.2,
            impact: 0.5,
            owner: None,
            measures: None,
        };
        let err = assess(&[risk], &RiskMatrix::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "risk `r1`: probability 1.2 is outside [0, 1]"
        );
    }
}
