//! Response planning (DESIGN.md §4.6): what a chain office does about what the diagnosis
//! found. Gao (2021) ends in four measures — chain protection, supplement, creation and
//! fusion — and the paper's industrial fund pays for them; this crate turns the network
//! and simulation results into measures, each carrying its reason and the numbers behind
//! it ([`Measure`]).
//!
//! * [`protection`]: receivables falling due over time, reverse factoring and factoring,
//!   the least liquidity (and for whom) that stops a default cascade, beside the static
//!   Eisenberg–Noe clearing.
//! * [`intervention`]: add a supplier, stockpile, capacity support, liquidity — applied to
//!   the data so that random shocks hit the same firms before and after.
//! * [`whatif`]: a scenario before and after interventions, same shocks and seeds.
//! * [`fund`]: the interventions a budget buys that most lower the expected loss over the
//!   risk register (lazy greedy checked by brute force), and the budget–loss frontier.
//! * [`creation`]: a core enterprise for a missing or weak core stage — which city, which
//!   supporting chain, and its effect on the screens and scenarios.
//! * [`fusion`]: firms off the core supply chain and the links that bring them in.
//!
//! It is its own crate because planning needs both the supply network
//! (`chainlens-network`: clearing, screens, supplement) and the simulations
//! (`chainlens-sim`: cascades, Monte Carlo) — neither of which should depend on the other.
//! Pure functions: model types in, serialisable results out.

pub mod creation;
pub mod error;
pub mod fund;
pub mod fusion;
pub mod intervention;
pub mod measure;
pub mod protection;
pub mod whatif;

pub use creation::{CreationPlan, creation_plan};
pub use error::{PlanError, Result};
pub use fund::{FundConfig, FundPlan, MenuItem, fund_plan};
pub use fusion::{FusionPlan, fusion_plan};
pub use intervention::{Applied, Intervention, apply};
pub use measure::{Measure, MeasureKind};
pub use protection::{ProtectionOption, ProtectionPlan, protection_plan};
pub use whatif::{WhatIf, what_if};
