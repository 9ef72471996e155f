//! The region × year × indicator panel an evaluation works on, built from the workspace's
//! indicator values and from derived indicators, with outliers treated and missing values
//! imputed — every change recorded as an [`Adjustment`].
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
//! Regions without any value for any indicator of the system are left out (and listed).

use crate::analysis::quantile;
use crate::error::{Error, Result};
use crate::system::{Derivation, Imputation, Outliers, ResilienceConfig};
use chainlens_model::IndicatorValue;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Supplies derived indicator values. `None` means "not computed here": the indicator's
/// data column is then used.
pub trait Derivations {
    fn value(&self, derivation: Derivation, region: &str, year: i32) -> Option<f64>;
}

/// No derived values: every indicator is read from the panel.
pub struct NoDerivations;

impl Derivations for NoDerivations {
    fn value(&self, _: Derivation, _: &str, _: i32) -> Option<f64> {
        None
    }
}

/// Derived values computed elsewhere and handed over as a map.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DerivedValues(pub BTreeMap<(Derivation, String, i32), f64>);

impl Derivations for DerivedValues {
    fn value(&self, derivation: Derivation, region: &str, year: i32) -> Option<f64> {
        self.0.get(&(derivation, region.to_owned(), year)).copied()
    }
}

/// A region as the evaluation needs it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionInfo {
    pub id: String,
    pub name: String,
    pub group: Option<String>,
}

impl From<&chainlens_model::Region> for RegionInfo {
    fn from(r: &chainlens_model::Region) -> Self {
        RegionInfo {
            id: r.id.clone(),
            name: r.name.clone(),
            group: r.group.clone(),
        }
    }
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
    pub year: i32,
    pub indicator: String,
    pub kind: AdjustmentKind,
    pub from: Option<f64>,
    pub to: f64,
}

/// Values of every (region, year, indicator), complete after imputation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Panel {
    pub regions: Vec<RegionInfo>,
    pub years: Vec<i32>,
    pub indicators: Vec<String>,
    /// Row-major [region][year][indicator].
    pub values: Vec<f64>,
    /// Imputed here or marked imputed in the input.
    pub imputed: Vec<bool>,
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
    let all_regions: Vec<RegionInfo> = if regions.is_empty() {
        relevant
            .iter()
            .map(|v| v.region.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|id| RegionInfo {
                name: id.clone(),
                id,
                group: None,
            })
            .collect()
    } else {
        regions.to_vec()
    };
    let ny = years.len();
    let year_index: HashMap<i32, usize> = years.iter().enumerate().map(|(i, y)| (*y, i)).collect();
    let region_index: HashMap<&str, usize> = all_regions
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();

    let mut raw: Vec<Option<f64>> = vec![None; all_regions.len() * ny * k];
    let mut flagged = vec![false; raw.len()];
    for v in &relevant {
        let Some(&r) = region_index.get(v.region.as_str()) else {
            return Err(Error::Data(format!(
                "indicator `{}` in {}: unknown region `{}`",
                v.indicator, v.year, v.region
            )));
        };
        for &j in &columns[v.indicator.as_str()] {
            let at = (r * ny + year_index[&v.year]) * k + j;
            raw[at] = Some(v.value);
            flagged[at] = v.imputed;
        }
    }
    for (r, region) in all_regions.iter().enumerate() {
        for (y, &year) in years.iter().enumerate() {
            for (j, ind) in indicators.iter().enumerate() {
                if let Some(x) = ind.derive.and_then(|d| derived.value(d, &region.id, year)) {
                    raw[(r * ny + y) * k + j] = Some(x);
                }
            }
        }
    }
    // Leave out regions with no value at all.
    let mut keep = Vec::new();
    let mut skipped = Vec::new();
    for (r, region) in all_regions.iter().enumerate() {
        if raw[r * ny * k..(r + 1) * ny * k]
            .iter()
            .any(Option::is_some)
        {
            keep.push(r);
        } else {
            skipped.push(region.id.clone());
        }
    }
    if keep.is_empty() {
        return Err(Error::Data(
            "no region has values for the system's indicators".into(),
        ));
    }
    let mut cells: Vec<Option<f64>> = Vec::with_capacity(keep.len() * ny * k);
    let mut imputed = Vec::with_capacity(keep.len() * ny * k);
    for &r in &keep {
        cells.extend_from_slice(&raw[r * ny * k..(r + 1) * ny * k]);
        imputed.extend_from_slice(&flagged[r * ny * k..(r + 1) * ny * k]);
    }
    let regions: Vec<RegionInfo> = keep.iter().map(|&r| all_regions[r].clone()).collect();
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
                        at: format!("region `{}` in {}", regions[r].id, years[y]),
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
                        region: regions[r].id.clone(),
                        year: years[y],
                    });
                }
                Imputation::Interpolate { max_missing } => max_missing,
            };
            if missing == ny {
                return Err(Error::MissingSeries {
                    indicator: ids[j].clone(),
                    region: regions[r].id.clone(),
                });
            }
            if missing as f64 > max_missing * ny as f64 {
                return Err(Error::TooManyMissing {
                    indicator: ids[j].clone(),
                    region: regions[r].id.clone(),
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
                        let same_group: Vec<f64> = (0..nr)
                            .filter(|&o| {
                                regions[o].group.is_some() && regions[o].group == regions[r].group
                            })
                            .filter_map(|o| original[at(o, y, j)])
                            .collect();
                        if same_group.is_empty() {
                            let all: Vec<f64> =
                                (0..nr).filter_map(|o| original[at(o, y, j)]).collect();
                            (median(all), AdjustmentKind::YearMedian)
                        } else {
                            (median(same_group), AdjustmentKind::GroupMedian)
                        }
                    }
                };
                cells[at(r, y, j)] = Some(to);
                imputed[at(r, y, j)] = true;
                adjustments.push(Adjustment {
                    region: regions[r].id.clone(),
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
        imputed,
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
            })
            .collect()
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
        assert!(p.imputed[p.index(0, 1, 1)] && !p.imputed[p.index(0, 0, 1)]);
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
        d.0.insert((Derivation::ChainCoverage, "x".into(), 2020), 0.75);
        let e = build_panel(&config(Imputation::default()), &values, &regions(), &d).unwrap_err();
        assert_eq!(
            e,
            Error::MissingSeries {
                indicator: "a".into(),
                region: "y".into()
            }
        );
        d.0.insert((Derivation::ChainCoverage, "y".into(), 2020), 0.5);
        let p = build_panel(&config(Imputation::default()), &values, &regions(), &d).unwrap();
        assert_eq!(p.column(0), vec![0.75, 0.5]);
        assert_eq!(p.skipped_regions, vec!["z".to_string()]);
    }
}
