//! ChainLens resilience index engine (DESIGN.md §4.3): the paper's evaluation system
//! (Zhang 2024, *Study how to enhance and restructure the resilience of regional
//! industrial chains*, Table 2-1 and §3), complete and configurable.
//!
//! Pipeline, each step a module and a configuration choice ([`system::ResilienceConfig`],
//! the `[resilience]` section of chainlens.toml):
//! [`panel`] (derived indicators, outliers, imputation) → [`normalize`] (pooled
//! region × year min-max / z-score / target) → weights ([`ahp`], [`weights`]: fixed, AHP,
//! entropy, CRITIC, combined) → [`aggregate`] (weighted sum, fuzzy comprehensive
//! evaluation, TOPSIS) → [`grade`] → analyses ([`analysis`]: ranks, trends, kernel
//! density, Markov transitions, obstacles; [`gaps`]: CV, Theil, Dagum Gini; [`coupling`];
//! [`uncertainty`]: Monte Carlo of the ranks with Sobol indices). [`evaluate::evaluate`]
//! runs them all.
//!
//! Research checks of an index (DESIGN.md §4.7): [`validation`] (Cronbach's α, KMO,
//! Bartlett's sphericity) and [`correlation`] (Pearson, Spearman with p-values), on
//! [`special`] functions (incomplete gamma and beta) and a small [`cholesky`];
//! [`regression`] (fixed effects with the index's lag, drivers and interactions,
//! entity-clustered errors) and [`decomposition`] (an index change into indicator
//! contributions); [`research::research`] runs them on an evaluation.
//!
//! Conventions the peers disagree on (see each module): the AHP random index defaults to
//! Saaty's 1980 table (`saaty`; ahpy's `saaty` is our `saaty2005`, its default our
//! `donegan-dodd`); entropy uses 0·ln 0 = 0 (pymcdm zeroes the entropy of a column with a
//! zero instead); CRITIC uses the sample standard deviation (as pymcdm); TOPSIS takes the
//! ideal from the weighted, min-max normalised matrix (as pymcdm's default).
//!
//! Pure functions: no file, store or network access. Results are serde-serialisable.

pub mod aggregate;
pub mod ahp;
pub mod analysis;
pub mod cholesky;
pub mod correlation;
pub mod coupling;
pub mod decomposition;
pub mod derive;
pub mod error;
pub mod evaluate;
pub mod gaps;
pub mod grade;
pub mod normalize;
pub mod panel;
pub mod regression;
pub mod research;
pub mod special;
pub mod system;
pub mod uncertainty;
pub mod validation;
pub mod weights;

pub use error::{Error, Result};
pub use evaluate::{Evaluation, evaluate};
pub use grade::{Grade, GradeThresholds};
pub use panel::{Derivations, DerivedValues, NoDerivations, RegionInfo};
pub use system::ResilienceConfig;
