//! ChainLens input-output linkage analysis (DESIGN.md §4.1): pure functions from an
//! [`chainlens_model::IoTable`] to serialisable results, no I/O.
//!
//! The Leontief model x = (I − A)⁻¹·y (Leontief 1936; Miller & Blair 2009, ch. 2) and the
//! Ghosh supply-side model xᵀ = vᵀ(I − B)⁻¹ (Ghosh 1958) are set up once by
//! [`System::new`], which checks that the system is productive and factorises I − A
//! (LU, [`lu`]). Everything else is solves with that factorisation, gathered from the
//! analyses of a report into one plain and one transposed multi-column solve ([`solves`]):
//!
//! * [`linkages`]: output, value-added and extension multipliers; Rasmussen–Hirschman
//!   backward and forward linkages, coefficients of variation, key-sector classes;
//! * [`extraction`]: hypothetical extraction of every sector by Sherman–Morrison–Woodbury
//!   updates of one inverse (O(n²) for all sectors after the inverse);
//! * [`regional`]: intra-regional, feedback and spillover multipliers (Miller 1966;
//!   Round 1985), region × region matrices, location quotients, shares, Herfindahl;
//! * [`network`]: the linkage network (strength, PageRank, betweenness, Louvain);
//! * [`spa`]: structural path analysis (Defourny & Thorbecke 1984);
//! * [`report`]: all of it as one [`LinkageReport`] with the JSON keys of DESIGN.md §5.

pub mod error;
pub mod extraction;
pub mod linkages;
pub mod lu;
pub mod network;
pub mod regional;
pub mod report;
pub mod solves;
pub mod spa;
pub mod synthetic;
pub mod system;

pub use error::{LinkageError, Result, Warning};
pub use linkages::{ForwardConvention, SectorClass};
pub use network::EdgeStrength;
pub use report::{Config, LinkageReport, NetworkConfig, analyse};
pub use spa::SpaConfig;
pub use system::System;
