//! The unit × year × indicator panel an evaluation works on, built from the workspace's
//! indicator values and from derived indicators, with outliers treated and missing values
//! imputed — every change recorded as an [`Adjustment`].
//!
//! * **Units**: the regional industrial chain (Zhang 2024's unit of analysis). A region's
//!   units are the chains its chain-specific values name (the indicators table's `chain`
//!   column); a value without a chain applies to every chain of its region, and a
//!   chain-specific value wins over it. A region with no chain-specific value is one unit,
//!   the region as a whole (chain `None`), so a panel without a `chain` column is evaluated
//!   per region as before.
//! * **Origin** of every value: `given` (the indicators table), `derived` (computed from
//!   the workspace's own data through [`Derivations`]) or `imputed` (filled in here, or
//!   marked imputed in the input). A derived value replaces a given one unless
//!   `given_overrides_derived = true` in `[resilience]`; then it only fills gaps.
//!
//! * **Derived indicators** (D111/D112 from the supply network, D121/D122 from output
//!   data) come through the [`Derivations`] hook: the caller — the CLI, once the network
//!   and linkage capabilities compute them — supplies values; where the hook has none the
//!   indicator's data column is read instead. This crate computes no network measure.
//! * **Outliers** per indicator over the pooled observed values: Tukey fences
//!   [Q1 − k·IQR, Q3 + k·IQR] or the [lower, upper] quantiles (numpy's linear
//!   interpolation, "type 7"); values beyond are clipped to the bound.
//! * **Missing values**: inside a region's series, linear interpolation between the nearest
//!   observed years; at the ends of the series, the median of the observed values of the
//!   region's group in that year, else of all regions in that year. A region missing an
//!   indicator in every year, a year in which no region has it, or a region missing more
//!   than `max_missing` of the years, is an error naming indicator, region and year.
//!   Values marked `imputed` in the input stay marked.
//!
//! The indicators table decides which regions and years are evaluated: regions without a
//! given value for any indicator of the system are left out (and listed), whatever is
//! derived for them.

use crate::analysis::quantile;
use crate::error::{Error, Result};
use crate::system::{Derivation, Imputation, Outliers, ResilienceConfig};
use chainlens_model::IndicatorValue;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Supplies derived indicator values. `None` means "not computed here": the indicator's
/// data column is then used.
pub trait Derivations {
    /// The value for the chain `chain` in `region` (`None`: the region as a whole).
    fn value(
        &self,
        derivation: Derivation,
        region: &str,
        chain: Option<&str>,
        year: i32,
    ) -> Option<f64>;
}

/// No derived values: every indicator is read from the panel.
pub struct NoDerivations;

impl Derivations for NoDerivations {
    fn value(&self, _: Derivation, _: &str, _: Option<&str>, _: i32) -> Option<f64> {
        None
    }
}

/// A derived value's key: derivation, region, chain (`None`: the region), year.
pub type DerivedKey = (Derivation, String, Option<String>, i32);

/// Derived values computed elsewhere and handed over as a map.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DerivedValues(pub BTreeMap<DerivedKey, f64>);

impl Derivations for DerivedValues {
    fn value(
        &self,
        derivation: Derivation,
        region: &str,
        chain: Option<&str>,
        year: i32,
    ) -> Option<f64> {
        self.0
            .get(&(
                derivation,
                region.to_owned(),
                chain.map(str::to_owned),
                year,
            ))
            .copied()
    }
}

/// A unit of the evaluation: a region, or a chain within a region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionInfo {
    pub id: String,
    pub name: String,
    pub group: Option<String>,
    /// The chain, for a regional chain; `None` for the region as a whole.
    pub chain: Option<String>,
}

impl RegionInfo {
    /// `region` or `region/chain`, as messages name the unit.
    pub fn label(&self) -> String {
        match &self.chain {
            Some(c) => format!("{}/{c}", self.id),
            None => self.id.clone(),
        }
    }
}

