//! Indicator monitoring (Zhang 2024, "indicator monitoring system"; targets of Table 4-7
//! "Strategic system for improving the resilience of the industrial chain").
//!
//! A rule watches one metric against a target, `value < threshold` (`below`) or
//! `value > threshold` (`above`), on the latest observation of every subject:
//!
//! - **breach**: the target is missed (`value ≥ threshold` for `below`, `value ≤
//!   threshold` for `above`) → an alert at the rule's level;
//! - **band**: the target is still met but the value is within `band` of the threshold
//!   (default 10 % of |threshold|) → a warning one level less urgent;
//! - **forecast**: Holt's linear trend ([`crate::forecast`]) fitted to the subject's
//!   series (at least [`MIN_FORECAST_POINTS`] periods) misses the target within
//!   `horizon` periods → a warning one level less urgent, with the number of periods
//!   ahead and the forecast value as evidence.
//!
//! Default rules (Table 4-7): supplier concentration < 0.300 (level 2, supplement:
//! develop potential suppliers); independent innovation rate > 0.600 (level 3, creation:
//! build an innovation platform); capacity utilisation > 0.850 (level 3, protection:
//! transform production lines); market concentration < 0.400 (level 3, financing:
//! expand into new markets); capital turnover > 2.500 (level 3, financing: innovative
//! financing model). O(T) per subject.

use crate::forecast::holt;
use crate::response::{Measure, ResponsePlan};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Fewest observations the forecast warning extrapolates from.
pub const MIN_FORECAST_POINTS: usize = 3;

/// Which side of the threshold the target lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// Target `value < threshold`.
    Below,
    /// Target `value > threshold`.
    Above,
}

impl Comparison {
    fn symbol(self) -> &'static str {
        match self {
            Comparison::Below => "<",
            Comparison::Above => ">",
        }
    }

    /// The target is missed.
    fn missed(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparison::Below => value >= threshold,
            Comparison::Above => value <= threshold,
        }
    }
}

/// A monitoring rule as configured (`[[warning.rules]]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    /// The metric watched; defaults to the rule id.
    #[serde(default)]
    pub metric: Option<String>,
    /// Target `value < below`.
    #[serde(default)]
    pub below: Option<f64>,
    /// Target `value > above`.
    #[serde(default)]
    pub above: Option<f64>,
    /// Width of the warning band before the threshold (default 10 % of |threshold|; 0 = none).
    #[serde(default)]
    pub band: Option<f64>,
    /// Periods ahead the forecast looks (default 2; 0 = no forecast warning).
    #[serde(default)]
    pub horizon: Option<u32>,
    /// Holt smoothing of the level (default 0.5).
    #[serde(default)]
    pub alpha: Option<f64>,
    /// Holt smoothing of the trend (default 0.3).
    #[serde(default)]
    pub beta: Option<f64>,
    /// Response level of a breach (1–4).
    pub level: u8,
    #[serde(default)]
    pub measure: Option<Measure>,
    /// What to do; defaults to the level's response.
    #[serde(default)]
    pub response: Option<String>,
    /// Who owns its alerts; defaults to the level's responsible party.
    #[serde(default)]
    pub owner: Option<String>,
}

/// A validated monitoring rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonitoringRule {
    pub id: String,
    pub metric: String,
    pub comparison: Comparison,
    pub threshold: f64,
    pub band: f64,
    pub horizon: u32,
    pub alpha: f64,
    pub beta: f64,
    pub level: u8,
    pub measure: Option<Measure>,
    pub response: Option<String>,
    pub owner: Option<String>,
}

impl RuleSpec {
    /// Validates the rule against the response levels.
    pub fn check(self, plan: &ResponsePlan) -> Result<MonitoringRule> {
        let err = |message: String| Error::Rule {
            rule: self.id.clone(),
            message,
        };
        let (comparison, threshold) = match (self.below, self.above) {
            (Some(t), None) => (Comparison::Below, t),
            (None, Some(t)) => (Comparison::Above, t),
            _ => return Err(err("give exactly one of `below` and `above`".into())),
        };
        if !threshold.is_finite() {
            return Err(err(format!("threshold {threshold} is not a number")));
        }
        let band = self.band.unwrap_or(0.1 * threshold.abs());
        if !(band.is_finite() && band >= 0.0) {
            return Err(err(format!("band {band} must be a non-negative number")));
        }
        let alpha = self.alpha.unwrap_or(0.5);
        let beta = self.beta.unwrap_or(0.3);
        for (name, v) in [("alpha", alpha), ("beta", beta)] {
            if !(v > 0.0 && v <= 1.0) {
                return Err(err(format!("{name} {v} must lie in (0, 1]")));
            }
        }
        plan.require(&self.id, self.level)?;
        Ok(MonitoringRule {
            metric: self.metric.clone().unwrap_or_else(|| self.id.clone()),
            id: self.id,
            comparison,
            threshold,
            band,
            horizon: self.horizon.unwrap_or(2),
            alpha,
            beta,
            level: self.level,
            measure: self.measure,
            response: self.response,
            owner: self.owner,
        })
    }

