//! Integration tests of chainlens-network, one binary: independent references
//! (networkx expected values, a straightforward Picard iteration for Eisenberg–Noe) and
//! the real data sets in ../shared/data.

mod clearing;
mod reference;
