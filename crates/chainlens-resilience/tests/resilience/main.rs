//! Integration tests of chainlens-resilience, one binary: independent reference values
//! (`reference`, `validation`, `panel`) and the paper's published results (`paper`).

mod panel;
mod paper;
mod reference;
mod validation;
