//! A measure: one recommended action, whom it concerns, why, and the numbers behind it.
//! Every plan kind returns its measures in this one shape, so the command line, the
//! report and the dashboard list them alike.

use serde::Serialize;
use std::collections::BTreeMap;

/// Which of the planning tools proposes a measure (Gao 2021's measures and the fund).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    Protection,
    Fund,
    WhatIf,
    Creation,
    Fusion,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measure {
    pub kind: MeasureKind,
    /// What to do, in one line.
    pub action: String,
    /// The enterprises (or places) it concerns.
    pub firms: Vec<String>,
    /// Why, in words with the figures.
    pub reason: String,
    /// The figures, by name (money in the workspace's unit).
    pub numbers: BTreeMap<String, f64>,
}
