//! Against tests/reference/validation_expected.json, produced by
//! tests/reference/validation_generate.py with pingouin, factor_analyzer and scipy
//! (versions recorded in the file). Tolerances: statistics 1e-10 relative to
//! max(1, |value|); p-values and special functions 1e-9 relative (exactly 0 where scipy
//! underflows to 0).

use chainlens_resilience::correlation::{Method, pairwise};
use chainlens_resilience::special::{
    beta_i, chi2_sf, gamma_q, ln_gamma, normal_two_sided, t_two_sided,
};
use chainlens_resilience::validation::validate;
use serde_json::Value;

fn expected() -> Value {
    serde_json::from_str(include_str!("../reference/validation_expected.json"))
        .expect("valid reference JSON")
}

fn f(v: &Value) -> f64 {
    v.as_f64().expect("number")
}

fn matrix(v: &Value) -> Vec<Vec<f64>> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|r| r.as_array().expect("row").iter().map(f).collect())
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_str().expect("string").to_owned())
        .collect()
}

#[track_caller]
fn stat(got: f64, want: f64, what: &str) {
    let tol = 1e-10 * want.abs().max(1.0);
    assert!(
        (got - want).abs() <= tol,
        "{what}: {got} vs {want} (tolerance {tol})"
    );
}

#[track_caller]
fn prob(got: f64, want: f64, what: &str) {
    let tol = 1e-9 * want.abs();
    assert!(
        (got - want).abs() <= tol,
        "{what}: {got} vs {want} (relative tolerance 1e-9)"
    );
}

#[test]
fn special_functions_match_scipy() {
    let e = &expected()["special"];
    let rows = |k: &str| -> Vec<Vec<f64>> { matrix(&e[k]) };
    for r in rows("ln_gamma") {
        prob(ln_gamma(r[0]), r[1], &format!("ln_gamma({})", r[0]));
    }
    for r in rows("gamma_q") {
        prob(
            gamma_q(r[0], r[1]),
            r[2],
            &format!("gamma_q({}, {})", r[0], r[1]),
        );
    }
    for r in rows("beta_i") {
        let what = format!("beta_i({}, {}, {})", r[0], r[1], r[2]);
        prob(beta_i(r[0], r[1], r[2]), r[3], &what);
    }
    for r in rows("chi2_sf") {
        prob(
            chi2_sf(r[0], r[1]),
            r[2],
            &format!("chi2_sf({}, {})", r[0], r[1]),
        );
    }
    for r in rows("t_two_sided") {
        let what = format!("t_two_sided({}, {})", r[0], r[1]);
        prob(t_two_sided(r[0], r[1]), r[2], &what);
    }
    for r in rows("normal_two_sided") {
        prob(normal_two_sided(r[0]), r[1], &format!("normal({})", r[0]));
    }
}

#[test]
fn alpha_kmo_bartlett_match_pingouin_and_factor_analyzer() {
    for case in expected()["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let names = strings(&case["names"]);
        let v = validate(&matrix(&case["matrix"]), &names).unwrap();
        let e = &case["validation"];
        stat(
            v.reliability.alpha,
            f(&e["alpha"]),
            &format!("{name} alpha"),
        );
        stat(
            v.reliability.standardized_alpha,
            f(&e["standardized_alpha"]),
            &format!("{name} standardised alpha"),
        );
        for (item, want) in v
            .reliability
            .items
            .iter()
            .zip(e["items"].as_array().unwrap())
        {
            assert_eq!(item.indicator, want["indicator"].as_str().unwrap());
            let what = format!("{name} {}", item.indicator);
            stat(
                item.alpha_if_deleted.expect("k ≥ 3"),
                f(&want["alpha_if_deleted"]),
                &format!("{what} alpha if deleted"),
            );
            stat(
                item.item_rest_correlation,
                f(&want["item_rest_correlation"]),
                &format!("{what} item-rest r"),
            );
        }
        stat(v.kmo.overall, f(&e["kmo"]), &format!("{name} KMO"));
        for (k, want) in v
            .kmo
            .indicators
            .iter()
            .zip(e["kmo_per_indicator"].as_array().unwrap())
        {
            stat(k.kmo, f(want), &format!("{name} KMO {}", k.indicator));
        }
        stat(
            v.bartlett.chi2,
            f(&e["bartlett_chi2"]),
            &format!("{name} χ²"),
        );
        assert_eq!(v.bartlett.df as u64, e["bartlett_df"].as_u64().unwrap());
        prob(
            v.bartlett.p_value,
            f(&e["bartlett_p"]),
            &format!("{name} Bartlett p"),
        );
    }
}

#[test]
fn correlations_match_scipy() {
    for case in expected()["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let names = strings(&case["dimension_names"]);
        let x = matrix(&case["dimensions"]);
        let pearson = pairwise(&x, &names, Method::Pearson).unwrap();
        let spearman = pairwise(&x, &names, Method::Spearman).unwrap();
        let want = case["correlations"].as_array().unwrap();
        assert_eq!(pearson.len(), want.len());
        for ((p, s), w) in pearson.iter().zip(&spearman).zip(want) {
            assert_eq!(
                (p.a.as_str(), p.b.as_str()),
                (w["a"].as_str().unwrap(), w["b"].as_str().unwrap())
            );
            let what = format!("{name} {}–{}", p.a, p.b);
            stat(
                p.correlation.r,
                f(&w["pearson_r"]),
                &format!("{what} Pearson r"),
            );
            prob(
                p.correlation.p_value.unwrap(),
                f(&w["pearson_p"]),
                &format!("{what} Pearson p"),
            );
            stat(
                s.correlation.r,
                f(&w["spearman_r"]),
                &format!("{what} Spearman ρ"),
            );
            prob(
                s.correlation.p_value.unwrap(),
                f(&w["spearman_p"]),
                &format!("{what} Spearman p"),
            );
        }
    }
}
