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
}

crate::vocabulary::vocabulary!(SectorClass {
    Key => ("key", "key", "关键部门", crate::vocabulary::QUALITATIVE[5]),
    Backward => ("backward", "backward-oriented", "后向型", crate::vocabulary::QUALITATIVE[4]),
    Forward => ("forward", "forward-oriented", "前向型", crate::vocabulary::QUALITATIVE[2]),
    Weak => ("weak", "weak", "弱关联", crate::vocabulary::QUALITATIVE[7]),
});
