//! Enterprises of the landmark chains: where they are, which stages they serve, their
//! role (Gao 2021: leading "chain owner" enterprises, specialised "little giants",
//! supporting firms) and the figures the indicator system and the simulations use.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnterpriseRole {
    Leading,
    Specialised,
    Supporting,
}

impl EnterpriseRole {
    pub const NAMES: [&'static str; 3] = ["leading", "specialised", "supporting"];

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "leading" => EnterpriseRole::Leading,
            "specialised" | "specialized" => EnterpriseRole::Specialised,
            "supporting" => EnterpriseRole::Supporting,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// A stage of a chain, written `chain/stage` in files.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StageRef {
    pub chain: String,
    pub stage: String,
}

impl StageRef {
    /// Parses `chain/stage`.
    pub fn parse(s: &str) -> Option<Self> {
        let (chain, stage) = s.split_once('/')?;
        let (chain, stage) = (chain.trim(), stage.trim());
        (!chain.is_empty() && !stage.is_empty() && !stage.contains('/')).then(|| StageRef {
            chain: chain.to_owned(),
            stage: stage.to_owned(),
        })
    }
}

impl std::fmt::Display for StageRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.chain, self.stage)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Enterprise {
    pub id: String,
    pub name: String,
    pub region: String,
    pub sector: Option<String>,
    pub stages: Vec<StageRef>,
    pub role: EnterpriseRole,
    /// Designed annual capacity (output units, e.g. 10^4 CNY).
    pub capacity: Option<f64>,
    /// Actual annual output, same unit as capacity.
    pub output: Option<f64>,
    pub employees: Option<f64>,
    pub total_assets: Option<f64>,
    pub operating_income: Option<f64>,
    pub rd_expenditure: Option<f64>,
    pub invention_patents: Option<f64>,
    /// Liquid assets available to pay suppliers (chain protection, Eisenberg–Noe).
    pub cash: Option<f64>,
    /// Further numeric attributes the indicator system may use (column name → value).
    pub attributes: BTreeMap<String, f64>,
}

/// One enterprise's figures in one year (the `enterprise_years` table), from which the
/// indicators are derived for every year of the panel. Money in the workspace's unit
/// (the example: 10⁴ CNY).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnterpriseYear {
    pub enterprise: String,
    pub year: i32,
    pub output: Option<f64>,
    pub value_added: Option<f64>,
    pub employees: Option<f64>,
    pub operating_income: Option<f64>,
    pub total_assets: Option<f64>,
    /// Designed capacity, same unit as output.
    pub capacity: Option<f64>,
    pub rd_expenditure: Option<f64>,
    pub invention_patents: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_refs_parse_strictly() {
        assert_eq!(
            StageRef::parse("nev/battery"),
            Some(StageRef {
                chain: "nev".into(),
                stage: "battery".into()
            })
        );
        assert_eq!(StageRef::parse("nev"), None);
        assert_eq!(StageRef::parse("nev/"), None);
        assert_eq!(StageRef::parse("a/b/c"), None);
    }
}