impl From<&chainlens_model::Region> for RegionInfo {
    fn from(r: &chainlens_model::Region) -> Self {
        RegionInfo {
            id: r.id.clone(),
            name: r.name.clone(),
            group: r.group.clone(),
            chain: None,
        }
    }
}

/// Where a value of the panel came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueOrigin {
    /// Computed from the workspace's own data.
    Derived,
    /// Read from the indicators table.
    Given,
    /// Filled in by the imputation, or marked imputed in the input.
    Imputed,
}

/// What was done to one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdjustmentKind {
    Clipped,
    Interpolated,
    GroupMedian,
    YearMedian,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Adjustment {
    pub region: String,
    /// The chain, when the unit is a regional chain.
    pub chain: Option<String>,
    pub year: i32,
    pub indicator: String,
    pub kind: AdjustmentKind,
    pub from: Option<f64>,
    pub to: f64,
}

/// Values of every (unit, year, indicator), complete after imputation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Panel {
    /// The units: regional chains, or regions as a whole (see the module doc).
    pub regions: Vec<RegionInfo>,
    pub years: Vec<i32>,
    pub indicators: Vec<String>,
    /// Row-major [unit][year][indicator].
    pub values: Vec<f64>,
    /// Where each value came from, in the order of `values`.
    pub origins: Vec<ValueOrigin>,
    pub adjustments: Vec<Adjustment>,
    /// Regions left out for want of any value.
    pub skipped_regions: Vec<String>,
}

impl Panel {
    pub fn index(&self, region: usize, year: usize, indicator: usize) -> usize {
        (region * self.years.len() + year) * self.indicators.len() + indicator
    }

    pub fn get(&self, region: usize, year: usize, indicator: usize) -> f64 {
        self.values[self.index(region, year, indicator)]
    }

    /// One indicator's values over the pooled panel, in (region, year) order.
    pub fn column(&self, indicator: usize) -> Vec<f64> {
        self.values
            .iter()
            .skip(indicator)
            .step_by(self.indicators.len())
            .copied()
            .collect()
    }
}

