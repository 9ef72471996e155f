//! Errors of the resilience engine. Every variant names what is wrong — the indicator,
//! the region, the year or the judgment — so that a user can find it in the input.

/// Everything that can go wrong while building an index.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    #[error("judgment matrix: row {row} has {found} entries, expected {expected}")]
    NotSquare {
        row: usize,
        expected: usize,
        found: usize,
    },
    #[error("judgment matrix is empty")]
    EmptyMatrix,
    #[error("judgment `{row}` vs `{column}` is {value}: judgments must be positive and finite")]
    NotPositive {
        row: String,
        column: String,
        value: f64,
    },
    #[error("judgment `{item}` vs itself is {value}: the diagonal must be 1")]
    Diagonal { item: String, value: f64 },
    #[error(
        "judgments are not reciprocal: `{row}` vs `{column}` is {value} but `{column}` vs `{row}` is {mirror} (expected {expected})"
    )]
    NotReciprocal {
        row: String,
        column: String,
        value: f64,
        mirror: f64,
        expected: f64,
    },
    #[error("judgment matrices of the experts differ in size ({first} and {other})")]
    ExpertSizes { first: usize, other: usize },
    #[error("random-index table `{table}` has no value for n = {n} (it covers n ≤ {max})")]
    RandomIndexSize { table: String, n: usize, max: usize },
    #[error(
        "unknown random-index table `{0}` (known: saaty, saaty2005, donegan-dodd, alonso-lamata)"
    )]
    UnknownRandomIndex(String),
    #[error("data: {0}")]
    Data(String),
    #[error(
        "indicator `{indicator}` is constant ({value}) over the whole panel: it cannot be normalised (set `constant_score` to accept it)"
    )]
    ConstantIndicator { indicator: String, value: f64 },
    #[error("indicator `{indicator}`: {value} at {at} is not usable here ({reason})")]
    BadValue {
        indicator: String,
        at: String,
        value: f64,
        reason: String,
    },
    #[error("no indicator discriminates between the alternatives: {0} weights are undefined")]
    NoInformation(&'static str),
    #[error("weights sum to {sum} instead of 1 (set `weight_sum = \"normalize\"` to rescale them)")]
    WeightSum { sum: f64 },
    #[error("weights: {0}")]
    Weights(String),
    #[error("indicator `{indicator}` has no value for region `{region}` in any year")]
    MissingSeries { indicator: String, region: String },
    #[error("indicator `{indicator}` has no value for any region in {year}")]
    MissingYear { indicator: String, year: i32 },
    #[error(
        "indicator `{indicator}` for region `{region}`: {missing} of {total} years missing, more than the imputation limit of {limit}"
    )]
    TooManyMissing {
        indicator: String,
        region: String,
        missing: usize,
        total: usize,
        limit: f64,
    },
    #[error(
        "indicator `{indicator}` for region `{region}` in {year} is missing and imputation is off"
    )]
    Missing {
        indicator: String,
        region: String,
        year: i32,
    },
    #[error("indicator system: {0}")]
    System(String),
    #[error("configuration: {0}")]
    Config(String),
    #[error("year {0} is not in the panel")]
    UnknownYear(i32),
    #[error(
        "`{variable}` is constant ({value}) over the observations: its correlation is undefined"
    )]
    ConstantColumn { variable: String, value: f64 },
    #[error(
        "{what}: `{variable}` is a linear combination of the variables before it (or there are fewer observations than variables); drop it or add observations"
    )]
    Singular {
        what: &'static str,
        variable: String,
    },
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
