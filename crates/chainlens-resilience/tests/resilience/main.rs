//! Integration tests of chainlens-resilience, one binary: independent reference values
//! (`reference`, `validation`) and the paper's published results (`paper`).

mod paper;
mod reference;
mod validation;
