//! The risk register (Zhang 2024, Table 4-6): risk factors with probability and impact.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Risk {
    pub id: String,
    /// Kind of risk, e.g. `supply`, `technology`, `market`, `policy`, `environment`.
    pub risk_type: String,
    /// The risk factor in words, e.g. "raw-material supply cut".
    pub factor: String,
    /// Probability of occurrence within the planning horizon, in [0, 1].
    pub probability: f64,
    /// Impact on the chain if it occurs, in [0, 1].
    pub impact: f64,
    pub owner: Option<String>,
    pub measures: Option<String>,
}
