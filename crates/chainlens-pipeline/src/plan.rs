//! Response planning of a workspace (`chainlens plan`, the API's plan routes, the report's
//! measures): reads `[plan]` of chainlens.toml once and hands chainlens-plan its inputs.
//!
//! ```toml
//! [plan.protection]          # chain protection over time (all keys optional)
//! period_days = 30           # days between settlement dates
//! terms_days = 60            # payment terms of a current receivable
//! bank_rate = 0.04           # reverse factoring: annual discount on the core's credit
//! factoring_rate = 0.10      # factoring: annual discount on the buyers' credit
//! cores = ["e073"]           # firms that confirm payables (default: leading enterprises)
//! ```

use chainlens_data::workspace::Workspace;
use chainlens_network::protection::ProtectionConfig;
use chainlens_plan::ProtectionPlan;
use serde::Deserialize;

/// `[plan]` of chainlens.toml.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PlanSection {
    pub protection: ProtectionConfig,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// `[plan]` does not parse or a value is out of range.
    #[error("chainlens.toml: {0}")]
    Config(String),
    #[error(transparent)]
    Plan(#[from] chainlens_plan::PlanError),
}

/// `[plan]`, checked (defaults when absent).
pub fn plan_section(ws: &Workspace) -> Result<PlanSection, PlanError> {
    let section: PlanSection = ws
        .config
        .section("plan")
        .map_err(|e| PlanError::Config(e.to_string()))?
        .unwrap_or_default();
    section
        .protection
        .check()
        .map_err(|e| PlanError::Config(format!("[plan.protection] {e}")))?;
    Ok(section)
}

/// Chain protection over time for `chain` (every chain's receivables when `None`).
pub fn protection(ws: &Workspace, chain: Option<&str>) -> Result<ProtectionPlan, PlanError> {
    let section = plan_section(ws)?;
    Ok(chainlens_plan::protection_plan(
        &ws.dataset,
        chain,
        &section.protection,
    )?)
}