    /// The targets of Table 4-7.
    pub fn table_4_7() -> Vec<RuleSpec> {
        let rule = |id: &str, below, above, level, measure, response: &str| RuleSpec {
            id: id.into(),
            metric: None,
            below,
            above,
            band: None,
            horizon: None,
            alpha: None,
            beta: None,
            level,
            measure: Some(measure),
            response: Some(response.into()),
            owner: None,
        };
        vec![
            rule(
                "supplier_concentration",
                Some(0.3),
                None,
                2,
                Measure::Supplement,
                "develop potential suppliers (supplier diversity)",
            ),
            rule(
                "independent_innovation_rate",
                None,
                Some(0.6),
                3,
                Measure::Creation,
                "build an innovation platform (technological breakthrough)",
            ),
            rule(
                "capacity_utilisation",
                None,
                Some(0.85),
                3,
                Measure::Protection,
                "transform production lines (flexible production)",
            ),
            rule(
                "market_concentration",
                Some(0.4),
                None,
                3,
                Measure::Financing,
                "expand into new markets (market diversification)",
            ),
            rule(
                "capital_turnover",
                None,
                Some(2.5),
                3,
                Measure::Financing,
                "innovate the financing model (diversified financing)",
            ),
        ]
    }
}

/// A condition found by a rule or trigger: the input of the alert lifecycle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub subject: String,
    pub level: u8,
    pub evidence: BTreeMap<String, f64>,
    pub message: String,
    pub response: String,
    pub measure: Option<Measure>,
    pub owner: String,
    pub candidates: Vec<String>,
}

fn fmt_period(p: Option<i32>) -> String {
    p.map(|p| format!(" in {p}")).unwrap_or_default()
}

/// Evaluates `rule` on the latest observation (and the trend) of every subject of its
/// metric. The metric must exist; `plan` supplies responses and owners.
pub fn evaluate_rule(
    rule: &MonitoringRule,
    metrics: &crate::Metrics,
    plan: &ResponsePlan,
) -> Vec<Finding> {
    let warning_level = (rule.level + 1).min(plan.lowest());
    let mut out = Vec::new();
    for (subject, obs) in metrics.subjects(&rule.metric) {
        let Some(last) = obs.last() else { continue };
        let (value, threshold) = (last.value, rule.threshold);
        let target = format!("{} {}", rule.comparison.symbol(), threshold);
        let mut evidence = BTreeMap::from([
            ("value".to_owned(), value),
            ("threshold".to_owned(), threshold),
        ]);
        if let Some(p) = last.period {
            evidence.insert("period".into(), f64::from(p));
        }
        let (level, message) = if rule.comparison.missed(value, threshold) {
            let message = format!(
                "{} of {subject} is {value}{}: target {target} missed",
                rule.metric,
                fmt_period(last.period)
            );
            (rule.level, message)
        } else {
            let distance = (value - threshold).abs();
            let in_band = rule.band > 0.0 && distance <= rule.band;
            let forecast = forecast_breach(rule, obs);
            if in_band {
                evidence.insert("band".into(), rule.band);
            }
            if let Some((h, f, trend)) = forecast {
                evidence.insert("forecast".into(), f);
                evidence.insert("periods_ahead".into(), f64::from(h));
                evidence.insert("trend".into(), trend);
                if let Some(p) = last.period {
                    evidence.insert("breach_period".into(), f64::from(p) + f64::from(h));
                }
            }
            let message = match (in_band, forecast) {
                (false, None) => continue,
                (true, None) => format!(
                    "{} of {subject} is {value}{}, within {} of the target {target}",
                    rule.metric,
                    fmt_period(last.period),
                    rule.band
                ),
                (band, Some((h, f, _))) => format!(
                    "{} of {subject} is {value}{}{}; its trend reaches {f:.4} in {h} period{}, missing the target {target}",
                    rule.metric,
                    fmt_period(last.period),
                    if band {
                        format!(", within {} of the target", rule.band)
                    } else {
                        String::new()
                    },
                    if h == 1 { "" } else { "s" }
                ),
            };
            (warning_level, message)
        };
        let lv = plan
            .get(level)
            .expect("rule levels are checked against the plan");
        out.push(Finding {
            rule: rule.id.clone(),
            subject: subject.to_owned(),
            level,
            evidence,
            message,
            response: rule.response.clone().unwrap_or_else(|| lv.response.clone()),
            measure: rule.measure,
            owner: rule.owner.clone().unwrap_or_else(|| lv.owner.clone()),
            candidates: Vec::new(),
        });
    }
    out
}

