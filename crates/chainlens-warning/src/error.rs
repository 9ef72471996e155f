//! The warning crate's errors: bad configuration and bad input, each naming the
//! offending value.

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A probability or impact outside [0, 1] (or not a number).
    #[error("risk `{id}`: {field} {value} is outside [0, 1]")]
    OutOfUnitInterval {
        id: String,
        field: &'static str,
        value: f64,
    },
    /// The bins of one axis of the risk matrix do not tile [0, 1].
    #[error("risk matrix, {axis} bins: {message}")]
    Bins { axis: &'static str, message: String },
    /// Any other inconsistency of the risk matrix.
    #[error("risk matrix: {0}")]
    Matrix(String),
    /// A monitoring rule names a metric nobody produced.
    #[error("rule `{rule}`: unknown metric `{metric}`{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownMetric {
        rule: String,
        metric: String,
        suggestion: Option<String>,
    },
    /// A rule or trigger is malformed.
    #[error("rule `{rule}`: {message}")]
    Rule { rule: String, message: String },
    /// A response level is missing, duplicated or malformed.
    #[error("response level {level}: {message}")]
    Level { level: u8, message: String },
    /// A status change the lifecycle does not allow.
    #[error("alert {id}: cannot {action} an alert that is {status}")]
    Transition {
        id: String,
        action: &'static str,
        status: String,
    },
}
