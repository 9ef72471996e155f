//! The five resilience grades (the paper, after Yeung & Coe 2023): high E ≥ 0.800,
//! strong 0.600 ≤ E < 0.800, medium 0.400 ≤ E < 0.600, weaker 0.200 ≤ E < 0.400,
//! low E < 0.200. The four thresholds are configurable and must increase strictly.
//! A value exactly on a threshold belongs to the higher grade.

use crate::error::{Error, Result};
pub use chainlens_model::Grade;
use serde::{Deserialize, Serialize};

/// Lower bounds of the grades weaker, medium, strong and high.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GradeThresholds {
    pub weaker: f64,
    pub medium: f64,
    pub strong: f64,
    pub high: f64,
}

impl Default for GradeThresholds {
    fn default() -> Self {
        GradeThresholds {
            weaker: 0.2,
            medium: 0.4,
            strong: 0.6,
            high: 0.8,
        }
    }
}

impl GradeThresholds {
    /// Checks that 0 < weaker < medium < strong < high < 1.
    pub fn check(&self) -> Result<()> {
        let t = [0.0, self.weaker, self.medium, self.strong, self.high, 1.0];
        if t.windows(2).all(|w| w[0] < w[1]) {
            Ok(())
        } else {
            Err(Error::Config(format!(
                "grade thresholds must increase strictly inside (0, 1): weaker {} < medium {} < strong {} < high {}",
                self.weaker, self.medium, self.strong, self.high
            )))
        }
    }

    pub fn grade(&self, e: f64) -> Grade {
        if e >= self.high {
            Grade::High
        } else if e >= self.strong {
            Grade::Strong
        } else if e >= self.medium {
            Grade::Medium
        } else if e >= self.weaker {
            Grade::Weaker
        } else {
            Grade::Low
        }
    }

    /// The centre of each grade's interval on [0, 1], low to high: the points of full
    /// membership in the fuzzy evaluation and the scores of the grades.
    pub fn centres(&self) -> [f64; 5] {
        let b = [0.0, self.weaker, self.medium, self.strong, self.high, 1.0];
        std::array::from_fn(|k| 0.5 * (b[k] + b[k + 1]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_grades() {
        let t = GradeThresholds::default();
        assert_eq!(t.grade(0.874), Grade::High);
        assert_eq!(t.grade(0.8), Grade::High);
        assert_eq!(t.grade(0.745), Grade::Strong);
        assert_eq!(t.grade(0.4), Grade::Medium);
        assert_eq!(t.grade(0.2), Grade::Weaker);
        assert_eq!(t.grade(0.1999), Grade::Low);
        assert_eq!(t.centres(), [0.1, 0.30000000000000004, 0.5, 0.7, 0.9]);
        assert!(GradeThresholds { medium: 0.7, ..t }.check().is_err());
    }
}
