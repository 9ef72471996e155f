//! The five resilience grades (the paper, after Yeung & Coe 2023): high, strong, medium,
//! weaker, low. One type for every crate — the resilience evaluation grades with it, the
//! report and the dashboard show it — ordered from low to high everywhere, so that
//! `grade as usize` indexes transition matrices and sorting puts the weakest first.
//! The thresholds that map an index to a grade live with the evaluation
//! (`chainlens_resilience::GradeThresholds`).

use serde::{Deserialize, Serialize};

/// A grade, ordered from low to high. Serialised in lower case (`"high"`), as stored in
/// results and served by the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    Low,
    Weaker,
    Medium,
    Strong,
    High,
}

impl Grade {
    /// All grades from low to high.
    pub const ALL: [Grade; 5] = [
        Grade::Low,
        Grade::Weaker,
        Grade::Medium,
        Grade::Strong,
        Grade::High,
    ];

    /// The serialised key (`"low"` … `"high"`).
    pub fn name(self) -> &'static str {
        ["low", "weaker", "medium", "strong", "high"][self as usize]
    }

    /// The paper's wording ("High toughness", …).
    pub fn label(self) -> &'static str {
        [
            "Low toughness",
            "Weaker toughness",
            "Medium toughness",
            "Strong toughness",
            "High toughness",
        ][self as usize]
    }
}

crate::vocabulary::vocabulary!(Grade { Low => "low", Weaker => "weaker", Medium => "medium", Strong => "strong", High => "high" });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_low_to_high_and_named_as_serialised() {
        assert!(Grade::ALL.windows(2).all(|w| w[0] < w[1]));
        for g in Grade::ALL {
            let json = serde_json::to_string(&g).unwrap();
            assert_eq!(json, format!("\"{}\"", g.name()));
            assert_eq!(serde_json::from_str::<Grade>(&json).unwrap(), g);
        }
    }
}
