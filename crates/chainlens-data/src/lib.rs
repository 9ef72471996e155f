//! ChainLens data layer: everything between files and the domain model.
//!
//! Files → [`table`] (bytes, encoding, CSV / JSON / XLSX sheet → a raw table of text cells
//! with their positions) → [`records`] (typed records, every cell problem located) →
//! [`workspace`] (chainlens.toml, the whole [`chainlens_model::Dataset`], model validation
//! mapped back to `file:row:column`) → [`store`] (SQLite, one transaction per import).
//!
//! Files as analysts hold them — registry exports, yearbook tables, tables of purchases —
//! come in through [`ingest`], which adds to a workspace's tables without half-writing it,
//! using the unified social credit code ([`credit_code`]) and China's administrative
//! divisions ([`divisions`]).
//!
//! Region outlines come from GeoJSON ([`geojson`]); the spatial statistics' own files
//! (values, neighbour pairs, coordinates) from [`spatial_files`].
//!
//! Nothing here analyses; analysis crates never read files.

// A located problem (file, position, field, message, suggestion) is about 128 bytes; it is
// only built on the error path, where its size costs nothing worth boxing it for.
#![allow(clippy::result_large_err)]

pub mod credit_code;
pub mod divisions;
pub mod error;
pub mod geojson;
pub mod ingest;
pub mod io_tables;
pub mod limits;
pub mod location;
pub mod network_files;
pub mod records;
pub mod spatial_files;
pub mod store;
pub mod table;
pub mod text;
pub mod workspace;
pub mod write;

pub use error::{Error, Result};
pub use limits::Limits;
pub use location::{Located, Location};
