//! Real tables of `../shared/data/io`: readers, identities and agreement with numpy.

use crate::{assert_close, reference, shared_io, vector};
use chainlens_data::io_tables::read;
use chainlens_linkage::extraction::{extract_all, extract_brute_force};
use chainlens_linkage::synthetic::synthetic_table;
use chainlens_linkage::{Config, LinkageError, System, analyse};
use chainlens_model::Matrix;
use chainlens_model::Vocabulary;

#[test]
fn china_and_wiod_agree_with_numpy() {
    let Some(io) = shared_io() else { return };
    let e = reference("expected_real_tables.json");
    let nbs = io.join("china_nbs_national_io");
    for (key, path) in [
        ("china_2017_42", nbs.join("china_2017_42.csv")),
        ("china_2018_42", nbs.join("china_2018_42.csv")),
        ("china_2020_42", nbs.join("china_2020_42.csv")),
        ("china_2017_149", nbs.join("china_2017_149.csv")),
        ("china_2018_153", nbs.join("china_2018_153.csv")),
        ("china_2020_153", nbs.join("china_2020_153.csv")),
        (
            "wiod_2000",
            io.join("wiod_longrun_2000/WIODlr_WIOT_2000.csv"),
        ),
    ] {
        let (t, _) = read(&path, None, &chainlens_data::Limits::default().io_tables()).unwrap();
        let r = analyse(&t, &Config::default()).unwrap();
        let want = &e[key];
        let col = |f: fn(&chainlens_linkage::report::SectorRow) -> f64| -> Vec<f64> {
            r.sectors.iter().map(f).collect()
        };
        assert_close(
            key,
            &col(|s| s.output_multiplier),
            &vector(&want["output_multiplier"]),
            1e-9,
            1e-12,
        );
        assert_close(
            key,
            &col(|s| s.backward_linkage),
            &vector(&want["backward"]),
            1e-9,
            1e-12,
        );
        assert_close(
            key,
            &col(|s| s.forward_linkage),
            &vector(&want["forward_ghosh"]),
            1e-9,
            1e-12,
        );
        let classes: Vec<&str> = r.sectors.iter().map(|s| s.class.key()).collect();
        let want: Vec<&str> = want["class_ghosh"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(classes, want, "{key}");
        // Published tables balance: the data's own residual and the solves are tiny.
        assert!(
            r.table.residuals.table < 1e-6,
            "{key}: {:?}",
            r.table.residuals
        );
        assert!(
            r.table.residuals.output < 1e-12 && r.table.residuals.column_sums < 1e-12,
            "{key}"
        );
        // The Collatz–Wielandt bounds bracket numpy's ρ(A) = max |eigvals(A)|.
        let rho = e[key]["spectral_radius"].as_f64().unwrap();
        let bounds = r.table.spectral_radius;
        assert!(
            bounds.lower <= rho * (1.0 + 1e-12) && rho <= bounds.upper * (1.0 + 1e-12),
            "{key}: {bounds:?} vs numpy {rho}"
        );
        assert!(
            bounds.upper < 1.0 && bounds.upper - bounds.lower < 0.1,
            "{key}: {bounds:?}"
        );
        // κ₁(I − A) against numpy.linalg.cond(I − A, 1), which forms the inverse.
        let kappa = e[key]["condition_number_1"].as_f64().unwrap();
        assert!(
            (r.table.condition_number / kappa - 1.0).abs() < 1e-9,
            "{key}: {} vs numpy {kappa}",
            r.table.condition_number
        );
    }
}

#[test]
fn china_42_domestic_model_has_import_multipliers() {
    let Some(io) = shared_io() else { return };
    let (t, _) = read(
        &io.join("china_nbs_national_io/china_2017_42.csv"),
        None,
        &chainlens_data::Limits::default().io_tables(),
    )
    .unwrap();
    let r = analyse(&t, &Config::default()).unwrap();
    // Value added + imported inputs per unit of final demand = 1 (all primary inputs).
    for s in &r.sectors {
        let imports = s.extension_multipliers["other primary input: imported intermediate inputs"];
        let va = s.value_added_multiplier.unwrap();
        assert!(
            (va + imports - 1.0).abs() < 1e-6,
            "{}: {va} + {imports}",
            s.sector
        );
        assert!(imports > 0.0 && imports < 0.5);
    }
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn extraction_of_a_large_table_matches_brute_force() {
    let t = synthetic_table(150, 3, 11);
    let s = System::new(&t).unwrap();
    let fast = extract_all(&s, &s.leontief_inverse());
    for j in [0, 37, 149] {
        let slow = extract_brute_force(&s, j);
        for (f, w) in [
            (fast[j].total, slow.total),
            (fast[j].backward, slow.backward),
            (fast[j].forward, slow.forward),
        ] {
            assert!((f - w).abs() <= 1e-9 * w.abs(), "{j}: {f} vs {w}");
        }
    }
}

#[test]
fn non_productive_and_degenerate_tables_are_named() {
    let mut t = synthetic_table(20, 2, 3);
    // Sector 4 buys twice its output from sector 5: column sum of A above one and ρ ≥ 1.
    let x = t.total_output();
    let mut z = t.z.as_row_major().to_vec();
    for i in 0..20 {
        z[i * 20 + 4] = 0.0;
        z[i * 20 + 5] = 0.0;
    }
    z[5 * 20 + 4] = 2.0 * x[4];
    z[4 * 20 + 5] = 2.0 * x[5];
    t.z = Matrix::from_row_major(20, 20, z).unwrap();
    t.published_output = Some(x);
    match analyse(&t, &Config::default()) {
        Err(LinkageError::NotProductive { reason }) => assert!(
            reason.contains("r0|s4") || reason.contains("r0|s5"),
            "{reason}"
        ),
        other => panic!("{other:?}"),
    }
    let mut t = synthetic_table(20, 2, 3);
    let mut x = t.total_output();
    x[7] = 0.0;
    t.published_output = Some(x);
    let e = analyse(&t, &Config::default()).unwrap_err();
    assert!(e.to_string().contains("r0|s7"), "{e}");
}
