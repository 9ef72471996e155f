//! Integration tests of chainlens-resilience, one binary: independent reference values
//! (`reference`, `validation`, `panel`, `research`) and the paper's published results (`paper`).

mod chain;
mod panel;
mod paper;
mod reference;
mod research;
mod validation;
