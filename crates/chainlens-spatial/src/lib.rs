//! Spatial statistics for regional research: spatial weights and the global and local
//! autocorrelation measures of PySAL (libpysal, esda, giddy), reproduced to 1e-10.
//!
//! - [`weights`]: weights from (id, neighbour) pairs, from polygons (queen/rook
//!   contiguity), from coordinates (k-nearest, inverse distance, distance band); row
//!   standardisation; the rule for islands.
//! - [`moran`]: global Moran's I (normal and permutation inference) and local Moran (LISA)
//!   with HH/LL/HL/LH cluster labels.
//! - [`geary`]: Geary's C.
//! - [`markov`]: the spatial Markov chain of Rey (2001).
//!
//! Everything is pure: ids, values and geometry in, results out; reading files is the
//! caller's business.

pub mod error;
pub mod geary;
pub mod markov;
pub mod moran;
mod normal;
pub mod weights;

pub use error::{Error, Result};
pub use weights::{Contiguity, IslandRule, Weights};