/// The first period ahead (≤ horizon) at which the Holt forecast misses the target, with
/// the forecast and the trend.
fn forecast_breach(rule: &MonitoringRule, obs: &[crate::Observation]) -> Option<(u32, f64, f64)> {
    let series: Vec<f64> = obs
        .iter()
        .filter(|o| o.period.is_some())
        .map(|o| o.value)
        .collect();
    if rule.horizon == 0 || series.len() < MIN_FORECAST_POINTS {
        return None;
    }
    let fit = holt(&series, rule.alpha, rule.beta)?;
    (1..=rule.horizon).find_map(|h| {
        let f = fit.forecast(h);
        rule.comparison
            .missed(f, rule.threshold)
            .then_some((h, f, fit.trend))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Metrics;

    fn rule(below: Option<f64>, above: Option<f64>, band: f64, horizon: u32) -> MonitoringRule {
        RuleSpec {
            id: "r".into(),
            metric: Some("m".into()),
            below,
            above,
            band: Some(band),
            horizon: Some(horizon),
            alpha: None,
            beta: None,
            level: 2,
            measure: None,
            response: None,
            owner: None,
        }
        .check(&ResponsePlan::default())
        .unwrap()
    }

    fn run(rule: &MonitoringRule, series: &[f64]) -> Vec<Finding> {
        let mut m = Metrics::new();
        m.insert_series(
            "m",
            "hz",
            series
                .iter()
                .enumerate()
                .map(|(i, &v)| (2018 + i as i32, v)),
        );
        evaluate_rule(rule, &m, &ResponsePlan::default())
    }

    #[test]
    fn breach_band_and_quiet() {
        let r = rule(Some(0.3), None, 0.02, 0);
        let f = run(&r, &[0.31]);
        assert_eq!((f[0].level, f[0].evidence["value"]), (2, 0.31));
        assert_eq!(f[0].owner, "industry alliance");
        assert!(
            f[0].message.contains("target < 0.3 missed"),
            "{}",
            f[0].message
        );
        // Exactly at the threshold misses a strict target.
        assert_eq!(run(&r, &[0.3])[0].level, 2);
        let f = run(&r, &[0.29]);
        assert_eq!((f[0].level, f[0].evidence["band"]), (3, 0.02));
        assert!(run(&r, &[0.27]).is_empty());
        let above = rule(None, Some(2.5), 0.25, 0);
        assert_eq!(run(&above, &[2.4])[0].level, 2);
        assert_eq!(run(&above, &[2.7])[0].level, 3);
        assert!(run(&above, &[2.8]).is_empty());
    }

    #[test]
    fn forecast_fires_at_the_right_period() {
        // A straight line 0.20, 0.22, … towards the target < 0.295 with a horizon of 2:
        // after 0.24 (2020) the trend gives 0.26, 0.28 — quiet; after 0.26 (2021) it
        // gives 0.28, 0.30 ≥ 0.295 — a forecast warning two periods ahead (2023).
        let r = rule(Some(0.295), None, 0.0, 2);
        assert!(run(&r, &[0.20, 0.22, 0.24]).is_empty());
        let f = run(&r, &[0.20, 0.22, 0.24, 0.26]);
        assert_eq!(f.len(), 1);
        let e = &f[0].evidence;
        assert_eq!(
            (e["periods_ahead"], e["breach_period"], f[0].level),
            (2.0, 2023.0, 3)
        );
        assert!((e["forecast"] - 0.30).abs() < 1e-12 && (e["trend"] - 0.02).abs() < 1e-12);
        // A horizon of one period does not see it yet.
        assert!(run(&rule(Some(0.295), None, 0.0, 1), &[0.20, 0.22, 0.24, 0.26]).is_empty());
    }

    #[test]
    fn forecast_follows_the_hand_worked_holt_fit() {
        // y = 1, 2, 4 with α = β = 0.5 gives ŷ = 4.75, 6.0 (see forecast.rs): a target
        // < 5.5 is missed two periods ahead.
        let mut r = rule(Some(5.5), None, 0.0, 2);
        r.alpha = 0.5;
        r.beta = 0.5;
        let f = run(&r, &[1.0, 2.0, 4.0]);
        assert_eq!(
            (f[0].evidence["periods_ahead"], f[0].evidence["forecast"]),
            (2.0, 6.0)
        );
        r.horizon = 1;
        assert!(run(&r, &[1.0, 2.0, 4.0]).is_empty());
    }

    #[test]
    fn malformed_rules_are_refused() {
        let mut spec = RuleSpec::table_4_7().remove(0);
        spec.above = Some(1.0);
        assert!(
            spec.check(&ResponsePlan::default())
                .unwrap_err()
                .to_string()
                .contains("exactly one")
        );
        let mut spec = RuleSpec::table_4_7().remove(0);
        spec.level = 7;
        assert!(spec.check(&ResponsePlan::default()).is_err());
        let mut spec = RuleSpec::table_4_7().remove(0);
        spec.alpha = Some(0.0);
        assert!(spec.check(&ResponsePlan::default()).is_err());
    }
}
