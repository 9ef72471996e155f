//! The linkage report: every §4.1 measure of a table in one serialisable result.
//!
//! [`analyse`] factorises I − A once ([`System`]), takes multipliers and BL/FL from solves
//! ([`crate::linkages`]), forms L only when the configuration needs it (coefficients of
//! variation, extraction, complete-coefficient networks or matrix output), and adds the
//! multi-regional decomposition, regional structure, network and structural paths when
//! asked. The JSON shape is the one of DESIGN.md §5 (`table`, `sectors`, `warnings`).
//!
//! Rows of V whose label starts with [`OTHER_PRIMARY_INPUT`] (imported intermediate inputs
//! of a non-competitive table, taxes on products or purchases abroad of a world table,
//! kept in V so that columns balance) are primary inputs of the Ghosh model but not value
//! added: they are left out of the value-added multiplier and each gets its own multiplier
//! under `extension_multipliers`.

use crate::error::{Result, Warning};
use crate::extraction::extract_all;
use crate::linkages::{
    ForwardConvention, LinkageColumns, SectorClass, ask_row_multipliers, row_multipliers, variation,
};
use crate::network::{EdgeStrength, Network, network};
use crate::regional::{DecompositionColumns, RegionMatrices, structure};
use crate::solves::Batch;
use crate::spa::{PathReport, SpaConfig, structural_paths};
use crate::system::{SpectralBounds, System, ghosh_from_leontief, to_matrix};
use chainlens_model::{IoTable, Matrix};
use faer::Mat;
use serde::Serialize;
use std::collections::BTreeMap;

/// What to compute beyond multipliers, BL/FL and classes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    pub forward: ForwardConvention,
    /// Hypothetical extraction of every sector (forms L).
    pub extraction: bool,
    /// Hirschman's coefficients of variation (forms L).
    pub variation: bool,
    /// Return A, B, L and G (forms L).
    pub matrices: bool,
    pub network: Option<NetworkConfig>,
    pub paths: Option<SpaConfig>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NetworkConfig {
    pub strength: EdgeStrength,
    pub threshold: f64,
}

/// Solve residuals ‖M·s − b‖/‖b‖ (M = I − A or its transpose).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Residuals {
    /// The table's own output in its identity: ‖(I − A)x − y‖/‖y‖ (0 when the rows balance).
    pub table: f64,
    /// ‖(I − A)x̂ − y‖/‖y‖ of the solved output x̂.
    pub output: f64,
    pub column_sums: f64,
    pub row_sums: f64,
    pub row_multipliers: f64,
    /// The solves of the intra/feedback/spillover split (multi-regional tables).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regional: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableMeta {
    pub name: String,
    pub unit: Option<String>,
    pub industries: usize,
    pub regions: Vec<String>,
    pub forward: ForwardConvention,
    pub total_output: f64,
    pub total_final_demand: f64,
    pub spectral_radius: SpectralBounds,
    pub max_column_sum: f64,
    pub max_column_sum_sector: String,
    /// Largest relative gap of the row / column identities (see the model's balance).
    pub max_relative_gap: f64,
    pub worst_row: Option<String>,
    pub worst_column: Option<String>,
    pub residuals: Residuals,
    /// κ₁(I − A) = ‖I − A‖₁·‖L‖₁: results can lose about log₁₀ κ of their 16 digits. Exact
    /// when A ≥ 0 (then L ≥ 0 and ‖L‖₁ is the largest output multiplier); with negative
    /// flows a lower bound.
    pub condition_number: f64,
    /// Whether the LU of I − A used partial pivoting; false for a diagonally dominant
    /// I − A, eliminated without pivoting (see the linkage crate's `lu` module).
    pub pivoting: bool,
    pub inverse_formed: bool,
    pub value_added_rows: Vec<String>,
    pub extensions: Vec<String>,
    /// Coefficients of variation of BL and FL across sectors.
    pub backward_spread: f64,
    pub forward_spread: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectorRow {
    pub region: String,
    pub sector: String,
    pub output: f64,
    pub final_demand: f64,
    pub output_multiplier: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_added_multiplier: Option<f64>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extension_multipliers: BTreeMap<String, f64>,
    pub backward_linkage: f64,
    pub forward_linkage: f64,
    pub class: SectorClass,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backward_variation: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forward_variation: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extraction_total: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extraction_backward: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extraction_forward: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intra: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spillover: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_quotient: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regional_share: Option<f64>,
}

