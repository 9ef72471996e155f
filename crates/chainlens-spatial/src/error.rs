//! The crate's typed errors.

/// What can go wrong when building weights or computing a statistic.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum Error {
    #[error("unknown region id `{id}` in the {context}; known ids: {known}")]
    UnknownId {
        id: String,
        context: &'static str,
        known: String,
    },
    #[error("region id `{0}` is listed twice")]
    DuplicateId(String),
    #[error(
        "neighbour pairs are not symmetric: `{id}` → `{neighbour}` is listed but `{neighbour}` → `{id}` is not (list each pair both ways)"
    )]
    Asymmetric { id: String, neighbour: String },
    #[error("{what} needs at least {needed} regions, got {got}")]
    TooFew {
        what: &'static str,
        needed: usize,
        got: usize,
    },
    #[error("{what} has {got} values for {expected} regions")]
    Length {
        what: &'static str,
        got: usize,
        expected: usize,
    },
    #[error("value for region `{id}` is not finite ({value})")]
    NotFinite { id: String, value: f64 },
    #[error("all values are equal: spatial autocorrelation is undefined for a constant variable")]
    Constant,
    #[error("the weights have no links at all (every region is an island)")]
    NoLinks,
    #[error("invalid parameter: {0}")]
    Parameter(String),
}

pub type Result<T> = std::result::Result<T, Error>;
