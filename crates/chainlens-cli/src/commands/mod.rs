//! One module per command; each exposes `Args` (clap) and `run`.

pub mod alert;
pub mod clearing;
pub mod evaluate;
pub mod import;
pub mod info;
pub mod ingest;
pub mod init;
pub mod linkage;
pub mod network;
pub mod plan;
pub mod report;
pub mod risk;
pub mod run;
pub mod serve;
pub mod simulate;
pub mod spatial;
pub mod supplement;
pub mod token;
pub mod validate;
pub mod warn;
pub mod weights;
