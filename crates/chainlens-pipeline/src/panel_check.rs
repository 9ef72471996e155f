//! The indicators table checked against the workspace's indicator system (`[resilience]`),
//! the half of `chainlens validate` that loading cannot do because it needs the system.
//!
//! Problems (validate fails), each at `file:row:column` where the table has one:
//! * unknown indicator codes with a suggestion (`d111` → `D111`) and values impossible for
//!   the indicator's unit (the model's [`chainlens_model::indicator::check_indicators`]);
//!   years outside `[workspace].years` and duplicate rows are found when the workspace
//!   loads;
//! * anything else the index would refuse — a region missing an indicator in every year,
//!   more missing years than `imputation.max_missing` allows, a constant indicator — found
//!   by running the very evaluation `chainlens run` runs (without the Monte Carlo of the
//!   ranks, which cannot fail on a panel the evaluation accepted), so that `run` never
//!   fails on a panel `validate` accepted.
//!
//! Warnings (validate still succeeds): each indicator a region lacks in some year and
//! that the evaluation will impute, with the years and how.
//!
//! Cost: one evaluation of the index, O(regions × years × indicators) plus the weights.

use crate::Workspace;
use crate::analyses::{derivations, evaluate_panel};
use chainlens_data::Located;
use chainlens_data::workspace::CONFIG_FILE;
use chainlens_model::TableKind;
use chainlens_model::indicator::check_indicators;
use chainlens_resilience::panel::AdjustmentKind;
use std::collections::BTreeMap;

/// What the panel check found.
#[derive(Debug, Default, PartialEq)]
pub struct PanelCheck {
    /// The workspace is not valid.
    pub problems: Vec<Located>,
    /// Worth knowing, not wrong.
    pub warnings: Vec<Located>,
}

/// Checks the workspace's indicators table against its indicator system. A workspace
/// without indicator values has nothing to check.
pub fn check_panel(ws: &Workspace) -> PanelCheck {
    let mut check = PanelCheck::default();
    if ws.dataset.indicators.is_empty() {
        return check;
    }
    let mut config = ws.settings.resilience.clone();
    let file = ws
        .config
        .tables
        .get(&TableKind::Indicators)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|| CONFIG_FILE.into());
    let system: Vec<_> = config
        .indicators()
        .map(|i| (i.column(), i.unit()))
        .collect();
    for p in check_indicators(&ws.dataset.indicators, &system) {
        check
            .problems
            .push(match ws.origins.get(&TableKind::Indicators) {
                Some(origin) => origin.locate(&p),
                None => Located::whole_file(&file, p.to_string()),
            });
    }
    if !check.problems.is_empty() {
        return check;
    }
    config.uncertainty = None;
    let derived = derivations(ws, &config);
    let evaluation = match evaluate_panel(ws, &config, &derived) {
        Ok(e) => e,
        Err(e) => {
            check.problems.push(Located::whole_file(
                &file,
                format!("the resilience index cannot be computed: {e}"),
            ));
            return check;
        }
    };
    type Unit<'a> = (&'a str, Option<&'a str>, &'a str);
    let mut missing: BTreeMap<Unit, Vec<(i32, AdjustmentKind)>> = BTreeMap::new();
    for a in &evaluation.adjustments {
        if a.kind != AdjustmentKind::Clipped {
            missing
                .entry((a.region.as_str(), a.chain.as_deref(), a.indicator.as_str()))
                .or_default()
                .push((a.year, a.kind));
        }
    }
    for ((region, chain, indicator), years) in missing {
        let unit = match chain {
            Some(c) => format!("chain `{c}` of region `{region}`"),
            None => format!("region `{region}`"),
        };
        let listed: Vec<String> = years
            .iter()
            .map(|(y, kind)| format!("{y} ({})", imputation_word(*kind)))
            .collect();
        check.warnings.push(Located {
            field: Some("indicator".into()),
            ..Located::whole_file(
                &file,
                format!(
                    "`{indicator}` of {unit} has no value in {}: imputed",
                    listed.join(", ")
                ),
            )
        });
    }
    check
}

fn imputation_word(kind: AdjustmentKind) -> &'static str {
    match kind {
        AdjustmentKind::Interpolated => "interpolated",
        AdjustmentKind::GroupMedian => "median of its group",
        AdjustmentKind::YearMedian => "median of the year",
        AdjustmentKind::Clipped => "clipped",
    }
}
