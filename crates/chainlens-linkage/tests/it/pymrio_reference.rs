//! The pymrio test MRIO against pymrio 0.7 (x, A, L, M) and the numpy reference
//! (B, G, BL, FL, classes, variation, extraction, intra/feedback/spillover), 1e-9 relative.

use crate::{assert_close, matrix, reference, shared_io, vector};
use chainlens_data::io_tables::{Layout, read};
use chainlens_linkage::{Config, ForwardConvention, analyse};
use chainlens_model::IoTable;
use chainlens_model::Vocabulary;
use std::path::PathBuf;

fn fixture() -> IoTable {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pymrio_test_saved");
    let (t, layout) = read(&dir, None, &chainlens_data::Limits::default().io_tables()).unwrap();
    assert_eq!(layout, Layout::Pymrio);
    t
}

fn flat(m: &chainlens_model::Matrix) -> Vec<f64> {
    m.as_row_major().to_vec()
}

const TOL: f64 = 1e-9;

#[test]
fn matches_pymrio_and_numpy() {
    let e = reference("expected_pymrio_test.json");
    let p = &e["pymrio"];
    let table = fixture();
    let labels: Vec<String> = table.industries.iter().map(|i| i.label()).collect();
    let want: Vec<String> = e["industries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(labels, want);
    for forward in [ForwardConvention::Ghosh, ForwardConvention::Leontief] {
        let config = Config {
            forward,
            extraction: true,
            variation: true,
            matrices: true,
            ..Config::default()
        };
        let r = analyse(&table, &config).unwrap();
        let m = r.matrices.as_ref().unwrap();
        let x: Vec<f64> = r.sectors.iter().map(|s| s.output).collect();
        assert_close("x", &x, &vector(&p["x"]), TOL, 1e-12);
        let a_ref: Vec<f64> = matrix(&p["A"]).concat();
        assert_close("A", &flat(&m.a), &a_ref, TOL, 1e-6);
        assert_close("L", &flat(&m.l), &matrix(&p["L"]).concat(), TOL, 1e-6);
        assert_close("B", &flat(&m.b), &matrix(&e["B"]).concat(), TOL, 1e-6);
        assert_close("G", &flat(&m.g), &matrix(&e["G"]).concat(), TOL, 1e-6);
        let col = |f: fn(&chainlens_linkage::report::SectorRow) -> f64| -> Vec<f64> {
            r.sectors.iter().map(f).collect()
        };
        // Output multipliers: column sums of pymrio's L.
        let l = matrix(&p["L"]);
        let cs: Vec<f64> = (0..48).map(|j| l.iter().map(|row| row[j]).sum()).collect();
        assert_close(
            "output multiplier",
            &col(|s| s.output_multiplier),
            &cs,
            TOL,
            1e-12,
        );
        assert_close(
            "BL",
            &col(|s| s.backward_linkage),
            &vector(&e["backward"]),
            TOL,
            1e-12,
        );
        let (fl_key, class_key) = match forward {
            ForwardConvention::Ghosh => ("forward_ghosh", "class_ghosh"),
            ForwardConvention::Leontief => ("forward_leontief", "class_leontief"),
        };
        assert_close(
            "FL",
            &col(|s| s.forward_linkage),
            &vector(&e[fl_key]),
            TOL,
            1e-12,
        );
        let classes: Vec<&str> = r.sectors.iter().map(|s| s.class.key()).collect();
        let want: Vec<&str> = e[class_key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(classes, want);
        assert_close(
            "backward variation",
            &col(|s| s.backward_variation.unwrap()),
            &vector(&e["backward_variation"]),
            TOL,
            1e-12,
        );
        if forward == ForwardConvention::Ghosh {
            assert_close(
                "forward variation",
                &col(|s| s.forward_variation.unwrap()),
                &vector(&e["forward_variation_ghosh"]),
                TOL,
                1e-12,
            );
        }
        let ext = &e["extraction"];
        // Brute-force extraction loses precision to cancellation (differences of sums of
        // outputs up to 1e9): agree to 1e-9 of total output.
        let scale = x.iter().sum::<f64>() * 1e-9;
        for (key, got) in [
            ("total", col(|s| s.extraction_total.unwrap())),
            ("backward", col(|s| s.extraction_backward.unwrap())),
            ("forward", col(|s| s.extraction_forward.unwrap())),
        ] {
            for (g, w) in got.iter().zip(vector(&ext[key])) {
                assert!(
                    (g - w).abs() <= TOL * w.abs() + scale,
                    "extraction {key}: {g} vs {w}"
                );
            }
        }
        assert_close(
            "intra",
            &col(|s| s.intra.unwrap()),
            &vector(&e["intra"]),
            TOL,
            1e-12,
        );
        assert_close(
            "feedback",
            &col(|s| s.feedback.unwrap()),
            &vector(&e["feedback"]),
            TOL,
            1e-6,
        );
        assert_close(
            "spillover",
            &col(|s| s.spillover.unwrap()),
            &vector(&e["spillover"]),
            TOL,
            1e-6,
        );
        // Extension multipliers M = S·L against pymrio.
        let rows = p["M_emissions_rows"].as_array().unwrap();
        let mref = matrix(&p["M_emissions"]);
        for (k, name) in rows.iter().enumerate() {
            let key = format!("emissions: {}", name.as_str().unwrap());
            let got: Vec<f64> = r
                .sectors
                .iter()
                .map(|s| s.extension_multipliers[&key])
                .collect();
            assert_close(&key, &got, &mref[k], TOL, 1e-12);
        }
        let fi: Vec<f64> = r
            .sectors
            .iter()
            .map(|s| s.extension_multipliers["factor_inputs: Value Added"])
            .collect();
        assert_close(
            "factor inputs M",
            &fi,
            &matrix(&p["M_factor_inputs"])[0],
            TOL,
            1e-12,
        );
        assert!(r.table.residuals.output < 1e-12, "{:?}", r.table.residuals);
        assert!(r.table.residuals.column_sums < 1e-12);
        assert!(r.table.residuals.regional.is_some_and(|v| v < 1e-12));
    }
}

#[test]
fn matrix_folder_reads_the_same_system() {
    let Some(io) = shared_io() else { return };
    let (m, layout) = read(
        &io.join("pymrio_test_mrio"),
        None,
        &chainlens_data::Limits::default().io_tables(),
    )
    .unwrap();
    assert_eq!(layout, Layout::Matrix);
    let p = fixture();
    assert_eq!(m.industries, p.industries);
    assert_eq!(m.final_demand_labels, p.final_demand_labels);
    assert_close("Z", m.z.as_row_major(), p.z.as_row_major(), 1e-12, 1e-9);
    assert_close("Y", m.y.as_row_major(), p.y.as_row_major(), 1e-12, 1e-9);
    // The shipped value added does not close the columns: reported, not fixed.
    let r = analyse(&m, &Config::default()).unwrap();
    assert!(
        r.warnings.iter().any(|w| w.kind == "imbalance"),
        "{:?}",
        r.warnings
    );
    assert!(r.table.residuals.table < 1e-12);
}
