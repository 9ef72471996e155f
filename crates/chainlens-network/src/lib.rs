//! Firm-level supply-network analysis (DESIGN.md §4.2): who supplies whom in a landmark
//! chain, where the chain can break, and what to do about it.
//!
//! * [`graph`]: the compact network (CSR, `u32` indices) from a workspace or from plain
//!   nodes and edges.
//! * [`measures`]: chain coverage D112 and local matching D111 ([`chain_integrity`], used
//!   by the resilience index), concentration, external dependence, length and width,
//!   capacity balance; [`concentration`]: CR3 and HHI.
//! * [`dominators`], [`articulation`]: single points of failure, near-linear.
//! * [`breakpoints`]: gaps and single sources, and the whole chain report.
//! * [`supplement`]: ranked partners for a gap and min-cost reassignment of lost volume.
//! * [`clearing`]: Eisenberg–Noe clearing of receivables (chain protection).
//! * [`protection`]: the same clearing date by date as receivables fall due, reverse
//!   factoring and factoring, the least liquidity that stops a default cascade.
//! * [`geography`]: region hierarchy and distance classes.
//!
//! Pure functions: no file, store or network I/O.

pub mod articulation;
pub mod breakpoints;
pub mod clearing;
pub mod concentration;
pub mod dominators;
pub mod error;
pub mod geography;
pub mod graph;
pub mod measures;
pub mod protection;
pub mod supplement;
pub mod synthetic;

pub use articulation::articulation_points;
pub use breakpoints::{
    Breakpoint, ChainReport, NetworkConfig, NodeReport, SinglePoint, analyse_chain, node_reports,
    single_points, single_suppliers,
};
pub use clearing::{Clearing, ClearingProblem, clear};
pub use concentration::{
    Concentration, ShareBasis, customer_concentration, supplier_concentration,
};
pub use dominators::{Dominators, dominators, post_dominators};
pub use error::{Error, Result};
pub use geography::{DistanceClass, Geography};
pub use graph::{EdgeAttrs, NetworkBuilder, NodeAttrs, Scope, SupplyNetwork, Warning};
pub use measures::{ChainIntegrity, Coverage, LocalMatching, chain_integrity};
pub use supplement::{Supplement, Target, supplement};
