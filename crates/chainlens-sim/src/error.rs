//! The errors of `chainlens-sim`: bad events, bad parameters and tables the models
//! cannot run on. Each variant carries the offending value.

use chainlens_model::IoTableError;
/// The model's typo suggestion (normalised Damerau–Levenshtein, `strsim`), one helper for
/// every crate.
pub(crate) use chainlens_model::problem::suggest;

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error(transparent)]
    Table(#[from] IoTableError),
    #[error("the event file is not valid TOML for an event: {0}")]
    EventSyntax(String),
    #[error("unknown {what} `{name}`{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    Unknown {
        what: &'static str,
        name: String,
        suggestion: Option<String>,
    },
    #[error("{name} = {value}: {reason}")]
    Parameter {
        name: &'static str,
        value: f64,
        reason: &'static str,
    },
    #[error("{0}")]
    Event(String),
    #[error(
        "the impact on `{industry}` ({impact}) exceeds its productive capital ({capital}, {capital_to_va} x value added)"
    )]
    ImpactExceedsCapital {
        industry: String,
        impact: f64,
        capital: f64,
        capital_to_va: f64,
    },
    #[error("the table is not productive: {0}")]
    NotProductive(String),
}

pub type Result<T, E = SimError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        let names = ["reg1|manufactoring", "reg1|mining"];
        assert_eq!(
            suggest("reg1|manufacturing", names.iter().copied()).as_deref(),
            Some("reg1|manufactoring")
        );
        assert_eq!(suggest("reg9|fishing", names.iter().copied()), None);
    }
}
