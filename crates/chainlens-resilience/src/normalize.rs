//! Normalisation of one indicator over the pooled region × year panel, so that scores of
//! different years stay comparable (a region's 2023 score is measured on the same scale
//! as its 2018 score).
//!
//! For values x_1 … x_N of one indicator (all regions, all years):
//! * `min-max` with direction: benefit r = (x − min)/(max − min), cost r = (max − x)/(max − min);
//!   r ∈ [0, 1].
//! * `z-score`: r = (x − μ)/σ with the population standard deviation (divisor N); a cost
//!   indicator is negated. Not bounded: grades and fuzzy memberships then clamp to [0, 1].
//! * `target`: distance to a target value t, r = 1 − |x − t| / max_i |x_i − t|, so the
//!   target scores 1 and the farthest observation 0; the direction is not used.
//! * `none`: the values are already normalised scores and are used as given (the paper's
//!   Table 3-1 works this way).
//!
//! A constant indicator (max = min, σ = 0, or every value on the target) cannot be
//! normalised: that is an error naming the indicator unless the configuration sets
//! `constant_score`, the score every observation then receives (a documented choice,
//! e.g. 1.0 = "no region falls short", 0.5 = neutral). Never a division by zero.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

pub use chainlens_model::indicator::Direction;

/// The normalisation method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Normalization {
    /// Values are already scores.
    None,
    #[default]
    MinMax,
    ZScore,
    Target,
}

impl Normalization {
    pub fn name(self) -> &'static str {
        match self {
            Normalization::None => "none",
            Normalization::MinMax => "min-max",
            Normalization::ZScore => "z-score",
            Normalization::Target => "target",
        }
    }
}

/// What normalising one column needs besides its values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColumnSpec<'a> {
    pub name: &'a str,
    pub direction: Direction,
    pub target: Option<f64>,
    /// Score given to every observation of a constant column; `None` makes it an error.
    pub constant_score: Option<f64>,
}

/// Normalises one indicator's pooled values.
pub fn normalize_column(
    values: &[f64],
    method: Normalization,
    spec: ColumnSpec,
) -> Result<Vec<f64>> {
    if let Some(&bad) = values.iter().find(|x| !x.is_finite()) {
        return Err(Error::BadValue {
            indicator: spec.name.to_owned(),
            at: "the panel".into(),
            value: bad,
            reason: "not a finite number".into(),
        });
    }
    let constant = |value: f64| match spec.constant_score {
        Some(s) => Ok(vec![s; values.len()]),
        None => Err(Error::ConstantIndicator {
            indicator: spec.name.to_owned(),
            value,
        }),
    };
    let first = values.first().copied().unwrap_or(0.0);
    match method {
        Normalization::None => Ok(values.to_vec()),
        Normalization::MinMax => {
            let (lo, hi) = values
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                    (a.min(x), b.max(x))
                });
            if hi <= lo {
                return constant(first);
            }
            let span = hi - lo;
            Ok(match spec.direction {
                Direction::Benefit => values.iter().map(|x| (x - lo) / span).collect(),
                Direction::Cost => values.iter().map(|x| (hi - x) / span).collect(),
            })
        }
        Normalization::ZScore => {
            let n = values.len() as f64;
            let mu = values.iter().sum::<f64>() / n;
            let sd = (values.iter().map(|x| (x - mu) * (x - mu)).sum::<f64>() / n).sqrt();
            if sd.is_nan() || sd <= 0.0 {
                return constant(first);
            }
            let sign = if spec.direction == Direction::Cost {
                -1.0
            } else {
                1.0
            };
            Ok(values.iter().map(|x| sign * (x - mu) / sd).collect())
        }
        Normalization::Target => {
            let t = spec.target.ok_or_else(|| {
                Error::System(format!(
                    "indicator `{}` is normalised to a target but has no `target`",
                    spec.name
                ))
            })?;
            let far = values.iter().map(|x| (x - t).abs()).fold(0.0, f64::max);
            if far <= 0.0 {
                return constant(first);
            }
            Ok(values.iter().map(|x| 1.0 - (x - t).abs() / far).collect())
        }
    }
}

/// Min-max normalises every column of `matrix` (rows = observations) with its direction;
/// constant columns are an error naming the column.
pub fn min_max_matrix(
    matrix: &[Vec<f64>],
    names: &[String],
    directions: &[Direction],
) -> Result<Vec<Vec<f64>>> {
    let mut out = matrix.to_vec();
    for (j, name) in names.iter().enumerate() {
        let col: Vec<f64> = matrix.iter().map(|r| r[j]).collect();
        let spec = ColumnSpec {
            name,
            direction: directions[j],
            target: None,
            constant_score: None,
        };
        for (row, v) in out
            .iter_mut()
            .zip(normalize_column(&col, Normalization::MinMax, spec)?)
        {
            row[j] = v;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(direction: Direction) -> ColumnSpec<'static> {
        ColumnSpec {
            name: "D321",
            direction,
            target: Some(3.0),
            constant_score: None,
        }
    }

    #[test]
    fn min_max_with_direction() {
        let r = normalize_column(
            &[2.0, 4.0, 6.0],
            Normalization::MinMax,
            spec(Direction::Cost),
        )
        .unwrap();
        assert_eq!(r, vec![1.0, 0.5, 0.0]);
        let r = normalize_column(
            &[2.0, 4.0, 6.0],
            Normalization::MinMax,
            spec(Direction::Benefit),
        )
        .unwrap();
        assert_eq!(r, vec![0.0, 0.5, 1.0]);
    }

    #[test]
    fn z_score_and_target() {
        let r =
            normalize_column(&[1.0, 3.0], Normalization::ZScore, spec(Direction::Benefit)).unwrap();
        assert_eq!(r, vec![-1.0, 1.0]);
        let r = normalize_column(
            &[1.0, 3.0, 4.0],
            Normalization::Target,
            spec(Direction::Benefit),
        )
        .unwrap();
        assert_eq!(r, vec![0.0, 1.0, 0.5]);
    }

    #[test]
    fn constant_column_is_an_error_or_a_choice() {
        let e = normalize_column(&[2.0, 2.0], Normalization::MinMax, spec(Direction::Benefit))
            .unwrap_err();
        assert!(e.to_string().contains("D321"));
        let s = ColumnSpec {
            constant_score: Some(0.5),
            ..spec(Direction::Benefit)
        };
        assert_eq!(
            normalize_column(&[2.0, 2.0], Normalization::ZScore, s).unwrap(),
            vec![0.5, 0.5]
        );
    }
}
