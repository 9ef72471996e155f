//! End-to-end tests of the `chainlens` binary: one test binary, one module per concern.

mod bad_input;
mod browser;
mod common;
mod csv_safe;
mod linkage;
mod main_job;
mod network;
mod panel;
mod plan;
mod serve;
mod simulate;
mod spatial;
mod workspace_commands;
