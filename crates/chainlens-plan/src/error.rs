//! Errors of planning: the analysis a plan rests on failed, or a setting is out of range.

pub type Result<T, E = PlanError> = std::result::Result<T, E>;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    #[error(transparent)]
    Network(#[from] chainlens_network::Error),
    #[error("{0}")]
    Sim(String),
    #[error("[plan.{section}] {key}: {reason}")]
    Setting {
        section: &'static str,
        key: String,
        reason: String,
    },
}

impl From<chainlens_sim::SimError> for PlanError {
    fn from(e: chainlens_sim::SimError) -> Self {
        PlanError::Sim(e.to_string())
    }
}
