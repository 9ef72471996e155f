//! The indicator panel: one observed value per (region, year, indicator).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorValue {
    pub region: String,
    pub year: i32,
    pub indicator: String,
    pub value: f64,
    pub source: Option<String>,
    /// The value was filled in rather than observed.
    pub imputed: bool,
}