/// Builds the panel for the indicators of `config` from `values` (and `derived`).
/// `regions` gives names and groups; when empty, the regions found in `values` are used.
pub fn build_panel(
    config: &ResilienceConfig,
    values: &[IndicatorValue],
    regions: &[RegionInfo],
    derived: &dyn Derivations,
) -> Result<Panel> {
    let indicators: Vec<_> = config.indicators().collect();
    let k = indicators.len();
    let columns: HashMap<&str, Vec<usize>> =
        indicators
            .iter()
            .enumerate()
            .fold(HashMap::new(), |mut m, (j, i)| {
                m.entry(i.column()).or_insert_with(Vec::new).push(j);
                m
            });
    let relevant: Vec<&IndicatorValue> = values
        .iter()
        .filter(|v| columns.contains_key(v.indicator.as_str()))
        .collect();
    let years: Vec<i32> = relevant
        .iter()
        .map(|v| v.year)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if years.is_empty() {
        let wanted: Vec<&str> = indicators.iter().map(|i| i.column()).collect();
        return Err(Error::Data(format!(
            "no values for any indicator of the system ({})",
            wanted.join(", ")
        )));
    }
    let known_regions: Vec<RegionInfo> = if regions.is_empty() {
        relevant
            .iter()
            .map(|v| v.region.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|id| RegionInfo {
                name: id.clone(),
                id,
                group: None,
                chain: None,
            })
            .collect()
    } else {
        regions.to_vec()
    };
    let region_index: HashMap<&str, usize> = known_regions
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    // Units: each region's chains named by its chain-specific values, else the region.
    let mut chains_of: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); known_regions.len()];
    for v in &relevant {
        let Some(&r) = region_index.get(v.region.as_str()) else {
            return Err(Error::Data(format!(
                "indicator `{}` in {}: unknown region `{}`",
                v.indicator, v.year, v.region
            )));
        };
        if let Some(c) = &v.chain {
            chains_of[r].insert(c.as_str());
        }
    }
    let mut all_units: Vec<RegionInfo> = Vec::new();
    let mut units_of: Vec<Vec<usize>> = vec![Vec::new(); known_regions.len()];
    let mut unit_index: HashMap<(usize, &str), usize> = HashMap::new();
    for (r, region) in known_regions.iter().enumerate() {
        if chains_of[r].is_empty() {
            units_of[r].push(all_units.len());
            all_units.push(region.clone());
        }
        for &c in &chains_of[r] {
            unit_index.insert((r, c), all_units.len());
            units_of[r].push(all_units.len());
            all_units.push(RegionInfo {
                chain: Some(c.to_owned()),
                ..region.clone()
            });
        }
    }
    let ny = years.len();
    let year_index: HashMap<i32, usize> = years.iter().enumerate().map(|(i, y)| (*y, i)).collect();

    let mut raw: Vec<Option<f64>> = vec![None; all_units.len() * ny * k];
    let mut origin = vec![ValueOrigin::Given; raw.len()];
    // Region-wide values first, then chain-specific ones over them.
    for specific in [false, true] {
        for v in relevant.iter().filter(|v| v.chain.is_some() == specific) {
            let r = region_index[v.region.as_str()];
            let units = match &v.chain {
                Some(c) => vec![unit_index[&(r, c.as_str())]],
                None => units_of[r].clone(),
            };
            for u in units {
                for &j in &columns[v.indicator.as_str()] {
                    let at = (u * ny + year_index[&v.year]) * k + j;
                    raw[at] = Some(v.value);
                    origin[at] = if v.imputed {
                        ValueOrigin::Imputed
                    } else {
                        ValueOrigin::Given
                    };
                }
            }
        }
    }
    // The indicators table says which regions are evaluated: derived values fill in.
    let has_given: Vec<bool> = (0..all_units.len())
        .map(|u| {
            raw[u * ny * k..(u + 1) * ny * k]
                .iter()
                .any(Option::is_some)
        })
        .collect();
    for (u, unit) in all_units.iter().enumerate() {
        for (y, &year) in years.iter().enumerate() {
            for (j, ind) in indicators.iter().enumerate() {
                let at = (u * ny + y) * k + j;
                if config.given_overrides_derived && raw[at].is_some() {
                    continue;
                }
                if let Some(x) = ind
                    .derive
                    .and_then(|d| derived.value(d, &unit.id, unit.chain.as_deref(), year))
                {
                    raw[at] = Some(x);
                    origin[at] = ValueOrigin::Derived;
                }
            }
        }
    }
    // Leave out units without any given value.
    let mut keep = Vec::new();
    let mut skipped = Vec::new();
    for (u, unit) in all_units.iter().enumerate() {
        if has_given[u] {
            keep.push(u);
        } else {
            skipped.push(unit.label());
        }
    }
    if keep.is_empty() {
        return Err(Error::Data(
            "no region has values for the system's indicators".into(),
        ));
    }
    let mut cells: Vec<Option<f64>> = Vec::with_capacity(keep.len() * ny * k);
    let mut origins = Vec::with_capacity(keep.len() * ny * k);
    for &u in &keep {
        cells.extend_from_slice(&raw[u * ny * k..(u + 1) * ny * k]);
        origins.extend_from_slice(&origin[u * ny * k..(u + 1) * ny * k]);
    }
    let regions: Vec<RegionInfo> = keep.iter().map(|&u| all_units[u].clone()).collect();
    let ids: Vec<String> = indicators.iter().map(|i| i.id.clone()).collect();
    let nr = regions.len();
    let at = |r: usize, y: usize, j: usize| (r * ny + y) * k + j;
    let mut adjustments = Vec::new();

    // Non-finite input is refused before anything else.
    for r in 0..nr {
        for y in 0..ny {
            for j in 0..k {
                if let Some(x) = cells[at(r, y, j)]
                    && !x.is_finite()
                {
                    return Err(Error::BadValue {
                        indicator: ids[j].clone(),
                        at: format!("region `{}` in {}", regions[r].label(), years[y]),
                        value: x,
                        reason: "not a finite number".into(),
                    });
                }
            }
        }
    }

    // Outliers.
    if config.outliers != Outliers::None {
        for j in 0..k {
            let mut observed: Vec<f64> = (0..nr * ny).filter_map(|c| cells[c * k + j]).collect();
            if observed.len() < 4 {
                continue;
            }
            observed.sort_by(f64::total_cmp);
            let (lo, hi) = match config.outliers {
                Outliers::Iqr { k: f } => {
                    let (q1, q3) = (quantile(&observed, 0.25), quantile(&observed, 0.75));
                    (q1 - f * (q3 - q1), q3 + f * (q3 - q1))
                }
                Outliers::Winsorize { lower, upper } => {
                    (quantile(&observed, lower), quantile(&observed, upper))
                }
                Outliers::None => continue,
            };
            for r in 0..nr {
                for y in 0..ny {
                    if let Some(x) = cells[at(r, y, j)]
                        && (x < lo || x > hi)
                    {
                        let to = x.clamp(lo, hi);
                        cells[at(r, y, j)] = Some(to);
                        adjustments.push(Adjustment {
                            region: regions[r].id.clone(),
                            chain: regions[r].chain.clone(),
                            year: years[y],
                            indicator: ids[j].clone(),
                            kind: AdjustmentKind::Clipped,
                            from: Some(x),
                            to,
                        });
                    }
                }
            }
        }
    }

    // Missing values.
    for j in 0..k {
        for (y, &year) in years.iter().enumerate() {
            if (0..nr).all(|r| cells[at(r, y, j)].is_none()) {
                return Err(Error::MissingYear {
                    indicator: ids[j].clone(),
                    year,
                });
            }
        }
        for r in 0..nr {
            let missing = (0..ny).filter(|&y| cells[at(r, y, j)].is_none()).count();
            if missing == 0 {
                continue;
            }
            let max_missing = match config.imputation {
                Imputation::None => {
                    let y = (0..ny).find(|&y| cells[at(r, y, j)].is_none()).unwrap_or(0);
                    return Err(Error::Missing {
                        indicator: ids[j].clone(),
                        region: regions[r].label(),
                        year: years[y],
                    });
                }
                Imputation::Interpolate { max_missing } => max_missing,
            };
            if missing == ny {
                return Err(Error::MissingSeries {
                    indicator: ids[j].clone(),
                    region: regions[r].label(),
                });
            }
            if missing as f64 > max_missing * ny as f64 {
                return Err(Error::TooManyMissing {
                    indicator: ids[j].clone(),
                    region: regions[r].label(),
                    missing,
                    total: ny,
                    limit: max_missing,
                });
            }
        }
    }
    let original = cells.clone();
    for j in 0..k {
        for r in 0..nr {
            let observed: Vec<usize> = (0..ny)
                .filter(|&y| original[at(r, y, j)].is_some())
                .collect();
            for y in 0..ny {
                if original[at(r, y, j)].is_some() {
                    continue;
                }
                let before = observed.iter().rev().find(|&&o| o < y);
                let after = observed.iter().find(|&&o| o > y);
                let (to, kind) = match (before, after) {
                    (Some(&a), Some(&b)) => {
                        let (xa, xb) = (
                            original[at(r, a, j)].unwrap_or(0.0),
                            original[at(r, b, j)].unwrap_or(0.0),
                        );
                        let t = f64::from(years[y] - years[a]) / f64::from(years[b] - years[a]);
                        (xa + t * (xb - xa), AdjustmentKind::Interpolated)
                    }
                    _ => {
                        // Among units of the same chain (regions as a whole among themselves).
                        let same_group: Vec<f64> = (0..nr)
                            .filter(|&o| {
                                regions[o].group.is_some()
                                    && regions[o].group == regions[r].group
                                    && regions[o].chain == regions[r].chain
                            })
                            .filter_map(|o| original[at(o, y, j)])
                            .collect();
                        if same_group.is_empty() {
                            let same_chain: Vec<f64> = (0..nr)
                                .filter(|&o| regions[o].chain == regions[r].chain)
                                .filter_map(|o| original[at(o, y, j)])
                                .collect();
                            let all = if same_chain.is_empty() {
                                (0..nr).filter_map(|o| original[at(o, y, j)]).collect()
                            } else {
                                same_chain
                            };
                            (median(all), AdjustmentKind::YearMedian)
                        } else {
                            (median(same_group), AdjustmentKind::GroupMedian)
                        }
                    }
                };
                cells[at(r, y, j)] = Some(to);
                origins[at(r, y, j)] = ValueOrigin::Imputed;
                adjustments.push(Adjustment {
                    region: regions[r].id.clone(),
                    chain: regions[r].chain.clone(),
                    year: years[y],
                    indicator: ids[j].clone(),
                    kind,
                    from: None,
                    to,
                });
            }
        }
    }
    Ok(Panel {
        regions,
        years,
        indicators: ids,
        values: cells.into_iter().map(|c| c.unwrap_or(f64::NAN)).collect(),
        origins,
        adjustments,
        skipped_regions: skipped,
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    quantile(&v, 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::system::{Dimension, Indicator, SubDimension};

    fn config(imputation: Imputation) -> ResilienceConfig {
        let ind = |id: &str| Indicator {
            id: id.into(),
            name: String::new(),
            direction: Default::default(),
            weight: Some(0.5),
            column: None,
            derive: None,
            target: None,
            unit: None,
        };
        let mut a = ind("a");
        a.derive = Some(Derivation::ChainCoverage);
        ResilienceConfig {
            outliers: Outliers::None,
            imputation,
            dimensions: vec![Dimension {
                id: "B".into(),
                name: String::new(),
                weight: None,
                subdimensions: vec![SubDimension {
                    id: "C".into(),
                    name: String::new(),
                    weight: None,
                    indicators: vec![a, ind("b")],
                }],
            }],
            ..ResilienceConfig::default()
        }
    }

    fn v(region: &str, year: i32, indicator: &str, value: f64) -> IndicatorValue {
        IndicatorValue {
            region: region.into(),
            year,
            indicator: indicator.into(),
            value,
            chain: None,
            source: None,
            imputed: false,
        }
    }

    fn regions() -> Vec<RegionInfo> {
        ["x", "y", "z"]
            .iter()
            .map(|id| RegionInfo {
                id: id.to_string(),
                name: id.to_string(),
                group: Some(if *id == "z" { "w" } else { "e" }.into()),
                chain: None,
            })
            .collect()
    }

    fn on(chain: &str, mut value: IndicatorValue) -> IndicatorValue {
        value.chain = Some(chain.into());
        value
    }

    /// A region's values apply to each of its chains; a chain's own value wins; a region
    /// without chain-specific values stays one unit.
    #[test]
    fn units_are_regional_chains_where_values_name_them() {
        let values = vec![
            v("x", 2020, "a", 1.0),
            v("x", 2020, "b", 2.0),
            on("nev", v("x", 2020, "b", 5.0)),
            on("optical", v("x", 2020, "a", 7.0)),
            v("y", 2020, "a", 3.0),
            v("y", 2020, "b", 4.0),
        ];
        let mut d = DerivedValues::default();
        d.0.insert(
            (
                Derivation::ChainCoverage,
                "x".into(),
                Some("nev".into()),
                2020,
            ),
            0.25,
        );
        let p = build_panel(&config(Imputation::default()), &values, &regions(), &d).unwrap();
        let units: Vec<String> = p.regions.iter().map(RegionInfo::label).collect();
        assert_eq!(units, vec!["x/nev", "x/optical", "y"]);
        // x/nev: a derived (0.25), b its own (5); x/optical: a its own (7), b the region's (2).
        assert_eq!(p.column(0), vec![0.25, 7.0, 3.0]);
        assert_eq!(p.column(1), vec![5.0, 2.0, 4.0]);
        assert_eq!(p.origins[p.index(0, 0, 0)], ValueOrigin::Derived);
        assert_eq!(p.origins[p.index(1, 0, 1)], ValueOrigin::Given);
    }

    #[test]
    fn interpolates_then_uses_group_median() {
        let mut values = Vec::new();
        for (r, base) in [("x", 1.0), ("y", 3.0), ("z", 10.0)] {
            for year in 2018..=2021 {
                values.push(v(r, year, "a", base + f64::from(year - 2018)));
                if !(r == "x" && (year == 2019 || year == 2021)) {
                    values.push(v(r, year, "b", base * 10.0 + f64::from(year - 2018)));
                }
            }
        }
        let p = build_panel(
            &config(Imputation::Interpolate { max_missing: 0.5 }),
            &values,
            &regions(),
            &NoDerivations,
        )
        .unwrap();
        assert_eq!(p.get(0, 1, 1), 11.0);
        assert_eq!(p.get(0, 3, 1), 33.0); // median of group `e` in 2021 = y's value
        assert_eq!(p.origins[p.index(0, 1, 1)], ValueOrigin::Imputed);
        assert_eq!(p.origins[p.index(0, 0, 1)], ValueOrigin::Given);
        assert_eq!(p.adjustments.len(), 2);
        assert_eq!(p.adjustments[1].kind, AdjustmentKind::GroupMedian);

        let e = build_panel(
            &config(Imputation::None),
            &values,
            &regions(),
            &NoDerivations,
        )
        .unwrap_err();
        assert_eq!(
            e,
            Error::Missing {
                indicator: "b".into(),
                region: "x".into(),
                year: 2019
            }
        );
        let e = build_panel(
            &config(Imputation::Interpolate { max_missing: 0.25 }),
            &values,
            &regions(),
            &NoDerivations,
        )
        .unwrap_err();
        assert!(e.to_string().contains("`b` for region `x`"), "{e}");
    }

    #[test]
    fn derived_values_take_precedence_and_missing_series_is_named() {
        let values = vec![
            v("x", 2020, "a", 1.0),
            v("x", 2020, "b", 2.0),
            v("y", 2020, "b", 3.0),
        ];
        let mut d = DerivedValues::default();
        d.0.insert((Derivation::ChainCoverage, "x".into(), None, 2020), 0.75);
        let e = build_panel(&config(Imputation::default()), &values, &regions(), &d).unwrap_err();
        assert_eq!(
            e,
            Error::MissingSeries {
                indicator: "a".into(),
                region: "y".into()
            }
        );
        d.0.insert((Derivation::ChainCoverage, "y".into(), None, 2020), 0.5);
        let p = build_panel(&config(Imputation::default()), &values, &regions(), &d).unwrap();
        assert_eq!(p.column(0), vec![0.75, 0.5]);
        assert_eq!(p.origins[p.index(0, 0, 0)], ValueOrigin::Derived);
        // Given values win only when the workspace says so.
        let given = ResilienceConfig {
            given_overrides_derived: true,
            ..config(Imputation::default())
        };
        let p = build_panel(&given, &values, &regions(), &d).unwrap();
        assert_eq!(p.column(0), vec![1.0, 0.5]);
        assert_eq!(p.origins[p.index(0, 0, 0)], ValueOrigin::Given);
        assert_eq!(p.skipped_regions, vec!["z".to_string()]);
    }
}
