//! ChainLens disruption simulation (DESIGN.md §4.5): "what if this supplier or this city
//! stops?".
//!
//! * [`io_impact`]: demand-driven (Leontief) and supply-driven (Ghosh) impacts, the static
//!   and dynamic inoperability input-output model;
//! * [`ario`]: the Adaptive Regional Input-Output model with BoARIO 0.7.2's
//!   `ARIOPsiModel` semantics, reproduced day by day;
//! * [`firm`]: day-by-day cascades on the firm-level supply network with inventories,
//!   AND across essential input categories and OR within a category;
//! * [`systemic`]: the Economic Systemic Risk Index of every firm (Diem et al. 2022, in
//!   parallel) and time-to-survive vs time-to-recover (Simchi-Levi et al. 2015);
//! * [`scenario`]: named scenarios of a workspace (`[[scenarios]]`) run on the cascade;
//! * [`montecarlo`]: loss distributions (mean, VaR, expected shortfall) over
//!   risk-register shocks, robustness curves under random or targeted removals, seeded;
//! * [`resilience`]: resilience-curve metrics of every run (Bruneau et al. 2003).
//!
//! Every function here is pure: model types in, serialisable results out; files, the
//! store and the terminal belong to the callers.

pub mod ario;
pub mod error;
pub mod firm;
pub mod io_impact;
pub mod montecarlo;
pub mod resilience;
pub mod scenario;
pub mod synthetic;
pub mod systemic;

pub use ario::{
    ArioParams, ArioRun, ArioSummary, EventKind, EventSpec, OrderType, RecoveryFunction,
    simulate_ario,
};
pub use error::{Result, SimError};
pub use firm::{
    CascadeConfig, CascadeRun, FirmNetwork, FirmShock, Link, Target, resolve_target,
    simulate_cascade,
};
pub use io_impact::{
    DynamicInoperability, Inoperability, demand_driven, dynamic_iim, static_iim, supply_driven,
};
pub use montecarlo::{
    LossDistribution, MonteCarloConfig, RemovalOrder, RobustnessPoint, loss_distribution,
    risk_monte_carlo, robustness_curve,
};
pub use resilience::{ResilienceMetrics, resilience_metrics};
pub use scenario::{
    Scenario, ScenarioResult, ScenarioStep, ShockSpec, find_scenario, run_scenario,
    run_scenario_with_progress,
};
pub use systemic::{Esri, SurvivalTime, esri_all, survival_times};