/// A, B, L and G of the table (when asked for).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matrices {
    pub a: Matrix,
    pub b: Matrix,
    pub l: Matrix,
    pub g: Matrix,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionSummary {
    pub matrices: RegionMatrices,
    /// (sector, Herfindahl index across regions).
    pub herfindahl: Vec<(String, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkageReport {
    pub table: TableMeta,
    pub sectors: Vec<SectorRow>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regions: Option<RegionSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<Network>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paths: Option<PathReport>,
    #[serde(skip)]
    pub matrices: Option<Matrices>,
    pub warnings: Vec<Warning>,
}

/// Label prefix of a V row that is a primary input but not value added (the readers of
/// `chainlens-data` use the same prefix).
pub const OTHER_PRIMARY_INPUT: &str = "other primary input: ";

/// Condition number above which a report warns (half of f64's 16 digits lost).
const ILL_CONDITIONED: f64 = 1e8;

fn is_import_row(label: &str) -> bool {
    label.starts_with(OTHER_PRIMARY_INPUT)
}

/// Runs the configured linkage analysis of a table.
pub fn analyse(table: &IoTable, config: &Config) -> Result<LinkageReport> {
    let system = System::new(table)?;
    let n = system.len();
    let mut warnings = system.warnings.clone();
    let balance = table.balance();
    let label = |i: usize| table.industries[i].label();
    if balance.max_relative_gap > 1e-6 {
        let mut parts = Vec::new();
        if let Some((i, g)) = balance.worst_row {
            parts.push(format!("largest row gap {g:.6e} at `{}`", label(i)));
        }
        if let Some((j, g)) = balance.worst_column {
            parts.push(format!("largest column gap {g:.6e} at `{}`", label(j)));
        }
        warnings.push(Warning {
            kind: "imbalance",
            sector: None,
            message: format!(
                "the table does not balance (max relative gap {:.3e}): {}",
                balance.max_relative_gap,
                parts.join("; ")
            ),
        });
    }

    // The table's own residual: its x in (I − A)·x = y.
    let table_residual = system.relative_residuals(
        crate::system::column(&system.x).as_ref(),
        crate::system::column(&system.y).as_ref(),
        false,
    )[0];

    // Value-added (without imported inputs), each import row and each extension.
    let va_rows: Vec<usize> = (0..table.v.rows())
        .filter(|&r| !is_import_row(&table.value_added_labels[r]))
        .collect();
    let mut rows: Vec<Vec<f64>> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let has_va = !va_rows.is_empty();
    if has_va {
        rows.push(
            (0..n)
                .map(|j| va_rows.iter().map(|&r| table.v.get(r, j)).sum())
                .collect(),
        );
    }
    for r in 0..table.v.rows() {
        if is_import_row(&table.value_added_labels[r]) {
            names.push(table.value_added_labels[r].clone());
            rows.push(table.v.row(r).to_vec());
        }
    }
    for e in &table.extensions {
        names.push(e.name.clone());
        rows.push(e.values.clone());
    }
    let regions = table.regions();
    let multi = regions.len() > 1;

    // Every solved column of the report in one plain and one transposed solve.
    let mut batch = Batch::default();
    let linkage_columns = LinkageColumns::ask(&system, &mut batch);
    let output_column = batch.plain(system.y.clone());
    let row_columns = ask_row_multipliers(&system, &rows, &mut batch);
    let regional_columns = multi.then(|| DecompositionColumns::ask(table, &mut batch));
    let solved = batch.solve(&system);
    let k = linkage_columns.linkages(&system, &solved, config.forward);
    let (_, res_out) = solved.plain(output_column);
    let (row_mult, res_rows) = row_multipliers(&row_columns, &solved);

    // ‖L‖₁ = max_j Σ_i |l_ij|, the largest output multiplier when L ≥ 0.
    let largest = crate::system::argmax(&k.output_multiplier);
    let condition_number = system.i_minus_a_norm1 * k.output_multiplier[largest];
    if condition_number > ILL_CONDITIONED {
        warnings.push(Warning {
            kind: "ill_conditioned",
            sector: Some(label(largest)),
            message: format!(
                "I − A is ill-conditioned (κ₁ {}{condition_number:.2e}): results may lose about {:.0} \
                 of their 16 digits; the largest multiplier ({:.4e}) is `{}`'s",
                if system.has_negative_flows { "≥ " } else { "= " },
                condition_number.log10(),
                k.output_multiplier[largest],
                label(largest)
            ),
        });
    }

    let needs_l = config.extraction
        || config.variation
        || config.matrices
        || config
            .network
            .is_some_and(|c| c.strength == EdgeStrength::Complete);
    let l = needs_l.then(|| system.leontief_inverse());
    let variations = match (&l, config.variation) {
        (Some(l), true) => Some(variation(l, &system.x, config.forward)),
        _ => None,
    };
    let extraction = match (&l, config.extraction) {
        (Some(l), true) => Some(extract_all(&system, l)),
        _ => None,
    };
    let (decomposition, region_summary, structure, res_regional) = match &regional_columns {
        Some(asked) => {
            let (d, m, residual) = asked.decompose(table, &system, &solved);
            let st = structure(table, &system.x);
            (
                Some(d),
                Some(RegionSummary {
                    matrices: m,
                    herfindahl: st.herfindahl.clone(),
                }),
                Some(st),
                Some(residual),
            )
        }
        None => (None, None, None, None),
    };

    let sectors = (0..n)
        .map(|i| {
            let off = usize::from(has_va);
            let extension_multipliers = names
                .iter()
                .enumerate()
                .map(|(e, name)| (name.clone(), row_mult[off + e][i]))
                .collect();
            SectorRow {
                region: table.industries[i].region.clone(),
                sector: table.industries[i].sector.clone(),
                output: system.x[i],
                final_demand: system.y[i],
                output_multiplier: k.output_multiplier[i],
                value_added_multiplier: has_va.then(|| row_mult[0][i]),
                extension_multipliers,
                backward_linkage: k.backward[i],
                forward_linkage: k.forward[i],
                class: k.class[i],
                backward_variation: variations.as_ref().map(|v| v.0[i]),
                forward_variation: variations.as_ref().map(|v| v.1[i]),
                extraction_total: extraction.as_ref().map(|e| e[i].total),
                extraction_backward: extraction.as_ref().map(|e| e[i].backward),
                extraction_forward: extraction.as_ref().map(|e| e[i].forward),
                intra: decomposition.as_ref().map(|d| d[i].intra),
                feedback: decomposition.as_ref().map(|d| d[i].feedback),
                spillover: decomposition.as_ref().map(|d| d[i].spillover),
                location_quotient: structure.as_ref().map(|s| s.location_quotient[i]),
                regional_share: structure.as_ref().map(|s| s.regional_share[i]),
            }
        })
        .collect();

    let network = config.network.map(|c| {
        let w = match c.strength {
            EdgeStrength::Flows => Mat::from_fn(n, n, |i, j| table.z.get(i, j)),
            EdgeStrength::Coefficients => system.a(),
            EdgeStrength::Complete => {
                let l = l.as_ref().expect("formed above");
                Mat::from_fn(n, n, |i, j| l[(i, j)] - if i == j { 1.0 } else { 0.0 })
            }
        };
        network(&table.industries, &system.x, &w, c.strength, c.threshold)
    });
    let paths = config
        .paths
        .map(|c| structural_paths(system.a().as_ref(), &system.y, c));
    let matrices = match (&l, config.matrices) {
        (Some(l), true) => Some(Matrices {
            a: system.technical_coefficients(),
            b: system.allocation_coefficients(),
            l: to_matrix(l.as_ref()),
            g: to_matrix(ghosh_from_leontief(l, &system.x).as_ref()),
        }),
        _ => None,
    };

    let worst = crate::system::argmax(&system.a_col_sums);
    let meta = TableMeta {
        name: table.name.clone(),
        unit: table.unit.clone(),
        industries: n,
        regions: regions.iter().map(|r| r.to_string()).collect(),
        forward: config.forward,
        total_output: system.x.iter().sum(),
        total_final_demand: system.y.iter().sum(),
        spectral_radius: system.spectral_radius,
        max_column_sum: system.a_col_sums[worst],
        max_column_sum_sector: label(worst),
        max_relative_gap: balance.max_relative_gap,
        worst_row: balance.worst_row.map(|(i, _)| label(i)),
        worst_column: balance.worst_column.map(|(j, _)| label(j)),
        residuals: Residuals {
            table: table_residual,
            output: res_out,
            column_sums: k.residual_column_sums,
            row_sums: k.residual_row_sums,
            row_multipliers: res_rows,
            regional: res_regional,
        },
        condition_number,
        pivoting: system.pivoted(),
        inverse_formed: l.is_some(),
        value_added_rows: va_rows
            .iter()
            .map(|&r| table.value_added_labels[r].clone())
            .collect(),
        extensions: names,
        backward_spread: spread(&k.backward),
        forward_spread: spread(&k.forward),
    };
    Ok(LinkageReport {
        table: meta,
        sectors,
        regions: region_summary,
        network,
        paths,
        matrices,
        warnings,
    })
}

/// Sample coefficient of variation of a vector (0 for fewer than two values).
fn spread(v: &[f64]) -> f64 {
    let n = v.len() as f64;
    if v.len() < 2 {
        return 0.0;
    }
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    var.sqrt() / mean
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::system::tests::miller_blair_2x2;

    /// A = [[0, r], [r, 0]] with r = 1 − 10⁻⁹ is productive (ρ = r) but nearly singular:
    /// κ₁ = ‖I − A‖₁·‖L‖₁ = (1 + r)·1/(1 − r) ≈ 2·10⁹ (L = [[1, r], [r, 1]]/(1 − r²)).
    #[test]
    fn a_nearly_singular_table_is_reported_ill_conditioned() {
        let r = 1.0 - 1e-9;
        let mut t = miller_blair_2x2();
        t.z = Matrix::from_row_major(2, 2, vec![0., r, r, 0.]).unwrap();
        t.y = Matrix::from_row_major(2, 1, vec![1e-9, 1e-9]).unwrap();
        t.published_output = Some(vec![1., 1.]);
        let report = analyse(&t, &Config::default()).unwrap();
        let expected = (1.0 + r) / (1.0 - r);
        assert!(
            (report.table.condition_number / expected - 1.0).abs() < 1e-6,
            "{}",
            report.table.condition_number
        );
        let w = report
            .warnings
            .iter()
            .find(|w| w.kind == "ill_conditioned")
            .expect("warned");
        assert_eq!(w.sector.as_deref(), Some("r|agriculture"));
        assert!(w.message.contains("lose about 9"), "{}", w.message);
        // The Miller & Blair table is well conditioned: no such warning.
        let fine = analyse(&miller_blair_2x2(), &Config::default()).unwrap();
        assert!(fine.warnings.iter().all(|w| w.kind != "ill_conditioned"));
    }

    #[test]
    fn textbook_report_has_the_published_numbers() {
        let config = Config {
            extraction: true,
            variation: true,
            matrices: true,
            ..Config::default()
        };
        let r = analyse(&miller_blair_2x2(), &config).unwrap();
        assert!(r.table.inverse_formed);
        assert!(!r.table.pivoting);
        // κ₁ by hand: ‖I − A‖₁ = max(0.85 + 0.20, 0.25 + 0.95) = 1.2; L = adj/0.7575 with
        // column sums 1.15/0.7575 and 1.10/0.7575.
        assert!((r.table.condition_number - 1.2 * 1.15 / 0.7575).abs() < 1e-12);
        assert!(r.regions.is_none());
        let s = &r.sectors;
        assert!((s[0].output_multiplier - 1.518).abs() < 5e-4);
        // Value-added multipliers of a closed, balanced table are 1.
        assert!((s[0].value_added_multiplier.unwrap() - 1.0).abs() < 1e-12);
        assert!(s[0].extraction_total.unwrap() > 0.0);
        assert!(r.table.residuals.table < 1e-15);
        let m = r.matrices.unwrap();
        assert!((m.l.get(0, 0) - 1.254).abs() < 5e-4);
        let json = serde_json::to_value(&r.sectors[0]).unwrap();
        for key in [
            "region",
            "sector",
            "output",
            "output_multiplier",
            "backward_linkage",
            "forward_linkage",
            "class",
            "extraction_total",
            "extraction_backward",
            "extraction_forward",
        ] {
            assert!(json.get(key).is_some(), "{key}");
        }
        assert!(json.get("intra").is_none());
    }
}
