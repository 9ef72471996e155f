//! Errors of the linkage engine: a table that cannot be analysed, with the sector to blame.

use serde::Serialize;

pub type Result<T, E = LinkageError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum LinkageError {
    #[error(transparent)]
    Table(#[from] chainlens_model::IoTableError),
    #[error("the table has no industries")]
    Empty,
    #[error(
        "sector `{sector}` has zero (or negative) total output {output}: its input coefficients are undefined"
    )]
    ZeroOutput { sector: String, output: f64 },
    #[error("the system is not productive: {reason}")]
    NotProductive { reason: String },
    #[error("I - A is numerically singular (pivot {pivot:e} at sector `{sector}`)")]
    Singular { sector: String, pivot: f64 },
    #[error("{what} has {len} entries for {expected} industries")]
    Length {
        what: &'static str,
        len: usize,
        expected: usize,
    },
}

/// A problem that does not stop the analysis but must be shown to the user.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// Machine-readable kind, e.g. `negative_flow`, `column_sum_at_least_one`, `imbalance`.
    pub kind: &'static str,
    /// The `region|sector` label the warning is about, when there is one.
    pub sector: Option<String>,
    pub message: String,
}
