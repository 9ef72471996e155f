//! The emergency response levels (Zhang 2024, Table 4-8, the "1+4" emergency response
//! system) and the chain measures an alert recommends (Gao 2021: chain protection,
//! chain supplement, chain creation, chain financing).
//!
//! | level | trigger | response | time limit | responsible |
//! |---|---|---|---|---|
//! | 1 | chain-break risk | start alternatives | 24 h | regional command |
//! | 2 | tight supply | reconcile inventory | 48 h | industry alliance |
//! | 3 | demand fluctuation | capacity adjustment | 72 h | key enterprises |
//! | 4 | abnormal quality | source control | 96 h | related companies |
//!
//! An alert of level k is due `hours` after it is raised and owned by the level's
//! responsible party unless its rule names an owner. The levels are configuration
//! (`[[warning.levels]]`); the table is the default.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Gao's four measures for a landmark chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Protect the existing chain: help its enterprises through difficulties and risks.
    Protection,
    /// Fill breakpoints: find partner enterprises in the region or across regions.
    Supplement,
    /// Create missing key capabilities by introduction or independent innovation.
    Creation,
    /// Chain financing / fusion: integrate weak, interrupted or foreign-ended enterprises
    /// and chains into the core supply chain, with financial support.
    Financing,
}

impl Measure {
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Protection => "protection",
            Measure::Supplement => "supplement",
            Measure::Creation => "creation",
            Measure::Financing => "financing",
        }
    }
}

/// One response level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseLevel {
    /// 1 is the most urgent.
    pub level: u8,
    pub trigger: String,
    pub response: String,
    /// Time limit after the alert is raised.
    pub hours: f64,
    /// The responsible party.
    pub owner: String,
}

/// The validated response levels, indexed by level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponsePlan {
    levels: Vec<ResponseLevel>,
}

impl ResponsePlan {
    /// Table 4-8.
    pub fn table_4_8() -> Vec<ResponseLevel> {
        let l = |level, trigger: &str, response: &str, hours, owner: &str| ResponseLevel {
            level,
            trigger: trigger.into(),
            response: response.into(),
            hours,
            owner: owner.into(),
        };
        vec![
            l(
                1,
                "chain-break risk",
                "start alternatives",
                24.0,
                "regional command",
            ),
            l(
                2,
                "tight supply",
                "reconcile inventory",
                48.0,
                "industry alliance",
            ),
            l(
                3,
                "demand fluctuation",
                "capacity adjustment",
                72.0,
                "key enterprises",
            ),
            l(
                4,
                "abnormal quality",
                "source control",
                96.0,
                "related companies",
            ),
        ]
    }

    /// Checks that the levels are 1, 2, …, n in order with positive time limits.
    pub fn new(levels: Vec<ResponseLevel>) -> Result<ResponsePlan> {
        if levels.is_empty() {
            return Err(Error::Level {
                level: 0,
                message: "no response levels".into(),
            });
        }
        for (i, l) in levels.iter().enumerate() {
            if usize::from(l.level) != i + 1 {
                return Err(Error::Level {
                    level: l.level,
                    message: format!(
                        "levels must be numbered 1, 2, … in order; expected {}",
                        i + 1
                    ),
                });
            }
            if !(l.hours.is_finite() && l.hours > 0.0) {
                return Err(Error::Level {
                    level: l.level,
                    message: format!("time limit {} h is not positive", l.hours),
                });
            }
            if l.owner.trim().is_empty() {
                return Err(Error::Level {
                    level: l.level,
                    message: "no responsible party".into(),
                });
            }
        }
        Ok(ResponsePlan { levels })
    }

    /// The level, if defined.
    pub fn get(&self, level: u8) -> Option<&ResponseLevel> {
        self.levels.get(usize::from(level).checked_sub(1)?)
    }

    /// The least urgent level.
    pub fn lowest(&self) -> u8 {
        self.levels.len() as u8
    }

    pub fn levels(&self) -> &[ResponseLevel] {
        &self.levels
    }

    /// The level as a rule would use it, or an error naming the rule.
    pub fn require(&self, rule: &str, level: u8) -> Result<&ResponseLevel> {
        self.get(level).ok_or_else(|| Error::Rule {
            rule: rule.to_owned(),
            message: format!(
                "response level {level} is not defined (levels are 1–{})",
                self.lowest()
            ),
        })
    }
}

impl Default for ResponsePlan {
    fn default() -> Self {
        ResponsePlan::new(ResponsePlan::table_4_8()).expect("Table 4-8 is valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_must_be_numbered_in_order() {
        let mut levels = ResponsePlan::table_4_8();
        levels.swap(1, 2);
        assert!(matches!(
            ResponsePlan::new(levels),
            Err(Error::Level { level: 3, .. })
        ));
        let mut levels = ResponsePlan::table_4_8();
        levels[0].hours = 0.0;
        assert!(ResponsePlan::new(levels).is_err());
        let plan = ResponsePlan::default();
        assert_eq!(plan.lowest(), 4);
        assert!(plan.get(0).is_none() && plan.get(5).is_none());
        assert!(
            plan.require("r", 5)
                .unwrap_err()
                .to_string()
                .contains("1–4")
        );
    }
}
