//! Named metrics: the common input of monitoring rules. A metric is a name
//! (`supplier_concentration`, `resilience_index`, `cr3`, `shortfall` …) mapping each
//! subject (a region, an enterprise, a `chain/stage`) to a series of observations
//! ordered by period (a year), or to a single value without a period.
//!
//! Any crate plugs in by inserting its results under a name; [`Metrics::from_dataset`]
//! takes the workspace's indicator panel (subject = region, period = year) and the
//! numeric attributes of its enterprises (subject = enterprise id, no period).

use crate::Error;
use chainlens_model::{Dataset, IndicatorValue};
use serde::Serialize;
use std::collections::BTreeMap;

/// One value of a metric for a subject.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Observation {
    pub period: Option<i32>,
    pub value: f64,
}

/// metric → subject → observations (sorted by period; unperiodised values first).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Metrics {
    series: BTreeMap<String, BTreeMap<String, Vec<Observation>>>,
}

impl Metrics {
    pub fn new() -> Metrics {
        Metrics::default()
    }

    /// The indicator panel: metric = indicator name, subject = region, period = year.
    pub fn from_indicators(values: &[IndicatorValue]) -> Metrics {
        let mut m = Metrics::new();
        for v in values {
            m.insert(&v.indicator, &v.region, Some(v.year), v.value);
        }
        m
    }

    /// The indicator panel plus every numeric enterprise attribute (subject = enterprise).
    pub fn from_dataset(data: &Dataset) -> Metrics {
        let mut m = Metrics::from_indicators(&data.indicators);
        for e in &data.enterprises {
            for (name, &value) in &e.attributes {
                m.insert(name, &e.id, None, value);
            }
        }
        m
    }

    /// Records one value; a second value for the same subject and period replaces the first.
    pub fn insert(&mut self, metric: &str, subject: &str, period: Option<i32>, value: f64) {
        let obs = self
            .series
            .entry(metric.to_owned())
            .or_default()
            .entry(subject.to_owned())
            .or_default();
        match obs.binary_search_by(|o| o.period.cmp(&period)) {
            Ok(i) => obs[i].value = value,
            Err(i) => obs.insert(i, Observation { period, value }),
        }
    }

    /// Records a whole series of (period, value).
    pub fn insert_series(
        &mut self,
        metric: &str,
        subject: &str,
        values: impl IntoIterator<Item = (i32, f64)>,
    ) {
        for (period, value) in values {
            self.insert(metric, subject, Some(period), value);
        }
    }

    pub fn contains(&self, metric: &str) -> bool {
        self.series.contains_key(metric)
    }

    /// Metric names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.series.keys().map(String::as_str)
    }

    /// The subjects of a metric with their observations, sorted by subject.
    pub fn subjects(&self, metric: &str) -> impl Iterator<Item = (&str, &[Observation])> {
        self.series
            .get(metric)
            .into_iter()
            .flat_map(|s| s.iter().map(|(k, v)| (k.as_str(), v.as_slice())))
    }

    /// The error for a rule naming a metric that is not here, with a near-miss suggestion.
    pub fn unknown(&self, rule: &str, metric: &str) -> Error {
        Error::UnknownMetric {
            rule: rule.to_owned(),
            metric: metric.to_owned(),
            suggestion: chainlens_model::problem::suggest(metric, self.names()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_stay_sorted_and_replace_duplicates() {
        let mut m = Metrics::new();
        m.insert_series("x", "hz", [(2021, 2.0), (2019, 1.0), (2020, 1.5)]);
        m.insert("x", "hz", Some(2020), 1.6);
        let (subject, obs) = m.subjects("x").next().unwrap();
        assert_eq!(subject, "hz");
        let values: Vec<(Option<i32>, f64)> = obs.iter().map(|o| (o.period, o.value)).collect();
        assert_eq!(
            values,
            vec![(Some(2019), 1.0), (Some(2020), 1.6), (Some(2021), 2.0)]
        );
        assert_eq!(m.subjects("y").count(), 0);
        assert_eq!(
            m.unknown("r", "xx").to_string(),
            "rule `r`: unknown metric `xx` (did you mean `x`?)"
        );
    }
}
