//! Integration tests of the data layer: one binary, one module per concern.

mod fixtures;
mod formats;
mod ingest;
mod limits;
mod load;
mod store;
