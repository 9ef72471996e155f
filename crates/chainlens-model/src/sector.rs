//! Sectors (industries) with their classification code, shared by IO tables and enterprises.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sector {
    pub id: String,
    pub name: String,
    /// Code in `classification`, e.g. `C36` in GB/T 4754-2017.
    pub code: Option<String>,
    /// The classification system: `GB/T 4754`, `ISIC Rev.4`, `NACE Rev.2`, ….
    pub classification: Option<String>,
}

/// Rasmussen–Hirschman class of a sector from its backward (BL) and forward (FL)
/// linkage indices: key when both exceed 1, backward- or forward-oriented when one does,
/// weak otherwise. Serialised in lower case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectorClass {
    Key,
    Backward,
    Forward,
    Weak,
}

impl SectorClass {
    /// The class of a sector with backward index `bl` and forward index `fl`.
    pub fn of(bl: f64, fl: f64) -> SectorClass {
        match (bl > 1.0, fl > 1.0) {
            (true, true) => SectorClass::Key,
            (true, false) => SectorClass::Backward,
            (false, true) => SectorClass::Forward,
            (false, false) => SectorClass::Weak,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SectorClass::Key => "key",
            SectorClass::Backward => "backward",
            SectorClass::Forward => "forward",
            SectorClass::Weak => "weak",
        }
    }
}

crate::vocabulary::vocabulary!(SectorClass { Key => "key", Backward => "backward", Forward => "forward", Weak => "weak" });
