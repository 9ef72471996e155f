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

/// The grade of a risk in the probability × impact matrix, ordered low to high.
/// Serialised in lower case, as stored and served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

impl RiskLevel {
    /// All levels from low to high (the same as [`Vocabulary::VALUES`](crate::Vocabulary), as an array).
    pub const ALL: [RiskLevel; 3] = [RiskLevel::Low, RiskLevel::Medium, RiskLevel::High];
}

// Coloured like the grades: a high risk red like a low grade, a low risk blue.
crate::vocabulary::vocabulary!(RiskLevel {
    Low => ("low", "low", "低", crate::vocabulary::SCALE5[3]),
    Medium => ("medium", "medium", "中", crate::vocabulary::SCALE5[1]),
    High => ("high", "high", "高", crate::vocabulary::SCALE5[0]),
});
