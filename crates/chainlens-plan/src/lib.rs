//! Response planning (DESIGN.md §4.6): what a chain office does about what the diagnosis
//! found. Gao (2021) ends in four measures — chain protection, supplement, creation and
//! fusion — and the paper's industrial fund pays for them; this crate turns the network
//! and simulation results into measures, each carrying its reason and the numbers behind
//! it ([`Measure`]).
//!
//! * [`protection`]: receivables falling due over time, reverse factoring and factoring,
//!   the least liquidity (and for whom) that stops a default cascade, beside the static
//!   Eisenberg–Noe clearing.
//!
//! It is its own crate because planning needs both the supply network
//! (`chainlens-network`: clearing, screens, supplement) and the simulations
//! (`chainlens-sim`: cascades, Monte Carlo) — neither of which should depend on the other.
//! Pure functions: model types in, serialisable results out.

pub mod error;
pub mod measure;
pub mod protection;

pub use error::{PlanError, Result};
pub use measure::{Measure, MeasureKind};
pub use protection::{ProtectionOption, ProtectionPlan, protection_plan};
