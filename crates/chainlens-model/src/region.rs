//! Regions: the country / province / city / county hierarchy, analytical groups
//! (east, central, west, north-east; Yangtze River Delta …) and neighbourhood, which the
//! chain-supplement distance classes use.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Country,
    Province,
    City,
    County,
}

impl RegionLevel {
    pub const NAMES: [&'static str; 4] = ["country", "province", "city", "county"];

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "country" => RegionLevel::Country,
            "province" => RegionLevel::Province,
            "city" => RegionLevel::City,
            "county" => RegionLevel::County,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// Depth in the hierarchy: a child must be strictly deeper than its parent.
    pub fn depth(self) -> u8 {
        self as u8
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Region {
    pub id: String,
    pub name: String,
    pub level: RegionLevel,
    /// The region this one belongs to (a city's province, a province's country).
    pub parent: Option<String>,
    /// Analytical group used by gap analysis (e.g. `east`, `central`).
    pub group: Option<String>,
    /// Regions sharing a border (symmetric; either side may list it).
    pub neighbours: Vec<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}
