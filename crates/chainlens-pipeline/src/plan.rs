//! Response planning of a workspace (`chainlens plan`, the API's plan routes, the report's
//! measures): takes `[plan]` of chainlens.toml from the settings and hands chainlens-plan its inputs.
//!
//! ```toml
//! [plan.protection]          # chain protection over time (all keys optional)
//! period_days = 30           # days between settlement dates
//! terms_days = 60            # payment terms of a current receivable
//! bank_rate = 0.04           # reverse factoring: annual discount on the core's credit
//! factoring_rate = 0.10      # factoring: annual discount on the buyers' credit
//! cores = ["e073"]           # firms that confirm payables (default: leading enterprises)
//! ```

use crate::Workspace;
use chainlens_network::protection::ProtectionConfig;
use chainlens_plan::ProtectionPlan;
use serde::Deserialize;

/// `[plan]` of chainlens.toml (read and checked with the other settings, crate::settings).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PlanSection {
    pub protection: ProtectionConfig,
}

impl PlanSection {
    /// The section's own consistency (what `chainlens validate` checks).
    pub fn check(&self) -> Result<(), String> {
        self.protection
            .check()
            .map_err(|e| format!("[plan.protection] {e}"))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error(transparent)]
    Plan(#[from] chainlens_plan::PlanError),
}

/// Chain protection over time for `chain` (every chain's receivables when `None`).
pub fn protection(ws: &Workspace, chain: Option<&str>) -> Result<ProtectionPlan, PlanError> {
    Ok(chainlens_plan::protection_plan(
        &ws.dataset,
        chain,
        &ws.settings.plan.protection,
    )?)
}
