//! Against tests/reference/panel_expected.json, produced by
//! tests/reference/panel_generate.py with linearmodels' PanelOLS (fixed effects,
//! entity-clustered errors, three small-sample corrections) and numpy (decomposition);
//! versions recorded in the file. Tolerances: 1e-10 relative to max(1, |value|) for
//! estimates, standard errors, t and R²; p-values 1e-9 relative.

use chainlens_resilience::decomposition::decompose;
use chainlens_resilience::regression::{Correction, LongPanel, Model, design, fixed_effects};
use serde_json::Value;

fn expected() -> Value {
    serde_json::from_str(include_str!("../reference/panel_expected.json"))
        .expect("valid reference JSON")
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

#[track_caller]
fn close(got: f64, want: f64, rel: f64, what: &str) {
    let tol = rel * want.abs().max(if rel > 1e-10 { 0.0 } else { 1.0 });
    assert!(
        (got - want).abs() <= tol,
        "{what}: {got} vs {want} (tolerance {tol})"
    );
}

fn long_panel(v: &Value) -> LongPanel {
    v.as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            let vars = row[2]
                .as_object()
                .expect("variables")
                .iter()
                .map(|(k, x)| (k.clone(), x.as_f64().expect("number")))
                .collect();
            (
                (
                    row[0].as_str().unwrap().to_owned(),
                    row[1].as_i64().unwrap() as i32,
                ),
                vars,
            )
        })
        .collect()
}

#[test]
fn fixed_effects_match_linearmodels() {
    for case in expected()["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let mut model: Model = serde_json::from_value(case["model"].clone()).unwrap();
        let data = long_panel(&case["panel"]);
        for fit in case["fits"].as_array().unwrap() {
            model.correction =
                serde_json::from_value::<Correction>(fit["correction"].clone()).unwrap();
            let d = design(&model, &data).unwrap();
            assert_eq!(
                d.dropped as u64,
                case["dropped"].as_u64().unwrap(),
                "{name} dropped"
            );
            let names: Vec<&str> = fit["names"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_str().unwrap())
                .collect();
            assert_eq!(d.names, names, "{name} regressors");
            let f = fixed_effects(&d, model.correction).unwrap();
            let what = format!("{name} {:?}", model.correction);
            assert_eq!(
                f.observations as u64,
                fit["nobs"].as_u64().unwrap(),
                "{what} n"
            );
            assert_eq!(
                f.entities as u64,
                fit["entities"].as_u64().unwrap(),
                "{what} g"
            );
            assert_eq!(
                f.df_resid as u64,
                fit["df_resid"].as_u64().unwrap(),
                "{what} df"
            );
            close(
                f.r2_within,
                fit["rsquared_within"].as_f64().unwrap(),
                1e-10,
                &format!("{what} R² within"),
            );
            let (b, se, t, p) = (
                floats(&fit["params"]),
                floats(&fit["std_errors"]),
                floats(&fit["tstats"]),
                floats(&fit["pvalues"]),
            );
            for (j, c) in f.coefficients.iter().enumerate() {
                let w = format!("{what} {}", c.name);
                close(c.estimate, b[j], 1e-10, &format!("{w} estimate"));
                close(c.std_error, se[j], 1e-10, &format!("{w} std error"));
                close(c.t, t[j], 1e-10, &format!("{w} t"));
                close(c.p_value, p[j], 1e-9, &format!("{w} p"));
            }
        }
    }
}

#[test]
fn decomposition_matches_numpy_and_adds_up() {
    let cases = expected();
    let case = &cases["cases"][1];
    let names: Vec<String> = case["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_owned())
        .collect();
    let w = floats(&case["weights"]);
    for e in case["decomposition"].as_array().unwrap() {
        let region = e["region"].as_str().unwrap();
        let d = decompose(
            region,
            (2018, 2023),
            &names,
            &w,
            &floats(&e["from"]),
            &floats(&e["to"]),
        );
        close(
            d.change,
            e["change"].as_f64().unwrap(),
            1e-10,
            &format!("{region} ΔE"),
        );
        assert!(
            d.residual.abs() < 1e-14,
            "{region}: residual {}",
            d.residual
        );
        let want = floats(&e["contributions"]);
        for c in &d.contributions {
            let j = names.iter().position(|n| *n == c.indicator).unwrap();
            close(
                c.contribution,
                want[j],
                1e-10,
                &format!("{region} {}", c.indicator),
            );
        }
    }
}
