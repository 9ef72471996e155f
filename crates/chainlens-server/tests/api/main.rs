//! Integration tests of the server over real HTTP on loopback: one test binary, one
//! module per concern.

mod alerts;
mod auth;
mod browser;
mod common;
mod connections;
mod isolation;
mod matrix;
mod queue;
mod reads;
mod runs;
mod upload;
