//! Risk identification and early warning: the "four in one" system of Zhang (2024, §4
//! "Strengthening risk management in the industrial chain"; DESIGN.md §4.4).
//!
//! 1. **Risk assessment model** ([`matrix`]): a risk register (probability, impact) graded
//!    by a configurable risk matrix whose default reproduces the paper's Table 4-6.
//! 2. **Indicator monitoring** ([`monitor`], [`metrics`], [`forecast`]): rules on any
//!    named metric, with the targets of Table 4-7 as defaults, warning bands before the
//!    threshold and a forecast warning from Holt's linear trend.
//! 3. **Emergency response** ([`response`], [`triggers`]): the four response levels of
//!    Table 4-8 and the predicates on data and results that trigger them.
//! 4. **Early-warning platform** ([`lifecycle`], [`effect`]): alerts with owner, deadline
//!    and status history (open → acknowledged → resolved, escalated when the deadline
//!    passes), reconciled idempotently with what the rules find, and the response-effect
//!    evaluation computed from their history.
//!
//! Everything here is a pure function of its inputs: no files, no store, no clock (the
//! caller passes `now`). The alert types themselves live in [`chainlens_model::alert`]
//! so that the store can persist them; [`config`] is the `[warning]` section of
//! chainlens.toml.

pub mod config;
pub mod effect;
pub mod error;
pub mod forecast;
pub mod lifecycle;
pub mod matrix;
pub mod metrics;
pub mod monitor;
pub mod response;
pub mod triggers;

pub use config::{Settings, WarningConfig};
pub use effect::{LevelEffect, response_effect};
pub use error::{Error, Result};
pub use lifecycle::{Outcome, acknowledge, reconcile, resolve};
pub use matrix::{RiskAssessment, RiskLevel, RiskMatrix, assess};
pub use metrics::{Metrics, Observation};
pub use monitor::{Comparison, Finding, MonitoringRule};
pub use response::{Measure, ResponseLevel, ResponsePlan};
pub use triggers::{Facts, TriggerSettings};

use chainlens_model::Dataset;

/// What one evaluation of the rules and triggers found.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Evaluation {
    pub findings: Vec<Finding>,
    /// Default rules or triggers that were skipped because their metric is not in the
    /// data (explicitly configured ones are errors instead).
    pub skipped: Vec<String>,
}

/// Runs every monitoring rule and emergency trigger of `settings` on `metrics` and
/// `facts`. Findings come out sorted by level (most urgent first), rule and subject.
pub fn evaluate(settings: &Settings, metrics: &Metrics, facts: &Facts) -> Result<Evaluation> {
    let mut skipped = Vec::new();
    let mut findings = Vec::new();
    for rule in &settings.rules {
        if !metrics.contains(&rule.metric) {
            if settings.rules_explicit {
                return Err(metrics.unknown(&rule.id, &rule.metric));
            }
            skipped.push(format!(
                "rule `{}`: metric `{}` is not in the data",
                rule.id, rule.metric
            ));
            continue;
        }
        findings.extend(monitor::evaluate_rule(rule, metrics, &settings.plan));
    }
    findings.extend(triggers::evaluate(
        &settings.triggers,
        metrics,
        facts,
        &settings.plan,
        &mut skipped,
    )?);
    findings.sort_by(|a, b| (a.level, &a.rule, &a.subject).cmp(&(b.level, &b.rule, &b.subject)));
    Ok(Evaluation { findings, skipped })
}

/// The metrics and facts a workspace's own data provides: its indicator panel and the
/// numeric attributes of its enterprises as metrics, its chains, enterprises and supply
/// links as facts (see [`Facts::from_dataset`]).
pub fn inputs_from_dataset(data: &Dataset, home_region: Option<&str>) -> (Metrics, Facts) {
    (
        Metrics::from_dataset(data),
        Facts::from_dataset(data, home_region),
    )
}
