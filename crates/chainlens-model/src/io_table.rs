//! Input-output tables, single- or multi-regional (DESIGN.md §3).
//!
//! Industries are region × sector pairs (a national table is a multi-regional one with a
//! single region). Z (n×n) holds intermediate flows with z_ij = sales of i to j, Y (n×k)
//! final demand by category (per region for an MRIO), V (m×n) value-added rows, and x the
//! total output. The accounting identity is x_i = Σ_j z_ij + Σ_c y_ic (rows) and
//! x_j = Σ_i z_ij + Σ_r v_rj (columns); [`IoTable::balance`] reports the largest gap of
//! each instead of silently fixing it.

use crate::Matrix;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Industry {
    pub region: String,
    pub sector: String,
}

impl Industry {
    /// The `region|sector` label used in file headers and CLI output.
    pub fn label(&self) -> String {
        format!("{}|{}", self.region, self.sector)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinalDemandLabel {
    pub region: String,
    pub category: String,
}

/// A satellite account row: one value per industry (employment, emissions, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extension {
    pub name: String,
    pub unit: Option<String>,
    pub values: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IoTable {
    pub name: String,
    /// Monetary unit of every flow, e.g. `10^4 CNY` or `million USD`.
    pub unit: Option<String>,
    pub industries: Vec<Industry>,
    /// Intermediate flows, n × n.
    pub z: Matrix,
    pub final_demand_labels: Vec<FinalDemandLabel>,
    /// Final demand, n × k.
    pub y: Matrix,
    pub value_added_labels: Vec<String>,
    /// Value added, m × n.
    pub v: Matrix,
    pub extensions: Vec<Extension>,
    /// Total output as published; `None` to derive it from the rows (Z·1 + Y·1).
    pub published_output: Option<Vec<f64>>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum IoTableError {
    #[error("{what} is {rows}×{cols}, expected {expected_rows}×{expected_cols}")]
    Shape {
        what: &'static str,
        rows: usize,
        cols: usize,
        expected_rows: usize,
        expected_cols: usize,
    },
    #[error("{what} has {len} labels for {expected} rows or columns")]
    Labels {
        what: &'static str,
        len: usize,
        expected: usize,
    },
    #[error("{what}[{row}, {col}] is not a finite number ({value})")]
    NotFinite {
        what: &'static str,
        row: usize,
        col: usize,
        value: f64,
    },
    #[error("industry `{0}` appears twice")]
    DuplicateIndustry(String),
}

/// The largest departures from the accounting identities, absolute and relative to x.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BalanceReport {
    /// Industry with the largest |x − (Z·1 + Y·1)|, and that gap.
    pub worst_row: Option<(usize, f64)>,
    /// Industry with the largest |x − (1ᵀZ + 1ᵀV)| (only when V is given), and that gap.
    pub worst_column: Option<(usize, f64)>,
    /// Largest gap relative to the industry's output.
    pub max_relative_gap: f64,
}

impl IoTable {
    pub fn len(&self) -> usize {
        self.industries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.industries.is_empty()
    }

    /// The distinct regions in order of first appearance.
    pub fn regions(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for ind in &self.industries {
            if !out.contains(&ind.region.as_str()) {
                out.push(&ind.region);
            }
        }
        out
    }

    /// Checks shapes, labels and finiteness; the first problem is returned.
    pub fn check(&self) -> Result<(), IoTableError> {
        let n = self.len();
        let shape = |what, m: &Matrix, r, c| {
            if m.rows() != r || m.cols() != c {
                Err(IoTableError::Shape {
                    what,
                    rows: m.rows(),
                    cols: m.cols(),
                    expected_rows: r,
                    expected_cols: c,
                })
            } else {
                Ok(())
            }
        };
        shape("Z", &self.z, n, n)?;
        shape("Y", &self.y, n, self.final_demand_labels.len())?;
        shape("V", &self.v, self.value_added_labels.len(), n)?;
        if let Some(x) = &self.published_output
            && x.len() != n
        {
            return Err(IoTableError::Labels {
                what: "total output",
                len: x.len(),
                expected: n,
            });
        }
        for e in &self.extensions {
            if e.values.len() != n {
                return Err(IoTableError::Labels {
                    what: "extension",
                    len: e.values.len(),
                    expected: n,
                });
            }
        }
        let mut seen = std::collections::HashSet::new();
        for ind in &self.industries {
            if !seen.insert(ind) {
                return Err(IoTableError::DuplicateIndustry(ind.label()));
            }
        }
        for (what, m) in [("Z", &self.z), ("Y", &self.y), ("V", &self.v)] {
            for i in 0..m.rows() {
                for (j, &value) in m.row(i).iter().enumerate() {
                    if !value.is_finite() {
                        return Err(IoTableError::NotFinite {
                            what,
                            row: i,
                            col: j,
                            value,
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// Total output x: as published, or the row identity Z·1 + Y·1.
    pub fn total_output(&self) -> Vec<f64> {
        match &self.published_output {
            Some(x) => x.clone(),
            None => self.row_totals(),
        }
    }

    fn row_totals(&self) -> Vec<f64> {
        self.z
            .row_sums()
            .iter()
            .zip(self.y.row_sums())
            .map(|(z, y)| z + y)
            .collect()
    }

    /// Value added per industry: the V rows summed, or x − 1ᵀZ when V is not given.
    pub fn value_added(&self) -> Vec<f64> {
        if self.v.rows() > 0 {
            self.v.col_sums()
        } else {
            let x = self.total_output();
            x.iter()
                .zip(self.z.col_sums())
                .map(|(x, z)| x - z)
                .collect()
        }
    }

    /// How far the table is from its accounting identities.
    pub fn balance(&self) -> BalanceReport {
        let x = self.total_output();
        let rows = self.row_totals();
        let mut report = BalanceReport {
            worst_row: None,
            worst_column: None,
            max_relative_gap: 0.0,
        };
        let note = |gaps: &mut Option<(usize, f64)>, i: usize, gap: f64, rel: &mut f64| {
            if gaps.is_none_or(|(_, g)| gap.abs() > g.abs()) {
                *gaps = Some((i, gap));
            }
            let scale = x[i].abs().max(f64::MIN_POSITIVE);
            *rel = rel.max(gap.abs() / scale);
        };
        let mut rel = 0.0f64;
        for i in 0..x.len() {
            note(&mut report.worst_row, i, x[i] - rows[i], &mut rel);
        }
        if self.v.rows() > 0 {
            let cols: Vec<f64> = self
                .z
                .col_sums()
                .iter()
                .zip(self.v.col_sums())
                .map(|(z, v)| z + v)
                .collect();
            for j in 0..x.len() {
                note(&mut report.worst_column, j, x[j] - cols[j], &mut rel);
            }
        }
        report.max_relative_gap = rel;
        report
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Miller & Blair (2009), Table 2.3: the two-sector example economy.
    pub(crate) fn miller_blair_2x2() -> IoTable {
        IoTable {
            name: "Miller-Blair 2.3".into(),
            unit: Some("$ million".into()),
            industries: vec![
                Industry {
                    region: "r".into(),
                    sector: "agriculture".into(),
                },
                Industry {
                    region: "r".into(),
                    sector: "manufacturing".into(),
                },
            ],
            z: Matrix::from_row_major(2, 2, vec![150., 500., 200., 100.]).unwrap(),
            final_demand_labels: vec![FinalDemandLabel {
                region: "r".into(),
                category: "final".into(),
            }],
            y: Matrix::from_row_major(2, 1, vec![350., 1700.]).unwrap(),
            value_added_labels: vec!["va".into()],
            v: Matrix::from_row_major(1, 2, vec![650., 1400.]).unwrap(),
            extensions: vec![],
            published_output: Some(vec![1000., 2000.]),
        }
    }

    #[test]
    fn textbook_table_balances() {
        let t = miller_blair_2x2();
        t.check().unwrap();
        let b = t.balance();
        assert_eq!(b.max_relative_gap, 0.0);
        assert_eq!(t.value_added(), vec![650., 1400.]);
        assert_eq!(t.regions(), vec!["r"]);
    }

    #[test]
    fn reports_the_worst_gap() {
        let mut t = miller_blair_2x2();
        t.published_output = Some(vec![1000., 2100.]);
        let b = t.balance();
        assert_eq!(b.worst_row, Some((1, 100.0)));
        assert_eq!(b.worst_column, Some((1, 100.0)));
        assert!((b.max_relative_gap - 100.0 / 2100.0).abs() < 1e-15);
    }

    #[test]
    fn rejects_bad_shapes_and_values() {
        let mut t = miller_blair_2x2();
        t.y = Matrix::zeros(3, 1);
        assert!(matches!(
            t.check(),
            Err(IoTableError::Shape { what: "Y", .. })
        ));
        let mut t = miller_blair_2x2();
        t.z.set(0, 1, f64::NAN);
        assert!(matches!(
            t.check(),
            Err(IoTableError::NotFinite {
                what: "Z",
                row: 0,
                col: 1,
                ..
            })
        ));
    }
}
