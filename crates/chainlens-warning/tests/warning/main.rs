//! Integration tests of chainlens-warning, one binary: the paper's tables, the whole
//! evaluate → reconcile pipeline on a small workspace-like data set, and the alert
//! lifecycle on a real SQLite store.

mod pipeline;
mod store;
mod table_4_6;
mod table_4_8;
