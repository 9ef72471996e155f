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
