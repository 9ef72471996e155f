//! The errors of `chainlens-sim`: bad events, bad parameters and tables the models
//! cannot run on. Each variant carries the offending value.

use chainlens_model::IoTableError;

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

/// The closest of `candidates` to `name`, when it is close enough to be a likely typo.
pub(crate) fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    candidates
        .map(|c| (levenshtein(name, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_owned())
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

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
