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
    /// All grades from low to high (the same as [`Vocabulary::VALUES`](crate::Vocabulary), as an array).
    pub const ALL: [Grade; 5] = [
        Grade::Low,
        Grade::Weaker,
        Grade::Medium,
        Grade::Strong,
        Grade::High,
    ];
}

// The paper's words (高/较强/中等/较弱/低 韧性), coloured red (low) to blue (high).
crate::vocabulary::vocabulary!(Grade {
    Low => ("low", "low", "低", crate::vocabulary::SCALE5[0]),
    Weaker => ("weaker", "weaker", "较弱", crate::vocabulary::SCALE5[1]),
    Medium => ("medium", "medium", "中等", crate::vocabulary::SCALE5[2]),
    Strong => ("strong", "strong", "较强", crate::vocabulary::SCALE5[3]),
    High => ("high", "high", "高", crate::vocabulary::SCALE5[4]),
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Vocabulary;

    #[test]
    fn ordered_low_to_high_and_named_as_serialised() {
        assert!(Grade::ALL.windows(2).all(|w| w[0] < w[1]));
        for g in Grade::ALL {
            let json = serde_json::to_string(&g).unwrap();
            assert_eq!(json, format!("\"{}\"", g.key()));
            assert_eq!(serde_json::from_str::<Grade>(&json).unwrap(), g);
        }
    }
}
