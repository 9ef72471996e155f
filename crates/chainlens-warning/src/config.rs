//! The `[warning]` section of chainlens.toml, and its validation into [`Settings`].
//! Every part is optional; what is left out takes the paper's defaults.
//!
//! ```toml
//! [warning.matrix]                 # default: the grid reproducing Table 4-6 (see matrix.rs)
//! kind = "grid"                    # or kind = "score", formula = "product" | "weighted",
//! probability = [ { name = "low", min = 0.0, max = 0.3 },       # probability_weight, high, medium
//!                 { name = "medium", min = 0.3, max = 0.6 },
//!                 { name = "high", min = 0.6, max = 1.0 } ]
//! impact = [ { name = "low", min = 0.0, max = 0.6 },
//!            { name = "medium", min = 0.6, max = 0.8 },
//!            { name = "high", min = 0.8, max = 1.0 } ]
//! levels = [ ["low", "medium", "high"],     # one row per probability bin, low to high
//!            ["low", "medium", "high"],
//!            ["medium", "high", "high"] ]
//!
//! [[warning.levels]]               # default: Table 4-8; numbered 1, 2, … in order
//! level = 1
//! trigger = "chain-break risk"
//! response = "start alternatives"
//! hours = 24
//! owner = "regional command"
//!
//! [[warning.rules]]                # default: the five targets of Table 4-7; when given,
//! id = "supplier_concentration"    # these rules replace the defaults
//! metric = "supplier_concentration"   # default: the id; must exist in the data
//! below = 0.300                    # or above = …
//! band = 0.03                      # warning band before the threshold (default 10 %)
//! horizon = 2                      # forecast periods (0 = off); alpha, beta: Holt smoothing
//! level = 2
//! measure = "supplement"           # protection | supplement | creation | financing
//! response = "develop potential suppliers"
//! owner = "procurement office"     # default: the level's responsible party
//!
//! [warning.triggers.tight_supply]  # chain_break | tight_supply | demand | quality
//! threshold = 1.0                  # enabled, level, measure, response, owner, metric
//! ```

use crate::matrix::{MatrixSpec, RiskMatrix};
use crate::monitor::{MonitoringRule, RuleSpec};
use crate::response::{ResponseLevel, ResponsePlan};
use crate::triggers::{TriggerSettings, TriggersSpec};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// `[warning]` as written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarningConfig {
    #[serde(default)]
    pub matrix: Option<MatrixSpec>,
    #[serde(default)]
    pub levels: Option<Vec<ResponseLevel>>,
    #[serde(default)]
    pub rules: Option<Vec<RuleSpec>>,
    #[serde(default)]
    pub triggers: TriggersSpec,
}

/// `[warning]` validated, with defaults filled in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    pub matrix: RiskMatrix,
    pub plan: ResponsePlan,
    pub rules: Vec<MonitoringRule>,
    /// The rules were configured: a metric missing from the data is an error. The
    /// default rules are skipped instead.
    pub rules_explicit: bool,
    pub triggers: TriggerSettings,
}

impl Default for Settings {
    fn default() -> Self {
        WarningConfig::default()
            .check()
            .expect("the defaults are valid")
    }
}

impl WarningConfig {
    pub fn check(self) -> Result<Settings> {
        let matrix = self.matrix.unwrap_or_default().check()?;
        let plan = ResponsePlan::new(self.levels.unwrap_or_else(ResponsePlan::table_4_8))?;
        let rules_explicit = self.rules.is_some();
        let mut ids = HashSet::new();
        let rules = self
            .rules
            .unwrap_or_else(RuleSpec::table_4_7)
            .into_iter()
            .map(|r| {
                if !ids.insert(r.id.clone()) {
                    return Err(Error::Rule {
                        rule: r.id.clone(),
                        message: "defined twice".into(),
                    });
                }
                r.check(&plan)
            })
            .collect::<Result<Vec<_>>>()?;
        let triggers = self.triggers.check(&plan)?;
        Ok(Settings {
            matrix,
            plan,
            rules,
            rules_explicit,
            triggers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings> {
        let table: toml::Table = toml::from_str(text).unwrap();
        let cfg: WarningConfig = table["warning"].clone().try_into().unwrap();
        cfg.check()
    }

    #[test]
    fn defaults_are_the_papers() {
        let s = Settings::default();
        assert_eq!(s.rules.len(), 5);
        assert!(!s.rules_explicit);
        assert_eq!(s.plan.levels().len(), 4);
        assert_eq!(s.triggers.tight_supply.level, 2);
    }

    #[test]
    fn a_full_section_parses_and_checks() {
        let s = parse(
            r#"
            [warning.matrix]
            kind = "score"
            formula = "weighted"
            probability_weight = 0.3
            high = 0.7
            medium = 0.5

            [[warning.rules]]
            id = "cr3"
            below = 0.6
            level = 1
            measure = "supplement"

            [warning.triggers.demand]
            metric = "orders"
            threshold = 0.3
            "#,
        )
        .unwrap();
        assert!(s.rules_explicit);
        assert_eq!((s.rules[0].metric.as_str(), s.rules[0].band), ("cr3", 0.06));
        assert_eq!(s.triggers.demand.metric.as_deref(), Some("orders"));
        assert_eq!(s.matrix.grade(0.5, 0.8).0, crate::RiskLevel::High);
    }

    #[test]
    fn gapped_bins_and_duplicate_rules_are_errors() {
        let gap = parse(
            r#"
            [warning.matrix]
            kind = "grid"
            probability = [{ name = "low", min = 0.0, max = 0.5 }, { name = "high", min = 0.6, max = 1.0 }]
            impact = [{ name = "all", min = 0.0, max = 1.0 }]
            levels = [["low"], ["high"]]
            "#,
        );
        assert!(matches!(
            gap,
            Err(Error::Bins {
                axis: "probability",
                ..
            })
        ));
        let twice = parse(
            r#"
            [[warning.rules]]
            id = "x"
            below = 1.0
            level = 2
            [[warning.rules]]
            id = "x"
            above = 0.0
            level = 2
            "#,
        );
        assert!(twice.unwrap_err().to_string().contains("defined twice"));
    }
}
